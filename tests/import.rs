//! `valuemap import`, run as a real process on temporary folders: our own
//! JSON export (an exact round trip into an empty workspace; skips into a
//! full one), a folder of Markdown notes, and a CSV table of notes. What it
//! writes is read back with the library's own store.
//!
//! Nothing here reads HOME or the XDG folders; the TUI is not started.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use valuemap::model::{
    Activity, Evidence, Id, Note, Observation, OpportunityKind, Persona, Phase, Role, Workspace,
};
use valuemap::store::{Scope, Store};

// Ids of the kubernetes-platform template (assets/templates/kubernetes-platform.ron).
const PLATFORM_DEVELOPER: &str = "a2pdev";
const APPLICATION_DEVELOPER: &str = "j3adev";
const ENGINEERING_MANAGER: &str = "s4emgr";
const CREATE_A_CLUSTER: &str = "a2cmkr";
const MONITOR_A_WORKLOAD: &str = "j7mwkd";
const UPGRADE_A_CLUSTER: &str = "q8upgr";
const TRACK_COSTS: &str = "v9csts";
const COST_DASHBOARD: &str = "52cdsh";
const UPTIME: &str = "72uptm";
const CREATION: &str = "ah2crx";

// ---- running the binary ----

#[path = "support/bin.rs"]
mod bin;

use bin::*;

#[track_caller]
fn ok(cwd: &Path, args: &[&str]) -> Run {
    let r = valuemap(cwd, args);
    assert_eq!(r.code, Some(0), "valuemap {args:?}: {r:?}");
    r
}

#[track_caller]
fn fails(cwd: &Path, args: &[&str]) -> Run {
    let r = valuemap(cwd, args);
    assert_eq!(r.code, Some(1), "valuemap {args:?}: {r:?}");
    assert!(
        r.stderr.trim_end().ends_with("nothing was imported"),
        "{r:?}"
    );
    r
}

// ---- what is on disk ----

/// Every file under `root` (relative path → bytes, modification time).
type Tree = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

fn tree(root: &Path) -> Tree {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        } else {
            let m = fs::metadata(&p).unwrap().modified().unwrap();
            out.insert(
                p.strip_prefix(root).unwrap().to_path_buf(),
                (fs::read(&p).unwrap(), m),
            );
        }
    }
    out
}

/// Only the bytes of every file.
fn contents(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(root).into_iter().map(|(p, (b, _))| (p, b)).collect()
}

fn load(root: &Path) -> Workspace {
    Store::open(root).unwrap().1
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn no_control_chars(s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reached the terminal: {s:?}"
    );
}

/// Changes a workspace folder through the library (as the TUI would).
fn edit(root: &Path, f: impl FnOnce(&mut Workspace)) {
    let (mut store, mut ws, _) = Store::open(root).unwrap();
    f(&mut ws);
    ws.normalize();
    store.save(&ws, &Scope::All, false).unwrap();
}

