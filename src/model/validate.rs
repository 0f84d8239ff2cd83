//! Validation: dangling links, duplicate ids, out-of-range ratings and other
//! problems a hand edit or a merge can leave behind. A problem is reported,
//! never a crash: every finding names the entity and the file it lives in.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use super::score::rating_in_range;
use super::{EntityRef, Id, Kind, Workspace};

/// The file of the workspace folder an entity is stored in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKey {
    /// `workspace.ron`: name, phases, activities, personas, perspectives.
    Workspace,
    /// `opportunities.ron`: every opportunity in one file, as format
    /// version 1 kept them. Read and migrated; never written (the next
    /// save removes it).
    Opportunities,
    /// `metrics.ron`: every metric in one file (format version 1), as
    /// [`FileKey::Opportunities`].
    Metrics,
    /// One interview note's own file under `notes/`.
    Note(Id),
    /// One opportunity's own file under `opportunities/`.
    Opportunity(Id),
    /// One metric's own file under `metrics/`.
    Metric(Id),
    /// An outcome's, solution's or assumption test's own file, in its
    /// kind's folder.
    Item(Kind, Id),
}

impl FileKey {
    /// The file an entity is stored in.
    pub fn of(e: &EntityRef) -> FileKey {
        match e {
            EntityRef::Workspace
            | EntityRef::Phase(_)
            | EntityRef::Activity(_)
            | EntityRef::Persona(_)
            | EntityRef::Perspective { .. } => FileKey::Workspace,
            EntityRef::Note(id) => FileKey::Note(id.clone()),
            EntityRef::Opportunity(id) => FileKey::Opportunity(id.clone()),
            EntityRef::Metric(id) => FileKey::Metric(id.clone()),
            EntityRef::Item(k, id) => FileKey::Item(*k, id.clone()),
        }
    }

    /// Whether the file holds many entities (`workspace.ron`, and the
    /// `opportunities.ron` and `metrics.ron` of format version 1), rather
    /// than one.
    pub fn is_shared(&self) -> bool {
        matches!(
            self,
            FileKey::Workspace | FileKey::Opportunities | FileKey::Metrics
        )
    }

    /// Which kind of file it is.
    pub fn kind(&self) -> FileKind {
        match self {
            FileKey::Workspace => FileKind::Workspace,
            FileKey::Opportunities => FileKind::Opportunities,
            FileKey::Metrics => FileKind::Metrics,
            FileKey::Note(_) => FileKind::Note,
            FileKey::Opportunity(_) => FileKind::Opportunity,
            FileKey::Metric(_) => FileKind::Metric,
            FileKey::Item(k, _) => FileKind::Item(*k),
        }
    }

    /// Whether the file is one of format version 1's lists
    /// (`opportunities.ron`, `metrics.ron`), which a save replaces with
    /// one file per entity.
    pub fn is_legacy(&self) -> bool {
        matches!(self, FileKey::Opportunities | FileKey::Metrics)
    }
}

/// Which kind of file of a workspace folder a file is, when all that is
/// known is its path or name (git's merge driver and text conversion): a
/// [`FileKey`] without the note's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Workspace,
    Opportunities,
    Metrics,
    Note,
    Opportunity,
    Metric,
    Item(Kind),
}

impl FileKind {
    /// Every kind, the shared files first.
    pub const ALL: [FileKind; 13] = [
        FileKind::Workspace,
        FileKind::Opportunities,
        FileKind::Metrics,
        FileKind::Note,
        FileKind::Opportunity,
        FileKind::Metric,
        FileKind::Item(Kind::Outcome),
        FileKind::Item(Kind::Solution),
        FileKind::Item(Kind::Test),
        FileKind::Item(Kind::NeedsLayer),
        FileKind::Item(Kind::NeedsNode),
        FileKind::Item(Kind::Team),
        FileKind::Item(Kind::Adoption),
    ];

