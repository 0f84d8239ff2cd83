//! The command line, run as a real process on temporary folders: `--help`,
//! `new`, `check` and `fmt`. Nothing here reads HOME or the XDG folders; the
//! TUI is not started.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

#[path = "support/bin.rs"]
mod bin;

use bin::*;

// ---- what is on disk ----

/// Content (`None` for a folder), modification time, inode and mode: an atomic
/// rewrite with the very same bytes still shows up.
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    bytes: Option<Vec<u8>>,
    modified: SystemTime,
    ino: u64,
    mode: u32,
}

type Snapshot = BTreeMap<PathBuf, Entry>;

fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = fs::symlink_metadata(&p).unwrap();
        let bytes = if meta.is_dir() {
            for e in fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            None
        } else if meta.is_symlink() {
            Some(
                fs::read_link(&p)
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes(),
            )
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
fn changes(before: &Snapshot, after: &Snapshot) -> Vec<String> {
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

#[track_caller]
fn assert_unchanged(before: &Snapshot, root: &Path, run: &Run) {
    let changed = changes(before, &snapshot(root));
    assert!(changed.is_empty(), "changed: {changed:?}\n{run:?}");
}

/// The files of a folder with their bytes, relative to it.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter_map(|(p, e)| e.bytes.map(|b| (p, b)))
        .collect()
}

fn new_workspace(cwd: &Path, name: &str, template: Option<&str>) -> PathBuf {
    let mut args = vec!["new", name];
    if let Some(t) = template {
        args.extend(["--template", t]);
    }
    let run = valuemap(cwd, &args);
    assert_eq!(run.code, Some(0), "{run:?}");
    cwd.join(name)
}

// ---- a small hand-written workspace ----

const WORKSPACE: &str = r#"(
    version: 3,
    name: "Fixture",
    phases: [
        (
            id: "phase1",
            name: "Creation",
            activities: [
                (id: "act111", name: "Create a cluster"),
            ],
        ),
    ],
    personas: [
        (id: "pers11", name: "Platform developer", role: Consumer),
    ],
    perspectives: [
        (persona: "pers11", activity: "act111", importance: 4, satisfaction: 2),
    ],
)
"#;

const OPP_FILE: &str = "opportunities/opp111.ron";

const OPPORTUNITY: &str = r#"(
    opportunity: (
        id: "opp111",
        title: "Self-service clusters",
        kind: Pain,
        activities: ["act111"],
        personas: ["pers11"],
        evidence: [(note: "note11", quote: "two days")],
    ),
)
"#;

const METRIC_FILE: &str = "metrics/met111.ron";

const METRIC: &str = r#"(
    metric: (
        id: "met111",
        name: "Lead time",
        kind: Quantitative,
        unit: "hours",
        activity: "act111",
        opportunity: "opp111",
        baseline: 48.0,
        target: 4.0,
        direction: LowerIsBetter,
        observations: [
            (date: "2026-01-10", value: 30.0),
        ],
    ),
)
"#;

const NOTE_FILE: &str = "notes/2026-01-02-note11.ron";

const NOTE: &str = r#"(
    id: "note11",
    date: "2026-01-02",
    interviewee: "Sam",
    persona: "pers11",
    activities: ["act111"],
    title: "Call",
    body: "> two days",
)
"#;

/// Writes the hand-written workspace (valid, not in canonical form) to `root`.
fn write_fixture(root: &Path) {
    for folder in ["notes", "opportunities", "metrics"] {
        fs::create_dir_all(root.join(folder)).unwrap();
    }
    fs::write(root.join("workspace.ron"), WORKSPACE).unwrap();
    fs::write(root.join(OPP_FILE), OPPORTUNITY).unwrap();
    fs::write(root.join(METRIC_FILE), METRIC).unwrap();
    fs::write(root.join(NOTE_FILE), NOTE).unwrap();
}

/// Replaces exactly one occurrence of `from` in a file.
#[track_caller]
fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---- --help ----

#[test]
fn top_level_help_lists_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    for flag in ["--help", "-h"] {
        let run = valuemap(tmp.path(), &[flag]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(run.stdout.contains("Usage: valuemap"), "{run:?}");
        for cmd in ["new", "check", "fmt"] {
            assert!(
                run.stdout.lines().any(|l| l.trim_start().starts_with(cmd)),
                "{cmd} missing from {flag}: {run:?}"
            );
        }
    }
    let run = valuemap(tmp.path(), &["help"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("Usage: valuemap"), "{run:?}");
}

/// The program gives jemalloc its options (`valuemap::MALLOC_CONF`), and
/// jemalloc reads them: a misnamed symbol would be ignored without a word.
#[cfg(not(target_env = "msvc"))]
#[test]
fn the_allocator_reads_the_programs_options() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = command(tmp.path(), &["--version"]);
    // Printed by jemalloc at exit, to standard error.
    c.env("_RJEM_MALLOC_CONF", "stats_print:true");
    let run = output(c, None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("opt.narenas: 1\n"), "{}", run.stderr);
}

