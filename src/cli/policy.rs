//! `valuemap check --policy` and `--format github`: the workspace's checks
//! and its discovery policy ([`crate::policy`]) as a CI gate, each problem
//! with its file and line, as plain text or as GitHub Actions annotations.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::{out, print_error};
use crate::githistory::Repo;
use crate::model::EntityRef;
use crate::model::validate::{FileKey, Severity, validate};
use crate::model::{Workspace, coverage};
use crate::policy::{self, Base, Violation};
use crate::store::Store;

/// How `check` prints what it finds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `file:line: error: message`
    #[default]
    Text,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`): the
    /// problems show on the pull request's files
    Github,
}

/// What `check` was asked.
pub struct CheckArgs {
    pub path: PathBuf,
    pub with_coverage: bool,
    pub policy: bool,
    pub format: CheckFormat,
    pub base: Option<String>,
    /// The day due dates and metric windows are judged by.
    pub today: chrono::NaiveDate,
}

/// Escapes a workflow command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    crate::text::sanitize(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One problem, printed in the chosen format.
fn emit(
    format: CheckFormat,
    level: &str,
    file: &Path,
    line: Option<usize>,
    title: &str,
    msg: &str,
) {
    match format {
        CheckFormat::Text => {
            let at = match line {
                Some(l) => format!("{}:{l}", file.display()),
                None => file.display().to_string(),
            };
            out(&format!("{at}: {level}: {msg}"));
        }
        CheckFormat::Github => {
            let line = line.map_or(String::new(), |l| format!(",line={l}"));
            out(&format!(
                "::{level} file={}{line},title={}::{}",
                escape_property(&file.display().to_string()),
                escape_property(title),
                escape_data(msg)
            ));
        }
    }
}

/// Where files are named from: the workspace folder as given, or, in git,
/// as a path from the top of the repository (what annotations need).
fn shown_root(path: &Path, format: CheckFormat) -> PathBuf {
    if format == CheckFormat::Github
        && let Ok((_, rel)) = Repo::locate(path)
    {
        return PathBuf::from(if rel.is_empty() { "." } else { &rel });
    }
    path.to_path_buf()
}

/// Runs `check` with `--policy` or `--format github`.
pub fn run(a: CheckArgs) -> ExitCode {
    let mut failed = false;
    let (store, ws, info) = if a.format == CheckFormat::Text {
        // The usual report first, exactly as `valuemap check` prints it.
        if super::check(&a.path, a.with_coverage, a.today) != ExitCode::SUCCESS {
            failed = true;
        }
        match Store::open(&a.path) {
            Ok(x) => x,
            Err(_) => return ExitCode::FAILURE,
        }
    } else {
        match Store::open(&a.path) {
            Ok(x) => x,
            Err(e) => {
                // A parse error names its file:line:column first.
                let msg = e.to_string();
                let (file, line) = parse_location(&msg).unwrap_or((a.path.clone(), None));
                emit(a.format, "error", &file, line, "valuemap check", &msg);
                return ExitCode::FAILURE;
            }
        }
    };
    let root = shown_root(&a.path, a.format);
    let texts: RefCell<HashMap<PathBuf, Option<String>>> = RefCell::default();
    let locate = |e: &EntityRef| -> (PathBuf, usize) {
        let abs = store.path_of(&FileKey::of(e), &ws);
        let rel = abs
            .strip_prefix(store.root())
            .map_or_else(|_| abs.clone(), Path::to_path_buf);
        let mut t = texts.borrow_mut();
        let text = t
            .entry(abs.clone())
            .or_insert_with(|| policy::read_text(store.root(), &abs).ok().flatten());
        let line = text.as_deref().map_or(1, |t| policy::line_of(t, e));
        (rel, line)
    };
    if a.format == CheckFormat::Github {
        for c in &info.comments {
            let rel = c.path.strip_prefix(store.root()).unwrap_or(&c.path);
            emit(
                a.format,
                "warning",
                &root.join(rel),
                Some(c.line),
                "valuemap check",
                crate::store::comments::Commented::MESSAGE,
            );
        }
        failed |= github_findings(&ws, &root, &locate);
        for f in super::loop_check::findings(&ws, a.today) {
            let (path, line) = super::loop_check::locate(&store, &ws, &f);
            let file = root.join(super::loop_check::relative(&store, &path));
            emit(
                a.format,
                f.level,
                &file,
                Some(line),
                "valuemap discovery loop",
                &f.message,
            );
        }
    }
    if a.policy {
        failed |= check_policy(&a, &ws, &root, &locate);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `path:line:col: message` at the start of a load error.
fn parse_location(msg: &str) -> Option<(PathBuf, Option<usize>)> {
    let first = msg.lines().next()?;
    let mut parts = first.splitn(4, ':');
    let file = parts.next()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((PathBuf::from(file), Some(line)))
}

/// Validation findings as annotations, and the coverage as a notice.
/// Returns whether there were errors.
fn github_findings(
    ws: &Workspace,
    root: &Path,
    locate: &dyn Fn(&EntityRef) -> (PathBuf, usize),
) -> bool {
    let mut errors = 0;
    for f in validate(ws) {
        let (file, line) = locate(&f.entity);
        let level = match f.severity {
            Severity::Error => {
                errors += 1;
                "error"
            }
            Severity::Warning => "warning",
        };
        emit(
            CheckFormat::Github,
            level,
            &root.join(file),
            Some(line),
            "valuemap check",
            &f.message,
        );
    }
    let gaps = coverage::report(ws);
    if !gaps.is_empty() {
        out(&format!(
            "::notice title=valuemap coverage::{}",
            escape_data(&format!(
                "{} blind spot(s): {}",
                gaps.len(),
                gaps.iter()
                    .take(5)
                    .map(|g| g.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        ));
    }
    errors > 0
}

/// Checks the policy; returns whether it failed.
fn check_policy(
    a: &CheckArgs,
    ws: &Workspace,
    root: &Path,
    locate: &dyn Fn(&EntityRef) -> (PathBuf, usize),
) -> bool {
    let (policy_path, p) = match policy::load(&a.path) {
        Ok(Some(x)) => x,
        Ok(None) => {
            emit_plain(
                a.format,
                "warning",
                &format!(
                    "no {} in {}: there is no policy to check (valuemap new writes an example; see docs/ci.md)",
                    policy::POLICY_FILE,
                    a.path.display()
                ),
            );
            return false;
        }
        Err(e) => {
            let (file, line) =
                parse_location(&e).unwrap_or((a.path.join(policy::POLICY_FILE), None));
            let file = file
                .strip_prefix(&a.path)
                .map_or(file.clone(), |r| root.join(r));
            emit(a.format, "error", &file, line, "valuemap policy", &e);
            return true;
        }
    };
    if !p.any() {
        emit_plain(
            a.format,
            "notice",
            &format!(
                "{}: every rule is off; turn rules on by removing their `//`",
                policy_path.display()
            ),
        );
    }
    let base = if p.rating_change_needs_note {
        match base(&a.path, a.base.as_deref()) {
            Ok(b) => Some(b),
            Err((msg, fatal)) => {
                if fatal {
                    print_error(&msg);
                    return true;
                }
                emit_plain(
                    a.format,
                    "warning",
                    &format!("rating_change_needs_note is not checked: {msg}"),
                );
                None
            }
        }
    } else {
        None
    };
    let violations: Vec<Violation> = policy::check(ws, &p, base.as_ref(), locate);
    for v in &violations {
        emit(
            a.format,
            "error",
            &root.join(&v.file),
            Some(v.line),
            &format!("policy: {}", v.rule),
            &format!("{} [{}]", v.message, v.rule),
        );
    }
    let summary = if violations.is_empty() {
        format!("policy: {} holds", policy_path.display())
    } else {
        format!(
            "policy: {} violation(s) of {}",
            violations.len(),
            policy_path.display()
        )
    };
    out(&summary);
    !violations.is_empty()
}