const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[31mRed\u{1b}[0m";

// ---------------------------------------------------------------- JSON

#[test]
fn json_round_trip_into_an_empty_workspace_is_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    // Beyond the template: numbers that need all 17 digits, escape
    // sequences and odd text, a note without persona, a conflict-free
    // workspace with every optional field used somewhere.
    edit(&cwd.join("ws"), |ws| {
        let m = ws
            .metrics
            .iter_mut()
            .find(|m| m.id == UPTIME.into())
            .unwrap();
        m.observations.push(Observation {
            date: date("2026-11-30"),
            value: 971.986_371_854_762_9,
            comment: format!("computed {HOSTILE}"),
        });
        m.baseline = Some(0.1 + 0.2);
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id == COST_DASHBOARD.into())
            .unwrap();
        o.manual_score = Some(1000.0 * 2.0 * 0.8 / 3.0);
        o.description = "line one\n\tline two \"quoted\" \\ back".into();
        ws.notes.insert(
            "nh0stl".into(),
            Note {
                id: "nh0stl".into(),
                date: date("2026-12-01"),
                interviewee: format!("Mallory {HOSTILE}").into(),
                persona: None,
                activities: vec![],
                title: format!("Title {HOSTILE}"),
                body: format!(
                    "Title {HOSTILE}\n> quote ✓ 日本語 👩‍💻\n? asked {HOSTILE}\n? who?\n  trailing  "
                ),
                tags: vec!["x".into()].into(),
                dismissed: valuemap::model::ThinVec::new(),
                // Questions answered, by a line of another note or none.
                answered: vec![
                    valuemap::model::Answer {
                        question: format!("? asked {HOSTILE}"),
                        date: date("2026-12-02"),
                        by: None,
                    },
                    valuemap::model::Answer {
                        question: "? who?".into(),
                        date: date("2026-12-03"),
                        by: Some(valuemap::model::Evidence {
                            note: "nh0stl".into(),
                            quote: "> quote ✓ 日本語 👩‍💻".into(),
                        }),
                    },
                ]
                .into(),
                captured: None,
            }
            .into(),
        );
        // A solution rated for value and effort.
        let s = ws.items.solutions.values_mut().next().unwrap();
        s.value = Some(4);
        s.effort = Some(2);
    });
    let a = ok(cwd, &["export", "ws", "--format", "json", "-o", "a.json"]);
    assert!(a.stdout.contains("a.json"), "{a:?}");
    ok(cwd, &["new", "ws2", "--template", "empty"]);
    let before = tree(&cwd.join("ws2"));

    // The dry run lists everything and writes nothing.
    let dry = ok(cwd, &["import", "ws2", "--from", "json", "a.json"]);
    assert!(
        dry.stdout.starts_with(
            "Importing a.json into ws2 would create 3 phases, 10 activities, 3 personas, \
             25 perspectives, 7 notes, 9 opportunities, 11 metrics, 2 outcomes, 3 solutions, \
             2 assumption tests, 3 teams, 8 adoption records:\n"
        ),
        "{dry:?}"
    );
    for line in [
        "\n  phase \"Creation\"\n",
        "\n  activity \"Create a cluster\" (in Creation)\n",
        "\n  persona \"Engineering manager\" (customer)\n",
        "\n  perspective Platform developer × Create a cluster\n",
        "\n  note 2026-11-05  Kenji (platform team)  \"On-call: alert noise hides the incidents that matter\"\n",
        "\n  note 2026-12-01  Mallory ]0;pwned[31mRed[0m  \"Title ]0;pwned[31mRed[0m\"\n",
        "\n  opportunity \"Managers keep asking for cost data\" (need)\n",
        "\n  solution \"Cost dashboard\"\n",
        "\n  assumption test \"Cost per deployment can be computed from the billing export\"\n",
        "\n  metric \"Uptime\"\n",
        "\nnote: the workspace was empty: its 3 empty phase(s) are replaced by the export's phases\n",
    ] {
        assert!(dry.stdout.contains(line), "{line:?} not in {dry:?}");
    }
    assert!(
        dry.stdout
            .ends_with("Nothing was written (a dry run); add --apply to import.\n"),
        "{dry:?}"
    );
    no_control_chars(&dry.stdout);
    assert_eq!(tree(&cwd.join("ws2")), before, "a dry run writes nothing");

    let apply = ok(
        cwd,
        &["import", "ws2", "--from", "json", "a.json", "--apply"],
    );
    assert!(
        apply
            .stdout
            .starts_with("Imported a.json into ws2: created 3 phases, 10 activities,"),
        "{apply:?}"
    );
    assert!(
        apply
            .stdout
            .contains("  note 2026-12-01  Mallory ]0;pwned[31mRed[0m  \"Title ]0;pwned[31mRed[0m\"  → notes/2026-12-01-nh0stl.ron\n"),
        "{apply:?}"
    );
    no_control_chars(&apply.stdout);

    // The same workspace: the model, and every file byte for byte.
    let (ws, ws2) = (load(&cwd.join("ws")), load(&cwd.join("ws2")));
    // workspace.ron and a file per opportunity, metric, note, outcome,
    // solution and assumption test.
    let n = 1
        + ws2.opportunities.len()
        + ws2.metrics.len()
        + ws2.notes.len()
        + ws2.items.outcomes.len()
        + ws2.items.solutions.len()
        + ws2.items.tests.len()
        + ws2.items.layers.len()
        + ws2.items.nodes.len()
        + ws2.items.teams.len()
        + ws2.items.adoptions.len();
    assert_eq!(ws2.items.nodes.len(), 6, "the needs map is imported");
    assert!(
        !ws2.items.tests.is_empty(),
        "the export's items are imported"
    );
    assert!(
        apply.stdout.ends_with(&format!("Wrote {n} file(s).\n")),
        "{apply:?}"
    );
    assert_eq!(ws2, ws);
    assert!(
        ws2.items.teams.values().all(|t| t.since.is_some()),
        "the teams' since dates are imported"
    );
    assert_eq!(contents(&cwd.join("ws2")), contents(&cwd.join("ws")));
    let note = &ws2.notes[&Id::from("nh0stl")];
    assert_eq!(note.title, format!("Title {HOSTILE}"), "stored as given");
    assert_eq!(
        ws2.metric(&UPTIME.into()).unwrap().baseline,
        Some(0.1 + 0.2)
    );

    // A second export is byte-identical to the first.
    ok(cwd, &["export", "ws2", "--format", "json", "-o", "b.json"]);
    assert_eq!(
        fs::read(cwd.join("b.json")).unwrap(),
        fs::read(cwd.join("a.json")).unwrap()
    );
    ok(cwd, &["check", "ws2"]);

    // Importing it again changes nothing: everything is skipped, as identical.
    let before = tree(&cwd.join("ws2"));
    let again = ok(
        cwd,
        &["import", "ws2", "--from", "json", "a.json", "--apply"],
    );
    assert!(
        again
            .stdout
            .starts_with("Nothing to import: what a.json holds is already in ws2.\nSkipped, already in the workspace: 3 phases, 10 activities, 3 personas, 25 perspectives, 7 notes, 9 opportunities, 11 metrics, 2 outcomes, 3 solutions, 2 assumption tests, 3 teams, 8 adoption records\n"),
        "{again:?}"
    );
    assert!(
        again
            .stdout
            .contains("\n  persona \"Platform developer\" [a2pdev]: identical\n"),
        "{again:?}"
    );
    assert_eq!(tree(&cwd.join("ws2")), before);
}

#[test]
fn json_of_an_empty_workspace_into_an_empty_workspace_is_nothing_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "a", "--template", "empty"]);
    ok(cwd, &["new", "b", "--template", "empty"]);
    ok(cwd, &["export", "a", "--format", "json", "-o", "a.json"]);
    let r = ok(cwd, &["import", "b", "--from", "json", "a.json", "--apply"]);
    assert!(r.stdout.starts_with("Nothing to import"), "{r:?}");
    assert_eq!(contents(&cwd.join("a")), contents(&cwd.join("b")));
}

