//! Importing into a workspace: our own JSON export (`docs/export-json.md`),
//! a folder of Markdown interview notes, or a CSV table of notes.
//!
//! An import is worked out in memory first, as a [`Plan`]: the whole source
//! is read and checked, links are resolved, and the workspace it would leave
//! behind is validated. Any problem anywhere makes the whole import fail
//! ([`ImportError`] lists every problem found), so nothing is ever half
//! imported. Writing the plan is the caller's job (`valuemap import --apply`
//! saves [`Plan::files`], the files that change).
//!
//! **JSON** (our own export) keeps every id. The derived fields of the export
//! (counts, scores, ranks, verdicts, the parsed quotes / pains / needs /
//! questions of notes, blind spots) are ignored: they are computed again from
//! what is imported.
//! - Into an *empty* workspace (no activities, personas, perspectives, notes,
//!   opportunities, metrics or conflict records; empty phases are allowed, as
//!   `valuemap new --template empty` makes them) the import is exact: the
//!   workspace's name, description and phases are replaced by the export's,
//!   and the result equals the exported workspace, ids and all.
//! - Into a workspace that holds something, the import adds what is new and
//!   never overwrites: an entity whose id is already there (a perspective:
//!   whose cell is already filled) is skipped and reported, as identical or
//!   as differing (the workspace's version is kept). The workspace keeps its
//!   name, description and phases; an activity whose phase is new comes with
//!   its new phase (at the end of the map), one whose phase is already there
//!   joins it (at the end of the phase). An id the workspace uses for another
//!   kind of entity is an error.
//!
//! **Markdown and CSV** make one interview note per file or row, resolving
//! personas and activities like `valuemap note add` (id, name without case,
//! or a unique prefix of the name); `@mentions` and `#tags` in the body count
//! as in the capture editor. A note identical to one already in the workspace
//! (same date, interviewee, persona and text) is skipped, so running the same
//! import twice adds nothing the second time.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::capture::{self, Resolved};
use crate::model::edit::{self, Edit};
use crate::model::validate::{FileKey, Severity, validate};
use crate::model::{
    Activity, Direction, EntityRef, Evidence, Horizon, Id, Metric, MetricKind, Note, Observation,
    Opportunity, OpportunityKind, Persona, Perspective, Phase, Role, Status, Workspace,
};

/// What an import would do: the workspace after it, and what it adds and
/// leaves out.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The workspace as it is after the import.
    pub workspace: Workspace,
    /// What the import adds, in the order of the source.
    pub created: Vec<EntityRef>,
    /// What the source holds that the workspace already has.
    pub skipped: Vec<Skipped>,
    /// Things worth knowing that do not stop the import (an `@mention` that
    /// matches no activity, an unmapped CSV column, a new warning).
    pub notices: Vec<String>,
    /// The files of the workspace folder that change.
    pub files: BTreeSet<FileKey>,
}

/// An entity of the source left out because the workspace already has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub entity: EntityRef,
    /// How the source names it (a name, a title, or a note's date and title).
    pub label: String,
    /// Whether the workspace's version is the same as the source's.
    pub identical: bool,
}

/// Why nothing was imported: every problem found, each naming where it is
/// (a file and line, a CSV row, or a path in the JSON document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub problems: Vec<String>,
}

impl ImportError {
    fn one(msg: impl Into<String>) -> ImportError {
        ImportError {
            problems: vec![msg.into()],
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for ImportError {}

/// The kinds of entity, in the order an import reports them.
const KINDS: [&str; 7] = [
    "phase",
    "activity",
    "persona",
    "perspective",
    "note",
    "opportunity",
    "metric",
];

/// The kind of an entity, as a word.
pub fn kind_of(e: &EntityRef) -> &'static str {
    match e {
        EntityRef::Workspace => "workspace",
        EntityRef::Phase(_) => "phase",
        EntityRef::Activity(_) => "activity",
        EntityRef::Persona(_) => "persona",
        EntityRef::Perspective { .. } => "perspective",
        EntityRef::Note(_) => "note",
        EntityRef::Opportunity(_) => "opportunity",
        EntityRef::Metric(_) => "metric",
    }
}

impl Plan {
    fn new(ws: &Workspace) -> Plan {
        Plan {
            workspace: ws.clone(),
            created: Vec::new(),
            skipped: Vec::new(),
            notices: Vec::new(),
            files: BTreeSet::new(),
        }
    }

    /// How many entities of each kind the import adds, in a fixed order of
    /// kinds, leaving out the kinds it adds none of.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        count_kinds(self.created.iter())
    }

    /// How many entities of each kind were skipped.
    pub fn skipped_counts(&self) -> Vec<(&'static str, usize)> {
        count_kinds(self.skipped.iter().map(|s| &s.entity))
    }

    /// Whether the import changes nothing.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn create(&mut self, e: EntityRef) {
        self.files.insert(FileKey::of(&e));
        self.created.push(e);
    }

    /// Refuses the plan when the workspace it leaves has errors it did not
    /// have before (dangling links, duplicate ids, ...); new warnings become
    /// notices.
    fn checked(mut self, before: &Workspace) -> Result<Plan, ImportError> {
        let old: HashSet<(bool, String)> = validate(before)
            .into_iter()
            .map(|f| (f.severity == Severity::Error, f.message))
            .collect();
        let mut problems = Vec::new();
        for f in validate(&self.workspace) {
            if old.contains(&(f.severity == Severity::Error, f.message.clone())) {
                continue;
            }
            match f.severity {
                Severity::Error => problems.push(format!(
                    "the imported workspace would have an error: {}",
                    f.message
                )),
                Severity::Warning => self.notices.push(format!("warning: {}", f.message)),
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(ImportError { problems })
        }
    }
}

fn count_kinds<'a>(items: impl Iterator<Item = &'a EntityRef>) -> Vec<(&'static str, usize)> {
    let mut n: BTreeMap<&'static str, usize> = BTreeMap::new();
    for e in items {
        *n.entry(kind_of(e)).or_default() += 1;
    }
    KINDS
        .iter()
        .filter_map(|k| n.get(k).map(|c| (*k, *c)))
        .collect()
}

