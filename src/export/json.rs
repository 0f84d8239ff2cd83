//! JSON: the whole workspace in one documented, stable shape
//! (`docs/export-json.md`).
//!
//! The document is built from structs of its own rather than from the model,
//! so the model can change without changing the export. Every field is always
//! present (`null`, `""` or `[]` when there is nothing), every list has a
//! fixed order, and strings are exactly as they are in the workspace.

use serde::Serialize;

use super::{
    ExportError, Verdict, direction_slug, notes_by_date, perspectives_in_map_order, score_source,
    score_value,
};
use crate::capture::{self, LineKind};
use crate::model::coverage;
use crate::model::ratings;
use crate::model::score;
use crate::model::validation;
use crate::model::{Id, Metric, Note, Observation, Workspace};

/// The value of the `format` field.
pub const FORMAT: &str = "valuemap-export";
/// The version of the shape; it changes only when a field changes meaning or
/// goes away (new fields may be added within a version).
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    name: &'a str,
    description: &'a str,
    counts: Counts,
    phases: Vec<Phase<'a>>,
    personas: Vec<Persona<'a>>,
    perspectives: Vec<Perspective<'a>>,
    ratings: Vec<CellRatingOut<'a>>,
    notes: Vec<NoteOut<'a>>,
    opportunities: Vec<Opportunity<'a>>,
    metrics: Vec<MetricOut<'a>>,
    outcomes: Vec<OutcomeOut<'a>>,
    solutions: Vec<SolutionOut<'a>>,
    assumption_tests: Vec<TestOut<'a>>,
    /// The layers of the needs map, top first (the four defaults when the
    /// workspace names none).
    needs_layers: Vec<LayerOut>,
    /// Its nodes, layer by layer, by name.
    needs_nodes: Vec<NodeOut<'a>>,
    teams: Vec<TeamOut<'a>>,
    adoption: Vec<AdoptionOut<'a>>,
    /// Per target, the adoption rates on every date something was recorded.
    adoption_rates: Vec<RatesOut>,
    blind_spots: Vec<String>,
}

/// A cell the interviews rated: what they say, the PM's own rating, and
/// which one scores the cell.
#[derive(Serialize)]
struct CellRatingOut<'a> {
    persona: &'a Id,
    activity: &'a Id,
    n: usize,
    importance: SpreadOut,
    satisfaction: SpreadOut,
    pm_importance: Option<u8>,
    pm_satisfaction: Option<u8>,
    source: &'static str,
    score: Option<u8>,
    disagreement: bool,
}

#[derive(Serialize)]
struct SpreadOut {
    median: f64,
    min: u8,
    max: u8,
}

impl From<ratings::Spread> for SpreadOut {
    fn from(s: ratings::Spread) -> SpreadOut {
        SpreadOut {
            median: s.median(),
            min: s.min,
            max: s.max,
        }
    }
}

#[derive(Serialize)]
struct RatingOut {
    activity: Id,
    importance: u8,
    satisfaction: u8,
}

#[derive(Serialize)]
struct LayerOut {
    id: Id,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a Id,
    layer: &'a Id,
    name: &'a str,
    description: &'a str,
    depends_on: &'a [Id],
    personas: &'a [Id],
    activities: &'a [Id],
    opportunities: &'a [Id],
    /// Every node that depends on it, directly or not (derived).
    serves: Vec<Id>,
}

#[derive(Serialize)]
struct TeamOut<'a> {
    id: &'a Id,
    name: &'a str,
    size: Option<u32>,
    persona: Option<&'a Id>,
    /// The day the team starts to count in the rates, as recorded.
    since: Option<String>,
    /// The day it counts from: `since`, else its first adoption record
    /// (derived; `null`: on every date).
    counted_from: Option<String>,
    description: &'a str,
}

/// What a team adopts: `target_kind` is `activity` or `capability`.
#[derive(Serialize)]
struct TargetOut<'a> {
    target_kind: &'static str,
    target: &'a Id,
}

fn target(t: &crate::model::Target) -> TargetOut<'_> {
    TargetOut {
        target_kind: t.noun(),
        target: t.id(),
    }
}

#[derive(Serialize)]
struct AdoptionOut<'a> {
    id: &'a Id,
    team: &'a Id,
    #[serde(flatten)]
    target: TargetOut<'a>,
    date: String,
    state: &'static str,
    mandated: bool,
    comment: &'a str,
}

