//! Headless capture, run as a real process on temporary folders:
//! `valuemap note add` and `valuemap metric observe`. What they write is read
//! back with the library's own store (`valuemap::store::Store::open`).
//!
//! Nothing here reads HOME or the XDG folders; the TUI is not started.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use valuemap::model::{Evidence, Id, Metric, Note, OpportunityKind, Status, Workspace};
use valuemap::store::Store;

// Ids of the kubernetes-platform template (assets/templates/kubernetes-platform.ron).
const PLATFORM_DEVELOPER: &str = "a2pdev";
const APPLICATION_DEVELOPER: &str = "j3adev";
const ENGINEERING_MANAGER: &str = "s4emgr";
const CREATE_A_CLUSTER: &str = "a2cmkr";
const CREATE_A_DEPLOYMENT: &str = "j3dpmy";
const MONITOR_A_WORKLOAD: &str = "j7mwkd";
const UPGRADE_A_CLUSTER: &str = "q8upgr";
const TRACK_COSTS: &str = "v9csts";
const UPTIME: &str = "72uptm";
const ERROR_BUDGET_BURN: &str = "c3ebbn";
const TIME_TO_FIRST_CLUSTER: &str = "q5ttfc";

const PERSONAS: &str = "Platform developer, Application developer, Engineering manager";
const ACTIVITIES: &str = "Create a cluster, Create a deployment, Onboard a team, Operate a cluster, \
     Monitor a cluster, Monitor a workload, Upgrade a cluster, Track costs, Delete a deployment, \
     Delete a cluster";
const METRICS: &str = "Availability minutes gained, Clusters healthy, Cost per minute of downtime, \
     Dashboard visits, Developer satisfaction (survey 1-5), Error budget burn, Golden path adoption, \
     Golden path adoption by free choice, Time to first cluster, Uptime, Value of availability gained";

#[path = "support/bin.rs"]
mod bin;

use bin::*;

// ---- what is on disk ----

/// A file's bytes, modification time and inode (an atomic rewrite with the
/// very same bytes still shows up), or a folder; and the mode of either.
/// A folder's own modification time is left out: creating a file in it
/// changes it.
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    bytes: Option<Vec<u8>>,
    modified: Option<SystemTime>,
    ino: u64,
    mode: u32,
}

type Snapshot = BTreeMap<PathBuf, Entry>;

fn snapshot(root: &Path) -> Snapshot {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = fs::symlink_metadata(&p).unwrap();
        let (bytes, modified) = if meta.is_dir() {
            for e in fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
            (None, None)
        } else {
            (Some(fs::read(&p).unwrap()), Some(meta.modified().unwrap()))
        };
        out.insert(
            p.strip_prefix(root).unwrap().to_path_buf(),
            Entry {
                bytes,
                modified,
                ino: meta.ino(),
                mode: meta.mode(),
            },
        );
    }
    out
}

/// The paths that differ between two snapshots, and how, sorted.
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
    out.sort();
    out
}

