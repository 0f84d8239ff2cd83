//! The forms of the opportunity solution tree: a desired outcome, a
//! solution, an assumption test.

use super::FormSpec;
use super::fields::{ChoiceField, Field, LineField, LinkKind, LinksField, RatingField, TextField};
use crate::model::edit::{self, Edit};
use crate::model::{
    AssumptionKind, AssumptionTest, Id, Item, Outcome, Solution, SolutionStatus, Verdict, Workspace,
};
use crate::text::sanitize;

fn date_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// "add" or "edit", and the edit for an item that is new (`is_new`) or not.
fn put(is_new: bool, what: &str, name: &str, item: Item) -> (String, Edit) {
    let verb = if is_new { "add" } else { "edit" };
    (format!("{verb} {what} \"{name}\""), edit::put(item))
}

/// A desired outcome: an existing one, or a new one.
pub struct OutcomeForm {
    id: Id,
    is_new: bool,
    title: String,
    name: LineField,
    description: TextField,
    metrics: LinksField,
}

impl OutcomeForm {
    /// The form for an outcome; `id` not in the workspace makes a new one.
    pub fn new(ws: &Workspace, id: Id, name: &str) -> OutcomeForm {
        let o = ws.items.outcomes.get(&id);
        OutcomeForm {
            is_new: o.is_none(),
            title: match o {
                Some(o) => format!("Outcome · {}", sanitize(&o.name)),
                None => "New desired outcome".into(),
            },
            name: LineField::new(
                "Name",
                "what the team answers for, e.g. \"Management sees the platform's value\"",
                o.map_or(name, |o| o.name.as_str()),
            ),
            description: TextField::text(
                "Description",
                "",
                o.map_or("", |o| o.description.as_str()),
                2,
            ),
            metrics: LinksField::new(
                "Measured by",
                LinkKind::Metrics,
                o.map(|o| o.metrics.clone()).unwrap_or_default(),
            ),
            id,
        }
    }
}

impl FormSpec for OutcomeForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.name, &self.description, &self.metrics]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.name, &mut self.description, &mut self.metrics]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("An outcome needs a name".into());
        }
        if !self.is_new && !ws.items.outcomes.contains_key(&self.id) {
            return Err("the outcome no longer exists".into());
        }
        Ok(put(
            self.is_new,
            "outcome",
            &name,
            Item::Outcome(Outcome {
                id: self.id.clone(),
                name: name.clone(),
                description: self.description.value(),
                metrics: self.metrics.ids.clone(),
            }),
        ))
    }
}

const SOLUTION_STATUSES: &[(SolutionStatus, &str)] = &[
    (SolutionStatus::Idea, "idea"),
    (SolutionStatus::Building, "building"),
    (SolutionStatus::Shipped, "shipped"),
    (SolutionStatus::Dropped, "dropped"),
];

/// A solution: an existing one, or a new one for an opportunity.
pub struct SolutionForm {
    id: Id,
    is_new: bool,
    title_text: String,
    title: LineField,
    opportunity: LinksField,
    status: ChoiceField<SolutionStatus>,
    shipped: LineField,
    value: RatingField,
    effort: RatingField,
    owner: LineField,
    description: TextField,
}

impl SolutionForm {
    /// The form for a solution; `id` not in the workspace makes a new one
    /// for `opportunity`.
    pub fn new(ws: &Workspace, id: Id, opportunity: Option<Id>, title: &str) -> SolutionForm {
        let s = ws.items.solutions.get(&id);
        SolutionForm {
            is_new: s.is_none(),
            title_text: match s {
                Some(s) => format!("Solution · {}", sanitize(&s.title)),
                None => "New solution".into(),
            },
            title: LineField::new("Title", "", s.map_or(title, |s| s.title.as_str())),
            opportunity: LinksField::new(
                "Opportunity",
                LinkKind::Opportunity,
                s.map(|s| s.opportunity.clone())
                    .or(opportunity)
                    .into_iter()
                    .collect(),
            ),
            status: ChoiceField::new(
                "Status",
                "shipped: its metrics are compared before and after the ship date",
                SOLUTION_STATUSES,
                s.map_or(SolutionStatus::Idea, |s| s.status),
            ),
            shipped: LineField::new(
                "Shipped",
                "YYYY-MM-DD (blank when shipped: today)",
                &date_text(s.and_then(|s| s.shipped)),
            ),
            value: RatingField::new("Value", "1 little … 5 a lot", s.and_then(|s| s.value)),
            effort: RatingField::new(
                "Effort",
                "1 a day … 5 a quarter or more",
                s.and_then(|s| s.effort),
            ),
            owner: LineField::new("Owner", "", s.map_or("", |s| s.owner.as_str())),
            description: TextField::text(
                "Description",
                "",
                s.map_or("", |s| s.description.as_str()),
                2,
            ),
            id,
        }
    }
}

