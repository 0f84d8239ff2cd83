//! Many writers on one workspace at once, as a team and a script would:
//!
//! - three `valuemap note add ... --accept` loops (a note file and
//!   an opportunity's file each time),
//! - a `valuemap metric observe` loop,
//! - a `valuemap check` loop, which must find the workspace valid every
//!   time (readers never see a save half done),
//! - in this process, a writer that holds the lock from read to write and
//!   deletes a persona with its cascade (workspace.ron, every note and
//!   opportunity linking it), then puts it back, one save each,
//! - and a writer that behaves like the interface: it loads, waits a
//!   random moment, edits an opportunity and a note, and saves through
//!   `Store::save`, which takes the lock only for its check and write; a
//!   file changed since its load is refused (`SaveError::Changed`), and it
//!   loads again and retries.
//!
//! Every success any of them reports must be on disk at the end, and the
//! workspace must check clean. `VALUEMAP_STRESS_ROUNDS` sets the rounds
//! per writer (default below, for CI time).

#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use valuemap::model::edit::{self, Edit};
use valuemap::model::validate::{Severity, validate};
use valuemap::model::{Id, Workspace};
use valuemap::store::{SaveError, Scope, Store};

const BIN: &str = env!("CARGO_BIN_EXE_valuemap");
const DEFAULT_ROUNDS: usize = 8;

fn rounds() -> usize {
    std::env::var("VALUEMAP_STRESS_ROUNDS")
        .ok()
        .map(|v| {
            v.trim()
                .parse()
                .expect("VALUEMAP_STRESS_ROUNDS is a number")
        })
        .unwrap_or(DEFAULT_ROUNDS)
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn valuemap(cwd: &Path, args: &[&str]) -> Out {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd.join("no-such-home"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        // Generous: a wait for the lock must never be the reason a run
        // fails here.
        .env("VALUEMAP_LOCK_TIMEOUT", "120")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let o = Out {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !o.stderr.contains("panicked"),
        "`valuemap {}` panicked: {}",
        args.join(" "),
        o.stderr
    );
    o
}

fn scratch() -> tempfile::TempDir {
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    tempfile::Builder::new()
        .prefix("valuemap-stress-")
        .tempdir_in(base)
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}

fn by_name<'a>(ws: &'a Workspace, name: &str) -> &'a valuemap::model::Persona {
    ws.personas.iter().find(|p| p.name == name).unwrap()
}

