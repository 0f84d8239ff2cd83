//! The semantic diff of two versions of a workspace: what changed in
//! discovery terms, for a pull request or a look before committing.
//!
//! [`diff`] matches every entity by its id, never by its position: a rename is
//! a change, a reorder is nothing, and an entity is added or removed only when
//! its id appears or disappears. Opportunities are re-scored on each side
//! ([`crate::model::score::opportunity_score`]), metrics get their verdict on each side,
//! outcomes, solutions and assumption tests are compared field by field (a
//! solution shipped, a test passed), and new evidence and notes carry the
//! interview's date and interviewee.
//!
//! [`render_text`] and [`render_md`] turn a [`Diff`] into a summary line and
//! one section per kind of entity, in a deterministic order. Every piece of
//! text from the workspace is sanitised (no control characters, so no escape
//! sequences) and, in Markdown, escaped so that it can open no link, heading or
//! raw HTML.
//!
//! [`render_file`] is the other half of git support: a stable, readable
//! rendering of one RON file of a workspace, for git's `textconv`.
//!
//! The folder is split by job: this file holds the [`Diff`] and its parts;
//! `compute/` compares two workspaces (one file per kind of entity),
//! `summary.rs` makes the one-line summary, `render.rs` the text and Markdown
//! renderings, and `textconv.rs` the rendering of a single file.

mod compute;
mod render;
mod summary;
mod textconv;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Horizon, Id, Kind, Metric, Observation, Status};

pub use compute::{diff, horizon_name};
pub use render::{render_md, render_text};
pub use textconv::render_file;

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
    /// Other fields: title, kind, description, activities, personas, manual
    /// score, delivery date, outcome, parent, value, effort.
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

/// A theme (a `#tag` across the workspace's notes) that appeared, went, or
/// is carried by another number of notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TagChange {
    /// The tag in lower case: what identifies the theme.
    pub key: String,
    /// The tag as most notes spell it (the old spelling when it is gone).
    pub tag: String,
    /// Added: a new tag; removed: no note carries it any more; changed:
    /// it grew or shrank (or its notes moved between roles).
    pub change: Change,
    /// How many notes carry it on each side (0 where it is absent).
    pub notes: Delta<usize>,
    /// Its notes by the role of their persona on each side: customer,
    /// consumer, end user, no persona.
    pub roles: Delta<[usize; 4]>,
}

impl TagChange {
    /// Whether more notes carry an existing tag than before.
    pub fn grew(&self) -> bool {
        self.change == Change::Changed && self.notes.after > self.notes.before
    }

    /// Whether fewer notes carry an existing tag than before.
    pub fn shrank(&self) -> bool {
        self.change == Change::Changed && self.notes.after < self.notes.before
    }
}

/// What happened to a question (a `? ...` line of a note).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionEvent {
    /// Newly asked, and open.
    Opened,
    /// Marked answered (newly asked or open before).
    Answered,
    /// Answered before, open again.
    Reopened,
    /// Answered on both sides, differently (another date or line).
    Reanswered,
}

impl QuestionEvent {
    pub fn label(self) -> &'static str {
        match self {
            QuestionEvent::Opened => "opened",
            QuestionEvent::Answered => "answered",
            QuestionEvent::Reopened => "opened again",
            QuestionEvent::Reanswered => "answer changed",
        }
    }
}

/// A question that was opened, answered or opened again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionChange {
    /// The note that asks it.
    pub note: Id,
    pub event: QuestionEvent,
    /// Its words, without the `?` marker.
    pub question: String,
    /// The line as the note has it (what identifies the question).
    pub line: String,
    /// The note's date, title, interviewee and persona.
    pub date: NaiveDate,
    pub note_title: String,
    pub interviewee: String,
    pub persona_name: String,
    /// When it was marked answered, on the "after" side.
    pub answered: Option<NaiveDate>,
    /// The line that answers it (empty: none named), and whose note it is.
    pub by: String,
    pub by_interviewee: String,
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

/// An outcome, a solution or an assumption test that was added, removed or
/// changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub kind: Kind,
    pub id: Id,
    pub change: Change,
    /// Its name, title or assumption (the old one when it was removed).
    pub title: String,
    /// Where it sits: the opportunity a solution addresses, the solution an
    /// assumption test is about (empty for an outcome).
    pub context: String,
    /// A solution's status or a test's result, as a word (`shipped`,
    /// `passed`), on each side; empty for an outcome.
    pub status: Delta<String>,
    /// Every other field that changed (all that are set, for an added item).
    pub fields: Vec<FieldChange>,
    /// Evidence an assumption test gained (all of it, when added).
    pub evidence_added: Vec<EvidenceItem>,
    pub evidence_removed: Vec<EvidenceItem>,
}

impl ItemChange {
    /// Whether an existing item's status or result became `word`.
    pub fn became(&self, word: &str) -> bool {
        self.change == Change::Changed && self.status.changed() && self.status.after == word
    }
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
    /// Themes whose count of notes changed: the "after" side's order (most
    /// heard first), then the tags that are gone.
    pub tags: Vec<TagChange>,
    /// Questions opened, answered or opened again, newest note first.
    pub questions: Vec<QuestionChange>,
    pub metrics: Vec<MetricChange>,
    /// Outcomes, solutions and assumption tests, each list in title order
    /// on the "after" side, then what was removed.
    pub outcomes: Vec<ItemChange>,
    pub solutions: Vec<ItemChange>,
    pub tests: Vec<ItemChange>,
    /// Layers and nodes of the needs map, as the items above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs_layers: Vec<ItemChange>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs_nodes: Vec<ItemChange>,
    /// Consumer teams by name, and adoption records by team and target.
    pub teams: Vec<ItemChange>,
    pub adoption: Vec<ItemChange>,
    pub conflicts: Vec<ConflictChange>,
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
            && self.tags.is_empty()
            && self.questions.is_empty()
            && self.metrics.is_empty()
            && self.outcomes.is_empty()
            && self.solutions.is_empty()
            && self.tests.is_empty()
            && self.needs_layers.is_empty()
            && self.needs_nodes.is_empty()
            && self.teams.is_empty()
            && self.adoption.is_empty()
            && self.conflicts.is_empty()
    }
}
