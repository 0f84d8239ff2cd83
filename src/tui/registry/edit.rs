//! Commands on the selection: add, open, rename, delete, move, rate, filter,
//! observe. Each asks for what it lacks (a prompt for a name, a form) and
//! applies one undoable edit.

use crate::model::edit::{self, Edit};
use crate::model::{
    Activity, ActivityPos, EntityRef, Id, Metric, Opportunity, OpportunityKind, Persona, Phase,
    Role,
};
use crate::search::filter::{NoteFilter, OppFilter};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::entities::{
    MetricForm, ObservationForm, OpportunityForm, PersonaForm, PerspectiveForm,
};
use crate::tui::layer::Cmd;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::prompt::Prompt;
use crate::tui::state::View;
use crate::tui::state::map::{Column, Row, Selection};
use crate::tui::views::opportunities::{COLUMNS, column_title};

fn wrong(c: &Command) -> String {
    format!("{} cannot run here", c.name())
}

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
        v.opps.filter = Default::default();
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
            _ => rename(app, Command::Rename(None)),
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
    }
}

/// The current name of something that can be renamed.
fn name_of(app: &App, e: &EntityRef) -> Option<String> {
    let ws = &app.ws;
    Some(match e {
        EntityRef::Workspace => ws.name.clone(),
        EntityRef::Phase(id) => ws.phase(id)?.name.clone(),
        EntityRef::Activity(id) => ws.activity(id)?.name.clone(),
        EntityRef::Persona(id) => ws.persona(id)?.name.clone(),
        EntityRef::Opportunity(id) => ws.opportunity(id)?.title.clone(),
        EntityRef::Metric(id) => ws.metric(id)?.name.clone(),
        EntityRef::Note(id) => ws.notes.get(id)?.title.clone(),
        EntityRef::Perspective { .. } => return None,
    })
}

/// The entity a rename means: in a cell, the activity (its column).
fn rename_target(app: &App) -> Option<EntityRef> {
    match app.views.selection(&app.ws)? {
        EntityRef::Perspective { activity, .. } => Some(EntityRef::Activity(activity)),
        e => Some(e),
    }
}

pub fn rename(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Rename(name) = c else {
        return Err(wrong(&c));
    };
    let e = rename_target(app).ok_or("Nothing selected to rename")?;
    let Some(name) = name else {
        let Some(current) = name_of(app, &e) else {
            return Err("This cannot be renamed".into());
        };
        let title = format!("Rename {}", app.ws.describe(&e));
        app.push(Prompt::new(title, &current, |n| Command::Rename(Some(n))));
        return Ok(());
    };
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err("A name cannot be empty".into());
    }
    let ws = &app.ws;
    let what = ws.describe(&e);
    let edit = match &e {
        EntityRef::Workspace => Edit::SetMeta {
            name: name.clone(),
            description: ws.description.clone(),
        },
        EntityRef::Phase(id) => {
            let p = ws.phase(id).ok_or("the phase no longer exists")?;
            Edit::SetPhase {
                id: id.clone(),
                name: name.clone(),
                description: p.description.clone(),
            }
        }
        EntityRef::Activity(id) => {
            let mut a = ws
                .activity(id)
                .ok_or("the activity no longer exists")?
                .clone();
            a.name = name.clone();
            Edit::SetActivity { activity: a }
        }
        EntityRef::Persona(id) => {
            let mut p = ws
                .persona(id)
                .ok_or("the persona no longer exists")?
                .clone();
            p.name = name.clone();
            Edit::SetPersona { persona: p }
        }
        EntityRef::Opportunity(id) => {
            let mut o = ws
                .opportunity(id)
                .ok_or("the opportunity no longer exists")?
                .clone();
            o.title = name.clone();
            Edit::SetOpportunity { opportunity: o }
        }
        EntityRef::Metric(id) => {
            let mut m = ws.metric(id).ok_or("the metric no longer exists")?.clone();
            m.name = name.clone();
            Edit::SetMetric { metric: m }
        }
        EntityRef::Note(id) => {
            let mut n = ws.notes.get(id).ok_or("the note no longer exists")?.clone();
            // The body's first line is the title (the capture syntax).
            if let Some(first) = n.body.lines().next()
                && first.trim() == n.title.trim()
            {
                n.body = format!("{name}{}", &n.body[first.len()..]);
            }
            n.title = name.clone();
            Edit::PutNote {
                id: id.clone(),
                note: Some(n),
            }
        }
        EntityRef::Perspective { .. } => return Err("This cannot be renamed".into()),
    };
    if app.apply(format!("rename {what}"), edit) {
        app.info(format!("Renamed {what} to \"{}\"", sanitize(&name)));
    }
    Ok(())
}

