//! Colours and styles. Colour is never the only signal: heat is also a number
//! and a glyph, selection is also reversed or bold, and `NO_COLOR` turns every
//! colour off while keeping the modifiers.

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

#[derive(Clone, Debug)]
pub struct Theme {
    pub name: ThemeName,
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(ThemeName::Dark, true)
    }
}

impl Theme {
    pub fn new(name: ThemeName, color: bool) -> Self {
        Theme { name, color }
    }

    /// The theme from the environment: `NO_COLOR` (any non-empty value) turns
    /// colour off.
    pub fn from_env(name: ThemeName) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(name, !no_color)
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    fn bg(&self, c: Color) -> Style {
        if self.color {
            Style::new().bg(c)
        } else {
            Style::new()
        }
    }

    fn light(&self) -> bool {
        self.name == ThemeName::Light
    }

    pub fn base(&self) -> Style {
        if !self.color {
            return Style::new();
        }
        if self.light() {
            Style::new().fg(Color::Black).bg(Color::White)
        } else {
            Style::new().fg(Color::Gray).bg(Color::Reset)
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            self.fg(if self.light() {
                Color::Gray
            } else {
                Color::DarkGray
            })
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn text(&self) -> Style {
        self.fg(if self.light() {
            Color::Black
        } else {
            Color::White
        })
    }

    pub fn accent(&self) -> Style {
        self.fg(if self.light() {
            Color::Blue
        } else {
            Color::Cyan
        })
        .add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        self.text().add_modifier(Modifier::BOLD)
    }

    /// The selected item: reversed, so it shows without colour too.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.dim()
    }

    pub fn focus_border(&self) -> Style {
        self.accent()
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(if self.light() {
            Color::Magenta
        } else {
            Color::Yellow
        })
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn status_bar(&self) -> Style {
        if self.color {
            if self.light() {
                Style::new().fg(Color::Black).bg(Color::Gray)
            } else {
                Style::new().fg(Color::White).bg(Color::DarkGray)
            }
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Alternating backgrounds for the phase bands over the map.
    pub fn phase_band(&self, i: usize) -> Style {
        let c = match (self.light(), i % 2) {
            (false, 0) => Color::Rgb(40, 60, 90),
            (false, _) => Color::Rgb(60, 45, 85),
            (true, 0) => Color::Rgb(200, 215, 240),
            (true, _) => Color::Rgb(225, 205, 240),
        };
        self.bg(c).patch(self.text()).add_modifier(Modifier::BOLD)
    }

    /// The heat of an opportunity score (1–9): cool to hot.
    pub fn heat(&self, score: u8) -> Style {
        let c = match score {
            0..=2 => Color::Rgb(46, 125, 50),
            3 => Color::Rgb(104, 159, 56),
            4 => Color::Rgb(175, 180, 43),
            5 => Color::Rgb(251, 192, 45),
            6 => Color::Rgb(255, 160, 0),
            7 => Color::Rgb(245, 124, 0),
            8 => Color::Rgb(230, 81, 0),
            _ => Color::Rgb(198, 40, 40),
        };
        if self.color {
            Style::new()
                .bg(c)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// A glyph for heat, so it shows without colour: ░ ▒ ▓ █.
    pub fn heat_glyph(score: u8) -> char {
        match score {
            0..=2 => '░',
            3..=4 => '▒',
            5..=6 => '▓',
            _ => '█',
        }
    }
}
