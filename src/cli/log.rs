//! `valuemap log PATH [--since REV|DATE] [--entity X]`: how the team's
//! understanding changed, commit by commit, from git's history of the
//! workspace ([`crate::githistory`]).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::print_error;
use crate::githistory::{self, Repo, Since};
use crate::store::Store;

const HELP: &str = "\
Examples:
  valuemap log ws                            every commit that changed the workspace
  valuemap log ws --since main               what this branch changed
  valuemap log ws --since 2026-03-01         since a day
  valuemap log ws --entity \"Cost dashboard\"  an opportunity's status, horizon and score
  valuemap log ws --entity \"platform/create a cluster\"
                                             a cell's importance, satisfaction and score

A merge shows only what it changed itself (settled conflicts); what it brings
in is shown at the merged commits, as `git log -p` does. A workspace folder
that was moved (git mv) is followed. In a shallow clone the log says how far
back it could see.

Exit status: 0 when the history was printed, 1 when it cannot be read (not in
a git repository, git missing, an unknown revision or entity).";

#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct LogArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// Only commits after this revision (not reachable from it), or made on
    /// or after this date (YYYY-MM-DD)
    #[arg(long, value_name = "REV|DATE")]
    pub since: Option<String>,
    /// One entity's timeline: an id, a name (or its start), or
    /// PERSONA/ACTIVITY for a cell of the map
    #[arg(long, short, value_name = "ID|NAME")]
    pub entity: Option<String>,
}

pub fn run(a: LogArgs) -> ExitCode {
    match log(&a) {
        Ok(text) => {
            for line in text.lines() {
                super::out(line);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn log(a: &LogArgs) -> Result<String, String> {
    let repo = Repo::discover(&a.path)?;
    let since = match a.since.as_deref() {
        Some(s) => repo.parse_since(s)?,
        None => Since::All,
    };
    let h = repo.history(&since)?;
    match &a.entity {
        None => {
            let items = githistory::changes(&repo, &h);
            Ok(githistory::render_log(&items, &h))
        }
        Some(name) => {
            // Named as the working tree names it; an entity removed since
            // is looked for in the newest commit that still has it.
            let current = Store::open(&a.path).map(|(_, ws, _)| ws).ok();
            let mut found = current
                .as_ref()
                .map(|ws| githistory::resolve_entity(ws, name));
            if !matches!(found, Some(Ok(_))) {
                for c in &h.commits {
                    if let Ok(Some(ws)) = repo.workspace_at(&c.id, &c.rel)
                        && let Ok(e) = githistory::resolve_entity(&ws, name)
                    {
                        found = Some(Ok(e));
                        break;
                    }
                }
            }
            let e = found.unwrap_or_else(|| {
                Err(format!(
                    "{} cannot be read to find \"{name}\"",
                    a.path.display()
                ))
            })?;
            let t = githistory::timeline(&repo, &h, &e, current.as_ref());
            Ok(githistory::render_timeline(&t))
        }
    }
}