#[track_caller]
fn assert_unchanged(before: &Snapshot, root: &Path, run: &Run) {
    let changed = changes(before, &snapshot(root));
    assert!(changed.is_empty(), "changed: {changed:?}\n{run:?}");
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// `valuemap new <cwd>/ws` from the kubernetes-platform template.
fn new_workspace(cwd: &Path) -> PathBuf {
    let run = valuemap(cwd, &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    cwd.join("ws")
}

/// Writes `ws` as a new workspace folder at `<cwd>/ws` (through the store,
/// so the files are canonical).
fn write_workspace(cwd: &Path, ws: &Workspace) -> PathBuf {
    let root = cwd.join("ws");
    Store::create(&root, ws).unwrap();
    root
}

/// The kubernetes-platform template as a workspace value, to adapt.
fn template() -> Workspace {
    valuemap::template::Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

/// Reads the workspace back with the library's store.
fn load(root: &Path) -> Workspace {
    Store::open(root)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", root.display()))
        .1
}

/// The id in the "Created note <id>: ..." line.
#[track_caller]
fn created_id(run: &Run) -> Id {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Created note "))
        .unwrap_or_else(|| panic!("no \"Created note\" line: {run:?}"));
    let id = line["Created note ".len()..].split(':').next().unwrap();
    Id::new(id)
}

/// Checks that the run created exactly one file, the note
/// `notes/<date>-<id>.ron` (mode 0600), and changed nothing else; returns
/// the note as the store reads it back.
#[track_caller]
fn the_one_new_note(root: &Path, before: &Snapshot, run: &Run) -> Note {
    assert_eq!(run.code, Some(0), "{run:?}");
    let id = created_id(run);
    assert_eq!(id.as_str().len(), valuemap::model::ID_LEN, "{run:?}");
    assert!(id.is_well_formed(), "{run:?}");
    let ws = load(root);
    let note = ws
        .notes
        .get(&id)
        .map(|n| Note::clone(n))
        .unwrap_or_else(|| panic!("note {id} not in the workspace: {run:?}"));
    let rel = format!("notes/{}-{id}.ron", note.date.format("%Y-%m-%d"));
    let changed = changes(before, &snapshot(root));
    assert_eq!(changed, [format!("{rel} created")], "{run:?}");
    assert_eq!(mode(&root.join(&rel)), 0o600, "{rel}");
    assert!(
        run.stdout.contains(&format!("  file:       ws/{rel}\n")),
        "stdout does not name the file {rel}: {run:?}"
    );
    note
}

fn ids(v: &[&str]) -> Vec<Id> {
    v.iter().map(|s| Id::new(*s)).collect()
}

/// Control characters other than the line feed: what must never reach a
/// terminal from a file.
fn control_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

// ---- note add: what it writes ----

/// A note with every kind of line, trailing blanks and a trailing newline.
const INTERVIEW: &str = "Upgrades eat our weekends #upgrades\n\
    > We lose a weekend per minor upgrade\n\
    ! Nobody knows which charts break @Monitor-a-workload\n\
    +   A dry-run report before every upgrade #pilot\n\
    \n\
    ? Would they pay for it?\n\
    Plain text with sam@example.com, C# code and #Upgrades again.   \n\
    \t\n";

#[test]
fn note_add_creates_one_private_note_file_and_touches_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let run = output(
        command_with_umask(
            tmp.path(),
            "000",
            &[
                "note",
                "add",
                "ws",
                "--persona",
                "PLATFORM DEVELOPER",
                "--activity",
                "Create a cluster",
                "--activity",
                UPGRADE_A_CLUSTER,
                "-a",
                "track",
                // The same activity again, by another name: kept once.
                "-a",
                "create-a-cluster",
                "--interviewee",
                "  Sam  ",
                "--date",
                "2026-03-04",
                "--tag",
                "onboarding",
                "-t",
                "#pilot",
                INTERVIEW,
            ],
        ),
        None,
    );
    assert!(run.stderr.is_empty(), "{run:?}");
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.persona, Some(Id::new(PLATFORM_DEVELOPER)));
    assert_eq!(
        note.activities,
        ids(&[
            CREATE_A_CLUSTER,
            UPGRADE_A_CLUSTER,
            TRACK_COSTS,
            MONITOR_A_WORKLOAD
        ]),
        "the --activity ones in order, then the @mention"
    );
    assert_eq!(note.interviewee, "Sam");
    assert_eq!(note.date.to_string(), "2026-03-04");
    assert_eq!(
        note.tags,
        ["onboarding", "pilot", "upgrades"],
        "--tag first, then #tags of the body, each once (case-insensitive)"
    );
    assert_eq!(note.title, "Upgrades eat our weekends #upgrades");
    assert_eq!(note.body, INTERVIEW.trim_end());

    let id = &note.id;
    for want in [
        format!("Created note {id}: \"Upgrades eat our weekends #upgrades\"\n"),
        "  date:       2026-03-04\n".into(),
        "  persona:    Platform developer\n".into(),
        "  activities: Create a cluster, Upgrade a cluster, Track costs, Monitor a workload\n"
            .into(),
        "  interviewee: Sam\n".into(),
        "  tags:       #onboarding #pilot #upgrades\n".into(),
        "  lines:      1 quote(s), 1 pain(s), 1 need(s), 1 question(s)\n".into(),
        "  2 pain(s) and need(s) can become opportunities: add --accept".into(),
    ] {
        assert!(run.stdout.contains(&want), "{want:?}\n{run:?}");
    }

    // What was written is a valid, canonical workspace.
    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    assert!(check.stdout.contains("7 notes"), "{check:?}");
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
}

#[test]
fn note_add_creates_a_missing_notes_folder_privately() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = template();
    ws.notes.clear();
    ws.opportunities.iter_mut().for_each(|o| o.evidence.clear());
    ws.items.tests.values_mut().for_each(|t| t.evidence.clear());
    let root = write_workspace(tmp.path(), &ws);
    let _ = fs::remove_dir_all(root.join("notes"));
    let before = snapshot(&root);
    let run = output(
        command_with_umask(
            tmp.path(),
            "000",
            &["note", "add", "ws", "-p", "app", "-a", "deploy", "First"],
        ),
        None,
    );
    // "deploy" is no prefix of any activity name.
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_unchanged(&before, &root, &run);

    let run = output(
        command_with_umask(
            tmp.path(),
            "000",
            &[
                "note",
                "add",
                "ws",
                "-p",
                "app",
                "-a",
                "create a d",
                "First",
            ],
        ),
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let id = created_id(&run);
    let note = &load(&root).notes[&id];
    assert_eq!(note.persona, Some(Id::new(APPLICATION_DEVELOPER)));
    assert_eq!(note.activities, ids(&[CREATE_A_DEPLOYMENT]));
    assert_eq!(mode(&root.join("notes")), 0o700);
    let files: Vec<PathBuf> = fs::read_dir(root.join("notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(mode(&files[0]), 0o600);
}

#[test]
fn personas_and_activities_match_by_name_in_any_case_by_a_part_only_one_holds_and_by_id() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let cases: &[(&str, &str, &str, &str)] = &[
        // (--persona, --activity, persona id, activity id)
        (
            "Platform developer",
            "Create a cluster",
            PLATFORM_DEVELOPER,
            CREATE_A_CLUSTER,
        ),
        (
            "platform DEVELOPER",
            "create A CLUSTER",
            PLATFORM_DEVELOPER,
            CREATE_A_CLUSTER,
        ),
        (
            "  Engineering   manager ",
            "Create_a_Deployment",
            ENGINEERING_MANAGER,
            CREATE_A_DEPLOYMENT,
        ),
        ("eng", "track", ENGINEERING_MANAGER, TRACK_COSTS),
        (
            "Appl",
            "Monitor a w",
            APPLICATION_DEVELOPER,
            MONITOR_A_WORKLOAD,
        ),
        // Any part of a name that no other name holds.
        (
            "manager",
            "workload",
            ENGINEERING_MANAGER,
            MONITOR_A_WORKLOAD,
        ),
        ("form dev", "costs", PLATFORM_DEVELOPER, TRACK_COSTS),
        ("j3adev", "q8upgr", APPLICATION_DEVELOPER, UPGRADE_A_CLUSTER),
        (
            "a2pdev",
            "Upgrade-a-cluster",
            PLATFORM_DEVELOPER,
            UPGRADE_A_CLUSTER,
        ),
    ];
    for (i, (persona, activity, pid, aid)) in cases.iter().enumerate() {
        let before = snapshot(&root);
        let title = format!("Case {i}");
        let run = valuemap(
            tmp.path(),
            &[
                "note",
                "add",
                "ws",
                "--persona",
                persona,
                "--activity",
                activity,
                &title,
            ],
        );
        let note = the_one_new_note(&root, &before, &run);
        assert_eq!(note.persona, Some(Id::new(*pid)), "{persona:?}: {run:?}");
        assert_eq!(note.activities, ids(&[aid]), "{activity:?}: {run:?}");
        assert_eq!(note.title, title);
    }
}

#[test]
fn mentions_add_activities_and_unknown_or_ambiguous_ones_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let text = "Costs and clusters\n\
        We talked about @Track-costs, (@upgrade) and @j7mwkd.\n\
        Also @Create (two match) and @Flying-cars (none), mail me@example.com.";
    let run = valuemap(
        tmp.path(),
        &["note", "add", "ws", "-p", "eng", "-a", "track", text],
    );
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(
        note.activities,
        ids(&[TRACK_COSTS, UPGRADE_A_CLUSTER, MONITOR_A_WORKLOAD])
    );
    assert_eq!(note.body, text, "mentions stay in the text");
    for m in ["Create", "Flying-cars"] {
        assert!(
            run.stdout.contains(&format!(
                "  note: @{m} matches no single activity and was left as text"
            )),
            "{m}: {run:?}"
        );
    }
    assert!(!run.stdout.contains("@example"), "{run:?}");
}

#[test]
fn the_date_defaults_to_today() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let first = chrono::Local::now().date_naive();
    let run = valuemap(
        tmp.path(),
        &[
            "note",
            "add",
            "ws",
            "-p",
            "plat",
            "-a",
            "create a c",
            "Today",
        ],
    );
    let last = chrono::Local::now().date_naive();
    let note = the_one_new_note(&root, &before, &run);
    assert!(
        note.date == first || note.date == last,
        "{} is not today",
        note.date
    );
    assert!(note.interviewee.is_empty() && note.tags.is_empty());
    assert!(!run.stdout.contains("interviewee:"), "{run:?}");
    assert!(!run.stdout.contains("tags:"), "{run:?}");
    assert!(!run.stdout.contains("can become opportunities"), "{run:?}");
}

// ---- note add: standard input ----

