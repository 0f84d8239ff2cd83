//! The discovery loop past opportunities (Torres' opportunity solution
//! tree): desired outcomes at the root, solutions that address one
//! opportunity, and the assumption tests that say whether a solution will
//! work. Each of these is an [`Item`]: kept one per file (so two people
//! adding solutions on two branches never touch the same file), linked by
//! id, and changed with [`crate::model::edit::Edit::Put`].

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::adoption::{Adoption, Team};
use super::needs::{NeedsLayer, NeedsNode};
use super::{Evidence, Id, Workspace};

/// A desired outcome the team answers for: the root of a tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The metrics that measure it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Id>,
}

/// Where a solution stands.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum SolutionStatus {
    #[default]
    Idea,
    Building,
    Shipped,
    Dropped,
}

impl SolutionStatus {
    pub const ALL: [SolutionStatus; 4] = [Self::Idea, Self::Building, Self::Shipped, Self::Dropped];
    pub fn label(self) -> &'static str {
        match self {
            Self::Idea => "idea",
            Self::Building => "building",
            Self::Shipped => "shipped",
            Self::Dropped => "dropped",
        }
    }
    /// A glyph that reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Idea => "○",
            Self::Building => "◐",
            Self::Shipped => "●",
            Self::Dropped => "⊘",
        }
    }
}

/// An idea that addresses one opportunity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    pub id: Id,
    /// The opportunity it addresses.
    pub opportunity: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub status: SolutionStatus,
    /// When it shipped: validation compares the metrics before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped: Option<NaiveDate>,
    /// The value of building it, 1 (little) to 5 (a lot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u8>,
    /// 1 (a day) to 5 (a quarter or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
}

/// Which of a solution's risks an assumption is about.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum AssumptionKind {
    #[default]
    Desirability,
    Viability,
    Feasibility,
    Usability,
}

impl AssumptionKind {
    pub const ALL: [AssumptionKind; 4] = [
        Self::Desirability,
        Self::Viability,
        Self::Feasibility,
        Self::Usability,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Self::Desirability => "desirability",
            Self::Viability => "viability",
            Self::Feasibility => "feasibility",
            Self::Usability => "usability",
        }
    }
}

/// What an assumption test found.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Verdict {
    #[default]
    Pending,
    Passed,
    Failed,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Self::Pending, Self::Passed, Self::Failed];
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Passed => "passed",
            Self::Failed => "failed",
        }
    }
    /// A glyph that reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Pending => "?",
            Self::Passed => "✓",
            Self::Failed => "✗",
        }
    }
}

/// What must be true for a solution to work, and how the team finds out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionTest {
    pub id: Id,
    /// The solution it tests.
    pub solution: Id,
    pub assumption: String,
    #[serde(default)]
    pub kind: AssumptionKind,
    /// How it is tested (an interview round, a prototype, a fake door...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub method: String,
    /// What result counts as a pass.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criterion: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub result: Verdict,
    /// Notes and lines that back the verdict, as for opportunities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

impl AssumptionTest {
    /// Still pending after its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.result == Verdict::Pending && self.due.is_some_and(|d| d < today)
    }
}

/// The kinds of [`Item`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Outcome,
    Solution,
    Test,
    /// A layer of the needs map.
    NeedsLayer,
    /// A node of the needs map.
    NeedsNode,
    Team,
    Adoption,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Outcome,
        Kind::Solution,
        Kind::Test,
        Kind::NeedsLayer,
        Kind::NeedsNode,
        Kind::Team,
        Kind::Adoption,
    ];

    /// The word for one, in messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Outcome => "outcome",
            Kind::Solution => "solution",
            Kind::Test => "assumption test",
            Kind::NeedsLayer => "needs-map layer",
            Kind::NeedsNode => "needs-map node",
            Kind::Team => "team",
            Kind::Adoption => "adoption record",
        }
    }

    /// The folder of the workspace that holds one file per item.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Outcome => "outcomes",
            Kind::Solution => "solutions",
            Kind::Test => "assumptions",
            Kind::NeedsLayer => "needs-layers",
            Kind::NeedsNode => "needs",
            Kind::Team => "teams",
            Kind::Adoption => "adoption",
        }
    }

    /// The kind whose folder is `dir`.
    pub fn of_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An entity of the discovery loop kept one per file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Outcome(Outcome),
    Solution(Solution),
    Test(AssumptionTest),
    NeedsLayer(NeedsLayer),
    NeedsNode(NeedsNode),
    Team(Team),
    Adoption(Adoption),
}

