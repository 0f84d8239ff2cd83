//! Inputs from the fuzz targets in `fuzz/` (see docs/reliability.md), kept
//! in the normal suite so that what once broke stays fixed.
//!
//! `load_case` and `capture_case` do what the targets `load` and `capture`
//! do with one input; a crash the fuzzer finds becomes one more test below,
//! with its input inline (`cargo fuzz fmt TARGET ARTIFACT` prints it).

use std::path::{Path, PathBuf};

use valuemap::capture::{self, LineKind, Resolved};
use valuemap::export::{self, Format};
use valuemap::model::Workspace;
use valuemap::model::coverage;
use valuemap::model::validate::validate;
use valuemap::store::Store;

fn template() -> Workspace {
    valuemap::template::Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

/// The `load` target: the first byte picks the file of the template
/// workspace the rest replaces (`workspace.ron`, a note, an opportunity, a
/// metric), then the workspace is opened; if it
/// loads, everything the commands do with it runs, and it saves and loads
/// again with canonical files.
fn load_case(data: &[u8]) -> bool {
    let Some((&which, bytes)) = data.split_first() else {
        return false;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &template()).unwrap();
    let note: PathBuf = std::fs::read_dir(root.join("notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let files = [
        root.join("workspace.ron"),
        note,
        first_in(&root.join("opportunities")),
        first_in(&root.join("metrics")),
    ];
    std::fs::write(&files[usize::from(which) % files.len()], bytes).unwrap();
    let Ok((store, ws, _)) = Store::open(&root) else {
        return false;
    };
    let _ = validate(&ws);
    let _ = coverage::report(&ws);
    let _ = valuemap::model::score::ranked(&ws);
    let _ = store.non_canonical(&ws);
    for f in [Format::Markdown, Format::Json, Format::Html] {
        let _ = export::render(&ws, f);
    }
    for t in export::CSV_TABLES {
        let _ = export::csv_table(&ws, t);
    }
    let copy = dir.path().join("copy");
    Store::create(&copy, &ws).expect("a loaded workspace saves");
    let (again, ws2, _) = Store::open(&copy).expect("a saved workspace loads");
    assert!(
        again.non_canonical(&ws2).is_empty(),
        "a saved and reloaded workspace is not canonical"
    );
    true
}

/// The `capture` target: the bytes as a typed note.
fn capture_case(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let ws = template();
    let parsed = capture::parse(&text);
    assert_eq!(parsed.body(), text, "the body round-trips");
    assert_eq!(parsed.lines.len(), text.split('\n').count());
    let title = parsed.title();
    assert!(!title.contains('\n'));
    // A blank note has no title (one that is only a marker has none either).
    assert!(!text.trim().is_empty() || title.is_empty());
    for l in &parsed.lines {
        assert!(!l.raw.contains('\n'));
        if let Some(m) = l.kind.marker() {
            assert!(l.raw.trim_start().starts_with(m));
        }
        for sigil in ['#', '@'] {
            for t in capture::tokens(&l.raw, sigil) {
                assert!(l.raw[t.start..t.end].starts_with(sigil));
                assert!(!t.name.is_empty());
            }
        }
    }
    let tags = parsed.tags();
    let mut merged = Vec::new();
    capture::merge_tags(&mut merged, tags.iter().cloned());
    assert!(merged.len() <= tags.len());
    for m in parsed.mentions() {
        match capture::resolve_activity(&ws, &m) {
            Resolved::Activity(a) => assert!(ws.activity(&a.id).is_some()),
            Resolved::Unknown => {}
            Resolved::Ambiguous(names) => assert!(names.len() > 1),
        }
    }
    for s in parsed.suggestions() {
        assert!(!s.line.is_empty());
        assert!(!s.title.contains('\n'));
    }
    let _ = parsed.of_kind(LineKind::Quote).count();
    let _ = capture::strip_tokens(&text);
    let _ = capture::resolve_activity(&ws, &text);
    let _ = capture::resolve_persona(&ws, &text);
}

/// The harness itself: the template's own files load and round-trip
/// through each slot, and garbage is refused without a panic.
#[test]
fn the_harness_loads_the_template_and_refuses_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &template()).unwrap();
    let files = [
        root.join("workspace.ron"),
        first_in(&root.join("notes")),
        first_in(&root.join("opportunities")),
        first_in(&root.join("metrics")),
    ];
    for (i, path) in files.iter().enumerate() {
        let mut data = vec![i as u8];
        data.extend(std::fs::read(path).unwrap());
        assert!(load_case(&data), "{} loads", path.display());
    }
    for junk in [&b""[..], b"\x00", b"\x01(", b"\x02\xff\xfe", b"\x03)))"] {
        assert!(!load_case(junk));
    }
}

