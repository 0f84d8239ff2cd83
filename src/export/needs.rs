//! The user needs map in the exports: its chains (need ← capability ←
//! platform ← infrastructure) in Markdown, the map drawn as inline SVG in
//! the HTML report. A workspace without nodes gets no section.

use std::fmt::Write as _;

use maud::{Markup, html};

use crate::model::needs::NeedsNode;
use crate::model::{Id, Workspace};
use crate::text::{md_inline, sanitize};

/// At most this many chains are listed; the rest are counted.
const MAX_CHAINS: usize = 200;

fn chain_text(chain: &[&NeedsNode], name: impl Fn(&str) -> String) -> String {
    chain
        .iter()
        .map(|n| name(&n.name))
        .collect::<Vec<_>>()
        .join(" ← ")
}

/// The Markdown section.
pub(super) fn markdown(o: &mut String, ws: &Workspace) {
    if ws.items.nodes.is_empty() {
        return;
    }
    let layers = ws.needs_layers();
    let _ = writeln!(o, "## User needs map\n");
    let _ = writeln!(
        o,
        "Layers, top to bottom: {}. Each chain reads from an end-user need down to what it rests on (← depends on).\n",
        layers
            .iter()
            .map(|l| md_inline(&l.name))
            .collect::<Vec<_>>()
            .join(" → ")
    );
    let (chains, more) = ws.needs_chains(MAX_CHAINS);
    let _ = writeln!(o, "### Chains\n");
    if chains.is_empty() {
        let _ = writeln!(o, "No chain yet: no node in the top layer.\n");
    }
    for c in &chains {
        let _ = writeln!(o, "- {}", chain_text(c, md_inline));
    }
    if more > 0 {
        let _ = writeln!(o, "- … and {more} more");
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "### Nodes\n");
    for l in &layers {
        let nodes = ws.nodes_in_layer(&l.id);
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(o, "**{}**\n", md_inline(&l.name));
        for n in nodes {
            let mut line = format!("- {}", md_inline(&n.name));
            if !n.opportunities.is_empty() {
                let opps: Vec<String> = n
                    .opportunities
                    .iter()
                    .map(|id| {
                        ws.opportunity(id)
                            .map_or_else(|| format!("{id} (missing)"), |x| md_inline(&x.title))
                    })
                    .collect();
                let _ = write!(line, " — opportunities: {}", opps.join("; "));
            }
            let _ = writeln!(o, "{line}");
        }
        let _ = writeln!(o);
    }
}

const BOX_W: i32 = 170;
const BOX_H: i32 = 44;
const GAP_X: i32 = 24;
const GAP_Y: i32 = 56;
const LABEL_W: i32 = 180;
const PAD: i32 = 12;

