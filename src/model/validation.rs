//! Whether a shipped solution delivered value: each metric that can
//! validate it (see [`Workspace::validating_metrics`]) is compared before
//! and after the ship date, and the opportunity gets a suggested verdict.
//!
//! The rule, in full (the README states it too):
//! - **Windows.** "Before" is the [`WINDOW_DAYS`] days before the ship
//!   date, "after" the [`WINDOW_DAYS`] days after it. Observations on the
//!   ship date itself belong to neither: the change was only partly live.
//! - **Figures.** Each window's mean (the plain average of its
//!   observations) and count; the change is `after - before`, better or
//!   worse by the metric's direction.
//! - **Verdict per metric.** With a target and at least [`MIN_AFTER`]
//!   observations after: *met* when the after-mean reaches the target in
//!   the metric's direction; *missed* when the after-window has ended
//!   (today is past it), the after-mean misses the target and is no better
//!   than the before-mean (or the baseline when nothing came before).
//!   Otherwise too early to tell.
//! - **Suggestion for the opportunity.** Validated when every metric with a
//!   verdict met its target; invalidated when every one missed; nothing when
//!   they disagree, when none has a verdict, or when the opportunity already
//!   carries a verdict.

use chrono::{Days, NaiveDate};

use super::{Direction, Id, Metric, Opportunity, Solution, SolutionStatus, Status, Workspace};

/// The length of the windows before and after a ship date.
pub const WINDOW_DAYS: u64 = 90;

/// Observations needed after the ship date before a verdict is offered.
pub const MIN_AFTER: usize = 3;

/// The observations of one window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub count: usize,
    /// The mean of the observations (`None` when there are none).
    pub mean: Option<f64>,
}

impl Window {
    fn of(values: impl Iterator<Item = f64>) -> Window {
        let (mut n, mut sum) = (0usize, 0.0);
        for v in values.filter(|v| v.is_finite()) {
            n += 1;
            sum += v;
        }
        Window {
            count: n,
            mean: (n > 0).then(|| sum / n as f64),
        }
    }
}

/// What a metric says about a ship date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricVerdict {
    /// The after-mean reaches the target.
    Met,
    /// The after-window ended, missing the target with no improvement.
    Missed,
    /// Not enough observations after, no target, or the window still runs.
    TooEarly,
}

/// One metric before and after one ship date.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub metric: Id,
    pub shipped: NaiveDate,
    pub before: Window,
    pub after: Window,
    pub verdict: MetricVerdict,
}

impl Comparison {
    /// `after - before`, when both windows have observations.
    pub fn change(&self) -> Option<f64> {
        Some(self.after.mean? - self.before.mean?)
    }

    /// Whether the change is an improvement by the metric's direction.
    pub fn improved(&self, direction: Direction) -> Option<bool> {
        let c = self.change()?;
        Some(better(direction, c))
    }
}

fn better(direction: Direction, change: f64) -> bool {
    match direction {
        Direction::HigherIsBetter => change > 0.0,
        Direction::LowerIsBetter => change < 0.0,
    }
}

fn reaches(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::HigherIsBetter => value >= target,
        Direction::LowerIsBetter => value <= target,
    }
}

