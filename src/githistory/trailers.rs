//! `Delivers:` trailers: a commit of the platform's code that says which
//! opportunity it ships.
//!
//! ```text
//! Self-service clusters from a GitOps template
//!
//! Delivers: 93ssvc
//! ```
//!
//! git parses the trailers (`%(trailers:key=Delivers)`), so a trailer is
//! what `git interpret-trailers` says it is: in the last paragraph of the
//! message, one per line, the key in any case. A line may name several ids,
//! separated by commas or blanks.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

/// The trailer's key.
pub const TRAILER: &str = "Delivers";

/// One id named by one commit's trailer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The id as the trailer wrote it.
    pub target: String,
    pub commit: String,
    /// The commit date (when it was committed, in its own time zone).
    pub date: NaiveDate,
    pub subject: String,
    /// The repository it was found in.
    pub repo: PathBuf,
}

impl Delivery {
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(8)]
    }
}

/// Every `Delivers:` trailer in the history of `revs` (default: every
/// branch, remote branch and tag) of the repository at `dir`, oldest first.
pub fn deliveries(dir: &Path, revs: &[String]) -> Result<Vec<Delivery>, String> {
    let o = super::git_in(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if !o.status.success() {
        return Err(format!(
            "{} is not in a git repository: no commit can be read there",
            dir.display()
        ));
    }
    let top = PathBuf::from(super::first_line(&o));
    let mut args: Vec<String> = vec![
        "log".into(),
        "-z".into(),
        "--reverse".into(),
        format!(
            "--format=%H%x1f%cI%x1f%s%x1f%(trailers:key={TRAILER},valueonly,unfold,separator=%x1e)"
        ),
    ];
    if revs.is_empty() {
        args.push("--all".into());
    } else {
        for r in revs {
            if r.starts_with('-') {
                return Err(format!("{r:?} is not a revision"));
            }
            args.push(r.clone());
        }
    }
    args.push("--".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = super::git_in(&top, &refs)?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        // An empty repository has no history yet: nothing delivered.
        if err.contains("does not have any commits") || err.contains("bad default revision") {
            return Ok(Vec::new());
        }
        return Err(format!("git log in {}: {}", top.display(), err.trim()));
    }
    let mut out = Vec::new();
    for rec in o.stdout.split(|b| *b == 0) {
        let rec = String::from_utf8_lossy(rec);
        let rec = rec.trim_start_matches('\n');
        let f: Vec<&str> = rec.splitn(4, '\x1f').collect();
        let [id, date, subject, trailers] = f[..] else {
            continue;
        };
        let Ok(date) = DateTime::<FixedOffset>::parse_from_rfc3339(date) else {
            continue;
        };
        for value in trailers.split('\x1e') {
            for target in value.split([',', ' ', '\t', '\n']) {
                let target = target.trim();
                if target.is_empty() {
                    continue;
                }
                out.push(Delivery {
                    target: target.to_string(),
                    commit: id.to_string(),
                    date: date.date_naive(),
                    subject: subject.to_string(),
                    repo: top.clone(),
                });
            }
        }
    }
    Ok(out)
}
