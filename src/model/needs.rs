//! The User Needs Map: the value chain of a platform, from the needs of
//! the organisation's end users, through the capabilities of the products
//! its consumers build, down to platform capabilities and infrastructure.
//!
//! Nodes sit in named layers (top to bottom); a node "depends on" nodes of
//! lower layers only, so the edges never form a loop. Layers and nodes are
//! [`Item`](super::Item)s, kept one per file (`needs-layers/<id>.ron`,
//! `needs/<id>.ron`), so two people adding nodes on two branches add two
//! files, which plain git merges.
//!
//! A workspace without stored layers uses the four default layers, whose
//! ids are fixed: two branches that each start a map write the same layer
//! files, which merge as one.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::edit::{self, Edit, Impact};
use super::{Id, Item, Kind, Workspace};

/// A row of the needs map, such as "Platform capabilities".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedsLayer {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Its place from the top (layers sort by rank, then id).
    #[serde(default)]
    pub rank: u32,
}

/// A box of the needs map: a need, a capability or a piece of
/// infrastructure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedsNode {
    pub id: Id,
    /// The layer it sits in.
    pub layer: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The nodes of lower layers it needs to work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opportunities: Vec<Id>,
}

impl NeedsNode {
    pub fn new(id: Id, layer: Id, name: impl Into<String>) -> Self {
        NeedsNode {
            id,
            layer,
            name: name.into(),
            description: String::new(),
            depends_on: Vec::new(),
            personas: Vec::new(),
            activities: Vec::new(),
            opportunities: Vec::new(),
        }
    }
}

/// The id of the default layer of platform capabilities: its nodes are
/// what consumer teams adopt (see [`crate::model::Target::Capability`]).
pub const PLATFORM_LAYER: &str = "platform-capabilities";

/// The four layers of a map nobody has named otherwise.
pub fn default_layers() -> Vec<NeedsLayer> {
    [
        ("end-user-needs", "End-user needs"),
        ("consumer-capabilities", "Consumers' product capabilities"),
        (PLATFORM_LAYER, "Platform capabilities"),
        ("infrastructure", "Infrastructure"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (id, name))| NeedsLayer {
        id: id.into(),
        name: name.into(),
        description: String::new(),
        rank: i as u32,
    })
    .collect()
}

/// What a node is connected to, found by walking the edges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Nodes that depend on it, directly or through others (up the map).
    pub serves: BTreeSet<Id>,
    /// Nodes it depends on, directly or through others (down the map).
    pub relies_on: BTreeSet<Id>,
    /// Opportunities attached to it or to a node it serves, in the order
    /// met, without repeats.
    pub opportunities: Vec<Id>,
}

/// Why an edge cannot be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    Missing(Id),
    Itself,
    /// The target is in the same layer or above.
    NotBelow,
    Already,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Missing(id) => write!(f, "no needs-map node {id}"),
            LinkError::Itself => f.write_str("a node cannot depend on itself"),
            LinkError::NotBelow => f.write_str("a node can only depend on a node of a lower layer"),
            LinkError::Already => f.write_str("it already depends on that node"),
        }
    }
}

impl Workspace {
    /// The layers of the needs map, top first: the stored ones, or the four
    /// defaults when none is stored.
    pub fn needs_layers(&self) -> Vec<NeedsLayer> {
        if self.items.layers.is_empty() {
            return default_layers();
        }
        let mut v: Vec<NeedsLayer> = self.items.layers.values().cloned().collect();
        v.sort_by(|a, b| (a.rank, &a.id).cmp(&(b.rank, &b.id)));
        v
    }

    /// Where a layer is from the top.
    pub fn layer_index(&self, layer: &Id) -> Option<usize> {
        self.needs_layers().iter().position(|l| &l.id == layer)
    }

