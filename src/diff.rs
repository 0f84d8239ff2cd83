//! The semantic diff of two versions of a workspace: what changed in
//! discovery terms, for a pull request or a look before committing.
//!
//! [`diff`] matches every entity by its id, never by its position: a rename is
//! a change, a reorder is nothing, and an entity is added or removed only when
//! its id appears or disappears. Opportunities are re-scored on each side
//! ([`score::opportunity_score`]), metrics get their verdict on each side, and
//! new evidence and notes carry the interview's date and interviewee.
//!
//! [`render_text`] and [`render_md`] turn a [`Diff`] into a summary line and
//! one section per kind of entity, in a deterministic order. Every piece of
//! text from the workspace is sanitised (no control characters, so no escape
//! sequences) and, in Markdown, escaped so that it can open no link, heading or
//! raw HTML.
//!
//! [`render_file`] is the other half of git support: a stable, readable
//! rendering of one RON file of a workspace, for git's `textconv`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::score;
use crate::model::{
    Conflict, Evidence, Horizon, Id, Metric, Note, Observation, Opportunity, Perspective, Status,
    Workspace,
};
use crate::store::format;
use crate::text::{num, sanitize, sanitize_multiline, truncate, with_unit};

/// Whether an entity appeared, changed or disappeared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Changed,
    Removed,
}

/// A value on both sides. For an added entity both are the new value, for a
/// removed one both are the old value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delta<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Delta<T> {
    fn new(before: T, after: T) -> Self {
        Delta { before, after }
    }

    fn same(v: T) -> Self
    where
        T: Clone,
    {
        Delta {
            before: v.clone(),
            after: v,
        }
    }

    /// Whether the value differs between the two sides.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// One field of an entity that changed. Values are as people read them
/// (names rather than ids); an empty string means "none".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FieldChange {
    /// A value replaced.
    Value {
        field: &'static str,
        before: String,
        after: String,
    },
    /// A list that gained or lost items (its order is not compared).
    List {
        field: &'static str,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// A multi-line text that was edited: how many lines came and went.
    Text {
        field: &'static str,
        added: usize,
        removed: usize,
    },
}

impl FieldChange {
    pub fn field(&self) -> &'static str {
        match self {
            FieldChange::Value { field, .. }
            | FieldChange::List { field, .. }
            | FieldChange::Text { field, .. } => field,
        }
    }
}

/// A phase, an activity or a persona that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityChange {
    pub id: Id,
    pub change: Change,
    /// Its name (the old one when it was removed).
    pub name: String,
    /// Where it sits or what it is: an activity's phase, a persona's role.
    pub context: String,
    /// What changed, for a changed entity.
    pub fields: Vec<FieldChange>,
}

/// A cell of the map (one persona's perspective on one activity) that was
/// filled in, cleared or changed. A blank perspective counts as absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PerspectiveChange {
    pub persona: Id,
    pub activity: Id,
    pub persona_name: String,
    pub activity_name: String,
    pub change: Change,
    /// The cell's outcome-driven score on each side.
    pub score: Delta<Option<u8>>,
    pub fields: Vec<FieldChange>,
}

/// An evidence link, with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    pub note: Id,
    /// The quote without its capture marker, or the note's title when the
    /// whole note is the evidence.
    pub quote: String,
    /// The interview's date (none when the note is missing).
    pub date: Option<NaiveDate>,
    pub interviewee: String,
}

/// An opportunity that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpportunityChange {
    pub id: Id,
    pub change: Change,
    pub title: String,
    /// The score as shown to people (`7`, `12.5*`, `–`), computed in each
    /// side's workspace.
    pub score: Delta<String>,
    pub status: Delta<Status>,
    pub horizon: Delta<Option<Horizon>>,
    /// Other fields: title, kind, description, activities, personas, manual score.
    pub fields: Vec<FieldChange>,
    /// Evidence it gained (all of it, for an added opportunity).
    pub evidence_added: Vec<EvidenceItem>,
    pub evidence_removed: Vec<EvidenceItem>,
}

impl OpportunityChange {
    /// Whether an existing opportunity's score moved.
    pub fn rescored(&self) -> bool {
        self.change == Change::Changed && self.score.changed()
    }

    /// Whether an existing opportunity moved between Now, Next, Later and none.
    pub fn moved(&self) -> bool {
        self.change == Change::Changed && self.horizon.changed()
    }
}

/// An interview note that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteChange {
    pub id: Id,
    pub change: Change,
    pub date: NaiveDate,
    pub title: String,
    pub interviewee: String,
    pub persona: Option<Id>,
    /// The persona's name (empty when the note names none).
    pub persona_name: String,
    pub fields: Vec<FieldChange>,
}

/// Whether a metric meets its target, by its latest observation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    OnTrack,
    OffTrack,
    /// The metric has no target to compare with.
    NoTarget,
    /// There is a target but no observation yet.
    NoData,
}

impl Verdict {
    pub fn of(m: &Metric) -> Verdict {
        match m.on_track() {
            Some(true) => Verdict::OnTrack,
            Some(false) => Verdict::OffTrack,
            None if m.target.is_none() => Verdict::NoTarget,
            None => Verdict::NoData,
        }
    }

    /// The verdict with a glyph, so it never rests on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::OnTrack => "✓ on track",
            Verdict::OffTrack => "✗ off track",
            Verdict::NoTarget => "no target",
            Verdict::NoData => "no data",
        }
    }
}

/// One dated measurement of a metric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservationItem {
    pub date: NaiveDate,
    pub value: f64,
    pub comment: String,
}

impl From<&Observation> for ObservationItem {
    fn from(o: &Observation) -> Self {
        ObservationItem {
            date: o.date,
            value: o.value,
            comment: o.comment.clone(),
        }
    }
}

/// A metric that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricChange {
    pub id: Id,
    pub change: Change,
    pub name: String,
    pub unit: String,
    /// Name, kind, unit, description, links, baseline, target, direction.
    pub fields: Vec<FieldChange>,
    /// New observations (all of them, for an added metric), in date order.
    pub observations_added: Vec<ObservationItem>,
    pub observations_removed: Vec<ObservationItem>,
    /// The latest observed value on each side.
    pub latest: Delta<Option<f64>>,
    pub verdict: Delta<Verdict>,
}

/// A merge conflict record that appeared (added) or was resolved (removed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConflictChange {
    pub change: Change,
    /// What it is about, e.g. `opportunity "Cost dashboard"`.
    pub about: String,
    pub field: String,
}