#[test]
fn every_subcommand_has_help() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in ["new", "check", "fmt"] {
        for args in [vec![cmd, "--help"], vec![cmd, "-h"], vec!["help", cmd]] {
            let run = valuemap(tmp.path(), &args);
            assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
            assert!(
                run.stdout.contains(&format!("Usage: valuemap {cmd}")),
                "{args:?}: {run:?}"
            );
            assert!(run.stdout.contains("PATH"), "{args:?}: {run:?}");
        }
    }
    let new = valuemap(tmp.path(), &["new", "--help"]).stdout;
    assert!(new.contains("--template"), "{new}");
    assert!(
        new.contains("kubernetes-platform") && new.contains("empty"),
        "{new}"
    );
    assert!(
        valuemap(tmp.path(), &["check", "--help"])
            .stdout
            .contains("--no-coverage")
    );
    assert!(
        valuemap(tmp.path(), &["fmt", "--help"])
            .stdout
            .contains("--check")
    );
    // Asking for help creates nothing.
    assert!(fs::read_dir(tmp.path()).unwrap().next().is_none());
}

#[test]
fn version_is_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["--version"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")), "{run:?}");
}

// ---- new ----

#[test]
fn new_uses_the_kubernetes_template_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .contains("Created workspace ws from template kubernetes-platform"),
        "{run:?}"
    );
    let root = tmp.path().join("ws");
    assert!(root.join("workspace.ron").is_file());
    for folder in ["opportunities", "metrics"] {
        let n = fs::read_dir(root.join(folder)).unwrap().count();
        assert!(n >= 3, "{n} files in {folder}/");
    }
    for f in ["opportunities.ron", "metrics.ron"] {
        assert!(
            !root.join(f).exists(),
            "{f}: format version 1's lists are gone"
        );
    }
    let notes = fs::read_dir(root.join("notes")).unwrap().count();
    assert!(notes >= 3, "{notes} notes");
    assert!(
        fs::read_to_string(root.join("workspace.ron"))
            .unwrap()
            .contains("name: \"Kubernetes platform\"")
    );

    let check = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(check.stdout.contains("ws: 0 error(s)"), "{check:?}");
    assert!(
        check.stdout.contains(&format!("{notes} notes")),
        "{check:?}"
    );
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "a new workspace is canonical: {fmt:?}");

    // Naming the default template gives the very same files.
    new_workspace(tmp.path(), "named", Some("kubernetes-platform"));
    assert_eq!(files(&root), files(&tmp.path().join("named")));
}

#[test]
fn new_from_the_empty_template() {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["new", "ws", "-t", "empty"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("from template empty"), "{run:?}");
    assert!(tmp.path().join("ws/workspace.ron").is_file());

    let check = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(
        check.stdout.contains(
            "ws: 0 error(s), 0 warning(s); 3 phases, 0 activities, 0 personas, 0 notes, 0 opportunities, 0 metrics"
        ),
        "{check:?}"
    );
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
}

#[test]
fn new_creates_missing_parent_folders() {
    let tmp = tempfile::tempdir().unwrap();
    new_workspace(tmp.path(), "a/b/ws", Some("empty"));
    let check = valuemap(tmp.path(), &["check", "a/b/ws"]);
    assert_eq!(check.code, Some(0), "{check:?}");
}

#[cfg(unix)]
#[test]
fn new_workspaces_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", None);
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("notes")), 0o700);
    for p in files(&root).keys() {
        assert_eq!(mode(&root.join(p)), 0o600, "{}", p.display());
    }
}

#[test]
fn new_refuses_an_existing_path_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("file"), "keep me\n").unwrap();
    fs::create_dir(tmp.path().join("empty-dir")).unwrap();
    new_workspace(tmp.path(), "workspace", Some("empty"));
    for target in ["file", "empty-dir", "workspace"] {
        for template in ["kubernetes-platform", "empty"] {
            let before = snapshot(tmp.path());
            let run = valuemap(tmp.path(), &["new", target, "--template", template]);
            assert_eq!(run.code, Some(1), "{target}: {run:?}");
            assert!(
                run.stderr.contains(&format!(
                    "valuemap: {target} already exists; nothing was changed"
                )),
                "{target}: {run:?}"
            );
            assert!(run.stdout.is_empty(), "{target}: {run:?}");
            assert_unchanged(&before, tmp.path(), &run);
        }
    }
}

