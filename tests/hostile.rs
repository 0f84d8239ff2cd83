//! Hostile files: a FIFO, a device, a socket, a folder, a link out of the
//! workspace (to `/dev/zero`, `/dev/urandom`, `/etc/passwd`) or an oversized
//! file where a workspace file should be. Every command runs on each, as
//! the real binary, under a time limit: none may block, read without end,
//! panic or write through a link. A workspace file that is not a regular
//! file is refused by name; a note entry that is not one is skipped with a
//! warning naming it (and `forget` refuses, since it cannot know what such
//! an entry holds).
//!
//! Unix only: FIFOs, devices and sockets.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_valuemap");
/// No command needs more than a second here; one that takes this long is
/// blocked.
const LIMIT: Duration = Duration::from_secs(30);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `valuemap ARGS` in `cwd`; fails the test if it runs past [`LIMIT`]
/// (then it is killed), panics or dies by a signal.
fn valuemap(cwd: &Path, args: &[&str]) -> Run {
    let out_path = cwd.join(".out");
    let err_path = cwd.join(".err");
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd.join("no-such-home"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", cwd.parent().unwrap_or(cwd))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        // Its own process group, so a blocked run is ended with whatever it
        // started (git, say).
        .process_group(0)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > LIMIT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            child.kill().ok();
            child.wait().unwrap();
            panic!(
                "`valuemap {}` still ran after {LIMIT:?}: it blocks",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run {
        code: status.code(),
        stdout: fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: fs::read_to_string(&err_path).unwrap_or_default(),
    };
    let _ = fs::remove_file(out_path);
    let _ = fs::remove_file(err_path);
    assert!(
        run.code.is_some(),
        "`valuemap {}` died by a signal",
        args.join(" ")
    );
    assert!(
        !run.stderr.contains("panicked"),
        "`valuemap {}` panicked:\n{}",
        args.join(" "),
        run.stderr
    );
    run
}

fn mkfifo(p: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        p,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
}

/// A scratch folder holding `ws` (from the template), a clean copy `clean`
/// to compare with, and a Markdown note to import.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let run = valuemap(dir.path(), &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    let run = valuemap(dir.path(), &["new", "clean"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    fs::create_dir(dir.path().join("md")).unwrap();
    fs::write(
        dir.path().join("md/call.md"),
        "---\ninterviewee: Imported Person\npersona: Platform developer\nactivities: Create a cluster\ndate: 2026-11-02\n---\nA call\n! it hurts\n",
    )
    .unwrap();
    let ws = dir.path().join("ws");
    (dir, ws)
}

/// Every command, as run on `ws` in the scratch folder.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["check", "ws"],
        vec!["fmt", "--check", "ws"],
        vec!["fmt", "ws"],
        vec!["export", "ws", "-f", "md", "-o", "out.md"],
        vec!["export", "ws", "-f", "csv", "-o", "csv-out"],
        vec!["export", "ws", "-f", "json"],
        vec!["export", "ws", "-f", "html", "-o", "out.html"],
        vec!["import", "ws", "--from", "md", "md"],
        vec!["forget", "ws", "-i", "Priya", "--dry-run"],
        vec!["forget", "ws", "-i", "Priya"],
        vec!["diff", "clean", "ws"],
        vec![
            "note",
            "add",
            "ws",
            "-p",
            "Platform developer",
            "-a",
            "Create a cluster",
            "A note\n! a pain",
            "--accept",
        ],
        vec!["metric", "observe", "ws", "Uptime", "99.9"],
    ]
}

/// A workspace file replaced by something hostile: every command that
/// reads the workspace refuses, naming the file and what it is, quickly.
fn refused_everywhere(make: impl Fn(&Path), file: &str, says: &str) {
    let (dir, ws) = scratch();
    make(&ws.join(file));
    for args in commands() {
        let run = valuemap(dir.path(), &args);
        assert_eq!(
            run.code,
            Some(1),
            "`valuemap {}` on {file} ({says}):\n{}",
            args.join(" "),
            run.both()
        );
        assert!(
            run.stderr.contains(file) && run.stderr.contains(says),
            "`valuemap {}` does not say that {file} is {says}:\n{}",
            args.join(" "),
            run.stderr
        );
    }
}

