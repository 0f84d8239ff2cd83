//! CSV: one table per kind of entity, joined by ids.
//!
//! Text cells are made safe for spreadsheets and terminals: control
//! characters are removed (line breaks kept), and a cell that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would
//! run as a formula, is prefixed with `'`. Numbers are written as plain
//! numbers (`-5` stays `-5`), and a missing value is an empty cell.

use ::csv::{QuoteStyle, Terminator, WriterBuilder};

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
    "notes",
    "opportunities",
    "evidence",
    "metrics",
    "observations",
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

/// Prefixes `'` to text a spreadsheet would take for a formula.
pub(crate) fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
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
        "notes" => notes(ws),
        "opportunities" => opportunities(ws),
        "evidence" => evidence(ws),
        "metrics" => metrics(ws),
        "observations" => observations(ws),
        _ => {
            return Err(ExportError::UnknownTable {
                name: table.to_string(),
            });
        }
    };
    let mut w = WriterBuilder::new()
        .quote_style(QuoteStyle::Necessary)
        .terminator(Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(t.header)?;
    for row in t.rows {
        debug_assert_eq!(row.len(), t.header.len(), "{table}");
        w.write_record(row.into_iter().map(Cell::into_field))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
                ]
            })
            .collect(),
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
    }
}