#[test]
fn concurrent_writers_never_lose_a_reported_success() {
    let dir = scratch();
    let cwd = dir.path();
    let out = valuemap(cwd, &["new", "ws"]);
    assert!(out.ok, "{}", out.stderr);
    let root = cwd.join("ws");
    let n = rounds();

    // What each writer touches, chosen so that none undoes another's
    // change on purpose: the note writers use one persona, the cascade
    // deletes another, the interface-like writer edits an opportunity and
    // a note that persona does not link.
    let (_, ws0, _) = Store::open(&root).unwrap();
    let capture_persona = "Platform developer";
    let doomed = ws0
        .personas
        .iter()
        .filter(|p| p.name != capture_persona)
        .max_by_key(|p| {
            ws0.notes
                .values()
                .filter(|n| n.persona.as_ref() == Some(&p.id))
                .count()
        })
        .unwrap()
        .id
        .clone();
    let stale_opp = ws0
        .opportunities
        .iter()
        .find(|o| !o.personas.contains(&doomed))
        .unwrap()
        .id
        .clone();
    let stale_note = ws0
        .notes
        .values()
        .find(|n| n.persona.as_ref() != Some(&doomed))
        .unwrap()
        .id
        .clone();
    let activity = ws0.activities().next().unwrap().1.name.clone();
    assert!(by_name(&ws0, capture_persona).id != doomed);

    let stop = Arc::new(AtomicBool::new(false));
    let notes: Arc<Mutex<Vec<(Id, String)>>> = Arc::default();
    let comments: Arc<Mutex<Vec<String>>> = Arc::default();
    let checks = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut handles = Vec::new();

    // Three capture loops.
    for w in 0..3 {
        let (cwd, notes, activity) = (cwd.to_path_buf(), Arc::clone(&notes), activity.clone());
        handles.push(std::thread::spawn(move || {
            for r in 0..n {
                let text = format!("Stress w{w} r{r}\n! pain w{w} r{r}\n> said in round {r}");
                let who = format!("stress-w{w}-r{r}");
                let out = valuemap(
                    &cwd,
                    &[
                        "note",
                        "add",
                        "ws",
                        "-p",
                        capture_persona,
                        "-a",
                        &activity,
                        "-i",
                        &who,
                        &text,
                        "--accept",
                    ],
                );
                assert!(out.ok, "note add w{w} r{r} failed: {}", out.stderr);
                let id = out
                    .stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("Created note "))
                    .and_then(|l| l.split(':').next())
                    .unwrap_or_else(|| panic!("no note id in: {}", out.stdout));
                notes
                    .lock()
                    .unwrap()
                    .push((Id::new(id), format!("pain w{w} r{r}")));
            }
        }));
    }
    // A metric loop.
    {
        let (cwd, comments) = (cwd.to_path_buf(), Arc::clone(&comments));
        handles.push(std::thread::spawn(move || {
            for r in 0..n {
                let comment = format!("stress r{r}");
                let value = format!("{}", 99.0 + r as f64 / 100.0);
                // One observation a day: a second value on a day needs --replace.
                let date = (chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
                    + chrono::Days::new(r as u64))
                .to_string();
                let out = valuemap(
                    &cwd,
                    &[
                        "metric", "observe", "ws", "Uptime", &value, "-c", &comment, "--date",
                        &date,
                    ],
                );
                assert!(out.ok, "metric observe r{r} failed: {}", out.stderr);
                comments.lock().unwrap().push(comment);
            }
        }));
    }
    // A reader: the workspace is valid whenever it is read.
    let reader = {
        let (cwd, stop, checks) = (cwd.to_path_buf(), Arc::clone(&stop), Arc::clone(&checks));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let out = valuemap(&cwd, &["check", "ws", "--no-coverage"]);
                assert!(
                    out.ok,
                    "check found errors mid-run:\n{}{}",
                    out.stdout, out.stderr
                );
                checks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // The cascade: delete a persona, save; put it back, save. The lock is
    // held from each read to its write.
    let cascade = {
        let (root, doomed) = (root.clone(), doomed.clone());
        std::thread::spawn(move || {
            let mut undo: Option<Edit> = None;
            let mut saves = 0;
            for r in 0..2 * n.div_ceil(2) {
                std::thread::sleep(Duration::from_millis(fastrand::u64(0..40)));
                let (mut store, mut ws, _) = Store::open_locked(&root).unwrap();
                let e = match undo.take() {
                    Some(inverse) => inverse,
                    None => edit::delete_persona(&ws, &doomed).0,
                };
                let files = e.files();
                let inverse = edit::apply(&mut ws, e).unwrap();
                store
                    .save(&ws, &Scope::Files(files), false)
                    .unwrap_or_else(|e| panic!("cascade round {r}: {e}"));
                saves += 1;
                if ws.persona(&doomed).is_none() {
                    undo = Some(inverse);
                }
            }
            saves
        })
    };
    // The interface: load, wait, edit two files, save; refused when
    // something it writes changed since its load, then it tries again.
    let interface = {
        let (root, opp, note) = (root.clone(), stale_opp.clone(), stale_note.clone());
        std::thread::spawn(move || {
            let (mut refusals, mut last) = (0usize, None);
            for r in 0..n {
                let title = format!("Edited by the interface, round {r}");
                let tag = format!("round{r}");
                loop {
                    let (mut store, mut ws, _) = Store::open(&root).unwrap();
                    std::thread::sleep(Duration::from_millis(fastrand::u64(0..30)));
                    let mut o = ws.opportunity(&opp).unwrap().clone();
                    o.title.clone_from(&title);
                    let mut nt = ws.notes[&note].clone();
                    nt.tags = valuemap::model::thin_vec![tag.clone()];
                    let e = Edit::Batch(vec![
                        Edit::SetOpportunity { opportunity: o },
                        Edit::PutNote {
                            id: note.clone(),
                            note: Some(*nt),
                        },
                    ]);
                    let files = e.files();
                    assert_eq!(files.len(), 2);
                    edit::apply(&mut ws, e).unwrap();
                    match store.save(&ws, &Scope::Files(files), false) {
                        Ok(_) => {
                            last = Some((title.clone(), tag.clone()));
                            break;
                        }
                        Err(SaveError::Changed { .. }) => refusals += 1,
                        Err(e) => panic!("interface round {r}: {e}"),
                    }
                }
            }
            (refusals, last)
        })
    };

    for h in handles {
        h.join().unwrap();
    }
    let cascade_saves = cascade.join().unwrap();
    let (refusals, last) = interface.join().unwrap();
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    let elapsed = started.elapsed();

    // Everything reported is there.
    let out = valuemap(cwd, &["check", "ws", "--no-coverage"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    let (_, ws, info) = Store::open(&root).unwrap();
    assert!(info.recovered.is_none() && info.skipped.is_empty());
    let errors: Vec<_> = validate(&ws)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let notes = notes.lock().unwrap();
    assert_eq!(notes.len(), 3 * n);
    let titles: BTreeMap<&str, &valuemap::model::Opportunity> = ws
        .opportunities
        .iter()
        .map(|o| (o.title.as_str(), o))
        .collect();
    for (id, pain) in notes.iter() {
        assert!(ws.notes.contains_key(id), "note {id} was reported, is gone");
        let o = titles
            .get(pain.as_str())
            .unwrap_or_else(|| panic!("the opportunity \"{pain}\" was reported, is gone"));
        assert!(o.evidence.iter().any(|e| &e.note == id), "{pain}");
    }
    let uptime = ws.metrics.iter().find(|m| m.name == "Uptime").unwrap();
    for c in comments.lock().unwrap().iter() {
        assert!(
            uptime.observations.iter().any(|o| &o.comment == c),
            "observation \"{c}\" was reported, is gone"
        );
    }
    let (title, tag) = last.unwrap();
    assert_eq!(ws.opportunity(&stale_opp).unwrap().title, title);
    assert_eq!(ws.notes[&stale_note].tags, vec![tag]);
    assert!(
        ws.persona(&doomed).is_some(),
        "the cascade ends with the persona put back"
    );
    assert_eq!(ws.persona(&doomed), ws0.persona(&doomed));
    for n0 in ws0.notes.values() {
        assert_eq!(
            ws.notes[&n0.id].persona, n0.persona,
            "note {} keeps its persona link after the delete and its undo",
            n0.id
        );
    }
    let leftovers: Vec<_> = [root.clone(), root.join("notes")]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap().flatten())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    println!(
        "stress: {} note add --accept, {n} metric observe, {cascade_saves} cascading saves \
         (a persona deleted and put back, {} files each way) and {n} interface saves \
         ({refusals} refused as changed on disk, then redone) at once, with {} checks running \
         meanwhile, all valid; every reported success on disk; {elapsed:.1?}",
        3 * n,
        edit::delete_persona(&ws0, &doomed).0.files().len(),
        checks.load(Ordering::Relaxed)
    );
}
