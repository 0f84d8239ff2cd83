//! Opportunity scoring.
//!
//! The default score is outcome-driven: for a perspective with importance `i`
//! and satisfaction `s` (both 1–5) the score is `i + max(i - s, 0)`, from 1
//! (unimportant and served) to 9 (vital and unserved). An opportunity is scored
//! from the perspectives it links: the cells of its personas × its activities
//! (all personas when it names none). It takes the score of its most
//! under-served linked cell, so linking a cell that is already well served
//! never hides an urgent one. A manual score (e.g. RICE) overrides.

use super::{Id, Opportunity, Workspace};

/// The lowest and highest valid rating.
pub const RATING_MIN: u8 = 1;
pub const RATING_MAX: u8 = 5;
/// The highest outcome-driven score: importance 5, satisfaction 1.
pub const SCORE_MAX: u8 = 9;

pub fn rating_in_range(r: u8) -> bool {
    (RATING_MIN..=RATING_MAX).contains(&r)
}

/// `importance + max(importance - satisfaction, 0)`, or `None` when either
/// rating is out of range.
pub fn cell_score(importance: u8, satisfaction: u8) -> Option<u8> {
    if !rating_in_range(importance) || !rating_in_range(satisfaction) {
        return None;
    }
    Some(importance + importance.saturating_sub(satisfaction))
}

/// An opportunity's score and where it came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Score {
    /// Outcome-driven, from the linked perspectives.
    Outcome(u8),
    /// Set by hand.
    Manual(f64),
    /// Nothing to score from: no ratings in the linked cells and no manual score.
    Unscored,
}

impl Score {
    /// A number for ranking: unscored sorts last.
    pub fn rank_value(self) -> f64 {
        match self {
            Score::Outcome(s) => f64::from(s),
            Score::Manual(s) if s.is_finite() => s,
            Score::Manual(_) | Score::Unscored => f64::NEG_INFINITY,
        }
    }

    /// The score as shown to people: `7`, `12.5*` (manual), or `–`.
    pub fn display(self) -> String {
        match self {
            Score::Outcome(s) => s.to_string(),
            Score::Manual(s) => {
                if s.fract() == 0.0 && s.abs() < 1e15 {
                    format!("{}*", s as i64)
                } else {
                    format!("{s:.1}*")
                }
            }
            Score::Unscored => "–".to_string(),
        }
    }
}

/// The cells an opportunity links: its personas (all when none are named) × its
/// activities.
pub fn linked_cells<'a>(
    ws: &'a Workspace,
    opp: &'a Opportunity,
) -> impl Iterator<Item = (&'a Id, &'a Id)> + 'a {
    let personas: Vec<&Id> = if opp.personas.is_empty() {
        ws.personas.iter().map(|p| &p.id).collect()
    } else {
        opp.personas.iter().collect()
    };
    opp.activities
        .iter()
        .flat_map(move |a| personas.clone().into_iter().map(move |p| (p, a)))
}

/// The score of an opportunity in a workspace.
pub fn opportunity_score(ws: &Workspace, opp: &Opportunity) -> Score {
    if let Some(m) = opp.manual_score {
        return Score::Manual(m);
    }
    linked_cells(ws, opp)
        .filter_map(|(p, a)| ws.perspective(p, a)?.score())
        .max()
        .map_or(Score::Unscored, Score::Outcome)
}

