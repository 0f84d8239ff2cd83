//! Every change to a workspace is an [`Edit`]: plain data, applied by one
//! function that also returns its inverse. Undo and redo, dirty tracking,
//! autosave and recovery all hang off this single path.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::validate::FileKey;
use super::{
    Activity, ActivityPos, Conflict, Id, Item, Kind, Metric, Note, Opportunity, Persona,
    Perspective, Phase, Workspace,
};

/// One change to a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Sets the workspace's name and description.
    SetMeta {
        name: String,
        description: String,
    },
    InsertPhase {
        index: usize,
        phase: Phase,
    },
    RemovePhase {
        id: Id,
    },
    /// Sets a phase's name and description (its activities stay).
    SetPhase {
        id: Id,
        name: String,
        description: String,
    },
    MovePhase {
        id: Id,
        to: usize,
    },
    InsertActivity {
        phase: Id,
        index: usize,
        activity: Activity,
    },
    RemoveActivity {
        id: Id,
    },
    SetActivity {
        activity: Activity,
    },
    /// Moves an activity to a position in a phase (possibly another phase).
    MoveActivity {
        id: Id,
        phase: Id,
        index: usize,
    },
    InsertPersona {
        index: usize,
        persona: Persona,
    },
    RemovePersona {
        id: Id,
    },
    SetPersona {
        persona: Persona,
    },
    MovePersona {
        id: Id,
        to: usize,
    },
    /// Puts a perspective into a cell, or clears the cell.
    SetPerspective {
        persona: Id,
        activity: Id,
        value: Option<Perspective>,
    },
    /// Creates, replaces or removes a note.
    PutNote {
        id: Id,
        note: Option<Note>,
    },
    InsertOpportunity {
        index: usize,
        opportunity: Opportunity,
    },
    RemoveOpportunity {
        id: Id,
    },
    SetOpportunity {
        opportunity: Opportunity,
    },
    InsertMetric {
        index: usize,
        metric: Metric,
    },
    RemoveMetric {
        id: Id,
    },
    SetMetric {
        metric: Metric,
    },
    /// Creates, replaces or removes an outcome, solution or assumption test.
    Put {
        kind: Kind,
        id: Id,
        item: Option<Item>,
    },
    /// Records a merge conflict at a position of the list.
    AddConflict {
        index: usize,
        conflict: Conflict,
    },
    /// Settles a merge conflict (the record goes; the entity is set apart).
    RemoveConflict {
        conflict: Conflict,
    },
    /// Replaces every conflict record (restoring a recovery file).
    SetConflicts(Vec<Conflict>),
    /// Several edits as one step (undone together).
    Batch(Vec<Edit>),
}

/// An edit that does not fit the workspace it is applied to (a stale id or
/// position). The workspace is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EditError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("position {0} is out of range")]
    OutOfRange(usize),
    #[error("id {0} is already in use")]
    IdTaken(Id),
    #[error("a {given} cannot be put where a {expected} belongs")]
    WrongKind { expected: Kind, given: Kind },
}

fn not_found(what: &str, id: &Id) -> EditError {
    EditError::NotFound(format!("{what} {id}"))
}

fn check_index(index: usize, len: usize) -> Result<(), EditError> {
    if index > len {
        Err(EditError::OutOfRange(index))
    } else {
        Ok(())
    }
}

impl Edit {
    /// The files of the workspace folder this edit changes.
    pub fn files(&self) -> BTreeSet<FileKey> {
        let mut out = BTreeSet::new();
        self.collect_files(&mut out);
        out
    }

    fn collect_files(&self, out: &mut BTreeSet<FileKey>) {
        match self {
            Edit::SetMeta { .. }
            | Edit::InsertPhase { .. }
            | Edit::RemovePhase { .. }
            | Edit::SetPhase { .. }
            | Edit::MovePhase { .. }
            | Edit::InsertActivity { .. }
            | Edit::RemoveActivity { .. }
            | Edit::SetActivity { .. }
            | Edit::MoveActivity { .. }
            | Edit::InsertPersona { .. }
            | Edit::RemovePersona { .. }
            | Edit::SetPersona { .. }
            | Edit::MovePersona { .. }
            | Edit::SetPerspective { .. } => {
                out.insert(FileKey::Workspace);
            }
            Edit::PutNote { id, .. } => {
                out.insert(FileKey::Note(id.clone()));
            }
            Edit::InsertOpportunity { opportunity, .. } | Edit::SetOpportunity { opportunity } => {
                out.insert(FileKey::Opportunity(opportunity.id.clone()));
            }
            Edit::RemoveOpportunity { id } => {
                out.insert(FileKey::Opportunity(id.clone()));
            }
            Edit::InsertMetric { metric, .. } | Edit::SetMetric { metric } => {
                out.insert(FileKey::Metric(metric.id.clone()));
            }
            Edit::RemoveMetric { id } => {
                out.insert(FileKey::Metric(id.clone()));
            }
            Edit::Put { kind, id, .. } => {
                out.insert(FileKey::Item(*kind, id.clone()));
            }
            Edit::AddConflict { conflict, .. } | Edit::RemoveConflict { conflict } => {
                out.insert(FileKey::of(&conflict.target.entity()));
            }
            Edit::SetConflicts(list) => {
                // The records it replaces are in files of their own (the
                // change recorded for the edit names those); these are the
                // files of the new ones.
                out.insert(FileKey::Workspace);
                for c in list {
                    out.insert(FileKey::of(&c.target.entity()));
                }
            }
            Edit::Batch(edits) => edits.iter().for_each(|e| e.collect_files(out)),
        }
    }

