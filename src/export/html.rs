//! HTML: a self-contained one-pager for the people who never open a terminal.
//!
//! One file with inline CSS and inline SVG: no script, no font, no image and
//! no style sheet is loaded from anywhere, so it opens the same in any
//! browser, offline, and prints cleanly. The page is built with `maud`, which
//! escapes every value spliced into it; user text is also stripped of
//! control characters and bidirectional overrides first.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::chart::{Marker, MarkerKind, line_chart, rates_chart};
use super::tree::{self, OppNode, SolutionNode};
use super::{Verdict, activity_label, evidence_source, evidence_text, persona_name, roadmap};
use crate::model::coverage::{self, Stats};
use crate::model::ratings::{ByCell, CellRatings};
use crate::model::score::{self, SCORE_MAX, Score};
use crate::model::validation::{self, MetricVerdict};
use crate::model::{Metric, Opportunity, Persona, Perspective, Role, SolutionStatus, Workspace};
use crate::text::{num, sanitize, sanitize_multiline, with_unit};

/// One line of user text, safe to show (the template escapes it).
fn t(s: &str) -> String {
    sanitize(s).trim().to_string()
}

/// Multi-line user text (shown with `white-space: pre-line`).
fn block(s: &str) -> String {
    sanitize_multiline(s).trim().to_string()
}

fn role_class(r: Role) -> &'static str {
    match r {
        Role::Customer => "role role-customer",
        Role::Consumer => "role role-consumer",
        Role::EndUser => "role role-end-user",
    }
}

fn score_badge(s: Score) -> Markup {
    match s {
        Score::Outcome(v) => html! {
            span class={ "score-pill heat-" (v) } title="Outcome-driven score (1–9)" { (v) }
        },
        Score::Manual(v) if v.is_finite() => html! {
            span.score-pill.manual title="Manual score: set by hand, overrides the outcome score" {
                (num(v)) small { " manual" }
            }
        },
        Score::Manual(_) | Score::Unscored => html! {
            span.score-pill.unscored title="No rated cell and no manual score" { "–" }
        },
    }
}

/// The page.
pub(super) fn render(ws: &Workspace) -> String {
    let name = t(&ws.name);
    let title = if name.is_empty() {
        "valuemap report".to_string()
    } else {
        format!("{name} — valuemap report")
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="valuemap";
                meta name="color-scheme" content="light";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (header(ws))
                main {
                    (map(ws))
                    (blind_spots(ws))
                    (themes_section(ws))
                    (questions_section(ws))
                    (personas(ws))
                    (opportunities(ws))
                    (tree_section(ws))
                    (super::needs::html(ws))
                    (roadmap_section(ws))
                    (matrix_section(ws))
                    (metrics(ws))
                    (adoption(ws))
                }
                footer {
                    "Exported by valuemap from the workspace “" (name) "”. "
                    "Scores are outcome-driven: importance + max(importance − satisfaction, 0), 1–9, "
                    "unless set by hand."
                }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

fn header(ws: &Workspace) -> Markup {
    let evidence: usize = ws.opportunities.iter().map(|o| o.evidence.len()).sum();
    let on_track = ws
        .metrics
        .iter()
        .filter(|m| Verdict::of(m) == Verdict::OnTrack)
        .count();
    let stats: [(usize, &str); 6] = [
        (ws.personas.len(), "personas"),
        (ws.activity_count(), "activities"),
        (ws.notes.len(), "interviews"),
        (ws.opportunities.len(), "opportunities"),
        (evidence, "evidence quotes"),
        (ws.metrics.len(), "metrics"),
    ];
    html! {
        header.top {
            div.eyebrow { "Product discovery report" }
            h1 { (t(&ws.name)) }
            @if !ws.description.trim().is_empty() {
                p.lede { (block(&ws.description)) }
            }
            ul.stats {
                @for (n, what) in stats {
                    li { strong { (n) } " " (what) }
                }
                @if !ws.metrics.is_empty() {
                    li { strong { (on_track) "/" (ws.metrics.len()) } " metrics on track" }
                }
            }
            nav {
                a href="#map" { "Value map" }
                a href="#blind-spots" { "Blind spots" }
                a href="#themes" { "Themes" }
                a href="#questions" { "Open questions" }
                a href="#personas" { "Personas" }
                a href="#opportunities" { "Opportunities" }
                a href="#tree" { "Solution tree" }
                a href="#roadmap" { "Roadmap" }
                a href="#metrics" { "Metrics" }
                a href="#adoption" { "Adoption" }
            }
        }
    }
}

fn cell(
    ws: &Workspace,
    stats: &Stats,
    persona: &Persona,
    p: Option<&Perspective>,
    activity: &crate::model::Id,
) -> Markup {
    let gaps = stats.gaps(ws, &persona.id, activity);
    let counts = stats.cell(&persona.id, activity);
    let rated = stats.rating(ws, &persona.id, activity);
    let marks = html! {
        @if let Some(h) = rated.heard {
            span.mark title="The interviewees' own ratings: median (lowest–highest); the score uses them from three ratings on" {
                "interviews n=" (h.n) ": i" (h.importance.median_text()) " (" (h.importance.range_text()) ") s" (h.satisfaction.median_text()) " (" (h.satisfaction.range_text()) ")"
            }
        }
        @if rated.disagrees() {
            span.mark.warn title="The PM's rating is two or more from the interviews' median" { "≠ PM and interviews disagree" }
        }
        @if gaps.no_evidence && !gaps.no_perspective {
            span.mark.warn title="No interview note backs this cell" { "⚠ no notes" }
        }
        @if counts.notes > 0 {
            span.mark title="Interview notes about this cell" { "✎ " (counts.notes) }
        }
        @if counts.opportunities > 0 {
            span.mark title="Opportunities linked to this cell" { "◆ " (counts.opportunities) }
        }
    };
    match p.filter(|p| !p.is_blank()) {
        None => html! {
            td.cell.empty title="Not yet understood: nobody has written down this persona's view" {
                span.unknown { "not yet understood" }
                div.marks { (marks) }
            }
        },
        Some(p) => {
            let (imp, sat) = rated.used();
            let rating = |r: Option<u8>| r.map_or("?".to_string(), |v| v.to_string());
            let ratings = format!("{} ({})", rated.shown(), rated.source.label());
            let interest = t(&p.interest);
            match rated.score() {
                Some(s) => html! {
                    td class={ "cell heat-" (s) } title={ "Score " (s) " of " (SCORE_MAX) ": importance " (rating(imp)) ", satisfaction " (rating(sat)) " (" (rated.source.label()) ")" } {
                        div.cell-head { span.score { (s) } span.ratings { (ratings) } }
                        @if !interest.is_empty() { div.interest { (interest) } }
                        div.marks { (marks) }
                    }
                },
                None => html! {
                    td.cell.unrated title="Not rated yet: importance and satisfaction are needed for a score" {
                        div.cell-head { span.score { "–" } span.ratings { "not rated" } }
                        @if !interest.is_empty() { div.interest { (interest) } }
                        div.marks { (marks) }
                    }
                },
            }
        }
    }
}

fn map(ws: &Workspace) -> Markup {
    let stats = Stats::compute(ws);
    let empty = ws.personas.is_empty() || ws.activity_count() == 0;
    html! {
        section #map {
            h2 { "Customer Journey Value Map" }
            p.hint {
                "Rows are personas, columns are activities grouped by lifecycle phase. "
                "The number in a cell is the opportunity score: the more important the activity is to the persona "
                "and the less well it is served today, the higher (1–9). "
                "i = importance, s = satisfaction, each 1–5."
            }
            @if empty {
                p.empty-note { "The map is empty: it needs personas and activities." }
            } @else {
                div.scroll {
                    table.map {
                        thead {
                            tr {
                                th.corner rowspan="2" scope="col" { "Persona" }
                                @for ph in &ws.phases {
                                    @if !ph.activities.is_empty() {
                                        th.phase colspan=(ph.activities.len()) scope="colgroup" { (t(&ph.name)) }
                                    }
                                }
                            }
                            tr {
                                @for (ph, a) in ws.activities() {
                                    th.activity scope="col" title=(t(&a.description)) {
                                        span.visually-hidden { (t(&ph.name)) ": " }
                                        (t(&a.name))
                                        @if stats.metrics(&a.id) == 0 {
                                            span.mark.warn.block title="No metric validates this activity" { "⚠ no metric" }
                                        } @else {
                                            span.mark.block title="Metrics that validate this activity" { "▲ " (stats.metrics(&a.id)) " metric" @if stats.metrics(&a.id) > 1 { "s" } }
                                        }
                                    }
                                }
                            }
                        }
                        tbody {
                            @for p in &ws.personas {
                                tr {
                                    th.persona scope="row" {
                                        span.persona-name { (t(&p.name)) }
                                        span class=(role_class(p.role)) { (p.role.label()) }
                                    }
                                    @for (_, a) in ws.activities() {
                                        (cell(ws, &stats, p, ws.perspective(&p.id, &a.id), &a.id))
                                    }
                                }
                            }
                        }
                    }
                }
                div.legend {
                    span.legend-title { "Score" }
                    @for s in 1..=SCORE_MAX {
                        span class={ "swatch heat-" (s) } { (s) }
                    }
                    span.legend-item { span.swatch.unrated { "–" } " not rated" }
                    span.legend-item { span.swatch.empty { " " } " not yet understood" }
                    span.legend-item { "⚠ a blind spot" }
                    span.legend-item { "✎ interview notes" }
                    span.legend-item { "◆ opportunities" }
                    span.legend-item { "▲ metrics" }
                }
            }
        }
    }
}

fn blind_spots(ws: &Workspace) -> Markup {
    let gaps = coverage::report(ws);
    html! {
        section #blind-spots {
            h2 { "Blind spots" }
            @if gaps.is_empty() {
                p { "None: every cell has a perspective and interview notes, and every activity a metric." }
            } @else {
                p.hint { (gaps.len()) " places where the map is still guessing: no perspective, no interview, no metric, questions asked and not answered, or only one side of the customer / consumer split heard." }
                ul.gaps {
                    @for g in gaps { li { "⚠ " (t(&g.message)) } }
                }
            }
        }
    }
}