    /// The name of a shared file (`workspace.ron`, ...); `None` for notes,
    /// which are named by their date and id under `notes/`.
    pub fn shared_name(self) -> Option<&'static str> {
        match self {
            FileKind::Workspace => Some("workspace.ron"),
            FileKind::Opportunities => Some("opportunities.ron"),
            FileKind::Metrics => Some("metrics.ron"),
            FileKind::Note | FileKind::Opportunity | FileKind::Metric | FileKind::Item(_) => None,
        }
    }

    /// The folder that holds one file per entity of this kind (`notes`,
    /// `opportunities`, ...); `None` for the shared files.
    pub fn folder(self) -> Option<&'static str> {
        match self {
            FileKind::Workspace | FileKind::Opportunities | FileKind::Metrics => None,
            FileKind::Note => Some("notes"),
            FileKind::Opportunity => Some("opportunities"),
            FileKind::Metric => Some("metrics"),
            FileKind::Item(k) => Some(k.dir()),
        }
    }

    /// The word for one entity of a file of this kind, in messages.
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Workspace => "workspace",
            FileKind::Opportunities | FileKind::Opportunity => "opportunity",
            FileKind::Metrics | FileKind::Metric => "metric",
            FileKind::Note => "note",
            FileKind::Item(k) => k.label(),
        }
    }

    /// The kind whose entities live one per file in `folder`.
    pub fn of_folder(folder: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.folder() == Some(folder))
    }

    /// The kind of a file by its path in the workspace or the repository
    /// (git's `%P` for a merge driver): a shared file by its exact name, a
    /// note only as a `.ron` file directly under a `notes` folder.
    pub fn of_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if let Some(k) = Self::shared_named(|n| name == n) {
            return Some(k);
        }
        if !name.ends_with(".ron") {
            return None;
        }
        let dir = path.parent().and_then(|p| p.file_name())?.to_str()?;
        Self::of_folder(dir)
    }

    /// The kind a file's name suggests when only its end can be trusted:
    /// git hands text conversion a temporary copy named `XXXXXX_<name>`, so
    /// a name ending in a shared file's name is that file, and any other
    /// `.ron` file is taken for a note.
    pub fn of_temp_name(name: &str) -> Option<FileKind> {
        let base = Path::new(name).file_name()?.to_string_lossy();
        if let Some(k) = Self::shared_named(|n| base.ends_with(n)) {
            return Some(k);
        }
        base.ends_with(".ron").then_some(FileKind::Note)
    }

    fn shared_named(matches: impl Fn(&str) -> bool) -> Option<FileKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.shared_name().is_some_and(&matches))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in a workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub file: FileKey,
    pub entity: EntityRef,
    /// The problem, with the entity described in words.
    pub message: String,
    /// The field of the entity the problem is in, when it is one field
    /// (for the line a message points at).
    pub field: Option<&'static str>,
}

struct Checker<'a> {
    ws: &'a Workspace,
    out: Vec<Finding>,
}

impl Checker<'_> {
    fn push(&mut self, severity: Severity, entity: EntityRef, message: String) {
        let message = format!("{}: {}", self.ws.describe(&entity), message);
        self.out.push(Finding {
            severity,
            file: FileKey::of(&entity),
            entity,
            message,
            field: None,
        });
    }

    /// An error in one field of an entity.
    fn error_in(&mut self, entity: EntityRef, field: &'static str, message: String) {
        self.error(entity, message);
        if let Some(f) = self.out.last_mut() {
            f.field = Some(field);
        }
    }

    /// A warning about one field of an entity.
    fn warn_in(&mut self, entity: EntityRef, field: &'static str, message: String) {
        self.warn(entity, message);
        if let Some(f) = self.out.last_mut() {
            f.field = Some(field);
        }
    }

    fn error(&mut self, entity: EntityRef, message: String) {
        self.push(Severity::Error, entity, message);
    }

    fn warn(&mut self, entity: EntityRef, message: String) {
        self.push(Severity::Warning, entity, message);
    }

    fn link(&mut self, from: &EntityRef, what: &str, id: &Id, exists: bool) {
        if !exists {
            self.error(
                from.clone(),
                format!("links to {what} {id}, which does not exist"),
            );
        }
    }
}

/// Every problem in the workspace, errors first, in a stable order.
pub fn validate(ws: &Workspace) -> Vec<Finding> {
    let mut c = Checker {
        ws,
        out: Vec::new(),
    };
    ids(&mut c);
    map(&mut c);
    notes(&mut c);
    opportunities(&mut c);
    metrics(&mut c);
    items(&mut c);
    needs(&mut c);
    conflicts(&mut c);
    c.out.sort_by_key(|f| f.severity);
    c.out
}

