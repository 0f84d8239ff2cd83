//! The themes board: every `#tag` across notes with its count, split by
//! the role of the notes' personas, most heard first. Enter lists a tag's
//! notes and lines, and Enter there opens the note; a tag can be renamed in
//! every note, or merged into another, as one undoable change.

use std::any::Any;
use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::capture::tokens;
use crate::model::validate::FileKey;
use crate::model::{EntityRef, Id, Workspace};
use crate::synthesis::themes::{self, Theme};
use crate::text::{count, fit, sanitize, width};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::popups::choose::Choose;
use crate::tui::popups::picker::Picker;
use crate::tui::popups::prompt::Prompt;
use crate::tui::state::ListState;
use crate::tui::widgets::{hints, popup_block};

/// A tag's notes and lines, listed from the board.
struct Detail {
    key: String,
    rows: Vec<(Id, Option<String>)>,
    list: ListState,
}

pub struct Themes {
    pub themes: Vec<Theme>,
    list: ListState,
    detail: Option<Detail>,
    notes: usize,
    /// The selected tag's lines (lower case), as they were at the last
    /// read or move: a tag renamed or merged is where these lines went.
    said: Vec<(Id, String)>,
}

impl Themes {
    pub fn new(ws: &Workspace) -> Themes {
        let mut t = Themes {
            themes: Vec::new(),
            list: ListState::default(),
            detail: None,
            notes: 0,
            said: Vec::new(),
        };
        t.read(ws);
        t
    }

    fn read(&mut self, ws: &Workspace) {
        let old = std::mem::take(&mut self.themes);
        let sel = old.get(self.list.selected).cloned();
        self.themes = themes::themes(ws);
        self.notes = ws
            .notes
            .values()
            .filter(|n| !themes::note_tags(n).is_empty())
            .count();
        // The cursor stays on its tag, or follows it where it went (and so
        // does the listing of its lines).
        let next = sel
            .as_ref()
            .and_then(|s| successor(ws, &old, &self.themes, s, &self.said));
        if let Some(i) = next {
            self.list.selected = i;
        }
        self.list.clamp(self.themes.len());
        self.remember(ws);
        if let Some(d) = &mut self.detail {
            if let (Some(s), Some(i)) = (&sel, next)
                && s.key == d.key
            {
                d.key = self.themes[i].key.clone();
            }
            d.rows = themes::lines(ws, &d.key);
            d.list.clamp(d.rows.len());
            if d.rows.is_empty() {
                self.detail = None;
            }
        }
    }

    /// Notes down the selected tag's lines, for [`successor`].
    fn remember(&mut self, ws: &Workspace) {
        self.said = self.selected().map_or_else(Vec::new, |t| said(ws, t));
    }

    /// The theme under the cursor.
    pub fn selected(&self) -> Option<&Theme> {
        self.themes.get(self.list.selected)
    }

    /// Whether a tag's notes are listed (the key of its theme).
    pub fn listing(&self) -> Option<&str> {
        self.detail.as_ref().map(|d| d.key.as_str())
    }

    fn rename(&self) -> EventResult {
        let Some(th) = self.selected() else {
            return Reply::stay();
        };
        let from = th.name.clone();
        let title = format!("Rename #{} in every note to", sanitize(&from));
        let initial = from.clone();
        Reply::keep(Cmd::Push(Box::new(Prompt::new(
            title,
            &initial,
            move |to| Command::RenameTag {
                from: from.clone(),
                to,
            },
        ))))
    }

    fn merge(&self) -> EventResult {
        let Some(th) = self.selected() else {
            return Reply::stay();
        };
        let items = self
            .themes
            .iter()
            .filter(|t| t.key != th.key)
            .map(|t| {
                (
                    Id::new(t.name.clone()),
                    format!("#{}", t.name),
                    count(t.count(), "note"),
                )
            })
            .collect();
        let from = th.name.clone();
        let picker = Picker::new(
            format!("Merge #{} into which tag?", sanitize(&from)),
            items,
            Vec::new(),
            false,
        );
        Reply::keep(Cmd::Push(Box::new(Choose::new(
            picker,
            Box::new(move |ids, _cx| match ids.first() {
                Some(to) => vec![Cmd::Run(Command::RenameTag {
                    from,
                    to: to.as_str().to_string(),
                })],
                None => Vec::new(),
            }),
        ))))
    }
}

/// The lines of a theme's notes that have its tag, in lower case.
fn said(ws: &Workspace, t: &Theme) -> Vec<(Id, String)> {
    t.notes
        .iter()
        .filter_map(|id| ws.notes.get(id))
        .flat_map(|n| {
            n.body
                .split('\n')
                .filter(|l| {
                    tokens(l, '#')
                        .iter()
                        .any(|x| x.name.to_lowercase() == t.key)
                })
                .map(|l| (n.id.clone(), l.trim().to_lowercase()))
        })
        .collect()
}

