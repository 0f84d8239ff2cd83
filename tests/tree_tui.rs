//! The Tree view (6): the opportunity solution tree from the keyboard,
//! driven through the same event path as the terminal.

mod support;

use support::*;
use valuemap::model::{Id, Kind, SolutionStatus, Status, Workspace};
use valuemap::tui::app::App;
use valuemap::tui::views::tree::Node;

const COST_DATA: &str = "52cdsh";
const FORECAST: &str = "f2fcst";
const COST_DASHBOARD: &str = "sl4cst";
const FORECAST_SOLUTION: &str = "sl9fcs";
const MANAGEMENT: &str = "oc7mgv";
const SHIP_FASTER: &str = "oc3shp";
const RETIRE: &str = "t8dcxn";

/// Moves the cursor with `j` / `k` until `node` is selected.
fn select(a: &mut App, node: Node) {
    keys(a, "6g");
    for _ in 0..200 {
        if a.views.tree.selected() == Some(&node) {
            return;
        }
        keys(a, "j");
    }
    panic!("{node:?} is not in the tree: {:?}", a.views.tree.rows);
}

fn opp(id: &str) -> Node {
    Node::Opportunity(Id::from(id))
}

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(60, 20), (120, 40), (200, 60)] {
        let mut a = app();
        keys(&mut a, "6");
        insta::assert_snapshot!(format!("tree_{w}x{h}"), screen(&mut a, w, h));
        // A shipped solution: its metrics before and after, the verdict.
        select(&mut a, Node::Solution(COST_DASHBOARD.into()));
        insta::assert_snapshot!(format!("tree_shipped_{w}x{h}"), screen(&mut a, w, h));
    }
}

#[test]
fn the_tree_holds_every_opportunity_and_nests_them() {
    let mut a = app();
    keys(&mut a, "6");
    let rows = &a.views.tree.rows;
    let depth = |n: &Node| rows.iter().find(|r| &r.node == n).map(|r| r.depth);
    assert_eq!(depth(&Node::Outcome(MANAGEMENT.into())), Some(0));
    assert_eq!(depth(&opp(COST_DATA)), Some(1));
    assert_eq!(depth(&opp(FORECAST)), Some(2), "a sub-opportunity");
    assert_eq!(depth(&Node::Solution(FORECAST_SOLUTION.into())), Some(3));
    assert_eq!(depth(&Node::Test("at5mgr".into())), Some(3));
    assert_eq!(depth(&Node::NoOutcome), Some(0));
    assert_eq!(depth(&opp(RETIRE)), Some(1), "no outcome: under the group");
    for o in &a.ws.opportunities {
        assert!(depth(&opp(o.id.as_str())).is_some(), "{} hides", o.title);
    }
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("◆ Managers keep asking for cost data"), "{s}");
    assert!(s.contains("delivered → validated?"), "{s}");
    assert!(s.contains("✓ Managers will open a dashboard"), "{s}");
    assert!(s.contains("▾ ○ No outcome"), "{s}");
}

#[test]
fn folding_with_h_l_and_space() {
    let mut a = app();
    select(&mut a, Node::Outcome(MANAGEMENT.into()));
    let all = a.views.tree.rows.len();
    keys(&mut a, "h");
    assert_eq!(a.views.tree.rows.len(), all - 6, "its six descendants fold");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("▸ ◎ Management sees the platform's value (+1)"),
        "{s}"
    );
    keys(&mut a, "l");
    assert_eq!(a.views.tree.rows.len(), all);
    // l again goes to the first child; h on a leaf goes to the parent.
    keys(&mut a, "l");
    assert_eq!(a.views.tree.selected(), Some(&opp(COST_DATA)));
    keys(&mut a, " ");
    assert_eq!(a.views.tree.rows.len(), all - 5);
    keys(&mut a, " ");
    assert_eq!(a.views.tree.rows.len(), all);
    select(&mut a, Node::Test("at8dpl".into()));
    keys(&mut a, "h");
    assert_eq!(
        a.views.tree.selected(),
        Some(&Node::Solution(COST_DASHBOARD.into()))
    );
}

