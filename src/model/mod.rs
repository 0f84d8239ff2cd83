//! The Customer Journey Value Map: the workspace and everything in it.
//!
//! This module knows nothing of files or terminals. Every entity has a stable
//! [`Id`]; links between entities are by id, never by position or name.

pub mod adoption;
pub mod change;
pub mod coverage;
pub mod derive;
pub mod discovery;
pub mod edit;
pub mod history;
mod id;
pub mod needs;
pub mod ratings;
pub mod score;
pub mod settle;
pub mod validate;
pub mod validation;

use std::fmt;

/// A hash map for keys the workspace's own files give (ids, file keys):
/// foldhash instead of SipHash, as the maps a load fills with one entry per
/// file are on its critical path.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use chrono::NaiveDate;
pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};
pub use thin_vec::{ThinVec, thin_vec};

pub use adoption::{Adoption, AdoptionRate, AdoptionState, Target, Team};
pub use discovery::{
    AssumptionKind, AssumptionTest, Item, Items, Kind, Outcome, Solution, SolutionStatus, Verdict,
};
pub use id::{ID_LEN, Id};
pub use needs::{NeedsLayer, NeedsNode};

/// One product's discovery space.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    pub name: String,
    pub description: String,
    /// Lifecycle phases in order; each holds its activities in order.
    pub phases: Vec<Phase>,
    /// Personas in display order (the rows of the map).
    pub personas: Vec<Persona>,
    /// The cells of the grid that have been filled in, kept sorted by
    /// `(persona, activity)`; an absent cell is "not yet understood".
    pub perspectives: Vec<Perspective>,
    /// Interview notes by id.
    pub notes: std::collections::BTreeMap<Id, Box<Note>>,
    /// Opportunities, by id as in their file (views rank them by score).
    pub opportunities: Vec<Opportunity>,
    /// Metrics, by name.
    pub metrics: Vec<Metric>,
    /// Outcomes, solutions and assumption tests (one file each).
    pub items: Items,
    /// Unresolved merge conflicts (see [`Conflict`]).
    pub conflicts: Vec<Conflict>,
}

/// A lifecycle phase, such as Creation, Operation or Cleanup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub activities: Vec<Activity>,
}

/// Something a user does in a phase, such as "Create a cluster".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Who a persona is to the product.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Role {
    /// Decides and pays (e.g. an engineering manager).
    Customer,
    /// Uses the product (e.g. a platform or application developer).
    #[default]
    Consumer,
    /// The organisation's own customers, served indirectly.
    EndUser,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Customer, Role::Consumer, Role::EndUser];

    /// The name used on the command line and in the palette.
    pub fn slug(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Consumer => "consumer",
            Role::EndUser => "end-user",
        }
    }

    pub fn from_slug(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Role::ALL
            .into_iter()
            .find(|r| r.slug() == s || (s == "enduser" && *r == Role::EndUser))
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Consumer => "consumer",
            Role::EndUser => "end user",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who looks at the product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: Id,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Jobs-to-be-done, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// One persona's view of one activity: a cell of the grid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Perspective {
    pub persona: Id,
    pub activity: Id,
    /// What this persona is interested in, or wants to achieve, in this activity.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interest: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pains: Vec<String>,
    /// How much the activity matters to the persona, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<u8>,
    /// How well the product serves the persona in it today, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
}

impl Perspective {
    pub fn new(persona: Id, activity: Id) -> Self {
        Perspective {
            persona,
            activity,
            ..Default::default()
        }
    }

    /// Whether nothing has been written into the cell.
    pub fn is_blank(&self) -> bool {
        self.interest.trim().is_empty()
            && self.needs.is_empty()
            && self.pains.is_empty()
            && self.importance.is_none()
            && self.satisfaction.is_none()
    }

    /// The outcome-driven score of this cell, when both ratings are known.
    pub fn score(&self) -> Option<u8> {
        score::cell_score(self.importance?, self.satisfaction?)
    }
}

