//! The commits that touched the workspace, newest first, following the
//! workspace folder when a commit moved it.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{Commit, Repo};
use crate::store;

/// Where a walk stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Since {
    /// The whole history.
    All,
    /// Commits after this revision (those not reachable from it).
    Rev(String),
    /// Commits made on or after this day.
    Date(NaiveDate),
}

/// The commits that touched the workspace.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Newest first, each after its descendants.
    pub commits: Vec<Commit>,
    /// The walk reached the edge of a shallow clone: older history exists
    /// but is not here.
    pub cut: bool,
    /// The commits that moved the workspace folder: (commit, from, to).
    pub moves: Vec<(String, String, String)>,
}

impl History {
    /// The oldest commit seen.
    pub fn oldest(&self) -> Option<&Commit> {
        self.commits.iter().min_by_key(|c| c.date)
    }

    pub fn get(&self, id: &str) -> Option<&Commit> {
        self.commits.iter().find(|c| c.id == id)
    }

    /// What a shallow clone leaves out, in words (`None` when nothing is).
    pub fn horizon_note(&self) -> Option<String> {
        if !self.cut {
            return None;
        }
        let oldest = self.commits.iter().filter(|c| c.cut).min_by_key(|c| c.date);
        Some(match oldest {
            Some(c) => format!(
                "this is a shallow clone: history could be read back to commit {} of {}; \
                 older commits are not in the clone (git fetch --unshallow brings them)",
                c.short(),
                c.date.format("%Y-%m-%d")
            ),
            None => "this is a shallow clone: older commits are not in it \
                     (git fetch --unshallow brings them)"
                .into(),
        })
    }
}

/// The pathspecs of the workspace's files at `rel`.
fn pathspecs(rel: &str) -> Vec<String> {
    [
        store::WORKSPACE_FILE,
        store::OPPORTUNITIES_FILE,
        store::METRICS_FILE,
    ]
    .into_iter()
    .chain(store::ENTITY_DIRS)
    .map(|f| {
        if rel.is_empty() {
            format!(":(top,literal){f}")
        } else {
            format!(":(top,literal){rel}/{f}")
        }
    })
    .collect()
}

impl Repo {
    /// Reads `--since`: a revision, else a date `YYYY-MM-DD`.
    pub fn parse_since(&self, s: &str) -> Result<Since, String> {
        if let Some(id) = self.resolve(s)? {
            return Ok(Since::Rev(id));
        }
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Since::Date)
            .map_err(|_| {
                format!("\"{s}\" is neither a revision in this repository nor a date (YYYY-MM-DD)")
            })
    }

    /// The commits reachable from HEAD that touched the workspace, newest
    /// first, back to `since`.
    pub fn history(&self, since: &Since) -> Result<History, String> {
        let shallow_ids = self.shallow_ids();
        let mut h = History::default();
        let mut seen = HashSet::new();
        let mut queue: Vec<(String, String)> = vec![("HEAD".into(), self.rel.clone())];
        let mut queued = HashSet::new();
        while let Some((start, rel)) = queue.pop() {
            let listed = self.list(&start, &rel, since)?;
            let mut fresh = Vec::new();
            for mut c in listed {
                if !seen.insert(c.id.clone()) {
                    continue;
                }
                c.cut = c.parents.is_empty() && shallow_ids.contains(&c.id);
                h.cut |= c.cut;
                fresh.push(c);
            }
            for c in &mut fresh {
                for (i, p) in c.parents.clone().iter().enumerate() {
                    if self.has_workspace(p, &rel)? || !self.has_workspace(&c.id, &rel)? {
                        continue;
                    }
                    if let Some(old) = self.moved_from(p, &c.id, &rel)? {
                        c.parent_rels[i] = old.clone();
                        h.moves.push((c.id.clone(), old.clone(), rel.clone()));
                        if queued.insert((p.clone(), old.clone())) {
                            queue.push((p.clone(), old));
                        }
                    }
                }
            }
            h.commits.extend(fresh);
        }
        Ok(h)
    }

    /// The ids a shallow clone cut its history at.
    fn shallow_ids(&self) -> HashSet<String> {
        if !self.shallow {
            return HashSet::new();
        }
        let Ok(o) = self.git(&["rev-parse", "--git-path", "shallow"]) else {
            return HashSet::new();
        };
        let p = super::first_line(&o);
        let path = self.top.join(p);
        crate::store::read::read_regular_text(&path, crate::store::read::MAX_FILE_LEN)
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_string())
            .collect()
    }

    fn list(&self, start: &str, rel: &str, since: &Since) -> Result<Vec<Commit>, String> {
        let mut args: Vec<String> = vec![
            "log".into(),
            "--topo-order".into(),
            "-z".into(),
            "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s".into(),
            start.to_string(),
        ];
        match since {
            Since::All => {}
            Since::Rev(r) => args.push(format!("^{r}")),
            Since::Date(d) => args.push(format!("--since={} 00:00:00", d.format("%Y-%m-%d"))),
        }
        args.push("--".into());
        args.extend(pathspecs(rel));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = self.git(&refs)?;
        if !o.status.success() {
            return Err(format!(
                "git log failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
        let mut out = Vec::new();
        for rec in o.stdout.split(|b| *b == 0) {
            let rec = String::from_utf8_lossy(rec);
            let rec = rec.trim_start_matches('\n');
            if rec.is_empty() {
                continue;
            }
            let f: Vec<&str> = rec.split('\x1f').collect();
            let [id, parents, author, date, subject] = f[..] else {
                continue;
            };
            let Ok(date) = DateTime::<FixedOffset>::parse_from_rfc3339(date) else {
                continue;
            };
            let parents: Vec<String> = parents.split_whitespace().map(String::from).collect();
            out.push(Commit {
                id: id.to_string(),
                parent_rels: vec![rel.to_string(); parents.len()],
                parents,
                author: author.to_string(),
                date,
                subject: subject.to_string(),
                rel: rel.to_string(),
                cut: false,
            });
        }
        Ok(out)
    }

    /// Where `commit` moved the workspace at `rel` from, when its parent
    /// held it elsewhere (git's rename detection on workspace.ron).
    fn moved_from(&self, parent: &str, commit: &str, rel: &str) -> Result<Option<String>, String> {
        let o = self.git(&[
            "diff-tree",
            "-r",
            "-M",
            "--name-status",
            "-z",
            "--no-commit-id",
            parent,
            commit,
        ])?;
        if !o.status.success() {
            return Ok(None);
        }
        let target = if rel.is_empty() {
            store::WORKSPACE_FILE.to_string()
        } else {
            format!("{rel}/{}", store::WORKSPACE_FILE)
        };
        let fields: Vec<String> = o
            .stdout
            .split(|b| *b == 0)
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let mut i = 0;
        while i < fields.len() {
            let status = &fields[i];
            if status.starts_with('R') || status.starts_with('C') {
                if let (Some(from), Some(to)) = (fields.get(i + 1), fields.get(i + 2))
                    && *to == target
                    && let Some(old) = from.strip_suffix(store::WORKSPACE_FILE)
                {
                    let old = old.trim_end_matches('/').to_string();
                    if self.has_workspace(parent, &old)? {
                        return Ok(Some(old));
                    }
                }
                i += 3;
            } else {
                i += 2;
            }
        }
        Ok(None)
    }
}