#[test]
fn add_an_outcome_an_opportunity_a_solution_and_a_test_then_undo() {
    let mut a = app();
    let before = a.ws.clone();
    // A sibling of an outcome: another outcome.
    select(&mut a, Node::Outcome(MANAGEMENT.into()));
    keys(&mut a, "AFewer incidents reach customers<Enter>");
    let (oid, _) =
        a.ws.items
            .outcomes
            .iter()
            .find(|(_, o)| o.name == "Fewer incidents reach customers")
            .expect("the outcome was added");
    let oid = oid.clone();
    assert_eq!(a.views.tree.selected(), Some(&Node::Outcome(oid.clone())));
    // A child of an outcome: an opportunity serving it.
    keys(&mut a, "aPages reach the wrong team<Enter>");
    let o =
        a.ws.opportunities
            .iter()
            .find(|o| o.title == "Pages reach the wrong team")
            .expect("the opportunity was added")
            .clone();
    assert_eq!(o.outcome.as_ref(), Some(&oid));
    assert_eq!(a.views.tree.selected(), Some(&opp(o.id.as_str())));
    // A child of an opportunity: a solution (chosen), then a sub-opportunity.
    keys(
        &mut a,
        "asolution<Enter>Route pages by ownership labels<Enter>",
    );
    let s =
        a.ws.items
            .solutions
            .values()
            .find(|s| s.title == "Route pages by ownership labels")
            .expect("the solution was added")
            .clone();
    assert_eq!(s.opportunity, o.id);
    assert_eq!(s.status, SolutionStatus::Idea);
    // A child of a solution: an assumption test.
    keys(&mut a, "aTeams label their workloads<Enter>");
    let t =
        a.ws.items
            .tests
            .values()
            .find(|t| t.assumption == "Teams label their workloads")
            .expect("the test was added");
    assert_eq!(t.solution, s.id);
    select(&mut a, opp(o.id.as_str()));
    keys(&mut a, "asub<Enter>Ownership labels are missing<Enter>");
    let sub =
        a.ws.opportunities
            .iter()
            .find(|x| x.title == "Ownership labels are missing")
            .expect("the sub-opportunity was added");
    assert_eq!(sub.parent.as_ref(), Some(&o.id));
    assert_eq!(a.ws.outcome_of(&sub.id), Some(&oid));
    // Five steps, each undone.
    keys(&mut a, "uuuuu");
    assert_eq!(a.ws, before);
}

#[test]
fn rename_delete_with_its_tests_and_undo() {
    let mut a = app();
    let before = a.ws.clone();
    select(&mut a, Node::Solution(COST_DASHBOARD.into()));
    keys(&mut a, "r<C-u>Showback dashboard<Enter>");
    assert_eq!(
        a.ws.items.solutions[&Id::from(COST_DASHBOARD)].title,
        "Showback dashboard"
    );
    keys(&mut a, "d");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Delete solution \"Showback dashboard\"?")
            && s.contains("This also removes: 2 assumption tests."),
        "{s}"
    );
    keys(&mut a, "y");
    assert!(!a.ws.items.solutions.contains_key(&Id::from(COST_DASHBOARD)));
    assert!(a.ws.items.tests.is_empty());
    assert_eq!(
        a.views.tree.selected(),
        Some(&opp(COST_DATA)),
        "the cursor goes to the parent"
    );
    keys(&mut a, "uu");
    assert_eq!(a.ws, before);
}

#[test]
fn move_an_opportunity_under_another_outcome_and_a_test_to_another_solution() {
    let mut a = app();
    select(&mut a, opp(RETIRE));
    keys(&mut a, "mProduct teams ship<Enter>");
    let o = a.ws.opportunity(&RETIRE.into()).unwrap();
    assert_eq!(o.outcome.as_ref().map(Id::as_str), Some(SHIP_FASTER));
    assert_eq!(o.parent, None);
    // Under another opportunity: it answers to that one's outcome.
    keys(&mut a, "mManagers keep asking<Enter>");
    let o = a.ws.opportunity(&RETIRE.into()).unwrap();
    assert_eq!(o.parent.as_ref().map(Id::as_str), Some(COST_DATA));
    assert_eq!(a.ws.outcome_of(&o.id).map(Id::as_str), Some(MANAGEMENT));
    // Not under itself or its own parts: they are not offered.
    select(&mut a, opp(COST_DATA));
    keys(&mut a, "mManagers cannot plan");
    let s = screen(&mut a, 120, 40);
    assert!(!s.contains("▸  Managers cannot plan"), "{s}");
    keys(&mut a, "<Esc>");
    select(&mut a, Node::Test("at8dpl".into()));
    keys(&mut a, "mCluster template<Enter>");
    assert_eq!(
        a.ws.items.tests[&Id::from("at8dpl")].solution.as_str(),
        "sl2tpl"
    );
}

