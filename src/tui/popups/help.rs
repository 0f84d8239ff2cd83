//! The help overlay, generated from the action table and the live key map:
//! every key of the views and of each popup with what it does, then the
//! palette commands.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::action::{ACTIONS, Action, Context, Group};
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{centered, popup_block};

pub struct Help {
    pub scroll: u16,
    /// The palette commands: usage (`add-phase NAME`), its key, what it does.
    commands: Vec<(String, String, String)>,
}

impl Help {
    pub fn new(commands: Vec<(String, String, String)>) -> Help {
        Help {
            scroll: 0,
            commands,
        }
    }

    /// The help text, from the live key map.
    pub fn lines(&self, cx: &Cx) -> Vec<Line<'static>> {
        let t = cx.theme;
        let mut out = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        for s in ACTIONS {
            if !groups.contains(&s.group) {
                groups.push(s.group);
            }
        }
        for group in groups {
            out.push(Line::from(Span::styled(
                group.title().to_string(),
                t.title(),
            )));
            for s in ACTIONS.iter().filter(|s| s.group == group) {
                let keys = cx.keys.all_hints(s.action);
                out.push(Line::from(vec![
                    Span::styled(format!("  {keys:<16} "), t.accent()),
                    Span::raw(s.description.to_string()),
                ]));
            }
            out.push(Line::from(""));
        }
        out.push(Line::from(Span::styled(
            format!(
                "Palette commands (after {}, {} completes)",
                cx.hint(Action::Palette),
                cx.hint(Action::PaletteComplete)
            ),
            t.title(),
        )));
        for (usage, key, help) in &self.commands {
            out.push(Line::from(vec![
                Span::styled(format!("  {usage:<34} "), t.accent()),
                Span::styled(format!("{key:<8} "), t.dim()),
                Span::raw(help.clone()),
            ]));
        }
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            "Keys can be changed in keys.ron in the configuration folder, by the names above \
             (e.g. \"save\", \"form_apply\", \"text_delete_word\": see the README)."
                .to_string(),
            t.dim(),
        )));
        out
    }
}

impl Layer for Help {
    fn name(&self) -> &'static str {
        "help"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Help, key) {
            Some(Action::HelpClose) => return Reply::close(),
            Some(Action::HelpDown) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::HelpUp) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::HelpPageDown) => self.scroll = self.scroll.saturating_add(10),
            Some(Action::HelpPageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::HelpTop) => self.scroll = 0,
            _ => {
                if cx.action(Context::Main, key) == Some(Action::Help) {
                    return Reply::close();
                }
            }
        }
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let lines = self.lines(cx);
        let r = centered(area, 96, area.height.saturating_sub(2).max(3));
        let inner_h = r.height.saturating_sub(2);
        let max = (lines.len() as u16).saturating_sub(inner_h);
        let scroll = self.scroll.min(max);
        f.render_widget(Clear, r);
        let title = format!(
            " Help — {}{} scroll, {} closes ",
            cx.hint(Action::HelpUp),
            cx.hint(Action::HelpDown),
            cx.hint(Action::HelpClose)
        );
        f.render_widget(
            Paragraph::new(lines)
                .scroll((scroll, 0))
                .block(popup_block(cx.theme, &title)),
            r,
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
