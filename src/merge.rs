//! The semantic three-way merge of valuemap files, by id and field by field.
//!
//! Git calls `valuemap merge-driver %O %A %B %P` for the files of a
//! workspace (see `valuemap git-setup`). Entities are matched by id (a
//! perspective by its persona and activity), never by position: one side
//! renaming a persona while the other adds an activity is no conflict, nor is
//! adding entities on both sides. Lists of plain values (needs, pains, tags,
//! evidence, observations) merge as sets: what either side added is kept,
//! what either side removed goes. Only when both sides change the same field
//! of the same entity differently is there a true conflict: the result keeps
//! our value and records theirs in a [`Conflict`], so the file always parses,
//! `valuemap check` reports it, and the interface lets someone decide.
//!
//! A note's answered questions (`answered`) are keyed by their question:
//! each side's answers to different questions are all kept, and the answer
//! to one question is a field of that question, so two different answers
//! to it are a true conflict like any other field (named `answer to ? ...`).

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::validate::FileKind;
use crate::model::{Answer, Conflict, ConflictTarget, Id, Item, settle};
use crate::store::format::{
    self, ItemFile, ItemFileRef, MetricFile, MetricFileRef, MetricsFile, MetricsFileRef, NoteFile,
    NoteFileRef, OpportunitiesFile, OpportunitiesFileRef, OpportunityFile, OpportunityFileRef,
    WorkspaceFile, WorkspaceFileRef,
};

/// The result of merging one file.
#[derive(Debug)]
pub struct Merged {
    /// The merged file, in canonical form.
    pub text: String,
    /// True conflicts, recorded in the file.
    pub conflicts: Vec<Conflict>,
}

