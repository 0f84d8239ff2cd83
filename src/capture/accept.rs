//! Accepting a note's suggestions: every pain and need becomes an
//! opportunity with its line as evidence.

use super::{Resolved, Suggestion, parse, resolve_activity, tokens};
use crate::model::edit::{self, Edit};
use crate::model::{Evidence, Id, Note, Opportunity, Workspace};

/// The suggestions of a note still open: its pains and needs that are not
/// evidence of an opportunity yet and were not dismissed.
pub fn open_suggestions(ws: &Workspace, note: &Id, body: &str) -> Vec<Suggestion> {
    let cited: Vec<&str> = ws
        .opportunities
        .iter()
        .flat_map(|o| &o.evidence)
        .filter(|e| &e.note == note)
        .map(|e| e.quote.as_str())
        .collect();
    let dismissed = ws
        .notes
        .get(note)
        .map(|n| n.dismissed.as_slice())
        .unwrap_or_default();
    parse(body)
        .suggestions()
        .into_iter()
        .filter(|s| !cited.contains(&s.line.as_str()) && !dismissed.contains(&s.line))
        .collect()
}

/// The activities an opportunity made from one line of a note links: the
/// note's own links, and the activities the line itself mentions; not those
/// only other lines mention.
pub fn line_activities(ws: &Workspace, note: &Note, line: &str) -> Vec<Id> {
    let resolve = |name: &str| match resolve_activity(ws, name) {
        Resolved::Activity(a) => Some(a.id.clone()),
        _ => None,
    };
    let on_line: Vec<Id> = tokens(line, '@')
        .iter()
        .filter_map(|t| resolve(&t.name))
        .collect();
    let elsewhere: Vec<Id> = parse(&note.body)
        .lines
        .iter()
        .filter(|l| l.raw.trim() != line.trim())
        .flat_map(|l| tokens(&l.raw, '@'))
        .filter_map(|t| resolve(&t.name))
        .collect();
    let mut out: Vec<Id> = note
        .activities
        .iter()
        .filter(|a| !elsewhere.contains(a) || on_line.contains(a))
        .cloned()
        .collect();
    for a in on_line {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// Turns every pain and need of a note into a new opportunity, with its line
/// as evidence, linked to the note's persona, its own activities and those
/// the line mentions (what `valuemap note add --accept` does). Returns the
/// new opportunities' ids.
pub fn accept_suggestions(ws: &mut Workspace, note: &Id) -> Result<Vec<Id>, String> {
    let n = ws
        .notes
        .get(note)
        .ok_or_else(|| format!("note {note} not found"))?
        .clone();
    let personas: Vec<Id> = n.persona.iter().cloned().collect();
    let suggestions = open_suggestions(ws, note, &n.body);
    let mut out = Vec::new();
    for s in suggestions {
        let activities = line_activities(ws, &n, &s.line);
        let mut o = Opportunity::new(ws.fresh_id(), s.title, s.kind);
        o.activities = activities;
        o.personas = personas.clone();
        o.evidence.push(Evidence {
            note: note.clone(),
            quote: s.line,
        });
        out.push(o.id.clone());
        let index = ws.opportunity_insert_index(&o.id);
        edit::apply(
            ws,
            Edit::InsertOpportunity {
                index,
                opportunity: o,
            },
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, OpportunityKind};
    use crate::template::Template;

    #[test]
    fn pains_and_needs_become_linked_opportunities_with_evidence() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let (_, activity) = ws.activities().next().unwrap();
        let activity = activity.id.clone();
        let persona = ws.personas[0].id.clone();
        let id = ws.fresh_id();
        let note = Note {
            id: id.clone(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(),
            interviewee: Default::default(),
            persona: Some(persona.clone()),
            activities: vec![activity.clone()],
            title: "Call".into(),
            body: "Call\n! Tickets everywhere\n> a quote\n+ Self-service".into(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        };
        edit::apply(
            &mut ws,
            Edit::PutNote {
                id: id.clone(),
                note: Some(note),
            },
        )
        .unwrap();
        let ids = accept_suggestions(&mut ws, &id).unwrap();
        assert_eq!(ids.len(), 2);
        let o = ws.opportunity(&ids[0]).unwrap();
        assert_eq!(
            (o.title.as_str(), o.kind),
            ("Tickets everywhere", OpportunityKind::Pain)
        );
        assert_eq!(o.activities, [activity]);
        assert_eq!(o.personas, [persona]);
        assert_eq!(o.evidence[0].quote, "! Tickets everywhere");
        assert_eq!(ws.opportunity(&ids[1]).unwrap().kind, OpportunityKind::Need);
        assert!(accept_suggestions(&mut ws, &Id::new("nope")).is_err());
    }
}