/// Whether the workspace has no errors (warnings allowed).
pub fn is_valid(ws: &Workspace) -> bool {
    validate(ws).iter().all(|f| f.severity != Severity::Error)
}

fn ids(c: &mut Checker) {
    let ws = c.ws;
    // Kinds by number, so that the common case (no duplicates) builds no
    // entity references at all.
    let entity = |kind: u8, id: &Id| match kind {
        0 => EntityRef::Phase(id.clone()),
        1 => EntityRef::Activity(id.clone()),
        2 => EntityRef::Persona(id.clone()),
        3 => EntityRef::Note(id.clone()),
        4 => EntityRef::Opportunity(id.clone()),
        5 => EntityRef::Metric(id.clone()),
        6 => EntityRef::Item(Kind::Outcome, id.clone()),
        7 => EntityRef::Item(Kind::Solution, id.clone()),
        8 => EntityRef::Item(Kind::Test, id.clone()),
        9 => EntityRef::Item(Kind::NeedsLayer, id.clone()),
        10 => EntityRef::Item(Kind::NeedsNode, id.clone()),
        11 => EntityRef::Item(Kind::Team, id.clone()),
        _ => EntityRef::Item(Kind::Adoption, id.clone()),
    };
    let mut seen: HashMap<&Id, u8> = HashMap::with_capacity(ws.notes.len() + 256);
    let all = ws
        .phases
        .iter()
        .map(|p| (&p.id, 0))
        .chain(ws.activities().map(|(_, a)| (&a.id, 1)))
        .chain(ws.personas.iter().map(|p| (&p.id, 2)))
        .chain(ws.notes.keys().map(|id| (id, 3)))
        .chain(ws.opportunities.iter().map(|o| (&o.id, 4)))
        .chain(ws.metrics.iter().map(|m| (&m.id, 5)))
        .chain(ws.items.keys().map(|(k, id)| {
            let n = match k {
                Kind::Outcome => 6,
                Kind::Solution => 7,
                Kind::Test => 8,
                Kind::NeedsLayer => 9,
                Kind::NeedsNode => 10,
                Kind::Team => 11,
                Kind::Adoption => 12,
            };
            (id, n)
        }));
    let mut dups = Vec::new();
    for (id, kind) in all {
        if !id.is_well_formed() {
            dups.push((entity(kind, id), format!("has a malformed id {id:?}")));
        }
        match seen.entry(id) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let first = entity(*first.get(), id);
                dups.push((
                    entity(kind, id),
                    format!("has id {id}, already used by {}", ws.describe(&first)),
                ));
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(kind);
            }
        }
    }
    for (e, m) in dups {
        c.error(e, m);
    }
    for (id, note) in &ws.notes {
        if &note.id != id {
            c.error(
                EntityRef::Note(id.clone()),
                format!("is stored under id {id} but says its id is {}", note.id),
            );
        }
    }
}

fn map(c: &mut Checker) {
    let ws = c.ws;
    for p in &ws.phases {
        if p.name.trim().is_empty() {
            c.error(EntityRef::Phase(p.id.clone()), "has an empty name".into());
        }
    }
    for (_, a) in ws.activities() {
        if a.name.trim().is_empty() {
            c.error(
                EntityRef::Activity(a.id.clone()),
                "has an empty name".into(),
            );
        }
    }
    for p in &ws.personas {
        if p.name.trim().is_empty() {
            c.error(EntityRef::Persona(p.id.clone()), "has an empty name".into());
        }
    }
    let mut prev: Option<(&Id, &Id)> = None;
    for x in &ws.perspectives {
        let e = EntityRef::Perspective {
            persona: x.persona.clone(),
            activity: x.activity.clone(),
        };
        c.link(&e, "persona", &x.persona, ws.persona(&x.persona).is_some());
        c.link(
            &e,
            "activity",
            &x.activity,
            ws.activity(&x.activity).is_some(),
        );
        if prev == Some((&x.persona, &x.activity)) {
            c.error(
                e.clone(),
                "appears twice (one cell, two perspectives)".into(),
            );
        }
        prev = Some((&x.persona, &x.activity));
        for (what, r) in [
            ("importance", x.importance),
            ("satisfaction", x.satisfaction),
        ] {
            if let Some(r) = r.filter(|r| !rating_in_range(*r)) {
                c.error(e.clone(), format!("{what} is {r}, outside 1–5"));
            }
        }
    }
}