/// Why a merge could not be done (the driver then leaves the file to git).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{0}")]
    Parse(#[from] format::ParseError),
    #[error("{0}")]
    Other(String),
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, MergeError> {
    serde_json::to_value(v).map_err(|e| MergeError::Other(e.to_string()))
}

fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, MergeError> {
    serde_json::from_value(v).map_err(|e| MergeError::Other(format!("the merged file: {e}")))
}

/// The identity of a list element: its `id`, or a perspective's cell.
fn key(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    if let Some(Value::String(id)) = o.get("id") {
        return Some(id.clone());
    }
    match (o.get("persona"), o.get("activity")) {
        (Some(Value::String(p)), Some(Value::String(a))) => Some(format!("{p}\u{1f}{a}")),
        _ => None,
    }
}

/// What an element of a keyed list is, for conflict records.
fn target_of(list: &str, v: &Value) -> ConflictTarget {
    let o = v.as_object();
    let id = |k: &str| {
        o.and_then(|o| o.get(k))
            .and_then(Value::as_str)
            .map(Id::new)
            .unwrap_or_default()
    };
    match list {
        "phases" => ConflictTarget::Phase(id("id")),
        "activities" => ConflictTarget::Activity(id("id")),
        "personas" => ConflictTarget::Persona(id("id")),
        "perspectives" => ConflictTarget::Perspective {
            persona: id("persona"),
            activity: id("activity"),
        },
        "opportunities" => ConflictTarget::Opportunity(id("id")),
        "metrics" => ConflictTarget::Metric(id("id")),
        _ => ConflictTarget::Workspace,
    }
}

struct Merger {
    conflicts: Vec<Conflict>,
}

impl Merger {
    fn conflict(&mut self, target: &ConflictTarget, field: &str, ours: &Value, theirs: &Value) {
        self.conflicts.push(Conflict {
            target: target.clone(),
            field: field.to_string(),
            ours: ours.to_string(),
            theirs: theirs.to_string(),
        });
    }

    /// Merges the fields of an entity (or a file's top level).
    fn object(
        &mut self,
        target: &ConflictTarget,
        base: Option<&Map<String, Value>>,
        ours: &Map<String, Value>,
        theirs: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        let mut keys: Vec<&String> = ours.keys().collect();
        for k in theirs.keys() {
            if !ours.contains_key(k) {
                keys.push(k);
            }
        }
        for k in keys {
            let b = base.and_then(|b| b.get(k));
            let o = ours.get(k);
            let t = theirs.get(k);
            let merged = self.field(target, k, b, o, t);
            if let Some(v) = merged {
                out.insert(k.clone(), v);
            }
        }
        out
    }

    fn field(
        &mut self,
        target: &ConflictTarget,
        name: &str,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Option<Value> {
        if ours == theirs {
            return ours.cloned();
        }
        if base == ours {
            return theirs.cloned();
        }
        if base == theirs {
            return ours.cloned();
        }
        // Both changed it, differently.
        let null = Value::Null;
        match (ours.unwrap_or(&null), theirs.unwrap_or(&null)) {
            (Value::Array(o), Value::Array(t)) => {
                let b = base
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                Some(Value::Array(self.list(name, b, o, t)))
            }
            (Value::Object(o), Value::Object(t)) => {
                let b = base.and_then(Value::as_object);
                Some(Value::Object(self.object(target, b, o, t)))
            }
            (o, t) => {
                self.conflict(target, name, o, t);
                ours.cloned()
            }
        }
    }

    /// Merges a list: by identity when its elements have one, as a set
    /// otherwise.
    fn list(&mut self, name: &str, base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
        let keyed = ours
            .iter()
            .chain(theirs)
            .chain(base)
            .all(|v| key(v).is_some())
            && !(ours.is_empty() && theirs.is_empty());
        if !keyed {
            return set_merge(base, ours, theirs);
        }
        let find =
            |list: &[Value], k: &str| list.iter().find(|v| key(v).as_deref() == Some(k)).cloned();
        let mut out: Vec<Value> = Vec::new();
        // Ours, in our order: kept, merged, or removed.
        for o in ours {
            let k = key(o).unwrap_or_default();
            let b = find(base, &k);
            let t = find(theirs, &k);
            match (b, t) {
                (_, Some(t)) => {
                    let tgt = target_of(name, o);
                    let merged = match (b_obj(&find(base, &k)), o.as_object(), t.as_object()) {
                        (b, Some(oo), Some(tt)) => {
                            Value::Object(self.object(&tgt, b.as_ref(), oo, tt))
                        }
                        _ => o.clone(),
                    };
                    out.push(merged);
                }
                (Some(b), None) => {
                    // They removed it: gone, unless we changed it.
                    if *o != b {
                        let tgt = target_of(name, o);
                        self.conflict(&tgt, "(removed by the other branch)", o, &Value::Null);
                        out.push(o.clone());
                    }
                }
                (None, None) => out.push(o.clone()), // we added it
            }
        }
        // Theirs that we do not have: added by them (placed after their
        // predecessor), or removed by us (gone, unless they changed it).
        for (i, t) in theirs.iter().enumerate() {
            let k = key(t).unwrap_or_default();
            if find(ours, &k).is_some() {
                continue;
            }
            match find(base, &k) {
                Some(b) => {
                    if *t != b {
                        let tgt = target_of(name, t);
                        self.conflict(&tgt, "(removed by this branch)", &Value::Null, t);
                    }
                }
                None => {
                    let after = theirs[..i].iter().rev().find_map(|p| {
                        let pk = key(p)?;
                        out.iter()
                            .position(|x| key(x).as_deref() == Some(pk.as_str()))
                    });
                    match after {
                        Some(pos) => out.insert(pos + 1, t.clone()),
                        None => out.insert(0, t.clone()),
                    }
                }
            }
        }
        out
    }
}

impl Merger {
    /// A note's answered questions, merged question by question: an
    /// answer one side gave, changed or took back is kept as that side
    /// left it; both sides answering the same question alike is one answer.
    /// The same question answered differently (or answered anew on one
    /// side and opened again on the other) is a true conflict: ours is
    /// kept, theirs recorded under the field `answer to ? ...`
    /// ([`settle::answer_field`]), which `take_theirs` settles for that
    /// question alone. The result is in the note's order: by question.
    fn answers(
        &mut self,
        target: &ConflictTarget,
        base: &[Answer],
        ours: &[Answer],
        theirs: &[Answer],
    ) -> Result<Vec<Answer>, MergeError> {
        let find = |l: &'_ [Answer], q: &str| l.iter().find(|a| a.question == q).cloned();
        let mut questions: Vec<&str> = base
            .iter()
            .chain(ours)
            .chain(theirs)
            .map(|a| a.question.as_str())
            .collect();
        questions.sort_unstable();
        questions.dedup();
        let mut out = Vec::new();
        for q in questions {
            let (b, o, t) = (find(base, q), find(ours, q), find(theirs, q));
            let kept = if o == t || b == t {
                o
            } else if b == o {
                t
            } else {
                let value = |a: &Option<Answer>| {
                    a.as_ref()
                        .map(settle::answer_value)
                        .transpose()
                        .map(|v| v.unwrap_or(Value::Null))
                        .map_err(MergeError::Other)
                };
                let (ov, tv) = (value(&o)?, value(&t)?);
                self.conflict(target, &settle::answer_field(q), &ov, &tv);
                o
            };
            out.extend(kept);
        }
        out.sort();
        Ok(out)
    }
}

fn b_obj(v: &Option<Value>) -> Option<Map<String, Value>> {
    v.as_ref().and_then(Value::as_object).cloned()
}

/// A three-way merge of a list of plain values: ours, plus what they added,
/// minus what they removed.
fn set_merge(base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = ours
        .iter()
        .filter(|o| !base.contains(o) || theirs.contains(o))
        .cloned()
        .collect();
    for t in theirs {
        if !base.contains(t) && !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// Merges two versions of a file's top level, recording conflicts.
fn merge_values(base: Option<&Value>, ours: &Value, theirs: &Value) -> (Value, Vec<Conflict>) {
    let mut m = Merger {
        conflicts: Vec::new(),
    };
    let empty = Map::new();
    let merged = m.object(
        &ConflictTarget::Workspace,
        base.and_then(Value::as_object),
        ours.as_object().unwrap_or(&empty),
        theirs.as_object().unwrap_or(&empty),
    );
    (Value::Object(merged), m.conflicts)
}

/// Reads one version of a file (an empty or missing version is `None`).
fn read<T: DeserializeOwned>(path: &Path, text: Option<&str>) -> Result<Option<T>, MergeError> {
    match text {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => Ok(Some(format::parse(path, t)?)),
    }
}

/// Conflict records already in a file, plus the new ones, without repeats.
fn all_conflicts(mut old: Vec<Conflict>, new: Vec<Conflict>) -> Vec<Conflict> {
    for c in new {
        if !old.contains(&c) {
            old.push(c);
        }
    }
    old.sort();
    old
}

/// Merges three versions of a valuemap file. `path` names the file (for its
/// kind and for messages); `base` is `None` when the file is new on both
/// sides.
pub fn merge_file(
    path: &Path,
    base: Option<&str>,
    ours: &str,
    theirs: &str,
) -> Result<Merged, MergeError> {
    let kind = FileKind::of_path(path)
        .ok_or_else(|| MergeError::Other(format!("{} is not a valuemap file", path.display())))?;
    let base = base.map(|b| b.strip_prefix('\u{feff}').unwrap_or(b));
    let ours = ours.strip_prefix('\u{feff}').unwrap_or(ours);
    let theirs = theirs.strip_prefix('\u{feff}').unwrap_or(theirs);
    match kind {
        FileKind::Workspace => {
            let parse = |t: Option<&str>| -> Result<Option<WorkspaceFile>, MergeError> {
                match t {
                    None => Ok(None),
                    Some(t) if t.trim().is_empty() => Ok(None),
                    Some(t) => match format::parse_workspace(path, t)? {
                        Ok((f, _)) => Ok(Some(f)),
                        Err(newer) => Err(MergeError::Other(format!(
                            "{}: format version {} is newer than this valuemap understands",
                            path.display(),
                            newer.found
                        ))),
                    },
                }
            };
            let b = parse(base)?;
            let o = parse(Some(ours))?
                .ok_or_else(|| MergeError::Other("our version is empty".into()))?;
            let t = parse(Some(theirs))?
                .ok_or_else(|| MergeError::Other("their version is empty".into()))?;
            let (mut merged, new) = merge_top(b.as_ref().map(ws_view), &ws_view(&o), &ws_view(&t))?;
            if let Some(obj) = merged.as_object_mut() {
                obj.remove("conflicts");
            }
            let mut f: WorkspaceFile = from_value(merged)?;
            f.conflicts = all_conflicts(union(&o.conflicts, &t.conflicts), new);
            f.perspectives
                .sort_by(|a, b| (&a.persona, &a.activity).cmp(&(&b.persona, &b.activity)));
            let text = format::to_ron(&WorkspaceFileRef {
                version: format::FORMAT_VERSION,
                name: &f.name,
                description: &f.description,
                phases: &f.phases,
                personas: &f.personas,
                perspectives: &f.perspectives,
                conflicts: f.conflicts.iter().collect(),
            });
            Ok(Merged {
                text,
                conflicts: f.conflicts.clone(),
            })
        }
        FileKind::Opportunities => {
            let b: Option<OpportunitiesFile> = read(path, base)?;
            let o: OpportunitiesFile =
                read(path, Some(ours))?.unwrap_or(OpportunitiesFile::empty());
            let t: OpportunitiesFile =
                read(path, Some(theirs))?.unwrap_or(OpportunitiesFile::empty());
            let view =
                |f: &OpportunitiesFile| serde_json::json!({ "opportunities": f.opportunities });
            let (merged, new) = merge_top(b.as_ref().map(view), &view(&o), &view(&t))?;
            let mut f: OpportunitiesFile = from_value(merged)?;
            f.conflicts = all_conflicts(union(&o.conflicts, &t.conflicts), new);
            let mut list: Vec<_> = f.opportunities.iter().collect();
            list.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(Merged {
                text: format::to_ron(&OpportunitiesFileRef {
                    opportunities: list,
                    conflicts: f.conflicts.iter().collect(),
                }),
                conflicts: f.conflicts.clone(),
            })
        }
        FileKind::Metrics => {
            let b: Option<MetricsFile> = read(path, base)?;
            let o: MetricsFile = read(path, Some(ours))?.unwrap_or(MetricsFile::empty());
            let t: MetricsFile = read(path, Some(theirs))?.unwrap_or(MetricsFile::empty());
            let view = |f: &MetricsFile| serde_json::json!({ "metrics": f.metrics });
            let (merged, new) = merge_top(b.as_ref().map(view), &view(&o), &view(&t))?;
            let mut f: MetricsFile = from_value(merged)?;
            f.conflicts = all_conflicts(union(&o.conflicts, &t.conflicts), new);
            for m in &mut f.metrics {
                m.observations.sort_by_key(|x| x.date);
            }
            let mut list: Vec<_> = f.metrics.iter().collect();
            list.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(Merged {
                text: format::to_ron(&MetricsFileRef {
                    metrics: list,
                    conflicts: f.conflicts.iter().collect(),
                }),
                conflicts: f.conflicts.clone(),
            })
        }
        FileKind::Note => {
            let b: Option<NoteFile> = read(path, base)?;
            let o: NoteFile = read(path, Some(ours))?
                .ok_or_else(|| MergeError::Other("our version is empty".into()))?;
            let t: NoteFile = read(path, Some(theirs))?
                .ok_or_else(|| MergeError::Other("their version is empty".into()))?;
            let (bn, _) = match b {
                Some(b) => {
                    let (n, c) = b.split();
                    (Some(n), c)
                }
                None => (None, Vec::new()),
            };
            let (mut on, oc) = o.split();
            let (mut tn, tc) = t.split();
            let target = ConflictTarget::Note(on.id.clone());
            let mut m = Merger {
                conflicts: Vec::new(),
            };
            // Answers merge question by question, apart from the rest.
            let mut bn = bn;
            let ba = bn
                .as_mut()
                .map(|n| std::mem::take(&mut n.answered))
                .unwrap_or_default();
            let (oa, ta) = (
                std::mem::take(&mut on.answered),
                std::mem::take(&mut tn.answered),
            );
            let answered = m.answers(&target, &ba, &oa, &ta)?;
            let bv = bn.as_ref().map(to_value).transpose()?;
            let ov = to_value(&on)?;
            let tv = to_value(&tn)?;
            let merged = m.object(
                &target,
                bv.as_ref().and_then(Value::as_object),
                ov.as_object()
                    .ok_or_else(|| MergeError::Other("not a note".into()))?,
                tv.as_object()
                    .ok_or_else(|| MergeError::Other("not a note".into()))?,
            );
            let mut note: crate::model::Note = from_value(Value::Object(merged))?;
            note.answered = answered.into();
            let conflicts = all_conflicts(union(&oc, &tc), m.conflicts);
            Ok(Merged {
                text: format::to_ron(&NoteFileRef::new(&note, conflicts.iter().collect())),
                conflicts,
            })
        }
        FileKind::Opportunity => {
            let split = |f: OpportunityFile| (f.opportunity, f.conflicts);
            let b = read::<OpportunityFile>(path, base)?.map(split);
            let o = split(
                read(path, Some(ours))?
                    .ok_or_else(|| MergeError::Other("our version is empty".into()))?,
            );
            let t = split(
                read(path, Some(theirs))?
                    .ok_or_else(|| MergeError::Other("their version is empty".into()))?,
            );
            let target = ConflictTarget::Opportunity(o.0.id.clone());
            let (opp, conflicts) = merge_entity(&target, b, o, t)?;
            Ok(Merged {
                text: format::to_ron(&OpportunityFileRef {
                    opportunity: &opp,
                    conflicts: conflicts.iter().collect(),
                }),
                conflicts,
            })
        }
        FileKind::Metric => {
            let split = |f: MetricFile| (f.metric, f.conflicts);
            let b = read::<MetricFile>(path, base)?.map(split);
            let o = split(
                read(path, Some(ours))?
                    .ok_or_else(|| MergeError::Other("our version is empty".into()))?,
            );
            let t = split(
                read(path, Some(theirs))?
                    .ok_or_else(|| MergeError::Other("their version is empty".into()))?,
            );
            let target = ConflictTarget::Metric(o.0.id.clone());
            let (mut metric, conflicts) = merge_entity(&target, b, o, t)?;
            metric.observations.sort_by_key(|x| x.date);
            Ok(Merged {
                text: format::to_ron(&MetricFileRef {
                    metric: &metric,
                    conflicts: conflicts.iter().collect(),
                }),
                conflicts,
            })
        }
        FileKind::Item(kind) => {
            let split = |f: ItemFile| f.split(Some(kind)).map_err(MergeError::Other);
            let b = read::<ItemFile>(path, base)?.map(split).transpose()?;
            let (oi, oc) = split(
                read(path, Some(ours))?
                    .ok_or_else(|| MergeError::Other("our version is empty".into()))?,
            )?;
            let (ti, tc) = split(
                read(path, Some(theirs))?
                    .ok_or_else(|| MergeError::Other("their version is empty".into()))?,
            )?;
            let target = ConflictTarget::Item(kind, oi.id().clone());
            let mut m = Merger {
                conflicts: Vec::new(),
            };
            let bv = b.as_ref().map(|(i, _)| i.to_json());
            let (ov, tv) = (oi.to_json(), ti.to_json());
            let not_item = || MergeError::Other(format!("not a {kind}"));
            let merged = m.object(
                &target,
                bv.as_ref().and_then(Value::as_object),
                ov.as_object().ok_or_else(not_item)?,
                tv.as_object().ok_or_else(not_item)?,
            );
            let item = Item::from_json(kind, Value::Object(merged)).ok_or_else(not_item)?;
            let conflicts = all_conflicts(union(&oc, &tc), m.conflicts);
            Ok(Merged {
                text: format::to_ron(&ItemFileRef::new(&item, conflicts.iter().collect())),
                conflicts,
            })
        }
    }
}

/// Merges one entity kept in a file of its own (an opportunity, a metric)
/// field by field, with the conflict records its versions carry.
fn merge_entity<T: Serialize + DeserializeOwned>(
    target: &ConflictTarget,
    base: Option<(T, Vec<Conflict>)>,
    ours: (T, Vec<Conflict>),
    theirs: (T, Vec<Conflict>),
) -> Result<(T, Vec<Conflict>), MergeError> {
    let mut m = Merger {
        conflicts: Vec::new(),
    };
    let bv = base.as_ref().map(|(b, _)| to_value(b)).transpose()?;
    let ov = to_value(&ours.0)?;
    let tv = to_value(&theirs.0)?;
    let not_one = || MergeError::Other("not a single entity".into());
    let merged = m.object(
        target,
        bv.as_ref().and_then(Value::as_object),
        ov.as_object().ok_or_else(not_one)?,
        tv.as_object().ok_or_else(not_one)?,
    );
    let entity: T = from_value(Value::Object(merged))?;
    Ok((
        entity,
        all_conflicts(union(&ours.1, &theirs.1), m.conflicts),
    ))
}

fn union(a: &[Conflict], b: &[Conflict]) -> Vec<Conflict> {
    let mut v = a.to_vec();
    for c in b {
        if !v.contains(c) {
            v.push(c.clone());
        }
    }
    v
}

/// The mergeable part of `workspace.ron` (its version is not merged: the
/// result is always written in the current format).
fn ws_view(f: &WorkspaceFile) -> Value {
    serde_json::json!({
        "version": format::FORMAT_VERSION,
        "name": f.name,
        "description": f.description,
        "phases": f.phases,
        "personas": f.personas,
        "perspectives": f.perspectives,
        "conflicts": Vec::<Conflict>::new(),
    })
}

fn merge_top(
    base: Option<Value>,
    ours: &Value,
    theirs: &Value,
) -> Result<(Value, Vec<Conflict>), MergeError> {
    Ok(merge_values(base.as_ref(), ours, theirs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, OpportunityKind, Persona, Role, Workspace};
    use crate::store::{Scope, Store};
    use crate::template::Template;

    fn k8s() -> Workspace {
        Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    }

    /// The text of each file of a workspace.
    fn files(ws: &Workspace) -> std::collections::BTreeMap<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let mut store = Store::create(&root, ws).unwrap();
        store.save(ws, &Scope::All, true).unwrap();
        let mut out = std::collections::BTreeMap::new();
        out.insert(
            "workspace.ron".to_string(),
            std::fs::read_to_string(root.join("workspace.ron")).unwrap(),
        );
        for folder in crate::store::ENTITY_DIRS {
            let Ok(rd) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for e in rd {
                let e = e.unwrap();
                out.insert(
                    format!("{folder}/{}", e.file_name().to_string_lossy()),
                    std::fs::read_to_string(e.path()).unwrap(),
                );
            }
        }
        out
    }

    /// The name of an opportunity's file.
    fn opp_file(id: &Id) -> String {
        crate::store::entity_rel(crate::store::OPPORTUNITIES_DIR, id)
            .display()
            .to_string()
    }

    /// The name of a metric's file.
    fn metric_file(id: &Id) -> String {
        crate::store::entity_rel(crate::store::METRICS_DIR, id)
            .display()
            .to_string()
    }

    fn merge(name: &str, b: &Workspace, o: &Workspace, t: &Workspace) -> Merged {
        let (b, o, t) = (files(b), files(o), files(t));
        merge_file(
            Path::new(name),
            b.get(name).map(String::as_str),
            &o[name],
            &t[name],
        )
        .unwrap()
    }

    fn persona(id: &str, name: &str) -> Persona {
        Persona {
            id: id.into(),
            name: name.into(),
            role: Role::Consumer,
            description: String::new(),
            jobs: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn independent_changes_merge_without_conflict() {
        let base = k8s();
        let mut ours = base.clone();
        ours.personas.push(persona("newp11", "SRE"));
        ours.phases[0].activities[0].name = "Create a cluster (self-service)".into();
        let mut theirs = base.clone();
        theirs.personas.push(persona("newp22", "Auditor"));
        theirs.personas[0].jobs.push("Sleep at night".into());
        let m = merge("workspace.ron", &base, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let (f, _) = format::parse_workspace(Path::new("w"), &m.text)
            .unwrap()
            .unwrap();
        let names: Vec<_> = f.personas.iter().map(|p| p.name.as_str()).collect();
        assert!(
            names.contains(&"SRE") && names.contains(&"Auditor"),
            "{names:?}"
        );
        assert_eq!(
            f.phases[0].activities[0].name,
            "Create a cluster (self-service)"
        );
        assert!(f.personas[0].jobs.contains(&"Sleep at night".to_string()));
    }

    #[test]
    fn a_true_conflict_keeps_ours_and_records_theirs() {
        let base = k8s();
        let mut ours = base.clone();
        ours.opportunities[0].status = crate::model::Status::Planned;
        let mut theirs = base.clone();
        theirs.opportunities[0].status = crate::model::Status::Invalidated;
        theirs.opportunities[0].title = "Renamed by them".into();
        let id = base.opportunities[0].id.clone();
        let m = merge(&opp_file(&id), &base, &ours, &theirs);
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        let c = &m.conflicts[0];
        assert_eq!(c.field, "status");
        assert_eq!(c.ours, "\"Planned\"");
        assert_eq!(c.theirs, "\"Invalidated\"");
        assert_eq!(c.target, ConflictTarget::Opportunity(id.clone()));
        // The file parses, with our value, their other change and the record.
        let f: OpportunityFile = format::parse(Path::new("o"), &m.text).unwrap();
        assert_eq!(f.opportunity.status, crate::model::Status::Planned);
        assert_eq!(f.opportunity.title, "Renamed by them");
        assert_eq!(f.conflicts.len(), 1);
    }

    #[test]
    fn format_version_1_lists_still_merge_by_id() {
        let base = k8s();
        let mut ours = base.clone();
        ours.opportunities[0].status = crate::model::Status::Planned;
        let mut theirs = base.clone();
        theirs.opportunities[0].status = crate::model::Status::Invalidated;
        theirs.opportunities[1].title = "Renamed by them".into();
        let list = |ws: &Workspace| {
            format::to_ron(&OpportunitiesFileRef {
                opportunities: ws.opportunities.iter().collect(),
                conflicts: Vec::new(),
            })
        };
        let m = merge_file(
            Path::new("opportunities.ron"),
            Some(&list(&base)),
            &list(&ours),
            &list(&theirs),
        )
        .unwrap();
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert_eq!(m.conflicts[0].field, "status");
        let f: OpportunitiesFile = format::parse(Path::new("o"), &m.text).unwrap();
        assert!(f.opportunities.iter().any(|o| o.title == "Renamed by them"));
    }

    #[test]
    fn evidence_and_observations_merge_as_sets() {
        let base = k8s();
        let note = base.notes.keys().next().unwrap().clone();
        // A recorded metric (a derived one's series is never in its file).
        let mi = base.metrics.iter().position(|m| !m.is_derived()).unwrap();
        let mut ours = base.clone();
        ours.opportunities[0].evidence.push(crate::model::Evidence {
            note: note.clone(),
            quote: "ours".into(),
        });
        ours.metrics[mi]
            .observations
            .push(crate::model::Observation {
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                value: 1.0,
                comment: String::new(),
            });
        let mut theirs = base.clone();
        theirs.opportunities[0]
            .evidence
            .push(crate::model::Evidence {
                note: note.clone(),
                quote: "theirs".into(),
            });
        theirs.opportunities[0].evidence.remove(0);
        theirs.metrics[mi]
            .observations
            .push(crate::model::Observation {
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                value: 2.0,
                comment: String::new(),
            });
        let m = merge(&opp_file(&base.opportunities[0].id), &base, &ours, &theirs);
        assert!(m.conflicts.is_empty());
        let f: OpportunityFile = format::parse(Path::new("o"), &m.text).unwrap();
        let o = f.opportunity;
        let quotes: Vec<_> = o.evidence.iter().map(|e| e.quote.as_str()).collect();
        assert!(quotes.contains(&"ours") && quotes.contains(&"theirs"));
        assert!(
            !o.evidence.contains(&base.opportunities[0].evidence[0]),
            "their removal holds"
        );
        let m = merge(&metric_file(&base.metrics[mi].id), &base, &ours, &theirs);
        assert!(m.conflicts.is_empty());
        let f: MetricFile = format::parse(Path::new("m"), &m.text).unwrap();
        let obs = &f.metric.observations;
        assert_eq!(obs.len(), base.metrics[mi].observations.len() + 2);
        assert!(obs.windows(2).all(|w| w[0].date <= w[1].date));
    }

    #[test]
    fn removal_against_a_change_is_a_conflict_not_a_loss() {
        let base = k8s();
        let mut ours = base.clone();
        let id = ours.opportunities[2].id.clone();
        ours.opportunities.retain(|o| o.id != id);
        let mut theirs = base.clone();
        theirs.opportunities[2].kind = OpportunityKind::Gain;
        let lists = |ws: &Workspace| {
            format::to_ron(&OpportunitiesFileRef {
                opportunities: ws.opportunities.iter().collect(),
                conflicts: Vec::new(),
            })
        };
        // In format version 1's list: a recorded conflict.
        let m = merge_file(
            Path::new("opportunities.ron"),
            Some(&lists(&base)),
            &lists(&ours),
            &lists(&theirs),
        )
        .unwrap();
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(
            m.conflicts[0].target,
            ConflictTarget::Opportunity(id.clone())
        );
        // One file per opportunity: git sees a file removed on one side and
        // changed on the other, and asks (the driver is not involved).
        assert!(!files(&ours).contains_key(&opp_file(&id)));
    }

    #[test]
    fn notes_merge_field_by_field() {
        let base = k8s();
        let id = base.notes.keys().next().unwrap().clone();
        let mut ours = base.clone();
        ours.notes.get_mut(&id).unwrap().tags.push("ours".into());
        ours.notes.get_mut(&id).unwrap().body.push_str("\nours");
        let mut theirs = base.clone();
        theirs.notes.get_mut(&id).unwrap().interviewee = "Renamed".into();
        theirs.notes.get_mut(&id).unwrap().body.push_str("\ntheirs");
        let name = format!(
            "notes/{}",
            crate::store::note_rel(&base.notes[&id])
                .file_name()
                .unwrap()
                .to_string_lossy()
        );
        let m = merge(&name, &base, &ours, &theirs);
        assert_eq!(m.conflicts.len(), 1, "the body changed on both sides");
        assert_eq!(m.conflicts[0].field, "body");
        let f: NoteFile = format::parse(Path::new("n"), &m.text).unwrap();
        let (n, c) = f.split();
        assert_eq!(n.interviewee, "Renamed");
        assert!(n.tags.contains(&"ours".to_string()));
        assert!(n.body.ends_with("ours"));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_file_added_on_both_sides_merges_from_nothing() {
        let base = k8s();
        let id = base.opportunities[0].id.clone();
        let mut ours = base.clone();
        ours.opportunities[0].title = "Ours".into();
        let mut theirs = base.clone();
        theirs.opportunities[0].effort = Some(2);
        let (o, t) = (files(&ours), files(&theirs));
        let name = opp_file(&id);
        let m = merge_file(Path::new(&name), None, &o[&name], &t[&name]).unwrap();
        let f: OpportunityFile = format::parse(Path::new("o"), &m.text).unwrap();
        // Without a common ancestor, a field both sides hold differently is
        // a conflict (ours kept, theirs recorded); one only they set is taken.
        let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["title"], "{:?}", m.conflicts);
        assert_eq!(f.opportunity.effort, Some(2));
        assert_eq!(f.opportunity.title, "Ours");
    }

    #[test]
    fn unknown_files_and_broken_versions_are_errors() {
        assert!(merge_file(Path::new("README.md"), None, "a", "b").is_err());
        let e = merge_file(
            Path::new("metrics.ron"),
            None,
            "(metrics: [",
            "(metrics: [])",
        )
        .unwrap_err();
        assert!(e.to_string().contains("metrics.ron:1:"), "{e}");
    }
}
