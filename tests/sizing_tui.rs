//! Opportunities sized by their evidence: people heard, notes, personas
//! and the last date, and the ranked list sorted by score, reach or
//! recency with `s` (driven through the terminal's event path).

mod support;

use support::*;
use valuemap::model::score::{Rank, reach};

/// The titles of the ranked list, in order.
fn order(a: &valuemap::tui::app::App) -> Vec<String> {
    a.views
        .opps
        .rows
        .iter()
        .map(|(id, _)| a.ws.opportunity(id).unwrap().title.clone())
        .collect()
}

#[test]
fn s_cycles_score_reach_recency_and_the_list_follows() {
    let mut a = app();
    keys(&mut a, "4");
    let by_score = order(&a);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Opportunities by score (9)"), "{s}");
    keys(&mut a, "s");
    assert_eq!(a.views.opps.rank, Rank::Reach);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Opportunities by reach (9)"), "{s}");
    assert!(
        a.message
            .clone()
            .unwrap()
            .text
            .contains("the most people heard first"),
        "{:?}",
        a.message
    );
    // Reach is non-increasing down the list.
    let people: Vec<usize> = a
        .views
        .opps
        .rows
        .iter()
        .map(|(id, _)| reach(&a.ws, a.ws.opportunity(id).unwrap()).interviewees)
        .collect();
    assert!(people.windows(2).all(|w| w[0] >= w[1]), "{people:?}");
    assert_ne!(
        order(&a),
        by_score,
        "the template's widest reach is not its top score"
    );
    keys(&mut a, "s");
    assert_eq!(a.views.opps.rank, Rank::Recency);
    let dates: Vec<_> = a
        .views
        .opps
        .rows
        .iter()
        .map(|(id, _)| reach(&a.ws, a.ws.opportunity(id).unwrap()).last_heard)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    keys(&mut a, "s");
    assert_eq!(order(&a), by_score, "back to score");
    // The palette names it.
    keys(&mut a, ":sort rec<Enter>");
    assert_eq!(a.views.opps.rank, Rank::Recency);
    keys(&mut a, ":sort bogus<Enter>");
    assert!(
        a.message
            .clone()
            .unwrap()
            .text
            .contains("score, reach or recency"),
        "{:?}",
        a.message
    );
}

#[test]
fn the_detail_says_who_was_heard_and_when() {
    let mut a = app();
    keys(&mut a, "4");
    let id = a.views.opps.selected().unwrap().clone();
    let o = a.ws.opportunity(&id).unwrap().clone();
    let r = reach(&a.ws, &o);
    assert!(r.notes > 0, "the top opportunity has evidence");
    let s = screen(&mut a, 160, 50);
    let last = r.last_heard.unwrap().to_string();
    assert!(
        s.contains("Heard from: ") && s.contains(&format!("last on {last}")),
        "{s}"
    );
    // The list shows the people count beside each opportunity.
    assert!(s.contains(" person · ") || s.contains(" people · "), "{s}");
}

/// Adding an opportunity by name (`:add-opportunity`) clears the list's
/// filter so the new one shows: every opportunity is listed again, ranked
/// as chosen (by reach here), the new one selected, even when the filter
/// would have let it through.
#[test]
fn adding_an_opportunity_under_a_filter_lists_them_all_again() {
    let mut a = app();
    keys(&mut a, "4s");
    assert_eq!(a.views.opps.rank, Rank::Reach);
    let all = a.ws.opportunities.len();
    keys(&mut a, "fstatus:idea<Enter>");
    assert!(a.views.opps.rows.len() < all, "the filter hides some");
    keys(&mut a, ":add-opportunity Quota dashboards<Enter>");
    let o =
        a.ws.opportunities
            .iter()
            .find(|o| o.title == "Quota dashboards");
    let id = o.expect("added").id.clone();
    assert!(a.views.opps.filter.is_empty());
    assert_eq!(a.views.opps.rows.len(), all + 1, "{:?}", a.views.opps.rows);
    assert_eq!(a.views.opps.selected(), Some(&id));
    let ranked: Vec<_> = valuemap::model::score::ranked_by(&a.ws, Rank::Reach)
        .into_iter()
        .map(|(o, _)| o.id.clone())
        .collect();
    let rows: Vec<_> = a.views.opps.rows.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(rows, ranked);
}
