//! The RON store: round trips, canonical output, minimal saves, refusal to
//! overwrite outside changes, private files, and failure without damage.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use proptest::prelude::*;
use valuemap::model::validate::FileKey;
use valuemap::model::*;
use valuemap::store::{LoadError, SaveError, Scope, Store};
use valuemap::template::Template;

fn k8s() -> Workspace {
    Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn note(id: &str, body: &str) -> Note {
    Note {
        id: id.into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        interviewee: "Zoë".into(),
        persona: None,
        activities: vec![],
        title: body.lines().next().unwrap_or("").into(),
        body: body.into(),
        tags: valuemap::model::ThinVec::new(),
        dismissed: valuemap::model::ThinVec::new(),
        answered: valuemap::model::ThinVec::new(),
        captured: None,
    }
}

#[test]
fn template_round_trips_and_second_save_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let ws = k8s();
    Store::create(&root, &ws).unwrap();
    let before = snapshot(&root);
    let (mut store, loaded, info) = Store::open(&root).unwrap();
    assert_eq!(loaded, ws);
    assert_eq!(info.migrated_from, None);
    let report = store.save(&loaded, &Scope::All, false).unwrap();
    assert!(report.written.is_empty(), "{report:?}");
    assert_eq!(snapshot(&root), before);
    assert!(store.non_canonical(&loaded).is_empty());
    assert!(root.join("workspace.ron").exists());
    assert!(!root.join("opportunities.ron").exists());
    assert!(!root.join("metrics.ron").exists());
    for n in ws.notes.values() {
        let name = format!("notes/{}-{}.ron", n.date, n.id);
        assert!(root.join(&name).exists(), "{name}");
    }
    for o in &ws.opportunities {
        let name = format!("opportunities/{}.ron", o.id);
        assert!(root.join(&name).exists(), "{name}");
    }
    for m in &ws.metrics {
        let name = format!("metrics/{}.ron", m.id);
        assert!(root.join(&name).exists(), "{name}");
    }
}

#[test]
fn output_is_pretty_with_unix_line_ends_and_a_version() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let text = fs::read_to_string(root.join("workspace.ron")).unwrap();
    assert!(text.starts_with("(\n    version: 3,\n    name: \"Kubernetes platform\",\n"));
    assert!(!text.contains('\r'));
    assert!(text.ends_with(")\n"));
}

#[test]
fn a_save_writes_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();

    let id = ws.fresh_id();
    ws.notes
        .insert(id.clone(), note(id.as_str(), "New call\n! it hurts").into());
    let report = store.save(&ws, &Scope::All, false).unwrap();
    assert_eq!(
        report.written,
        vec![root.join(format!("notes/2026-11-20-{id}.ron"))]
    );

    ws.opportunities[0].title.push_str(" (edited)");
    let opp = ws.opportunities[0].id.clone();
    let keys: BTreeSet<FileKey> = [FileKey::Opportunity(opp.clone()), FileKey::Workspace].into();
    let report = store.save(&ws, &Scope::Files(keys), false).unwrap();
    assert_eq!(
        report.written,
        vec![root.join(format!("opportunities/{opp}.ron"))]
    );

    // Editing a note keeps its file name even when its date changes.
    ws.notes.get_mut(&id).unwrap().date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let report = store
        .save(
            &ws,
            &Scope::Files([FileKey::Note(id.clone())].into()),
            false,
        )
        .unwrap();
    assert_eq!(
        report.written,
        vec![root.join(format!("notes/2026-11-20-{id}.ron"))]
    );

    ws.notes.remove(&id);
    let report = store.save(&ws, &Scope::All, false).unwrap();
    assert!(report.written.is_empty());
    assert_eq!(
        report.removed,
        vec![root.join(format!("notes/2026-11-20-{id}.ron"))]
    );
    let (_, again, _) = Store::open(&root).unwrap();
    assert_eq!(again, ws);
}

