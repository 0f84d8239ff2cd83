//! Our own JSON export (`docs/export-json.md`), read back into a workspace
//! of its own with every id kept; [`super::merge_workspace`] then adds it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::{ImportError, Plan, date, merge_workspace, read, utf8};
use crate::model::{
    Activity, AssumptionKind, AssumptionTest, Direction, Evidence, Horizon, Id, Metric, MetricKind,
    NeedsLayer, NeedsNode, Note, Observation, Opportunity, OpportunityKind, Outcome, Persona,
    Perspective, Phase, Role, Solution, SolutionStatus, Status, Verdict, Workspace,
};

/// Imports our own JSON export (the file at `path`) into `ws`.
pub fn json(ws: &Workspace, path: &Path) -> Result<Plan, ImportError> {
    let text = utf8(path, read(path)?)?;
    json_str(ws, &text, &path.display().to_string())
}

/// Imports a JSON export given as text; `origin` names it in messages.
pub fn json_str(ws: &Workspace, text: &str, origin: &str) -> Result<Plan, ImportError> {
    let src = parse_export(text, origin)?;
    merge_workspace(ws, src)
}

/// The `format` of our JSON export (`docs/export-json.md`).
pub use crate::export::JSON_FORMAT as EXPORT_FORMAT;
/// The version of the export's shape this import reads.
pub use crate::export::JSON_VERSION as EXPORT_VERSION;

/// A number in the document. serde_json is built with `float_roundtrip`, so
/// every number the export wrote is read back to the same `f64`.
#[derive(Clone, Debug, Deserialize)]
#[serde(transparent)]
struct Num(serde_json::Number);

impl Num {
    fn f64(&self) -> Result<f64, String> {
        self.0
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{} is not a number", self.0))
    }

    fn u8(&self) -> Result<u8, String> {
        self.0
            .as_u64()
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| format!("{} is not a whole number from 0 to 255", self.0))
    }
}

