//! End-to-end tests: the real binary in a real terminal.
//!
//! Each test starts its own tmux server (`tmux -S <tempdir>/tmux.sock`, no
//! config file), runs `valuemap` in a detached session through a small shell
//! wrapper, drives it with `send-keys` and reads it with `capture-pane`. The
//! wrapper records the exit status in a file and then prints it, with whether
//! the tty is back in cooked mode, on the (by then normal) screen.
//!
//! Every run gets its own HOME and XDG folders under the test's temporary
//! folder, so nothing reads or touches the user's files or tmux server. The
//! server is killed when the test ends, also when it fails.
//!
//! Nothing here sleeps blindly: every step polls the screen (or a file, or
//! `/proc`) until what it waits for is there, with a generous time limit and
//! the last screen in the failure message.
//!
//! Without tmux on PATH the tests print "skipped: tmux not installed" and
//! pass, unless `VALUEMAP_REQUIRE_TMUX=1` is set: then they fail.
//!
//! Linux only: the tests check the XDG locations and find processes in
//! `/proc`.

#![cfg(target_os = "linux")]

use std::cell::Cell;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_valuemap");

/// How long any one thing may take to show up.
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(40);
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// Text the map of the kubernetes-platform template always shows.
const MAP_PERSONA: &str = "Platform developer";
const MAP_ACTIVITY: &str = "Create a cluster";

// ---- tmux available? ----

/// Whether the test should run: `false` (after a notice) when tmux is not
/// installed, a failure instead when `VALUEMAP_REQUIRE_TMUX=1`.
fn tmux_available(test: &str) -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return true;
    }
    if std::env::var("VALUEMAP_REQUIRE_TMUX").is_ok_and(|v| v == "1") {
        panic!("{test}: tmux is not installed, and VALUEMAP_REQUIRE_TMUX=1 requires these tests");
    }
    eprintln!("{test}: skipped: tmux not installed");
    false
}

// ---- small helpers ----

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every file and folder under `dir`, the folder itself first.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let mut entries: Vec<PathBuf> = fs::read_dir(&out[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            out.extend(entries);
        }
        i += 1;
    }
    out
}

/// Every file of the workspace as (path, bytes), to compare before / after.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn assert_private(dir: &Path) {
    for p in walk(dir) {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(
            mode(&p),
            want,
            "{} should be mode {want:o}, is {:o}",
            p.display(),
            mode(&p)
        );
    }
}

fn read_string(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// ---- one tmux server per test ----

/// A private tmux server; killed when dropped, also when the test panics.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .env_remove("TMUX")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"))
    }

    /// Runs a tmux command that must succeed; returns its output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// One test's world: a temporary folder holding HOME, the XDG folders, the
/// tmux socket, the wrapper scripts and exit files, and usually a workspace.
struct Harness {
    // Declared first so it is dropped first: the server goes before its
    // socket's folder.
    tmux: Tmux,
    root: tempfile::TempDir,
    runs: Cell<usize>,
}

/// How to start a run.
struct Launch<'a> {
    args: Vec<&'a str>,
    /// The umask the binary runs under (the files must be private whatever it is).
    umask: &'a str,
    /// Whether the wrapper shell ignores SIGHUP, so it outlives a closed
    /// terminal and can record the exit status. `valuemap` installs its own
    /// SIGHUP handler, so this does not change how it sees the hangup.
    wrapper_ignores_hup: bool,
}

impl<'a> Launch<'a> {
    fn args(args: Vec<&'a str>) -> Launch<'a> {
        Launch {
            args,
            umask: "022",
            wrapper_ignores_hup: false,
        }
    }
}

impl Harness {
    fn new(test: &str) -> Option<Harness> {
        if !tmux_available(test) {
            return None;
        }
        let root = tempfile::Builder::new()
            .prefix("vm-e2e-")
            .tempdir()
            .unwrap();
        for d in ["home", "data", "state", "config"] {
            fs::create_dir(root.path().join(d)).unwrap();
        }
        Some(Harness {
            tmux: Tmux {
                socket: root.path().join("tmux.sock"),
            },
            root,
            runs: Cell::new(0),
        })
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn envs(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.dir("home")),
            ("XDG_DATA_HOME", self.dir("data")),
            ("XDG_STATE_HOME", self.dir("state")),
            ("XDG_CONFIG_HOME", self.dir("config")),
        ]
    }

    /// `valuemap new <root>/ws` from the default template.
    fn new_workspace(&self) -> PathBuf {
        let ws = self.dir("ws");
        let out = Command::new(BIN)
            .arg("new")
            .arg(&ws)
            .envs(self.envs())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "valuemap new failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(ws.join("workspace.ron").is_file());
        ws
    }

    fn recovery_dir(&self) -> PathBuf {
        self.dir("state").join("valuemap").join("recovery")
    }

    /// Every folder valuemap made in the XDG state home is private (`0700`),
    /// not only the last one (the XDG base-directory specification's rule).
    fn assert_state_folders_private(&self) {
        for d in [self.dir("state").join("valuemap"), self.recovery_dir()] {
            assert_eq!(mode(&d), 0o700, "{} should be 0700", d.display());
        }
    }

    fn recovery_files(&self) -> Vec<PathBuf> {
        match fs::read_dir(self.recovery_dir()) {
            Err(_) => Vec::new(),
            Ok(d) => d
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect(),
        }
    }

    /// Starts `valuemap ARGS` in a new 120x40 tmux session, through a
    /// wrapper script that records the exit status (in a file, then on the
    /// screen with the tty mode) and keeps the pane open afterwards.
    fn start(&self, launch: Launch<'_>) -> Run<'_> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let name = format!("vm{n}");
        let exit_file = self.dir(&format!("exit{n}"));
        let script = self.dir(&format!("run{n}.sh"));
        let env: String = self
            .envs()
            .iter()
            .map(|(k, v)| format!("{k}={} ", sh_quote(path_str(v))))
            .collect();
        let args: String = launch
            .args
            .iter()
            .map(|a| format!(" {}", sh_quote(a)))
            .collect();
        let trap = if launch.wrapper_ignores_hup {
            "trap '' HUP\n"
        } else {
            ""
        };
        let exit_q = sh_quote(path_str(&exit_file));
        let text = format!(
            "{trap}umask {umask}\n\
             env {env}{bin}{args}\n\
             code=$?\n\
             echo \"EXIT=$code\" > {exit_q}.tmp && mv {exit_q}.tmp {exit_q}\n\
             if stty -a 2>/dev/null | grep -Eq '(^|[ ;])icanon([ ;]|$)' \
                && stty -a 2>/dev/null | grep -Eq '(^|[ ;])echo([ ;]|$)'; \
             then tty=cooked; else tty=raw; fi\n\
             echo \"EXIT=$code TTY=$tty\"\n\
             if [ -t 1 ]; then exec sleep 60; fi\n",
            umask = launch.umask,
            bin = sh_quote(BIN),
        );
        fs::write(&script, text).unwrap();
        let (w, h) = (WIDTH.to_string(), HEIGHT.to_string());
        self.tmux.ok(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            &w,
            "-y",
            &h,
            "sh",
            path_str(&script),
        ]);
        Run {
            h: self,
            target: name,
            exit_file,
        }
    }
}

/// One run of the binary in one tmux session.
struct Run<'a> {
    h: &'a Harness,
    target: String,
    exit_file: PathBuf,
}

