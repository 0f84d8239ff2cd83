//! Notes given from outside the capture editor (a Markdown file, a CSV
//! row): their title and body made as the capture syntax reads them, their
//! persona, activities, `@mentions` and `#tags` resolved, and the notes added
//! to a workspace.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    Resolved, accept_suggestions, attach_edit, merge_tags, parse, resolve_activity,
    resolve_activity_id, resolve_persona, test_links,
};
use crate::model::edit::{self, Edit};
use crate::model::{EntityRef, Id, Kind, Note, Workspace};

/// A value read from a source, with where it was read (for messages).
#[derive(Clone, Debug)]
pub struct At<T> {
    pub value: T,
    /// Where the value is, e.g. `notes/kenji.md:4` or `notes.csv: row 3, column "Who"`.
    pub at: String,
}

/// One interview note as read from a Markdown file or a CSV row, before
/// its persona and activities are resolved.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// The file (and row) it comes from.
    pub origin: String,
    pub title: Option<At<String>>,
    /// The body in the capture line syntax.
    pub body: String,
    pub interviewee: String,
    /// A persona's id, name or unique name prefix.
    pub persona: Option<At<String>>,
    pub date: NaiveDate,
    /// Activities by id, name or unique name prefix.
    pub activities: Vec<At<String>>,
    pub tags: Vec<String>,
}

/// What [`add_drafts`] did.
#[derive(Clone, Debug, Default)]
pub struct Added {
    /// The new notes, each followed by the opportunities accepted from it.
    pub created: Vec<EntityRef>,
    /// Drafts left out because the workspace has a note that says the same
    /// (same date, interviewee, persona and text): that note's id, and the
    /// draft described (date, title and origin).
    pub duplicates: Vec<(Id, String)>,
    /// Assumption tests given a new note's `~test` line as evidence (with
    /// `accept`).
    pub changed: Vec<EntityRef>,
    /// Things worth knowing that stop nothing (an `@mention` that matches no
    /// single activity, a `~name` that matches no single test).
    pub notices: Vec<String>,
    /// Every problem, each naming where it is.
    pub problems: Vec<String>,
}

/// The body with Windows line ends and leading blank lines gone, the end
/// trimmed, and a Markdown heading marker (`# `, `## `...) taken off its
/// first line, so the first line is the title as in the capture syntax.
fn clean_body(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let mut lines: Vec<&str> = body.split('\n').collect();
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    let mut out = lines.join("\n");
    let trimmed_start = out.len() - out.trim_start().len();
    let t = &out[trimmed_start..];
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes)
        && t[hashes..].starts_with([' ', '\t'])
        && !t[hashes..].lines().next().unwrap_or("").trim().is_empty()
    {
        let rest = t[hashes..].trim_start_matches([' ', '\t']).to_string();
        out = rest;
    }
    out.trim_end().to_string()
}

/// The note's title and body: the title given (if any) goes in front of
/// the body unless the body already starts with it.
fn compose(title: Option<&str>, body: &str) -> (String, String) {
    let mut body = clean_body(body);
    if let Some(t) = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        && parse(&body).title() != t
    {
        body = if body.is_empty() {
            t
        } else {
            format!("{t}\n{body}")
        };
    }
    (parse(&body).title(), body)
}

