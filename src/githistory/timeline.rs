//! One entity's timeline: the values that matter about it (a cell's
//! importance, satisfaction and score; an opportunity's status, horizon and
//! score; a metric's target), at every commit that changed them.
//!
//! A commit has a row when the entity's values in it differ from those in
//! every one of its parents: the commit (or the merge, settling a
//! conflict) made the change. A merge that only brings a branch's value in
//! has no row of its own: the branch's commit has it.

use super::{Commit, History, Repo};
use crate::model::score;
use crate::model::{EntityRef, Workspace};
use crate::text::with_unit;

/// One value of an entity, as people read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub field: &'static str,
    pub value: String,
}

/// What a row says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Created,
    Changed,
    Removed,
    /// The oldest commit of a shallow clone: the values as first seen.
    FirstSeen,
}

/// One step of a timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The commit; `None` for the working tree (changes not committed yet).
    pub commit: Option<Commit>,
    pub kind: RowKind,
    /// (field, before, after): every value for a created entity (before
    /// empty), the changed ones otherwise.
    pub changes: Vec<(&'static str, String, String)>,
}

/// An entity's timeline, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// The entity, named as the newest version names it.
    pub title: String,
    pub rows: Vec<Row>,
    /// Versions that could not be read, and why.
    pub unreadable: Vec<String>,
    /// What a shallow clone leaves out.
    pub horizon: Option<String>,
}

fn dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".into())
}

/// The values tracked for an entity in a workspace; `None` when it is not
/// there (a blank cell counts as absent).
pub fn facts(ws: &Workspace, e: &EntityRef) -> Option<Vec<Fact>> {
    let f = |field, value: String| Fact { field, value };
    Some(match e {
        EntityRef::Perspective { persona, activity } => {
            let p = ws
                .perspective(persona, activity)
                .filter(|p| !p.is_blank())?;
            vec![
                f("importance", dash(p.importance.map(|v| v.to_string()))),
                f("satisfaction", dash(p.satisfaction.map(|v| v.to_string()))),
                f("score", dash(p.score().map(|v| v.to_string()))),
            ]
        }
        EntityRef::Opportunity(id) => {
            let o = ws.opportunity(id)?;
            let mut v = vec![
                f("status", o.status.label().into()),
                f("horizon", crate::diff::horizon_name(o.horizon).into()),
                f("score", score::opportunity_score(ws, o).display()),
                f("title", o.title.clone()),
            ];
            if let Some(d) = o.delivered {
                v.push(f("delivered", d.format("%Y-%m-%d").to_string()));
            }
            v
        }
        EntityRef::Metric(id) => {
            let m = ws.metric(id)?;
            vec![
                f(
                    "target",
                    dash(
                        m.target.map(|t| {
                            format!("{} ({})", with_unit(t, &m.unit), m.direction.label())
                        }),
                    ),
                ),
                f("baseline", dash(m.baseline.map(|b| with_unit(b, &m.unit)))),
                f(
                    "latest",
                    dash(m.latest().map(|o| {
                        format!(
                            "{} on {}",
                            with_unit(o.value, &m.unit),
                            o.date.format("%Y-%m-%d")
                        )
                    })),
                ),
                f("observations", m.observations.len().to_string()),
            ]
        }
        EntityRef::Item(k, id) => {
            let mut v = vec![f("title", ws.items.get(*k, id)?.title().to_string())];
            if let Some(s) = ws.items.solutions.get(id) {
                v.push(f("status", s.status.label().into()));
                v.push(f("shipped", dash(s.shipped.map(|d| d.to_string()))));
            }
            if let Some(t) = ws.items.tests.get(id) {
                v.push(f("result", t.result.label().into()));
                v.push(f("due", dash(t.due.map(|d| d.to_string()))));
            }
            v
        }
        EntityRef::Persona(id) => {
            let p = ws.persona(id)?;
            vec![f("name", p.name.clone()), f("role", p.role.label().into())]
        }
        EntityRef::Activity(id) => {
            let a = ws.activity(id)?;
            vec![
                f("name", a.name.clone()),
                f("phase", dash(ws.phase_of(id).map(|p| p.name.clone()))),
            ]
        }
        EntityRef::Phase(id) => {
            let p = ws.phase(id)?;
            vec![
                f("name", p.name.clone()),
                f("activities", p.activities.len().to_string()),
            ]
        }
        EntityRef::Note(id) => {
            let n = ws.notes.get(id)?;
            vec![
                f("title", n.title.clone()),
                f("date", n.date.format("%Y-%m-%d").to_string()),
                f(
                    "persona",
                    dash(
                        n.persona
                            .as_ref()
                            .and_then(|p| ws.persona(p))
                            .map(|p| p.name.clone()),
                    ),
                ),
                f("lines", n.body.lines().count().to_string()),
            ]
        }
        EntityRef::Workspace => vec![
            f("name", ws.name.clone()),
            f("notes", ws.notes.len().to_string()),
            f("opportunities", ws.opportunities.len().to_string()),
            f("metrics", ws.metrics.len().to_string()),
        ],
    })
}

