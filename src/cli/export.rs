//! `valuemap export`: the exports of [`crate::export`] from the shell.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use super::{open, print_error};
use crate::export::{self, CSV_TABLES, ExportError, Format};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// What to produce
    #[arg(long, short, value_parser = format_parser())]
    pub format: Format,
    /// Where to write: a file for md, json, html and --table, a folder for
    /// all CSV tables (created if absent). Default: standard output
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// With --format csv, only this table: phases, activities, personas,
    /// perspectives, notes, opportunities, evidence, metrics or observations
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new([
        PossibleValue::new("md").alias("markdown").help(
            "Markdown report to paste into a wiki: the value map as a table, blind spots, \
             personas and their jobs, opportunities ranked with their evidence quotes, the \
             Now / Next / Later roadmap, and metrics against their targets",
        ),
        PossibleValue::new("csv").help(
            "CSV tables for spreadsheets, one per kind of entity and joined by ids \
             (phases, activities, personas, perspectives, notes, opportunities, evidence, \
             metrics, observations): all into a folder with -o DIR, or one with --table NAME. \
             Cells a spreadsheet would run as a formula are prefixed with '",
        ),
        PossibleValue::new("json").help(
            "The whole workspace as one JSON document, with computed scores and verdicts, \
             in a stable shape documented in docs/export-json.md",
        ),
        PossibleValue::new("html").help(
            "A self-contained one-page report for a browser, offline and printable: the map \
             as a heat map, opportunities with evidence, the roadmap and a chart per metric",
        ),
    ])
    .try_map(|s| s.parse::<Format>())
}

/// Runs `valuemap export`.
pub fn run(a: ExportArgs) -> ExitCode {
    match export(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            print_error(msg);
            ExitCode::FAILURE
        }
    }
}

fn export(a: &ExportArgs) -> Result<(), String> {
    // Everything that can be checked without the workspace is checked first.
    if let Some(t) = &a.table {
        if a.format != Format::Csv {
            return Err(format!(
                "--table applies to --format csv only, not to {}",
                a.format
            ));
        }
        if !CSV_TABLES.contains(&t.as_str()) {
            return Err(ExportError::UnknownTable { name: t.clone() }.to_string());
        }
    }
    if a.format == Format::Csv && a.table.is_none() && a.output.is_none() {
        return Err(format!(
            "the CSV export is one file per table: give -o DIR to write all of them into a \
             folder, or --table NAME for one table on standard output (tables: {})",
            CSV_TABLES.join(", ")
        ));
    }
    if let Some(out) = &a.output
        && export::clobbers_workspace(&a.path, out)
    {
        return Err(format!(
            "refusing to write the export over {}, a file of the workspace itself; nothing was written",
            out.display()
        ));
    }
    let (_, ws) = open(&a.path).map_err(|e| e.to_string())?;
    match (&a.output, &a.table) {
        (Some(out), Some(table)) => {
            let p = export::write_table(&ws, table, out).map_err(|e| e.to_string())?;
            println!("Exported table {table} to {}", p.display());
        }
        (None, Some(table)) => {
            let text = export::csv_table(&ws, table).map_err(|e| e.to_string())?;
            to_stdout(&text)?;
        }
        (Some(out), None) => {
            let written = export::write(&ws, a.format, out).map_err(|e| e.to_string())?;
            for p in written {
                println!("Exported {} to {}", a.format, p.display());
            }
        }
        (None, None) => {
            let text = export::render(&ws, a.format).map_err(|e| e.to_string())?;
            to_stdout(&text)?;
        }
    }
    Ok(())
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error.
fn to_stdout(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}