impl Item {
    pub fn kind(&self) -> Kind {
        match self {
            Item::Outcome(_) => Kind::Outcome,
            Item::Solution(_) => Kind::Solution,
            Item::Test(_) => Kind::Test,
            Item::NeedsLayer(_) => Kind::NeedsLayer,
            Item::NeedsNode(_) => Kind::NeedsNode,
            Item::Team(_) => Kind::Team,
            Item::Adoption(_) => Kind::Adoption,
        }
    }

    pub fn id(&self) -> &Id {
        match self {
            Item::Outcome(o) => &o.id,
            Item::Solution(s) => &s.id,
            Item::Test(t) => &t.id,
            Item::NeedsLayer(l) => &l.id,
            Item::NeedsNode(n) => &n.id,
            Item::Team(t) => &t.id,
            Item::Adoption(a) => &a.id,
        }
    }

    fn set_id(&mut self, id: Id) {
        match self {
            Item::Outcome(o) => o.id = id,
            Item::Solution(s) => s.id = id,
            Item::Test(t) => t.id = id,
            Item::NeedsLayer(l) => l.id = id,
            Item::NeedsNode(n) => n.id = id,
            Item::Team(t) => t.id = id,
            Item::Adoption(a) => a.id = id,
        }
    }

    /// Its name, title or assumption: what lists show.
    pub fn title(&self) -> &str {
        match self {
            Item::Outcome(o) => &o.name,
            Item::Solution(s) => &s.title,
            Item::Test(t) => &t.assumption,
            Item::NeedsLayer(l) => &l.name,
            Item::NeedsNode(n) => &n.name,
            Item::Team(t) => &t.name,
            Item::Adoption(a) => a.state.label(),
        }
    }

    /// The content as JSON (for field-by-field merging and diffs).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Item::Outcome(o) => serde_json::to_value(o),
            Item::Solution(s) => serde_json::to_value(s),
            Item::Test(t) => serde_json::to_value(t),
            Item::NeedsLayer(l) => serde_json::to_value(l),
            Item::NeedsNode(n) => serde_json::to_value(n),
            Item::Team(t) => serde_json::to_value(t),
            Item::Adoption(a) => serde_json::to_value(a),
        }
        .unwrap_or(serde_json::Value::Null)
    }

    /// An item of `kind` from its JSON content.
    pub fn from_json(kind: Kind, v: serde_json::Value) -> Option<Item> {
        Some(match kind {
            Kind::Outcome => Item::Outcome(serde_json::from_value(v).ok()?),
            Kind::Solution => Item::Solution(serde_json::from_value(v).ok()?),
            Kind::Test => Item::Test(serde_json::from_value(v).ok()?),
            Kind::NeedsLayer => Item::NeedsLayer(serde_json::from_value(v).ok()?),
            Kind::NeedsNode => Item::NeedsNode(serde_json::from_value(v).ok()?),
            Kind::Team => Item::Team(serde_json::from_value(v).ok()?),
            Kind::Adoption => Item::Adoption(serde_json::from_value(v).ok()?),
        })
    }
}