impl Run<'_> {
    fn screen(&self) -> String {
        let out = self.h.tmux.run(&["capture-pane", "-p", "-t", &self.target]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn describe(&self, screen: &str) -> String {
        let exit = fs::read_to_string(&self.exit_file)
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "still running (no exit file)".into());
        format!("process: {exit}\n--- last screen ---\n{screen}\n-------------------")
    }

    /// Polls the screen until `pred` holds; returns that screen.
    fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}\n{}",
                    self.describe(&s)
                );
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Waits for every one of `texts` on one screen: a capture can land
    /// while a frame is being drawn, with part of it new and part old.
    fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?} on screen"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| {
            !s.contains(text)
        })
    }

    /// Named keys (`Enter`, `Escape`, `C-s`, `q`, ...), one `send-keys`.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.target];
        args.extend_from_slice(keys);
        self.h.tmux.ok(&args);
    }

    /// Literal text, typed.
    fn type_text(&self, text: &str) {
        self.h
            .tmux
            .ok(&["send-keys", "-t", &self.target, "-l", text]);
    }

    /// `:` then the command line then Enter.
    fn palette(&self, line: &str) {
        self.keys(&[":"]);
        self.wait_for("╭ Command ");
        self.type_text(line);
        self.wait_for(line);
        self.keys(&["Enter"]);
    }

    fn tmux_format(&self, fmt: &str) -> String {
        self.h
            .tmux
            .ok(&["display-message", "-p", "-t", &self.target, fmt])
            .trim()
            .to_string()
    }

    fn exit_code(&self) -> Option<i32> {
        let s = fs::read_to_string(&self.exit_file).ok()?;
        let code = s.trim().strip_prefix("EXIT=")?;
        Some(code.parse().expect("a number in the exit file"))
    }

    /// Waits for the process to end; returns its exit status.
    fn wait_exit(&self, limit: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(code) = self.exit_code() {
                return code;
            }
            if start.elapsed() > limit {
                let s = self.screen();
                panic!(
                    "valuemap did not exit within {limit:?} (pids: {:?})\n{}",
                    self.pids(),
                    self.describe(&s)
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// The `valuemap` processes of this test: the binary, with this test's
    /// XDG_STATE_HOME in its environment.
    fn pids(&self) -> Vec<u32> {
        let marker = format!("XDG_STATE_HOME={}", path_str(&self.h.dir("state")));
        let mut out = Vec::new();
        for e in fs::read_dir("/proc").unwrap().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(cmdline) = fs::read(e.path().join("cmdline")) else {
                continue;
            };
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            if argv0 != BIN.as_bytes() {
                continue;
            }
            let Ok(environ) = fs::read(e.path().join("environ")) else {
                continue;
            };
            if environ.split(|b| *b == 0).any(|v| v == marker.as_bytes()) {
                out.push(pid);
            }
        }
        out
    }

    fn pid(&self) -> u32 {
        let start = Instant::now();
        loop {
            let pids = self.pids();
            match pids.as_slice() {
                [pid] => return *pid,
                [] if start.elapsed() < TIMEOUT => std::thread::sleep(POLL),
                _ => panic!(
                    "expected one valuemap process, found {pids:?}\n{}",
                    self.describe(&self.screen())
                ),
            }
        }
    }

    fn assert_running(&self, when: &str) {
        let s = self.screen();
        assert!(
            self.exit_code().is_none() && self.pids().len() == 1,
            "valuemap should still be running {when}\n{}",
            self.describe(&s)
        );
    }

    /// After the process ended: the terminal is back as it was (normal
    /// screen, cooked mode, no mouse reporting, cursor shown) and the
    /// wrapper's line with `code` is on it.
    fn assert_restored(&self, code: i32) {
        let line = format!("EXIT={code} TTY=cooked");
        let s = self.wait_until(&format!("{line:?}"), |s| {
            s.contains(&line) || s.contains("TTY=raw")
        });
        assert!(
            s.contains(&line),
            "the tty was left in raw mode\n{}",
            self.describe(&s)
        );
        assert!(
            !s.contains(MAP_PERSONA) && !s.contains("commands  q quit"),
            "the app's screen is still there: the alternate screen was not left\n{}",
            self.describe(&s)
        );
        assert!(
            !s.contains("panicked"),
            "a panic was reported\n{}",
            self.describe(&s)
        );
        let flags = self.tmux_format(
            "alternate=#{alternate_on} mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag} cursor=#{cursor_flag}",
        );
        assert_eq!(
            flags,
            "alternate=0 mouse=0000 cursor=1",
            "terminal modes after exit\n{}",
            self.describe(&s)
        );
    }

    /// Keeps pressing `u` (harmless when there is nothing to undo) until
    /// "Nothing to undo" shows: proves the app is alive and reading keys.
    fn ping(&self) {
        let start = Instant::now();
        loop {
            self.keys(&["u"]);
            let until = Instant::now() + Duration::from_secs(2);
            while Instant::now() < until {
                if self.screen().contains("Nothing to undo") {
                    return;
                }
                std::thread::sleep(POLL);
            }
            if start.elapsed() > TIMEOUT {
                let s = self.screen();
                panic!("the app does not answer keys\n{}", self.describe(&s));
            }
        }
    }
}

fn ws_ron(ws: &Path) -> String {
    read_string(&ws.join("workspace.ron"))
}

// ---- the tests ----

/// Scenario 1: No argument, first run: the default workspace is created from the
/// kubernetes-platform template and the map shows; `q` quits at once.
#[test]
fn first_run_creates_the_default_workspace_and_q_quits() {
    let Some(h) = Harness::new("first_run") else {
        return;
    };
    let default = h.dir("data").join("valuemap").join("default");
    assert!(!default.exists());
    let run = h.start(Launch::args(vec![]));
    run.wait_for(MAP_PERSONA);
    // The first frame reaches the pane top to bottom: wait for its last
    // line (the status bar) rather than reading it mid-frame.
    let s = run.wait_for("valuemap/default");
    assert!(s.contains(MAP_ACTIVITY), "{}", run.describe(&s));
    assert!(
        s.contains("valuemap/default"),
        "the status bar names the default workspace\n{}",
        run.describe(&s)
    );
    assert!(default.join("workspace.ron").is_file());
    assert!(default.join("opportunities").is_dir());
    assert!(default.join("metrics").is_dir());
    assert!(ws_ron(&default).contains("Create a cluster"));
    assert_private(&default);

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    // The notice from before the TUI started is still on the normal screen.
    let s = run.screen();
    assert!(
        s.contains("created the default workspace"),
        "{}",
        run.describe(&s)
    );
    assert!(h.recovery_files().is_empty());
}

/// Scenario 2: Palette edit, Ctrl-s, quit: the change is on disk, privately.
#[test]
fn palette_edit_save_and_quit() {
    let Some(h) = Harness::new("palette_edit_save_and_quit") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch {
        umask: "000",
        ..Launch::args(vec![path_str(&ws)])
    });
    run.wait_for(MAP_PERSONA);
    assert!(!run.screen().contains("[modified]"));

    run.palette("add-persona Site reliability engineer");
    let s = run.wait_for("Added persona");
    assert!(s.contains("[modified]"), "{}", run.describe(&s));
    assert!(s.contains("Site reliability engineer"));
    assert!(!ws_ron(&ws).contains("Site reliability engineer"));

    run.keys(&["C-s"]);
    let s = run.wait_for("Saved");
    assert!(
        !s.contains("[modified]"),
        "saved, yet still marked modified\n{}",
        run.describe(&s)
    );
    assert!(ws_ron(&ws).contains("Site reliability engineer"));

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    assert!(ws_ron(&ws).contains("Site reliability engineer"));
    assert_private(&ws);
    assert!(h.recovery_files().is_empty());
}