/// Everything that differs between two workspaces, section by section, each
/// in a deterministic order: the map's order on the "after" side (for
/// opportunities, their ranking), then what was removed, in the "before"
/// side's order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diff {
    /// The workspace's own name and description.
    pub workspace: Vec<FieldChange>,
    pub phases: Vec<EntityChange>,
    pub activities: Vec<EntityChange>,
    pub personas: Vec<EntityChange>,
    pub perspectives: Vec<PerspectiveChange>,
    pub opportunities: Vec<OpportunityChange>,
    /// Added notes first (grouped by persona in map order, then by date),
    /// then changed, then removed ones.
    pub notes: Vec<NoteChange>,
    pub metrics: Vec<MetricChange>,
    pub conflicts: Vec<ConflictChange>,
}

// ---------------------------------------------------------------- comparing

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
        phases: phases(a, b),
        activities: activities(a, b),
        personas: personas(a, b),
        perspectives: perspectives(&n),
        opportunities: opportunities(&n),
        notes: notes(&n),
        metrics: metrics(&n),
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

    fn note(&self, id: &Id) -> Option<&Note> {
        self.b.notes.get(id).or_else(|| self.a.notes.get(id))
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

fn opt_num(v: Option<f64>, unit: &str) -> String {
    v.map(|v| with_unit(v, unit)).unwrap_or_default()
}

fn opt_u8(v: Option<u8>) -> String {
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

fn phases(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    pair_by_id(&a.phases, &b.phases, |p| &p.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => Some(entity(&y.id, Change::Added, &y.name, "", vec![])),
            (Some(x), None) => Some(entity(&x.id, Change::Removed, &x.name, "", vec![])),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "description", &x.description, &y.description);
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, "", f))
            }
            (None, None) => None,
        })
        .collect()
}

fn activities(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    let flat = |ws: &Workspace| -> Vec<(String, crate::model::Activity)> {
        ws.activities()
            .map(|(p, x)| (p.name.clone(), x.clone()))
            .collect()
    };
    let (fa, fb) = (flat(a), flat(b));
    let phase_id = |ws: &Workspace, id: &Id| ws.phase_of(id).map(|p| p.id.clone());
    pair_by_id(&fa, &fb, |(_, x)| &x.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some((ph, y))) => Some(entity(&y.id, Change::Added, &y.name, ph, vec![])),
            (Some((ph, x)), None) => Some(entity(&x.id, Change::Removed, &x.name, ph, vec![])),
            (Some((pa, x)), Some((pb, y))) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "description", &x.description, &y.description);
                if phase_id(a, &x.id) != phase_id(b, &y.id) {
                    f.push(FieldChange::Value {
                        field: "phase",
                        before: pa.clone(),
                        after: pb.clone(),
                    });
                }
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, pb, f))
            }
            (None, None) => None,
        })
        .collect()
}

fn personas(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    pair_by_id(&a.personas, &b.personas, |p| &p.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => {
                let mut f = Vec::new();
                list(&mut f, "jobs", &[], &y.jobs);
                Some(entity(&y.id, Change::Added, &y.name, y.role.label(), f))
            }
            (Some(x), None) => Some(entity(
                &x.id,
                Change::Removed,
                &x.name,
                x.role.label(),
                vec![],
            )),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "role", x.role.label(), y.role.label());
                value(&mut f, "description", &x.description, &y.description);
                list(&mut f, "jobs", &x.jobs, &y.jobs);
                list(&mut f, "tags", &x.tags, &y.tags);
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, y.role.label(), f))
            }
            (None, None) => None,
        })
        .collect()
}

fn perspectives(n: &Names) -> Vec<PerspectiveChange> {
    let cells = |ws: &Workspace| -> HashMap<(Id, Id), Perspective> {
        ws.perspectives
            .iter()
            .filter(|p| !p.is_blank())
            .map(|p| ((p.persona.clone(), p.activity.clone()), p.clone()))
            .collect()
    };
    let (ca, cb) = (cells(n.a), cells(n.b));
    let order = |ws: &Workspace| -> HashMap<Id, usize> {
        ws.activities()
            .enumerate()
            .map(|(i, (_, x))| (x.id.clone(), i))
            .collect()
    };
    let (oa, ob) = (order(n.a), order(n.b));
    let mut keys: Vec<&(Id, Id)> = ca
        .keys()
        .chain(cb.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by_cached_key(|(p, x)| {
        (
            n.persona_rank(p),
            rank(ob.get(x).copied(), oa.get(x).copied()),
            p.clone(),
            x.clone(),
        )
    });
    let mut out = Vec::new();
    for key in keys {
        let (x, y) = (ca.get(key), cb.get(key));
        let change = match (x, y) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            _ => Change::Changed,
        };
        let mut f = Vec::new();
        let blank = Perspective::default();
        let (px, py) = (x.unwrap_or(&blank), y.unwrap_or(&blank));
        // A new cell shows what was written into it; a cleared one only goes.
        if change != Change::Removed {
            value(
                &mut f,
                "importance",
                &opt_u8(px.importance),
                &opt_u8(py.importance),
            );
            value(
                &mut f,
                "satisfaction",
                &opt_u8(px.satisfaction),
                &opt_u8(py.satisfaction),
            );
            value(&mut f, "interest", &px.interest, &py.interest);
            list(&mut f, "needs", &px.needs, &py.needs);
            list(&mut f, "pains", &px.pains, &py.pains);
            if f.is_empty() && change == Change::Changed {
                continue;
            }
        }
        let score = match change {
            Change::Added => Delta::same(py.score()),
            Change::Removed => Delta::same(px.score()),
            Change::Changed => Delta::new(px.score(), py.score()),
        };
        out.push(PerspectiveChange {
            persona: key.0.clone(),
            activity: key.1.clone(),
            persona_name: n.persona(&key.0),
            activity_name: n.activity(&key.1),
            change,
            score,
            fields: f,
        });
    }
    out
}

fn evidence_item(n: &Names, e: &Evidence) -> EvidenceItem {
    let note = n.note(&e.note);
    let q = quote_text(&e.quote);
    EvidenceItem {
        note: e.note.clone(),
        quote: if q.is_empty() {
            note.map(|x| x.title.clone()).unwrap_or_default()
        } else {
            q.to_string()
        },
        date: note.map(|x| x.date),
        interviewee: note.map(|x| x.interviewee.clone()).unwrap_or_default(),
    }
}