#[derive(Serialize)]
struct RateOut {
    date: String,
    teams: usize,
    adopted: usize,
    voluntary: usize,
    trialling: usize,
    rate: Option<f64>,
    voluntary_rate: Option<f64>,
}

#[derive(Serialize)]
struct RatesOut {
    target_kind: &'static str,
    target: Id,
    name: String,
    series: Vec<RateOut>,
}

#[derive(Serialize)]
struct MetricAdoptionOut<'a> {
    #[serde(flatten)]
    target: TargetOut<'a>,
    voluntary: bool,
}

#[derive(Serialize)]
struct OutcomeOut<'a> {
    id: &'a Id,
    name: &'a str,
    description: &'a str,
    metrics: &'a [Id],
}

#[derive(Serialize)]
struct SolutionOut<'a> {
    id: &'a Id,
    opportunity: &'a Id,
    title: &'a str,
    description: &'a str,
    status: &'static str,
    shipped: Option<String>,
    value: Option<u8>,
    effort: Option<u8>,
    owner: &'a str,
    /// Each validating metric before and after the ship date.
    validation: Vec<ComparisonOut<'a>>,
}

#[derive(Serialize)]
struct ComparisonOut<'a> {
    metric: &'a Id,
    window_days: u64,
    before: WindowOut,
    after: WindowOut,
    change: Option<f64>,
    verdict: &'static str,
}

#[derive(Serialize)]
struct WindowOut {
    count: usize,
    mean: Option<f64>,
}

#[derive(Serialize)]
struct TestOut<'a> {
    id: &'a Id,
    solution: &'a Id,
    assumption: &'a str,
    kind: &'static str,
    method: &'a str,
    criterion: &'a str,
    owner: &'a str,
    due: Option<String>,
    result: &'static str,
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct Counts {
    phases: usize,
    activities: usize,
    personas: usize,
    perspectives: usize,
    notes: usize,
    opportunities: usize,
    evidence: usize,
    metrics: usize,
    observations: usize,
    outcomes: usize,
    solutions: usize,
    assumption_tests: usize,
    needs_nodes: usize,
    teams: usize,
    adoption_records: usize,
}

#[derive(Serialize)]
struct Phase<'a> {
    id: &'a Id,
    name: &'a str,
    description: &'a str,
    activities: Vec<Activity<'a>>,
}

#[derive(Serialize)]
struct Activity<'a> {
    id: &'a Id,
    name: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct Persona<'a> {
    id: &'a Id,
    name: &'a str,
    role: &'static str,
    description: &'a str,
    jobs: &'a [String],
    tags: &'a [String],
}

#[derive(Serialize)]
struct Perspective<'a> {
    persona: &'a Id,
    activity: &'a Id,
    interest: &'a str,
    needs: &'a [String],
    pains: &'a [String],
    importance: Option<u8>,
    satisfaction: Option<u8>,
    score: Option<u8>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    id: &'a Id,
    date: String,
    interviewee: &'a str,
    persona: Option<&'a Id>,
    activities: &'a [Id],
    title: &'a str,
    tags: &'a [String],
    body: &'a str,
    quotes: Vec<String>,
    pains: Vec<String>,
    needs: Vec<String>,
    questions: Vec<String>,
    /// The interviewee's ratings, one per activity rated (the last line wins).
    ratings: Vec<RatingOut>,
    /// Its questions marked answered (by a line of another note or none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answered: Vec<AnsweredOut<'a>>,
}

#[derive(Serialize)]
struct AnsweredOut<'a> {
    question: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<AnswerLine<'a>>,
}

#[derive(Serialize)]
struct AnswerLine<'a> {
    note: &'a Id,
    quote: &'a str,
}

#[derive(Serialize)]
struct Opportunity<'a> {
    id: &'a Id,
    rank: usize,
    title: &'a str,
    kind: &'static str,
    description: &'a str,
    status: &'static str,
    horizon: Option<&'static str>,
    activities: &'a [Id],
    personas: &'a [Id],
    score: Option<f64>,
    score_source: &'static str,
    manual_score: Option<f64>,
    /// The delivery date (`YYYY-MM-DD`), if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    delivered: Option<String>,
    outcome: Option<&'a Id>,
    parent: Option<&'a Id>,
    value: Option<u8>,
    effort: Option<u8>,
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    note: &'a Id,
    quote: &'a str,
    note_date: Option<String>,
    interviewee: Option<&'a str>,
}

