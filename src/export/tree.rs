//! The opportunity solution tree as the exports show it: each desired
//! outcome with the opportunities under it (sub-opportunities nested under
//! their parent), each opportunity's solutions and each solution's
//! assumption tests. Opportunities with no outcome are gathered under "no
//! outcome", so nothing hides; an opportunity caught in a loop of parents
//! (a hand edit) is shown at the top of its group rather than dropped.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::score::{self, Score};
use crate::model::validation::{self, Comparison};
use crate::model::{AssumptionTest, Id, Metric, Opportunity, Outcome, Solution, Workspace};

/// One group of the tree: an outcome, or the opportunities with none.
pub(super) struct Group<'a> {
    /// `None`: the opportunities with no outcome.
    pub outcome: Option<&'a Outcome>,
    pub opportunities: Vec<OppNode<'a>>,
}

pub(super) struct OppNode<'a> {
    pub opportunity: &'a Opportunity,
    pub score: Score,
    pub children: Vec<OppNode<'a>>,
    pub solutions: Vec<SolutionNode<'a>>,
}

pub(super) struct SolutionNode<'a> {
    pub solution: &'a Solution,
    pub tests: Vec<&'a AssumptionTest>,
    /// Before / after its ship date, one per metric that can validate it.
    pub comparisons: Vec<(&'a Metric, Comparison)>,
}

/// The outcome groups, by name, then "no outcome" when it has anything.
pub(super) fn build(ws: &Workspace) -> Vec<Group<'_>> {
    let mut outcomes: Vec<&Outcome> = ws.items.outcomes.values().collect();
    outcomes.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    let known = |o: &Opportunity| {
        o.outcome
            .as_ref()
            .filter(|id| ws.items.outcomes.contains_key(*id))
            .cloned()
    };
    // A root is an opportunity with no parent (or a parent that does not
    // exist): it sits at the top of its outcome's group.
    let is_root = |o: &Opportunity| {
        o.parent
            .as_ref()
            .is_none_or(|p| ws.opportunity(p).is_none())
    };
    let mut seen: HashSet<&Id> = HashSet::new();
    let mut groups = Vec::new();
    for outcome in outcomes {
        let roots: Vec<&Opportunity> = ws
            .opportunities
            .iter()
            .filter(|o| is_root(o) && known(o).as_ref() == Some(&outcome.id))
            .collect();
        let opportunities = roots.into_iter().map(|o| node(ws, o, &mut seen)).collect();
        groups.push(Group {
            outcome: Some(outcome),
            opportunities,
        });
    }
    let mut rest: Vec<OppNode> = Vec::new();
    let roots: Vec<&Opportunity> = ws
        .opportunities
        .iter()
        .filter(|o| is_root(o) && known(o).is_none())
        .collect();
    for o in roots {
        rest.push(node(ws, o, &mut seen));
    }
    // Whatever no root reaches is in a loop of parents.
    for o in &ws.opportunities {
        if !seen.contains(&o.id) {
            rest.push(node(ws, o, &mut seen));
        }
    }
    if !rest.is_empty() {
        groups.push(Group {
            outcome: None,
            opportunities: rest,
        });
    }
    groups
}

fn node<'a>(ws: &'a Workspace, o: &'a Opportunity, seen: &mut HashSet<&'a Id>) -> OppNode<'a> {
    seen.insert(&o.id);
    let children = ws
        .child_opportunities(&o.id)
        .into_iter()
        .filter(|c| !seen.contains(&c.id))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|c| node(ws, c, seen))
        .collect();
    // The day only decides a "missed" verdict, which the exports do not
    // show: the figures are the same on any day.
    let today = NaiveDate::MAX;
    let solutions = ws
        .solutions_of(&o.id)
        .into_iter()
        .map(|s| SolutionNode {
            solution: s,
            tests: ws.tests_of(&s.id),
            comparisons: validation::solution_comparisons(ws, s, today)
                .into_iter()
                .filter_map(|c| Some((ws.metric(&c.metric)?, c)))
                .collect(),
        })
        .collect();
    OppNode {
        opportunity: o,
        score: score::opportunity_score(ws, o),
        children,
        solutions,
    }
}

/// Whether the workspace has anything of the loop to show: an outcome, a
/// solution, or an opportunity placed in a tree.
pub(super) fn has_loop(ws: &Workspace) -> bool {
    !ws.items.is_empty()
        || ws
            .opportunities
            .iter()
            .any(|o| o.outcome.is_some() || o.parent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OpportunityKind;

    #[test]
    fn a_loop_of_parents_is_shown_not_dropped() {
        let mut ws = Workspace::new("t");
        let mut a = Opportunity::new("a".into(), "A", OpportunityKind::Need);
        let mut b = Opportunity::new("b".into(), "B", OpportunityKind::Need);
        a.parent = Some("b".into());
        b.parent = Some("a".into());
        ws.opportunities = vec![
            a,
            b,
            Opportunity::new("c".into(), "C", OpportunityKind::Pain),
        ];
        let g = build(&ws);
        assert_eq!(g.len(), 1);
        assert!(g[0].outcome.is_none());
        // C is a root; A is reached by nothing, then B under it.
        let tops: Vec<&str> = g[0]
            .opportunities
            .iter()
            .map(|n| n.opportunity.id.as_str())
            .collect();
        assert_eq!(tops, ["c", "a"]);
        assert_eq!(
            g[0].opportunities[1].children[0].opportunity.id.as_str(),
            "b"
        );
        assert!(g[0].opportunities[1].children[0].children.is_empty());
    }

    #[test]
    fn the_template_tree_nests_the_forecast_under_cost_data() {
        let ws = crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let g = build(&ws);
        let names: Vec<Option<&str>> = g
            .iter()
            .map(|g| g.outcome.map(|o| o.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                Some("Management sees the platform's value"),
                Some("Product teams ship without waiting on the platform"),
                None
            ]
        );
        let cost = &g[0].opportunities[0];
        assert_eq!(cost.opportunity.id.as_str(), "52cdsh");
        assert_eq!(cost.children[0].opportunity.id.as_str(), "f2fcst");
        assert_eq!(cost.solutions[0].solution.title, "Cost dashboard");
        assert_eq!(cost.solutions[0].tests.len(), 2);
        assert_eq!(cost.solutions[0].comparisons.len(), 1);
        // Every opportunity appears once.
        fn count(n: &OppNode) -> usize {
            1 + n.children.iter().map(count).sum::<usize>()
        }
        let total: usize = g.iter().flat_map(|g| &g.opportunities).map(count).sum();
        assert_eq!(total, ws.opportunities.len());
    }
}
