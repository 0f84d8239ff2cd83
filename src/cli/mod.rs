//! The command line: `valuemap [PATH]` and its subcommands.

mod adopt;
mod delivery;
mod diff;
mod export;
mod forget;
mod git;
mod headless;
mod import;
mod issues;
mod log;
mod loop_check;
mod observe;
mod policy;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::Workspace;
use crate::model::coverage;
use crate::model::validate::{FileKey, Severity, validate};
use crate::store::{self, LoadError, Scope, Store};
use crate::template::{self, DEFAULT_TEMPLATE, Template};

/// Persona-based product discovery in the terminal.
///
/// Build a Customer Journey Value Map (lifecycle phases, activities, and each
/// persona's perspective on them), capture customer interviews, turn pains and
/// needs into opportunities backed by evidence, and attach the metrics that
/// prove value was delivered. A workspace is a folder of RON files that lives
/// happily in git.
///
/// With no command, opens the interactive map on PATH, or on the default
/// workspace (created from the kubernetes-platform template on first run).
#[derive(Debug, Parser)]
#[command(name = "valuemap", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Workspace folder to open (default: the default workspace in the platform data dir)
    pub path: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new workspace folder from a template
    ///
    /// Refuses a PATH that already exists and touches nothing in that case.
    New {
        /// Folder to create
        path: PathBuf,
        /// Template to start from
        #[arg(long, short, default_value = DEFAULT_TEMPLATE, value_parser = template::names())]
        template: String,
    },
    /// Validate a workspace: parse errors, dangling links, duplicate ids, ratings
    ///
    /// Also lists the map's blind spots (coverage). With --policy, also
    /// checks the rules of the workspace's policy.ron (see docs/ci.md), each
    /// violation with its file:line. Exit status: 0 when the workspace is
    /// valid (warnings allowed) and holds to its policy, 1 when it has
    /// errors, breaks a rule or cannot be read.
    Check {
        /// Workspace folder
        path: PathBuf,
        /// Leave out the coverage report
        #[arg(long)]
        no_coverage: bool,
        /// Also check the discovery policy in PATH/policy.ron
        #[arg(long)]
        policy: bool,
        /// text: file:line: error: message; github: GitHub Actions annotations
        #[arg(long, value_enum, default_value_t = policy::CheckFormat::Text)]
        format: policy::CheckFormat,
        /// The git base of the change, for the rating rule (default: origin/$GITHUB_BASE_REF
        /// in a pull request's workflow, else HEAD)
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Judge due dates and metric windows as of this day (YYYY-MM-DD;
        /// default: today)
        #[arg(long, value_name = "DATE")]
        today: Option<chrono::NaiveDate>,
    },
    /// Rewrite a workspace in canonical form (for pre-commit hooks)
    ///
    /// A canonical workspace is left byte-identical; a workspace that fails to
    /// load is never touched.
    Fmt {
        /// Workspace folder
        path: PathBuf,
        /// Change nothing; exit 1 and list the files that are not canonical
        #[arg(long)]
        check: bool,
    },
    /// Interview notes from the shell (see `valuemap note add --help`)
    #[command(subcommand)]
    Note(headless::NoteCommand),
    /// Metrics from the shell (see `valuemap metric observe --help`)
    #[command(subcommand)]
    Metric(headless::MetricCommand),
    /// Export a workspace for people who never open the terminal
    ///
    /// Writes a Markdown report, CSV tables, a JSON document or a
    /// self-contained HTML page. Without -o, md, json, html and a single CSV
    /// table go to standard output. All CSV tables at once need -o DIR: one
    /// file per table is written into DIR, which is created if absent.
    /// Every file is written whole or not at all (private, mode 0600: exports
    /// hold interview notes). Exit status: 0 on success, 1 when the workspace
    /// cannot be read or the output cannot be written; nothing is written then.
    Export(export::ExportArgs),
    /// Compare two versions of a workspace: what changed in discovery terms
    ///
    /// Compares git revisions of the workspace (default: HEAD against the
    /// working tree) or two workspace folders, entity by entity and by id:
    /// personas, perspectives, opportunities (re-scored, moved, new
    /// evidence), interview notes and metrics (new observations, verdicts).
    Diff(diff::DiffArgs),
    /// Remove every note from one interviewee, everywhere
    ///
    /// Deletes their note files, every piece of evidence that cites them,
    /// opportunities titled with their words (or retitles them when other
    /// evidence backs them; --keep-titles keeps the titles), the copies of
    /// unsaved work valuemap keeps (recovery file, capture draft) and what
    /// interrupted runs left (temporary files, staging folders), and reports
    /// what it removed. Git history is not rewritten.
    Forget(forget::ForgetArgs),
    /// Import interview notes or a whole workspace from other files
    ///
    /// From valuemap's own JSON export (ids kept: into an empty workspace the
    /// result is exactly the exported one), from a folder of Markdown notes
    /// (front matter and the capture line syntax), or from a CSV table of
    /// notes (--map COLUMN=FIELD). Shows what it would create; --apply
    /// writes it. Nothing is written when anything fails: the whole source is
    /// checked and the result validated first. Existing entities are never
    /// overwritten: those already there are skipped and listed.
    Import(import::ImportArgs),
    /// Git's merge driver for workspace files (set up by `valuemap git-setup`)
    ///
    /// Merges the three versions of one file by id and field by field. The
    /// result goes into OURS (%A). Exit status 0: merged; 1: true conflicts
    /// were recorded in the file, which still parses (`valuemap check`
    /// lists them, :conflicts in the interface settles them).
    #[command(name = "merge-driver")]
    MergeDriver {
        /// The common ancestor's version (%O)
        base: PathBuf,
        /// Our version, replaced by the result (%A)
        ours: PathBuf,
        /// Their version (%B)
        theirs: PathBuf,
        /// The file's path in the repository (%P)
        name: PathBuf,
    },
    /// Set up a git repository to merge and diff a workspace by meaning
    ///
    /// Writes `.gitattributes` in the workspace folder and the merge driver
    /// and diff text conversion into the repository's own config. Running it
    /// again changes nothing.
    #[command(name = "git-setup")]
    GitSetup {
        /// Workspace folder (default: the current folder)
        path: Option<PathBuf>,
    },
    /// How the team's understanding changed, commit by commit, from git
    ///
    /// Walks the repository's history of the workspace and prints, per
    /// commit, what changed in discovery terms (the semantic diff). With
    /// --entity, one entity's timeline: a cell's importance, satisfaction and
    /// score, an opportunity's status, horizon and score, a metric's target.
    Log(log::LogArgs),
    /// Mark opportunities delivered from `Delivers:` commit trailers
    ///
    /// Reads the trailers of the workspace's repository (or those named in
    /// its config.ron, or --repo) and records each opportunity named as
    /// delivered, at the commit's date. A dry run unless --apply; running it
    /// again changes nothing.
    #[command(name = "sync-delivery")]
    SyncDelivery(delivery::SyncArgs),
    /// Record a consumer team's adoption of a platform capability (or an
    /// activity) on a date
    ///
    /// STATE is not-adopted, trialling, adopted or dropped; --mandated marks
    /// adoption the team was told to do (not its free choice). TEAM and
    /// TARGET (a platform capability of the needs map, or an activity) match
    /// by id, by name (case-insensitive) or by a unique prefix of the name.
    /// One record per team, target and day: recording the same team, target
    /// and date again replaces that day's record, and says so. Prints the
    /// target's adoption rates on that date, all adoption and by free choice
    /// only, over the teams that existed then.
    Adopt(adopt::AdoptArgs),
    /// Consumer teams from the shell: add one, or set the day one starts
    /// to count in the adoption rates
    #[command(subcommand)]
    Team(TeamCommand),
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Add a consumer team
    Add(adopt::TeamAddArgs),
    /// Set the day a team starts to count in the adoption rates
    Since(adopt::TeamSinceArgs),
}