    /// The nodes of a layer, by name.
    pub fn nodes_in_layer<'a>(&'a self, layer: &Id) -> Vec<&'a NeedsNode> {
        let mut v: Vec<&NeedsNode> = self
            .items
            .nodes
            .values()
            .filter(|n| &n.layer == layer)
            .collect();
        v.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    /// The nodes that depend directly on `id`.
    pub fn dependents_of<'a>(&'a self, id: &'a Id) -> impl Iterator<Item = &'a NeedsNode> + 'a {
        self.items
            .nodes
            .values()
            .filter(move |n| n.depends_on.contains(id))
    }

    /// What a node serves (up the edges, transitively), what it relies on
    /// (down), and the opportunities attached to it and along the way up.
    /// Loops left by a hand edit are walked once.
    pub fn reach(&self, id: &Id) -> Reach {
        let nodes = &self.items.nodes;
        let mut up: BTreeMap<&Id, Vec<&Id>> = BTreeMap::new();
        for n in nodes.values() {
            for d in &n.depends_on {
                up.entry(d).or_default().push(&n.id);
            }
        }
        let mut r = Reach::default();
        let add_opps = |n: Option<&NeedsNode>, r: &mut Reach| {
            for o in n.map(|n| n.opportunities.as_slice()).unwrap_or_default() {
                if !r.opportunities.contains(o) {
                    r.opportunities.push(o.clone());
                }
            }
        };
        add_opps(nodes.get(id), &mut r);
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            for &next in up.get(cur).map(Vec::as_slice).unwrap_or_default() {
                if next != id && r.serves.insert(next.clone()) {
                    add_opps(nodes.get(next), &mut r);
                    stack.push(next);
                }
            }
        }
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            for next in nodes
                .get(cur)
                .map(|n| n.depends_on.as_slice())
                .unwrap_or_default()
            {
                if next != id && r.relies_on.insert(next.clone()) {
                    stack.push(next);
                }
            }
        }
        r
    }

    /// Whether `from` may depend on `to`: both exist, `to` is in a lower
    /// layer, and the edge is new.
    pub fn can_depend(&self, from: &Id, to: &Id) -> Result<(), LinkError> {
        let a = self
            .items
            .nodes
            .get(from)
            .ok_or_else(|| LinkError::Missing(from.clone()))?;
        let b = self
            .items
            .nodes
            .get(to)
            .ok_or_else(|| LinkError::Missing(to.clone()))?;
        if from == to {
            return Err(LinkError::Itself);
        }
        let layers = self.needs_layers();
        let at = |l: &Id| layers.iter().position(|x| &x.id == l);
        match (at(&a.layer), at(&b.layer)) {
            (Some(x), Some(y)) if y > x => {}
            _ => return Err(LinkError::NotBelow),
        }
        if a.depends_on.contains(to) {
            return Err(LinkError::Already);
        }
        Ok(())
    }

    /// Every chain from a node of the top layer down to a node that
    /// depends on nothing, each top first; at most `limit` of them.
    pub fn needs_chains(&self, limit: usize) -> (Vec<Vec<&NeedsNode>>, usize) {
        let layers = self.needs_layers();
        let mut out = Vec::new();
        let mut more = 0;
        let Some(top) = layers.first() else {
            return (out, 0);
        };
        fn walk<'a>(
            ws: &'a Workspace,
            path: &mut Vec<&'a NeedsNode>,
            out: &mut Vec<Vec<&'a NeedsNode>>,
            more: &mut usize,
            limit: usize,
        ) {
            let last = path[path.len() - 1];
            let mut next: Vec<&NeedsNode> = last
                .depends_on
                .iter()
                .filter_map(|d| ws.items.nodes.get(d))
                .filter(|n| !path.iter().any(|p| p.id == n.id))
                .collect();
            next.sort_by_key(|n| (n.name.to_lowercase(), n.id.clone()));
            if next.is_empty() {
                if out.len() < limit {
                    out.push(path.clone());
                } else {
                    *more += 1;
                }
                return;
            }
            for n in next {
                path.push(n);
                walk(ws, path, out, more, limit);
                path.pop();
            }
        }
        for n in self.nodes_in_layer(&top.id) {
            walk(self, &mut vec![n], &mut out, &mut more, limit);
        }
        (out, more)
    }

    /// Edges that go sideways or up, and loops: `(node, depends-on, why)`.
    pub fn needs_edge_problems(&self) -> Vec<(Id, Id, String)> {
        let layers = self.needs_layers();
        let at = |l: &Id| layers.iter().position(|x| &x.id == l);
        let mut out = Vec::new();
        for n in self.items.nodes.values() {
            for d in &n.depends_on {
                let Some(t) = self.items.nodes.get(d) else {
                    continue;
                };
                if let (Some(x), Some(y)) = (at(&n.layer), at(&t.layer))
                    && y <= x
                {
                    let why = if y == x {
                        "in the same layer"
                    } else {
                        "in a higher layer"
                    };
                    out.push((
                        n.id.clone(),
                        d.clone(),
                        format!(
                            "depends on \"{}\" ({d}), {why}: a node depends only on nodes below it",
                            t.name
                        ),
                    ));
                }
            }
        }
        // Loops: a depth-first walk that meets a node on its own path.
        let mut state: BTreeMap<&Id, u8> = BTreeMap::new(); // 1 on the path, 2 done
        for start in self.items.nodes.keys() {
            if state.contains_key(start) {
                continue;
            }
            let mut stack: Vec<(&Id, usize)> = vec![(start, 0)];
            state.insert(start, 1);
            while let Some((cur, i)) = stack.pop() {
                let deps = self
                    .items
                    .nodes
                    .get(cur)
                    .map(|n| n.depends_on.as_slice())
                    .unwrap_or_default();
                if let Some(next) = deps.get(i) {
                    stack.push((cur, i + 1));
                    if !self.items.nodes.contains_key(next) {
                        continue;
                    }
                    match state.get(next) {
                        Some(1) => {
                            let from = stack.iter().position(|(s, _)| *s == next).unwrap_or(0);
                            let names: Vec<String> = stack[from..]
                                .iter()
                                .map(|(s, _)| self.items.nodes[*s].name.clone())
                                .chain([self.items.nodes[next].name.clone()])
                                .collect();
                            out.push((
                                cur.clone(),
                                next.clone(),
                                format!("is part of a loop: {}", names.join(" → ")),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            state.insert(next, 1);
                            stack.push((next, 0));
                        }
                    }
                } else {
                    state.insert(cur, 2);
                }
            }
        }
        out
    }

    /// Needs-map nodes linked to an opportunity.
    pub fn nodes_of_opportunity<'a>(
        &'a self,
        opportunity: &'a Id,
    ) -> impl Iterator<Item = &'a NeedsNode> + 'a {
        self.items
            .nodes
            .values()
            .filter(move |n| n.opportunities.contains(opportunity))
    }
}