pub fn delete(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(e) = app.views.selection(&app.ws) else {
        app.info("Nothing selected to delete");
        return Ok(());
    };
    let ws = &app.ws;
    let what = ws.describe(&e);
    let (edit, impact) = match &e {
        EntityRef::Workspace => {
            app.info("The workspace itself cannot be deleted from here");
            return Ok(());
        }
        EntityRef::Phase(id) => edit::delete_phase(ws, id),
        EntityRef::Activity(id) => edit::delete_activity(ws, id),
        EntityRef::Persona(id) => edit::delete_persona(ws, id),
        EntityRef::Note(id) => edit::delete_note(ws, id),
        EntityRef::Opportunity(id) => edit::delete_opportunity(ws, id),
        EntityRef::Metric(id) => (Edit::RemoveMetric { id: id.clone() }, Default::default()),
        EntityRef::Perspective { persona, activity } => {
            if ws.perspective(persona, activity).is_none() {
                app.info("This cell is empty: nothing to delete");
                return Ok(());
            }
            (
                Edit::SetPerspective {
                    persona: persona.clone(),
                    activity: activity.clone(),
                    value: None,
                },
                Default::default(),
            )
        }
    };
    let lines = vec![
        format!("Delete {}?", sanitize(&what)),
        format!("This also removes: {}.", impact.describe()),
        format!(
            "You can undo it with {}.",
            app.env.keys.hint(crate::tui::action::Action::Undo)
        ),
    ];
    app.push(Confirm::new(
        "Delete",
        lines,
        vec![Cmd::Apply {
            label: format!("delete {what}"),
            edit,
        }],
    ));
    Ok(())
}

pub fn set_role(app: &mut App, c: Command) -> Result<(), String> {
    let Command::SetRole(role) = c else {
        return Err(wrong(&c));
    };
    let i = app
        .views
        .selected_persona(&app.ws)
        .ok_or("Select a persona first (a row of the map, or in Personas)")?;
    let mut p = app.ws.personas[i].clone();
    let name = p.name.clone();
    p.role = role;
    if app.apply(
        format!("set role of {name}"),
        Edit::SetPersona { persona: p },
    ) {
        app.info(format!("{} is now a {}", sanitize(&name), role.label()));
    }
    Ok(())
}

pub fn set_rating(app: &mut App, c: Command) -> Result<(), String> {
    let (importance, rating) = match c {
        Command::SetImportance(r) => (true, r),
        Command::SetSatisfaction(r) => (false, r),
        c => return Err(wrong(&c)),
    };
    let Selection::Cell {
        persona,
        column: Column::Activity(pos),
    } = app.views.map.selection(&app.ws)
    else {
        return Err("Select a cell of the map first".into());
    };
    let ws = &app.ws;
    let pid = ws.personas[persona].id.clone();
    let aid = ws.phases[pos.phase].activities[pos.index].id.clone();
    let mut p = ws
        .perspective(&pid, &aid)
        .cloned()
        .unwrap_or_else(|| crate::model::Perspective::new(pid.clone(), aid.clone()));
    if importance {
        p.importance = rating;
    } else {
        p.satisfaction = rating;
    }
    let value = if p.is_blank() { None } else { Some(p) };
    app.apply(
        if importance {
            "set importance"
        } else {
            "set satisfaction"
        },
        Edit::SetPerspective {
            persona: pid,
            activity: aid,
            value,
        },
    );
    Ok(())
}

