//! The opportunity solution tree (view 6): adding children and siblings,
//! opening nodes in their forms, moving a node under another parent,
//! shipping a solution, and accepting the verdict the metrics suggest.

use chrono::NaiveDate;

use crate::model::coverage::Stats;
use crate::model::edit::{self, Edit};
use crate::model::validation;
use crate::model::{Id, Item, SolutionStatus, Status, Workspace};
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::discovery::{OutcomeForm, SolutionForm, TestForm};
use crate::tui::form::entities::OpportunityForm;
use crate::tui::layer::Cmd;
use crate::tui::popups::choose::Choose;
use crate::tui::popups::picker::Picker;
use crate::tui::state::View;
use crate::tui::views::tree::Node;

use super::edit::wrong;

fn selected(app: &App) -> Option<Node> {
    (app.view() == View::Tree)
        .then(|| app.views.tree.selected().cloned())
        .flatten()
}

fn new_outcome(app: &mut App, name: &str) {
    let id = app.ws.fresh_id();
    app.push(Form::new(OutcomeForm::new(&app.ws, id, name)));
}

fn new_solution(app: &mut App, opportunity: Option<Id>, title: &str) {
    let id = app.ws.fresh_id();
    app.push(Form::new(SolutionForm::new(
        &app.ws,
        id,
        opportunity,
        title,
    )));
}

fn new_test(app: &mut App, solution: Option<Id>, assumption: &str) {
    let id = app.ws.fresh_id();
    app.push(Form::new(TestForm::new(&app.ws, id, solution, assumption)));
}

/// The outcome and parent a new opportunity beside `id` gets.
fn beside(ws: &Workspace, id: &Id) -> (Option<Id>, Option<Id>) {
    ws.opportunity(id)
        .map_or((None, None), |o| (o.outcome.clone(), o.parent.clone()))
}

/// Enter in the tree: the node's form.
pub fn open(app: &mut App) -> Result<(), String> {
    let ws = &app.ws;
    match selected(app) {
        None => {
            new_outcome(app, "");
            Ok(())
        }
        Some(Node::NoOutcome) => {
            app.push(Form::new(OpportunityForm::under(None, None)));
            Ok(())
        }
        Some(Node::Outcome(id)) => {
            app.push(Form::new(OutcomeForm::new(ws, id, "")));
            Ok(())
        }
        Some(Node::Opportunity(id)) => {
            let f = OpportunityForm::new(ws.opportunity(&id), Vec::new(), Vec::new());
            app.push(Form::new(f));
            Ok(())
        }
        Some(Node::Solution(id)) => {
            app.push(Form::new(SolutionForm::new(ws, id, None, "")));
            Ok(())
        }
        Some(Node::Test(id)) => {
            app.push(Form::new(TestForm::new(ws, id, None, "")));
            Ok(())
        }
    }
}

/// `a` in the tree: a child of the selection (an opportunity under an
/// outcome, a solution or a sub-opportunity under an opportunity, a test
/// under a solution).
pub fn add_child(app: &mut App) -> Result<(), String> {
    match selected(app) {
        None => new_outcome(app, ""),
        Some(Node::Outcome(id)) => {
            app.push(Form::new(OpportunityForm::under(Some(id), None)));
        }
        Some(Node::NoOutcome) => app.push(Form::new(OpportunityForm::under(None, None))),
        Some(Node::Opportunity(id)) => {
            let title = app
                .ws
                .opportunity(&id)
                .map_or(String::new(), |o| o.title.clone());
            let picker = Picker::new(
                format!("Add under \"{}\"", sanitize(&title)),
                vec![
                    (
                        Id::from("solution"),
                        "A solution".to_string(),
                        "an idea that addresses it".to_string(),
                    ),
                    (
                        Id::from("sub"),
                        "A sub-opportunity".to_string(),
                        "a smaller part of it".to_string(),
                    ),
                ],
                Vec::new(),
                false,
            );
            app.push(Choose::new(
                picker,
                Box::new(move |ids, cx| {
                    let id = id.clone();
                    let outcome = cx.ws.opportunity(&id).and_then(|o| o.outcome.clone());
                    match ids.first().map(Id::as_str) {
                        Some("solution") => vec![Cmd::Push(Box::new(Form::new(
                            SolutionForm::new(cx.ws, cx.ws.fresh_id(), Some(id), ""),
                        )))],
                        Some("sub") => vec![Cmd::Push(Box::new(Form::new(
                            OpportunityForm::under(outcome, Some(id)),
                        )))],
                        _ => Vec::new(),
                    }
                }),
            ));
        }
        Some(Node::Solution(id)) => new_test(app, Some(id), ""),
        Some(Node::Test(id)) => {
            let solution = app.ws.items.tests.get(&id).map(|t| t.solution.clone());
            app.info("Tests have no children: adding another test of the same solution");
            new_test(app, solution, "");
        }
    }
    Ok(())
}

