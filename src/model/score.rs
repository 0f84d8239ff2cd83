//! Opportunity scoring.
//!
//! The default score is outcome-driven: for a perspective with importance `i`
//! and satisfaction `s` (both 1–5) the score is `i + max(i - s, 0)`, from 1
//! (unimportant and served) to 9 (vital and unserved). An opportunity is scored
//! from the perspectives it links: the cells of its personas × its activities
//! (all personas when it names none). It takes the score of its most
//! under-served linked cell, so linking a cell that is already well served
//! never hides an urgent one. A manual score (e.g. RICE) overrides. A cell's
//! importance and satisfaction are the product manager's until three
//! interviewees have rated it in their notes, then the medians of their
//! ratings (see [`super::ratings`]).
//!
//! Beside the score, an opportunity's [`Reach`] sizes it by its evidence:
//! how many distinct people interviewed back it, in how many notes, over
//! which personas and how recently. The ranked list can sort by any of the
//! three ([`Rank`]).

use super::ratings::{ByCell, CellRatings};
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

/// The score of an opportunity in a workspace (reading every note's
/// ratings: in a loop, compute [`ByCell`] once and use
/// [`opportunity_score_by`]).
pub fn opportunity_score(ws: &Workspace, opp: &Opportunity) -> Score {
    if let Some(m) = opp.manual_score {
        return Score::Manual(m);
    }
    opportunity_score_by(ws, opp, &ByCell::of(ws))
}

/// The score of an opportunity, its cells' ratings read from `cells`: each
/// cell scores from the interviews once they count, else from the product
/// manager's rating (see [`super::ratings`]).
pub fn opportunity_score_by(ws: &Workspace, opp: &Opportunity, cells: &impl CellRatings) -> Score {
    if let Some(m) = opp.manual_score {
        return Score::Manual(m);
    }
    linked_cells(ws, opp)
        .filter_map(|(p, a)| cells.rating(ws, p, a).score())
        .max()
        .map_or(Score::Unscored, Score::Outcome)
}

/// Who backs an opportunity: its evidence counted in people.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Distinct interviewees, by alias in any case; a note without an
    /// alias counts as one person of its own.
    pub interviewees: usize,
    /// Distinct notes.
    pub notes: usize,
    /// The personas of those notes, in the workspace's order.
    pub personas: Vec<Id>,
    /// The date of the latest of those notes.
    pub last_heard: Option<chrono::NaiveDate>,
}

/// The reach of an opportunity (evidence citing a missing note is not
/// counted).
pub fn reach(ws: &Workspace, opp: &Opportunity) -> Reach {
    let mut notes: Vec<&Id> = opp.evidence.iter().map(|e| &e.note).collect();
    notes.sort();
    notes.dedup();
    let mut people = std::collections::BTreeSet::new();
    let mut personas = std::collections::BTreeSet::new();
    let mut r = Reach::default();
    for id in notes {
        let Some(n) = ws.notes.get(id) else { continue };
        r.notes += 1;
        let alias = n.interviewee.trim().to_lowercase();
        people.insert(if alias.is_empty() {
            format!("\u{0}{id}")
        } else {
            alias
        });
        if let Some(p) = &n.persona {
            personas.insert(p);
        }
        r.last_heard = r.last_heard.max(Some(n.date));
    }
    r.interviewees = people.len();
    r.personas = ws
        .personas
        .iter()
        .filter(|p| personas.contains(&p.id))
        .map(|p| p.id.clone())
        .collect();
    r
}

/// What the ranked list sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rank {
    /// The score, highest first.
    #[default]
    Score,
    /// Distinct interviewees, then notes, most first.
    Reach,
    /// The latest note behind it, newest first.
    Recency,
}

impl Rank {
    pub const ALL: [Rank; 3] = [Rank::Score, Rank::Reach, Rank::Recency];

    pub fn label(self) -> &'static str {
        match self {
            Rank::Score => "score",
            Rank::Reach => "reach",
            Rank::Recency => "recency",
        }
    }

    /// A name or an unambiguous start of one ("sc", "rea", "rec").
    pub fn parse(s: &str) -> Option<Rank> {
        let s = s.trim().to_ascii_lowercase();
        let hits: Vec<Rank> = Rank::ALL
            .into_iter()
            .filter(|r| !s.is_empty() && r.label().starts_with(&s))
            .collect();
        match hits[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The next way to sort, wrapping.
    pub fn next(self) -> Rank {
        match self {
            Rank::Score => Rank::Reach,
            Rank::Reach => Rank::Recency,
            Rank::Recency => Rank::Score,
        }
    }
}

/// Opportunities ordered by `rank`; ties by score, then title, then id.
pub fn ranked_by(ws: &Workspace, rank: Rank) -> Vec<(&Opportunity, Score)> {
    ranked_by_with(ws, rank, &ByCell::of(ws))
}

/// [`ranked_by`], the cells' ratings read from `cells`.
pub fn ranked_by_with<'a>(
    ws: &'a Workspace,
    rank: Rank,
    cells: &impl CellRatings,
) -> Vec<(&'a Opportunity, Score)> {
    let mut v = ranked_with(ws, cells);
    if rank == Rank::Score {
        return v;
    }
    // A stable sort keeps the score order among ties.
    let reach: std::collections::HashMap<&Id, Reach> =
        v.iter().map(|(o, _)| (&o.id, self::reach(ws, o))).collect();
    v.sort_by(|a, b| {
        let (ra, rb) = (&reach[&a.0.id], &reach[&b.0.id]);
        match rank {
            Rank::Reach => (rb.interviewees, rb.notes).cmp(&(ra.interviewees, ra.notes)),
            _ => rb.last_heard.cmp(&ra.last_heard),
        }
    });
    v
}

