//! The search popup (`/`): results update on every keystroke, grouped by
//! kind, matched characters highlighted; Enter jumps to the entity. The
//! matching runs in slices between frames ([`Layer::tick`]), so typing
//! never waits for it.

use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::model::EntityRef;
use crate::model::validate::FileKey;
use crate::search::{Hit, Session, describe, fields, snippet};
use crate::text::{sanitize, truncate};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::input::{TextInput, Typed};
use crate::tui::widgets::{centered, hints, popup_block};

/// How long one slice of search matching may take between frames.
const SLICE: Duration = Duration::from_millis(4);
/// How long the slice right after a key may take: the key is drawn first,
/// the results follow a slice at a time.
const KEY_SLICE: Duration = Duration::from_millis(2);
/// How many entries are matched between clock checks.
const CHUNK: usize = 128;

pub struct Search {
    pub input: TextInput,
    pub selected: usize,
    /// The query and its results so far.
    pub session: Session,
    /// Highlighted characters of the shown results.
    marks: HashMap<EntityRef, Vec<u32>>,
    /// The query changed: set it on the next tick (with the workspace).
    pending: Option<String>,
    /// The results the highlights are for ([`Session::generation`]).
    marked: Option<u64>,
}

impl Default for Search {
    fn default() -> Self {
        let mut input = TextInput::line("");
        input.set_focused(true);
        input.set_placeholder(
            "search personas, activities, notes, quotes, interviewees, opportunities, metrics…",
        );
        Search {
            input,
            selected: 0,
            session: Session::new(),
            marks: HashMap::new(),
            pending: Some(String::new()),
            marked: None,
        }
    }
}

impl Search {
    fn typed(&mut self) {
        self.selected = 0;
        self.pending = Some(self.input.value());
    }

    /// Matches for about `slice`; returns whether more is left.
    fn slice(&mut self, cx: &Cx, slice: Duration) -> bool {
        if let Some(q) = self.pending.take() {
            self.session.set_query(cx.ws, &q);
            self.marks.clear();
            self.marked = None;
        }
        if self.session.done() {
            return false;
        }
        let start = Instant::now();
        while !self.session.step(cx.ws, CHUNK) && start.elapsed() < slice {}
        // Highlights only for results that changed.
        if self.marked != Some(self.session.generation()) {
            self.refresh_marks(cx);
            self.marked = Some(self.session.generation());
        }
        !self.session.done()
    }

    fn refresh_marks(&mut self, cx: &Cx) {
        self.marks.clear();
        let hits: Vec<Hit> = self.session.hits.iter().take(80).cloned().collect();
        for h in hits {
            let m = self.session.indices(cx.ws, &h);
            self.marks.insert(h.target, m);
        }
    }
}

impl Layer for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let hits = self.session.hits.len();
        match cx.action(Context::Search, key) {
            Some(Action::SearchClose) => Reply::close(),
            Some(Action::SearchJump) => {
                if hits == 0 {
                    Reply::stay()
                } else {
                    let target = self.session.hits[self.selected.min(hits - 1)]
                        .target
                        .clone();
                    Reply::run(Command::Jump(target))
                }
            }
            Some(Action::SearchNext) => {
                if hits > 0 {
                    self.selected = (self.selected + 1) % hits;
                }
                Reply::stay()
            }
            Some(Action::SearchPrev) => {
                if hits > 0 {
                    self.selected = (self.selected + hits - 1) % hits;
                }
                Reply::stay()
            }
            _ => {
                if self.input.key(key, cx.keys) == Typed::Changed {
                    self.typed();
                    self.slice(cx, KEY_SLICE);
                }
                Reply::stay()
            }
        }
    }

    fn paste(&mut self, text: &str, cx: &Cx) -> EventResult {
        if self.input.paste(text) {
            self.typed();
            self.slice(cx, KEY_SLICE);
        }
        Reply::stay()
    }

    fn tick(&mut self, cx: &Cx) -> bool {
        self.slice(cx, SLICE)
    }

    fn busy(&self) -> bool {
        self.pending.is_some() || !self.session.done()
    }

    fn changed(&mut self, _cx: &Cx, _files: &BTreeSet<FileKey>) {
        // The results name entities that may have changed: match again.
        self.pending = Some(self.session.query().to_string());
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let r = centered(area, 110, area.height.saturating_sub(2).max(5));
        f.render_widget(Clear, r);
        let s = &self.session;
        let (done, total) = s.progress();
        let status = if s.query().trim().is_empty() {
            " Search ".to_string()
        } else if done < total {
            format!(
                " Search — {} so far, searching {}% ",
                crate::text::count(s.total(), "match"),
                done * 100 / total.max(1)
            )
        } else {
            format!(" Search — {} ", crate::text::count(s.total(), "match"))
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
        let mut keys = hints(
            t,
            cx.keys,
            &[
                (Action::SearchNext, "next"),
                (Action::SearchJump, "jump"),
                (Action::SearchClose, "close"),
            ],
        );
        keys.spans
            .push(Span::styled("   ·   'exact ^prefix suffix$ !not", t.dim()));
        f.render_widget(Paragraph::new(keys), hint);
        if s.hits.is_empty() {
            let msg = if s.query().trim().is_empty() {
                "Type to search everything."
            } else if done < total || self.pending.is_some() {
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
                hit_lines(cx, &self.marks, h, i == selected, list.width as usize)
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

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A hit as two lines: its label (highlighted where it matched, if the
/// label matched) and a snippet of the field that matched.
fn hit_lines(
    cx: &Cx,
    marks: &HashMap<EntityRef, Vec<u32>>,
    h: &Hit,
    selected: bool,
    w: usize,
) -> Vec<Line<'static>> {
    let t = cx.theme;
    let fields = fields(cx.ws, &h.target);
    let Some(field) = fields.get(h.field) else {
        return Vec::new();
    };
    let (label, context) = describe(cx.ws, cx.stats, &h.target);
    let marks = marks.get(&h.target);
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
    spans
}
