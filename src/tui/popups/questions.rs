//! Open questions: every `? question` line across notes in one list, with
//! its note, persona and date. A question is marked answered (by a line of
//! a later note, or none) or opened again, each an undoable edit of its
//! note; the list shows the open ones, the answered ones, or all.

use std::any::Any;
use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::model::validate::FileKey;
use crate::model::{EntityRef, Evidence, Id, Workspace};
use crate::synthesis::questions::{self, Question, Show};
use crate::text::{fit, sanitize, width};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::popups::choose::Choose;
use crate::tui::popups::picker::Picker;
use crate::tui::state::ListState;
use crate::tui::widgets::{centered, hints, popup_block};

/// The picker's item for "answered, by no line".
const NO_LINE: &str = "-";

pub struct Questions {
    pub show: Show,
    /// The questions shown.
    pub rows: Vec<Question>,
    open: usize,
    answered: usize,
    list: ListState,
}

impl Questions {
    pub fn new(ws: &Workspace, show: Show) -> Questions {
        let mut q = Questions {
            show,
            rows: Vec::new(),
            open: 0,
            answered: 0,
            list: ListState::default(),
        };
        q.read(ws);
        q
    }

    fn read(&mut self, ws: &Workspace) {
        let sel = self.selected().map(|q| (q.note.clone(), q.line.clone()));
        let all = questions::questions(ws);
        self.open = all.iter().filter(|q| q.is_open()).count();
        self.answered = all.len() - self.open;
        self.rows = all.into_iter().filter(|q| self.show.admits(q)).collect();
        if let Some((n, l)) = sel
            && let Some(i) = self.rows.iter().position(|q| q.note == n && q.line == l)
        {
            self.list.selected = i;
        }
        self.list.clamp(self.rows.len());
    }

    pub fn selected(&self) -> Option<&Question> {
        self.rows.get(self.list.selected)
    }

    fn answer(&self, cx: &Cx) -> EventResult {
        let Some(q) = self.selected().cloned() else {
            return Reply::stay();
        };
        let lines = questions::answer_lines(cx.ws, &q);
        let mut items = vec![(
            Id::new(NO_LINE),
            "(answered, by no line of a note)".to_string(),
            String::new(),
        )];
        items.extend(lines.iter().enumerate().map(|(i, (note, line))| {
            let detail = cx.ws.notes.get(note).map_or_else(String::new, |n| {
                format!("{} · {} · {}", n.date, n.interviewee, n.title)
            });
            (Id::new(i.to_string()), line.clone(), detail)
        }));
        let picker = Picker::new(
            format!("Answered by which line? “{}”", q.text()),
            items,
            Vec::new(),
            false,
        );
        Reply::keep(Cmd::Push(Box::new(Choose::new(
            picker,
            Box::new(move |ids, cx| {
                let Some(pick) = ids.first() else {
                    return Vec::new();
                };
                let by = pick
                    .as_str()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| lines.get(i))
                    .map(|(note, quote)| Evidence {
                        note: note.clone(),
                        quote: quote.clone(),
                    });
                match questions::answer(cx.ws, &q.note, &q.line, by, cx.today) {
                    Some(e) => vec![Cmd::apply(format!("mark “{}” answered", q.text()), e)],
                    None => Vec::new(),
                }
            }),
        ))))
    }
}