/// Prints an error the way every subcommand does. Text from files may be
/// in it: control characters never reach the terminal.
pub fn print_error(msg: impl std::fmt::Display) {
    eprintln!(
        "valuemap: {}",
        crate::text::sanitize_multiline(&msg.to_string())
    );
}

/// `println!` for output that carries text from files: control characters
/// (escape sequences) are removed first.
macro_rules! say {
    ($($t:tt)*) => {
        $crate::cli::out(&format!($($t)*))
    };
}

/// Prints a line of output, sanitised. When the reader has gone away
/// (`valuemap check ws | head`), the command ends quietly instead of
/// failing.
pub fn out(text: &str) {
    let mut stdout = io::stdout().lock();
    let line = crate::text::sanitize_multiline(text);
    if let Err(e) = writeln!(stdout, "{line}")
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}
pub(crate) use say;

/// Runs a subcommand.
pub fn run(cmd: Command) -> ExitCode {
    match cmd {
        Command::New { path, template } => new(&path, &template),
        Command::Check {
            path,
            no_coverage,
            policy,
            format,
            base,
            today,
        } => {
            let today = today.unwrap_or_else(loop_check::today);
            if policy || format != policy::CheckFormat::Text {
                policy::run(policy::CheckArgs {
                    path,
                    with_coverage: !no_coverage,
                    policy,
                    format,
                    base,
                    today,
                })
            } else {
                check(&path, !no_coverage, today)
            }
        }
        Command::Fmt { path, check } => fmt(&path, check),
        Command::Note(headless::NoteCommand::Add(a)) => headless::note_add(a),
        Command::Metric(m) => observe::metric(m),
        Command::Export(a) => export::run(a),
        Command::Diff(a) => diff::run(a),
        Command::MergeDriver {
            base,
            ours,
            theirs,
            name,
        } => git::merge_driver(&base, &ours, &theirs, &name),
        Command::GitSetup { path } => git::setup(path),
        Command::Forget(a) => forget::run(a),
        Command::Import(a) => import::run(a),
        Command::Log(a) => log::run(a),
        Command::SyncDelivery(a) => delivery::run(a),
        Command::Adopt(a) => adopt::run(a),
        Command::Team(TeamCommand::Add(a)) => adopt::team_add(a),
        Command::Team(TeamCommand::Since(a)) => adopt::team_since(a),
    }
}

