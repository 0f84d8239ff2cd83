//! Search (`/`): results on every keystroke, grouped by kind, Enter jumps to
//! the entity in its view.

mod support;

use support::*;
use valuemap::model::EntityRef;
use valuemap::tui::state::View;
use valuemap::tui::state::map::{Row, Selection};

/// Types a query and lets the incremental matcher finish.
fn search(a: &mut valuemap::tui::app::App, q: &str) {
    keys(a, &format!("/{q}"));
    while a.busy() {
        a.tick();
    }
}

#[test]
fn snapshot_search() {
    for (w, h) in [(120, 40), (80, 24), (20, 5)] {
        let mut a = app();
        search(&mut a, "upgrade");
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("search_upgrade_{w}x{h}"), t.backend());
    }
}

#[test]
fn find_a_note_by_its_interviewee_and_jump_to_it() {
    let mut a = app();
    let (id, n) =
        a.ws.notes
            .iter()
            .find(|(_, n)| n.interviewee.starts_with("Kenji"))
            .map(|(i, n)| (i.clone(), n.clone()))
            .unwrap();
    search(&mut a, "kenji");
    let first = &search_session(&a).hits[0];
    assert_eq!(first.target, EntityRef::Note(id.clone()));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Notes (1)"), "{s}");
    keys(&mut a, "<Enter>");
    assert!(a.layers.is_empty());
    assert_eq!(a.view(), View::Notes);
    assert_eq!(a.views.notes.rows[a.views.notes.list.selected], id);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains(&n.title[..20]), "the reader shows the note: {s}");
}

#[test]
fn a_jump_clears_a_filter_that_hides_the_hit() {
    let mut a = app();
    keys(&mut a, "3fby:dana<Enter>");
    search(&mut a, "kenji");
    keys(&mut a, "<Enter>");
    assert!(a.views.notes.filter.is_empty());
    assert!(
        a.ws.notes[&a.views.notes.rows[a.views.notes.list.selected]]
            .interviewee
            .starts_with("Kenji")
    );
}

#[test]
fn jumps_land_on_each_kind() {
    let mut a = app();
    search(&mut a, "Monitor a workload");
    keys(&mut a, "<Enter>");
    assert_eq!(a.view(), View::Map);
    let Selection::Activity(pos) = a.views.map.selection(&a.ws) else {
        panic!("{:?}", a.views.map.selection(&a.ws))
    };
    assert_eq!(
        a.ws.phases[pos.phase].activities[pos.index].name,
        "Monitor a workload"
    );

    search(&mut a, "Engineering manager");
    keys(&mut a, "<Enter>");
    assert_eq!(a.view(), View::Personas);
    assert_eq!(
        a.ws.personas[a.views.personas.selected].name,
        "Engineering manager"
    );

    search(&mut a, "Error budget");
    keys(&mut a, "<Enter>");
    assert_eq!(a.view(), View::Metrics);
    assert_eq!(
        a.ws.metrics[a.views.metrics.selected].name,
        "Error budget burn"
    );

    search(&mut a, "removed APIs");
    keys(&mut a, "<Enter>");
    assert_eq!(a.view(), View::Opportunities);
    let id = a.views.opps.selected().unwrap();
    assert!(a.ws.opportunity(id).unwrap().title.contains("removed APIs"));

    // A perspective's text lands on its cell.
    search(&mut a, "Right-size node pools");
    keys(&mut a, "<Enter>");
    assert_eq!(a.view(), View::Map);
    assert!(matches!(a.views.map.row, Row::Persona(_)));
    assert!(matches!(
        a.views.map.selection(&a.ws),
        Selection::Cell { .. }
    ));
}

#[test]
fn results_follow_every_keystroke_and_edits_update_the_index() {
    let mut a = app();
    search(&mut a, "q");
    let broad = search_session(&a).total();
    keys(&mut a, "u");
    while a.busy() {
        a.tick();
    }
    assert!(search_session(&a).total() <= broad);
    keys(&mut a, "<Esc>");
    // An edit is searchable at once.
    keys(&mut a, ":add-persona Quokka herder<Enter>");
    search(&mut a, "quokka");
    let top = &search_session(&a).hits[0].target;
    assert_eq!(
        valuemap::search::describe(&a.ws, &a.stats, top).0,
        "Quokka herder"
    );
    keys(&mut a, "<Esc>u");
    search(&mut a, "quokka");
    assert!(
        search_session(&a).hits.is_empty(),
        "undo removes it from the results"
    );
}
