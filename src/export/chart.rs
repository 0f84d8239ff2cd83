//! A metric as an inline SVG line chart: observations over time, the target
//! as a dashed line, the baseline as a dotted one, labelled axes. No script,
//! no external resource; every label is escaped by the template.

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use crate::model::Metric;
use crate::model::adoption::Rates;
use crate::text::{num, sanitize, truncate, with_unit};

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 112.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 42.0;

/// A coordinate, rounded for a compact and stable document.
fn c(v: f64) -> String {
    format!("{v:.1}")
}

/// A round step that splits `range` into about `ticks` parts: 1, 2, 2.5 or 5
/// times a power of ten.
fn nice_step(range: f64, ticks: f64) -> f64 {
    let raw = range / ticks;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

/// The value axis: its bounds and tick values, with the decimals its labels
/// need.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    decimals: usize,
}

fn axis(values: impl Iterator<Item = f64>) -> Axis {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return Axis {
            lo: 0.0,
            hi: 1.0,
            ticks: vec![0.0, 1.0],
            decimals: 0,
        };
    }
    if hi - lo < 1e-9 * hi.abs().max(1.0) {
        let pad = (hi.abs() * 0.05).max(1.0);
        lo -= pad;
        hi += pad;
    }
    let step = nice_step(hi - lo, 4.0);
    if !step.is_finite() || step <= 0.0 {
        return Axis {
            lo,
            hi,
            ticks: vec![lo, hi],
            decimals: 2,
        };
    }
    let (lo, mut hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if hi <= lo {
        hi = lo + step;
    }
    let mut ticks = Vec::new();
    let mut i = 0.0;
    while i <= 12.0 {
        let t = lo + i * step;
        if t > hi + step * 1e-6 {
            break;
        }
        ticks.push(t);
        i += 1.0;
    }
    let mut decimals = (-step.log10().floor()).max(0.0) as usize;
    if (step / 10f64.powi(-(decimals as i32)) - 2.5).abs() < 1e-9 {
        decimals += 1;
    }
    Axis {
        lo,
        hi,
        ticks,
        decimals: decimals.min(6),
    }
}

fn short_date(d: NaiveDate) -> String {
    d.format("%b %-d").to_string()
}

/// A dated event drawn on a chart as a vertical line with a label.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Marker {
    pub date: NaiveDate,
    pub kind: MarkerKind,
    /// What happened: the solution's or the opportunity's title.
    pub what: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MarkerKind {
    /// A solution validated by the metric shipped.
    Shipped,
    /// The opportunity the metric validates was delivered.
    Delivered,
}

impl MarkerKind {
    fn label(self) -> &'static str {
        match self {
            MarkerKind::Shipped => "shipped",
            MarkerKind::Delivered => "delivered",
        }
    }
}

/// One line on the chart: a date with everything that happened then.
struct MarkLine {
    date: NaiveDate,
    /// `shipped` when a solution shipped then, else `delivery`.
    class: &'static str,
    /// The kinds, as the label shows them: "shipped · delivered".
    label: String,
    /// Each event with what it was about, for the tooltip.
    title: String,
}

/// The markers grouped by date, in date order: one line per date, labelled
/// with every kind that happened then.
fn by_date(markers: &[Marker]) -> Vec<MarkLine> {
    let mut sorted: Vec<&Marker> = markers.iter().collect();
    sorted.sort_by(|a, b| (a.date, a.kind, &a.what).cmp(&(b.date, b.kind, &b.what)));
    let mut out: Vec<(NaiveDate, Vec<&Marker>)> = Vec::new();
    for m in sorted {
        match out.last_mut() {
            Some((d, v)) if *d == m.date => v.push(m),
            _ => out.push((m.date, vec![m])),
        }
    }
    out.into_iter()
        .map(|(date, ms)| {
            let mut kinds: Vec<&str> = ms.iter().map(|m| m.kind.label()).collect();
            kinds.dedup();
            let title: Vec<String> = ms
                .iter()
                .map(|m| format!("{} {date}: {}", m.kind.label(), sanitize(&m.what)))
                .collect();
            MarkLine {
                date,
                class: if ms.iter().any(|m| m.kind == MarkerKind::Shipped) {
                    "shipped"
                } else {
                    "delivery"
                },
                label: kinds.join(" · "),
                title: title.join("; "),
            }
        })
        .collect()
}