fn items(c: &mut Checker) {
    let ws = c.ws;
    for (id, o) in &ws.items.outcomes {
        let e = EntityRef::Item(Kind::Outcome, id.clone());
        if o.name.trim().is_empty() {
            c.error(e.clone(), "has an empty name".into());
        }
        for m in &o.metrics {
            c.link(&e, "metric", m, ws.metric(m).is_some());
        }
    }
    for o in &ws.opportunities {
        let e = EntityRef::Opportunity(o.id.clone());
        if let Some(out) = &o.outcome {
            c.link(&e, "outcome", out, ws.items.outcomes.contains_key(out));
        }
        if let Some(p) = &o.parent {
            if ws.opportunity(p).is_none() {
                c.link(&e, "parent opportunity", p, false);
            } else if ws.would_cycle(&o.id, p) {
                c.error(
                    e.clone(),
                    format!("is its own ancestor through parent {p} (the tree has a loop)"),
                );
            }
        }
        for (what, v) in [("value", o.value), ("effort", o.effort)] {
            if let Some(v) = v.filter(|v| !rating_in_range(*v)) {
                c.error(e.clone(), format!("{what} is {v}, outside 1–5"));
            }
        }
    }
    for (id, s) in &ws.items.solutions {
        let e = EntityRef::Item(Kind::Solution, id.clone());
        if s.title.trim().is_empty() {
            c.error(e.clone(), "has an empty title".into());
        }
        c.link(
            &e,
            "opportunity",
            &s.opportunity,
            ws.opportunity(&s.opportunity).is_some(),
        );
        for (what, v) in [("value", s.value), ("effort", s.effort)] {
            if let Some(v) = v.filter(|v| !rating_in_range(*v)) {
                c.error(e.clone(), format!("{what} is {v}, outside 1–5"));
            }
        }
        if s.status == crate::model::SolutionStatus::Shipped {
            if s.shipped.is_none() {
                c.warn(
                    e.clone(),
                    "is shipped but has no shipped date (validation compares before and after it)"
                        .into(),
                );
            }
            if ws.opportunity(&s.opportunity).is_some() && ws.validating_metrics(s).is_empty() {
                c.warn(
                    e.clone(),
                    "is shipped but no metric measures its opportunity or outcome, so nothing can validate it"
                        .into(),
                );
            }
        }
    }
    for (id, t) in &ws.items.tests {
        let e = EntityRef::Item(Kind::Test, id.clone());
        if t.assumption.trim().is_empty() {
            c.error(e.clone(), "has an empty assumption".into());
        }
        c.link(
            &e,
            "solution",
            &t.solution,
            ws.items.solutions.contains_key(&t.solution),
        );
        for ev in &t.evidence {
            c.link(&e, "note", &ev.note, ws.notes.contains_key(&ev.note));
        }
    }
    for (id, t) in &ws.items.teams {
        let e = EntityRef::Item(Kind::Team, id.clone());
        if t.name.trim().is_empty() {
            c.error(e.clone(), "has an empty name".into());
        }
        if let Some(p) = &t.persona {
            c.link(&e, "persona", p, ws.persona(p).is_some());
        }
        // A record before the team's start is probably a wrong date on one
        // or the other: the rates leave the team out until its start.
        if let Some(since) = t.since
            && let Some(a) = ws
                .items
                .adoptions
                .values()
                .filter(|a| &a.team == id && a.date < since)
                .min_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
        {
            c.warn_in(
                e,
                "since",
                format!(
                    "counts in the adoption rates from {since} (its since date), but has a record on {} ({}: {}); the rates leave the team out before {since}",
                    a.date,
                    ws.target_name(&a.target),
                    a.state.label()
                ),
            );
        }
    }
    for (id, a) in &ws.items.adoptions {
        let e = EntityRef::Item(Kind::Adoption, id.clone());
        c.link(&e, "team", &a.team, ws.items.teams.contains_key(&a.team));
        target_link(c, &e, &a.target);
    }
    // One record per team, target and day: `adopt` and the interface
    // replace the day's record, so two are what a merge of two branches
    // leaves. The rates take the one with the largest id. A warning, not
    // an error: the workspace still reads the same everywhere, and `adopt`
    // (which refuses a workspace with errors) is how to settle the day.
    for group in ws.duplicate_adoptions() {
        let Some((kept, others)) = group.split_last() else {
            continue;
        };
        let team = ws
            .items
            .teams
            .get(&kept.team)
            .map_or_else(|| kept.team.to_string(), |t| t.name.clone());
        let what = |a: &crate::model::Adoption| {
            format!(
                "{}{}",
                a.state.label(),
                if a.mandated { ", mandated" } else { "" }
            )
        };
        for a in others {
            let e = EntityRef::Item(Kind::Adoption, a.id.clone());
            let agree = a.state == kept.state && a.mandated == kept.mandated;
            let message = format!(
                "records {team} with {} on {} ({}), as does record {} ({}): one record per team, target and day, and two branches recorded this one; {}",
                ws.target_name(&kept.target),
                a.date,
                what(a),
                kept.id,
                what(kept),
                if agree {
                    "they agree, so delete this file".to_string()
                } else {
                    format!(
                        "the rates take record {}'s, so decide which is right and record it with `valuemap adopt` (which replaces both)",
                        kept.id
                    )
                }
            );
            c.warn_in(e, "date", message);
        }
    }
}