/// `A` in the tree: a sibling of the selection.
pub fn add_sibling(app: &mut App, _c: Command) -> Result<(), String> {
    if app.view() != View::Tree {
        return Err("Adding a sibling works in the Tree (6)".into());
    }
    match selected(app) {
        None | Some(Node::Outcome(_)) | Some(Node::NoOutcome) => new_outcome(app, ""),
        Some(Node::Opportunity(id)) => {
            let (outcome, parent) = beside(&app.ws, &id);
            app.push(Form::new(OpportunityForm::under(outcome, parent)));
        }
        Some(Node::Solution(id)) => {
            let opp = app
                .ws
                .items
                .solutions
                .get(&id)
                .map(|s| s.opportunity.clone());
            new_solution(app, opp, "");
        }
        Some(Node::Test(id)) => {
            let solution = app.ws.items.tests.get(&id).map(|t| t.solution.clone());
            new_test(app, solution, "");
        }
    }
    Ok(())
}

pub fn add_outcome(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddOutcome(name) = c else {
        return Err(wrong(&c));
    };
    match name {
        None => new_outcome(app, ""),
        Some(name) => {
            let id = app.ws.fresh_id();
            let o = crate::model::Outcome {
                id: id.clone(),
                name: name.clone(),
                description: String::new(),
                metrics: Vec::new(),
            };
            if app.apply(
                format!("add outcome \"{name}\""),
                edit::put(Item::Outcome(o)),
            ) {
                app.views.current = View::Tree;
                app.views.tree.show(&app.ws, &Node::Outcome(id));
                app.info(format!("Added outcome \"{}\"", sanitize(&name)));
            }
        }
    }
    Ok(())
}

/// The opportunity the selection belongs to, in the Tree or Opportunities.
fn selected_opportunity(app: &App) -> Option<Id> {
    match app.view() {
        View::Tree => app.views.tree.opportunity(&app.ws),
        View::Opportunities => app.views.opps.selected().cloned(),
        _ => None,
    }
}

pub fn add_solution(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddSolution(title) = c else {
        return Err(wrong(&c));
    };
    let opp = selected_opportunity(app);
    match (title, opp) {
        (Some(title), Some(opp)) => {
            let id = app.ws.fresh_id();
            let s = crate::model::Solution {
                id: id.clone(),
                opportunity: opp,
                title: title.clone(),
                description: String::new(),
                status: SolutionStatus::Idea,
                shipped: None,
                value: None,
                effort: None,
                owner: String::new(),
            };
            if app.apply(
                format!("add solution \"{title}\""),
                edit::put(Item::Solution(s)),
            ) {
                app.views.current = View::Tree;
                app.views.tree.show(&app.ws, &Node::Solution(id));
                app.info(format!("Added solution \"{}\"", sanitize(&title)));
            }
        }
        (title, opp) => new_solution(app, opp, title.as_deref().unwrap_or("")),
    }
    Ok(())
}

pub fn add_test(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddTest(text) = c else {
        return Err(wrong(&c));
    };
    let solution = match selected(app) {
        Some(Node::Solution(id)) => Some(id),
        Some(Node::Test(id)) => app.ws.items.tests.get(&id).map(|t| t.solution.clone()),
        _ => None,
    };
    new_test(app, solution, text.as_deref().unwrap_or(""));
    Ok(())
}

