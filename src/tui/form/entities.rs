//! The form of each entity: a struct of named fields and the edit they make.

use ratatui::text::Span;

use super::FormSpec;
use super::fields::{
    ChoiceField, Field, InfoField, LineField, LinkKind, LinksField, RatingField, TextField,
};
use crate::model::edit::Edit;
use crate::model::{
    AdoptionRate, Direction, Horizon, Id, Metric, MetricKind, Observation, Opportunity,
    OpportunityKind, Persona, Perspective, Role, Status, Target, Workspace,
};
use crate::text::sanitize;
use crate::tui::theme::Theme;

/// A cell of the map: one persona's perspective on one activity.
pub struct PerspectiveForm {
    persona: Id,
    activity: Id,
    title: String,
    interest: LineField,
    needs: TextField,
    pains: TextField,
    importance: RatingField,
    satisfaction: RatingField,
    /// What the interviews say about the cell.
    heard: Option<crate::model::ratings::Aggregate>,
    metrics: InfoField,
}

impl PerspectiveForm {
    pub fn new(ws: &Workspace, persona: &Id, activity: &Id) -> PerspectiveForm {
        let p = ws
            .perspective(persona, activity)
            .cloned()
            .unwrap_or_default();
        let who = ws.persona(persona).map_or("?", |p| p.name.as_str());
        let what = ws.activity(activity).map_or("?", |a| a.name.as_str());
        let heard = crate::model::ratings::cell_rating(ws, persona, activity).heard;
        let beside = |s: Option<crate::model::ratings::Spread>| {
            let (h, s) = (heard?, s?);
            Some((
                format!(
                    "interviews {} ({}), n={}",
                    s.median_text(),
                    s.range_text(),
                    h.n
                ),
                Some(s),
            ))
        };
        let mut importance = RatingField::new("Importance", "how much it matters", p.importance);
        importance.beside = beside(heard.map(|h| h.importance));
        let mut satisfaction = RatingField::new(
            "Satisfaction",
            "how well it is served today",
            p.satisfaction,
        );
        satisfaction.beside = beside(heard.map(|h| h.satisfaction));
        PerspectiveForm {
            heard,
            persona: persona.clone(),
            activity: activity.clone(),
            title: format!("{} · {}", sanitize(who), sanitize(what)),
            interest: LineField::wrapped(
                "Interest",
                "what this persona wants from the activity",
                &p.interest,
                2,
            ),
            needs: TextField::new("Needs", "one per line", &p.needs, 3),
            pains: TextField::new("Pains", "one per line", &p.pains, 3),
            importance,
            satisfaction,
            metrics: InfoField {
                label: "Metrics",
                hint: "the metrics this persona watches here (and those of everyone); a metric's form links personas",
                text: {
                    let names: Vec<&str> = ws
                        .metrics_for_cell(persona, activity)
                        .map(|m| m.name.as_str())
                        .collect();
                    if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    }
                },
            },
        }
    }
}

impl FormSpec for PerspectiveForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.interest,
            &self.needs,
            &self.pains,
            &self.importance,
            &self.satisfaction,
            &self.metrics,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.interest,
            &mut self.needs,
            &mut self.pains,
            &mut self.importance,
            &mut self.satisfaction,
            &mut self.metrics,
        ]
    }
    fn submit(&self, _ws: &Workspace) -> Result<(String, Edit), String> {
        let p = Perspective {
            persona: self.persona.clone(),
            activity: self.activity.clone(),
            interest: self.interest.value(),
            needs: self.needs.lines(),
            pains: self.pains.lines(),
            importance: self.importance.value,
            satisfaction: self.satisfaction.value,
        };
        let value = if p.is_blank() { None } else { Some(p) };
        Ok((
            "edit perspective".into(),
            Edit::SetPerspective {
                persona: self.persona.clone(),
                activity: self.activity.clone(),
                value,
            },
        ))
    }
    /// The score the cell will have: from the interviews' medians once
    /// three rated it, else from the ratings typed here.
    fn preview(&self, t: &Theme) -> Option<Span<'static>> {
        let mut p = Perspective::new(self.persona.clone(), self.activity.clone());
        p.importance = self.importance.value;
        p.satisfaction = self.satisfaction.value;
        let r = crate::model::ratings::CellRating::new(Some(&p), self.heard);
        let score = r.score()?;
        let text = match r.source {
            crate::model::ratings::Source::Pm => format!(" score {score} (pm) "),
            crate::model::ratings::Source::Interviews(n) => {
                format!(" score {score} from {} (n={n}) ", r.shown())
            }
        };
        Some(Span::styled(text, t.heat(score)))
    }
}

