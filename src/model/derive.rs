//! Derived metrics: series computed from the workspace instead of recorded.
//!
//! A metric with a `formula` computes its series from other metrics'
//! observations, e.g. `availability_minutes_gained * cost_per_minute`
//! (money from minutes). A formula names metrics by [`ident`]: the name in
//! lower case, every run of other characters an underscore
//! ("Cost per minute" → `cost_per_minute`). Operators are those of
//! [`exmex`]: `+ - * / ^`, parentheses, `abs`, `sqrt`, `log`, `exp`, `min`
//! ... and the constants `e` and `PI`.
//!
//! The series has a value on every date any input was observed, from the
//! first date every input has a value: each input counts with its latest
//! observation on or before that date (a price observed once holds until
//! it changes).
//!
//! A metric with an `adoption` rate gets the rate of its target on every
//! date adoption was recorded for it (see [`super::adoption`]).
//!
//! Derived series are never written to the metric's file: they are
//! recomputed whenever the workspace is loaded or changed
//! ([`Workspace::derive_metrics`]). A formula that names no metric, takes
//! part in a cycle, does not parse, or divides by zero on some date is an
//! error of `valuemap check` (its series is then empty); it never panics.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use exmex::prelude::*;

use super::{Id, Metric, Observation, Workspace};

/// How a formula names a metric: its name in lower case, letters and
/// digits kept, every run of anything else one `_` (and a leading `_`
/// before a digit).
pub fn ident(name: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

impl Metric {
    /// Its series is computed (a formula or an adoption rate).
    pub fn is_derived(&self) -> bool {
        self.formula.is_some() || self.adoption.is_some()
    }

    /// The name a formula uses for it.
    pub fn ident(&self) -> String {
        ident(&self.name)
    }

    /// The metric as its file keeps it: a derived metric's computed series
    /// is left out.
    pub fn stored(&self) -> std::borrow::Cow<'_, Metric> {
        if self.is_derived() && !self.observations.is_empty() {
            let mut m = self.clone();
            m.observations.clear();
            std::borrow::Cow::Owned(m)
        } else {
            std::borrow::Cow::Borrowed(self)
        }
    }
}

/// Why a derived metric has no series.
#[derive(Clone, Debug, PartialEq)]
pub struct DeriveError {
    pub metric: Id,
    pub message: String,
}

/// Every derived metric's series, and what is wrong with those that have
/// none.
pub struct Derived {
    pub series: BTreeMap<Id, Vec<Observation>>,
    pub errors: Vec<DeriveError>,
}

/// A parsed formula: the metrics it names, in the order its variables are
/// evaluated.
struct Parsed {
    expr: FlatEx<f64>,
    inputs: Vec<Id>,
}

fn parse(
    ws: &Workspace,
    by_ident: &BTreeMap<String, Vec<&Id>>,
    m: &Metric,
) -> Result<Parsed, String> {
    let text = m.formula.as_deref().unwrap_or_default();
    if text.trim().is_empty() {
        return Err("has an empty formula".into());
    }
    let expr = exmex::parse::<f64>(text)
        .map_err(|e| format!("has a formula that does not parse ({e}): {text}"))?;
    let mut inputs = Vec::new();
    let mut unknown = Vec::new();
    for v in expr.var_names() {
        match by_ident.get(v.as_str()).map(Vec::as_slice) {
            Some([id]) => inputs.push((*id).clone()),
            Some(ids) if ids.len() > 1 => {
                return Err(format!(
                    "has a formula naming {v}, which {} metrics are called; rename one",
                    ids.len()
                ));
            }
            _ => unknown.push(v.clone()),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<String> = ws
            .metrics
            .iter()
            .filter(|x| x.id != m.id)
            .map(Metric::ident)
            .collect();
        return Err(format!(
            "has a formula naming {}, which {} no metric (metrics: {})",
            unknown.join(", "),
            if unknown.len() == 1 { "is" } else { "are" },
            known.join(", ")
        ));
    }
    if inputs.contains(&m.id) {
        return Err(format!("has a formula that names itself ({})", m.ident()));
    }
    Ok(Parsed { expr, inputs })
}

/// The latest value of a series on or before `date` (the series is in
/// date order).
fn value_at(series: &[Observation], date: NaiveDate) -> Option<f64> {
    let i = series.partition_point(|o| o.date <= date);
    i.checked_sub(1).map(|i| series[i].value)
}

fn evaluate(
    p: &Parsed,
    series_of: &dyn Fn(&Id) -> Vec<Observation>,
) -> Result<Vec<Observation>, String> {
    let inputs: Vec<Vec<Observation>> = p.inputs.iter().map(series_of).collect();
    if inputs.is_empty() {
        // A constant: no dates to compute it on; still, it must be a number.
        let v = p
            .expr
            .eval(&[])
            .map_err(|e| format!("has a formula that cannot be computed ({e})"))?;
        if !v.is_finite() {
            return Err(not_finite(v, None));
        }
        return Ok(Vec::new());
    }
    let dates: BTreeSet<NaiveDate> = inputs.iter().flatten().map(|o| o.date).collect();
    let mut out = Vec::new();
    let mut vals = vec![0.0; inputs.len()];
    'dates: for d in dates {
        for (slot, s) in vals.iter_mut().zip(&inputs) {
            match value_at(s, d) {
                Some(v) => *slot = v,
                None => continue 'dates,
            }
        }
        let v = p
            .expr
            .eval(&vals)
            .map_err(|e| format!("has a formula that cannot be computed on {d} ({e})"))?;
        if !v.is_finite() {
            return Err(not_finite(v, Some(d)));
        }
        out.push(Observation {
            date: d,
            value: v,
            comment: String::new(),
        });
    }
    Ok(out)
}