#[derive(Serialize)]
struct MetricOut<'a> {
    id: &'a Id,
    name: &'a str,
    kind: &'static str,
    unit: &'a str,
    description: &'a str,
    activity: Option<&'a Id>,
    opportunity: Option<&'a Id>,
    /// The personas who watch it (none: everyone).
    personas: &'a [Id],
    /// Computed from other metrics (its observations are the result).
    formula: Option<&'a str>,
    /// Its series is an adoption rate.
    adoption: Option<MetricAdoptionOut<'a>>,
    direction: &'static str,
    baseline: Option<f64>,
    target: Option<f64>,
    observations: Vec<ObservationOut<'a>>,
    latest: Option<ObservationOut<'a>>,
    on_track: Option<bool>,
    verdict: &'static str,
}

#[derive(Serialize)]
struct ObservationOut<'a> {
    date: String,
    value: f64,
    comment: &'a str,
}

fn observation(o: &Observation) -> ObservationOut<'_> {
    ObservationOut {
        date: o.date.to_string(),
        value: o.value,
        comment: &o.comment,
    }
}

fn lines_of(parsed: &capture::Parsed, kind: LineKind) -> Vec<String> {
    parsed.of_kind(kind).map(|l| l.text.clone()).collect()
}

fn note<'a>(ws: &Workspace, n: &'a Note) -> NoteOut<'a> {
    let parsed = capture::parse(&n.body);
    NoteOut {
        ratings: ratings::note_ratings(ws, n)
            .0
            .into_iter()
            .map(|(activity, importance, satisfaction)| RatingOut {
                activity,
                importance,
                satisfaction,
            })
            .collect(),
        id: &n.id,
        date: n.date.to_string(),
        interviewee: &n.interviewee,
        persona: n.persona.as_ref(),
        activities: &n.activities,
        title: &n.title,
        tags: &n.tags,
        body: &n.body,
        quotes: lines_of(&parsed, LineKind::Quote),
        pains: lines_of(&parsed, LineKind::Pain),
        needs: lines_of(&parsed, LineKind::Need),
        questions: lines_of(&parsed, LineKind::Question),
        answered: n
            .answered
            .iter()
            .map(|a| AnsweredOut {
                question: &a.question,
                date: a.date.to_string(),
                by: a.by.as_ref().map(|b| AnswerLine {
                    note: &b.note,
                    quote: &b.quote,
                }),
            })
            .collect(),
    }
}

fn metric(m: &Metric) -> MetricOut<'_> {
    let mut obs: Vec<&Observation> = m.observations.iter().collect();
    obs.sort_by_key(|o| o.date);
    MetricOut {
        id: &m.id,
        name: &m.name,
        kind: m.kind.label(),
        unit: &m.unit,
        description: &m.description,
        activity: m.activity.as_ref(),
        opportunity: m.opportunity.as_ref(),
        personas: &m.personas,
        formula: m.formula.as_deref(),
        adoption: m.adoption.as_ref().map(|a| MetricAdoptionOut {
            target: target(&a.target),
            voluntary: a.voluntary,
        }),
        direction: direction_slug(m.direction),
        baseline: m.baseline,
        target: m.target,
        observations: obs.into_iter().map(observation).collect(),
        latest: m.latest().map(observation),
        on_track: m.on_track(),
        verdict: Verdict::of(m).slug(),
    }
}

fn evidence<'a>(ws: &'a Workspace, list: &'a [crate::model::Evidence]) -> Vec<Evidence<'a>> {
    list.iter()
        .map(|e| {
            let n = ws.notes.get(&e.note);
            Evidence {
                note: &e.note,
                quote: &e.quote,
                note_date: n.map(|n| n.date.to_string()),
                interviewee: n.map(|n| n.interviewee.as_str()),
            }
        })
        .collect()
}

