//! CSV: one table per kind of entity, joined by ids.
//!
//! Text cells are made safe for spreadsheets and terminals: control
//! characters are removed (line breaks kept), and a cell whose first
//! character, after any blanks and line breaks, is `=`, `+`, `-` or `@` (or
//! their full-width forms), which a spreadsheet would run as a formula, is
//! prefixed with `'`. Numbers are written as plain numbers (`-5` stays
//! `-5`), and a missing value is an empty cell.
//!
//! The CSV itself is written here, in one pass over each cell (RFC 4180:
//! a cell holding a comma, a quote or a line break is quoted, quotes
//! doubled; lines end in CRLF), so the time taken follows the size of the
//! export: the `csv` crate's writer looks through the rest of a cell each
//! time its buffer fills, which made a 64 MB note take seconds per table.

use super::{
    ExportError, Verdict, direction_slug, evidence_text, notes_by_date, perspectives_in_map_order,
    score_source, score_value,
};
use crate::capture::{self, LineKind};
use crate::model::coverage::Stats;
use crate::model::score::{self, Score};
use crate::model::{Id, Workspace};
use crate::text::sanitize_multiline;

/// The tables of the CSV export, in the order they are written.
pub const CSV_TABLES: &[&str] = &[
    "phases",
    "activities",
    "personas",
    "perspectives",
    "ratings",
    "notes",
    "opportunities",
    "evidence",
    "metrics",
    "observations",
    "outcomes",
    "solutions",
    "assumption_tests",
    "test_evidence",
    "needs_nodes",
    "teams",
    "adoption",
    "adoption_rates",
    "themes",
    "questions",
];

/// A cell of a table.
enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

impl Cell {
    fn text(s: impl AsRef<str>) -> Cell {
        Cell::Text(s.as_ref().to_string())
    }

    fn id(id: &Id) -> Cell {
        Cell::Text(id.as_str().to_string())
    }

    fn opt_id(id: Option<&Id>) -> Cell {
        id.map_or(Cell::Empty, Cell::id)
    }

    fn num(v: impl Into<f64>) -> Cell {
        Cell::Num(v.into())
    }

    fn opt_num<T: Into<f64>>(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Cell::num)
    }

    /// Several values in one cell, one per line.
    fn lines<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Cell {
        let v: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
        Cell::Text(v.join("\n"))
    }

    /// Several ids in one cell, separated by spaces.
    fn ids<'a>(items: impl IntoIterator<Item = &'a Id>) -> Cell {
        let v: Vec<&str> = items.into_iter().map(Id::as_str).collect();
        Cell::Text(v.join(" "))
    }

    fn into_field(self) -> String {
        match self {
            Cell::Text(s) => neutralise(&sanitize_multiline(&s)),
            // Rust prints the shortest form that reads back to the same
            // number, never in exponent notation.
            Cell::Num(v) if v.is_finite() => format!("{v}"),
            Cell::Num(_) | Cell::Empty => String::new(),
        }
    }
}