/// A source workspace made from the template on another machine: a new
/// persona, phase, activities, note and metric; one opportunity retitled.
fn colleague_export(cwd: &Path) -> PathBuf {
    ok(cwd, &["new", "theirs"]);
    edit(&cwd.join("theirs"), |ws| {
        ws.personas.push(Persona {
            id: "psre01".into(),
            name: "Site reliability engineer".into(),
            role: Role::Consumer,
            description: String::new(),
            jobs: vec!["Keep the lights on".into()],
            tags: vec![],
        });
        let creation = ws.phase_index(&CREATION.into()).unwrap();
        ws.phases[creation].activities.push(Activity {
            id: "aplan1".into(),
            name: "Plan capacity".into(),
            description: String::new(),
        });
        ws.phases.push(Phase {
            id: "phrt01".into(),
            name: "Retirement".into(),
            description: String::new(),
            activities: vec![Activity {
                id: "aarch1".into(),
                name: "Archive a cluster".into(),
                description: String::new(),
            }],
        });
        ws.notes.insert(
            "nsre01".into(),
            Note {
                id: "nsre01".into(),
                date: date("2026-12-02"),
                interviewee: "Sam".into(),
                persona: Some("psre01".into()),
                activities: vec!["aplan1".into(), MONITOR_A_WORKLOAD.into()],
                title: "Capacity is guesswork".into(),
                body: "Capacity is guesswork\n! We buy nodes by gut feeling".into(),
                tags: valuemap::model::ThinVec::new(),
                dismissed: valuemap::model::ThinVec::new(),
                answered: valuemap::model::ThinVec::new(),
                captured: None,
            }
            .into(),
        );
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id == COST_DASHBOARD.into())
            .unwrap();
        o.title = "Cost dashboard (their wording)".into();
        o.evidence.push(Evidence {
            note: "nsre01".into(),
            quote: "! We buy nodes by gut feeling".into(),
        });
        let mut m = ws.metric(&UPTIME.into()).unwrap().clone();
        m.id = "mcap01".into();
        m.name = "Spare capacity".into();
        m.observations.clear();
        ws.metrics.push(m);
    });
    ok(
        cwd,
        &["export", "theirs", "--format", "json", "-o", "theirs.json"],
    );
    cwd.join("theirs.json")
}

#[test]
fn json_into_a_workspace_with_content_adds_what_is_new_and_skips_existing_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    colleague_export(cwd);
    ok(cwd, &["new", "ws"]);
    let before = load(&cwd.join("ws"));
    let files_before = tree(&cwd.join("ws"));

    let dry = ok(cwd, &["import", "ws", "--from", "json", "theirs.json"]);
    assert!(
        dry.stdout.starts_with(
            "Importing theirs.json into ws would create 1 phase, 2 activities, 1 persona, 1 note, 1 metric:\n  phase \"Retirement\"\n  activity \"Plan capacity\" (in Creation)\n  activity \"Archive a cluster\" (in Retirement)\n  persona \"Site reliability engineer\" (consumer)\n  note 2026-12-02  Sam  \"Capacity is guesswork\"\n  metric \"Spare capacity\"\nSkipped, already in the workspace: 3 phases, 10 activities, 3 personas, 25 perspectives, 6 notes, 9 opportunities, 11 metrics, 2 outcomes, 3 solutions, 2 assumption tests, 3 teams, 8 adoption records\n"
        ),
        "{dry:?}"
    );
    assert!(
        dry.stdout.contains(
            "\n  opportunity \"Cost dashboard (their wording)\" [52cdsh]: differs; the workspace's version is kept\n"
        ),
        "{dry:?}"
    );
    assert!(
        dry.stdout
            .contains("\n  phase \"Creation\" [ah2crx]: identical\n"),
        "{dry:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), files_before);

    let apply = ok(
        cwd,
        &["import", "ws", "--from", "json", "theirs.json", "--apply"],
    );
    // workspace.ron, the new metric's file and the note's; the opportunity
    // that differs is untouched.
    assert!(apply.stdout.ends_with("Wrote 3 file(s).\n"), "{apply:?}");
    let after = load(&cwd.join("ws"));
    let after_files = tree(&cwd.join("ws"));
    let dashboard = PathBuf::from(format!("opportunities/{COST_DASHBOARD}.ron"));
    assert_eq!(after_files[&dashboard], files_before[&dashboard]);
    assert!(after_files.contains_key(Path::new("metrics/mcap01.ron")));
    assert_eq!(after.name, before.name);
    assert_eq!(after.personas.len(), 4);
    assert_eq!(after.personas[3].name, "Site reliability engineer");
    assert_eq!(after.phases.len(), 4);
    assert_eq!(after.phases[3].id, Id::from("phrt01"));
    let creation = after.phase(&CREATION.into()).unwrap();
    assert_eq!(
        creation.activities.last().unwrap().id,
        Id::from("aplan1"),
        "a new activity joins its phase at the end"
    );
    assert_eq!(after.notes.len(), 7);
    assert_eq!(
        after.opportunity(&COST_DASHBOARD.into()).unwrap(),
        before.opportunity(&COST_DASHBOARD.into()).unwrap(),
        "never overwritten"
    );
    assert!(after.metric(&"mcap01".into()).is_some());
    ok(cwd, &["check", "ws"]);

    // Again: nothing new.
    let again = ok(
        cwd,
        &["import", "ws", "--from", "json", "theirs.json", "--apply"],
    );
    assert!(again.stdout.starts_with("Nothing to import"), "{again:?}");
    assert_eq!(tree(&cwd.join("ws")), after_files);
}