#[test]
fn outside_changes_are_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    let file = root.join(format!("opportunities/{}.ron", ws.opportunities[0].id));
    let outside = fs::read_to_string(&file).unwrap() + "// changed elsewhere\n";
    fs::write(&file, &outside).unwrap();

    // A save that does not touch the changed file goes through.
    ws.name = "Renamed".into();
    store
        .save(&ws, &Scope::Files([FileKey::Workspace].into()), false)
        .unwrap();

    // One that would overwrite it is refused before anything is written.
    ws.name = "Renamed again".into();
    ws.opportunities[0].title = "Mine".into();
    let err = store.save(&ws, &Scope::All, false).unwrap_err();
    match &err {
        SaveError::Changed { paths } => assert_eq!(paths, &vec![file.clone()]),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains("changed on disk since it was loaded")
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), outside);
    assert!(
        fs::read_to_string(root.join("workspace.ron"))
            .unwrap()
            .contains("\"Renamed\"")
    );

    // Forcing is a deliberate choice.
    store.save(&ws, &Scope::All, true).unwrap();
    assert!(fs::read_to_string(&file).unwrap().contains("Mine"));
}

#[test]
fn a_note_file_created_elsewhere_with_the_same_name_is_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &Workspace::new("w")).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    ws.notes.insert("abc234".into(), note("abc234", "x").into());
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/2026-11-20-abc234.ron"), "someone else's").unwrap();
    assert!(matches!(
        store.save(&ws, &Scope::All, false),
        Err(SaveError::Changed { .. })
    ));
    assert_eq!(
        fs::read(root.join("notes/2026-11-20-abc234.ron")).unwrap(),
        b"someone else's"
    );
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_old_files_intact() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc_geteuid() } == 0 {
        // root ignores folder permissions; the read-only check cannot fail.
        eprintln!("skipped: running as root, a read-only folder is still writable");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let before = snapshot(&root);
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    fs::set_permissions(&root, fs::Permissions::from_mode(0o500)).unwrap();
    ws.name = "changed".into();
    let err = store.save(&ws, &Scope::All, false).unwrap_err();
    fs::set_permissions(&root, fs::Permissions::from_mode(0o700)).unwrap();
    assert!(matches!(err, SaveError::Io { .. }), "{err:?}");
    assert_eq!(snapshot(&root), before);
}

#[cfg(unix)]
unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[cfg(unix)]
#[test]
fn a_failed_write_into_a_full_path_leaves_the_old_file_intact() {
    // Works as root too: the temporary file cannot be created where a
    // directory is in the way of the notes folder.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &Workspace::new("w")).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    fs::write(
        root.join("notes"),
        "a file where the notes folder should be",
    )
    .unwrap();
    let before = snapshot(&root);
    ws.notes.insert("abc234".into(), note("abc234", "x").into());
    ws.name = "changed".into();
    assert!(store.save(&ws, &Scope::All, false).is_err());
    assert_eq!(snapshot(&root), before);
}

#[cfg(unix)]
#[test]
fn files_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let old = unsafe { umask(0) };
    let created = Store::create(&root, &k8s());
    unsafe { umask(old) };
    created.unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("notes")), 0o700);
    for (p, _) in snapshot(&root) {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[cfg(unix)]
unsafe extern "C" {
    fn umask(mask: u32) -> u32;
}

#[test]
fn create_refuses_an_existing_path() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("f"), "keep").unwrap();
    assert!(matches!(
        Store::create(&dir.path().join("f"), &k8s()),
        Err(SaveError::Exists { .. })
    ));
    assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"keep");
}

#[test]
fn missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open(&dir.path().join("nope")).unwrap_err();
    assert!(matches!(e, LoadError::Missing { .. }));
    assert!(e.to_string().contains("workspace.ron not found"));
}

#[test]
fn version_zero_fixture_migrates_and_is_rewritten_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("v0");
    copy_dir(Path::new("tests/fixtures/v0"), &root);
    let (mut store, ws, info) = Store::open(&root).unwrap();
    assert_eq!(info.migrated_from, Some(0));
    let dev = ws
        .personas
        .iter()
        .find(|p| p.name == "Platform developer")
        .unwrap();
    assert_eq!(dev.jobs, ["Keep every cluster healthy and patched"]);
    let cell = ws.perspective(&dev.id, &"cr2t4k".into()).unwrap();
    assert_eq!(cell.interest, "Self-service clusters in minutes");
    assert_eq!(ws.notes.len(), 1);
    assert!(
        store
            .non_canonical(&ws)
            .contains(&root.join("workspace.ron"))
    );
    store.save(&ws, &Scope::All, false).unwrap();
    let text = fs::read_to_string(root.join("workspace.ron")).unwrap();
    assert!(text.contains("version: 3") && text.contains("jobs:") && !text.contains("jtbd"));
    let (_, again, info) = Store::open(&root).unwrap();
    assert_eq!(info.migrated_from, None);
    assert_eq!(again, ws);
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