impl FormSpec for SolutionForm {
    fn title(&self) -> String {
        self.title_text.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.title,
            &self.opportunity,
            &self.status,
            &self.shipped,
            &self.value,
            &self.effort,
            &self.owner,
            &self.description,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.title,
            &mut self.opportunity,
            &mut self.status,
            &mut self.shipped,
            &mut self.value,
            &mut self.effort,
            &mut self.owner,
            &mut self.description,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let title = self.title.value();
        if title.is_empty() {
            return Err("A solution needs a title".into());
        }
        let opportunity = self
            .opportunity
            .one()
            .ok_or("Pick the opportunity it addresses")?;
        if ws.opportunity(&opportunity).is_none() {
            return Err("the opportunity no longer exists".into());
        }
        if !self.is_new && !ws.items.solutions.contains_key(&self.id) {
            return Err("the solution no longer exists".into());
        }
        let status = self.status.value();
        let mut shipped = self.shipped.date()?;
        if status == SolutionStatus::Shipped && shipped.is_none() {
            shipped = Some(chrono::Local::now().date_naive());
        }
        Ok(put(
            self.is_new,
            "solution",
            &title,
            Item::Solution(Solution {
                id: self.id.clone(),
                opportunity,
                title: title.clone(),
                description: self.description.value(),
                status,
                shipped,
                value: self.value.value,
                effort: self.effort.value,
                owner: self.owner.value(),
            }),
        ))
    }
}

const ASSUMPTION_KINDS: &[(AssumptionKind, &str)] = &[
    (AssumptionKind::Desirability, "desirability"),
    (AssumptionKind::Viability, "viability"),
    (AssumptionKind::Feasibility, "feasibility"),
    (AssumptionKind::Usability, "usability"),
];

const VERDICTS: &[(Verdict, &str)] = &[
    (Verdict::Pending, "pending"),
    (Verdict::Passed, "passed"),
    (Verdict::Failed, "failed"),
];

/// An assumption test: an existing one, or a new one for a solution.
pub struct TestForm {
    id: Id,
    is_new: bool,
    title_text: String,
    assumption: LineField,
    solution: LinksField,
    kind: ChoiceField<AssumptionKind>,
    method: LineField,
    criterion: LineField,
    owner: LineField,
    due: LineField,
    result: ChoiceField<Verdict>,
}

impl TestForm {
    /// The form for a test; `id` not in the workspace makes a new one for
    /// `solution`.
    pub fn new(ws: &Workspace, id: Id, solution: Option<Id>, assumption: &str) -> TestForm {
        let t = ws.items.tests.get(&id);
        TestForm {
            is_new: t.is_none(),
            title_text: match t {
                Some(t) => format!("Assumption test · {}", sanitize(&t.assumption)),
                None => "New assumption test".into(),
            },
            assumption: LineField::wrapped(
                "Assumption",
                "what must be true for the solution to work",
                t.map_or(assumption, |t| t.assumption.as_str()),
                2,
            ),
            solution: LinksField::new(
                "Solution",
                LinkKind::Solution,
                t.map(|t| t.solution.clone())
                    .or(solution)
                    .into_iter()
                    .collect(),
            ),
            kind: ChoiceField::new(
                "Kind",
                "which risk: do they want it, does it pay, can we build it, can they use it",
                ASSUMPTION_KINDS,
                t.map_or(AssumptionKind::Desirability, |t| t.kind),
            ),
            method: LineField::new(
                "Method",
                "how it is tested: interviews, a prototype, a fake door…",
                t.map_or("", |t| t.method.as_str()),
            ),
            criterion: LineField::new(
                "Passes when",
                "the result that counts as a pass",
                t.map_or("", |t| t.criterion.as_str()),
            ),
            owner: LineField::new("Owner", "", t.map_or("", |t| t.owner.as_str())),
            due: LineField::new("Due", "YYYY-MM-DD", &date_text(t.and_then(|t| t.due))),
            result: ChoiceField::new(
                "Result",
                "",
                VERDICTS,
                t.map_or(Verdict::Pending, |t| t.result),
            ),
            id,
        }
    }
}

impl FormSpec for TestForm {
    fn title(&self) -> String {
        self.title_text.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.assumption,
            &self.solution,
            &self.kind,
            &self.method,
            &self.criterion,
            &self.owner,
            &self.due,
            &self.result,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.assumption,
            &mut self.solution,
            &mut self.kind,
            &mut self.method,
            &mut self.criterion,
            &mut self.owner,
            &mut self.due,
            &mut self.result,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let assumption = self.assumption.value();
        if assumption.is_empty() {
            return Err("A test needs the assumption it tests".into());
        }
        let solution = self
            .solution
            .one()
            .ok_or("Pick the solution whose assumption it tests")?;
        if !ws.items.solutions.contains_key(&solution) {
            return Err("the solution no longer exists".into());
        }
        let old = ws.items.tests.get(&self.id);
        if !self.is_new && old.is_none() {
            return Err("the test no longer exists".into());
        }
        Ok(put(
            self.is_new,
            "assumption test",
            &assumption,
            Item::Test(AssumptionTest {
                id: self.id.clone(),
                solution,
                assumption: assumption.clone(),
                kind: self.kind.value(),
                method: self.method.value(),
                criterion: self.criterion.value(),
                owner: self.owner.value(),
                due: self.due.date()?,
                result: self.result.value(),
                evidence: old.map(|t| t.evidence.clone()).unwrap_or_default(),
            }),
        ))
    }
}
