//! Exports for the people who never open the terminal: a Markdown report, CSV
//! tables, a JSON document and a self-contained HTML one-pager.
//!
//! Every format is rendered in memory from a [`Workspace`] and written through
//! [`write_atomic`], so an export is either complete or absent, never half
//! written. User text is escaped for the format it lands in: Markdown
//! punctuation is backslash-escaped, HTML is escaped by the `maud` templates,
//! CSV text cells that a spreadsheet would run as a formula are neutralised,
//! and JSON keeps every string exactly as it is in the workspace.

mod chart;
mod html;
pub mod issues;
mod json;
mod markdown;
mod needs;
mod tables;
mod tree;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::model::score::{self, Score};
use crate::model::{Direction, Horizon, Id, Metric, Note, Opportunity, Perspective, Workspace};
use crate::store::atomic::{set_mode, write_atomic};

pub use json::{FORMAT as JSON_FORMAT, VERSION as JSON_VERSION};
pub use tables::CSV_TABLES;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A Markdown report to paste into a wiki.
    Markdown,
    /// CSV tables, one per kind of entity, for spreadsheets.
    Csv,
    /// The whole workspace as one JSON document (see `docs/export-json.md`).
    Json,
    /// A self-contained HTML one-pager.
    Html,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Csv, Format::Json, Format::Html];

    /// The name used on the command line and in the palette.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// The file name extension of the format.
    pub fn extension(self) -> &'static str {
        self.name()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

/// Why an export did not happen. Nothing was written in any case.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("unknown export format {0:?}; choose one of: md, csv, json, html")]
    UnknownFormat(String),
    #[error("no table named {name:?}; choose one of: {}", CSV_TABLES.join(", "))]
    UnknownTable { name: String },
    #[error(
        "CSV export is one file per table: export one table by name (one of: {}), or all of them into a folder",
        CSV_TABLES.join(", ")
    )]
    CsvNeedsTable,
    #[error("{} is a folder; give a file name for the {format} export", .path.display())]
    IsAFolder { path: PathBuf, format: Format },
    #[error("{} is not a folder; the CSV export writes one file per table into a folder", .path.display())]
    NotAFolder { path: PathBuf },
    #[error("cannot write {}: folder {} does not exist", .path.display(), .folder.display())]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders the workspace as one document: Markdown, JSON or HTML. CSV is a set
/// of tables, not one document: use [`csv_table`] or [`write`] for it.
pub fn render(ws: &Workspace, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Markdown => Ok(markdown::render(ws)),
        Format::Json => json::render(ws),
        Format::Html => Ok(html::render(ws)),
        Format::Csv => Err(ExportError::CsvNeedsTable),
    }
}

/// One CSV table (a name from [`CSV_TABLES`]), with its header row.
pub fn csv_table(ws: &Workspace, table: &str) -> Result<String, ExportError> {
    tables::render(ws, table)
}

/// Writes an export to `out`: a file for Markdown, JSON and HTML, a folder of
/// CSV files (one per table, created if absent) for CSV. Returns the files
/// written. Each file is written atomically; on an error before the first
/// write nothing is written at all.
pub fn write(ws: &Workspace, format: Format, out: &Path) -> Result<Vec<PathBuf>, ExportError> {
    match format {
        Format::Csv => write_csv_folder(ws, out),
        _ => {
            let text = render(ws, format)?;
            write_file(out, text.as_bytes(), format)?;
            Ok(vec![out.to_path_buf()])
        }
    }
}

/// Writes one CSV table to a file.
pub fn write_table(ws: &Workspace, table: &str, out: &Path) -> Result<PathBuf, ExportError> {
    let text = csv_table(ws, table)?;
    write_file(out, text.as_bytes(), Format::Csv)?;
    Ok(out.to_path_buf())
}

