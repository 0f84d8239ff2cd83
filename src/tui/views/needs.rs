//! The Needs map view (7): the user needs map as rows of boxes, one row per
//! layer (end-user needs on top, infrastructure at the bottom), with the
//! "depends on" edges drawn between them. Selecting a node highlights what
//! it serves up the edges (the end-user needs marked ★, the nodes on the
//! way ▲) and what it relies on below (▼); the detail lists the needs it
//! serves and the opportunities attached along the way. Marks are glyphs,
//! so the highlight reads without colour.

use std::collections::{BTreeMap, BTreeSet};

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::needs::{NeedsLayer, NeedsNode, Reach};
use crate::model::{EntityRef, Id, Kind, Workspace};
use crate::text::{fit, sanitize, truncate, width};
use crate::tui::action::Action;
use crate::tui::layer::Cx;

/// The view's state: the selected layer, and the selected node in it (by
/// id, so that it stays selected while nodes come and go).
#[derive(Default)]
pub struct NeedsView {
    pub layer: usize,
    pub index: usize,
    pub node: Option<Id>,
}

/// The layers and the nodes of each, in drawing order.
struct Grid<'a> {
    layers: Vec<NeedsLayer>,
    rows: Vec<Vec<&'a NeedsNode>>,
}

fn grid(ws: &Workspace) -> Grid<'_> {
    let layers = ws.needs_layers();
    let rows = layers.iter().map(|l| ws.nodes_in_layer(&l.id)).collect();
    Grid { layers, rows }
}

impl NeedsView {
    /// Puts the cursor back on its node after a change (or nearby when it
    /// went away).
    pub fn refresh(&mut self, ws: &Workspace) {
        let g = grid(ws);
        if let Some(id) = &self.node
            && let Some((l, i)) = find(&g, id)
        {
            self.layer = l;
            self.index = i;
            return;
        }
        self.clamp(&g);
    }

    fn clamp(&mut self, g: &Grid) {
        self.layer = self.layer.min(g.layers.len().saturating_sub(1));
        let n = g.rows.get(self.layer).map_or(0, Vec::len);
        self.index = self.index.min(n.saturating_sub(1));
        self.node = g
            .rows
            .get(self.layer)
            .and_then(|r| r.get(self.index))
            .map(|n| n.id.clone());
    }

    /// Moves by `dl` layers and `dn` nodes.
    pub fn step(&mut self, ws: &Workspace, dl: isize, dn: isize) {
        let g = grid(ws);
        if g.layers.is_empty() {
            return;
        }
        self.layer = (self.layer as isize + dl).clamp(0, g.layers.len() as isize - 1) as usize;
        let n = g.rows[self.layer].len();
        self.index = (self.index as isize + dn).clamp(0, n.saturating_sub(1) as isize) as usize;
        self.node = None;
        self.clamp(&g);
    }

    /// The first layer (`top`) or the last.
    pub fn jump(&mut self, ws: &Workspace, top: bool) {
        let g = grid(ws);
        self.layer = if top {
            0
        } else {
            g.layers.len().saturating_sub(1)
        };
        self.index = 0;
        self.node = None;
        self.clamp(&g);
    }

    /// Selects a node or a layer.
    pub fn show(&mut self, ws: &Workspace, e: &EntityRef) {
        let g = grid(ws);
        match e {
            EntityRef::Item(Kind::NeedsNode, id) => {
                if let Some((l, i)) = find(&g, id) {
                    self.layer = l;
                    self.index = i;
                    self.node = Some(id.clone());
                }
            }
            EntityRef::Item(Kind::NeedsLayer, id) => {
                if let Some(l) = g.layers.iter().position(|x| &x.id == id) {
                    self.layer = l;
                    self.index = 0;
                    self.node = None;
                    self.clamp(&g);
                }
            }
            _ => {}
        }
    }

    /// The selected node's id.
    pub fn selected_node(&self, ws: &Workspace) -> Option<Id> {
        self.node
            .as_ref()
            .filter(|id| ws.items.nodes.contains_key(*id))
            .cloned()
    }

    /// The selected layer.
    pub fn selected_layer(&self, ws: &Workspace) -> Option<NeedsLayer> {
        ws.needs_layers().into_iter().nth(self.layer)
    }