#[test]
fn json_that_would_break_the_workspace_is_refused_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let src = colleague_export(cwd);
    ok(cwd, &["new", "ws"]);
    // A persona only this workspace has.
    edit(&cwd.join("ws"), |ws| {
        ws.personas.push(Persona {
            id: "pours1".into(),
            name: "Ours".into(),
            role: Role::Customer,
            description: String::new(),
            jobs: vec![],
            tags: vec![],
        });
    });
    let files = tree(&cwd.join("ws"));
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(&src).unwrap()).unwrap();
    let write = |name: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let mut d = doc.clone();
        f(&mut d);
        fs::write(cwd.join(name), serde_json::to_string_pretty(&d).unwrap()).unwrap();
    };

    // A dangling link: the new note names a persona that exists nowhere.
    write("dangling.json", &|d| {
        for n in d["notes"].as_array_mut().unwrap() {
            if n["id"] == "nsre01" {
                n["persona"] = "pnope1".into();
            }
        }
    });
    let r = fails(
        cwd,
        &["import", "ws", "--from", "json", "dangling.json", "--apply"],
    );
    assert!(
        r.stderr.contains("valuemap: the imported workspace would have an error: note \"Capacity is guesswork\" (2026-12-02, nsre01): links to persona pnope1, which does not exist\n"),
        "{r:?}"
    );

    // An id the workspace uses for another kind of entity.
    write("collision.json", &|d| {
        for m in d["metrics"].as_array_mut().unwrap() {
            if m["name"] == "Spare capacity" {
                m["id"] = "pours1".into();
            }
        }
    });
    let r = fails(
        cwd,
        &[
            "import",
            "ws",
            "--from",
            "json",
            "collision.json",
            "--apply",
        ],
    );
    assert!(
        r.stderr.contains(
            "valuemap: metric \"Spare capacity\" has id pours1, which the workspace uses for a persona\n"
        ),
        "{r:?}"
    );

    // Bad values are named with their place in the document; all are listed.
    write("values.json", &|d| {
        d["opportunities"][0]["status"] = "shipped".into();
        d["metrics"][0]["observations"][0]["date"] = "yesterday".into();
        d["personas"][0]["role"] = "boss".into();
        d["notes"][1]["id"] = d["notes"][0]["id"].clone();
    });
    let r = fails(cwd, &["import", "ws", "--from", "json", "values.json"]);
    for want in [
        "values.json: personas[0] (\"Platform developer\"): unknown role \"boss\"",
        "values.json: notes[1] (",
        "already used by notes[0]",
        "values.json: opportunities[0] (",
        "unknown status \"shipped\"",
        ".observations[0]: \"yesterday\" is not a date (YYYY-MM-DD)",
        "problems; nothing was imported",
    ] {
        assert!(r.stderr.contains(want), "{want:?} not in {r:?}");
    }

    // Not an export; a newer export; not JSON; no such file.
    fs::write(
        cwd.join("other.json"),
        r#"{"format": "something-else", "version": 1}"#,
    )
    .unwrap();
    let r = fails(cwd, &["import", "ws", "--from", "json", "other.json"]);
    assert!(
        r.stderr.contains("other.json: not a valuemap JSON export (its \"format\" is \"something-else\", not \"valuemap-export\")"),
        "{r:?}"
    );
    write("newer.json", &|d| d["version"] = 2.into());
    let r = fails(cwd, &["import", "ws", "--from", "json", "newer.json"]);
    assert!(
        r.stderr.contains("newer.json: written in export version 2, newer than this valuemap reads (version 1); upgrade valuemap"),
        "{r:?}"
    );
    fs::write(
        cwd.join("broken.json"),
        "{\n  \"format\": \"valuemap-export\",\n  oops\n}",
    )
    .unwrap();
    let r = fails(cwd, &["import", "ws", "--from", "json", "broken.json"]);
    assert!(
        r.stderr
            .contains("broken.json: not valid JSON: key must be a string at line 3 column 3"),
        "{r:?}"
    );
    let r = fails(cwd, &["import", "ws", "--from", "json", "missing.json"]);
    assert!(r.stderr.contains("missing.json: No such file"), "{r:?}");

    assert_eq!(tree(&cwd.join("ws")), files, "nothing was written");
}

// ---------------------------------------------------------------- Markdown

const KENJI: &str = "---
interviewee: Kenji
persona: platform
date: 2026-11-05
activities: [Create a cluster, \"monitor a w\"]
tags: slo, onboarding   # in YAML, a blank and a # start a comment
---

# Cluster requests take too long
> We wait two days for every cluster
! Every cluster is a ticket #tickets
+ Self-service with sane defaults @Upgrade-a-cluster @nowhere
";

const DANA: &str = "---\r
# a comment\r
Interviewee: \"Dana\"\r
persona: s4emgr\r
activities:\r
  - track costs\r
  - Monitor a workload\r
tags:\r
  - finance\r
---\r
## The cloud bill\r
Finance asks every month.\r
";

/// A file's modification time set to noon on a day, so a default date is known.
fn set_mtime(p: &Path, day: &str) {
    let secs = date(day)
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_local_timezone(chrono::Local)
        .unwrap()
        .timestamp();
    let f = fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64))
        .unwrap();
}