/// What was heard from a real person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: Id,
    pub date: NaiveDate,
    /// An alias for the person interviewed (never required to be a real name).
    #[serde(default, skip_serializing_if = "CompactString::is_empty")]
    pub interviewee: CompactString,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Id>,
    pub title: String,
    /// The note in the capture line syntax (`> quote`, `! pain`, `+ need`, ...).
    #[serde(default)]
    pub body: String,
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub tags: ThinVec<String>,
    /// Lines whose suggested opportunity was dismissed, and `~ID line` for a
    /// line whose offer as evidence for assumption test ID was: not offered
    /// again until the line itself changes.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub dismissed: ThinVec<String>,
    /// When the note was captured (local time): notes of one day sort by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<chrono::NaiveDateTime>,
    /// Its questions (`? ...` lines) marked answered, one each, sorted by
    /// the question's line.
    #[serde(default, skip_serializing_if = "ThinVec::is_empty")]
    pub answered: ThinVec<Answer>,
}

/// A question of a note (a `? ...` line) marked answered.
///
/// Kept in the question's own note file, by the question's line (as
/// evidence keeps the line it cites), so it travels with the note; editing
/// a question's words in the capture editor carries its answer over.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question's line, as the note has it (`? ...`, trimmed).
    pub question: String,
    /// When it was marked answered.
    pub date: NaiveDate,
    /// The line of a later note that answers it, if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Evidence>,
}

/// What counting a note needs from its text, worked out in one pass over
/// it (where the note is read, while the text is at hand).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoteFacts {
    /// Its questions not yet answered ([`Note::open_questions`]).
    pub open_questions: u32,
    /// Whether it has rating lines ([`ratings::has_rating`]).
    pub rated: bool,
}

impl NoteFacts {
    pub fn of(n: &Note) -> NoteFacts {
        let mut f = NoteFacts::default();
        let body = n.body.as_str();
        let b = body.as_bytes();
        // Only lines whose first non-blank character is the rating marker
        // or `?` matter: jump from one of those characters to the next
        // rather than walking every line.
        let mut at = 0;
        while let Some(i) = memchr::memchr2(ratings::MARKER as u8, b'?', &b[at..]) {
            let i = at + i;
            let start = memchr::memrchr(b'\n', &b[..i]).map_or(0, |n| n + 1);
            let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            // Its line's first character, unless something comes before it.
            if body[start..i].trim_start().is_empty() {
                let t = &body[i..end];
                if b[i] == ratings::MARKER as u8 {
                    f.rated = true;
                } else if is_question(t) && n.answer(t.trim_end()).is_none() {
                    f.open_questions = f.open_questions.saturating_add(1);
                }
            }
            // The rest of the line cannot start another.
            at = end;
        }
        f
    }
}

/// Whether a line of a note body is a question (`? ...` with words).
pub fn is_question(line: &str) -> bool {
    line.trim()
        .strip_prefix('?')
        .is_some_and(|rest| !rest.trim().is_empty())
}

impl Note {
    /// Gives back memory the parser reserved but the text does not use (a
    /// parsed string's buffer can be twice its length).
    pub fn shrink(&mut self) {
        self.interviewee.shrink_to_fit();
        self.title.shrink_to_fit();
        self.body.shrink_to_fit();
        self.activities.shrink_to_fit();
        for t in &mut self.tags {
            t.shrink_to_fit();
        }
        self.tags.shrink_to_fit();
    }

    /// The body's question lines (`? ...`), trimmed, marker included (the
    /// key of their [`Answer`]).
    pub fn questions(&self) -> impl Iterator<Item = &str> {
        self.body
            .split('\n')
            .filter(|l| is_question(l))
            .map(str::trim)
    }

    /// The answer to a question of the note (its trimmed line).
    pub fn answer(&self, question: &str) -> Option<&Answer> {
        self.answered
            .binary_search_by(|a| a.question.as_str().cmp(question))
            .ok()
            .map(|i| &self.answered[i])
            .or_else(|| self.answered.iter().find(|a| a.question == question))
    }

    /// How many of its questions are not answered.
    pub fn open_questions(&self) -> usize {
        self.questions()
            .filter(|q| self.answer(q).is_none())
            .count()
    }