#[test]
fn v_accepts_the_verdict_the_metrics_suggest() {
    let mut a = app();
    select(&mut a, Node::Solution(COST_DASHBOARD.into()));
    let s = screen(&mut a, 200, 60);
    assert!(s.contains("Dashboard visits ✓ meets the target"), "{s}");
    // 11 weekly observations before (20 / 11), 13 after (415 / 13).
    assert!(
        s.contains("before 1.82 visits/week (n=11)")
            && s.contains("after  31.92 visits/week (n=13)")
            && s.contains("target 30 visits/week"),
        "{s}"
    );
    select(&mut a, opp(COST_DATA));
    let s = screen(&mut a, 200, 60);
    assert!(
        s.contains("The metrics suggest: validated — press v to accept"),
        "{s}"
    );
    keys(&mut a, "v");
    assert_eq!(
        a.ws.opportunity(&COST_DATA.into()).unwrap().status,
        Status::Validated
    );
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("is now validated"), "{m}");
    keys(&mut a, "v");
    assert!(
        a.message
            .clone()
            .unwrap()
            .text
            .contains("already validated"),
        "nothing more to suggest"
    );
    keys(&mut a, "u");
    assert_eq!(
        a.ws.opportunity(&COST_DATA.into()).unwrap().status,
        Status::Delivered
    );
}

#[test]
fn ship_a_solution_from_the_palette() {
    let mut a = app();
    select(&mut a, Node::Solution(FORECAST_SOLUTION.into()));
    keys(&mut a, ":ship 2026-11-02<Enter>");
    let s = &a.ws.items.solutions[&Id::from(FORECAST_SOLUTION)];
    assert_eq!(s.status, SolutionStatus::Shipped);
    assert_eq!(s.shipped, chrono::NaiveDate::from_ymd_opt(2026, 11, 2));
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("Shipped \"Spend forecast"), "{m}");
}

#[test]
fn e_lists_a_tests_evidence_and_opens_its_note() {
    let mut a = app();
    select(&mut a, Node::Test("at5mgr".into()));
    keys(&mut a, "e");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Evidence of \"Managers will open a dashboard")
            && s.contains("I haven't asked you for a cost export"),
        "{s}"
    );
    keys(&mut a, "<Enter>");
    assert_eq!(a.views.current, valuemap::tui::state::View::Notes);
    assert_eq!(a.views.notes.selected().map(Id::as_str), Some("n8b3zv"));
    // On an opportunity, its evidence.
    select(&mut a, opp(COST_DATA));
    keys(&mut a, "e");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Evidence of \"Managers keep asking"), "{s}");
}

#[test]
fn an_empty_tree_says_what_to_do_and_a_adds_an_outcome() {
    let mut a = App::new(Workspace::new("Fresh"), None);
    a.env.size = (80, 24);
    keys(&mut a, "6");
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("Nothing here yet. Press a to add a desired"),
        "{s}"
    );
    keys(&mut a, "aCustomers trust our uptime<Enter>");
    assert_eq!(a.ws.items.outcomes.len(), 1);
    assert_eq!(
        a.ws.items.keys().next().map(|(k, _)| k),
        Some(Kind::Outcome)
    );
}

#[test]
fn search_finds_solutions_and_tests_and_jumps_to_them() {
    let mut a = app();
    keys(&mut a, "/billing export<Enter>");
    assert_eq!(a.views.current, valuemap::tui::state::View::Tree);
    assert!(matches!(
        a.views.tree.selected(),
        Some(Node::Test(_) | Node::Solution(_))
    ));
}
