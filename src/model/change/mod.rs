//! What an edit did, entity by entity: the form undo, redo, changes read
//! from disk and recovery files share.
//!
//! A [`Change`] names one entity (a [`Target`]) with what it was before and
//! after. Changes are never applied blindly: [`replay`] compares the entity
//! as it is now with the state the change starts from. When they are the
//! same the change applies as it is; when someone else changed the entity in
//! between (another valuemap, `note add`, `git pull`, a hand edit), only the
//! fields the change itself changed are applied, and a field both sides
//! changed refuses the whole replay with a message naming it. A stale whole
//! entity is never written back.
//!
//! Every change is applied as [`Edit`]s through [`edit::apply`], the one
//! path every keystroke takes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod replay;

pub use replay::{Clash, Refusal, ReplayError, Way, replay};

use super::edit::{self, Edit, EditError};
use super::validate::FileKey;
use super::{
    Activity, Conflict, EntityRef, Id, Item, Kind, Metric, Note, Opportunity, Persona, Perspective,
    Phase, Workspace,
};

/// One entity of the workspace, as changes see it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The workspace's name and description.
    Meta,
    Phase(Id),
    Activity(Id),
    Persona(Id),
    Perspective {
        persona: Id,
        activity: Id,
    },
    Note(Id),
    Opportunity(Id),
    Metric(Id),
    /// An outcome, solution or assumption test.
    Item(Kind, Id),
    /// A merge-conflict record (the record is its own key).
    Conflict(Conflict),
}

impl Target {
    /// The file the entity is kept in.
    pub fn file(&self) -> FileKey {
        match self {
            Target::Conflict(c) => FileKey::of(&c.target.entity()),
            t => FileKey::of(&t.entity()),
        }
    }

    /// The entity, for messages and navigation.
    pub fn entity(&self) -> EntityRef {
        match self {
            Target::Meta => EntityRef::Workspace,
            Target::Phase(id) => EntityRef::Phase(id.clone()),
            Target::Activity(id) => EntityRef::Activity(id.clone()),
            Target::Persona(id) => EntityRef::Persona(id.clone()),
            Target::Perspective { persona, activity } => EntityRef::Perspective {
                persona: persona.clone(),
                activity: activity.clone(),
            },
            Target::Note(id) => EntityRef::Note(id.clone()),
            Target::Opportunity(id) => EntityRef::Opportunity(id.clone()),
            Target::Metric(id) => EntityRef::Metric(id.clone()),
            Target::Item(k, id) => EntityRef::Item(*k, id.clone()),
            Target::Conflict(c) => c.target.entity(),
        }
    }
}

/// Where an ordered entity sits.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pos {
    Index(usize),
    InPhase(Id, usize),
}

/// An entity's state: its content, and for ordered entities its position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Snap {
    Meta {
        name: String,
        description: String,
    },
    /// A phase without its activities (they are entities of their own).
    Phase {
        index: usize,
        name: String,
        description: String,
    },
    Activity {
        phase: Id,
        index: usize,
        activity: Activity,
    },
    Persona {
        index: usize,
        persona: Persona,
    },
    Perspective(Perspective),
    Note(Note),
    /// An opportunity; `index` is where it was in the list (its place when
    /// it comes back; opportunities are listed by id, not moved).
    Opportunity {
        index: usize,
        opportunity: Opportunity,
    },
    /// A metric; `index` as for opportunities.
    Metric {
        index: usize,
        metric: Metric,
    },
    Item(Item),
    Conflict {
        index: usize,
    },
}

/// The content of a phase snapshot (for field-level merging).
#[derive(Serialize, Deserialize)]
struct PhaseMeta {
    name: String,
    description: String,
}

impl Snap {
    fn pos(&self) -> Option<Pos> {
        match self {
            Snap::Phase { index, .. } | Snap::Persona { index, .. } | Snap::Conflict { index } => {
                Some(Pos::Index(*index))
            }
            Snap::Activity { phase, index, .. } => Some(Pos::InPhase(phase.clone(), *index)),
            _ => None,
        }
    }

