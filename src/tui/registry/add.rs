//! Adding to the workspace and opening the selection: phases, activities,
//! personas, opportunities and metrics, named in a prompt or a form.

use crate::model::edit::Edit;
use crate::model::{
    Activity, ActivityPos, Metric, Opportunity, OpportunityKind, Persona, Phase, Role,
};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::adoption::{AdoptionForm, TeamForm};
use crate::tui::form::entities::{
    ActivityForm, MetricForm, OpportunityForm, PersonaForm, PerspectiveForm, PhaseForm,
    WorkspaceForm,
};
use crate::tui::popups::prompt::Prompt;
use crate::tui::state::View;
use crate::tui::state::map::{Column, Row, Selection};

use super::edit::wrong;

/// Where a phase added "after the selection" goes.
fn phase_index(app: &App) -> usize {
    match app.views.map.selection(&app.ws) {
        Selection::Phase(p) | Selection::EmptyPhase(p) => p + 1,
        Selection::Activity(a) => a.phase + 1,
        Selection::Cell { column, .. } => column.phase() + 1,
        _ => app.ws.phases.len(),
    }
}

pub fn add_phase(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddPhase(name) = c else {
        return Err(wrong(&c));
    };
    let Some(name) = name else {
        app.push(Prompt::new("New phase", "", |n| Command::AddPhase(Some(n))));
        return Ok(());
    };
    let index = phase_index(app).min(app.ws.phases.len());
    let phase = Phase {
        id: app.ws.fresh_id(),
        name: name.clone(),
        description: String::new(),
        activities: Vec::new(),
    };
    if app.apply(
        format!("add phase {name}"),
        Edit::InsertPhase { index, phase },
    ) {
        let m = &mut app.views.map;
        m.select_phase(&app.ws, index);
        m.row = Row::Phase;
        m.scroll_into_view(&app.ws, app.env.size);
        app.info(format!("Added phase \"{}\"", sanitize(&name)));
    }
    Ok(())
}

pub fn add_activity(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddActivity(name) = c else {
        return Err(wrong(&c));
    };
    let (phase, index) = app
        .views
        .insertion_point(&app.ws)
        .ok_or("There is no phase yet: add one first with :add-phase NAME")?;
    let Some(name) = name else {
        let phase_name = app
            .ws
            .phases
            .get(phase)
            .map_or(String::new(), |p| sanitize(&p.name));
        app.push(Prompt::new(
            format!("New activity in {phase_name}"),
            "",
            |n| Command::AddActivity(Some(n)),
        ));
        return Ok(());
    };
    let p = app
        .ws
        .phases
        .get(phase)
        .ok_or("Add a phase first (A, or :add-phase NAME)")?;
    let index = index.min(p.activities.len());
    let edit = Edit::InsertActivity {
        phase: p.id.clone(),
        index,
        activity: Activity {
            id: app.ws.fresh_id(),
            name: name.clone(),
            description: String::new(),
        },
    };
    let phase_name = p.name.clone();
    if app.apply(format!("add activity {name}"), edit) {
        let m = &mut app.views.map;
        m.select_activity(&app.ws, ActivityPos { phase, index });
        if !matches!(m.row, Row::Persona(_)) || app.ws.personas.is_empty() {
            m.row = Row::Activity;
        }
        m.scroll_into_view(&app.ws, app.env.size);
        app.info(format!(
            "Added activity \"{}\" to {}",
            sanitize(&name),
            sanitize(&phase_name)
        ));
    }
    Ok(())
}

/// Where a persona added "after the selection" goes.
fn persona_index(app: &App) -> usize {
    let n = app.ws.personas.len();
    match app.view() {
        View::Personas => (app.views.personas.selected + 1).min(n),
        _ => match app.views.map.row {
            Row::Persona(i) => i + 1,
            _ => n,
        },
    }
}

pub fn add_persona(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddPersona(name) = c else {
        return Err(wrong(&c));
    };
    let Some(name) = name else {
        app.push(Prompt::new("New persona", "", |n| {
            Command::AddPersona(Some(n))
        }));
        return Ok(());
    };
    let index = persona_index(app).min(app.ws.personas.len());
    let persona = Persona {
        id: app.ws.fresh_id(),
        name: name.clone(),
        role: Role::Consumer,
        description: String::new(),
        jobs: Vec::new(),
        tags: Vec::new(),
    };
    if app.apply(
        format!("add persona {name}"),
        Edit::InsertPersona { index, persona },
    ) {
        app.views.personas.selected = index;
        let m = &mut app.views.map;
        m.row = Row::Persona(index);
        if app.views.current == View::Map {
            m.col = crate::tui::state::map::Col::Names;
        }
        m.scroll_into_view(&app.ws, app.env.size);
        app.info(format!(
            "Added persona \"{}\" (consumer; change with :set-role)",
            sanitize(&name)
        ));
    }
    Ok(())
}

pub fn add_opportunity(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddOpportunity(title) = c else {
        return Err(wrong(&c));
    };
    let Some(title) = title else {
        app.push(Form::new(OpportunityForm::new(
            None,
            Vec::new(),
            Vec::new(),
        )));
        return Ok(());
    };
    let o = Opportunity::new(app.ws.fresh_id(), title.clone(), OpportunityKind::Need);
    let id = o.id.clone();
    let edit = Edit::InsertOpportunity {
        index: app.ws.opportunity_insert_index(&o.id),
        opportunity: o,
    };
    if app.apply(format!("add opportunity \"{title}\""), edit) {
        let v = &mut app.views;
        v.current = View::Opportunities;
        // The list shows everything again: rows kept under the filter
        // would hide the others behind an empty filter.
        v.opps.filter = Default::default();
        v.opps.refresh(&app.ws, &app.stats, None);
        v.opps.show(&app.ws, &id);
        app.info(format!(
            "Added: {} edits its kind, status, horizon and links",
            app.env.keys.hint(crate::tui::action::Action::Open)
        ));
    }
    Ok(())
}