/// A new node in `layer` (the default layers are written too when the
/// workspace has none stored, so that the node's layer exists on disk).
pub fn add_node(ws: &Workspace, node: NeedsNode) -> Edit {
    let mut edits = Vec::new();
    if ws.items.layers.is_empty() {
        edits.extend(
            default_layers()
                .into_iter()
                .map(|l| edit::put(Item::NeedsLayer(l))),
        );
    }
    edits.push(edit::put(Item::NeedsNode(node)));
    Edit::Batch(edits)
}

/// Removes a node, and the edges of other nodes to it; a capability's
/// adoption records go with it, and a metric that computed its adoption
/// rate keeps its other fields, without the rate.
pub fn delete_node(ws: &Workspace, id: &Id) -> (Edit, Impact) {
    let mut edits = Vec::new();
    let mut impact = Impact::default();
    for n in ws.dependents_of(id) {
        let mut n = n.clone();
        n.depends_on.retain(|d| d != id);
        impact.node_links += 1;
        edits.push(edit::put(Item::NeedsNode(n)));
    }
    let target = crate::model::Target::Capability(id.clone());
    for m in ws
        .metrics
        .iter()
        .filter(|m| m.adoption.as_ref().is_some_and(|a| a.target == target))
    {
        impact.metric_links += 1;
        let mut m = m.clone();
        m.adoption = None;
        edits.push(Edit::SetMetric { metric: m });
    }
    for a in ws.items.adoptions.values().filter(|a| a.target == target) {
        impact.adoption += 1;
        edits.push(edit::remove(Kind::Adoption, &a.id));
    }
    edits.push(edit::remove(Kind::NeedsNode, id));
    (Edit::Batch(edits), impact)
}