    /// What rename and delete act on: the node, or the layer when it has
    /// no node.
    pub fn selection(&self, ws: &Workspace) -> Option<EntityRef> {
        match self.selected_node(ws) {
            Some(id) => Some(EntityRef::Item(Kind::NeedsNode, id)),
            None => self
                .selected_layer(ws)
                .map(|l| EntityRef::Item(Kind::NeedsLayer, l.id)),
        }
    }

    pub fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let ws = cx.ws;
        let t = cx.theme;
        let g = grid(ws);
        let side = area.width >= 110;
        let full_rows = map_rows(g.layers.len(), true) as u16 + 2;
        let compact_rows = map_rows(g.layers.len(), false) as u16 + 2;
        let [map_area, detail_area] = if side {
            Layout::horizontal([Constraint::Min(40), Constraint::Length(area.width / 3)])
                .areas(area)
        } else {
            let detail_min = 5u16;
            let room = area.height.saturating_sub(detail_min);
            let h = if full_rows <= room {
                full_rows
            } else {
                compact_rows.min(room)
            };
            Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(area)
        };
        let title = format!(
            " Needs map: {} · {} ",
            crate::text::count(g.layers.len(), "layer"),
            crate::text::count(ws.items.nodes.len(), "node")
        );
        let title = if width(&title) + 2 <= map_area.width as usize {
            title
        } else {
            " Needs map ".to_string()
        };
        let block = Block::bordered()
            .border_style(t.focus_border())
            .title(Span::styled(title, t.title()))
            .title_bottom(hints(cx));
        let inner = block.inner(map_area);
        f.render_widget(block, map_area);
        let sel = self.selected_node(ws);
        let reach = sel.as_ref().map(|id| ws.reach(id)).unwrap_or_default();
        draw_map(cx, f.buffer_mut(), inner, &g, self, sel.as_ref(), &reach);
        detail(cx, f, detail_area, &g, self, sel.as_ref(), &reach);
    }
}

fn find(g: &Grid, id: &Id) -> Option<(usize, usize)> {
    g.rows
        .iter()
        .enumerate()
        .find_map(|(l, r)| r.iter().position(|n| &n.id == id).map(|i| (l, i)))
}

fn hints(cx: &Cx) -> Line<'static> {
    let t = cx.theme;
    Line::from(Span::styled(
        format!(
            " {} add  {} depends on  {} unlink  {} edit  {} layer ",
            cx.hint(Action::Add),
            cx.hint(Action::Link),
            cx.hint(Action::Unlink),
            cx.hint(Action::Open),
            cx.hint(Action::AddPhase),
        ),
        t.dim(),
    ))
}

/// Rows the map takes for `layers` layers: boxes 3 rows high with 2 rows
/// between them (`full`), or 1 row high with 1 row between.
fn map_rows(layers: usize, full: bool) -> usize {
    let (bh, gap) = if full { (3, 2) } else { (1, 1) };
    layers * bh + layers.saturating_sub(1) * gap
}

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

fn line_char(bits: u8) -> char {
    match bits {
        b if b == UP | DOWN => '│',
        b if b == LEFT | RIGHT => '─',
        b if b == UP | RIGHT => '└',
        b if b == UP | LEFT => '┘',
        b if b == DOWN | RIGHT => '┌',
        b if b == DOWN | LEFT => '┐',
        b if b == UP | DOWN | RIGHT => '├',
        b if b == UP | DOWN | LEFT => '┤',
        b if b == LEFT | RIGHT | DOWN => '┬',
        b if b == LEFT | RIGHT | UP => '┴',
        b if b == UP | DOWN | LEFT | RIGHT => '┼',
        UP => '╵',
        DOWN => '╷',
        LEFT => '╴',
        _ => '╶',
    }
}

/// How a node is marked for the selection.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Selected,
    /// An end-user need (top layer) the selection serves.
    Need,
    /// Another node the selection serves.
    Serves,
    /// A node the selection relies on.
    Relies,
}

impl Mark {
    fn glyph(self) -> &'static str {
        match self {
            Mark::None => "",
            Mark::Selected => "● ",
            Mark::Need => "★ ",
            Mark::Serves => "▲ ",
            Mark::Relies => "▼ ",
        }
    }
}

fn mark(id: &Id, layer: usize, sel: Option<&Id>, reach: &Reach) -> Mark {
    if sel == Some(id) {
        Mark::Selected
    } else if reach.serves.contains(id) {
        if layer == 0 { Mark::Need } else { Mark::Serves }
    } else if reach.relies_on.contains(id) {
        Mark::Relies
    } else {
        Mark::None
    }
}