const ROLES: &[(Role, &str)] = &[
    (Role::Customer, "customer"),
    (Role::Consumer, "consumer"),
    (Role::EndUser, "end user"),
];

/// A persona.
pub struct PersonaForm {
    id: Id,
    title: String,
    name: LineField,
    role: ChoiceField<Role>,
    description: TextField,
    jobs: TextField,
    tags: LineField,
}

impl PersonaForm {
    pub fn new(p: &Persona) -> PersonaForm {
        PersonaForm {
            id: p.id.clone(),
            title: format!("Persona · {}", sanitize(&p.name)),
            name: LineField::new("Name", "", &p.name),
            role: ChoiceField::new(
                "Role",
                "customer decides and pays, consumer uses, end user is served",
                ROLES,
                p.role,
            ),
            description: TextField::text("Description", "", &p.description, 3),
            jobs: TextField::new("Jobs to be done", "one per line", &p.jobs, 4),
            tags: LineField::new("Tags", "separated by commas or spaces", &p.tags.join(", ")),
        }
    }
}

impl FormSpec for PersonaForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.name,
            &self.role,
            &self.description,
            &self.jobs,
            &self.tags,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.name,
            &mut self.role,
            &mut self.description,
            &mut self.jobs,
            &mut self.tags,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        if ws.persona(&self.id).is_none() {
            return Err("the persona no longer exists".into());
        }
        let name = self.name.value();
        if name.is_empty() {
            return Err("A persona needs a name".into());
        }
        Ok((
            format!("edit persona {name}"),
            Edit::SetPersona {
                persona: Persona {
                    id: self.id.clone(),
                    name,
                    role: self.role.value(),
                    description: self.description.value(),
                    jobs: self.jobs.lines(),
                    tags: self.tags.words(),
                },
            },
        ))
    }
}

const KINDS: &[(OpportunityKind, &str)] = &[
    (OpportunityKind::Need, "need"),
    (OpportunityKind::Pain, "pain"),
    (OpportunityKind::Gain, "gain"),
];
const STATUSES: &[(Status, &str)] = &[
    (Status::Idea, "idea"),
    (Status::Exploring, "exploring"),
    (Status::Planned, "planned"),
    (Status::Delivered, "delivered"),
    (Status::Validated, "validated"),
    (Status::Invalidated, "invalidated"),
];
const HORIZONS: &[(Option<Horizon>, &str)] = &[
    (None, "none"),
    (Some(Horizon::Now), "now"),
    (Some(Horizon::Next), "next"),
    (Some(Horizon::Later), "later"),
];