/// An evidence quote without the capture marker (`>`, `!`, `+`, `?`) it was
/// typed with.
fn quote_text(quote: &str) -> &str {
    let t = quote.trim();
    match t.chars().next() {
        Some(c @ ('>' | '!' | '+' | '?')) => t[c.len_utf8()..].trim_start(),
        _ => t,
    }
}

fn opportunities(n: &Names) -> Vec<OpportunityChange> {
    let score_in = |ws: &Workspace, o: &Opportunity| score::opportunity_score(ws, o).display();
    let new = |o: &Opportunity, change: Change, score: String, evidence: Vec<EvidenceItem>| {
        OpportunityChange {
            id: o.id.clone(),
            change,
            title: o.title.clone(),
            score: Delta::same(score),
            status: Delta::same(o.status),
            horizon: Delta::same(o.horizon),
            fields: vec![],
            evidence_added: if change == Change::Added {
                evidence.clone()
            } else {
                vec![]
            },
            evidence_removed: if change == Change::Removed {
                evidence
            } else {
                vec![]
            },
        }
    };
    let all_evidence = |o: &Opportunity| -> Vec<EvidenceItem> {
        let mut seen = BTreeSet::new();
        o.evidence
            .iter()
            .filter(|e| seen.insert(*e))
            .map(|e| evidence_item(n, e))
            .collect()
    };
    // Listed by rank (highest score first) on the "after" side, then what
    // was removed by its rank before.
    let ranks = |ws: &Workspace| -> HashMap<Id, usize> {
        score::ranked(ws)
            .iter()
            .enumerate()
            .map(|(i, (o, _))| (o.id.clone(), i))
            .collect()
    };
    let (ra, rb) = (ranks(n.a), ranks(n.b));
    let mut out: Vec<OpportunityChange> =
        pair_by_id(&n.a.opportunities, &n.b.opportunities, |o| &o.id)
            .into_iter()
            .filter_map(|pair| match pair {
                (None, Some(y)) => Some(new(y, Change::Added, score_in(n.b, y), all_evidence(y))),
                (Some(x), None) => Some(new(x, Change::Removed, score_in(n.a, x), all_evidence(x))),
                (Some(x), Some(y)) => {
                    let mut f = Vec::new();
                    value(&mut f, "title", &x.title, &y.title);
                    value(&mut f, "kind", x.kind.label(), y.kind.label());
                    value(&mut f, "description", &x.description, &y.description);
                    links(&mut f, "activities", &x.activities, &y.activities, |id| {
                        n.activity(id)
                    });
                    links(&mut f, "personas", &x.personas, &y.personas, |id| {
                        n.persona(id)
                    });
                    let manual = |o: &Opportunity| o.manual_score.map(num).unwrap_or_default();
                    value(&mut f, "manual score", &manual(x), &manual(y));
                    let (ea, eb): (BTreeSet<&Evidence>, BTreeSet<&Evidence>) =
                        (x.evidence.iter().collect(), y.evidence.iter().collect());
                    let mut seen = BTreeSet::new();
                    let evidence_added: Vec<EvidenceItem> = y
                        .evidence
                        .iter()
                        .filter(|e| !ea.contains(e) && seen.insert(*e))
                        .map(|e| evidence_item(n, e))
                        .collect();
                    let evidence_removed: Vec<EvidenceItem> = x
                        .evidence
                        .iter()
                        .filter(|e| !eb.contains(e) && seen.insert(*e))
                        .map(|e| evidence_item(n, e))
                        .collect();
                    let c = OpportunityChange {
                        id: y.id.clone(),
                        change: Change::Changed,
                        title: y.title.clone(),
                        score: Delta::new(score_in(n.a, x), score_in(n.b, y)),
                        status: Delta::new(x.status, y.status),
                        horizon: Delta::new(x.horizon, y.horizon),
                        fields: f,
                        evidence_added,
                        evidence_removed,
                    };
                    let changed = c.score.changed()
                        || c.status.changed()
                        || c.horizon.changed()
                        || !c.fields.is_empty()
                        || !c.evidence_added.is_empty()
                        || !c.evidence_removed.is_empty();
                    changed.then_some(c)
                }
                (None, None) => None,
            })
            .collect();
    out.sort_by_key(|c| rank(rb.get(&c.id).copied(), ra.get(&c.id).copied()));
    out
}

fn notes(n: &Names) -> Vec<NoteChange> {
    let ids: BTreeSet<&Id> = n.a.notes.keys().chain(n.b.notes.keys()).collect();
    let persona_name = |p: &Option<Id>| p.as_ref().map(|p| n.persona(p)).unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        let (x, y) = (n.a.notes.get(id), n.b.notes.get(id));
        let (change, note, fields) = match (x, y) {
            (None, Some(y)) => (Change::Added, y, vec![]),
            (Some(x), None) => (Change::Removed, x, vec![]),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "title", &x.title, &y.title);
                value(&mut f, "date", &x.date.to_string(), &y.date.to_string());
                value(&mut f, "interviewee", &x.interviewee, &y.interviewee);
                if x.persona != y.persona {
                    value(
                        &mut f,
                        "persona",
                        &persona_name(&x.persona),
                        &persona_name(&y.persona),
                    );
                }
                links(&mut f, "activities", &x.activities, &y.activities, |id| {
                    n.activity(id)
                });
                list(&mut f, "tags", &x.tags, &y.tags);
                text(&mut f, "body", &x.body, &y.body);
                if f.is_empty() {
                    continue;
                }
                (Change::Changed, y, f)
            }
            (None, None) => continue,
        };
        out.push(NoteChange {
            id: id.clone(),
            change,
            date: note.date,
            title: note.title.clone(),
            interviewee: note.interviewee.clone(),
            persona: note.persona.clone(),
            persona_name: persona_name(&note.persona),
            fields,
        });
    }
    out.sort_by_cached_key(|c| {
        let persona = match (&c.change, &c.persona) {
            (Change::Added, Some(p)) => n.persona_rank(p),
            (Change::Added, None) => (3, 0),
            _ => (0, 0),
        };
        (c.change, persona, c.date, c.id.clone())
    });
    out
}

