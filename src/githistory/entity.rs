//! Naming an entity on the command line: `valuemap log --entity X`.

use crate::model::{EntityRef, Workspace};

/// Every entity with the names it answers to.
fn named(ws: &Workspace) -> Vec<(EntityRef, String, &'static str)> {
    let mut v = Vec::new();
    for p in &ws.phases {
        v.push((EntityRef::Phase(p.id.clone()), p.name.clone(), "phase"));
    }
    for (_, a) in ws.activities() {
        v.push((
            EntityRef::Activity(a.id.clone()),
            a.name.clone(),
            "activity",
        ));
    }
    for p in &ws.personas {
        v.push((EntityRef::Persona(p.id.clone()), p.name.clone(), "persona"));
    }
    for o in &ws.opportunities {
        v.push((
            EntityRef::Opportunity(o.id.clone()),
            o.title.clone(),
            "opportunity",
        ));
    }
    for m in &ws.metrics {
        v.push((EntityRef::Metric(m.id.clone()), m.name.clone(), "metric"));
    }
    for n in ws.notes.values() {
        v.push((EntityRef::Note(n.id.clone()), n.title.clone(), "note"));
    }
    v
}

fn id_of(e: &EntityRef) -> Option<&str> {
    match e {
        EntityRef::Phase(i)
        | EntityRef::Activity(i)
        | EntityRef::Persona(i)
        | EntityRef::Opportunity(i)
        | EntityRef::Metric(i)
        | EntityRef::Note(i) => Some(i.as_str()),
        _ => None,
    }
}

/// Finds one entity by id, by name (any case), or by a unique prefix of a
/// name; a cell as `PERSONA/ACTIVITY` (each by id, name or prefix).
pub fn resolve_entity(ws: &Workspace, s: &str) -> Result<EntityRef, String> {
    let want = s.trim();
    if want.is_empty() {
        return Err("name an entity: an id, a name, or PERSONA/ACTIVITY for a cell".into());
    }
    let all = named(ws);
    if let Some((e, _, _)) = all.iter().find(|(e, _, _)| id_of(e) == Some(want)) {
        return Ok(e.clone());
    }
    let lower = want.to_lowercase();
    let exact: Vec<_> = all
        .iter()
        .filter(|(_, n, _)| n.to_lowercase() == lower)
        .collect();
    if exact.len() == 1 {
        return Ok(exact[0].0.clone());
    }
    // A cell: try every `/` as the split.
    for (i, _) in want.match_indices('/') {
        let (p, a) = (&want[..i], &want[i + 1..]);
        let persona = crate::capture::resolve_persona(ws, p)
            .ok()
            .map(|x| x.id.clone());
        let activity = crate::capture::resolve_activity_id(ws, a).ok();
        if let (Some(persona), Some(activity)) = (persona, activity) {
            return Ok(EntityRef::Perspective { persona, activity });
        }
    }
    let hits: Vec<_> = if exact.is_empty() {
        all.iter()
            .filter(|(_, n, _)| n.to_lowercase().starts_with(&lower))
            .collect()
    } else {
        exact
    };
    match hits.as_slice() {
        [(e, _, _)] => Ok(e.clone()),
        [] => Err(format!(
            "nothing in the workspace is called \"{want}\": give an id, a name (or the start \
             of one), or PERSONA/ACTIVITY for a cell of the map"
        )),
        many => Err(format!(
            "\"{want}\" names several things: {}; give an id",
            many.iter()
                .take(8)
                .map(|(e, n, kind)| format!("{kind} \"{n}\" ({})", id_of(e).unwrap_or("")))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