/// `H`/`L`/`K`/`J`: reorder phases, activities and personas, or move an
/// opportunity to another horizon.
pub fn move_selection(app: &mut App, c: Command) -> Result<(), String> {
    let dir: isize = match c {
        Command::MoveLeft | Command::MoveUp => -1,
        Command::MoveRight | Command::MoveDown => 1,
        c => return Err(wrong(&c)),
    };
    let sideways = matches!(c, Command::MoveLeft | Command::MoveRight);
    match (app.views.current, sideways) {
        (View::Map, true) => map_move(app, dir),
        (View::Map, false) => {
            let Row::Persona(i) = app.views.map.row else {
                app.info("Select a persona row to move it up or down");
                return Ok(());
            };
            if let Some(to) = move_persona(app, i, dir) {
                app.views.map.row = Row::Persona(to);
            }
        }
        (View::Personas, false) => {
            let i = app.views.personas.selected;
            if let Some(to) = move_persona(app, i, dir) {
                app.views.personas.selected = to;
            }
        }
        (View::Opportunities, true) => move_horizon(app, dir),
        (View::Personas, true) => app.info("That works on the Map (1)"),
        _ => app.info("That key works in another view: see ? for help"),
    }
    app.views.map.scroll_into_view(&app.ws, app.env.size);
    Ok(())
}

fn map_move(app: &mut App, dir: isize) {
    match app.views.map.selection(&app.ws) {
        Selection::Phase(p) | Selection::EmptyPhase(p) => {
            let to = p as isize + dir;
            if to < 0 || to >= app.ws.phases.len() as isize {
                app.info("The phase is already at the edge");
                return;
            }
            let id = app.ws.phases[p].id.clone();
            let name = app.ws.phases[p].name.clone();
            if app.apply(
                format!("move phase {name}"),
                Edit::MovePhase {
                    id,
                    to: to as usize,
                },
            ) {
                app.views.map.select_phase(&app.ws, to as usize);
            }
        }
        Selection::Activity(pos)
        | Selection::Cell {
            column: Column::Activity(pos),
            ..
        } => move_activity(app, pos, dir),
        _ => app.info("Select a phase or an activity to move it left or right"),
    }
}

fn move_activity(app: &mut App, pos: ActivityPos, dir: isize) {
    let ws = &app.ws;
    let id = ws.phases[pos.phase].activities[pos.index].id.clone();
    let len = ws.phases[pos.phase].activities.len();
    let (phase, index) = if dir > 0 {
        if pos.index + 1 < len {
            (pos.phase, pos.index + 1)
        } else if pos.phase + 1 < ws.phases.len() {
            (pos.phase + 1, 0)
        } else {
            app.info("The activity is already last");
            return;
        }
    } else if pos.index > 0 {
        (pos.phase, pos.index - 1)
    } else if pos.phase > 0 {
        (pos.phase - 1, ws.phases[pos.phase - 1].activities.len())
    } else {
        app.info("The activity is already first");
        return;
    };
    let name = ws.phases[pos.phase].activities[pos.index].name.clone();
    let edit = Edit::MoveActivity {
        id,
        phase: ws.phases[phase].id.clone(),
        index,
    };
    if app.apply(format!("move activity {name}"), edit) {
        app.views
            .map
            .select_activity(&app.ws, ActivityPos { phase, index });
    }
}

/// Moves the persona at `i` by one; returns its new index.
fn move_persona(app: &mut App, i: usize, dir: isize) -> Option<usize> {
    let n = app.ws.personas.len();
    let to = i as isize + dir;
    if i >= n || to < 0 || to >= n as isize {
        app.info("The persona is already at the edge");
        return None;
    }
    let id = app.ws.personas[i].id.clone();
    let name = app.ws.personas[i].name.clone();
    app.apply(
        format!("move persona {name}"),
        Edit::MovePersona {
            id,
            to: to as usize,
        },
    )
    .then_some(to as usize)
}

