//! Reordering: phases and activities left and right, personas up and
//! down, opportunities from one roadmap horizon to the next.

use crate::model::ActivityPos;
use crate::model::edit::Edit;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::state::View;
use crate::tui::state::map::{Column, Row, Selection};
use crate::tui::views::opportunities::{COLUMNS, column_title};

use super::edit::wrong;

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
            if app.apply_and_say(
                format!(
                    "move phase {name} {}",
                    if dir < 0 { "left" } else { "right" }
                ),
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
    let way = if dir < 0 { "left" } else { "right" };
    if app.apply_and_say(format!("move activity {name} {way}"), edit) {
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
    app.apply_and_say(
        format!(
            "move persona {name} {}",
            if dir < 0 { "up" } else { "down" }
        ),
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
