//! Replaying changes over the workspace as it is now: field by field where
//! someone else changed the entity meanwhile, refused where both sides
//! changed the same field.

use std::collections::BTreeSet;
use std::fmt;

use super::{Change, Pos, Snap, Target, same, snapshot};
use crate::model::edit::{self, Edit, EditError};
use crate::model::{Activity, Phase, Workspace};

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
        (Target::Item(kind, id), w) => Edit::Put {
            kind: *kind,
            id: id.clone(),
            item: match w {
                Some(Snap::Item(it)) => Some(it.clone()),
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
