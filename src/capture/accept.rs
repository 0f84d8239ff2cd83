//! Accepting a note's suggestions: every pain and need becomes an
//! opportunity with its line as evidence.

use crate::model::edit::{self, Edit};
use crate::model::{Evidence, Id, Opportunity, Workspace};

/// Turns every pain and need of a note into a new opportunity, with its line
/// as evidence, linked to the note's activities and persona (what
/// `valuemap note add --accept` does). Returns the new opportunities' ids.
pub fn accept_suggestions(ws: &mut Workspace, note: &Id) -> Result<Vec<Id>, String> {
    let n = ws
        .notes
        .get(note)
        .ok_or_else(|| format!("note {note} not found"))?;
    let activities = n.activities.clone();
    let personas: Vec<Id> = n.persona.iter().cloned().collect();
    let suggestions = super::parse(&n.body).suggestions();
    let mut out = Vec::new();
    for s in suggestions {
        let mut o = Opportunity::new(ws.fresh_id(), s.title, s.kind);
        o.activities.clone_from(&activities);
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
            interviewee: String::new(),
            persona: Some(persona.clone()),
            activities: vec![activity.clone()],
            title: "Call".into(),
            body: "Call\n! Tickets everywhere\n> a quote\n+ Self-service".into(),
            tags: Vec::new(),
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
