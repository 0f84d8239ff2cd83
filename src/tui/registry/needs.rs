//! The needs map (view 7): adding nodes and layers, opening them in their
//! forms, and adding or removing "depends on" edges.

use crate::model::edit;
use crate::model::needs::{self, NeedsNode};
use crate::model::{EntityRef, Id, Item, Kind};
use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::form::Form;
use crate::tui::form::needs::{LayerForm, NodeForm};
use crate::tui::layer::Cmd;
use crate::tui::popups::choose::Choose;
use crate::tui::popups::picker::Picker;
use crate::tui::state::{Level, View};

use super::edit::wrong;

/// The selected node, in the needs map.
fn selected(app: &App) -> Option<Id> {
    (app.view() == View::Needs)
        .then(|| app.views.needs.selected_node(&app.ws))
        .flatten()
}

/// The layer new nodes go to: the selected one (the top layer elsewhere).
fn target_layer(app: &App) -> Option<Id> {
    let layers = app.ws.needs_layers();
    let i = if app.view() == View::Needs {
        app.views.needs.layer
    } else {
        0
    };
    layers.get(i).or(layers.first()).map(|l| l.id.clone())
}

/// Enter in the needs map: the node's form, or the layer's when it has no
/// node.
pub fn open(app: &mut App) -> Result<(), String> {
    match app.views.needs.selection(&app.ws) {
        Some(EntityRef::Item(Kind::NeedsNode, id)) => {
            app.push(Form::new(NodeForm::new(&app.ws, id, None, "")));
        }
        Some(EntityRef::Item(Kind::NeedsLayer, id)) => {
            app.push(Form::new(LayerForm::new(&app.ws, id, None, "")));
        }
        _ => {}
    }
    Ok(())
}

/// `a` in the needs map, `:add-node NAME`: a node in the selected layer.
pub fn add_node(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddNeedsNode(name) = c else {
        return Err(wrong(&c));
    };
    let layer = target_layer(app);
    let id = app.ws.fresh_id();
    match (name, layer) {
        (Some(name), Some(layer)) => {
            let n = NeedsNode::new(id.clone(), layer, name.clone());
            let e = needs::add_node(&app.ws, n);
            if app.apply(format!("add node \"{name}\""), e) {
                app.views.current = View::Needs;
                app.views
                    .needs
                    .show(&app.ws, &EntityRef::Item(Kind::NeedsNode, id));
                app.info(format!("Added node \"{}\"", sanitize(&name)));
            }
        }
        (name, layer) => {
            let f = NodeForm::new(&app.ws, id, layer, name.as_deref().unwrap_or(""));
            app.push(Form::new(f));
        }
    }
    Ok(())
}

/// `A` in the needs map, `:add-layer NAME`: a layer below the selected one.
pub fn add_layer(app: &mut App, c: Command) -> Result<(), String> {
    let Command::AddLayer(name) = c else {
        return Err(wrong(&c));
    };
    let after = (app.view() == View::Needs).then_some(app.views.needs.layer);
    let id = app.ws.fresh_id();
    match name {
        Some(name) => {
            let l = needs::NeedsLayer {
                id: id.clone(),
                name: name.clone(),
                description: String::new(),
                rank: 0,
            };
            let e = needs::insert_layer(&app.ws, after, l);
            if app.apply(format!("add layer \"{name}\""), e) {
                app.views.current = View::Needs;
                app.views
                    .needs
                    .show(&app.ws, &EntityRef::Item(Kind::NeedsLayer, id));
                app.info(format!("Added layer \"{}\"", sanitize(&name)));
            }
        }
        None => app.push(Form::new(LayerForm::new(&app.ws, id, after, ""))),
    }
    Ok(())
}

/// `+`: the selected node depends on a node of a lower layer, picked.
pub fn link(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(from) = selected(app) else {
        return Err("Select a node in the Needs map (7) to link it".into());
    };
    let ws = &app.ws;
    let layers = ws.needs_layers();
    let options: Vec<(Id, String, String)> = layers
        .iter()
        .flat_map(|l| {
            ws.nodes_in_layer(&l.id)
                .into_iter()
                .filter(|n| ws.can_depend(&from, &n.id).is_ok())
                .map(|n| (n.id.clone(), n.name.clone(), l.name.clone()))
        })
        .collect();
    if options.is_empty() {
        return Err("No node below it to depend on (nodes depend only on lower layers)".into());
    }
    let name = ws
        .items
        .nodes
        .get(&from)
        .map_or(String::new(), |n| n.name.clone());
    let picker = Picker::new(
        format!("\"{}\" depends on…", sanitize(&name)),
        options,
        Vec::new(),
        false,
    );
    app.push(Choose::new(
        picker,
        Box::new(move |ids, cx| {
            let Some(to) = ids.first() else {
                return Vec::new();
            };
            if let Err(e) = cx.ws.can_depend(&from, to) {
                return vec![Cmd::Say(Level::Warn, e.to_string())];
            }
            let Some(mut n) = cx.ws.items.nodes.get(&from).cloned() else {
                return Vec::new();
            };
            let target = cx
                .ws
                .items
                .nodes
                .get(to)
                .map_or(String::new(), |t| t.name.clone());
            n.depends_on.push(to.clone());
            let label = format!("\"{}\" depends on \"{target}\"", n.name);
            vec![Cmd::apply(label, edit::put(Item::NeedsNode(n)))]
        }),
    ));
    Ok(())
}

/// `-`: removes one of the selected node's edges, picked.
pub fn unlink(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(from) = selected(app) else {
        return Err("Select a node in the Needs map (7) to unlink it".into());
    };
    let ws = &app.ws;
    let node = ws
        .items
        .nodes
        .get(&from)
        .ok_or("the node no longer exists")?;
    if node.depends_on.is_empty() {
        return Err(format!("\"{}\" depends on nothing", sanitize(&node.name)));
    }
    let options: Vec<(Id, String, String)> = node
        .depends_on
        .iter()
        .map(|d| {
            let (name, layer) = ws.items.nodes.get(d).map_or_else(
                || (format!("{d} (missing)"), String::new()),
                |t| {
                    let layer = ws
                        .needs_layers()
                        .into_iter()
                        .find(|l| l.id == t.layer)
                        .map_or(String::new(), |l| l.name);
                    (t.name.clone(), layer)
                },
            );
            (d.clone(), name, layer)
        })
        .collect();
    let picker = Picker::new(
        format!("\"{}\" no longer depends on…", sanitize(&node.name)),
        options,
        Vec::new(),
        false,
    );
    app.push(Choose::new(
        picker,
        Box::new(move |ids, cx| {
            let Some(to) = ids.first() else {
                return Vec::new();
            };
            let Some(mut n) = cx.ws.items.nodes.get(&from).cloned() else {
                return Vec::new();
            };
            n.depends_on.retain(|d| d != to);
            let target = cx
                .ws
                .items
                .nodes
                .get(to)
                .map_or(to.to_string(), |t| t.name.clone());
            let label = format!("\"{}\" no longer depends on \"{target}\"", n.name);
            vec![Cmd::apply(label, edit::put(Item::NeedsNode(n)))]
        }),
    ));
    Ok(())
}
