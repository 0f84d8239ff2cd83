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
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::edit::{self, Edit, EditError};
use super::validate::FileKey;
use super::{
    Activity, Conflict, EntityRef, Id, Metric, Note, Opportunity, Persona, Perspective, Phase,
    Workspace,
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
        Target::Note(id) => ws.notes.get(id).cloned().map(Snap::Note),
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
    }
    for c in &ws.conflicts {
        if FileKey::of(&c.target.entity()) == *file {
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

/// Why a replay cannot apply a change without losing someone else's work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clash {
    /// These fields were changed here and elsewhere, differently.
    Fields(Vec<String>),
    /// The entity was removed elsewhere, but the change needs it.
    Removed,
    /// The entity exists again (made elsewhere), but the change would replace it.
    Exists,
    /// The change would remove the entity, but it was changed elsewhere since.
    ChangedSince(Vec<String>),
    /// The activity's phase is gone.
    NoPhase,
}

/// A replay that would overwrite changes made by someone else: nothing was
/// applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub clashes: Vec<(Target, Clash)>,
}

impl Refusal {
    /// "persona "EM": name was changed elsewhere since" — names from `ws`.
    pub fn describe(&self, ws: &Workspace) -> String {
        let mut parts: Vec<String> = self
            .clashes
            .iter()
            .take(3)
            .map(|(t, c)| {
                let what = ws.describe(&t.entity());
                match c {
                    Clash::Fields(f) => format!(
                        "the {} of {what} {} changed elsewhere since",
                        f.join(", "),
                        if f.len() == 1 { "was" } else { "were" }
                    ),
                    Clash::Removed => format!("{what} was removed elsewhere since"),
                    Clash::Exists => format!("{what} was made again elsewhere"),
                    Clash::ChangedSince(f) if f.is_empty() => {
                        format!("{what} was changed elsewhere since")
                    }
                    Clash::ChangedSince(f) => {
                        format!("the {} of {what} changed elsewhere since", f.join(", "))
                    }
                    Clash::NoPhase => format!("the phase of {what} was removed elsewhere"),
                }
            })
            .collect();
        if self.clashes.len() > 3 {
            parts.push(format!("and {} more", self.clashes.len() - 3));
        }
        parts.join("; ")
    }
}

/// Why a replay did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayError {
    Refused(Refusal),
    Edit(EditError),
}

impl ReplayError {
    pub fn describe(&self, ws: &Workspace) -> String {
        match self {
            ReplayError::Refused(r) => r.describe(ws),
            ReplayError::Edit(e) => e.to_string(),
        }
    }
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clash::Fields(v) | Clash::ChangedSince(v) => write!(f, "{}", v.join(", ")),
            Clash::Removed => f.write_str("removed"),
            Clash::Exists => f.write_str("exists"),
            Clash::NoPhase => f.write_str("no phase"),
        }
    }
}

/// The fields in which two states of one entity differ.
fn differing_fields(a: &Snap, b: &Snap) -> Vec<String> {
    let (fa, fb) = (a.fields(), b.fields());
    let keys: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
    keys.into_iter()
        .filter(|k| fa.get(*k) != fb.get(*k))
        .cloned()
        .collect()
}

/// Three-way merge of one entity's fields: `base` is what the change starts
/// from, `mine` what it wants, `theirs` what is there now.
fn merge3(base: &Snap, mine: &Snap, theirs: &Snap) -> Result<Snap, Clash> {
    let (b, m, t) = (base.fields(), mine.fields(), theirs.fields());
    let keys: BTreeSet<&String> = b.keys().chain(m.keys()).chain(t.keys()).collect();
    let mut out = serde_json::Map::new();
    let mut clashes = Vec::new();
    for k in keys {
        let (bv, mv, tv) = (b.get(k), m.get(k), t.get(k));
        let v = if tv == bv || mv == tv {
            mv
        } else if mv == bv {
            tv
        } else {
            clashes.push(k.clone());
            continue;
        };
        if let Some(v) = v {
            out.insert(k.clone(), v.clone());
        }
    }
    if !clashes.is_empty() {
        return Err(Clash::Fields(clashes));
    }
    mine.with_fields(out)
        .ok_or_else(|| Clash::Fields(vec!["(unreadable)".into()]))
}

