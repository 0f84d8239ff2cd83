//! The help overlay, generated from the live key map: every action with its
//! keys and what it does, grouped, then the palette commands.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Outcome, centered, popup_block};
use crate::tui::action::{Action, Group};
use crate::tui::app::App;
use crate::tui::commands::COMMANDS;
use crate::tui::keymap::KeyMap;

#[derive(Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &KeyMap) -> Outcome {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return Outcome::Close,
            KeyCode::Down | KeyCode::Char('j') => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = self.scroll.saturating_add(10),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Home | KeyCode::Char('g') => self.scroll = 0,
            _ => {
                if keymap.action_for(&key) == Some(Action::Help) {
                    return Outcome::Close;
                }
            }
        }
        Outcome::Stay
    }

    /// The help text, from the live key map.
    pub fn lines(app: &App) -> Vec<Line<'static>> {
        let t = &app.theme;
        let mut out = Vec::new();
        for group in [Group::Views, Group::Move, Group::Edit, Group::Workspace] {
            out.push(Line::from(Span::styled(
                group.title().to_string(),
                t.title(),
            )));
            for a in Action::ALL.into_iter().filter(|a| a.group() == group) {
                let keys = app.keymap.keys_for(a);
                let keys = if keys.is_empty() {
                    "(unbound)".to_string()
                } else {
                    keys.iter()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                out.push(Line::from(vec![
                    Span::styled(format!("  {keys:<16}"), t.accent()),
                    Span::raw(a.description().to_string()),
                ]));
            }
            out.push(Line::from(""));
        }
        out.push(Line::from(vec![
            Span::styled("  Esc             ".to_string(), t.accent()),
            Span::raw("close a popup or cancel an edit (never quits)"),
        ]));
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            "Palette commands (after :, Tab completes)".to_string(),
            t.title(),
        )));
        for c in COMMANDS {
            let usage = if c.args.is_empty() {
                c.name.to_string()
            } else {
                format!("{} {}", c.name, c.args)
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {usage:<34} "), t.accent()),
                Span::raw(c.help.to_string()),
            ]));
        }
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            "Keys can be changed in keys.ron in the configuration folder.".to_string(),
            t.dim(),
        )));
        out
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let lines = Self::lines(app);
        let r = centered(area, 96, area.height.saturating_sub(2).max(3));
        let inner_h = r.height.saturating_sub(2);
        let max = (lines.len() as u16).saturating_sub(inner_h);
        let scroll = self.scroll.min(max);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .scroll((scroll, 0))
                .block(popup_block(&app.theme, " Help — ↑↓ scroll, Esc closes ")),
            r,
        );
    }
}