/// Prefixes `'` to text a spreadsheet would take for a formula: its first
/// character, once blanks and line breaks before it are skipped (some
/// spreadsheets skip them too), starts a formula.
pub(crate) fn neutralise(s: &str) -> String {
    let first = s.chars().find(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'));
    let starts_formula = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
    );
    if starts_formula || s.starts_with(['\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Appends one record: cells separated by commas, quoted when they hold a
/// comma, a quote or a line break (quotes doubled), ended by CRLF.
fn push_record<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    let mut count = 0;
    let mut last_empty = false;
    for (i, cell) in cells.into_iter().enumerate() {
        let cell = cell.as_ref();
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            let mut rest = cell;
            while let Some(q) = rest.find('"') {
                out.push_str(&rest[..=q]);
                out.push('"');
                rest = &rest[q + 1..];
            }
            out.push_str(rest);
            out.push('"');
        } else {
            out.push_str(cell);
        }
        count += 1;
        last_empty = cell.is_empty();
    }
    // A record of one empty cell would read back as an empty line.
    if count == 1 && last_empty {
        out.push_str("\"\"");
    }
    out.push_str("\r\n");
}

struct Table {
    header: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
}

/// One table as CSV text, with its header row.
pub(super) fn render(ws: &Workspace, table: &str) -> Result<String, ExportError> {
    let t = match table {
        "phases" => phases(ws),
        "activities" => activities(ws),
        "personas" => personas(ws),
        "perspectives" => perspectives(ws),
        "ratings" => ratings_table(ws),
        "notes" => notes(ws),
        "opportunities" => opportunities(ws),
        "evidence" => evidence(ws),
        "metrics" => metrics(ws),
        "observations" => observations(ws),
        "outcomes" => outcomes(ws),
        "solutions" => solutions(ws),
        "assumption_tests" => assumption_tests(ws),
        "test_evidence" => test_evidence(ws),
        "needs_nodes" => needs_nodes(ws),
        "teams" => teams(ws),
        "adoption" => adoption(ws),
        "adoption_rates" => adoption_rates(ws),
        "themes" => themes(ws),
        "questions" => questions(ws),
        _ => {
            return Err(ExportError::UnknownTable {
                name: table.to_string(),
            });
        }
    };
    let mut out = String::new();
    push_record(&mut out, t.header);
    for row in t.rows {
        debug_assert_eq!(row.len(), t.header.len(), "{table}");
        push_record(&mut out, row.into_iter().map(Cell::into_field));
    }
    Ok(out)
}

fn phases(ws: &Workspace) -> Table {
    Table {
        header: &[
            "phase_id",
            "position",
            "name",
            "description",
            "activity_count",
        ],
        rows: ws
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    Cell::id(&p.id),
                    Cell::num(i as u32 + 1),
                    Cell::text(&p.name),
                    Cell::text(&p.description),
                    Cell::num(p.activities.len() as u32),
                ]
            })
            .collect(),
    }
}

fn activities(ws: &Workspace) -> Table {
    let stats = Stats::compute(ws);
    let mut rows = Vec::new();
    let mut column = 0u32;
    for p in &ws.phases {
        for (i, a) in p.activities.iter().enumerate() {
            column += 1;
            rows.push(vec![
                Cell::id(&a.id),
                Cell::id(&p.id),
                Cell::text(&p.name),
                Cell::num(i as u32 + 1),
                Cell::num(column),
                Cell::text(&a.name),
                Cell::text(&a.description),
                Cell::num(stats.metrics(&a.id) as u32),
            ]);
        }
    }
    Table {
        header: &[
            "activity_id",
            "phase_id",
            "phase_name",
            "position_in_phase",
            "map_column",
            "name",
            "description",
            "metric_count",
        ],
        rows,
    }
}

fn personas(ws: &Workspace) -> Table {
    Table {
        header: &[
            "persona_id",
            "position",
            "name",
            "role",
            "description",
            "jobs_to_be_done",
            "tags",
        ],
        rows: ws
            .personas
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    Cell::id(&p.id),
                    Cell::num(i as u32 + 1),
                    Cell::text(&p.name),
                    Cell::text(p.role.slug()),
                    Cell::text(&p.description),
                    Cell::lines(&p.jobs),
                    Cell::text(p.tags.join(", ")),
                ]
            })
            .collect(),
    }
}

fn perspectives(ws: &Workspace) -> Table {
    let stats = Stats::compute(ws);
    Table {
        header: &[
            "persona_id",
            "persona_name",
            "activity_id",
            "activity_name",
            "phase_id",
            "interest",
            "needs",
            "pains",
            "importance",
            "satisfaction",
            "score",
            "note_count",
            "opportunity_count",
            "metric_count",
        ],
        rows: perspectives_in_map_order(ws)
            .into_iter()
            .map(|x| {
                let counts = stats.cell(&x.persona, &x.activity);
                vec![
                    Cell::id(&x.persona),
                    Cell::text(ws.persona(&x.persona).map_or("", |p| p.name.as_str())),
                    Cell::id(&x.activity),
                    Cell::text(ws.activity(&x.activity).map_or("", |a| a.name.as_str())),
                    Cell::opt_id(ws.phase_of(&x.activity).map(|p| &p.id)),
                    Cell::text(&x.interest),
                    Cell::lines(&x.needs),
                    Cell::lines(&x.pains),
                    Cell::opt_num(x.importance),
                    Cell::opt_num(x.satisfaction),
                    Cell::opt_num(x.score()),
                    Cell::num(counts.notes as u32),
                    Cell::num(counts.opportunities as u32),
                    Cell::num(counts.metrics as u32),
                ]
            })
            .collect(),
    }
}

