//! `valuemap sync-delivery PATH [--repo DIR]... [--apply]`: `Delivers:`
//! commit trailers mark opportunities delivered and solutions shipped at
//! the commit's date ([`crate::delivery`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::headless::open_for_writing;
use super::{print_error, say};
use crate::delivery::{self, Target};
use crate::githistory::{self, TRAILER};
use crate::model::edit;
use crate::store::Scope;

const HELP: &str = "\
A commit of the platform's code says what it ships with a trailer, the last
paragraph of its message:

    Self-service clusters from a GitOps template

    Delivers: 93ssvc

(several ids: `Delivers: 93ssvc, c4dprw`, or one trailer per line). An
opportunity becomes `delivered` (a validated or invalidated one keeps its
status) with the commit's date as its delivery date; a solution becomes
`shipped` on the commit's date, which puts the marker on its metrics' charts
and starts the before / after comparison. When several commits name one, the
earliest counts. Running it again changes nothing.

Repositories read: each --repo, else those listed in the workspace's
config.ron, relative to the workspace folder:

    (repositories: [\"../platform-api\", \"../cluster-templates\"])

else the workspace's own repository. Every branch, remote branch and tag is
read; --rev main (repeatable) reads only what those revisions hold.

Examples:
  valuemap sync-delivery ws                     what would be recorded
  valuemap sync-delivery ws --apply             record it
  valuemap sync-delivery ws --repo ../platform --rev origin/main --apply";

#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct SyncArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// A repository to read trailers from (repeatable; default: the
    /// repositories in the workspace's config.ron, else its own)
    #[arg(long, value_name = "DIR")]
    pub repo: Vec<PathBuf>,
    /// Read only the history of this revision (repeatable; default: every
    /// branch, remote branch and tag)
    #[arg(long, value_name = "REV")]
    pub rev: Vec<String>,
    /// Record the deliveries (without it, only shows what would change)
    #[arg(long)]
    pub apply: bool,
}

pub fn run(a: SyncArgs) -> ExitCode {
    match sync(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn sync(a: &SyncArgs) -> Result<(), String> {
    let config = delivery::load_config(&a.path)?;
    let repos: Vec<PathBuf> = if !a.repo.is_empty() {
        a.repo.clone()
    } else if !config.repositories.is_empty() {
        config.repositories.iter().map(|r| a.path.join(r)).collect()
    } else {
        vec![a.path.clone()]
    };
    let mut found = Vec::new();
    let mut seen_tops = Vec::new();
    for r in &repos {
        if !r.is_dir() {
            return Err(format!("{} is not a folder", r.display()));
        }
        let ds = githistory::deliveries(r, &a.rev)?;
        let top = ds.first().map(|d| d.repo.clone());
        say!(
            "{}: {} `{TRAILER}:` trailer(s)",
            top.as_ref().unwrap_or(r).display(),
            ds.len()
        );
        if let Some(t) = top {
            if seen_tops.contains(&t) {
                continue;
            }
            seen_tops.push(t);
        }
        found.extend(ds);
    }
    let (mut store, mut ws) = if a.apply {
        open_for_writing(&a.path)?
    } else {
        super::open(&a.path).map_err(|e| e.to_string())?
    };
    let plan = delivery::plan(&ws, &found);
    for c in &plan.items {
        let id = c.target.id();
        let (when, noun) = match c.target {
            Target::Opportunity(_) => ("delivered", "opportunity"),
            Target::Solution(_) => ("shipped", "solution"),
        };
        let by = format!(
            "commit {} of {} \"{}\"",
            c.by.short(),
            c.by.date.format("%Y-%m-%d"),
            c.by.subject
        );
        if !c.changes_anything() {
            say!(
                "= {noun} {id} \"{}\": already {} on {} ({by})",
                c.title,
                c.status.1,
                c.delivered
                    .1
                    .map_or(String::new(), |d| d.format("%Y-%m-%d").to_string())
            );
            continue;
        }
        let mut what = Vec::new();
        if c.status.0 != c.status.1 {
            what.push(format!("status {} → {}", c.status.0, c.status.1));
        }
        if c.delivered.0 != c.delivered.1 {
            let show = |d: Option<chrono::NaiveDate>| {
                d.map_or("–".to_string(), |d| d.format("%Y-%m-%d").to_string())
            };
            what.push(format!(
                "{when} {} → {}",
                show(c.delivered.0),
                show(c.delivered.1)
            ));
        }
        say!("~ {noun} {id} \"{}\": {} ({by})", c.title, what.join(", "));
    }
    for u in &plan.unknown {
        say!(
            "? {}: no opportunity or solution with this id in the workspace (commit {} in {})",
            u.target,
            u.short(),
            u.repo.display()
        );
    }
    let n = plan.to_apply().count();
    if !a.apply {
        say!(
            "Dry run: nothing written. {} delivery(ies) to record; --apply records them.",
            n
        );
        return Ok(());
    }
    if n == 0 {
        say!("Nothing to record: every delivery is already in the workspace.");
        return Ok(());
    }
    let mut files = std::collections::BTreeSet::new();
    for c in plan.to_apply() {
        files.extend(c.edit.files());
        edit::apply(&mut ws, c.edit.clone()).map_err(|e| e.to_string())?;
    }
    store.clean_stale_temp_files();
    store
        .save(&ws, &Scope::Files(files.clone()), false)
        .map_err(|e| format!("{e}; nothing was written"))?;
    let shown: Vec<String> = files
        .iter()
        .map(|f| store.path_of(f, &ws).display().to_string())
        .collect();
    say!("Recorded {n} delivery(ies) in {}.", shown.join(", "));
    Ok(())
}