fn set(buf: &mut Buffer, area: Rect, x: i32, y: i32, s: &str, style: Style) {
    if x < area.x as i32 || y < area.y as i32 || y >= area.bottom() as i32 {
        return;
    }
    if x >= area.right() as i32 {
        return;
    }
    let room = (area.right() as i32 - x) as usize;
    buf.set_stringn(x as u16, y as u16, s, room, style);
}

/// Draws the layers, the edges and the boxes into `area`.
fn draw_map(
    cx: &Cx,
    buf: &mut Buffer,
    area: Rect,
    g: &Grid,
    view: &NeedsView,
    sel: Option<&Id>,
    reach: &Reach,
) {
    let t = cx.theme;
    if area.width < 4 || area.height < 1 || g.layers.is_empty() {
        return;
    }
    let full = map_rows(g.layers.len(), true) <= area.height as usize;
    let (bh, gap) = if full { (3i32, 2i32) } else { (1, 1) };
    let band = bh + gap;
    // Layers shown: all, or a window around the selected one.
    let fit_layers = ((area.height as i32 + gap) / band).max(1) as usize;
    let first = if g.layers.len() <= fit_layers {
        0
    } else {
        (view.layer + 1).saturating_sub(fit_layers)
    };
    let label_w = (area.width / 5).clamp(8, 18) as i32;
    let x0 = area.x as i32 + label_w + 1;
    let map_w = area.right() as i32 - x0;
    let widest = g.rows.iter().map(Vec::len).max().unwrap_or(0).max(1) as i32;
    let bw = ((map_w - 1) / widest - 2).clamp(10, 26);
    let step = bw + 2;
    // One horizontal scroll for every layer: the selected node in view.
    let sel_right = (view.index as i32 + 1) * step;
    let hscroll = (sel_right - map_w).max(0);
    let top = |l: usize| area.y as i32 + (l as i32 - first as i32) * band;
    let left = |l: usize, i: usize| {
        let n = g.rows[l].len() as i32;
        let total = n * step - 2;
        let offset = if total <= map_w {
            (map_w - total) / 2
        } else {
            -hscroll
        };
        x0 + offset + i as i32 * step
    };
    let mut pos: BTreeMap<&Id, (usize, i32)> = BTreeMap::new();
    for (l, row) in g.rows.iter().enumerate() {
        for (i, n) in row.iter().enumerate() {
            pos.insert(&n.id, (l, left(l, i) + bw / 2));
        }
    }
    // Edges: down from the box, along the first row below it, down to the
    // box it depends on.
    let mut bits: BTreeMap<(i32, i32), (u8, bool)> = BTreeMap::new();
    let mut add = |x: i32, y: i32, b: u8, hl: bool| {
        let e = bits.entry((x, y)).or_insert((0, false));
        e.0 |= b;
        e.1 |= hl;
    };
    // An edge is on the selection's chain when it leads up from the
    // selection (its lower end serves it or is it) or down from it.
    let on_chain = |a: &Id, d: &Id| {
        sel.is_some()
            && (sel == Some(d)
                || reach.serves.contains(d)
                || sel == Some(a)
                || reach.relies_on.contains(a))
    };
    let mut ends: Vec<(i32, i32, bool, bool)> = Vec::new();
    for (la, row) in g.rows.iter().enumerate() {
        for a in row {
            let Some(&(_, xa)) = pos.get(&a.id) else {
                continue;
            };
            for d in &a.depends_on {
                let Some(&(lb, xb)) = pos.get(d) else {
                    continue;
                };
                if lb <= la {
                    continue;
                }
                let hl = on_chain(&a.id, d);
                let r = top(la) + bh;
                let yb = top(lb);
                let horiz = if xb > xa {
                    RIGHT
                } else if xb < xa {
                    LEFT
                } else {
                    DOWN
                };
                add(xa, r, UP | horiz, hl);
                let (lo, hi) = (xa.min(xb), xa.max(xb));
                for x in lo + 1..hi {
                    add(x, r, LEFT | RIGHT, hl);
                }
                if xb != xa {
                    add(xb, r, DOWN | if xb > xa { LEFT } else { RIGHT }, hl);
                }
                for y in r + 1..yb {
                    add(xb, y, UP | DOWN, hl);
                }
                if full {
                    ends.push((xa, r - 1, hl, true));
                    ends.push((xb, yb, hl, false));
                }
            }
        }
    }
    for ((x, y), (b, hl)) in &bits {
        let style = if *hl { t.accent() } else { t.dim() };
        set(buf, area, *x, *y, &line_char(*b).to_string(), style);
    }
    // Layer names on the left, boxes on their rows.
    for (l, layer) in g.layers.iter().enumerate().skip(first) {
        let y = top(l);
        if y + bh > area.bottom() as i32 {
            break;
        }
        let style = if l == view.layer { t.title() } else { t.dim() };
        let name = sanitize(&layer.name);
        let words = wrap_words(&name, label_w as usize, bh as usize);
        for (k, w) in words.iter().enumerate() {
            set(buf, area, area.x as i32, y + k as i32, w, style);
        }
        if g.rows[l].is_empty() {
            let style = if l == view.layer {
                t.selected()
            } else {
                t.dim()
            };
            let msg = format!("(no node yet: {} adds one)", cx.hint(Action::Add));
            set(
                buf,
                area,
                x0,
                y + bh / 2,
                &truncate(&msg, map_w.max(0) as usize),
                style,
            );
        }
        for (i, n) in g.rows[l].iter().enumerate() {
            let x = left(l, i);
            let m = mark(&n.id, l, sel, reach);
            let style = match m {
                Mark::Selected => t.selected(),
                Mark::Need | Mark::Serves | Mark::Relies => t.accent().add_modifier(Modifier::BOLD),
                Mark::None => t.text(),
            };
            let label = format!("{}{}", m.glyph(), sanitize(&n.name));
            if full {
                let inner = (bw - 2).max(1) as usize;
                let (tl, tr, bl, br, h, v) = if m == Mark::Selected {
                    ('┏', '┓', '┗', '┛', '━', '┃')
                } else {
                    ('╭', '╮', '╰', '╯', '─', '│')
                };
                let edge = h.to_string().repeat(inner);
                let border = if m == Mark::None { t.border() } else { style };
                set(buf, area, x, y, &format!("{tl}{edge}{tr}"), border);
                set(buf, area, x, y + 1, &v.to_string(), border);
                set(buf, area, x + 1, y + 1, &fit(&label, inner), style);
                set(buf, area, x + bw - 1, y + 1, &v.to_string(), border);
                set(buf, area, x, y + 2, &format!("{bl}{edge}{br}"), border);
            } else {
                let inner = (bw - 2).max(1) as usize;
                let text = format!("[{}]", fit(&label, inner));
                set(buf, area, x, y, &text, style);
            }
        }
    }
    // Where an edge meets a box border.
    for (x, y, hl, below) in ends {
        if x < area.x as i32
            || x >= area.right() as i32
            || y < area.y as i32
            || y >= area.bottom() as i32
        {
            continue;
        }
        let Some(cell) = buf.cell_mut((x as u16, y as u16)) else {
            continue;
        };
        let c = match (cell.symbol(), below) {
            ("─", true) => "┬",
            ("━", true) => "┳",
            ("─", false) => "┴",
            ("━", false) => "┻",
            _ => continue,
        };
        cell.set_symbol(c);
        if hl {
            let style = cell.style().patch(t.accent());
            cell.set_style(style);
        }
    }
}