    fn set_pos(&mut self, pos: Option<Pos>) {
        match (self, pos) {
            (
                Snap::Phase { index, .. } | Snap::Persona { index, .. } | Snap::Conflict { index },
                Some(Pos::Index(i)),
            ) => *index = i,
            (Snap::Activity { phase, index, .. }, Some(Pos::InPhase(p, i))) => {
                *phase = p;
                *index = i;
            }
            _ => {}
        }
    }

    /// Whether two states hold the same content, wherever they sit.
    fn same_content(&self, other: &Snap) -> bool {
        match (self, other) {
            (
                Snap::Meta {
                    name: a,
                    description: b,
                },
                Snap::Meta {
                    name: c,
                    description: d,
                },
            )
            | (
                Snap::Phase {
                    name: a,
                    description: b,
                    ..
                },
                Snap::Phase {
                    name: c,
                    description: d,
                    ..
                },
            ) => a == c && b == d,
            (Snap::Activity { activity: a, .. }, Snap::Activity { activity: b, .. }) => a == b,
            (Snap::Persona { persona: a, .. }, Snap::Persona { persona: b, .. }) => a == b,
            (Snap::Perspective(a), Snap::Perspective(b)) => a == b,
            (Snap::Note(a), Snap::Note(b)) => a == b,
            (
                Snap::Opportunity { opportunity: a, .. },
                Snap::Opportunity { opportunity: b, .. },
            ) => a == b,
            (Snap::Metric { metric: a, .. }, Snap::Metric { metric: b, .. }) => a == b,
            (Snap::Item(a), Snap::Item(b)) => a == b,
            (Snap::Conflict { .. }, Snap::Conflict { .. }) => true,
            _ => false,
        }
    }

    /// The content as JSON fields, for merging field by field.
    fn fields(&self) -> serde_json::Map<String, Value> {
        let v = match self {
            Snap::Meta { name, description }
            | Snap::Phase {
                name, description, ..
            } => serde_json::to_value(PhaseMeta {
                name: name.clone(),
                description: description.clone(),
            }),
            Snap::Activity { activity, .. } => serde_json::to_value(activity),
            Snap::Persona { persona, .. } => serde_json::to_value(persona),
            Snap::Perspective(p) => serde_json::to_value(p),
            Snap::Note(n) => serde_json::to_value(n),
            Snap::Opportunity { opportunity, .. } => serde_json::to_value(opportunity),
            Snap::Metric { metric, .. } => serde_json::to_value(metric),
            Snap::Item(it) => Ok(it.to_json()),
            Snap::Conflict { .. } => Ok(Value::Null),
        };
        match v {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        }
    }

    /// The same kind of state with other content (from [`Snap::fields`]).
    fn with_fields(&self, fields: serde_json::Map<String, Value>) -> Option<Snap> {
        let v = Value::Object(fields);
        Some(match self {
            Snap::Meta { .. } => {
                let m: PhaseMeta = serde_json::from_value(v).ok()?;
                Snap::Meta {
                    name: m.name,
                    description: m.description,
                }
            }
            Snap::Phase { index, .. } => {
                let m: PhaseMeta = serde_json::from_value(v).ok()?;
                Snap::Phase {
                    index: *index,
                    name: m.name,
                    description: m.description,
                }
            }
            Snap::Activity { phase, index, .. } => Snap::Activity {
                phase: phase.clone(),
                index: *index,
                activity: serde_json::from_value(v).ok()?,
            },
            Snap::Persona { index, .. } => Snap::Persona {
                index: *index,
                persona: serde_json::from_value(v).ok()?,
            },
            Snap::Perspective(_) => Snap::Perspective(serde_json::from_value(v).ok()?),
            Snap::Note(_) => Snap::Note(serde_json::from_value(v).ok()?),
            Snap::Opportunity { index, .. } => Snap::Opportunity {
                index: *index,
                opportunity: serde_json::from_value(v).ok()?,
            },
            Snap::Metric { index, .. } => Snap::Metric {
                index: *index,
                metric: serde_json::from_value(v).ok()?,
            },
            Snap::Item(it) => Snap::Item(Item::from_json(it.kind(), v)?),
            Snap::Conflict { index } => Snap::Conflict { index: *index },
        })
    }
}