/// What changed between two sets of facts.
fn row(commit: Option<Commit>, before: Option<&[Fact]>, after: Option<&[Fact]>) -> Option<Row> {
    let (kind, changes) = match (before, after) {
        (None, None) => return None,
        (None, Some(a)) => (
            RowKind::Created,
            a.iter()
                .map(|f| (f.field, String::new(), f.value.clone()))
                .collect(),
        ),
        (Some(b), None) => (
            RowKind::Removed,
            b.iter()
                .map(|f| (f.field, f.value.clone(), String::new()))
                .collect(),
        ),
        (Some(b), Some(a)) => {
            let mut ch = Vec::new();
            for fa in a {
                let before = b
                    .iter()
                    .find(|fb| fb.field == fa.field)
                    .map_or(String::new(), |fb| fb.value.clone());
                if before != fa.value {
                    ch.push((fa.field, before, fa.value.clone()));
                }
            }
            for fb in b {
                if !a.iter().any(|fa| fa.field == fb.field) {
                    ch.push((fb.field, fb.value.clone(), String::new()));
                }
            }
            if ch.is_empty() {
                return None;
            }
            (RowKind::Changed, ch)
        }
    };
    Some(Row {
        commit,
        kind,
        changes,
    })
}

/// The timeline of `e` over the commits of `h`; with `current` (the
/// working tree as loaded), a last row for what is not committed yet.
pub fn timeline(repo: &Repo, h: &History, e: &EntityRef, current: Option<&Workspace>) -> Timeline {
    let mut t = Timeline {
        horizon: h.horizon_note(),
        ..Default::default()
    };
    let short = |id: &str| id[..id.len().min(8)].to_string();
    let mut newest_title = None;
    for c in h.commits.iter().rev() {
        let after = match repo.workspace_at(&c.id, &c.rel) {
            Ok(ws) => ws,
            Err(err) => {
                t.unreadable.push(format!("{}: {err}", short(&c.id)));
                continue;
            }
        };
        let fa = after.as_deref().and_then(|ws| facts(ws, e));
        if let Some(ws) = after.as_deref()
            && fa.is_some()
        {
            newest_title = Some(ws.describe(e));
        }
        if c.cut {
            if let Some(fa) = fa {
                t.rows.push(Row {
                    commit: Some(c.clone()),
                    kind: RowKind::FirstSeen,
                    changes: fa
                        .into_iter()
                        .map(|f| (f.field, String::new(), f.value))
                        .collect(),
                });
            }
            continue;
        }
        let mut befores = Vec::new();
        let mut readable = true;
        for (p, rel) in c.parents.iter().zip(&c.parent_rels) {
            match repo.workspace_at(p, rel) {
                Ok(ws) => befores.push(ws.as_deref().and_then(|ws| facts(ws, e))),
                Err(err) => {
                    t.unreadable.push(format!("{}: {err}", short(p)));
                    readable = false;
                }
            }
        }
        if !readable {
            continue;
        }
        if !befores.is_empty() && befores.contains(&fa) {
            continue;
        }
        let first = befores.first().cloned().flatten();
        if let Some(r) = row(Some(c.clone()), first.as_deref(), fa.as_deref()) {
            t.rows.push(r);
        }
    }
    if let Some(cur) = current {
        let head = h
            .commits
            .first()
            .filter(|c| repo.resolve("HEAD").ok().flatten().as_deref() == Some(c.id.as_str()))
            .map(|c| (c.id.clone(), c.rel.clone()))
            .unwrap_or_else(|| ("HEAD".into(), repo.rel.clone()));
        let at_head = repo
            .workspace_at(&head.0, &head.1)
            .ok()
            .flatten()
            .and_then(|ws| facts(&ws, e));
        let now = facts(cur, e);
        if now.is_some() {
            newest_title = Some(cur.describe(e));
        }
        if let Some(r) = row(None, at_head.as_deref(), now.as_deref()) {
            t.rows.push(r);
        }
    }
    t.title = newest_title
        .unwrap_or_else(|| current.map_or_else(|| format!("{e:?}"), |ws| ws.describe(e)));
    t
}

/// One row as a line of text: `2026-03-04 a1b2c3d4 Priya  importance 3 → 4`.
pub fn row_heading(r: &Row) -> String {
    match &r.commit {
        Some(c) => format!(
            "{} {} {} — {}",
            c.date.format("%Y-%m-%d"),
            c.short(),
            c.author,
            c.subject
        ),
        None => "now (not committed)".into(),
    }
}

/// A row's changes in words: `importance 3 → 4, score 7 → 6`.
pub fn row_changes(r: &Row) -> String {
    let what = r
        .changes
        .iter()
        .map(|(field, before, after)| match r.kind {
            RowKind::Created | RowKind::FirstSeen => format!("{field} {after}"),
            RowKind::Removed => format!("{field} was {before}"),
            RowKind::Changed => format!(
                "{field} {} → {}",
                if before.is_empty() { "–" } else { before },
                if after.is_empty() { "–" } else { after }
            ),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match r.kind {
        RowKind::Created => format!("created: {what}"),
        RowKind::Removed => format!("removed ({what})"),
        RowKind::FirstSeen => format!("as first seen: {what}"),
        RowKind::Changed => what,
    }
}

/// The timeline as plain text, oldest first. Sanitised.
pub fn render_timeline(t: &Timeline) -> String {
    let mut s = format!("Timeline of {}\n", t.title);
    if t.rows.is_empty() {
        s.push_str("  no commit changed it\n");
    }
    for r in &t.rows {
        s.push_str(&format!("  {}\n      {}\n", row_heading(r), row_changes(r)));
    }
    for u in &t.unreadable {
        s.push_str(&format!("  (a version could not be read: {u})\n"));
    }
    if let Some(n) = &t.horizon {
        s.push_str(&format!("Note: {n}.\n"));
    }
    crate::text::sanitize_multiline(&s)
}
