//! Headless capture for scripts and quick notes from a shell:
//! `valuemap note add` and `valuemap metric observe`.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{open_locked, print_error, say};
use crate::capture::{self, Resolved};
use crate::model::edit::{self, Edit};
use crate::model::validate::{FileKey, Severity, validate};
use crate::model::{Id, Note, Workspace, ratings};
use crate::store::{Scope, Store};

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Capture an interview note without opening the interface
    ///
    /// TEXT uses the capture line syntax: the first line is the title, then
    /// `> quote`, `! pain`, `+ need`, `? question`, `#tag`, `@activity`, and
    /// `~test` to add the line to an assumption test's evidence (the test's
    /// id, or words of its assumption with `-` for blanks:
    /// `~billing-export`). Give `-` (or nothing, with a pipe) to read it from
    /// standard input. Personas and activities match by id, by name
    /// (case-insensitive), or by any part of the name that only one name
    /// holds. A `~test` that names no single test is an error, and nothing
    /// is written.
    ///
    /// A line `= I/S` records the interviewee's own importance and
    /// satisfaction (each 1–5) for the note's first activity, `= I/S
    /// @activity` for another; --rate adds the same lines. A rating that
    /// cannot be read, or names no single activity, is an error, and nothing
    /// is written.
    Add(NoteAdd),
}

#[derive(Debug, Args)]
pub struct NoteAdd {
    /// Workspace folder
    pub path: std::path::PathBuf,
    /// Who was interviewed: a persona's name, a part of it only that name holds, or its id
    #[arg(long, short)]
    pub persona: String,
    /// An activity the note is about (name, a part only its name holds, or id); repeat for several
    #[arg(long, short, required = true)]
    pub activity: Vec<String>,
    /// An alias for the person interviewed
    #[arg(long, short)]
    pub interviewee: Option<String>,
    /// The date of the interview, YYYY-MM-DD (default: today)
    #[arg(long, short, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// A tag; repeat for several
    #[arg(long, short)]
    pub tag: Vec<String>,
    /// Also accept every pain and need as a new opportunity, with its line as evidence
    #[arg(long)]
    pub accept: bool,
    /// The interviewee's own importance/satisfaction (each 1–5) for the
    /// note's first activity, or for another with `@activity`: `4/2`,
    /// `4/2@create-a-cluster`; repeat for several (a line `= 4/2` in TEXT
    /// does the same)
    #[arg(long, value_name = "I/S[@ACTIVITY]")]
    pub rate: Vec<String>,
    /// The note, or `-` to read standard input
    pub text: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MetricCommand {
    /// Record an observation of a metric, or many at once from CSV
    ///
    /// METRIC matches by id, by name (case-insensitive), or by any part of
    /// the name that only one metric's name holds (`queue` finds "Build
    /// queue time"); an unknown name is answered with the closest ones. With --from, lines `date,metric,value[,comment]`
    /// are read from a file or from standard input (`--from -`), so a cron
    /// or CI job can pipe any command's output in; an empty date is today.
    /// Everything is checked before anything is written. An observation
    /// already recorded (same metric, date and value) is not added again; a
    /// different value for a date already observed is refused unless
    /// --replace is given.
    #[command(
        after_long_help = OBSERVE_HELP,
        override_usage = "valuemap metric observe [OPTIONS] <PATH> <METRIC> <VALUE>\n       \
                          valuemap metric observe [OPTIONS] <PATH> --from <FILE>"
    )]
    Observe {
        /// Workspace folder
        path: std::path::PathBuf,
        /// The metric
        #[arg(required_unless_present = "from")]
        metric: Option<String>,
        /// The observed value (a number)
        #[arg(allow_negative_numbers = true, required_unless_present = "from")]
        value: Option<f64>,
        /// The date of the observation, YYYY-MM-DD (default: today)
        #[arg(long, short, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// A comment kept with the observation
        #[arg(long, short)]
        comment: Option<String>,
        /// Read observations as CSV lines `date,metric,value[,comment]` from
        /// FILE, or from standard input with `-`
        #[arg(long, value_name = "FILE", conflicts_with_all = ["metric", "value", "date", "comment"])]
        from: Option<std::path::PathBuf>,
        /// Replace the value already recorded for a metric on a date
        #[arg(long)]
        replace: bool,
    },
}

const OBSERVE_HELP: &str = "\
Examples:
  valuemap metric observe ws Uptime 99.95 --date 2026-11-30
  valuemap metric observe ws --from observations.csv
  echo \"$(date +%F),Clusters,$(kubectl get clusters -A --no-headers | wc -l)\" \\
    | valuemap metric observe ws --from -

