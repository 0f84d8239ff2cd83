//! Reworking what capture produced: merge two opportunities, remove or move
//! a piece of evidence, attach any line of a note as evidence (or make an
//! opportunity of it), change or remove a metric's observation. Every
//! change is one undoable edit.

use crate::model::coverage::Stats;
use crate::model::edit::{self, Edit};
use crate::model::{EntityRef, Evidence, Id, Item, Opportunity, Workspace};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::entities::ObservationForm;
use crate::tui::layer::{Cmd, Reply};
use crate::tui::popups::choose::Choose;
use crate::tui::popups::items::Items;
use crate::tui::popups::picker::Picker;
use crate::tui::state::View;
use crate::tui::views::tree::Node;

/// A picker of opportunities, best first (ranked with the counts'
/// ratings, reading no note), leaving some out.
fn opportunity_picker(ws: &Workspace, stats: &Stats, title: &str, except: &[Id]) -> Picker {
    let items = crate::model::score::ranked_with(ws, stats)
        .into_iter()
        .filter(|(o, _)| !except.contains(&o.id))
        .map(|(o, sc)| {
            (
                o.id.clone(),
                o.title.clone(),
                format!(
                    "{} · {} · score {}",
                    o.kind.label(),
                    o.status.label(),
                    sc.display()
                ),
            )
        })
        .collect();
    Picker::new(title, items, Vec::new(), false)
}

fn title_of(ws: &Workspace, id: &Id) -> String {
    ws.opportunity(id)
        .map(|o| o.title.clone())
        .unwrap_or_default()
}

/// `m` in Opportunities: merge the selection into another opportunity.
pub fn merge(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(from) = app.views.opps.selected().cloned() else {
        return Err("Select an opportunity in Opportunities (4) first".into());
    };
    if app.view() != View::Opportunities {
        return Err("Merging works in Opportunities (4)".into());
    }
    let title = format!(
        "Merge \"{}\" into which opportunity?",
        title_of(&app.ws, &from)
    );
    let picker = opportunity_picker(&app.ws, &app.stats, &title, std::slice::from_ref(&from));
    app.push(Choose::new(
        picker,
        Box::new(move |ids, cx| {
            let Some(into) = ids.first() else {
                return Vec::new();
            };
            match edit::merge_opportunities(cx.ws, &from, into) {
                Some(e) => vec![
                    Cmd::apply(
                        format!(
                            "merge \"{}\" into \"{}\"",
                            title_of(cx.ws, &from),
                            title_of(cx.ws, into)
                        ),
                        e,
                    ),
                    Cmd::Run(Command::Jump(EntityRef::Opportunity(into.clone()))),
                ],
                None => Vec::new(),
            }
        }),
    ));
    Ok(())
}

/// `e`: the selection's parts, by view.
pub fn parts(app: &mut App, _c: Command) -> Result<(), String> {
    match app.view() {
        View::Opportunities => evidence(app, Command::Evidence),
        View::Notes => lines(app, Command::Lines),
        View::Metrics => observations(app, Command::Observations),
        View::Tree => tree_parts(app),
        _ => Err("e lists the parts of an opportunity (4), a note (3) or a metric (5)".into()),
    }
}

/// The quote and where it comes from, for a list.
fn evidence_rows(ws: &Workspace, id: &Id) -> Vec<(String, String)> {
    match ws.opportunity(id) {
        Some(o) => quote_rows(ws, &o.evidence),
        None => Vec::new(),
    }
}

/// Each piece of evidence (of an opportunity or an assumption test) as its
/// quote and where it comes from, for a list.
pub fn quote_rows(ws: &Workspace, evidence: &[crate::model::Evidence]) -> Vec<(String, String)> {
    evidence
        .iter()
        .map(|e| match ws.notes.get(&e.note) {
            Some(n) => (
                if e.quote.is_empty() {
                    format!("(the whole note) {}", n.title)
                } else {
                    format!("“{}”", crate::capture::quote_text(&e.quote))
                },
                format!("{}, {} · {}", n.interviewee, n.date, n.title),
            ),
            None => (e.quote.clone(), format!("note {} is missing", e.note)),
        })
        .collect()
}

/// The opportunity without one piece of evidence.
fn without(ws: &Workspace, id: &Id, i: usize) -> Option<(Opportunity, Evidence)> {
    let mut o = ws.opportunity(id)?.clone();
    (i < o.evidence.len()).then(|| {
        let e = o.evidence.remove(i);
        (o, e)
    })
}

