//! Metrics: observations and verdicts.

use super::{Names, links, opt_num, pair_by_id, value};
use crate::diff::{Change, Delta, MetricChange, ObservationItem, Verdict};
use crate::model::{Id, Metric, Observation};

pub(super) fn metrics(n: &Names) -> Vec<MetricChange> {
    let latest = |m: &Metric| m.latest().map(|o| o.value);
    let sorted = |mut v: Vec<ObservationItem>| {
        v.sort_by(|p, q| p.date.cmp(&q.date).then(p.value.total_cmp(&q.value)));
        v
    };
    let new = |m: &Metric, change: Change| {
        let all = sorted(m.observations.iter().map(ObservationItem::from).collect());
        let (observations_added, observations_removed) = match change {
            Change::Added => (all, vec![]),
            _ => (vec![], all),
        };
        MetricChange {
            id: m.id.clone(),
            change,
            name: m.name.clone(),
            unit: m.unit.clone(),
            fields: vec![],
            observations_added,
            observations_removed,
            latest: Delta::same(latest(m)),
            verdict: Delta::same(Verdict::of(m)),
        }
    };
    let opp_name = |o: &Option<Id>| o.as_ref().map(|o| n.opportunity(o)).unwrap_or_default();
    let act_name = |o: &Option<Id>| o.as_ref().map(|o| n.activity(o)).unwrap_or_default();
    pair_by_id(&n.a.metrics, &n.b.metrics, |m| &m.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => Some(new(y, Change::Added)),
            (Some(x), None) => Some(new(x, Change::Removed)),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "kind", x.kind.label(), y.kind.label());
                value(&mut f, "unit", &x.unit, &y.unit);
                value(&mut f, "description", &x.description, &y.description);
                if x.activity != y.activity {
                    value(
                        &mut f,
                        "activity",
                        &act_name(&x.activity),
                        &act_name(&y.activity),
                    );
                }
                if x.opportunity != y.opportunity {
                    value(
                        &mut f,
                        "opportunity",
                        &opp_name(&x.opportunity),
                        &opp_name(&y.opportunity),
                    );
                }
                value(
                    &mut f,
                    "baseline",
                    &opt_num(x.baseline, &x.unit),
                    &opt_num(y.baseline, &y.unit),
                );
                value(
                    &mut f,
                    "target",
                    &opt_num(x.target, &x.unit),
                    &opt_num(y.target, &y.unit),
                );
                value(
                    &mut f,
                    "direction",
                    x.direction.label(),
                    y.direction.label(),
                );
                // Who watches it, and how a computed one is computed.
                links(&mut f, "personas", &x.personas, &y.personas, |id| {
                    n.persona(id)
                });
                value(
                    &mut f,
                    "formula",
                    x.formula.as_deref().unwrap_or_default(),
                    y.formula.as_deref().unwrap_or_default(),
                );
                let rate = |m: &Metric| {
                    m.adoption.as_ref().map_or(String::new(), |a| {
                        format!(
                            "{}{}",
                            n.target(&a.target),
                            if a.voluntary { ", by free choice" } else { "" }
                        )
                    })
                };
                value(&mut f, "adoption rate of", &rate(x), &rate(y));
                // Observations have no id: they match when date, value and
                // comment all match (each one once).
                let mut unmatched: Vec<&Observation> = x.observations.iter().collect();
                let mut added = Vec::new();
                for o in &y.observations {
                    let same = |p: &&Observation| {
                        p.date == o.date
                            && p.value.to_bits() == o.value.to_bits()
                            && p.comment == o.comment
                    };
                    match unmatched.iter().position(same) {
                        Some(i) => {
                            unmatched.swap_remove(i);
                        }
                        None => added.push(ObservationItem::from(o)),
                    }
                }
                let c = MetricChange {
                    id: y.id.clone(),
                    change: Change::Changed,
                    name: y.name.clone(),
                    unit: y.unit.clone(),
                    fields: f,
                    observations_added: sorted(added),
                    observations_removed: sorted(
                        unmatched.into_iter().map(ObservationItem::from).collect(),
                    ),
                    latest: Delta::new(latest(x), latest(y)),
                    verdict: Delta::new(Verdict::of(x), Verdict::of(y)),
                };
                let changed = !c.fields.is_empty()
                    || !c.observations_added.is_empty()
                    || !c.observations_removed.is_empty()
                    || c.verdict.changed()
                    || c.latest.before.map(f64::to_bits) != c.latest.after.map(f64::to_bits);
                changed.then_some(c)
            }
            (None, None) => None,
        })
        .collect()
}