/// What a node can move under, for the picker: (id, label, detail);
/// opportunities best first (ranked with the counts' ratings, reading no
/// note).
fn targets(ws: &Workspace, stats: &Stats, node: &Node) -> Vec<(Id, String, String)> {
    match node {
        Node::Opportunity(id) => {
            let mut v: Vec<(Id, String, String)> = vec![(
                Id::from(""),
                "No outcome".into(),
                "top level, serving no outcome".into(),
            )];
            v.extend(ws.items.outcomes.values().map(|o| {
                (
                    Id::from(format!("outcome:{}", o.id).as_str()),
                    o.name.clone(),
                    "outcome (top level)".into(),
                )
            }));
            v.extend(
                crate::model::score::ranked_with(ws, stats)
                    .into_iter()
                    .filter(|(o, _)| &o.id != id && !ws.would_cycle(id, &o.id))
                    .map(|(o, _)| {
                        (
                            o.id.clone(),
                            o.title.clone(),
                            format!("opportunity · {}", o.status.label()),
                        )
                    }),
            );
            v
        }
        Node::Solution(_) => crate::model::score::ranked_with(ws, stats)
            .into_iter()
            .map(|(o, _)| {
                (
                    o.id.clone(),
                    o.title.clone(),
                    format!("opportunity · {}", o.status.label()),
                )
            })
            .collect(),
        Node::Test(_) => ws
            .items
            .solutions
            .values()
            .map(|s| {
                (
                    s.id.clone(),
                    s.title.clone(),
                    format!("solution · {}", s.status.label()),
                )
            })
            .collect(),
        Node::Outcome(_) | Node::NoOutcome => Vec::new(),
    }
}

/// The edit that moves `node` under the picked target.
fn moved(ws: &Workspace, node: &Node, to: &Id) -> Option<(String, Edit)> {
    match node {
        Node::Opportunity(id) => {
            let mut o = ws.opportunity(id)?.clone();
            let place = if to.as_str().is_empty() {
                o.parent = None;
                o.outcome = None;
                "No outcome".to_string()
            } else if let Some(out) = to.as_str().strip_prefix("outcome:") {
                let out = Id::from(out);
                let name = ws.items.outcomes.get(&out)?.name.clone();
                o.parent = None;
                o.outcome = Some(out);
                name
            } else {
                let p = ws.opportunity(to)?;
                if ws.would_cycle(id, to) {
                    return None;
                }
                o.parent = Some(to.clone());
                // It now answers to its parent's outcome.
                o.outcome = None;
                p.title.clone()
            };
            Some((
                format!("move \"{}\" under \"{place}\"", o.title),
                Edit::SetOpportunity { opportunity: o },
            ))
        }
        Node::Solution(id) => {
            let mut s = ws.items.solutions.get(id)?.clone();
            let p = ws.opportunity(to)?;
            s.opportunity = to.clone();
            Some((
                format!("move \"{}\" under \"{}\"", s.title, p.title),
                edit::put(Item::Solution(s)),
            ))
        }
        Node::Test(id) => {
            let mut t = ws.items.tests.get(id)?.clone();
            let s = ws.items.solutions.get(to)?;
            t.solution = to.clone();
            Some((
                format!("move \"{}\" under \"{}\"", t.assumption, s.title),
                edit::put(Item::Test(t)),
            ))
        }
        Node::Outcome(_) | Node::NoOutcome => None,
    }
}