/// Every `#tag` across notes, most heard first, split by the role of the
/// notes' personas (as the themes board shows it).
fn themes_section(ws: &Workspace) -> Markup {
    let themes = crate::synthesis::themes::themes(ws);
    html! {
        section #themes {
            h2 { "Themes" }
            @if themes.is_empty() {
                p.empty-note { "No tags in the notes yet." }
            } @else {
                p.hint { "Every #tag across the interview notes, most heard first: how many notes carry it, and the role of the persona each note is about." }
                table.themes {
                    thead { tr {
                        th { "Tag" } th { "Notes" } th { "Customer" } th { "Consumer" } th { "End user" } th { "No persona" }
                    } }
                    tbody {
                        @for th in &themes {
                            tr {
                                td { "#" (t(&th.name)) }
                                td.num { (th.count()) }
                                td.num { (th.customer) }
                                td.num { (th.consumer) }
                                td.num { (th.end_user) }
                                td.num { (th.unlinked) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Questions asked in interviews and not answered yet, newest first, and
/// how many were answered.
fn questions_section(ws: &Workspace) -> Markup {
    let all = crate::synthesis::questions::questions(ws);
    let answered = all.iter().filter(|q| !q.is_open()).count();
    let open: Vec<_> = all.iter().filter(|q| q.is_open()).collect();
    html! {
        section #questions {
            h2 { "Open questions" }
            @if open.is_empty() {
                p.empty-note { "None open (" (crate::text::count(answered, "question")) " answered)." }
            } @else {
                p.hint { (open.len()) " open, " (answered) " answered: what the interviews asked and nobody has answered yet. An open question is a blind spot of its cell." }
                ul.questions {
                    @for q in open {
                        li {
                            (t(&q.text()))
                            span.muted {
                                " — "
                                (q.persona.as_ref().map_or("no persona".to_string(), |p| t(&persona_name(ws, p))))
                                ", " (q.date)
                                @if let Some(n) = ws.notes.get(&q.note) { " (" (t(&n.title)) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A persona's activities with the highest scores, highest first: each
/// cell's score as the map shows it (the interviews' medians from three
/// ratings on, the PM's rating before).
fn least_served(ws: &Workspace, cells: &ByCell, p: &Persona) -> Vec<(u8, String)> {
    let mut hot: Vec<(u8, String)> = ws
        .activities()
        .filter_map(|(_, a)| {
            let s = cells.rating(ws, &p.id, &a.id).score()?;
            Some((s, t(&a.name)))
        })
        .collect();
    hot.sort_by_key(|h| std::cmp::Reverse(h.0));
    hot.truncate(3);
    hot
}

fn persona_card(ws: &Workspace, cells: &ByCell, p: &Persona) -> Markup {
    let hot = least_served(ws, cells, p);
    html! {
        article.card.persona-card {
            h3 { (t(&p.name)) " " span class=(role_class(p.role)) { (p.role.label()) } }
            @if !p.description.trim().is_empty() { p.desc { (block(&p.description)) } }
            h4 { "Jobs to be done" }
            @if p.jobs.is_empty() {
                p.muted { "None written down yet." }
            } @else {
                ul.jobs { @for j in &p.jobs { li { (t(j)) } } }
            }
            @if !hot.is_empty() {
                h4 { "Least well served" }
                ul.hot {
                    @for (s, a) in &hot {
                        li { span class={ "score-pill small heat-" (s) } { (s) } " " (a) }
                    }
                }
            }
            @if !p.tags.is_empty() {
                p.tags { @for tag in &p.tags { span.tag { (t(tag)) } } }
            }
        }
    }
}

fn personas(ws: &Workspace) -> Markup {
    let cells = ByCell::of(ws);
    html! {
        section #personas {
            h2 { "Personas" }
            @if ws.personas.is_empty() {
                p.empty-note { "No personas yet." }
            }
            div.cards {
                @for p in &ws.personas { (persona_card(ws, &cells, p)) }
            }
        }
    }
}

fn opportunity_card(ws: &Workspace, rank: usize, o: &Opportunity, s: Score) -> Markup {
    html! {
        article.card.opp {
            div.opp-head {
                span.rank { "#" (rank) }
                h3 { (t(&o.title)) }
                span.score-caption { "score" }
                (score_badge(s))
            }
            p.badges {
                span class={ "badge kind-" (o.kind.label()) } { (o.kind.label()) }
                span class={ "badge status-" (o.status.label()) } { (o.status.label()) }
                span.badge.horizon { "roadmap: " (o.horizon.map_or("unplanned", |h| h.label())) }
                @if o.evidence.is_empty() {
                    span.badge.warn { "⚠ no evidence" }
                } @else {
                    span.badge.evidence { (o.evidence.len()) " evidence" }
                }
            }
            @if !o.description.trim().is_empty() { p.desc { (block(&o.description)) } }
            p.links {
                @if !o.activities.is_empty() {
                    span { strong { "Activities: " } (o.activities.iter().map(|a| t(&activity_label(ws, a))).collect::<Vec<_>>().join("; ")) }
                }
                span { strong { "Personas: " }
                    @if o.personas.is_empty() { "all" } @else {
                        (o.personas.iter().map(|p| t(&persona_name(ws, p))).collect::<Vec<_>>().join("; "))
                    }
                }
            }
            @if o.evidence.is_empty() {
                p.no-evidence { "⚠ No interview backs this opportunity yet." }
            } @else {
                @for e in &o.evidence {
                    blockquote {
                        p { "“" (t(&evidence_text(ws, &e.note, &e.quote))) "”" }
                        cite { "— " (t(&evidence_source(ws, &e.note))) }
                    }
                }
            }
        }
    }
}

fn opportunities(ws: &Workspace) -> Markup {
    let ranked = score::ranked(ws);
    html! {
        section #opportunities {
            h2 { "Opportunities" }
            @if ranked.is_empty() {
                p.empty-note { "No opportunities yet." }
            } @else {
                p.hint { "Ranked by score: the outcome-driven score of the most under-served cell an opportunity links, unless a manual score was set. Each comes with the interview quotes that back it." }
                div.opps {
                    @for (i, (o, s)) in ranked.iter().enumerate() {
                        (opportunity_card(ws, i + 1, o, *s))
                    }
                }
            }
        }
    }
}

/// The opportunity solution tree as nested lists: an outcome's
/// opportunities, their sub-opportunities, solutions and tests, each with
/// its status as a glyph and a word.
fn tree_section(ws: &Workspace) -> Markup {
    let has = tree::has_loop(ws);
    html! {
        section #tree {
            h2 { "Opportunity solution tree" }
            @if !has {
                p.empty-note { "No outcomes or solutions yet: the opportunities are not placed in a tree." }
            } @else {
                p.hint {
                    "Desired outcome → opportunities (sub-opportunities nested) → solutions → assumption tests. "
                    "Solutions: ○ idea, ◐ building, ● shipped, ⊘ dropped. Tests: ? pending, ✓ passed, ✗ failed."
                }
                div.tree-groups {
                    @for g in tree::build(ws) {
                        div.tree-group {
                            @match g.outcome {
                                Some(o) => {
                                    h3 { span.glyph { "◎" } " Outcome: " (t(&o.name)) }
                                    @if !o.description.trim().is_empty() { p.desc.muted { (block(&o.description)) } }
                                    @if !o.metrics.is_empty() {
                                        p.muted { "Measured by: "
                                            (o.metrics.iter().map(|id| ws.metric(id).map_or_else(|| format!("{id} (missing)"), |m| t(&m.name))).collect::<Vec<_>>().join("; "))
                                        }
                                    }
                                }
                                None => { h3 { "No outcome" } }
                            }
                            @if g.opportunities.is_empty() {
                                p.muted { "No opportunity under it yet." }
                            } @else {
                                ul.tree { @for n in &g.opportunities { (tree_opportunity(n)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn tree_opportunity(n: &OppNode) -> Markup {
    let o = n.opportunity;
    let status = match o.delivered {
        Some(d) if o.status == crate::model::Status::Delivered => format!("delivered {d}"),
        Some(d) => format!("{} (delivered {d})", o.status.label()),
        None => o.status.label().to_string(),
    };
    html! {
        li {
            div.node.node-opp {
                span.glyph { "◆" }
                span.node-title { (t(&o.title)) }
                (score_badge(n.score))
                span class={ "badge status-" (o.status.label()) } { (status) }
                @if o.evidence.is_empty() {
                    span.badge.warn { "⚠ no evidence" }
                } @else {
                    span.badge.evidence { (o.evidence.len()) " evidence" }
                }
            }
            @if !n.children.is_empty() || !n.solutions.is_empty() {
                ul {
                    @for c in &n.children { (tree_opportunity(c)) }
                    @for s in &n.solutions { (tree_solution(s)) }
                }
            }
        }
    }
}

fn tree_solution(n: &SolutionNode) -> Markup {
    let s = n.solution;
    let status = match s.shipped {
        Some(d) if s.status == SolutionStatus::Shipped => format!("shipped {d}"),
        _ => s.status.label().to_string(),
    };
    html! {
        li {
            div class={ "node node-solution sol-" (s.status.label()) } {
                span.glyph title=(s.status.label()) { (s.status.glyph()) }
                span.node-kind { "Solution" }
                span.node-title { (t(&s.title)) }
                span.node-meta {
                    (status)
                    @if let Some(v) = s.value { " · value " (v) }
                    @if let Some(e) = s.effort { " · effort " (e) }
                    @if !s.owner.trim().is_empty() { " · " (t(&s.owner)) }
                }
            }
            @if !n.comparisons.is_empty() || !n.tests.is_empty() {
                ul {
                    @for (m, c) in &n.comparisons {
                        @let unit = sanitize(&m.unit);
                        @let f = |v: Option<f64>| v.map_or("—".to_string(), |v| with_unit(v, &unit));
                        li {
                            div.node.node-metric {
                                span.glyph { "▲" }
                                span.node-title { (t(&m.name)) }
                                span.node-meta {
                                    (f(c.before.mean)) " before → " (f(c.after.mean)) " after"
                                    @if let Some(tg) = m.target { " · target " (with_unit(tg, &unit)) }
                                    " · " (c.before.count) " and " (c.after.count) " observations"
                                }
                            }
                        }
                    }
                    @for x in &n.tests {
                        li {
                            div class={ "node node-test result-" (x.result.label()) } {
                                span.glyph title=(x.result.label()) { (x.result.glyph()) }
                                span.node-kind { "Test" }
                                span.node-title { (t(&x.assumption)) }
                                span.node-meta {
                                    (x.result.label()) " · " (x.kind.label())
                                    @if let Some(d) = x.due { " · due " (d) }
                                    @if !x.owner.trim().is_empty() { " · " (t(&x.owner)) }
                                    @if !x.evidence.is_empty() { " · " (x.evidence.len()) " evidence" }
                                }
                                @if !x.criterion.trim().is_empty() {
                                    span.node-criterion { "passes if: " (t(&x.criterion)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The value / effort matrix as inline SVG: effort across (1–5), value
/// up (1–5), the four quadrants split where a rating becomes high (3), each
/// rated opportunity (circle) and solution (diamond) numbered, and the
/// numbers listed by quadrant below.
fn matrix_section(ws: &Workspace) -> Markup {
    use crate::synthesis::matrix::{HIGH, Matrix, Quadrant};
    const W: f64 = 520.0;
    const H: f64 = 380.0;
    const LEFT: f64 = 56.0;
    const TOP: f64 = 12.0;
    const PW: f64 = 440.0;
    const PH: f64 = 320.0;
    let m = Matrix::of(ws);
    let x = |e: f64| LEFT + (e - 0.5) / 5.0 * PW;
    let y = |v: f64| TOP + (5.5 - v) / 5.0 * PH;
    let split = f64::from(HIGH) - 0.5;
    // Items on the same spot sit side by side.
    let mut seen: std::collections::BTreeMap<(u8, u8), usize> = Default::default();
    let points: Vec<(usize, f64, f64, &crate::synthesis::matrix::Placed)> = m
        .placed
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let k = seen.entry((p.value, p.effort)).or_default();
            let dx = (*k % 4) as f64 * 17.0;
            let dy = (*k / 4) as f64 * 17.0;
            *k += 1;
            (
                i + 1,
                x(f64::from(p.effort)) + dx,
                y(f64::from(p.value)) + dy,
                p,
            )
        })
        .collect();
    let summary = format!(
        "Value / effort matrix: {} items placed; {} not rated",
        m.placed.len(),
        m.unrated
    );
    let quad = |q: Quadrant| {
        let (c, r) = q.cell();
        let (x0, x1) = if c == 0 { (0.5, split) } else { (split, 5.5) };
        let (v0, v1) = if r == 0 { (5.5, split) } else { (split, 0.5) };
        (x(x0), y(v0), x(x1) - x(x0), y(v1) - y(v0))
    };
    html! {
        section #matrix {
            h2 { "Value and effort" }
            p.hint {
                "Opportunities (○) and solutions (◇) rated for value and effort, 1–5; "
                (HIGH) " or more is high. "
                @if m.unrated > 0 { (m.unrated) " not rated yet." }
            }
            @if m.placed.is_empty() {
                p.muted { "Nothing rated yet: give opportunities and solutions a value and an effort." }
            } @else {
                svg.matrix viewBox={ "0 0 " (W) " " (H) } role="img" aria-label=(summary) {
                    title { (summary) }
                    @for q in Quadrant::ALL {
                        @let (qx, qy, qw, qh) = quad(q);
                        rect class={ "quad q-" (q.label().replace(' ', "-")) } x=(qx) y=(qy) width=(qw) height=(qh) {}
                        text.quad-label x=(qx + 6.0) y=(qy + 16.0) { (q.label()) }
                    }
                    @for v in 1..=5u8 {
                        text.axis x=(LEFT - 10.0) y=(y(f64::from(v)) + 4.0) text-anchor="end" { (v) }
                    }
                    @for e in 1..=5u8 {
                        text.axis x=(x(f64::from(e))) y=(TOP + PH + 18.0) text-anchor="middle" { (e) }
                    }
                    text.axis x=(LEFT + PW / 2.0) y=(H - 4.0) text-anchor="middle" { "effort →" }
                    text.axis x="14" y=(TOP + PH / 2.0) text-anchor="middle" transform={ "rotate(-90 14 " (TOP + PH / 2.0) ")" } { "value →" }
                    @for (n, px, py, p) in &points {
                        g.point {
                            title { (t(&p.title)) " — value " (p.value) ", effort " (p.effort) " (" (p.quadrant.label()) ")" }
                            @if p.kind == "solution" {
                                rect.sol x=(px - 7.0) y=(py - 7.0) width="14" height="14" transform={ "rotate(45 " (px) " " (py) ")" } {}
                            } @else {
                                circle.opp cx=(px) cy=(py) r="8" {}
                            }
                            text.num x=(px) y=(py + 4.0) text-anchor="middle" { (n) }
                        }
                    }
                }
                div.matrix-list {
                    @for q in Quadrant::ALL {
                        div {
                            h3 { (q.label()) span.count { (m.in_quadrant(q).len()) } }
                            p.muted { (q.rule()) }
                            ol {
                                @for (n, _, _, p) in points.iter().filter(|(_, _, _, p)| p.quadrant == q) {
                                    li value=(n) { (t(&p.title)) span.muted { " · " (p.kind) " · value " (p.value) ", effort " (p.effort) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn roadmap_section(ws: &Workspace) -> Markup {
    let lanes = roadmap(ws);
    let (planned, unplanned) = lanes.split_at(3);
    let lane = |name: &str, items: &[(&Opportunity, Score)]| {
        html! {
            div.lane {
                h3 { (name) span.count { (items.len()) } }
                @if items.is_empty() { p.muted { "Nothing here yet." } }
                @for (o, s) in items {
                    div.lane-item {
                        (score_badge(*s))
                        div {
                            div.lane-title { (t(&o.title)) }
                            div.lane-meta { (o.kind.label()) " · " (o.status.label())
                                @if o.evidence.is_empty() { " · " span.warn-text { "⚠ no evidence" } }
                            }
                        }
                    }
                }
            }
        }
    };
    html! {
        section #roadmap {
            h2 { "Roadmap" }
            div.lanes {
                @for (name, items) in planned { (lane(name, items)) }
            }
            @for (name, items) in unplanned {
                @if !items.is_empty() {
                    div.lanes.unplanned { (lane(name, items)) }
                }
            }
        }
    }
}

fn metric_card(ws: &Workspace, m: &Metric) -> Markup {
    let unit = sanitize(&m.unit);
    let verdict = Verdict::of(m);
    let verdict_class = match verdict {
        Verdict::OnTrack => "verdict on",
        Verdict::OffTrack => "verdict off",
        Verdict::NoTarget | Verdict::NoData => "verdict none",
    };
    let verdict_text = verdict.marked();
    html! {
        article.card.metric {
            div.metric-head {
                div {
                    h3 { (t(&m.name)) }
                    p.muted { (m.kind.label()) " · " (m.direction.label())
                        @if let Some(a) = &m.activity { " · " (t(&activity_label(ws, a))) }
                    }
                }
                span class=(verdict_class) { (verdict_text) }
            }
            @if !m.description.trim().is_empty() { p.desc { (block(&m.description)) } }
            dl.figures {
                div { dt { "Latest" } dd.big {
                    @match m.latest() {
                        Some(o) => { (with_unit(o.value, &unit)) small { " on " (o.date) } }
                        None => { "—" }
                    }
                } }
                div { dt { "Target" } dd { (m.target.map_or("—".into(), |v| with_unit(v, &unit))) } }
                div { dt { "Baseline" } dd { (m.baseline.map_or("—".into(), |v| with_unit(v, &unit))) } }
            }
            (line_chart(m, &markers(ws, m)))
            (comparisons(ws, m))
            @if let Some(o) = m.opportunity.as_ref() {
                p.muted { "Validates: " (ws.opportunity(o).map_or_else(|| format!("{o} (missing)"), |x| t(&x.title))) }
            }
            @if let Some(f) = &m.formula {
                p.muted { "Computed: " code { (t(f)) } }
            }
            @if let Some(a) = &m.adoption {
                p.muted { "Computed: adoption rate of " (t(&ws.target_name(&a.target))) @if a.voluntary { ", by free choice only" } }
            }
            @if !m.personas.is_empty() {
                p.muted { "Watched by: " (m.personas.iter().map(|p| t(&persona_name(ws, p))).collect::<Vec<_>>().join(", ")) }
            }
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{}%", num(v)))
}

/// Consumer teams × what they adopt (as of the latest record), and each
/// target's rates over time.
fn adoption(ws: &Workspace) -> Markup {
    let targets = ws.adoption_targets();
    let latest = targets
        .iter()
        .flat_map(|x| ws.adoption_over_time(x))
        .map(|r| r.date)
        .max();
    html! {
        section #adoption {
            h2 { "Adoption" }
            @if ws.items.teams.is_empty() {
                p.empty-note { "No consumer teams yet." }
            } @else {
                p.hint { "Only free choice is sustainable: the rate on a date counts the adopted teams of the teams that existed then (a team counts from its since date, else from its first record), the free-choice rate only teams that were not told to. A team's state is its latest record. Each chart shows all adoption (solid) and adoption by free choice (dashed)." }
                table.adoption {
                    thead { tr {
                        th { "Team" } th { "Size" } th { "Persona" } th { "Counted from" }
                        @for x in &targets { th { (t(&ws.target_name(x))) } }
                    } }
                    tbody {
                        @for team in ws.teams() {
                            tr {
                                td { (t(&team.name)) }
                                td { (team.size.map_or("—".into(), |n| n.to_string())) }
                                td { (team.persona.as_ref().map_or("—".into(), |p| t(&persona_name(ws, p)))) }
                                td { (ws.team_start(&team.id).map_or("—".into(), |d| d.to_string())) }
                                @for x in &targets {
                                    @let s = latest.and_then(|d| ws.standing(&team.id, x, d));
                                    td class=(s.map_or("state-none".to_string(), |s| format!("state-{}", s.state.slug()))) {
                                        @match s {
                                            Some(s) => { (s.state.glyph()) " " (s.state.label()) @if s.mandated { " (mandated)" } }
                                            None => { "—" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div.cards.two {
                    @for x in &targets {
                        @let over_time = ws.adoption_over_time(x);
                        div.card {
                            h3 { (t(&ws.target_name(x))) }
                            (rates_chart(&ws.target_name(x), &over_time))
                            table.rates {
                                thead { tr { th { "Date" } th { "Adopted" } th { "By free choice" } th { "Trialling" } th { "Teams" } } }
                                tbody {
                                    @for r in &over_time {
                                        tr {
                                            td { (r.date) }
                                            td { (pct(r.all())) " (" (r.adopted) ")" }
                                            td { (pct(r.voluntary())) " (" (r.voluntary) ")" }
                                            td { (r.trialling) }
                                            td { (r.teams) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The shipped solutions a metric can validate, by ship date.
fn shipped_solutions<'a>(
    ws: &'a Workspace,
    m: &Metric,
) -> Vec<(chrono::NaiveDate, &'a crate::model::Solution)> {
    let mut v: Vec<_> = ws
        .items
        .solutions
        .values()
        .filter(|s| s.status == SolutionStatus::Shipped)
        .filter_map(|s| Some((s.shipped?, s)))
        .filter(|(_, s)| ws.validating_metrics(s).iter().any(|x| x.id == m.id))
        .collect();
    v.sort_by(|a, b| (a.0, &a.1.title).cmp(&(b.0, &b.1.title)));
    v
}

/// The chart's markers, the same as the interface's
/// ([`validation::markers`]): each shipped solution the metric can
/// validate, and each delivered opportunity it measures.
fn markers(ws: &Workspace, m: &Metric) -> Vec<Marker> {
    validation::markers(ws, &m.id)
        .into_iter()
        .map(|x| Marker {
            date: x.date,
            kind: if x.what == "shipped" {
                MarkerKind::Shipped
            } else {
                MarkerKind::Delivered
            },
            what: x.title,
        })
        .collect()
}

/// Before and after each ship date the chart marks: the means over the
/// windows either side, with the counts behind them.
fn comparisons(ws: &Workspace, m: &Metric) -> Markup {
    let shipped = shipped_solutions(ws, m);
    let unit = sanitize(&m.unit);
    let f = |v: Option<f64>| v.map_or("—".to_string(), |v| with_unit(v, &unit));
    html! {
        @if !shipped.is_empty() {
            ul.compare {
                @for (date, s) in &shipped {
                    // The day only decides a miss, which is not shown here.
                    @let c = validation::compare(m, *date, chrono::NaiveDate::MAX);
                    li {
                        span.compare-what { "● " (t(&s.title)) " shipped " (date) ": " }
                        "before " strong { (f(c.before.mean)) } " (" (c.before.count) ")"
                        " → after " strong { (f(c.after.mean)) } " (" (c.after.count) ")"
                        @if c.verdict == MetricVerdict::Met { " " span.met { "✓ meets the target" } }
                    }
                }
                li.muted { "Means over the " (validation::WINDOW_DAYS) " days before and after each ship date (observations counted in brackets)." }
            }
        }
    }
}

fn metrics(ws: &Workspace) -> Markup {
    html! {
        section #metrics {
            h2 { "Metrics" }
            @if ws.metrics.is_empty() {
                p.empty-note { "No metrics yet: nothing validates the value delivered." }
            } @else {
                p.hint { "How value is validated. Each chart shows the observations, the target (dashed) and the baseline (dotted); the verdict compares the latest observation with the target in the metric's direction." }
                div.cards.two {
                    @for m in &ws.metrics { (metric_card(ws, m)) }
                }
            }
        }
    }
}

const CSS: &str = r#"
:root {
  color-scheme: light;
  --ink: #1f2328; --muted: #5b636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #24527a;
  --h1: #fff7e6; --h2: #ffebc7; --h3: #fedca6; --h4: #fdc583; --h5: #fca764;
  --h6: #f7894c; --h7: #ea6a3c; --h8: #cc3d2c; --h9: #a51f2a;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  overflow-wrap: break-word;
}
header.top { background: #1e3a5a; color: #fff; padding: 28px 40px 18px; }
header.top .eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .8; }
header.top h1 { margin: 4px 0 8px; font-size: 30px; line-height: 1.2; }
header.top .lede { max-width: 900px; margin: 0 0 14px; opacity: .92; white-space: pre-line; }
ul.stats { list-style: none; padding: 0; margin: 0 0 14px; display: flex; flex-wrap: wrap; gap: 8px; }
ul.stats li { background: rgba(255,255,255,.12); border-radius: 6px; padding: 4px 10px; font-size: 13px; }
ul.stats strong { font-size: 16px; }
nav { display: flex; flex-wrap: wrap; gap: 16px; font-size: 13px; }
nav a { color: #cfe3f7; text-decoration: none; border-bottom: 1px solid rgba(207,227,247,.4); }
main { padding: 8px 40px 24px; }
section { margin: 28px 0 8px; }
svg.matrix { width: 100%; max-width: 640px; height: auto; display: block; }
svg.matrix .quad { stroke: var(--line); stroke-width: 1; }
svg.matrix .q-quick-wins { fill: #e6f4ea; } svg.matrix .q-big-bets { fill: #fff4e0; }
svg.matrix .q-fill-ins { fill: #f3f4f6; } svg.matrix .q-money-pits { fill: #fde8e8; }
svg.matrix .quad-label { font-size: 12px; fill: #555; font-weight: 600; }
svg.matrix .axis { font-size: 11px; fill: #555; }
svg.matrix .opp { fill: #2563eb; } svg.matrix .sol { fill: #7c3aed; }
svg.matrix .num { font-size: 9px; fill: #fff; font-weight: 700; }
.matrix-list { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.matrix-list h3 { font-size: 14px; margin: 8px 0 0; }
h2 { font-size: 20px; margin: 0 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 12px 0 4px; }
p { margin: 6px 0; }
.hint, .muted { color: var(--muted); font-size: 13px; }
.hint { max-width: 980px; }
.desc { white-space: pre-line; }
.empty-note { color: var(--muted); font-style: italic; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.scroll { overflow-x: auto; margin-top: 10px; }
table.map { border-collapse: separate; border-spacing: 3px; width: 100%; table-layout: fixed; font-size: 12px; }
table.map th, table.map td { overflow-wrap: anywhere; }
table.map th { font-weight: 600; text-align: left; vertical-align: bottom; }
table.map th.corner { width: 150px; vertical-align: bottom; color: var(--muted); }
table.map th.phase { background: #1e3a5a; color: #fff; text-align: center; padding: 5px; border-radius: 4px; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
table.map th.activity { padding: 4px 4px 6px; font-size: 12px; line-height: 1.3; }
table.map th.persona { vertical-align: top; padding: 6px 6px 6px 0; font-size: 13px; }
.persona-name { display: block; }
td.cell { vertical-align: top; padding: 6px 7px; border-radius: 5px; border: 1px solid rgba(0,0,0,.08); }
td.cell .cell-head { display: flex; align-items: baseline; gap: 6px; }
td.cell .score { font-size: 20px; font-weight: 700; line-height: 1.1; }
td.cell .ratings { font-size: 11px; opacity: .85; white-space: nowrap; }
td.cell .interest { margin-top: 3px; line-height: 1.35; font-size: 11.5px; }
td.cell.empty { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f1f3f5 6px, #f1f3f5 12px); border: 1px dashed #b8c0c8; color: var(--muted); }
td.cell.empty .unknown { font-style: italic; font-size: 11.5px; }
td.cell.unrated { background: #eef1f4; }
.marks { margin-top: 4px; display: flex; flex-wrap: wrap; gap: 3px; }
.mark { display: inline-block; font-size: 10.5px; padding: 0 5px; border-radius: 8px; background: rgba(255,255,255,.7); color: #1f2328; border: 1px solid rgba(0,0,0,.12); white-space: nowrap; font-weight: 500; }
.mark.block { display: table; margin-top: 4px; }
.mark.warn { background: #fff4ce; border-color: #d4a72c; color: #5c4400; }
.heat-1 { background: var(--h1); } .heat-2 { background: var(--h2); } .heat-3 { background: var(--h3); }
.heat-4 { background: var(--h4); } .heat-5 { background: var(--h5); } .heat-6 { background: var(--h6); }
.heat-7 { background: var(--h7); } .heat-8 { background: var(--h8); color: #fff; } .heat-9 { background: var(--h9); color: #fff; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin-top: 10px; font-size: 12px; color: var(--muted); }
.legend-title { font-weight: 600; color: var(--ink); margin-right: 2px; }
.legend-item { margin-left: 10px; }
.swatch { display: inline-block; min-width: 24px; text-align: center; padding: 1px 4px; border-radius: 4px; font-weight: 700; color: #1f2328; border: 1px solid rgba(0,0,0,.08); }
.swatch.heat-8, .swatch.heat-9 { color: #fff; }
.swatch.unrated { background: #eef1f4; }
.swatch.empty { background: repeating-linear-gradient(135deg, #fff, #fff 3px, #e6e9ed 3px, #e6e9ed 6px); border: 1px dashed #b8c0c8; }
.role { display: inline-block; font-size: 10.5px; font-weight: 600; padding: 0 6px; border-radius: 8px; text-transform: uppercase; letter-spacing: .04em; vertical-align: 2px; }
.role-customer { background: #efe4fb; color: #5a2d91; }
.role-consumer { background: #ddeefe; color: #1d4f85; }
.role-end-user { background: #dcf3e4; color: #1d6b3a; }
table.themes { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
table.themes th, table.themes td { padding: 3px 12px 3px 0; text-align: left; border-bottom: 1px solid rgba(0,0,0,.08); }
table.themes td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.questions { padding-left: 18px; margin: 8px 0; font-size: 13px; }
ul.gaps { columns: 2 420px; column-gap: 32px; padding-left: 0; list-style: none; margin: 8px 0; font-size: 13px; }
ul.gaps li { break-inside: avoid; padding: 2px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; margin-top: 12px; }
.cards.two { grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; background: #fff; break-inside: avoid; }
ul.jobs, ul.hot { margin: 0; padding-left: 18px; }
ul.hot { list-style: none; padding-left: 0; }
ul.hot li { margin: 2px 0; }
.tags { margin-top: 10px; }
.tag { display: inline-block; font-size: 11px; background: var(--soft); border: 1px solid var(--line); border-radius: 10px; padding: 0 7px; margin: 0 4px 4px 0; color: var(--muted); }
.opps { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; margin-top: 12px; align-items: start; }
.score-caption { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.opp-head { display: flex; align-items: flex-start; gap: 10px; }
.opp-head .score-caption { margin-top: 5px; }
.opp-head h3 { flex: 1; font-size: 16px; }
.rank { font-weight: 700; color: var(--muted); min-width: 28px; padding-top: 1px; }
.score-pill { display: inline-block; min-width: 34px; text-align: center; font-weight: 700; font-size: 15px; border-radius: 6px; padding: 2px 8px; border: 1px solid rgba(0,0,0,.1); color: #1f2328; }
.score-pill.heat-8, .score-pill.heat-9 { color: #fff; }
.score-pill.manual { background: #e8eaf6; color: #283593; }
.score-pill.manual small { font-weight: 500; font-size: 10px; }
.score-pill.unscored { background: #eef1f4; color: var(--muted); }
.score-pill.small { min-width: 24px; font-size: 12px; padding: 0 5px; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 4px; }
.badge { font-size: 11px; padding: 1px 8px; border-radius: 10px; background: var(--soft); border: 1px solid var(--line); color: var(--ink); }
.badge.kind-pain { background: #fde8e8; border-color: #f3b4b4; }
.badge.kind-need { background: #e6f0fd; border-color: #b3cff5; }
.badge.kind-gain { background: #e4f5ea; border-color: #aedcbd; }
.badge.status-validated, .badge.status-delivered { background: #dcf3e4; border-color: #9bd3ae; }
.badge.status-invalidated { background: #eef1f4; text-decoration: line-through; }
.badge.horizon { background: #fff; }
.badge.warn, .warn-text { background: #fff4ce; border-color: #d4a72c; color: #5c4400; }
.links { font-size: 12.5px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
.links strong { color: var(--ink); font-weight: 600; }
blockquote { margin: 8px 0 0; padding: 6px 12px; border-left: 3px solid var(--accent); background: var(--soft); border-radius: 0 6px 6px 0; }
blockquote p { margin: 0; font-style: italic; }
blockquote cite { display: block; font-style: normal; font-size: 12px; color: var(--muted); margin-top: 2px; }
.no-evidence { background: #fff4ce; border: 1px solid #d4a72c; color: #5c4400; padding: 6px 10px; border-radius: 6px; font-size: 13px; }
.lanes { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; margin-top: 12px; }
.lanes.unplanned { grid-template-columns: 1fr; }
.lane { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.lane h3 { display: flex; align-items: center; justify-content: space-between; font-size: 14px; text-transform: uppercase; letter-spacing: .06em; margin-bottom: 8px; }
.lane .count { font-size: 12px; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; color: var(--muted); }
.lane-item { display: flex; gap: 10px; align-items: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin-top: 8px; break-inside: avoid; }
.lane-title { font-weight: 600; }
.lane-meta { font-size: 12px; color: var(--muted); }
.warn-text { padding: 0 4px; border-radius: 4px; }
.metric-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 12px; }
.verdict { font-weight: 700; font-size: 13px; padding: 3px 10px; border-radius: 12px; white-space: nowrap; border: 1px solid; }
.verdict.on { background: #dcf3e4; color: #14532d; border-color: #8fcca4; }
.verdict.off { background: #fde8e8; color: #8a1c1c; border-color: #f0a8a8; }
.verdict.none { background: #eef1f4; color: var(--muted); border-color: var(--line); }
dl.figures { display: flex; gap: 28px; margin: 10px 0 4px; }
dl.figures dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
dl.figures dd { margin: 0; font-size: 15px; font-weight: 600; }
dl.figures dd.big { font-size: 22px; }
dl.figures dd small { font-size: 11px; font-weight: 400; color: var(--muted); }
svg.chart { width: 100%; height: auto; display: block; margin-top: 6px; font-size: 11px; }
svg.chart .grid { stroke: #e6e9ed; stroke-width: 1; }
svg.chart .axis { stroke: #8c959f; stroke-width: 1; }
svg.chart .tick, svg.chart .axis-label { fill: var(--muted); }
svg.chart .axis-label { font-size: 11px; font-weight: 600; }
svg.chart .series { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
svg.chart .point { fill: #fff; stroke: var(--accent); stroke-width: 2; }
svg.chart .point.latest { fill: var(--accent); }
svg.chart .latest-label { fill: var(--accent); font-weight: 700; font-size: 12px; }
svg.chart .latest-label, svg.chart .target-label, svg.chart .baseline-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg.chart .target { stroke: #1a7f37; stroke-width: 1.6; stroke-dasharray: 6 4; }
svg.chart .target-label { fill: #1a7f37; font-weight: 600; }
svg.chart .baseline { stroke: #8c959f; stroke-width: 1.4; stroke-dasharray: 2 3; }
svg.chart .baseline-label { fill: var(--muted); }
svg.chart .delivery { stroke: #8250df; stroke-width: 1.4; stroke-dasharray: 3 3; }
svg.chart .delivery-label { fill: #8250df; font-size: 10px; }
svg.chart .shipped { stroke: #bf3989; stroke-width: 2; }
svg.chart .rate-all { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
svg.chart .rate-free { fill: none; stroke: #2da44e; stroke-width: 2.5; stroke-dasharray: 7 4; stroke-linejoin: round; }
svg.chart .rate-all-point { fill: #fff; stroke: var(--accent); stroke-width: 2; }
svg.chart .rate-free-point { fill: #fff; stroke: #2da44e; stroke-width: 2; }
svg.chart .rate-all-label { fill: var(--accent); font-weight: 700; font-size: 12px; }
svg.chart .rate-free-label { fill: #1a7f37; font-weight: 700; font-size: 12px; }
svg.chart .shipped-label { fill: #bf3989; font-size: 10px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
ul.compare { list-style: none; padding: 0; margin: 6px 0 0; font-size: 12.5px; }
ul.compare li { margin: 2px 0; }
.compare-what { color: #bf3989; font-weight: 600; }
.met { color: #14532d; font-weight: 600; }
.tree-groups { display: grid; gap: 14px; margin-top: 12px; }
.tree-group { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; break-inside: avoid; }
.tree-group h3 { font-size: 16px; margin-bottom: 4px; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding: 0; }
ul.tree ul { padding-left: 26px; }
ul.tree li { position: relative; }
ul.tree ul > li::before { content: ""; position: absolute; left: -16px; top: 0; bottom: 0; border-left: 1.5px solid #b8c0c8; }
ul.tree ul > li:last-child::before { bottom: auto; height: 17px; }
ul.tree ul > li::after { content: ""; position: absolute; left: -16px; top: 17px; width: 13px; border-top: 1.5px solid #b8c0c8; }
.node { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; margin: 4px 0; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--line); background: #fff; max-width: 100%; }
.node .glyph { font-weight: 700; min-width: 1em; text-align: center; }
.node-kind { font-size: 10.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.node-title { font-weight: 600; }
.node-meta, .node-criterion { font-size: 12px; color: var(--muted); }
.node-criterion { flex-basis: 100%; }
.node-opp { background: #e6f0fd; border-color: #b3cff5; }
.node-solution { background: #f3e8fb; border-color: #d2b4ec; }
.node-solution.sol-shipped { border-color: #bf3989; border-width: 2px; }
.node-solution.sol-dropped { text-decoration: line-through; opacity: .75; }
.node-metric { background: var(--soft); font-size: 12.5px; }
.node-test.result-passed { background: #dcf3e4; border-color: #8fcca4; }
.node-test.result-failed { background: #fde8e8; border-color: #f0a8a8; }
.node-test.result-pending { background: #fff; border-style: dashed; }
.chart-empty { color: var(--muted); font-style: italic; }
footer { padding: 16px 40px 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
@media (max-width: 800px) {
  header.top, main, footer { padding-left: 16px; padding-right: 16px; }
  .lanes { grid-template-columns: 1fr; }
  .cards.two, .opps { grid-template-columns: 1fr; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 11px; }
  header.top { background: #fff; color: var(--ink); border-bottom: 2px solid var(--ink); padding: 0 0 8px; }
  header.top nav { display: none; }
  ul.stats li { background: var(--soft); }
  main, footer { padding-left: 0; padding-right: 0; }
  .scroll { overflow: visible; }
  section { break-inside: auto; }
  h2 { break-after: avoid; }
}
@page { margin: 14mm; }
"#;
