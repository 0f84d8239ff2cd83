//! Colours and styles. Colour is never the only signal: heat is also a number
//! and a glyph, selection is also reversed or bold, and `NO_COLOR` turns every
//! colour off while keeping the modifiers.
//!
//! Every style of both themes reads at a contrast of at least 4.5:1 (WCAG
//! AA) on what it is drawn on: the terminal's default background (black for
//! the dark theme, white for the light one) or its own background, with the
//! 16 named colours taken at xterm's default palette. A unit test computes
//! the ratio of each.

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
            // Grey 242 (#6c6c6c) on white; bright black (#7f7f7f) on black.
            self.fg(if self.light() {
                Color::Indexed(242)
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
        self.fg(if self.light() {
            Color::Red
        } else {
            Color::LightRed
        })
        .add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(if self.light() {
            Color::Magenta
        } else {
            Color::Yellow
        })
    }

    pub fn ok(&self) -> Style {
        // Green 28 (#008700) on white; xterm green on black.
        self.fg(if self.light() {
            Color::Indexed(28)
        } else {
            Color::Green
        })
    }

    pub fn status_bar(&self) -> Style {
        if self.color {
            if self.light() {
                Style::new().fg(Color::Black).bg(Color::Gray)
            } else {
                // Grey 238 (#444444): white reads on it at 9:1.
                Style::new().fg(Color::White).bg(Color::Indexed(238))
            }
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The status bar carrying a warning or an error: a background of its
    /// own, so the text keeps its contrast.
    pub fn status_alert(&self, error: bool) -> Style {
        if !self.color {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        if error {
            // Red 124 (#af0000).
            Style::new()
                .fg(Color::White)
                .bg(Color::Indexed(124))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Black).bg(Color::Yellow)
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
            // Black or white, whichever reads better on the heat colour.
            let fg = if contrast(rgb(Color::Black), rgb(c)) >= contrast(rgb(Color::White), rgb(c)) {
                Color::Black
            } else {
                Color::White
            };
            Style::new().bg(c).fg(fg).add_modifier(Modifier::BOLD)
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

/// A colour as xterm shows it by default: the 16 named colours at xterm's
/// default palette, the 256-colour cube and grey ramp, or the RGB given.
pub fn rgb(c: Color) -> (u8, u8, u8) {
    match c {
        Color::Reset | Color::Black => (0, 0, 0),
        Color::Red => (0xcd, 0, 0),
        Color::Green => (0, 0xcd, 0),
        Color::Yellow => (0xcd, 0xcd, 0),
        Color::Blue => (0, 0, 0xee),
        Color::Magenta => (0xcd, 0, 0xcd),
        Color::Cyan => (0, 0xcd, 0xcd),
        Color::Gray => (0xe5, 0xe5, 0xe5),
        Color::DarkGray => (0x7f, 0x7f, 0x7f),
        Color::LightRed => (0xff, 0, 0),
        Color::LightGreen => (0, 0xff, 0),
        Color::LightYellow => (0xff, 0xff, 0),
        Color::LightBlue => (0x5c, 0x5c, 0xff),
        Color::LightMagenta => (0xff, 0, 0xff),
        Color::LightCyan => (0, 0xff, 0xff),
        Color::White => (0xff, 0xff, 0xff),
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => match i {
            0..=15 => rgb(NAMED[i as usize]),
            16..=231 => {
                let i = i - 16;
                let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
                (level(i / 36), level(i / 6 % 6), level(i % 6))
            }
            _ => {
                let v = 8 + (i - 232) * 10;
                (v, v, v)
            }
        },
    }
}

const NAMED: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// Relative luminance (WCAG 2).
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The foreground and background a style shows on a terminal whose
    /// default background is `screen`, reversal included.
    fn shown(s: Style, screen: Color, default_fg: Color) -> ((u8, u8, u8), (u8, u8, u8)) {
        let fg = s.fg.filter(|c| *c != Color::Reset).unwrap_or(default_fg);
        let bg = s.bg.filter(|c| *c != Color::Reset).unwrap_or(screen);
        if s.add_modifier.contains(Modifier::REVERSED) {
            (rgb(bg), rgb(fg))
        } else {
            (rgb(fg), rgb(bg))
        }
    }

    #[test]
    fn every_style_of_every_theme_reads_at_4_5_to_1() {
        for name in [ThemeName::Dark, ThemeName::Light] {
            let t = Theme::new(name, true);
            let (screen, default_fg) = match name {
                ThemeName::Dark => (Color::Black, Color::Gray),
                ThemeName::Light => (Color::White, Color::Black),
            };
            // Text is drawn over the theme's base.
            let base = t.base();
            let over = |s: Style| base.patch(s);
            let mut styles: Vec<(String, Style)> = vec![
                ("base".into(), base),
                ("dim".into(), over(t.dim())),
                ("text".into(), over(t.text())),
                ("accent".into(), over(t.accent())),
                ("title".into(), over(t.title())),
                ("selected".into(), over(t.selected())),
                (
                    "selected accent".into(),
                    over(t.accent()).patch(t.selected()),
                ),
                ("selected dim".into(), over(t.dim()).patch(t.selected())),
                ("selected warn".into(), over(t.warn()).patch(t.selected())),
                ("selected ok".into(), over(t.ok()).patch(t.selected())),
                ("border".into(), over(t.border())),
                ("focus border".into(), over(t.focus_border())),
                ("error".into(), over(t.error())),
                ("warn".into(), over(t.warn())),
                ("ok".into(), over(t.ok())),
                ("status bar".into(), t.status_bar()),
                ("status warning".into(), t.status_alert(false)),
                ("status error".into(), t.status_alert(true)),
            ];
            for i in 0..2 {
                styles.push((format!("phase band {i}"), t.phase_band(i)));
            }
            for score in 1..=9 {
                styles.push((format!("heat {score}"), t.heat(score)));
            }
            for (what, s) in styles {
                let (fg, bg) = shown(s, screen, default_fg);
                let ratio = contrast(fg, bg);
                assert!(
                    ratio >= 4.5,
                    "{name:?} theme, {what}: {fg:?} on {bg:?} is {ratio:.2}:1"
                );
            }
        }
    }

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((contrast(rgb(Color::White), rgb(Color::DarkGray)) - 4.0).abs() < 0.02);
        assert_eq!(rgb(Color::Indexed(242)), (108, 108, 108));
        assert_eq!(rgb(Color::Indexed(28)), (0, 135, 0));
        assert_eq!(rgb(Color::Indexed(124)), (175, 0, 0));
    }
}