/// Scenario 3: `q` with unsaved changes asks; Esc stays, `n` quits without saving,
/// and (another run) `y` saves and quits.
#[test]
fn quit_prompt_esc_stays_n_discards_y_saves() {
    let Some(h) = Harness::new("quit_prompt") else {
        return;
    };
    let ws = h.new_workspace();
    let before = snapshot(&ws);

    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.palette("add-persona Quit prompt persona");
    run.wait_for("[modified]");
    run.keys(&["q"]);
    let s = run.wait_for("Unsaved changes");
    for text in ["y save and quit", "n quit without saving", "Esc stay"] {
        assert!(
            s.contains(text),
            "prompt lacks {text:?}\n{}",
            run.describe(&s)
        );
    }
    run.keys(&["Escape"]);
    let s = run.wait_gone("Unsaved changes");
    assert!(s.contains("Quit prompt persona") && s.contains("[modified]"));
    run.assert_running("after Esc on the quit prompt");

    run.keys(&["q"]);
    run.wait_for("Unsaved changes");
    run.keys(&["n"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    assert_eq!(
        snapshot(&ws),
        before,
        "quitting without saving changed the workspace"
    );
    assert!(h.recovery_files().is_empty());

    // Again, and this time `y`.
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    assert!(!run.screen().contains("Quit prompt persona"));
    run.palette("add-persona Quit prompt persona");
    run.wait_for("[modified]");
    run.keys(&["q"]);
    run.wait_for("Unsaved changes");
    run.keys(&["y"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    assert!(ws_ron(&ws).contains("Quit prompt persona"));
    assert!(h.recovery_files().is_empty());
}

/// Scenario 4: `u` undoes and Ctrl-r redoes a palette edit.
#[test]
fn undo_and_redo_with_keys() {
    let Some(h) = Harness::new("undo_and_redo") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.palette("add-activity Scale a cluster");
    let s = run.wait_for("Added activity");
    assert!(s.contains("[modified]"), "{}", run.describe(&s));
    // The palette line itself has gone: the name is on the map only.
    run.wait_gone("add-activity");
    assert!(run.screen().contains("Scale a cluster"));

    run.keys(&["u"]);
    let s = run.wait_for("Undid");
    assert_eq!(
        s.matches("Scale a cluster").count(),
        1,
        "only the status message should name it after undo\n{}",
        run.describe(&s)
    );
    assert!(!s.contains("[modified]"), "{}", run.describe(&s));

    run.keys(&["C-r"]);
    let s = run.wait_for("Redid");
    assert_eq!(
        s.matches("Scale a cluster").count(),
        2,
        "the activity is back on the map (and in the message)\n{}",
        run.describe(&s)
    );
    assert!(s.contains("[modified]"), "{}", run.describe(&s));

    run.keys(&["q"]);
    run.wait_for("Unsaved changes");
    run.keys(&["n"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    assert!(!ws_ron(&ws).contains("Scale a cluster"));
}

/// Starts a run on `ws`, adds `persona` through the palette, then closes
/// the terminal (kills the tmux session: the pty goes away and the session
/// gets SIGHUP). Returns the run and the exit status, which must come within
/// a few seconds.
fn edit_then_close_terminal<'h>(h: &'h Harness, ws: &Path, persona: &str) -> (Run<'h>, i32) {
    let run = h.start(Launch {
        umask: "000",
        wrapper_ignores_hup: true,
        ..Launch::args(vec![path_str(ws)])
    });
    run.wait_for(MAP_PERSONA);
    run.palette(&format!("add-persona {persona}"));
    run.wait_for("[modified]");
    let pid = run.pid();

    h.tmux.ok(&["kill-session", "-t", &run.target]);
    let code = run.wait_exit(Duration::from_secs(5));
    assert!(
        run.pids().is_empty(),
        "valuemap (pid {pid}) is still alive after the terminal closed"
    );
    (run, code)
}

/// Scenario 5: The terminal closes with unsaved work: the process ends promptly,
/// the work is in a private recovery file, not in the workspace; the next
/// run offers it, `r` brings it back, Ctrl-s saves it and the recovery file
/// goes. (The exit status is checked by the ignored test below.)
#[test]
fn closed_terminal_keeps_unsaved_work_for_recovery() {
    let Some(h) = Harness::new("closed_terminal") else {
        return;
    };
    let ws = h.new_workspace();
    let persona = "Hangup survivor";
    let _ = edit_then_close_terminal(&h, &ws, persona);

    let files = h.recovery_files();
    assert_eq!(files.len(), 1, "one recovery file: {files:?}");
    let rec = &files[0];
    assert_eq!(mode(rec), 0o600, "recovery file mode");
    h.assert_state_folders_private();
    assert!(read_string(rec).contains(persona));
    assert!(!ws_ron(&ws).contains(persona));

    // Next run: the offer, then recover, save, quit.
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    let s = run.wait_until("a recovery offer", |s| s.to_lowercase().contains("recover"));
    assert!(s.contains("r recover them"), "{}", run.describe(&s));
    run.keys(&["r"]);
    let s = run.wait_for("Recovered");
    assert!(s.contains(persona), "{}", run.describe(&s));
    assert!(s.contains("[modified]"), "{}", run.describe(&s));
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    assert!(
        h.recovery_files().is_empty(),
        "saving drops the recovery file"
    );
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    assert!(ws_ron(&ws).contains(persona));
    assert!(h.recovery_files().is_empty());
}

/// A closed terminal must end the session the way the code intends: exit
/// status 129 (128 + SIGHUP) after writing the recovery file. It aborts
/// instead (SIGABRT, status 134): ratatui's `Terminal` drop fails to show
/// the cursor on the dead tty and reports that with `eprintln!`, which
/// panics on the dead stderr; the panic hook's report fails the same way, so
/// the panic-in-panic aborts. The recovery file is written before that, so
/// no work is lost.
#[test]
fn closed_terminal_exits_with_status_129_not_an_abort() {
    let Some(h) = Harness::new("closed_terminal_status") else {
        return;
    };
    let ws = h.new_workspace();
    let (_run, code) = edit_then_close_terminal(&h, &ws, "Hangup status");
    assert_eq!(h.recovery_files().len(), 1, "the recovery file was written");
    assert_eq!(
        code, 129,
        "exit status after the terminal closed (134 = 128 + SIGABRT: it aborted)"
    );
}

/// Scenario 6: SIGTERM with unsaved work: exit 143, recovery file, terminal restored.
#[test]
fn sigterm_keeps_unsaved_work_and_restores_the_terminal() {
    let Some(h) = Harness::new("sigterm") else {
        return;
    };
    let ws = h.new_workspace();
    let persona = "Terminated persona";
    let run = h.start(Launch {
        umask: "000",
        ..Launch::args(vec![path_str(&ws)])
    });
    run.wait_for(MAP_PERSONA);
    run.palette(&format!("add-persona {persona}"));
    run.wait_for("[modified]");
    let pid = run.pid();

    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(run.wait_exit(TIMEOUT), 143);
    run.assert_restored(143);
    let s = run.screen();
    assert!(
        s.contains("unsaved changes were kept for recovery"),
        "{}",
        run.describe(&s)
    );

    let files = h.recovery_files();
    assert_eq!(files.len(), 1, "one recovery file: {files:?}");
    assert_eq!(mode(&files[0]), 0o600, "recovery file mode");
    assert!(read_string(&files[0]).contains(persona));
    assert!(!ws_ron(&ws).contains(persona));
}

/// Two writers on one workspace, for real: the interface holds an unsaved
/// persona while `valuemap note add` runs in another terminal and someone
/// (a `git pull`, an editor) renames the workspace in `workspace.ron`. The
/// note appears at once (the folder is watched); the edited file is flagged;
/// saving offers reload / merge / overwrite / save as, and merging by id
/// keeps all three changes.
#[test]
fn outside_changes_while_editing_are_noticed_and_merged() {
    let Some(h) = Harness::new("outside_changes") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.palette("add-persona Unsaved persona");
    run.wait_for("[modified]");

    let out = Command::new(BIN)
        .args(["note", "add", path_str(&ws), "-p", "Platform developer"])
        .args(["-a", "Create a cluster", "-i", "Shell"])
        .arg("Captured in another terminal\n! Tickets wait for days")
        .envs(h.envs())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    run.wait_for("Loaded changes made elsewhere: 1 note");

    let file = ws.join("workspace.ron");
    let text = read_string(&file);
    assert!(text.contains("name: \"Kubernetes platform\""));
    fs::write(
        &file,
        text.replace(
            "name: \"Kubernetes platform\"",
            "name: \"Renamed elsewhere\"",
        ),
    )
    .unwrap();
    run.wait_for("changed on disk while you have unsaved changes");

    run.keys(&["C-s"]);
    let s = run.wait_for("Changed on disk");
    assert!(s.contains("Nothing was written."), "{}", run.describe(&s));
    run.keys(&["m"]);
    run.wait_for("Merged by id");
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);

    let text = read_string(&file);
    assert!(text.contains("Unsaved persona"), "ours is kept:\n{text}");
    assert!(
        text.contains("Renamed elsewhere"),
        "theirs is kept:\n{text}"
    );
    let back = load(&ws);
    assert!(
        back.notes
            .values()
            .any(|n| n.title == "Captured in another terminal"),
        "the note from the other terminal is kept"
    );
}

/// CPU time (user + system, in clock ticks) a process has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

/// SIGINT and SIGHUP sent from outside (the terminal stays) end the session
/// like SIGTERM: the unsaved work goes to the recovery file, the terminal is
/// restored, the status is 128 + the signal. Before the signal, the idle
/// interface uses next to no CPU: it waits for events, it does not poll in a
/// loop.
#[test]
fn sigint_and_sighup_keep_unsaved_work_and_an_idle_session_sleeps() {
    let Some(h) = Harness::new("sigint_sighup") else {
        return;
    };
    let ws = h.new_workspace();
    for (signal, status) in [("INT", 130), ("HUP", 129)] {
        let persona = format!("Persona before SIG{signal}");
        let run = h.start(Launch {
            wrapper_ignores_hup: true,
            ..Launch::args(vec![path_str(&ws)])
        });
        run.wait_for(MAP_PERSONA);
        run.palette(&format!("add-persona {persona}"));
        run.wait_for("[modified]");
        let pid = run.pid();

        // Idle for two seconds (the recovery file is written after two
        // seconds without a change, so that is in here too). A busy loop
        // would use about 200 ticks; a sleeping process, almost none.
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(2));
        let idle = cpu_ticks(pid) - before;
        assert!(idle < 40, "{idle} clock ticks of CPU in 2 s of idling");

        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(run.wait_exit(TIMEOUT), status, "SIG{signal}");
        run.assert_restored(status);
        let s = run.screen();
        assert!(
            s.contains("unsaved changes were kept for recovery"),
            "SIG{signal}: {}",
            run.describe(&s)
        );
        let files = h.recovery_files();
        assert_eq!(files.len(), 1, "SIG{signal}: one recovery file: {files:?}");
        assert_eq!(mode(&files[0]), 0o600, "recovery file mode");
        assert!(read_string(&files[0]).contains(&persona));
        assert!(!ws_ron(&ws).contains(&persona));
        fs::remove_file(&files[0]).unwrap();
    }
}

/// Scenario 7: Resizing down to 1x1 and back neither kills nor wedges the app.
#[test]
fn resize_to_tiny_and_back() {
    let Some(h) = Harness::new("resize") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    let resize = |w: u16, h_: u16| {
        h.tmux.ok(&[
            "resize-window",
            "-t",
            &run.target,
            "-x",
            &w.to_string(),
            "-y",
            &h_.to_string(),
        ]);
    };

    // 1x1: no room for text; the top-left cell of the map is blank, so any
    // character there means the app drew at 1x1.
    resize(1, 1);
    run.wait_until("a redraw at 1x1", |s| !s.trim().is_empty());
    run.assert_running("at 1x1");

    resize(20, 5);
    let s = run.wait_for("20x5");
    assert!(s.contains("too small"), "{}", run.describe(&s));
    run.assert_running("at 20x5");

    resize(39, 9);
    let s = run.wait_for("39x9");
    assert!(s.contains("too small"), "{}", run.describe(&s));
    run.assert_running("at 39x9");

    resize(WIDTH, HEIGHT);
    // Wait for the whole redraw: the map at the top and the status bar below.
    let s = run.wait_until("the map and status bar back at full size", |s| {
        s.contains(MAP_PERSONA) && s.contains("q quit") && !s.contains("too small")
    });
    assert!(!s.contains("too small"), "{}", run.describe(&s));
    assert!(s.contains("q quit"), "{}", run.describe(&s));
    run.assert_running("back at 120x40");

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
}

/// Scenario 8: Esc never quits: one at a time (each clears the status message, which
/// proves it was read) and a burst.
#[test]
fn esc_never_quits() {
    let Some(h) = Harness::new("esc_never_quits") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    for _ in 0..3 {
        run.ping();
        run.keys(&["Escape"]);
        run.wait_gone("Nothing to undo");
        run.assert_running("after Esc");
    }
    // A burst of Esc: give it time to be read, then check the app answers.
    run.keys(&["Escape", "Escape", "Escape", "Escape"]);
    let mut last = run.screen();
    let mut stable_since = Instant::now();
    let start = Instant::now();
    while stable_since.elapsed() < Duration::from_millis(500) && start.elapsed() < TIMEOUT {
        std::thread::sleep(POLL);
        let s = run.screen();
        if s != last {
            last = s;
            stable_since = Instant::now();
        }
    }
    run.assert_running("after a burst of Esc");
    run.ping();
    let s = run.screen();
    assert!(s.contains(MAP_PERSONA), "{}", run.describe(&s));

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
}

/// Whether a line of the help overlay binds `key` (one of the keys in its
/// 16-column key field) to a description containing `word`.
fn help_binds(screen: &str, key: &str, word: &str) -> bool {
    screen.lines().any(|l| {
        let Some(i) = l.find("│  ") else {
            return false;
        };
        let rest: Vec<char> = l[i + "│  ".len()..].chars().collect();
        let keys: String = rest.iter().take(16).collect();
        let what: String = rest.iter().skip(16).collect();
        keys.split_whitespace().any(|k| k == key) && what.contains(word)
    })
}

/// The last line of the help overlay.
const HELP_END: &str = "Keys can be changed in keys.ron";

/// Opens the help and pages down to its end; returns every screen on the way.
fn help_pages(run: &Run<'_>) -> Vec<String> {
    run.keys(&["?"]);
    let mut s = run.wait_for("Esc closes");
    let mut pages = vec![s.clone()];
    while !s.contains(HELP_END) {
        assert!(
            pages.len() < 40,
            "the help never ends\n{}",
            run.describe(&s)
        );
        let before = s.clone();
        run.keys(&["PageDown"]);
        s = run.wait_until("the help to scroll", |now| now != before);
        pages.push(s.clone());
    }
    pages
}

/// Scenario 9: `?` shows the help overlay (with the save and quit keys); Esc closes it.
#[test]
fn help_overlay_shows_keys_and_esc_closes_it() {
    let Some(h) = Harness::new("help") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    // At 120x40 the overlay scrolls: look at every page.
    let pages = help_pages(&run);
    let all = pages.join("\n");
    assert!(
        pages.iter().any(|p| help_binds(p, "Ctrl-s", "save")),
        "no Ctrl-s / save line in the help\n{all}"
    );
    assert!(
        pages.iter().any(|p| help_binds(p, "q", "quit")),
        "no q / quit line in the help\n{all}"
    );
    assert!(
        pages.iter().any(|p| help_binds(p, "u", "undo")),
        "no u / undo line in the help\n{all}"
    );

    run.keys(&["Escape"]);
    let s = run.wait_gone("Esc closes");
    assert!(s.contains(MAP_PERSONA), "{}", run.describe(&s));
    run.assert_running("after closing the help");

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
}

/// The palette section of the help pads each usage to 34 columns; a usage
/// that is longer runs straight into its description:
/// "set-role customer|consumer|end-userset the selected persona's role",
/// "view map|personas|notes|opportunities|metricsswitch view".
#[test]
fn help_separates_long_command_usages_from_their_description() {
    let Some(h) = Harness::new("help_layout") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    let pages = help_pages(&run);
    let end = pages.join("\n");
    let end = &end;
    for (usage, help) in [
        (
            "set-role customer|consumer|end-user",
            "set the selected persona's role",
        ),
        (
            "view map|personas|notes|opportunities|metrics|tree|needs",
            "switch view",
        ),
    ] {
        let line = end
            .lines()
            .find(|l| l.contains(usage))
            .unwrap_or_else(|| panic!("no {usage:?} line\n{}", run.describe(end)));
        let after = &line[line.find(usage).unwrap() + usage.len()..];
        assert!(
            after.starts_with(' ') && after.contains(help),
            "usage and description run together: {line:?}"
        );
    }
}

// ---- interview capture ----

/// The lines of the note typed in the capture tests, one `send-keys -l` each.
const NOTE_LINES: [&str; 5] = [
    "Upgrades still hurt",
    "> We lose a weekend per upgrade",
    "! Nobody knows which charts break on upgrade",
    "! We cannot see which workloads use removed APIs",
    "+ A dry-run report before every upgrade",
];

/// The template's ids for the first cell of the map.
const PLATFORM_DEVELOPER_ID: &str = "a2pdev";
const CREATE_A_CLUSTER_ID: &str = "a2cmkr";
/// The template opportunity "Warn about removed APIs before a cluster upgrade".
const REMOVED_APIS_ID: &str = "c4dprw";

fn load(ws: &Path) -> valuemap::model::Workspace {
    valuemap::store::Store::open(ws)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", ws.display()))
        .1
}

/// Types `lines` into the capture editor, each followed by Enter, waiting
/// for each to show.
fn type_lines(run: &Run<'_>, lines: &[&str]) {
    for line in lines {
        run.type_text(line);
        run.wait_for(line);
        run.keys(&["Enter"]);
    }
}

/// The one note in `after` that `before` lacks.
fn the_new_note(
    before: &valuemap::model::Workspace,
    after: &valuemap::model::Workspace,
) -> valuemap::model::Note {
    let new: Vec<_> = after
        .notes
        .values()
        .filter(|n| !before.notes.contains_key(&n.id))
        .collect();
    assert_eq!(new.len(), 1, "one new note: {new:#?}");
    valuemap::model::Note::clone(new[0])
}

/// Waits for the suggestions popup to show suggestion `n_of_m` (e.g.
/// "1 of 3") with `line` as its evidence.
fn suggestion(run: &Run<'_>, n_of_m: &str, line: &str) {
    let title = format!("Suggested opportunity {n_of_m}");
    let evidence = format!("evidence: “{}”", valuemap::capture::quote_text(line));
    run.wait_until(&format!("{title:?} citing {line:?}"), |s| {
        s.contains(&title) && s.contains(&evidence)
    });
}

/// The draft files of the capture screen (beside the recovery files).
fn draft_files(h: &Harness) -> Vec<PathBuf> {
    h.recovery_files()
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".draft.ron"))
        .collect()
}

/// Scenario 10: `n` on the first map cell opens the capture pre-linked to
/// its persona and activity; a typed note with two pains and a need is kept
/// with Ctrl-s; of the three suggestions one is accepted, one merged into an
/// existing opportunity through the picker, one dismissed. Everything is on
/// disk, privately, and `q` quits at once.
#[test]
fn capture_a_note_in_tmux_accept_and_merge() {
    use valuemap::model::{Evidence, Id, OpportunityKind};
    let Some(h) = Harness::new("capture_note") else {
        return;
    };
    let ws = h.new_workspace();
    let before = load(&ws);
    let run = h.start(Launch {
        umask: "000",
        ..Launch::args(vec![path_str(&ws)])
    });
    run.wait_for(MAP_PERSONA);
    let first_day = chrono::Local::now().date_naive();

    run.keys(&["n"]);
    run.wait_for("New interview note");
    // Pre-linked from the cell.
    run.wait_until("the capture with the cell's persona and activity", |s| {
        s.contains("Persona  Platform developer") && s.contains("Activities   Create a cluster")
    });
    type_lines(&run, &NOTE_LINES);
    run.wait_until("the note's structure in the side panel", |s| {
        ["1 quote", "2 pains", "1 need", "3 suggested opportunities"]
            .iter()
            .all(|t| s.contains(t))
    });
    run.keys(&["Tab"]);
    run.type_text("Robin");
    run.wait_for("Interviewee  Robin");
    // Nothing is written before the note is kept.
    assert_eq!(load(&ws), before);

    run.keys(&["C-s"]);
    suggestion(&run, "1 of 3", NOTE_LINES[2]);
    // The note itself is saved already.
    let note = the_new_note(&before, &load(&ws));

    run.keys(&["a"]);
    suggestion(&run, "2 of 3", NOTE_LINES[3]);
    run.keys(&["m"]);
    run.wait_for("Merge into which opportunity?");
    run.type_text("removed APIs");
    run.wait_for("▸  Warn about removed APIs before a cluster upgrade");
    run.keys(&["Enter"]);
    suggestion(&run, "3 of 3", NOTE_LINES[4]);
    run.keys(&["x"]);
    let s = run.wait_for("Note kept: 1 opportunity added, 1 merged, 1 dismissed — saved");
    assert!(!s.contains("[modified]"), "{}", run.describe(&s));
    assert!(!s.contains("Suggested opportunity"), "{}", run.describe(&s));

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let last_day = chrono::Local::now().date_naive();

    // The note: pre-linked from the cell, with the interviewee, the body as typed.
    let after = load(&ws);
    // ... and the dismissal remembered in it.
    let mut kept = note.clone();
    kept.dismissed = valuemap::model::thin_vec![NOTE_LINES[4].trim().to_string()];
    assert_eq!(the_new_note(&before, &after), kept);
    assert_eq!(note.persona, Some(Id::new(PLATFORM_DEVELOPER_ID)));
    assert_eq!(note.activities, [Id::new(CREATE_A_CLUSTER_ID)]);
    assert_eq!(note.interviewee, "Robin");
    assert_eq!(note.title, NOTE_LINES[0]);
    assert_eq!(note.body, NOTE_LINES.join("\n"));
    assert!(
        note.date == first_day || note.date == last_day,
        "{}",
        note.date
    );
    let file = ws
        .join("notes")
        .join(format!("{}-{}.ron", note.date.format("%Y-%m-%d"), note.id));
    assert!(file.is_file(), "{}", file.display());

    // One new opportunity, from the first pain, with its line as evidence.
    assert_eq!(after.opportunities.len(), before.opportunities.len() + 1);
    let added = after
        .opportunities
        .iter()
        .find(|o| !before.opportunities.iter().any(|b| b.id == o.id))
        .unwrap();
    assert_eq!(added.title, "Nobody knows which charts break on upgrade");
    assert_eq!(added.kind, OpportunityKind::Pain);
    assert_eq!(
        added.evidence,
        [Evidence {
            note: note.id.clone(),
            quote: NOTE_LINES[2].into()
        }]
    );
    assert_eq!(added.personas, [Id::new(PLATFORM_DEVELOPER_ID)]);
    assert_eq!(added.activities, [Id::new(CREATE_A_CLUSTER_ID)]);

    // The merged one has one more piece of evidence: the second pain's line.
    for old in &before.opportunities {
        let new = after.opportunity(&old.id).unwrap();
        if old.id.as_str() != REMOVED_APIS_ID {
            assert_eq!(old, new);
            continue;
        }
        let mut want = old.clone();
        want.evidence.push(Evidence {
            note: note.id.clone(),
            quote: NOTE_LINES[3].into(),
        });
        assert_eq!(*new, want);
    }
    // Nothing else changed.
    assert_eq!(after.phases, before.phases);
    assert_eq!(after.personas, before.personas);
    assert_eq!(after.perspectives, before.perspectives);
    assert_eq!(after.metrics, before.metrics);
    assert_eq!(after.notes.len(), before.notes.len() + 1);
    assert_private(&ws);
    assert!(h.recovery_files().is_empty(), "{:?}", h.recovery_files());
}

/// Scenario 11: the terminal closes while the capture screen holds a typed,
/// unkept note. The workspace is untouched; the draft is in a private file
/// beside the recovery files; on the next start `n` brings the whole note
/// back ("Continuing the unsaved note"), and keeping it saves it and drops
/// the draft.
#[test]
fn closed_terminal_keeps_the_capture_draft() {
    use valuemap::model::Id;
    let Some(h) = Harness::new("capture_draft") else {
        return;
    };
    let ws = h.new_workspace();
    let before = snapshot(&ws);
    let before_ws = load(&ws);
    let lines = [
        "Draft survives a hangup",
        "> we were cut off mid-sentence",
        "! the call dropped",
    ];

    let run = h.start(Launch {
        umask: "000",
        wrapper_ignores_hup: true,
        ..Launch::args(vec![path_str(&ws)])
    });
    run.wait_for(MAP_PERSONA);
    run.keys(&["n"]);
    run.wait_for("New interview note");
    type_lines(&run, &lines);
    run.keys(&["Tab"]);
    run.type_text("Kim");
    run.wait_for("Interviewee  Kim");
    let pid = run.pid();

    h.tmux.ok(&["kill-session", "-t", &run.target]);
    // The exit status is the subject of
    // closed_terminal_exits_with_status_129_not_an_abort.
    let _ = run.wait_exit(Duration::from_secs(5));
    assert!(
        run.pids().is_empty(),
        "valuemap (pid {pid}) is still alive after the terminal closed"
    );
    assert_eq!(
        snapshot(&ws),
        before,
        "an unkept note must not reach the workspace"
    );
    let drafts = draft_files(&h);
    assert_eq!(drafts.len(), 1, "one draft file: {:?}", h.recovery_files());
    assert_eq!(mode(&drafts[0]), 0o600, "draft file mode");
    h.assert_state_folders_private();
    let draft = read_string(&drafts[0]);
    for text in lines.iter().chain(&["Kim"]) {
        assert!(draft.contains(text), "{text:?} not in the draft:\n{draft}");
    }
    assert_eq!(
        h.recovery_files().len(),
        1,
        "no recovery file besides the draft: the map was not changed"
    );

    // Next start: `n` continues the draft, with everything that was typed.
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.keys(&["n"]);
    run.wait_for("Continuing the unsaved note");
    run.wait_until("the whole draft back on screen", |s| {
        lines
            .iter()
            .chain(&[
                "Interviewee  Kim",
                "Persona  Platform developer",
                "Activities   Create a cluster",
            ])
            .all(|t| s.contains(t))
    });

    run.keys(&["C-s"]);
    run.wait_for("Suggested opportunity 1 of 1");
    run.keys(&["Escape"]);
    run.wait_for("Note kept: 0 opportunities added, 0 merged, 1 dismissed — saved");
    assert!(
        draft_files(&h).is_empty(),
        "keeping the note drops the draft"
    );
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);

    let after = load(&ws);
    let note = the_new_note(&before_ws, &after);
    assert_eq!(note.body, lines.join("\n"));
    assert_eq!(note.interviewee, "Kim");
    assert_eq!(note.persona, Some(Id::new(PLATFORM_DEVELOPER_ID)));
    assert_eq!(note.activities, [Id::new(CREATE_A_CLUSTER_ID)]);
    assert_eq!(after.opportunities, before_ws.opportunities);
    assert_private(&ws);
    assert!(h.recovery_files().is_empty(), "{:?}", h.recovery_files());
}

