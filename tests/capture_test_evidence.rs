//! Capture feeds assumption tests: a line tagged `~name-or-id` is offered
//! after saving as evidence for that test (attach or dismiss), and
//! `valuemap note add` attaches it; a name that matches no single test is
//! said clearly (and, headless, nothing is written).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use support::*;
use valuemap::model::Id;

#[path = "support/bin.rs"]
mod bin;

const SPIKE: &str = "at8dpl";
const MANAGERS: &str = "at5mgr";

/// Every file under `root` with its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn new_ws(tmp: &Path) {
    let run = bin::valuemap(tmp, &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

fn note_add(tmp: &Path, text: &str) -> bin::Run {
    bin::valuemap(
        tmp,
        &[
            "note",
            "add",
            "ws",
            "--persona",
            "Engineering manager",
            "--activity",
            "Track costs",
            "--interviewee",
            "Ines",
            "--date",
            "2026-11-25",
            text,
        ],
    )
}

#[test]
fn note_add_attaches_a_tagged_line_to_the_test_and_writes_only_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    let root = tmp.path().join("ws");
    let before = files(&root);
    let run = note_add(
        tmp.path(),
        "Monday review\n> I open the cost dashboard every Monday ~dashboard-instead\n! Exports are stale ~at8dpl",
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains(
            "  evidence for assumption test at5mgr \"Managers will open a dashboard instead of asking for exports\": > I open the cost dashboard every Monday ~dashboard-instead"
        ),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("  evidence for assumption test at8dpl \"Cost per deployment can be computed from the billing export\": ! Exports are stale ~at8dpl"),
        "{run:?}"
    );
    let after = files(&root);
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert!(changed.contains(&&format!("assumptions/{MANAGERS}.ron")));
    assert!(changed.contains(&&format!("assumptions/{SPIKE}.ron")));
    assert!(changed.iter().any(|c| c.starts_with("notes/2026-11-25-")));

    let (_, ws, _) = valuemap::store::Store::open(&root).unwrap();
    let note = ws
        .notes
        .values()
        .find(|n| n.title == "Monday review")
        .unwrap();
    let t = &ws.items.tests[&Id::from(MANAGERS)];
    let e = t.evidence.last().unwrap();
    assert_eq!(e.note, note.id);
    assert_eq!(
        e.quote,
        "> I open the cost dashboard every Monday ~dashboard-instead"
    );
    // The reference is a mark, not words: the exports quote without it.
    let md = valuemap::export::render(&ws, valuemap::export::Format::Markdown).unwrap();
    assert!(!md.contains("~dashboard-instead"));
    let check = bin::valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
}

#[test]
fn note_add_refuses_a_name_that_matches_no_single_test_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    let root = tmp.path().join("ws");
    let before = files(&root);
    let run = note_add(tmp.path(), "Call\n> It was fine ~no-such-thing");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains(
            "~no-such-thing matches no assumption test: use its id or words of its assumption (at5mgr \"Managers will open"
        ),
        "{run:?}"
    );
    assert!(run.stderr.contains("Nothing was written."), "{run:?}");
    let run = note_add(tmp.path(), "Call\n> It was fine ~export");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("~export matches 2 assumption tests: "),
        "{run:?}"
    );
    assert_eq!(files(&root), before);
}

/// The popup after saving offers the tagged line; `a` attaches it to the
/// test's evidence, on disk too.
#[test]
fn the_popup_offers_a_tagged_line_and_accept_attaches_it() {
    let (dir, mut a) = app_on_disk();
    keys(
        &mut a,
        "nBilling call<Enter>> The export has namespaces ~billing-export<C-s>",
    );
    let s = a
        .layer::<valuemap::tui::popups::suggest::Suggest>()
        .expect("the offer is open");
    assert!(s.items.is_empty());
    assert_eq!(s.tests.len(), 1);
    assert_eq!(s.tests[0].test.as_str(), SPIKE);
    let screen = screen(&mut a, 120, 40);
    assert!(
        screen.contains("Evidence for an assumption test 1 of 1"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "test: Cost per deployment can be computed from the billing export (pending)"
        ),
        "{screen}"
    );
    assert!(screen.contains("attach as evidence"), "{screen}");
    keys(&mut a, "a");
    assert!(!a.has_layer("suggest"));
    let m = a.message.as_ref().unwrap().text.clone();
    assert!(m.contains("1 line added to assumption tests"), "{m}");
    let t = &a.ws.items.tests[&Id::from(SPIKE)];
    let e = t.evidence.last().unwrap();
    assert_eq!(e.quote, "> The export has namespaces ~billing-export");
    let note = e.note.clone();
    assert_eq!(a.ws.notes[&note].title, "Billing call");
    // Saved.
    let (_, disk, _) = valuemap::store::Store::open(&dir.path().join("ws")).unwrap();
    assert_eq!(disk.items.tests[&Id::from(SPIKE)], *t);
    // Undo takes the evidence back.
    a.undo();
    assert!(
        a.ws.items.tests[&Id::from(SPIKE)]
            .evidence
            .iter()
            .all(|e| e.note != note)
    );
}

