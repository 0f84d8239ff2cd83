//! Names typed by people (an `@mention`, `note add -p platform`, a persona
//! column of a CSV file) resolved to the workspace's activities and personas:
//! by id, by name without case, or by a unique prefix of the name.

use crate::model::{Activity, Id, Persona, Workspace};

/// What a mention refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    Activity(&'a Activity),
    /// No activity matches.
    Unknown,
    /// Several activities match; the names are listed.
    Ambiguous(Vec<&'a str>),
}

fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds an activity by id, by name (case-insensitive, `-` and `_` for
/// spaces), or by a unique prefix of its name.
pub fn resolve_activity<'a>(ws: &'a Workspace, name: &str) -> Resolved<'a> {
    let id = Id::new(name);
    if let Some(a) = ws.activity(&id) {
        return Resolved::Activity(a);
    }
    let want = normalise(name);
    if want.is_empty() {
        return Resolved::Unknown;
    }
    let all: Vec<&Activity> = ws.activities().map(|(_, a)| a).collect();
    if let Some(a) = all.iter().find(|a| normalise(&a.name) == want) {
        return Resolved::Activity(a);
    }
    let matches: Vec<&Activity> = all
        .iter()
        .copied()
        .filter(|a| normalise(&a.name).starts_with(&want))
        .collect();
    match matches.len() {
        0 => Resolved::Unknown,
        1 => Resolved::Activity(matches[0]),
        _ => Resolved::Ambiguous(matches.iter().map(|a| a.name.as_str()).collect()),
    }
}

/// Finds a persona the same way: id, name, or unique prefix.
pub fn resolve_persona<'a>(ws: &'a Workspace, name: &str) -> Result<&'a Persona, String> {
    if let Some(p) = ws.persona(&Id::new(name)) {
        return Ok(p);
    }
    let want = normalise(name);
    if let Some(p) = ws.personas.iter().find(|p| normalise(&p.name) == want) {
        return Ok(p);
    }
    let matches: Vec<_> = ws
        .personas
        .iter()
        .filter(|p| !want.is_empty() && normalise(&p.name).starts_with(&want))
        .collect();
    match matches.len() {
        1 => Ok(matches[0]),
        0 => Err(format!(
            "no persona matches \"{name}\"; personas: {}",
            ws.personas
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(format!(
            "\"{name}\" matches several personas: {}",
            matches
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Finds an activity the way `valuemap note add` does (id, name without
/// case, unique prefix of the name); the error says what matched.
pub fn resolve_activity_id(ws: &Workspace, name: &str) -> Result<Id, String> {
    match resolve_activity(ws, name) {
        Resolved::Activity(a) => Ok(a.id.clone()),
        Resolved::Unknown => Err(format!(
            "no activity matches \"{name}\"; activities: {}",
            ws.activities()
                .map(|(_, a)| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Resolved::Ambiguous(names) => Err(format!(
            "\"{name}\" matches several activities: {}",
            names.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn activities_and_personas_resolve_by_name_prefix_or_id() {
        let ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let Resolved::Activity(a) = resolve_activity(&ws, "Create-a-cluster") else {
            panic!()
        };
        assert_eq!(a.name, "Create a cluster");
        let Resolved::Activity(b) = resolve_activity(&ws, "monitor a w") else {
            panic!()
        };
        assert_eq!(b.name, "Monitor a workload");
        let Resolved::Activity(c) = resolve_activity(&ws, a.id.as_str()) else {
            panic!()
        };
        assert_eq!(c.id, a.id);
        assert!(matches!(resolve_activity(&ws, "create"), Resolved::Ambiguous(v) if v.len() == 2));
        assert_eq!(resolve_activity(&ws, "fly"), Resolved::Unknown);
        assert_eq!(
            resolve_persona(&ws, "platform").unwrap().name,
            "Platform developer"
        );
        assert_eq!(
            resolve_persona(&ws, "ENGINEERING manager").unwrap().name,
            "Engineering manager"
        );
        assert!(
            resolve_persona(&ws, "nobody")
                .unwrap_err()
                .contains("personas: Platform developer")
        );
        assert!(resolve_persona(&ws, "").is_err());
    }
}
