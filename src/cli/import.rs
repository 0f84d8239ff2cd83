//! `valuemap import`: interview notes and whole workspaces from other files
//! ([`crate::import`]), shown first and written with `--apply`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::headless::open_for_writing;
use super::{print_error, say};
use crate::import::{self as lib, ImportError, NoteField, Plan};
use crate::model::validate::FileKey;
use crate::model::{EntityRef, Workspace};
use crate::store::{Scope, Store};
use crate::text::sanitize;

const HELP: &str = "\
Sources:
  --from json FILE   valuemap's own JSON export (valuemap export PATH --format json).
                     Ids are kept. Into an empty workspace (valuemap new PATH
                     --template empty) the import is exact: the workspace becomes
                     the exported one, ids and all. Into a workspace that holds
                     something, what is new is added and nothing is overwritten:
                     an entity whose id is already there (a perspective: whose
                     cell is filled) is skipped and listed. Computed fields of the
                     export (scores, ranks, verdicts, parsed quotes) are ignored.
  --from md DIR      A folder of Markdown interview notes, one per .md file (or one
                     .md file). The body uses the capture line syntax: its first
                     line is the title (a leading '# ' is dropped), then
                     '> quote', '! pain', '+ need', '? question', #tags, @activity,
                     ~test (with --accept: evidence for that assumption test).
                     Optional front matter between '---' lines:
                       ---
                       interviewee: Kenji
                       persona: Platform developer
                       date: 2026-11-05
                       activities: Create a cluster, Monitor a workload
                       tags: slo, onboarding
                       ---
                     (also 'title:'). Without a date, the file's last change is used.
  --from csv FILE    A table of notes with a header row, one note per row. Columns
                     named like the fields (body, title, interviewee, persona, date,
                     activities, tags) are used as such; --map COLUMN=FIELD maps
                     others. Activities and tags are separated by ',' or ';'.
                     Rows are counted as in a spreadsheet (the header is row 1).

Personas and activities match like `valuemap note add`: by id, by name without
case, or by a part of the name that no other name holds; an unknown or
ambiguous one is an error naming the file and line (or row). A note identical to one already in the
workspace (date, interviewee, persona and text) is skipped, so importing the
same notes twice adds nothing.

Without --apply nothing is written: the command lists what it would create.
Every problem is reported and nothing is written when there is one: the whole
source is checked, and the workspace it would leave is validated (dangling
links, duplicate ids) before a file is touched. --apply writes only the files
that change: the new note files, and the shared files when something in them
is new.

Exit status: 0 when the import is possible (and, with --apply, written); 1 when
anything stops it.";

/// What SOURCE is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// valuemap's own JSON export (a file)
    Json,
    /// Markdown interview notes (a folder of .md files, or one file)
    Md,
    /// A CSV table of interview notes with a header row (a file)
    Csv,
}

#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct ImportArgs {
    /// Workspace folder to import into (create an empty one with `valuemap new PATH --template empty`)
    pub path: PathBuf,
    /// What SOURCE is
    #[arg(long, value_enum)]
    pub from: ImportFormat,
    /// The file (json, csv) or folder (md) to import
    pub source: PathBuf,
    /// CSV: the note field a column fills, as COLUMN=FIELD (repeat for several);
    /// fields: body, title, interviewee, persona, date, activities, tags
    #[arg(long = "map", value_name = "COLUMN=FIELD", value_parser = lib::parse_mapping)]
    pub map: Vec<(String, NoteField)>,
    /// md and csv: also accept every pain and need as a new opportunity, with its line as
    /// evidence, and give every line tagged ~test to that assumption test's evidence
    #[arg(long)]
    pub accept: bool,
    /// Write the import; without it, only show what would be created
    #[arg(long)]
    pub apply: bool,
}

/// Runs `valuemap import`.
pub fn run(a: ImportArgs) -> ExitCode {
    match import(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            let n = problems.len();
            for p in problems {
                // One line each, whatever the source's text holds.
                print_error(sanitize(&p));
            }
            if n > 1 {
                print_error(format!("{n} problems; nothing was imported"));
            } else {
                print_error("nothing was imported");
            }
            ExitCode::FAILURE
        }
    }
}

fn import(a: &ImportArgs) -> Result<(), Vec<String>> {
    if !a.map.is_empty() && a.from != ImportFormat::Csv {
        return Err(vec!["--map applies to --from csv only".into()]);
    }
    if a.accept && a.from == ImportFormat::Json {
        return Err(vec![
            "--accept applies to --from md and csv (a JSON export brings its own opportunities)"
                .into(),
        ]);
    }
    let (mut store, ws) = open_for_writing(&a.path).map_err(|e| vec![e])?;
    let plan = match a.from {
        ImportFormat::Json => lib::json(&ws, &a.source),
        ImportFormat::Md => lib::markdown(&ws, &a.source, a.accept),
        ImportFormat::Csv => lib::csv(&ws, &a.source, &a.map, a.accept),
    }
    .map_err(|ImportError { problems }| problems)?;

    let source = a.source.display();
    let target = a.path.display();
    if plan.is_empty() {
        say!("Nothing to import: what {source} holds is already in {target}.");
        report_skipped(&plan);
        report_notices(&plan);
        return Ok(());
    }
    if !a.apply {
        say!(
            "Importing {source} into {target} would create {}:",
            counts(&plan.counts())
        );
        report_created(&plan, None);
        report_skipped(&plan);
        report_notices(&plan);
        say!("Nothing was written (a dry run); add --apply to import.");
        return Ok(());
    }
    store.clean_stale_temp_files();
    let report = store
        .save(&plan.workspace, &Scope::Files(plan.files.clone()), false)
        .map_err(|e| vec![super::save_failed(&e, "nothing was written")])?;
    say!(
        "Imported {source} into {target}: created {}:",
        counts(&plan.counts())
    );
    report_created(&plan, Some(&store));
    report_skipped(&plan);
    report_notices(&plan);
    say!("Wrote {} file(s).", report.written.len());
    Ok(())
}