fn num_text(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// An opportunity: an existing one, or a new one (`id` is `None`).
pub struct OpportunityForm {
    id: Option<Id>,
    title_text: String,
    title: LineField,
    kind: ChoiceField<OpportunityKind>,
    status: ChoiceField<Status>,
    horizon: ChoiceField<Option<Horizon>>,
    description: TextField,
    activities: LinksField,
    personas: LinksField,
    manual_score: LineField,
    outcome: LinksField,
    parent: LinksField,
    value: RatingField,
    effort: RatingField,
    delivered: LineField,
}

impl OpportunityForm {
    /// The form for `o`, or for a new opportunity linked to `activities`
    /// and `personas`.
    pub fn new(o: Option<&Opportunity>, activities: Vec<Id>, personas: Vec<Id>) -> OpportunityForm {
        let blank = Opportunity::new(Id::default(), "", OpportunityKind::Need);
        let x = o.unwrap_or(&blank);
        OpportunityForm {
            id: o.map(|o| o.id.clone()),
            title_text: match o {
                Some(o) => format!("Opportunity · {}", sanitize(&o.title)),
                None => "New opportunity".to_string(),
            },
            title: LineField::new("Title", "", &x.title),
            kind: ChoiceField::new("Kind", "", KINDS, x.kind),
            status: ChoiceField::new("Status", "", STATUSES, x.status),
            horizon: ChoiceField::new("Horizon", "the roadmap column", HORIZONS, x.horizon),
            description: TextField::text("Description", "", &x.description, 2),
            activities: LinksField::new(
                "Activities",
                LinkKind::Activities,
                if o.is_some() {
                    x.activities.clone()
                } else {
                    activities
                },
            ),
            personas: LinksField::new(
                "Personas",
                LinkKind::Personas,
                if o.is_some() {
                    x.personas.clone()
                } else {
                    personas
                },
            ),
            manual_score: LineField::new(
                "Manual score",
                "blank: scored from the linked perspectives; a number (e.g. RICE) overrides",
                &num_text(x.manual_score),
            ),
            outcome: LinksField::new(
                "Outcome",
                LinkKind::Outcome,
                x.outcome.iter().cloned().collect(),
            ),
            parent: LinksField::new(
                "Part of",
                LinkKind::Opportunity,
                x.parent.iter().cloned().collect(),
            ),
            value: RatingField::new("Value", "1 little … 5 a lot", x.value),
            effort: RatingField::new("Effort", "1 a day … 5 a quarter or more", x.effort),
            delivered: LineField::new(
                "Delivered",
                "YYYY-MM-DD (sync-delivery fills it from commits)",
                &x.delivered
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The form for a new opportunity under an outcome and a parent.
    pub fn under(outcome: Option<Id>, parent: Option<Id>) -> OpportunityForm {
        let mut f = OpportunityForm::new(None, Vec::new(), Vec::new());
        f.outcome.ids = outcome.into_iter().collect();
        f.parent.ids = parent.into_iter().collect();
        f
    }
}

impl FormSpec for OpportunityForm {
    fn title(&self) -> String {
        self.title_text.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.title,
            &self.kind,
            &self.status,
            &self.horizon,
            &self.description,
            &self.activities,
            &self.personas,
            &self.manual_score,
            &self.outcome,
            &self.parent,
            &self.value,
            &self.effort,
            &self.delivered,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.title,
            &mut self.kind,
            &mut self.status,
            &mut self.horizon,
            &mut self.description,
            &mut self.activities,
            &mut self.personas,
            &mut self.manual_score,
            &mut self.outcome,
            &mut self.parent,
            &mut self.value,
            &mut self.effort,
            &mut self.delivered,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let title = self.title.value();
        if title.is_empty() {
            return Err("An opportunity needs a title".into());
        }
        let base = match &self.id {
            Some(id) => ws
                .opportunity(id)
                .ok_or("the opportunity no longer exists")?
                .clone(),
            None => Opportunity::new(ws.fresh_id(), "", OpportunityKind::Need),
        };
        let parent = self.parent.one();
        if let Some(p) = &parent {
            if ws.opportunity(p).is_none() {
                return Err("the parent opportunity no longer exists".into());
            }
            if ws.would_cycle(&base.id, p) {
                return Err("It cannot be part of itself or of one of its own parts".into());
            }
        }
        let o = Opportunity {
            outcome: self.outcome.one(),
            parent,
            value: self.value.value,
            effort: self.effort.value,
            delivered: self.delivered.date()?,
            title: title.clone(),
            kind: self.kind.value(),
            status: self.status.value(),
            horizon: self.horizon.value(),
            description: self.description.value(),
            activities: self.activities.ids.clone(),
            personas: self.personas.ids.clone(),
            manual_score: self.manual_score.number()?,
            ..base
        };
        Ok(match self.id {
            Some(_) => (
                format!("edit opportunity \"{title}\""),
                Edit::SetOpportunity { opportunity: o },
            ),
            None => (
                format!("add opportunity \"{title}\""),
                Edit::InsertOpportunity {
                    index: ws.opportunity_insert_index(&o.id),
                    opportunity: o,
                },
            ),
        })
    }
}

const METRIC_KINDS: &[(MetricKind, &str)] = &[
    (MetricKind::Quantitative, "quantitative"),
    (MetricKind::Qualitative, "qualitative"),
];
/// Which teams an adoption rate counts ([`AdoptionRate::voluntary`]).
const COUNTING: &[(bool, &str)] = &[(false, "every team"), (true, "free choice only")];
const DIRECTIONS: &[(Direction, &str)] = &[
    (Direction::HigherIsBetter, "higher is better"),
    (Direction::LowerIsBetter, "lower is better"),
];

/// A metric: an existing one, or a new one (`id` is `None`).
pub struct MetricForm {
    id: Option<Id>,
    title: String,
    name: LineField,
    kind: ChoiceField<MetricKind>,
    unit: LineField,
    direction: ChoiceField<Direction>,
    baseline: LineField,
    target: LineField,
    activity: LinksField,
    opportunity: LinksField,
    personas: LinksField,
    formula: LineField,
    adoption: LinksField,
    counting: ChoiceField<bool>,
    description: TextField,
}

impl MetricForm {
    pub fn new(m: Option<&Metric>, activity: Option<Id>, opportunity: Option<Id>) -> MetricForm {
        let blank = Metric {
            id: Id::default(),
            name: String::new(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity,
            opportunity,
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: Vec::new(),
        };
        let x = m.unwrap_or(&blank);
        MetricForm {
            id: m.map(|m| m.id.clone()),
            title: match m {
                Some(m) => format!("Metric · {}", sanitize(&m.name)),
                None => "New metric".to_string(),
            },
            name: LineField::new("Name", "", &x.name),
            kind: ChoiceField::new(
                "Kind",
                "a number, or a judgement scored on a scale",
                METRIC_KINDS,
                x.kind,
            ),
            unit: LineField::new("Unit", "e.g. %, hours, visits/week", &x.unit),
            direction: ChoiceField::new("Direction", "which way is good", DIRECTIONS, x.direction),
            baseline: LineField::new(
                "Baseline",
                "where it started (blank: unknown)",
                &num_text(x.baseline),
            ),
            target: LineField::new(
                "Target",
                "where it should get to (blank: none)",
                &num_text(x.target),
            ),
            activity: LinksField::new(
                "Activity",
                LinkKind::Activity,
                x.activity.iter().cloned().collect(),
            ),
            opportunity: LinksField::new(
                "Opportunity",
                LinkKind::Opportunity,
                x.opportunity.iter().cloned().collect(),
            ),
            personas: LinksField::new("Personas", LinkKind::Personas, x.personas.clone()),
            formula: LineField::new(
                "Formula",
                "computed from other metrics, e.g. minutes_gained * cost_per_minute (blank: observed)",
                x.formula.as_deref().unwrap_or_default(),
            ),
            adoption: LinksField::new(
                "Adoption of",
                LinkKind::AdoptionTarget,
                x.adoption.iter().map(|r| r.target.id().clone()).collect(),
            ),
            counting: ChoiceField::new(
                "Counting",
                "which teams' adoption the rate counts",
                COUNTING,
                x.adoption.as_ref().is_some_and(|r| r.voluntary),
            ),
            description: TextField::text("Description", "", &x.description, 2),
        }
    }
}

impl FormSpec for MetricForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.name,
            &self.kind,
            &self.unit,
            &self.direction,
            &self.baseline,
            &self.target,
            &self.activity,
            &self.opportunity,
            &self.personas,
            &self.formula,
            &self.adoption,
            &self.counting,
            &self.description,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.name,
            &mut self.kind,
            &mut self.unit,
            &mut self.direction,
            &mut self.baseline,
            &mut self.target,
            &mut self.activity,
            &mut self.opportunity,
            &mut self.personas,
            &mut self.formula,
            &mut self.adoption,
            &mut self.counting,
            &mut self.description,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("A metric needs a name".into());
        }
        let base = match &self.id {
            Some(id) => ws.metric(id).ok_or("the metric no longer exists")?.clone(),
            None => Metric {
                id: ws.fresh_id(),
                name: String::new(),
                kind: MetricKind::Quantitative,
                unit: String::new(),
                description: String::new(),
                activity: None,
                opportunity: None,
                personas: Vec::new(),
                formula: None,
                adoption: None,
                baseline: None,
                target: None,
                direction: Direction::HigherIsBetter,
                observations: Vec::new(),
            },
        };
        let m = Metric {
            name: name.clone(),
            kind: self.kind.value(),
            unit: self.unit.value(),
            direction: self.direction.value(),
            baseline: self.baseline.number()?,
            target: self.target.number()?,
            activity: self.activity.one(),
            opportunity: self.opportunity.one(),
            personas: self.personas.ids.clone(),
            formula: Some(self.formula.value()).filter(|f| !f.is_empty()),
            adoption: self.adoption.one().map(|id| AdoptionRate {
                target: match ws.activity(&id) {
                    Some(_) => Target::Activity(id),
                    None => Target::Capability(id),
                },
                voluntary: self.counting.value(),
            }),
            description: self.description.value(),
            ..base
        };
        if crate::model::derive::ident(&name).is_empty()
            && self
                .id
                .as_ref()
                .is_some_and(|id| !crate::model::derive::uses(ws, id).is_empty())
        {
            return Err(
                "Other metrics' formulas name this one: its name needs a letter or a digit".into(),
            );
        }
        if m.formula.is_some() && m.adoption.is_some() {
            return Err(
                "A metric is computed from a formula or from adoption, not both: clear one".into(),
            );
        }
        if m.formula.is_some() {
            crate::model::derive::check_formula(ws, &m)?;
        }
        Ok(match self.id {
            Some(_) => (
                format!("edit metric \"{name}\""),
                crate::model::edit::set_metric(ws, m),
            ),
            None => (
                format!("add metric \"{name}\""),
                Edit::InsertMetric {
                    index: ws.metric_insert_index(&name),
                    metric: m,
                },
            ),
        })
    }
}

/// An observation of a metric: a new one, or one to change (by its place
/// in the metric's list).
pub struct ObservationForm {
    metric: Id,
    /// The observation changed, `None` for a new one.
    index: Option<usize>,
    title: String,
    value: LineField,
    date: LineField,
    comment: LineField,
}

impl ObservationForm {
    pub fn new(m: &Metric, today: chrono::NaiveDate) -> ObservationForm {
        ObservationForm {
            metric: m.id.clone(),
            index: None,
            title: format!("Observe · {}", sanitize(&m.name)),
            value: LineField::new(
                "Value",
                if m.unit.is_empty() {
                    "a number"
                } else {
                    "a number in the metric's unit"
                },
                "",
            ),
            date: LineField::new("Date", "YYYY-MM-DD", &today.format("%Y-%m-%d").to_string()),
            comment: LineField::new("Comment", "optional", ""),
        }
    }
}

impl ObservationForm {
    /// The form for the observation at `index` of `m`, to change it.
    pub fn edit(m: &Metric, index: usize) -> Option<ObservationForm> {
        let o = m.observations.get(index)?;
        let mut f = ObservationForm::new(m, o.date);
        f.index = Some(index);
        f.title = format!("Observation · {}", sanitize(&m.name));
        f.value = LineField::new("Value", f.value.hint, &crate::text::num(o.value));
        f.comment = LineField::new("Comment", "optional", &o.comment);
        Some(f)
    }
}

impl FormSpec for ObservationForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.value, &self.date, &self.comment]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.value, &mut self.date, &mut self.comment]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let mut m = ws
            .metric(&self.metric)
            .ok_or("the metric no longer exists")?
            .clone();
        let value = self.value.number()?.ok_or("Type the observed value")?;
        let date_text = self.date.value();
        let date = chrono::NaiveDate::parse_from_str(&date_text, "%Y-%m-%d")
            .map_err(|_| format!("\"{}\" is not a date: use YYYY-MM-DD", sanitize(&date_text)))?;
        let o = Observation {
            date,
            value,
            comment: self.comment.value(),
        };
        let name = m.name.clone();
        let label = match self.index {
            Some(i) => {
                let slot = m
                    .observations
                    .get_mut(i)
                    .ok_or("the observation no longer exists")?;
                *slot = o;
                format!("change an observation of {name}: {value} on {date}")
            }
            None => {
                m.observations.push(o);
                format!("observe {name}: {value} on {date}")
            }
        };
        Ok((label, Edit::SetMetric { metric: m }))
    }
}

