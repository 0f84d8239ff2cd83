//! Undo and redo never undo or overwrite what they did not do: random local
//! edits, random changes read from disk and random undo / redo, checked
//! against a model in which every field is its own little history.

use proptest::prelude::*;
use valuemap::model::Workspace;
use valuemap::model::change::diff;
use valuemap::model::edit::Edit;
use valuemap::model::history::History;
use valuemap::model::validate::FileKey;
use valuemap::template::Template;

/// One field of one entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    PersonaName(usize),
    PersonaDescription(usize),
    OpportunityTitle(usize),
    OpportunityDescription(usize),
    NoteTitle(usize),
    NoteInterviewee(usize),
    ActivityName(usize),
    MetricUnit(usize),
    /// A cell of the map: what the persona is interested in there.
    PerspectiveInterest(usize),
    /// A cell of the map: its pains, one a line.
    PerspectivePains(usize),
}

const SLOTS: usize = 10;

fn slot(kind: usize, i: usize) -> Slot {
    match kind % SLOTS {
        0 => Slot::PersonaName(i % 3),
        1 => Slot::PersonaDescription(i % 3),
        2 => Slot::OpportunityTitle(i % 3),
        3 => Slot::OpportunityDescription(i % 3),
        4 => Slot::NoteTitle(i % 3),
        5 => Slot::NoteInterviewee(i % 3),
        6 => Slot::ActivityName(i % 3),
        7 => Slot::MetricUnit(i % 3),
        8 => Slot::PerspectiveInterest(i % 3),
        _ => Slot::PerspectivePains(i % 3),
    }
}

fn get(ws: &Workspace, s: Slot) -> String {
    match s {
        Slot::PersonaName(i) => ws.personas[i].name.clone(),
        Slot::PersonaDescription(i) => ws.personas[i].description.clone(),
        Slot::OpportunityTitle(i) => ws.opportunities[i].title.clone(),
        Slot::OpportunityDescription(i) => ws.opportunities[i].description.clone(),
        Slot::NoteTitle(i) => ws.notes.values().nth(i).unwrap().title.clone(),
        Slot::NoteInterviewee(i) => ws.notes.values().nth(i).unwrap().interviewee.to_string(),
        Slot::ActivityName(i) => ws.phases[0].activities[i].name.clone(),
        Slot::MetricUnit(i) => ws.metrics[i].unit.clone(),
        Slot::PerspectiveInterest(i) => ws.perspectives[i].interest.clone(),
        Slot::PerspectivePains(i) => ws.perspectives[i].pains.join("\n"),
    }
}

/// A copy of `ws` with one field set.
fn with(ws: &Workspace, s: Slot, v: &str) -> Workspace {
    let mut w = ws.clone();
    match s {
        Slot::PersonaName(i) => w.personas[i].name = v.into(),
        Slot::PersonaDescription(i) => w.personas[i].description = v.into(),
        Slot::OpportunityTitle(i) => w.opportunities[i].title = v.into(),
        Slot::OpportunityDescription(i) => w.opportunities[i].description = v.into(),
        Slot::NoteTitle(i) => w.notes.values_mut().nth(i).unwrap().title = v.into(),
        Slot::NoteInterviewee(i) => w.notes.values_mut().nth(i).unwrap().interviewee = v.into(),
        Slot::ActivityName(i) => w.phases[0].activities[i].name = v.into(),
        Slot::MetricUnit(i) => w.metrics[i].unit = v.into(),
        Slot::PerspectiveInterest(i) => w.perspectives[i].interest = v.into(),
        Slot::PerspectivePains(i) => {
            w.perspectives[i].pains = v.lines().map(String::from).collect();
        }
    }
    w
}

