//! The needs map on the command line and in git: `check` reports edges
//! that go up or sideways and loops with their file and line, `fmt`
//! leaves the template's map as it is, `diff` names added nodes, and two
//! branches adding nodes (and edges to one node) merge.

use std::fs;
use std::path::Path;

use valuemap::model::needs::{self, NeedsNode};
use valuemap::model::{Id, Workspace, edit::apply};
use valuemap::store::{Scope, Store};

#[path = "support/bin.rs"]
mod bin;
#[path = "support/git.rs"]
mod git;

use bin::valuemap;
use git::{Repo, git_available};

// Ids of the kubernetes-platform template's needs map.
const ORDERS: &str = "uk2shp";
const CHECKOUT: &str = "cx3chk";
const DEPLOY: &str = "pk5dpy";
const CLUSTERS: &str = "rk7kcs";

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    tmp
}

fn edit_ws(path: &Path, f: impl FnOnce(&mut Workspace)) {
    let (mut store, mut ws, _) = Store::open(path).unwrap();
    f(&mut ws);
    ws.normalize();
    store.save(&ws, &Scope::All, false).unwrap();
}

fn line_of(file: &Path, start: &str) -> usize {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in {}", file.display()))
        + 1
}

#[test]
fn the_template_map_is_valid_and_canonical() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    assert!(ws.join(format!("needs/{ORDERS}.ron")).is_file());
    assert!(ws.join("needs-layers/platform-capabilities.ron").is_file());
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!run.stdout.contains("needs-map"), "{run:?}");
    let run = valuemap(tmp.path(), &["fmt", "ws", "--check"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[test]
fn check_reports_an_upward_edge_and_the_loop_it_closes_with_file_and_line() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    let file = ws.join(format!("needs/{CLUSTERS}.ron"));
    // Clusters (infrastructure) "depends on" Deploy (a platform
    // capability above it): up, and a loop Deploy → Clusters → Deploy.
    let text = fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "        layer: \"infrastructure\",\n",
        &format!("        layer: \"infrastructure\",\n        depends_on: [\"{DEPLOY}\"],\n"),
    );
    fs::write(&file, text).unwrap();
    let line = line_of(&file, &format!("id: \"{CLUSTERS}\""));
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let up = format!(
        "ws/needs/{CLUSTERS}.ron:{line}: error: needs-map node \"Kubernetes clusters\": depends on \"Deploy a service\" ({DEPLOY}), in a higher layer: a node depends only on nodes below it"
    );
    assert!(run.stdout.lines().any(|l| l == up), "{up}\n{run:?}");
    assert!(
        run.stdout.contains("is part of a loop: ")
            && run
                .stdout
                .contains("Deploy a service → Kubernetes clusters → Deploy a service")
            || run
                .stdout
                .contains("Kubernetes clusters → Deploy a service → Kubernetes clusters"),
        "{run:?}"
    );
}

#[test]
fn check_reports_a_node_in_an_unknown_layer_and_a_dangling_link() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    let file = ws.join(format!("needs/{CHECKOUT}.ron"));
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("\"consumer-capabilities\"", "\"nowhere\"")
        .replace("\"j3adev\"", "\"gone22\"");
    fs::write(&file, text).unwrap();
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout.contains(
            "needs-map node \"Shop checkout\": links to layer nowhere, which does not exist"
        ),
        "{run:?}"
    );
    assert!(
        run.stdout.contains(
            "needs-map node \"Shop checkout\": links to persona gone22, which does not exist"
        ),
        "{run:?}"
    );
}