/// An entry of `notes/` that is not a note file: every command goes on
/// without it and says so (check counts it as a warning); forget refuses.
fn skipped_everywhere(make: impl Fn(&Path), says: &str) {
    let (dir, ws) = scratch();
    let name = "notes/2026-01-01-odd123.ron";
    make(&ws.join(name));
    for args in commands() {
        let run = valuemap(dir.path(), &args);
        let want = if args[0] == "forget" && !args.contains(&"--dry-run") {
            1
        } else {
            0
        };
        assert_eq!(
            run.code,
            Some(want),
            "`valuemap {}` with {name} ({says}):\n{}",
            args.join(" "),
            run.both()
        );
        // diff compares what loads; the others name the entry.
        if args[0] != "diff" {
            assert!(
                run.both().contains(name) && run.both().contains(says),
                "`valuemap {}` does not name {name} ({says}):\n{}",
                args.join(" "),
                run.both()
            );
        }
    }
    let run = valuemap(dir.path(), &["check", "ws", "--no-coverage"]);
    assert!(
        run.stdout.contains(&format!("ws/{name}: warning:")),
        "{}",
        run.stdout
    );
}

/// The folders of one entity per file treat an entry that is not a file as
/// `notes/` does: never opened, said, and counted as a warning.
#[test]
fn a_fifo_among_the_opportunities_is_skipped_and_said() {
    let (dir, ws) = scratch();
    let name = "opportunities/odd123.ron";
    mkfifo(&ws.join(name));
    let run = valuemap(dir.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(
        run.stdout.contains(&format!(
            "ws/{name}: warning: a named pipe (FIFO), not a file, so it is not read as an opportunity"
        )),
        "{}",
        run.stdout
    );
    let run = valuemap(dir.path(), &["fmt", "ws"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(
        fs::symlink_metadata(ws.join(name))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_fifo_as_workspace_ron_is_refused_by_every_command() {
    refused_everywhere(
        |p| {
            fs::remove_file(p).unwrap();
            mkfifo(p);
        },
        "workspace.ron",
        "named pipe (FIFO)",
    );
}

#[test]
fn a_link_to_dev_zero_is_refused_by_every_command() {
    // Format version 1's list of opportunities, which is still read.
    refused_everywhere(
        |p| {
            symlink("/dev/zero", p).unwrap();
        },
        "opportunities.ron",
        "symbolic link to /dev/zero, outside the workspace",
    );
}

#[test]
fn a_link_to_dev_urandom_is_refused_by_every_command() {
    refused_everywhere(
        |p| {
            fs::remove_file(p).unwrap();
            symlink("/dev/urandom", p).unwrap();
        },
        "workspace.ron",
        "symbolic link to /dev/urandom, outside the workspace",
    );
}

#[test]
fn a_device_node_is_refused_by_every_command() {
    let probe = tempfile::tempdir().unwrap();
    let made = rustix::fs::mknodat(
        rustix::fs::CWD,
        probe.path().join("dev"),
        rustix::fs::FileType::CharacterDevice,
        rustix::fs::Mode::from_raw_mode(0o600),
        rustix::fs::makedev(1, 3),
    );
    if made.is_err() {
        eprintln!("skipped: making a device node needs privileges this run does not have");
        return;
    }
    refused_everywhere(
        |p| {
            fs::remove_file(p).unwrap();
            // The null device (1, 3): reading it would end at once, but it
            // is still not a file valuemap reads.
            rustix::fs::mknodat(
                rustix::fs::CWD,
                p,
                rustix::fs::FileType::CharacterDevice,
                rustix::fs::Mode::from_raw_mode(0o600),
                rustix::fs::makedev(1, 3),
            )
            .unwrap();
        },
        "workspace.ron",
        "character device",
    );
}

#[test]
fn an_oversized_file_is_refused_by_every_command() {
    refused_everywhere(
        |p| {
            // Sparse: it claims 64 MiB and a byte without taking the space.
            let f = fs::OpenOptions::new().write(true).open(p).unwrap();
            f.set_len(valuemap::store::read::MAX_FILE_LEN + 1).unwrap();
        },
        "opportunities/52cdsh.ron",
        "more than the 64 MiB valuemap reads from one file",
    );
}

#[test]
fn a_notes_folder_linked_out_of_the_workspace_is_refused() {
    refused_everywhere(
        |p| {
            let outside = p.parent().unwrap().parent().unwrap().join("elsewhere");
            fs::rename(p, &outside).unwrap();
            symlink(&outside, p).unwrap();
        },
        "notes",
        "outside the workspace",
    );
}

#[test]
fn a_note_that_is_a_folder_is_skipped_with_a_warning() {
    skipped_everywhere(|p| fs::create_dir(p).unwrap(), "a folder, not a file");
}

#[test]
fn a_note_that_is_a_fifo_is_skipped_with_a_warning() {
    skipped_everywhere(mkfifo, "a named pipe (FIFO), not a file");
}

#[test]
fn a_note_that_is_a_socket_is_skipped_with_a_warning() {
    skipped_everywhere(
        |p| {
            // The listener goes away; the socket file stays.
            std::os::unix::net::UnixListener::bind(p).unwrap();
        },
        "a socket, not a file",
    );
}

#[test]
fn a_note_linked_out_of_the_workspace_is_skipped_with_a_warning() {
    skipped_everywhere(
        |p| symlink("/etc/passwd", p).unwrap(),
        "a symbolic link to /etc/passwd, outside the workspace",
    );
}

#[test]
fn a_note_linked_to_dev_zero_is_skipped_with_a_warning() {
    skipped_everywhere(
        |p| symlink("/dev/zero", p).unwrap(),
        "a symbolic link to /dev/zero, outside the workspace",
    );
}

/// A git repository holding the scratch workspace.
fn git_init(dir: &Path) -> bool {
    let ok = Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: git is not available");
    }
    ok
}

#[test]
fn git_setup_never_writes_through_a_linked_gitattributes() {
    let (dir, ws) = scratch();
    if !git_init(dir.path()) {
        return;
    }
    let target = dir.path().join("shared-attributes");
    fs::write(&target, "* text=auto\n").unwrap();
    symlink(&target, ws.join(".gitattributes")).unwrap();
    let run = valuemap(dir.path(), &["git-setup", "ws"]);
    assert_eq!(run.code, Some(1), "{}", run.both());
    assert!(
        run.stderr.contains("symbolic link") && run.stderr.contains("merge=valuemap"),
        "says what to add, and where: {}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "* text=auto\n");
    assert!(
        fs::symlink_metadata(ws.join(".gitattributes"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // check's hint reads it without following it anywhere either.
    let run = valuemap(dir.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
}

#[test]
fn a_fifo_as_gitattributes_never_blocks() {
    let (dir, ws) = scratch();
    if !git_init(dir.path()) {
        return;
    }
    mkfifo(&ws.join(".gitattributes"));
    let run = valuemap(dir.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    let run = valuemap(dir.path(), &["git-setup", "ws"]);
    assert_eq!(run.code, Some(1), "{}", run.both());
    assert!(run.stderr.contains("named pipe (FIFO)"), "{}", run.stderr);
}

#[test]
fn the_merge_driver_refuses_a_fifo_instead_of_blocking() {
    let (dir, ws) = scratch();
    let fifo = dir.path().join("theirs");
    mkfifo(&fifo);
    let ours = dir.path().join("ours");
    fs::copy(ws.join("opportunities/52cdsh.ron"), &ours).unwrap();
    let before = fs::read(&ours).unwrap();
    let run = valuemap(
        dir.path(),
        &[
            "merge-driver",
            "ours",
            "ours",
            "theirs",
            "opportunities/52cdsh.ron",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.both());
    assert!(run.stderr.contains("named pipe (FIFO)"), "{}", run.stderr);
    // git's own line merge is left to do its part; nothing is lost.
    assert!(!fs::read(&ours).unwrap().is_empty() || before.is_empty());
}

// ---- what valuemap reads besides the workspace's own files ----

/// Makes a sparse file that claims `len` bytes without taking the space.
fn sparse(p: &Path, len: u64) {
    fs::File::create(p).unwrap().set_len(len).unwrap();
}

/// Every regular file under `dir` with its bytes (FIFOs and the like left
/// out: they are not read).
fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                todo.push(e.path());
            } else if t.is_file() {
                out.insert(e.path(), fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// A source the user names (a file to import, a batch of observations, a
/// file git hands to textconv) that is a FIFO, a device or larger than
/// the bound: refused at once, by name and with what it is; nothing is
/// written.
#[test]
fn hostile_sources_are_refused_by_name_and_nothing_blocks() {
    use valuemap::store::read::{MAX_FILE_LEN, MAX_SOURCE_LEN};
    let (dir, ws) = scratch();
    mkfifo(&dir.path().join("pipe"));
    mkfifo(&dir.path().join("pipe.md"));
    sparse(&dir.path().join("big.json"), MAX_SOURCE_LEN + 1);
    sparse(&dir.path().join("big.csv"), MAX_SOURCE_LEN + 1);
    sparse(&dir.path().join("big.md"), MAX_SOURCE_LEN + 1);
    sparse(&dir.path().join("big.ron"), MAX_FILE_LEN + 1);
    let fifo = "pipe is a named pipe (FIFO), not a regular file; not read";
    let big = "more than the 512 MiB valuemap reads from one file";
    let cases: &[(&[&str], &str)] = &[
        (&["import", "ws", "--from", "json", "pipe", "--apply"], fifo),
        (&["import", "ws", "--from", "csv", "pipe", "--apply"], fifo),
        (
            &["import", "ws", "--from", "md", "pipe.md", "--apply"],
            "pipe.md is a named pipe (FIFO)",
        ),
        (
            &["import", "ws", "--from", "md", "/dev/zero", "--apply"],
            "/dev/zero is a character device",
        ),
        (
            &["import", "ws", "--from", "json", "big.json", "--apply"],
            big,
        ),
        (
            &["import", "ws", "--from", "csv", "big.csv", "--apply"],
            big,
        ),
        (&["import", "ws", "--from", "md", "big.md", "--apply"], big),
        (&["metric", "observe", "ws", "--from", "pipe"], fifo),
        (
            &["metric", "observe", "ws", "--from", "/dev/urandom"],
            "/dev/urandom is a character device",
        ),
        (&["metric", "observe", "ws", "--from", "big.csv"], big),
        (&["diff", "--textconv", "pipe"], fifo),
        (
            &["diff", "--textconv", "/dev/zero"],
            "/dev/zero is a character device",
        ),
        (&["diff", "--textconv", "big.ron"], "more than the 64 MiB"),
    ];
    let before = files(&ws);
    for (args, says) in cases {
        let run = valuemap(dir.path(), args);
        assert_eq!(
            run.code,
            Some(1),
            "`valuemap {}`:\n{}",
            args.join(" "),
            run.both()
        );
        assert!(
            run.stderr.contains(says),
            "`valuemap {}` does not say {says:?}:\n{}",
            args.join(" "),
            run.stderr
        );
        assert_eq!(files(&ws), before, "`valuemap {}` wrote", args.join(" "));
    }
}

/// A folder of Markdown notes with a FIFO among them: the import goes on
/// without it and says so.
#[test]
fn a_fifo_among_markdown_notes_is_left_out_with_a_notice() {
    let (dir, _ws) = scratch();
    mkfifo(&dir.path().join("md/stuck.md"));
    let run = valuemap(
        dir.path(),
        &["import", "ws", "--from", "md", "md", "--apply"],
    );
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(
        run.stdout
            .contains("md/stuck.md: a named pipe (FIFO), not a file; left out"),
        "{}",
        run.both()
    );
    assert!(run.stdout.contains("created 1 note"), "{}", run.both());
}

/// The files of the workspace folder that the store does not load itself
/// (`policy.ron` for `check --policy`, `config.ron` for `sync-delivery`):
/// a FIFO or a link out of the workspace is refused by name.
#[test]
fn policy_and_config_files_are_read_like_workspace_files() {
    for (file, args) in [
        ("policy.ron", &["check", "ws", "--policy"][..]),
        ("config.ron", &["sync-delivery", "ws"][..]),
    ] {
        for (make, says) in [
            (
                Box::new(|p: &Path| mkfifo(p)) as Box<dyn Fn(&Path)>,
                "a named pipe (FIFO), not a regular file",
            ),
            (
                Box::new(|p: &Path| symlink("/etc/passwd", p).unwrap()),
                "a symbolic link to /etc/passwd, outside the workspace",
            ),
            (
                Box::new(|p: &Path| sparse(p, valuemap::store::read::MAX_FILE_LEN + 1)),
                "more than the 64 MiB",
            ),
        ] {
            let (dir, ws) = scratch();
            let p = ws.join(file);
            let _ = fs::remove_file(&p);
            make(&p);
            let run = valuemap(dir.path(), args);
            assert_eq!(run.code, Some(1), "{file}: {}", run.both());
            // check reports on standard output, sync-delivery on error.
            assert!(
                run.both().contains(file) && run.both().contains(says),
                "`valuemap {}` with {file} ({says}):\n{}",
                args.join(" "),
                run.both()
            );
        }
    }
}

/// The recovery file and the capture draft (in the XDG state home) that
/// `forget` scrubs: a FIFO in their place is never waited on, and forget
/// says that the recovery file could not be read.
#[test]
fn forget_never_waits_on_a_fifo_in_the_state_folder() {
    let (dir, ws) = scratch();
    // HOME is <dir>/no-such-home in these runs, with no XDG_STATE_HOME.
    let name = valuemap::store::recovery::path_for(&ws).unwrap();
    let state = dir
        .path()
        .join("no-such-home/.local/state/valuemap/recovery");
    fs::create_dir_all(&state).unwrap();
    let recovery = state.join(name.file_name().unwrap());
    mkfifo(&recovery);
    mkfifo(&valuemap::store::draft::path_for(&recovery));
    let run = valuemap(dir.path(), &["forget", "ws", "-i", "Priya"]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(
        run.stdout
            .contains("unsaved work kept for recovery could not be read")
            && run.stdout.contains("named pipe (FIFO)"),
        "{}",
        run.both()
    );
}

/// What the interface reads outside the workspace: `keys.ron` and
/// `config.ron` in the config folder, the recovery file and the capture
/// draft in the state folder. A FIFO there is refused at once (the call
/// runs on a thread and must come back), an oversized recovery file too.
#[test]
fn the_interfaces_own_files_are_read_safely() {
    use valuemap::store::{draft::Draft, recovery::Recovery};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for name in ["keys.ron", "config.ron", "r.ron", "r.draft.ron"] {
            mkfifo(&root.join(name));
        }
        let (_, keys) = valuemap::tui::keymap::KeyMap::load(Some(&root));
        let (_, config) = valuemap::tui::load_config(Some(&root));
        let recovery = Recovery::read(&root.join("r.ron")).map(|r| r.map(|_| ()));
        let draft = Draft::read(&root.join("r.draft.ron"));
        sparse(
            &root.join("big.ron"),
            valuemap::store::read::MAX_SOURCE_LEN + 1,
        );
        let big = Recovery::read(&root.join("big.ron")).map(|r| r.map(|_| ()));
        let _ = tx.send((keys, config, recovery, draft.is_none(), big));
    });
    let (keys, config, recovery, no_draft, big) = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("reading the interface's files blocks");
    for (what, msg) in [("keys.ron", keys), ("config.ron", config)] {
        let msg = msg.unwrap_or_default();
        assert!(
            msg.contains(what)
                && msg.contains("named pipe (FIFO)")
                && msg.contains("using the default"),
            "{what}: {msg}"
        );
    }
    let e = recovery.unwrap().unwrap_err();
    assert!(e.contains("r.ron is a named pipe (FIFO)"), "{e}");
    assert!(no_draft, "a FIFO is no draft");
    let e = big.unwrap().unwrap_err();
    assert!(e.contains("more than the 512 MiB"), "{e}");
}