fn metrics(n: &Names) -> Vec<MetricChange> {
    let latest = |m: &Metric| m.latest().map(|o| o.value);
    let sorted = |mut v: Vec<ObservationItem>| {
        v.sort_by(|p, q| p.date.cmp(&q.date).then(p.value.total_cmp(&q.value)));
        v
    };
    let new = |m: &Metric, change: Change| {
        let all = sorted(m.observations.iter().map(ObservationItem::from).collect());
        let (observations_added, observations_removed) = match change {
            Change::Added => (all, vec![]),
            _ => (vec![], all),
        };
        MetricChange {
            id: m.id.clone(),
            change,
            name: m.name.clone(),
            unit: m.unit.clone(),
            fields: vec![],
            observations_added,
            observations_removed,
            latest: Delta::same(latest(m)),
            verdict: Delta::same(Verdict::of(m)),
        }
    };
    let opp_name = |o: &Option<Id>| o.as_ref().map(|o| n.opportunity(o)).unwrap_or_default();
    let act_name = |o: &Option<Id>| o.as_ref().map(|o| n.activity(o)).unwrap_or_default();
    pair_by_id(&n.a.metrics, &n.b.metrics, |m| &m.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => Some(new(y, Change::Added)),
            (Some(x), None) => Some(new(x, Change::Removed)),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "kind", x.kind.label(), y.kind.label());
                value(&mut f, "unit", &x.unit, &y.unit);
                value(&mut f, "description", &x.description, &y.description);
                if x.activity != y.activity {
                    value(
                        &mut f,
                        "activity",
                        &act_name(&x.activity),
                        &act_name(&y.activity),
                    );
                }
                if x.opportunity != y.opportunity {
                    value(
                        &mut f,
                        "opportunity",
                        &opp_name(&x.opportunity),
                        &opp_name(&y.opportunity),
                    );
                }
                value(
                    &mut f,
                    "baseline",
                    &opt_num(x.baseline, &x.unit),
                    &opt_num(y.baseline, &y.unit),
                );
                value(
                    &mut f,
                    "target",
                    &opt_num(x.target, &x.unit),
                    &opt_num(y.target, &y.unit),
                );
                value(
                    &mut f,
                    "direction",
                    x.direction.label(),
                    y.direction.label(),
                );
                // Observations have no id: they match when date, value and
                // comment all match (each one once).
                let mut unmatched: Vec<&Observation> = x.observations.iter().collect();
                let mut added = Vec::new();
                for o in &y.observations {
                    let same = |p: &&Observation| {
                        p.date == o.date
                            && p.value.to_bits() == o.value.to_bits()
                            && p.comment == o.comment
                    };
                    match unmatched.iter().position(same) {
                        Some(i) => {
                            unmatched.swap_remove(i);
                        }
                        None => added.push(ObservationItem::from(o)),
                    }
                }
                let c = MetricChange {
                    id: y.id.clone(),
                    change: Change::Changed,
                    name: y.name.clone(),
                    unit: y.unit.clone(),
                    fields: f,
                    observations_added: sorted(added),
                    observations_removed: sorted(
                        unmatched.into_iter().map(ObservationItem::from).collect(),
                    ),
                    latest: Delta::new(latest(x), latest(y)),
                    verdict: Delta::new(Verdict::of(x), Verdict::of(y)),
                };
                let changed = !c.fields.is_empty()
                    || !c.observations_added.is_empty()
                    || !c.observations_removed.is_empty()
                    || c.verdict.changed()
                    || c.latest.before.map(f64::to_bits) != c.latest.after.map(f64::to_bits);
                changed.then_some(c)
            }
            (None, None) => None,
        })
        .collect()
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

