//! Running the real `valuemap` binary from integration tests. Included with
//! `#[path = "support/bin.rs"] mod bin;`.
//!
//! Every run has a HOME that does not exist and no XDG folders, so nothing
//! depends on (or touches) the user's files; no run may panic or die by a
//! signal.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_valuemap");

/// What a run did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(4000).collect::<String>();
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

fn set_env(c: &mut Command, cwd: &Path) {
    c.current_dir(cwd)
        .env("HOME", cwd.join("no-such-home"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env("NO_COLOR", "1");
}

/// The binary with `args`, to run in `cwd`.
pub fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args);
    set_env(&mut c, cwd);
    c
}

/// The binary under `umask` (through `sh`, which sets it and `exec`s).
pub fn command_with_umask(cwd: &Path, umask: &str, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("umask \"$1\"; shift; exec \"$@\"")
        .arg("sh")
        .arg(umask)
        .arg(BIN)
        .args(args);
    set_env(&mut c, cwd);
    c
}

/// Runs `c` with `stdin` as its standard input (`None`: /dev/null).
pub fn output(mut c: Command, stdin: Option<&[u8]>) -> Run {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = c.spawn().unwrap();
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // The binary may exit without reading (an unknown persona is found
        // first): a broken pipe is fine.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    assert!(run.code.is_some(), "killed by a signal: {run:?}");
    run
}

/// `valuemap ARGS` in `cwd`.
pub fn valuemap(cwd: &Path, args: &[&str]) -> Run {
    output(command(cwd, args), None)
}

/// `valuemap ARGS` in `cwd`, reading `stdin`.
pub fn valuemap_stdin(cwd: &Path, args: &[&str], stdin: &[u8]) -> Run {
    output(command(cwd, args), Some(stdin))
}
