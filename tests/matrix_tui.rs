//! The value / effort matrix (`M`): opportunities and solutions placed in
//! four quadrants (3 or more is high), navigable, Enter opens the item;
//! driven through the same event path as the terminal.

mod support;

use support::*;
use valuemap::model::edit::Edit;
use valuemap::model::{EntityRef, Item};
use valuemap::synthesis::matrix::Quadrant;
use valuemap::tui::app::App;
use valuemap::tui::popups::matrix::MatrixView;

fn view(a: &App) -> &MatrixView {
    a.layer::<MatrixView>().expect("the matrix is open")
}

/// Rates every opportunity and solution by hand, by position: value and
/// effort cycle through 1..=5 with different steps, so every quadrant
/// gets some.
fn rated() -> App {
    let mut a = app();
    let mut edits = Vec::new();
    for (i, o) in a.ws.opportunities.iter().enumerate() {
        let mut o = o.clone();
        o.value = Some((i % 5) as u8 + 1);
        o.effort = Some(((i * 2 + 1) % 5) as u8 + 1);
        edits.push(Edit::SetOpportunity { opportunity: o });
    }
    for (i, s) in a.ws.items.solutions.values().enumerate() {
        let mut s = s.clone();
        s.value = Some(5 - (i % 3) as u8);
        s.effort = Some(1 + (i % 2) as u8);
        edits.push(valuemap::model::edit::put(Item::Solution(s)));
    }
    assert!(a.apply("rate", Edit::Batch(edits)));
    a
}

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(40, 10), (80, 24), (120, 40)] {
        let mut a = rated();
        keys(&mut a, "M");
        insta::assert_snapshot!(format!("matrix_{w}x{h}"), screen(&mut a, w, h));
    }
    // The template as it ships: two opportunities rated.
    let mut a = app();
    keys(&mut a, "M");
    insta::assert_snapshot!("matrix_template_120x40", screen(&mut a, 120, 40));
}

#[test]
fn items_sit_in_their_hand_computed_quadrants() {
    let mut a = rated();
    keys(&mut a, "M");
    let m = &view(&a).matrix;
    let n = a.ws.opportunities.len() + a.ws.items.solutions.len();
    assert_eq!(m.placed.len(), n);
    assert_eq!(m.unrated, 0);
    for p in &m.placed {
        let want = match (p.value >= 3, p.effort >= 3) {
            (true, false) => Quadrant::QuickWins,
            (true, true) => Quadrant::BigBets,
            (false, false) => Quadrant::FillIns,
            (false, true) => Quadrant::MoneyPits,
        };
        assert_eq!(p.quadrant, want, "{p:?}");
    }
    // The first opportunity (by id) has value 1, effort 2: a fill-in.
    let first = &a.ws.opportunities[0];
    let p = m
        .placed
        .iter()
        .find(|p| p.item == EntityRef::Opportunity(first.id.clone()))
        .unwrap();
    assert_eq!((p.value, p.effort, p.quadrant), (1, 2, Quadrant::FillIns));
    let s = screen(&mut a, 120, 40);
    for want in [
        "quick wins",
        "big bets",
        "fill-ins",
        "money pits",
        "high value, low effort",
        "low value, high effort",
    ] {
        assert!(s.contains(want), "{want}\n{s}");
    }
}

#[test]
fn arrows_move_between_quadrants_and_enter_opens_the_item() {
    let mut a = rated();
    keys(&mut a, "M");
    assert_eq!(view(&a).quadrant, Quadrant::QuickWins);
    keys(&mut a, "l");
    assert_eq!(view(&a).quadrant, Quadrant::BigBets);
    keys(&mut a, "G");
    keys(&mut a, "j");
    assert_eq!(view(&a).quadrant, Quadrant::MoneyPits, "down from the last");
    keys(&mut a, "h");
    assert_eq!(view(&a).quadrant, Quadrant::FillIns);
    keys(&mut a, "gk");
    assert_eq!(view(&a).quadrant, Quadrant::QuickWins, "up from the first");
    // Enter on an opportunity opens it in Opportunities.
    keys(&mut a, "g");
    for _ in 0..20 {
        if view(&a).selected().is_some_and(|p| p.kind == "opportunity") {
            break;
        }
        keys(&mut a, "j");
    }
    let item = view(&a).selected().unwrap().item.clone();
    keys(&mut a, "<Enter>");
    assert!(a.layer::<MatrixView>().is_none());
    let EntityRef::Opportunity(id) = item else {
        panic!("{item:?}")
    };
    assert_eq!(a.views.opps.selected(), Some(&id));
}

#[test]
fn the_matrix_follows_edits_and_the_palette_opens_it() {
    let mut a = app();
    keys(&mut a, ":matrix<Enter>");
    let before = view(&a).matrix.placed.len();
    let mut o =
        a.ws.opportunities
            .iter()
            .find(|o| o.value.is_none())
            .unwrap()
            .clone();
    o.value = Some(2);
    o.effort = Some(5);
    a.apply("rate", Edit::SetOpportunity { opportunity: o });
    let m = &view(&a).matrix;
    assert_eq!(m.placed.len(), before + 1);
    assert_eq!(m.in_quadrant(Quadrant::MoneyPits).len(), 1);
}