#[test]
fn note_add_reads_standard_input_with_a_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    // Windows line ends become \n; a trailing blank line goes.
    let input = "Read from stdin\r\n> a quote\r\n! a pain #stdin\r\n\r\n";
    let args = [
        "note",
        "add",
        "ws",
        "-p",
        "plat",
        "-a",
        "a2cmkr",
        "-d",
        "2026-05-06",
        "-",
    ];
    let run = valuemap_stdin(tmp.path(), &args, input.as_bytes());
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.title, "Read from stdin");
    assert_eq!(note.body, "Read from stdin\n> a quote\n! a pain #stdin");
    assert_eq!(note.tags, ["stdin"]);
    assert_eq!(note.date.to_string(), "2026-05-06");
    assert!(
        run.stdout
            .contains(&format!("Created note {}: \"Read from stdin\"", note.id)),
        "{run:?}"
    );
}

#[test]
fn note_add_reads_a_pipe_when_no_text_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let input = "Piped in\n+ a need\n";
    let args = ["note", "add", "ws", "-p", "plat", "-a", "a2cmkr"];
    let run = valuemap_stdin(tmp.path(), &args, input.as_bytes());
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.title, "Piped in");
    assert_eq!(note.body, "Piped in\n+ a need");

    // A TEXT argument wins over a pipe, which is not read.
    let before = snapshot(&root);
    let args = [
        "note", "add", "ws", "-p", "plat", "-a", "a2cmkr", "Argument",
    ];
    let run = valuemap_stdin(tmp.path(), &args, b"Not this\n");
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.body, "Argument");
}

#[test]
fn an_empty_or_unreadable_standard_input_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let base = ["note", "add", "ws", "-p", "plat", "-a", "a2cmkr"];
    // Standard input is /dev/null: not a terminal, and empty.
    for extra in [&[][..], &["-"]] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let run = valuemap(tmp.path(), &args);
        assert_eq!(run.code, Some(1), "{run:?}");
        assert!(
            run.stderr
                .contains("valuemap: the note is empty: its first line is its title"),
            "{run:?}"
        );
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_unchanged(&before, &root, &run);
    }
    for input in [&b" \n\t\r\n\n"[..], b"\xff\xfe not UTF-8\n"] {
        let args: Vec<&str> = base.iter().chain(&["-"]).copied().collect();
        let run = valuemap_stdin(tmp.path(), &args, input);
        assert_eq!(run.code, Some(1), "{run:?}");
        assert!(
            run.stderr.contains("the note is empty")
                || run.stderr.contains("reading standard input"),
            "{run:?}"
        );
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_unchanged(&before, &root, &run);
    }
}

// ---- note add --accept ----

#[test]
fn accept_turns_each_pain_and_need_into_an_opportunity_with_its_line_as_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let old = load(&root).opportunities;
    let before = snapshot(&root);
    let text = "Upgrade pains\n\
        > We lose a weekend per upgrade\n\
        !   Charts break on upgrade #upgrades   \n\
        ! Nobody sees removed APIs in @Monitor-a-workload\n\
        + A dry-run report before every upgrade\n\
        ? Would they pay?\n\
        !\n\
        plain text";
    let run = valuemap(
        tmp.path(),
        &[
            "note", "add", "ws", "-p", "plat", "-a", "upgrade", "--accept", text,
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let id = created_id(&run);
    let ws = load(&root);
    let note = &ws.notes[&id];
    let rel = format!("notes/{}-{id}.ron", note.date.format("%Y-%m-%d"));
    // One new file per accepted opportunity; no other file is touched.
    let created: Vec<String> = ws
        .opportunities
        .iter()
        .filter(|o| !old.iter().any(|x| x.id == o.id))
        .map(|o| format!("opportunities/{}.ron", o.id))
        .collect();
    assert_eq!(created.len(), 3, "{run:?}");
    let mut want: Vec<String> = created.iter().map(|f| format!("{f} created")).collect();
    want.push(format!("{rel} created"));
    want.sort();
    assert_eq!(changes(&before, &snapshot(&root)), want, "{run:?}");
    for f in &created {
        assert_eq!(mode(&root.join(f)), 0o600, "{f}");
    }

    // The existing opportunities are untouched; the file keeps them by id, so
    // the new ones are found by id, in the order of the note's lines.
    for o in &old {
        assert_eq!(ws.opportunity(&o.id), Some(o));
    }
    let mut new: Vec<_> = ws
        .opportunities
        .iter()
        .filter(|o| !old.iter().any(|x| x.id == o.id))
        .collect();
    let line_of = |o: &&valuemap::model::Opportunity| note.body.find(o.evidence[0].quote.as_str());
    new.sort_by_key(line_of);
    let want = [
        (
            "Charts break on upgrade",
            OpportunityKind::Pain,
            "!   Charts break on upgrade #upgrades",
        ),
        (
            // Marks are not words of the title: the mention links the
            // activity instead.
            "Nobody sees removed APIs in",
            OpportunityKind::Pain,
            "! Nobody sees removed APIs in @Monitor-a-workload",
        ),
        (
            "A dry-run report before every upgrade",
            OpportunityKind::Need,
            "+ A dry-run report before every upgrade",
        ),
    ];
    assert_eq!(new.len(), want.len(), "{new:#?}");
    for (o, (title, kind, line)) in new.iter().zip(want) {
        assert_eq!(o.title, title);
        assert_eq!(o.kind, kind, "{title}");
        assert_eq!(o.status, Status::Idea, "{title}");
        assert_eq!(
            o.evidence,
            [Evidence {
                note: id.clone(),
                quote: line.to_string()
            }],
            "{title}"
        );
        assert_eq!(o.personas, ids(&[PLATFORM_DEVELOPER]), "{title}");
        // The note's own activity, and the ones its line mentions.
        let mut acts = vec![note.activities[0].clone()];
        if line.contains("@Monitor-a-workload") {
            acts.push(note.activities[1].clone());
        }
        assert_eq!(o.activities, acts, "{title}");
        assert!(o.id.is_well_formed() && !old.iter().any(|x| x.id == o.id));
        assert!(
            run.stdout
                .contains(&format!("  accepted opportunity: {title}\n")),
            "{title}: {run:?}"
        );
    }
    assert_eq!(
        note.activities,
        ids(&[UPGRADE_A_CLUSTER, MONITOR_A_WORKLOAD])
    );
    // Every evidence line is a line of the note.
    for o in new {
        assert!(
            note.body.lines().any(|l| l.trim() == o.evidence[0].quote),
            "{:?}",
            o.evidence
        );
    }

    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
}

#[test]
fn without_accept_or_without_pains_and_needs_no_opportunity_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let cases: [(&[&str], &str); 2] = [
        (&[], "Pains, not accepted\n! a pain\n+ a need"),
        (
            &["--accept"],
            "Accepted, but nothing to accept\n> a quote\n? a question",
        ),
    ];
    for (extra, text) in cases {
        let before = snapshot(&root);
        let mut args = vec!["note", "add", "ws", "-p", "plat", "-a", "a2cmkr"];
        args.extend(extra);
        args.push(text);
        let run = valuemap(tmp.path(), &args);
        // Only the note file is new: no opportunity is written.
        the_one_new_note(&root, &before, &run);
        assert!(!run.stdout.contains("accepted opportunity"), "{run:?}");
    }
}