/// Writes a file atomically (mode `0600`: exports hold interview data) after
/// checking that it can be a file in an existing folder.
fn write_file(path: &Path, bytes: &[u8], format: Format) -> Result<(), ExportError> {
    if path.is_dir() {
        return Err(ExportError::IsAFolder {
            path: path.to_path_buf(),
            format,
        });
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(ExportError::NoFolder {
            path: path.to_path_buf(),
            folder: folder.to_path_buf(),
        });
    }
    write_atomic(path, bytes).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_csv_folder(ws: &Workspace, out: &Path) -> Result<Vec<PathBuf>, ExportError> {
    // Render everything first: a failure here writes nothing.
    let rendered = CSV_TABLES
        .iter()
        .map(|t| Ok((*t, csv_table(ws, t)?)))
        .collect::<Result<Vec<_>, ExportError>>()?;
    if out.exists() && !out.is_dir() {
        return Err(ExportError::NotAFolder {
            path: out.to_path_buf(),
        });
    }
    if !out.exists() {
        let io_err = |source| ExportError::Io {
            path: out.to_path_buf(),
            source,
        };
        fs::create_dir_all(out).map_err(io_err)?;
        // A folder made for the export is private, like the workspace.
        set_mode(out, 0o700).map_err(io_err)?;
    }
    let mut written = Vec::with_capacity(rendered.len());
    for (table, text) in rendered {
        let path = out.join(format!("{table}.csv"));
        write_file(&path, text.as_bytes(), Format::Csv)?;
        written.push(path);
    }
    Ok(written)
}

// ---- what every format shows the same way ----

/// Whether a metric meets its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    OnTrack,
    OffTrack,
    /// The metric has no target to compare with.
    NoTarget,
    /// There is a target but no observation yet.
    NoData,
}

impl Verdict {
    pub(crate) fn of(m: &Metric) -> Verdict {
        match m.on_track() {
            Some(true) => Verdict::OnTrack,
            Some(false) => Verdict::OffTrack,
            None if m.target.is_none() => Verdict::NoTarget,
            None => Verdict::NoData,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Verdict::OnTrack => "on track",
            Verdict::OffTrack => "off track",
            Verdict::NoTarget => "no target",
            Verdict::NoData => "no data",
        }
    }

    /// The label with a glyph, so the verdict never rests on colour alone.
    pub(crate) fn marked(self) -> String {
        match self {
            Verdict::OnTrack => format!("✓ {}", self.label()),
            Verdict::OffTrack => format!("✗ {}", self.label()),
            Verdict::NoTarget | Verdict::NoData => self.label().to_string(),
        }
    }

    /// The label in the form used in JSON and CSV.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Verdict::OnTrack => "on-track",
            Verdict::OffTrack => "off-track",
            Verdict::NoTarget => "no-target",
            Verdict::NoData => "no-data",
        }
    }
}

/// Where an opportunity's score comes from, as named in JSON and CSV.
pub(crate) fn score_source(s: Score) -> &'static str {
    match s {
        Score::Outcome(_) => "outcome",
        Score::Manual(_) => "manual",
        Score::Unscored => "none",
    }
}

/// The score as a number, when there is one.
pub(crate) fn score_value(s: Score) -> Option<f64> {
    match s {
        Score::Outcome(v) => Some(f64::from(v)),
        Score::Manual(v) if v.is_finite() => Some(v),
        Score::Manual(_) | Score::Unscored => None,
    }
}

/// A metric's direction as named in JSON and CSV.
pub(crate) fn direction_slug(d: Direction) -> &'static str {
    match d {
        Direction::HigherIsBetter => "higher-is-better",
        Direction::LowerIsBetter => "lower-is-better",
    }
}

/// An evidence quote as people read it: without the capture marker it was
/// typed with, and without `#tags` and `@mentions`.
pub(crate) fn quote_text(quote: &str) -> String {
    crate::capture::quote_text(quote)
}