/// A message about no file in particular.
fn emit_plain(format: CheckFormat, level: &str, msg: &str) {
    match format {
        CheckFormat::Text => out(&format!("{level}: {msg}")),
        CheckFormat::Github => out(&format!(
            "::{level} title=valuemap policy::{}",
            escape_data(msg)
        )),
    }
}

/// The change's git base: where HEAD left `rev` (their merge base), its
/// date and the workspace there. An error says why (fatal when the
/// revision named does not exist).
fn base(path: &Path, rev: Option<&str>) -> Result<Base, (String, bool)> {
    let repo = Repo::discover(path).map_err(|e| (e, false))?;
    let from_env = std::env::var("GITHUB_BASE_REF")
        .ok()
        .filter(|r| !r.trim().is_empty());
    let (rev, id) = match (rev, from_env) {
        (Some(r), _) => {
            let id = repo.resolve(r).map_err(|e| (e, true))?.ok_or_else(|| {
                (
                    format!("--base {r}: no such revision in {}", repo.top.display()),
                    true,
                )
            })?;
            (r.to_string(), id)
        }
        (None, Some(r)) => {
            let remote = format!("origin/{r}");
            match (repo.resolve(&remote), repo.resolve(&r)) {
                (Ok(Some(id)), _) => (remote, id),
                (_, Ok(Some(id))) => (r, id),
                _ => {
                    return Err((
                        format!(
                            "GITHUB_BASE_REF names {r}, which this clone does not have (fetch it, or give --base)"
                        ),
                        false,
                    ));
                }
            }
        }
        (None, None) => {
            let id = repo
                .resolve("HEAD")
                .map_err(|e| (e, false))?
                .ok_or(("no commit yet".to_string(), false))?;
            ("HEAD".to_string(), id)
        }
    };
    let head = repo
        .resolve("HEAD")
        .ok()
        .flatten()
        .unwrap_or_else(|| id.clone());
    let at = repo
        .merge_base(&id, &head)
        .map_err(|e| (e, false))?
        .unwrap_or(id);
    let date = repo.commit_date(&at).map_err(|e| (e, false))?.date_naive();
    let ws = repo
        .workspace_at(&at, &repo.rel)
        .map_err(|e| (e, true))?
        .map(|w| (*w).clone())
        .unwrap_or_default();
    Ok(Base {
        ws,
        date,
        label: format!("{rev} ({})", &at[..at.len().min(8)]),
    })
}
