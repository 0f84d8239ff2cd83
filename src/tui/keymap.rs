//! The key map: which key does which [`Action`].
//!
//! The defaults are the contract scripts and tests rely on. A `keys.ron` file
//! in the configuration folder patches them per action:
//!
//! ```ron
//! {
//!     "save": ["ctrl-s", "f2"],
//!     "delete": ["x"],
//! }
//! ```
//!
//! An action named in the file gets exactly the keys listed; a key taken by
//! the file is removed from whatever action had it by default. A broken file
//! keeps the defaults, and the status bar says why.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// A key with its modifiers, normalised: shifted letters are upper-case
/// letters without the shift flag, and Shift-Tab is `BackTab`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// `KeyCode` with the ordering a map needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        use KeyCodeOrd as K;
        let mut shift = e.modifiers.contains(KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::Char(c) => {
                if shift && c.is_alphabetic() {
                    shift = false;
                    K::Char(c.to_uppercase().next().unwrap_or(c))
                } else if c.is_alphabetic() && c.is_uppercase() {
                    K::Char(c)
                } else {
                    // Symbols already carry their shift (`?`, `:`).
                    if !c.is_alphanumeric() {
                        shift = false;
                    }
                    K::Char(c)
                }
            }
            KeyCode::F(n) => K::F(n),
            KeyCode::Enter => K::Enter,
            KeyCode::Esc => K::Esc,
            KeyCode::Tab if shift => {
                shift = false;
                K::BackTab
            }
            KeyCode::Tab => K::Tab,
            KeyCode::BackTab => {
                shift = false;
                K::BackTab
            }
            KeyCode::Backspace => K::Backspace,
            KeyCode::Delete => K::Delete,
            KeyCode::Insert => K::Insert,
            KeyCode::Up => K::Up,
            KeyCode::Down => K::Down,
            KeyCode::Left => K::Left,
            KeyCode::Right => K::Right,
            KeyCode::Home => K::Home,
            KeyCode::End => K::End,
            KeyCode::PageUp => K::PageUp,
            KeyCode::PageDown => K::PageDown,
            _ => return None,
        };
        Some(Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
            shift,
        })
    }

    const fn plain(code: KeyCodeOrd) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCodeOrd::Char(c))
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCodeOrd::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// Parses `q`, `Q`, `ctrl-s`, `<Ctrl-s>`, `C-s`, `shift-tab`, `pgdn`, `f2`, `space`, ...
    pub fn parse(s: &str) -> Result<Key, String> {
        use KeyCodeOrd as K;
        let t = s.trim();
        let t = t
            .strip_prefix('<')
            .and_then(|x| x.strip_suffix('>'))
            .unwrap_or(t);
        if t.is_empty() {
            return Err("an empty key".into());
        }
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = t;
        loop {
            let lower = rest.to_ascii_lowercase();
            let cut = [
                "ctrl-", "control-", "c-", "alt-", "meta-", "m-", "a-", "shift-", "s-",
            ]
            .iter()
            .find(|p| lower.starts_with(**p) && rest.len() > p.len());
            let Some(p) = cut else { break };
            match *p {
                "ctrl-" | "control-" | "c-" => ctrl = true,
                "alt-" | "meta-" | "m-" | "a-" => alt = true,
                _ => shift = true,
            }
            rest = &rest[p.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if ctrl || alt {
                    K::Char(c.to_ascii_lowercase())
                } else {
                    K::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => K::Enter,
                "esc" | "escape" => K::Esc,
                "tab" if shift => {
                    shift = false;
                    K::BackTab
                }
                "tab" => K::Tab,
                "backtab" => K::BackTab,
                "backspace" | "bs" => K::Backspace,
                "delete" | "del" => K::Delete,
                "insert" | "ins" => K::Insert,
                "up" => K::Up,
                "down" => K::Down,
                "left" => K::Left,
                "right" => K::Right,
                "home" => K::Home,
                "end" => K::End,
                "pageup" | "pgup" => K::PageUp,
                "pagedown" | "pgdn" | "pgdown" => K::PageDown,
                "space" => K::Char(' '),
                "lt" => K::Char('<'),
                "gt" => K::Char('>'),
                "minus" => K::Char('-'),
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
                {
                    K::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key {s:?}")),
            },
        };
        // A shifted letter is the upper-case letter.
        let code = match code {
            K::Char(c) if shift && c.is_alphabetic() => {
                shift = false;
                K::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        Ok(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use KeyCodeOrd as K;
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if self.shift {
            f.write_str("Shift-")?;
        }
        match self.code {
            K::Char(' ') => f.write_str("Space"),
            K::Char(c) => write!(f, "{c}"),
            K::F(n) => write!(f, "F{n}"),
            K::Enter => f.write_str("Enter"),
            K::Esc => f.write_str("Esc"),
            K::Tab => f.write_str("Tab"),
            K::BackTab => f.write_str("Shift-Tab"),
            K::Backspace => f.write_str("Backspace"),
            K::Delete => f.write_str("Del"),
            K::Insert => f.write_str("Ins"),
            K::Up => f.write_str("↑"),
            K::Down => f.write_str("↓"),
            K::Left => f.write_str("←"),
            K::Right => f.write_str("→"),
            K::Home => f.write_str("Home"),
            K::End => f.write_str("End"),
            K::PageUp => f.write_str("PgUp"),
            K::PageDown => f.write_str("PgDn"),
        }
    }
}

/// The live key map.
#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: BTreeMap<Key, Action>,
}

fn defaults() -> Vec<(Action, Vec<Key>)> {
    use Action::*;
    use KeyCodeOrd as K;
    vec![
        (ViewMap, vec![Key::ch('1')]),
        (ViewPersonas, vec![Key::ch('2')]),
        (ViewNotes, vec![Key::ch('3')]),
        (ViewOpportunities, vec![Key::ch('4')]),
        (ViewMetrics, vec![Key::ch('5')]),
        (NextView, vec![Key::plain(K::Tab)]),
        (PrevView, vec![Key::plain(K::BackTab)]),
        (Up, vec![Key::plain(K::Up), Key::ch('k')]),
        (Down, vec![Key::plain(K::Down), Key::ch('j')]),
        (Left, vec![Key::plain(K::Left), Key::ch('h')]),
        (Right, vec![Key::plain(K::Right), Key::ch('l')]),
        (Top, vec![Key::ch('g'), Key::plain(K::Home)]),
        (Bottom, vec![Key::ch('G'), Key::plain(K::End)]),
        (PageUp, vec![Key::plain(K::PageUp)]),
        (PageDown, vec![Key::plain(K::PageDown)]),
        (Open, vec![Key::plain(K::Enter)]),
        (Add, vec![Key::ch('a')]),
        (AddPhase, vec![Key::ch('A')]),
        (Rename, vec![Key::ch('r')]),
        (Delete, vec![Key::ch('d')]),
        (MoveLeft, vec![Key::ch('H')]),
        (MoveRight, vec![Key::ch('L')]),
        (MoveUp, vec![Key::ch('K')]),
        (MoveDown, vec![Key::ch('J')]),
        (CaptureNote, vec![Key::ch('n')]),
        (Undo, vec![Key::ch('u')]),
        (Redo, vec![Key::ctrl('r')]),
        (ToggleCoverage, vec![Key::ch('c')]),
        (Filter, vec![Key::ch('f')]),
        (ToggleBoard, vec![Key::ch('b')]),
        (Observe, vec![Key::ch('o')]),
        (Save, vec![Key::ctrl('s')]),
        (Search, vec![Key::ch('/')]),
        (Palette, vec![Key::ch(':')]),
        (Help, vec![Key::ch('?'), Key::plain(K::F(1))]),
        (Quit, vec![Key::ch('q'), Key::ctrl('c')]),
    ]
}

impl Default for KeyMap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for (action, keys) in defaults() {
            for k in keys {
                bindings.insert(k, action);
            }
        }
        KeyMap { bindings }
    }
}

/// A key map file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyMapError(pub String);

impl fmt::Display for KeyMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl KeyMap {
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings.get(key).copied()
    }

    pub fn action_for(&self, e: &KeyEvent) -> Option<Action> {
        Key::from_event(e).and_then(|k| self.action(&k))
    }

    /// The keys bound to an action, in a stable order.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The first key bound to an action, as shown in hints (`Ctrl-s`), or
    /// `:command` when no key is bound.
    pub fn hint(&self, action: Action) -> String {
        let keys = self.keys_for(action);
        // Prefer a plain character (`q`) over a chord (`Ctrl-c`).
        keys.iter()
            .find(|k| matches!(k.code, KeyCodeOrd::Char(_)) && !k.ctrl && !k.alt)
            .or(keys.first())
            .map_or_else(|| "(unbound)".to_string(), |k| k.to_string())
    }

    /// Applies a key map file's text over the defaults. On any error the map
    /// is left unchanged.
    pub fn patch(&mut self, path: &Path, text: &str) -> Result<(), KeyMapError> {
        let parsed: BTreeMap<String, Vec<String>> = crate::store::format::parse(path, text)
            .map_err(|e| KeyMapError(format!("{e}; using the default keys")))?;
        let mut next = self.bindings.clone();
        let at = |needle: &str| {
            let line = text
                .lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1);
            format!("{}:{line}", path.display())
        };
        for (name, keys) in &parsed {
            let action = Action::ALL
                .into_iter()
                .find(|a| a.name() == *name)
                .ok_or_else(|| {
                    KeyMapError(format!(
                        "{}: no action named {name:?}; using the default keys",
                        at(name)
                    ))
                })?;
            next.retain(|_, a| *a != action);
            for k in keys {
                let key = Key::parse(k)
                    .map_err(|e| KeyMapError(format!("{}: {e}; using the default keys", at(k))))?;
                next.insert(key, action);
            }
        }
        self.bindings = next;
        Ok(())
    }

    /// The defaults patched by `keys.ron` in `dir`, and a message when the file
    /// could not be used.
    pub fn load(dir: Option<&Path>) -> (KeyMap, Option<String>) {
        let mut map = KeyMap::default();
        let Some(path) = dir.map(|d| d.join("keys.ron")) else {
            return (map, None);
        };
        let text = match std::fs::read(&path) {
            Ok(b) => match crate::store::format::decode(&path, &b) {
                Ok(t) => t,
                Err(e) => return (map, Some(format!("{e}; using the default keys"))),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (map, None),
            Err(e) => {
                return (
                    map,
                    Some(format!("{}: {e}; using the default keys", path.display())),
                );
            }
        };
        match map.patch(&path, &text) {
            Ok(()) => (map, None),
            Err(e) => (map, Some(e.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn contract_defaults() {
        let m = KeyMap::default();
        let a = |c: KeyCode, md: KeyModifiers| m.action_for(&ev(c, md));
        let none = KeyModifiers::NONE;
        assert_eq!(a(KeyCode::Char('1'), none), Some(Action::ViewMap));
        assert_eq!(a(KeyCode::Char('5'), none), Some(Action::ViewMetrics));
        assert_eq!(a(KeyCode::Tab, none), Some(Action::NextView));
        assert_eq!(
            a(KeyCode::BackTab, KeyModifiers::SHIFT),
            Some(Action::PrevView)
        );
        assert_eq!(a(KeyCode::Char('j'), none), Some(Action::Down));
        assert_eq!(
            a(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Some(Action::Bottom)
        );
        assert_eq!(a(KeyCode::Char('G'), none), Some(Action::Bottom));
        assert_eq!(
            a(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Some(Action::Save)
        );
        assert_eq!(
            a(KeyCode::Char('r'), KeyModifiers::CONTROL),
            Some(Action::Redo)
        );
        assert_eq!(a(KeyCode::Char('u'), none), Some(Action::Undo));
        assert_eq!(
            a(KeyCode::Char('?'), KeyModifiers::SHIFT),
            Some(Action::Help)
        );
        assert_eq!(
            a(KeyCode::Char(':'), KeyModifiers::SHIFT),
            Some(Action::Palette)
        );
        assert_eq!(a(KeyCode::Char('/'), none), Some(Action::Search));
        assert_eq!(a(KeyCode::Char('q'), none), Some(Action::Quit));
        assert_eq!(a(KeyCode::Char('n'), none), Some(Action::CaptureNote));
        assert_eq!(
            a(KeyCode::Esc, none),
            None,
            "Esc never quits and is not bound"
        );
    }

    #[test]
    fn parsing_and_display() {
        for (s, shown) in [
            ("q", "q"),
            ("<Ctrl-s>", "Ctrl-s"),
            ("ctrl-S", "Ctrl-s"),
            ("C-r", "Ctrl-r"),
            ("shift-tab", "Shift-Tab"),
            ("shift-h", "H"),
            ("pgdn", "PgDn"),
            ("F2", "F2"),
            ("space", "Space"),
            ("alt-x", "Alt-x"),
            ("enter", "Enter"),
        ] {
            assert_eq!(Key::parse(s).unwrap().to_string(), shown, "{s}");
        }
        assert!(Key::parse("hyper-q").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn a_patch_rebinds_only_what_it_names() {
        let mut m = KeyMap::default();
        m.patch(
            Path::new("keys.ron"),
            r#"{ "save": ["f2"], "delete": ["x", "d"] }"#,
        )
        .unwrap();
        assert_eq!(m.action(&Key::parse("f2").unwrap()), Some(Action::Save));
        assert_eq!(m.action(&Key::parse("ctrl-s").unwrap()), None);
        assert_eq!(m.action(&Key::parse("x").unwrap()), Some(Action::Delete));
        assert_eq!(m.action(&Key::parse("q").unwrap()), Some(Action::Quit));
        assert_eq!(m.hint(Action::Save), "F2");
    }

    #[test]
    fn a_broken_patch_keeps_the_defaults_and_says_where() {
        let mut m = KeyMap::default();
        let e = m
            .patch(
                Path::new("keys.ron"),
                "{\n  \"save\": [\"f2\"\n  \"quit\": [\"x\"],\n}",
            )
            .unwrap_err();
        assert!(e.0.starts_with("keys.ron:3:"), "{e}");
        assert_eq!(m.action(&Key::parse("ctrl-s").unwrap()), Some(Action::Save));
        let e = m
            .patch(
                Path::new("keys.ron"),
                "{\n \"save\": [\"f2\"],\n \"fly\": [\"x\"] }",
            )
            .unwrap_err();
        assert!(
            e.0.contains("keys.ron:3") && e.0.contains("no action named \"fly\""),
            "{e}"
        );
        assert_eq!(m.action(&Key::parse("f2").unwrap()), None);
        let e = m
            .patch(Path::new("keys.ron"), "{ \"save\": [\"hyper-s\"] }")
            .unwrap_err();
        assert!(e.0.contains("unknown key"), "{e}");
    }
}