/// A link to what a team adopts.
fn target_link(c: &mut Checker, e: &EntityRef, t: &crate::model::Target) {
    match t {
        crate::model::Target::Activity(a) => c.link(e, "activity", a, c.ws.activity(a).is_some()),
        // A capability is a node of the user needs map.
        crate::model::Target::Capability(id) => {
            c.link(e, "capability", id, c.ws.items.nodes.contains_key(id))
        }
    }
}

/// The needs map: layers named, nodes in a known layer, links that
/// resolve, edges only downward and no loops.
fn needs(c: &mut Checker) {
    let ws = c.ws;
    for (id, l) in &ws.items.layers {
        if l.name.trim().is_empty() {
            c.error(
                EntityRef::Item(Kind::NeedsLayer, id.clone()),
                "has an empty name".into(),
            );
        }
    }
    let layers = ws.needs_layers();
    for (id, n) in &ws.items.nodes {
        let e = EntityRef::Item(Kind::NeedsNode, id.clone());
        if n.name.trim().is_empty() {
            c.error(e.clone(), "has an empty name".into());
        }
        c.link(
            &e,
            "layer",
            &n.layer,
            layers.iter().any(|l| l.id == n.layer),
        );
        for d in &n.depends_on {
            c.link(&e, "needs-map node", d, ws.items.nodes.contains_key(d));
        }
        for p in &n.personas {
            c.link(&e, "persona", p, ws.persona(p).is_some());
        }
        for a in &n.activities {
            c.link(&e, "activity", a, ws.activity(a).is_some());
        }
        for o in &n.opportunities {
            c.link(&e, "opportunity", o, ws.opportunity(o).is_some());
        }
    }
    for (id, _, why) in ws.needs_edge_problems() {
        c.error(EntityRef::Item(Kind::NeedsNode, id), why);
    }
}

/// Assumption tests still pending after their due date, as of `today`
/// (apart from [`validate`], which does not depend on the day it runs).
pub fn overdue(ws: &Workspace, today: chrono::NaiveDate) -> Vec<Finding> {
    let mut c = Checker {
        ws,
        out: Vec::new(),
    };
    for (id, t) in &ws.items.tests {
        if t.overdue(today) {
            let due = t.due.map(|d| d.to_string()).unwrap_or_default();
            c.warn(
                EntityRef::Item(Kind::Test, id.clone()),
                format!("is still pending, due {due}"),
            );
        }
    }
    c.out
}

fn conflicts(c: &mut Checker) {
    for x in &c.ws.conflicts {
        c.error(
            x.target.entity(),
            format!(
                "merge conflict on {}: kept {}, the other branch had {} (settle it in valuemap with :conflicts)",
                x.field,
                short(&x.ours),
                short(&x.theirs)
            ),
        );
    }
}

/// At most 60 characters of a value, for messages.
fn short(s: &str) -> String {
    crate::text::truncate(&crate::text::sanitize(s), 60)
}