A line's date may also be an RFC 3339 time or Unix seconds (as Prometheus
gives them), or empty for today. A first line `date,metric,value,...` is a
header; lines starting with # are skipped.";

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{s}\" is not a date: use YYYY-MM-DD"))
}

/// Opens a workspace for writing: it must load and validate without errors.
/// The store holds the workspace's lock until it is dropped: what is checked
/// here is what the write replaces.
pub(super) fn open_for_writing(path: &Path) -> Result<(Store, Workspace), String> {
    let (store, ws) = open_locked(path).map_err(|e| e.to_string())?;
    let errors = validate(&ws)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(format!(
            "{} has {errors} error(s); fix them first (valuemap check {}). Nothing was written.",
            path.display(),
            path.display()
        ));
    }
    Ok((store, ws))
}

fn read_text(text: Option<String>) -> Result<String, String> {
    match text.as_deref() {
        Some("-") | None => {
            if text.is_none() && std::io::stdin().is_terminal() {
                return Err("give the note as TEXT, or - to read it from standard input".into());
            }
            // Bounded like a note file: a note is never larger.
            let max = crate::store::read::MAX_FILE_LEN;
            let mut s = String::new();
            std::io::stdin()
                .take(max + 1)
                .read_to_string(&mut s)
                .map_err(|e| format!("reading standard input: {e}"))?;
            if s.len() as u64 > max {
                return Err(format!(
                    "standard input holds more than the {} MiB a note may hold; nothing was written",
                    max / (1024 * 1024)
                ));
            }
            Ok(s)
        }
        Some(t) => Ok(t.to_string()),
    }
}