/// Removes a layer with no nodes; `None` when nodes still sit in it.
pub fn delete_layer(ws: &Workspace, id: &Id) -> Option<Edit> {
    if ws.items.nodes.values().any(|n| &n.layer == id) {
        return None;
    }
    let mut edits = Vec::new();
    if ws.items.layers.is_empty() {
        // Deleting a default layer writes the other three.
        edits.extend(
            default_layers()
                .into_iter()
                .filter(|l| &l.id != id)
                .map(|l| edit::put(Item::NeedsLayer(l))),
        );
    } else {
        edits.push(edit::remove(Kind::NeedsLayer, id));
    }
    Some(Edit::Batch(edits))
}

/// Renames a layer (the defaults are written when none is stored).
pub fn rename_layer(ws: &Workspace, id: &Id, name: &str) -> Option<Edit> {
    let mut layers = ws.needs_layers();
    let l = layers.iter_mut().find(|l| &l.id == id)?;
    l.name = name.to_string();
    Some(Edit::Batch(
        layers
            .into_iter()
            .filter(|l| ws.items.layers.get(&l.id) != Some(l))
            .map(|l| edit::put(Item::NeedsLayer(l)))
            .collect(),
    ))
}

/// A new layer below the layer at `after` (on top with `None`); the ranks
/// of the layers are rewritten where they must move.
pub fn insert_layer(ws: &Workspace, after: Option<usize>, layer: NeedsLayer) -> Edit {
    let mut layers = ws.needs_layers();
    let at = after.map_or(0, |a| (a + 1).min(layers.len()));
    layers.insert(at, layer);
    let mut edits = Vec::new();
    for (i, mut l) in layers.into_iter().enumerate() {
        l.rank = i as u32;
        if ws.items.layers.get(&l.id) != Some(&l) {
            edits.push(edit::put(Item::NeedsLayer(l)));
        }
    }
    Edit::Batch(edits)
}

/// The edits that unlink a persona, activity or opportunity from every
/// node that links it.
pub fn unlink_everywhere(ws: &Workspace, id: &Id, impact: &mut Impact) -> Vec<Edit> {
    let mut out = Vec::new();
    for n in ws.items.nodes.values() {
        if n.personas.contains(id) || n.activities.contains(id) || n.opportunities.contains(id) {
            let mut n = n.clone();
            n.personas.retain(|x| x != id);
            n.activities.retain(|x| x != id);
            n.opportunities.retain(|x| x != id);
            impact.node_links += 1;
            out.push(edit::put(Item::NeedsNode(n)));
        }
    }
    out
}