    /// Puts the answers in their canonical order: by question, one each.
    pub fn sort_answers(&mut self) {
        self.answered.sort();
        self.answered.dedup_by(|a, b| a.question == b.question);
    }

    /// The answers of this note (as it was) carried over to an edited
    /// body: an answer stays with its question while the line is there;
    /// a question whose words changed keeps its answer when it sits where
    /// the old one sat among the questions (the same place, a new line).
    /// Answers of questions that are gone go with them.
    pub fn carry_answers(&self, body: &str) -> Vec<Answer> {
        let old: Vec<&str> = self.questions().collect();
        let new: Vec<&str> = body
            .split('\n')
            .filter(|l| is_question(l))
            .map(str::trim)
            .collect();
        let mut out = Vec::new();
        for a in &self.answered {
            if new.contains(&a.question.as_str()) {
                out.push(a.clone());
            } else if let Some(i) = old.iter().position(|q| *q == a.question)
                && let Some(q) = new.get(i)
                && !old.contains(q)
            {
                out.push(Answer {
                    question: q.to_string(),
                    ..a.clone()
                });
            }
        }
        out.sort();
        out.dedup_by(|a, b| a.question == b.question);
        out
    }

    /// The body's quote lines (`> ...`), without the marker.
    pub fn quotes(&self) -> impl Iterator<Item = &str> {
        self.body.lines().filter_map(|l| {
            let t = l.trim_start();
            t.strip_prefix('>').map(str::trim)
        })
    }
}

/// What kind of value an opportunity is about.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum OpportunityKind {
    #[default]
    Need,
    Pain,
    Gain,
}

impl OpportunityKind {
    pub const ALL: [OpportunityKind; 3] = [Self::Need, Self::Pain, Self::Gain];
    pub fn label(self) -> &'static str {
        match self {
            Self::Need => "need",
            Self::Pain => "pain",
            Self::Gain => "gain",
        }
    }
}

/// Where an opportunity stands.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Status {
    #[default]
    Idea,
    Exploring,
    Planned,
    Delivered,
    Validated,
    Invalidated,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Idea,
        Self::Exploring,
        Self::Planned,
        Self::Delivered,
        Self::Validated,
        Self::Invalidated,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Self::Idea => "idea",
            Self::Exploring => "exploring",
            Self::Planned => "planned",
            Self::Delivered => "delivered",
            Self::Validated => "validated",
            Self::Invalidated => "invalidated",
        }
    }
}

/// The roadmap horizon of an opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Horizon {
    Now,
    Next,
    Later,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Self::Now, Self::Next, Self::Later];
    pub fn label(self) -> &'static str {
        match self {
            Self::Now => "now",
            Self::Next => "next",
            Self::Later => "later",
        }
    }
}

/// A link from an opportunity to the interview note that backs it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub note: Id,
    /// The line of the note that is the evidence (empty: the note as a whole).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
}

/// A need or pain point worth acting on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opportunity {
    pub id: Id,
    pub title: String,
    pub kind: OpportunityKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// A manual score (e.g. RICE) that overrides the outcome-driven one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_score: Option<f64>,
    /// When it was delivered: the date of the commit whose `Delivers:`
    /// trailer names it (`valuemap sync-delivery`), or set by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<NaiveDate>,
    /// The desired outcome it serves (sub-opportunities inherit their
    /// parent's when they have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Id>,
    /// The opportunity it is a part of, in the opportunity solution tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    /// The value of acting on it, 1 (little) to 5 (a lot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u8>,
    /// The effort of acting on it, 1 (a day) to 5 (a quarter or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<u8>,
}

impl Opportunity {
    pub fn new(id: Id, title: impl Into<String>, kind: OpportunityKind) -> Self {
        Opportunity {
            id,
            title: title.into(),
            kind,
            description: String::new(),
            status: Status::Idea,
            horizon: None,
            activities: Vec::new(),
            personas: Vec::new(),
            evidence: Vec::new(),
            manual_score: None,
            delivered: None,
            outcome: None,
            parent: None,
            value: None,
            effort: None,
        }
    }
}

