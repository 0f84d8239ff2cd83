//! Open questions (`Q`): every `? question` line across notes with note,
//! persona and date; marking one answered (by a line of a later note or
//! none), reopening it, filtering, and the blind spot an open question is,
//! driven through the same event path as the terminal.

mod support;

use support::*;
use valuemap::model::Id;
use valuemap::synthesis::questions::{self, Show};
use valuemap::tui::app::App;
use valuemap::tui::popups::questions::Questions;

fn list(a: &App) -> &Questions {
    a.layer::<Questions>().expect("the questions are open")
}

/// Moves the cursor to the question whose words start with `start`.
fn select(a: &mut App, start: &str) {
    keys(a, "g");
    for _ in 0..100 {
        if list(a)
            .selected()
            .is_some_and(|q| q.text().starts_with(start))
        {
            return;
        }
        keys(a, "j");
    }
    panic!("no question starts with {start}");
}

const SHOWBACK: &str = "Showback or chargeback?";

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(40, 10), (80, 24), (120, 40)] {
        let mut a = app();
        keys(&mut a, "Q");
        insta::assert_snapshot!(format!("questions_{w}x{h}"), screen(&mut a, w, h));
        select(&mut a, SHOWBACK);
        keys(&mut a, "a");
        insta::assert_snapshot!(format!("questions_answer_{w}x{h}"), screen(&mut a, w, h));
    }
}

#[test]
fn every_question_with_note_persona_and_date() {
    let mut a = app();
    let total =
        a.ws.notes
            .values()
            .map(|n| n.questions().count())
            .sum::<usize>();
    assert!(total >= 6);
    keys(&mut a, "Q");
    assert_eq!(list(&a).rows.len(), total);
    assert_eq!(list(&a).show, Show::Open);
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains(&format!("Questions · {total} open, 0 answered")),
        "{s}"
    );
    assert!(s.contains("Showback or chargeback?"), "{s}");
    assert!(
        s.contains("2026-06-25 · Dana (VP Eng) · Engineering"),
        "{s}"
    );
    // Enter opens the question's note.
    select(&mut a, SHOWBACK);
    let note = list(&a).selected().unwrap().note.clone();
    keys(&mut a, "<Enter>");
    assert!(a.layer::<Questions>().is_none());
    assert_eq!(a.views.notes.selected(), Some(&note));
}

#[test]
fn answering_by_a_later_line_then_filtering_reopening_and_undoing() {
    let mut a = app();
    let before = a.ws.clone();
    keys(&mut a, "Q");
    let open = list(&a).rows.len();
    select(&mut a, SHOWBACK);
    let q = list(&a).selected().unwrap().clone();
    // Dana's follow-up, two months later, answers it.
    keys(&mut a, "a");
    keys(&mut a, "cost export since<Enter>");
    let n = &a.ws.notes[&q.note];
    let ans = n.answer(&q.line).expect("answered");
    assert_eq!(ans.date, a.env.today);
    let by = ans.by.as_ref().expect("by a line");
    assert!(
        by.quote
            .contains("cost export since the dashboard went live")
    );
    assert!(a.ws.notes[&by.note].date > q.date);
    assert_eq!(list(&a).rows.len(), open - 1, "the open list follows");
    // f: the answered ones, with what answered them.
    keys(&mut a, "f");
    assert_eq!(list(&a).show, Show::Answered);
    assert_eq!(list(&a).rows.len(), 1);
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("answered 2026-11-24 by “I haven't asked you"),
        "{s}"
    );
    // o opens it again; u undoes that; u again undoes the answer.
    keys(&mut a, "o");
    assert!(list(&a).rows.is_empty());
    keys(&mut a, "<Esc>u");
    assert!(a.ws.notes[&q.note].answer(&q.line).is_some());
    keys(&mut a, "u");
    assert_eq!(a.ws, before);
}

#[test]
fn answered_without_a_line_and_saved_as_canonical_ron() {
    let (_dir, mut a) = app_on_disk();
    keys(&mut a, ":questions all<Enter>");
    assert_eq!(list(&a).show, Show::All);
    select(&mut a, SHOWBACK);
    let q = list(&a).selected().unwrap().clone();
    keys(&mut a, "a<Enter>");
    let ans = a.ws.notes[&q.note].answer(&q.line).unwrap().clone();
    assert!(ans.by.is_none());
    keys(&mut a, "<Esc><C-s>");
    while a.busy() {
        a.tick();
    }
    let root = a.root().unwrap().to_path_buf();
    let (store, back, _) = valuemap::store::Store::open(&root).unwrap();
    assert_eq!(back.notes[&q.note].answered, [ans]);
    let file = store.path_of(
        &valuemap::model::validate::FileKey::Note(q.note.clone()),
        &back,
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("answered: ["), "{text}");
    assert!(
        text.contains("question: \"? Showback or chargeback?"),
        "{text}"
    );
    // What valuemap writes is what `valuemap fmt` would write.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_valuemap"))
        .args(["fmt", "--check"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn open_questions_are_blind_spots_on_the_map_and_in_check() {
    let mut a = app();
    let n =
        a.ws.notes
            .values()
            .find(|n| n.questions().any(|q| q.contains("Showback")))
            .unwrap()
            .clone();
    let persona = n.persona.clone().unwrap();
    let activity = n.activities[0].clone();
    let before = a.stats.cell(&persona, &activity).open_questions;
    assert!(before >= 1);
    assert!(
        valuemap::model::coverage::report(&a.ws)
            .iter()
            .any(|g| g.message.contains("open question"))
    );
    valuemap::tui::registry::run(
        &mut a,
        valuemap::tui::command::Command::Jump(valuemap::model::EntityRef::Perspective {
            persona: persona.clone(),
            activity: activity.clone(),
        }),
    );
    keys(&mut a, "c");
    let s = screen(&mut a, 200, 50);
    let want = valuemap::text::count(before, "open question");
    assert!(s.contains(&format!("⚠ {want}")), "{s}");
    // Answered: one fewer.
    let line = n
        .questions()
        .find(|q| q.contains("Showback"))
        .unwrap()
        .to_string();
    let e = questions::answer(&a.ws, &n.id, &line, None, a.env.today).unwrap();
    a.apply("answer", e);
    assert_eq!(a.stats.cell(&persona, &activity).open_questions, before - 1);
    let _ = Id::from("x");
}
