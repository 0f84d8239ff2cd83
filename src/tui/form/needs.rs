//! The forms of the needs map: a node, a layer.

use super::FormSpec;
use super::fields::{Field, LineField, LinkKind, LinksField, TextField};
use crate::model::edit::{self, Edit};
use crate::model::needs::{self, NeedsLayer, NeedsNode};
use crate::model::{Id, Item, Workspace};
use crate::text::sanitize;

/// A node of the needs map: an existing one, or a new one in a layer.
pub struct NodeForm {
    id: Id,
    is_new: bool,
    title: String,
    name: LineField,
    layer: LinksField,
    description: TextField,
    depends_on: LinksField,
    personas: LinksField,
    activities: LinksField,
    opportunities: LinksField,
}

impl NodeForm {
    /// The form for a node; `id` not in the workspace makes a new one in
    /// `layer`.
    pub fn new(ws: &Workspace, id: Id, layer: Option<Id>, name: &str) -> NodeForm {
        let n = ws.items.nodes.get(&id);
        let list = |f: fn(&NeedsNode) -> &Vec<Id>| n.map(|n| f(n).clone()).unwrap_or_default();
        NodeForm {
            is_new: n.is_none(),
            title: match n {
                Some(n) => format!("Needs-map node · {}", sanitize(&n.name)),
                None => "New needs-map node".into(),
            },
            name: LineField::new(
                "Name",
                "a need, a capability or a piece of infrastructure",
                n.map_or(name, |n| n.name.as_str()),
            ),
            layer: LinksField::new(
                "Layer",
                LinkKind::NeedsLayer,
                n.map(|n| n.layer.clone()).or(layer).into_iter().collect(),
            ),
            description: TextField::text(
                "Description",
                "",
                n.map_or("", |n| n.description.as_str()),
                2,
            ),
            depends_on: LinksField::new(
                "Depends on",
                LinkKind::NeedsNodes,
                list(|n| &n.depends_on),
            ),
            personas: LinksField::new("Personas", LinkKind::Personas, list(|n| &n.personas)),
            activities: LinksField::new(
                "Activities",
                LinkKind::Activities,
                list(|n| &n.activities),
            ),
            opportunities: LinksField::new(
                "Opportunities",
                LinkKind::Opportunities,
                list(|n| &n.opportunities),
            ),
            id,
        }
    }
}

impl FormSpec for NodeForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.name,
            &self.layer,
            &self.description,
            &self.depends_on,
            &self.personas,
            &self.activities,
            &self.opportunities,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.name,
            &mut self.layer,
            &mut self.description,
            &mut self.depends_on,
            &mut self.personas,
            &mut self.activities,
            &mut self.opportunities,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("A node needs a name".into());
        }
        if !self.is_new && !ws.items.nodes.contains_key(&self.id) {
            return Err("the node no longer exists".into());
        }
        let layers = ws.needs_layers();
        let layer = self.layer.one().ok_or("Pick the node's layer")?;
        let at = layers
            .iter()
            .position(|l| l.id == layer)
            .ok_or("that layer no longer exists")?;
        for d in &self.depends_on.ids {
            let below = ws
                .items
                .nodes
                .get(d)
                .and_then(|t| layers.iter().position(|l| l.id == t.layer))
                .is_some_and(|y| y > at);
            if !below || d == &self.id {
                let what = ws
                    .items
                    .nodes
                    .get(d)
                    .map_or(d.to_string(), |t| t.name.clone());
                return Err(format!(
                    "\"{}\" is not in a lower layer: a node depends only on nodes below it",
                    sanitize(&what)
                ));
            }
        }
        let node = NeedsNode {
            id: self.id.clone(),
            layer,
            name: name.clone(),
            description: self.description.value(),
            depends_on: self.depends_on.ids.clone(),
            personas: self.personas.ids.clone(),
            activities: self.activities.ids.clone(),
            opportunities: self.opportunities.ids.clone(),
        };
        Ok(if self.is_new {
            (format!("add node \"{name}\""), needs::add_node(ws, node))
        } else {
            (
                format!("edit node \"{name}\""),
                edit::put(Item::NeedsNode(node)),
            )
        })
    }
}

/// A layer of the needs map: a new one below `after`, or an existing one.
pub struct LayerForm {
    id: Id,
    is_new: bool,
    after: Option<usize>,
    name: LineField,
    description: TextField,
}

impl LayerForm {
    pub fn new(ws: &Workspace, id: Id, after: Option<usize>, name: &str) -> LayerForm {
        let l = ws.needs_layers().into_iter().find(|l| l.id == id);
        LayerForm {
            is_new: l.is_none(),
            after,
            name: LineField::new(
                "Name",
                "e.g. \"Platform capabilities\"",
                l.as_ref().map_or(name, |l| l.name.as_str()),
            ),
            description: TextField::text(
                "Description",
                "",
                l.as_ref().map_or("", |l| l.description.as_str()),
                2,
            ),
            id,
        }
    }
}

impl FormSpec for LayerForm {
    fn title(&self) -> String {
        if self.is_new {
            "New needs-map layer".into()
        } else {
            "Needs-map layer".into()
        }
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.name, &self.description]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![&mut self.name, &mut self.description]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("A layer needs a name".into());
        }
        if self.is_new {
            let l = NeedsLayer {
                id: self.id.clone(),
                name: name.clone(),
                description: self.description.value(),
                rank: 0,
            };
            return Ok((
                format!("add layer \"{name}\""),
                needs::insert_layer(ws, self.after, l),
            ));
        }
        let mut layers = ws.needs_layers();
        let l = layers
            .iter_mut()
            .find(|l| l.id == self.id)
            .ok_or("the layer no longer exists")?;
        l.name = name.clone();
        l.description = self.description.value();
        let edits: Vec<Edit> = layers
            .into_iter()
            .filter(|l| ws.items.layers.get(&l.id) != Some(l))
            .map(|l| edit::put(Item::NeedsLayer(l)))
            .collect();
        Ok((format!("edit layer \"{name}\""), Edit::Batch(edits)))
    }
}