/// Whether a metric is a number or a judgement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MetricKind {
    #[default]
    Quantitative,
    Qualitative,
}

impl MetricKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Quantitative => "quantitative",
            Self::Qualitative => "qualitative",
        }
    }
}

/// Which way is good for a metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    #[default]
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher is better",
            Self::LowerIsBetter => "lower is better",
        }
    }
}

/// One dated measurement of a metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub date: NaiveDate,
    pub value: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// How value is validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub kind: MetricKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<Id>,
    /// The personas who watch it (none: everyone's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Id>,
    /// A formula over other metrics (by [`Metric::ident`]): the series is
    /// computed per date, never recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The series is a target's adoption rate, computed from the adoption
    /// records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<AdoptionRate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(default)]
    pub direction: Direction,
    /// Observations, kept in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
}

impl Metric {
    /// The most recent observation.
    pub fn latest(&self) -> Option<&Observation> {
        self.observations.iter().max_by_key(|o| o.date)
    }

    /// Whether the latest observation meets the target, by direction; `None`
    /// without a target or an observation.
    pub fn on_track(&self) -> Option<bool> {
        let target = self.target?;
        let latest = self.latest()?.value;
        Some(match self.direction {
            Direction::HigherIsBetter => latest >= target,
            Direction::LowerIsBetter => latest <= target,
        })
    }
}

fn metric_order(a: &Metric, b: &Metric) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.id.cmp(&b.id))
}

/// What a conflict record is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConflictTarget {
    Workspace,
    Phase(Id),
    Activity(Id),
    Persona(Id),
    Perspective { persona: Id, activity: Id },
    Note(Id),
    Opportunity(Id),
    Metric(Id),
    Item(Kind, Id),
}

impl ConflictTarget {
    pub fn entity(&self) -> EntityRef {
        match self {
            ConflictTarget::Workspace => EntityRef::Workspace,
            ConflictTarget::Phase(id) => EntityRef::Phase(id.clone()),
            ConflictTarget::Activity(id) => EntityRef::Activity(id.clone()),
            ConflictTarget::Persona(id) => EntityRef::Persona(id.clone()),
            ConflictTarget::Perspective { persona, activity } => EntityRef::Perspective {
                persona: persona.clone(),
                activity: activity.clone(),
            },
            ConflictTarget::Note(id) => EntityRef::Note(id.clone()),
            ConflictTarget::Opportunity(id) => EntityRef::Opportunity(id.clone()),
            ConflictTarget::Metric(id) => EntityRef::Metric(id.clone()),
            ConflictTarget::Item(k, id) => EntityRef::Item(*k, id.clone()),
        }
    }
}

/// Two people changed the same field differently on two branches: the merge
/// kept `ours` and recorded `theirs` here until someone decides. Values are
/// JSON text of the field.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub target: ConflictTarget,
    pub field: String,
    /// The value kept in the entity.
    pub ours: String,
    /// The other branch's value.
    pub theirs: String,
}

/// A reference to any entity, for messages, search results and navigation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityRef {
    Workspace,
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
}

/// Where an activity sits: its phase's index and its own index in the phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivityPos {
    pub phase: usize,
    pub index: usize,
}

impl Workspace {
    /// Puts notes read from disk into the map. Into an empty map, all at
    /// once: sorted by id and built in one pass, where inserting them one
    /// by one in any order would shift and split its nodes at random. A
    /// note whose id is there already replaces it, as an insert would; of
    /// two in `notes` with one id, the later one stays.
    pub fn put_notes(&mut self, notes: Vec<Box<Note>>) {
        if notes.is_empty() {
            return;
        }
        if !self.notes.is_empty() {
            // A batch into a map that has notes: one at a time. Notes read
            // in the order of their file names come in the order of their
            // ids, so each goes in at the map's right edge, with nothing
            // to shift.
            for n in notes {
                self.notes.insert(n.id.clone(), n);
            }
            return;
        }
        // Building a map sorts its entries (ids and boxes, not notes) with
        // a stable sort, which takes runs already in order as they are, and
        // keeps the last of equal keys.
        let mut new: std::collections::BTreeMap<Id, Box<Note>> =
            notes.into_iter().map(|n| (n.id.clone(), n)).collect();
        self.notes.append(&mut new);
    }