/// Moves the selected opportunity to the previous / next horizon column.
fn move_horizon(app: &mut App, dir: isize) {
    let Some(id) = app.views.opps.selected().cloned() else {
        return;
    };
    let Some(o) = app.ws.opportunity(&id) else {
        return;
    };
    let col = COLUMNS.iter().position(|h| *h == o.horizon).unwrap_or(3) as isize;
    let to = col + dir;
    if !(0..COLUMNS.len() as isize).contains(&to) {
        app.info("Already at the edge of the board");
        return;
    }
    let mut o = o.clone();
    o.horizon = COLUMNS[to as usize];
    let title = o.title.clone();
    if app.apply(
        format!("move \"{title}\" to {}", column_title(o.horizon)),
        Edit::SetOpportunity { opportunity: o },
    ) {
        if app.views.opps.board.is_some() {
            app.views.opps.select_card(to as usize, &id);
        }
        app.info(format!("Moved to {}", column_title(COLUMNS[to as usize])));
    }
}

pub fn filter(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Filter(text) = c else {
        return Err(wrong(&c));
    };
    if !matches!(app.views.current, View::Notes | View::Opportunities) {
        if text.is_none() {
            app.info("That key works in another view: see ? for help");
            return Ok(());
        }
        app.views.current = View::Notes;
    }
    let Some(text) = text else {
        let (title, current) = match app.views.current {
            View::Notes => (
                "Filter notes: persona:NAME activity:NAME #tag by:INTERVIEWEE words (empty: all)",
                app.views.notes.filter.text.clone(),
            ),
            _ => (
                "Filter: status:S horizon:now|next|later|none persona:NAME phase:NAME noevidence words",
                app.views.opps.filter.text.clone(),
            ),
        };
        app.push(Prompt::new(title, &current, |t| Command::Filter(Some(t))).allow_empty());
        return Ok(());
    };
    let v = &mut app.views;
    match v.current {
        View::Notes => {
            v.notes.filter = NoteFilter::parse(&app.ws, &text)?;
            v.notes.refresh(&app.ws, None);
            v.notes.list.selected = 0;
        }
        _ => {
            v.opps.filter = OppFilter::parse(&app.ws, &text)?;
            v.opps.refresh(&app.ws, None);
            v.opps.list.selected = 0;
        }
    }
    if text.trim().is_empty() {
        app.info("Filter cleared");
    }
    Ok(())
}

pub fn observe(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Observe(value) = c else {
        return Err(wrong(&c));
    };
    if app.views.current != View::Metrics {
        if value.is_none() {
            app.info("That key works in another view: see ? for help");
            return Ok(());
        }
        return Err("Select a metric in Metrics (5) first".into());
    }
    let Some(m) = app.ws.metrics.get(app.views.metrics.selected) else {
        if value.is_none() {
            let msg = format!(
                "Add a metric first ({})",
                app.env.keys.hint(crate::tui::action::Action::Add)
            );
            app.info(msg);
            return Ok(());
        }
        return Err("There is no metric yet".into());
    };
    let Some((value, date)) = value else {
        let f = Form::new(ObservationForm::new(m, app.env.today));
        app.push(f);
        return Ok(());
    };
    let mut m = m.clone();
    let date = date.unwrap_or(app.env.today);
    m.observations.push(crate::model::Observation {
        date,
        value,
        comment: String::new(),
    });
    let name = m.name.clone();
    app.apply_and_say(
        format!("observe {name}: {value} on {date}"),
        Edit::SetMetric { metric: m },
    );
    Ok(())
}

/// The opportunity a new evidence link or metric would refer to.
pub fn selected_opportunity(app: &App) -> Option<Id> {
    app.views.opps.selected().cloned()
}