/// A dismissed offer is remembered in the note and not made again; a pain
/// on the same line is offered as an opportunity first.
#[test]
fn a_dismissed_offer_stays_dismissed_and_pains_come_first() {
    let (_dir, mut a) = app_on_disk();
    keys(
        &mut a,
        "nWeekly<Enter>! Nobody reads the report ~at5mgr<C-s>",
    );
    let s = a
        .layer::<valuemap::tui::popups::suggest::Suggest>()
        .unwrap();
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].title, "Nobody reads the report");
    assert_eq!(s.tests.len(), 1);
    // Dismiss the opportunity, then the test offer.
    keys(&mut a, "x");
    assert!(a.has_layer("suggest"));
    keys(&mut a, "x");
    assert!(!a.has_layer("suggest"));
    let n = a.ws.notes.values().find(|n| n.title == "Weekly").unwrap();
    assert_eq!(
        n.dismissed,
        [
            "! Nobody reads the report ~at5mgr",
            "~at5mgr ! Nobody reads the report ~at5mgr"
        ]
    );
    assert!(
        a.ws.items.tests[&Id::from(MANAGERS)]
            .evidence
            .iter()
            .all(|e| e.note != n.id)
    );
    // Editing and saving the note again offers nothing.
    let id = n.id.clone();
    keys(&mut a, "3");
    let i = a.views.notes.rows.iter().position(|x| *x == id).unwrap();
    a.views.notes.list.selected = i;
    keys(&mut a, "<Enter><C-s>");
    if let Some(s) = a.layer::<valuemap::tui::popups::suggest::Suggest>() {
        panic!("offered again: {:?} {:?}", s.items, s.tests);
    }
}

/// A name that matches nothing is said when the note is kept; the line
/// stays text.
#[test]
fn an_unknown_name_is_said_when_the_note_is_kept() {
    let (_dir, mut a) = app_on_disk();
    keys(&mut a, "nQuiet call<Enter>> Nothing new ~nope<C-s>");
    assert!(!a.has_layer("suggest"));
    let m = a.message.as_ref().unwrap().text.clone();
    assert!(m.contains("~nope matches no assumption test"), "{m}");
    assert!(a.ws.notes.values().any(|n| n.title == "Quiet call"));
}

/// While typing, the side panel says which test each `~name` backs.
#[test]
fn the_capture_panel_resolves_names_as_they_are_typed() {
    let mut a = app();
    keys(
        &mut a,
        "nCall<Enter>> Works ~billing-export<Enter>> Or ~zzz",
    );
    let screen = screen(&mut a, 120, 40);
    assert!(
        screen.contains("~billing-export → test: Cost per"),
        "{screen}"
    );
    assert!(
        screen.contains("~zzz matches no assumption test"),
        "{screen}"
    );
}

/// The offer, with a problem line on top, draws at every size down to 1x1.
#[test]
fn the_offer_draws_at_any_size() {
    let (_dir, mut a) = app_on_disk();
    keys(
        &mut a,
        "nSizes<Enter>> Line one ~billing-export<Enter>> Line two ~nope<C-s>",
    );
    let s = a
        .layer::<valuemap::tui::popups::suggest::Suggest>()
        .unwrap();
    assert_eq!(s.problems.len(), 1);
    for (w, h) in [(120, 40), (80, 24), (20, 5), (1, 1)] {
        a.env.size = (w, h);
        let text = screen(&mut a, w, h);
        if w >= 80 {
            assert!(
                text.contains("⚠ ~nope matches no assumption test"),
                "{text}"
            );
            assert!(text.contains("Evidence for an assumption test"), "{text}");
        }
    }
}