/// The chart of a metric, or a note when it has nothing to draw. Each
/// marker (a solution that shipped, the opportunity delivered) is a
/// vertical line at its date, so before and after read apart.
pub(super) fn line_chart(m: &Metric, markers: &[Marker]) -> Markup {
    let mut obs: Vec<_> = m
        .observations
        .iter()
        .filter(|o| o.value.is_finite())
        .collect();
    obs.sort_by_key(|o| o.date);
    if obs.is_empty() {
        return html! { p.chart-empty { "No observations yet: nothing to chart." } };
    }
    let unit = sanitize(&m.unit);
    let target = m.target.filter(|v| v.is_finite());
    let baseline = m.baseline.filter(|v| v.is_finite());
    let ax = axis(obs.iter().map(|o| o.value).chain(target).chain(baseline));
    let (x0, x1) = (LEFT, WIDTH - RIGHT);
    let (y0, y1) = (HEIGHT - BOTTOM, TOP);
    let first = markers
        .iter()
        .map(|d| d.date)
        .fold(obs[0].date, NaiveDate::min);
    let last = markers
        .iter()
        .map(|d| d.date)
        .fold(obs[obs.len() - 1].date, NaiveDate::max);
    let marks = by_date(markers);
    let span = (last - first).num_days() as f64;
    let x = |d: NaiveDate| {
        if span <= 0.0 {
            (x0 + x1) / 2.0
        } else {
            x0 + (d - first).num_days() as f64 / span * (x1 - x0)
        }
    };
    let y = |v: f64| y0 - (v - ax.lo) / (ax.hi - ax.lo) * (y0 - y1);
    let points: Vec<String> = obs
        .iter()
        .map(|o| format!("{},{}", c(x(o.date)), c(y(o.value))))
        .collect();
    // At most six date labels, always the first and the last.
    let n = obs.len();
    let every = n.div_ceil(6).max(1);
    let mut labelled: Vec<usize> = (0..n).step_by(every).collect();
    if labelled.last() != Some(&(n - 1)) {
        if labelled.len() > 1 && labelled.last().is_some_and(|l| n - 1 - l < every) {
            labelled.pop();
        }
        labelled.push(n - 1);
    }
    let years = if first.year() == last.year() {
        first.year().to_string()
    } else {
        format!("{}–{}", first.year(), last.year())
    };
    let fmt_tick = |v: f64| format!("{:.*}", ax.decimals, v);
    // Reference lines, with their labels kept apart when they are close.
    let mut refs: Vec<(&str, f64, f64)> = Vec::new(); // (kind, value, label y)
    if let Some(t) = target {
        refs.push(("target", t, y(t)));
    }
    if let Some(b) = baseline {
        refs.push(("baseline", b, y(b)));
    }
    // Each label is two lines centred on its line; keep two labels apart and
    // inside the chart.
    const GAP: f64 = 26.0;
    if refs.len() == 2 && (refs[0].2 - refs[1].2).abs() < GAP {
        let (upper, lower) = if refs[0].2 <= refs[1].2 {
            (0, 1)
        } else {
            (1, 0)
        };
        let mid = (refs[0].2 + refs[1].2) / 2.0;
        refs[upper].2 = mid - GAP / 2.0;
        refs[lower].2 = mid + GAP / 2.0;
    }
    let (top_limit, bottom_limit) = (y1 + 8.0, y0 - 2.0);
    if let Some(shift) = refs
        .iter()
        .map(|r| top_limit - r.2)
        .filter(|d| *d > 0.0)
        .reduce(f64::max)
    {
        refs.iter_mut().for_each(|r| r.2 += shift);
    }
    if let Some(shift) = refs
        .iter()
        .map(|r| r.2 - bottom_limit)
        .filter(|d| *d > 0.0)
        .reduce(f64::max)
    {
        refs.iter_mut().for_each(|r| r.2 -= shift);
    }
    let latest = obs[n - 1];
    // The latest value is labelled to the left of its point, on the side the
    // line does not come from.
    let from_above = n > 1 && obs[n - 2].value > latest.value;
    let latest_y = if from_above {
        (y(latest.value) + 16.0).min(y0 - 4.0)
    } else {
        (y(latest.value) - 9.0).max(y1 + 10.0)
    };
    let summary = format!(
        "{}: {} observations from {} to {}; latest {}{}{}",
        sanitize(&m.name),
        n,
        first,
        last,
        with_unit(latest.value, &unit),
        target.map_or(String::new(), |t| format!(
            ", target {}",
            with_unit(t, &unit)
        )),
        baseline.map_or(String::new(), |b| format!(
            ", baseline {}",
            with_unit(b, &unit)
        )),
    );
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(summary) {
            title { (summary) }
            // Grid and value axis.
            @for t in &ax.ticks {
                line.grid x1=(c(x0)) x2=(c(x1)) y1=(c(y(*t))) y2=(c(y(*t))) {}
                text.tick x=(c(x0 - 6.0)) y=(c(y(*t) + 3.5)) text-anchor="end" { (fmt_tick(*t)) }
            }
            line.axis x1=(c(x0)) x2=(c(x0)) y1=(c(y0)) y2=(c(y1)) {}
            line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(y0)) y2=(c(y0)) {}
            @if !unit.is_empty() {
                text.axis-label transform={ "translate(14 " (c((y0 + y1) / 2.0)) ") rotate(-90)" } text-anchor="middle" { (unit) }
            }
            // Date axis.
            @for i in &labelled {
                @let d = obs[*i].date;
                line.axis x1=(c(x(d))) x2=(c(x(d))) y1=(c(y0)) y2=(c(y0 + 4.0)) {}
                // The last label ends at the axis, clear of the line labels.
                @let anchor = if *i == n - 1 && n > 1 { "end" } else { "middle" };
                text.tick x=(c(x(d))) y=(c(y0 + 16.0)) text-anchor=(anchor) { (short_date(d)) }
            }
            text.axis-label x=(c((x0 + x1) / 2.0)) y=(c(HEIGHT - 6.0)) text-anchor="middle" { (years) }
            // Target and baseline.
            @for (kind, v, ly) in &refs {
                line class=(kind) x1=(c(x0)) x2=(c(x1)) y1=(c(y(*v))) y2=(c(y(*v))) {}
                text class={ (kind) "-label" } x=(c(x1 + 6.0)) y=(c(ly - 2.0)) {
                    tspan { (kind) }
                    tspan x=(c(x1 + 6.0)) dy="12" { (truncate(&with_unit(*v, &unit), 17)) }
                }
            }
            // What shipped and what was delivered: a line at each date,
            // labels on three staggered rows so close dates stay legible.
            @for (i, mk) in marks.iter().enumerate() {
                @let ly = y1 + 8.0 + (i % 3) as f64 * 11.0;
                @let (lx, anchor) = if x(mk.date) > x1 - 70.0 { (x(mk.date) - 3.0, "end") } else { (x(mk.date) + 3.0, "start") };
                line class=(mk.class) x1=(c(x(mk.date))) x2=(c(x(mk.date))) y1=(c(y0)) y2=(c(y1)) {
                    title { (mk.title) }
                }
                text class={ (mk.class) "-label" } x=(c(lx)) y=(c(ly)) text-anchor=(anchor) { (mk.label) }
            }
            // The observations.
            polyline.series points=(points.join(" ")) {}
            @for (i, o) in obs.iter().enumerate() {
                circle.point.latest[i == n - 1] cx=(c(x(o.date))) cy=(c(y(o.value))) r=(if i == n - 1 { "4.5" } else { "3" }) {
                    title { (o.date) ": " (with_unit(o.value, &unit))
                        @if !o.comment.trim().is_empty() { " — " (sanitize(&o.comment)) } }
                }
            }
            text.latest-label x=(c(x(latest.date) - 8.0)) y=(c(latest_y)) text-anchor="end" {
                (with_unit(latest.value, &unit))
            }
        }
    }
}

