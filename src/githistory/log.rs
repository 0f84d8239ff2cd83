//! What each commit changed, in discovery terms: the semantic diff of the
//! workspace between the commit and its parent.
//!
//! A merge shows only the changes of its own: an entity that differs from
//! every parent (settled conflicts, edits combined by the merge driver).
//! What a merge brings in from a branch is shown at the branch's commits,
//! as `git log -p` does.

use std::collections::HashSet;
use std::rc::Rc;

use super::{Commit, History, Repo};
use crate::diff::{self, Diff};
use crate::model::Workspace;

/// One commit and what it changed.
#[derive(Debug)]
pub struct CommitChanges {
    pub commit: Commit,
    /// The changes (`None` when they cannot be known: see `note`).
    pub diff: Option<Diff>,
    /// Something to say about the commit: a merge, a moved folder, a
    /// version that cannot be read, the edge of a shallow clone.
    pub note: Option<String>,
}

fn empty() -> Rc<Workspace> {
    Rc::new(Workspace::default())
}

/// The changes of every commit of `h`, newest first.
pub fn changes(repo: &Repo, h: &History) -> Vec<CommitChanges> {
    h.commits.iter().map(|c| one(repo, h, c)).collect()
}

fn one(repo: &Repo, h: &History, c: &Commit) -> CommitChanges {
    let mut out = CommitChanges {
        commit: c.clone(),
        diff: None,
        note: None,
    };
    let after = match repo.workspace_at(&c.id, &c.rel) {
        Ok(ws) => ws.unwrap_or_else(empty),
        Err(e) => {
            out.note = Some(format!("this version cannot be read: {e}"));
            return out;
        }
    };
    if c.cut {
        out.note = Some(
            "the oldest commit in this shallow clone: what it changed is not known here".into(),
        );
        return out;
    }
    let mut diffs = Vec::new();
    for (p, rel) in c.parents.iter().zip(&c.parent_rels) {
        match repo.workspace_at(p, rel) {
            Ok(before) => diffs.push(diff::diff(&before.unwrap_or_else(empty), &after)),
            Err(e) => {
                out.note = Some(format!(
                    "the version before it ({}) cannot be read: {e}",
                    &p[..p.len().min(8)]
                ));
                return out;
            }
        }
    }
    let moved = h
        .moves
        .iter()
        .find(|(id, _, _)| *id == c.id)
        .map(|(_, from, to)| format!("moved the workspace from {} to {}", shown(from), shown(to)));
    let mut d = if diffs.is_empty() {
        diff::diff(&Workspace::default(), &after)
    } else {
        diffs.remove(0)
    };
    if !diffs.is_empty() {
        keep_common(&mut d, &diffs);
        out.note = Some(if d.is_empty() {
            "merge: no changes of its own; what it brings in is shown at the merged commits".into()
        } else {
            "merge: the changes it made itself; what it brings in is shown at the merged commits"
                .into()
        });
    }
    if let Some(m) = moved {
        out.note = Some(m);
    }
    out.diff = Some(d);
    out
}

fn shown(rel: &str) -> &str {
    if rel.is_empty() {
        "the top folder"
    } else {
        rel
    }
}

/// Keeps the parts of `d` (against the first parent) about entities that
/// every other diff (against the other parents) changed too.
fn keep_common(d: &mut Diff, others: &[Diff]) {
    fn keys<T, K: std::hash::Hash + Eq>(v: &[T], k: impl Fn(&T) -> K) -> HashSet<K> {
        v.iter().map(k).collect()
    }
    macro_rules! keep {
        ($field:ident, $key:expr) => {{
            let sets: Vec<HashSet<_>> = others.iter().map(|o| keys(&o.$field, $key)).collect();
            d.$field
                .retain(|x| sets.iter().all(|s| s.contains(&($key)(x))));
        }};
    }
    keep!(workspace, |f: &diff::FieldChange| f.field());
    keep!(phases, |e: &diff::EntityChange| e.id.clone());
    keep!(activities, |e: &diff::EntityChange| e.id.clone());
    keep!(personas, |e: &diff::EntityChange| e.id.clone());
    keep!(perspectives, |p: &diff::PerspectiveChange| (
        p.persona.clone(),
        p.activity.clone()
    ));
    keep!(opportunities, |o: &diff::OpportunityChange| o.id.clone());
    keep!(notes, |n: &diff::NoteChange| n.id.clone());
    keep!(tags, |t: &diff::TagChange| t.key.clone());
    keep!(questions, |q: &diff::QuestionChange| (
        q.note.clone(),
        q.line.clone()
    ));
    keep!(metrics, |m: &diff::MetricChange| m.id.clone());
    keep!(conflicts, |c: &diff::ConflictChange| (
        c.about.clone(),
        c.field.clone()
    ));
}

/// The log as plain text: per commit a heading line, its subject, and its
/// changes (the diff's text rendering, indented). Sanitised.
pub fn render_log(items: &[CommitChanges], h: &History) -> String {
    let mut s = String::new();
    for it in items {
        let c = &it.commit;
        s.push_str(&format!(
            "commit {}  {}  {}{}\n",
            c.short(),
            c.date.format("%Y-%m-%d %H:%M"),
            crate::text::sanitize(&c.author),
            if c.parents.len() > 1 { "  (merge)" } else { "" }
        ));
        s.push_str(&format!("    {}\n", crate::text::sanitize(&c.subject)));
        if let Some(n) = &it.note {
            s.push_str(&format!("    ({n})\n"));
        }
        if let Some(d) = &it.diff {
            if c.parents.is_empty() && !d.is_empty() {
                // The workspace's first commit: everything is new, and the
                // summary says what there is.
                s.push_str(&format!(
                    "    the workspace begins: {}\n",
                    crate::text::sanitize(&d.summary())
                ));
            } else if d.is_empty() {
                if c.parents.len() <= 1 {
                    s.push_str("    no change in discovery terms (formatting or order only)\n");
                }
            } else {
                for line in diff::render_text(d, false).lines() {
                    if line.is_empty() {
                        s.push('\n');
                    } else {
                        s.push_str("    ");
                        s.push_str(&crate::text::sanitize(line));
                        s.push('\n');
                    }
                }
            }
        }
        s.push('\n');
    }
    if items.is_empty() {
        s.push_str("No commit in this range touched the workspace.\n");
    }
    if let Some(n) = h.horizon_note() {
        s.push_str(&format!("Note: {n}.\n"));
    }
    s
}