#[cfg(unix)]
#[test]
fn new_refuses_a_dangling_symlink_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("nowhere", tmp.path().join("link")).unwrap();
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["new", "link"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("link"), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);
    assert!(!tmp.path().join("nowhere").exists());
}

#[test]
fn new_refuses_an_unknown_template() {
    let tmp = tempfile::tempdir().unwrap();
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["new", "ws", "--template", "nope"]);
    assert_ne!(run.code, Some(0), "{run:?}");
    for want in ["nope", "kubernetes-platform", "empty"] {
        assert!(run.stderr.contains(want), "{want}: {run:?}");
    }
    assert_unchanged(&before, tmp.path(), &run);
}

// ---- check ----

#[test]
fn check_accepts_a_valid_workspace_prints_a_summary_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    write_fixture(&tmp.path().join("ws"));
    let before = snapshot(tmp.path());

    let run = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.lines().last().unwrap_or_default()
            == "ws: 0 error(s), 0 warning(s); 1 phase, 1 activity, 1 persona, 1 note, 1 opportunity, 1 metric",
        "{run:?}"
    );
    assert!(run.stdout.contains("coverage: 1 blind spot(s)"), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);

    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!run.stdout.contains("coverage"), "{run:?}");
    assert!(run.stdout.contains("ws: 0 error(s)"), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);

    // An absolute path works as well as a relative one.
    let abs = tmp.path().join("ws");
    let run = valuemap(tmp.path(), &["check", abs.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[test]
fn check_reports_a_dangling_evidence_link_in_the_template() {
    // The brief's case: a note id edited in an opportunity's text. The file
    // stays in canonical form, so fmt has nothing to do; only check objects.
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", None);
    let (path, text) = fs::read_dir(root.join("opportunities"))
        .unwrap()
        .flatten()
        .map(|e| (e.path(), fs::read_to_string(e.path()).unwrap()))
        .filter(|(_, t)| t.contains("note: \""))
        .min()
        .unwrap();
    let rel = path.strip_prefix(tmp.path()).unwrap().display().to_string();
    let at = text.find("note: \"").unwrap();
    let old_id = &text[at + 7..at + 13];
    fs::write(
        &path,
        format!("{}note: \"zz404z\"{}", &text[..at], &text[at + 14..]),
    )
    .unwrap();
    let title_at = text[..at].rfind("title: \"").unwrap() + 8;
    let title = &text[title_at..title_at + text[title_at..].find('"').unwrap()];
    assert!(!old_id.is_empty() && !title.is_empty());

    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let line = format!(
        "{rel}: error: opportunity \"{title}\": links to note zz404z, which does not exist"
    );
    assert!(run.stdout.lines().any(|l| l == line), "{line}\n{run:?}");
    assert!(run.stdout.contains("ws: 1 error(s)"), "{run:?}");

    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);
}

#[test]
fn check_names_the_file_and_entity_of_every_dangling_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    edit(&root.join(OPP_FILE), "note: \"note11\"", "note: \"gone11\"");
    edit(
        &root.join(NOTE_FILE),
        "persona: \"pers11\"",
        "persona: \"gone22\"",
    );
    edit(
        &root.join(METRIC_FILE),
        "activity: \"act111\"",
        "activity: \"gone33\"",
    );
    edit(
        &root.join("workspace.ron"),
        "activity: \"act111\"",
        "activity: \"gone44\"",
    );
    let before = snapshot(tmp.path());

    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    for want in [
        "ws/opportunities/opp111.ron: error: opportunity \"Self-service clusters\": links to note gone11, which does not exist",
        "ws/notes/2026-01-02-note11.ron: error: note \"Call\" (2026-01-02, note11)",
        "links to persona gone22, which does not exist",
        "ws/metrics/met111.ron: error: metric \"Lead time\": links to activity gone33, which does not exist",
        "ws/workspace.ron: error: perspective of persona \"Platform developer\"",
        "gone44",
        "ws: 4 error(s)",
    ] {
        assert!(run.stdout.contains(want), "{want}\n{run:?}");
    }
    assert_unchanged(&before, tmp.path(), &run);
}