fn notes(c: &mut Checker) {
    let ws = c.ws;
    let personas: HashSet<&Id> = ws.personas.iter().map(|p| &p.id).collect();
    let activities: HashSet<&Id> = ws.activities().map(|(_, a)| &a.id).collect();
    for n in ws.notes.values() {
        // A rating line that rates no cell is kept as typed, and said.
        if super::ratings::has_rating(n) {
            for p in super::ratings::note_ratings(ws, n).1 {
                c.warn(
                    EntityRef::Note(n.id.clone()),
                    format!(
                        "rating on line {}, column {} of the note: {}",
                        p.line, p.column, p.message
                    ),
                );
            }
        }
        let dangling_persona = n.persona.as_ref().filter(|p| !personas.contains(p));
        let dangling_activities: Vec<&Id> = n
            .activities
            .iter()
            .filter(|a| !activities.contains(a))
            .collect();
        let e = EntityRef::Note(n.id.clone());
        for a in &n.answered {
            if !n.questions().any(|q| q == a.question) {
                c.warn(
                    e.clone(),
                    format!(
                        "marks \"{}\" answered, but the note no longer asks it",
                        a.question
                    ),
                );
            }
            if let Some(by) = &a.by {
                match ws.notes.get(&by.note) {
                    None => c.link(&e, "note", &by.note, false),
                    Some(other) if !other.body.contains(by.quote.as_str()) => c.warn(
                        e.clone(),
                        format!(
                            "answers \"{}\" with a line that is no longer in note {} ({})",
                            a.question, other.id, other.date
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
        if dangling_persona.is_none() && dangling_activities.is_empty() {
            continue;
        }
        if let Some(p) = dangling_persona {
            c.link(&e, "persona", p, false);
        }
        for a in dangling_activities {
            c.link(&e, "activity", a, false);
        }
    }
}

fn opportunities(c: &mut Checker) {
    let ws = c.ws;
    for o in &ws.opportunities {
        let e = EntityRef::Opportunity(o.id.clone());
        if o.title.trim().is_empty() {
            c.error(e.clone(), "has an empty title".into());
        }
        for a in &o.activities {
            c.link(&e, "activity", a, ws.activity(a).is_some());
        }
        for p in &o.personas {
            c.link(&e, "persona", p, ws.persona(p).is_some());
        }
        for ev in &o.evidence {
            match ws.notes.get(&ev.note) {
                None => c.link(&e, "note", &ev.note, false),
                Some(n) => {
                    if !ev.quote.is_empty() && !n.body.contains(ev.quote.as_str()) {
                        c.warn(
                            e.clone(),
                            format!(
                                "cites a line that is no longer in note {} ({})",
                                n.id, n.date
                            ),
                        );
                    }
                }
            }
        }
        if let Some(s) = o.manual_score.filter(|s| !s.is_finite()) {
            c.error(
                e.clone(),
                format!("has a manual score of {s}, not a number"),
            );
        }
        if o.evidence.is_empty() {
            c.warn(e, "has no evidence".into());
        }
    }
}

fn metrics(c: &mut Checker) {
    let ws = c.ws;
    for m in &ws.metrics {
        let e = EntityRef::Metric(m.id.clone());
        if m.name.trim().is_empty() {
            c.error(e.clone(), "has an empty name".into());
        }
        if let Some(a) = &m.activity {
            c.link(&e, "activity", a, ws.activity(a).is_some());
        }
        if let Some(o) = &m.opportunity {
            c.link(&e, "opportunity", o, ws.opportunity(o).is_some());
        }
        for p in &m.personas {
            c.link(&e, "persona", p, ws.persona(p).is_some());
        }
        if let Some(rate) = &m.adoption {
            target_link(c, &e, &rate.target);
        }
        for (what, v) in [("baseline", m.baseline), ("target", m.target)] {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                c.error(e.clone(), format!("has a {what} of {v}, not a number"));
            }
        }
        for o in &m.observations {
            if !o.value.is_finite() {
                c.error(
                    e.clone(),
                    format!("has an observation on {} that is not a number", o.date),
                );
            }
        }
    }
    if ws.has_derived_metrics() {
        for err in crate::model::derive::compute(ws).errors {
            let field = if ws.metric(&err.metric).is_some_and(|m| m.formula.is_some()) {
                "formula"
            } else {
                "adoption"
            };
            c.error_in(EntityRef::Metric(err.metric), field, err.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::NaiveDate;

    fn base() -> Workspace {
        let mut w = Workspace::new("t");
        w.phases.push(Phase {
            id: "ph".into(),
            name: "Creation".into(),
            description: String::new(),
            activities: vec![Activity {
                id: "a1".into(),
                name: "Create a cluster".into(),
                description: String::new(),
            }],
        });
        w.personas.push(Persona {
            id: "p1".into(),
            name: "Platform developer".into(),
            role: Role::Consumer,
            description: String::new(),
            jobs: vec![],
            tags: vec![],
        });
        w
    }

    fn note(id: &str) -> Note {
        Note {
            id: id.into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            interviewee: "Sam".into(),
            persona: Some("p1".into()),
            activities: vec!["a1".into()],
            title: "Call".into(),
            body: "Call\n! slow clusters".into(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        }
    }

    fn errors(w: &Workspace) -> Vec<String> {
        validate(w)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn file_kinds_from_paths_and_temporary_names() {
        for k in [
            FileKind::Workspace,
            FileKind::Opportunities,
            FileKind::Metrics,
        ] {
            let name = k.shared_name().unwrap();
            assert_eq!(FileKind::of_path(Path::new(name)), Some(k));
            assert_eq!(FileKind::of_path(&Path::new("ws").join(name)), Some(k));
            assert_eq!(
                FileKind::of_temp_name(&format!("/tmp/Xa9f2k_{name}")),
                Some(k)
            );
        }
        // The names are the store's.
        assert_eq!(
            FileKind::ALL.map(FileKind::shared_name)[..3],
            [
                Some(crate::store::WORKSPACE_FILE),
                Some(crate::store::OPPORTUNITIES_FILE),
                Some(crate::store::METRICS_FILE)
            ]
        );
        let note = Path::new("ws/notes/2026-11-20-k3f9q2.ron");
        assert_eq!(FileKind::of_path(note), Some(FileKind::Note));
        for (path, kind) in [
            ("ws/opportunities/r8k2vd.ron", FileKind::Opportunity),
            ("metrics/m4x9tb.ron", FileKind::Metric),
            ("outcomes/h7r2mx.ron", FileKind::Item(Kind::Outcome)),
        ] {
            assert_eq!(FileKind::of_path(Path::new(path)), Some(kind), "{path}");
            let folder = kind.folder().unwrap();
            assert!(crate::store::ENTITY_DIRS.contains(&folder));
            assert_eq!(FileKind::of_folder(folder), Some(kind));
        }
        // A merge driver takes a note only under notes/ ...
        assert_eq!(
            FileKind::of_path(Path::new("ws/2026-11-20-k3f9q2.ron")),
            None
        );
        assert_eq!(FileKind::of_path(Path::new("notes/readme.md")), None);
        assert_eq!(FileKind::of_path(Path::new("notes")), None);
        // ... text conversion sees only a temporary copy's name.
        assert_eq!(
            FileKind::of_temp_name("/tmp/Xa9f2k_2026-11-20-k3f9q2.ron"),
            Some(FileKind::Note)
        );
        assert_eq!(FileKind::of_temp_name("/tmp/Xa9f2k_notes.txt"), None);
        assert_eq!(FileKind::of_temp_name(""), None);
        assert_eq!(FileKey::Note("n".into()).kind(), FileKind::Note);
        assert_eq!(FileKey::Metrics.kind(), FileKind::Metrics);
    }

    #[test]
    fn a_clean_workspace_has_no_findings() {
        let mut w = base();
        w.notes.insert("n1".into(), note("n1").into());
        let mut o = Opportunity::new("o1".into(), "Faster clusters", OpportunityKind::Pain);
        o.evidence.push(Evidence {
            note: "n1".into(),
            quote: "! slow clusters".into(),
        });
        w.opportunities.push(o);
        assert_eq!(validate(&w), vec![]);
        assert!(is_valid(&w));
    }

    #[test]
    fn dangling_links_name_entity_and_file() {
        let mut w = base();
        let mut n = note("n1");
        n.persona = Some("ghost".into());
        w.notes.insert("n1".into(), n.into());
        let mut o = Opportunity::new("o1".into(), "X", OpportunityKind::Need);
        o.evidence.push(Evidence {
            note: "gone".into(),
            quote: String::new(),
        });
        o.activities.push("nowhere".into());
        w.opportunities.push(o);
        let mut m = Metric {
            id: "m1".into(),
            name: "Uptime".into(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity: Some("zz".into()),
            opportunity: None,
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: vec![],
        };
        m.opportunity = Some("o9".into());
        w.metrics.push(m);
        let f = validate(&w);
        let errs: Vec<_> = f.iter().filter(|f| f.severity == Severity::Error).collect();
        assert_eq!(errs.len(), 5, "{errs:#?}");
        assert!(
            errs.iter().any(
                |f| f.file == FileKey::Note("n1".into()) && f.message.contains("persona ghost")
            )
        );
        assert!(
            errs.iter()
                .any(|f| matches!(f.file, FileKey::Opportunity(_))
                    && f.message.contains("opportunity \"X\"")
                    && f.message.contains("note gone"))
        );
        assert!(errs.iter().any(|f| f.message.contains("activity nowhere")));
        assert!(
            errs.iter().any(
                |f| f.file == FileKey::Metric("m1".into()) && f.message.contains("activity zz")
            )
        );
        assert!(errs.iter().any(|f| f.message.contains("opportunity o9")));
    }

    #[test]
    fn duplicate_ids_across_kinds_are_errors() {
        let mut w = base();
        w.personas[0].id = "a1".into();
        let e = errors(&w);
        assert!(
            e.iter()
                .any(|m| m.contains("has id a1, already used by activity \"Create a cluster\"")),
            "{e:?}"
        );
    }

    #[test]
    fn out_of_range_ratings_are_errors() {
        let mut w = base();
        let mut p = Perspective::new("p1".into(), "a1".into());
        p.importance = Some(7);
        p.satisfaction = Some(0);
        w.set_perspective(&"p1".into(), &"a1".into(), Some(p));
        let e = errors(&w);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("importance is 7, outside 1–5"));
        assert!(e[0].contains("perspective of persona \"Platform developer\""));
        assert!(e[1].contains("satisfaction is 0"));
    }

    #[test]
    fn value_and_effort_out_of_range_are_errors() {
        let mut w = base();
        let mut o = Opportunity::new("o1".into(), "X", OpportunityKind::Need);
        (o.value, o.effort) = (Some(6), Some(0));
        w.opportunities.push(o);
        let s = Solution {
            id: "s1".into(),
            opportunity: "o1".into(),
            title: "Y".into(),
            description: String::new(),
            status: SolutionStatus::Idea,
            shipped: None,
            value: Some(9),
            effort: Some(7),
            owner: String::new(),
        };
        w.items.solutions.insert(s.id.clone(), s);
        let e = errors(&w);
        for want in [
            "value is 6, outside 1–5",
            "effort is 0, outside 1–5",
            "value is 9, outside 1–5",
            "effort is 7, outside 1–5",
        ] {
            assert_eq!(
                e.iter().filter(|m| m.contains(want)).count(),
                1,
                "{want}: {e:?}"
            );
        }
    }

    #[test]
    fn missing_evidence_and_stale_quotes_are_warnings() {
        let mut w = base();
        w.notes.insert("n1".into(), note("n1").into());
        let mut o = Opportunity::new("o1".into(), "X", OpportunityKind::Need);
        w.opportunities.push(o.clone());
        o.id = "o2".into();
        o.evidence.push(Evidence {
            note: "n1".into(),
            quote: "! not in the note".into(),
        });
        w.opportunities.push(o);
        let f = validate(&w);
        assert!(f.iter().all(|f| f.severity == Severity::Warning));
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|f| f.message.contains("no evidence")));
        assert!(f.iter().any(|f| f.message.contains("no longer in note n1")));
    }

    #[test]
    fn non_finite_numbers_and_empty_names_are_errors() {
        let mut w = base();
        w.phases[0].activities[0].name = "  ".into();
        let mut o = Opportunity::new("o1".into(), "X", OpportunityKind::Need);
        o.manual_score = Some(f64::NAN);
        w.opportunities.push(o);
        let e = errors(&w);
        assert!(e.iter().any(|m| m.contains("empty name")));
        assert!(e.iter().any(|m| m.contains("manual score of NaN")));
    }

    #[test]
    fn note_key_must_match_its_id() {
        let mut w = base();
        w.notes.insert("n1".into(), note("n2").into());
        assert!(errors(&w).iter().any(|m| m.contains("stored under id n1")));
    }
}