/// `s` cut to `n` characters, with an ellipsis.
fn cut(s: &str, n: usize) -> String {
    let s = sanitize(s);
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A layer's name in at most two lines that fit the label column.
fn label_lines(name: &str) -> Vec<String> {
    const LINE: usize = 22;
    let mut lines: Vec<String> = vec![String::new()];
    for word in sanitize(name).split_whitespace() {
        let cur = lines.last_mut().expect("one line");
        if cur.is_empty() || cur.chars().count() + 1 + word.chars().count() <= LINE {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(rest);
    }
    lines.into_iter().map(|l| cut(&l, LINE)).collect()
}

/// The HTML section: the map as inline SVG, and its chains.
pub(super) fn html(ws: &Workspace) -> Markup {
    if ws.items.nodes.is_empty() {
        return html! {};
    }
    let layers = ws.needs_layers();
    let rows: Vec<Vec<&NeedsNode>> = layers.iter().map(|l| ws.nodes_in_layer(&l.id)).collect();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
    let width = LABEL_W + widest * (BOX_W + GAP_X) + PAD;
    let height = PAD * 2 + layers.len() as i32 * (BOX_H + GAP_Y) - GAP_Y;
    let top = |l: usize| PAD + l as i32 * (BOX_H + GAP_Y);
    let left = |l: usize, i: usize| {
        let n = rows[l].len() as i32;
        let total = n * (BOX_W + GAP_X) - GAP_X;
        let room = widest * (BOX_W + GAP_X) - GAP_X;
        LABEL_W + (room - total) / 2 + i as i32 * (BOX_W + GAP_X)
    };
    let mut at: std::collections::BTreeMap<&Id, (usize, i32)> = Default::default();
    for (l, r) in rows.iter().enumerate() {
        for (i, n) in r.iter().enumerate() {
            at.insert(&n.id, (l, left(l, i) + BOX_W / 2));
        }
    }
    let mut edges: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (l, r) in rows.iter().enumerate() {
        for n in r {
            for d in &n.depends_on {
                if let (Some(&(_, x1)), Some(&(lb, x2))) = (at.get(&n.id), at.get(d))
                    && lb > l
                {
                    edges.push((x1, top(l) + BOX_H, x2, top(lb)));
                }
            }
        }
    }
    let (chains, more) = ws.needs_chains(MAX_CHAINS);
    let label = format!(
        "User needs map: {} layers, {} nodes, {} depends-on edges",
        layers.len(),
        ws.items.nodes.len(),
        edges.len()
    );
    html! {
        section #needs-map {
            h2 { "User needs map" }
            p.hint {
                "From the organisation's end users' needs (top) down to the infrastructure they rest on; "
                "a line joins a node to what it depends on, below it."
            }
            div style="overflow-x:auto" {
                svg.needs-map role="img" aria-label=(label)
                    width=(width) height=(height) viewBox=(format!("0 0 {width} {height}"))
                    font-family="system-ui, sans-serif" font-size="12" {
                    title { (label) }
                    @for (l, layer) in layers.iter().enumerate() {
                        rect x="0" y=(top(l) - 6) width=(width) height=(BOX_H + 12)
                            fill=(if l % 2 == 0 { "#f4f6f8" } else { "#ffffff" }) {}
                        @let lines = label_lines(&layer.name);
                        @let first = top(l) + BOX_H / 2 + 4 - 7 * (lines.len() as i32 - 1);
                        text.layer x="6" y=(first) font-weight="600" fill="#333" {
                            @for (k, line) in lines.iter().enumerate() {
                                tspan x="6" dy=(if k == 0 { 0 } else { 14 }) { (line) }
                            }
                        }
                    }
                    @for (x1, y1, x2, y2) in &edges {
                        path.edge d=(format!("M{x1},{y1} C{x1},{} {x2},{} {x2},{y2}", (y1 + y2) / 2, (y1 + y2) / 2))
                            fill="none" stroke="#7a8794" stroke-width="1.5" {}
                    }
                    @for (l, r) in rows.iter().enumerate() {
                        @for (i, n) in r.iter().enumerate() {
                            g.node data-id=(n.id.as_str()) {
                                title {
                                    (sanitize(&n.name))
                                    @if !n.description.trim().is_empty() { " — " (sanitize(&n.description)) }
                                }
                                rect x=(left(l, i)) y=(top(l)) width=(BOX_W) height=(BOX_H) rx="6"
                                    fill="#ffffff" stroke=(if l == 0 { "#1f6feb" } else { "#57606a" })
                                    stroke-width=(if l == 0 { "2" } else { "1" }) {}
                                text x=(left(l, i) + BOX_W / 2) y=(top(l) + BOX_H / 2 + 4)
                                    text-anchor="middle" fill="#111" { (cut(&n.name, 24)) }
                            }
                        }
                    }
                }
            }
            h3 { "Chains" }
            @if chains.is_empty() {
                p.muted { "No chain yet: no node in the top layer." }
            } @else {
                ul.needs-chains {
                    @for c in &chains {
                        li { (chain_text(c, sanitize)) }
                    }
                    @if more > 0 { li.muted { "… and " (more) " more" } }
                }
            }
        }
    }
}