#[test]
fn check_reports_out_of_range_ratings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    edit(
        &root.join("workspace.ron"),
        "importance: 4, satisfaction: 2",
        "importance: 9, satisfaction: 0",
    );
    let run = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let cell = "ws/workspace.ron: error: perspective of persona \"Platform developer\" on activity \"Create a cluster\"";
    for want in [
        format!("{cell}: importance is 9, outside 1–5"),
        format!("{cell}: satisfaction is 0, outside 1–5"),
    ] {
        assert!(run.stdout.lines().any(|l| l == want), "{want}\n{run:?}");
    }
    assert!(run.stdout.contains("ws: 2 error(s)"), "{run:?}");
}

#[test]
fn check_and_fmt_refuse_a_path_that_is_not_a_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty-dir")).unwrap();
    fs::write(tmp.path().join("file"), "x").unwrap();
    let before = snapshot(tmp.path());
    for target in ["missing", "empty-dir", "file"] {
        for cmd in [
            vec!["check", target],
            vec!["fmt", target],
            vec!["fmt", "--check", target],
        ] {
            let run = valuemap(tmp.path(), &cmd);
            assert_eq!(run.code, Some(1), "{cmd:?}: {run:?}");
            assert!(
                run.stderr.contains(&format!(
                    "valuemap: no workspace at {target}: workspace.ron not found (create one with `valuemap new {target}`)"
                )),
                "{cmd:?}: {run:?}"
            );
            assert_unchanged(&before, tmp.path(), &run);
        }
    }
}

#[test]
fn nothing_depends_on_home() {
    let tmp = tempfile::tempdir().unwrap();
    for home in [None, Some("/nonexistent/valuemap-test-home")] {
        let run_in = |args: &[&str]| {
            let mut c = command(tmp.path(), args);
            match home {
                Some(h) => c.env("HOME", h),
                None => c.env_remove("HOME"),
            };
            output(c, None)
        };
        let _ = fs::remove_dir_all(tmp.path().join("ws"));
        assert_eq!(run_in(&["new", "ws"]).code, Some(0));
        assert_eq!(run_in(&["check", "ws"]).code, Some(0));
        assert_eq!(run_in(&["fmt", "--check", "ws"]).code, Some(0));
        assert_eq!(run_in(&["fmt", "ws"]).code, Some(0));
    }
    assert!(!Path::new("/nonexistent/valuemap-test-home").exists());
}

// ---- fmt ----

#[test]
fn fmt_leaves_a_canonical_workspace_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    for template in ["kubernetes-platform", "empty"] {
        new_workspace(tmp.path(), template, Some(template));
        let before = snapshot(tmp.path());

        let run = valuemap(tmp.path(), &["fmt", template]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert_eq!(run.stdout, format!("{template}: already canonical\n"));
        assert!(run.stderr.is_empty(), "{run:?}");
        assert_unchanged(&before, tmp.path(), &run);

        let run = valuemap(tmp.path(), &["fmt", "--check", template]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_unchanged(&before, tmp.path(), &run);
    }
}

/// The same data as a canonical file, written differently: comments, other
/// indentation, CRLF line ends, fields in another order, one long line.
fn reformat(root: &Path, note: &Path, opp: &Path) {
    let ws = fs::read_to_string(root.join("workspace.ron")).unwrap();
    let mut lines: Vec<String> = ws
        .lines()
        .map(|l| {
            let indent = l.len() - l.trim_start().len();
            format!("{}{}", "  ".repeat(indent / 4), l.trim_start())
        })
        .collect();
    assert!(lines[1].starts_with("  version:") && lines[2].starts_with("  name:"));
    lines.swap(1, 2);
    lines.insert(0, "// Edited by hand; fmt puts it back.".into());
    fs::write(root.join("workspace.ron"), lines.join("\r\n") + "\r\n").unwrap();

    let opps = fs::read_to_string(opp).unwrap();
    let one_line: Vec<&str> = opps.lines().map(str::trim).collect();
    fs::write(opp, one_line.join(" ")).unwrap();

    let text = fs::read_to_string(note).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let id = lines
        .iter()
        .position(|l| l.starts_with("    id: "))
        .unwrap();
    let id_line = lines.remove(id);
    let close = lines.len() - 1;
    lines.insert(close, id_line);
    lines.insert(1, "    /* the id moved to the end */");
    fs::write(note, lines.join("\n") + "\n\n\n").unwrap();
}

#[test]
fn fmt_rewrites_a_non_canonical_workspace_and_only_what_is_off() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", None);
    let canonical = files(&root);
    let note = canonical
        .keys()
        .find(|p| p.starts_with("notes"))
        .unwrap()
        .clone();
    let opp = canonical
        .keys()
        .find(|p| p.starts_with("opportunities"))
        .unwrap()
        .clone();
    reformat(&root, &root.join(&note), &root.join(&opp));
    let off: Vec<String> = [
        opp.to_str().unwrap(),
        note.to_str().unwrap(),
        "workspace.ron",
    ]
    .iter()
    .map(|f| format!("ws/{f}"))
    .collect();

    // Same data: still valid.
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");

    // --check lists exactly the three files and changes nothing.
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let (warned, listed): (Vec<&str>, Vec<&str>) =
        run.stdout.lines().partition(|l| l.contains(": warning: "));
    let mut listed: Vec<&str> = listed
        .iter()
        .map(|l| l.strip_prefix("not canonical: ").unwrap_or(l))
        .collect();
    listed.sort();
    let mut want: Vec<&str> = off.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(listed, want, "{run:?}");
    // The two hand-written comments are named by file and line: fmt drops them.
    let mut warned = warned.clone();
    warned.sort();
    let comment = ": warning: comments are not kept";
    assert_eq!(warned.len(), 2, "{run:?}");
    assert!(
        warned[0].starts_with(&format!("ws/{}:2{comment}", note.display())),
        "{run:?}"
    );
    assert!(
        warned[1].starts_with(&format!("ws/workspace.ron:1{comment}")),
        "{run:?}"
    );
    assert_unchanged(&before, tmp.path(), &run);

    // fmt rewrites those three, back to the canonical bytes, and no other.
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    // Each formatted file is named; those that held comments say so.
    let mut formatted: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.strip_prefix("formatted ").unwrap_or(l))
        .map(|l| l.split(" (its comments").next().unwrap_or(l))
        .collect();
    formatted.sort();
    assert_eq!(formatted, want, "{run:?}");
    assert_eq!(files(&root), canonical);
    let after = snapshot(tmp.path());
    let mut rewritten: Vec<String> = changes(&before, &after)
        .into_iter()
        .filter(|c| c.ends_with(".ron content changed"))
        .collect();
    rewritten.sort();
    assert_eq!(rewritten.len(), 3, "{rewritten:?}");
    for (p, e) in &before {
        let untouched =
            p.extension().is_some_and(|x| x == "ron") && !off.iter().any(|o| Path::new(o) == p);
        if untouched {
            assert!(after[p] == *e, "{} was rewritten", p.display());
        }
    }

    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.stdout, "ws: already canonical\n", "{run:?}");
}

