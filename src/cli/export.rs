//! `valuemap export`: the exports of [`crate::export`] from the shell.

use std::io::{self, IsTerminal, Write};
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
    pub format: Kind,
    /// Where to write: a file for md, json, html and --table, a folder for
    /// all CSV tables (created if absent). Default: standard output
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// With --format csv, only this table: phases, activities, personas,
    /// perspectives, notes, opportunities, evidence, metrics or observations
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
    /// With --format issues, which opportunities: a filter as in the
    /// Opportunities view (status:, horizon:, persona:, phase:, noevidence,
    /// words)
    #[arg(long, value_name = "EXPR", default_value = "horizon:now")]
    pub filter: String,
    /// With --format issues, the web address of the repository's files the
    /// links in the bodies point into (e.g. https://github.com/ORG/REPO/blob/main)
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
}

/// A report ([`Format`]) or the tracker issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Report(Format),
    Issues,
}

fn format_parser() -> impl TypedValueParser<Value = Kind> {
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
        PossibleValue::new("issues").help(
            "Tracker issues into the folder -o DIR: one Markdown body per opportunity chosen \
             by --filter (default horizon:now) with its evidence quotes, metrics and links, \
             manifest.json for `gh issue create` and jira.csv for Jira's CSV import \
             (see docs/ci.md)",
        ),
    ])
    .try_map(|s| {
        if s == "issues" {
            Ok(Kind::Issues)
        } else {
            s.parse::<Format>().map(Kind::Report)
        }
    })
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
    let format = match a.format {
        Kind::Report(f) => f,
        Kind::Issues => {
            return super::issues::export(&super::issues::Args {
                path: &a.path,
                output: a.output.as_deref(),
                table: a.table.is_some(),
                filter: &a.filter,
                link_base: a.link_base.as_deref(),
            });
        }
    };
    // Everything that can be checked without the workspace is checked first.
    if let Some(t) = &a.table {
        if format != Format::Csv {
            return Err(format!(
                "--table applies to --format csv only, not to {format}"
            ));
        }
        if !CSV_TABLES.contains(&t.as_str()) {
            return Err(ExportError::UnknownTable { name: t.clone() }.to_string());
        }
    }
    if format == Format::Csv && a.table.is_none() && a.output.is_none() {
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
    let bar = Bar::new();
    let ws = bar.open(&a.path)?;
    bar.stage(format!("writing the {} export", format));
    let done = bar.finish_on_drop();
    // The bar is cleared before anything is printed.
    let (text, report): (Option<String>, Vec<String>) = match (&a.output, &a.table) {
        (Some(out), Some(table)) => {
            let p = export::write_table(&ws, table, out).map_err(|e| e.to_string())?;
            (
                None,
                vec![format!("Exported table {table} to {}", p.display())],
            )
        }
        (None, Some(table)) => (
            Some(export::csv_table(&ws, table).map_err(|e| e.to_string())?),
            Vec::new(),
        ),
        (Some(out), None) => {
            let written = export::write(&ws, format, out).map_err(|e| e.to_string())?;
            let lines = written
                .iter()
                .map(|p| format!("Exported {} to {}", format, p.display()))
                .collect();
            (None, lines)
        }
        (None, None) => (
            Some(export::render(&ws, format).map_err(|e| e.to_string())?),
            Vec::new(),
        ),
    };
    drop(done);
    for line in report {
        super::out(&line);
    }
    if let Some(text) = text {
        to_stdout(&text)?;
    }
    Ok(())
}

/// A progress bar on standard error while a large export runs, when that is
/// a terminal; nothing at all when it is piped or redirected.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
}

/// Workspaces below this many notes are quick: no bar.
const BAR_FROM_NOTES: usize = 2_000;

impl Bar {
    fn new() -> Bar {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            b.set_style(
                indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        Bar { bar }
    }

    /// Opens the workspace, showing how many notes are loaded.
    fn open(&self, path: &std::path::Path) -> Result<crate::model::Workspace, String> {
        let Some(bar) = &self.bar else {
            return open(path).map(|(_, ws)| ws).map_err(|e| e.to_string());
        };
        let progress = std::sync::Arc::new(crate::store::Progress::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let p = std::sync::Arc::clone(&progress);
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let _ = tx.send(open_with(&path, &p));
        });
        let started = std::time::Instant::now();
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(80)) {
                Ok(r) => return r,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    bar.finish_and_clear();
                    return Err("loading stopped unexpectedly".into());
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            }
            let total = progress.total.load(std::sync::atomic::Ordering::Relaxed);
            if total >= BAR_FROM_NOTES && started.elapsed().as_millis() > 200 {
                bar.set_message("loading notes");
                bar.set_length(total as u64);
                bar.set_position(progress.done.load(std::sync::atomic::Ordering::Relaxed) as u64);
            }
        }
    }

    fn stage(&self, msg: String) {
        if let Some(bar) = &self.bar
            && bar.length().is_some_and(|l| l as usize >= BAR_FROM_NOTES)
        {
            bar.reset();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.set_message(msg);
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
        }
    }

    fn finish_on_drop(&self) -> impl Drop + '_ {
        struct Finish<'a>(&'a Option<indicatif::ProgressBar>);
        impl Drop for Finish<'_> {
            fn drop(&mut self) {
                if let Some(b) = self.0 {
                    b.finish_and_clear();
                }
            }
        }
        Finish(&self.bar)
    }
}

fn open_with(
    path: &std::path::Path,
    p: &crate::store::Progress,
) -> Result<crate::model::Workspace, String> {
    crate::store::Store::open_with(path, Some(p))
        .map(|(_, ws, info)| {
            super::tell(path, &info);
            ws
        })
        .map_err(|e| e.to_string())
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