    /// Whether the edit changes nothing (an empty batch).
    pub fn is_empty(&self) -> bool {
        matches!(self, Edit::Batch(v) if v.iter().all(Edit::is_empty))
    }
}

/// Applies an edit and returns its inverse: applying the inverse restores the
/// workspace exactly. On error nothing is changed. Derived metrics'
/// series follow (see [`crate::model::derive`]).
pub fn apply(ws: &mut Workspace, edit: Edit) -> Result<Edit, EditError> {
    let inverse = apply_one(ws, edit)?;
    ws.derive_metrics();
    Ok(inverse)
}

fn apply_one(ws: &mut Workspace, edit: Edit) -> Result<Edit, EditError> {
    Ok(match edit {
        Edit::SetMeta { name, description } => Edit::SetMeta {
            name: std::mem::replace(&mut ws.name, name),
            description: std::mem::replace(&mut ws.description, description),
        },
        Edit::InsertPhase { index, phase } => {
            check_index(index, ws.phases.len())?;
            fresh(ws, &phase.id)?;
            for a in &phase.activities {
                fresh(ws, &a.id)?;
            }
            let id = phase.id.clone();
            ws.phases.insert(index, phase);
            Edit::RemovePhase { id }
        }
        Edit::RemovePhase { id } => {
            let index = ws.phase_index(&id).ok_or_else(|| not_found("phase", &id))?;
            let phase = ws.phases.remove(index);
            Edit::InsertPhase { index, phase }
        }
        Edit::SetPhase {
            id,
            name,
            description,
        } => {
            let p = ws
                .phases
                .iter_mut()
                .find(|p| p.id == id)
                .ok_or_else(|| not_found("phase", &id))?;
            Edit::SetPhase {
                id,
                name: std::mem::replace(&mut p.name, name),
                description: std::mem::replace(&mut p.description, description),
            }
        }
        Edit::MovePhase { id, to } => {
            let from = ws.phase_index(&id).ok_or_else(|| not_found("phase", &id))?;
            if to >= ws.phases.len() {
                return Err(EditError::OutOfRange(to));
            }
            let p = ws.phases.remove(from);
            ws.phases.insert(to, p);
            Edit::MovePhase { id, to: from }
        }
        Edit::InsertActivity {
            phase,
            index,
            activity,
        } => {
            let pi = ws
                .phase_index(&phase)
                .ok_or_else(|| not_found("phase", &phase))?;
            check_index(index, ws.phases[pi].activities.len())?;
            fresh(ws, &activity.id)?;
            let id = activity.id.clone();
            ws.phases[pi].activities.insert(index, activity);
            Edit::RemoveActivity { id }
        }
        Edit::RemoveActivity { id } => {
            let ActivityPos { phase, index } = ws
                .activity_pos(&id)
                .ok_or_else(|| not_found("activity", &id))?;
            let activity = ws.phases[phase].activities.remove(index);
            Edit::InsertActivity {
                phase: ws.phases[phase].id.clone(),
                index,
                activity,
            }
        }
        Edit::SetActivity { activity } => {
            let pos = ws
                .activity_pos(&activity.id)
                .ok_or_else(|| not_found("activity", &activity.id))?;
            Edit::SetActivity {
                activity: std::mem::replace(
                    &mut ws.phases[pos.phase].activities[pos.index],
                    activity,
                ),
            }
        }
        Edit::MoveActivity { id, phase, index } => {
            let from = ws
                .activity_pos(&id)
                .ok_or_else(|| not_found("activity", &id))?;
            let to_phase = ws
                .phase_index(&phase)
                .ok_or_else(|| not_found("phase", &phase))?;
            let len_after_removal =
                ws.phases[to_phase].activities.len() - usize::from(to_phase == from.phase);
            check_index(index, len_after_removal)?;
            let a = ws.phases[from.phase].activities.remove(from.index);
            ws.phases[to_phase].activities.insert(index, a);
            Edit::MoveActivity {
                id,
                phase: ws.phases[from.phase].id.clone(),
                index: from.index,
            }
        }
        Edit::InsertPersona { index, persona } => {
            check_index(index, ws.personas.len())?;
            fresh(ws, &persona.id)?;
            let id = persona.id.clone();
            ws.personas.insert(index, persona);
            Edit::RemovePersona { id }
        }
        Edit::RemovePersona { id } => {
            let index = ws
                .persona_index(&id)
                .ok_or_else(|| not_found("persona", &id))?;
            let persona = ws.personas.remove(index);
            Edit::InsertPersona { index, persona }
        }
        Edit::SetPersona { persona } => {
            let i = ws
                .persona_index(&persona.id)
                .ok_or_else(|| not_found("persona", &persona.id))?;
            Edit::SetPersona {
                persona: std::mem::replace(&mut ws.personas[i], persona),
            }
        }
        Edit::MovePersona { id, to } => {
            let from = ws
                .persona_index(&id)
                .ok_or_else(|| not_found("persona", &id))?;
            if to >= ws.personas.len() {
                return Err(EditError::OutOfRange(to));
            }
            let p = ws.personas.remove(from);
            ws.personas.insert(to, p);
            Edit::MovePersona { id, to: from }
        }
        Edit::SetPerspective {
            persona,
            activity,
            value,
        } => {
            let old = ws.set_perspective(&persona, &activity, value);
            Edit::SetPerspective {
                persona,
                activity,
                value: old,
            }
        }
        Edit::PutNote { id, note } => {
            let old = match note {
                Some(mut n) => {
                    if !ws.notes.contains_key(&id) && ws.id_taken(&id) {
                        return Err(EditError::IdTaken(id));
                    }
                    n.id = id.clone();
                    ws.notes.insert(id.clone(), Box::new(n))
                }
                None => ws.notes.remove(&id),
            }
            .map(|n| *n);
            Edit::PutNote { id, note: old }
        }
        Edit::Put { kind, id, item } => {
            if let Some(it) = &item {
                if it.kind() != kind {
                    return Err(EditError::WrongKind {
                        expected: kind,
                        given: it.kind(),
                    });
                }
                if !ws.items.contains(kind, &id) && ws.id_taken(&id) {
                    return Err(EditError::IdTaken(id));
                }
            }
            let old = ws.items.put(kind, &id, item);
            Edit::Put {
                kind,
                id,
                item: old,
            }
        }
        Edit::InsertOpportunity { index, opportunity } => {
            check_index(index, ws.opportunities.len())?;
            fresh(ws, &opportunity.id)?;
            let id = opportunity.id.clone();
            ws.opportunities.insert(index, opportunity);
            Edit::RemoveOpportunity { id }
        }
        Edit::RemoveOpportunity { id } => {
            let index = ws
                .opportunity_index(&id)
                .ok_or_else(|| not_found("opportunity", &id))?;
            let opportunity = ws.opportunities.remove(index);
            Edit::InsertOpportunity { index, opportunity }
        }
        Edit::SetOpportunity { opportunity } => {
            let i = ws
                .opportunity_index(&opportunity.id)
                .ok_or_else(|| not_found("opportunity", &opportunity.id))?;
            Edit::SetOpportunity {
                opportunity: std::mem::replace(&mut ws.opportunities[i], opportunity),
            }
        }
        Edit::InsertMetric { index, mut metric } => {
            check_index(index, ws.metrics.len())?;
            fresh(ws, &metric.id)?;
            metric.observations.sort_by_key(|o| o.date);
            let id = metric.id.clone();
            ws.metrics.insert(index, metric);
            Edit::RemoveMetric { id }
        }
        Edit::RemoveMetric { id } => {
            let index = ws
                .metric_index(&id)
                .ok_or_else(|| not_found("metric", &id))?;
            let metric = ws.metrics.remove(index);
            Edit::InsertMetric { index, metric }
        }
        Edit::SetMetric { mut metric } => {
            let i = ws
                .metric_index(&metric.id)
                .ok_or_else(|| not_found("metric", &metric.id))?;
            metric.observations.sort_by_key(|o| o.date);
            Edit::SetMetric {
                metric: std::mem::replace(&mut ws.metrics[i], metric),
            }
        }
        Edit::AddConflict { index, conflict } => {
            check_index(index, ws.conflicts.len())?;
            ws.conflicts.insert(index, conflict.clone());
            Edit::RemoveConflict { conflict }
        }
        Edit::RemoveConflict { conflict } => {
            let i = ws
                .conflicts
                .iter()
                .position(|c| *c == conflict)
                .ok_or_else(|| EditError::NotFound(format!("conflict on {}", conflict.field)))?;
            Edit::AddConflict {
                index: i,
                conflict: ws.conflicts.remove(i),
            }
        }
        Edit::SetConflicts(list) => Edit::SetConflicts(std::mem::replace(&mut ws.conflicts, list)),
        Edit::Batch(edits) => {
            let mut inverses = Vec::with_capacity(edits.len());
            for e in edits {
                match apply_one(ws, e) {
                    Ok(inv) => inverses.push(inv),
                    Err(err) => {
                        // Roll back what was applied so the batch is all or nothing.
                        for inv in inverses.into_iter().rev() {
                            let _ = apply_one(ws, inv);
                        }
                        return Err(err);
                    }
                }
            }
            inverses.reverse();
            Edit::Batch(inverses)
        }
    })
}