/// Opens a workspace to read it, printing what the loader noticed along the
/// way.
pub fn open(path: &Path) -> Result<(Store, Workspace), LoadError> {
    let (store, ws, info) = Store::open(path)?;
    tell(path, &info);
    Ok((store, ws))
}

/// Opens a workspace to write it: the store holds the workspace's lock
/// until it is dropped, so the read, the checks and the write happen with
/// no other writer in between. Says what the loader noticed.
pub fn open_locked(path: &Path) -> Result<(Store, Workspace), LoadError> {
    let (store, ws, info) = Store::open_locked(path)?;
    tell(path, &info);
    Ok((store, ws))
}

/// The message for a failed save: what went wrong, and `then` ("nothing
/// was written") when every file is still as it was, which is every case
/// but a save that stopped part way and could not be undone.
pub fn save_failed(e: &store::SaveError, then: &str) -> String {
    if e.nothing_written() {
        format!("{e}; {then}")
    } else {
        e.to_string()
    }
}

/// Prints what opening a workspace noticed: an older format, an
/// interrupted save settled, entries of `notes/` that are not files.
pub(super) fn tell(path: &Path, info: &store::LoadInfo) {
    if let Some(v) = info.migrated_from {
        eprintln!(
            "valuemap: {} is in format version {v}; it is read as version {} and written so on the next save",
            path.join(store::WORKSPACE_FILE).display(),
            store::FORMAT_VERSION
        );
    }
    if let Some(r) = &info.recovered {
        print_error(format!("{}: {r}", path.display()));
    }
    for s in &info.skipped {
        print_error(format!("warning: {s}"));
    }
}