#[test]
fn accept_creates_the_opportunities_folder_when_there_is_none() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = template();
    ws.opportunities.clear();
    ws.metrics.clear();
    ws.items = Default::default();
    let root = write_workspace(tmp.path(), &ws);
    assert!(!root.join("opportunities").exists());
    let before = snapshot(&root);
    let run = output(
        command_with_umask(
            tmp.path(),
            "000",
            &[
                "note",
                "add",
                "ws",
                "-p",
                "plat",
                "-a",
                "a2cmkr",
                "--accept",
                "First one\n+ a need",
            ],
        ),
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let id = created_id(&run);
    let ws = load(&root);
    let rel = format!("notes/{}-{id}.ron", ws.notes[&id].date.format("%Y-%m-%d"));
    assert_eq!(ws.opportunities.len(), 1);
    let opp = format!("opportunities/{}.ron", ws.opportunities[0].id);
    let mut want = vec![
        format!("{rel} created"),
        "opportunities created".to_string(),
        format!("{opp} created"),
    ];
    want.sort();
    assert_eq!(changes(&before, &snapshot(&root)), want);
    assert_eq!(mode(&root.join(&opp)), 0o600);
    assert_eq!(mode(&root.join("opportunities")) & 0o777, 0o700);
    assert_eq!(ws.opportunities[0].title, "a need");
    assert_eq!(ws.opportunities[0].evidence[0].quote, "+ a need");
}

// ---- note add: bad input writes nothing ----

/// Runs `args` on `<tmp>/ws`, expecting exit `code`, every `want` on
/// stderr, nothing on stdout and no change under `tmp`.
#[track_caller]
fn refused(tmp: &Path, args: &[&str], code: i32, want: &[&str]) -> Run {
    let before = snapshot(tmp);
    let run = valuemap(tmp, args);
    assert_eq!(run.code, Some(code), "{args:?}: {run:?}");
    for w in want {
        assert!(run.stderr.contains(w), "{w:?} for {args:?}: {run:?}");
    }
    assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
    assert_unchanged(&before, tmp, &run);
    run
}

#[test]
fn unknown_or_ambiguous_names_bad_dates_and_empty_notes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    new_workspace(tmp.path());
    let note = |p: &'static str, a: &'static str, more: &[&'static str]| {
        let mut v = vec!["note", "add", "ws", "-p", p, "-a", a, "--accept"];
        v.extend(more);
        v
    };
    refused(
        tmp.path(),
        &note("Nobody", "a2cmkr", &["Title\n! pain"]),
        1,
        &[&format!(
            "valuemap: no persona matches \"Nobody\"; personas: {PERSONAS}\n"
        )],
    );
    // A part of two names, a typo (answered with the closest name), and an
    // empty name.
    refused(
        tmp.path(),
        &note("developer", "a2cmkr", &["Title"]),
        1,
        &[
            "valuemap: \"developer\" matches several personas: Platform developer, Application developer\n",
        ],
    );
    refused(
        tmp.path(),
        &note("Enginering manger", "a2cmkr", &["Title"]),
        1,
        &["valuemap: no persona matches \"Enginering manger\"; closest: Engineering manager\n"],
    );
    refused(
        tmp.path(),
        &note("plat", "upgarde", &["Title"]),
        1,
        &["valuemap: no activity matches \"upgarde\"; closest: Upgrade a cluster\n"],
    );
    refused(
        tmp.path(),
        &note("", "a2cmkr", &["Title"]),
        1,
        &["no persona matches \"\"; personas: "],
    );
    refused(
        tmp.path(),
        &note("plat", "Flying cars", &["Title"]),
        1,
        &[&format!(
            "valuemap: no activity matches \"Flying cars\"; activities: {ACTIVITIES}\n"
        )],
    );
    refused(
        tmp.path(),
        &note("plat", "create", &["Title"]),
        1,
        &[
            "valuemap: \"create\" matches several activities: Create a cluster, Create a deployment\n",
        ],
    );
    refused(
        tmp.path(),
        &note("plat", "monitor a", &["Title"]),
        1,
        &["\"monitor a\" matches several activities: Monitor a cluster, Monitor a workload"],
    );
    // A good activity does not excuse a bad one.
    refused(
        tmp.path(),
        &note("plat", "a2cmkr", &["-a", "delete", "Title"]),
        1,
        &["\"delete\" matches several activities: Delete a deployment, Delete a cluster"],
    );
    for date in ["2026-02-30", "tomorrow", "04/03/2026", "2026-13-01", ""] {
        refused(
            tmp.path(),
            &note("plat", "a2cmkr", &["--date", date, "Title"]),
            2,
            &[&format!("\"{date}\" is not a date: use YYYY-MM-DD")],
        );
    }
    for text in ["", "   ", "\n\n \t\n"] {
        refused(
            tmp.path(),
            &note("plat", "a2cmkr", &[text]),
            1,
            &["valuemap: the note is empty: its first line is its title\n"],
        );
    }
    // Missing required options.
    refused(
        tmp.path(),
        &["note", "add", "ws", "-a", "a2cmkr", "Title"],
        2,
        &["--persona"],
    );
    refused(
        tmp.path(),
        &["note", "add", "ws", "-p", "plat", "Title"],
        2,
        &["--activity"],
    );
    refused(
        tmp.path(),
        &["note", "add"],
        2,
        &["Usage: valuemap note add"],
    );
}

#[test]
fn an_ambiguous_persona_prefix_lists_the_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = template();
    let mut lead = ws.personas[0].clone();
    lead.id = Id::new("p9lead");
    lead.name = "Platform lead".into();
    ws.personas.push(lead);
    write_workspace(tmp.path(), &ws);
    refused(
        tmp.path(),
        &[
            "note", "add", "ws", "-p", "platform", "-a", "a2cmkr", "Title",
        ],
        1,
        &["valuemap: \"platform\" matches several personas: Platform developer, Platform lead\n"],
    );
    // The full name still picks one.
    let root = tmp.path().join("ws");
    let before = snapshot(&root);
    let run = valuemap(
        tmp.path(),
        &["note", "add", "ws", "-p", "platform l", "-a", "a2cmkr", "T"],
    );
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.persona, Some(Id::new("p9lead")));
}

