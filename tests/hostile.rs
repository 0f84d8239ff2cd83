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
        // diff decides what a folder is before loading it, and for a
        // workspace.ron that is not a file says there is none.
        let named = if args[0] == "diff" && file == "workspace.ron" {
            run.stderr.contains(file)
        } else {
            run.stderr.contains(file) && run.stderr.contains(says)
        };
        assert!(
            named,
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
