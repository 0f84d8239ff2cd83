//! Finding the line of a workspace file that an entity starts on, for
//! messages (`opportunities.ron:42`) and annotations in a pull request.
//!
//! The files are written by valuemap in a fixed shape: every entity with an
//! id has `id: "…",` on a line of its own, and a perspective has its
//! `persona: "…",` and `activity: "…",` on two lines in a row.

use crate::model::EntityRef;

fn quoted(s: &str) -> String {
    // Ids are plain in files valuemap writes; RON escapes like JSON.
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// The 1-based line where `e` starts in `text` (the file that holds it),
/// or 1 when it cannot be found.
pub fn line_of(text: &str, e: &EntityRef) -> usize {
    let find = |needle: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(needle))
            .map(|i| i + 1)
    };
    let found = match e {
        EntityRef::Phase(id)
        | EntityRef::Activity(id)
        | EntityRef::Persona(id)
        | EntityRef::Opportunity(id)
        | EntityRef::Metric(id)
        | EntityRef::Note(id)
        | EntityRef::Item(_, id) => find(&format!("id: {},", quoted(id.as_str()))),
        EntityRef::Perspective { persona, activity } => {
            let p = format!("persona: {},", quoted(persona.as_str()));
            let a = format!("activity: {},", quoted(activity.as_str()));
            let lines: Vec<&str> = text.lines().collect();
            let start = lines
                .iter()
                .position(|l| l.trim_start().starts_with("perspectives:"))
                .unwrap_or(0);
            (start..lines.len().saturating_sub(1))
                .find(|&i| lines[i].trim_start() == p && lines[i + 1].trim_start() == a)
                .map(|i| i + 1)
        }
        EntityRef::Workspace => None,
    };
    found.unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_found_by_their_id_line() {
        let text = "(\n    opportunities: [\n        (\n            id: \"a1\",\n        ),\n        (\n            id: \"b2\",\n";
        assert_eq!(line_of(text, &EntityRef::Opportunity("b2".into())), 7);
        assert_eq!(line_of(text, &EntityRef::Opportunity("zz".into())), 1);
        let ws = "(\n  phases: [],\n  perspectives: [\n    (\n      persona: \"p\",\n      activity: \"x\",\n    ),\n    (\n      persona: \"p\",\n      activity: \"y\",\n";
        let cell = EntityRef::Perspective {
            persona: "p".into(),
            activity: "y".into(),
        };
        assert_eq!(line_of(ws, &cell), 9);
    }
}