/// The cells interviewees rated in their notes, in map order: what the
/// interviews say, the PM's own rating, and which one scores the cell.
fn ratings_table(ws: &Workspace) -> Table {
    use crate::model::ratings::{self, CellRatings, Source};
    let cells = ratings::ByCell::of(ws);
    let mut rows = Vec::new();
    for p in &ws.personas {
        for (_, a) in ws.activities() {
            let r = cells.rating(ws, &p.id, &a.id);
            let Some(h) = r.heard else { continue };
            rows.push(vec![
                Cell::id(&p.id),
                Cell::text(&p.name),
                Cell::id(&a.id),
                Cell::text(&a.name),
                Cell::num(h.n as u32),
                Cell::num(h.importance.median()),
                Cell::num(h.importance.min),
                Cell::num(h.importance.max),
                Cell::num(h.satisfaction.median()),
                Cell::num(h.satisfaction.min),
                Cell::num(h.satisfaction.max),
                Cell::opt_num(r.pm.0),
                Cell::opt_num(r.pm.1),
                Cell::text(match r.source {
                    Source::Pm => "pm",
                    Source::Interviews(_) => "interviews",
                }),
                Cell::opt_num(r.score()),
                Cell::text(if r.disagrees() { "yes" } else { "no" }),
            ]);
        }
    }
    Table {
        header: &[
            "persona_id",
            "persona_name",
            "activity_id",
            "activity_name",
            "rating_count",
            "importance_median",
            "importance_min",
            "importance_max",
            "satisfaction_median",
            "satisfaction_min",
            "satisfaction_max",
            "pm_importance",
            "pm_satisfaction",
            "score_source",
            "score",
            "disagreement",
        ],
        rows,
    }
}

fn notes(ws: &Workspace) -> Table {
    Table {
        header: &[
            "note_id",
            "date",
            "interviewee",
            "persona_id",
            "persona_name",
            "activity_ids",
            "title",
            "tags",
            "quotes",
            "pains",
            "needs",
            "questions",
            "body",
        ],
        rows: notes_by_date(ws)
            .into_iter()
            .map(|n| {
                let parsed = capture::parse(&n.body);
                let of = |k| Cell::lines(parsed.of_kind(k).map(|l| l.text.as_str()));
                vec![
                    Cell::id(&n.id),
                    Cell::text(n.date.to_string()),
                    Cell::text(&n.interviewee),
                    Cell::opt_id(n.persona.as_ref()),
                    Cell::text(
                        n.persona
                            .as_ref()
                            .and_then(|p| ws.persona(p))
                            .map_or("", |p| p.name.as_str()),
                    ),
                    Cell::ids(&n.activities),
                    Cell::text(&n.title),
                    Cell::text(n.tags.join(", ")),
                    of(LineKind::Quote),
                    of(LineKind::Pain),
                    of(LineKind::Need),
                    of(LineKind::Question),
                    Cell::text(&n.body),
                ]
            })
            .collect(),
    }
}

fn opportunities(ws: &Workspace) -> Table {
    Table {
        header: &[
            "opportunity_id",
            "rank",
            "title",
            "kind",
            "status",
            "horizon",
            "score",
            "score_source",
            "evidence_count",
            "activity_ids",
            "persona_ids",
            "description",
            "outcome_id",
            "parent_id",
            "value",
            "effort",
            "delivered",
            "solution_count",
        ],
        rows: score::ranked(ws)
            .into_iter()
            .enumerate()
            .map(|(i, (o, s)): (usize, (_, Score))| {
                vec![
                    Cell::id(&o.id),
                    Cell::num(i as u32 + 1),
                    Cell::text(&o.title),
                    Cell::text(o.kind.label()),
                    Cell::text(o.status.label()),
                    o.horizon.map_or(Cell::Empty, |h| Cell::text(h.label())),
                    Cell::opt_num(score_value(s)),
                    Cell::text(score_source(s)),
                    Cell::num(o.evidence.len() as u32),
                    Cell::ids(&o.activities),
                    Cell::ids(&o.personas),
                    Cell::text(&o.description),
                    Cell::opt_id(o.outcome.as_ref()),
                    Cell::opt_id(o.parent.as_ref()),
                    Cell::opt_num(o.value),
                    Cell::opt_num(o.effort),
                    o.delivered
                        .map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                    Cell::num(ws.solutions_of(&o.id).len() as u32),
                ]
            })
            .collect(),
    }
}