/// Every way a workspace can be unfit for writing, each with what the
/// message must say.
fn broken_workspaces(tmp: &Path) -> Vec<(&'static str, Vec<String>)> {
    let mut out = Vec::new();
    let replace = |root: &Path, file: &str, from: &str, to: &str| {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let fresh = |name: &str| {
        let run = valuemap(tmp, &["new", name]);
        assert_eq!(run.code, Some(0), "{run:?}");
        tmp.join(name)
    };

    let root = fresh("syntax");
    replace(
        &root,
        "workspace.ron",
        "name: \"Kubernetes platform\",",
        "name: \"Kubernetes platform\"",
    );
    out.push((
        "syntax",
        vec!["valuemap: syntax/workspace.ron:4:5: Expected comma".into()],
    ));

    let root = fresh("note-syntax");
    let note = fs::read_dir(root.join("notes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .min()
        .unwrap();
    replace(&root, &format!("notes/{note}"), "    id: ", "    id ");
    out.push((
        "note-syntax",
        vec![format!("valuemap: note-syntax/notes/{note}:2:")],
    ));

    let root = fresh("dangling");
    replace(
        &root,
        "notes/2026-06-11-n3k8pr.ron",
        "persona: \"a2pdev\"",
        "persona: \"zz404z\"",
    );
    out.push((
        "dangling",
        vec![
            "valuemap: dangling has 1 error(s); fix them first (valuemap check dangling). \
             Nothing was written."
                .into(),
        ],
    ));

    let root = fresh("newer");
    replace(&root, "workspace.ron", "version: 3,", "version: 99,");
    out.push((
        "newer",
        vec![
            "valuemap: newer/workspace.ron: format version 99 is newer than this valuemap \
             understands (up to 3); upgrade valuemap to open it. Nothing was changed."
                .into(),
        ],
    ));

    out.push((
        "missing",
        vec![
            "valuemap: no workspace at missing: workspace.ron not found \
             (create one with `valuemap new missing`)"
                .into(),
        ],
    ));
    fs::write(tmp.join("a-file"), "not a workspace\n").unwrap();
    out.push((
        "a-file",
        vec!["valuemap: no workspace at a-file: workspace.ron not found".into()],
    ));
    out
}

#[test]
fn an_invalid_missing_or_newer_workspace_is_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    for (ws, want) in broken_workspaces(tmp.path()) {
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        for args in [
            vec![
                "note",
                "add",
                ws,
                "-p",
                "Platform developer",
                "-a",
                "a2cmkr",
                "--accept",
                "Title\n! pain\n+ need",
            ],
            vec!["note", "add", ws, "-p", "plat", "-a", "a2cmkr", "Title"],
            vec!["metric", "observe", ws, "Uptime", "99.9"],
            vec!["metric", "observe", ws, "72uptm", "-1", "-d", "2026-01-01"],
        ] {
            refused(tmp.path(), &args, 1, &want);
        }
    }
}

#[test]
fn hostile_text_is_written_and_read_back_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let title = "\"Quotes\" \\ back\\slash r#\"raw\"# ) ], // /* Zoë 日本語 🚀👩‍💻 e\u{301}";
    let body = format!(
        "{title}\n\
         > she said \"it's \\n not a newline\" and r##\"x\"##\n\
         ! \u{1b}[31mred\u{1b}[0m \u{1b}]0;pwned\u{7} \u{202e}rtl\u{202c} tab\there\n\
         + \\u{{1b}} stays six characters; \\\" stays two\n\
         ? ¿Qué? «ça» — “curly” ‘quotes’ \u{feff}bom-in-the-middle\n\
         #émoji-🚀 @Track-costs\n\
         )\"]}}#\\"
    );
    let interviewee = "O'Brien \"the \\ boss\" 👩‍💻";
    let run = valuemap(
        tmp.path(),
        &[
            "note",
            "add",
            "ws",
            "-p",
            "plat",
            "-a",
            "a2cmkr",
            "-i",
            interviewee,
            "-t",
            "r#\"t\"#",
            "--accept",
            &body,
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let id = created_id(&run);
    let ws = load(&root);
    let note = &ws.notes[&id];
    assert_eq!(note.body, body);
    assert_eq!(note.title, title);
    assert_eq!(note.interviewee, interviewee);
    // A tag is letters, digits and `-_/.`: the emoji ends it.
    assert_eq!(note.tags, ["r#\"t\"#", "émoji"]);
    assert_eq!(note.activities, ids(&[CREATE_A_CLUSTER, TRACK_COSTS]));
    let mut new: Vec<_> = ws
        .opportunities
        .iter()
        .filter(|o| o.evidence.iter().any(|e| e.note == id))
        .collect();
    assert_eq!(new.len(), 2);
    // In the order of the note's lines (the file keeps them by id).
    new.sort_by_key(|o| note.body.find(o.evidence[0].quote.as_str()));
    assert_eq!(
        new[0].evidence[0].quote,
        "! \u{1b}[31mred\u{1b}[0m \u{1b}]0;pwned\u{7} \u{202e}rtl\u{202c} tab\there"
    );
    assert_eq!(
        new[1].evidence[0].quote,
        "+ \\u{1b} stays six characters; \\\" stays two"
    );

    // The store escapes control characters: the files hold none.
    let rel = format!("notes/{}-{id}.ron", note.date.format("%Y-%m-%d"));
    let mut files = vec![rel];
    files.extend(new.iter().map(|o| format!("opportunities/{}.ron", o.id)));
    for file in &files {
        let text = fs::read_to_string(root.join(file)).unwrap();
        assert!(
            control_chars(&text).iter().all(|c| *c == '\n'),
            "{file} holds control characters {:?}",
            control_chars(&text)
        );
    }
    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
}

#[test]
fn hostile_text_from_standard_input_round_trips_too() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    // NUL and a lone carriage return cannot be command-line arguments.
    let body = "NUL\0 in the title\n> lone\rcarriage return\n\u{7f} DEL and \u{85} NEL";
    let run = valuemap_stdin(
        tmp.path(),
        &["note", "add", "ws", "-p", "plat", "-a", "a2cmkr", "-"],
        body.as_bytes(),
    );
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.body, body);
    assert_eq!(note.title, "NUL\0 in the title");
}

#[test]
fn notes_added_at_the_same_time_never_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = load(&root);
    let children: Vec<_> = (0..6)
        .map(|i| {
            let mut c = command(
                tmp.path(),
                &[
                    "note",
                    "add",
                    "ws",
                    "-p",
                    "plat",
                    "-a",
                    "a2cmkr",
                    &format!("Parallel {i}"),
                ],
            );
            c.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ws = load(&root);
    assert_eq!(ws.notes.len(), before.notes.len() + 6);
    let mut titles: Vec<&str> = ws
        .notes
        .values()
        .filter(|n| !before.notes.contains_key(&n.id))
        .map(|n| n.title.as_str())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        (0..6).map(|i| format!("Parallel {i}")).collect::<Vec<_>>()
    );
    assert_eq!(ws.opportunities, before.opportunities);
}

// ---- metric observe ----

fn metric<'a>(ws: &'a Workspace, id: &str) -> &'a Metric {
    ws.metric(&Id::new(id)).unwrap()
}