/// An opportunity's evidence: open its note, remove it, move it.
pub fn evidence(app: &mut App, _c: Command) -> Result<(), String> {
    let id = match app.view() {
        View::Tree => app.views.tree.opportunity(&app.ws),
        _ => app.views.opps.selected().cloned(),
    };
    let Some(id) = id else {
        return Err("Select an opportunity in Opportunities (4) or the Tree (6) first".into());
    };
    let title = format!("Evidence of \"{}\"", title_of(&app.ws, &id));
    let (a, b, c) = (id.clone(), id.clone(), id.clone());
    let items = Items::new(
        title,
        &app.ws,
        move |ws| evidence_rows(ws, &a),
        "No evidence yet: attach a line of a note from the Notes view (e there).",
    )
    .on(
        Action::ItemOpen,
        "open the note",
        Box::new(move |i, cx| {
            let Some(e) = cx.ws.opportunity(&b).and_then(|o| o.evidence.get(i)) else {
                return Reply::stay();
            };
            Reply::run(Command::Jump(EntityRef::Note(e.note.clone())))
        }),
    )
    .on(
        Action::ItemRemove,
        "remove",
        Box::new(move |i, cx| match without(cx.ws, &c, i) {
            Some((o, e)) => Reply::keep(Cmd::apply(
                format!(
                    "remove evidence “{}” from \"{}\"",
                    crate::capture::quote_text(&e.quote),
                    o.title
                ),
                Edit::SetOpportunity { opportunity: o },
            )),
            None => Reply::stay(),
        }),
    )
    .on(Action::ItemMove, "move to another", {
        let id = id.clone();
        Box::new(move |i, cx| {
            let Some((o, e)) = without(cx.ws, &id, i) else {
                return Reply::stay();
            };
            let picker = opportunity_picker(
                cx.ws,
                cx.stats,
                "Move this evidence to which opportunity?",
                std::slice::from_ref(&id),
            );
            Reply::keep(Cmd::Push(Box::new(Choose::new(
                picker,
                Box::new(move |ids, cx| {
                    let Some(to) = ids.first().and_then(|t| cx.ws.opportunity(t)) else {
                        return Vec::new();
                    };
                    let mut to = to.clone();
                    if !to.evidence.contains(&e) {
                        to.evidence.push(e.clone());
                    }
                    vec![Cmd::apply(
                        format!("move evidence from \"{}\" to \"{}\"", o.title, to.title),
                        Edit::Batch(vec![
                            Edit::SetOpportunity {
                                opportunity: o.clone(),
                            },
                            Edit::SetOpportunity { opportunity: to },
                        ]),
                    )]
                }),
            ))))
        })
    });
    app.push(items);
    Ok(())
}

