//! The Adoption view (8): consumer teams down; across, the platform
//! capabilities of the needs map, then the activities of the map. Each
//! cell is the team's state as of today with a glyph and a word (so it
//! reads without colour), `(m)` where the team was told to use it. Below,
//! the selected column's adoption over time (all teams, and by free
//! choice) and the selected cell's history.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::adoption::Rates;
use crate::model::{AdoptionState, EntityRef, Id, Kind, Target, Team, Workspace};
use crate::text::{fit, sanitize};
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::ListState;

/// The width of the team column and of each capability or activity column.
const TEAM_W: u16 = 22;
const COL_W: u16 = 15;

/// The cursor: a team (row) and a column (0: the team's name, then the
/// targets, see [`targets`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct AdoptionView {
    pub list: ListState,
    pub col: usize,
    pub first_col: usize,
}

/// The targets shown: the platform capabilities of the needs map, the
/// activities in map order, then anything else adoption was recorded for.
pub fn targets(ws: &Workspace) -> Vec<Target> {
    let mut v = ws.adoptable_targets();
    for t in ws.adoption_targets() {
        if !v.contains(&t) {
            v.push(t);
        }
    }
    v
}

impl AdoptionView {
    pub fn clamp(&mut self, ws: &Workspace) {
        self.list.clamp(ws.items.teams.len());
        self.col = self.col.min(targets(ws).len());
    }

    /// The selected team.
    pub fn team<'a>(&self, ws: &'a Workspace) -> Option<&'a Team> {
        ws.teams().get(self.list.selected).copied()
    }

    /// The selected target (none on the names column).
    pub fn target(&self, ws: &Workspace) -> Option<Target> {
        self.col
            .checked_sub(1)
            .and_then(|i| targets(ws).get(i).cloned())
    }

    pub fn selection(&self, ws: &Workspace) -> Option<EntityRef> {
        self.team(ws)
            .map(|t| EntityRef::Item(Kind::Team, t.id.clone()))
    }

    /// Shows a team or a record's cell.
    pub fn show(&mut self, ws: &Workspace, team: &Id, target: Option<&Target>) {
        if let Some(i) = ws.teams().iter().position(|t| &t.id == team) {
            self.list.selected = i;
        }
        if let Some(c) = target.and_then(|t| targets(ws).iter().position(|x| x == t)) {
            self.col = c + 1;
        }
    }

    /// Moves the cursor; returns whether `a` was a move.
    pub fn step(&mut self, a: Action, ws: &Workspace, size: (u16, u16)) -> bool {
        let rows = ws.items.teams.len();
        let cols = targets(ws).len() + 1;
        let page = grid_rows(size).max(1);
        match a {
            Action::Up => self.list.step(-1, rows),
            Action::Down => self.list.step(1, rows),
            Action::PageUp => self.list.step(-(page as isize), rows),
            Action::PageDown => self.list.step(page as isize, rows),
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = (self.col + 1).min(cols - 1),
            Action::Top => {
                self.list.selected = 0;
                self.col = 0;
            }
            Action::Bottom => {
                self.list.selected = rows.saturating_sub(1);
                self.col = cols - 1;
            }
            _ => return false,
        }
        self.scroll(size);
        true
    }

    pub fn scroll(&mut self, size: (u16, u16)) {
        self.list.scroll_into_view(grid_rows(size));
        let vis = visible_cols(size.0);
        if self.col >= 1 {
            let c = self.col - 1;
            if c < self.first_col {
                self.first_col = c;
            } else if c >= self.first_col + vis {
                self.first_col = c + 1 - vis;
            }
        }
    }
}

/// Rows of teams the grid shows in a terminal of `size`.
fn grid_rows(size: (u16, u16)) -> usize {
    // Tabs, status, the grid's borders, its three header lines (groups,
    // names, rates), the panels below.
    let h = size.1.saturating_sub(2);
    let grid = h.saturating_sub(panel_height(h));
    grid.saturating_sub(2 + HEAD) as usize
}

/// Lines above the teams: the groups of columns, their names, the rates.
const HEAD: u16 = 3;

/// The group a column belongs to, named over its first column.
fn group(ws: &Workspace, t: &Target) -> &'static str {
    match t {
        Target::Capability(id)
            if ws
                .items
                .nodes
                .get(id)
                .is_some_and(|n| n.layer.as_str() == crate::model::needs::PLATFORM_LAYER) =>
        {
            "Platform capabilities"
        }
        Target::Capability(_) => "Needs-map nodes",
        Target::Activity(_) => "Activities",
    }
}

