//! The key map: which key does which [`Action`], per [`Context`].
//!
//! The defaults (in [`super::action::ACTIONS`]) are the contract scripts and
//! tests rely on. A `keys.ron` file in the configuration folder patches them
//! per action, views and popups alike:
//!
//! ```ron
//! {
//!     "save": ["ctrl-s", "f2"],
//!     "delete": ["x"],
//!     "confirm_yes": ["j"],
//! }
//! ```
//!
//! An action named in the file gets exactly the keys listed; a key taken by
//! the file is removed from whatever action of the same context had it by
//! default. Actions that default to another's keys (saving from a form
//! follows `save`) follow a rebinding of it. A broken file keeps the
//! defaults, and the status bar says why.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{ACTIONS, Action, Context, Defaults};

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

/// The live key map: for each context, which key does which action.
#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: BTreeMap<(Context, Key), Action>,
    /// Each action's keys in the order they were given (the first is the
    /// one hints show).
    ordered: BTreeMap<Action, Vec<Key>>,
    /// What `keys.ron` said, action by action.
    explicit: BTreeMap<Action, Vec<Key>>,
}

/// The default keys of every action, `Like` defaults resolved against
/// `explicit` (the actions `keys.ron` names keep exactly its keys).
type Resolved = (BTreeMap<(Context, Key), Action>, BTreeMap<Action, Vec<Key>>);

fn resolve(explicit: &BTreeMap<Action, Vec<Key>>) -> Resolved {
    fn keys_of(a: Action, explicit: &BTreeMap<Action, Vec<Key>>, depth: u8) -> Vec<Key> {
        if let Some(k) = explicit.get(&a) {
            return k.clone();
        }
        match a.spec().defaults {
            Defaults::Keys(ks) => ks.iter().filter_map(|k| Key::parse(k).ok()).collect(),
            Defaults::Like(other) if depth < 4 => keys_of(other, explicit, depth + 1),
            Defaults::Like(_) => Vec::new(),
        }
    }
    let mut out = BTreeMap::new();
    let mut ordered = BTreeMap::new();
    // Defaults first; keys a user gave an action take their key from
    // whatever had it by default in the same context.
    let mut user_keys = std::collections::BTreeSet::new();
    for (a, keys) in explicit {
        for k in keys {
            user_keys.insert((a.context(), *k));
        }
    }
    for spec in ACTIONS {
        if explicit.contains_key(&spec.action) {
            continue;
        }
        let keys = keys_of(spec.action, explicit, 0);
        for k in &keys {
            if !user_keys.contains(&(spec.context, *k)) {
                out.entry((spec.context, *k)).or_insert(spec.action);
            }
        }
        ordered.insert(spec.action, keys);
    }
    for (a, keys) in explicit {
        for k in keys {
            out.insert((a.context(), *k), *a);
        }
        ordered.insert(*a, keys.clone());
    }
    (out, ordered)
}

impl Default for KeyMap {
    fn default() -> Self {
        let (bindings, ordered) = resolve(&BTreeMap::new());
        KeyMap {
            bindings,
            ordered,
            explicit: BTreeMap::new(),
        }
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
    /// The action of a key in a context.
    pub fn action_in(&self, ctx: Context, key: &Key) -> Option<Action> {
        self.bindings.get(&(ctx, *key)).copied()
    }

    /// The action of a key event in a context.
    pub fn lookup(&self, ctx: Context, e: &KeyEvent) -> Option<Action> {
        Key::from_event(e).and_then(|k| self.action_in(ctx, &k))
    }

    /// The action of a key in the views (the main context).
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.action_in(Context::Main, key)
    }

    pub fn action_for(&self, e: &KeyEvent) -> Option<Action> {
        self.lookup(Context::Main, e)
    }