    pub fn new(name: impl Into<String>) -> Self {
        Workspace {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Every activity with its phase, in map order.
    pub fn activities(&self) -> impl Iterator<Item = (&Phase, &Activity)> {
        self.phases
            .iter()
            .flat_map(|p| p.activities.iter().map(move |a| (p, a)))
    }

    pub fn activity_count(&self) -> usize {
        self.phases.iter().map(|p| p.activities.len()).sum()
    }

    pub fn phase(&self, id: &Id) -> Option<&Phase> {
        self.phases.iter().find(|p| &p.id == id)
    }

    pub fn phase_index(&self, id: &Id) -> Option<usize> {
        self.phases.iter().position(|p| &p.id == id)
    }

    pub fn activity(&self, id: &Id) -> Option<&Activity> {
        self.activities().map(|(_, a)| a).find(|a| &a.id == id)
    }

    pub fn activity_pos(&self, id: &Id) -> Option<ActivityPos> {
        self.phases.iter().enumerate().find_map(|(pi, p)| {
            p.activities
                .iter()
                .position(|a| &a.id == id)
                .map(|index| ActivityPos { phase: pi, index })
        })
    }

    /// The phase an activity belongs to.
    pub fn phase_of(&self, activity: &Id) -> Option<&Phase> {
        self.activity_pos(activity).map(|p| &self.phases[p.phase])
    }

    pub fn persona(&self, id: &Id) -> Option<&Persona> {
        self.personas.iter().find(|p| &p.id == id)
    }

    pub fn persona_index(&self, id: &Id) -> Option<usize> {
        self.personas.iter().position(|p| &p.id == id)
    }

    pub fn opportunity(&self, id: &Id) -> Option<&Opportunity> {
        self.opportunity_index(id).map(|i| &self.opportunities[i])
    }

    /// Where an opportunity is in the list: found by halving, since the
    /// list is kept by id (looked through whole only when that misses, in
    /// case an edit put one out of order).
    pub fn opportunity_index(&self, id: &Id) -> Option<usize> {
        match self.opportunities.binary_search_by(|o| o.id.cmp(id)) {
            Ok(i) => Some(i),
            Err(_) => self.opportunities.iter().position(|o| &o.id == id),
        }
    }

    pub fn metric(&self, id: &Id) -> Option<&Metric> {
        self.metrics.iter().find(|m| &m.id == id)
    }

    pub fn metric_index(&self, id: &Id) -> Option<usize> {
        self.metrics.iter().position(|m| &m.id == id)
    }

    fn perspective_search(&self, persona: &Id, activity: &Id) -> Result<usize, usize> {
        self.perspectives
            .binary_search_by(|p| (&p.persona, &p.activity).cmp(&(persona, activity)))
    }

    /// The perspective in a cell, if the cell has one.
    pub fn perspective(&self, persona: &Id, activity: &Id) -> Option<&Perspective> {
        self.perspective_search(persona, activity)
            .ok()
            .map(|i| &self.perspectives[i])
    }

    /// Puts a perspective into its cell (replacing what was there), or clears
    /// the cell with `None`. Returns what the cell held before.
    pub fn set_perspective(
        &mut self,
        persona: &Id,
        activity: &Id,
        value: Option<Perspective>,
    ) -> Option<Perspective> {
        match (self.perspective_search(persona, activity), value) {
            (Ok(i), Some(mut v)) => {
                v.persona = persona.clone();
                v.activity = activity.clone();
                Some(std::mem::replace(&mut self.perspectives[i], v))
            }
            (Ok(i), None) => Some(self.perspectives.remove(i)),
            (Err(i), Some(mut v)) => {
                v.persona = persona.clone();
                v.activity = activity.clone();
                self.perspectives.insert(i, v);
                None
            }
            (Err(_), None) => None,
        }
    }

    /// Whether any entity of any kind already uses `id`.
    pub fn id_taken(&self, id: &Id) -> bool {
        self.phases.iter().any(|p| &p.id == id)
            || self.activities().any(|(_, a)| &a.id == id)
            || self.personas.iter().any(|p| &p.id == id)
            || self.notes.contains_key(id)
            || self.opportunities.iter().any(|o| &o.id == id)
            || self.metrics.iter().any(|m| &m.id == id)
            || self.items.has_id(id)
    }

    /// A new id that no entity in the workspace uses.
    pub fn fresh_id(&self) -> Id {
        Id::fresh(|id| self.id_taken(id))
    }

    /// Notes linked to a cell (the persona and the activity both match).
    pub fn notes_for_cell<'a>(
        &'a self,
        persona: &'a Id,
        activity: &'a Id,
    ) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes.values().map(|n| &**n).filter(move |n| {
            n.persona.as_ref() == Some(persona) && n.activities.iter().any(|a| a == activity)
        })
    }