/// The edit the interface makes for a change of one field.
fn local_edit(ws: &Workspace, s: Slot, v: &str) -> Edit {
    let w = with(ws, s, v);
    match s {
        Slot::PersonaName(i) | Slot::PersonaDescription(i) => Edit::SetPersona {
            persona: w.personas[i].clone(),
        },
        Slot::OpportunityTitle(i) | Slot::OpportunityDescription(i) => Edit::SetOpportunity {
            opportunity: w.opportunities[i].clone(),
        },
        Slot::NoteTitle(i) | Slot::NoteInterviewee(i) => {
            let n = (**w.notes.values().nth(i).unwrap()).clone();
            Edit::PutNote {
                id: n.id.clone(),
                note: Some(n),
            }
        }
        Slot::ActivityName(i) => Edit::SetActivity {
            activity: w.phases[0].activities[i].clone(),
        },
        Slot::MetricUnit(i) => Edit::SetMetric {
            metric: w.metrics[i].clone(),
        },
        Slot::PerspectiveInterest(i) | Slot::PerspectivePains(i) => {
            let p = w.perspectives[i].clone();
            Edit::SetPerspective {
                persona: p.persona.clone(),
                activity: p.activity.clone(),
                value: Some(p),
            }
        }
    }
}

/// The file a field is kept in.
fn file(ws: &Workspace, s: Slot) -> FileKey {
    match s {
        Slot::PersonaName(_)
        | Slot::PersonaDescription(_)
        | Slot::ActivityName(_)
        | Slot::PerspectiveInterest(_)
        | Slot::PerspectivePains(_) => FileKey::Workspace,
        Slot::OpportunityTitle(_) | Slot::OpportunityDescription(_) => FileKey::Opportunities,
        Slot::MetricUnit(_) => FileKey::Metrics,
        Slot::NoteTitle(i) | Slot::NoteInterviewee(i) => {
            FileKey::Note(ws.notes.keys().nth(i).unwrap().clone())
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Local(usize, usize),
    Outside(usize, usize),
    Undo,
    Redo,
    Save,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..SLOTS, 0..3usize).prop_map(|(k, i)| Op::Local(k, i)),
        3 => (0..SLOTS, 0..3usize).prop_map(|(k, i)| Op::Outside(k, i)),
        3 => Just(Op::Undo),
        2 => Just(Op::Redo),
        1 => Just(Op::Save),
    ]
}

/// The model: each step changes one field from `old` to `new`; undo and redo
/// apply only when the field still holds what the step left there.
struct Model {
    undo: Vec<(Slot, String, String)>,
    redo: Vec<(Slot, String, String)>,
}