#[derive(Deserialize)]
struct JHead {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<Num>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JDoc {
    name: String,
    description: String,
    phases: Vec<JPhase>,
    personas: Vec<JPersona>,
    perspectives: Vec<JPerspective>,
    notes: Vec<JNote>,
    opportunities: Vec<JOpportunity>,
    metrics: Vec<JMetric>,
    outcomes: Vec<JOutcome>,
    solutions: Vec<JSolution>,
    assumption_tests: Vec<JTest>,
    needs_layers: Vec<JLayer>,
    needs_nodes: Vec<JNode>,
    teams: Vec<JTeam>,
    adoption: Vec<JAdoption>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JLayer {
    id: Id,
    name: String,
    description: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JNode {
    id: Id,
    layer: Id,
    name: String,
    description: String,
    depends_on: Vec<Id>,
    personas: Vec<Id>,
    activities: Vec<Id>,
    opportunities: Vec<Id>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JTeam {
    id: Id,
    name: String,
    size: Option<u32>,
    persona: Option<Id>,
    since: Option<String>,
    description: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JAdoption {
    id: Id,
    team: Id,
    target_kind: String,
    target: Id,
    date: String,
    state: String,
    mandated: bool,
    comment: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JMetricAdoption {
    target_kind: String,
    target: Id,
    voluntary: bool,
}

fn target_of(kind: &str, id: Id) -> Result<crate::model::Target, String> {
    match kind {
        "activity" | "" => Ok(crate::model::Target::Activity(id)),
        "capability" => Ok(crate::model::Target::Capability(id)),
        k => Err(format!(
            "unknown target_kind {k:?} (activity or capability)"
        )),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JOutcome {
    id: Id,
    name: String,
    description: String,
    metrics: Vec<Id>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JSolution {
    id: Id,
    opportunity: Id,
    title: String,
    description: String,
    status: String,
    shipped: Option<String>,
    value: Option<Num>,
    effort: Option<Num>,
    owner: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JTest {
    id: Id,
    solution: Id,
    assumption: String,
    kind: String,
    method: String,
    criterion: String,
    owner: String,
    due: Option<String>,
    result: String,
    evidence: Vec<JEvidence>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPhase {
    id: Id,
    name: String,
    description: String,
    activities: Vec<JActivity>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JActivity {
    id: Id,
    name: String,
    description: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPersona {
    id: Id,
    name: String,
    role: String,
    description: String,
    jobs: Vec<String>,
    tags: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPerspective {
    persona: Id,
    activity: Id,
    interest: String,
    needs: Vec<String>,
    pains: Vec<String>,
    importance: Option<Num>,
    satisfaction: Option<Num>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JNote {
    id: Id,
    date: String,
    interviewee: String,
    persona: Option<Id>,
    activities: Vec<Id>,
    title: String,
    tags: Vec<String>,
    body: String,
    answered: Vec<JAnswer>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JAnswer {
    question: String,
    date: String,
    by: Option<JEvidence>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JOpportunity {
    id: Id,
    title: String,
    kind: String,
    description: String,
    status: String,
    horizon: Option<String>,
    activities: Vec<Id>,
    personas: Vec<Id>,
    manual_score: Option<Num>,
    delivered: Option<String>,
    outcome: Option<Id>,
    parent: Option<Id>,
    value: Option<Num>,
    effort: Option<Num>,
    evidence: Vec<JEvidence>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JEvidence {
    note: Id,
    quote: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JMetric {
    id: Id,
    name: String,
    kind: String,
    unit: String,
    description: String,
    activity: Option<Id>,
    opportunity: Option<Id>,
    personas: Vec<Id>,
    formula: Option<String>,
    adoption: Option<JMetricAdoption>,
    direction: String,
    baseline: Option<Num>,
    target: Option<Num>,
    observations: Vec<JObservation>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JObservation {
    date: String,
    value: Option<Num>,
    comment: String,
}

fn by_label<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, s: &str) -> Option<T> {
    all.iter().copied().find(|x| label(*x) == s.trim())
}

/// Problems found reading an export, and the ids seen so far.
struct Problems<'a> {
    origin: &'a str,
    list: Vec<String>,
    seen: HashMap<Id, String>,
}

impl Problems<'_> {
    /// The value, or `None` with the problem recorded.
    fn get<T>(&mut self, at: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.list.push(format!("{}: {at}: {e}", self.origin)))
            .ok()
    }

    /// Records a missing, malformed or duplicate id.
    fn check_id(&mut self, id: &Id, at: &str) {
        let origin = self.origin;
        if id.as_str().is_empty() {
            self.list.push(format!("{origin}: {at} has no id"));
        } else if !id.is_well_formed() {
            self.list
                .push(format!("{origin}: {at} has a malformed id {id:?}"));
        } else if let Some(first) = self.seen.get(id) {
            self.list.push(format!(
                "{origin}: {at} has id {id}, already used by {first}"
            ));
        } else {
            self.seen.insert(id.clone(), at.to_string());
        }
    }
}

/// Reads an export into a workspace of its own (ids checked for duplicates).
fn parse_export(text: &str, origin: &str) -> Result<Workspace, ImportError> {
    // Syntax errors are located in the text as given.
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|e| ImportError::one(format!("{origin}: not valid JSON: {e}")))?;
    let head: JHead = serde_json::from_str(text).map_err(|e| {
        ImportError::one(format!(
            "{origin}: not a valuemap JSON export (a JSON object with \"format\": \"valuemap-export\" is expected): {e}"
        ))
    })?;
    if head.format.as_deref() != Some(EXPORT_FORMAT) {
        return Err(ImportError::one(format!(
            "{origin}: not a valuemap JSON export (its \"format\" is {}, not \"{}\")",
            head.format
                .map_or("missing".to_string(), |f| format!("{f:?}")),
            EXPORT_FORMAT
        )));
    }
    let version = head.version.as_ref().map(Num::f64);
    match version {
        Some(Ok(v)) if v == f64::from(EXPORT_VERSION) => {}
        Some(Ok(v)) if v > f64::from(EXPORT_VERSION) => {
            return Err(ImportError::one(format!(
                "{origin}: written in export version {v}, newer than this valuemap reads (version {}); upgrade valuemap",
                EXPORT_VERSION
            )));
        }
        _ => {
            return Err(ImportError::one(format!(
                "{origin}: export version {} is not one this valuemap reads (version {})",
                head.version
                    .map_or("missing".to_string(), |v| v.0.to_string()),
                EXPORT_VERSION
            )));
        }
    }
    let doc: JDoc = serde_json::from_str(text)
        .map_err(|e| ImportError::one(format!("{origin}: not the shape of an export: {e}")))?;
    let mut pr = Problems {
        origin,
        list: Vec::new(),
        seen: HashMap::new(),
    };
    let mut ws = Workspace::new(doc.name);
    ws.description = doc.description;
    for (i, p) in doc.phases.into_iter().enumerate() {
        let at = format!("phases[{i}] ({:?})", p.name);
        pr.check_id(&p.id, &at);
        let mut activities = Vec::new();
        for (j, a) in p.activities.into_iter().enumerate() {
            pr.check_id(
                &a.id,
                &format!("phases[{i}].activities[{j}] ({:?})", a.name),
            );
            activities.push(Activity {
                id: a.id,
                name: a.name,
                description: a.description,
            });
        }
        ws.phases.push(Phase {
            id: p.id,
            name: p.name,
            description: p.description,
            activities,
        });
    }
    for (i, p) in doc.personas.into_iter().enumerate() {
        let at = format!("personas[{i}] ({:?})", p.name);
        pr.check_id(&p.id, &at);
        let role = pr.get(
            &at,
            Role::from_slug(&p.role).ok_or_else(|| {
                format!("unknown role {:?} (customer, consumer or end-user)", p.role)
            }),
        );
        ws.personas.push(Persona {
            id: p.id,
            name: p.name,
            role: role.unwrap_or_default(),
            description: p.description,
            jobs: p.jobs,
            tags: p.tags,
        });
    }
    let mut cells = HashSet::new();
    for (i, x) in doc.perspectives.into_iter().enumerate() {
        let at = format!("perspectives[{i}] ({} × {})", x.persona, x.activity);
        if !cells.insert((x.persona.clone(), x.activity.clone())) {
            pr.list
                .push(format!("{origin}: {at}: the cell appears twice"));
        }
        let mut rating = |n: Option<Num>| n.and_then(|n| pr.get(&at, n.u8()));
        let importance = rating(x.importance);
        let satisfaction = rating(x.satisfaction);
        let v = Perspective {
            persona: x.persona.clone(),
            activity: x.activity.clone(),
            interest: x.interest,
            needs: x.needs,
            pains: x.pains,
            importance,
            satisfaction,
        };
        ws.set_perspective(&x.persona, &x.activity, Some(v));
    }
    for (i, n) in doc.notes.into_iter().enumerate() {
        let at = format!("notes[{i}] ({})", n.id);
        pr.check_id(&n.id, &at);
        let Some(d) = pr.get(&at, date(&n.date)) else {
            continue;
        };
        let mut answered = Vec::new();
        for (j, a) in n.answered.into_iter().enumerate() {
            let at = format!("{at}.answered[{j}]");
            if let Some(day) = pr.get(&at, date(&a.date)) {
                answered.push(crate::model::Answer {
                    question: a.question,
                    date: day,
                    by: a.by.map(|e| Evidence {
                        note: e.note,
                        quote: e.quote,
                    }),
                });
            }
        }
        answered.sort();
        answered.dedup_by(|a, b| a.question == b.question);
        ws.notes.insert(
            n.id.clone(),
            Note {
                id: n.id,
                date: d,
                interviewee: n.interviewee.into(),
                persona: n.persona,
                activities: n.activities,
                title: n.title,
                body: n.body,
                tags: n.tags.into(),
                dismissed: crate::model::ThinVec::new(),
                answered: answered.into(),
                captured: None,
            }
            .into(),
        );
    }
    for (i, o) in doc.opportunities.into_iter().enumerate() {
        let at = format!("opportunities[{i}] ({:?})", o.title);
        pr.check_id(&o.id, &at);
        let kind = pr.get(
            &at,
            by_label(&OpportunityKind::ALL, OpportunityKind::label, &o.kind)
                .ok_or_else(|| format!("unknown kind {:?} (need, pain or gain)", o.kind)),
        );
        let status = pr.get(
            &at,
            by_label(&Status::ALL, Status::label, &o.status)
                .ok_or_else(|| format!("unknown status {:?}", o.status)),
        );
        let horizon = o.horizon.as_deref().and_then(|h| {
            pr.get(
                &at,
                by_label(&Horizon::ALL, Horizon::label, h)
                    .ok_or_else(|| format!("unknown horizon {h:?} (now, next or later)")),
            )
        });
        let manual_score = o.manual_score.and_then(|s| pr.get(&at, s.f64()));
        let value = o.value.and_then(|v| pr.get(&at, v.u8()));
        let effort = o.effort.and_then(|v| pr.get(&at, v.u8()));
        let delivered = o.delivered.as_deref().and_then(|d| {
            pr.get(
                &at,
                chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("delivered {d:?} is not a date (YYYY-MM-DD)")),
            )
        });
        ws.opportunities.push(Opportunity {
            id: o.id,
            title: o.title,
            kind: kind.unwrap_or_default(),
            description: o.description,
            status: status.unwrap_or_default(),
            horizon,
            activities: o.activities,
            personas: o.personas,
            evidence: o
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    note: e.note,
                    quote: e.quote,
                })
                .collect(),
            manual_score,
            delivered,
            outcome: o.outcome,
            parent: o.parent,
            value,
            effort,
        });
    }
    for (i, m) in doc.metrics.into_iter().enumerate() {
        let at = format!("metrics[{i}] ({:?})", m.name);
        pr.check_id(&m.id, &at);
        let kind = pr.get(
            &at,
            match m.kind.trim() {
                "quantitative" => Ok(MetricKind::Quantitative),
                "qualitative" => Ok(MetricKind::Qualitative),
                k => Err(format!("unknown kind {k:?} (quantitative or qualitative)")),
            },
        );
        let direction = pr.get(
            &at,
            match m.direction.trim() {
                "higher-is-better" => Ok(Direction::HigherIsBetter),
                "lower-is-better" => Ok(Direction::LowerIsBetter),
                d => Err(format!(
                    "unknown direction {d:?} (higher-is-better or lower-is-better)"
                )),
            },
        );
        let baseline = m.baseline.and_then(|v| pr.get(&at, v.f64()));
        let target = m.target.and_then(|v| pr.get(&at, v.f64()));
        let mut observations = Vec::new();
        for (j, o) in m.observations.into_iter().enumerate() {
            let oat = format!("{at}.observations[{j}]");
            let d = pr.get(&oat, date(&o.date));
            let v = pr.get(
                &oat,
                o.value
                    .ok_or_else(|| "has no value".to_string())
                    .and_then(|v| v.f64()),
            );
            if let (Some(date), Some(value)) = (d, v) {
                observations.push(Observation {
                    date,
                    value,
                    comment: o.comment,
                });
            }
        }
        ws.metrics.push(Metric {
            id: m.id,
            name: m.name,
            kind: kind.unwrap_or_default(),
            unit: m.unit,
            description: m.description,
            activity: m.activity,
            opportunity: m.opportunity,
            personas: m.personas,
            formula: m.formula,
            adoption: m.adoption.and_then(|a| {
                pr.get(&at, target_of(&a.target_kind, a.target))
                    .map(|target| crate::model::AdoptionRate {
                        target,
                        voluntary: a.voluntary,
                    })
            }),
            baseline,
            target,
            direction: direction.unwrap_or_default(),
            observations,
        });
    }
    for (i, o) in doc.outcomes.into_iter().enumerate() {
        let at = format!("outcomes[{i}] ({:?})", o.name);
        pr.check_id(&o.id, &at);
        ws.items.outcomes.insert(
            o.id.clone(),
            Outcome {
                id: o.id,
                name: o.name,
                description: o.description,
                metrics: o.metrics,
            },
        );
    }
    for (i, s) in doc.solutions.into_iter().enumerate() {
        let at = format!("solutions[{i}] ({:?})", s.title);
        pr.check_id(&s.id, &at);
        let status = pr.get(
            &at,
            by_label(&SolutionStatus::ALL, SolutionStatus::label, &s.status).ok_or_else(|| {
                format!(
                    "unknown status {:?} (idea, building, shipped or dropped)",
                    s.status
                )
            }),
        );
        let shipped = s.shipped.as_deref().and_then(|d| pr.get(&at, date(d)));
        let effort = s.effort.and_then(|v| pr.get(&at, v.u8()));
        let value = s.value.and_then(|v| pr.get(&at, v.u8()));
        ws.items.solutions.insert(
            s.id.clone(),
            Solution {
                id: s.id,
                opportunity: s.opportunity,
                title: s.title,
                description: s.description,
                status: status.unwrap_or_default(),
                shipped,
                value,
                effort,
                owner: s.owner,
            },
        );
    }
    for (i, t) in doc.assumption_tests.into_iter().enumerate() {
        let at = format!("assumption_tests[{i}] ({:?})", t.assumption);
        pr.check_id(&t.id, &at);
        let kind = pr.get(
            &at,
            by_label(&AssumptionKind::ALL, AssumptionKind::label, &t.kind).ok_or_else(|| {
                format!(
                    "unknown kind {:?} (desirability, viability, feasibility or usability)",
                    t.kind
                )
            }),
        );
        let result = pr.get(
            &at,
            by_label(&Verdict::ALL, Verdict::label, &t.result).ok_or_else(|| {
                format!("unknown result {:?} (pending, passed or failed)", t.result)
            }),
        );
        let due = t.due.as_deref().and_then(|d| pr.get(&at, date(d)));
        ws.items.tests.insert(
            t.id.clone(),
            AssumptionTest {
                id: t.id,
                solution: t.solution,
                assumption: t.assumption,
                kind: kind.unwrap_or_default(),
                method: t.method,
                criterion: t.criterion,
                owner: t.owner,
                due,
                result: result.unwrap_or_default(),
                evidence: t
                    .evidence
                    .into_iter()
                    .map(|e| Evidence {
                        note: e.note,
                        quote: e.quote,
                    })
                    .collect(),
            },
        );
    }
    let layers: Vec<NeedsLayer> = doc
        .needs_layers
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            pr.check_id(&l.id, &format!("needs_layers[{i}] ({:?})", l.name));
            NeedsLayer {
                id: l.id,
                name: l.name,
                description: l.description,
                rank: i as u32,
            }
        })
        .collect();
    // The four defaults with no node in them are what a workspace without
    // a needs map exports: nothing to store.
    if !(doc.needs_nodes.is_empty() && layers == crate::model::needs::default_layers()) {
        for l in layers {
            ws.items.layers.insert(l.id.clone(), l);
        }
    }
    for (i, n) in doc.needs_nodes.into_iter().enumerate() {
        pr.check_id(&n.id, &format!("needs_nodes[{i}] ({:?})", n.name));
        ws.items.nodes.insert(
            n.id.clone(),
            NeedsNode {
                id: n.id,
                layer: n.layer,
                name: n.name,
                description: n.description,
                depends_on: n.depends_on,
                personas: n.personas,
                activities: n.activities,
                opportunities: n.opportunities,
            },
        );
    }
    for (i, t) in doc.teams.into_iter().enumerate() {
        let at = format!("teams[{i}] ({:?})", t.name);
        pr.check_id(&t.id, &at);
        let since = t.since.as_deref().and_then(|d| pr.get(&at, date(d)));
        ws.items.teams.insert(
            t.id.clone(),
            crate::model::Team {
                id: t.id,
                name: t.name,
                size: t.size,
                persona: t.persona,
                since,
                description: t.description,
            },
        );
    }
    for (i, a) in doc.adoption.into_iter().enumerate() {
        let at = format!("adoption[{i}]");
        pr.check_id(&a.id, &at);
        let d = pr.get(&at, date(&a.date));
        let target = pr.get(&at, target_of(&a.target_kind, a.target));
        let state = pr.get(
            &at,
            crate::model::AdoptionState::from_slug(&a.state).ok_or_else(|| {
                format!(
                    "unknown state {:?} (not-adopted, trialling, adopted or dropped)",
                    a.state
                )
            }),
        );
        if let (Some(date), Some(target), Some(state)) = (d, target, state) {
            ws.items.adoptions.insert(
                a.id.clone(),
                crate::model::Adoption {
                    id: a.id,
                    team: a.team,
                    target,
                    date,
                    state,
                    mandated: a.mandated,
                    comment: a.comment,
                },
            );
        }
    }
    if !pr.list.is_empty() {
        return Err(ImportError { problems: pr.list });
    }
    ws.normalize();
    ws.derive_metrics();
    Ok(ws)
}