/// `m` in the tree: move the selection under another parent.
pub fn move_node(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(node) = selected(app) else {
        return Err("Select something in the Tree (6) to move it".into());
    };
    if matches!(node, Node::Outcome(_) | Node::NoOutcome) {
        return Err("Outcomes are the roots of the tree: they do not move".into());
    }
    let name = node
        .entity()
        .map(|e| app.ws.describe(&e))
        .unwrap_or_default();
    let picker = Picker::new(
        format!("Move {} under…", sanitize(&name)),
        targets(&app.ws, &app.stats, &node),
        Vec::new(),
        false,
    );
    app.push(Choose::new(
        picker,
        Box::new(move |ids, cx| {
            let Some(to) = ids.first() else {
                return Vec::new();
            };
            match moved(cx.ws, &node, to) {
                Some((label, e)) => vec![Cmd::apply(label, e)],
                None => vec![Cmd::Say(
                    crate::tui::state::Level::Warn,
                    "It cannot move there (it would sit under itself)".into(),
                )],
            }
        }),
    ));
    Ok(())
}

/// `v`: set the opportunity to the verdict its metrics suggest.
pub fn validate(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(id) = selected_opportunity(app) else {
        return Err(
            "Select an opportunity (or its solution) in the Tree (6) or Opportunities (4)".into(),
        );
    };
    let o = app
        .ws
        .opportunity(&id)
        .ok_or("the opportunity no longer exists")?;
    let Some(s) = validation::suggest(&app.ws, o, app.env.today) else {
        let why = match o.status {
            Status::Validated | Status::Invalidated => {
                format!("It is already {}", o.status.label())
            }
            _ => "Nothing to suggest yet: a shipped solution's metrics need 3 observations after the ship date that meet the target (or a window that ended without improving)".to_string(),
        };
        app.info(why);
        return Ok(());
    };
    let mut new = o.clone();
    new.status = s.status;
    let label = format!("set \"{}\" to {}", o.title, s.status.label());
    let said = format!(
        "\"{}\" is now {} ({})",
        sanitize(&o.title),
        s.status.label(),
        sanitize(&s.describe(&app.ws))
    );
    if app.apply(label, Edit::SetOpportunity { opportunity: new }) {
        app.info(said);
    }
    Ok(())
}

/// `:ship [DATE]`: the selected solution shipped, today or on a date.
/// The verdicts the metrics suggest now, by opportunity.
pub fn suggested(app: &App) -> Vec<(Id, Status)> {
    validation::suggestions(&app.ws, app.env.today)
        .into_iter()
        .map(|s| (s.opportunity, s.status))
        .collect()
}

/// " — the metrics suggest …": the first suggestion `before` lacked, said
/// with the key that accepts it.
pub fn new_suggestion(app: &App, before: &[(Id, Status)]) -> String {
    let Some((id, status)) = suggested(app).into_iter().find(|s| !before.contains(s)) else {
        return String::new();
    };
    let Some(o) = app.ws.opportunity(&id) else {
        return String::new();
    };
    format!(
        " — the metrics suggest \"{}\" is {}: {} in the Tree ({}) accepts",
        sanitize(&o.title),
        status.label(),
        app.env.keys.hint(Action::Validate),
        app.env.keys.hint(Action::ViewTree),
    )
}

pub fn ship(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Ship(date) = c else {
        return Err(wrong(&c));
    };
    let Some(Node::Solution(id)) = selected(app) else {
        return Err("Select a solution in the Tree (6) to ship it".into());
    };
    let mut s = app
        .ws
        .items
        .solutions
        .get(&id)
        .ok_or("the solution no longer exists")?
        .clone();
    let date: NaiveDate = date.unwrap_or(app.env.today);
    s.status = SolutionStatus::Shipped;
    s.shipped = Some(date);
    let title = s.title.clone();
    let before = suggested(app);
    if app.apply(
        format!("ship \"{title}\" on {date}"),
        edit::put(Item::Solution(s)),
    ) {
        let hint = match app
            .ws
            .items
            .solutions
            .get(&id)
            .map(|s| app.ws.validating_metrics(s).len())
        {
            Some(0) => " — no metric measures its opportunity or outcome yet".to_string(),
            Some(n) => format!(
                " — {} compared before and after",
                crate::text::count(n, "metric")
            ),
            None => String::new(),
        };
        let suggestion = new_suggestion(app, &before);
        app.info(format!(
            "Shipped \"{}\" on {date}{hint}{suggestion}",
            sanitize(&title)
        ));
    }
    Ok(())
}