/// The items of the workspace, by kind and id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Items {
    pub outcomes: BTreeMap<Id, Outcome>,
    pub solutions: BTreeMap<Id, Solution>,
    pub tests: BTreeMap<Id, AssumptionTest>,
    /// The layers of the needs map (see [`super::needs`]).
    pub layers: BTreeMap<Id, NeedsLayer>,
    /// The nodes of the needs map.
    pub nodes: BTreeMap<Id, NeedsNode>,
    pub teams: BTreeMap<Id, Team>,
    pub adoptions: BTreeMap<Id, Adoption>,
}

impl Items {
    /// A copy of one item.
    pub fn get(&self, kind: Kind, id: &Id) -> Option<Item> {
        match kind {
            Kind::Outcome => self.outcomes.get(id).cloned().map(Item::Outcome),
            Kind::Solution => self.solutions.get(id).cloned().map(Item::Solution),
            Kind::Test => self.tests.get(id).cloned().map(Item::Test),
            Kind::NeedsLayer => self.layers.get(id).cloned().map(Item::NeedsLayer),
            Kind::NeedsNode => self.nodes.get(id).cloned().map(Item::NeedsNode),
            Kind::Team => self.teams.get(id).cloned().map(Item::Team),
            Kind::Adoption => self.adoptions.get(id).cloned().map(Item::Adoption),
        }
    }

    pub fn contains(&self, kind: Kind, id: &Id) -> bool {
        match kind {
            Kind::Outcome => self.outcomes.contains_key(id),
            Kind::Solution => self.solutions.contains_key(id),
            Kind::Test => self.tests.contains_key(id),
            Kind::NeedsLayer => self.layers.contains_key(id),
            Kind::NeedsNode => self.nodes.contains_key(id),
            Kind::Team => self.teams.contains_key(id),
            Kind::Adoption => self.adoptions.contains_key(id),
        }
    }

    /// Whether any item has this id.
    pub fn has_id(&self, id: &Id) -> bool {
        Kind::ALL.into_iter().any(|k| self.contains(k, id))
    }

