//! `valuemap export --format issues -o DIR`: opportunities as tracker
//! issues ([`crate::export::issues`]): a Markdown body each, a manifest for
//! `gh issue create` and a CSV for Jira's import, written into DIR.

use std::path::{Path, PathBuf};

use super::{open, say};
use crate::export::issues::{self, Links};
use crate::githistory::Repo;
use crate::model::score;
use crate::model::{EntityRef, Opportunity};
use crate::search::filter::OppFilter;
use crate::store::{self, atomic};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";
/// The Jira CSV's file name in the output folder.
pub const JIRA: &str = "jira.csv";

/// What `export --format issues` was given.
pub struct Args<'a> {
    /// The workspace folder.
    pub path: &'a Path,
    /// The folder to write into (`-o`).
    pub output: Option<&'a Path>,
    /// Whether `--table` was given (it applies to CSV only).
    pub table: bool,
    /// Which opportunities, as in the Opportunities view's filter.
    pub filter: &'a str,
    /// The web address links in the bodies point into.
    pub link_base: Option<&'a str>,
}

pub fn export(a: &Args<'_>) -> Result<(), String> {
    let Some(out) = a.output else {
        return Err(format!(
            "the issues export is a folder of files (one body per issue, {MANIFEST}, {JIRA}): give -o DIR"
        ));
    };
    if a.table {
        return Err("--table applies to --format csv only, not to issues".into());
    }
    let same = |x: &Path, y: &Path| matches!((x.canonicalize(), y.canonicalize()), (Ok(p), Ok(q)) if p == q);
    if same(out, a.path) || same(out, &a.path.join(store::NOTES_DIR)) {
        return Err(format!(
            "refusing to write issues into the workspace folder {}; give another -o DIR",
            out.display()
        ));
    }
    let (store, ws) = open(a.path).map_err(|e| e.to_string())?;
    let filter = OppFilter::parse(&ws, a.filter).map_err(|e| format!("--filter: {e}"))?;
    let opps: Vec<&Opportunity> = score::ranked(&ws)
        .into_iter()
        .map(|(o, _)| o)
        .filter(|o| filter.matches(&ws, o))
        .collect();
    // Links name each opportunity's file from the repository's top, as a
    // tracker shows it.
    let prefix = match Repo::locate(a.path) {
        Ok((_, rel)) if rel.is_empty() => String::new(),
        Ok((_, rel)) => format!("{rel}/"),
        Err(_) => format!("{}/", a.path.display()),
    };
    let rel_file = |o: &Opportunity| {
        let key = crate::model::validate::FileKey::Opportunity(o.id.clone());
        let abs = store.path_of(&key, &ws);
        let rel = abs.strip_prefix(store.root()).unwrap_or(&abs);
        format!("{prefix}{}", rel.display())
    };
    let line = |o: &Opportunity| {
        let key = crate::model::validate::FileKey::Opportunity(o.id.clone());
        let text = crate::policy::read_text(store.root(), &store.path_of(&key, &ws))
            .ok()
            .flatten()
            .unwrap_or_default();
        crate::policy::line_of(&text, &EntityRef::Opportunity(o.id.clone()))
    };
    let links = Links {
        file: &rel_file,
        line: &line,
        base: a.link_base,
    };
    let (files, manifest, jira) = issues::render(&ws, &opps, a.filter, &links);
    // Everything is rendered before anything is written.
    atomic::ensure_private_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, text: &str| -> Result<PathBuf, String> {
        let p = out.join(name);
        atomic::write_atomic(&p, text.as_bytes()).map_err(|e| format!("{}: {e}", p.display()))?;
        Ok(p)
    };
    for f in &files {
        write(&f.file, &f.body)?;
    }
    let m = write(MANIFEST, &manifest)?;
    let j = write(JIRA, &jira)?;
    say!(
        "Exported {} issue(s) (filter: {}) to {}: one body per issue, {} for gh, {} for Jira",
        files.len(),
        a.filter,
        out.display(),
        m.display(),
        j.display()
    );
    if files.is_empty() {
        say!("No opportunity matches the filter; the manifest lists none.");
    }
    Ok(())
}