fn same(a: Option<&Snap>, b: Option<&Snap>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same_content(b),
        _ => false,
    }
}

/// One entity changed: what it was and what it became (`None`: absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub target: Target,
    pub before: Option<Snap>,
    pub after: Option<Snap>,
}

impl Change {
    /// The same change the other way round.
    pub fn reversed(&self) -> Change {
        Change {
            target: self.target.clone(),
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// The state of one entity now, `None` when it does not exist.
pub fn snapshot(ws: &Workspace, t: &Target) -> Option<Snap> {
    match t {
        Target::Meta => Some(Snap::Meta {
            name: ws.name.clone(),
            description: ws.description.clone(),
        }),
        Target::Phase(id) => {
            let index = ws.phase_index(id)?;
            let p = &ws.phases[index];
            Some(Snap::Phase {
                index,
                name: p.name.clone(),
                description: p.description.clone(),
            })
        }
        Target::Activity(id) => {
            let pos = ws.activity_pos(id)?;
            let p = &ws.phases[pos.phase];
            Some(Snap::Activity {
                phase: p.id.clone(),
                index: pos.index,
                activity: p.activities[pos.index].clone(),
            })
        }
        Target::Persona(id) => {
            let index = ws.persona_index(id)?;
            Some(Snap::Persona {
                index,
                persona: ws.personas[index].clone(),
            })
        }
        Target::Perspective { persona, activity } => ws
            .perspective(persona, activity)
            .cloned()
            .map(Snap::Perspective),
        Target::Note(id) => ws.notes.get(id).map(|n| Snap::Note((**n).clone())),
        Target::Opportunity(id) => {
            let index = ws.opportunity_index(id)?;
            Some(Snap::Opportunity {
                index,
                opportunity: ws.opportunities[index].clone(),
            })
        }
        Target::Metric(id) => {
            let index = ws.metric_index(id)?;
            Some(Snap::Metric {
                index,
                metric: ws.metrics[index].clone(),
            })
        }
        Target::Item(k, id) => ws.items.get(*k, id).map(Snap::Item),
        Target::Conflict(c) => ws
            .conflicts
            .iter()
            .position(|x| x == c)
            .map(|index| Snap::Conflict { index }),
    }
}

/// The entities an edit can change, looked up before it is applied.
pub fn targets(ws: &Workspace, e: &Edit) -> BTreeSet<Target> {
    let mut out = BTreeSet::new();
    collect_targets(ws, e, &mut out);
    out
}

fn collect_targets(ws: &Workspace, e: &Edit, out: &mut BTreeSet<Target>) {
    let phase_and_activities = |out: &mut BTreeSet<Target>, p: &Phase| {
        out.insert(Target::Phase(p.id.clone()));
        out.extend(p.activities.iter().map(|a| Target::Activity(a.id.clone())));
    };
    match e {
        Edit::SetMeta { .. } => {
            out.insert(Target::Meta);
        }
        Edit::InsertPhase { phase, .. } => phase_and_activities(out, phase),
        Edit::RemovePhase { id } | Edit::SetPhase { id, .. } | Edit::MovePhase { id, .. } => {
            out.insert(Target::Phase(id.clone()));
            if let Some(p) = ws.phase(id) {
                phase_and_activities(out, p);
            }
        }
        Edit::InsertActivity { activity, .. } | Edit::SetActivity { activity } => {
            out.insert(Target::Activity(activity.id.clone()));
        }
        Edit::RemoveActivity { id } | Edit::MoveActivity { id, .. } => {
            out.insert(Target::Activity(id.clone()));
        }
        Edit::InsertPersona { persona, .. } | Edit::SetPersona { persona } => {
            out.insert(Target::Persona(persona.id.clone()));
        }
        Edit::RemovePersona { id } | Edit::MovePersona { id, .. } => {
            out.insert(Target::Persona(id.clone()));
        }
        Edit::SetPerspective {
            persona, activity, ..
        } => {
            out.insert(Target::Perspective {
                persona: persona.clone(),
                activity: activity.clone(),
            });
        }
        Edit::PutNote { id, .. } => {
            out.insert(Target::Note(id.clone()));
        }
        Edit::InsertOpportunity { opportunity, .. } | Edit::SetOpportunity { opportunity } => {
            out.insert(Target::Opportunity(opportunity.id.clone()));
        }
        Edit::RemoveOpportunity { id } => {
            out.insert(Target::Opportunity(id.clone()));
        }
        Edit::InsertMetric { metric, .. } | Edit::SetMetric { metric } => {
            out.insert(Target::Metric(metric.id.clone()));
        }
        Edit::RemoveMetric { id } => {
            out.insert(Target::Metric(id.clone()));
        }
        Edit::Put { kind, id, .. } => {
            out.insert(Target::Item(*kind, id.clone()));
        }
        Edit::AddConflict { conflict, .. } | Edit::RemoveConflict { conflict } => {
            out.insert(Target::Conflict(conflict.clone()));
        }
        Edit::SetConflicts(list) => {
            out.extend(ws.conflicts.iter().cloned().map(Target::Conflict));
            out.extend(list.iter().cloned().map(Target::Conflict));
        }
        Edit::Batch(edits) => edits.iter().for_each(|e| collect_targets(ws, e, out)),
    }
}

/// Applies an edit and says what it changed, entity by entity (nothing when
/// it changed nothing). On error the workspace is unchanged.
pub fn record(ws: &mut Workspace, e: Edit) -> Result<Vec<Change>, EditError> {
    let targets = targets(ws, &e);
    let before: Vec<Option<Snap>> = targets.iter().map(|t| snapshot(ws, t)).collect();
    edit::apply(ws, e)?;
    Ok(targets
        .into_iter()
        .zip(before)
        .filter_map(|(target, before)| {
            let after = snapshot(ws, &target);
            (before != after).then_some(Change {
                target,
                before,
                after,
            })
        })
        .collect())
}

/// Every entity kept in one file of the workspace, with its state.
pub fn entities_of(ws: &Workspace, file: &FileKey) -> BTreeMap<Target, Snap> {
    let mut out = BTreeMap::new();
    let mut put = |t: Target| {
        if let Some(s) = snapshot(ws, &t) {
            out.insert(t, s);
        }
    };
    match file {
        FileKey::Workspace => {
            put(Target::Meta);
            for p in &ws.phases {
                put(Target::Phase(p.id.clone()));
                for a in &p.activities {
                    put(Target::Activity(a.id.clone()));
                }
            }
            for p in &ws.personas {
                put(Target::Persona(p.id.clone()));
            }
            for p in &ws.perspectives {
                put(Target::Perspective {
                    persona: p.persona.clone(),
                    activity: p.activity.clone(),
                });
            }
        }
        FileKey::Opportunities => {
            for o in &ws.opportunities {
                put(Target::Opportunity(o.id.clone()));
            }
        }
        FileKey::Metrics => {
            for m in &ws.metrics {
                put(Target::Metric(m.id.clone()));
            }
        }
        FileKey::Note(id) => put(Target::Note(id.clone())),
        FileKey::Opportunity(id) => put(Target::Opportunity(id.clone())),
        FileKey::Metric(id) => put(Target::Metric(id.clone())),
        FileKey::Item(k, id) => put(Target::Item(*k, id.clone())),
    }
    for c in &ws.conflicts {
        let of = FileKey::of(&c.target.entity());
        // Format version 1's lists held the records of their entities.
        let held = of == *file
            || matches!(
                (file, &of),
                (FileKey::Opportunities, FileKey::Opportunity(_))
                    | (FileKey::Metrics, FileKey::Metric(_))
            );
        if held {
            put(Target::Conflict(c.clone()));
        }
    }
    out
}

/// What turns the entities of `file` in `old` into those in `new`.
pub fn diff(old: &Workspace, new: &Workspace, file: &FileKey) -> Vec<Change> {
    let mut a = entities_of(old, file);
    let b = entities_of(new, file);
    let mut out = Vec::new();
    for (target, after) in b {
        let before = a.remove(&target);
        if before.as_ref() != Some(&after) {
            out.push(Change {
                target,
                before,
                after: Some(after),
            });
        }
    }
    for (target, before) in a {
        out.push(Change {
            target,
            before: Some(before),
            after: None,
        });
    }
    out
}

#[cfg(test)]
mod tests;