fn not_finite(v: f64, d: Option<NaiveDate>) -> String {
    let on = d.map_or(String::new(), |d| format!(" on {d}"));
    if v.is_infinite() {
        format!("has a formula that divides by zero{on}")
    } else {
        format!("has a formula that is not a number{on} (e.g. 0/0)")
    }
}

/// Whether `m`'s formula works in `ws` with `m` as it would be: it parses,
/// names only other metrics, closes no cycle and divides by zero on no
/// date. What a form checks before it applies.
pub fn check_formula(ws: &Workspace, m: &Metric) -> Result<(), String> {
    let mut w = Workspace {
        metrics: ws.metrics.clone(),
        items: ws.items.clone(),
        phases: ws.phases.clone(),
        ..Workspace::default()
    };
    match w.metric_index(&m.id) {
        Some(i) => w.metrics[i] = m.clone(),
        None => w.metrics.push(m.clone()),
    }
    match compute(&w).errors.into_iter().find(|e| e.metric == m.id) {
        None => Ok(()),
        Some(e) => {
            let e = e
                .message
                .strip_prefix("has ")
                .unwrap_or(&e.message)
                .to_string();
            let mut c = e.chars();
            Err(c
                .next()
                .map_or(e.clone(), |f| f.to_uppercase().chain(c).collect()))
        }
    }
}