/// The value of a field in the model, `None` while it is as in the template.
fn value(vals: &[(Slot, String)], ws0: &Workspace, s: Slot) -> String {
    vals.iter()
        .rev()
        .find(|(x, _)| *x == s)
        .map_or_else(|| get(ws0, s), |(_, v)| v.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn undo_and_redo_never_overwrite_changes_made_elsewhere(ops in proptest::collection::vec(op(), 1..40)) {
        let start = Template::find("kubernetes-platform").unwrap().workspace().unwrap();
        let mut ws = start.clone();
        let mut h = History::default();
        let mut m = Model { undo: Vec::new(), redo: Vec::new() };
        let mut vals: Vec<(Slot, String)> = Vec::new();
        // Every outside change: its field, its value, and whether a later
        // local operation or outside change wrote that field.
        let mut outside: Vec<(Slot, String, bool)> = Vec::new();
        for (n, op) in ops.into_iter().enumerate() {
            let written: Option<Slot> = match op {
                Op::Local(k, i) => {
                    let s = slot(k, i);
                    let v = format!("local {n}");
                    let old = get(&ws, s);
                    let e = local_edit(&ws, s, &v);
                    prop_assert!(h.apply(&mut ws, "edit", e).unwrap());
                    m.undo.push((s, old, v.clone()));
                    m.redo.clear();
                    vals.push((s, v));
                    Some(s)
                }
                Op::Outside(k, i) => {
                    let s = slot(k, i);
                    let v = format!("outside {n}");
                    let theirs = with(&ws, s, &v);
                    let changes = diff(&ws, &theirs, &file(&ws, s));
                    prop_assert_eq!(changes.len(), 1);
                    h.absorb(&mut ws, &changes).unwrap();
                    for o in outside.iter_mut().filter(|o| o.0 == s) {
                        o.2 = true;
                    }
                    outside.push((s, v.clone(), false));
                    vals.push((s, v));
                    None
                }
                Op::Undo | Op::Redo => {
                    let back = matches!(op, Op::Undo);
                    let r = if back { h.undo(&mut ws) } else { h.redo(&mut ws) };
                    let entry = if back { m.undo.pop() } else { m.redo.pop() };
                    match entry {
                        None => { prop_assert!(r.is_none()); None }
                        Some((s, old, new)) => {
                            let (from, to) = if back { (&new, &old) } else { (&old, &new) };
                            // The model: a step goes back (or forward) only
                            // while its field holds what it left there.
                            let applies = value(&vals, &start, s) == *from;
                            prop_assert_eq!(r.as_ref().unwrap().is_ok(), applies, "{:?} {:?}", op, s);
                            let to = to.clone();
                            // Where the step goes: the other stack, or back.
                            if applies == back {
                                m.redo.push((s, old, new));
                            } else {
                                m.undo.push((s, old, new));
                            }
                            if applies {
                                vals.push((s, to));
                                Some(s)
                            } else {
                                None
                            }
                        }
                    }
                }
                Op::Save => {
                    h.mark_saved();
                    None
                }
            };
            if let Some(s) = written {
                for o in outside.iter_mut().filter(|o| o.0 == s) {
                    o.2 = true;
                }
            }
            // Every field holds what the model says.
            for k in 0..SLOTS {
                for i in 0..3 {
                    let s = slot(k, i);
                    prop_assert_eq!(get(&ws, s), value(&vals, &start, s), "{:?}", s);
                }
            }
        }
        // Every outside change that nothing wrote over is still there.
        for (s, v, overwritten) in &outside {
            if !overwritten {
                prop_assert_eq!(&get(&ws, *s), v, "outside change to {:?} lost", s);
            }
        }
        // Nothing but the fields changed.
        let mut expect = start.clone();
        for k in 0..SLOTS {
            for i in 0..3 {
                let s = slot(k, i);
                expect = with(&expect, s, &get(&ws, s));
            }
        }
        prop_assert_eq!(expect, ws);
    }
}

/// Undo after a teammate's edit was read in: the rename goes back, their
/// description stays (the scenario from the issue, for each kind of entity:
/// personas, activities, opportunities, notes, metrics and the map's cells).
#[test]
fn undo_after_a_change_read_from_disk_keeps_the_other_fields() {
    let start = Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap();
    for (mine, theirs) in [
        (Slot::PersonaName(2), Slot::PersonaDescription(2)),
        (Slot::ActivityName(1), Slot::ActivityName(0)),
        (Slot::OpportunityTitle(0), Slot::OpportunityDescription(0)),
        (Slot::NoteTitle(1), Slot::NoteInterviewee(1)),
        (Slot::MetricUnit(0), Slot::MetricUnit(0)),
        (Slot::PerspectiveInterest(1), Slot::PerspectivePains(1)),
        (Slot::PerspectivePains(2), Slot::PerspectivePains(2)),
    ] {
        let mut ws = start.clone();
        let mut h = History::default();
        let before = get(&ws, mine);
        let e = local_edit(&ws, mine, "EM");
        h.apply(&mut ws, "rename", e).unwrap();
        h.mark_saved();
        let other = with(&ws, theirs, "their words");
        let changes = diff(&ws, &other, &file(&ws, theirs));
        h.absorb(&mut ws, &changes).unwrap();
        let r = h.undo(&mut ws).unwrap();
        if mine == theirs {
            // The same field: refused, and theirs is kept.
            let e = r.unwrap_err();
            assert!(e.reason.contains("elsewhere"), "{}", e.reason);
            assert_eq!(get(&ws, theirs), "their words");
        } else {
            r.unwrap();
            assert_eq!(get(&ws, mine), before, "{mine:?}");
            assert_eq!(get(&ws, theirs), "their words", "{theirs:?}");
        }
    }
}