#[test]
fn fmt_check_and_fmt_agree_on_a_hand_written_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    let original = files(&root);
    let before = snapshot(tmp.path());

    let check = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(check.code, Some(1), "{check:?}");
    assert_unchanged(&before, tmp.path(), &check);
    let fmt = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");

    let listed: Vec<&str> = check
        .stdout
        .lines()
        .map(|l| l.strip_prefix("not canonical: ws/").unwrap())
        .collect();
    let formatted: Vec<&str> = fmt
        .stdout
        .lines()
        .map(|l| l.strip_prefix("formatted ws/").unwrap())
        .collect();
    let now = files(&root);
    let changed: Vec<String> = original
        .iter()
        .filter(|(p, b)| now.get(*p) != Some(*b))
        .map(|(p, _)| p.display().to_string())
        .collect();
    let sorted = |v: Vec<&str>| {
        let mut v: Vec<String> = v.into_iter().map(String::from).collect();
        v.sort();
        v
    };
    assert!(!changed.is_empty());
    assert_eq!(sorted(listed), changed, "{check:?}");
    assert_eq!(sorted(formatted), changed, "{fmt:?}");

    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(
        check.stdout.contains("1 note, 1 opportunity, 1 metric"),
        "{check:?}"
    );
    assert_eq!(
        valuemap(tmp.path(), &["fmt", "--check", "ws"]).code,
        Some(0)
    );
}

#[test]
fn fmt_never_touches_a_workspace_that_fails_to_load() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    // workspace.ron is valid but not canonical: fmt would rewrite it if the
    // whole workspace loaded. A later file is broken, so it must not.
    write_fixture(&root);
    edit(
        &root.join(NOTE_FILE),
        "interviewee: \"Sam\",",
        "interviewee: \"Sam\"",
    );
    let before = snapshot(tmp.path());
    for args in [
        ["fmt", "ws"].as_slice(),
        &["fmt", "--check", "ws"],
        &["check", "ws"],
    ] {
        let run = valuemap(tmp.path(), args);
        assert_eq!(run.code, Some(1), "{args:?}: {run:?}");
        assert!(
            run.stderr
                .starts_with("valuemap: ws/notes/2026-01-02-note11.ron:5:5: Expected comma"),
            "{args:?}: {run:?}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        assert_unchanged(&before, tmp.path(), &run);
    }
}