/// Opportunities ordered by score, highest first; ties by title, then id.
pub fn ranked(ws: &Workspace) -> Vec<(&Opportunity, Score)> {
    let mut v: Vec<_> = ws
        .opportunities
        .iter()
        .map(|o| (o, opportunity_score(ws, o)))
        .collect();
    v.sort_by(|a, b| {
        b.1.rank_value()
            .total_cmp(&a.1.rank_value())
            .then_with(|| a.0.title.cmp(&b.0.title))
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn cell_score_is_importance_plus_gap() {
        assert_eq!(cell_score(5, 1), Some(9));
        assert_eq!(cell_score(5, 5), Some(5));
        assert_eq!(cell_score(3, 5), Some(3)); // over-served: no negative gap
        assert_eq!(cell_score(1, 1), Some(1));
        assert_eq!(cell_score(4, 2), Some(6));
        assert_eq!(cell_score(0, 3), None);
        assert_eq!(cell_score(6, 3), None);
        assert_eq!(cell_score(3, 0), None);
    }

    #[test]
    fn every_valid_pair_scores_between_one_and_nine() {
        for i in 1..=5 {
            for s in 1..=5 {
                let v = cell_score(i, s).unwrap();
                assert!((1..=SCORE_MAX).contains(&v));
                assert!(v >= i);
            }
        }
    }

    fn workspace() -> Workspace {
        let mut w = Workspace::new("t");
        w.phases.push(Phase {
            id: "ph".into(),
            name: "Operation".into(),
            description: String::new(),
            activities: vec![
                Activity {
                    id: "a1".into(),
                    name: "Monitor a workload".into(),
                    description: String::new(),
                },
                Activity {
                    id: "a2".into(),
                    name: "Operate a cluster".into(),
                    description: String::new(),
                },
            ],
        });
        for (id, role) in [("p1", Role::Consumer), ("p2", Role::Customer)] {
            w.personas.push(Persona {
                id: id.into(),
                name: id.into(),
                role,
                description: String::new(),
                jobs: vec![],
                tags: vec![],
            });
        }
        let rate = |w: &mut Workspace, p: &str, a: &str, i, s| {
            let mut x = Perspective::new(p.into(), a.into());
            x.importance = Some(i);
            x.satisfaction = Some(s);
            w.set_perspective(&p.into(), &a.into(), Some(x));
        };
        rate(&mut w, "p1", "a1", 5, 2); // 8
        rate(&mut w, "p2", "a1", 3, 3); // 3
        rate(&mut w, "p1", "a2", 4, 4); // 4
        w
    }

    #[test]
    fn opportunity_takes_its_most_underserved_cell() {
        let w = workspace();
        let mut o = Opportunity::new("o".into(), "Better dashboards", OpportunityKind::Need);
        assert_eq!(opportunity_score(&w, &o), Score::Unscored);
        o.activities = vec!["a1".into(), "a2".into()];
        assert_eq!(opportunity_score(&w, &o), Score::Outcome(8));
        o.personas = vec!["p2".into()];
        assert_eq!(opportunity_score(&w, &o), Score::Outcome(3));
        o.personas = vec!["p2".into(), "p1".into()];
        o.activities = vec!["a2".into()];
        assert_eq!(opportunity_score(&w, &o), Score::Outcome(4));
    }

    #[test]
    fn manual_score_overrides_and_unrated_cells_are_ignored() {
        let mut w = workspace();
        let mut half = Perspective::new("p2".into(), "a2".into());
        half.importance = Some(5); // no satisfaction: not scored
        w.set_perspective(&"p2".into(), &"a2".into(), Some(half));
        let mut o = Opportunity::new("o".into(), "x", OpportunityKind::Pain);
        o.activities = vec!["a2".into()];
        o.personas = vec!["p2".into()];
        assert_eq!(opportunity_score(&w, &o), Score::Unscored);
        o.manual_score = Some(42.5);
        assert_eq!(opportunity_score(&w, &o), Score::Manual(42.5));
        assert_eq!(Score::Manual(42.5).display(), "42.5*");
        assert_eq!(Score::Manual(12.0).display(), "12*");
        assert_eq!(Score::Outcome(7).display(), "7");
    }

    #[test]
    fn ranking_puts_unscored_last() {
        let mut w = workspace();
        let mut a = Opportunity::new("oa".into(), "a", OpportunityKind::Need);
        a.activities = vec!["a2".into()]; // 4
        let b = Opportunity::new("ob".into(), "b", OpportunityKind::Need); // unscored
        let mut c = Opportunity::new("oc".into(), "c", OpportunityKind::Need);
        c.activities = vec!["a1".into()]; // 8
        w.opportunities = vec![a, b, c];
        let order: Vec<_> = ranked(&w).iter().map(|(o, _)| o.id.to_string()).collect();
        assert_eq!(order, ["oc", "oa", "ob"]);
    }
}
