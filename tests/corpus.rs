//! A corpus of broken workspaces (`tests/corpus/<case>/`), each run through the
//! real binary: `check`, `fmt --check` and `fmt` must all refuse it with exit
//! status 1, a message holding every line of `tests/corpus/<case>.expected`, no
//! panic, no terminal control characters, and without changing anything on
//! disk.
//!
//! Every case folder needs its `.expected` file, and every `.expected` file its
//! folder, so the corpus cannot grow unchecked. A few cases are too big or too
//! binary to keep in git: their folder holds the rest of the workspace and
//! [`generate`] writes the offending file into the temporary copy.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

const BIN: &str = env!("CARGO_BIN_EXE_valuemap");

/// Cases whose offending file is written at run time by [`generate`].
const GENERATED: &[&str] = &[
    "binary-junk-workspace",
    "binary-junk-note",
    "deep-nesting",
    "huge-string-then-syntax-error",
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// A deterministic stream of arbitrary bytes (xorshift64).
fn junk(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Writes the generated file of a case into `root`, the temporary copy.
fn generate(case: &str, root: &Path) {
    match case {
        "binary-junk-workspace" => {
            // Valid text up to line 3, column 15, then a byte that can never
            // start a UTF-8 sequence, then arbitrary bytes.
            let mut bytes = b"(\n    version: 1,\n    name: \"Fix".to_vec();
            bytes.push(0xFF);
            bytes.extend(junk(4096));
            fs::write(root.join("workspace.ron"), bytes).unwrap();
        }
        "binary-junk-note" => {
            let mut bytes = vec![0xFE];
            bytes.extend(junk(4096));
            fs::write(root.join("notes/2026-01-03-junk99.ron"), bytes).unwrap();
        }
        "deep-nesting" => {
            let text = format!(
                "(\n    version: 1,\n    name: \"Fixture\",\n    phases: {}\n)\n",
                "[".repeat(200_000)
            );
            fs::write(root.join("workspace.ron"), text).unwrap();
        }
        "huge-string-then-syntax-error" => {
            // A 5 MB name, then a missing comma at line 3, column 5000014.
            let text = format!(
                "(\n    version: 1,\n    name: \"{}\" oops,\n)\n",
                "x".repeat(5_000_000)
            );
            fs::write(root.join("workspace.ron"), text).unwrap();
        }
        other => panic!("no generator for case {other}"),
    }
}

struct Case {
    name: String,
    dir: PathBuf,
    expected: Vec<String>,
}

/// Every case of the corpus. Panics, naming them, on folders without an
/// `.expected` file, `.expected` files without a folder, and `.expected` files
/// that require nothing.
fn cases() -> Vec<Case> {
    let root = corpus_dir();
    let mut dirs = Vec::new();
    let mut expected = BTreeMap::new();
    for e in fs::read_dir(&root).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            dirs.push(name);
        } else if let Some(case) = name.strip_suffix(".expected") {
            expected.insert(case.to_string(), e.path());
        }
    }
    dirs.sort();
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for name in &dirs {
        let Some(path) = expected.remove(name) else {
            problems.push(format!(
                "tests/corpus/{name}/ has no tests/corpus/{name}.expected"
            ));
            continue;
        };
        let lines: Vec<String> = fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| l.trim_end_matches('\r').to_string())
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            problems.push(format!(
                "tests/corpus/{name}.expected requires nothing (one substring per line)"
            ));
        }
        out.push(Case {
            name: name.clone(),
            dir: root.join(name),
            expected: lines,
        });
    }
    for case in expected.keys() {
        problems.push(format!(
            "tests/corpus/{case}.expected has no tests/corpus/{case}/ folder"
        ));
    }
    for g in GENERATED {
        if !dirs.iter().any(|d| d == g) {
            problems.push(format!(
                "generated case {g} has no tests/corpus/{g}/ folder"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the corpus is inconsistent:\n  {}",
        problems.join("\n  ")
    );
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// What a path on disk is: content (`None` for a folder), modification time,
/// inode and mode. An atomic rewrite with the same bytes still shows up.
#[derive(PartialEq, Eq)]
struct Entry {
    bytes: Option<Vec<u8>>,
    modified: SystemTime,
    ino: u64,
    mode: u32,
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = fs::symlink_metadata(&p).unwrap();
        let bytes = if meta.is_dir() {
            for e in fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            None
        } else {
            Some(fs::read(&p).unwrap())
        };
        #[cfg(unix)]
        let (ino, mode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.mode())
        };
        #[cfg(not(unix))]
        let (ino, mode) = (0, 0);
        out.insert(
            p.strip_prefix(root).unwrap().to_path_buf(),
            Entry {
                bytes,
                modified: meta.modified().unwrap(),
                ino,
                mode,
            },
        );
    }
    out
}

/// The paths that differ between two snapshots, and how.
fn changes(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> Vec<String> {
    let mut out = Vec::new();
    for (p, b) in before {
        match after.get(p) {
            None => out.push(format!("{} removed", p.display())),
            Some(a) if a.bytes != b.bytes => out.push(format!("{} content changed", p.display())),
            Some(a) if a.ino != b.ino || a.modified != b.modified => {
                out.push(format!("{} rewritten", p.display()))
            }
            Some(a) if a.mode != b.mode => out.push(format!("{} mode changed", p.display())),
            Some(_) => {}
        }
    }
    for p in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("{} created", p.display()));
    }
    out
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&case.dir, &ws);
    if GENERATED.contains(&case.name.as_str()) {
        generate(&case.name, &ws);
    }
    let before = snapshot(tmp.path());
    let mut problems = Vec::new();
    for args in [
        &["check", "ws"][..],
        &["fmt", "--check", "ws"],
        &["fmt", "ws"],
    ] {
        let cmd = args.join(" ");
        let out = Command::new(BIN)
            .args(args)
            .current_dir(tmp.path())
            .env("HOME", tmp.path().join("no-home"))
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut fail = |what: String| problems.push(format!("`{cmd}`: {what}"));
        match out.status.code() {
            Some(1) => {}
            Some(c) => fail(format!("exit status {c}, expected 1")),
            None => fail(format!("killed by a signal ({:?})", out.status)),
        }
        if stderr.contains("panicked") {
            fail("panicked".into());
        }
        if !stderr.starts_with("valuemap: ") {
            fail("the error does not start with `valuemap: `".into());
        }
        if stderr.len() > 4096 {
            fail(format!(
                "{} bytes on stderr; a message should not dump the file",
                stderr.len()
            ));
        }
        if let Some(c) = stderr.chars().find(|c| c.is_control() && *c != '\n') {
            fail(format!("stderr holds the control character {c:?}"));
        }
        if stdout.contains("formatted") {
            fail(format!("stdout claims a file was formatted: {stdout}"));
        }
        for want in &case.expected {
            if !stderr.contains(want.as_str()) {
                fail(format!("stderr lacks {want:?}"));
            }
        }
        let changed = changes(&before, &snapshot(tmp.path()));
        if !changed.is_empty() {
            fail(format!("changed the disk: {}", changed.join(", ")));
        }
        if !problems.is_empty() {
            let shown: String = stderr.chars().take(2000).collect();
            problems.push(format!("  stderr of `{cmd}` was:\n{shown}"));
            break;
        }
    }
    problems
}

#[test]
fn every_case_folder_has_an_expected_file_and_the_reverse() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
}

#[test]
fn every_broken_workspace_is_refused_clearly_and_left_untouched() {
    let cases = cases();
    // Two at a time: the machine running the tests may have few cores.
    let results: Vec<(String, Vec<String>)> = std::thread::scope(|s| {
        let (a, b): (Vec<_>, Vec<_>) = cases.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let run = |part: Vec<(usize, &Case)>| {
            part.into_iter()
                .map(|(_, c)| (c.name.clone(), run_case(c)))
                .collect::<Vec<_>>()
        };
        let h = s.spawn(move || run(b));
        let mut r = run(a);
        r.extend(h.join().unwrap());
        r
    });
    let failed: Vec<String> = results
        .into_iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(name, p)| format!("case {name}:\n  {}", p.join("\n  ")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} case(s) failed:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}
