//! Comparing two workspaces entity by entity, matched by id.

mod items;
mod map;
mod metrics;
mod notes;
mod opportunities;
mod synthesis;

pub(super) use opportunities::quote_text;

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Change, ConflictChange, Diff, EntityChange, FieldChange};
use crate::model::{Conflict, Horizon, Id, Kind, Note, Workspace};
use crate::text::with_unit;

/// Compares two workspaces: `a` before, `b` after.
pub fn diff(a: &Workspace, b: &Workspace) -> Diff {
    let n = Names { a, b };
    Diff {
        workspace: {
            let mut f = Vec::new();
            value(&mut f, "name", &a.name, &b.name);
            value(&mut f, "description", &a.description, &b.description);
            f
        },
        phases: map::phases(a, b),
        activities: map::activities(a, b),
        personas: map::personas(a, b),
        perspectives: map::perspectives(&n),
        opportunities: opportunities::opportunities(&n),
        notes: notes::notes(&n),
        tags: synthesis::tags(&n),
        questions: synthesis::questions(&n),
        metrics: metrics::metrics(&n),
        outcomes: items::items(&n, Kind::Outcome),
        solutions: items::items(&n, Kind::Solution),
        tests: items::items(&n, Kind::Test),
        needs_layers: items::items(&n, Kind::NeedsLayer),
        needs_nodes: items::items(&n, Kind::NeedsNode),
        teams: items::items(&n, Kind::Team),
        adoption: items::items(&n, Kind::Adoption),
        conflicts: conflicts(a, b),
    }
}

/// Looks names up on the "after" side first, then on the "before" side, so
/// that removed entities are still named.
struct Names<'a> {
    a: &'a Workspace,
    b: &'a Workspace,
}

impl Names<'_> {
    fn persona(&self, id: &Id) -> String {
        self.b
            .persona(id)
            .or_else(|| self.a.persona(id))
            .map_or_else(|| format!("{id} (missing)"), |p| p.name.clone())
    }

    fn activity(&self, id: &Id) -> String {
        self.b
            .activity(id)
            .or_else(|| self.a.activity(id))
            .map_or_else(|| format!("{id} (missing)"), |x| x.name.clone())
    }

    fn opportunity(&self, id: &Id) -> String {
        self.b
            .opportunity(id)
            .or_else(|| self.a.opportunity(id))
            .map_or_else(|| format!("{id} (missing)"), |o| o.title.clone())
    }

    fn outcome(&self, id: &Id) -> String {
        self.b
            .items
            .outcomes
            .get(id)
            .or_else(|| self.a.items.outcomes.get(id))
            .map_or_else(|| format!("{id} (missing)"), |o| o.name.clone())
    }

    fn team(&self, id: &Id) -> String {
        self.b
            .items
            .teams
            .get(id)
            .or_else(|| self.a.items.teams.get(id))
            .map_or_else(|| format!("{id} (missing)"), |t| t.name.clone())
    }

    fn target(&self, t: &crate::model::Target) -> String {
        match t {
            crate::model::Target::Activity(id) => self.activity(id),
            crate::model::Target::Capability(id) => self.needs_node(id),
        }
    }

    fn solution(&self, id: &Id) -> String {
        self.b
            .items
            .solutions
            .get(id)
            .or_else(|| self.a.items.solutions.get(id))
            .map_or_else(|| format!("{id} (missing)"), |s| s.title.clone())
    }

    fn needs_layer(&self, id: &Id) -> String {
        let find = |w: &Workspace| w.needs_layers().into_iter().find(|l| &l.id == id);
        find(self.b)
            .or_else(|| find(self.a))
            .map_or_else(|| format!("{id} (missing)"), |l| l.name)
    }

    fn needs_node(&self, id: &Id) -> String {
        self.b
            .items
            .nodes
            .get(id)
            .or_else(|| self.a.items.nodes.get(id))
            .map_or_else(|| format!("{id} (missing)"), |x| x.name.clone())
    }

    fn metric(&self, id: &Id) -> String {
        self.b
            .metric(id)
            .or_else(|| self.a.metric(id))
            .map_or_else(|| format!("{id} (missing)"), |m| m.name.clone())
    }

    fn note(&self, id: &Id) -> Option<&Note> {
        self.b
            .notes
            .get(id)
            .or_else(|| self.a.notes.get(id))
            .map(|n| &**n)
    }

    /// Where a persona sorts: the "after" order, then the "before" order.
    fn persona_rank(&self, id: &Id) -> (u8, usize) {
        rank(self.b.persona_index(id), self.a.persona_index(id))
    }
}

fn rank(after: Option<usize>, before: Option<usize>) -> (u8, usize) {
    match (after, before) {
        (Some(i), _) => (0, i),
        (None, Some(i)) => (1, i),
        (None, None) => (2, 0),
    }
}