/// Leftovers in the folders of entity files are found by the load's own
/// listing, in the interface's background load as in a plain open.
#[test]
fn stale_temp_files_among_notes_are_cleaned_after_either_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(
        &root,
        &valuemap::synth::workspace(valuemap::synth::Shape::notes(300)),
    )
    .unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let leave = |name: &str, modified: Option<std::time::SystemTime>| {
        let p = root.join("notes").join(name);
        fs::write(&p, "half").unwrap();
        if let Some(t) = modified {
            fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        p
    };
    let stale = leave(".valuemap-abc.tmp", Some(old));
    let fresh = leave(".valuemap-def.tmp", None);
    let (store, _, _) = Store::open(&root).unwrap();
    assert_eq!(store.clean_stale_temp_files(), 1);
    assert!(!stale.exists() && fresh.exists());

    let stale = leave(".valuemap-ghi.tmp", Some(old));
    let opening = valuemap::store::open_in_background(&root).unwrap();
    let mut app = valuemap::tui::registry::loading::start(
        opening,
        vec![valuemap::tui::state::disk::Then::CleanTemporaryFiles],
    );
    while valuemap::tui::registry::loading::pump(&mut app, std::time::Duration::from_millis(5)) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(!stale.exists(), "cleaned once everything was read");
    assert!(
        fresh.exists(),
        "a young one may belong to a save in progress"
    );
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("1 temporary file"), "{said}");
}

#[test]
fn stale_temp_files_are_cleaned_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &Workspace::new("w")).unwrap();
    let stale = root.join(".valuemap-abc.tmp");
    fs::write(&stale, "half").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let fresh = root.join(".valuemap-def.tmp");
    fs::write(&fresh, "in progress").unwrap();
    let (store, _, _) = Store::open(&root).unwrap();
    assert!(stale.exists(), "opening alone changes nothing");
    assert_eq!(store.clean_stale_temp_files(), 1);
    assert!(!stale.exists());
    assert!(
        fresh.exists(),
        "a young temp file may belong to a save in progress"
    );
}

// ---- property: any workspace round-trips, and a second save is identical ----

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.!?'-]{0,24}",
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
        Just("quote \" backslash \\ hash # r#\"raw\"#".to_string()),
        Just("line one\nline two\r\n\ttabbed \u{1b}[31m".to_string()),
        Just("日本語 e\u{301} 👨‍👩‍👧 مرحبا".to_string()),
    ]
}

fn small_vec<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(s, 0..3)
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..20_000)
        .prop_map(|d| NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(d as u64))
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e12f64..1e12,
        Just(0.0),
        Just(-0.0),
        Just(1e300),
        Just(5e-324),
        Just(0.1 + 0.2),
    ]
}