fn evidence(ws: &Workspace) -> Table {
    let mut rows = Vec::new();
    for (o, _) in score::ranked(ws) {
        for e in &o.evidence {
            let note = ws.notes.get(&e.note);
            rows.push(vec![
                Cell::id(&o.id),
                Cell::id(&e.note),
                note.map_or(Cell::Empty, |n| Cell::text(n.date.to_string())),
                note.map_or(Cell::Empty, |n| Cell::text(&n.interviewee)),
                Cell::text(&e.quote),
                Cell::text(evidence_text(ws, &e.note, &e.quote)),
            ]);
        }
    }
    Table {
        header: &[
            "opportunity_id",
            "note_id",
            "note_date",
            "interviewee",
            "quote",
            "text",
        ],
        rows,
    }
}

fn metrics(ws: &Workspace) -> Table {
    Table {
        header: &[
            "metric_id",
            "name",
            "kind",
            "unit",
            "direction",
            "baseline",
            "target",
            "latest_date",
            "latest_value",
            "verdict",
            "observation_count",
            "activity_id",
            "opportunity_id",
            "description",
            "persona_ids",
            "formula",
            "adoption_target_kind",
            "adoption_target_id",
            "adoption_voluntary",
        ],
        rows: ws
            .metrics
            .iter()
            .map(|m| {
                let latest = m.latest();
                vec![
                    Cell::id(&m.id),
                    Cell::text(&m.name),
                    Cell::text(m.kind.label()),
                    Cell::text(&m.unit),
                    Cell::text(direction_slug(m.direction)),
                    Cell::opt_num(m.baseline),
                    Cell::opt_num(m.target),
                    latest.map_or(Cell::Empty, |o| Cell::text(o.date.to_string())),
                    Cell::opt_num(latest.map(|o| o.value)),
                    Cell::text(Verdict::of(m).slug()),
                    Cell::num(m.observations.len() as u32),
                    Cell::opt_id(m.activity.as_ref()),
                    Cell::opt_id(m.opportunity.as_ref()),
                    Cell::text(&m.description),
                    Cell::ids(&m.personas),
                    Cell::text(m.formula.as_deref().unwrap_or_default()),
                    m.adoption
                        .as_ref()
                        .map_or(Cell::Empty, |a| Cell::text(a.target.noun())),
                    Cell::opt_id(m.adoption.as_ref().map(|a| a.target.id())),
                    m.adoption.as_ref().map_or(Cell::Empty, |a| {
                        Cell::text(if a.voluntary { "yes" } else { "no" })
                    }),
                ]
            })
            .collect(),
    }
}

fn teams(ws: &Workspace) -> Table {
    Table {
        header: &[
            "team_id",
            "name",
            "size",
            "persona_id",
            "since",
            "counted_from",
            "description",
        ],
        rows: ws
            .teams()
            .into_iter()
            .map(|t| {
                let day = |d: Option<chrono::NaiveDate>| {
                    d.map_or(Cell::Empty, |d| Cell::text(d.to_string()))
                };
                vec![
                    Cell::id(&t.id),
                    Cell::text(&t.name),
                    Cell::opt_num(t.size),
                    Cell::opt_id(t.persona.as_ref()),
                    day(t.since),
                    day(ws.team_start(&t.id)),
                    Cell::text(&t.description),
                ]
            })
            .collect(),
    }
}