/// One date of an adoption chart: the date, the rate of all adoption and
/// of adoption by free choice, and the counts behind them.
type RatePoint<'a> = (NaiveDate, f64, f64, &'a Rates);

/// A target's adoption over time as an inline SVG chart: the share of
/// teams that adopted (solid) and of those that did by free choice
/// (dashed), 0–100%, each held from its date to the next (a team's state
/// holds until its next record). Each line is labelled at its end, so
/// colour is not the only way to tell them apart.
pub(super) fn rates_chart(name: &str, rates: &[Rates]) -> Markup {
    let pts: Vec<RatePoint> = rates
        .iter()
        .filter_map(|r| Some((r.date, r.all()?, r.voluntary()?, r)))
        .collect();
    let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
        return html! { p.chart-empty { "No teams yet: no rate to chart." } };
    };
    let (x0, x1) = (LEFT, WIDTH - RIGHT);
    let (y0, y1) = (HEIGHT - BOTTOM, TOP);
    let span = (last.0 - first.0).num_days() as f64;
    let x = |d: NaiveDate| {
        if span <= 0.0 {
            (x0 + x1) / 2.0
        } else {
            x0 + (d - first.0).num_days() as f64 / span * (x1 - x0)
        }
    };
    let y = |v: f64| y0 - v.clamp(0.0, 100.0) / 100.0 * (y0 - y1);
    // Steps: level from each date to the next, then up or down.
    let steps = |value: &dyn Fn(&RatePoint) -> f64| {
        let mut out: Vec<String> = Vec::new();
        for (i, p) in pts.iter().enumerate() {
            if i > 0 {
                out.push(format!("{},{}", c(x(p.0)), c(y(value(&pts[i - 1])))));
            }
            out.push(format!("{},{}", c(x(p.0)), c(y(value(p)))));
        }
        out.join(" ")
    };
    let all = steps(&|p| p.1);
    let free = steps(&|p| p.2);
    let n = pts.len();
    let every = n.div_ceil(6).max(1);
    let mut labelled: Vec<usize> = (0..n).step_by(every).collect();
    if labelled.last() != Some(&(n - 1)) {
        if labelled.len() > 1 && labelled.last().is_some_and(|l| n - 1 - l < every) {
            labelled.pop();
        }
        labelled.push(n - 1);
    }
    let years = if first.0.year() == last.0.year() {
        first.0.year().to_string()
    } else {
        format!("{}–{}", first.0.year(), last.0.year())
    };
    // The end labels, kept apart when the two lines end close together.
    const GAP: f64 = 26.0;
    let (mut ya, mut yf) = (y(last.1), y(last.2));
    if (ya - yf).abs() < GAP {
        let mid = (ya + yf) / 2.0;
        // "all" is never below "free": it goes on top.
        ya = mid - GAP / 2.0;
        yf = mid + GAP / 2.0;
    }
    let shift = (y1 + 8.0 - ya.min(yf)).max(0.0) - (ya.max(yf) - (y0 - 2.0)).max(0.0);
    ya += shift;
    yf += shift;
    let summary = format!(
        "Adoption of {}: {} dates from {} to {}; on {}, {} of {} teams adopted ({}%), {} by free choice ({}%)",
        sanitize(name),
        n,
        first.0,
        last.0,
        last.0,
        last.3.adopted,
        last.3.teams,
        num(last.1),
        last.3.voluntary,
        num(last.2)
    );
    html! {
        svg.chart.rates-chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(summary) {
            title { (summary) }
            @for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line.grid x1=(c(x0)) x2=(c(x1)) y1=(c(y(t))) y2=(c(y(t))) {}
                text.tick x=(c(x0 - 6.0)) y=(c(y(t) + 3.5)) text-anchor="end" { (num(t)) "%" }
            }
            line.axis x1=(c(x0)) x2=(c(x0)) y1=(c(y0)) y2=(c(y1)) {}
            line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(y0)) y2=(c(y0)) {}
            text.axis-label transform={ "translate(14 " (c((y0 + y1) / 2.0)) ") rotate(-90)" } text-anchor="middle" { "% of teams" }
            @for i in &labelled {
                @let d = pts[*i].0;
                line.axis x1=(c(x(d))) x2=(c(x(d))) y1=(c(y0)) y2=(c(y0 + 4.0)) {}
                @let anchor = if *i == n - 1 && n > 1 { "end" } else { "middle" };
                text.tick x=(c(x(d))) y=(c(y0 + 16.0)) text-anchor=(anchor) { (short_date(d)) }
            }
            text.axis-label x=(c((x0 + x1) / 2.0)) y=(c(HEIGHT - 6.0)) text-anchor="middle" { (years) }
            polyline.rate-all points=(all) {}
            polyline.rate-free points=(free) {}
            @for p in &pts {
                circle.rate-all-point cx=(c(x(p.0))) cy=(c(y(p.1))) r="3" {
                    title { (p.0) ": " (p.3.adopted) " of " (p.3.teams) " teams adopted (" (num(p.1)) "%)" }
                }
                circle.rate-free-point cx=(c(x(p.0))) cy=(c(y(p.2))) r="3" {
                    title { (p.0) ": " (p.3.voluntary) " of " (p.3.teams) " teams by free choice (" (num(p.2)) "%)" }
                }
            }
            text.rate-all-label x=(c(x1 + 6.0)) y=(c(ya + 3.5)) { "all " (num(last.1.round())) "%" }
            text.rate-free-label x=(c(x1 + 6.0)) y=(c(yf + 3.5)) { "free " (num(last.2.round())) "%" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adoption_rates_are_two_stepped_lines_labelled_at_their_end() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r = |date: &str, adopted, voluntary| Rates {
            date: d(date),
            teams: 3,
            adopted,
            voluntary,
            trialling: 0,
        };
        let svg = rates_chart(
            "Deploy <a> service",
            &[
                r("2026-07-01", 0, 0),
                r("2026-08-03", 1, 1),
                r("2026-09-01", 2, 1),
            ],
        )
        .into_string();
        // Three dates: each line has a point per date and a step between.
        let line = |class: &str| {
            let start = svg
                .find(&format!("<polyline class=\"{class}\" points=\""))
                .unwrap();
            let rest = &svg[start..];
            let pts = &rest[rest.find("points=\"").unwrap() + 8..];
            pts[..pts.find('"').unwrap()].split(' ').count()
        };
        assert_eq!((line("rate-all"), line("rate-free")), (5, 5), "{svg}");
        // The axis runs 0–100% whatever the values.
        assert!(svg.contains(">100%</text>"), "{svg}");
        assert!(svg.contains(">all 67%</text>"), "{svg}");
        assert!(svg.contains(">free 33%</text>"), "{svg}");
        assert!(
            svg.contains("on 2026-09-01, 2 of 3 teams adopted (66.67%), 1 by free choice (33.33%)"),
            "{svg}"
        );
        assert!(svg.contains("Deploy &lt;a&gt; service"), "escaped: {svg}");
        assert!(
            svg.contains("2026-08-03: 1 of 3 teams by free choice (33.33%)"),
            "{svg}"
        );
        // Without teams there is nothing to draw.
        let empty = rates_chart(
            "x",
            &[Rates {
                teams: 0,
                ..r("2026-07-01", 0, 0)
            }],
        )
        .into_string();
        assert!(empty.contains("No teams yet"), "{empty}");
    }

    #[test]
    fn a_delivery_is_a_marker_even_after_the_last_observation() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let m = Metric {
            id: "m".into(),
            name: "Lead time".into(),
            kind: crate::model::MetricKind::Quantitative,
            unit: "h".into(),
            description: String::new(),
            activity: None,
            opportunity: Some("o".into()),
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target: None,
            direction: crate::model::Direction::LowerIsBetter,
            observations: vec![crate::model::Observation {
                date: d("2026-01-01"),
                value: 5.0,
                comment: String::new(),
            }],
        };
        let without = line_chart(&m, &[]).into_string();
        assert!(!without.contains("delivery"));
        let with = line_chart(
            &m,
            &[Marker {
                date: d("2026-02-01"),
                kind: MarkerKind::Delivered,
                what: "<Self-service>".into(),
            }],
        )
        .into_string();
        assert_eq!(with.matches("class=\"delivery\"").count(), 1, "{with}");
        assert!(
            with.contains("delivered 2026-02-01: &lt;Self-service&gt;"),
            "{with}"
        );
        // The delivery is the right edge; the observation the left one.
        assert!(
            with.contains(&format!("x1=\"{}\"", c(WIDTH - RIGHT))),
            "{with}"
        );
    }

    #[test]
    fn markers_on_one_date_share_a_line_and_a_label() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut m = Metric {
            id: "m".into(),
            name: "Visits".into(),
            kind: crate::model::MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity: None,
            opportunity: Some("o".into()),
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target: Some(30.0),
            direction: crate::model::Direction::HigherIsBetter,
            observations: Vec::new(),
        };
        for (day, v) in [("2026-01-01", 1.0), ("2026-03-01", 40.0)] {
            m.observations.push(crate::model::Observation {
                date: d(day),
                value: v,
                comment: String::new(),
            });
        }
        let marker = |day: &str, kind, what: &str| Marker {
            date: d(day),
            kind,
            what: what.into(),
        };
        let svg = line_chart(
            &m,
            &[
                marker("2026-02-01", MarkerKind::Delivered, "Cost data"),
                marker("2026-02-01", MarkerKind::Shipped, "Dashboard"),
                marker("2026-02-20", MarkerKind::Shipped, "Forecast"),
            ],
        )
        .into_string();
        assert_eq!(svg.matches("<line class=\"shipped\"").count(), 2, "{svg}");
        assert!(!svg.contains("class=\"delivery\""), "{svg}");
        assert!(svg.contains(">shipped · delivered</text>"), "{svg}");
        assert!(
            svg.contains("shipped 2026-02-01: Dashboard; delivered 2026-02-01: Cost data"),
            "{svg}"
        );
        assert!(svg.contains("shipped 2026-02-20: Forecast"), "{svg}");
    }

    #[test]
    fn axis_uses_round_ticks() {
        let a = axis([99.78, 99.97, 99.95, 99.82].into_iter());
        assert!((a.lo - 99.75).abs() < 1e-9, "{}", a.lo);
        assert!((a.hi - 100.0).abs() < 1e-9, "{}", a.hi);
        assert_eq!(a.decimals, 2);
        let a = axis([0.0, 46.0, 40.0].into_iter());
        assert_eq!(a.lo, 0.0);
        assert_eq!(a.hi, 60.0);
        assert_eq!(a.ticks, [0.0, 20.0, 40.0, 60.0]);
        let a = axis([5.0].into_iter());
        assert!(a.lo < 5.0 && a.hi > 5.0);
        let a = axis([f64::NAN].into_iter());
        assert_eq!(a.ticks, [0.0, 1.0]);
        let a = axis([-1e308, 1e308].into_iter());
        assert!(a.ticks.len() <= 13);
    }
}