fn workspace() -> impl Strategy<Value = Workspace> {
    let phases = prop::collection::vec(
        (
            text(),
            text(),
            prop::collection::vec((text(), text()), 0..4),
        ),
        0..4,
    );
    let personas = prop::collection::vec(
        (
            text(),
            prop::sample::select(Role::ALL.to_vec()),
            text(),
            small_vec(text()),
            small_vec(text()),
        ),
        0..4,
    );
    let rating = prop::option::of(0u8..=7);
    let cells = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            text(),
            small_vec(text()),
            small_vec(text()),
            rating.clone(),
            rating,
        ),
        0..6,
    );
    let notes = prop::collection::vec(
        (
            date(),
            text(),
            any::<bool>(),
            text(),
            text(),
            small_vec(text()),
        ),
        0..4,
    );
    let opps = prop::collection::vec(
        (
            text(),
            prop::sample::select(OpportunityKind::ALL.to_vec()),
            prop::sample::select(Status::ALL.to_vec()),
            prop::option::of(prop::sample::select(Horizon::ALL.to_vec())),
            prop::option::of(finite()),
            small_vec(text()),
            text(),
        ),
        0..4,
    );
    let metrics = prop::collection::vec(
        (
            text(),
            any::<bool>(),
            text(),
            prop::option::of(finite()),
            prop::option::of(finite()),
            any::<bool>(),
            prop::collection::vec((date(), finite(), text()), 0..4),
        ),
        0..3,
    );
    (
        text(),
        text(),
        phases,
        personas,
        cells,
        notes,
        opps,
        metrics,
    )
        .prop_map(
            |(name, description, phases, personas, cells, notes, opps, metrics)| {
                let mut ws = Workspace::new(name);
                ws.description = description;
                for (name, description, acts) in phases {
                    let id = ws.fresh_id();
                    ws.phases.push(Phase {
                        id,
                        name,
                        description,
                        activities: vec![],
                    });
                    for (name, description) in acts {
                        let id = ws.fresh_id();
                        ws.phases.last_mut().unwrap().activities.push(Activity {
                            id,
                            name,
                            description,
                        });
                    }
                }
                for (name, role, description, jobs, tags) in personas {
                    let id = ws.fresh_id();
                    ws.personas.push(Persona {
                        id,
                        name,
                        role,
                        description,
                        jobs,
                        tags,
                    });
                }
                let acts: Vec<Id> = ws.activities().map(|(_, a)| a.id.clone()).collect();
                let pids: Vec<Id> = ws.personas.iter().map(|p| p.id.clone()).collect();
                if !acts.is_empty() && !pids.is_empty() {
                    for (pi, ai, interest, needs, pains, importance, satisfaction) in cells {
                        let (p, a) = (pi.get(&pids).clone(), ai.get(&acts).clone());
                        let cell = Perspective {
                            persona: p.clone(),
                            activity: a.clone(),
                            interest,
                            needs,
                            pains,
                            importance,
                            satisfaction,
                        };
                        ws.set_perspective(&p, &a, Some(cell));
                    }
                }
                for (date, interviewee, linked, title, body, tags) in notes {
                    let id = ws.fresh_id();
                    let persona = if linked { pids.first().cloned() } else { None };
                    let activities = if linked {
                        acts.iter().take(2).cloned().collect()
                    } else {
                        vec![]
                    };
                    ws.notes.insert(
                        id.clone(),
                        Note {
                            id,
                            date,
                            interviewee: interviewee.into(),
                            persona,
                            activities,
                            title,
                            body,
                            tags: tags.into(),
                            dismissed: valuemap::model::ThinVec::new(),
                            answered: valuemap::model::ThinVec::new(),
                            captured: None,
                        }
                        .into(),
                    );
                }
                let note_ids: Vec<Id> = ws.notes.keys().cloned().collect();
                for (title, kind, status, horizon, manual_score, quotes, description) in opps {
                    let id = ws.fresh_id();
                    let mut o = Opportunity::new(id, title, kind);
                    o.status = status;
                    o.horizon = horizon;
                    o.manual_score = manual_score;
                    o.description = description;
                    o.activities = acts.iter().rev().take(1).cloned().collect();
                    o.personas = pids.iter().take(1).cloned().collect();
                    if let Some(n) = note_ids.first() {
                        o.evidence = quotes
                            .into_iter()
                            .map(|quote| Evidence {
                                note: n.clone(),
                                quote,
                            })
                            .collect();
                    }
                    ws.opportunities.push(o);
                }
                for (name, qual, unit, baseline, target, lower, obs) in metrics {
                    let id = ws.fresh_id();
                    ws.metrics.push(Metric {
                        id,
                        name,
                        kind: if qual {
                            MetricKind::Qualitative
                        } else {
                            MetricKind::Quantitative
                        },
                        unit,
                        description: String::new(),
                        activity: acts.first().cloned(),
                        opportunity: ws.opportunities.first().map(|o| o.id.clone()),
                        personas: Vec::new(),
                        formula: None,
                        adoption: None,
                        baseline,
                        target,
                        direction: if lower {
                            Direction::LowerIsBetter
                        } else {
                            Direction::HigherIsBetter
                        },
                        observations: obs
                            .into_iter()
                            .map(|(date, value, comment)| Observation {
                                date,
                                value,
                                comment,
                            })
                            .collect(),
                    });
                }
                ws.normalize();
                ws
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_workspace_round_trips(ws in workspace()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        Store::create(&root, &ws).unwrap();
        let first = snapshot(&root);
        let (mut store, loaded, _) = Store::open(&root).unwrap();
        prop_assert_eq!(&loaded, &ws);
        let report = store.save(&loaded, &Scope::All, false).unwrap();
        prop_assert!(report.written.is_empty());
        let root2 = dir.path().join("again");
        Store::create(&root2, &loaded).unwrap();
        let second: Vec<_> = snapshot(&root2).into_iter().map(|(p, b)| (p.strip_prefix(&root2).unwrap().to_path_buf(), b)).collect();
        let first: Vec<_> = first.into_iter().map(|(p, b)| (p.strip_prefix(&root).unwrap().to_path_buf(), b)).collect();
        prop_assert_eq!(first, second);
    }
}

#[test]
fn a_large_save_flushes_once_and_round_trips() {
    // More files than a single save writes one by one: the bulk path.
    let ws = valuemap::synth::workspace(valuemap::synth::Shape::notes(300));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &ws).unwrap();
    let (mut store, loaded, _) = Store::open(&root).unwrap();
    assert_eq!(loaded, ws);
    assert!(
        store
            .save(&loaded, &Scope::All, false)
            .unwrap()
            .written
            .is_empty()
    );
    let leftovers = fs::read_dir(root.join("notes"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".valuemap-")
        })
        .count();
    assert_eq!(leftovers, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for (p, _) in snapshot(&root) {
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600,
                "{}",
                p.display()
            );
        }
    }
}