fn new(path: &Path, template: &str) -> ExitCode {
    let Some(t) = Template::find(template) else {
        print_error(format!(
            "no template named {template}; choose one of: {}",
            template::names().join(", ")
        ));
        return ExitCode::FAILURE;
    };
    match create_from(path, t) {
        Ok(()) => {
            say!(
                "Created workspace {} from template {} — open it with: valuemap {}",
                path.display(),
                t.name,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

/// Creates a workspace folder from a template.
pub fn create_from(path: &Path, t: &Template) -> Result<(), String> {
    if path.exists() {
        return Err(format!(
            "{} already exists; nothing was changed",
            path.display()
        ));
    }
    let ws = t
        .workspace()
        .map_err(|e| format!("template {} is broken: {e}", t.name))?;
    Store::create(path, &ws).map_err(|e| e.to_string())?;
    // The discovery policy's example: every rule explained, all off.
    crate::policy::write_example(path)
        .map_err(|e| format!("{}: {e}", path.join(crate::policy::POLICY_FILE).display()))?;
    Ok(())
}

fn check(path: &Path, with_coverage: bool, today: chrono::NaiveDate) -> ExitCode {
    let (store, ws, info) = match Store::open(path) {
        Ok(x) => x,
        Err(e) => {
            print_error(e);
            return ExitCode::FAILURE;
        }
    };
    if let Some(v) = info.migrated_from {
        eprintln!(
            "valuemap: {} is in format version {v}; it is read as version {} and written so on the next save",
            path.join(store::WORKSPACE_FILE).display(),
            store::FORMAT_VERSION
        );
    }
    if let Some(r) = &info.recovered {
        say!("{}: {r}", path.display());
    }
    if let Some(w) = store::privacy_warning(path) {
        say!("{}: warning: {w}", path.display());
    }
    // The coverage report counts every note again: on a thread of its own
    // while the workspace is validated (each reads every note).
    let (findings, gaps) = std::thread::scope(|s| {
        let gaps = with_coverage.then(|| s.spawn(|| coverage::report(&ws)));
        let findings = validate(&ws);
        let gaps = gaps.map(|g| match g.join() {
            Ok(gaps) => gaps,
            Err(panic) => std::panic::resume_unwind(panic),
        });
        (findings, gaps)
    });
    let (mut errors, mut warnings) = (0, 0);
    // Entries of notes/ (opportunities/, ...) that are not files: said,
    // and counted.
    for s in &info.skipped {
        warnings += 1;
        let noun = s
            .path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|d| crate::model::validate::FileKind::of_folder(&d.to_string_lossy()))
            .map_or("note", |k| k.noun());
        say!(
            "{}: warning: {}, so it is not read as {} {noun}; remove it or put a file there",
            s.path.display(),
            s.reason,
            if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            }
        );
    }
    // Comments: valid RON, but the next save drops them.
    for c in &info.comments {
        warnings += 1;
        say!("{c}");
    }
    for f in &findings {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        // An outcome, solution or test has a file of its own: the line of
        // the item is worth giving.
        let at = if matches!(f.file, FileKey::Item(..)) || f.field.is_some() {
            let (p, line) = loop_check::locate_entity(&store, &ws, &f.entity, f.field);
            format!("{}:{line}", p.display())
        } else {
            store.path_of(&f.file, &ws).display().to_string()
        };
        say!("{at}: {}: {}", f.severity, f.message);
    }
    // The discovery loop as of today: tests past due, verdicts to record.
    for f in loop_check::findings(&ws, today) {
        if f.level == "warning" {
            warnings += 1;
        }
        let (path, line) = loop_check::locate(&store, &ws, &f);
        say!("{}:{line}: {}: {}", path.display(), f.level, f.message);
    }
    if let Some(gaps) = gaps
        && !gaps.is_empty()
    {
        say!("coverage: {} blind spot(s)", gaps.len());
        for g in gaps {
            say!("  {}", g.message);
        }
    }
    // "0 error(s)" stays as scripts match it; what the workspace holds
    // reads naturally ("1 persona").
    let count = crate::text::count;
    say!(
        "{}: {} error(s), {} warning(s); {}, {}, {}, {}, {}, {}",
        path.display(),
        errors,
        warnings,
        count(ws.phases.len(), "phase"),
        count(ws.activity_count(), "activity"),
        count(ws.personas.len(), "persona"),
        count(ws.notes.len(), "note"),
        count(ws.opportunities.len(), "opportunity"),
        count(ws.metrics.len(), "metric")
    );
    if let Some(hint) = git::setup_hint(path) {
        eprintln!("hint: {}", crate::text::sanitize(&hint));
    }
    // The process ends here: freeing a large workspace block by block
    // (~20 ms at 100k notes) is left to the exit, which frees it at once.
    if ws.notes.len() >= LEAVE_TO_EXIT {
        std::mem::forget(ws);
    }
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// From how many notes a command that ends the process leaves its
/// workspace for the exit to free.
const LEAVE_TO_EXIT: usize = 10_000;

fn fmt(path: &Path, check_only: bool) -> ExitCode {
    let opened = if check_only {
        Store::open(path)
    } else {
        Store::open_locked(path)
    };
    let opened = opened.map(|(store, ws, info)| {
        tell(path, &info);
        (store, ws, info.comments)
    });
    let (mut store, ws, comments) = match opened {
        Ok(x) => x,
        Err(e) => {
            print_error(e);
            return ExitCode::FAILURE;
        }
    };
    let off = store.non_canonical(&ws);
    if check_only {
        for c in &comments {
            say!("{c}");
        }
        for p in &off {
            say!("not canonical: {}", p.display());
        }
        return if off.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let cleaned = store.clean_stale_temp_files();
    if cleaned > 0 {
        eprintln!("valuemap: removed {cleaned} temporary file(s) left by an interrupted save");
    }
    match store.save(&ws, &Scope::All, false) {
        Ok(report) => {
            for p in &report.written {
                match comments.iter().find(|c| &c.path == p) {
                    Some(c) => say!(
                        "formatted {} (its comments, from line {}, were removed: comments are not kept)",
                        p.display(),
                        c.line
                    ),
                    None => say!("formatted {}", p.display()),
                }
            }
            if report.written.is_empty() {
                say!("{}: already canonical", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

/// What the TUI should open: the folder, after creating it if needed.
pub fn resolve_tui_path(path: Option<PathBuf>) -> Result<PathBuf, String> {
    match path {
        Some(p) => {
            if p.join(store::WORKSPACE_FILE).exists() {
                return Ok(p);
            }
            let empty_dir = p.is_dir()
                && std::fs::read_dir(&p)
                    .map(|mut d| d.next().is_none())
                    .unwrap_or(false);
            if p.exists() && !empty_dir {
                return Err(format!(
                    "{} is not a valuemap workspace (no {} in it)",
                    p.display(),
                    store::WORKSPACE_FILE
                ));
            }
            if !io::stdin().is_terminal() {
                return Err(format!(
                    "no workspace at {}; create one with: valuemap new {}",
                    p.display(),
                    p.display()
                ));
            }
            print!(
                "No workspace at {}. Create one from the {DEFAULT_TEMPLATE} template? [y/N] ",
                p.display()
            );
            io::stdout().flush().ok();
            let mut answer = String::new();
            io::stdin()
                .read_line(&mut answer)
                .map_err(|e| e.to_string())?;
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                return Err("nothing created".into());
            }
            if empty_dir {
                std::fs::remove_dir(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            let t = Template::find(DEFAULT_TEMPLATE).ok_or("the default template is missing")?;
            create_from(&p, t)?;
            Ok(p)
        }
        None => {
            let p = store::paths::default_workspace()
                .ok_or("cannot find a home folder for the default workspace; give a PATH")?;
            if !p.join(store::WORKSPACE_FILE).exists() {
                let t =
                    Template::find(DEFAULT_TEMPLATE).ok_or("the default template is missing")?;
                if p.exists() {
                    return Err(format!(
                        "{} exists but holds no workspace; move it away or give a PATH",
                        p.display()
                    ));
                }
                create_from(&p, t)?;
                eprintln!("valuemap: created the default workspace at {}", p.display());
            }
            Ok(p)
        }
    }
}