/// Escape sequences stored in a note never reach the terminal: a note
/// created headless, with raw ESC bytes in its body read from standard input
/// (an OSC window title, a screen clear, a colour, a bidi override), is shown
/// in the Notes view as harmless text. The pane title is not "pwned", the
/// screen is not cleared, the text is not coloured; and the note keeps its
/// bytes on disk.
#[test]
fn escape_sequences_in_a_note_never_reach_the_terminal() {
    let Some(h) = Harness::new("escape_sequences_in_a_note") else {
        return;
    };
    let ws = h.new_workspace();
    let body = "Evil \u{1b}]0;pwned\u{7}title\n\
                > quote \u{1b}[2J\u{1b}[H cleared\n\
                \u{1b}]2;pwned\u{1b}\\ terminated\n\
                \u{202e}reversed \u{1b}[31mred\n\
                Tail";
    let mut child = Command::new(BIN)
        .args(["note", "add"])
        .arg(&ws)
        .args(["-p", "Platform developer", "-a", "Create a cluster"])
        .args(["-d", "2030-01-01", "-i", "Mallory", "-"])
        .envs(h.envs())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "note add failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
        "note add echoed an escape sequence: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Nothing is lost: the note holds the bytes as typed.
    let note = load(&ws)
        .notes
        .into_values()
        .find(|n| n.interviewee == "Mallory")
        .expect("the note was added");
    assert_eq!(note.body, body);

    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    let title_before = run.tmux_format("#{pane_title}");
    run.keys(&["3"]);
    // The newest note is selected: the reader shows its body, as text.
    let s = run.wait_for("reversed [31mred");
    for text in [
        "Evil ]0;pwnedtitle",
        "quote [2J[H cleared",
        "]2;pwned\\ terminated",
        "Notes (",
        "? help",
    ] {
        assert!(
            s.contains(text),
            "{text:?} is not on screen as text\n{}",
            run.describe(&s)
        );
    }
    assert!(
        s.contains("1 Map"),
        "the screen was cleared\n{}",
        run.describe(&s)
    );
    let title = run.tmux_format("#{pane_title}");
    assert!(
        !title.contains("pwned") && title == title_before,
        "the pane title changed from {title_before:?} to {title:?}"
    );
    // No colour starts inside the note's line: with -e, tmux writes an SGR
    // sequence wherever the style changes.
    let styled = run
        .h
        .tmux
        .ok(&["capture-pane", "-p", "-e", "-t", &run.target]);
    let line = styled
        .lines()
        .find(|l| l.contains("reversed"))
        .expect("the line is on screen");
    let from = line.find("reversed").unwrap();
    let to = from + line[from..].find("red").unwrap() + 3;
    assert!(
        !line[from..to].contains('\u{1b}'),
        "the style changes inside the note's text: {:?}",
        &line[from..to]
    );
    assert!(!s.contains('\u{202e}'));

    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let title = run.tmux_format("#{pane_title}");
    assert!(!title.contains("pwned"), "pane title after exit: {title:?}");
}