#[test]
fn markdown_folder_with_front_matter() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    let md = cwd.join("interviews");
    fs::create_dir(&md).unwrap();
    fs::write(md.join("01-kenji.md"), KENJI).unwrap();
    fs::write(md.join("02-dana.md"), DANA).unwrap();
    fs::write(
        md.join("03-plain.MD"),
        "Plain, no front matter\n? Would they pay?",
    )
    .unwrap();
    set_mtime(&md.join("03-plain.MD"), "2026-10-10");
    fs::write(md.join("notes.txt"), "not a note").unwrap();
    fs::write(md.join(".hidden.md"), "not a note either").unwrap();
    // One bad file: an unknown persona, an ambiguous activity (a key
    // valuemap does not read is no problem).
    fs::write(
        md.join("04-bad.md"),
        "---\npersona: Nobody\nactivities: create\ncolour: red\n---\nTitle\n",
    )
    .unwrap();
    let files = tree(&cwd.join("ws"));
    for args in [
        &["import", "ws", "--from", "md", "interviews"][..],
        &["import", "ws", "--from", "md", "interviews", "--apply"],
        &[
            "import",
            "ws",
            "--from",
            "md",
            "interviews",
            "--apply",
            "--accept",
        ],
    ] {
        let r = fails(cwd, args);
        for want in [
            "valuemap: interviews/04-bad.md:2: no persona matches \"Nobody\"; personas: Platform developer, Application developer, Engineering manager\n",
            "valuemap: interviews/04-bad.md:3: \"create\" matches several activities: Create a cluster, Create a deployment\n",
            "valuemap: 2 problems; nothing was imported\n",
        ] {
            assert!(r.stderr.contains(want), "{want:?} not in {r:?}");
        }
        assert!(r.stdout.is_empty(), "{r:?}");
    }
    assert_eq!(tree(&cwd.join("ws")), files, "nothing was written");

    fs::remove_file(md.join("04-bad.md")).unwrap();
    let dry = ok(cwd, &["import", "ws", "--from", "md", "interviews"]);
    // Dana's note has no date: the file's, today.
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d");
    assert_eq!(
        dry.stdout,
        format!(
            "Importing interviews into ws would create 3 notes:\n\
             \x20 note 2026-11-05  Kenji  \"Cluster requests take too long\"\n\
             \x20 note {today}  Dana  \"The cloud bill\"\n\
             \x20 note 2026-10-10  (no interviewee)  \"Plain, no front matter\"\n\
             note: interviews/01-kenji.md: @nowhere matches no single activity and was left as text\n\
             Nothing was written (a dry run); add --apply to import.\n"
        ),
        "{dry:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), files, "a dry run writes nothing");

    let apply = ok(
        cwd,
        &[
            "import",
            "ws",
            "--from",
            "md",
            "interviews",
            "--apply",
            "--accept",
        ],
    );
    assert!(
        apply.stdout.starts_with(
            "Imported interviews into ws: created 3 notes, 2 opportunities:\n  note 2026-11-05  Kenji  \"Cluster requests take too long\"  → notes/2026-11-05-"
        ),
        "{apply:?}"
    );
    assert!(
        apply.stdout.contains("\n  opportunity \"Every cluster is a ticket\" (pain)\n  opportunity \"Self-service with sane defaults\" (need)\n"),
        "{apply:?}"
    );
    // 3 notes and 2 opportunities; workspace.ron is untouched.
    assert!(apply.stdout.ends_with("Wrote 5 file(s).\n"), "{apply:?}");
    let after = tree(&cwd.join("ws"));
    assert_eq!(
        after[Path::new("workspace.ron")],
        files[Path::new("workspace.ron")]
    );
    let ws = load(&cwd.join("ws"));
    let by_title = |t: &str| ws.notes.values().find(|n| n.title == t).unwrap().clone();
    let kenji = by_title("Cluster requests take too long");
    assert_eq!(kenji.date, date("2026-11-05"));
    assert_eq!(kenji.interviewee, "Kenji");
    assert_eq!(kenji.persona, Some(PLATFORM_DEVELOPER.into()));
    assert_eq!(
        kenji.activities,
        [CREATE_A_CLUSTER, MONITOR_A_WORKLOAD, UPGRADE_A_CLUSTER].map(Id::from)
    );
    assert_eq!(kenji.tags, ["slo", "onboarding", "tickets"]);
    assert_eq!(
        kenji.body,
        "Cluster requests take too long\n> We wait two days for every cluster\n! Every cluster is a ticket #tickets\n+ Self-service with sane defaults @Upgrade-a-cluster @nowhere"
    );
    let dana = by_title("The cloud bill");
    assert_eq!(dana.interviewee, "Dana");
    assert_eq!(dana.persona, Some(ENGINEERING_MANAGER.into()));
    assert_eq!(
        dana.activities,
        [TRACK_COSTS, MONITOR_A_WORKLOAD].map(Id::from)
    );
    assert_eq!(dana.tags, ["finance"]);
    assert_eq!(dana.body, "The cloud bill\nFinance asks every month.");
    let plain = by_title("Plain, no front matter");
    assert_eq!(plain.date, date("2026-10-10"), "the file's date");
    assert_eq!(plain.persona, None);
    assert!(plain.activities.is_empty());
    // --accept: the pain and the need, with their lines as evidence.
    let accepted: Vec<_> = ws
        .opportunities
        .iter()
        .filter(|o| o.evidence.iter().any(|e| e.note == kenji.id))
        .collect();
    assert_eq!(accepted.len(), 2);
    let pain = accepted
        .iter()
        .find(|o| o.kind == OpportunityKind::Pain)
        .unwrap();
    assert_eq!(pain.title, "Every cluster is a ticket");
    assert_eq!(pain.personas, [Id::from(PLATFORM_DEVELOPER)]);
    // The note's own activities (its front matter); the upgrade is only
    // mentioned on the need's line.
    assert_eq!(pain.activities, kenji.activities[..2]);
    assert_eq!(
        pain.evidence,
        [Evidence {
            note: kenji.id.clone(),
            quote: "! Every cluster is a ticket #tickets".into()
        }]
    );
    ok(cwd, &["check", "ws"]);

    // The same folder again: every note is already there.
    let again = ok(
        cwd,
        &[
            "import",
            "ws",
            "--from",
            "md",
            "interviews",
            "--apply",
            "--accept",
        ],
    );
    assert!(
        again.stdout.starts_with(
            "Nothing to import: what interviews holds is already in ws.\nSkipped, already in the workspace: 3 notes\n"
        ),
        "{again:?}"
    );
    assert!(
        again.stdout.contains(&format!(
            "\n  note 2026-11-05 \"Cluster requests take too long\" (interviews/01-kenji.md) [{}]: identical\n",
            kenji.id
        )),
        "{again:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), after);
}

#[test]
fn markdown_errors_name_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    let md = cwd.join("md");
    fs::create_dir(&md).unwrap();
    let files = tree(&cwd.join("ws"));
    let r = fails(cwd, &["import", "ws", "--from", "md", "md"]);
    assert!(
        r.stderr.contains("valuemap: md: no .md files in it\n"),
        "{r:?}"
    );
    fs::write(md.join("a.md"), "---\npersona: platform\n").unwrap();
    fs::write(md.join("b.md"), "\n\n   \n").unwrap();
    fs::write(md.join("c.md"), "---\ntitle: T\ndate: 2026-13-01\n---\n").unwrap();
    fs::write(md.join("e.md"), "---\ntitle: T\ntags: [a, b\n---\n").unwrap();
    fs::write(
        md.join("f.md"),
        "---\ndate: 2026-01-01\nno colon here\n---\nT\n",
    )
    .unwrap();
    fs::write(
        md.join("g.md"),
        "---\ndate: 2026-01-01\nactivities: []\nDate: 2026-01-02\n---\nT\n",
    )
    .unwrap();
    fs::write(md.join("d.md"), b"T\n\xff\xfe").unwrap();
    let r = fails(cwd, &["import", "ws", "--from", "md", "md", "--apply"]);
    for want in [
        "valuemap: md/a.md:1: the front matter starts with --- but no line closes it with ---\n",
        "valuemap: md/b.md: the note is empty (its first line is its title)\n",
        "valuemap: md/c.md:3: date: \"2026-13-01\" is not a date (YYYY-MM-DD, or a date and time such as 2026-10-03T14:30:00)\n",
        "valuemap: md/e.md:3: the front matter is not valid YAML: while parsing a flow sequence, expected ',' or ']' (noticed at the closing ---)\n",
        "valuemap: md/f.md:3: the front matter is not valid YAML: simple key expected (noticed at the closing ---)\n",
        "valuemap: md/g.md:4: date is given twice (first on line 2)\n",
        "valuemap: md/d.md: not UTF-8 text (invalid byte at offset 2)\n",
    ] {
        assert!(r.stderr.contains(want), "{want:?} not in {r:?}");
    }
    let r = fails(cwd, &["import", "ws", "--from", "md", "nowhere"]);
    assert!(
        r.stderr
            .contains("valuemap: nowhere: no such file or folder\n"),
        "{r:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), files);
}

/// Notes as Obsidian and Logseq keep them (tests/fixtures/notes-in-the-wild):
/// keys valuemap does not read, date-times, folded and literal blocks,
/// trailing comments, flow and block lists, `Tags` capitalised, quoted text,
/// Obsidian links. The whole folder imports; the symbolic links out of it
/// are left out.
#[test]
fn a_folder_of_real_notes_imports_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes-in-the-wild");
    let notes = cwd.join("vault");
    fs::create_dir(&notes).unwrap();
    for e in fs::read_dir(&corpus).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), notes.join(e.file_name())).unwrap();
    }
    set_mtime(&notes.join("quick call.md"), "2026-10-10");
    // A private note next to the folder, and links to it and to a system
    // file: neither is read.
    fs::write(cwd.join("secret.md"), "Secret plans\n! Nobody may know").unwrap();
    std::os::unix::fs::symlink(cwd.join("secret.md"), notes.join("leak.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", notes.join("passwd.md")).unwrap();
    let files = tree(&cwd.join("ws"));
    let before = load(&cwd.join("ws")).notes.len();

    let dry = ok(cwd, &["import", "ws", "--from", "md", "vault"]);
    assert_eq!(
        dry.stdout,
        "Importing vault into ws would create 5 notes:\n\
         \x20 note 2026-10-03  Kenji (payments)  \"Cluster requests take two days\"\n\
         \x20 note 2026-10-05  Dana  \"The cloud bill\"\n\
         \x20 note 2026-10-07  Priya (checkout team)  \"Upgrade weekends\"\n\
         \x20 note 2026-10-10  (no interviewee)  \"Quick call without details\"\n\
         \x20 note 2026-10-09  O'Brien, Sam  \"On-call at night\"\n\
         note: vault/leak.md: a symbolic link out of vault; left out\n\
         note: vault/passwd.md: a symbolic link out of vault; left out\n\
         note: front matter left out (valuemap reads interviewee, persona, date, activities, tags, title): \
         aliases (1 note), summary (2 notes), cssclasses (1 note), transcript (1 note), created (1 note), \
         alias (1 note), type (1 note), public (1 note), status (1 note), rating (1 note)\n\
         Nothing was written (a dry run); add --apply to import.\n",
        "{dry:?}"
    );
    assert!(!dry.stdout.contains("Secret") && !dry.stdout.contains("root:"));
    assert_eq!(tree(&cwd.join("ws")), files, "a dry run writes nothing");

    let apply = ok(cwd, &["import", "ws", "--from", "md", "vault", "--apply"]);
    assert!(
        apply
            .stdout
            .starts_with("Imported vault into ws: created 5 notes:\n"),
        "{apply:?}"
    );
    assert!(apply.stdout.ends_with("Wrote 5 file(s).\n"), "{apply:?}");
    let ws = load(&cwd.join("ws"));
    assert_eq!(
        ws.notes.len(),
        before + 5,
        "only the five notes of the folder"
    );
    let by_title = |t: &str| {
        ws.notes
            .values()
            .find(|n| n.title == t)
            .unwrap_or_else(|| panic!("no note {t:?}"))
            .clone()
    };
    let ids = |v: &[&str]| v.iter().map(|s| Id::from(*s)).collect::<Vec<_>>();

    let kenji = by_title("Cluster requests take two days");
    assert_eq!(kenji.date, date("2026-10-03"), "the date of a date-time");
    assert_eq!(kenji.interviewee, "Kenji (payments)");
    assert_eq!(
        kenji.persona,
        Some(PLATFORM_DEVELOPER.into()),
        "an Obsidian link"
    );
    assert_eq!(
        kenji.activities,
        ids(&[CREATE_A_CLUSTER, MONITOR_A_WORKLOAD])
    );
    assert_eq!(kenji.tags, ["interview", "onboarding", "tickets"]);
    assert_eq!(
        kenji.body,
        "Cluster requests take two days\n> We wait two days for every cluster\n! Every cluster is a ticket #tickets\n+ Self-service with sane defaults"
    );

    let dana = by_title("The cloud bill");
    assert_eq!(dana.date, date("2026-10-05"));
    assert_eq!(dana.interviewee, "Dana");
    assert_eq!(dana.persona, Some(ENGINEERING_MANAGER.into()));
    assert_eq!(dana.activities, ids(&[TRACK_COSTS, MONITOR_A_WORKLOAD]));
    assert_eq!(dana.tags, ["finance", "cost control"], "from `Tags`");
    assert_eq!(
        dana.body, "The cloud bill\nFinance asks every month.\n? Would a dashboard per team help?",
        "the title goes in front; the folded summary and the literal transcript stay out"
    );

    let priya = by_title("Upgrade weekends");
    assert_eq!(priya.date, date("2026-10-07"));
    assert_eq!(priya.interviewee, "Priya (checkout team)", "a folded block");
    assert_eq!(priya.persona, Some(APPLICATION_DEVELOPER.into()));
    assert_eq!(
        priya.activities,
        ids(&[UPGRADE_A_CLUSTER, MONITOR_A_WORKLOAD])
    );
    assert_eq!(priya.tags, ["upgrades", "maintenance windows", "weekend"]);
    assert_eq!(
        priya.body,
        "Upgrade weekends\n! Saturday maintenance windows #weekend\n+ Upgrades without downtime @Monitor-a-workload"
    );

    let sam = by_title("On-call at night");
    assert_eq!(
        sam.date,
        date("2026-10-09"),
        "the date of \"2026-10-09 16:00\""
    );
    assert_eq!(sam.interviewee, "O'Brien, Sam");
    assert_eq!(sam.persona, Some(PLATFORM_DEVELOPER.into()));
    assert_eq!(sam.activities, ids(&["75pcsr", UPGRADE_A_CLUSTER]));
    assert_eq!(sam.tags, ["on-call"]);
    assert_eq!(
        sam.body,
        "On-call at night\n> Pages at 3am for things nobody can fix\n! Noisy alerts"
    );

    let quick = by_title("Quick call without details");
    assert_eq!(quick.date, date("2026-10-10"), "no date: the file's");
    assert_eq!(
        (quick.interviewee.as_str(), quick.persona.as_ref()),
        ("", None)
    );
    assert!(quick.tags.is_empty() && quick.activities.is_empty());

    assert!(
        !ws.notes
            .values()
            .any(|n| n.body.contains("Secret") || n.body.contains("root:")),
        "nothing behind a link out of the folder"
    );
    ok(cwd, &["check", "ws"]);
    let after = tree(&cwd.join("ws"));
    let again = ok(cwd, &["import", "ws", "--from", "md", "vault", "--apply"]);
    assert!(
        again.stdout.starts_with(
            "Nothing to import: what vault holds is already in ws.\nSkipped, already in the workspace: 5 notes\n"
        ),
        "{again:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), after);
}

#[test]
fn a_single_markdown_file_with_hostile_text_is_stored_as_given_and_printed_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    let f = cwd.join("note.md");
    fs::write(
        &f,
        format!("---\ninterviewee: {HOSTILE}\ndate: 2026-11-01\n---\n# {HOSTILE} title\nbody @{HOSTILE}\n"),
    )
    .unwrap();
    let r = ok(cwd, &["import", "ws", "--from", "md", "note.md", "--apply"]);
    no_control_chars(&r.stdout);
    no_control_chars(&r.stderr);
    assert!(
        r.stdout
            .contains("  note 2026-11-01  ]0;pwned[31mRed[0m  \"]0;pwned[31mRed[0m title\""),
        "{r:?}"
    );
    let ws = load(&cwd.join("ws"));
    let n = ws
        .notes
        .values()
        .find(|n| n.date == date("2026-11-01"))
        .unwrap();
    assert_eq!(n.interviewee, HOSTILE);
    assert_eq!(n.title, format!("{HOSTILE} title"));
    assert_eq!(n.body, format!("{HOSTILE} title\nbody @{HOSTILE}"));
}

