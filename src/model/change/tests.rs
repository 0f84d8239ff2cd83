//! Tests of changes: recording, diffing, replaying over outside changes.

use super::*;
use crate::model::edit;
use crate::template::Template;

fn k8s() -> Workspace {
    Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

fn rename_persona(ws: &Workspace, i: usize, name: &str) -> Edit {
    let mut p = ws.personas[i].clone();
    p.name = name.into();
    Edit::SetPersona { persona: p }
}

#[test]
fn undo_over_an_outside_change_keeps_the_outside_fields() {
    let mut ws = k8s();
    let e = rename_persona(&ws, 0, "EM");
    let changes = record(&mut ws, e).unwrap();
    assert_eq!(changes.len(), 1);
    // Someone else changes the description.
    ws.personas[0].description = "theirs".into();
    replay(&mut ws, &changes, Way::Back).unwrap();
    assert_ne!(ws.personas[0].name, "EM");
    assert_eq!(ws.personas[0].description, "theirs");
}

#[test]
fn undo_of_a_field_changed_elsewhere_is_refused_and_changes_nothing() {
    let mut ws = k8s();
    let e = rename_persona(&ws, 0, "EM");
    let changes = record(&mut ws, e).unwrap();
    ws.personas[0].name = "Theirs".into();
    let before = ws.clone();
    let err = replay(&mut ws, &changes, Way::Back).unwrap_err();
    assert_eq!(ws, before);
    let text = err.describe(&ws);
    assert!(text.contains("name") && text.contains("Theirs"), "{text}");
}

#[test]
fn removing_what_was_changed_elsewhere_is_refused() {
    let mut ws = k8s();
    let p = Persona {
        id: "newper".into(),
        ..ws.personas[0].clone()
    };
    let changes = record(
        &mut ws,
        Edit::InsertPersona {
            index: 1,
            persona: p,
        },
    )
    .unwrap();
    let i = ws.persona_index(&"newper".into()).unwrap();
    ws.personas[i].jobs.push("theirs".into());
    let err = replay(&mut ws, &changes, Way::Back).unwrap_err();
    assert!(matches!(err, ReplayError::Refused(_)));
    assert!(ws.persona(&"newper".into()).is_some());
}

#[test]
fn a_deleted_phase_comes_back_with_its_activities_in_place() {
    let mut ws = k8s();
    let before = ws.clone();
    let id = ws.phases[1].id.clone();
    let (e, _) = edit::delete_phase(&ws, &id);
    let changes = record(&mut ws, e).unwrap();
    assert!(ws.phase(&id).is_none());
    replay(&mut ws, &changes, Way::Back).unwrap();
    assert_eq!(ws, before);
    replay(&mut ws, &changes, Way::Forward).unwrap();
    assert!(ws.phase(&id).is_none());
    assert!(crate::model::validate::is_valid(&ws));
}

#[test]
fn moves_go_back_to_where_they_were() {
    let mut ws = k8s();
    let before = ws.clone();
    let id = ws.personas[0].id.clone();
    let changes = record(
        &mut ws,
        Edit::MovePersona {
            id: id.clone(),
            to: 2,
        },
    )
    .unwrap();
    assert_eq!(ws.persona_index(&id), Some(2));
    replay(&mut ws, &changes, Way::Back).unwrap();
    assert_eq!(ws, before);
    let a = ws.phases[0].activities[0].id.clone();
    let to = ws.phases[2].id.clone();
    let changes = record(
        &mut ws,
        Edit::MoveActivity {
            id: a.clone(),
            phase: to,
            index: 0,
        },
    )
    .unwrap();
    replay(&mut ws, &changes, Way::Back).unwrap();
    assert_eq!(ws, before);
}

#[test]
fn diff_then_replay_turns_one_file_into_the_other() {
    let old = k8s();
    let mut new = old.clone();
    new.personas[1].name = "x".into();
    new.personas.remove(2);
    new.phases[0].activities.swap(0, 1);
    new.description = "d".into();
    new.perspectives.pop();
    new.opportunities[0].title = "not in this file".into();
    let changes = diff(&old, &new, &FileKey::Workspace);
    let mut ws = old.clone();
    replay(&mut ws, &changes, Way::Forward).unwrap();
    assert_eq!(ws.personas, new.personas);
    assert_eq!(ws.phases, new.phases);
    assert_eq!(ws.perspectives, new.perspectives);
    assert_eq!(ws.description, "d");
    assert_eq!(ws.opportunities, old.opportunities, "other files untouched");
}