pub fn add_metric(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddMetric(name) = c else {
        return Err(wrong(&c));
    };
    let Some(name) = name else {
        app.push(Form::new(MetricForm::new(None, None, None)));
        return Ok(());
    };
    let m = Metric {
        id: app.ws.fresh_id(),
        name: name.clone(),
        kind: Default::default(),
        unit: String::new(),
        description: String::new(),
        activity: None,
        opportunity: None,
        personas: Vec::new(),
        formula: None,
        adoption: None,
        baseline: None,
        target: None,
        direction: Default::default(),
        observations: Vec::new(),
    };
    let index = app.ws.metric_insert_index(&name);
    if app.apply(
        format!("add metric \"{name}\""),
        Edit::InsertMetric { index, metric: m },
    ) {
        app.views.current = View::Metrics;
        app.views.metrics.selected = index;
        let keys = &app.env.keys;
        let msg = format!(
            "Added: {} sets its unit, target and links; {} adds an observation",
            keys.hint(crate::tui::action::Action::Open),
            keys.hint(crate::tui::action::Action::Observe)
        );
        app.info(msg);
    }
    Ok(())
}

/// Enter: edit the selection in its form (or name something new).
pub fn open(app: &mut App, _c: Command) -> Result<(), String> {
    let ws = &app.ws;
    match app.views.current {
        View::Map => match app.views.map.selection(ws) {
            Selection::Cell {
                persona,
                column: Column::Activity(pos),
            } => {
                let p = ws.personas[persona].id.clone();
                let a = ws.phases[pos.phase].activities[pos.index].id.clone();
                let f = Form::new(PerspectiveForm::new(ws, &p, &a));
                app.push(f);
                Ok(())
            }
            Selection::Cell {
                column: Column::EmptyPhase(_),
                ..
            }
            | Selection::EmptyPhase(_) => add_activity(app, Command::AddActivity(None)),
            Selection::Persona(i) => {
                let f = Form::new(PersonaForm::new(&ws.personas[i]));
                app.push(f);
                Ok(())
            }
            Selection::Workspace => {
                let f = Form::new(WorkspaceForm::new(ws));
                app.push(f);
                Ok(())
            }
            Selection::Phase(p) => {
                let f = Form::new(PhaseForm::new(&ws.phases[p]));
                app.push(f);
                Ok(())
            }
            Selection::Activity(pos) => {
                let f = Form::new(ActivityForm::new(
                    &ws.phases[pos.phase].activities[pos.index],
                ));
                app.push(f);
                Ok(())
            }
        },
        View::Personas => match ws.personas.get(app.views.personas.selected) {
            Some(p) => {
                let f = Form::new(PersonaForm::new(p));
                app.push(f);
                Ok(())
            }
            None => add_persona(app, Command::AddPersona(None)),
        },
        View::Notes => match app.views.notes.selected().cloned() {
            Some(id) => {
                super::capture::edit_note(app, &id);
                Ok(())
            }
            None => super::capture::open(app, Command::Note),
        },
        View::Opportunities => {
            let o = app.views.opps.selected().and_then(|id| ws.opportunity(id));
            let f = Form::new(OpportunityForm::new(o, Vec::new(), Vec::new()));
            app.push(f);
            Ok(())
        }
        View::Metrics => {
            let m = ws.metrics.get(app.views.metrics.selected);
            let f = Form::new(MetricForm::new(m, None, None));
            app.push(f);
            Ok(())
        }
        View::Tree => super::tree::open(app),
        View::Needs => super::needs::open(app),
        View::Adoption => {
            let v = &app.views.adoption;
            match (v.team(ws).map(|t| t.id.clone()), v.target(ws)) {
                (Some(team), Some(target)) => {
                    let f = AdoptionForm::new(ws, team, target, app.env.today);
                    app.push(Form::new(f));
                }
                (Some(team), None) => {
                    let f = TeamForm::new(ws, team, app.env.today);
                    app.push(Form::new(f));
                }
                (None, _) => {
                    let f = TeamForm::new(ws, ws.fresh_id(), app.env.today);
                    app.push(Form::new(f));
                }
            }
            Ok(())
        }
    }
}

/// `a`: add something after the selection, whatever the view lists.
pub fn add(app: &mut App, _c: Command) -> Result<(), String> {
    match app.views.current {
        View::Map => match app.views.map.selection(&app.ws) {
            Selection::Persona(_) => add_persona(app, Command::AddPersona(None)),
            _ => match app.views.insertion_point(&app.ws) {
                Some(_) => add_activity(app, Command::AddActivity(None)),
                None => add_phase(app, Command::AddPhase(None)),
            },
        },
        View::Personas => add_persona(app, Command::AddPersona(None)),
        View::Notes => super::capture::open(app, Command::Note),
        View::Opportunities => add_opportunity(app, Command::AddOpportunity(None)),
        View::Metrics => add_metric(app, Command::AddMetric(None)),
        View::Tree => super::tree::add_child(app),
        View::Needs => super::needs::add_node(app, Command::AddNeedsNode(None)),
        View::Adoption => {
            let f = TeamForm::new(&app.ws, app.ws.fresh_id(), app.env.today);
            app.push(Form::new(f));
            Ok(())
        }
    }
}

/// The workspace's name and description, in a form.
pub fn edit_workspace(app: &mut App, _c: Command) -> Result<(), String> {
    let f = Form::new(WorkspaceForm::new(&app.ws));
    app.push(f);
    Ok(())
}