/// The workspace itself: its name and the description that heads every
/// report.
pub struct WorkspaceForm {
    name: LineField,
    description: TextField,
}

impl WorkspaceForm {
    pub fn new(ws: &Workspace) -> WorkspaceForm {
        WorkspaceForm {
            name: LineField::new("Name", "", &ws.name),
            description: TextField::text(
                "Description",
                "what the product is and who it serves; it heads every report",
                &ws.description,
                5,
            ),
        }
    }
}

impl FormSpec for WorkspaceForm {
    fn title(&self) -> String {
        "Workspace".into()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.name, &self.description]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.name, &mut self.description]
    }
    fn submit(&self, _ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("The workspace needs a name".into());
        }
        Ok((
            "edit the workspace's name and description".into(),
            Edit::SetMeta {
                name,
                description: self.description.value(),
            },
        ))
    }
}

/// A phase: its name and description.
pub struct PhaseForm {
    id: Id,
    title: String,
    name: LineField,
    description: TextField,
}

impl PhaseForm {
    pub fn new(p: &crate::model::Phase) -> PhaseForm {
        PhaseForm {
            id: p.id.clone(),
            title: format!("Phase · {}", sanitize(&p.name)),
            name: LineField::new("Name", "", &p.name),
            description: TextField::text("Description", "", &p.description, 3),
        }
    }
}