/// Where a theme is after a change: its own row while its tag is there.
/// Once it is gone (renamed, merged, or either undone), the row of the tag
/// its notes carry now in its place: the tag its lines now have where they
/// had it (`said`: its lines before the change); failing that (a tag only
/// in tag lists), a tag new or carried by more notes than before that
/// every one of its notes carries, then any tag they all carry. `None`
/// when its notes are gone or share no tag.
fn successor(
    ws: &Workspace,
    old: &[Theme],
    new: &[Theme],
    sel: &Theme,
    said: &[(Id, String)],
) -> Option<usize> {
    if let Some(i) = new.iter().position(|t| t.key == sel.key) {
        return Some(i);
    }
    let kept: Vec<&Id> = sel
        .notes
        .iter()
        .filter(|id| ws.notes.contains_key(*id))
        .collect();
    if kept.is_empty() {
        return None;
    }
    let carries = |t: &Theme| kept.iter().all(|id| t.notes.contains(id));
    let lines_went = |t: &Theme| {
        !said.is_empty()
            && said.iter().all(|(id, line)| {
                let want = themes::rename_in_body(line, &sel.key, &t.key);
                ws.notes
                    .get(id)
                    .is_none_or(|n| n.body.split('\n').any(|l| l.trim().to_lowercase() == want))
            })
    };
    let grew = |t: &Theme| {
        old.iter()
            .find(|o| o.key == t.key)
            .is_none_or(|o| o.count() < t.count())
    };
    new.iter()
        .position(|t| carries(t) && lines_went(t))
        .or_else(|| new.iter().position(|t| carries(t) && grew(t)))
        .or_else(|| new.iter().position(carries))
}

fn step(list: &mut ListState, a: Action, len: usize) {
    match a {
        Action::BoardDown => list.step(1, len),
        Action::BoardUp => list.step(-1, len),
        Action::BoardTop => list.selected = 0,
        Action::BoardBottom => list.selected = len.saturating_sub(1),
        _ => {}
    }
}

