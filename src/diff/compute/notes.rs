//! Interview notes: added, changed and removed.

use std::collections::BTreeSet;

use super::{Names, links, list, text, value};
use crate::diff::{Change, NoteChange};
use crate::model::Id;

pub(super) fn notes(n: &Names) -> Vec<NoteChange> {
    let ids: BTreeSet<&Id> = n.a.notes.keys().chain(n.b.notes.keys()).collect();
    let persona_name = |p: &Option<Id>| p.as_ref().map(|p| n.persona(p)).unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        let (x, y) = (n.a.notes.get(id), n.b.notes.get(id));
        let (change, note, fields) = match (x, y) {
            (None, Some(y)) => (Change::Added, y, vec![]),
            (Some(x), None) => (Change::Removed, x, vec![]),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "title", &x.title, &y.title);
                value(&mut f, "date", &x.date.to_string(), &y.date.to_string());
                value(&mut f, "interviewee", &x.interviewee, &y.interviewee);
                if x.persona != y.persona {
                    value(
                        &mut f,
                        "persona",
                        &persona_name(&x.persona),
                        &persona_name(&y.persona),
                    );
                }
                links(&mut f, "activities", &x.activities, &y.activities, |id| {
                    n.activity(id)
                });
                list(&mut f, "tags", &x.tags, &y.tags);
                text(&mut f, "body", &x.body, &y.body);
                if f.is_empty() {
                    continue;
                }
                (Change::Changed, y, f)
            }
            (None, None) => continue,
        };
        out.push(NoteChange {
            id: id.clone(),
            change,
            date: note.date,
            title: note.title.clone(),
            interviewee: note.interviewee.to_string(),
            persona: note.persona.clone(),
            persona_name: persona_name(&note.persona),
            fields,
        });
    }
    out.sort_by_cached_key(|c| {
        let persona = match (&c.change, &c.persona) {
            (Change::Added, Some(p)) => n.persona_rank(p),
            (Change::Added, None) => (3, 0),
            _ => (0, 0),
        };
        (c.change, persona, c.date, c.id.clone())
    });
    out
}