/// The row of the capture screen that holds a field, after its label.
fn field_on_screen(screen: &str, label: &str) -> String {
    let row = screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label} on screen:\n{screen}"));
    let after = &row[row.find(label).unwrap() + label.len()..];
    // Up to the next label on the same row, or the border.
    let end = ["Persona", "Tags", "│"]
        .iter()
        .filter_map(|l| after.find(l))
        .min()
        .unwrap_or(after.len());
    after[..end]
        .trim()
        .trim_start_matches('‹')
        .trim()
        .to_string()
}

/// Type past a field's width, clear it back with Ctrl-w and Ctrl-u, keep
/// the note: the file holds exactly what the screen showed.
#[test]
fn a_cleared_long_field_saves_what_the_screen_shows() {
    let Some(h) = Harness::new("cleared_field") else {
        return;
    };
    let ws = h.new_workspace();
    let before = load(&ws);
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.keys(&["n"]);
    run.wait_for("New interview note");
    run.type_text("Field clearing");
    run.wait_for("Field clearing");
    // The interviewee: far past the field's width, then back to one word
    // with Ctrl-w.
    run.keys(&["Tab"]);
    run.type_text("Dana: does the deploys every friday afternoon and then the whole team waits for the pipeline to finish");
    run.wait_for("pipeline to finish");
    for _ in 0..17 {
        run.keys(&["C-w"]);
    }
    let s = run.wait_until("the interviewee cleared to its first word", |s| {
        field_on_screen(s, "Interviewee") == "Dana:"
    });
    assert_eq!(
        field_on_screen(&s, "Interviewee"),
        "Dana:",
        "{}",
        run.describe(&s)
    );
    // The tags (Esc goes back to the note, Shift-Tab from there to the
    // tags): long, then cleared with Ctrl-u.
    run.keys(&["Escape"]);
    run.keys(&["BTab"]);
    run.type_text(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron",
    );
    run.wait_for("omicron");
    run.keys(&["C-u"]);
    let s = run.wait_until("the tags cleared", |s| {
        field_on_screen(s, "Tags").is_empty()
    });
    run.type_text("ops");
    let s2 = run.wait_until("the one tag", |s| field_on_screen(s, "Tags") == "ops");
    let _ = s;
    run.keys(&["C-s"]);
    run.wait_gone("New interview note");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    let note = the_new_note(&before, &load(&ws));
    assert_eq!(note.interviewee, field_on_screen(&s2, "Interviewee"));
    assert_eq!(note.interviewee, "Dana:");
    assert_eq!(note.tags, [field_on_screen(&s2, "Tags")]);
}