impl Layer for Themes {
    fn name(&self) -> &'static str {
        "themes"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let Some(a) = cx.action(Context::Boards, key) else {
            return Reply::stay();
        };
        if let Some(d) = &mut self.detail {
            return match a {
                Action::BoardBack => {
                    self.detail = None;
                    Reply::stay()
                }
                Action::BoardOpen => match d.rows.get(d.list.selected) {
                    Some((id, _)) => Reply::run(Command::Jump(EntityRef::Note(id.clone()))),
                    None => Reply::stay(),
                },
                Action::ThemeRename => self.rename(),
                Action::ThemeMerge => self.merge(),
                Action::BoardUndo => Reply::keep(Cmd::Run(Command::Undo)),
                Action::BoardRedo => Reply::keep(Cmd::Run(Command::Redo)),
                _ => {
                    step(&mut d.list, a, d.rows.len());
                    Reply::stay()
                }
            };
        }
        match a {
            Action::BoardBack => Reply::close(),
            Action::BoardOpen => {
                if let Some(th) = self.selected() {
                    let key = th.key.clone();
                    let rows = themes::lines(cx.ws, &key);
                    self.detail = Some(Detail {
                        key,
                        rows,
                        list: ListState::default(),
                    });
                }
                Reply::stay()
            }
            Action::ThemeRename => self.rename(),
            Action::ThemeMerge => self.merge(),
            Action::BoardUndo => Reply::keep(Cmd::Run(Command::Undo)),
            Action::BoardRedo => Reply::keep(Cmd::Run(Command::Redo)),
            _ => {
                step(&mut self.list, a, self.themes.len());
                self.remember(cx.ws);
                Reply::stay()
            }
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
        let r = crate::tui::widgets::centered(area, 110, area.height);
        f.render_widget(Clear, r);
        let title = match &self.detail {
            Some(d) => format!(
                " #{} · {} ",
                sanitize(
                    self.themes
                        .iter()
                        .find(|x| x.key == d.key)
                        .map_or(d.key.as_str(), |x| x.name.as_str())
                ),
                count(d.rows.len(), "line")
            ),
            None => format!(
                " Themes · {} across {} ",
                count(self.themes.len(), "tag"),
                count(self.notes, "note")
            ),
        };
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let foot = if inner.height >= 8 { 3 } else { 0 };
        let [body, detail, keys] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(foot.min(1)),
            Constraint::Length(foot.saturating_sub(1)),
        ])
        .areas(inner);
        let w = body.width as usize;
        match &self.detail {
            None => self.draw_board(f, body, detail, cx),
            Some(d) => {
                let h = body.height as usize;
                let first = d.list.window(h, d.rows.len());
                let lines: Vec<Line> = d
                    .rows
                    .iter()
                    .enumerate()
                    .skip(first)
                    .take(h)
                    .map(|(i, (id, line))| {
                        let sel = i == d.list.selected;
                        let n = cx.ws.notes.get(id);
                        let who = n.map_or_else(String::new, |n| {
                            format!("{} · {}", n.date, n.interviewee)
                        });
                        let text = match line {
                            Some(l) => l.clone(),
                            None => {
                                format!("(tagged) {}", n.map_or(String::new(), |n| n.title.clone()))
                            }
                        };
                        let who = sanitize(&who);
                        let who_w = width(&who).min(w / 2);
                        let text_w = w.saturating_sub(who_w + 3);
                        let style = if sel { t.selected() } else { t.text() };
                        Line::from(vec![
                            Span::styled(if sel { "▸ " } else { "  " }, style),
                            Span::styled(fit(&sanitize(&text), text_w), style),
                            Span::styled(" ", style),
                            Span::styled(fit(&who, who_w), if sel { style } else { t.dim() }),
                        ])
                    })
                    .collect();
                f.render_widget(Paragraph::new(lines), body);
                if detail.height > 0 {
                    let n = d
                        .rows
                        .get(d.list.selected)
                        .and_then(|(id, _)| cx.ws.notes.get(id));
                    let line = n.map_or(String::new(), |n| {
                        let persona = n
                            .persona
                            .as_ref()
                            .and_then(|p| cx.ws.persona(p))
                            .map_or("no persona".to_string(), |p| {
                                format!("{} ({})", p.name, p.role.label())
                            });
                        format!("in \"{}\" · {persona}", n.title)
                    });
                    f.render_widget(
                        Paragraph::new(Span::styled(fit(&sanitize(&line), w), t.dim())),
                        detail,
                    );
                }
            }
        }
        if keys.height > 0 {
            let items: &[(Action, &str)] = if self.detail.is_some() {
                &[
                    (Action::BoardOpen, "open the note"),
                    (Action::ThemeRename, "rename"),
                    (Action::ThemeMerge, "merge into"),
                    (Action::BoardBack, "back"),
                ]
            } else {
                &[
                    (Action::BoardOpen, "notes and lines"),
                    (Action::ThemeRename, "rename"),
                    (Action::ThemeMerge, "merge into"),
                    (Action::BoardBack, "close"),
                ]
            };
            f.render_widget(
                Paragraph::new(hints(t, cx.keys, items)).wrap(Wrap { trim: true }),
                keys,
            );
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Themes {
    fn draw_board(&self, f: &mut Frame, body: Rect, detail: Rect, cx: &Cx) {
        let t = cx.theme;
        let w = body.width as usize;
        if self.themes.is_empty() {
            f.render_widget(
                Paragraph::new(Span::styled(
                    "No tags yet: type #tag in a note, or give it tags",
                    t.dim(),
                ))
                .wrap(Wrap { trim: true }),
                body,
            );
            return;
        }
        // Columns: the tag, then notes, customer, consumer, end user, none
        // (shorter headings when the box is narrow).
        const WIDE: [&str; 5] = ["notes", "customer", "consumer", "end user", "none"];
        const NARROW: [&str; 5] = ["all", "cust", "cons", "end", "none"];
        let nums_head = if w >= 64 { WIDE } else { NARROW };
        let num_w: usize = nums_head.iter().map(|h| h.len() + 1).sum();
        let tag_w = w.saturating_sub(num_w + 2).max(1);
        let header = {
            let mut s = format!("  {}", fit("tag", tag_w));
            for h in nums_head {
                s.push_str(&format!(" {h:>width$}", width = h.len()));
            }
            Line::from(Span::styled(fit(&s, w), t.dim()))
        };
        let h = (body.height as usize).saturating_sub(1);
        let first = self.list.window(h, self.themes.len());
        let mut lines = vec![header];
        for (i, th) in self.themes.iter().enumerate().skip(first).take(h) {
            let sel = i == self.list.selected;
            let style = if sel { t.selected() } else { t.text() };
            let mut s = format!(
                "{}{}",
                if sel { "▸ " } else { "  " },
                fit(&format!("#{}", sanitize(&th.name)), tag_w)
            );
            let counts = [
                th.count(),
                th.customer,
                th.consumer,
                th.end_user,
                th.unlinked,
            ];
            for (i, (n, head)) in counts.iter().zip(nums_head).enumerate() {
                let cell = if *n == 0 && i > 0 {
                    "·".to_string()
                } else {
                    n.to_string()
                };
                s.push_str(&format!(" {cell:>width$}", width = head.len()));
            }
            lines.push(Line::from(Span::styled(fit(&s, w), style)));
        }
        f.render_widget(Paragraph::new(lines), body);
        if detail.height > 0
            && let Some(th) = self.selected()
        {
            let per: Vec<String> = th
                .personas
                .iter()
                .filter_map(|(id, n)| cx.ws.persona(id).map(|p| format!("{} {n}", p.name)))
                .collect();
            let text = if per.is_empty() {
                "heard from no persona".to_string()
            } else {
                format!("heard from {}", per.join(" · "))
            };
            f.render_widget(
                Paragraph::new(Span::styled(fit(&sanitize(&text), w), t.dim())),
                detail,
            );
        }
    }
}
