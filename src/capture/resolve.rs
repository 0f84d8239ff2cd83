//! Names typed by people (an `@mention`, `note add -p platform`, a persona
//! column of a CSV file) resolved to the workspace's activities and personas:
//! by id, by name without case, or by the one name that holds what was typed
//! (the rule of [`crate::names`]).

use crate::model::{Activity, Id, Persona, Workspace};
use crate::names::{self, Found};

/// What a mention refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    Activity(&'a Activity),
    /// No activity matches.
    Unknown,
    /// Several activities match; the names are listed.
    Ambiguous(Vec<&'a str>),
}

/// Finds an activity by id, or by name as [`crate::names`] matches names:
/// the name itself (case-insensitive, `-` and `_` for spaces), else the
/// one name that holds what was typed.
pub fn resolve_activity<'a>(ws: &'a Workspace, name: &str) -> Resolved<'a> {
    if let Some(a) = ws.activity(&Id::new(name)) {
        return Resolved::Activity(a);
    }
    match names::find(ws.activities().map(|(_, a)| a), name, |a| &a.name) {
        Found::One(a) => Resolved::Activity(a),
        Found::None => Resolved::Unknown,
        Found::Several(v) => Resolved::Ambiguous(v.iter().map(|a| a.name.as_str()).collect()),
    }
}

/// Finds a persona the same way: id, name, or the one name holding it.
pub fn resolve_persona<'a>(ws: &'a Workspace, name: &str) -> Result<&'a Persona, String> {
    if let Some(p) = ws.persona(&Id::new(name)) {
        return Ok(p);
    }
    match names::find(&ws.personas, name, |p| &p.name) {
        Found::One(p) => Ok(p),
        Found::None => Err(names::no_match(
            "persona",
            "personas",
            name,
            ws.personas.iter().map(|p| p.name.as_str()),
        )),
        Found::Several(v) => Err(names::several(
            "personas",
            name,
            v.iter().map(|p| p.name.as_str()),
        )),
    }
}

/// Finds an activity the way `valuemap note add` does (id, name, the one
/// name holding it); the error says what matched, or what is closest.
pub fn resolve_activity_id(ws: &Workspace, name: &str) -> Result<Id, String> {
    match resolve_activity(ws, name) {
        Resolved::Activity(a) => Ok(a.id.clone()),
        Resolved::Unknown => Err(names::no_match(
            "activity",
            "activities",
            name,
            ws.activities().map(|(_, a)| a.name.as_str()),
        )),
        Resolved::Ambiguous(v) => Err(names::several("activities", name, v)),
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
        let e = resolve_persona(&ws, "platfrom developer").unwrap_err();
        assert!(
            e.starts_with(
                "no persona matches \"platfrom developer\"; closest: Platform developer, "
            ),
            "{e}"
        );
        assert!(resolve_persona(&ws, "").is_err());
        // A name is found by any part of it, as long as only one holds it.
        assert_eq!(
            resolve_persona(&ws, "manager").unwrap().name,
            "Engineering manager"
        );
        let Resolved::Activity(w) = resolve_activity(&ws, "workload") else {
            panic!()
        };
        assert_eq!(w.name, "Monitor a workload");
        assert_eq!(
            resolve_persona(&ws, "developer").unwrap_err(),
            "\"developer\" matches several personas: Platform developer, Application developer"
        );
        assert_eq!(resolve_activity_id(&ws, "costs"), Ok(Id::new("v9csts")));
    }
}