/// The JSON document, pretty-printed, ending with a line break.
pub(super) fn render(ws: &Workspace) -> Result<String, ExportError> {
    let ranked = score::ranked(ws);
    let today = chrono::Local::now().date_naive();
    let doc = Document {
        format: FORMAT,
        version: VERSION,
        name: &ws.name,
        description: &ws.description,
        counts: Counts {
            phases: ws.phases.len(),
            activities: ws.activity_count(),
            personas: ws.personas.len(),
            perspectives: ws.perspectives.len(),
            notes: ws.notes.len(),
            opportunities: ws.opportunities.len(),
            evidence: ws.opportunities.iter().map(|o| o.evidence.len()).sum(),
            metrics: ws.metrics.len(),
            observations: ws.metrics.iter().map(|m| m.observations.len()).sum(),
            outcomes: ws.items.outcomes.len(),
            solutions: ws.items.solutions.len(),
            assumption_tests: ws.items.tests.len(),
            needs_nodes: ws.items.nodes.len(),
            teams: ws.items.teams.len(),
            adoption_records: ws.items.adoptions.len(),
        },
        phases: ws
            .phases
            .iter()
            .map(|p| Phase {
                id: &p.id,
                name: &p.name,
                description: &p.description,
                activities: p
                    .activities
                    .iter()
                    .map(|a| Activity {
                        id: &a.id,
                        name: &a.name,
                        description: &a.description,
                    })
                    .collect(),
            })
            .collect(),
        personas: ws
            .personas
            .iter()
            .map(|p| Persona {
                id: &p.id,
                name: &p.name,
                role: p.role.slug(),
                description: &p.description,
                jobs: &p.jobs,
                tags: &p.tags,
            })
            .collect(),
        perspectives: perspectives_in_map_order(ws)
            .into_iter()
            .map(|x| Perspective {
                persona: &x.persona,
                activity: &x.activity,
                interest: &x.interest,
                needs: &x.needs,
                pains: &x.pains,
                importance: x.importance,
                satisfaction: x.satisfaction,
                score: x.score(),
            })
            .collect(),
        ratings: {
            let cells = ratings::ByCell::of(ws);
            ws.personas
                .iter()
                .flat_map(|p| ws.activities().map(move |(_, a)| (p, a)))
                .filter_map(|(p, a)| {
                    let r = ratings::CellRatings::rating(&cells, ws, &p.id, &a.id);
                    let h = r.heard?;
                    Some(CellRatingOut {
                        persona: &p.id,
                        activity: &a.id,
                        n: h.n,
                        importance: h.importance.into(),
                        satisfaction: h.satisfaction.into(),
                        pm_importance: r.pm.0,
                        pm_satisfaction: r.pm.1,
                        source: match r.source {
                            ratings::Source::Pm => "pm",
                            ratings::Source::Interviews(_) => "interviews",
                        },
                        score: r.score(),
                        disagreement: r.disagrees(),
                    })
                })
                .collect()
        },
        notes: notes_by_date(ws).into_iter().map(|n| note(ws, n)).collect(),
        opportunities: ranked
            .iter()
            .enumerate()
            .map(|(i, (o, s))| Opportunity {
                id: &o.id,
                rank: i + 1,
                title: &o.title,
                kind: o.kind.label(),
                description: &o.description,
                status: o.status.label(),
                horizon: o.horizon.map(|h| h.label()),
                activities: &o.activities,
                personas: &o.personas,
                score: score_value(*s),
                score_source: score_source(*s),
                manual_score: o.manual_score.filter(|v| v.is_finite()),
                delivered: o.delivered.map(|d| d.format("%Y-%m-%d").to_string()),
                outcome: o.outcome.as_ref(),
                parent: o.parent.as_ref(),
                value: o.value,
                effort: o.effort,
                evidence: evidence(ws, &o.evidence),
            })
            .collect(),
        metrics: ws.metrics.iter().map(metric).collect(),
        outcomes: ws
            .items
            .outcomes
            .values()
            .map(|o| OutcomeOut {
                id: &o.id,
                name: &o.name,
                description: &o.description,
                metrics: &o.metrics,
            })
            .collect(),
        solutions: ws
            .items
            .solutions
            .values()
            .map(|s| SolutionOut {
                id: &s.id,
                opportunity: &s.opportunity,
                title: &s.title,
                description: &s.description,
                status: s.status.label(),
                shipped: s.shipped.map(|d| d.to_string()),
                value: s.value,
                effort: s.effort,
                owner: &s.owner,
                validation: validation::solution_comparisons(ws, s, today)
                    .iter()
                    .filter_map(|c| {
                        Some(ComparisonOut {
                            metric: &ws.metric(&c.metric)?.id,
                            window_days: validation::WINDOW_DAYS,
                            before: WindowOut {
                                count: c.before.count,
                                mean: c.before.mean,
                            },
                            after: WindowOut {
                                count: c.after.count,
                                mean: c.after.mean,
                            },
                            change: c.change(),
                            verdict: match c.verdict {
                                validation::MetricVerdict::Met => "met",
                                validation::MetricVerdict::Missed => "missed",
                                validation::MetricVerdict::TooEarly => "too-early",
                            },
                        })
                    })
                    .collect(),
            })
            .collect(),
        assumption_tests: ws
            .items
            .tests
            .values()
            .map(|t| TestOut {
                id: &t.id,
                solution: &t.solution,
                assumption: &t.assumption,
                kind: t.kind.label(),
                method: &t.method,
                criterion: &t.criterion,
                owner: &t.owner,
                due: t.due.map(|d| d.to_string()),
                result: t.result.label(),
                evidence: evidence(ws, &t.evidence),
            })
            .collect(),
        needs_layers: ws
            .needs_layers()
            .into_iter()
            .map(|l| LayerOut {
                id: l.id,
                name: l.name,
                description: l.description,
            })
            .collect(),
        needs_nodes: ws
            .needs_layers()
            .iter()
            .flat_map(|l| ws.nodes_in_layer(&l.id))
            .chain(
                ws.items
                    .nodes
                    .values()
                    .filter(|n| ws.layer_index(&n.layer).is_none()),
            )
            .map(|n| NodeOut {
                id: &n.id,
                layer: &n.layer,
                name: &n.name,
                description: &n.description,
                depends_on: &n.depends_on,
                personas: &n.personas,
                activities: &n.activities,
                opportunities: &n.opportunities,
                serves: ws.reach(&n.id).serves.into_iter().collect(),
            })
            .collect(),
        teams: ws
            .teams()
            .into_iter()
            .map(|t| TeamOut {
                id: &t.id,
                name: &t.name,
                size: t.size,
                persona: t.persona.as_ref(),
                since: t.since.map(|d| d.to_string()),
                counted_from: ws.team_start(&t.id).map(|d| d.to_string()),
                description: &t.description,
            })
            .collect(),
        adoption: ws
            .items
            .adoptions
            .values()
            .map(|a| AdoptionOut {
                id: &a.id,
                team: &a.team,
                target: target(&a.target),
                date: a.date.to_string(),
                state: a.state.slug(),
                mandated: a.mandated,
                comment: &a.comment,
            })
            .collect(),
        adoption_rates: ws
            .adoption_targets()
            .into_iter()
            .map(|t| RatesOut {
                target_kind: t.noun(),
                target: t.id().clone(),
                name: ws.target_name(&t),
                series: ws
                    .adoption_over_time(&t)
                    .into_iter()
                    .map(|r| RateOut {
                        date: r.date.to_string(),
                        teams: r.teams,
                        adopted: r.adopted,
                        voluntary: r.voluntary,
                        trialling: r.trialling,
                        rate: r.all(),
                        voluntary_rate: r.voluntary(),
                    })
                    .collect(),
            })
            .collect(),
        blind_spots: coverage::report(ws)
            .into_iter()
            .map(|g| g.message)
            .collect(),
    };
    let mut s = escape_for_terminals(serde_json::to_string_pretty(&doc)?);
    s.push('\n');
    Ok(s)
}