/// Notes in the order of the interviews: by date, then id.
pub(crate) fn notes_by_date(ws: &Workspace) -> Vec<&Note> {
    let mut v: Vec<&Note> = ws.notes.values().map(|n| &**n).collect();
    v.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    v
}

/// Perspectives in map order (personas, then activities), followed by any
/// whose persona or activity no longer exists, so none is left out.
pub(crate) fn perspectives_in_map_order(ws: &Workspace) -> Vec<&Perspective> {
    let mut out = Vec::with_capacity(ws.perspectives.len());
    for p in &ws.personas {
        for (_, a) in ws.activities() {
            if let Some(x) = ws.perspective(&p.id, &a.id) {
                out.push(x);
            }
        }
    }
    if out.len() < ws.perspectives.len() {
        for x in &ws.perspectives {
            if ws.persona(&x.persona).is_none() || ws.activity(&x.activity).is_none() {
                out.push(x);
            }
        }
    }
    out
}

/// The roadmap lanes in order: Now, Next, Later, then the opportunities
/// with no horizon. Each lane is ranked by score.
pub(crate) fn roadmap(ws: &Workspace) -> Vec<(&'static str, Vec<(&Opportunity, Score)>)> {
    let ranked = score::ranked(ws);
    let lane = |h: Option<Horizon>| {
        ranked
            .iter()
            .filter(|(o, _)| o.horizon == h)
            .copied()
            .collect::<Vec<_>>()
    };
    vec![
        ("Now", lane(Some(Horizon::Now))),
        ("Next", lane(Some(Horizon::Next))),
        ("Later", lane(Some(Horizon::Later))),
        ("Unplanned", lane(None)),
    ]
}

/// A persona's name, or its id when the link dangles.
pub(crate) fn persona_name(ws: &Workspace, id: &Id) -> String {
    ws.persona(id)
        .map_or_else(|| format!("{id} (missing)"), |p| p.name.clone())
}

/// An activity's name with its phase ("Creation: Create a cluster"), or its id
/// when the link dangles.
pub(crate) fn activity_label(ws: &Workspace, id: &Id) -> String {
    match (ws.phase_of(id), ws.activity(id)) {
        (Some(p), Some(a)) => format!("{}: {}", p.name, a.name),
        _ => format!("{id} (missing)"),
    }
}

/// Who said an evidence quote and when: "Dana (VP Eng), 2026-06-25".
pub(crate) fn evidence_source(ws: &Workspace, note: &Id) -> String {
    match ws.notes.get(note) {
        Some(n) if n.interviewee.trim().is_empty() => format!("{}", n.date),
        Some(n) => format!("{}, {}", n.interviewee, n.date),
        None => format!("note {note} (missing)"),
    }
}

/// The text of an evidence link: its quote, or the note's title when the
/// whole note is the evidence.
pub(crate) fn evidence_text(ws: &Workspace, note: &Id, quote: &str) -> String {
    let q = quote_text(quote);
    if !q.is_empty() {
        return q;
    }
    ws.notes
        .get(note)
        .map_or(String::new(), |n| n.title.clone())
}

/// Whether `out` would replace one of the workspace's own RON files
/// (`workspace.ron`, `notes/*.ron`...).
pub fn clobbers_workspace(root: &Path, out: &Path) -> bool {
    if out.extension().is_none_or(|e| e != "ron") {
        return false;
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (parent.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p == r || p == r.join("notes"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
        }
        assert_eq!("markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!(" HTML ".parse::<Format>().unwrap(), Format::Html);
        let e = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(e.contains("md, csv, json, html"), "{e}");
    }

    #[test]
    fn quotes_lose_their_marker() {
        assert_eq!(quote_text("> We wait"), "We wait");
        assert_eq!(quote_text("! pain"), "pain");
        assert_eq!(quote_text("+need"), "need");
        assert_eq!(quote_text("plain"), "plain");
        assert_eq!(quote_text(""), "");
    }
}