/// Opportunities ordered by score, highest first; ties by title, then id.
pub fn ranked(ws: &Workspace) -> Vec<(&Opportunity, Score)> {
    ranked_with(ws, &ByCell::of(ws))
}

/// [`ranked`], the cells' ratings read from `cells`.
pub fn ranked_with<'a>(
    ws: &'a Workspace,
    cells: &impl CellRatings,
) -> Vec<(&'a Opportunity, Score)> {
    let mut v: Vec<_> = ws
        .opportunities
        .iter()
        .map(|o| (o, opportunity_score_by(ws, o, cells)))
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

    #[test]
    fn reach_counts_people_notes_personas_and_the_last_date() {
        let mut ws = Workspace::new("t");
        let dev = Id::from("pdev");
        let mgr = Id::from("pmgr");
        for (id, name, role) in [
            (&dev, "Dev", Role::Consumer),
            (&mgr, "Manager", Role::Customer),
        ] {
            ws.personas.push(Persona {
                id: id.clone(),
                name: name.into(),
                role,
                description: String::new(),
                jobs: vec![],
                tags: vec![],
            });
        }
        let note = |id: &str, who: &str, date: &str, persona: &Id| Note {
            id: id.into(),
            date: chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            interviewee: who.into(),
            persona: Some(persona.clone()),
            activities: vec![],
            title: id.into(),
            body: String::new(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        };
        for n in [
            note("n1", "Dana", "2026-10-01", &mgr),
            note("n2", " dana ", "2026-10-20", &mgr),
            note("n3", "Sam", "2026-09-01", &dev),
            note("n4", "", "2026-09-02", &dev),
            note("n5", "", "2026-09-03", &dev),
        ] {
            ws.notes.insert(n.id.clone(), n.into());
        }
        let ev = |n: &str| Evidence {
            note: n.into(),
            quote: "! x".into(),
        };
        let mut a = Opportunity::new("opa".into(), "A", OpportunityKind::Need);
        // Dana twice (two notes, one person), Sam, two notes without an
        // alias (two people), one line cited twice, one missing note.
        a.evidence = vec![
            ev("n1"),
            ev("n2"),
            ev("n2"),
            ev("n3"),
            ev("n4"),
            ev("n5"),
            ev("gone"),
        ];
        let r = reach(&ws, &a);
        assert_eq!(r.interviewees, 4);
        assert_eq!(r.notes, 5);
        assert_eq!(
            r.personas,
            vec![dev.clone(), mgr.clone()],
            "workspace order"
        );
        assert_eq!(r.last_heard, chrono::NaiveDate::from_ymd_opt(2026, 10, 20));
        assert_eq!(
            reach(
                &ws,
                &Opportunity::new("e".into(), "E", OpportunityKind::Need)
            ),
            Reach::default()
        );

        // Ranking: B has the higher score, A the wider reach, C the newest note.
        a.manual_score = Some(2.0);
        let mut b = Opportunity::new("opb".into(), "B", OpportunityKind::Need);
        b.manual_score = Some(8.0);
        b.evidence = vec![ev("n3")];
        let mut c = Opportunity::new("opc".into(), "C", OpportunityKind::Need);
        c.manual_score = Some(5.0);
        let newest = note("n6", "Lee", "2026-11-01", &dev);
        ws.notes.insert(newest.id.clone(), newest.into());
        c.evidence = vec![ev("n6")];
        ws.opportunities = vec![a, b, c];
        let order = |r: Rank| -> Vec<String> {
            ranked_by(&ws, r)
                .iter()
                .map(|(o, _)| o.title.clone())
                .collect()
        };
        assert_eq!(order(Rank::Score), ["B", "C", "A"]);
        assert_eq!(
            order(Rank::Reach),
            ["A", "B", "C"],
            "ties (B, C: one person, one note) by score"
        );
        assert_eq!(order(Rank::Recency), ["C", "A", "B"]);
        assert_eq!(Rank::parse("re"), None, "reach or recency");
        assert_eq!(Rank::parse("REC"), Some(Rank::Recency));
        assert_eq!(Rank::parse("score"), Some(Rank::Score));
    }
}