// ---------------------------------------------------------------- CSV

const TABLE: &str = "When,Who,Persona,What they said,Extra,Tags\n\
2026-10-01,Ana,Application developer,\"Deployments are slow\n! Waiting for the pipeline #ci\",x,\"deploy; speed\"\n\
2026-10-02,Bo,Engineering,\"Costs\n+ A cost dashboard @Track-costs\",y,\n\
,,,,,\n";

#[test]
fn csv_with_a_mapping() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    fs::write(cwd.join("notes.csv"), format!("\u{feff}{TABLE}")).unwrap();
    let files = tree(&cwd.join("ws"));

    // Without a mapping, no column holds the notes.
    let r = fails(cwd, &["import", "ws", "--from", "csv", "notes.csv"]);
    assert!(
        r.stderr.contains("valuemap: notes.csv: no column holds the notes: name one \"body\" (or \"title\"), or map one with --map COLUMN=body; columns: When, Who, Persona, What they said, Extra, Tags\n"),
        "{r:?}"
    );
    let r = fails(
        cwd,
        &[
            "import",
            "ws",
            "--from",
            "csv",
            "notes.csv",
            "--map",
            "Said=body",
        ],
    );
    assert!(
        r.stderr.contains(
            "valuemap: notes.csv: no column named \"Said\" (--map Said=body); columns: When"
        ),
        "{r:?}"
    );
    let r = valuemap(
        cwd,
        &[
            "import",
            "ws",
            "--from",
            "csv",
            "notes.csv",
            "--map",
            "When=day",
        ],
    );
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("no note field \"day\"; fields: body, title, interviewee, persona, date, activities, tags"), "{r:?}");

    let map = [
        "--map",
        "When=date",
        "--map",
        "who=interviewee",
        "--map",
        "What they said=body",
    ];
    let args = |more: &[&'static str]| -> Vec<&str> {
        let mut v = vec!["import", "ws", "--from", "csv", "notes.csv"];
        v.extend(map);
        v.extend(more);
        v
    };
    let dry = ok(cwd, &args(&[]));
    assert_eq!(
        dry.stdout,
        "Importing notes.csv into ws would create 2 notes:\n\
         \x20 note 2026-10-01  Ana  \"Deployments are slow\"\n\
         \x20 note 2026-10-02  Bo  \"Costs\"\n\
         note: notes.csv: column \"Extra\" is not imported (map it with --map 'Extra=FIELD')\n\
         Nothing was written (a dry run); add --apply to import.\n",
        "{dry:?}"
    );
    assert_eq!(tree(&cwd.join("ws")), files);

    let apply = ok(cwd, &args(&["--apply"]));
    assert!(apply.stdout.ends_with("Wrote 2 file(s).\n"), "{apply:?}");
    let ws = load(&cwd.join("ws"));
    let ana = ws.notes.values().find(|n| n.interviewee == "Ana").unwrap();
    assert_eq!(ana.date, date("2026-10-01"));
    assert_eq!(ana.persona, Some(APPLICATION_DEVELOPER.into()));
    assert_eq!(ana.title, "Deployments are slow");
    assert_eq!(
        ana.body,
        "Deployments are slow\n! Waiting for the pipeline #ci"
    );
    assert_eq!(ana.tags, ["deploy", "speed", "ci"]);
    let bo = ws.notes.values().find(|n| n.interviewee == "Bo").unwrap();
    assert_eq!(bo.persona, Some(ENGINEERING_MANAGER.into()));
    assert_eq!(bo.activities, [Id::from(TRACK_COSTS)]);
    ok(cwd, &["check", "ws"]);
}