#[test]
fn capture_harness_round_trips_the_line_syntax() {
    capture_case(b"Title #tag @Create-a-cluster\n> quote\n! pain #x @operate\n+ need\n? q\n");
    capture_case("\r\n\u{feff}#\u{301}@é @-- #.. (#a) [@b] a@b.c C#".as_bytes());
    capture_case(b"\xff\xfe not utf-8 \n!");
}

/// The `capture` target's first find, a harness mistake rather than a bug: a
/// note that is only a marker has no title (and `note add` refuses it).
#[test]
fn a_lone_marker_is_a_note_without_a_title() {
    capture_case(b"+");
    assert_eq!(capture::parse("+").title(), "");
    assert_eq!(capture::parse("+ need").title(), "need");
}

/// Found by the `load` target (crash-b5095d88966f0553c34985f275d1d00cc34056da):
/// a note file whose id holds a `/`. It loads (`valuemap check` reports the
/// malformed id), and saving the workspace into a new folder (`:save-as`,
/// `Store::create`) used to fail: the note's file name was made from its id,
/// and the `/` turned it into a folder that does not exist. File names now
/// encode such characters (`store::note_rel`).
const SLASH_IN_NOTE_ID: &str = "\u{1}(
    id: \"$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$/$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$note11\",
    date: \"1013-01-02\",
    interviewee: \"Sam\",
    persona: \"pers11\",
    activities: [\"act111\"],
    title: \"Call\",
    body: \"> two days\",
)";

#[test]
fn fuzz_load_slash_in_a_note_id() {
    load_case(SLASH_IN_NOTE_ID.as_bytes());
}

/// The same bug, as a user meets it: `:save-as` of a workspace holding such a
/// note stops part way and leaves a half-written folder (the notes before it
/// in id order, no `workspace.ron`). A save must write everything or nothing.
#[test]
fn save_as_with_a_malformed_note_id_writes_all_or_nothing() {
    let mut ws = template();
    let mut n = ws.notes.values().next().unwrap().clone();
    n.id = valuemap::model::Id::new("zz/../x");
    ws.notes.insert(n.id.clone(), n);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy");
    match Store::create(&copy, &ws) {
        Ok(_) => {
            let (_, back, _) = Store::open(&copy).unwrap();
            assert_eq!(back, ws);
        }
        Err(e) => {
            let left: Vec<_> = walk(&copy);
            assert!(
                left.is_empty(),
                "the save failed ({e}) and left {left:?} behind"
            );
        }
    }
}

/// Every file under `dir` (none when it does not exist).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// A pain or need line that is only tags is offered as an opportunity with
/// an empty title (found by tests/key_fuzz.rs; see
/// `a_pain_line_of_only_a_tag_never_becomes_an_untitled_opportunity`).
#[test]
fn a_suggestion_always_has_a_title() {
    for text in ["Title\n! #urgent", "Title\n+ #a #b", "Title\n!#x."] {
        for s in capture::parse(text).suggestions() {
            assert!(!s.title.trim().is_empty(), "{text:?} offers {s:?}");
        }
    }
}

/// The first file of a folder, by name.
fn first_in(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap()
}