/// `import --from md --accept` gives a tagged line to its test, and saves
/// the test's file with the new note.
#[test]
fn an_imported_note_feeds_its_test_with_accept() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    let src = tmp.path().join("old");
    fs::create_dir(&src).unwrap();
    fs::write(
        src.join("ines.md"),
        "---\ninterviewee: Ines\npersona: Engineering manager\ndate: 2026-11-02\n---\n# Review\n> We split the bill by namespace ~billing-export\n",
    )
    .unwrap();
    let run = bin::valuemap(
        tmp.path(),
        &["import", "ws", "--from", "md", "old", "--accept", "--apply"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let text = fs::read_to_string(tmp.path().join(format!("ws/assumptions/{SPIKE}.ron"))).unwrap();
    assert!(
        text.contains("> We split the bill by namespace ~billing-export"),
        "{text}"
    );
    let check = bin::valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
}

/// The text of the note being captured.
fn body(a: &valuemap::tui::app::App) -> String {
    a.layer::<valuemap::tui::popups::capture::Capture>()
        .unwrap()
        .body_text()
}

/// Tab after `~` or `@` completes the name from the workspace, Tab again
/// steps through the matches (Shift-Tab back), and a kept note links what
/// the completion wrote.
#[test]
fn tab_completes_test_and_activity_names_in_the_note() {
    let (_dir, mut a) = app_on_disk();
    keys(&mut a, "nBilling call<Enter>> We split the bill ~bill<Tab>");
    // "cost" is the first word of one assumption only.
    assert_eq!(body(&a), "Billing call\n> We split the bill ~cost");
    let focus = |a: &valuemap::tui::app::App| {
        a.layer::<valuemap::tui::popups::capture::Capture>()
            .unwrap()
            .focus
    };
    assert_eq!(focus(&a), valuemap::tui::popups::capture::Field::Body);
    // Complete already: the next Tab goes to the fields, Esc comes back.
    keys(&mut a, "<Tab>");
    assert_eq!(
        focus(&a),
        valuemap::tui::popups::capture::Field::Interviewee
    );
    keys(&mut a, "<Esc>");
    assert_eq!(body(&a), "Billing call\n> We split the bill ~cost");

    keys(&mut a, " @mon<Tab>");
    assert!(
        body(&a).ends_with("~cost @monitor-a-cluster"),
        "{}",
        body(&a)
    );
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("1/2 names") && s.contains("@monitor-a-workload"),
        "{s}"
    );
    keys(&mut a, "<Tab>");
    assert!(body(&a).ends_with("@monitor-a-workload"), "{}", body(&a));
    keys(&mut a, "<BackTab>");
    assert!(body(&a).ends_with("@monitor-a-cluster"), "{}", body(&a));

    // Nothing matches: said, and a second Tab moves on to the fields.
    keys(&mut a, "<Enter>> Also ~zzz<Tab>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("No assumption test matches ~zzz"), "{s}");
    assert!(body(&a).ends_with("~zzz"));
    keys(&mut a, "<Tab>");
    let c = a
        .layer::<valuemap::tui::popups::capture::Capture>()
        .unwrap();
    assert_eq!(
        c.focus,
        valuemap::tui::popups::capture::Field::Interviewee,
        "the second Tab reached the fields"
    );

    // Back in the note, remove the unknown name and keep it: the completed
    // reference is offered as evidence for its test.
    keys(&mut a, "<Esc><C-w><C-w><C-w><C-s>");
    let s = a
        .layer::<valuemap::tui::popups::suggest::Suggest>()
        .expect("the line is offered as evidence");
    assert!(
        s.tests.iter().any(|t| t.test == Id::new(SPIKE)),
        "{:?}",
        s.tests
    );
    let note =
        a.ws.notes
            .values()
            .find(|n| n.title == "Billing call")
            .unwrap();
    assert!(note.activities.contains(&Id::new("c6mcst")), "{note:?}");
}