/// `:theme` remembers the choice in `config.ron`: under umask 000 the
/// folder made for it in the XDG config home is `0700` and the file `0600`.
#[test]
fn the_theme_is_remembered_in_a_private_config_folder() {
    let Some(h) = Harness::new("theme_config") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch {
        umask: "000",
        ..Launch::args(vec![path_str(&ws)])
    });
    run.wait_for(MAP_PERSONA);
    run.palette("theme light");
    run.wait_for("remembered in config.ron");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    let folder = h.dir("config").join("valuemap");
    assert_eq!(mode(&folder), 0o700, "{} should be 0700", folder.display());
    let file = folder.join("config.ron");
    assert_eq!(mode(&file), 0o600, "{} should be 0600", file.display());
    assert!(
        read_string(&file).contains("light"),
        "{}",
        read_string(&file)
    );
}

// ---- the discovery loop ----

/// Ships a solution from the Tree, feeds the metric from another terminal
/// with `metric observe`, and accepts the "validated" verdict the metrics
/// then suggest: the whole loop through the real binary.
#[test]
fn ship_a_solution_feed_its_metric_and_accept_validated() {
    let Some(h) = Harness::new("discovery_loop") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.keys(&["6"]);
    run.wait_for("Spend forecast in the cost dashboard");
    // Search jumps to the solution in the tree.
    run.keys(&["/"]);
    run.type_text("Spend forecast");
    run.wait_for("Spend forecast in the cost dashboard");
    run.keys(&["Enter"]);
    run.wait_for("solution · idea");
    run.palette("ship 2026-11-24");
    run.wait_for("Shipped \"Spend forecast in the cost dashboard\" on 2026-11-24");
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    // Nothing after the ship date yet: the sub-opportunity has no verdict.
    assert!(!run.screen().contains("exploring → validated?"));
    // Three weeks of visits after it, recorded from another terminal.
    let csv = h.dir("visits.csv");
    std::fs::write(
        &csv,
        "2026-11-25,Dashboard visits,48\n2026-11-26,Dashboard visits,50\n2026-11-27,Dashboard visits,52\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["metric", "observe", path_str(&ws), "--from", path_str(&csv)])
        .envs(h.envs())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "metric observe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = run.wait_for("Loaded changes made elsewhere");
    assert!(
        // ("1 metric": the metric's own file; the status bar cuts the
        // title soon after.)
        s.contains("Loaded changes made elsewhere: 1 metric — the metrics suggest \"Managers cannot plan next"),
        "{}",
        run.describe(&s)
    );
    // The tree row carries it; the detail of the shipped solution shows
    // the figures: after = (48 + 50 + 52) / 3 = 50 visits/week, n=3.
    let s = run.wait_for("exploring → validated?");
    assert!(
        s.contains("after  50 visits/week (n=3)"),
        "{}",
        run.describe(&s)
    );
    run.keys(&["k"]);
    run.wait_for("The metrics suggest: validated — press v to");
    run.keys(&["v"]);
    run.wait_for("is now validated");
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let after = load(&ws);
    let o = after.opportunity(&"f2fcst".into()).unwrap();
    assert_eq!(o.status, valuemap::model::Status::Validated);
    let s = &after.items.solutions[&valuemap::model::Id::from("sl9fcs")];
    assert_eq!(s.shipped, chrono::NaiveDate::from_ymd_opt(2026, 11, 24));
}

/// Three interviews captured from the keyboard, each with the interviewee's
/// own rating of the cell the capture was opened from: the cell keeps the
/// PM's rating until the third, then shows the interviews' medians and
/// `(n=3)`, flagged `≠` where the PM's rating is two or more away.
#[test]
fn three_captured_ratings_switch_the_cell_to_n3() {
    let Some(h) = Harness::new("three_captured_ratings_switch_the_cell_to_n3") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    let s = run.wait_for(MAP_PERSONA);
    assert!(s.contains("i5 s2 (pm)"), "{}", run.describe(&s));
    for (who, rating) in [("Ana", "2/4"), ("Bo", "1/5"), ("Cy", "3/4")] {
        run.keys(&["n"]);
        run.wait_for("New interview note");
        run.type_text(&format!("Call with {who}"));
        run.keys(&["Enter"]);
        run.type_text(&format!("= {rating}"));
        run.wait_for(&format!("= {rating}"));
        run.keys(&["Tab"]);
        run.type_text(who);
        run.keys(&["C-s"]);
        run.wait_gone("New interview note");
        run.keys(&["1"]);
        if who == "Bo" {
            // Two heard: importance 2 and 1, satisfaction 4 and 5.
            let s = run.wait_for("heard i1.5 s4.5 n=2");
            assert!(s.contains("i5 s2 (pm)"), "{}", run.describe(&s));
        }
    }
    let s = run.wait_for("i2 s4 (n=3)");
    assert!(s.contains("≠ ░2"), "{}", run.describe(&s));
    assert!(s.contains("spread i1–3 s4–5 · pm"), "{}", run.describe(&s));
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let bodies: String = walk(&ws.join("notes"))
        .iter()
        .filter(|p| p.is_file())
        .map(|p| read_string(p))
        .collect();
    for line in ["= 2/4", "= 1/5", "= 3/4"] {
        assert!(bodies.contains(line), "{line} in the note files");
    }
}

/// The needs map (7): a new end-user need made to depend on a platform
/// capability from the keyboard; selecting the capability lights the need.
#[test]
fn link_a_platform_capability_to_an_end_user_need_and_see_the_highlight() {
    let Some(h) = Harness::new("needs_map") else {
        return;
    };
    let ws = h.new_workspace();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.keys(&["7"]);
    run.wait_for("Needs map: 4 layers");
    run.palette("add-node Customers track parcels");
    run.wait_for("Added node \"Customers track parcels\"");
    // The new need depends on "Observe a workload", picked by typing.
    run.keys(&["+"]);
    run.wait_for("depends on…");
    run.type_text("Observe");
    run.keys(&["Enter"]);
    run.wait_for("Depends on: Observe a workload");
    // Down to the platform layer: the capability, and the needs it serves.
    run.keys(&["j", "j"]);
    // The whole frame: a capture can land while it is being drawn.
    let s = run.wait_until("the capability selected and the needs lit", |s| {
        s.contains("● Observe a workload") && s.contains("Serves 2 end-user needs")
    });
    assert!(s.contains("★ Customers track"), "{}", run.describe(&s));
    assert!(s.contains("★ Customers place"), "{}", run.describe(&s));
    assert!(
        s.contains("Serves 2 end-user needs"),
        "{}",
        run.describe(&s)
    );
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let after = load(&ws);
    let n = after
        .items
        .nodes
        .values()
        .find(|n| n.name == "Customers track parcels")
        .expect("the node is saved");
    assert_eq!(n.depends_on, vec![valuemap::model::Id::from("pk6bsv")]);
    assert_eq!(n.layer, valuemap::model::Id::from("end-user-needs"));
}

/// The adoption view (8): the teams × platform capabilities grid with its
/// state glyphs and rates, the cursor moved onto a cell to read the
/// capability's rates over time, and a team's adoption recorded from the
/// keyboard, which moves the rates on screen and is saved.
#[test]
fn adoption_view_shows_the_grid_and_a_recorded_adoption_moves_the_rates() {
    let Some(h) = Harness::new("adoption_view") else {
        return;
    };
    let ws = h.new_workspace();
    let today = chrono::Local::now().date_naive();
    let run = h.start(Launch::args(vec![path_str(&ws)]));
    run.wait_for(MAP_PERSONA);
    run.keys(&["8"]);
    // The platform's capabilities first, each team's state as a glyph and
    // a word; Payments was told to use the golden path.
    run.wait_for_all(&[
        "Adoption · 3 teams, as of",
        "Platform capabilities",
        "Deploy a serv",
        "Observe a wor",
        "Catalogue (5)         ◐ trialling",
        "Checkout (7)          ● adopted      ● adopted",
        "Payments (6)          ● adopted (m)  ◐ trialling",
        // Deploy a service: 2 of 3 adopted, 1 by free choice; Observe a
        // workload: Checkout of 3.
        "adopted · free        67% · 33%      33% · 33%",
    ]);
    // Onto Payments' cell of "Deploy a service": its history, and the
    // capability's rates on each date, worked out by hand.
    run.keys(&["j", "j", "l"]);
    run.wait_for_all(&[
        "Over time · Deploy a service",
        "2026-07-01    0%    0%  0 / 3 (0 free)",
        "2026-08-03   33%   33%  1 / 3 (1 free)",
        "2026-09-01   67%   33%  2 / 3 (1 free)",
        "Payments · 6 people · Application developer",
        "2026-09-01 ● adopted (m) · Required by the audit",
    ]);
    // Up to Catalogue: it adopts the golden path today, by free choice.
    run.keys(&["g"]);
    run.keys(&["l"]);
    run.wait_for("Catalogue · 5 people");
    run.keys(&["Enter"]);
    run.wait_for("Adoption · Catalogue · Deploy a service");
    run.keys(&["a"]);
    run.keys(&["Enter"]);
    run.wait_gone("Adoption · Catalogue · Deploy a service");
    // All three teams now, two by free choice: the column's rate, and a
    // row of today in the rates over time.
    let row = format!("{}  100%   67%  3 / 3 (2 free)", today.format("%Y-%m-%d"));
    run.wait_for_all(&[&row, "100% · 67%", "Catalogue (5)         ● adopted "]);
    run.keys(&["C-s"]);
    run.wait_for("Saved");
    run.keys(&["q"]);
    assert_eq!(run.wait_exit(TIMEOUT), 0);
    run.assert_restored(0);
    let after = load(&ws);
    let deploy = valuemap::model::Target::Capability("pk5dpy".into());
    let s = after
        .standing(&"tmctlg".into(), &deploy, today)
        .expect("Catalogue's record is saved");
    assert_eq!(
        (s.state, s.mandated, s.since),
        (valuemap::model::AdoptionState::Adopted, false, today)
    );
    let r = after.adoption_rates(&deploy, today);
    assert_eq!((r.adopted, r.voluntary, r.teams), (3, 2, 3));
}