impl FormSpec for PhaseForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.name, &self.description]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.name, &mut self.description]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        if ws.phase(&self.id).is_none() {
            return Err("the phase no longer exists".into());
        }
        let name = self.name.value();
        if name.is_empty() {
            return Err("A phase needs a name".into());
        }
        Ok((
            format!("edit phase {name}"),
            Edit::SetPhase {
                id: self.id.clone(),
                name,
                description: self.description.value(),
            },
        ))
    }
}

/// An activity: its name and description.
pub struct ActivityForm {
    id: Id,
    title: String,
    name: LineField,
    description: TextField,
}

impl ActivityForm {
    pub fn new(a: &crate::model::Activity) -> ActivityForm {
        ActivityForm {
            id: a.id.clone(),
            title: format!("Activity · {}", sanitize(&a.name)),
            name: LineField::new("Name", "", &a.name),
            description: TextField::text("Description", "", &a.description, 3),
        }
    }
}

impl FormSpec for ActivityForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.name, &self.description]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.name, &mut self.description]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        if ws.activity(&self.id).is_none() {
            return Err("the activity no longer exists".into());
        }
        let name = self.name.value();
        if name.is_empty() {
            return Err("An activity needs a name".into());
        }
        Ok((
            format!("edit activity {name}"),
            Edit::SetActivity {
                activity: crate::model::Activity {
                    id: self.id.clone(),
                    name,
                    description: self.description.value(),
                },
            },
        ))
    }
}