/// Whether a workspace holds nothing but (empty) phases: an import of our
/// JSON export into it is exact.
pub fn is_empty_workspace(ws: &Workspace) -> bool {
    ws.activity_count() == 0
        && ws.personas.is_empty()
        && ws.perspectives.is_empty()
        && ws.notes.is_empty()
        && ws.opportunities.is_empty()
        && ws.metrics.is_empty()
        && ws.conflicts.is_empty()
}

fn read(path: &Path) -> Result<Vec<u8>, ImportError> {
    fs::read(path).map_err(|e| ImportError::one(format!("{}: {e}", path.display())))
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ImportError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        ImportError::one(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

// ------------------------------------------------------------------ JSON

/// Imports our own JSON export (the file at `path`) into `ws`.
pub fn json(ws: &Workspace, path: &Path) -> Result<Plan, ImportError> {
    let text = utf8(path, read(path)?)?;
    json_str(ws, &text, &path.display().to_string())
}

/// Imports a JSON export given as text; `origin` names it in messages.
pub fn json_str(ws: &Workspace, text: &str, origin: &str) -> Result<Plan, ImportError> {
    let src = parse_export(text, origin)?;
    merge_workspace(ws, src)
}

/// The `format` of our JSON export (`docs/export-json.md`).
pub use crate::export::JSON_FORMAT as EXPORT_FORMAT;
/// The version of the export's shape this import reads.
pub use crate::export::JSON_VERSION as EXPORT_VERSION;

/// A number in the document. serde_json is built with `float_roundtrip`, so
/// every number the export wrote is read back to the same `f64`.
#[derive(Clone, Debug, Deserialize)]
#[serde(transparent)]
struct Num(serde_json::Number);

impl Num {
    fn f64(&self) -> Result<f64, String> {
        self.0
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{} is not a number", self.0))
    }

    fn u8(&self) -> Result<u8, String> {
        self.0
            .as_u64()
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| format!("{} is not a whole number from 0 to 255", self.0))
    }
}

#[derive(Deserialize)]
struct JHead {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<Num>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JDoc {
    name: String,
    description: String,
    phases: Vec<JPhase>,
    personas: Vec<JPersona>,
    perspectives: Vec<JPerspective>,
    notes: Vec<JNote>,
    opportunities: Vec<JOpportunity>,
    metrics: Vec<JMetric>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPhase {
    id: Id,
    name: String,
    description: String,
    activities: Vec<JActivity>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JActivity {
    id: Id,
    name: String,
    description: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPersona {
    id: Id,
    name: String,
    role: String,
    description: String,
    jobs: Vec<String>,
    tags: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JPerspective {
    persona: Id,
    activity: Id,
    interest: String,
    needs: Vec<String>,
    pains: Vec<String>,
    importance: Option<Num>,
    satisfaction: Option<Num>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JNote {
    id: Id,
    date: String,
    interviewee: String,
    persona: Option<Id>,
    activities: Vec<Id>,
    title: String,
    tags: Vec<String>,
    body: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JOpportunity {
    id: Id,
    title: String,
    kind: String,
    description: String,
    status: String,
    horizon: Option<String>,
    activities: Vec<Id>,
    personas: Vec<Id>,
    manual_score: Option<Num>,
    evidence: Vec<JEvidence>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JEvidence {
    note: Id,
    quote: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JMetric {
    id: Id,
    name: String,
    kind: String,
    unit: String,
    description: String,
    activity: Option<Id>,
    opportunity: Option<Id>,
    direction: String,
    baseline: Option<Num>,
    target: Option<Num>,
    observations: Vec<JObservation>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JObservation {
    date: String,
    value: Option<Num>,
    comment: String,
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn by_label<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, s: &str) -> Option<T> {
    all.iter().copied().find(|x| label(*x) == s.trim())
}

/// Problems found reading an export, and the ids seen so far.
struct Problems<'a> {
    origin: &'a str,
    list: Vec<String>,
    seen: HashMap<Id, String>,
}

impl Problems<'_> {
    /// The value, or `None` with the problem recorded.
    fn get<T>(&mut self, at: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.list.push(format!("{}: {at}: {e}", self.origin)))
            .ok()
    }

    /// Records a missing, malformed or duplicate id.
    fn check_id(&mut self, id: &Id, at: &str) {
        let origin = self.origin;
        if id.as_str().is_empty() {
            self.list.push(format!("{origin}: {at} has no id"));
        } else if !id.is_well_formed() {
            self.list
                .push(format!("{origin}: {at} has a malformed id {id:?}"));
        } else if let Some(first) = self.seen.get(id) {
            self.list.push(format!(
                "{origin}: {at} has id {id}, already used by {first}"
            ));
        } else {
            self.seen.insert(id.clone(), at.to_string());
        }
    }
}

/// Reads an export into a workspace of its own (ids checked for duplicates).
fn parse_export(text: &str, origin: &str) -> Result<Workspace, ImportError> {
    // Syntax errors are located in the text as given.
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|e| ImportError::one(format!("{origin}: not valid JSON: {e}")))?;
    let head: JHead = serde_json::from_str(text).map_err(|e| {
        ImportError::one(format!(
            "{origin}: not a valuemap JSON export (a JSON object with \"format\": \"valuemap-export\" is expected): {e}"
        ))
    })?;
    if head.format.as_deref() != Some(EXPORT_FORMAT) {
        return Err(ImportError::one(format!(
            "{origin}: not a valuemap JSON export (its \"format\" is {}, not \"{}\")",
            head.format
                .map_or("missing".to_string(), |f| format!("{f:?}")),
            EXPORT_FORMAT
        )));
    }
    let version = head.version.as_ref().map(Num::f64);
    match version {
        Some(Ok(v)) if v == f64::from(EXPORT_VERSION) => {}
        Some(Ok(v)) if v > f64::from(EXPORT_VERSION) => {
            return Err(ImportError::one(format!(
                "{origin}: written in export version {v}, newer than this valuemap reads (version {}); upgrade valuemap",
                EXPORT_VERSION
            )));
        }
        _ => {
            return Err(ImportError::one(format!(
                "{origin}: export version {} is not one this valuemap reads (version {})",
                head.version
                    .map_or("missing".to_string(), |v| v.0.to_string()),
                EXPORT_VERSION
            )));
        }
    }
    let doc: JDoc = serde_json::from_str(text)
        .map_err(|e| ImportError::one(format!("{origin}: not the shape of an export: {e}")))?;
    let mut pr = Problems {
        origin,
        list: Vec::new(),
        seen: HashMap::new(),
    };
    let mut ws = Workspace::new(doc.name);
    ws.description = doc.description;
    for (i, p) in doc.phases.into_iter().enumerate() {
        let at = format!("phases[{i}] ({:?})", p.name);
        pr.check_id(&p.id, &at);
        let mut activities = Vec::new();
        for (j, a) in p.activities.into_iter().enumerate() {
            pr.check_id(
                &a.id,
                &format!("phases[{i}].activities[{j}] ({:?})", a.name),
            );
            activities.push(Activity {
                id: a.id,
                name: a.name,
                description: a.description,
            });
        }
        ws.phases.push(Phase {
            id: p.id,
            name: p.name,
            description: p.description,
            activities,
        });
    }
    for (i, p) in doc.personas.into_iter().enumerate() {
        let at = format!("personas[{i}] ({:?})", p.name);
        pr.check_id(&p.id, &at);
        let role = pr.get(
            &at,
            Role::from_slug(&p.role).ok_or_else(|| {
                format!("unknown role {:?} (customer, consumer or end-user)", p.role)
            }),
        );
        ws.personas.push(Persona {
            id: p.id,
            name: p.name,
            role: role.unwrap_or_default(),
            description: p.description,
            jobs: p.jobs,
            tags: p.tags,
        });
    }
    let mut cells = HashSet::new();
    for (i, x) in doc.perspectives.into_iter().enumerate() {
        let at = format!("perspectives[{i}] ({} × {})", x.persona, x.activity);
        if !cells.insert((x.persona.clone(), x.activity.clone())) {
            pr.list
                .push(format!("{origin}: {at}: the cell appears twice"));
        }
        let mut rating = |n: Option<Num>| n.and_then(|n| pr.get(&at, n.u8()));
        let importance = rating(x.importance);
        let satisfaction = rating(x.satisfaction);
        let v = Perspective {
            persona: x.persona.clone(),
            activity: x.activity.clone(),
            interest: x.interest,
            needs: x.needs,
            pains: x.pains,
            importance,
            satisfaction,
        };
        ws.set_perspective(&x.persona, &x.activity, Some(v));
    }
    for (i, n) in doc.notes.into_iter().enumerate() {
        let at = format!("notes[{i}] ({})", n.id);
        pr.check_id(&n.id, &at);
        let Some(d) = pr.get(&at, date(&n.date)) else {
            continue;
        };
        ws.notes.insert(
            n.id.clone(),
            Note {
                id: n.id,
                date: d,
                interviewee: n.interviewee,
                persona: n.persona,
                activities: n.activities,
                title: n.title,
                body: n.body,
                tags: n.tags,
            },
        );
    }
    for (i, o) in doc.opportunities.into_iter().enumerate() {
        let at = format!("opportunities[{i}] ({:?})", o.title);
        pr.check_id(&o.id, &at);
        let kind = pr.get(
            &at,
            by_label(&OpportunityKind::ALL, OpportunityKind::label, &o.kind)
                .ok_or_else(|| format!("unknown kind {:?} (need, pain or gain)", o.kind)),
        );
        let status = pr.get(
            &at,
            by_label(&Status::ALL, Status::label, &o.status)
                .ok_or_else(|| format!("unknown status {:?}", o.status)),
        );
        let horizon = o.horizon.as_deref().and_then(|h| {
            pr.get(
                &at,
                by_label(&Horizon::ALL, Horizon::label, h)
                    .ok_or_else(|| format!("unknown horizon {h:?} (now, next or later)")),
            )
        });
        let manual_score = o.manual_score.and_then(|s| pr.get(&at, s.f64()));
        ws.opportunities.push(Opportunity {
            id: o.id,
            title: o.title,
            kind: kind.unwrap_or_default(),
            description: o.description,
            status: status.unwrap_or_default(),
            horizon,
            activities: o.activities,
            personas: o.personas,
            evidence: o
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    note: e.note,
                    quote: e.quote,
                })
                .collect(),
            manual_score,
        });
    }
    for (i, m) in doc.metrics.into_iter().enumerate() {
        let at = format!("metrics[{i}] ({:?})", m.name);
        pr.check_id(&m.id, &at);
        let kind = pr.get(
            &at,
            match m.kind.trim() {
                "quantitative" => Ok(MetricKind::Quantitative),
                "qualitative" => Ok(MetricKind::Qualitative),
                k => Err(format!("unknown kind {k:?} (quantitative or qualitative)")),
            },
        );
        let direction = pr.get(
            &at,
            match m.direction.trim() {
                "higher-is-better" => Ok(Direction::HigherIsBetter),
                "lower-is-better" => Ok(Direction::LowerIsBetter),
                d => Err(format!(
                    "unknown direction {d:?} (higher-is-better or lower-is-better)"
                )),
            },
        );
        let baseline = m.baseline.and_then(|v| pr.get(&at, v.f64()));
        let target = m.target.and_then(|v| pr.get(&at, v.f64()));
        let mut observations = Vec::new();
        for (j, o) in m.observations.into_iter().enumerate() {
            let oat = format!("{at}.observations[{j}]");
            let d = pr.get(&oat, date(&o.date));
            let v = pr.get(
                &oat,
                o.value
                    .ok_or_else(|| "has no value".to_string())
                    .and_then(|v| v.f64()),
            );
            if let (Some(date), Some(value)) = (d, v) {
                observations.push(Observation {
                    date,
                    value,
                    comment: o.comment,
                });
            }
        }
        ws.metrics.push(Metric {
            id: m.id,
            name: m.name,
            kind: kind.unwrap_or_default(),
            unit: m.unit,
            description: m.description,
            activity: m.activity,
            opportunity: m.opportunity,
            baseline,
            target,
            direction: direction.unwrap_or_default(),
            observations,
        });
    }
    if !pr.list.is_empty() {
        return Err(ImportError { problems: pr.list });
    }
    ws.normalize();
    Ok(ws)
}

/// What kind of entity uses each id of a workspace.
fn kinds_by_id(ws: &Workspace) -> HashMap<Id, &'static str> {
    let mut m = HashMap::new();
    for p in &ws.phases {
        m.insert(p.id.clone(), "phase");
    }
    for (_, a) in ws.activities() {
        m.insert(a.id.clone(), "activity");
    }
    for p in &ws.personas {
        m.insert(p.id.clone(), "persona");
    }
    for id in ws.notes.keys() {
        m.insert(id.clone(), "note");
    }
    for o in &ws.opportunities {
        m.insert(o.id.clone(), "opportunity");
    }
    for x in &ws.metrics {
        m.insert(x.id.clone(), "metric");
    }
    m
}

/// Imports the whole of `src` (a workspace of its own, e.g. read from an
/// export) into `ws`, keeping ids: see the module documentation.
pub fn merge_workspace(ws: &Workspace, src: Workspace) -> Result<Plan, ImportError> {
    let mut plan = Plan::new(ws);
    if is_empty_workspace(ws) {
        let out = &mut plan.workspace;
        if !ws.phases.is_empty() && ws.phases != src.phases {
            plan.notices.push(format!(
                "the workspace was empty: its {} empty phase(s) are replaced by the export's phases",
                ws.phases.len()
            ));
        }
        out.name = src.name.clone();
        out.description = src.description.clone();
        out.phases = src.phases.clone();
        if out.name != ws.name || out.description != ws.description || out.phases != ws.phases {
            plan.files.insert(FileKey::Workspace);
        }
    } else if src.name != ws.name {
        plan.notices.push(format!(
            "the workspace keeps its name {:?} (the export's is {:?})",
            ws.name, src.name
        ));
    }
    let replaced = is_empty_workspace(ws);
    let kinds = kinds_by_id(ws);
    let mut problems = Vec::new();
    // An id the workspace already uses: the same kind is skipped, another
    // kind is an error.
    let mut taken = |id: &Id, kind: &'static str, label: &str| match kinds.get(id) {
        Some(k) if *k == kind => true,
        Some(k) => {
            let a = if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            problems.push(format!(
                "{kind} {label} has id {id}, which the workspace uses for {a} {k}"
            ));
            true
        }
        None => false,
    };

    for p in &src.phases {
        let label = format!("{:?}", p.name);
        if replaced {
            if ws.phase(&p.id) == Some(p) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Phase(p.id.clone()),
                    label: p.name.clone(),
                    identical: true,
                });
            } else {
                plan.created.push(EntityRef::Phase(p.id.clone()));
            }
            for a in &p.activities {
                plan.created.push(EntityRef::Activity(a.id.clone()));
            }
            continue;
        }
        let phase_there = taken(&p.id, "phase", &label);
        if phase_there && let Some(have) = ws.phase(&p.id) {
            plan.skipped.push(Skipped {
                entity: EntityRef::Phase(p.id.clone()),
                label: p.name.clone(),
                identical: have.name == p.name && have.description == p.description,
            });
        }
        let mut new_acts = Vec::new();
        for a in &p.activities {
            if taken(&a.id, "activity", &format!("{:?}", a.name)) {
                if let Some(have) = ws.activity(&a.id) {
                    plan.skipped.push(Skipped {
                        entity: EntityRef::Activity(a.id.clone()),
                        label: a.name.clone(),
                        identical: have == a,
                    });
                }
            } else {
                new_acts.push(a.clone());
            }
        }
        let out = &mut plan.workspace;
        if phase_there {
            if let Some(pi) = out.phase_index(&p.id) {
                for a in new_acts {
                    plan.created.push(EntityRef::Activity(a.id.clone()));
                    out.phases[pi].activities.push(a);
                }
            }
        } else {
            plan.created.push(EntityRef::Phase(p.id.clone()));
            for a in &new_acts {
                plan.created.push(EntityRef::Activity(a.id.clone()));
            }
            out.phases.push(Phase {
                activities: new_acts,
                ..p.clone()
            });
        }
        if plan
            .created
            .iter()
            .any(|e| FileKey::of(e) == FileKey::Workspace)
        {
            plan.files.insert(FileKey::Workspace);
        }
    }
    for p in &src.personas {
        if taken(&p.id, "persona", &format!("{:?}", p.name)) {
            if let Some(have) = ws.persona(&p.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Persona(p.id.clone()),
                    label: p.name.clone(),
                    identical: have == p,
                });
            }
        } else {
            plan.workspace.personas.push(p.clone());
            plan.create(EntityRef::Persona(p.id.clone()));
        }
    }
    for x in &src.perspectives {
        let e = EntityRef::Perspective {
            persona: x.persona.clone(),
            activity: x.activity.clone(),
        };
        if let Some(have) = ws.perspective(&x.persona, &x.activity) {
            plan.skipped.push(Skipped {
                entity: e,
                label: format!(
                    "{} × {}",
                    src.persona(&x.persona)
                        .map_or(x.persona.as_str(), |p| &p.name),
                    src.activity(&x.activity)
                        .map_or(x.activity.as_str(), |a| &a.name)
                ),
                identical: have == x,
            });
        } else {
            plan.workspace
                .set_perspective(&x.persona, &x.activity, Some(x.clone()));
            plan.create(e);
        }
    }
    for n in src.notes.values() {
        let label = format!("{} \"{}\"", n.date, n.title);
        if taken(&n.id, "note", &label) {
            if let Some(have) = ws.notes.get(&n.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Note(n.id.clone()),
                    label,
                    identical: have == n,
                });
            }
        } else {
            plan.workspace.notes.insert(n.id.clone(), n.clone());
            plan.create(EntityRef::Note(n.id.clone()));
        }
    }
    for o in &src.opportunities {
        if taken(&o.id, "opportunity", &format!("{:?}", o.title)) {
            if let Some(have) = ws.opportunity(&o.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Opportunity(o.id.clone()),
                    label: o.title.clone(),
                    identical: have == o,
                });
            }
        } else {
            let out = &mut plan.workspace;
            let index = out.opportunity_insert_index(&o.id);
            out.opportunities.insert(index, o.clone());
            plan.create(EntityRef::Opportunity(o.id.clone()));
        }
    }
    for m in &src.metrics {
        if taken(&m.id, "metric", &format!("{:?}", m.name)) {
            if let Some(have) = ws.metric(&m.id) {
                plan.skipped.push(Skipped {
                    entity: EntityRef::Metric(m.id.clone()),
                    label: m.name.clone(),
                    identical: have == m,
                });
            }
        } else {
            let out = &mut plan.workspace;
            let index = out.metric_insert_index(&m.name);
            out.metrics.insert(index, m.clone());
            plan.create(EntityRef::Metric(m.id.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    plan.workspace.normalize();
    plan.checked(ws)
}

// ------------------------------------------------------------------ notes

/// A field of an interview note that a CSV column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteField {
    /// The note in the capture line syntax (its first line is the title).
    Body,
    /// The title; put in front of the body when the body does not start with it.
    Title,
    Interviewee,
    /// A persona's id, name or unique name prefix.
    Persona,
    /// YYYY-MM-DD.
    Date,
    /// Activities (ids, names or unique prefixes), separated by `,` or `;`.
    Activities,
    /// Tags, separated by `,` or `;` (`#a #b` is two tags; a leading `#` is dropped).
    Tags,
}

impl NoteField {
    pub const ALL: [NoteField; 7] = [
        NoteField::Body,
        NoteField::Title,
        NoteField::Interviewee,
        NoteField::Persona,
        NoteField::Date,
        NoteField::Activities,
        NoteField::Tags,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NoteField::Body => "body",
            NoteField::Title => "title",
            NoteField::Interviewee => "interviewee",
            NoteField::Persona => "persona",
            NoteField::Date => "date",
            NoteField::Activities => "activities",
            NoteField::Tags => "tags",
        }
    }
}

impl fmt::Display for NoteField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for NoteField {
    type Err = String;

    /// A field by name, without case; `activity` and `tag` are accepted too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_lowercase();
        let s = match s.as_str() {
            "activity" => "activities",
            "tag" => "tags",
            s => s,
        };
        NoteField::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "no note field {s:?}; fields: {}",
                    NoteField::ALL.map(NoteField::name).join(", ")
                )
            })
    }
}