/// Where an entity should end up: a change from `from` to `to`, replayed
/// over `cur`.
fn resolve(
    from: Option<&Snap>,
    to: Option<&Snap>,
    cur: Option<&Snap>,
) -> Result<Option<Snap>, Clash> {
    // The position moves only when the change itself moved the entity.
    let moved = match (from, to) {
        (Some(f), Some(t)) => f.pos() != t.pos(),
        _ => true,
    };
    let place = |mut s: Snap| {
        let pos = if moved {
            to.and_then(Snap::pos)
        } else {
            cur.and_then(Snap::pos).or_else(|| to.and_then(Snap::pos))
        };
        s.set_pos(pos);
        s
    };
    if same(cur, from) || same(cur, to) {
        return Ok(to.cloned().map(place));
    }
    match (from, to, cur) {
        (Some(f), Some(t), Some(c)) => merge3(f, t, c).map(|s| Some(place(s))),
        (None, Some(_), Some(_)) => Err(Clash::Exists),
        (Some(f), None, Some(c)) => Err(Clash::ChangedSince(differing_fields(f, c))),
        (Some(_), Some(_), None) => Err(Clash::Removed),
        // `same` covered every other case.
        _ => Ok(to.cloned()),
    }
}

/// The order leaf edits go in: phases before the activities that go into
/// them, activities out before their phase goes, inserts by position.
fn order(t: &Target, cur: Option<&Snap>, want: Option<&Snap>) -> (u8, usize) {
    let index = match want.and_then(Snap::pos) {
        Some(Pos::Index(i) | Pos::InPhase(_, i)) => i,
        None => 0,
    };
    let rank = match (t, cur.is_some(), want.is_some()) {
        (Target::Phase(_), false, true) => 0,
        (Target::Activity(_), true, false) => 1,
        (Target::Activity(_), true, true) => 2,
        (Target::Activity(_), false, true) => 3,
        (Target::Phase(_), _, _) => 4,
        (Target::Persona(_), true, false) => 5,
        (Target::Persona(_), true, true) => 6,
        (Target::Persona(_), false, true) => 7,
        (Target::Conflict(_), true, false) => 8,
        (Target::Conflict(_), _, _) => 9,
        _ => 10,
    };
    (rank, index)
}

/// The edit that takes an entity from `cur` to `want`, with positions kept
/// within the lists as they are now.
fn leaf(
    ws: &Workspace,
    t: &Target,
    cur: Option<&Snap>,
    want: Option<&Snap>,
) -> Result<Option<Edit>, Clash> {
    let e = match (t, want) {
        (Target::Meta, Some(Snap::Meta { name, description })) => Edit::SetMeta {
            name: name.clone(),
            description: description.clone(),
        },
        (Target::Phase(id), None) => Edit::RemovePhase { id: id.clone() },
        (
            Target::Phase(id),
            Some(Snap::Phase {
                index,
                name,
                description,
            }),
        ) => match cur {
            None => Edit::InsertPhase {
                index: (*index).min(ws.phases.len()),
                phase: Phase {
                    id: id.clone(),
                    name: name.clone(),
                    description: description.clone(),
                    activities: Vec::new(),
                },
            },
            Some(c) => {
                let mut edits = Vec::new();
                if !c.same_content(want.unwrap_or(c)) {
                    edits.push(Edit::SetPhase {
                        id: id.clone(),
                        name: name.clone(),
                        description: description.clone(),
                    });
                }
                if c.pos() != Some(Pos::Index(*index)) {
                    edits.push(Edit::MovePhase {
                        id: id.clone(),
                        to: (*index).min(ws.phases.len().saturating_sub(1)),
                    });
                }
                Edit::Batch(edits)
            }
        },
        (Target::Activity(id), None) => Edit::RemoveActivity { id: id.clone() },
        (
            Target::Activity(id),
            Some(Snap::Activity {
                phase,
                index,
                activity,
            }),
        ) => {
            let Some(pi) = ws.phase_index(phase) else {
                return Err(Clash::NoPhase);
            };
            let len = ws.phases[pi].activities.len();
            match cur {
                None => Edit::InsertActivity {
                    phase: phase.clone(),
                    index: (*index).min(len),
                    activity: Activity {
                        id: id.clone(),
                        ..activity.clone()
                    },
                },
                Some(c) => {
                    let mut edits = Vec::new();
                    if !c.same_content(want.unwrap_or(c)) {
                        edits.push(Edit::SetActivity {
                            activity: activity.clone(),
                        });
                    }
                    if c.pos() != Some(Pos::InPhase(phase.clone(), *index)) {
                        let same_phase = matches!(c, Snap::Activity { phase: p, .. } if p == phase);
                        edits.push(Edit::MoveActivity {
                            id: id.clone(),
                            phase: phase.clone(),
                            index: (*index).min(len - usize::from(same_phase)),
                        });
                    }
                    Edit::Batch(edits)
                }
            }
        }
        (Target::Persona(id), None) => Edit::RemovePersona { id: id.clone() },
        (Target::Persona(_), Some(Snap::Persona { index, persona })) => match cur {
            None => Edit::InsertPersona {
                index: (*index).min(ws.personas.len()),
                persona: persona.clone(),
            },
            Some(c) => {
                let mut edits = Vec::new();
                if !c.same_content(want.unwrap_or(c)) {
                    edits.push(Edit::SetPersona {
                        persona: persona.clone(),
                    });
                }
                if c.pos() != Some(Pos::Index(*index)) {
                    edits.push(Edit::MovePersona {
                        id: persona.id.clone(),
                        to: (*index).min(ws.personas.len().saturating_sub(1)),
                    });
                }
                Edit::Batch(edits)
            }
        },
        (Target::Perspective { persona, activity }, w) => Edit::SetPerspective {
            persona: persona.clone(),
            activity: activity.clone(),
            value: match w {
                Some(Snap::Perspective(p)) => Some(p.clone()),
                _ => None,
            },
        },
        (Target::Note(id), w) => Edit::PutNote {
            id: id.clone(),
            note: match w {
                Some(Snap::Note(n)) => Some(n.clone()),
                _ => None,
            },
        },
        (Target::Opportunity(id), None) => Edit::RemoveOpportunity { id: id.clone() },
        (Target::Opportunity(_), Some(Snap::Opportunity { index, opportunity })) => match cur {
            None => Edit::InsertOpportunity {
                index: (*index).min(ws.opportunities.len()),
                opportunity: opportunity.clone(),
            },
            Some(c) if c.same_content(want.unwrap_or(c)) => return Ok(None),
            Some(_) => Edit::SetOpportunity {
                opportunity: opportunity.clone(),
            },
        },
        (Target::Metric(id), None) => Edit::RemoveMetric { id: id.clone() },
        (Target::Metric(_), Some(Snap::Metric { index, metric })) => match cur {
            None => Edit::InsertMetric {
                index: (*index).min(ws.metrics.len()),
                metric: metric.clone(),
            },
            Some(c) if c.same_content(want.unwrap_or(c)) => return Ok(None),
            Some(_) => Edit::SetMetric {
                metric: metric.clone(),
            },
        },
        (Target::Conflict(c), None) => Edit::RemoveConflict {
            conflict: c.clone(),
        },
        (Target::Conflict(c), Some(Snap::Conflict { index })) => match cur {
            None => Edit::AddConflict {
                index: (*index).min(ws.conflicts.len()),
                conflict: c.clone(),
            },
            Some(_) => return Ok(None),
        },
        // A state of another kind than its target: nothing sensible to do.
        _ => return Ok(None),
    };
    Ok((!e.is_empty()).then_some(e))
}

