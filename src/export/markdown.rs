//! Markdown: a report to paste into a wiki.
//!
//! All user text goes through [`md_inline`] (one line: control characters and
//! line breaks removed, Markdown punctuation backslash-escaped) so that no
//! name, note or quote can open a table cell, a heading, a link or raw HTML.

use std::fmt::Write as _;

use super::tree::{self, OppNode, SolutionNode};
use super::{Verdict, activity_label, evidence_source, evidence_text, persona_name, roadmap};
use crate::model::coverage;
use crate::model::ratings;
use crate::model::score::{self, Score};
use crate::model::{Metric, Perspective, Workspace};
use crate::text::{md_inline, num, with_unit};

/// Inline text, or a dash when there is none.
fn inline_or_dash(s: &str) -> String {
    let t = md_inline(s);
    if t.is_empty() { "—".into() } else { t }
}

/// A table row.
fn row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn separator(out: &mut String, n: usize) {
    out.push('|');
    for _ in 0..n {
        out.push_str(" --- |");
    }
    out.push('\n');
}

/// A map cell: "score 8 (i5/s2, pm) — interest", or "—" when empty; with
/// what the interviews say when they rated it.
fn cell(p: Option<&Perspective>, r: &ratings::CellRating) -> String {
    let heard = r.heard.map_or(String::new(), |h| {
        format!(
            "; interviews {}{}",
            h.summary(),
            if r.disagrees() {
                ", ≠ the PM's rating is two or more from the median"
            } else {
                ""
            }
        )
    });
    let Some(p) = p.filter(|p| !p.is_blank()) else {
        return match r.score() {
            Some(s) => format!("score {s} ({}, {}){heard}", r.shown(), r.source.label()),
            None => "—".into(),
        };
    };
    let rating = |r: Option<u8>| r.map_or("?".to_string(), |v| v.to_string());
    let head = match r.score() {
        Some(s) => format!("score {s} ({}, {}){heard}", r.shown(), r.source.label()),
        None if p.importance.is_none() && p.satisfaction.is_none() => "not rated".into(),
        None => format!(
            "not scored (i{}/s{})",
            rating(p.importance),
            rating(p.satisfaction)
        ),
    };
    let interest = md_inline(&p.interest);
    if interest.is_empty() {
        head
    } else {
        format!("{head} — {interest}")
    }
}

fn score_text(s: Score) -> String {
    match s {
        Score::Outcome(v) => v.to_string(),
        Score::Manual(v) if v.is_finite() => format!("{} (manual)", num(v)),
        Score::Manual(_) | Score::Unscored => "unscored".into(),
    }
}

fn metric_value(m: &Metric, v: Option<f64>) -> String {
    v.map_or("—".into(), |v| md_inline(&with_unit(v, &m.unit)))
}

/// The Markdown report.
pub(super) fn render(ws: &Workspace) -> String {
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "# {}\n", inline_or_dash(&ws.name));
    if !ws.description.trim().is_empty() {
        let _ = writeln!(o, "{}\n", md_inline(&ws.description));
    }
    let evidence: usize = ws.opportunities.iter().map(|o| o.evidence.len()).sum();
    let count = crate::text::count;
    let _ = writeln!(
        o,
        "{} · {} · {} · {} · {} ({}) · {}\n",
        count(ws.phases.len(), "phase"),
        count(ws.activity_count(), "activity"),
        count(ws.personas.len(), "persona"),
        count(ws.notes.len(), "interview note"),
        count(ws.opportunities.len(), "opportunity"),
        count(evidence, "evidence link"),
        count(ws.metrics.len(), "metric")
    );

    map(o, ws);
    blind_spots(o, ws);
    themes(o, ws);
    questions(o, ws);
    personas(o, ws);
    opportunities(o, ws);
    tree_section(o, ws);
    super::needs::markdown(o, ws);
    roadmap_section(o, ws);
    metrics(o, ws);
    adoption(o, ws);
    out
}