/// Pairs entities by id: every entity of `b` with its namesake in `a`, in
/// `b`'s order, then the entities only `a` has, in `a`'s order.
fn pair_by_id<'a, T>(
    a: &'a [T],
    b: &'a [T],
    id: impl Fn(&'a T) -> &'a Id,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut in_a: HashMap<&Id, &T> = HashMap::new();
    for x in a {
        in_a.entry(id(x)).or_insert(x);
    }
    let in_b: HashSet<&Id> = b.iter().map(&id).collect();
    let mut out: Vec<_> = b
        .iter()
        .map(|y| (in_a.get(id(y)).copied(), Some(y)))
        .collect();
    out.extend(
        a.iter()
            .filter(|x| !in_b.contains(id(x)))
            .map(|x| (Some(x), None)),
    );
    out
}

fn value(out: &mut Vec<FieldChange>, field: &'static str, before: &str, after: &str) {
    if before != after {
        out.push(FieldChange::Value {
            field,
            before: before.to_string(),
            after: after.to_string(),
        });
    }
}

/// Items gained and lost, each once, in their list's order.
fn list(out: &mut Vec<FieldChange>, field: &'static str, before: &[String], after: &[String]) {
    let a: HashSet<&String> = before.iter().collect();
    let b: HashSet<&String> = after.iter().collect();
    let mut seen = HashSet::new();
    let added: Vec<String> = after
        .iter()
        .filter(|x| !a.contains(x) && seen.insert(*x))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .iter()
        .filter(|x| !b.contains(x) && seen.insert(*x))
        .cloned()
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(FieldChange::List {
            field,
            added,
            removed,
        });
    }
}

/// Like [`list`] for links, shown by name.
fn links(
    out: &mut Vec<FieldChange>,
    field: &'static str,
    before: &[Id],
    after: &[Id],
    name: impl Fn(&Id) -> String,
) {
    let a: HashSet<&Id> = before.iter().collect();
    let b: HashSet<&Id> = after.iter().collect();
    if a == b {
        return;
    }
    let mut seen = HashSet::new();
    let added = after
        .iter()
        .filter(|x| !a.contains(x) && seen.insert(*x))
        .map(&name)
        .collect();
    let removed = before
        .iter()
        .filter(|x| !b.contains(x) && seen.insert(*x))
        .map(&name)
        .collect();
    out.push(FieldChange::List {
        field,
        added,
        removed,
    });
}

/// A multi-line text: lines gained and lost, counted as a multiset.
fn text(out: &mut Vec<FieldChange>, field: &'static str, before: &str, after: &str) {
    if before == after {
        return;
    }
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for l in before.lines() {
        *counts.entry(l.trim_end()).or_default() -= 1;
    }
    for l in after.lines() {
        *counts.entry(l.trim_end()).or_default() += 1;
    }
    let added = counts
        .values()
        .filter(|c| **c > 0)
        .map(|c| c.unsigned_abs())
        .sum();
    let removed = counts
        .values()
        .filter(|c| **c < 0)
        .map(|c| c.unsigned_abs())
        .sum();
    out.push(FieldChange::Text {
        field,
        added,
        removed,
    });
}

pub(super) fn opt_num(v: Option<f64>, unit: &str) -> String {
    v.map(|v| with_unit(v, unit)).unwrap_or_default()
}

pub(super) fn opt_u8(v: Option<u8>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A roadmap horizon as people name it.
pub fn horizon_name(h: Option<Horizon>) -> &'static str {
    match h {
        Some(Horizon::Now) => "Now",
        Some(Horizon::Next) => "Next",
        Some(Horizon::Later) => "Later",
        None => "none",
    }
}

fn entity(
    id: &Id,
    change: Change,
    name: &str,
    context: impl Into<String>,
    fields: Vec<FieldChange>,
) -> EntityChange {
    EntityChange {
        id: id.clone(),
        change,
        name: name.to_string(),
        context: context.into(),
        fields,
    }
}

fn conflicts(a: &Workspace, b: &Workspace) -> Vec<ConflictChange> {
    let (ca, cb): (BTreeSet<&Conflict>, BTreeSet<&Conflict>) =
        (a.conflicts.iter().collect(), b.conflicts.iter().collect());
    let item = |ws: &Workspace, c: &Conflict, change| ConflictChange {
        change,
        about: ws.describe(&c.target.entity()),
        field: c.field.clone(),
    };
    let mut out: Vec<ConflictChange> = cb
        .difference(&ca)
        .map(|c| item(b, c, Change::Added))
        .collect();
    out.extend(ca.difference(&cb).map(|c| item(a, c, Change::Removed)));
    out
}