#[test]
fn csv_title_column_activities_and_errors_by_row() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    let files = tree(&cwd.join("ws"));
    fs::write(
        cwd.join("bad.csv"),
        "title,persona,activities,date\n\
         Hello,Nobody,create,2026-01-01\n\
         Hi,,\"Track costs; fly\",2026-01-02\n\
         Bye,,,someday\n\
         \"x\",\"y\"\n",
    )
    .unwrap();
    let r = fails(
        cwd,
        &["import", "ws", "--from", "csv", "bad.csv", "--apply"],
    );
    for want in [
        "valuemap: bad.csv: row 2, column \"persona\": no persona matches \"Nobody\"; personas: Platform developer, Application developer, Engineering manager\n",
        "valuemap: bad.csv: row 2, column \"activities\": \"create\" matches several activities: Create a cluster, Create a deployment\n",
        "valuemap: bad.csv: row 3, column \"activities\": no activity matches \"fly\"; activities: Create a cluster,",
        "valuemap: bad.csv: row 4, column \"date\": \"someday\" is not a date (YYYY-MM-DD)\n",
        "valuemap: bad.csv: row 5: has 2 cell(s), the header has 4\n",
        "valuemap: 5 problems; nothing was imported\n",
    ] {
        assert!(r.stderr.contains(want), "{want:?} not in {r:?}");
    }
    assert_eq!(tree(&cwd.join("ws")), files);

    // A title column and a body column: the title leads the body.
    fs::write(
        cwd.join("good.csv"),
        "Title,Body,Activity,Persona,Date\n\
         Upgrades hurt,\"> we dread them\n! Upgrades break things\",\"Upgrade a cluster, a2cmkr\",a2pdev,2026-02-03\n\
         Already titled,\"Already titled\nmore\",,,2026-02-04\n",
    )
    .unwrap();
    let r = ok(
        cwd,
        &[
            "import", "ws", "--from", "csv", "good.csv", "--apply", "--accept",
        ],
    );
    assert!(
        r.stdout
            .starts_with("Imported good.csv into ws: created 2 notes, 1 opportunity:\n"),
        "{r:?}"
    );
    let ws = load(&cwd.join("ws"));
    let up = ws
        .notes
        .values()
        .find(|n| n.title == "Upgrades hurt")
        .unwrap();
    assert_eq!(
        up.body,
        "Upgrades hurt\n> we dread them\n! Upgrades break things"
    );
    assert_eq!(
        up.activities,
        [UPGRADE_A_CLUSTER, CREATE_A_CLUSTER].map(Id::from)
    );
    assert_eq!(up.date, date("2026-02-03"));
    let t = ws
        .notes
        .values()
        .find(|n| n.title == "Already titled")
        .unwrap();
    assert_eq!(t.body, "Already titled\nmore");
    assert!(
        ws.opportunities
            .iter()
            .any(|o| o.title == "Upgrades break things" && o.evidence[0].note == up.id)
    );
}