/// Runs `metric observe` with `args`; checks that only the metric's own
/// file changed and that the observation of `id` was added where its date
/// belongs.
#[track_caller]
fn observed(tmp: &Path, args: &[&str], id: &str) -> (Run, Workspace) {
    let root = tmp.join("ws");
    let old = load(&root);
    let before = snapshot(&root);
    let mut all = vec!["metric", "observe", "ws"];
    all.extend(args);
    let run = valuemap(tmp, &all);
    assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    let file = format!("metrics/{id}.ron");
    assert_eq!(
        changes(&before, &snapshot(&root)),
        [format!("{file} content changed")],
        "{args:?}: {run:?}"
    );
    assert_eq!(mode(&root.join(&file)), 0o600);
    let ws = load(&root);
    // Nothing but this one metric changed, by one observation (and the
    // metrics computed from it, whose series are not in their files).
    for (a, b) in old.metrics.iter().zip(&ws.metrics) {
        if a.id.as_str() != id && !a.is_derived() {
            assert_eq!(a, b);
        }
    }
    let (a, b) = (metric(&old, id), metric(&ws, id));
    assert_eq!(b.observations.len(), a.observations.len() + 1);
    let mut rest = b.clone();
    rest.observations.retain(|o| !a.observations.contains(o));
    assert_eq!(rest.observations.len(), 1, "{args:?}");
    rest.observations = a.observations.clone();
    assert_eq!(&rest, a, "only the observations changed");
    assert!(
        b.observations.windows(2).all(|w| w[0].date <= w[1].date),
        "observations are sorted by date: {:?}",
        b.observations
    );
    (run, ws)
}

#[test]
fn metric_observe_adds_an_observation_in_date_order_and_changes_only_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    new_workspace(tmp.path());

    // By name, in another case; between existing dates; with a comment.
    let (run, ws) = observed(
        tmp.path(),
        &[
            "UPTIME",
            "99.9",
            "--date",
            "2026-08-15",
            "--comment",
            "mid-month check",
        ],
        UPTIME,
    );
    let obs = &metric(&ws, UPTIME).observations;
    let dates: Vec<String> = obs.iter().map(|o| o.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2026-06-30",
            "2026-07-31",
            "2026-08-15",
            "2026-08-31",
            "2026-09-30",
            "2026-10-31"
        ]
    );
    assert_eq!(obs[2].value, 99.9);
    assert_eq!(obs[2].comment, "mid-month check");
    assert_eq!(
        run.stdout,
        "Uptime: 99.9% on 2026-08-15, target 99.95% — latest (2026-10-31) is off track\n"
    );

    // By a unique prefix, a negative value, before every other date.
    let (run, ws) = observed(
        tmp.path(),
        &["error b", "-12.5", "-d", "2025-01-01"],
        ERROR_BUDGET_BURN,
    );
    let first = &metric(&ws, ERROR_BUDGET_BURN).observations[0];
    assert_eq!(first.date.to_string(), "2025-01-01");
    assert_eq!(first.value, -12.5);
    assert!(first.comment.is_empty());
    assert!(
        run.stdout
            .starts_with("Error budget burn: -12.5% on 2025-01-01"),
        "{run:?}"
    );

    // By id, after every other date.
    let (_, ws) = observed(
        tmp.path(),
        &[TIME_TO_FIRST_CLUSTER, "3", "--date", "2027-01-01"],
        TIME_TO_FIRST_CLUSTER,
    );
    let last = metric(&ws, TIME_TO_FIRST_CLUSTER)
        .observations
        .last()
        .unwrap();
    assert_eq!(last.date.to_string(), "2027-01-01");
    assert_eq!(last.value, 3.0);
    // The same date again: the same value is already there, another value
    // needs --replace, which replaces it (docs/ci.md, idempotence).
    let root = tmp.path().join("ws");
    let file = root.join(format!("metrics/{TIME_TO_FIRST_CLUSTER}.ron"));
    let before = fs::read(&file).unwrap();
    let same = valuemap(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            TIME_TO_FIRST_CLUSTER,
            "3",
            "-d",
            "2027-01-01",
        ],
    );
    assert_eq!(same.code, Some(0), "{same:?}");
    assert!(
        same.stdout.contains("already recorded; nothing changed"),
        "{same:?}"
    );
    let other = valuemap(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            TIME_TO_FIRST_CLUSTER,
            "-0.25",
            "-d",
            "2027-01-01",
        ],
    );
    assert_eq!(other.code, Some(1), "{other:?}");
    assert!(other.stderr.contains("--replace replaces it"), "{other:?}");
    assert_eq!(fs::read(&file).unwrap(), before);
    let replaced = valuemap(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            TIME_TO_FIRST_CLUSTER,
            "-0.25",
            "-d",
            "2027-01-01",
            "--replace",
        ],
    );
    assert_eq!(replaced.code, Some(0), "{replaced:?}");
    let ws = load(&root);
    let obs = &metric(&ws, TIME_TO_FIRST_CLUSTER).observations;
    assert_eq!(
        obs.len(),
        metric(&template(), TIME_TO_FIRST_CLUSTER)
            .observations
            .len()
            + 1
    );
    assert_eq!(obs.last().unwrap().value, -0.25);

    // Default date: today.
    let first = chrono::Local::now().date_naive();
    let (_, ws) = observed(
        tmp.path(),
        &["developer satisfaction (survey 1-5)", "4.2"],
        "v6dsat",
    );
    let last = chrono::Local::now().date_naive();
    let added = metric(&ws, "v6dsat")
        .observations
        .iter()
        .find(|o| o.value == 4.2)
        .unwrap();
    assert!(added.date == first || added.date == last, "{}", added.date);

    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    let fmt = valuemap(tmp.path(), &["fmt", "--check", "ws"]);
    assert_eq!(fmt.code, Some(0), "{fmt:?}");
}