/// `text` in at most `rows` lines of `w` columns, cut at words.
fn wrap_words(text: &str, w: usize, rows: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let next = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width(&next) <= w || cur.is_empty() {
            cur = next;
        } else {
            out.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.len() > rows {
        let rest = out.split_off(rows - 1).join(" ");
        out.push(rest);
    }
    out.into_iter().map(|l| truncate(&l, w)).collect()
}

fn names(ws: &Workspace, ids: impl IntoIterator<Item = Id>) -> Vec<String> {
    ids.into_iter()
        .map(|id| {
            ws.items
                .nodes
                .get(&id)
                .map_or_else(|| format!("{id} (missing)"), |n| sanitize(&n.name))
        })
        .collect()
}

fn field<'a>(cx: &Cx, label: &str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label}: "), cx.theme.dim()),
        Span::styled(value, cx.theme.text()),
    ])
}

fn detail(
    cx: &Cx,
    f: &mut Frame,
    area: Rect,
    g: &Grid,
    view: &NeedsView,
    sel: Option<&Id>,
    reach: &Reach,
) {
    if area.height < 3 {
        return;
    }
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    let problems = ws.needs_edge_problems();
    if !problems.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "⚠ {}: valuemap check lists them",
                crate::text::count(problems.len(), "edge problem")
            ),
            t.warn(),
        )));
    }
    let layer_name = |id: &Id| {
        g.layers
            .iter()
            .find(|l| &l.id == id)
            .map_or_else(|| format!("{id} (unknown layer)"), |l| sanitize(&l.name))
    };
    match sel.and_then(|id| ws.items.nodes.get(id)) {
        Some(n) => {
            lines.push(Line::from(vec![
                Span::styled(format!("● {}", sanitize(&n.name)), t.title()),
                Span::styled(format!("  {}", layer_name(&n.layer)), t.accent()),
            ]));
            if !n.description.is_empty() {
                lines.extend(n.description.lines().map(|l| Line::from(sanitize(l))));
            }
            if !n.depends_on.is_empty() {
                lines.push(field(
                    cx,
                    "Depends on",
                    names(ws, n.depends_on.clone()).join(", "),
                ));
            }
            let top: BTreeSet<&Id> = g
                .rows
                .first()
                .map_or(BTreeSet::new(), |r| r.iter().map(|n| &n.id).collect());
            let needs: Vec<Id> = reach
                .serves
                .iter()
                .filter(|id| top.contains(id))
                .cloned()
                .collect();
            let through: Vec<Id> = reach
                .serves
                .iter()
                .filter(|id| !top.contains(id))
                .cloned()
                .collect();
            if top.contains(&n.id) {
                lines.push(field(
                    cx,
                    "An end-user need; relies on",
                    crate::text::count(reach.relies_on.len(), "node"),
                ));
            } else {
                let list = names(ws, needs.clone());
                lines.push(field(
                    cx,
                    &format!(
                        "★ Serves {}",
                        crate::text::count(needs.len(), "end-user need")
                    ),
                    if list.is_empty() {
                        "none yet".into()
                    } else {
                        list.join(", ")
                    },
                ));
                if !through.is_empty() {
                    lines.push(field(cx, "▲ Through", names(ws, through).join(", ")));
                }
            }
            // Up from the node; for an end-user need, down what it relies on.
            let mut opps = reach.opportunities.clone();
            let label = if top.contains(&n.id) {
                for id in &reach.relies_on {
                    for o in ws.items.nodes.get(id).map_or(&[][..], |n| &n.opportunities) {
                        if !opps.contains(o) {
                            opps.push(o.clone());
                        }
                    }
                }
                "Opportunities in what it relies on"
            } else {
                "Opportunities along the way"
            };
            lines.push(Line::from(Span::styled(
                format!("{label} ({}):", opps.len()),
                t.dim(),
            )));
            for o in &opps {
                let text = match ws.opportunity(o) {
                    Some(o) => format!("  ◆ {} · {}", sanitize(&o.title), o.status.label()),
                    None => format!("  ◆ {o} (missing)"),
                };
                lines.push(Line::from(text));
            }
            let persona: Vec<String> = n
                .personas
                .iter()
                .map(|p| {
                    ws.persona(p)
                        .map_or_else(|| format!("{p} (missing)"), |p| sanitize(&p.name))
                })
                .collect();
            if !persona.is_empty() {
                lines.push(field(cx, "Personas", persona.join(", ")));
            }
            let acts: Vec<String> = n
                .activities
                .iter()
                .map(|a| {
                    ws.activity(a)
                        .map_or_else(|| format!("{a} (missing)"), |a| sanitize(&a.name))
                })
                .collect();
            if !acts.is_empty() {
                lines.push(field(cx, "Activities", acts.join(", ")));
            }
        }
        None => {
            if let Some(l) = g.layers.get(view.layer) {
                lines.push(Line::from(Span::styled(
                    format!("Layer: {}", sanitize(&l.name)),
                    t.title(),
                )));
                if !l.description.is_empty() {
                    lines.push(Line::from(sanitize(&l.description)));
                }
            }
            lines.push(Line::from(Span::styled(
                format!(
                    "{} adds a node here, {} a layer below; on a node, {} makes it depend on a node of a lower layer.",
                    cx.hint(Action::Add),
                    cx.hint(Action::AddPhase),
                    cx.hint(Action::Link)
                ),
                t.dim(),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