// ---------------------------------------------------------------- the command

#[test]
fn flags_and_targets_are_checked_first() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    ok(cwd, &["new", "ws"]);
    fs::write(cwd.join("n.csv"), "body\nHello\n").unwrap();
    let r = fails(
        cwd,
        &["import", "ws", "--from", "json", "n.csv", "--map", "a=body"],
    );
    assert!(
        r.stderr
            .contains("valuemap: --map applies to --from csv only\n"),
        "{r:?}"
    );
    let r = fails(
        cwd,
        &["import", "ws", "--from", "json", "n.csv", "--accept"],
    );
    assert!(
        r.stderr.contains("--accept applies to --from md and csv"),
        "{r:?}"
    );
    let r = fails(cwd, &["import", "nowhere", "--from", "csv", "n.csv"]);
    assert!(r.stderr.contains("no workspace at nowhere"), "{r:?}");
    // A workspace with errors is not written to.
    edit(&cwd.join("ws"), |ws| {
        ws.notes.values_mut().next().unwrap().persona = Some("pnope1".into());
    });
    let r = fails(cwd, &["import", "ws", "--from", "csv", "n.csv", "--apply"]);
    assert!(r.stderr.contains("has 1 error(s); fix them first"), "{r:?}");
    let r = valuemap(cwd, &["import", "ws", "n.csv"]);
    assert_eq!(r.code, Some(2), "--from is required: {r:?}");
    let help = ok(cwd, &["import", "--help"]);
    assert!(help.stdout.contains("--from json FILE"), "{help:?}");
    assert!(help.stdout.contains("--apply"), "{help:?}");
}
