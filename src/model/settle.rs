//! Settling merge conflicts: keep our value, or take theirs. Either way the
//! record goes, as one undoable edit.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::edit::{self, Edit};
use super::{Answer, Conflict, ConflictTarget, Note, Workspace};

/// The field named in a conflict, replaced by the JSON value `json`.
fn with_field<T: Serialize + DeserializeOwned>(
    v: &T,
    field: &str,
    json: &str,
) -> Result<T, String> {
    let mut j = serde_json::to_value(v).map_err(|e| e.to_string())?;
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the recorded value: {e}"))?;
    match j.as_object_mut() {
        Some(o) => {
            if value.is_null() {
                o.remove(field);
            } else {
                o.insert(field.to_string(), value);
            }
        }
        None => return Err("not an entity".into()),
    }
    serde_json::from_value(j).map_err(|e| format!("the other branch's {field} does not fit: {e}"))
}

fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("the recorded entity: {e}"))
}

/// How a conflict over a question's answer names its field: `answer to`
/// and the question's line (`answer to ? Who pays?`).
const ANSWER_TO: &str = "answer to ";

/// The conflict field for the answer to a question of a note.
pub fn answer_field(question: &str) -> String {
    format!("{ANSWER_TO}{question}")
}

/// An answer as a conflict records it: its date and the line that answers
/// it (the question is in the field's name).
pub fn answer_value(a: &Answer) -> Result<serde_json::Value, String> {
    let mut v = serde_json::to_value(a).map_err(|e| e.to_string())?;
    if let Some(o) = v.as_object_mut() {
        o.remove("question");
    }
    Ok(v)
}

/// The note with the answer to `question` as recorded in `json` (`null`:
/// the question open).
fn with_answer(n: &Note, question: &str, json: &str) -> Result<Note, String> {
    let mut v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the recorded value: {e}"))?;
    let mut n = n.clone();
    n.answered.retain(|a| a.question != question);
    if let Some(o) = v.as_object_mut() {
        o.insert("question".into(), question.into());
        let a: Answer = serde_json::from_value(v)
            .map_err(|e| format!("the other branch's answer does not fit: {e}"))?;
        n.answered.push(a);
    } else if !v.is_null() {
        return Err("the other branch's answer does not fit".into());
    }
    n.sort_answers();
    Ok(n)
}

const REMOVED_THERE: &str = "(removed by the other branch)";
const REMOVED_HERE: &str = "(removed by this branch)";

/// A sentence for a conflict: what is at stake.
pub fn describe(ws: &Workspace, c: &Conflict) -> String {
    let what = ws.describe(&c.target.entity());
    match c.field.as_str() {
        REMOVED_THERE => format!("{what}: changed here, removed on the other branch"),
        REMOVED_HERE => format!("{what}: removed here, changed on the other branch"),
        f => format!(
            "{what}, {f}: here {}, there {}",
            crate::text::truncate(&c.ours, 40),
            crate::text::truncate(&c.theirs, 40)
        ),
    }
}

/// Keeps what is in the workspace (our side): the record goes.
pub fn keep_ours(c: &Conflict) -> Edit {
    Edit::RemoveConflict {
        conflict: c.clone(),
    }
}