fn adoption(ws: &Workspace) -> Table {
    let mut recs: Vec<&crate::model::Adoption> = ws.items.adoptions.values().collect();
    recs.sort_by(|a, b| {
        (a.date, &a.team, &a.target, &a.id).cmp(&(b.date, &b.team, &b.target, &b.id))
    });
    Table {
        header: &[
            "adoption_id",
            "date",
            "team_id",
            "target_kind",
            "target_id",
            "state",
            "mandated",
            "comment",
        ],
        rows: recs
            .into_iter()
            .map(|a| {
                vec![
                    Cell::id(&a.id),
                    Cell::text(a.date.to_string()),
                    Cell::id(&a.team),
                    Cell::text(a.target.noun()),
                    Cell::id(a.target.id()),
                    Cell::text(a.state.slug()),
                    Cell::text(if a.mandated { "yes" } else { "no" }),
                    Cell::text(&a.comment),
                ]
            })
            .collect(),
    }
}

fn adoption_rates(ws: &Workspace) -> Table {
    let mut rows = Vec::new();
    for t in ws.adoption_targets() {
        for r in ws.adoption_over_time(&t) {
            rows.push(vec![
                Cell::text(t.noun()),
                Cell::id(t.id()),
                Cell::text(ws.target_name(&t)),
                Cell::text(r.date.to_string()),
                Cell::num(r.teams as u32),
                Cell::num(r.adopted as u32),
                Cell::num(r.voluntary as u32),
                Cell::num(r.trialling as u32),
                Cell::opt_num(r.all()),
                Cell::opt_num(r.voluntary()),
            ]);
        }
    }
    Table {
        header: &[
            "target_kind",
            "target_id",
            "target",
            "date",
            "teams",
            "adopted",
            "adopted_voluntarily",
            "trialling",
            "rate_percent",
            "voluntary_rate_percent",
        ],
        rows,
    }
}

fn observations(ws: &Workspace) -> Table {
    let mut rows = Vec::new();
    for m in &ws.metrics {
        let mut obs: Vec<_> = m.observations.iter().collect();
        obs.sort_by_key(|o| o.date);
        for o in obs {
            rows.push(vec![
                Cell::id(&m.id),
                Cell::text(o.date.to_string()),
                Cell::num(o.value),
                Cell::text(&o.comment),
            ]);
        }
    }
    Table {
        header: &["metric_id", "date", "value", "comment"],
        rows,
    }
}

/// The nodes of the needs map, layer by layer (top first), by name; those
/// in an unknown layer last.
fn needs_nodes(ws: &Workspace) -> Table {
    let layers = ws.needs_layers();
    let mut v: Vec<(usize, String, &crate::model::NeedsNode)> = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        v.extend(
            ws.nodes_in_layer(&l.id)
                .into_iter()
                .map(|n| (i, l.name.clone(), n)),
        );
    }
    v.extend(
        ws.items
            .nodes
            .values()
            .filter(|n| ws.layer_index(&n.layer).is_none())
            .map(|n| (layers.len(), String::new(), n)),
    );
    Table {
        header: &[
            "node_id",
            "layer_id",
            "layer",
            "layer_rank",
            "name",
            "description",
            "depends_on_ids",
            "persona_ids",
            "activity_ids",
            "opportunity_ids",
            "serves_ids",
        ],
        rows: v
            .into_iter()
            .map(|(rank, layer, n)| {
                let serves: Vec<Id> = ws.reach(&n.id).serves.into_iter().collect();
                vec![
                    Cell::id(&n.id),
                    Cell::id(&n.layer),
                    Cell::text(layer),
                    Cell::num(rank as u32),
                    Cell::text(&n.name),
                    Cell::text(&n.description),
                    Cell::ids(&n.depends_on),
                    Cell::ids(&n.personas),
                    Cell::ids(&n.activities),
                    Cell::ids(&n.opportunities),
                    Cell::ids(&serves),
                ]
            })
            .collect(),
    }
}

/// Every `#tag` across notes with how many notes carry it, split by the
/// role of the note's persona (as the themes board shows it).
fn themes(ws: &Workspace) -> Table {
    Table {
        header: &[
            "tag",
            "notes",
            "customer",
            "consumer",
            "end_user",
            "no_persona",
            "note_ids",
        ],
        rows: crate::synthesis::themes::themes(ws)
            .into_iter()
            .map(|t| {
                vec![
                    Cell::text(&t.name),
                    Cell::num(t.count() as u32),
                    Cell::num(t.customer as u32),
                    Cell::num(t.consumer as u32),
                    Cell::num(t.end_user as u32),
                    Cell::num(t.unlinked as u32),
                    Cell::ids(&t.notes),
                ]
            })
            .collect(),
    }
}