fn fresh(ws: &Workspace, id: &Id) -> Result<(), EditError> {
    if ws.id_taken(id) {
        Err(EditError::IdTaken(id.clone()))
    } else {
        Ok(())
    }
}

/// What deleting something takes with it, for the confirmation message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    pub activities: usize,
    pub perspectives: usize,
    pub note_links: usize,
    pub opportunity_links: usize,
    pub metric_links: usize,
    pub evidence: usize,
    pub outcome_links: usize,
    /// Sub-opportunities that move up to the removed one's parent.
    pub children: usize,
    pub solutions: usize,
    pub tests: usize,
    /// Needs-map nodes that lose a link or an edge to it.
    pub node_links: usize,
    /// Adoption records of a removed team or target.
    pub adoption: usize,
    /// Teams that belonged to a removed persona.
    pub team_links: usize,
}

impl Impact {
    /// "2 perspectives, 1 note link" — or "nothing else".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.activities, "activity", "activities"),
            (self.perspectives, "perspective", "perspectives"),
            (self.note_links, "note link", "note links"),
            (
                self.opportunity_links,
                "opportunity link",
                "opportunity links",
            ),
            (self.metric_links, "metric link", "metric links"),
            (self.evidence, "evidence link", "evidence links"),
            (self.outcome_links, "outcome link", "outcome links"),
            (
                self.children,
                "sub-opportunity moved up",
                "sub-opportunities moved up",
            ),
            (self.solutions, "solution", "solutions"),
            (self.tests, "assumption test", "assumption tests"),
            (self.node_links, "needs-map link", "needs-map links"),
            (self.adoption, "adoption record", "adoption records"),
            (self.team_links, "team link", "team links"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "no links".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Unlinks an activity everywhere and removes it: perspectives on it, links
/// from notes, opportunities and metrics.
pub fn delete_activity(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    unlink_activity(ws, id, &mut edits, &mut impact);
    edits.extend(super::needs::unlink_everywhere(ws, id, &mut impact));
    edits.push(Edit::RemoveActivity { id: id.clone() });
    (Edit::Batch(edits), impact)
}

fn unlink_activity(ws: &Workspace, id: &Id, edits: &mut Vec<Edit>, impact: &mut Impact) {
    for p in ws.perspectives.iter().filter(|p| &p.activity == id) {
        impact.perspectives += 1;
        edits.push(Edit::SetPerspective {
            persona: p.persona.clone(),
            activity: p.activity.clone(),
            value: None,
        });
    }
    for n in ws.notes.values().filter(|n| n.activities.contains(id)) {
        impact.note_links += 1;
        let mut n = (**n).clone();
        n.activities.retain(|a| a != id);
        edits.push(Edit::PutNote {
            id: n.id.clone(),
            note: Some(n),
        });
    }
    for o in ws
        .opportunities
        .iter()
        .filter(|o| o.activities.contains(id))
    {
        impact.opportunity_links += 1;
        let mut o = o.clone();
        o.activities.retain(|a| a != id);
        edits.push(Edit::SetOpportunity { opportunity: o });
    }
    // One edit per metric, for its activity and the adoption rate it
    // computes, so that neither undoes the other.
    let target = crate::model::Target::Activity(id.clone());
    let rates = |m: &Metric| m.adoption.as_ref().is_some_and(|a| a.target == target);
    for m in ws
        .metrics
        .iter()
        .filter(|m| m.activity.as_ref() == Some(id) || rates(m))
    {
        impact.metric_links += 1;
        let mut m = m.clone();
        if m.activity.as_ref() == Some(id) {
            m.activity = None;
        }
        if rates(&m) {
            m.adoption = None;
        }
        edits.push(Edit::SetMetric { metric: m });
    }
    for a in ws.items.adoptions.values().filter(|a| a.target == target) {
        impact.adoption += 1;
        edits.push(remove(Kind::Adoption, &a.id));
    }
}

/// Removes a phase with all its activities, unlinking them everywhere.
pub fn delete_phase(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    if let Some(p) = ws.phase(id) {
        // Work on a copy so links to several of its activities combine.
        let mut scratch = ws.clone();
        for a in &p.activities {
            impact.activities += 1;
            let (e, i) = delete_activity(&scratch, &a.id);
            if apply(&mut scratch, e.clone()).is_ok() {
                edits.push(e);
            }
            impact.perspectives += i.perspectives;
            impact.note_links += i.note_links;
            impact.opportunity_links += i.opportunity_links;
            impact.metric_links += i.metric_links;
            impact.node_links += i.node_links;
            impact.adoption += i.adoption;
        }
    }
    edits.push(Edit::RemovePhase { id: id.clone() });
    (Edit::Batch(edits), impact)
}

/// Removes a persona, its perspectives, and links to it from notes and
/// opportunities.
pub fn delete_persona(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    for p in ws.perspectives.iter().filter(|p| &p.persona == id) {
        impact.perspectives += 1;
        edits.push(Edit::SetPerspective {
            persona: p.persona.clone(),
            activity: p.activity.clone(),
            value: None,
        });
    }
    for n in ws.notes.values().filter(|n| n.persona.as_ref() == Some(id)) {
        impact.note_links += 1;
        let mut n = (**n).clone();
        n.persona = None;
        edits.push(Edit::PutNote {
            id: n.id.clone(),
            note: Some(n),
        });
    }
    for o in ws.opportunities.iter().filter(|o| o.personas.contains(id)) {
        impact.opportunity_links += 1;
        let mut o = o.clone();
        o.personas.retain(|p| p != id);
        edits.push(Edit::SetOpportunity { opportunity: o });
    }
    edits.extend(super::needs::unlink_everywhere(ws, id, &mut impact));
    for m in ws.metrics.iter().filter(|m| m.personas.contains(id)) {
        impact.metric_links += 1;
        let mut m = m.clone();
        m.personas.retain(|p| p != id);
        edits.push(Edit::SetMetric { metric: m });
    }
    for t in ws
        .items
        .teams
        .values()
        .filter(|t| t.persona.as_ref() == Some(id))
    {
        impact.team_links += 1;
        let mut t = t.clone();
        t.persona = None;
        edits.push(put(Item::Team(t)));
    }
    edits.push(Edit::RemovePersona { id: id.clone() });
    (Edit::Batch(edits), impact)
}

/// Removes a note and every piece of evidence that cites it (from
/// opportunities and assumption tests).
pub fn delete_note(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    for o in ws
        .opportunities
        .iter()
        .filter(|o| o.evidence.iter().any(|e| &e.note == id))
    {
        let mut o = o.clone();
        let before = o.evidence.len();
        o.evidence.retain(|e| &e.note != id);
        impact.evidence += before - o.evidence.len();
        edits.push(Edit::SetOpportunity { opportunity: o });
    }
    for t in ws
        .items
        .tests
        .values()
        .filter(|t| t.evidence.iter().any(|e| &e.note == id))
    {
        let mut t = t.clone();
        let before = t.evidence.len();
        t.evidence.retain(|e| &e.note != id);
        impact.evidence += before - t.evidence.len();
        edits.push(put(Item::Test(t)));
    }
    // Questions it answered stay answered, without the line.
    for n in ws.notes.values().filter(|n| {
        &n.id != id
            && n.answered
                .iter()
                .any(|a| a.by.as_ref().is_some_and(|b| &b.note == id))
    }) {
        let mut n = (**n).clone();
        for a in &mut n.answered {
            if a.by.as_ref().is_some_and(|b| &b.note == id) {
                a.by = None;
                impact.evidence += 1;
            }
        }
        edits.push(Edit::PutNote {
            id: n.id.clone(),
            note: Some(n),
        });
    }
    edits.push(Edit::PutNote {
        id: id.clone(),
        note: None,
    });
    (Edit::Batch(edits), impact)
}

/// Puts an item in place of the one with its id (or adds it).
pub fn put(item: Item) -> Edit {
    Edit::Put {
        kind: item.kind(),
        id: item.id().clone(),
        item: Some(item),
    }
}

/// Removes the item of `kind` with `id` (nothing else).
pub fn remove(kind: Kind, id: &Id) -> Edit {
    Edit::Put {
        kind,
        id: id.clone(),
        item: None,
    }
}

/// Removes an opportunity: metrics are unlinked from it, its
/// sub-opportunities move up to its parent (keeping its outcome), and its
/// solutions go with it, with their assumption tests.
pub fn delete_opportunity(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    for m in ws
        .metrics
        .iter()
        .filter(|m| m.opportunity.as_ref() == Some(id))
    {
        impact.metric_links += 1;
        let mut m = m.clone();
        m.opportunity = None;
        edits.push(Edit::SetMetric { metric: m });
    }
    let gone = ws.opportunity(id);
    for c in ws.child_opportunities(id) {
        impact.children += 1;
        let mut c = c.clone();
        c.parent = gone.and_then(|g| g.parent.clone());
        if c.outcome.is_none() {
            c.outcome = gone.and_then(|g| g.outcome.clone());
        }
        edits.push(Edit::SetOpportunity { opportunity: c });
    }
    for s in ws.solutions_of(id) {
        let (e, i) = delete_item(ws, Kind::Solution, &s.id);
        impact.solutions += 1;
        impact.tests += i.tests;
        edits.push(e);
    }
    edits.extend(super::needs::unlink_everywhere(ws, id, &mut impact));
    edits.push(Edit::RemoveOpportunity { id: id.clone() });
    (Edit::Batch(edits), impact)
}

/// Replaces a metric, renaming it in the formulas that use it when its
/// name changes (so they keep computing), as one step.
pub fn set_metric(ws: &Workspace, metric: Metric) -> Edit {
    let mut edits: Vec<Edit> = crate::model::derive::renamed_uses(ws, &metric.id, &metric.name)
        .into_iter()
        .map(|m| Edit::SetMetric { metric: m })
        .collect();
    if edits.is_empty() {
        return Edit::SetMetric { metric };
    }
    edits.insert(0, Edit::SetMetric { metric });
    Edit::Batch(edits)
}

/// Removes a metric and unlinks it from the outcomes it measures; metrics
/// computed from it lose their formula (undo brings both back).
pub fn delete_metric(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    for m in crate::model::derive::uses(ws, id) {
        impact.metric_links += 1;
        let mut m = m.clone();
        m.formula = None;
        edits.push(Edit::SetMetric { metric: m });
    }
    for o in ws
        .items
        .outcomes
        .values()
        .filter(|o| o.metrics.contains(id))
    {
        impact.outcome_links += 1;
        let mut o = o.clone();
        o.metrics.retain(|m| m != id);
        edits.push(put(Item::Outcome(o)));
    }
    edits.push(Edit::RemoveMetric { id: id.clone() });
    (Edit::Batch(edits), impact)
}

/// Removes an outcome, solution or assumption test: opportunities of a
/// removed outcome stay, without it; a solution's tests go with it.
pub fn delete_item(ws: &Workspace, kind: Kind, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    match kind {
        Kind::Outcome => {
            for o in ws
                .opportunities
                .iter()
                .filter(|o| o.outcome.as_ref() == Some(id))
            {
                impact.opportunity_links += 1;
                let mut o = o.clone();
                o.outcome = None;
                edits.push(Edit::SetOpportunity { opportunity: o });
            }
        }
        Kind::Solution => {
            for t in ws.tests_of(id) {
                impact.tests += 1;
                edits.push(remove(Kind::Test, &t.id));
            }
        }
        Kind::NeedsNode => return super::needs::delete_node(ws, id),
        Kind::NeedsLayer => {
            return match super::needs::delete_layer(ws, id) {
                Some(e) => (e, impact),
                None => (Edit::Batch(Vec::new()), impact),
            };
        }
        Kind::Team => {
            for a in ws.items.adoptions.values().filter(|a| &a.team == id) {
                impact.adoption += 1;
                edits.push(remove(Kind::Adoption, &a.id));
            }
        }
        Kind::Test | Kind::Adoption => {}
    }
    edits.push(remove(kind, id));
    (Edit::Batch(edits), impact)
}

/// Merges one opportunity into another, as one edit: the evidence, the
/// activities and personas united (without duplicates), metrics that
/// measured the first now measure the second, and the first removed.
pub fn merge_opportunities(ws: &Workspace, from: &Id, into: &Id) -> Option<Edit> {
    if from == into {
        return None;
    }
    let src = ws.opportunity(from)?;
    let mut dst = ws.opportunity(into)?.clone();
    for e in &src.evidence {
        if !dst.evidence.contains(e) {
            dst.evidence.push(e.clone());
        }
    }
    for a in &src.activities {
        if !dst.activities.contains(a) {
            dst.activities.push(a.clone());
        }
    }
    for p in &src.personas {
        if !dst.personas.contains(p) {
            dst.personas.push(p.clone());
        }
    }
    if dst.outcome.is_none() {
        dst.outcome = src.outcome.clone();
    }
    // Merged into one of its own descendants: that one takes its place.
    if ws.would_cycle(from, into) {
        dst.parent = src.parent.clone();
    }
    let mut edits = vec![Edit::SetOpportunity { opportunity: dst }];
    for c in ws
        .child_opportunities(from)
        .into_iter()
        .filter(|c| &c.id != into)
    {
        let mut c = c.clone();
        c.parent = Some(into.clone());
        edits.push(Edit::SetOpportunity { opportunity: c });
    }
    for s in ws.solutions_of(from) {
        let mut s = s.clone();
        s.opportunity = into.clone();
        edits.push(put(Item::Solution(s)));
    }
    for m in ws
        .metrics
        .iter()
        .filter(|m| m.opportunity.as_ref() == Some(from))
    {
        let mut m = m.clone();
        m.opportunity = Some(into.clone());
        edits.push(Edit::SetMetric { metric: m });
    }
    edits.extend(super::needs::relink_opportunity(ws, from, into));
    edits.push(Edit::RemoveOpportunity { id: from.clone() });
    Some(Edit::Batch(edits))
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

    fn roundtrip(ws: &mut Workspace, e: Edit) {
        let before = ws.clone();
        let inv = apply(ws, e.clone()).unwrap();
        assert_ne!(*ws, before, "edit changed nothing: {e:?}");
        let redo = apply(ws, inv).unwrap();
        assert_eq!(*ws, before, "inverse did not restore: {e:?}");
        apply(ws, redo).unwrap();
        let mut again = before.clone();
        apply(&mut again, e).unwrap();
        assert_eq!(*ws, again, "redo differs from do");
        *ws = before;
    }

    #[test]
    fn every_kind_of_edit_inverts_exactly() {
        let mut ws = k8s();
        let phase = ws.phases[0].clone();
        let act = ws.phases[0].activities[0].clone();
        let persona = ws.personas[0].clone();
        let note = ws.notes.values().next().unwrap().clone();
        let opp = ws.opportunities[0].clone();
        let metric = ws.metrics[0].clone();
        let edits = vec![
            Edit::SetMeta {
                name: "x".into(),
                description: "y".into(),
            },
            Edit::InsertPhase {
                index: 1,
                phase: Phase {
                    id: "newph1".into(),
                    name: "Sunset".into(),
                    description: String::new(),
                    activities: vec![],
                },
            },
            Edit::RemovePhase {
                id: phase.id.clone(),
            },
            Edit::SetPhase {
                id: phase.id.clone(),
                name: "Birth".into(),
                description: "d".into(),
            },
            Edit::MovePhase {
                id: phase.id.clone(),
                to: 2,
            },
            Edit::InsertActivity {
                phase: phase.id.clone(),
                index: 1,
                activity: Activity {
                    id: "newac1".into(),
                    name: "Plan capacity".into(),
                    description: String::new(),
                },
            },
            Edit::RemoveActivity { id: act.id.clone() },
            Edit::SetActivity {
                activity: Activity {
                    name: "Renamed".into(),
                    ..act.clone()
                },
            },
            Edit::MoveActivity {
                id: act.id.clone(),
                phase: ws.phases[2].id.clone(),
                index: 1,
            },
            Edit::MoveActivity {
                id: act.id.clone(),
                phase: phase.id.clone(),
                index: 2,
            },
            Edit::InsertPersona {
                index: 3,
                persona: Persona {
                    id: "newpe1".into(),
                    ..persona.clone()
                },
            },
            Edit::RemovePersona {
                id: persona.id.clone(),
            },
            Edit::SetPersona {
                persona: Persona {
                    name: "Other".into(),
                    ..persona.clone()
                },
            },
            Edit::MovePersona {
                id: persona.id.clone(),
                to: 2,
            },
            Edit::SetPerspective {
                persona: persona.id.clone(),
                activity: act.id.clone(),
                value: None,
            },
            Edit::SetPerspective {
                persona: ws.personas[2].id.clone(),
                activity: ws.phases[0].activities[1].id.clone(),
                value: Some(Perspective {
                    importance: Some(2),
                    ..Perspective::default()
                }),
            },
            Edit::PutNote {
                id: note.id.clone(),
                note: None,
            },
            Edit::PutNote {
                id: "newnt1".into(),
                note: Some(*note.clone()),
            },
            Edit::InsertOpportunity {
                index: 0,
                opportunity: Opportunity::new(
                    "newop1".into(),
                    "t",
                    crate::model::OpportunityKind::Gain,
                ),
            },
            Edit::RemoveOpportunity { id: opp.id.clone() },
            Edit::SetOpportunity {
                opportunity: Opportunity {
                    title: "changed".into(),
                    ..opp.clone()
                },
            },
            Edit::InsertMetric {
                index: 1,
                metric: Metric {
                    id: "newmt1".into(),
                    ..metric.clone()
                },
            },
            Edit::RemoveMetric {
                id: metric.id.clone(),
            },
            Edit::SetMetric {
                metric: Metric {
                    name: "changed".into(),
                    ..metric.clone()
                },
            },
        ];
        for e in edits {
            roundtrip(&mut ws, e);
        }
    }

    #[test]
    fn stale_edits_fail_without_changing_anything() {
        let mut ws = k8s();
        let before = ws.clone();
        assert!(apply(&mut ws, Edit::RemovePhase { id: "ghost".into() }).is_err());
        let first = ws.personas[0].id.clone();
        assert!(apply(&mut ws, Edit::MovePersona { id: first, to: 99 }).is_err());
        let dup = Edit::InsertPersona {
            index: 0,
            persona: ws.personas[1].clone(),
        };
        assert!(matches!(apply(&mut ws, dup), Err(EditError::IdTaken(_))));
        // A batch whose last edit fails leaves no trace of the first.
        let batch = Edit::Batch(vec![
            Edit::SetMeta {
                name: "half".into(),
                description: String::new(),
            },
            Edit::RemoveMetric { id: "ghost".into() },
        ]);
        assert!(apply(&mut ws, batch).is_err());
        assert_eq!(ws, before);
    }

    #[test]
    fn deleting_a_persona_unlinks_it_everywhere_and_undoes() {
        let mut ws = k8s();
        let before = ws.clone();
        let id = ws.personas[0].id.clone();
        let (edit, impact) = delete_persona(&ws, &id);
        assert!(impact.perspectives > 0);
        let inverse = apply(&mut ws, edit).unwrap();
        assert!(ws.persona(&id).is_none());
        assert!(ws.perspectives.iter().all(|p| p.persona != id));
        assert!(ws.notes.values().all(|n| n.persona.as_ref() != Some(&id)));
        assert!(ws.opportunities.iter().all(|o| !o.personas.contains(&id)));
        assert!(crate::model::validate::is_valid(&ws));
        apply(&mut ws, inverse).unwrap();
        assert_eq!(ws, before);
    }

    #[test]
    fn deleting_a_phase_takes_its_activities_and_their_links() {
        let mut ws = k8s();
        let before = ws.clone();
        let id = ws.phases[1].id.clone();
        let n_acts = ws.phases[1].activities.len();
        let (edit, impact) = delete_phase(&ws, &id);
        assert_eq!(impact.activities, n_acts);
        assert!(impact.describe().contains("activities"));
        let inverse = apply(&mut ws, edit).unwrap();
        assert!(
            crate::model::validate::is_valid(&ws),
            "{:#?}",
            crate::model::validate::validate(&ws)
        );
        apply(&mut ws, inverse).unwrap();
        assert_eq!(ws, before);
    }

    #[test]
    fn deleting_a_note_removes_its_evidence() {
        let mut ws = k8s();
        let cited = ws
            .opportunities
            .iter()
            .flat_map(|o| &o.evidence)
            .next()
            .unwrap()
            .note
            .clone();
        let (edit, impact) = delete_note(&ws, &cited);
        assert!(impact.evidence > 0);
        apply(&mut ws, edit).unwrap();
        assert!(
            ws.opportunities
                .iter()
                .all(|o| o.evidence.iter().all(|e| e.note != cited))
        );
        assert!(crate::model::validate::is_valid(&ws));
    }

    #[test]
    fn files_name_what_an_edit_touches() {
        let e = Edit::Batch(vec![
            Edit::PutNote {
                id: "n".into(),
                note: None,
            },
            Edit::RemoveMetric { id: "m".into() },
            Edit::MovePersona {
                id: "p".into(),
                to: 0,
            },
        ]);
        assert_eq!(
            e.files(),
            [
                FileKey::Workspace,
                FileKey::Note("n".into()),
                FileKey::Metric("m".into()),
            ]
            .into()
        );
        assert_eq!(
            Impact {
                perspectives: 2,
                note_links: 1,
                ..Impact::default()
            }
            .describe(),
            "2 perspectives, 1 note link"
        );
    }

    #[test]
    fn merging_unites_evidence_and_moves_metrics_and_undoes() {
        let mut ws = k8s();
        let before = ws.clone();
        let from = ws
            .metrics
            .iter()
            .find_map(|m| m.opportunity.clone())
            .unwrap();
        let into = ws
            .opportunities
            .iter()
            .find(|o| o.id != from)
            .unwrap()
            .id
            .clone();
        let n = ws.opportunity(&from).unwrap().evidence.len()
            + ws.opportunity(&into).unwrap().evidence.len();
        let e = merge_opportunities(&ws, &from, &into).unwrap();
        let inverse = apply(&mut ws, e).unwrap();
        assert!(ws.opportunity(&from).is_none());
        assert_eq!(ws.opportunity(&into).unwrap().evidence.len(), n);
        assert!(
            ws.metrics
                .iter()
                .all(|m| m.opportunity.as_ref() != Some(&from))
        );
        assert!(crate::model::validate::is_valid(&ws));
        apply(&mut ws, inverse).unwrap();
        assert_eq!(ws, before);
        assert!(merge_opportunities(&ws, &into, &into).is_none());
    }
}