/// Takes the other branch's value (or its removal, or its entity), and the
/// record goes.
pub fn take_theirs(ws: &Workspace, c: &Conflict) -> Result<Edit, String> {
    let missing = || format!("{} no longer exists", ws.describe(&c.target.entity()));
    let change = match (&c.target, c.field.as_str()) {
        (t, REMOVED_THERE) => match t {
            ConflictTarget::Persona(id) => edit::delete_persona(ws, id).0,
            ConflictTarget::Activity(id) => edit::delete_activity(ws, id).0,
            ConflictTarget::Phase(id) => edit::delete_phase(ws, id).0,
            ConflictTarget::Opportunity(id) => edit::delete_opportunity(ws, id).0,
            ConflictTarget::Metric(id) => edit::delete_metric(ws, id).0,
            ConflictTarget::Note(id) => edit::delete_note(ws, id).0,
            ConflictTarget::Item(k, id) => edit::delete_item(ws, *k, id).0,
            ConflictTarget::Perspective { persona, activity } => Edit::SetPerspective {
                persona: persona.clone(),
                activity: activity.clone(),
                value: None,
            },
            ConflictTarget::Workspace => return Err("the workspace cannot be removed".into()),
        },
        (t, REMOVED_HERE) => match t {
            ConflictTarget::Persona(_) => Edit::InsertPersona {
                index: ws.personas.len(),
                persona: from_json(&c.theirs)?,
            },
            ConflictTarget::Opportunity(_) => {
                let o: super::Opportunity = from_json(&c.theirs)?;
                Edit::InsertOpportunity {
                    index: ws.opportunity_insert_index(&o.id),
                    opportunity: o,
                }
            }
            ConflictTarget::Metric(_) => {
                let m: super::Metric = from_json(&c.theirs)?;
                Edit::InsertMetric {
                    index: ws.metric_insert_index(&m.name),
                    metric: m,
                }
            }
            ConflictTarget::Perspective { persona, activity } => Edit::SetPerspective {
                persona: persona.clone(),
                activity: activity.clone(),
                value: Some(from_json(&c.theirs)?),
            },
            ConflictTarget::Note(id) => Edit::PutNote {
                id: id.clone(),
                note: Some(from_json(&c.theirs)?),
            },
            ConflictTarget::Item(k, id) => {
                let v: serde_json::Value = from_json(&c.theirs)?;
                Edit::Put {
                    kind: *k,
                    id: id.clone(),
                    item: Some(
                        super::Item::from_json(*k, v)
                            .ok_or_else(|| format!("the other branch's {k} cannot be read"))?,
                    ),
                }
            }
            _ => {
                return Err(
                    "bring it back by hand (phases and activities are not restored from a conflict)".into(),
                );
            }
        },
        (ConflictTarget::Workspace, f) => {
            let mut name = ws.name.clone();
            let mut description = ws.description.clone();
            let v: String = from_json(&c.theirs)?;
            match f {
                "name" => name = v,
                "description" => description = v,
                _ => return Err(format!("the workspace has no field {f}")),
            }
            Edit::SetMeta { name, description }
        }
        (ConflictTarget::Phase(id), f) => {
            let p = ws.phase(id).ok_or_else(missing)?;
            let p = with_field(p, f, &c.theirs)?;
            Edit::SetPhase {
                id: id.clone(),
                name: p.name,
                description: p.description,
            }
        }
        (ConflictTarget::Activity(id), f) => Edit::SetActivity {
            activity: with_field(ws.activity(id).ok_or_else(missing)?, f, &c.theirs)?,
        },
        (ConflictTarget::Persona(id), f) => Edit::SetPersona {
            persona: with_field(ws.persona(id).ok_or_else(missing)?, f, &c.theirs)?,
        },
        (ConflictTarget::Perspective { persona, activity }, f) => Edit::SetPerspective {
            persona: persona.clone(),
            activity: activity.clone(),
            value: Some(with_field(
                ws.perspective(persona, activity).ok_or_else(missing)?,
                f,
                &c.theirs,
            )?),
        },
        (ConflictTarget::Note(id), f) if f.starts_with(ANSWER_TO) => Edit::PutNote {
            id: id.clone(),
            note: Some(with_answer(
                ws.notes.get(id).ok_or_else(missing)?,
                &f[ANSWER_TO.len()..],
                &c.theirs,
            )?),
        },
        (ConflictTarget::Note(id), f) => Edit::PutNote {
            id: id.clone(),
            note: Some(with_field(
                &**ws.notes.get(id).ok_or_else(missing)?,
                f,
                &c.theirs,
            )?),
        },
        (ConflictTarget::Opportunity(id), f) => Edit::SetOpportunity {
            opportunity: with_field(ws.opportunity(id).ok_or_else(missing)?, f, &c.theirs)?,
        },
        (ConflictTarget::Metric(id), f) => Edit::SetMetric {
            metric: with_field(ws.metric(id).ok_or_else(missing)?, f, &c.theirs)?,
        },
        (ConflictTarget::Item(k, id), f) => {
            let cur = ws.items.get(*k, id).ok_or_else(missing)?.to_json();
            let v = with_field(&cur, f, &c.theirs)?;
            Edit::Put {
                kind: *k,
                id: id.clone(),
                item: Some(
                    super::Item::from_json(*k, v)
                        .ok_or_else(|| format!("the other branch's {f} does not fit"))?,
                ),
            }
        }
    };
    Ok(Edit::Batch(vec![change, keep_ours(c)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Status, edit::apply};
    use crate::template::Template;

    #[test]
    fn theirs_or_ours_and_the_record_goes() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let id = ws.opportunities[0].id.clone();
        let c = Conflict {
            target: ConflictTarget::Opportunity(id.clone()),
            field: "status".into(),
            ours: "\"Idea\"".into(),
            theirs: "\"Planned\"".into(),
        };
        ws.conflicts.push(c.clone());
        let before = ws.clone();
        let e = take_theirs(&ws, &c).unwrap();
        let inv = apply(&mut ws, e).unwrap();
        assert_eq!(ws.opportunity(&id).unwrap().status, Status::Planned);
        assert!(ws.conflicts.is_empty());
        apply(&mut ws, inv).unwrap();
        assert_eq!(ws, before);
        apply(&mut ws, keep_ours(&c)).unwrap();
        assert!(ws.conflicts.is_empty());
        assert_eq!(ws.opportunities, before.opportunities);
        assert!(describe(&before, &c).contains("status: here \"Idea\", there \"Planned\""));
    }

    #[test]
    fn removals_settle_both_ways() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let p = ws.personas[0].clone();
        let c = Conflict {
            target: ConflictTarget::Persona(p.id.clone()),
            field: REMOVED_THERE.into(),
            ours: serde_json::to_string(&p).unwrap(),
            theirs: "null".into(),
        };
        ws.conflicts.push(c.clone());
        let e = take_theirs(&ws, &c).unwrap();
        apply(&mut ws, e).unwrap();
        assert!(ws.persona(&p.id).is_none());
        let back = Conflict {
            target: ConflictTarget::Persona(p.id.clone()),
            field: REMOVED_HERE.into(),
            ours: "null".into(),
            theirs: serde_json::to_string(&p).unwrap(),
        };
        ws.conflicts.push(back.clone());
        let e = take_theirs(&ws, &back).unwrap();
        apply(&mut ws, e).unwrap();
        assert_eq!(ws.persona(&p.id), Some(&p));
    }
}