fn map(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Customer Journey Value Map\n");
    let _ = writeln!(
        o,
        "Rows are personas, columns are activities grouped by phase. Each cell is the persona's \
         view of the activity: its opportunity score, importance (i) and satisfaction (s) on a \
         1–5 scale, and what the persona is interested in. Score = importance + max(importance − \
         satisfaction, 0), from 1 to 9: the higher, the more important and the less well served. \
         “—” marks a cell nobody has understood yet.\n"
    );
    if ws.personas.is_empty() || ws.activity_count() == 0 {
        let _ = writeln!(o, "The map is empty: it needs personas and activities.\n");
        return;
    }
    let mut header = vec!["Persona".to_string(), "Role".to_string()];
    header.extend(
        ws.activities()
            .map(|(p, a)| format!("{}: {}", md_inline(&p.name), md_inline(&a.name))),
    );
    row(o, &header);
    separator(o, header.len());
    let by_cell = ratings::ByCell::of(ws);
    for p in &ws.personas {
        let mut cells = vec![inline_or_dash(&p.name), p.role.label().to_string()];
        cells.extend(ws.activities().map(|(_, a)| {
            cell(
                ws.perspective(&p.id, &a.id),
                &ratings::CellRatings::rating(&by_cell, ws, &p.id, &a.id),
            )
        }));
        row(o, &cells);
    }
    o.push('\n');
}

fn blind_spots(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Blind spots\n");
    let gaps = coverage::report(ws);
    if gaps.is_empty() {
        let _ = writeln!(
            o,
            "None: every cell has a perspective and interview notes, and every activity a metric.\n"
        );
        return;
    }
    let _ = writeln!(
        o,
        "Where the map is still guessing ({} found):\n",
        gaps.len()
    );
    for g in gaps {
        let _ = writeln!(o, "- {}", md_inline(&g.message));
    }
    o.push('\n');
}

/// Every `#tag` across notes, most heard first, split by who it was heard
/// from (the role of the note's persona).
fn themes(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Themes\n");
    let themes = crate::synthesis::themes::themes(ws);
    if themes.is_empty() {
        let _ = writeln!(o, "No tags in the notes yet.\n");
        return;
    }
    let head: Vec<String> = [
        "Tag",
        "Notes",
        "Customer",
        "Consumer",
        "End user",
        "No persona",
    ]
    .map(String::from)
    .to_vec();
    row(o, &head);
    separator(o, head.len());
    for t in themes {
        row(
            o,
            &[
                format!("#{}", md_inline(&t.name)),
                t.count().to_string(),
                t.customer.to_string(),
                t.consumer.to_string(),
                t.end_user.to_string(),
                t.unlinked.to_string(),
            ],
        );
    }
    o.push('\n');
}

/// Questions asked in interviews and not answered yet, newest first; how
/// many were answered.
fn questions(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Open questions\n");
    let all = crate::synthesis::questions::questions(ws);
    let answered = all.iter().filter(|q| !q.is_open()).count();
    let open: Vec<_> = all.iter().filter(|q| q.is_open()).collect();
    if open.is_empty() {
        let _ = writeln!(
            o,
            "None open ({} answered).\n",
            crate::text::count(answered, "question")
        );
        return;
    }
    let _ = writeln!(o, "{} open, {} answered:\n", open.len(), answered);
    for q in open {
        let who = q
            .persona
            .as_ref()
            .map_or("no persona".to_string(), |p| persona_name(ws, p));
        let title = ws.notes.get(&q.note).map_or("", |n| n.title.as_str());
        let _ = writeln!(
            o,
            "- {} — {}, {} ({})",
            md_inline(&q.text()),
            md_inline(&who),
            q.date,
            inline_or_dash(title)
        );
    }
    o.push('\n');
}

fn personas(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Personas\n");
    if ws.personas.is_empty() {
        let _ = writeln!(o, "No personas yet.\n");
        return;
    }
    for p in &ws.personas {
        let _ = writeln!(o, "### {} ({})\n", inline_or_dash(&p.name), p.role.label());
        if !p.description.trim().is_empty() {
            let _ = writeln!(o, "{}\n", md_inline(&p.description));
        }
        if p.jobs.is_empty() {
            let _ = writeln!(o, "Jobs to be done: none written down yet.\n");
        } else {
            let _ = writeln!(o, "Jobs to be done:\n");
            for j in &p.jobs {
                let _ = writeln!(o, "- {}", inline_or_dash(j));
            }
            o.push('\n');
        }
        if !p.tags.is_empty() {
            let tags: Vec<String> = p.tags.iter().map(|t| md_inline(t)).collect();
            let _ = writeln!(o, "Tags: {}\n", tags.join(", "));
        }
    }
}