impl Layer for Questions {
    fn name(&self) -> &'static str {
        "questions"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let Some(a) = cx.action(Context::Boards, key) else {
            return Reply::stay();
        };
        let n = self.rows.len();
        match a {
            Action::BoardBack => Reply::close(),
            Action::BoardDown => {
                self.list.step(1, n);
                Reply::stay()
            }
            Action::BoardUp => {
                self.list.step(-1, n);
                Reply::stay()
            }
            Action::BoardTop => {
                self.list.selected = 0;
                Reply::stay()
            }
            Action::BoardBottom => {
                self.list.selected = n.saturating_sub(1);
                Reply::stay()
            }
            Action::BoardOpen => match self.selected() {
                Some(q) => Reply::run(Command::Jump(EntityRef::Note(q.note.clone()))),
                None => Reply::stay(),
            },
            Action::QuestionFilter => {
                self.show = self.show.next();
                self.list = ListState::default();
                self.read(cx.ws);
                Reply::stay()
            }
            Action::QuestionAnswer => self.answer(cx),
            Action::BoardUndo => Reply::keep(Cmd::Run(Command::Undo)),
            Action::BoardRedo => Reply::keep(Cmd::Run(Command::Redo)),
            Action::QuestionReopen => {
                let Some(q) = self.selected() else {
                    return Reply::stay();
                };
                match questions::reopen(cx.ws, &q.note, &q.line) {
                    Some(e) => Reply::keep(Cmd::apply(format!("reopen “{}”", q.text()), e)),
                    None => Reply::stay(),
                }
            }
            _ => Reply::stay(),
        }
    }

    fn changed(&mut self, cx: &Cx, files: &BTreeSet<FileKey>) {
        if files
            .iter()
            .any(|f| matches!(f, FileKey::Note(_) | FileKey::Workspace))
        {
            self.read(cx.ws);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let r = centered(area, 120, area.height);
        f.render_widget(Clear, r);
        let title = format!(
            " Questions · {} open, {} answered · showing {} ",
            self.open,
            self.answered,
            self.show.label()
        );
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let foot = if inner.height >= 8 { 4 } else { 0 };
        let [body, detail, keys] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(foot.min(2)),
            Constraint::Length(foot.saturating_sub(2)),
        ])
        .areas(inner);
        let w = body.width as usize;
        if self.rows.is_empty() {
            let text = match self.show {
                Show::Open if self.answered > 0 => "Every question is answered",
                Show::Answered => "No question is marked answered yet",
                _ => "No questions yet: a line starting with ? in a note is one",
            };
            f.render_widget(
                Paragraph::new(Span::styled(text, t.dim())).wrap(Wrap { trim: true }),
                body,
            );
        } else {
            let h = body.height as usize;
            let first = self.list.window(h, self.rows.len());
            let lines: Vec<Line> = self
                .rows
                .iter()
                .enumerate()
                .skip(first)
                .take(h)
                .map(|(i, q)| {
                    let sel = i == self.list.selected;
                    let style = if sel { t.selected() } else { t.text() };
                    let n = cx.ws.notes.get(&q.note);
                    let persona = q
                        .persona
                        .as_ref()
                        .and_then(|p| cx.ws.persona(p))
                        .map_or("no persona", |p| p.name.as_str());
                    let who = sanitize(&format!(
                        "{} · {} · {persona}",
                        q.date,
                        n.map_or("", |n| n.interviewee.as_str())
                    ));
                    let mark = if q.is_open() { "? " } else { "✓ " };
                    let who_w = width(&who).min(w * 2 / 5);
                    let text_w = w.saturating_sub(who_w + 5);
                    Line::from(vec![
                        Span::styled(if sel { "▸ " } else { "  " }, style),
                        Span::styled(
                            mark,
                            if sel {
                                style
                            } else if q.is_open() {
                                t.warn()
                            } else {
                                t.ok()
                            },
                        ),
                        Span::styled(fit(&sanitize(&q.text()), text_w), style),
                        Span::styled(" ", style),
                        Span::styled(fit(&who, who_w), if sel { style } else { t.dim() }),
                    ])
                })
                .collect();
            f.render_widget(Paragraph::new(lines), body);
        }
        if detail.height > 0
            && let Some(q) = self.selected()
        {
            let n = cx.ws.notes.get(&q.note);
            let persona = q
                .persona
                .as_ref()
                .and_then(|p| cx.ws.persona(p))
                .map_or("no persona".to_string(), |p| {
                    format!("{} ({})", p.name, p.role.label())
                });
            let from = format!("in \"{}\" · {persona}", n.map_or("", |n| n.title.as_str()));
            let state = match &q.answer {
                None => "open".to_string(),
                Some(a) => match &a.by {
                    None => format!("answered {}", a.date),
                    Some(by) => {
                        let other = cx.ws.notes.get(&by.note);
                        format!(
                            "answered {} by “{}” ({}, {})",
                            a.date,
                            crate::capture::quote_text(&by.quote),
                            other.map_or("a note that is gone", |o| o.interviewee.as_str()),
                            other.map_or(String::new(), |o| o.date.to_string())
                        )
                    }
                },
            };
            let lines = vec![
                Line::from(Span::styled(fit(&sanitize(&from), w), t.dim())),
                Line::from(Span::styled(fit(&sanitize(&state), w), t.dim())),
            ];
            f.render_widget(Paragraph::new(lines), detail);
        }
        if keys.height > 0 {
            f.render_widget(
                Paragraph::new(hints(
                    t,
                    cx.keys,
                    &[
                        (Action::QuestionAnswer, "answered"),
                        (Action::QuestionReopen, "reopen"),
                        (Action::QuestionFilter, "open / answered / all"),
                        (Action::BoardOpen, "open the note"),
                        (Action::BoardBack, "close"),
                    ],
                ))
                .wrap(Wrap { trim: true }),
                keys,
            );
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
