//! What many notes say together: themes (`#tags` across the workspace) that
//! grew, shrank, appeared or went, and questions opened, answered or opened
//! again.

use std::collections::HashMap;

use super::Names;
use super::opportunities::quote_text;
use crate::diff::{Change, Delta, QuestionChange, QuestionEvent, TagChange};
use crate::model::{Answer, Id};
use crate::synthesis::questions::{Question, questions as all_questions};
use crate::synthesis::themes::{Theme, themes};

/// Every theme whose count of notes changed: the "after" side's order
/// (most heard first), then the tags that are gone, in the "before" order.
pub(super) fn tags(n: &Names) -> Vec<TagChange> {
    let (ta, tb) = (themes(n.a), themes(n.b));
    let before: HashMap<&str, &Theme> = ta.iter().map(|t| (t.key.as_str(), t)).collect();
    let after: HashMap<&str, &Theme> = tb.iter().map(|t| (t.key.as_str(), t)).collect();
    let roles = |t: &Theme| [t.customer, t.consumer, t.end_user, t.unlinked];
    let item = |change, x: Option<&Theme>, y: Option<&Theme>| {
        let shown = y.or(x).expect("a theme on one side");
        let count = |t: Option<&Theme>| t.map_or(0, Theme::count);
        let split = |t: Option<&Theme>| t.map_or([0; 4], roles);
        TagChange {
            key: shown.key.clone(),
            tag: shown.name.clone(),
            change,
            notes: Delta {
                before: count(x),
                after: count(y),
            },
            roles: Delta {
                before: split(x),
                after: split(y),
            },
        }
    };
    let mut out = Vec::new();
    for y in &tb {
        match before.get(y.key.as_str()) {
            None => out.push(item(Change::Added, None, Some(y))),
            Some(x) if x.count() != y.count() || roles(x) != roles(y) => {
                out.push(item(Change::Changed, Some(x), Some(y)));
            }
            Some(_) => {}
        }
    }
    for x in &ta {
        if !after.contains_key(x.key.as_str()) {
            out.push(item(Change::Removed, Some(x), None));
        }
    }
    out
}

/// Every question whose state changed: opened (a new question still
/// open), answered, opened again, or answered differently. In the "after"
/// side's order (newest note first). A question that left with its line or
/// its note is not listed: the note's own change says so.
pub(super) fn questions(n: &Names) -> Vec<QuestionChange> {
    let before: HashMap<(Id, String), Option<Answer>> = all_questions(n.a)
        .into_iter()
        .map(|q| ((q.note, q.line), q.answer))
        .collect();
    let mut out = Vec::new();
    for q in all_questions(n.b) {
        let was = before.get(&(q.note.clone(), q.line.clone()));
        let event = match (was, &q.answer) {
            (None, None) => QuestionEvent::Opened,
            (None | Some(None), Some(_)) => QuestionEvent::Answered,
            (Some(Some(_)), None) => QuestionEvent::Reopened,
            (Some(Some(a)), Some(b)) if a != b => QuestionEvent::Reanswered,
            _ => continue,
        };
        out.push(change(n, &q, event));
    }
    out
}

fn change(n: &Names, q: &Question, event: QuestionEvent) -> QuestionChange {
    let note = n.note(&q.note);
    let (answered, by, by_note) = match &q.answer {
        Some(a) => {
            let (by, by_note) = match &a.by {
                Some(e) => {
                    let src = n.note(&e.note);
                    let who = src.map_or(String::new(), |s| s.interviewee.to_string());
                    let quote = match src {
                        Some(s) if e.quote.is_empty() => s.title.clone(),
                        _ => quote_text(&e.quote).to_string(),
                    };
                    (quote, who)
                }
                None => (String::new(), String::new()),
            };
            (Some(a.date), by, by_note)
        }
        None => (None, String::new(), String::new()),
    };
    QuestionChange {
        note: q.note.clone(),
        event,
        question: q.text(),
        line: q.line.clone(),
        date: q.date,
        note_title: note.map_or(String::new(), |x| x.title.clone()),
        interviewee: note.map_or(String::new(), |x| x.interviewee.to_string()),
        persona_name: q.persona.as_ref().map_or(String::new(), |p| n.persona(p)),
        answered,
        by,
        by_interviewee: by_note,
    }
}