    /// Opportunities linked to a cell: the activity is linked, and the persona is
    /// linked or the opportunity names no persona.
    pub fn opportunities_for_cell<'a>(
        &'a self,
        persona: &'a Id,
        activity: &'a Id,
    ) -> impl Iterator<Item = &'a Opportunity> + 'a {
        self.opportunities.iter().filter(move |o| {
            o.activities.contains(activity)
                && (o.personas.is_empty() || o.personas.contains(persona))
        })
    }

    /// Metrics linked to an activity, directly or through a linked opportunity.
    pub fn metrics_for_activity<'a>(
        &'a self,
        activity: &'a Id,
    ) -> impl Iterator<Item = &'a Metric> + 'a {
        self.metrics.iter().filter(move |m| {
            m.activity.as_ref() == Some(activity)
                || m.opportunity
                    .as_ref()
                    .and_then(|o| self.opportunity(o))
                    .is_some_and(|o| o.activities.contains(activity))
        })
    }

    /// The metrics of a cell: those of the activity (directly or through a
    /// linked opportunity) that the persona watches, or that name no
    /// persona.
    pub fn metrics_for_cell<'a>(
        &'a self,
        persona: &'a Id,
        activity: &'a Id,
    ) -> impl Iterator<Item = &'a Metric> + 'a {
        self.metrics_for_activity(activity)
            .filter(move |m| m.personas.is_empty() || m.personas.contains(persona))
    }

    /// Puts the workspace into canonical order: perspectives sorted by cell,
    /// observations by date. Everything else keeps the user's order.
    pub fn normalize(&mut self) {
        self.perspectives
            .sort_by(|a, b| (&a.persona, &a.activity).cmp(&(&b.persona, &b.activity)));
        for m in &mut self.metrics {
            m.observations.sort_by_key(|o| o.date);
        }
        // Metrics are listed by name (their file keeps them by id).
        self.metrics.sort_by(metric_order);
        // Opportunities are ranked by score in views; they are kept by id,
        // as in their file.
        self.opportunities.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// Where an opportunity with this id goes in the id-ordered list.
    pub fn opportunity_insert_index(&self, id: &Id) -> usize {
        self.opportunities.partition_point(|o| o.id < *id)
    }

    /// Where a metric called `name` goes in the name-ordered list.
    pub fn metric_insert_index(&self, name: &str) -> usize {
        self.metrics
            .partition_point(|m| m.name.to_lowercase() <= name.to_lowercase())
    }

    /// A short human name for an entity, for messages.
    pub fn describe(&self, e: &EntityRef) -> String {
        match e {
            EntityRef::Workspace => format!("workspace \"{}\"", self.name),
            EntityRef::Phase(id) => match self.phase(id) {
                Some(p) => format!("phase \"{}\"", p.name),
                None => format!("phase {id}"),
            },
            EntityRef::Activity(id) => match self.activity(id) {
                Some(a) => format!("activity \"{}\"", a.name),
                None => format!("activity {id}"),
            },
            EntityRef::Persona(id) => match self.persona(id) {
                Some(p) => format!("persona \"{}\"", p.name),
                None => format!("persona {id}"),
            },
            EntityRef::Perspective { persona, activity } => format!(
                "perspective of {} on {}",
                self.describe(&EntityRef::Persona(persona.clone())),
                self.describe(&EntityRef::Activity(activity.clone()))
            ),
            EntityRef::Note(id) => match self.notes.get(id) {
                Some(n) => format!("note \"{}\" ({}, {id})", n.title, n.date),
                None => format!("note {id}"),
            },
            EntityRef::Opportunity(id) => match self.opportunity(id) {
                Some(o) => format!("opportunity \"{}\"", o.title),
                None => format!("opportunity {id}"),
            },
            EntityRef::Metric(id) => match self.metric(id) {
                Some(m) => format!("metric \"{}\"", m.name),
                None => format!("metric {id}"),
            },
            EntityRef::Item(k, id) => match self.items.get(*k, id) {
                Some(it) => format!("{k} \"{}\"", it.title()),
                None => format!("{k} {id}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws() -> Workspace {
        let mut w = Workspace::new("t");
        w.phases.push(Phase {
            id: "ph1".into(),
            name: "Creation".into(),
            description: String::new(),
            activities: vec![
                Activity {
                    id: "a1".into(),
                    name: "Create a cluster".into(),
                    description: String::new(),
                },
                Activity {
                    id: "a2".into(),
                    name: "Create a deployment".into(),
                    description: String::new(),
                },
            ],
        });
        w.personas.push(Persona {
            id: "p1".into(),
            name: "Platform developer".into(),
            role: Role::Consumer,
            description: String::new(),
            jobs: vec![],
            tags: vec![],
        });
        w
    }

    #[test]
    fn perspectives_stay_sorted_and_replace_in_place() {
        let mut w = ws();
        let (p, a1, a2) = (Id::from("p1"), Id::from("a1"), Id::from("a2"));
        assert!(w.perspective(&p, &a1).is_none());
        w.set_perspective(&p, &a2, Some(Perspective::new(p.clone(), a2.clone())));
        w.set_perspective(&p, &a1, Some(Perspective::new(p.clone(), a1.clone())));
        assert_eq!(w.perspectives[0].activity, a1);
        assert_eq!(w.perspectives[1].activity, a2);
        let mut changed = Perspective::new(p.clone(), a1.clone());
        changed.importance = Some(4);
        let old = w.set_perspective(&p, &a1, Some(changed));
        assert_eq!(old.unwrap().importance, None);
        assert_eq!(w.perspective(&p, &a1).unwrap().importance, Some(4));
        assert_eq!(w.perspectives.len(), 2);
        let removed = w.set_perspective(&p, &a1, None).unwrap();
        assert_eq!(removed.importance, Some(4));
        assert_eq!(w.perspectives.len(), 1);
    }

    #[test]
    fn set_perspective_forces_the_cell_keys() {
        let mut w = ws();
        let (p, a1) = (Id::from("p1"), Id::from("a1"));
        w.set_perspective(&p, &a1, Some(Perspective::new("x".into(), "y".into())));
        assert_eq!(w.perspectives[0].persona, p);
        assert_eq!(w.perspectives[0].activity, a1);
    }

    #[test]
    fn activity_lookups() {
        let w = ws();
        assert_eq!(w.activity_count(), 2);
        assert_eq!(
            w.activity_pos(&"a2".into()),
            Some(ActivityPos { phase: 0, index: 1 })
        );
        assert_eq!(w.phase_of(&"a2".into()).unwrap().name, "Creation");
        assert!(w.activity(&"zz".into()).is_none());
        assert!(w.id_taken(&"a1".into()));
        assert!(w.id_taken(&"ph1".into()));
        assert!(!w.id_taken(&"nope".into()));
    }

    #[test]
    fn role_slugs_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_slug(r.slug()), Some(r));
        }
        assert_eq!(Role::from_slug("End User"), Some(Role::EndUser));
        assert_eq!(Role::from_slug("enduser"), Some(Role::EndUser));
        assert_eq!(Role::from_slug("boss"), None);
    }

    #[test]
    fn metric_verdict_follows_direction() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut m = Metric {
            id: "m".into(),
            name: "Uptime".into(),
            kind: MetricKind::Quantitative,
            unit: "%".into(),
            description: String::new(),
            activity: None,
            opportunity: None,
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: Some(99.0),
            target: Some(99.9),
            direction: Direction::HigherIsBetter,
            observations: vec![],
        };
        assert_eq!(m.on_track(), None);
        m.observations.push(Observation {
            date: d("2026-02-01"),
            value: 99.95,
            comment: String::new(),
        });
        m.observations.push(Observation {
            date: d("2026-01-01"),
            value: 99.0,
            comment: String::new(),
        });
        assert_eq!(m.latest().unwrap().value, 99.95);
        assert_eq!(m.on_track(), Some(true));
        m.direction = Direction::LowerIsBetter;
        assert_eq!(m.on_track(), Some(false));
        m.target = None;
        assert_eq!(m.on_track(), None);
    }

    #[test]
    fn quotes_come_from_the_body() {
        let n = Note {
            id: "n".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            interviewee: "A".into(),
            persona: None,
            activities: vec![],
            title: "t".into(),
            body: "t\n> first quote\n! pain\n  >second\n".into(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            captured: None,
            answered: crate::model::ThinVec::new(),
        };
        assert_eq!(n.quotes().collect::<Vec<_>>(), ["first quote", "second"]);
    }

    proptest::proptest! {
        /// The one pass the loader makes over a note's text says what
        /// `open_questions` and `has_rating` say, line by line.
        #[test]
        fn note_facts_agree_with_the_questions_and_ratings(
            lines in proptest::collection::vec("[ ?=!>a1/\t\r\u{a0}]{0,8}", 0..12),
            answer_every in 1usize..4,
        ) {
            let body = lines.join("\n");
            let mut n = Note {
                id: "n".into(),
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                interviewee: "A".into(),
                persona: None,
                activities: vec![],
                title: "t".into(),
                body,
                tags: crate::model::ThinVec::new(),
                dismissed: crate::model::ThinVec::new(),
                captured: None,
                answered: crate::model::ThinVec::new(),
            };
            let questions: Vec<String> = n.questions().map(String::from).collect();
            n.answered = questions
                .iter()
                .step_by(answer_every)
                .map(|q| Answer {
                    question: q.clone(),
                    date: n.date,
                    by: None,
                })
                .collect();
            n.sort_answers();
            let f = NoteFacts::of(&n);
            proptest::prop_assert_eq!(f.open_questions as usize, n.open_questions());
            proptest::prop_assert_eq!(f.rated, ratings::has_rating(&n));
        }
    }

    #[test]
    fn answers_follow_their_questions_through_edits() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut n = Note {
            id: "n".into(),
            date: d,
            interviewee: "A".into(),
            persona: None,
            activities: vec![],
            title: "t".into(),
            body: "t\n? Who pays?\n  ? Who owns it?  \n?\n? Why now?".into(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            captured: None,
            answered: crate::model::ThinVec::new(),
        };
        assert_eq!(
            n.questions().collect::<Vec<_>>(),
            ["? Who pays?", "? Who owns it?", "? Why now?"]
        );
        let answer = |q: &str| Answer {
            question: q.into(),
            date: d,
            by: None,
        };
        n.answered = crate::model::thin_vec![answer("? Who pays?"), answer("? Why now?")];
        n.sort_answers();
        assert_eq!(n.open_questions(), 1);
        assert!(n.answer("? Why now?").is_some());
        // Reworded in place: the answer moves to the new words; a line
        // added elsewhere changes nothing; a question removed takes its
        // answer with it.
        let carried = n.carry_answers("t\n? Who pays for it?\nnew line\n? Who owns it?");
        assert_eq!(carried, [answer("? Who pays for it?")]);
        let kept = n.carry_answers("t\n? Who pays?\n? Why now?\n? And then?");
        assert_eq!(kept, [answer("? Who pays?"), answer("? Why now?")]);
    }
}