#[test]
fn a_byte_order_mark_is_read_and_dropped_by_fmt() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", None);
    let path = root.join("workspace.ron");
    let canonical = fs::read(&path).unwrap();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(&canonical);
    fs::write(&path, &with_bom).unwrap();

    let run = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("ws: 0 error(s)"), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");

    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stdout, "not canonical: ws/workspace.ron\n");
    assert_eq!(fs::read(&path).unwrap(), with_bom);

    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(fs::read(&path).unwrap(), canonical);
}

#[test]
fn a_five_megabyte_name_is_fine() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", Some("empty"));
    let unit = "Große Plattform 🚀 ";
    let name = unit.repeat(5_000_000 / unit.len());
    assert!(name.len() > 4_990_000);
    edit(
        &root.join("workspace.ron"),
        "name: \"New product\"",
        &format!("name: \"{name}\""),
    );
    let started = Instant::now();
    let run = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("ws: 0 error(s)"), "{run:?}");

    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let text = fs::read_to_string(root.join("workspace.ron")).unwrap();
    let check = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(text.contains(&format!("name: \"{name}\",")), "name lost");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

// ---- regressions ----

/// `fmt --check` accepts a workspace without opportunities.ron / metrics.ron,
/// but `fmt` then creates both files: --check passing must mean fmt is a no-op.
#[test]
fn fmt_check_passing_means_fmt_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", Some("empty"));
    // The empty template needs neither file; make sure neither is there.
    let _ = fs::remove_file(root.join("opportunities.ron"));
    let _ = fs::remove_file(root.join("metrics.ron"));
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);
}

/// Opening a workspace removes stale temporary files before it knows the
/// workspace loads, so `fmt` (and `check`) on a broken workspace deletes files.
#[test]
fn a_workspace_that_fails_to_load_keeps_its_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    fs::write(
        root.join("workspace.ron"),
        "(\n    version: 1,\n    name: \"x\"\n    oops\n)\n",
    )
    .unwrap();
    let stale = root.join(".valuemap-abc123.tmp");
    fs::write(&stale, "half a save").unwrap();
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);
}

// ---- private folders whatever the umask; leftovers of killed runs ----

