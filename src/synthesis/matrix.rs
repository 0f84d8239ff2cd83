//! The value / effort matrix: opportunities and solutions rated for value
//! (1–5) and effort (1–5), placed in four quadrants.
//!
//! A rating of [`HIGH`] (3) or more is high, below it low:
//!
//! |              | low effort (1–2) | high effort (3–5) |
//! |--------------|------------------|-------------------|
//! | high value (3–5) | quick wins   | big bets          |
//! | low value (1–2)  | fill-ins     | money pits        |
//!
//! Items without both ratings are not placed; they are counted.

use crate::model::{EntityRef, Kind, Workspace};

/// From this rating up, value or effort is high.
pub const HIGH: u8 = 3;

/// A quadrant of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quadrant {
    /// High value, low effort.
    QuickWins,
    /// High value, high effort.
    BigBets,
    /// Low value, low effort.
    FillIns,
    /// Low value, high effort.
    MoneyPits,
}

impl Quadrant {
    /// In reading order: the top row (high value) left to right, then the
    /// bottom row.
    pub const ALL: [Quadrant; 4] = [
        Quadrant::QuickWins,
        Quadrant::BigBets,
        Quadrant::FillIns,
        Quadrant::MoneyPits,
    ];

    pub fn of(value: u8, effort: u8) -> Quadrant {
        match (value >= HIGH, effort >= HIGH) {
            (true, false) => Quadrant::QuickWins,
            (true, true) => Quadrant::BigBets,
            (false, false) => Quadrant::FillIns,
            (false, true) => Quadrant::MoneyPits,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Quadrant::QuickWins => "quick wins",
            Quadrant::BigBets => "big bets",
            Quadrant::FillIns => "fill-ins",
            Quadrant::MoneyPits => "money pits",
        }
    }

    /// What the quadrant holds, in words.
    pub fn rule(self) -> &'static str {
        match self {
            Quadrant::QuickWins => "high value, low effort",
            Quadrant::BigBets => "high value, high effort",
            Quadrant::FillIns => "low value, low effort",
            Quadrant::MoneyPits => "low value, high effort",
        }
    }

    /// Its column (0: low effort) and row (0: high value).
    pub fn cell(self) -> (usize, usize) {
        match self {
            Quadrant::QuickWins => (0, 0),
            Quadrant::BigBets => (1, 0),
            Quadrant::FillIns => (0, 1),
            Quadrant::MoneyPits => (1, 1),
        }
    }
}

/// An opportunity or solution placed on the matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub item: EntityRef,
    pub title: String,
    /// "opportunity" or "solution".
    pub kind: &'static str,
    pub value: u8,
    pub effort: u8,
    pub quadrant: Quadrant,
}

/// The matrix: the items placed and how many are not rated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    /// By quadrant (in [`Quadrant::ALL`] order), then most value, least
    /// effort, title.
    pub placed: Vec<Placed>,
    /// Opportunities and solutions without both ratings.
    pub unrated: usize,
}

impl Matrix {
    pub fn of(ws: &Workspace) -> Matrix {
        let mut m = Matrix::default();
        let opps = ws.opportunities.iter().map(|o| {
            (
                EntityRef::Opportunity(o.id.clone()),
                "opportunity",
                &o.title,
                o.value,
                o.effort,
            )
        });
        let sols = ws.items.solutions.values().map(|s| {
            (
                EntityRef::Item(Kind::Solution, s.id.clone()),
                "solution",
                &s.title,
                s.value,
                s.effort,
            )
        });
        for (item, kind, title, value, effort) in opps.chain(sols) {
            match (value, effort) {
                (Some(v), Some(e)) if (1..=5).contains(&v) && (1..=5).contains(&e) => {
                    m.placed.push(Placed {
                        item,
                        title: title.clone(),
                        kind,
                        value: v,
                        effort: e,
                        quadrant: Quadrant::of(v, e),
                    })
                }
                _ => m.unrated += 1,
            }
        }
        m.placed.sort_by(|a, b| {
            (a.quadrant, std::cmp::Reverse(a.value), a.effort, &a.title).cmp(&(
                b.quadrant,
                std::cmp::Reverse(b.value),
                b.effort,
                &b.title,
            ))
        });
        m
    }

    /// The items of one quadrant.
    pub fn in_quadrant(&self, q: Quadrant) -> Vec<&Placed> {
        self.placed.iter().filter(|p| p.quadrant == q).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Opportunity, OpportunityKind, Solution, SolutionStatus};

    #[test]
    fn the_threshold_is_three() {
        // Hand-placed: value across, effort down.
        let cases = [
            (5, 1, Quadrant::QuickWins),
            (3, 2, Quadrant::QuickWins),
            (3, 3, Quadrant::BigBets),
            (5, 5, Quadrant::BigBets),
            (2, 2, Quadrant::FillIns),
            (1, 1, Quadrant::FillIns),
            (2, 3, Quadrant::MoneyPits),
            (1, 5, Quadrant::MoneyPits),
        ];
        for (v, e, q) in cases {
            assert_eq!(Quadrant::of(v, e), q, "value {v} effort {e}");
        }
    }

    #[test]
    fn opportunities_and_solutions_are_placed_and_the_rest_counted() {
        let mut ws = Workspace::new("t");
        let mut add = |id: &str, v: Option<u8>, e: Option<u8>| {
            let mut o = Opportunity::new(id.into(), format!("o {id}"), OpportunityKind::Need);
            o.value = v;
            o.effort = e;
            ws.opportunities.push(o);
        };
        add("a", Some(4), Some(1));
        add("b", Some(5), Some(2));
        add("c", Some(1), Some(4));
        add("d", Some(4), None);
        add("e", Some(9), Some(1));
        ws.items.solutions.insert(
            "s".into(),
            Solution {
                id: "s".into(),
                opportunity: "a".into(),
                title: "s".into(),
                description: String::new(),
                status: SolutionStatus::Idea,
                shipped: None,
                value: Some(2),
                effort: Some(2),
                owner: String::new(),
            },
        );
        let m = Matrix::of(&ws);
        let placed: Vec<(&str, Quadrant)> = m
            .placed
            .iter()
            .map(|p| (p.title.as_str(), p.quadrant))
            .collect();
        assert_eq!(
            placed,
            [
                ("o b", Quadrant::QuickWins),
                ("o a", Quadrant::QuickWins),
                ("s", Quadrant::FillIns),
                ("o c", Quadrant::MoneyPits),
            ]
        );
        // One rating missing, one out of range.
        assert_eq!(m.unrated, 2);
        assert!(m.in_quadrant(Quadrant::BigBets).is_empty());
        assert_eq!(m.placed[2].kind, "solution");
    }
}