// ---------------------------------------------------------------- summary

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Diff {
    /// Whether the two workspaces hold the same things.
    pub fn is_empty(&self) -> bool {
        self.workspace.is_empty()
            && self.phases.is_empty()
            && self.activities.is_empty()
            && self.personas.is_empty()
            && self.perspectives.is_empty()
            && self.opportunities.is_empty()
            && self.notes.is_empty()
            && self.metrics.is_empty()
            && self.conflicts.is_empty()
    }

    /// The one-line summary ("3 notes added (2 Platform developer, 1
    /// Engineering manager) · 1 opportunity re-scored · ..."), sanitised;
    /// "No differences." when there are none.
    pub fn summary(&self) -> String {
        self.summary_with(&|s| sanitize(s).trim().to_string())
    }

    fn summary_with(&self, esc: &dyn Fn(&str) -> String) -> String {
        if self.is_empty() {
            return "No differences.".into();
        }
        const NOTE: Noun = ("note", "notes");
        const OPPORTUNITY: Noun = ("opportunity", "opportunities");
        const STATUS: Noun = ("status change", "status changes");
        const EVIDENCE: Noun = ("evidence quote", "evidence quotes");
        const METRIC: Noun = ("metric", "metrics");
        const OBSERVATION: Noun = ("observation", "observations");
        const VERDICT: Noun = ("metric verdict", "metric verdicts");
        const PERSPECTIVE: Noun = ("perspective", "perspectives");
        const CONFLICT: Noun = ("merge conflict", "merge conflicts");
        let mut parts: Vec<String> = Vec::new();
        let mut add = |n: usize, (one, many): Noun, what: &str| {
            if n > 0 {
                parts.push(
                    format!("{} {what}", plural(n, one, many))
                        .trim_end()
                        .to_string(),
                );
            }
        };
        fn count<T>(v: &[T], change: impl Fn(&T) -> Change, c: Change) -> usize {
            v.iter().filter(|x| change(x) == c).count()
        }

        // Notes first: they are what a discovery branch mostly adds.
        let added: Vec<&NoteChange> = self
            .notes
            .iter()
            .filter(|c| c.change == Change::Added)
            .collect();
        if !added.is_empty() {
            let mut groups: Vec<(String, usize)> = Vec::new();
            for c in &added {
                let name = if c.persona.is_some() {
                    esc(&c.persona_name)
                } else {
                    "without a persona".into()
                };
                match groups.last_mut() {
                    Some((g, k)) if *g == name => *k += 1,
                    _ => groups.push((name, 1)),
                }
            }
            let groups: Vec<String> = groups.iter().map(|(g, k)| format!("{k} {g}")).collect();
            add(added.len(), NOTE, &format!("added ({})", groups.join(", ")));
        }
        let note = |c: &NoteChange| c.change;
        add(count(&self.notes, note, Change::Changed), NOTE, "changed");
        add(count(&self.notes, note, Change::Removed), NOTE, "removed");

        let o = &self.opportunities;
        let opp = |c: &OpportunityChange| c.change;
        let existing: Vec<&OpportunityChange> =
            o.iter().filter(|c| c.change == Change::Changed).collect();
        add(count(o, opp, Change::Added), OPPORTUNITY, "added");
        add(count(o, opp, Change::Removed), OPPORTUNITY, "removed");
        add(
            o.iter().filter(|c| c.rescored()).count(),
            OPPORTUNITY,
            "re-scored",
        );
        let moved = o.iter().filter(|c| c.moved()).count();
        add(moved, OPPORTUNITY, "moved between horizons");
        add(
            existing.iter().filter(|c| c.status.changed()).count(),
            STATUS,
            "",
        );
        let gained = existing.iter().map(|c| c.evidence_added.len()).sum();
        add(gained, EVIDENCE, "added");
        let lost = existing.iter().map(|c| c.evidence_removed.len()).sum();
        add(lost, EVIDENCE, "removed");
        let edited = existing.iter().filter(|c| !c.fields.is_empty()).count();
        add(edited, OPPORTUNITY, "edited");

        let m = &self.metrics;
        let metric = |c: &MetricChange| c.change;
        let existing: Vec<&MetricChange> =
            m.iter().filter(|c| c.change == Change::Changed).collect();
        add(count(m, metric, Change::Added), METRIC, "added");
        add(count(m, metric, Change::Removed), METRIC, "removed");
        let observed = existing.iter().map(|c| c.observations_added.len()).sum();
        add(observed, OBSERVATION, "added");
        let unobserved = existing.iter().map(|c| c.observations_removed.len()).sum();
        add(unobserved, OBSERVATION, "removed");
        let flipped = |v: Verdict| {
            existing
                .iter()
                .filter(|c| c.verdict.changed() && c.verdict.after == v)
                .count()
        };
        add(flipped(Verdict::OnTrack), METRIC, "now on track");
        add(flipped(Verdict::OffTrack), METRIC, "now off track");
        let other = flipped(Verdict::NoTarget) + flipped(Verdict::NoData);
        add(other, VERDICT, "changed");
        let edited = existing.iter().filter(|c| !c.fields.is_empty()).count();
        add(edited, METRIC, "edited");

        let entity = |c: &EntityChange| c.change;
        for (v, noun) in [
            (&self.personas, ("persona", "personas")),
            (&self.phases, ("phase", "phases")),
            (&self.activities, ("activity", "activities")),
        ] {
            add(count(v, entity, Change::Added), noun, "added");
            add(count(v, entity, Change::Removed), noun, "removed");
            add(count(v, entity, Change::Changed), noun, "changed");
        }
        let (p, cell) = (&self.perspectives, |c: &PerspectiveChange| c.change);
        add(count(p, cell, Change::Added), PERSPECTIVE, "added");
        add(count(p, cell, Change::Changed), PERSPECTIVE, "changed");
        add(count(p, cell, Change::Removed), PERSPECTIVE, "cleared");
        let (c, conflict) = (&self.conflicts, |c: &ConflictChange| c.change);
        add(count(c, conflict, Change::Added), CONFLICT, "to resolve");
        add(count(c, conflict, Change::Removed), CONFLICT, "resolved");
        if !self.workspace.is_empty() {
            let fields: Vec<&str> = self.workspace.iter().map(FieldChange::field).collect();
            parts.push(format!("workspace {} changed", fields.join(" and ")));
        }
        parts.join(" · ")
    }
}

/// A noun, singular and plural.
type Noun = (&'static str, &'static str);

// ---------------------------------------------------------------- rendering

/// How long a value may be in a rendering before it is cut (in cells).
const VALUE_WIDTH: usize = 100;

const GREEN: &str = "32";
const RED: &str = "31";
const YELLOW: &str = "33";
const BOLD: &str = "1";
const DIM: &str = "2";

/// Where a rendering is written: plain text (optionally coloured) or Markdown.
struct Out {
    md: bool,
    color: bool,
    s: String,
}

impl Out {
    /// User text made safe for the output.
    fn esc(&self, s: &str) -> String {
        if self.md {
            md_inline(s)
        } else {
            sanitize(s).trim().to_string()
        }
    }