    /// The keys bound to an action, in the order they were given.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let ctx = action.context();
        self.ordered
            .get(&action)
            .into_iter()
            .flatten()
            .filter(|k| self.bindings.get(&(ctx, **k)) == Some(&action))
            .copied()
            .collect()
    }

    /// The first key bound to an action, as shown in hints (`Ctrl-s`), or
    /// `(unbound)`.
    pub fn hint(&self, action: Action) -> String {
        self.keys_for(action)
            .first()
            .map_or_else(|| "(unbound)".to_string(), |k| k.to_string())
    }

    /// Every key of an action, as shown in help (`↑ k`).
    pub fn all_hints(&self, action: Action) -> String {
        let keys = self.keys_for(action);
        if keys.is_empty() {
            return "(unbound)".to_string();
        }
        keys.iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Applies a key map file's text over the defaults. On any error the map
    /// is left unchanged.
    pub fn patch(&mut self, path: &Path, text: &str) -> Result<(), KeyMapError> {
        let parsed: BTreeMap<String, Vec<String>> = crate::store::format::parse(path, text)
            .map_err(|e| KeyMapError(format!("{e}; using the default keys")))?;
        let at = |needle: &str| {
            let line = text
                .lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1);
            format!("{}:{line}", path.display())
        };
        let mut explicit: BTreeMap<Action, Vec<Key>> = self.explicit.clone();
        for (name, keys) in &parsed {
            let action = Action::from_name(name).ok_or_else(|| {
                KeyMapError(format!(
                    "{}: no action named {name:?}; using the default keys",
                    at(name)
                ))
            })?;
            let mut list = Vec::new();
            for k in keys {
                let key = Key::parse(k)
                    .map_err(|e| KeyMapError(format!("{}: {e}; using the default keys", at(k))))?;
                list.push(key);
            }
            explicit.insert(action, list);
        }
        let (bindings, ordered) = resolve(&explicit);
        self.bindings = bindings;
        self.ordered = ordered;
        self.explicit = explicit;
        Ok(())
    }

    /// The defaults patched by `keys.ron` in `dir`, and a message when the file
    /// could not be used.
    pub fn load(dir: Option<&Path>) -> (KeyMap, Option<String>) {
        let mut map = KeyMap::default();
        let Some(path) = dir.map(|d| d.join("keys.ron")) else {
            return (map, None);
        };
        let read = crate::store::read::read_regular_file(&path, crate::store::read::MAX_FILE_LEN);
        let text = match read {
            Ok(b) => match crate::store::format::decode(&path, &b) {
                Ok(t) => t,
                Err(e) => return (map, Some(format!("{e}; using the default keys"))),
            },
            Err(e) if e.is_not_found() => return (map, None),
            Err(e) => return (map, Some(format!("{e}; using the default keys"))),
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

    #[test]
    fn popup_keys_are_per_context_and_follow_a_rebound_save() {
        let mut m = KeyMap::default();
        let k = |s: &str| Key::parse(s).unwrap();
        assert_eq!(
            m.action_in(Context::Form, &k("tab")),
            Some(Action::FormNextField)
        );
        assert_eq!(
            m.action_in(Context::Main, &k("tab")),
            Some(Action::NextView)
        );
        assert_eq!(
            m.action_in(Context::Form, &k("ctrl-s")),
            Some(Action::FormApplySave)
        );
        m.patch(
            Path::new("keys.ron"),
            r#"{ "save": ["f2"], "confirm_yes": ["j"] }"#,
        )
        .unwrap();
        assert_eq!(m.hint(Action::FormApplySave), "F2");
        assert_eq!(m.hint(Action::CaptureKeep), "F2");
        assert_eq!(m.action_in(Context::Form, &k("ctrl-s")), None);
        assert_eq!(
            m.action_in(Context::Confirm, &k("j")),
            Some(Action::ConfirmYes)
        );
        assert_eq!(m.action_in(Context::Confirm, &k("y")), None);
        // Other contexts keep their keys.
        assert_eq!(m.action_in(Context::Main, &k("j")), Some(Action::Down));
    }
}
