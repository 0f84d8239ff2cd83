//! The Needs map view (7): the user needs map from the keyboard, driven
//! through the same event path as the terminal.

mod support;

use support::*;
use valuemap::model::{Id, Kind};
use valuemap::tui::app::App;

// The template's online-shop chain.
const ORDERS: &str = "uk2shp";
const CHECKOUT: &str = "cx3chk";
const CATALOGUE: &str = "cx4ctg";
const DEPLOY: &str = "pk5dpy";
const OBSERVE: &str = "pk6bsv";
const CLUSTERS: &str = "rk7kcs";

fn selected(a: &App) -> Option<Id> {
    a.views.needs.selected_node(&a.ws)
}

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(60, 20), (120, 40), (200, 60)] {
        let mut a = app();
        keys(&mut a, "7");
        insta::assert_snapshot!(format!("needs_{w}x{h}"), screen(&mut a, w, h));
        // A platform capability: the needs it serves and the
        // opportunities on the way.
        keys(&mut a, "jj");
        assert_eq!(selected(&a), Some(Id::from(DEPLOY)));
        insta::assert_snapshot!(format!("needs_platform_{w}x{h}"), screen(&mut a, w, h));
    }
}

#[test]
fn keys_move_between_layers_and_nodes() {
    let mut a = app();
    keys(&mut a, "7");
    assert_eq!(selected(&a), Some(Id::from(ORDERS)));
    keys(&mut a, "j");
    assert_eq!(
        selected(&a),
        Some(Id::from(CATALOGUE)),
        "by name in a layer"
    );
    keys(&mut a, "l");
    assert_eq!(selected(&a), Some(Id::from(CHECKOUT)));
    keys(&mut a, "l");
    assert_eq!(selected(&a), Some(Id::from(CHECKOUT)), "stops at the end");
    keys(&mut a, "j");
    assert_eq!(selected(&a), Some(Id::from(OBSERVE)));
    keys(&mut a, "<Down>");
    assert_eq!(selected(&a), Some(Id::from(CLUSTERS)));
    keys(&mut a, "g");
    assert_eq!(selected(&a), Some(Id::from(ORDERS)));
    keys(&mut a, "G");
    assert_eq!(selected(&a), Some(Id::from(CLUSTERS)));
}

#[test]
fn selecting_infrastructure_highlights_every_need_it_serves() {
    let mut a = app();
    keys(&mut a, "7G");
    let s = screen(&mut a, 200, 60);
    assert!(s.contains("★ Customers place orders"), "{s}");
    assert!(s.contains("▲ Shop checkout"), "{s}");
    assert!(s.contains("▲ Deploy a service"), "{s}");
    assert!(
        s.contains("Serves 1 end-user need: Customers place orders"),
        "{s}"
    );
    // Its own opportunities and those of every node above it.
    for t in [
        "Self-service cluster creation from a GitOps template",
        "SLO-based alerting for cluster health",
        "Golden-path template for a standard HTTP service",
        "One dashboard per workload, linked from the pipeline",
    ] {
        assert!(s.contains(&format!("◆ {t}")), "{t} missing:\n{s}");
    }
}

#[test]
fn add_link_unlink_and_delete_from_the_keyboard_then_undo() {
    let mut a = app();
    let before = a.ws.clone();
    keys(&mut a, "7");
    // A second end-user need, in the top layer.
    keys(&mut a, ":add-node Track parcels<Enter>");
    let id = selected(&a).expect("the new node is selected");
    assert_eq!(a.ws.items.nodes[&id].layer, Id::from("end-user-needs"));
    // It depends on the catalogue (picked by typing) and on clusters.
    keys(&mut a, "+Product cat<Enter>");
    assert_eq!(a.ws.items.nodes[&id].depends_on, vec![Id::from(CATALOGUE)]);
    keys(&mut a, "+Kubernetes<Enter>");
    assert_eq!(a.ws.items.nodes[&id].depends_on.len(), 2);
    // Selecting clusters now lights both needs.
    keys(&mut a, "G");
    let s = screen(&mut a, 200, 60);
    assert!(s.contains("★ Track parcels"), "{s}");
    assert!(s.contains("Serves 2 end-user needs"), "{s}");
    // Back on the new node: drop the edge to the catalogue.
    a.views.needs.show(
        &a.ws,
        &valuemap::model::EntityRef::Item(Kind::NeedsNode, id.clone()),
    );
    keys(&mut a, "-Product<Enter>");
    assert_eq!(a.ws.items.nodes[&id].depends_on, vec![Id::from(CLUSTERS)]);
    // A node cannot depend on one above it: the picker offers none.
    keys(&mut a, "G+");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("No node below it"), "{s}");
    // Delete the new node; the edges to it go too. Then undo it all.
    a.views.needs.show(
        &a.ws,
        &valuemap::model::EntityRef::Item(Kind::NeedsNode, id.clone()),
    );
    keys(&mut a, "dy");
    assert!(!a.ws.items.nodes.contains_key(&id));
    keys(&mut a, "uuuuu");
    assert_eq!(a.ws, before);
}

#[test]
fn the_node_form_links_personas_activities_and_refuses_an_upward_edge() {
    let mut a = app();
    keys(&mut a, "7G");
    keys(&mut a, "<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Needs-map node · Kubernetes clusters"), "{s}");
    // Depends on: the fourth field; an end-user need is above it.
    keys(
        &mut a,
        "<Tab><Tab><Tab>Customers<Enter><Esc><BackTab><BackTab><BackTab><Enter>",
    );
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("is not in a lower layer"), "{s}");
    assert!(a.ws.items.nodes[&Id::from(CLUSTERS)].depends_on.is_empty());
}

#[test]
fn a_layer_is_added_renamed_and_only_deleted_when_empty() {
    let mut a = app();
    keys(&mut a, "7j");
    keys(&mut a, ":add-layer Shared services<Enter>");
    let names: Vec<String> = a.ws.needs_layers().into_iter().map(|l| l.name).collect();
    assert_eq!(names[2], "Shared services");
    assert_eq!(a.views.needs.layer, 2);
    keys(&mut a, ":rename Shared platform services<Enter>");
    assert_eq!(a.ws.needs_layers()[2].name, "Shared platform services");
    keys(&mut a, "dy");
    assert_eq!(a.ws.needs_layers().len(), 4);
    keys(&mut a, "g");
    keys(&mut a, "d");
    // The top layer has a node: the node is what d deletes.
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Delete needs-map node \"Customers place orders\"?"),
        "{s}"
    );
}