#[cfg(unix)]
fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn folders_made_for_a_new_workspace_are_0700_under_umask_000() {
    let tmp = tempfile::tempdir().unwrap();
    // As the default workspace lands in the XDG data home: every folder
    // on the way is made by valuemap.
    let run = output(
        command_with_umask(tmp.path(), "000", &["new", "xdg/data/valuemap/default"]),
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    for p in [
        "xdg",
        "xdg/data",
        "xdg/data/valuemap",
        "xdg/data/valuemap/default",
    ] {
        assert_eq!(mode_of(&tmp.path().join(p)), 0o700, "{p}");
    }
    let root = tmp.path().join("xdg/data/valuemap/default");
    for p in files(&root).keys() {
        assert_eq!(mode_of(&root.join(p)), 0o600, "{}", p.display());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_default_workspace_and_its_xdg_folders_are_0700_under_umask_000() {
    let tmp = tempfile::tempdir().unwrap();
    // No terminal (a new session has none): the interface cannot start,
    // but the default workspace is made first.
    let mut c = std::process::Command::new("setsid");
    c.arg("-w")
        .arg("sh")
        .arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(BIN)
        .current_dir(tmp.path())
        .env("HOME", tmp.path().join("home"))
        .env("XDG_DATA_HOME", tmp.path().join("home/.local/share"))
        .env("XDG_STATE_HOME", tmp.path().join("home/.local/state"))
        .env("XDG_CONFIG_HOME", tmp.path().join("home/.config"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let Ok(child) = c.spawn() else {
        eprintln!("skipped: no setsid(1) here");
        return;
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("created the default workspace"), "{stderr}");
    for p in [
        "home",
        "home/.local",
        "home/.local/share",
        "home/.local/share/valuemap",
        "home/.local/share/valuemap/default",
        "home/.local/share/valuemap/default/notes",
    ] {
        assert_eq!(mode_of(&tmp.path().join(p)), 0o700, "{p}");
    }
}

#[cfg(unix)]
#[test]
fn a_killed_new_leaves_a_staging_folder_that_the_next_one_removes() {
    let tmp = tempfile::tempdir().unwrap();
    // What a `valuemap new ws` killed part way leaves beside its target.
    let dead = tmp.path().join(".valuemap-new-ws-Ab12Cd");
    fs::create_dir_all(dead.join("notes")).unwrap();
    fs::write(dead.join("notes/2026-01-01-x.ron"), "an interview").unwrap();
    // One being written right now (its run holds a lock on it) stays.
    let live = tmp.path().join(".valuemap-new-other-Ef34Gh");
    fs::create_dir(&live).unwrap();
    let fd = rustix::fs::open(
        &live,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
        rustix::fs::Mode::empty(),
    )
    .unwrap();
    rustix::fs::flock(&fd, rustix::fs::FlockOperation::LockExclusive).unwrap();
    new_workspace(tmp.path(), "ws", Some("empty"));
    assert!(!dead.exists(), "the dead staging folder is removed");
    assert!(live.exists(), "a staging folder in use is not");
    drop(fd);
}

/// The identity of a file as the journal of a save records it:
/// `(ino: N, len: N)`.
#[cfg(unix)]
fn ident(p: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let m = fs::symlink_metadata(p).unwrap();
    format!("(ino: {}, len: {})", m.ino(), m.len())
}

#[cfg(unix)]
#[test]
fn check_finishes_a_save_a_crash_interrupted_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path(), "ws", None);
    // A save of two files, killed after its first rename: workspace.ron is
    // new, an opportunity's file still old with its new content waiting.
    let opp_file = fs::read_dir(root.join("opportunities"))
        .unwrap()
        .flatten()
        .map(|e| format!("opportunities/{}", e.file_name().to_string_lossy()))
        .min()
        .unwrap();
    let ws_text = fs::read_to_string(root.join("workspace.ron")).unwrap();
    let opp_text = fs::read_to_string(root.join(&opp_file)).unwrap();
    let new_ws = ws_text.replace("name: \"Kubernetes platform\"", "name: \"Renamed\"");
    let new_opp = opp_text.replacen("title: \"", "title: \"Renamed: ", 1);
    assert!(new_ws != ws_text && new_opp != opp_text);
    let mut ops = Vec::new();
    for (i, (file, text)) in [("workspace.ron", &new_ws), (opp_file.as_str(), &new_opp)]
        .into_iter()
        .enumerate()
    {
        let dir = Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(|d| d.display().to_string() + "/")
            .unwrap_or_default();
        let (temp, backup) = (
            format!("{dir}.valuemap-t{i}.tmp"),
            format!("{dir}.valuemap-b{i}.tmp"),
        );
        fs::write(root.join(&temp), text).unwrap();
        let old = ident(&root.join(file));
        fs::hard_link(root.join(file), root.join(&backup)).unwrap();
        ops.push(format!(
            "(target: {file:?}, temp: {temp:?}, backup: {backup:?}, old: {old}, new: {})",
            ident(&root.join(&temp))
        ));
    }
    fs::write(
        root.join(".valuemap-journal"),
        format!("(version: 1, ops: [{}])\n", ops.join(", ")),
    )
    .unwrap();
    fs::rename(root.join(".valuemap-t0.tmp"), root.join("workspace.ron")).unwrap();

    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .contains("ws: a save of 2 files was interrupted; it is now finished"),
        "{run:?}"
    );
    assert_eq!(
        fs::read_to_string(root.join("workspace.ron")).unwrap(),
        new_ws
    );
    assert_eq!(fs::read_to_string(root.join(&opp_file)).unwrap(), new_opp);
    let hidden: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert!(!run.stdout.contains("interrupted"), "said once: {run:?}");
}

#[test]
fn check_and_fmt_say_that_comments_are_not_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    // A comment in the workspace file (line 4), one in a note after a URL
    // and a `//` inside its strings, none in the others (only `//` in a
    // string and a raw string).
    edit(
        &root.join("workspace.ron"),
        "    phases: [",
        "    // The lifecycle, as the platform team sees it.\n    /* more */ phases: [",
    );
    edit(
        &root.join(NOTE_FILE),
        "    title: \"Call\",",
        "    title: \"Call about https://wiki/x // y\",\n    tags: [r#\"a//b\"#], /* who said it\n    */",
    );
    edit(
        &root.join(METRIC_FILE),
        "unit: \"hours\",",
        "unit: \"hours // wall clock\",",
    );
    edit(
        &root.join(OPP_FILE),
        "title: \"Self-service clusters\",",
        "title: r#\"Self-service /* clusters */\"#,",
    );
    let comment_lines = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.contains("comments are not kept"))
            .map(String::from)
            .collect()
    };
    let want = [
        "ws/workspace.ron:4: warning: comments are not kept: saving this file (or `valuemap fmt`) removes them".to_string(),
        format!("ws/{NOTE_FILE}:8: warning: comments are not kept: saving this file (or `valuemap fmt`) removes them"),
    ];

    let before = snapshot(tmp.path());
    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    // Comments are a warning: the workspace is valid.
    assert_eq!(check.code, Some(0), "{check:?}");
    assert_eq!(comment_lines(&check.stdout), want, "{check:?}");
    assert!(
        check.stdout.contains("0 error(s), 2 warning(s)"),
        "{check:?}"
    );
    assert_unchanged(&before, tmp.path(), &check);

    let fmt_check = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt_check.code, Some(1), "{fmt_check:?}");
    assert_eq!(comment_lines(&fmt_check.stdout), want, "{fmt_check:?}");
    assert_unchanged(&before, tmp.path(), &fmt_check);

    let github = valuemap(tmp.path(), &["check", "ws", "--format", "github"]);
    assert!(
        github.stdout.contains(
            "::warning file=ws/workspace.ron,line=4,title=valuemap check::comments are not kept"
        ),
        "{github:?}"
    );

    // fmt removes them, and says so; after it nothing is left to warn about.
    let fmt = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
    assert!(
        fmt.stdout.contains(
            "formatted ws/workspace.ron (its comments, from line 4, were removed: comments are not kept)"
        ),
        "{fmt:?}"
    );
    let text = fs::read_to_string(root.join(NOTE_FILE)).unwrap();
    assert!(text.contains("https://wiki/x // y"), "{text}");
    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert!(comment_lines(&check.stdout).is_empty(), "{check:?}");
}

