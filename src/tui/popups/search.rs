//! The search popup (`/`): results update on every keystroke, grouped by
//! kind, matched characters highlighted; Enter jumps to the entity.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::input::TextInput;
use super::{Effect, Outcome, centered, popup_block};
use crate::search::{Hit, describe, fields, snippet};
use crate::text::{sanitize, truncate, width};
use crate::tui::app::App;

pub struct Search {
    pub input: TextInput,
    pub selected: usize,
}

impl Default for Search {
    fn default() -> Self {
        let mut input = TextInput::line("");
        input.set_focused(true);
        input.set_placeholder(
            "search personas, activities, notes, quotes, interviewees, opportunities, metrics…",
        );
        Search { input, selected: 0 }
    }
}

impl Search {
    pub fn handle_key(&mut self, key: KeyEvent, hits: usize) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => {
                if hits == 0 {
                    Outcome::Stay
                } else {
                    Outcome::Then(Effect::SearchJump(self.selected.min(hits - 1)))
                }
            }
            KeyCode::Down | KeyCode::Tab => {
                if hits > 0 {
                    self.selected = (self.selected + 1) % hits;
                }
                Outcome::Stay
            }
            KeyCode::Char('n') if ctrl => {
                if hits > 0 {
                    self.selected = (self.selected + 1) % hits;
                }
                Outcome::Stay
            }
            KeyCode::Up | KeyCode::BackTab => {
                if hits > 0 {
                    self.selected = (self.selected + hits - 1) % hits;
                }
                Outcome::Stay
            }
            KeyCode::Char('p') if ctrl => {
                if hits > 0 {
                    self.selected = (self.selected + hits - 1) % hits;
                }
                Outcome::Stay
            }
            _ => {
                if self.input.input(key) {
                    self.selected = 0;
                    Outcome::Keep(Effect::SearchQuery(self.input.value()))
                } else {
                    Outcome::Stay
                }
            }
        }
    }

    pub fn paste(&mut self, text: &str) -> Option<String> {
        self.input.paste(text).then(|| {
            self.selected = 0;
            self.input.value()
        })
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let t = &app.theme;
        let r = centered(area, 110, area.height.saturating_sub(2).max(5));
        f.render_widget(Clear, r);
        let s = &app.search;
        let (done, total) = s.progress();
        let status = if s.query().trim().is_empty() {
            " Search ".to_string()
        } else if done < total {
            format!(
                " Search — {} matches so far, searching {}% ",
                s.total(),
                done * 100 / total.max(1)
            )
        } else {
            format!(" Search — {} matches ", s.total())
        };
        let block = popup_block(t, &status);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [q, list, hint] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let [prefix, input] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(q);
        f.render_widget(Paragraph::new(Span::styled("/", t.accent())), prefix);
        self.input.render(f, Rect { height: 1, ..input });
        f.render_widget(
            Paragraph::new(Span::styled(
                "↑↓ choose  Enter jump  Esc close   ·   'exact ^prefix suffix$ !not",
                t.dim(),
            )),
            hint,
        );
        if s.hits.is_empty() {
            let msg = if s.query().trim().is_empty() {
                "Type to search everything."
            } else if done < total {
                "Searching…"
            } else {
                "Nothing matches."
            };
            f.render_widget(Paragraph::new(Span::styled(msg, t.dim())), list);
            return;
        }
        // Two lines per hit, group headers between kinds; keep the selection visible.
        let rows = list.height as usize;
        let selected = self.selected.min(s.hits.len() - 1);
        let mut lines: Vec<(usize, Line)> = Vec::new();
        let mut last_kind = None;
        for (i, h) in s.hits.iter().enumerate() {
            if last_kind != Some(h.kind) {
                last_kind = Some(h.kind);
                let n = s.hits.iter().filter(|x| x.kind == h.kind).count();
                lines.push((
                    i,
                    Line::from(Span::styled(format!("{} ({n})", h.kind.title()), t.title())),
                ));
            }
            lines.extend(
                hit_lines(app, h, i == selected, list.width as usize)
                    .into_iter()
                    .map(|l| (i, l)),
            );
        }
        let sel_line = lines.iter().position(|(i, _)| *i == selected).unwrap_or(0);
        let start = (sel_line + 3).saturating_sub(rows);
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(start)
            .take(rows)
            .map(|(_, l)| l)
            .collect();
        f.render_widget(Paragraph::new(shown), list);
    }
}

/// A hit as two lines: its label (highlighted where it matched, if the
/// label matched) and a snippet of the field that matched.
fn hit_lines(app: &App, h: &Hit, selected: bool, w: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let fields = fields(&app.ws, &h.target);
    let Some(field) = fields.get(h.field) else {
        return Vec::new();
    };
    let (label, context) = describe(&app.ws, &h.target);
    let marks = app.search_marks.get(&h.target);
    let base = if selected { t.selected() } else { t.text() };
    let mark = if selected {
        t.selected().patch(t.accent())
    } else {
        t.accent()
    };
    // When the label itself matched, it is highlighted; otherwise a snippet
    // of the field that matched follows.
    let label_matched = !field.long && field.text == label;
    let mut first = vec![Span::styled(if selected { "▸ " } else { "  " }, base)];
    let label = sanitize(&label);
    if label_matched {
        first.extend(highlighted(
            &truncate(&label, w.saturating_sub(30)),
            marks.map(|m| m.as_slice()).unwrap_or(&[]),
            base,
            mark,
        ));
    } else {
        first.push(Span::styled(truncate(&label, w.saturating_sub(30)), base));
    }
    let ctx = sanitize(&context);
    if !ctx.is_empty() {
        first.push(Span::styled(
            format!("  {ctx}"),
            if selected { base } else { t.dim() },
        ));
    }
    let mut lines = vec![Line::from(first)];
    if !label_matched {
        let (snip, pos) = snippet(
            &field.text,
            marks.map(|m| m.as_slice()).unwrap_or(&[]),
            w.saturating_sub(16).max(10),
        );
        let pos: Vec<u32> = pos.into_iter().map(|p| p as u32).collect();
        let mut spans = vec![Span::styled(format!("    {}: ", field.name), t.dim())];
        spans.extend(highlighted(&sanitize(&snip), &pos, t.dim(), t.accent()));
        lines.push(Line::from(spans));
    }
    lines
}

/// Spans of `text` with the characters at `marks` in `mark` style.
fn highlighted(
    text: &str,
    marks: &[u32],
    base: ratatui::style::Style,
    mark: ratatui::style::Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_marked = false;
    for (i, c) in text.chars().enumerate() {
        let m = marks.binary_search(&(i as u32)).is_ok();
        if m != cur_marked && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_marked { mark } else { base },
            ));
        }
        cur_marked = m;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_marked { mark } else { base }));
    }
    let _ = width;
    spans
}