// ---- a save is one transaction ----

/// Runs `chattr FLAG PATH`; false where that is not possible (not root, a
/// filesystem without the attribute).
#[cfg(target_os = "linux")]
fn chattr(flag: &str, p: &Path) -> bool {
    std::process::Command::new("chattr")
        .arg(flag)
        .arg(p)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(target_os = "linux")]
#[test]
fn a_save_that_cannot_replace_one_of_its_files_changes_none() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    // Deleting a persona touches workspace.ron, its notes and opportunities.
    let persona = ws.personas[0].id.clone();
    let (e, _) = valuemap::model::edit::delete_persona(&ws, &persona);
    let files = e.files();
    assert!(files.len() > 2, "{files:?}");
    valuemap::model::edit::apply(&mut ws, e).unwrap();
    let note = files
        .iter()
        .find_map(|k| match k {
            FileKey::Note(id) => Some(store.path_of(&FileKey::Note(id.clone()), &ws)),
            _ => None,
        })
        .unwrap();
    if !chattr("+i", &note) {
        eprintln!("skipped: cannot make a file immutable here (needs root and ext4, tmpfs...)");
        return;
    }
    let before = snapshot(&root);
    let err = store.save(&ws, &Scope::Files(files.clone()), false);
    chattr("-i", &note);
    let err = err.unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err:?}");
    assert!(err.nothing_written());
    assert!(
        err.to_string().contains(&note.display().to_string()),
        "names the file: {err}"
    );
    assert_eq!(snapshot(&root), before, "every file keeps its old content");
    // Once the file can be replaced, the same save goes through whole.
    store.save(&ws, &Scope::Files(files), false).unwrap();
    let (_, again, info) = Store::open(&root).unwrap();
    assert!(info.recovered.is_none());
    assert_eq!(again, ws);
}

#[test]
fn a_store_opened_locked_keeps_other_writers_out_until_dropped() {
    use valuemap::store::lock::{Mode, WorkspaceLock};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let (mut store, mut ws, _) = Store::open_locked(&root).unwrap();
    assert!(store.holds_lock());
    let short = std::time::Duration::from_millis(20);
    assert!(WorkspaceLock::acquire(&root, Mode::Exclusive, short).is_err());
    assert!(WorkspaceLock::acquire(&root, Mode::Shared, short).is_err());
    // Its own saves use the lock it holds.
    ws.name = "renamed".into();
    store.save(&ws, &Scope::All, false).unwrap();
    store.unlock();
    assert!(WorkspaceLock::acquire(&root, Mode::Exclusive, short).is_ok());
}