// ---- format version 1: every opportunity in one file, every metric in one ----

const V1_OPPORTUNITIES: &str = r#"(
    opportunities: [
        (
            id: "opp111",
            title: "Self-service clusters",
            kind: Pain,
            activities: ["act111"],
            personas: ["pers11"],
            evidence: [(note: "note11", quote: "two days")],
        ),
    ],
)
"#;

const V1_METRICS: &str = r#"(
    metrics: [
        (
            id: "met111",
            name: "Lead time",
            kind: Quantitative,
            activity: "act111",
            observations: [(date: "2026-01-10", value: 30.0)],
        ),
    ],
)
"#;

/// A version-1 folder is read as it is (checking it changes nothing), and
/// `fmt` writes it in the new layout: one file per opportunity and metric,
/// the lists removed, `workspace.ron` at the current version.
#[test]
fn a_version_1_workspace_is_read_and_migrated_by_its_next_save() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(
        root.join("workspace.ron"),
        WORKSPACE.replace("version: 3", "version: 1"),
    )
    .unwrap();
    fs::write(root.join("opportunities.ron"), V1_OPPORTUNITIES).unwrap();
    fs::write(root.join("metrics.ron"), V1_METRICS).unwrap();
    fs::write(root.join(NOTE_FILE), NOTE).unwrap();
    let before = snapshot(tmp.path());

    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("format version 1"), "{run:?}");
    assert!(run.stdout.contains("1 opportunity, 1 metric"), "{run:?}");
    assert_unchanged(&before, tmp.path(), &run);

    let run = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    for f in [
        "ws/opportunities.ron",
        "ws/opportunities/opp111.ron",
        "ws/metrics/met111.ron",
    ] {
        assert!(run.stdout.contains(f), "{f}\n{run:?}");
    }
    assert_unchanged(&before, tmp.path(), &run);

    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!root.join("opportunities.ron").exists());
    assert!(!root.join("metrics.ron").exists());
    let opp = fs::read_to_string(root.join(OPP_FILE)).unwrap();
    assert!(
        opp.starts_with("(\n    opportunity: (\n        id: \"opp111\","),
        "{opp}"
    );
    assert!(
        fs::read_to_string(root.join(METRIC_FILE))
            .unwrap()
            .contains("name: \"Lead time\"")
    );
    assert!(
        fs::read_to_string(root.join("workspace.ron"))
            .unwrap()
            .contains("version: 3,")
    );
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    assert!(run.stdout.contains("1 opportunity, 1 metric"), "{run:?}");
    let migrated = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_unchanged(&migrated, tmp.path(), &run);
}

/// A version-1 list and a file of the new layout holding the same
/// opportunity (a half-merged branch) is refused, naming both.
#[test]
fn one_opportunity_in_both_layouts_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write_fixture(&root);
    fs::write(root.join("opportunities.ron"), V1_OPPORTUNITIES).unwrap();
    let before = snapshot(tmp.path());
    let run = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("ws/opportunities.ron")
            && run.stderr.contains("ws/opportunities/opp111.ron")
            && run.stderr.contains("opportunity opp111"),
        "{run:?}"
    );
    assert_unchanged(&before, tmp.path(), &run);
}