/// Every `? question` line across notes, open or answered (and by which
/// line of which note).
fn questions(ws: &Workspace) -> Table {
    Table {
        header: &[
            "note_id",
            "date",
            "persona_id",
            "question",
            "status",
            "answered_on",
            "answer_note_id",
            "answer_quote",
        ],
        rows: crate::synthesis::questions::questions(ws)
            .into_iter()
            .map(|q| {
                let by = q.answer.as_ref().and_then(|a| a.by.as_ref());
                vec![
                    Cell::id(&q.note),
                    Cell::text(q.date.to_string()),
                    q.persona.as_ref().map_or(Cell::Empty, Cell::id),
                    Cell::text(q.text()),
                    Cell::text(if q.is_open() { "open" } else { "answered" }),
                    q.answer
                        .as_ref()
                        .map_or(Cell::Empty, |a| Cell::text(a.date.to_string())),
                    by.map_or(Cell::Empty, |e| Cell::id(&e.note)),
                    by.map_or(Cell::Empty, |e| Cell::text(&e.quote)),
                ]
            })
            .collect(),
    }
}

fn outcomes(ws: &Workspace) -> Table {
    let mut v: Vec<_> = ws.items.outcomes.values().collect();
    v.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    Table {
        header: &[
            "outcome_id",
            "name",
            "description",
            "metric_ids",
            "opportunity_count",
        ],
        rows: v
            .into_iter()
            .map(|o| {
                let opps = ws
                    .opportunities
                    .iter()
                    .filter(|x| x.outcome.as_ref() == Some(&o.id))
                    .count();
                vec![
                    Cell::id(&o.id),
                    Cell::text(&o.name),
                    Cell::text(&o.description),
                    Cell::ids(&o.metrics),
                    Cell::num(opps as u32),
                ]
            })
            .collect(),
    }
}

/// The solutions, opportunity by opportunity in ranked order (those of a
/// missing opportunity last), each with what its metrics say.
fn solutions(ws: &Workspace) -> Table {
    let mut ordered: Vec<&crate::model::Solution> = Vec::new();
    for (o, _) in score::ranked(ws) {
        ordered.extend(ws.solutions_of(&o.id));
    }
    ordered.extend(
        ws.items
            .solutions
            .values()
            .filter(|s| ws.opportunity(&s.opportunity).is_none()),
    );
    Table {
        header: &[
            "solution_id",
            "opportunity_id",
            "title",
            "status",
            "shipped",
            "value",
            "effort",
            "owner",
            "test_count",
            "tests_passed",
            "tests_failed",
            "validating_metric_ids",
            "description",
        ],
        rows: ordered
            .into_iter()
            .map(|s| {
                let tests = ws.tests_of(&s.id);
                let count = |v| tests.iter().filter(|t| t.result == v).count() as u32;
                vec![
                    Cell::id(&s.id),
                    Cell::id(&s.opportunity),
                    Cell::text(&s.title),
                    Cell::text(s.status.label()),
                    s.shipped.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                    Cell::opt_num(s.value),
                    Cell::opt_num(s.effort),
                    Cell::text(&s.owner),
                    Cell::num(tests.len() as u32),
                    Cell::num(count(crate::model::Verdict::Passed)),
                    Cell::num(count(crate::model::Verdict::Failed)),
                    Cell::ids(ws.validating_metrics(s).into_iter().map(|m| &m.id)),
                    Cell::text(&s.description),
                ]
            })
            .collect(),
    }
}

/// The assumption tests in the order of [`solutions`].
fn tests_in_order(ws: &Workspace) -> Vec<&crate::model::AssumptionTest> {
    let mut out = Vec::new();
    let mut sols: Vec<&Id> = Vec::new();
    for (o, _) in score::ranked(ws) {
        sols.extend(ws.solutions_of(&o.id).into_iter().map(|s| &s.id));
    }
    sols.extend(
        ws.items
            .solutions
            .values()
            .filter(|s| ws.opportunity(&s.opportunity).is_none())
            .map(|s| &s.id),
    );
    for s in sols {
        out.extend(ws.tests_of(s));
    }
    // Tests of a missing solution last.
    out.extend(
        ws.items
            .tests
            .values()
            .filter(|t| !ws.items.solutions.contains_key(&t.solution)),
    );
    out
}