/// Reads `COLUMN=FIELD` (as given to `--map`).
pub fn parse_mapping(s: &str) -> Result<(String, NoteField), String> {
    let (col, field) = s
        .rsplit_once('=')
        .ok_or_else(|| "use COLUMN=FIELD, e.g. \"Notes=body\"".to_string())?;
    if col.trim().is_empty() {
        return Err("the column name is missing: use COLUMN=FIELD".into());
    }
    Ok((col.trim().to_string(), field.parse()?))
}

/// Finds an activity the way `valuemap note add` does (id, name without
/// case, unique prefix of the name); the error says what matched.
pub fn resolve_activity_id(ws: &Workspace, name: &str) -> Result<Id, String> {
    match capture::resolve_activity(ws, name) {
        Resolved::Activity(a) => Ok(a.id.clone()),
        Resolved::Unknown => Err(format!(
            "no activity matches \"{name}\"; activities: {}",
            ws.activities()
                .map(|(_, a)| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Resolved::Ambiguous(names) => Err(format!(
            "\"{name}\" matches several activities: {}",
            names.join(", ")
        )),
    }
}

/// Turns every pain and need of a note into a new opportunity, with its line
/// as evidence, linked to the note's activities and persona (what
/// `valuemap note add --accept` does). Returns the new opportunities' ids.
pub fn accept_suggestions(ws: &mut Workspace, note: &Id) -> Result<Vec<Id>, String> {
    let n = ws
        .notes
        .get(note)
        .ok_or_else(|| format!("note {note} not found"))?;
    let activities = n.activities.clone();
    let personas: Vec<Id> = n.persona.iter().cloned().collect();
    let suggestions = capture::parse(&n.body).suggestions();
    let mut out = Vec::new();
    for s in suggestions {
        let mut o = Opportunity::new(ws.fresh_id(), s.title, s.kind);
        o.activities.clone_from(&activities);
        o.personas = personas.clone();
        o.evidence.push(Evidence {
            note: note.clone(),
            quote: s.line,
        });
        out.push(o.id.clone());
        let index = ws.opportunity_insert_index(&o.id);
        edit::apply(
            ws,
            Edit::InsertOpportunity {
                index,
                opportunity: o,
            },
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A value read from a source, with where it was read (for messages).
#[derive(Clone, Debug)]
struct At<T> {
    value: T,
    at: String,
}

/// One interview note as read from a Markdown file or a CSV row, before
/// its persona and activities are resolved.
#[derive(Clone, Debug, Default)]
struct Draft {
    /// The file (and row) it comes from.
    origin: String,
    title: Option<At<String>>,
    body: String,
    interviewee: String,
    persona: Option<At<String>>,
    date: NaiveDate,
    activities: Vec<At<String>>,
    tags: Vec<String>,
}

/// The body with Windows line ends and leading blank lines gone, the end
/// trimmed, and a Markdown heading marker (`# `, `## `...) taken off its
/// first line, so the first line is the title as in the capture syntax.
fn clean_body(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let mut lines: Vec<&str> = body.split('\n').collect();
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    let mut out = lines.join("\n");
    let trimmed_start = out.len() - out.trim_start().len();
    let t = &out[trimmed_start..];
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes)
        && t[hashes..].starts_with([' ', '\t'])
        && !t[hashes..].lines().next().unwrap_or("").trim().is_empty()
    {
        let rest = t[hashes..].trim_start_matches([' ', '\t']).to_string();
        out = rest;
    }
    out.trim_end().to_string()
}

/// The note's title and body: the title given (if any) goes in front of
/// the body unless the body already starts with it.
fn compose(title: Option<&str>, body: &str) -> (String, String) {
    let mut body = clean_body(body);
    if let Some(t) = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        && capture::parse(&body).title() != t
    {
        body = if body.is_empty() {
            t
        } else {
            format!("{t}\n{body}")
        };
    }
    (capture::parse(&body).title(), body)
}

/// Adds the notes drafted from a source to the plan, resolving personas and
/// activities in the workspace; every problem is collected.
fn add_drafts(
    ws: &Workspace,
    drafts: Vec<Draft>,
    accept: bool,
    mut plan: Plan,
    mut problems: Vec<String>,
) -> Result<Plan, ImportError> {
    // Notes already there, by what they say (so an import run twice adds
    // nothing the second time).
    let key = |n: &Note| {
        (
            n.date,
            n.interviewee.clone(),
            n.persona.clone(),
            n.body.clone(),
        )
    };
    let mut known: HashMap<_, Id> = ws.notes.values().map(|n| (key(n), n.id.clone())).collect();
    for d in drafts {
        let (title, body) = compose(d.title.as_ref().map(|t| t.value.as_str()), &d.body);
        if title.is_empty() {
            problems.push(format!(
                "{}: the note is empty (its first line is its title)",
                d.origin
            ));
            continue;
        }
        let mut ok = true;
        let persona = match &d.persona {
            Some(p) if !p.value.trim().is_empty() => {
                match capture::resolve_persona(ws, p.value.trim()) {
                    Ok(x) => Some(x.id.clone()),
                    Err(e) => {
                        problems.push(format!("{}: {e}", p.at));
                        ok = false;
                        None
                    }
                }
            }
            _ => None,
        };
        let mut activities: Vec<Id> = Vec::new();
        for a in &d.activities {
            match resolve_activity_id(ws, a.value.trim()) {
                Ok(id) => {
                    if !activities.contains(&id) {
                        activities.push(id);
                    }
                }
                Err(e) => {
                    problems.push(format!("{}: {e}", a.at));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let parsed = capture::parse(&body);
        for m in parsed.mentions() {
            match capture::resolve_activity(ws, &m) {
                Resolved::Activity(x) => {
                    if !activities.contains(&x.id) {
                        activities.push(x.id.clone());
                    }
                }
                _ => plan.notices.push(format!(
                    "{}: @{m} matches no single activity and was left as text",
                    d.origin
                )),
            }
        }
        let mut tags = Vec::new();
        capture::merge_tags(&mut tags, d.tags.iter().cloned());
        capture::merge_tags(&mut tags, parsed.tags());
        let out = &mut plan.workspace;
        let id = out.fresh_id();
        let note = Note {
            id: id.clone(),
            date: d.date,
            interviewee: d.interviewee.trim().to_string(),
            persona,
            activities,
            title,
            body,
            tags,
        };
        if let Some(same) = known.get(&key(&note)) {
            plan.skipped.push(Skipped {
                entity: EntityRef::Note(same.clone()),
                label: format!("{} \"{}\" ({})", note.date, note.title, d.origin),
                identical: true,
            });
            continue;
        }
        known.insert(key(&note), id.clone());
        if let Err(e) = edit::apply(
            out,
            Edit::PutNote {
                id: id.clone(),
                note: Some(note),
            },
        ) {
            problems.push(format!("{}: {e}", d.origin));
            continue;
        }
        plan.create(EntityRef::Note(id.clone()));
        if accept {
            match accept_suggestions(&mut plan.workspace, &id) {
                Ok(ids) => {
                    for o in ids {
                        plan.create(EntityRef::Opportunity(o));
                    }
                }
                Err(e) => problems.push(format!("{}: {e}", d.origin)),
            }
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    plan.checked(ws)
}

/// The day a file was last changed, in local time.
fn mtime_date(path: &Path) -> Result<NaiveDate, String> {
    let t = fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(chrono::DateTime::<chrono::Local>::from(t).date_naive())
}

/// Splits a list value: `a, b`, `[a, b]`, with quotes around items dropped.
fn list(value: &str, seps: &[char]) -> Vec<String> {
    let v = value.trim();
    let v = v
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(v);
    v.split(seps)
        .map(unquote)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Tags separated by `,`, `;` or line breaks (a tag may hold blanks);
/// `#a #b` is two tags.
fn tag_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in list(value, &[',', ';', '\n']) {
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|w| w.starts_with('#')) {
            out.extend(words.into_iter().map(str::to_string));
        } else {
            out.push(t);
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q))
            && s.len() >= 2
        {
            return inner.trim();
        }
    }
    s
}

const FRONT_MATTER_KEYS: &str = "interviewee, persona, date, activities, tags, title";

/// Reads one Markdown note: optional front matter between `---` lines, then
/// the body in the capture syntax. Problems go to `problems`; the note is
/// still given (so its persona and activities are checked too) unless the
/// file cannot be read as a note at all.
fn markdown_draft(path: &Path, text: &str, problems: &mut Vec<String>) -> Option<Draft> {
    let file = path.display().to_string();
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut draft = Draft {
        origin: file.clone(),
        ..Draft::default()
    };
    let mut date_given = None;
    let body_start = if lines.first().map(|l| l.trim_end()) == Some("---") {
        let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
            .map(|i| i + 1)
        else {
            problems.push(format!(
                "{file}:1: the front matter starts with --- but no line closes it with ---"
            ));
            return None;
        };
        let mut seen: HashSet<&'static str> = HashSet::new();
        // The list key whose `- item` lines follow.
        let mut open_list: Option<&'static str> = None;
        for (i, raw) in lines[1..end].iter().enumerate() {
            let line_no = i + 2;
            let at = format!("{file}:{line_no}");
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(item) = t.strip_prefix('-').filter(|_| open_list.is_some()) {
                let item = unquote(item).to_string();
                if item.is_empty() {
                    continue;
                }
                match open_list {
                    Some("activities") => draft.activities.push(At { value: item, at }),
                    _ => draft.tags.push(item),
                }
                continue;
            }
            open_list = None;
            let Some((k, v)) = t.split_once(':') else {
                problems.push(format!(
                    "{at}: expected `key: value` in the front matter (keys: {FRONT_MATTER_KEYS})"
                ));
                continue;
            };
            let key: &'static str = match k.trim().to_lowercase().as_str() {
                "interviewee" => "interviewee",
                "persona" => "persona",
                "date" => "date",
                "activities" | "activity" => "activities",
                "tags" | "tag" => "tags",
                "title" => "title",
                other => {
                    problems.push(format!(
                        "{at}: unknown front matter key {other:?} (keys: {FRONT_MATTER_KEYS})"
                    ));
                    continue;
                }
            };
            if !seen.insert(key) {
                problems.push(format!("{at}: {key} is given twice"));
                continue;
            }
            let value = v.trim();
            match key {
                "interviewee" => draft.interviewee = unquote(value).to_string(),
                "persona" => {
                    draft.persona = Some(At {
                        value: unquote(value).to_string(),
                        at,
                    });
                }
                "title" => {
                    draft.title = Some(At {
                        value: unquote(value).to_string(),
                        at,
                    });
                }
                "date" => match date(unquote(value)) {
                    Ok(d) => date_given = Some(d),
                    Err(e) => problems.push(format!("{at}: date: {e}")),
                },
                "activities" => {
                    if value.is_empty() {
                        open_list = Some("activities");
                    }
                    for a in list(value, &[',', ';']) {
                        draft.activities.push(At {
                            value: a,
                            at: at.clone(),
                        });
                    }
                }
                _ => {
                    if value.is_empty() {
                        open_list = Some("tags");
                    }
                    draft.tags.extend(tag_list(value));
                }
            }
        }
        end + 1
    } else {
        0
    };
    draft.date = match date_given {
        Some(d) => d,
        None => match mtime_date(path) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e);
                return None;
            }
        },
    };
    draft.body = lines.get(body_start..).unwrap_or_default().join("\n");
    Some(draft)
}

/// Imports Markdown interview notes: every `.md` file of the folder `source`
/// (not its subfolders), or the one file `source`.
pub fn markdown(ws: &Workspace, source: &Path, accept: bool) -> Result<Plan, ImportError> {
    let files: Vec<PathBuf> = if source.is_dir() {
        let entries = fs::read_dir(source)
            .map_err(|e| ImportError::one(format!("{}: {e}", source.display())))?;
        let mut v: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                p.is_file()
                    && name
                        .is_some_and(|n| !n.starts_with('.') && n.to_lowercase().ends_with(".md"))
            })
            .collect();
        v.sort();
        v
    } else if source.is_file() {
        vec![source.to_path_buf()]
    } else {
        return Err(ImportError::one(format!(
            "{}: no such folder",
            source.display()
        )));
    };
    if files.is_empty() {
        return Err(ImportError::one(format!(
            "{}: no .md files in it",
            source.display()
        )));
    }
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    for f in &files {
        let text = match read(f).and_then(|b| utf8(f, b)) {
            Ok(t) => t,
            Err(e) => {
                problems.extend(e.problems);
                continue;
            }
        };
        drafts.extend(markdown_draft(f, &text, &mut problems));
    }
    add_drafts(ws, drafts, accept, Plan::new(ws), problems)
}

/// Imports interview notes from a CSV table with a header row, one note per
/// row. `map` maps columns (by header) to note fields; a column whose
/// header is a field's name (`body`, `title`, `interviewee`, `persona`,
/// `date`, `activities`, `tags`, without case) maps to it unless `map` maps
/// that field. An empty date is the file's last change. Rows count as in a
/// spreadsheet: the header is row 1.
pub fn csv(
    ws: &Workspace,
    source: &Path,
    map: &[(String, NoteField)],
    accept: bool,
) -> Result<Plan, ImportError> {
    let file = source.display().to_string();
    let bytes = read(source)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let csv_err = |e: ::csv::Error| {
        let row = e.position().map(|p| p.record() + 1);
        let msg = match e.kind() {
            ::csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("has {len} cell(s), the header has {expected_len}"),
            ::csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text ({err})"),
            _ => e.to_string(),
        };
        match row {
            Some(r) => format!("{file}: row {r}: {msg}"),
            None => format!("{file}: {msg}"),
        }
    };
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| ImportError::one(csv_err(e)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(ImportError::one(format!(
            "{file}: no header row (the first row names the columns)"
        )));
    }
    let mut problems = Vec::new();
    let mut plan = Plan::new(ws);
    let mut col_of: BTreeMap<NoteField, usize> = BTreeMap::new();
    let mut used: HashSet<usize> = HashSet::new();
    for (col, field) in map {
        let found = headers
            .iter()
            .position(|h| h == col)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(col)));
        let Some(i) = found else {
            problems.push(format!(
                "{file}: no column named {col:?} (--map {col}={field}); columns: {}",
                headers.join(", ")
            ));
            continue;
        };
        if col_of.contains_key(field) {
            problems.push(format!("{file}: two columns are mapped to {field}"));
        } else if !used.insert(i) {
            problems.push(format!("{file}: column {col:?} is mapped to two fields"));
        } else {
            col_of.insert(*field, i);
        }
    }
    for (i, h) in headers.iter().enumerate() {
        if used.contains(&i) {
            continue;
        }
        match h.parse::<NoteField>() {
            Ok(f) if !col_of.contains_key(&f) => {
                col_of.insert(f, i);
                used.insert(i);
            }
            _ => plan.notices.push(format!(
                "{file}: column {h:?} is not imported (map it with --map '{h}=FIELD')"
            )),
        }
    }
    if !col_of.contains_key(&NoteField::Body) && !col_of.contains_key(&NoteField::Title) {
        problems.push(format!(
            "{file}: no column holds the notes: name one \"body\" (or \"title\"), or map one with --map COLUMN=body; columns: {}",
            headers.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    let default_date = mtime_date(source).map_err(ImportError::one)?;
    let mut drafts = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_err(e));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = rec.position().map_or(0, |p| p.record() + 1);
        let origin = format!("{file}: row {row}");
        let cell = |f: NoteField| -> Option<At<String>> {
            col_of.get(&f).and_then(|&i| {
                rec.get(i).map(|v| At {
                    value: v.to_string(),
                    at: format!("{origin}, column {:?}", headers[i]),
                })
            })
        };
        let mut d = Draft {
            origin: origin.clone(),
            title: cell(NoteField::Title),
            body: cell(NoteField::Body).map(|c| c.value).unwrap_or_default(),
            interviewee: cell(NoteField::Interviewee)
                .map(|c| c.value)
                .unwrap_or_default(),
            persona: cell(NoteField::Persona),
            date: default_date,
            activities: Vec::new(),
            tags: cell(NoteField::Tags)
                .map(|c| tag_list(&c.value))
                .unwrap_or_default(),
        };
        if let Some(a) = cell(NoteField::Activities) {
            for name in list(&a.value, &[',', ';', '\n']) {
                d.activities.push(At {
                    value: name,
                    at: a.at.clone(),
                });
            }
        }
        if let Some(c) = cell(NoteField::Date).filter(|c| !c.value.trim().is_empty()) {
            match date(&c.value) {
                Ok(x) => d.date = x,
                Err(e) => {
                    problems.push(format!("{}: {e}", c.at));
                    continue;
                }
            }
        }
        drafts.push(d);
    }
    if drafts.is_empty() && problems.is_empty() {
        problems.push(format!("{file}: no rows below the header"));
    }
    add_drafts(ws, drafts, accept, plan, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_lose_heading_markers_and_gain_titles() {
        assert_eq!(
            compose(None, "\n\n# Slow clusters\n! pain\n"),
            ("Slow clusters".into(), "Slow clusters\n! pain".into())
        );
        assert_eq!(
            compose(None, "#tag first\ntext"),
            ("#tag first".into(), "#tag first\ntext".into())
        );
        assert_eq!(
            compose(Some("Title"), "> quote"),
            ("Title".into(), "Title\n> quote".into())
        );
        assert_eq!(
            compose(Some("Title"), "Title\n> quote"),
            ("Title".into(), "Title\n> quote".into())
        );
        assert_eq!(compose(Some(" "), ""), (String::new(), String::new()));
    }

    #[test]
    fn mappings_and_fields() {
        assert_eq!(
            parse_mapping("What they said=Body"),
            Ok(("What they said".into(), NoteField::Body))
        );
        assert_eq!(
            parse_mapping("a=b=activity"),
            Ok(("a=b".into(), NoteField::Activities))
        );
        assert!(parse_mapping("x").is_err());
        assert!(parse_mapping("=body").is_err());
        assert!(
            parse_mapping("x=colour")
                .unwrap_err()
                .contains("fields: body")
        );
    }

    #[test]
    fn lists() {
        assert_eq!(list("[a, 'b c', \"d\"]", &[',']), ["a", "b c", "d"]);
        assert_eq!(list("#x #y,z", &[',', ' ']), ["#x", "#y", "z"]);
        assert_eq!(
            tag_list("#x #y, cost control;\nslo"),
            ["#x", "#y", "cost control", "slo"]
        );
        assert!(list("", &[',']).is_empty());
    }
}