#[test]
fn a_workspace_without_a_map_loads_and_gains_the_default_layers_with_its_first_node() {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["new", "ws", "--template", "empty"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let root = tmp.path().join("ws");
    assert!(!root.join("needs").exists());
    edit_ws(&root, |ws| {
        assert_eq!(ws.needs_layers(), needs::default_layers());
        let n = NeedsNode::new("n4ew2x".into(), "end-user-needs".into(), "Pay by card");
        let e = needs::add_node(ws, n);
        apply(ws, e).unwrap();
    });
    for l in needs::default_layers() {
        assert!(root.join(format!("needs-layers/{}.ron", l.id)).is_file());
    }
    let text = fs::read_to_string(root.join("needs/n4ew2x.ron")).unwrap();
    assert_eq!(
        text,
        "(\n    needs_node: (\n        id: \"n4ew2x\",\n        layer: \"end-user-needs\",\n        name: \"Pay by card\",\n    ),\n)\n"
    );
    let run = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

fn add_node(ws: &mut Workspace, layer: &str, name: &str, deps: &[&str]) -> Id {
    let id = ws.fresh_id();
    let mut n = NeedsNode::new(id.clone(), layer.into(), name);
    n.depends_on = deps.iter().map(|d| Id::from(*d)).collect();
    let e = needs::add_node(ws, n);
    apply(ws, e).unwrap();
    id
}

/// Two branches each add nodes, and an edge from the same node: plain
/// git merges the new files; the driver merges the two edits of one
/// node's `depends_on` into both edges. The diff names what came in.
#[test]
fn nodes_and_edges_added_on_two_branches_merge() {
    if !git_available("nodes_and_edges_added_on_two_branches_merge") {
        return;
    }
    for driver in [false, true] {
        let r = Repo::new();
        r.vm_ok(&["new", "ws"]);
        if driver {
            r.vm_ok(&["git-setup", "ws"]);
        }
        r.commit_all("A workspace from the template");
        let (mut a, mut b) = (Id::default(), Id::default());
        r.git_ok(&["checkout", "--quiet", "-b", "a", "main"]);
        edit_ws(&r.ws(), |ws| {
            a = add_node(ws, "platform-capabilities", "Manage secrets", &[CLUSTERS]);
            if driver {
                let mut c = ws.items.nodes[&Id::from(CHECKOUT)].clone();
                c.depends_on.push(a.clone());
                apply(
                    ws,
                    valuemap::model::edit::put(valuemap::model::Item::NeedsNode(c)),
                )
                .unwrap();
            }
        });
        r.commit_all("a: secrets");
        r.git_ok(&["checkout", "--quiet", "-b", "b", "main"]);
        edit_ws(&r.ws(), |ws| {
            b = add_node(ws, "consumer-capabilities", "Recommendations", &[DEPLOY]);
            if driver {
                let mut c = ws.items.nodes[&Id::from(CHECKOUT)].clone();
                c.depends_on.push(CLUSTERS.into());
                apply(
                    ws,
                    valuemap::model::edit::put(valuemap::model::Item::NeedsNode(c)),
                )
                .unwrap();
            }
        });
        r.commit_all("b: recommendations");
        r.git_ok(&["checkout", "--quiet", "a"]);
        let m = r.git(&["merge", "--no-edit", "b"]);
        assert_eq!(m.code, Some(0), "driver {driver}: not a clean merge: {m:?}");
        let ws = Store::open(&r.ws()).unwrap().1;
        assert!(ws.items.nodes.contains_key(&a) && ws.items.nodes.contains_key(&b));
        assert_eq!(ws.items.nodes.len(), 8);
        if driver {
            let deps = &ws.items.nodes[&Id::from(CHECKOUT)].depends_on;
            assert!(
                deps.contains(&a) && deps.contains(&Id::from(CLUSTERS)),
                "{deps:?}"
            );
            assert!(ws.conflicts.is_empty(), "{:?}", ws.conflicts);
        }
        r.vm_ok(&["check", "ws", "--no-coverage"]);
        let d = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws"]);
        assert!(d.stdout.contains("Recommendations"), "{d:?}");
        assert!(d.stdout.contains("Needs-map nodes"), "{d:?}");
    }
}