/// A version-1 folder (every opportunity in `opportunities.ron`, every
/// metric in `metrics.ron`): read as it is; the next save, whatever it is
/// asked to write, writes the whole new layout and removes the two lists
/// in the same transaction, so no opportunity is ever held twice.
#[test]
fn a_version_1_folder_is_migrated_whole_by_any_save() {
    use valuemap::store::format::{MetricsFileRef, OpportunitiesFileRef, to_ron};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let ws = k8s();
    Store::create(&root, &ws).unwrap();
    // Back to format version 1's layout.
    for folder in ["opportunities", "metrics"] {
        fs::remove_dir_all(root.join(folder)).unwrap();
    }
    fs::write(
        root.join("opportunities.ron"),
        to_ron(&OpportunitiesFileRef {
            opportunities: ws.opportunities.iter().collect(),
            conflicts: Vec::new(),
        }),
    )
    .unwrap();
    fs::write(
        root.join("metrics.ron"),
        to_ron(&MetricsFileRef {
            metrics: ws.metrics.iter().collect(),
            conflicts: Vec::new(),
        }),
    )
    .unwrap();
    let text = fs::read_to_string(root.join("workspace.ron")).unwrap();
    fs::write(
        root.join("workspace.ron"),
        text.replace("version: 3,", "version: 1,"),
    )
    .unwrap();
    let before = snapshot(&root);

    let (mut store, mut loaded, info) = Store::open(&root).unwrap();
    assert_eq!(loaded, ws, "read as it is");
    assert_eq!(info.migrated_from, Some(1));
    assert!(info.migrate.contains(&FileKey::Opportunities));
    assert!(info.migrate.contains(&FileKey::Workspace));
    assert_eq!(
        info.migrate.len(),
        3 + ws.opportunities.len() + ws.metrics.len()
    );
    assert_eq!(snapshot(&root), before, "reading writes nothing");

    // A save of one note migrates everything with it.
    let id = loaded.notes.keys().next().unwrap().clone();
    loaded.notes.get_mut(&id).unwrap().interviewee = "Edited".into();
    let report = store
        .save(&loaded, &Scope::Files([FileKey::Note(id)].into()), false)
        .unwrap();
    assert_eq!(
        report.removed,
        [root.join("metrics.ron"), root.join("opportunities.ron")]
    );
    assert_eq!(
        report.written.len(),
        2 + ws.opportunities.len() + ws.metrics.len()
    );
    assert!(!root.join("opportunities.ron").exists());
    let (store, again, info) = Store::open(&root).unwrap();
    assert_eq!(again, loaded);
    assert_eq!(info.migrated_from, None);
    assert!(info.migrate.is_empty());
    assert!(store.non_canonical(&again).is_empty());
}

/// The watcher's paths are found in one look-up, whatever the file's name:
/// canonical names by their key, hand-made names in an index of their own.
#[test]
fn watcher_paths_name_their_files_canonical_or_not() {
    use valuemap::model::validate::FileKind;
    use valuemap::store::DiskFile;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let mut ws = k8s();
    // An id that is not safe in a file name, and one too long for it.
    let odd = Id::new("a/b c");
    let long = Id::new("x".repeat(200));
    for id in [&odd, &long] {
        let mut o = ws.opportunities[0].clone();
        o.id = id.clone();
        ws.opportunities.push(o);
    }
    ws.normalize();
    Store::create(&root, &ws).unwrap();
    // A note renamed by hand keeps its new name.
    let note = ws.notes.values().next().unwrap().clone();
    let canonical = valuemap::store::note_rel(&note);
    fs::rename(root.join(&canonical), root.join("notes/by-hand.ron")).unwrap();
    let (store, ws, _) = Store::open(&root).unwrap();
    let known = |rel: &str| store.disk_file(&root.join(rel));
    assert_eq!(
        known("notes/by-hand.ron"),
        Some(DiskFile::Known(FileKey::Note(note.id.clone())))
    );
    assert_eq!(
        known(canonical.to_str().unwrap()),
        Some(DiskFile::New(FileKind::Note, canonical.clone()))
    );
    for o in &ws.opportunities {
        let rel = store.path_of(&FileKey::Opportunity(o.id.clone()), &ws);
        assert_eq!(
            store.disk_file(&rel),
            Some(DiskFile::Known(FileKey::Opportunity(o.id.clone()))),
            "{}",
            rel.display()
        );
    }
    assert_eq!(
        known("metrics/zzzzzz.ron"),
        Some(DiskFile::New(FileKind::Metric, "metrics/zzzzzz.ron".into()))
    );
    assert_eq!(known("metrics/.valuemap-x.tmp"), None);
    assert_eq!(known("elsewhere/x.ron"), None);
    assert_eq!(known("notes/deeper/x.ron"), None);
}

/// A save's own files, reported back by the watcher, are recognised as
/// unchanged; a change made elsewhere afterwards is not.
#[test]
fn the_echo_of_a_save_is_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &k8s()).unwrap();
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    ws.opportunities[0].title = "Saved here".into();
    let key = FileKey::Opportunity(ws.opportunities[0].id.clone());
    store
        .save(&ws, &Scope::Files([key.clone()].into()), false)
        .unwrap();
    let path = store.path_of(&key, &ws);
    let f = store.disk_file(&path).unwrap();
    assert!(!store.disk_changed(&f, &ws));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("Saved here", "Changed elsewhere")).unwrap();
    assert!(store.disk_changed(&f, &ws));
}