/// `formula` with every use of the name `old` replaced by `new` (whole
/// names only).
pub fn rename_in(formula: &str, old: &str, new: &str) -> String {
    // A name of no letters or digits ("👩‍💻") has an empty ident, which no
    // formula can name: it would match the nothing between two operators.
    if old.is_empty() {
        return formula.to_string();
    }
    let mut out = String::with_capacity(formula.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word == old {
            out.push_str(new);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in formula.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The metrics whose formulas name `id`, with the name changed to `new`
/// (for a rename: what keeps them computing).
pub fn renamed_uses(ws: &Workspace, id: &Id, new_name: &str) -> Vec<Metric> {
    let Some(old) = ws.metric(id).map(Metric::ident) else {
        return Vec::new();
    };
    let new = ident(new_name);
    if old == new {
        return Vec::new();
    }
    ws.metrics
        .iter()
        .filter(|m| m.id != *id)
        .filter_map(|m| {
            let f = m.formula.as_deref()?;
            let g = rename_in(f, &old, &new);
            (g != f).then(|| {
                let mut m = m.clone();
                m.formula = Some(g);
                m
            })
        })
        .collect()
}

/// The metrics whose formulas name `id` (they stop computing without it).
pub fn uses<'a>(ws: &'a Workspace, id: &Id) -> Vec<&'a Metric> {
    let Some(name) = ws.metric(id).map(Metric::ident) else {
        return Vec::new();
    };
    ws.metrics
        .iter()
        .filter(|m| m.id != *id)
        .filter(|m| {
            m.formula
                .as_deref()
                .is_some_and(|f| rename_in(f, &name, "\u{0}") != f)
        })
        .collect()
}

/// Computes every derived metric's series from the workspace as it is.
pub fn compute(ws: &Workspace) -> Derived {
    let mut by_ident: BTreeMap<String, Vec<&Id>> = BTreeMap::new();
    for m in &ws.metrics {
        by_ident.entry(m.ident()).or_default().push(&m.id);
    }
    let mut series: BTreeMap<Id, Vec<Observation>> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut parsed: BTreeMap<&Id, Parsed> = BTreeMap::new();
    for m in &ws.metrics {
        if let Some(rate) = &m.adoption {
            if m.formula.is_some() {
                errors.push(DeriveError {
                    metric: m.id.clone(),
                    message: "has both a formula and an adoption rate; keep one".into(),
                });
                series.insert(m.id.clone(), Vec::new());
            } else {
                series.insert(m.id.clone(), ws.adoption_series(rate));
            }
        } else if m.formula.is_some() {
            match parse(ws, &by_ident, m) {
                Ok(p) => {
                    parsed.insert(&m.id, p);
                }
                Err(message) => {
                    errors.push(DeriveError {
                        metric: m.id.clone(),
                        message,
                    });
                    series.insert(m.id.clone(), Vec::new());
                }
            }
        }
    }
    // Formulas in dependency order; what is left when nothing more can be
    // computed is a cycle (or depends on one).
    let mut left: Vec<&Id> = parsed.keys().copied().collect();
    while !left.is_empty() {
        let ready: Vec<&Id> = left
            .iter()
            .copied()
            .filter(|id| {
                parsed[id]
                    .inputs
                    .iter()
                    .all(|i| !parsed.contains_key(i) || series.contains_key(i))
            })
            .collect();
        if ready.is_empty() {
            for id in &left {
                let names: Vec<String> = parsed[id]
                    .inputs
                    .iter()
                    .filter(|i| left.contains(i))
                    .filter_map(|i| ws.metric(i).map(Metric::ident))
                    .collect();
                errors.push(DeriveError {
                    metric: (*id).clone(),
                    message: format!(
                        "has a formula in a cycle: it needs {}, which in turn need{} it",
                        names.join(", "),
                        if names.len() == 1 { "s" } else { "" }
                    ),
                });
                series.insert((*id).clone(), Vec::new());
            }
            break;
        }
        for id in ready {
            let series_of = |i: &Id| match series.get(i) {
                Some(s) => s.clone(),
                None => ws
                    .metric(i)
                    .map(|x| x.observations.clone())
                    .unwrap_or_default(),
            };
            let s = match evaluate(&parsed[id], &series_of) {
                Ok(s) => s,
                Err(message) => {
                    errors.push(DeriveError {
                        metric: id.clone(),
                        message,
                    });
                    Vec::new()
                }
            };
            series.insert(id.clone(), s);
            left.retain(|x| *x != id);
        }
    }
    Derived { series, errors }
}

impl Workspace {
    /// Whether any metric is derived (so [`Workspace::derive_metrics`] has
    /// anything to do).
    pub fn has_derived_metrics(&self) -> bool {
        self.metrics.iter().any(Metric::is_derived)
    }

    /// Puts every derived metric's computed series into its observations.
    pub fn derive_metrics(&mut self) {
        if !self.has_derived_metrics() {
            return;
        }
        let Derived { mut series, .. } = compute(self);
        for m in &mut self.metrics {
            if let Some(s) = series.remove(&m.id) {
                m.observations = s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AdoptionRate, Direction, MetricKind, Target};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn metric(id: &str, name: &str, obs: &[(&str, f64)], formula: Option<&str>) -> Metric {
        Metric {
            id: id.into(),
            name: name.into(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity: None,
            opportunity: None,
            personas: Vec::new(),
            formula: formula.map(Into::into),
            adoption: None,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: obs
                .iter()
                .map(|(date, v)| Observation {
                    date: d(date),
                    value: *v,
                    comment: String::new(),
                })
                .collect(),
        }
    }

    fn ws(metrics: Vec<Metric>) -> Workspace {
        let mut w = Workspace::new("t");
        w.metrics = metrics;
        w
    }

    #[test]
    fn idents() {
        assert_eq!(
            ident("Availability minutes gained"),
            "availability_minutes_gained"
        );
        assert_eq!(ident("  Cost / minute (EUR) "), "cost_minute_eur");
        assert_eq!(ident("99th percentile"), "_99th_percentile");
        assert_eq!(ident("Über-Kosten"), "ber_kosten");
    }

    #[test]
    fn money_from_minutes_carries_the_price_forward() {
        let mut w = ws(vec![
            metric(
                "m1",
                "Availability minutes gained",
                &[("2026-01-05", 30.0), ("2026-01-12", 45.0)],
                None,
            ),
            metric("m2", "Cost per minute", &[("2026-01-01", 120.0)], None),
            metric(
                "m3",
                "Money saved",
                &[],
                Some("availability_minutes_gained * cost_per_minute"),
            ),
        ]);
        w.derive_metrics();
        let m = w.metric(&"m3".into()).unwrap();
        let v: Vec<(NaiveDate, f64)> = m.observations.iter().map(|o| (o.date, o.value)).collect();
        // 2026-01-01: minutes not yet observed, so no value.
        assert_eq!(v, [(d("2026-01-05"), 3600.0), (d("2026-01-12"), 5400.0)]);
        assert!(compute(&w).errors.is_empty());
        // The file keeps no computed series.
        assert!(m.stored().observations.is_empty());
    }

    #[test]
    fn unknown_names_cycles_parse_errors_and_division_by_zero_are_errors() {
        let w = ws(vec![
            metric("m1", "A", &[("2026-01-01", 1.0)], None),
            metric("m2", "Zero", &[("2026-01-01", 0.0)], None),
            metric("m3", "Unknown", &[], Some("a * nope")),
            metric("m4", "Loop one", &[], Some("loop_two + 1")),
            metric("m5", "Loop two", &[], Some("loop_one * 2")),
            metric("m6", "Broken", &[], Some("a +")),
            metric("m7", "Ratio", &[], Some("a / zero")),
            metric("m8", "Selfish", &[], Some("selfish + 1")),
        ]);
        let errors = compute(&w).errors;
        let of = |id: &str| {
            errors
                .iter()
                .find(|e| e.metric.as_str() == id)
                .map(|e| e.message.clone())
                .unwrap_or_default()
        };
        assert!(
            of("m3").contains("naming nope, which is no metric"),
            "{errors:?}"
        );
        assert!(of("m3").contains("metrics: a, zero"), "{errors:?}");
        assert!(
            of("m4").contains("cycle") && of("m4").contains("loop_two"),
            "{errors:?}"
        );
        assert!(of("m5").contains("cycle"), "{errors:?}");
        assert!(of("m6").contains("does not parse"), "{errors:?}");
        assert_eq!(of("m7"), "has a formula that divides by zero on 2026-01-01");
        assert!(of("m8").contains("names itself"), "{errors:?}");
        assert!(of("m1").is_empty());
    }

    #[test]
    fn renaming_a_metric_renames_it_in_formulas() {
        assert_eq!(rename_in("a_b * (a + a_b2)", "a_b", "x"), "x * (a + a_b2)");
        let w = ws(vec![
            metric("m1", "Minutes", &[("2026-01-01", 1.0)], None),
            metric("m2", "Money", &[], Some("minutes * 2 + minutes")),
        ]);
        let r = renamed_uses(&w, &"m1".into(), "Minutes gained");
        assert_eq!(r.len(), 1);
        assert_eq!(
            r[0].formula.as_deref(),
            Some("minutes_gained * 2 + minutes_gained")
        );
        assert_eq!(uses(&w, &"m1".into()).len(), 1);
        assert!(uses(&w, &"m2".into()).is_empty());
    }

    /// A metric named without letters or digits has an empty ident: no
    /// formula names it, so renaming it rewrites none (it used to write the
    /// new ident between every two operators) and deleting it clears none.
    #[test]
    fn a_metric_of_an_empty_ident_is_in_no_formula() {
        assert_eq!(rename_in("(a - 1) * b", "", "dev"), "(a - 1) * b");
        let w = ws(vec![
            metric("m1", "👩\u{200d}💻", &[("2026-01-01", 1.0)], None),
            metric("m2", "Money", &[], Some("(minutes - 1) * 2")),
            metric("m3", "Minutes", &[("2026-01-01", 1.0)], None),
        ]);
        assert_eq!(w.metrics[0].ident(), "");
        assert!(renamed_uses(&w, &"m1".into(), "👩\u{200d}💻 dev").is_empty());
        assert!(uses(&w, &"m1".into()).is_empty());
        assert_eq!(uses(&w, &"m3".into()).len(), 1);
    }

    #[test]
    fn derived_from_derived_in_any_order() {
        let mut w = ws(vec![
            metric("m1", "Double", &[], Some("half * 4")),
            metric("m2", "Half", &[], Some("base / 2")),
            metric("m3", "Base", &[("2026-01-01", 10.0)], None),
        ]);
        w.derive_metrics();
        assert_eq!(w.metric(&"m1".into()).unwrap().observations[0].value, 20.0);
    }

    #[test]
    fn an_adoption_metric_gets_the_rate() {
        let mut w = ws(vec![metric("m1", "Adoption", &[], None)]);
        w.metrics[0].adoption = Some(AdoptionRate {
            target: Target::Activity("a1".into()),
            voluntary: false,
        });
        w.derive_metrics();
        assert!(w.metrics[0].observations.is_empty());
        assert!(w.metrics[0].is_derived());
    }
}