    /// A value: cut to a readable length, quoted when it is text, "(none)"
    /// when empty.
    fn val(&self, s: &str, quoted: bool) -> String {
        let t = truncate(sanitize(s).trim(), VALUE_WIDTH);
        if t.is_empty() {
            "(none)".into()
        } else if quoted {
            format!("\"{}\"", self.esc(&t))
        } else {
            self.esc(&t)
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn section(&mut self, title: &str) {
        if self.md {
            let _ = write!(self.s, "\n### {title}\n\n");
        } else {
            let t = self.paint(BOLD, title);
            let _ = write!(self.s, "\n{t}\n");
        }
    }

    /// One entity: what happened to it and its line. `context` is shown in
    /// parentheses (dimmed in colour).
    fn entry(&mut self, change: Change, line: &str, context: &str) {
        let ctx = if context.is_empty() {
            String::new()
        } else if self.md {
            format!(" ({context})")
        } else {
            format!(" {}", self.paint(DIM, &format!("({context})")))
        };
        if self.md {
            let word = match change {
                Change::Added => "added",
                Change::Changed => "changed",
                Change::Removed => "removed",
            };
            let _ = writeln!(self.s, "- **{word}** {line}{ctx}");
        } else {
            let (mark, code) = mark(change);
            let head = self.paint(code, &format!("{mark} {line}"));
            let _ = writeln!(self.s, "  {head}{ctx}");
        }
    }

    /// A detail under an entity.
    fn detail(&mut self, line: &str) {
        if self.md {
            let _ = writeln!(self.s, "  - {line}");
        } else {
            let _ = writeln!(self.s, "      {line}");
        }
    }

    /// A detail that was added to or removed from an entity ("+ jobs: ...").
    fn detail_mark(&mut self, change: Change, what: &str, line: &str) {
        if self.md {
            let word = match change {
                Change::Added => "added",
                Change::Changed => "changed",
                Change::Removed => "removed",
            };
            let _ = writeln!(self.s, "  - {what} {word}: {line}");
        } else {
            let (mark, code) = mark(change);
            let m = self.paint(code, mark);
            let _ = writeln!(self.s, "      {m} {what}: {line}");
        }
    }

    /// The changed fields of an entity; for a `new` one, values are shown
    /// without the empty "before".
    fn fields(&mut self, fields: &[FieldChange], new: bool) {
        for f in fields {
            match f {
                FieldChange::Value {
                    field,
                    before,
                    after,
                } => {
                    let q = is_text(field);
                    let line = if new {
                        format!("{field}: {}", self.val(after, q))
                    } else {
                        format!("{field}: {} → {}", self.val(before, q), self.val(after, q))
                    };
                    self.detail(&line);
                }
                FieldChange::List {
                    field,
                    added,
                    removed,
                } => {
                    for x in added {
                        let v = self.val(x, true);
                        self.detail_mark(Change::Added, field, &v);
                    }
                    for x in removed {
                        let v = self.val(x, true);
                        self.detail_mark(Change::Removed, field, &v);
                    }
                }
                FieldChange::Text {
                    field,
                    added,
                    removed,
                } => {
                    let line = if *added == 0 && *removed == 0 {
                        format!("{field}: edited")
                    } else {
                        format!(
                            "{field}: {} added, {} removed",
                            plural(*added, "line", "lines"),
                            removed
                        )
                    };
                    self.detail(&line);
                }
            }
        }
    }

    fn evidence(&mut self, change: Change, e: &EvidenceItem) {
        let mut line = self.val(&e.quote, true);
        let who = [
            self.esc(&e.interviewee),
            e.date.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        if !who.is_empty() {
            let _ = write!(line, " ({who})");
        }
        self.detail_mark(change, "evidence", &line);
    }
}

fn mark(change: Change) -> (&'static str, &'static str) {
    match change {
        Change::Added => ("+", GREEN),
        Change::Changed => ("~", YELLOW),
        Change::Removed => ("-", RED),
    }
}

/// Fields whose values are free text, shown in quotes.
fn is_text(field: &str) -> bool {
    matches!(
        field,
        "name" | "title" | "description" | "interest" | "interviewee" | "unit"
    )
}

/// One line of user text, safe anywhere in a Markdown document: control
/// characters and line breaks removed, Markdown punctuation backslash-escaped,
/// so that no name, note or quote can open a heading, a link or raw HTML.
fn md_inline(s: &str) -> String {
    let s = sanitize(s);
    let s = s.trim();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' | '!' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut rest = out[digits..].chars();
    if digits > 0
        && matches!(rest.next(), Some('.' | ')'))
        && rest.next().is_none_or(char::is_whitespace)
    {
        out.insert(digits, '\\');
    }
    out
}

/// The diff as plain text: the summary line, then a section per kind of
/// entity, with `+` added, `-` removed and `~` changed. With `color`, ANSI
/// colours are added (the markers keep the meaning without them).
pub fn render_text(d: &Diff, color: bool) -> String {
    let mut o = Out {
        md: false,
        color,
        s: String::new(),
    };
    render(&mut o, d);
    o.s
}

/// The diff as Markdown for a pull-request description: the summary line,
/// then a `###` section per kind of entity with bullet lists. User text is
/// escaped; there is no raw HTML.
pub fn render_md(d: &Diff) -> String {
    let mut o = Out {
        md: true,
        color: false,
        s: String::new(),
    };
    render(&mut o, d);
    o.s
}

fn render(o: &mut Out, d: &Diff) {
    let esc = |s: &str| o.esc(s);
    let summary = d.summary_with(&esc);
    o.s.push_str(&summary);
    o.s.push('\n');
    if d.is_empty() {
        return;
    }
    if !d.workspace.is_empty() {
        o.section("Workspace");
        o.fields(&d.workspace, false);
    }
    for (title, items) in [
        ("Phases", &d.phases),
        ("Activities", &d.activities),
        ("Personas", &d.personas),
    ] {
        if items.is_empty() {
            continue;
        }
        o.section(title);
        for c in items {
            let name = o.esc(&c.name);
            let ctx = o.esc(&c.context);
            o.entry(c.change, &name, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
        }
    }
    if !d.perspectives.is_empty() {
        o.section("Perspectives");
        for c in &d.perspectives {
            let line = format!("{} × {}", o.esc(&c.persona_name), o.esc(&c.activity_name));
            let score = |s: Option<u8>| s.map_or("–".to_string(), |s| s.to_string());
            let ctx = if c.score.changed() {
                format!("score {} → {}", score(c.score.before), score(c.score.after))
            } else if let Some(s) = c.score.after {
                format!("score {s}")
            } else {
                String::new()
            };
            o.entry(c.change, &line, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
        }
    }
    if !d.opportunities.is_empty() {
        o.section("Opportunities");
        for c in &d.opportunities {
            let title = o.esc(&c.title);
            let ctx = match c.change {
                Change::Changed if c.score.changed() => {
                    format!("score {} → {}", c.score.before, c.score.after)
                }
                Change::Changed => format!("score {}", c.score.after),
                _ => format!(
                    "{} · {} · score {}",
                    c.status.after.label(),
                    c.horizon
                        .after
                        .map_or("no horizon", |h| horizon_name(Some(h))),
                    c.score.after
                ),
            };
            o.entry(c.change, &title, &ctx);
            if c.change == Change::Changed {
                if c.status.changed() {
                    let line = format!(
                        "status: {} → {}",
                        c.status.before.label(),
                        c.status.after.label()
                    );
                    o.detail(&line);
                }
                if c.horizon.changed() {
                    let line = format!(
                        "horizon: {} → {}",
                        horizon_name(c.horizon.before),
                        horizon_name(c.horizon.after)
                    );
                    o.detail(&line);
                }
            }
            o.fields(&c.fields, c.change == Change::Added);
            if c.change != Change::Removed {
                for e in &c.evidence_added {
                    o.evidence(Change::Added, e);
                }
            }
            if c.change == Change::Changed {
                for e in &c.evidence_removed {
                    o.evidence(Change::Removed, e);
                }
            }
        }
    }
    if !d.notes.is_empty() {
        o.section("Notes");
        render_notes(o, &d.notes);
    }
    if !d.metrics.is_empty() {
        o.section("Metrics");
        for c in &d.metrics {
            render_metric(o, c);
        }
    }
    if !d.conflicts.is_empty() {
        o.section("Merge conflicts");
        for c in &d.conflicts {
            let line = format!("{}: {}", o.esc(&c.about), o.esc(&c.field));
            let ctx = if c.change == Change::Removed {
                "resolved"
            } else {
                "to resolve"
            };
            o.entry(c.change, &line, ctx);
        }
    }
}

fn note_line(o: &Out, c: &NoteChange, with_persona: bool) -> String {
    let mut line = format!("{} {}", c.date, o.val(&c.title, true));
    let who: Vec<String> = [
        o.esc(&c.interviewee),
        if with_persona {
            o.esc(&c.persona_name)
        } else {
            String::new()
        },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    if !who.is_empty() {
        let _ = write!(line, " ({})", who.join(", "));
    }
    line
}

fn render_notes(o: &mut Out, notes: &[NoteChange]) {
    let mut i = 0;
    while i < notes.len() {
        let c = &notes[i];
        if c.change == Change::Added {
            // New notes, a group per persona.
            let group: Vec<&NoteChange> = notes[i..]
                .iter()
                .take_while(|x| x.change == Change::Added && x.persona == c.persona)
                .collect();
            let who = if c.persona.is_some() {
                o.esc(&c.persona_name)
            } else {
                "Without a persona".into()
            };
            let line = format!("{who}: {}", plural(group.len(), "new note", "new notes"));
            o.entry(Change::Added, &line, "");
            for x in &group {
                let l = note_line(o, x, false);
                o.detail(&l);
            }
            i += group.len();
            continue;
        }
        let line = note_line(o, c, true);
        o.entry(c.change, &line, "");
        o.fields(&c.fields, c.change == Change::Added);
        i += 1;
    }
}

fn render_metric(o: &mut Out, c: &MetricChange) {
    let name = o.esc(&c.name);
    let value = |o: &Out, v: f64| o.esc(&with_unit(v, &c.unit));
    match c.change {
        Change::Added | Change::Removed => {
            let mut ctx = vec![plural(
                c.observations_added.len() + c.observations_removed.len(),
                "observation",
                "observations",
            )];
            if let Some(v) = c.latest.after {
                ctx.push(format!("latest {}", value(o, v)));
            }
            ctx.push(c.verdict.after.label().to_string());
            o.entry(c.change, &name, &ctx.join(", "));
        }
        Change::Changed => {
            let ctx = if c.verdict.changed() {
                format!("{} → {}", c.verdict.before.label(), c.verdict.after.label())
            } else {
                c.verdict.after.label().to_string()
            };
            o.entry(c.change, &name, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
            let obs = |o: &Out, x: &ObservationItem| {
                let mut l = value(o, x.value);
                if !x.comment.trim().is_empty() {
                    let _ = write!(l, " ({})", o.val(&x.comment, false));
                }
                (format!("observation {}", x.date), l)
            };
            for x in &c.observations_added {
                let (what, l) = obs(o, x);
                o.detail_mark(Change::Added, &what, &l);
            }
            for x in &c.observations_removed {
                let (what, l) = obs(o, x);
                o.detail_mark(Change::Removed, &what, &l);
            }
            let show = |v: Option<f64>| v.map_or("(none)".to_string(), |v| value(o, v));
            if c.latest.before.map(f64::to_bits) != c.latest.after.map(f64::to_bits) {
                let line = format!(
                    "latest: {} → {}",
                    show(c.latest.before),
                    show(c.latest.after)
                );
                o.detail(&line);
            }
        }
    }
}

// ---------------------------------------------------------------- textconv

/// Which file of a workspace a RON file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Workspace,
    Opportunities,
    Metrics,
    Note,
}

impl FileKind {
    /// The kind a file's name suggests. git hands textconv a temporary copy
    /// named `XXXXXX_<name>`, so only the end of the name is compared.
    pub fn from_name(name: &str) -> Option<FileKind> {
        let base = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if base.ends_with(crate::store::WORKSPACE_FILE) {
            Some(FileKind::Workspace)
        } else if base.ends_with(crate::store::OPPORTUNITIES_FILE) {
            Some(FileKind::Opportunities)
        } else if base.ends_with(crate::store::METRICS_FILE) {
            Some(FileKind::Metrics)
        } else if base.ends_with(".ron") {
            Some(FileKind::Note)
        } else {
            None
        }
    }
}

/// A stable, readable rendering of one RON file of a workspace (its kind
/// found from its name, else from its content), one fact per line so that a
/// line diff of two renderings reads as a list of changes. A file that
/// cannot be read this way is returned as it is (sanitised) after a line
/// saying why, so that `git diff` still shows something. Every line is sanitised.
pub fn render_file(name: &str, bytes: &[u8]) -> String {
    let path = Path::new(name);
    let text = match format::decode(path, bytes) {
        Ok(t) => t,
        Err(e) => {
            return format!(
                "(valuemap cannot read this file: {})\n{}",
                sanitize(&e.message),
                sanitize_multiline(&String::from_utf8_lossy(bytes))
            );
        }
    };
    let hint = FileKind::from_name(name);
    let mut order = vec![
        FileKind::Workspace,
        FileKind::Opportunities,
        FileKind::Metrics,
        FileKind::Note,
    ];
    if let Some(h) = hint {
        order.retain(|k| *k != h);
        order.insert(0, h);
    }
    let mut first_error = None;
    for kind in order {
        match render_kind(kind, path, &text) {
            Ok(s) => return s,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let mut raw = sanitize_multiline(&text);
    if !raw.ends_with('\n') {
        raw.push('\n');
    }
    format!(
        "(valuemap cannot read this file: {})\n{raw}",
        sanitize(&first_error.unwrap_or_default())
    )
}

fn render_kind(kind: FileKind, path: &Path, text: &str) -> Result<String, String> {
    let mut w = FileWriter::default();
    match kind {
        FileKind::Workspace => {
            let (file, version) =
                match format::parse_workspace(path, text).map_err(|e| e.message)? {
                    Ok(x) => x,
                    Err(newer) => {
                        return Err(format!(
                            "format version {} is newer than this valuemap understands",
                            newer.found
                        ));
                    }
                };
            let ws = Workspace {
                name: file.name,
                description: file.description,
                phases: file.phases,
                personas: file.personas,
                perspectives: file.perspectives,
                conflicts: file.conflicts,
                ..Default::default()
            };
            let version = match version {
                format::Version::Current => format::FORMAT_VERSION,
                format::Version::Old(v) => v,
            };
            w.workspace(&ws, version);
        }
        FileKind::Opportunities => {
            let f: format::OpportunitiesFile = format::parse(path, text).map_err(|e| e.message)?;
            for o in &f.opportunities {
                w.opportunity(o);
            }
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Metrics => {
            let f: format::MetricsFile = format::parse(path, text).map_err(|e| e.message)?;
            for m in &f.metrics {
                w.metric(m);
            }
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Note => {
            let f: format::NoteFile = format::parse(path, text).map_err(|e| e.message)?;
            let (note, conflicts) = f.split();
            w.note(&note);
            w.conflicts(&Workspace::default(), &conflicts);
        }
    }
    Ok(w.s)
}

/// ` (text)`, or nothing for empty text.
fn paren(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        String::new()
    } else {
        format!("({t})")
    }
}

/// Builds a textconv rendering line by line, sanitising every value.
#[derive(Default)]
struct FileWriter {
    s: String,
}

impl FileWriter {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.s, "{}{}", "  ".repeat(indent), text);
    }

    /// `key: value`, left out when the value is empty.
    fn field(&mut self, indent: usize, key: &str, value: &str) {
        let v = sanitize(value);
        let v = v.trim();
        if !v.is_empty() {
            self.line(indent, &format!("{key}: {v}"));
        }
    }

    fn blank(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with("\n\n") {
            self.s.push('\n');
        }
    }

    fn workspace(&mut self, ws: &Workspace, version: u32) {
        self.field(0, "workspace", &ws.name);
        self.field(0, "description", &ws.description);
        self.line(0, &format!("format version: {version}"));
        for p in &ws.phases {
            self.blank();
            self.line(
                0,
                &format!("phase {} [{}]", sanitize(&p.name), sanitize(p.id.as_str())),
            );
            self.field(1, "description", &p.description);
            for a in &p.activities {
                self.line(
                    1,
                    &format!(
                        "activity {} [{}]",
                        sanitize(&a.name),
                        sanitize(a.id.as_str())
                    ),
                );
                self.field(2, "description", &a.description);
            }
        }
        for p in &ws.personas {
            self.blank();
            self.line(
                0,
                &format!(
                    "persona {} [{}]",
                    sanitize(&p.name),
                    sanitize(p.id.as_str())
                ),
            );
            self.field(1, "role", p.role.label());
            self.field(1, "description", &p.description);
            for j in &p.jobs {
                self.field(1, "job", j);
            }
            for t in &p.tags {
                self.field(1, "tag", t);
            }
        }
        for x in &ws.perspectives {
            self.blank();
            let name = |found: Option<&str>, id: &Id| {
                found.map_or_else(|| format!("{id} (missing)"), str::to_string)
            };
            let persona = name(ws.persona(&x.persona).map(|p| p.name.as_str()), &x.persona);
            let activity = name(
                ws.activity(&x.activity).map(|a| a.name.as_str()),
                &x.activity,
            );
            self.line(
                0,
                &format!(
                    "perspective {} × {} [{} × {}]",
                    sanitize(&persona),
                    sanitize(&activity),
                    sanitize(x.persona.as_str()),
                    sanitize(x.activity.as_str())
                ),
            );
            self.field(1, "importance", &opt_u8(x.importance));
            self.field(1, "satisfaction", &opt_u8(x.satisfaction));
            self.field(1, "score", &opt_u8(x.score()));
            self.field(1, "interest", &x.interest);
            for n in &x.needs {
                self.field(1, "need", n);
            }
            for p in &x.pains {
                self.field(1, "pain", p);
            }
        }
        self.conflicts(ws, &ws.conflicts);
    }

    fn opportunity(&mut self, o: &Opportunity) {
        self.blank();
        self.line(
            0,
            &format!(
                "opportunity {} [{}]",
                sanitize(&o.title),
                sanitize(o.id.as_str())
            ),
        );
        self.field(1, "kind", o.kind.label());
        self.field(1, "status", o.status.label());
        if o.horizon.is_some() {
            self.field(1, "horizon", horizon_name(o.horizon));
        }
        if let Some(s) = o.manual_score {
            self.field(1, "manual score", &num(s));
        }
        self.field(1, "description", &o.description);
        for a in &o.activities {
            self.field(1, "activity", a.as_str());
        }
        for p in &o.personas {
            self.field(1, "persona", p.as_str());
        }
        for e in &o.evidence {
            let q = quote_text(&e.quote);
            let quote = if q.is_empty() {
                "(the whole note)".to_string()
            } else {
                format!("\"{q}\"")
            };
            self.field(
                1,
                &format!("evidence {}", sanitize(e.note.as_str())),
                &quote,
            );
        }
    }

    fn metric(&mut self, m: &Metric) {
        self.blank();
        self.line(
            0,
            &format!("metric {} [{}]", sanitize(&m.name), sanitize(m.id.as_str())),
        );
        self.field(1, "kind", m.kind.label());
        self.field(1, "unit", &m.unit);
        self.field(1, "description", &m.description);
        if let Some(a) = &m.activity {
            self.field(1, "activity", a.as_str());
        }
        if let Some(o) = &m.opportunity {
            self.field(1, "opportunity", o.as_str());
        }
        self.field(1, "baseline", &opt_num(m.baseline, &m.unit));
        self.field(1, "target", &opt_num(m.target, &m.unit));
        self.field(1, "direction", m.direction.label());
        let mut obs: Vec<&Observation> = m.observations.iter().collect();
        obs.sort_by_key(|o| o.date);
        for o in obs {
            self.field(
                1,
                &format!("observation {}", o.date),
                &format!("{} {}", with_unit(o.value, &m.unit), paren(&o.comment)),
            );
        }
        if let Some(l) = m.latest() {
            let v = format!(
                "{} ({})",
                with_unit(l.value, &m.unit),
                Verdict::of(m).label()
            );
            self.field(1, "latest", &v);
        }
    }

    fn note(&mut self, n: &Note) {
        self.line(0, &format!("note {} [{}]", n.date, sanitize(n.id.as_str())));
        self.field(1, "title", &n.title);
        self.field(1, "interviewee", &n.interviewee);
        if let Some(p) = &n.persona {
            self.field(1, "persona", p.as_str());
        }
        for a in &n.activities {
            self.field(1, "activity", a.as_str());
        }
        for t in &n.tags {
            self.field(1, "tag", t);
        }
        if !n.body.trim().is_empty() {
            self.line(1, "body:");
            for l in sanitize_multiline(&n.body).lines() {
                self.line(0, format!("    {}", l.trim_end()).trim_end());
            }
        }
    }

    fn conflicts(&mut self, ws: &Workspace, conflicts: &[Conflict]) {
        let mut v: Vec<&Conflict> = conflicts.iter().collect();
        v.sort();
        for c in v {
            self.blank();
            self.line(
                0,
                &format!(
                    "conflict on {}: {}",
                    sanitize(&ws.describe(&c.target.entity())),
                    sanitize(&c.field)
                ),
            );
            self.field(1, "kept", &c.ours);
            self.field(1, "other branch", &c.theirs);
        }
    }
}