    /// The kind of the item with this id.
    pub fn kind_of(&self, id: &Id) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| self.contains(*k, id))
    }

    /// Puts `item` under `id` (or removes what is there when `None`), and
    /// gives back what was there. The item's own id becomes `id`.
    pub fn put(&mut self, kind: Kind, id: &Id, item: Option<Item>) -> Option<Item> {
        match item {
            None => match kind {
                Kind::Outcome => self.outcomes.remove(id).map(Item::Outcome),
                Kind::Solution => self.solutions.remove(id).map(Item::Solution),
                Kind::Test => self.tests.remove(id).map(Item::Test),
                Kind::NeedsLayer => self.layers.remove(id).map(Item::NeedsLayer),
                Kind::NeedsNode => self.nodes.remove(id).map(Item::NeedsNode),
                Kind::Team => self.teams.remove(id).map(Item::Team),
                Kind::Adoption => self.adoptions.remove(id).map(Item::Adoption),
            },
            Some(mut it) => {
                it.set_id(id.clone());
                match it {
                    Item::Outcome(o) => self.outcomes.insert(id.clone(), o).map(Item::Outcome),
                    Item::Solution(s) => self.solutions.insert(id.clone(), s).map(Item::Solution),
                    Item::Test(t) => self.tests.insert(id.clone(), t).map(Item::Test),
                    Item::NeedsLayer(l) => self.layers.insert(id.clone(), l).map(Item::NeedsLayer),
                    Item::NeedsNode(n) => self.nodes.insert(id.clone(), n).map(Item::NeedsNode),
                    Item::Team(t) => self.teams.insert(id.clone(), t).map(Item::Team),
                    Item::Adoption(a) => self.adoptions.insert(id.clone(), a).map(Item::Adoption),
                }
            }
        }
    }

    /// Every item's kind and id, kind by kind.
    pub fn keys(&self) -> impl Iterator<Item = (Kind, &Id)> {
        self.outcomes
            .keys()
            .map(|id| (Kind::Outcome, id))
            .chain(self.solutions.keys().map(|id| (Kind::Solution, id)))
            .chain(self.tests.keys().map(|id| (Kind::Test, id)))
            .chain(self.layers.keys().map(|id| (Kind::NeedsLayer, id)))
            .chain(self.nodes.keys().map(|id| (Kind::NeedsNode, id)))
            .chain(self.teams.keys().map(|id| (Kind::Team, id)))
            .chain(self.adoptions.keys().map(|id| (Kind::Adoption, id)))
    }

    pub fn len(&self) -> usize {
        self.outcomes.len()
            + self.solutions.len()
            + self.tests.len()
            + self.layers.len()
            + self.nodes.len()
            + self.teams.len()
            + self.adoptions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Workspace {
    /// The solutions that address an opportunity, ideas first, then by title.
    pub fn solutions_of<'a>(&'a self, opportunity: &Id) -> Vec<&'a Solution> {
        let mut v: Vec<&Solution> = self
            .items
            .solutions
            .values()
            .filter(|s| &s.opportunity == opportunity)
            .collect();
        v.sort_by(|a, b| {
            a.title
                .to_lowercase()
                .cmp(&b.title.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    /// The assumption tests of a solution, by due date (undated last).
    pub fn tests_of<'a>(&'a self, solution: &Id) -> Vec<&'a AssumptionTest> {
        let mut v: Vec<&AssumptionTest> = self
            .items
            .tests
            .values()
            .filter(|t| &t.solution == solution)
            .collect();
        v.sort_by(|a, b| {
            (a.due.is_none(), a.due, &a.assumption, &a.id).cmp(&(
                b.due.is_none(),
                b.due,
                &b.assumption,
                &b.id,
            ))
        });
        v
    }

    /// The opportunities directly under `parent` (`None`: top level of an
    /// outcome, or of "no outcome" when `outcome` is `None` too).
    pub fn child_opportunities<'a>(&'a self, parent: &Id) -> Vec<&'a super::Opportunity> {
        self.opportunities
            .iter()
            .filter(|o| o.parent.as_ref() == Some(parent))
            .collect()
    }

    /// The outcome an opportunity answers to: its own, or its nearest
    /// ancestor's (cycles are cut).
    pub fn outcome_of(&self, opportunity: &Id) -> Option<&Id> {
        let mut seen = Vec::new();
        let mut cur = self.opportunity(opportunity)?;
        loop {
            if let Some(o) = &cur.outcome {
                return Some(o);
            }
            seen.push(&cur.id);
            let parent = cur.parent.as_ref()?;
            if seen.contains(&parent) {
                return None;
            }
            cur = self.opportunity(parent)?;
        }
    }

    /// Whether making `parent` the parent of `child` would close a loop.
    pub fn would_cycle(&self, child: &Id, parent: &Id) -> bool {
        let mut cur = Some(parent.clone());
        let mut steps = 0;
        while let Some(id) = cur {
            if &id == child {
                return true;
            }
            steps += 1;
            if steps > self.opportunities.len() {
                return true;
            }
            cur = self.opportunity(&id).and_then(|o| o.parent.clone());
        }
        false
    }

    /// The metrics that can validate a solution: those measuring its
    /// opportunity (or an ancestor of it) and those of its outcome.
    pub fn validating_metrics(&self, solution: &Solution) -> Vec<&super::Metric> {
        let mut opps = vec![solution.opportunity.clone()];
        let mut cur = self.opportunity(&solution.opportunity);
        while let Some(o) = cur {
            match &o.parent {
                Some(p) if !opps.contains(p) => {
                    opps.push(p.clone());
                    cur = self.opportunity(p);
                }
                _ => break,
            }
        }
        let outcome = self
            .outcome_of(&solution.opportunity)
            .and_then(|o| self.items.outcomes.get(o));
        self.metrics
            .iter()
            .filter(|m| {
                m.opportunity.as_ref().is_some_and(|o| opps.contains(o))
                    || outcome.is_some_and(|out| out.metrics.contains(&m.id))
            })
            .collect()
    }
}