/// The lines of a note that can be evidence: every non-blank line but the
/// title.
fn note_lines(ws: &Workspace, id: &Id) -> Vec<String> {
    let Some(n) = ws.notes.get(id) else {
        return Vec::new();
    };
    crate::capture::parse(&n.body)
        .lines
        .iter()
        .skip_while(|l| l.kind != crate::capture::LineKind::Title)
        .skip(1)
        .map(|l| l.raw.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A note's lines: attach one to an opportunity as evidence, or make a new
/// opportunity of it.
pub fn lines(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(id) = app.views.notes.selected().cloned() else {
        return Err("Select a note in Notes (3) first".into());
    };
    let title = format!(
        "Lines of \"{}\"",
        app.ws.notes.get(&id).map_or("", |n| n.title.as_str())
    );
    let rows_id = id.clone();
    let items = Items::new(
        title,
        &app.ws,
        move |ws| {
            let cited: Vec<&Opportunity> = ws
                .opportunities
                .iter()
                .filter(|o| o.evidence.iter().any(|e| e.note == rows_id))
                .collect();
            note_lines(ws, &rows_id)
                .into_iter()
                .map(|l| {
                    let feeds: Vec<&str> = cited
                        .iter()
                        .filter(|o| o.evidence.iter().any(|e| e.note == rows_id && e.quote == l))
                        .map(|o| o.title.as_str())
                        .collect();
                    let detail = if feeds.is_empty() {
                        "not evidence yet".to_string()
                    } else {
                        format!("evidence of {}", feeds.join(", "))
                    };
                    (l, detail)
                })
                .collect()
        },
        "This note has no lines besides its title.",
    )
    .on(Action::ItemAttach, "attach to an opportunity", {
        let id = id.clone();
        Box::new(move |i, cx| {
            let Some(line) = note_lines(cx.ws, &id).into_iter().nth(i) else {
                return Reply::stay();
            };
            let note = id.clone();
            let picker =
                opportunity_picker(cx.ws, cx.stats, "Evidence for which opportunity?", &[]);
            Reply::keep(Cmd::Push(Box::new(Choose::new(
                picker,
                Box::new(move |ids, cx| {
                    let Some(o) = ids.first().and_then(|t| cx.ws.opportunity(t)) else {
                        return Vec::new();
                    };
                    let mut o = o.clone();
                    let ev = Evidence {
                        note: note.clone(),
                        quote: line.clone(),
                    };
                    if o.evidence.contains(&ev) {
                        return vec![Cmd::Say(
                            crate::tui::state::Level::Info,
                            "That line is evidence of it already".into(),
                        )];
                    }
                    o.evidence.push(ev);
                    vec![Cmd::apply(
                        format!("add evidence to \"{}\"", o.title),
                        Edit::SetOpportunity { opportunity: o },
                    )]
                }),
            ))))
        })
    })
    .on(Action::ItemNew, "a new opportunity from it", {
        let id = id.clone();
        Box::new(move |i, cx| {
            let (Some(line), Some(n)) = (
                note_lines(cx.ws, &id).into_iter().nth(i),
                cx.ws.notes.get(&id),
            ) else {
                return Reply::stay();
            };
            let title = crate::capture::quote_text(&line);
            if title.is_empty() {
                return Reply::stay();
            }
            let kind = match line.chars().next() {
                Some('!') => crate::model::OpportunityKind::Pain,
                _ => crate::model::OpportunityKind::Need,
            };
            let mut o = Opportunity::new(cx.ws.fresh_id(), title.clone(), kind);
            o.activities = crate::capture::line_activities(cx.ws, n, &line);
            o.personas = n.persona.iter().cloned().collect();
            o.evidence.push(Evidence {
                note: id.clone(),
                quote: line,
            });
            Reply::keep(Cmd::apply(
                format!("add opportunity \"{title}\""),
                Edit::InsertOpportunity {
                    index: cx.ws.opportunity_insert_index(&o.id),
                    opportunity: o,
                },
            ))
        })
    });
    app.push(items);
    Ok(())
}

/// A metric's observations: change one, or remove it.
pub fn observations(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(m) = app.ws.metrics.get(app.views.metrics.selected) else {
        return Err("Select a metric in Metrics (5) first".into());
    };
    let id = m.id.clone();
    let title = format!("Observations of \"{}\"", m.name);
    let rows_id = id.clone();
    let items = Items::new(
        title,
        &app.ws,
        move |ws| {
            let Some(m) = ws.metric(&rows_id) else {
                return Vec::new();
            };
            m.observations
                .iter()
                .map(|o| {
                    (
                        format!("{}  {}", o.date, crate::text::with_unit(o.value, &m.unit)),
                        o.comment.clone(),
                    )
                })
                .collect()
        },
        "No observations yet: o adds one.",
    )
    .on(Action::ItemEdit, "change", {
        let id = id.clone();
        Box::new(
            move |i, cx| match cx.ws.metric(&id).and_then(|m| ObservationForm::edit(m, i)) {
                Some(f) => Reply::keep(Cmd::Push(Box::new(Form::new(f)))),
                None => Reply::stay(),
            },
        )
    })
    .on(
        Action::ItemRemove,
        "remove",
        Box::new(move |i, cx| {
            let Some(m) = cx.ws.metric(&id) else {
                return Reply::stay();
            };
            let mut m = m.clone();
            if i >= m.observations.len() {
                return Reply::stay();
            }
            let o = m.observations.remove(i);
            Reply::keep(Cmd::apply(
                format!("remove the observation of {} on {}", m.name, o.date),
                Edit::SetMetric { metric: m },
            ))
        }),
    );
    app.push(items);
    Ok(())
}

/// `e` in the tree: an opportunity's evidence, a test's evidence.
fn tree_parts(app: &mut App) -> Result<(), String> {
    match app.views.tree.selected().cloned() {
        Some(Node::Opportunity(_)) => evidence(app, Command::Evidence),
        Some(Node::Test(id)) => {
            test_evidence(app, id);
            Ok(())
        }
        _ => Err("e lists the evidence of an opportunity or an assumption test".into()),
    }
}

fn test_evidence(app: &mut App, id: Id) {
    let title = format!(
        "Evidence of \"{}\"",
        app.ws
            .items
            .tests
            .get(&id)
            .map_or("", |t| t.assumption.as_str())
    );
    let (a, b, c) = (id.clone(), id.clone(), id);
    let items = Items::new(
        title,
        &app.ws,
        move |ws| {
            ws.items
                .tests
                .get(&a)
                .map_or_else(Vec::new, |t| quote_rows(ws, &t.evidence))
        },
        "No evidence yet: tag a line of a note for this test while capturing.",
    )
    .on(
        Action::ItemOpen,
        "open the note",
        Box::new(move |i, cx| {
            let Some(e) = cx.ws.items.tests.get(&b).and_then(|t| t.evidence.get(i)) else {
                return Reply::stay();
            };
            Reply::run(Command::Jump(EntityRef::Note(e.note.clone())))
        }),
    )
    .on(
        Action::ItemRemove,
        "remove",
        Box::new(move |i, cx| {
            let Some(mut t) = cx.ws.items.tests.get(&c).cloned() else {
                return Reply::stay();
            };
            if i >= t.evidence.len() {
                return Reply::stay();
            }
            let e = t.evidence.remove(i);
            Reply::keep(Cmd::apply(
                format!(
                    "remove evidence “{}” from \"{}\"",
                    crate::capture::quote_text(&e.quote),
                    t.assumption
                ),
                edit::put(Item::Test(t)),
            ))
        }),
    );
    app.push(items);
}