fn panel_height(h: u16) -> u16 {
    (h * 2 / 5).clamp(4, 14).min(h.saturating_sub(4))
}

fn visible_cols(width: u16) -> usize {
    (width.saturating_sub(2 + TEAM_W) / COL_W).max(1) as usize
}

/// A cell's text: glyph, word, and `(m)` when mandated.
fn cell_text(state: Option<(AdoptionState, bool)>) -> String {
    match state {
        None => "  –".into(),
        Some((s, m)) => format!("{} {}{}", s.glyph(), s.label(), if m { " (m)" } else { "" }),
    }
}

fn state_style(cx: &Cx, s: Option<AdoptionState>) -> Style {
    let t = cx.theme;
    match s {
        Some(AdoptionState::Adopted) => t.ok(),
        Some(AdoptionState::Trialling) => t.warn(),
        Some(AdoptionState::Dropped) => t.error(),
        Some(AdoptionState::NotAdopted) | None => t.dim(),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.0}%"))
}

pub fn render(v: &AdoptionView, cx: &Cx, f: &mut Frame, area: Rect) {
    let (ws, t) = (cx.ws, cx.theme);
    let [grid, panels] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(panel_height(area.height)),
    ])
    .areas(area);
    let teams = ws.teams();
    let all = targets(ws);
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(
            format!(
                " Adoption · {} teams, as of {} ",
                teams.len(),
                cx.today.format("%Y-%m-%d")
            ),
            t.title(),
        ))
        .title_bottom(Span::styled(
            format!(
                " {} add team  {} record  {} rename  {} delete · ● adopted ◐ trialling ✗ dropped · not adopted (m) mandated ",
                cx.hint(Action::Add),
                cx.hint(Action::Open),
                cx.hint(Action::Rename),
                cx.hint(Action::Delete),
            ),
            t.dim(),
        ));
    let inner = block.inner(grid);
    f.render_widget(block, grid);
    if teams.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "No consumer teams yet. Press {} to add one, then record which platform capabilities (or activities) each team uses, by free choice or mandated, here or with `valuemap adopt`.",
                    cx.hint(Action::Add)
                ),
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let vis = visible_cols(area.width);
    let shown: Vec<(usize, &Target)> = all.iter().enumerate().skip(v.first_col).take(vis).collect();
    let mut lines = Vec::new();
    // The groups: each named over its first shown column, with a rule
    // over the rest, so a capability reads apart from an activity.
    let mut band = vec![Span::raw(" ".repeat(TEAM_W as usize))];
    let mut i = 0;
    while i < shown.len() {
        let g = group(ws, shown[i].1);
        let run = shown[i..]
            .iter()
            .take_while(|(_, x)| group(ws, x) == g)
            .count();
        let w = run * COL_W as usize;
        let label = format!("{g} ");
        let rule = "─".repeat(w.saturating_sub(crate::text::width(&label) + 1));
        band.push(Span::styled(fit(&format!("{label}{rule}"), w), t.dim()));
        i += run;
    }
    lines.push(Line::from(band));
    let mut head = vec![Span::styled(fit("Team", TEAM_W as usize), t.dim())];
    for (i, target) in &shown {
        let name = fit(&sanitize(&ws.target_name(target)), COL_W as usize - 1);
        let style = if v.col == i + 1 {
            t.selected()
        } else {
            t.title()
        };
        head.push(Span::styled(name, style));
        head.push(Span::raw(" "));
    }
    lines.push(Line::from(head));
    let mut rates = vec![Span::styled(
        fit("adopted · free", TEAM_W as usize),
        t.dim(),
    )];
    for (_, target) in &shown {
        let r = ws.adoption_rates(target, cx.today);
        rates.push(Span::styled(
            fit(
                &format!("{} · {}", pct(r.all()), pct(r.voluntary())),
                COL_W as usize,
            ),
            t.dim(),
        ));
    }
    lines.push(Line::from(rates));
    let rows = inner.height.saturating_sub(HEAD) as usize;
    let first = v.list.window(rows, teams.len());
    for (ri, team) in teams.iter().enumerate().skip(first).take(rows) {
        let here = ri == v.list.selected;
        let size = team.size.map_or(String::new(), |n| format!(" ({n})"));
        let name = fit(&format!("{}{size}", sanitize(&team.name)), TEAM_W as usize);
        let name_style = if here && v.col == 0 {
            t.selected()
        } else if here {
            t.accent()
        } else {
            t.text()
        };
        let mut spans = vec![Span::styled(name, name_style)];
        for (ci, target) in &shown {
            let s = ws.standing(&team.id, target, cx.today);
            let text = fit(
                &cell_text(s.map(|s| (s.state, s.mandated))),
                COL_W as usize - 1,
            );
            let style = if here && v.col == ci + 1 {
                t.selected()
            } else {
                state_style(cx, s.map(|s| s.state))
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(panels);
    let target = v.target(ws);
    over_time(cx, f, left, target.as_ref());
    history(cx, f, right, v.team(ws), target.as_ref());
}

/// The selected column's rates on every date they changed.
fn over_time(cx: &Cx, f: &mut Frame, area: Rect, target: Option<&Target>) {
    let (ws, t) = (cx.ws, cx.theme);
    let title = match target {
        Some(x) => format!(" Over time · {} ", sanitize(&ws.target_name(x))),
        None => " Over time ".into(),
    };
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(target) = target else {
        f.render_widget(
            Paragraph::new(Span::styled(
                "Move right onto a capability or an activity to see its adoption over time.",
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let rates: Vec<Rates> = ws.adoption_over_time(target);
    if rates.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled("No adoption recorded yet.", t.dim())),
            inner,
        );
        return;
    }
    let mut lines = vec![Line::from(Span::styled(
        "date          all  free  adopted / teams",
        t.dim(),
    ))];
    let rows = inner.height.saturating_sub(2) as usize;
    let skip = rates.len().saturating_sub(rows);
    for r in rates.iter().skip(skip) {
        lines.push(Line::from(format!(
            "{}  {:>4}  {:>4}  {} / {} ({} free)",
            r.date.format("%Y-%m-%d"),
            pct(r.all()),
            pct(r.voluntary()),
            r.adopted,
            r.teams,
            r.voluntary
        )));
    }
    lines.push(Line::from(vec![
        Span::styled("all  ", t.dim()),
        Span::styled(spark(rates.iter().map(Rates::all)), t.accent()),
        Span::styled("  free  ", t.dim()),
        Span::styled(spark(rates.iter().map(Rates::voluntary)), t.ok()),
    ]));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Percentages as a row of bar glyphs (0–100).
fn spark(values: impl Iterator<Item = Option<f64>>) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .map(|v| match v {
            Some(v) => BARS[((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
            None => ' ',
        })
        .collect()
}

/// The selected team's records for the selected capability or activity.
fn history(cx: &Cx, f: &mut Frame, area: Rect, team: Option<&Team>, target: Option<&Target>) {
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" History ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(team) = team else {
        return;
    };
    let mut lines = Vec::new();
    let persona = team
        .persona
        .as_ref()
        .and_then(|p| ws.persona(p))
        .map_or("no persona".into(), |p| sanitize(&p.name));
    lines.push(Line::from(Span::styled(
        format!(
            "{} · {} · {}",
            sanitize(&team.name),
            team.size
                .map_or("size unknown".into(), |n| format!("{n} people")),
            persona
        ),
        t.title(),
    )));
    match target {
        None => lines.push(Line::from(Span::styled(
            format!(
                "{} edits the team; move right onto a capability or an activity to record its adoption.",
                cx.hint(Action::Open)
            ),
            t.dim(),
        ))),
        Some(target) => {
            let recs = ws.adoption_history(&team.id, target);
            if recs.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!(
                        "Nothing recorded; {} records a state.",
                        cx.hint(Action::Open)
                    ),
                    t.dim(),
                )));
            }
            let rows = inner.height.saturating_sub(1) as usize;
            for r in recs.iter().skip(recs.len().saturating_sub(rows)) {
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", date(r.date))),
                    Span::styled(
                        cell_text(Some((r.state, r.mandated))),
                        state_style(cx, Some(r.state)),
                    ),
                    Span::styled(
                        if r.comment.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", sanitize(&r.comment))
                        },
                        t.dim(),
                    ),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_without_colour() {
        assert_eq!(
            cell_text(Some((AdoptionState::Adopted, true))),
            "● adopted (m)"
        );
        assert_eq!(
            cell_text(Some((AdoptionState::Trialling, false))),
            "◐ trialling"
        );
        assert_eq!(cell_text(None), "  –");
        assert_eq!(
            spark([Some(0.0), Some(50.0), Some(100.0), None].into_iter()),
            "▁▅█ "
        );
    }
}