fn opportunities(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Opportunities\n");
    let ranked = score::ranked(ws);
    if ranked.is_empty() {
        let _ = writeln!(o, "No opportunities yet.\n");
        return;
    }
    let _ = writeln!(
        o,
        "Ranked by score: the outcome-driven score of the most under-served cell an opportunity \
         links, unless a manual score was set.\n"
    );
    row(
        o,
        &[
            "#",
            "Opportunity",
            "Kind",
            "Status",
            "Horizon",
            "Score",
            "Evidence",
        ]
        .map(String::from),
    );
    separator(o, 7);
    for (i, (opp, s)) in ranked.iter().enumerate() {
        let evidence = match opp.evidence.len() {
            0 => "⚠ none".to_string(),
            n => n.to_string(),
        };
        row(
            o,
            &[
                (i + 1).to_string(),
                inline_or_dash(&opp.title),
                opp.kind.label().into(),
                opp.status.label().into(),
                opp.horizon.map_or("—", |h| h.label()).into(),
                score_text(*s),
                evidence,
            ],
        );
    }
    o.push('\n');
    for (i, (opp, s)) in ranked.iter().enumerate() {
        let _ = writeln!(o, "### {}. {}\n", i + 1, inline_or_dash(&opp.title));
        let _ = writeln!(
            o,
            "{} · {} · horizon: {} · score: {}\n",
            opp.kind.label(),
            opp.status.label(),
            opp.horizon.map_or("unplanned", |h| h.label()),
            score_text(*s)
        );
        if !opp.description.trim().is_empty() {
            let _ = writeln!(o, "{}\n", md_inline(&opp.description));
        }
        if !opp.activities.is_empty() {
            let acts: Vec<String> = opp
                .activities
                .iter()
                .map(|a| md_inline(&activity_label(ws, a)))
                .collect();
            let _ = writeln!(o, "Activities: {}\n", acts.join("; "));
        }
        let who: Vec<String> = opp
            .personas
            .iter()
            .map(|p| md_inline(&persona_name(ws, p)))
            .collect();
        let _ = writeln!(
            o,
            "Personas: {}\n",
            if who.is_empty() {
                "all".to_string()
            } else {
                who.join("; ")
            }
        );
        if opp.evidence.is_empty() {
            let _ = writeln!(
                o,
                "⚠ No evidence yet: no interview backs this opportunity.\n"
            );
            continue;
        }
        let _ = writeln!(o, "Evidence:\n");
        for e in &opp.evidence {
            let _ = writeln!(
                o,
                "- “{}” — {}",
                md_inline(&evidence_text(ws, &e.note, &e.quote)),
                md_inline(&evidence_source(ws, &e.note))
            );
        }
        o.push('\n');
    }
}

