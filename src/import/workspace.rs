//! Adding a whole workspace (read from our JSON export) to another, ids
//! kept: exact into an empty workspace, never overwriting otherwise.

use std::collections::HashMap;

use super::{ImportError, Plan, Skipped, is_empty_workspace};
use crate::model::validate::FileKey;
use crate::model::{EntityRef, Id, Phase, Workspace};

/// What kind of entity uses each id of a workspace.
fn kinds_by_id(ws: &Workspace) -> HashMap<Id, &'static str> {
    let mut m = HashMap::new();
    for p in &ws.phases {
        m.insert(p.id.clone(), "phase");
    }
    for (_, a) in ws.activities() {
        m.insert(a.id.clone(), "activity");
    }
    for p in &ws.personas {
        m.insert(p.id.clone(), "persona");
    }
    for id in ws.notes.keys() {
        m.insert(id.clone(), "note");
    }
    for o in &ws.opportunities {
        m.insert(o.id.clone(), "opportunity");
    }
    for x in &ws.metrics {
        m.insert(x.id.clone(), "metric");
    }
    for (k, id) in ws.items.keys() {
        m.insert(id.clone(), k.label());
    }
    m
}

/// Imports the whole of `src` (a workspace of its own, e.g. read from an
/// export) into `ws`, keeping ids: see the module documentation.
pub fn merge_workspace(ws: &Workspace, src: Workspace) -> Result<Plan, ImportError> {
    let mut plan = Plan::new(ws);
    if is_empty_workspace(ws) {
        let out = &mut plan.workspace;
        if !ws.phases.is_empty() && ws.phases != src.phases {
            plan.notices.push(format!(
                "the workspace was empty: its {} empty phase(s) are replaced by the export's phases",
                ws.phases.len()
            ));
        }
        out.name = src.name.clone();
        out.description = src.description.clone();
        out.phases = src.phases.clone();
        if out.name != ws.name || out.description != ws.description || out.phases != ws.phases {
            plan.files.insert(FileKey::Workspace);
        }
    } else if src.name != ws.name {
        plan.notices.push(format!(
            "the workspace keeps its name {:?} (the export's is {:?})",
            ws.name, src.name
        ));
    }
    let replaced = is_empty_workspace(ws);
    let kinds = kinds_by_id(ws);
    let mut problems = Vec::new();
    // An id the workspace already uses: the same kind is skipped, another
    // kind is an error.
    let mut taken = |id: &Id, kind: &'static str, label: &str| match kinds.get(id) {
        Some(k) if *k == kind => true,
        Some(k) => {
            let a = if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            problems.push(format!(
                "{kind} {label} has id {id}, which the workspace uses for {a} {k}"
            ));
            true
        }
        None => false,
    };

    for p in &src.phases {
        let label = format!("{:?}", p.name);
        if replaced {
            if ws.phase(&p.id) == Some(p) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Phase(p.id.clone()),
                    label: p.name.clone(),
                    identical: true,
                });
            } else {
                plan.created.push(EntityRef::Phase(p.id.clone()));
            }
            for a in &p.activities {
                plan.created.push(EntityRef::Activity(a.id.clone()));
            }
            continue;
        }
        let phase_there = taken(&p.id, "phase", &label);
        if phase_there && let Some(have) = ws.phase(&p.id) {
            plan.skipped.push(Skipped {
                entity: EntityRef::Phase(p.id.clone()),
                label: p.name.clone(),
                identical: have.name == p.name && have.description == p.description,
            });
        }
        let mut new_acts = Vec::new();
        for a in &p.activities {
            if taken(&a.id, "activity", &format!("{:?}", a.name)) {
                if let Some(have) = ws.activity(&a.id) {
                    plan.skipped.push(Skipped {
                        entity: EntityRef::Activity(a.id.clone()),
                        label: a.name.clone(),
                        identical: have == a,
                    });
                }
            } else {
                new_acts.push(a.clone());
            }
        }
        let out = &mut plan.workspace;
        if phase_there {
            if let Some(pi) = out.phase_index(&p.id) {
                for a in new_acts {
                    plan.created.push(EntityRef::Activity(a.id.clone()));
                    out.phases[pi].activities.push(a);
                }
            }
        } else {
            plan.created.push(EntityRef::Phase(p.id.clone()));
            for a in &new_acts {
                plan.created.push(EntityRef::Activity(a.id.clone()));
            }
            out.phases.push(Phase {
                activities: new_acts,
                ..p.clone()
            });
        }
        if plan
            .created
            .iter()
            .any(|e| FileKey::of(e) == FileKey::Workspace)
        {
            plan.files.insert(FileKey::Workspace);
        }
    }
    for p in &src.personas {
        if taken(&p.id, "persona", &format!("{:?}", p.name)) {
            if let Some(have) = ws.persona(&p.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Persona(p.id.clone()),
                    label: p.name.clone(),
                    identical: have == p,
                });
            }
        } else {
            plan.workspace.personas.push(p.clone());
            plan.create(EntityRef::Persona(p.id.clone()));
        }
    }
    for x in &src.perspectives {
        let e = EntityRef::Perspective {
            persona: x.persona.clone(),
            activity: x.activity.clone(),
        };
        if let Some(have) = ws.perspective(&x.persona, &x.activity) {
            plan.skipped.push(Skipped {
                entity: e,
                label: format!(
                    "{} × {}",
                    src.persona(&x.persona)
                        .map_or(x.persona.as_str(), |p| &p.name),
                    src.activity(&x.activity)
                        .map_or(x.activity.as_str(), |a| &a.name)
                ),
                identical: have == x,
            });
        } else {
            plan.workspace
                .set_perspective(&x.persona, &x.activity, Some(x.clone()));
            plan.create(e);
        }
    }
    for n in src.notes.values() {
        let label = format!("{} \"{}\"", n.date, n.title);
        if taken(&n.id, "note", &label) {
            if let Some(have) = ws.notes.get(&n.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Note(n.id.clone()),
                    label,
                    identical: have == n,
                });
            }
        } else {
            plan.workspace.notes.insert(n.id.clone(), n.clone());
            plan.create(EntityRef::Note(n.id.clone()));
        }
    }
    for o in &src.opportunities {
        if taken(&o.id, "opportunity", &format!("{:?}", o.title)) {
            if let Some(have) = ws.opportunity(&o.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Opportunity(o.id.clone()),
                    label: o.title.clone(),
                    identical: have == o,
                });
            }
        } else {
            let out = &mut plan.workspace;
            let index = out.opportunity_insert_index(&o.id);
            out.opportunities.insert(index, o.clone());
            plan.create(EntityRef::Opportunity(o.id.clone()));
        }
    }
    for m in &src.metrics {
        if taken(&m.id, "metric", &format!("{:?}", m.name)) {
            if let Some(have) = ws.metric(&m.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Metric(m.id.clone()),
                    label: m.name.clone(),
                    identical: have == m,
                });
            }
        } else {
            let out = &mut plan.workspace;
            let index = out.metric_insert_index(&m.name);
            out.metrics.insert(index, m.clone());
            plan.create(EntityRef::Metric(m.id.clone()));
        }
    }
    for (kind, id) in src.items.keys() {
        let Some(item) = src.items.get(kind, id) else {
            continue;
        };
        if taken(id, kind.label(), &format!("{:?}", item.title())) {
            if let Some(have) = ws.items.get(kind, id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Item(kind, id.clone()),
                    label: item.title().to_string(),
                    identical: have == item,
                });
            }
        } else {
            plan.workspace.items.put(kind, id, Some(item));
            plan.create(EntityRef::Item(kind, id.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    plan.workspace.normalize();
    plan.workspace.derive_metrics();
    plan.checked(ws)
}