fn assumption_tests(ws: &Workspace) -> Table {
    Table {
        header: &[
            "test_id",
            "solution_id",
            "assumption",
            "kind",
            "method",
            "criterion",
            "owner",
            "due",
            "result",
            "evidence_count",
        ],
        rows: tests_in_order(ws)
            .into_iter()
            .map(|t| {
                vec![
                    Cell::id(&t.id),
                    Cell::id(&t.solution),
                    Cell::text(&t.assumption),
                    Cell::text(t.kind.label()),
                    Cell::text(&t.method),
                    Cell::text(&t.criterion),
                    Cell::text(&t.owner),
                    t.due.map_or(Cell::Empty, |d| Cell::text(d.to_string())),
                    Cell::text(t.result.label()),
                    Cell::num(t.evidence.len() as u32),
                ]
            })
            .collect(),
    }
}

fn test_evidence(ws: &Workspace) -> Table {
    let mut rows = Vec::new();
    for t in tests_in_order(ws) {
        for e in &t.evidence {
            let note = ws.notes.get(&e.note);
            rows.push(vec![
                Cell::id(&t.id),
                Cell::id(&e.note),
                note.map_or(Cell::Empty, |n| Cell::text(n.date.to_string())),
                note.map_or(Cell::Empty, |n| Cell::text(&n.interviewee)),
                Cell::text(&e.quote),
                Cell::text(evidence_text(ws, &e.note, &e.quote)),
            ]);
        }
    }
    Table {
        header: &[
            "test_id",
            "note_id",
            "note_date",
            "interviewee",
            "quote",
            "text",
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        for s in ["=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise(""), "");
        assert_eq!(Cell::Num(-5.0).into_field(), "-5");
        assert_eq!(Cell::Num(99.84).into_field(), "99.84");
        assert_eq!(Cell::Num(f64::NAN).into_field(), "");
        assert_eq!(Cell::text("-5").into_field(), "'-5");
        // A control character is dropped before the check, so it cannot
        // hide a formula behind it.
        assert_eq!(Cell::text("\u{1b}=cmd").into_field(), "'=cmd");
        // Nor can line breaks, blanks or a tab (which becomes blanks).
        for s in [
            "\n=cmd",
            "\r\n=cmd",
            "\r=cmd",
            "  \n @x",
            "\t=1",
            "\u{2028}=1",
        ] {
            let f = Cell::text(s).into_field();
            assert!(f.starts_with('\''), "{s:?} gave {f:?}");
        }
        assert_eq!(neutralise("\u{FF1D}1+1"), "'\u{FF1D}1+1");
        assert_eq!(
            neutralise("a\n=b"),
            "a\n=b",
            "only the start of a cell counts"
        );
    }

    /// Reads CSV back with the `csv` crate, the reference for the format.
    fn read_back(text: &str) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn records_are_quoted_only_when_needed_and_read_back_exactly() {
        let cells = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\rhere",
            "ünïcödé 日本",
            " spaced ",
        ];
        let mut out = String::new();
        push_record(&mut out, cells);
        push_record(&mut out, [""]);
        assert!(out.starts_with("plain,,\"a,b\",\"say \"\"hi\"\"\",\"\"\"\",\"two\nlines\","));
        assert!(out.ends_with(" spaced \r\n\"\"\r\n"), "{out:?}");
        let back = read_back(&out);
        assert_eq!(back[0], cells.map(str::to_string).to_vec());
        assert_eq!(back[1], vec![String::new()]);
    }

    #[test]
    fn a_huge_cell_is_written_in_one_pass() {
        // The text of a 4 MB note with no character that needs quoting but
        // one line break at the very end: written and read back whole. (The
        // time this takes is measured by `benches/csv_export.rs`.)
        let mut body = "word ".repeat(800_000);
        body.push('\n');
        body.push_str("last \"line\"");
        let mut out = String::new();
        push_record(&mut out, ["id", body.as_str()]);
        assert_eq!(out.len(), 2 + 1 + body.len() + 2 + 2 + 2);
        assert_eq!(read_back(&out)[0][1], body);
    }
}