/// Whether a character, printed raw, could change a terminal's state or
/// the order and layout of a line: DEL, the C1 controls (U+0080 to U+009F,
/// CSI among them), the bidirectional marks, overrides and isolates, and
/// the Unicode line and paragraph separators. (JSON's own escaping already
/// covers the C0 controls.)
fn unsafe_for_terminals(c: char) -> bool {
    matches!(c,
        '\u{7F}'..='\u{9F}'
        | '\u{200E}' | '\u{200F}' | '\u{061C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// Writes those characters as `\uXXXX` escapes. They can only stand inside
/// JSON strings (everything else is ASCII), where the escape reads back as
/// the very same character: the document means the same, and is safe to
/// print to a terminal like every other output of valuemap.
fn escape_for_terminals(json: String) -> String {
    if !json.contains(unsafe_for_terminals) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        if unsafe_for_terminals(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped_and_read_back_unchanged() {
        let hostile = "a\u{9b}31m b\u{202e}c\u{2028}d\u{7f}e\u{1b}[2J é 日本";
        let mut ws = Workspace::new(hostile);
        ws.description = "plain".into();
        let json = render(&ws).unwrap();
        assert!(
            !json
                .chars()
                .any(|c| c.is_control() && c != '\n' || unsafe_for_terminals(c)),
            "{json:?}"
        );
        assert!(json.contains("\\u009b") && json.contains("\\u202e") && json.contains("\\u2028"));
        assert!(json.contains("é 日本"), "other text stays as it is");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], hostile);
    }
}