/// The edits that move links from opportunity `from` to `into` on every
/// node (merging two opportunities).
pub fn relink_opportunity(ws: &Workspace, from: &Id, into: &Id) -> Vec<Edit> {
    ws.items
        .nodes
        .values()
        .filter(|n| n.opportunities.contains(from))
        .map(|n| {
            let mut n = n.clone();
            n.opportunities.retain(|x| x != from);
            if !n.opportunities.contains(into) {
                n.opportunities.push(into.clone());
            }
            edit::put(Item::NeedsNode(n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::apply;

    fn node(ws: &mut Workspace, id: &str, layer: &str, deps: &[&str]) {
        let mut n = NeedsNode::new(id.into(), layer.into(), id.to_uppercase());
        n.depends_on = deps.iter().map(|d| Id::from(*d)).collect();
        ws.items.nodes.insert(id.into(), n);
    }

    /// orders ← checkout ← deploy ← cluster; catalogue ← observe;
    /// search (another need) ← catalogue.
    fn chain() -> Workspace {
        let mut ws = Workspace::new("t");
        for l in default_layers() {
            ws.items.layers.insert(l.id.clone(), l);
        }
        node(
            &mut ws,
            "orders",
            "end-user-needs",
            &["checkout", "catalogue"],
        );
        node(&mut ws, "search", "end-user-needs", &["catalogue"]);
        node(&mut ws, "checkout", "consumer-capabilities", &["deploy"]);
        node(&mut ws, "catalogue", "consumer-capabilities", &["observe"]);
        node(&mut ws, "deploy", "platform-capabilities", &["cluster"]);
        node(&mut ws, "observe", "platform-capabilities", &["cluster"]);
        node(&mut ws, "cluster", "infrastructure", &[]);
        ws.items
            .nodes
            .get_mut(&Id::from("catalogue"))
            .unwrap()
            .opportunities = vec!["opp1".into()];
        ws.items
            .nodes
            .get_mut(&Id::from("search"))
            .unwrap()
            .opportunities = vec!["opp2".into()];
        ws.items
            .nodes
            .get_mut(&Id::from("checkout"))
            .unwrap()
            .opportunities = vec!["opp3".into()];
        ws
    }

    fn ids(v: &[&str]) -> BTreeSet<Id> {
        v.iter().map(|s| Id::from(*s)).collect()
    }

    #[test]
    fn a_platform_capability_serves_the_needs_above_it() {
        let ws = chain();
        let r = ws.reach(&"observe".into());
        assert_eq!(r.serves, ids(&["catalogue", "orders", "search"]));
        assert_eq!(r.relies_on, ids(&["cluster"]));
        assert_eq!(r.opportunities, vec![Id::from("opp1"), Id::from("opp2")]);
        let r = ws.reach(&"cluster".into());
        assert_eq!(
            r.serves,
            ids(&[
                "catalogue",
                "checkout",
                "deploy",
                "observe",
                "orders",
                "search"
            ])
        );
        assert_eq!(r.opportunities.len(), 3);
        let r = ws.reach(&"deploy".into());
        assert_eq!(r.serves, ids(&["checkout", "orders"]));
        assert_eq!(r.opportunities, vec![Id::from("opp3")]);
    }

    #[test]
    fn chains_run_from_the_top_to_the_bottom() {
        let ws = chain();
        let (chains, more) = ws.needs_chains(100);
        let names: Vec<Vec<&str>> = chains
            .iter()
            .map(|c| c.iter().map(|n| n.id.as_str()).collect())
            .collect();
        assert_eq!(
            names,
            vec![
                vec!["orders", "catalogue", "observe", "cluster"],
                vec!["orders", "checkout", "deploy", "cluster"],
                vec!["search", "catalogue", "observe", "cluster"],
            ]
        );
        assert_eq!(more, 0);
        let (chains, more) = ws.needs_chains(1);
        assert_eq!((chains.len(), more), (1, 2));
    }

    #[test]
    fn edges_go_down_only() {
        let ws = chain();
        assert_eq!(ws.can_depend(&"orders".into(), &"cluster".into()), Ok(()));
        assert_eq!(
            ws.can_depend(&"cluster".into(), &"orders".into()),
            Err(LinkError::NotBelow)
        );
        assert_eq!(
            ws.can_depend(&"orders".into(), &"search".into()),
            Err(LinkError::NotBelow)
        );
        assert_eq!(
            ws.can_depend(&"orders".into(), &"orders".into()),
            Err(LinkError::Itself)
        );
        assert_eq!(
            ws.can_depend(&"orders".into(), &"checkout".into()),
            Err(LinkError::Already)
        );
        assert!(ws.needs_edge_problems().is_empty());
    }

    #[test]
    fn sideways_upward_and_looping_edges_are_reported() {
        let mut ws = chain();
        // cluster → deploy goes up and closes a loop deploy → cluster → deploy.
        ws.items
            .nodes
            .get_mut(&Id::from("cluster"))
            .unwrap()
            .depends_on = vec!["deploy".into()];
        ws.items
            .nodes
            .get_mut(&Id::from("orders"))
            .unwrap()
            .depends_on
            .push("search".into());
        let p = ws.needs_edge_problems();
        let msgs: Vec<&str> = p.iter().map(|(_, _, m)| m.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("in a higher layer")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("in the same layer")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("loop") && m.contains("DEPLOY") && m.contains("CLUSTER")),
            "{msgs:?}"
        );
        // The walks stop on the loop.
        let r = ws.reach(&"deploy".into());
        assert!(r.serves.contains(&Id::from("cluster")));
    }

    #[test]
    fn deleting_a_node_cuts_the_edges_to_it_and_undoes() {
        let mut ws = chain();
        let before = ws.clone();
        let (e, impact) = delete_node(&ws, &"catalogue".into());
        assert_eq!(impact.node_links, 2);
        let inv = apply(&mut ws, e).unwrap();
        assert!(!ws.items.nodes.contains_key(&Id::from("catalogue")));
        assert_eq!(
            ws.items.nodes[&Id::from("orders")].depends_on,
            vec![Id::from("checkout")]
        );
        apply(&mut ws, inv).unwrap();
        assert_eq!(ws, before);
    }

    #[test]
    fn the_first_node_writes_the_default_layers() {
        let mut ws = Workspace::new("t");
        assert_eq!(ws.needs_layers().len(), 4);
        let n = NeedsNode::new("n1".into(), "infrastructure".into(), "Clusters");
        let e = add_node(&ws, n);
        apply(&mut ws, e).unwrap();
        assert_eq!(ws.items.layers.len(), 4);
        assert_eq!(ws.needs_layers(), default_layers());
        assert!(crate::model::validate::is_valid(&ws));
        // Renaming writes only the changed layer once they are stored.
        let e = rename_layer(&ws, &"infrastructure".into(), "Clusters and clouds").unwrap();
        assert!(matches!(&e, Edit::Batch(v) if v.len() == 1));
        apply(&mut ws, e).unwrap();
        assert_eq!(ws.needs_layers()[3].name, "Clusters and clouds");
        // A layer with nodes stays.
        assert!(delete_layer(&ws, &"infrastructure".into()).is_none());
        let e = insert_layer(
            &ws,
            Some(0),
            NeedsLayer {
                id: "mid".into(),
                name: "Mid".into(),
                description: String::new(),
                rank: 0,
            },
        );
        apply(&mut ws, e).unwrap();
        let names: Vec<String> = ws
            .needs_layers()
            .into_iter()
            .map(|l| l.id.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "end-user-needs",
                "mid",
                "consumer-capabilities",
                "platform-capabilities",
                "infrastructure"
            ]
        );
    }

    /// Deleting a platform capability takes its adoption records with it
    /// and leaves the metrics that computed its rate without the rate:
    /// nothing dangles, and undo brings everything back.
    #[test]
    fn deleting_a_capability_takes_its_adoption_along() {
        let mut ws = crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let before = ws.clone();
        let deploy = Id::from("pk5dpy");
        let target = crate::model::Target::Capability(deploy.clone());
        let records = ws.items.adoptions.len();
        let of_it = ws
            .items
            .adoptions
            .values()
            .filter(|a| a.target == target)
            .count();
        assert_eq!(of_it, 6);
        let (e, impact) = delete_node(&ws, &deploy);
        assert_eq!((impact.adoption, impact.metric_links), (6, 2));
        let undo = edit::apply(&mut ws, e).unwrap();
        assert_eq!(ws.items.adoptions.len(), records - 6);
        assert!(
            ws.metrics
                .iter()
                .all(|m| m.adoption.as_ref().is_none_or(|a| a.target != target))
        );
        let errors: Vec<_> = crate::model::validate::validate(&ws)
            .into_iter()
            .filter(|f| f.severity == crate::model::validate::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        edit::apply(&mut ws, undo).unwrap();
        assert_eq!(ws, before);
    }
}