/// The opportunity solution tree: a nested list per outcome, every node
/// with its status in words and a glyph, so it reads without colour.
fn tree_section(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Opportunity solution tree\n");
    if !tree::has_loop(ws) {
        let _ = writeln!(
            o,
            "No outcomes or solutions yet: the opportunities above are not placed in a tree.\n"
        );
        return;
    }
    let _ = writeln!(
        o,
        "Desired outcome → opportunities (sub-opportunities nested) → solutions → assumption tests. \
         Solutions: ○ idea, ◐ building, ● shipped, ⊘ dropped. Tests: ? pending, ✓ passed, ✗ failed.\n"
    );
    for g in tree::build(ws) {
        match g.outcome {
            Some(out) => {
                let _ = writeln!(o, "### Outcome: {}\n", inline_or_dash(&out.name));
                if !out.description.trim().is_empty() {
                    let _ = writeln!(o, "{}\n", md_inline(&out.description));
                }
                let measured: Vec<String> = out
                    .metrics
                    .iter()
                    .map(|id| match ws.metric(id) {
                        Some(m) => md_inline(&m.name),
                        None => md_inline(&format!("{id} (missing)")),
                    })
                    .collect();
                if !measured.is_empty() {
                    let _ = writeln!(o, "Measured by: {}\n", measured.join("; "));
                }
            }
            None => {
                let _ = writeln!(o, "### No outcome\n");
            }
        }
        if g.opportunities.is_empty() {
            let _ = writeln!(o, "No opportunity under it yet.\n");
            continue;
        }
        for n in &g.opportunities {
            tree_opportunity(o, n, 0);
        }
        o.push('\n');
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn tree_opportunity(o: &mut String, n: &OppNode, depth: usize) {
    let opp = n.opportunity;
    let evidence = match opp.evidence.len() {
        0 => "⚠ no evidence".to_string(),
        1 => "1 evidence".to_string(),
        k => format!("{k} evidence"),
    };
    let status = match opp.delivered {
        Some(d) if opp.status == crate::model::Status::Delivered => format!("delivered {d}"),
        Some(d) => format!("{} (delivered {d})", opp.status.label()),
        None => opp.status.label().to_string(),
    };
    let mut facts = vec![
        opp.kind.label().to_string(),
        status,
        format!("score {}", score_text(n.score)),
        evidence,
    ];
    if let Some(v) = opp.value {
        facts.push(format!("value {v}"));
    }
    if let Some(e) = opp.effort {
        facts.push(format!("effort {e}"));
    }
    let _ = writeln!(
        o,
        "{}- ◆ **{}** — {}",
        indent(depth),
        inline_or_dash(&opp.title),
        facts.join(" · ")
    );
    for c in &n.children {
        tree_opportunity(o, c, depth + 1);
    }
    for s in &n.solutions {
        tree_solution(o, s, depth + 1);
    }
}

fn tree_solution(o: &mut String, n: &SolutionNode, depth: usize) {
    let s = n.solution;
    let mut facts = vec![match s.shipped {
        Some(d) if s.status == crate::model::SolutionStatus::Shipped => format!("shipped {d}"),
        _ => s.status.label().to_string(),
    }];
    if let Some(v) = s.value {
        facts.push(format!("value {v}"));
    }
    if let Some(e) = s.effort {
        facts.push(format!("effort {e}"));
    }
    if !s.owner.trim().is_empty() {
        facts.push(format!("owner {}", md_inline(&s.owner)));
    }
    let _ = writeln!(
        o,
        "{}- {} Solution: {} — {}",
        indent(depth),
        s.status.glyph(),
        inline_or_dash(&s.title),
        facts.join(" · ")
    );
    for (m, c) in &n.comparisons {
        let f = |v: Option<f64>| v.map_or("—".to_string(), |v| md_inline(&with_unit(v, &m.unit)));
        let target = m.target.map_or(String::new(), |t| {
            format!("; target {}", md_inline(&with_unit(t, &m.unit)))
        });
        let _ = writeln!(
            o,
            "{}- ▲ {}: {} before → {} after{} ({} and {} observations in the {} days either side)",
            indent(depth + 1),
            inline_or_dash(&m.name),
            f(c.before.mean),
            f(c.after.mean),
            target,
            c.before.count,
            c.after.count,
            crate::model::validation::WINDOW_DAYS,
        );
    }
    for t in &n.tests {
        let mut facts = vec![t.result.label().to_string(), t.kind.label().to_string()];
        if !t.method.trim().is_empty() {
            facts.push(format!("method: {}", md_inline(&t.method)));
        }
        if !t.criterion.trim().is_empty() {
            facts.push(format!("passes if: {}", md_inline(&t.criterion)));
        }
        if !t.owner.trim().is_empty() {
            facts.push(format!("owner {}", md_inline(&t.owner)));
        }
        if let Some(d) = t.due {
            facts.push(format!("due {d}"));
        }
        if !t.evidence.is_empty() {
            facts.push(format!("{} evidence", t.evidence.len()));
        }
        let _ = writeln!(
            o,
            "{}- {} Test: {} — {}",
            indent(depth + 1),
            t.result.glyph(),
            inline_or_dash(&t.assumption),
            facts.join(" · ")
        );
    }
}

fn roadmap_section(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Roadmap\n");
    for (lane, items) in roadmap(ws) {
        if lane == "Unplanned" && items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {lane}\n");
        if items.is_empty() {
            let _ = writeln!(o, "Nothing here yet.\n");
            continue;
        }
        for (opp, s) in items {
            let score = match s {
                Score::Manual(_) | Score::Outcome(_) => format!("score {}", score_text(s)),
                Score::Unscored => score_text(s),
            };
            let _ = writeln!(
                o,
                "- {} — {} · {}",
                inline_or_dash(&opp.title),
                opp.status.label(),
                score
            );
        }
        o.push('\n');
    }
}

fn metrics(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Metrics\n");
    if ws.metrics.is_empty() {
        let _ = writeln!(
            o,
            "No metrics yet: nothing validates the value delivered.\n"
        );
        return;
    }
    row(
        o,
        &[
            "Metric",
            "Latest",
            "Target",
            "Baseline",
            "Direction",
            "Verdict",
            "Validates",
        ]
        .map(String::from),
    );
    separator(o, 7);
    for m in &ws.metrics {
        let latest = m.latest().map_or("no observation yet".to_string(), |x| {
            format!("{} ({})", metric_value(m, Some(x.value)), x.date)
        });
        let verdict = Verdict::of(m).marked();
        let mut validates = Vec::new();
        if let Some(a) = &m.activity {
            validates.push(md_inline(&activity_label(ws, a)));
        }
        if let Some(id) = &m.opportunity {
            validates.push(match ws.opportunity(id) {
                Some(x) => md_inline(&x.title),
                None => md_inline(&format!("{id} (missing)")),
            });
        }
        row(
            o,
            &[
                inline_or_dash(&m.name),
                latest,
                metric_value(m, m.target),
                metric_value(m, m.baseline),
                m.direction.label().into(),
                verdict,
                if validates.is_empty() {
                    "—".into()
                } else {
                    validates.join("; ")
                },
            ],
        );
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "Verdict compares the latest observation with the target in the metric's direction.\n"
    );
    let computed: Vec<&Metric> = ws.metrics.iter().filter(|m| m.is_derived()).collect();
    if !computed.is_empty() {
        let _ = writeln!(o, "Computed metrics:\n");
        for m in computed {
            let how = match (&m.formula, &m.adoption) {
                (Some(f), _) => format!("`{}`", f.replace('`', "'")),
                (None, Some(a)) => format!(
                    "adoption rate of {}{}",
                    md_inline(&ws.target_name(&a.target)),
                    if a.voluntary {
                        ", by free choice only"
                    } else {
                        ""
                    }
                ),
                (None, None) => String::new(),
            };
            let _ = writeln!(o, "- **{}** = {how}", inline_or_dash(&m.name));
        }
        o.push('\n');
    }
    let watched: Vec<String> = ws
        .personas
        .iter()
        .filter_map(|p| {
            let names: Vec<String> = ws
                .metrics
                .iter()
                .filter(|m| m.personas.contains(&p.id))
                .map(|m| md_inline(&m.name))
                .collect();
            (!names.is_empty())
                .then(|| format!("- {}: {}", inline_or_dash(&p.name), names.join(", ")))
        })
        .collect();
    if !watched.is_empty() {
        let _ = writeln!(
            o,
            "Watched by persona (metrics linked to no persona are everyone's):\n"
        );
        for w in watched {
            let _ = writeln!(o, "{w}");
        }
        o.push('\n');
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{}%", num(v)))
}

fn adoption(o: &mut String, ws: &Workspace) {
    let _ = writeln!(o, "## Adoption\n");
    if ws.items.teams.is_empty() {
        let _ = writeln!(o, "No consumer teams yet.\n");
        return;
    }
    let targets = ws.adoption_targets();
    let mut head = vec![
        "Team".to_string(),
        "Size".into(),
        "Persona".into(),
        "Counted from".into(),
    ];
    head.extend(targets.iter().map(|t| md_inline(&ws.target_name(t))));
    row(o, &head);
    separator(o, head.len());
    let today = targets
        .iter()
        .flat_map(|t| ws.adoption_over_time(t))
        .map(|r| r.date)
        .max();
    for t in ws.teams() {
        let mut cells = vec![
            inline_or_dash(&t.name),
            t.size.map_or("—".into(), |n| n.to_string()),
            t.persona
                .as_ref()
                .map_or("—".into(), |p| md_inline(&persona_name(ws, p))),
            ws.team_start(&t.id).map_or("—".into(), |d| d.to_string()),
        ];
        for target in &targets {
            let s = today.and_then(|d| ws.standing(&t.id, target, d));
            cells.push(s.map_or("—".into(), |s| {
                format!(
                    "{} {}{}",
                    s.state.glyph(),
                    s.state.label(),
                    if s.mandated { " (mandated)" } else { "" }
                )
            }));
        }
        row(o, &cells);
    }
    o.push('\n');
    for target in &targets {
        let _ = writeln!(o, "### {}\n", md_inline(&ws.target_name(target)));
        row(
            o,
            &["Date", "Adopted", "By free choice", "Trialling", "Teams"].map(String::from),
        );
        separator(o, 5);
        for r in ws.adoption_over_time(target) {
            row(
                o,
                &[
                    r.date.to_string(),
                    format!("{} ({})", pct(r.all()), r.adopted),
                    format!("{} ({})", pct(r.voluntary()), r.voluntary),
                    r.trialling.to_string(),
                    r.teams.to_string(),
                ],
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "A team's state is its latest record. The rate on a date counts adopted teams of the teams that existed then: a team counts from its since date, else from its first record, and a team with neither on every date. The free-choice rate counts only the teams that were not mandated.\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_escapes_structure() {
        assert_eq!(md_inline("a|b"), "a\\|b");
        assert_eq!(md_inline("# head"), "\\# head");
        assert_eq!(md_inline("x # y"), "x # y");
        assert_eq!(md_inline("<script>"), "\\<script\\>");
        assert_eq!(md_inline("line\nbreak"), "line break");
        assert_eq!(md_inline("1. item"), "1\\. item");
        assert_eq!(md_inline("12)"), "12\\)");
        assert_eq!(md_inline("99.78%"), "99.78%");
        assert_eq!(md_inline("- item"), "\\- item");
        assert_eq!(md_inline("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(md_inline("a\\|b"), "a\\\\\\|b");
    }
}