/// Which way a list of changes is replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    /// From `before` to `after` (redo, outside changes, recovery).
    Forward,
    /// From `after` back to `before` (undo).
    Back,
}

/// Replays changes over the workspace as it is now (see the module
/// documentation), as leaf edits through [`edit::apply`]. Returns what it
/// actually changed. All or nothing: on any refusal or error the workspace
/// is left as it was.
pub fn replay(
    ws: &mut Workspace,
    changes: &[Change],
    way: Way,
) -> Result<Vec<Change>, ReplayError> {
    let mut plan: Vec<(Target, Option<Snap>, Option<Snap>)> = Vec::new();
    let mut clashes = Vec::new();
    for c in changes {
        let (from, to) = match way {
            Way::Forward => (c.before.as_ref(), c.after.as_ref()),
            Way::Back => (c.after.as_ref(), c.before.as_ref()),
        };
        let cur = snapshot(ws, &c.target);
        match resolve(from, to, cur.as_ref()) {
            Ok(want) => {
                if cur != want {
                    plan.push((c.target.clone(), cur, want));
                }
            }
            Err(clash) => clashes.push((c.target.clone(), clash)),
        }
    }
    if !clashes.is_empty() {
        return Err(ReplayError::Refused(Refusal { clashes }));
    }
    plan.sort_by_key(|(t, cur, want)| order(t, cur.as_ref(), want.as_ref()));
    let mut inverses = Vec::new();
    let mut done = Vec::new();
    let mut failure = None;
    for (target, _, want) in plan {
        // Positions are taken against the lists as they are at this point.
        let cur = snapshot(ws, &target);
        let e = match leaf(ws, &target, cur.as_ref(), want.as_ref()) {
            Ok(Some(e)) => e,
            Ok(None) => continue,
            Err(clash) => {
                failure = Some(ReplayError::Refused(Refusal {
                    clashes: vec![(target, clash)],
                }));
                break;
            }
        };
        match edit::apply(ws, e) {
            Ok(inv) => {
                inverses.push(inv);
                let after = snapshot(ws, &target);
                done.push(Change {
                    target,
                    before: cur,
                    after,
                });
            }
            Err(err) => {
                failure = Some(ReplayError::Edit(err));
                break;
            }
        }
    }
    if let Some(f) = failure {
        for inv in inverses.into_iter().rev() {
            let _ = edit::apply(ws, inv);
        }
        return Err(f);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn k8s() -> Workspace {
        Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    }

    fn rename_persona(ws: &Workspace, i: usize, name: &str) -> Edit {
        let mut p = ws.personas[i].clone();
        p.name = name.into();
        Edit::SetPersona { persona: p }
    }

    #[test]
    fn undo_over_an_outside_change_keeps_the_outside_fields() {
        let mut ws = k8s();
        let e = rename_persona(&ws, 0, "EM");
        let changes = record(&mut ws, e).unwrap();
        assert_eq!(changes.len(), 1);
        // Someone else changes the description.
        ws.personas[0].description = "theirs".into();
        replay(&mut ws, &changes, Way::Back).unwrap();
        assert_ne!(ws.personas[0].name, "EM");
        assert_eq!(ws.personas[0].description, "theirs");
    }

    #[test]
    fn undo_of_a_field_changed_elsewhere_is_refused_and_changes_nothing() {
        let mut ws = k8s();
        let e = rename_persona(&ws, 0, "EM");
        let changes = record(&mut ws, e).unwrap();
        ws.personas[0].name = "Theirs".into();
        let before = ws.clone();
        let err = replay(&mut ws, &changes, Way::Back).unwrap_err();
        assert_eq!(ws, before);
        let text = err.describe(&ws);
        assert!(text.contains("name") && text.contains("Theirs"), "{text}");
    }

    #[test]
    fn removing_what_was_changed_elsewhere_is_refused() {
        let mut ws = k8s();
        let p = Persona {
            id: "newper".into(),
            ..ws.personas[0].clone()
        };
        let changes = record(
            &mut ws,
            Edit::InsertPersona {
                index: 1,
                persona: p,
            },
        )
        .unwrap();
        let i = ws.persona_index(&"newper".into()).unwrap();
        ws.personas[i].jobs.push("theirs".into());
        let err = replay(&mut ws, &changes, Way::Back).unwrap_err();
        assert!(matches!(err, ReplayError::Refused(_)));
        assert!(ws.persona(&"newper".into()).is_some());
    }

    #[test]
    fn a_deleted_phase_comes_back_with_its_activities_in_place() {
        let mut ws = k8s();
        let before = ws.clone();
        let id = ws.phases[1].id.clone();
        let (e, _) = edit::delete_phase(&ws, &id);
        let changes = record(&mut ws, e).unwrap();
        assert!(ws.phase(&id).is_none());
        replay(&mut ws, &changes, Way::Back).unwrap();
        assert_eq!(ws, before);
        replay(&mut ws, &changes, Way::Forward).unwrap();
        assert!(ws.phase(&id).is_none());
        assert!(crate::model::validate::is_valid(&ws));
    }

    #[test]
    fn moves_go_back_to_where_they_were() {
        let mut ws = k8s();
        let before = ws.clone();
        let id = ws.personas[0].id.clone();
        let changes = record(
            &mut ws,
            Edit::MovePersona {
                id: id.clone(),
                to: 2,
            },
        )
        .unwrap();
        assert_eq!(ws.persona_index(&id), Some(2));
        replay(&mut ws, &changes, Way::Back).unwrap();
        assert_eq!(ws, before);
        let a = ws.phases[0].activities[0].id.clone();
        let to = ws.phases[2].id.clone();
        let changes = record(
            &mut ws,
            Edit::MoveActivity {
                id: a.clone(),
                phase: to,
                index: 0,
            },
        )
        .unwrap();
        replay(&mut ws, &changes, Way::Back).unwrap();
        assert_eq!(ws, before);
    }

    #[test]
    fn diff_then_replay_turns_one_file_into_the_other() {
        let old = k8s();
        let mut new = old.clone();
        new.personas[1].name = "x".into();
        new.personas.remove(2);
        new.phases[0].activities.swap(0, 1);
        new.description = "d".into();
        new.perspectives.pop();
        new.opportunities[0].title = "not in this file".into();
        let changes = diff(&old, &new, &FileKey::Workspace);
        let mut ws = old.clone();
        replay(&mut ws, &changes, Way::Forward).unwrap();
        assert_eq!(ws.personas, new.personas);
        assert_eq!(ws.phases, new.phases);
        assert_eq!(ws.perspectives, new.perspectives);
        assert_eq!(ws.description, "d");
        assert_eq!(ws.opportunities, old.opportunities, "other files untouched");
    }
}