pub fn note_add(a: NoteAdd) -> ExitCode {
    match note_add_inner(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn note_add_inner(a: NoteAdd) -> Result<(), String> {
    // The text first: standard input may be a slow pipe, and the workspace's
    // lock (taken next) keeps every other writer waiting while it is held.
    let text = read_text(a.text)?;
    let (mut store, mut ws) = open_for_writing(&a.path)?;
    let persona = capture::resolve_persona(&ws, &a.persona)?.id.clone();
    let mut activities = Vec::new();
    for name in &a.activity {
        let id = capture::resolve_activity_id(&ws, name)?;
        if !activities.contains(&id) {
            activities.push(id);
        }
    }
    let body = text.replace("\r\n", "\n");
    // Text saved by some editors starts with a byte-order mark.
    let body = body.strip_prefix('\u{feff}').unwrap_or(&body).to_string();
    let mut body = body.trim_end().to_string();
    for r in &a.rate {
        let line = match r.split_once('@') {
            Some((v, act)) => format!("= {} @{}", v.trim(), act.trim().replace(' ', "-")),
            None => format!("= {}", r.trim()),
        };
        if let Some(Err(e)) = ratings::parse_line(&line) {
            return Err(format!("--rate {r}: {}\nNothing was written.", e.message));
        }
        body.push('\n');
        body.push_str(&line);
    }
    let body = ratings::canonical_body(&body);
    let parsed = capture::parse(&body);
    let title = parsed.title();
    if title.is_empty() {
        return Err("the note is empty: its first line is its title".into());
    }
    let mut unknown = Vec::new();
    for m in parsed.mentions() {
        match capture::resolve_activity(&ws, &m) {
            Resolved::Activity(x) => {
                if !activities.contains(&x.id) {
                    activities.push(x.id.clone());
                }
            }
            _ => unknown.push(m),
        }
    }
    // Lines tagged for assumption tests: every reference must name one.
    let (test_links, problems) = capture::test_links(&ws, &body);
    if !problems.is_empty() {
        return Err(format!("{}\nNothing was written.", problems.join("\n")));
    }
    let mut tags = Vec::new();
    capture::merge_tags(&mut tags, a.tag.iter().cloned());
    capture::merge_tags(&mut tags, parsed.tags());
    let id = ws.fresh_id();
    let note = Note {
        id: id.clone(),
        date: a.date.unwrap_or_else(|| chrono::Local::now().date_naive()),
        interviewee: a.interviewee.unwrap_or_default().trim().into(),
        persona: Some(persona.clone()),
        activities: activities.clone(),
        title: title.clone(),
        body,
        tags: tags.clone().into(),
        dismissed: crate::model::ThinVec::new(),
        answered: crate::model::ThinVec::new(),
        captured: Some(chrono::Local::now().naive_local()),
    };
    // Every rating must rate a cell: a clear message, and nothing written.
    let (rated, bad) = ratings::note_ratings(&ws, &note);
    if !bad.is_empty() {
        return Err(format!(
            "{}\nNothing was written.",
            bad.iter()
                .map(|p| format!("line {}, column {}: {}", p.line, p.column, p.message))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let mut files = vec![FileKey::Note(id.clone())];
    edit::apply(
        &mut ws,
        Edit::PutNote {
            id: id.clone(),
            note: Some(note),
        },
    )
    .map_err(|e| e.to_string())?;
    let mut attached = Vec::new();
    for link in &test_links {
        if let Some(e) = capture::attach_edit(&ws, &id, link) {
            edit::apply(&mut ws, e).map_err(|e| e.to_string())?;
            files.push(FileKey::Item(crate::model::Kind::Test, link.test.clone()));
            attached.push(link);
        }
    }
    let suggestions = parsed.suggestions();
    let mut accepted = Vec::new();
    if a.accept {
        let ids = capture::accept_suggestions(&mut ws, &id)?;
        accepted = ids
            .iter()
            .filter_map(|o| ws.opportunity(o).map(|o| o.title.clone()))
            .collect();
        files.extend(ids.into_iter().map(FileKey::Opportunity));
    }
    store.clean_stale_temp_files();
    let report = store
        .save(&ws, &Scope::Files(files.into_iter().collect()), false)
        .map_err(|e| super::save_failed(&e, "nothing was written"))?;
    let n = &ws.notes[&id];
    let persona_name = ws.persona(&persona).map_or("", |p| p.name.as_str());
    let acts: Vec<&str> = n
        .activities
        .iter()
        .filter_map(|x| ws.activity(x))
        .map(|x| x.name.as_str())
        .collect();
    say!("Created note {id}: \"{title}\"");
    if let Some(p) = report.written.first() {
        say!("  file:       {}", p.display());
    }
    say!("  date:       {}", n.date.format("%Y-%m-%d"));
    say!("  persona:    {persona_name}");
    say!("  activities: {}", acts.join(", "));
    if !n.interviewee.is_empty() {
        say!("  interviewee: {}", n.interviewee);
    }
    if !tags.is_empty() {
        say!(
            "  tags:       {}",
            tags.iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let count = |k| parsed.of_kind(k).count();
    say!(
        "  lines:      {} quote(s), {} pain(s), {} need(s), {} question(s)",
        count(capture::LineKind::Quote),
        count(capture::LineKind::Pain),
        count(capture::LineKind::Need),
        count(capture::LineKind::Question)
    );
    if !rated.is_empty() {
        let cells = ratings::ByCell::of(&ws);
        for (act, i, s) in &rated {
            let name = ws.activity(act).map_or("?", |x| x.name.as_str());
            let cell = ratings::CellRatings::rating(&cells, &ws, &persona, act);
            let heard = cell.heard.map_or(String::new(), |h| h.summary());
            say!(
                "  rating:     {name} i{i} s{s}; the cell now: {} ({}){}{}",
                cell.shown(),
                cell.source.label(),
                if heard.is_empty() {
                    ""
                } else {
                    ", interviews "
                },
                heard
            );
        }
    }
    for m in unknown {
        say!("  note: @{m} matches no single activity and was left as text");
    }
    for l in attached {
        say!(
            "  evidence for assumption test {} \"{}\": {}",
            l.test,
            l.assumption,
            l.line
        );
    }
    if a.accept {
        for t in &accepted {
            say!("  accepted opportunity: {t}");
        }
    } else if !suggestions.is_empty() {
        say!(
            "  {} pain(s) and need(s) can become opportunities: add --accept, or open the note in valuemap",
            suggestions.len()
        );
    }
    Ok(())
}

/// Finds a metric by id, or by name as [`crate::names`] matches names:
/// its name (any case), else the one name that holds what was typed.
pub(super) fn find_metric<'a>(
    ws: &'a Workspace,
    name: &str,
) -> Result<&'a crate::model::Metric, String> {
    if let Some(m) = ws.metric(&Id::new(name)) {
        return Ok(m);
    }
    match crate::names::find(&ws.metrics, name, |m| &m.name) {
        crate::names::Found::One(m) => Ok(m),
        crate::names::Found::None => Err(crate::names::no_match(
            "metric",
            "metrics",
            name,
            ws.metrics.iter().map(|m| m.name.as_str()),
        )),
        crate::names::Found::Several(v) => Err(crate::names::several(
            "metrics",
            name,
            v.iter().map(|m| m.name.as_str()),
        )),
    }
}