/// Compares a metric's observations before and after `shipped`, as of
/// `today` (which decides whether the after-window has ended).
pub fn compare(m: &Metric, shipped: NaiveDate, today: NaiveDate) -> Comparison {
    let start = shipped
        .checked_sub_days(Days::new(WINDOW_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let end = shipped
        .checked_add_days(Days::new(WINDOW_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let before = Window::of(
        m.observations
            .iter()
            .filter(|o| o.date >= start && o.date < shipped)
            .map(|o| o.value),
    );
    let after = Window::of(
        m.observations
            .iter()
            .filter(|o| o.date > shipped && o.date <= end)
            .map(|o| o.value),
    );
    let verdict = match (m.target.filter(|t| t.is_finite()), after.mean) {
        (Some(target), Some(mean)) if after.count >= MIN_AFTER => {
            let reference = before.mean.or(m.baseline);
            let no_better = reference.is_none_or(|r| !better(m.direction, mean - r));
            if reaches(m.direction, mean, target) {
                MetricVerdict::Met
            } else if today > end && no_better {
                MetricVerdict::Missed
            } else {
                MetricVerdict::TooEarly
            }
        }
        _ => MetricVerdict::TooEarly,
    };
    Comparison {
        metric: m.id.clone(),
        shipped,
        before,
        after,
        verdict,
    }
}

/// The comparisons for one shipped solution, one per validating metric
/// (empty when it has not shipped or has no date).
pub fn solution_comparisons(ws: &Workspace, s: &Solution, today: NaiveDate) -> Vec<Comparison> {
    let Some(shipped) = s.shipped.filter(|_| s.status == SolutionStatus::Shipped) else {
        return Vec::new();
    };
    ws.validating_metrics(s)
        .into_iter()
        .map(|m| compare(m, shipped, today))
        .collect()
}

/// A verdict the numbers suggest for an opportunity, with why.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub opportunity: Id,
    pub status: Status,
    /// The comparisons behind it.
    pub evidence: Vec<Comparison>,
}

impl Suggestion {
    /// One line: "validated: dashboard visits 41.3 after vs 12.0 before
    /// (target 30), 4 and 5 observations".
    pub fn describe(&self, ws: &Workspace) -> String {
        let parts: Vec<String> = self
            .evidence
            .iter()
            .filter_map(|c| {
                let m = ws.metric(&c.metric)?;
                let f = |v: Option<f64>| {
                    v.map_or("–".to_string(), |v| crate::text::with_unit(v, &m.unit))
                };
                Some(format!(
                    "{} {} after vs {} before (target {}; {} and {} observations)",
                    m.name,
                    f(c.after.mean),
                    f(c.before.mean),
                    f(m.target),
                    c.after.count,
                    c.before.count
                ))
            })
            .collect();
        format!("{}: {}", self.status.label(), parts.join("; "))
    }
}

/// The verdict suggested for an opportunity from its shipped solutions'
/// metrics (see the module documentation for the rule).
pub fn suggest(ws: &Workspace, o: &Opportunity, today: NaiveDate) -> Option<Suggestion> {
    if matches!(o.status, Status::Validated | Status::Invalidated) {
        return None;
    }
    let judged: Vec<Comparison> = ws
        .solutions_of(&o.id)
        .into_iter()
        .flat_map(|s| solution_comparisons(ws, s, today))
        .filter(|c| c.verdict != MetricVerdict::TooEarly)
        .collect();
    let first = judged.first()?.verdict;
    if judged.iter().any(|c| c.verdict != first) {
        return None;
    }
    Some(Suggestion {
        opportunity: o.id.clone(),
        status: if first == MetricVerdict::Met {
            Status::Validated
        } else {
            Status::Invalidated
        },
        evidence: judged,
    })
}

/// Every suggestion in the workspace, in the order of the opportunities.
pub fn suggestions(ws: &Workspace, today: NaiveDate) -> Vec<Suggestion> {
    if ws.items.solutions.is_empty() {
        return Vec::new();
    }
    ws.opportunities
        .iter()
        .filter_map(|o| suggest(ws, o, today))
        .collect()
}

/// A dated event on a metric's chart: a solution shipped, or an
/// opportunity delivered, that the metric measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub date: NaiveDate,
    /// "shipped" or "delivered".
    pub what: &'static str,
    /// The solution's or the opportunity's title.
    pub title: String,
}

/// The markers of one metric, by date: every shipped solution (with a
/// date) the metric validates, and every delivered opportunity (with a
/// date) it measures, directly or through the opportunity's outcome.
/// A delivery on the same day as a shipped solution of that opportunity
/// is one marker, the solution's.
pub fn markers(ws: &Workspace, metric: &Id) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut shipped_opps: Vec<(&Id, NaiveDate)> = Vec::new();
    for s in ws.items.solutions.values() {
        let Some(date) = s.shipped.filter(|_| s.status == SolutionStatus::Shipped) else {
            continue;
        };
        if ws.validating_metrics(s).iter().any(|m| &m.id == metric) {
            shipped_opps.push((&s.opportunity, date));
            out.push(Marker {
                date,
                what: "shipped",
                title: s.title.clone(),
            });
        }
    }
    let m = ws.metric(metric);
    for o in &ws.opportunities {
        let Some(date) = o.delivered else { continue };
        if shipped_opps.contains(&(&o.id, date)) {
            continue;
        }
        let direct = m.is_some_and(|m| m.opportunity.as_ref() == Some(&o.id));
        let by_outcome = ws
            .outcome_of(&o.id)
            .and_then(|oc| ws.items.outcomes.get(oc))
            .is_some_and(|oc| oc.metrics.contains(metric));
        if direct || by_outcome {
            out.push(Marker {
                date,
                what: "delivered",
                title: o.title.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.title.cmp(&b.title)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Observation, OpportunityKind};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn metric(target: Option<f64>, dir: Direction, obs: &[(&str, f64)]) -> Metric {
        Metric {
            id: "m1".into(),
            name: "dashboard visits".into(),
            kind: Default::default(),
            unit: String::new(),
            description: String::new(),
            activity: None,
            opportunity: Some("o1".into()),
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target,
            direction: dir,
            observations: obs
                .iter()
                .map(|(date, value)| Observation {
                    date: d(date),
                    value: *value,
                    comment: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn windows_leave_out_the_ship_date_and_what_is_outside_them() {
        // Shipped 2026-03-01: before is 2025-12-01 ..= 2026-02-28 (90 days),
        // after is 2026-03-02 ..= 2026-05-30 (90 days).
        let m = metric(
            Some(30.0),
            Direction::HigherIsBetter,
            &[
                ("2025-11-30", 1000.0), // 91 days before: outside
                ("2025-12-01", 10.0),
                ("2026-02-15", 14.0),
                ("2026-03-01", 500.0), // the ship date: neither
                ("2026-03-02", 28.0),
                ("2026-03-10", 32.0),
                ("2026-05-30", 41.0),
                ("2026-05-31", 0.0), // 91 days after: outside
            ],
        );
        let c = compare(&m, d("2026-03-01"), d("2026-03-15"));
        assert_eq!(c.before.count, 2);
        assert_eq!(c.before.mean, Some(12.0));
        assert_eq!(c.after.count, 3);
        // (28 + 32 + 41) / 3 = 33.666...
        assert!((c.after.mean.unwrap() - 101.0 / 3.0).abs() < 1e-9);
        assert!((c.change().unwrap() - (101.0 / 3.0 - 12.0)).abs() < 1e-9);
        assert_eq!(c.improved(Direction::HigherIsBetter), Some(true));
        assert_eq!(c.verdict, MetricVerdict::Met);
    }

    #[test]
    fn fewer_than_three_after_is_too_early_and_no_target_never_judges() {
        let m = metric(
            Some(30.0),
            Direction::HigherIsBetter,
            &[("2026-03-05", 50.0), ("2026-03-06", 50.0)],
        );
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-06-01")).verdict,
            MetricVerdict::TooEarly
        );
        let m = metric(
            None,
            Direction::HigherIsBetter,
            &[
                ("2026-03-05", 50.0),
                ("2026-03-06", 50.0),
                ("2026-03-07", 50.0),
            ],
        );
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-06-01")).verdict,
            MetricVerdict::TooEarly
        );
    }

    #[test]
    fn a_miss_needs_the_window_over_and_no_improvement() {
        // Lower is better, target 5: after-mean 8 misses; before-mean 8.
        let obs = [
            ("2026-02-20", 8.0),
            ("2026-03-02", 9.0),
            ("2026-03-03", 7.0),
            ("2026-03-04", 8.0),
        ];
        let m = metric(Some(5.0), Direction::LowerIsBetter, &obs);
        // The window still runs on 2026-05-30 (its last day).
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-05-30")).verdict,
            MetricVerdict::TooEarly
        );
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-05-31")).verdict,
            MetricVerdict::Missed
        );
        // An improvement (before 12, after 8) is not called a miss.
        let mut m = m;
        m.observations[0].value = 12.0;
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-05-31")).verdict,
            MetricVerdict::TooEarly
        );
        // Lower is better: 4 reaches a target of 5.
        for o in &mut m.observations[1..] {
            o.value = 4.0;
        }
        assert_eq!(
            compare(&m, d("2026-03-01"), d("2026-03-10")).verdict,
            MetricVerdict::Met
        );
    }

    #[test]
    fn the_opportunity_gets_a_suggestion_only_when_metrics_agree() {
        let mut ws = Workspace::new("t");
        let mut o = Opportunity::new(
            "o1".into(),
            "Managers ask for cost data",
            OpportunityKind::Need,
        );
        o.status = Status::Delivered;
        ws.opportunities.push(o);
        ws.items.solutions.insert(
            "s1".into(),
            Solution {
                id: "s1".into(),
                opportunity: "o1".into(),
                title: "Cost dashboard".into(),
                description: String::new(),
                status: SolutionStatus::Shipped,
                shipped: Some(d("2026-03-01")),
                value: None,
                effort: None,
                owner: String::new(),
            },
        );
        ws.metrics.push(metric(
            Some(30.0),
            Direction::HigherIsBetter,
            &[
                ("2026-02-10", 10.0),
                ("2026-03-02", 31.0),
                ("2026-03-03", 35.0),
                ("2026-03-04", 33.0),
            ],
        ));
        let today = d("2026-03-10");
        let s = suggest(&ws, &ws.opportunities[0], today).unwrap();
        assert_eq!(s.status, Status::Validated);
        assert_eq!(s.evidence.len(), 1);
        assert!(
            s.describe(&ws)
                .starts_with("validated: dashboard visits 33 after vs 10 before")
        );
        // A second metric that missed: they disagree, nothing is suggested.
        let mut other = metric(
            Some(1.0),
            Direction::LowerIsBetter,
            &[
                ("2026-02-10", 5.0),
                ("2026-03-02", 6.0),
                ("2026-03-03", 6.0),
                ("2026-03-04", 6.0),
            ],
        );
        other.id = "m2".into();
        ws.metrics.push(other);
        assert_eq!(suggest(&ws, &ws.opportunities[0], d("2026-06-01")), None);
        // Already judged: nothing to suggest.
        ws.metrics.pop();
        ws.opportunities[0].status = Status::Validated;
        assert_eq!(suggest(&ws, &ws.opportunities[0], today), None);
    }

    #[test]
    fn the_template_cost_dashboard_is_suggested_validated() {
        let ws = crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let o = ws.opportunity(&"52cdsh".into()).unwrap();
        let s = suggest(&ws, o, d("2026-11-30")).unwrap();
        assert_eq!(s.status, Status::Validated);
        let c = &s.evidence[0];
        // Weekly visits from 2026-06-01; shipped 2026-08-12. Before: the 11
        // Mondays 2026-06-01 ..= 2026-08-10 (0 0 0 0 1 1 2 3 4 4 5 = 20).
        assert_eq!(c.before.count, 11);
        assert!((c.before.mean.unwrap() - 20.0 / 11.0).abs() < 1e-9);
        // After: the 13 Mondays 2026-08-17 ..= 2026-11-09, up to 90 days
        // after (12 18 22 26 29 31 33 35 38 40 42 44 45 = 415), above the
        // target of 30.
        assert_eq!(c.after.count, 13);
        assert!((c.after.mean.unwrap() - 415.0 / 13.0).abs() < 1e-9);
    }

    #[test]
    fn the_template_dashboard_visits_carry_the_cost_dashboard_marker() {
        let mut ws = crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        // Dashboard visits measure "Managers keep asking for cost data"
        // (delivered 2026-08-12, the day "Cost dashboard" shipped): one
        // marker, the solution's.
        let visits = ws
            .metrics
            .iter()
            .find(|m| m.name == "Dashboard visits")
            .unwrap()
            .id
            .clone();
        let ms = markers(&ws, &visits);
        assert_eq!(
            ms,
            vec![Marker {
                date: d("2026-08-12"),
                what: "shipped",
                title: "Cost dashboard".into()
            }]
        );
        // Delivered on another day: both show.
        let i = ws.opportunity_index(&"52cdsh".into()).unwrap();
        ws.opportunities[i].delivered = Some(d("2026-08-20"));
        let ms = markers(&ws, &visits);
        assert_eq!(ms.len(), 2);
        assert_eq!((ms[1].what, ms[1].date), ("delivered", d("2026-08-20")));
        // A metric nothing ships against has none.
        let other = ws
            .metrics
            .iter()
            .find(|m| m.id != visits)
            .unwrap()
            .id
            .clone();
        assert!(
            markers(&ws, &other)
                .iter()
                .all(|m| m.title != "Cost dashboard")
        );
    }
}