#[test]
fn metric_observe_finds_a_metric_by_any_part_of_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = template();
    // Copies of a metric that is observed (not computed).
    let observed_metric = ws
        .metrics
        .iter()
        .find(|m| m.formula.is_none() && m.adoption.is_none())
        .unwrap()
        .clone();
    for (id, name) in [("q1bqt", "Build queue time"), ("q2qdp", "Queue depth")] {
        let mut m = observed_metric.clone();
        m.id = Id::new(id);
        m.name = name.into();
        m.observations.clear();
        ws.metrics.push(m);
    }
    write_workspace(tmp.path(), &ws);
    // A word inside the name, in any case; an exact name beats names that
    // merely hold it.
    observed(
        tmp.path(),
        &["build QUEUE", "7", "-d", "2027-01-01"],
        "q1bqt",
    );
    observed(
        tmp.path(),
        &["queue depth", "3", "-d", "2027-01-01"],
        "q2qdp",
    );
    observed(tmp.path(), &["budget", "10", "-d", "2027-01-01"], "c3ebbn");
    // Two names hold "queue": both are listed, nothing is written.
    refused(
        tmp.path(),
        &["metric", "observe", "ws", "queue", "5"],
        1,
        &["valuemap: \"queue\" matches several metrics: Build queue time, Queue depth\n"],
    );
    // A typo: the closest names, closest first.
    let run = refused(
        tmp.path(),
        &["metric", "observe", "ws", "qeue", "5"],
        1,
        &["valuemap: no metric matches \"qeue\"; closest: "],
    );
    let offered = run.stderr.split_once("closest: ").unwrap().1;
    assert!(
        offered.starts_with("Queue depth, Build queue time")
            || offered.starts_with("Build queue time, Queue depth"),
        "{run:?}"
    );
    // The same rule reads the batch form.
    let run = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        b"2027-01-02,queue time,8\n",
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let ws = load(&tmp.path().join("ws"));
    assert!(
        metric(&ws, "q1bqt")
            .observations
            .iter()
            .any(|o| o.value == 8.0)
    );
}

#[test]
fn metric_observe_keeps_a_hostile_comment_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    new_workspace(tmp.path());
    let comment = "\"q\" \\ r#\"x\"# 🚀 Zoë \u{1b}[2J\nsecond line";
    let (_, ws) = observed(
        tmp.path(),
        &["uptime", "1e2", "-d", "2026-11-30", "-c", comment],
        UPTIME,
    );
    let o = metric(&ws, UPTIME).observations.last().unwrap().clone();
    assert_eq!(o.comment, comment);
    assert_eq!(o.value, 100.0);
    let text = fs::read_to_string(tmp.path().join(format!("ws/metrics/{UPTIME}.ron"))).unwrap();
    assert!(!text.contains('\u{1b}'), "ESC written raw");
}

#[test]
fn metric_observe_refuses_unknown_ambiguous_and_non_numeric_input() {
    let tmp = tempfile::tempdir().unwrap();
    new_workspace(tmp.path());
    let observe = |more: &[&'static str]| {
        let mut v = vec!["metric", "observe", "ws"];
        v.extend(more);
        v
    };
    refused(
        tmp.path(),
        &observe(&["Latency", "5"]),
        1,
        &[&format!(
            "valuemap: no metric matches \"Latency\"; metrics: {METRICS}\n"
        )],
    );
    refused(
        tmp.path(),
        &observe(&["", "5"]),
        1,
        &["no metric matches \"\"; metrics: Availability minutes gained"],
    );
    refused(
        tmp.path(),
        &observe(&["D", "5"]),
        1,
        &[
            "valuemap: \"D\" matches several metrics: Availability minutes gained, Cost per minute of downtime, Dashboard visits, Developer satisfaction (survey 1-5), Error budget burn, Golden path adoption, Golden path adoption by free choice, Value of availability gained\n",
        ],
    );
    for value in ["abc", "12%", "1,5", "", "0x10"] {
        refused(
            tmp.path(),
            &observe(&["uptime", value]),
            2,
            // METRIC and VALUE are optional with --from.
            &[&format!("invalid value '{value}' for '[VALUE]'")],
        );
    }
    // (`-inf` needs `--`: clap takes it for the options -i -n -f.)
    for value in [&["NaN"][..], &["inf"], &["--", "-inf"], &["1e999"]] {
        refused(
            tmp.path(),
            &observe(&[&["uptime"][..], value].concat()),
            1,
            &["valuemap: the value must be a finite number\n"],
        );
    }
    for date in ["2026-02-30", "yesterday"] {
        refused(
            tmp.path(),
            &observe(&["uptime", "1", "--date", date]),
            2,
            &[&format!("\"{date}\" is not a date: use YYYY-MM-DD")],
        );
    }
    refused(tmp.path(), &observe(&["uptime"]), 2, &["<VALUE>"]);
    refused(tmp.path(), &["metric", "observe"], 2, &["<PATH>"]);
}

// ---- --help ----

#[test]
fn note_and_metric_have_help() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str, &[&str])] = &[
        (
            &["note", "--help"],
            "Usage: valuemap note <COMMAND>",
            &["add", "Capture an interview note"],
        ),
        (
            &["note", "add", "--help"],
            "Usage: valuemap note add [OPTIONS] --persona <PERSONA> --activity <ACTIVITY> <PATH> [TEXT]",
            &[
                "--persona",
                "--activity",
                "--interviewee",
                "--date",
                "--tag",
                "--accept",
                "YYYY-MM-DD",
                "`> quote`",
                "`! pain`",
                "`+ need`",
                "`-`",
                "any part of the name",
            ],
        ),
        (
            &["metric", "--help"],
            "Usage: valuemap metric <COMMAND>",
            &["observe", "Record an observation"],
        ),
        (
            &["metric", "observe", "--help"],
            "Usage: valuemap metric observe [OPTIONS] <PATH> <METRIC> <VALUE>",
            &["--date", "--comment", "YYYY-MM-DD", "any part of the name"],
        ),
    ];
    for (args, usage, words) in cases {
        let short: Vec<&str> = args
            .iter()
            .map(|a| if *a == "--help" { "-h" } else { a })
            .collect();
        let mut via_help = vec!["help"];
        via_help.extend(&args[..args.len() - 1]);
        for a in [args.to_vec(), short, via_help] {
            let run = valuemap(tmp.path(), &a);
            assert_eq!(run.code, Some(0), "{a:?}: {run:?}");
            assert!(run.stdout.contains(usage), "{a:?}: {run:?}");
            assert!(run.stderr.is_empty(), "{a:?}: {run:?}");
        }
        let run = valuemap(tmp.path(), args);
        for w in *words {
            assert!(run.stdout.contains(w), "{w:?} in {args:?}: {run:?}");
        }
    }
    let top = valuemap(tmp.path(), &["--help"]);
    for cmd in ["note", "metric"] {
        assert!(
            top.stdout.lines().any(|l| l.trim_start().starts_with(cmd)),
            "{cmd}: {top:?}"
        );
    }
    // A group without its subcommand shows the usage and fails.
    for group in ["note", "metric"] {
        let run = valuemap(tmp.path(), &[group]);
        assert_eq!(run.code, Some(2), "{run:?}");
        assert!(
            run.stderr
                .contains(&format!("Usage: valuemap {group} <COMMAND>")),
            "{run:?}"
        );
    }
    assert!(fs::read_dir(tmp.path()).unwrap().next().is_none());
}

// ---- bugs ----

