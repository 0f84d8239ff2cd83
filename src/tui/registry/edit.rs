//! Commands on the selection: rename, delete, set a role or a rating,
//! filter the list, observe a metric.

use crate::model::EntityRef;
use crate::model::edit::{self, Edit};
use crate::search::filter::{NoteFilter, OppFilter};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::entities::ObservationForm;
use crate::tui::layer::Cmd;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::prompt::Prompt;
use crate::tui::state::View;
use crate::tui::state::map::{Column, Selection};

pub(super) fn wrong(c: &Command) -> String {
    format!("{} cannot run here", c.name())
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
        EntityRef::Item(k, id) => ws.items.get(*k, id)?.title().to_string(),
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
            edit::set_metric(ws, m)
        }
        EntityRef::Note(id) => {
            let mut n = (**ws.notes.get(id).ok_or("the note no longer exists")?).clone();
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
        // Layers are written together while the defaults are not stored.
        EntityRef::Item(crate::model::Kind::NeedsLayer, id) => {
            crate::model::needs::rename_layer(ws, id, &name).ok_or("the layer no longer exists")?
        }
        EntityRef::Item(k, id) => {
            let mut it = ws
                .items
                .get(*k, id)
                .ok_or_else(|| format!("the {k} no longer exists"))?;
            match &mut it {
                crate::model::Item::Outcome(o) => o.name = name.clone(),
                crate::model::Item::Solution(s) => s.title = name.clone(),
                crate::model::Item::Test(t) => t.assumption = name.clone(),
                crate::model::Item::NeedsLayer(l) => l.name = name.clone(),
                crate::model::Item::NeedsNode(n) => n.name = name.clone(),
                crate::model::Item::Team(t) => t.name = name.clone(),
                crate::model::Item::Adoption(a) => a.comment = name.clone(),
            }
            edit::put(it)
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
        EntityRef::Metric(id) => edit::delete_metric(ws, id),
        EntityRef::Item(crate::model::Kind::NeedsLayer, id)
            if ws.items.nodes.values().any(|n| &n.layer == id) =>
        {
            app.info("Only an empty layer can be deleted: move or delete its nodes first");
            return Ok(());
        }
        EntityRef::Item(k, id) => edit::delete_item(ws, *k, id),
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
        if impact == Default::default() {
            "Nothing else is removed.".to_string()
        } else {
            format!("This also removes: {}.", impact.describe())
        },
        format!(
            "You can undo it with {}.",
            app.env.keys.hint(crate::tui::action::Action::Undo)
        ),
    ];
    app.push(Confirm::new(
        "Delete",
        lines,
        vec![Cmd::apply(format!("delete {what}"), edit)],
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
        let article = if role.label().starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        app.info(format!(
            "{} is now {article} {}",
            sanitize(&name),
            role.label()
        ));
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
    let label = format!(
        "set {} of {} on {} to {}",
        if importance {
            "importance"
        } else {
            "satisfaction"
        },
        ws.personas[persona].name,
        ws.phases[pos.phase].activities[pos.index].name,
        rating.map_or("none".to_string(), |r| r.to_string())
    );
    app.apply_and_say(
        label,
        Edit::SetPerspective {
            persona: pid,
            activity: aid,
            value,
        },
    );
    Ok(())
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
            v.opps.refresh(&app.ws, &app.stats, None);
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
    if m.is_derived() {
        return Err(format!(
            "\"{}\" is computed ({}); record the metrics it is computed from",
            crate::text::sanitize(&m.name),
            m.formula
                .as_deref()
                .map_or_else(|| "an adoption rate".to_string(), crate::text::sanitize)
        ));
    }
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
