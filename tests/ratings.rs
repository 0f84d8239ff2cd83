//! Ratings heard in interviews: `= I/S [@activity]` lines in notes (and
//! `note add --rate`), aggregated per cell, scoring the cell once three
//! interviewees have rated it, and flagged where the product manager's own
//! rating is two or more from the interviews' median.

mod support;

use std::path::Path;

use support::*;
use valuemap::model::Id;
use valuemap::model::ratings::{self, CellRatings, Source};

#[path = "support/bin.rs"]
mod bin;

fn new_ws(tmp: &Path) {
    let run = bin::valuemap(tmp, &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

fn note_add(tmp: &Path, who: &str, text: &str, extra: &[&str]) -> bin::Run {
    let mut args = vec![
        "note",
        "add",
        "ws",
        "--persona",
        "Platform developer",
        "--activity",
        "Create a cluster",
        "--interviewee",
        who,
        "--date",
        "2026-11-25",
    ];
    args.extend_from_slice(extra);
    args.push(text);
    bin::valuemap(tmp, &args)
}

fn ids(ws: &valuemap::model::Workspace, persona: &str, activity: &str) -> (Id, Id) {
    let p = ws.personas.iter().find(|p| p.name == persona).unwrap();
    let a = ws.activities().find(|(_, a)| a.name == activity).unwrap().1;
    (p.id.clone(), a.id.clone())
}

#[test]
fn note_add_takes_ratings_in_the_text_and_as_options() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    // The template's Platform developer × Create a cluster is i5 s2 (pm).
    let run = note_add(tmp.path(), "Ana", "Call with Ana\n=2 / 4", &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains(
            "  rating:     Create a cluster i2 s4; the cell now: i5 s2 (pm), interviews n=1 · i2 (2) · s4 (4)"
        ),
        "{run:?}"
    );
    let run = note_add(
        tmp.path(),
        "Bo",
        "Call with Bo",
        &["--rate", "1/5", "--rate", "3/3@operate-a-cluster"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = note_add(tmp.path(), "Cy", "Call with Cy\n= 3/4 said slowly", &[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    // Importance 1 2 3 → 2 (1–3); satisfaction 4 4 5 → 4 (4–5).
    assert!(
        run.stdout
            .contains("the cell now: i2 s4 (n=3), interviews n=3 · i2 (1–3) · s4 (4–5)"),
        "{run:?}"
    );

    let (_, ws, _) = valuemap::store::Store::open(&tmp.path().join("ws")).unwrap();
    // Stored canonically.
    let bo = ws.notes.values().find(|n| n.interviewee == "Bo").unwrap();
    assert_eq!(bo.body, "Call with Bo\n= 1/5\n= 3/3 @operate-a-cluster");
    let ana = ws.notes.values().find(|n| n.interviewee == "Ana").unwrap();
    assert_eq!(ana.body, "Call with Ana\n= 2/4");

    let (p, a) = ids(&ws, "Platform developer", "Create a cluster");
    let cell = ratings::cell_rating(&ws, &p, &a);
    assert_eq!(cell.source, Source::Interviews(3));
    assert_eq!(cell.shown(), "i2 s4");
    assert_eq!(cell.score(), Some(2));
    // PM: i5 s2, interviews: i2 s4: three and two apart.
    assert!(cell.disagrees());
    let by = ratings::ByCell::of(&ws);
    assert_eq!(by.rating(&ws, &p, &a), cell);
    let (p2, a2) = ids(&ws, "Platform developer", "Operate a cluster");
    assert_eq!(ratings::cell_rating(&ws, &p2, &a2).source, Source::Pm);
    assert_eq!(ratings::cell_rating(&ws, &p2, &a2).heard.unwrap().n, 1);

    let check = bin::valuemap(tmp.path(), &["check", "ws"]);
    assert!(
        check.stdout.contains(
            "Creation / Create a cluster: Platform developer: the PM's rating i5 s2 disagrees with the interviews' i2 s4 (n=3; medians, two or more apart)"
        ),
        "{check:?}"
    );
}

#[test]
fn note_add_refuses_a_bad_rating_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    let notes = || {
        std::fs::read_dir(tmp.path().join("ws/notes"))
            .unwrap()
            .count()
    };
    let before = notes();
    for (text, extra, said) in [
        (
            "Call\n= 6/2",
            &[][..],
            "line 2, column 3: importance 6 is out of range: ratings go from 1 to 5",
        ),
        (
            "Call\n= 4",
            &[][..],
            "line 2, column 4: a rating needs \"/\"",
        ),
        (
            "Call\n= 4/2 @nothing-like-it",
            &[][..],
            "line 2, column 1: the rating's @nothing-like-it: no activity matches",
        ),
        (
            "Call",
            &["--rate", "4/x"][..],
            "--rate 4/x: a rating needs its satisfaction here, found \"x\"",
        ),
        (
            "Call",
            &["--rate", "0/1"][..],
            "--rate 0/1: importance 0 is out of range",
        ),
    ] {
        let run = note_add(tmp.path(), "Ana", text, extra);
        assert_eq!(run.code, Some(1), "{text}: {run:?}");
        assert!(run.stderr.contains(said), "{text}: {run:?}");
        assert!(run.stderr.contains("Nothing was written."), "{run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
    }
    assert_eq!(notes(), before);
}

/// A rating line written by hand that rates nothing is kept, and `check`
/// says where it is.
#[test]
fn check_reports_a_bad_rating_in_a_note_file() {
    let tmp = tempfile::tempdir().unwrap();
    new_ws(tmp.path());
    let root = tmp.path().join("ws");
    let (mut store, mut ws, _) = valuemap::store::Store::open(&root).unwrap();
    let id = ws.notes.keys().next().unwrap().clone();
    let n = ws.notes.get_mut(&id).unwrap();
    n.body.push_str("\n= 9/1");
    let title = n.title.clone();
    store
        .save(&ws, &valuemap::store::Scope::All, false)
        .unwrap();
    let check = bin::valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "a warning: {check:?}");
    assert!(
        check.stdout.contains(&format!(
            "warning: note \"{title}\" ({}, {id}): rating on line {}, column 3 of the note: importance 9 is out of range",
            ws.notes[&id].date.format("%Y-%m-%d"),
            ws.notes[&id].body.lines().count()
        )),
        "{check:?}"
    );
}

/// The capture editor: a rating typed from the keyboard counts for the
/// cell the capture was opened from, and three of them switch its source.
#[test]
fn three_captured_ratings_switch_the_cell_to_the_interviews() {
    let mut a = app();
    let (p, act) = {
        let ws = &a.ws;
        (
            ws.personas[0].id.clone(),
            ws.phases[0].activities[0].id.clone(),
        )
    };
    let before = a.stats.rating(&a.ws, &p, &act);
    assert_eq!(before.source, Source::Pm);
    for (who, rating) in [("Ana", "2/4"), ("Bo", "1/5"), ("Cy", "3/4")] {
        keys(
            &mut a,
            &format!("nCall with {who}<Enter>= {rating}<Tab>{who}<C-s>"),
        );
        // Close what follows the note (offers), if anything.
        keys(&mut a, "<Esc>");
    }
    let after = a.stats.rating(&a.ws, &p, &act);
    assert_eq!(after.source, Source::Interviews(3), "{after:?}");
    assert_eq!(after.shown(), "i2 s4");
    assert!(after.disagrees());
    assert_eq!(after, ratings::cell_rating(&a.ws, &p, &act));
}

/// The template with three interviews rating its first cell (Platform
/// developer × Create a cluster, the PM's i5 s2), captured from the keyboard,
/// who also rate the next cell (the PM's i3 s3) at i4 s1.
fn rated_app(w: u16, h: u16) -> valuemap::tui::app::App {
    let mut a = app();
    a.env.size = (w, h);
    for (who, rating) in [("Ana", "2/4"), ("Bo", "1/5"), ("Cy", "3/4")] {
        keys(
            &mut a,
            &format!(
                "nCall with {who}<Enter>= {rating}<Enter>= 4/1 @create-a-dep<Tab><Tab>{who}<C-s><Esc>"
            ),
        );
        // Back to the map's first cell.
        keys(&mut a, "1");
    }
    a
}

#[test]
fn snapshot_rated_cells_and_form() {
    for (w, h) in [(120, 40), (80, 24), (20, 5)] {
        let mut a = rated_app(w, h);
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("ratings_map_{w}x{h}"), t.backend());
        keys(&mut a, "c");
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("ratings_map_coverage_{w}x{h}"), t.backend());
        keys(&mut a, "c<Enter>");
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("ratings_form_{w}x{h}"), t.backend());
    }
}

/// Three interviews rating Platform developer × Create a cluster, added
/// headless.
fn three_rated(tmp: &Path) {
    new_ws(tmp);
    for (who, r) in [("Ana", "2/4"), ("Bo", "1/5"), ("Cy", "3/4")] {
        let run = note_add(tmp, who, &format!("Call with {who}"), &["--rate", r]);
        assert_eq!(run.code, Some(0), "{run:?}");
    }
}

#[test]
fn exports_carry_ratings_and_json_round_trips_them() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    three_rated(cwd);
    let (_, ws, _) = valuemap::store::Store::open(&cwd.join("ws")).unwrap();
    use valuemap::export::{Format, csv_table, render};
    let md = render(&ws, Format::Markdown).unwrap();
    assert!(
        md.contains(
            "score 2 (i2 s4, n=3); interviews n=3 · i2 (1–3) · s4 (4–5), ≠ the PM's rating is two or more from the median"
        ),
        "{md}"
    );
    assert!(md.contains("the PM's rating i5 s2 disagrees with the interviews' i2 s4"));
    let html = render(&ws, Format::Html).unwrap();
    assert!(html.contains("interviews n=3: i2 (1–3) s4 (4–5)"));
    assert!(html.contains("≠ PM and interviews disagree"));
    assert!(html.contains("i2 s4 (n=3)"));
    let csv = csv_table(&ws, "ratings").unwrap();
    let (p, a) = ids(&ws, "Platform developer", "Create a cluster");
    assert!(
        csv.contains(&format!(
            "{p},Platform developer,{a},Create a cluster,3,2,1,3,4,4,5,5,2,interviews,2,yes\r\n"
        )),
        "{csv}"
    );
    let json = render(&ws, Format::Json).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cell = v["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["persona"] == p.as_str() && c["activity"] == a.as_str())
        .unwrap();
    assert_eq!(cell["n"], 3);
    assert_eq!(cell["importance"]["median"], 2.0);
    assert_eq!(cell["satisfaction"]["max"], 5);
    assert_eq!(cell["source"], "interviews");
    assert_eq!(cell["score"], 2);
    assert_eq!(cell["disagreement"], true);
    let ana = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["interviewee"] == "Ana")
        .unwrap();
    assert_eq!(ana["ratings"][0]["importance"], 2);
    assert_eq!(ana["ratings"][0]["activity"], a.as_str());

    // Into an empty workspace and out again: the same ratings.
    std::fs::write(cwd.join("a.json"), &json).unwrap();
    let run = bin::valuemap(cwd, &["new", "ws2", "--template", "empty"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = bin::valuemap(
        cwd,
        &["import", "ws2", "--from", "json", "a.json", "--apply"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, ws2, _) = valuemap::store::Store::open(&cwd.join("ws2")).unwrap();
    assert_eq!(
        ratings::cell_rating(&ws2, &p, &a),
        ratings::cell_rating(&ws, &p, &a)
    );
    let again: serde_json::Value =
        serde_json::from_str(&render(&ws2, Format::Json).unwrap()).unwrap();
    assert_eq!(again["ratings"], v["ratings"]);
}

/// `valuemap diff`: the third rating switches a cell's source and moves
/// its medians and score.
#[test]
fn diff_says_when_a_cells_rating_source_or_median_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    new_ws(cwd);
    for (who, r) in [("Ana", "2/4"), ("Bo", "1/5")] {
        let run = note_add(cwd, who, &format!("Call with {who}"), &["--rate", r]);
        assert_eq!(run.code, Some(0), "{run:?}");
    }
    let (_, before, _) = valuemap::store::Store::open(&cwd.join("ws")).unwrap();
    let run = note_add(cwd, "Cy", "Call with Cy", &["--rate", "3/4"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let (_, after, _) = valuemap::store::Store::open(&cwd.join("ws")).unwrap();
    let d = valuemap::diff::diff(&before, &after);
    let (p, a) = ids(&after, "Platform developer", "Create a cluster");
    let cell = d
        .perspectives
        .iter()
        .find(|c| c.persona == p && c.activity == a)
        .expect("the cell changed");
    let text = valuemap::diff::render_text(&d, false);
    assert!(
        text.contains("interviews: n=2 · i1.5 (1–2) · s4.5 (4–5) → n=3 · i2 (1–3) · s4 (4–5)"),
        "{text}"
    );
    assert!(text.contains("rating source: pm → n=3"), "{text}");
    assert_eq!(
        cell.score,
        valuemap::diff::Delta {
            before: Some(8u8),
            after: Some(2u8)
        },
        "{text}"
    );
}

/// `/` finds a note by its rating, in words ("rating i2 s4 Create a
/// cluster") as well as by the line typed.
#[test]
fn search_finds_rating_lines() {
    let mut a = app();
    keys(&mut a, "nCall with Ana<Enter>= 2/4<Tab>Ana<C-s><Esc>1");
    let note =
        a.ws.notes
            .values()
            .find(|n| n.title == "Call with Ana")
            .unwrap()
            .id
            .clone();
    keys(&mut a, "/rating i2 s4 create");
    while a.busy() {
        a.tick();
    }
    let s = a
        .layer::<valuemap::tui::popups::search::Search>()
        .expect("the search is open");
    let top = &s.session.hits[0];
    assert_eq!(
        top.target,
        valuemap::model::EntityRef::Note(note.clone()),
        "{:?}",
        s.session.hits
    );
    let f = valuemap::search::fields(&a.ws, &top.target);
    assert_eq!(f[top.field].name, "rating");
    assert_eq!(f[top.field].text, "rating i2 s4 Create a cluster");
}

/// The HTML report's persona card names the cells the interviews say are
/// least served: each cell's score as the map computes it (the interviews'
/// medians from three ratings on), not the PM's own rating.
#[test]
fn the_html_personas_least_served_follow_the_interviews() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    new_ws(cwd);
    // The PM: Create a cluster i5 s2 (8, the most under-served); the
    // interviews: i2 s4 there (2), and i5 s1 on Operate a cluster (9).
    for (who, r) in [("Ana", "2/4"), ("Bo", "1/5"), ("Cy", "3/4")] {
        let run = note_add(
            cwd,
            who,
            &format!("Call with {who}"),
            &["--rate", r, "--rate", "5/1@operate-a-cluster"],
        );
        assert_eq!(run.code, Some(0), "{run:?}");
    }
    let (_, ws, _) = valuemap::store::Store::open(&cwd.join("ws")).unwrap();
    let (p, create) = ids(&ws, "Platform developer", "Create a cluster");
    let (_, operate) = ids(&ws, "Platform developer", "Operate a cluster");
    // The PM's own ratings say the opposite.
    assert_eq!(ws.perspective(&p, &create).unwrap().score(), Some(8));
    let pm_operate = ws.perspective(&p, &operate).and_then(|x| x.score());
    assert!(pm_operate.is_none_or(|s| s < 8), "{pm_operate:?}");
    assert_eq!(ratings::cell_rating(&ws, &p, &operate).score(), Some(9));

    let html = valuemap::export::render(&ws, valuemap::export::Format::Html).unwrap();
    let start = html
        .find("<h3>Platform developer")
        .expect("the persona's card");
    let card = &html[start..start + html[start..].find("</article>").unwrap()];
    let served = &card[card.find("Least well served").expect("the list")..];
    let items: Vec<&str> = served.split("<li>").skip(1).collect();
    assert!(
        items[0].contains(">9</span> Operate a cluster"),
        "the interviews' least served first: {served}"
    );
    assert!(
        !served.contains(">8</span> Create a cluster"),
        "not the PM's 8: {served}"
    );
}

/// A search hit on a cell shows the cell's score as the map has it: from
/// the interviews once three rated it, saying so.
#[test]
fn search_shows_a_cells_score_from_its_source() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    three_rated(cwd);
    let (_, ws, _) = valuemap::store::Store::open(&cwd.join("ws")).unwrap();
    let (p, a) = ids(&ws, "Platform developer", "Create a cluster");
    let (_, other) = ids(&ws, "Platform developer", "Operate a cluster");
    let cells = ratings::ByCell::of(&ws);
    let cell = |activity: &Id| valuemap::model::EntityRef::Perspective {
        persona: p.clone(),
        activity: activity.clone(),
    };
    let (name, context) = valuemap::search::describe(&ws, &cells, &cell(&a));
    assert_eq!(name, "Platform developer · Create a cluster");
    // The PM's i5 s2 would say 8.
    assert_eq!(context, "score 2 (n=3)");
    let pm = ws.perspective(&p, &other).and_then(|x| x.score()).unwrap();
    let (_, context) = valuemap::search::describe(&ws, &cells, &cell(&other));
    assert_eq!(context, format!("score {pm}"));
}

/// The Personas view lists a persona's cells with the score the map shows:
/// from the interviews once three rated the cell.
#[test]
fn the_personas_view_scores_cells_as_the_map_does() {
    let mut a = rated_app(120, 40);
    keys(&mut a, "2");
    let s = screen(&mut a, 120, 40);
    let line = s
        .lines()
        .find(|l| l.contains("Creation / Create a cluster"))
        .unwrap_or_else(|| panic!("the cell is listed:\n{s}"));
    // The PM's i5 s2 would score 8; the interviews' i2 s4 score 2.
    assert!(line.contains("░2 Creation / Create a cluster"), "{line}");
}