fn plural(kind: &str, n: usize) -> String {
    match (kind, n) {
        (k, 1) => format!("1 {k}"),
        ("activity", n) => format!("{n} activities"),
        ("opportunity", n) => format!("{n} opportunities"),
        (k, n) => format!("{n} {k}s"),
    }
}

fn counts(c: &[(&str, usize)]) -> String {
    c.iter()
        .map(|(k, n)| plural(k, *n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line about an entity of the workspace, safe for the terminal.
fn describe(ws: &Workspace, e: &EntityRef) -> String {
    let q = |s: &str| format!("\"{}\"", sanitize(s));
    match e {
        EntityRef::Phase(id) => match ws.phase(id) {
            Some(p) => format!("phase {}", q(&p.name)),
            None => format!("phase {id}"),
        },
        EntityRef::Activity(id) => match (ws.activity(id), ws.phase_of(id)) {
            (Some(a), Some(p)) => format!("activity {} (in {})", q(&a.name), sanitize(&p.name)),
            _ => format!("activity {id}"),
        },
        EntityRef::Persona(id) => match ws.persona(id) {
            Some(p) => format!("persona {} ({})", q(&p.name), p.role),
            None => format!("persona {id}"),
        },
        EntityRef::Perspective { persona, activity } => {
            let p = ws.persona(persona).map_or(persona.as_str(), |p| &p.name);
            let a = ws.activity(activity).map_or(activity.as_str(), |a| &a.name);
            format!("perspective {} × {}", sanitize(p), sanitize(a))
        }
        EntityRef::Note(id) => match ws.notes.get(id) {
            Some(n) => {
                let who = if n.interviewee.trim().is_empty() {
                    "(no interviewee)".to_string()
                } else {
                    sanitize(&n.interviewee)
                };
                format!("note {}  {who}  {}", n.date.format("%Y-%m-%d"), q(&n.title))
            }
            None => format!("note {id}"),
        },
        EntityRef::Opportunity(id) => match ws.opportunity(id) {
            Some(o) => format!("opportunity {} ({})", q(&o.title), o.kind.label()),
            None => format!("opportunity {id}"),
        },
        EntityRef::Metric(id) => match ws.metric(id) {
            Some(m) => format!("metric {}", q(&m.name)),
            None => format!("metric {id}"),
        },
        EntityRef::Item(k, id) => match ws.items.get(*k, id) {
            Some(it) => format!("{k} {}", q(it.title())),
            None => format!("{k} {id}"),
        },
        EntityRef::Workspace => format!("workspace {}", q(&ws.name)),
    }
}

/// The created entities, kind by kind; with the store (after writing), each
/// note's file.
fn report_created(plan: &Plan, store: Option<&Store>) {
    let mut created: Vec<&EntityRef> = plan.created.iter().collect();
    let order = |e: &EntityRef| match e {
        EntityRef::Workspace => 0,
        EntityRef::Phase(_) => 1,
        EntityRef::Activity(_) => 2,
        EntityRef::Persona(_) => 3,
        EntityRef::Perspective { .. } => 4,
        EntityRef::Note(_) => 5,
        EntityRef::Opportunity(_) => 6,
        EntityRef::Metric(_) => 7,
        EntityRef::Item(k, _) => 8 + *k as u8,
    };
    created.sort_by_key(|e| order(e));
    for e in created {
        let line = describe(&plan.workspace, e);
        match (store, e) {
            (Some(s), EntityRef::Note(id)) => {
                let path = s.path_of(&FileKey::Note(id.clone()), &plan.workspace);
                let shown = path.strip_prefix(s.root()).unwrap_or(&path);
                say!("  {line}  → {}", shown.display());
            }
            _ => say!("  {line}"),
        }
    }
}

fn report_skipped(plan: &Plan) {
    if plan.skipped.is_empty() {
        return;
    }
    say!(
        "Skipped, already in the workspace: {}",
        counts(&plan.skipped_counts())
    );
    for s in &plan.skipped {
        let kind = lib::kind_of(&s.entity);
        let id = match &s.entity {
            EntityRef::Phase(id)
            | EntityRef::Activity(id)
            | EntityRef::Persona(id)
            | EntityRef::Note(id)
            | EntityRef::Opportunity(id)
            | EntityRef::Metric(id) => format!(" [{id}]"),
            _ => String::new(),
        };
        let how = if s.identical {
            "identical"
        } else {
            "differs; the workspace's version is kept"
        };
        let label = match &s.entity {
            EntityRef::Note(_) | EntityRef::Perspective { .. } => sanitize(&s.label),
            _ => format!("\"{}\"", sanitize(&s.label)),
        };
        say!("  {kind} {label}{id}: {how}");
    }
}

fn report_notices(plan: &Plan) {
    for n in &plan.notices {
        say!("note: {}", sanitize(n));
    }
}