/// Names read from workspace files reach the terminal unsanitised: `note
/// add` prints the persona and activity names (and lists them in its
/// errors), `metric observe` prints the metric's name and unit, all with
/// their escape sequences intact. PRODUCT.md: "Text from files is sanitised
/// before it reaches the terminal (no escape-sequence injection)"; parse
/// errors already are (tests/corpus.rs).
#[test]
fn names_from_files_are_sanitised_before_they_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = template();
    ws.personas[0].name = "Evil\u{1b}]0;pwned\u{7} developer".into();
    ws.phases[0].activities[0].name = "Create\u{1b}[2J a cluster".into();
    let up = ws
        .metrics
        .iter()
        .position(|m| m.id.as_str() == UPTIME)
        .unwrap();
    let evil = "Up\u{1b}[5mtime";
    // What uses it in a formula follows the new name.
    for m in valuemap::model::derive::renamed_uses(&ws, &UPTIME.into(), evil) {
        let i = ws.metric_index(&m.id).unwrap();
        ws.metrics[i] = m;
    }
    ws.metrics[up].name = evil.into();
    ws.metrics[up].unit = "%\u{1b}[8m".into();
    let root = write_workspace(tmp.path(), &ws);

    let before = snapshot(&root);
    let run = valuemap(
        tmp.path(),
        &["note", "add", "ws", "-p", "evil", "-a", "a2cmkr", "Title"],
    );
    the_one_new_note(&root, &before, &run);
    assert!(
        control_chars(&run.stdout).is_empty(),
        "note add stdout: {run:?}"
    );

    let run = valuemap(
        tmp.path(),
        &["note", "add", "ws", "-p", "nobody", "-a", "a2cmkr", "T"],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        control_chars(&run.stderr).is_empty(),
        "unknown persona: {run:?}"
    );
    let run = valuemap(
        tmp.path(),
        &["note", "add", "ws", "-p", "a2pdev", "-a", "create", "T"],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        control_chars(&run.stderr).is_empty(),
        "ambiguous activity: {run:?}"
    );

    let run = valuemap(tmp.path(), &["metric", "observe", "ws", UPTIME, "1"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        control_chars(&run.stdout).is_empty(),
        "metric observe: {run:?}"
    );
}

/// `--tag` values are not de-duplicated among themselves: `-t a -t a -t A`
/// stores three tags, while a `#tag` of the body that repeats a `--tag`
/// (in any case) is dropped.
#[test]
fn repeated_tags_are_kept_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let run = valuemap(
        tmp.path(),
        &[
            "note",
            "add",
            "ws",
            "-p",
            "plat",
            "-a",
            "a2cmkr",
            "-t",
            "pilot",
            "-t",
            "pilot",
            "-t",
            "PILOT",
            "-t",
            "#pilot",
            "Title #Pilot",
        ],
    );
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.tags, ["pilot"]);
}

/// A note piped in from a file saved with a byte-order mark (Windows
/// editors) keeps the BOM as the first character of its title and body;
/// the store itself drops a BOM when it reads a file.
#[test]
fn a_byte_order_mark_on_standard_input_is_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(&root);
    let run = valuemap_stdin(
        tmp.path(),
        &["note", "add", "ws", "-p", "plat", "-a", "a2cmkr", "-"],
        "\u{feff}From Notepad\r\n! a pain\r\n".as_bytes(),
    );
    let note = the_one_new_note(&root, &before, &run);
    assert_eq!(note.title, "From Notepad");
    assert_eq!(note.body, "From Notepad\n! a pain");
}

/// `note add` and `metric observe` remove stale temporary files as soon as
/// the workspace validates, before they know the command will succeed: an
/// unknown persona or metric then fails with "nothing written", yet the
/// workspace lost a file. (`fmt`/`check` were fixed for the same problem;
/// see `a_workspace_that_fails_to_load_keeps_its_temporary_files` in
/// tests/cli.rs.)
#[test]
fn a_refused_command_keeps_stale_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let stale = root.join(".valuemap-abc123.tmp");
    fs::write(&stale, "half a save").unwrap();
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    for args in [
        &["note", "add", "ws", "-p", "nobody", "-a", "a2cmkr", "Title"][..],
        &["metric", "observe", "ws", "nothing", "1"],
    ] {
        refused(tmp.path(), args, 1, &["matches"]);
    }
}

// ---- one writer at a time ----

#[test]
fn a_busy_workspace_makes_writers_wait_then_give_up_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let held = valuemap::store::lock::WorkspaceLock::exclusive(&root).unwrap();
    let before = snapshot(tmp.path());
    for args in [
        &[
            "note", "add", "ws", "-p", "platform", "-a", "a2cmkr", "T\n! p", "--accept",
        ][..],
        &["metric", "observe", "ws", "uptime", "99.9"],
        &["fmt", "ws"],
        &["forget", "ws", "-i", "Priya"],
    ] {
        let mut c = command(tmp.path(), args);
        c.env("VALUEMAP_LOCK_TIMEOUT", "0.3");
        let run = output(c, None);
        assert_eq!(run.code, Some(1), "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("another valuemap is saving")
                && run.stderr.contains("nothing was written"),
            "{args:?}: {run:?}"
        );
        assert_unchanged(&before, tmp.path(), &run);
    }
    // Readers wait for the writer too, and say the same.
    let mut c = command(tmp.path(), &["check", "ws"]);
    c.env("VALUEMAP_LOCK_TIMEOUT", "0.3");
    let run = output(c, None);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("another valuemap is saving"), "{run:?}");

    // A writer that finishes within the wait is waited for.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
    });
    let run = valuemap(tmp.path(), &["metric", "observe", "ws", "uptime", "99.9"]);
    release.join().unwrap();
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[test]
fn a_full_disk_during_note_add_accept_writes_nothing_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = new_workspace(tmp.path());
    let before = snapshot(tmp.path());
    // A file size limit of 4 KiB: the note (its pain line once, 2.5 KB)
    // fits, the opportunity (the line as its title and as its evidence)
    // does not. SIGXFSZ is ignored, so the write fails with EFBIG as it
    // would with ENOSPC.
    let pain = format!(
        "Limits\n! a pain that becomes an opportunity {}",
        "x".repeat(2500)
    );
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg("ulimit -f 8; trap '' XFSZ; exec \"$@\"")
        .arg("sh")
        .arg(BIN)
        .args(["note", "add", "ws", "-p", "platform", "-a", "a2cmkr"])
        .arg(&pain)
        .arg("--accept")
        .current_dir(tmp.path())
        .env("HOME", tmp.path().join("no-such-home"));
    let run = output(c, None);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("opportunities/") && run.stderr.contains("nothing was written"),
        "{run:?}"
    );
    assert_unchanged(&before, tmp.path(), &run);
    // So a retry makes one note, not two.
    let run = valuemap(
        tmp.path(),
        &[
            "note", "add", "ws", "-p", "platform", "-a", "a2cmkr", &pain, "--accept",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, ws, _) = Store::open(&root).unwrap();
    assert_eq!(ws.notes.values().filter(|n| n.title == "Limits").count(), 1);
    assert_eq!(
        ws.opportunities
            .iter()
            .filter(|o| o.title.starts_with("a pain that becomes an opportunity"))
            .count(),
        1
    );
}