/// Adds drafted notes to `ws`, resolving their personas and activities in
/// it, and with `accept` every pain and need as an opportunity (as
/// `valuemap note add --accept` does). A draft that says the same as a note
/// already there (or added earlier in the same call) is left out, so adding
/// the same drafts twice adds nothing the second time. Every problem is
/// collected; when there is any, what `ws` holds afterwards is incomplete
/// and meant to be dropped.
pub fn add_drafts(ws: &mut Workspace, drafts: Vec<Draft>, accept: bool) -> Added {
    let mut added = Added::default();
    // Notes already there, by what they say.
    let key = |n: &Note| {
        (
            n.date,
            n.interviewee.clone(),
            n.persona.clone(),
            n.body.clone(),
        )
    };
    let mut known: HashMap<_, Id> = ws.notes.values().map(|n| (key(n), n.id.clone())).collect();
    for d in drafts {
        let (title, body) = compose(d.title.as_ref().map(|t| t.value.as_str()), &d.body);
        if title.is_empty() {
            added.problems.push(format!(
                "{}: the note is empty (its first line is its title)",
                d.origin
            ));
            continue;
        }
        let mut ok = true;
        let persona = match &d.persona {
            Some(p) if !p.value.trim().is_empty() => match resolve_persona(ws, p.value.trim()) {
                Ok(x) => Some(x.id.clone()),
                Err(e) => {
                    added.problems.push(format!("{}: {e}", p.at));
                    ok = false;
                    None
                }
            },
            _ => None,
        };
        let mut activities: Vec<Id> = Vec::new();
        for a in &d.activities {
            match resolve_activity_id(ws, a.value.trim()) {
                Ok(id) => {
                    if !activities.contains(&id) {
                        activities.push(id);
                    }
                }
                Err(e) => {
                    added.problems.push(format!("{}: {e}", a.at));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let parsed = parse(&body);
        for m in parsed.mentions() {
            match resolve_activity(ws, &m) {
                Resolved::Activity(x) => {
                    if !activities.contains(&x.id) {
                        activities.push(x.id.clone());
                    }
                }
                _ => added.notices.push(format!(
                    "{}: @{m} matches no single activity and was left as text",
                    d.origin
                )),
            }
        }
        let mut tags = Vec::new();
        merge_tags(&mut tags, d.tags.iter().cloned());
        merge_tags(&mut tags, parsed.tags());
        let id = ws.fresh_id();
        let note = Note {
            id: id.clone(),
            date: d.date,
            interviewee: d.interviewee.trim().into(),
            persona,
            activities,
            title,
            body,
            tags: tags.into(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        };
        if let Some(same) = known.get(&key(&note)) {
            added.duplicates.push((
                same.clone(),
                format!("{} \"{}\" ({})", note.date, note.title, d.origin),
            ));
            continue;
        }
        known.insert(key(&note), id.clone());
        if let Err(e) = edit::apply(
            ws,
            Edit::PutNote {
                id: id.clone(),
                note: Some(note),
            },
        ) {
            added.problems.push(format!("{}: {e}", d.origin));
            continue;
        }
        added.created.push(EntityRef::Note(id.clone()));
        if accept {
            match accept_suggestions(ws, &id) {
                Ok(ids) => added
                    .created
                    .extend(ids.into_iter().map(EntityRef::Opportunity)),
                Err(e) => added.problems.push(format!("{}: {e}", d.origin)),
            }
        }
        // Lines tagged `~test`: evidence for that test when accepting; a
        // name that matches no single test stays text.
        let (links, unknown) = test_links(ws, &ws.notes[&id].body);
        for u in unknown {
            added
                .notices
                .push(format!("{}: {u}; it was left as text", d.origin));
        }
        if accept {
            for l in links {
                if let Some(e) = attach_edit(ws, &id, &l) {
                    if let Err(e) = edit::apply(ws, e) {
                        added.problems.push(format!("{}: {e}", d.origin));
                        continue;
                    }
                    let t = EntityRef::Item(Kind::Test, l.test.clone());
                    if !added.changed.contains(&t) {
                        added.changed.push(t);
                    }
                    added.notices.push(format!(
                        "{}: \"{}\" is evidence for assumption test {} \"{}\"",
                        d.origin, l.line, l.test, l.assumption
                    ));
                }
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn accepted_drafts_give_their_tagged_lines_to_tests() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let draft = Draft {
            origin: "notes/ines.md".into(),
            body: "Review\n> We split the bill by namespace ~billing-export\n> ~nope".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            ..Draft::default()
        };
        let added = add_drafts(&mut ws.clone(), vec![draft.clone()], false);
        assert!(added.changed.is_empty());
        assert!(added.problems.is_empty());
        let added = add_drafts(&mut ws, vec![draft], true);
        assert!(added.problems.is_empty(), "{:?}", added.problems);
        assert_eq!(
            added.changed,
            [EntityRef::Item(Kind::Test, "at8dpl".into())]
        );
        let t = &ws.items.tests[&Id::from("at8dpl")];
        assert_eq!(
            t.evidence.last().unwrap().quote,
            "> We split the bill by namespace ~billing-export"
        );
        assert!(
            added
                .notices
                .iter()
                .any(|n| n.starts_with("notes/ines.md: ~nope matches no assumption test")),
            "{:?}",
            added.notices
        );
    }

    #[test]
    fn bodies_lose_heading_markers_and_gain_titles() {
        assert_eq!(
            compose(None, "\n\n# Slow clusters\n! pain\n"),
            ("Slow clusters".into(), "Slow clusters\n! pain".into())
        );
        assert_eq!(
            compose(None, "#tag first\ntext"),
            ("#tag first".into(), "#tag first\ntext".into())
        );
        assert_eq!(
            compose(Some("Title"), "> quote"),
            ("Title".into(), "Title\n> quote".into())
        );
        assert_eq!(
            compose(Some("Title"), "Title\n> quote"),
            ("Title".into(), "Title\n> quote".into())
        );
        assert_eq!(compose(Some(" "), ""), (String::new(), String::new()));
    }

    fn draft(origin: &str, body: &str) -> Draft {
        Draft {
            origin: origin.into(),
            body: body.into(),
            date: NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(),
            ..Draft::default()
        }
    }

    #[test]
    fn drafts_resolve_names_and_accept_pains_and_needs() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let before = ws.notes.len();
        let mut d = draft(
            "a.md",
            "Slow clusters\n! Every cluster is a ticket @monitor-a-w @nowhere #slo",
        );
        d.persona = Some(At {
            value: "platform".into(),
            at: "a.md:2".into(),
        });
        d.tags = vec!["#onboarding".into()];
        let added = add_drafts(&mut ws, vec![d.clone(), d], true);
        assert!(added.problems.is_empty(), "{:?}", added.problems);
        assert_eq!(added.duplicates.len(), 1, "the second draft says the same");
        assert_eq!(added.notices.len(), 2, "@nowhere, once per draft");
        let [EntityRef::Note(id), EntityRef::Opportunity(o)] = added.created.as_slice() else {
            panic!("{:?}", added.created)
        };
        assert_eq!(ws.notes.len(), before + 1);
        let n = &ws.notes[id];
        assert_eq!(n.title, "Slow clusters");
        assert_eq!(n.tags, ["onboarding", "slo"]);
        assert_eq!(
            ws.persona(n.persona.as_ref().unwrap()).unwrap().name,
            "Platform developer"
        );
        assert_eq!(
            ws.activity(&n.activities[0]).unwrap().name,
            "Monitor a workload"
        );
        let o = ws.opportunity(o).unwrap();
        assert_eq!(o.evidence[0].note, *id);
    }

    #[test]
    fn unknown_names_and_empty_notes_are_problems_naming_where() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut d = draft("b.csv: row 2", "Title");
        d.activities.push(At {
            value: "fly".into(),
            at: "b.csv: row 2, column \"Step\"".into(),
        });
        let added = add_drafts(&mut ws, vec![d, draft("c.md", "\n\n")], false);
        assert!(added.created.is_empty());
        assert_eq!(added.problems.len(), 2, "{:?}", added.problems);
        assert!(
            added.problems[0]
                .starts_with("b.csv: row 2, column \"Step\": no activity matches \"fly\"")
        );
        assert!(added.problems[1].starts_with("c.md: the note is empty"));
    }
}
