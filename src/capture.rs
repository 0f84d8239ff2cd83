//! The interview line syntax: structure typed at the speed of a conversation.
//!
//! ```text
//! Cluster requests take too long          ← the first line is the note's title
//! > We wait two days for every cluster    ← a quote
//! ! Every cluster is a ticket             ← a pain
//! + Self-service with sane defaults       ← a need
//! ? Would they pay for faster clusters?   ← an open question
//! Plain text, with #tags and @Create-a-cluster mentions anywhere.
//! ```
//!
//! Parsing never fails and loses nothing: every line keeps its raw text, and
//! [`Parsed::body`] gives back exactly what was parsed.

use std::collections::BTreeSet;

use crate::model::{Activity, Id, OpportunityKind, Workspace};

/// What a line of a note is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// The first non-blank line.
    Title,
    /// `> ...`
    Quote,
    /// `! ...`
    Pain,
    /// `+ ...`
    Need,
    /// `? ...`
    Question,
    Text,
    Blank,
}

impl LineKind {
    /// The marker that starts a line of this kind.
    pub fn marker(self) -> Option<char> {
        match self {
            LineKind::Quote => Some('>'),
            LineKind::Pain => Some('!'),
            LineKind::Need => Some('+'),
            LineKind::Question => Some('?'),
            _ => None,
        }
    }

    fn from_marker(c: char) -> Option<LineKind> {
        match c {
            '>' => Some(LineKind::Quote),
            '!' => Some(LineKind::Pain),
            '+' => Some(LineKind::Need),
            '?' => Some(LineKind::Question),
            _ => None,
        }
    }
}

/// One line of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    /// The line exactly as typed.
    pub raw: String,
    /// The line without its marker and surrounding blanks.
    pub text: String,
}

/// A parsed note body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub lines: Vec<Line>,
}

/// A `#tag` or `@mention` inside a line: its byte range and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '/' || c == '.'
}

/// The `#tags` (with `sigil = '#'`) or `@mentions` (`'@'`) in a line. A sigil
/// must start the line or follow a blank or an opening bracket, so that an
/// e-mail address or `C#` is not a tag.
pub fn tokens(line: &str, sigil: char) -> Vec<Token> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let starts = c == sigil && prev.is_none_or(|p| p.is_whitespace() || "([{\"'".contains(p));
        prev = Some(c);
        if !starts {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if !word_char(d) {
                break;
            }
            end = j + d.len_utf8();
            prev = Some(d);
            iter.next();
        }
        // Trailing punctuation ends a sentence, not the name.
        let mut name = &line[i + c.len_utf8()..end];
        while name.ends_with(['.', '/', '-']) {
            name = &name[..name.len() - 1];
        }
        if !name.is_empty() {
            out.push(Token {
                start: i,
                end: i + c.len_utf8() + name.len(),
                name: name.to_string(),
            });
        }
    }
    out
}

/// Parses a note body. Never fails.
pub fn parse(body: &str) -> Parsed {
    let mut lines = Vec::new();
    let mut seen_title = false;
    for raw in body.split('\n') {
        let trimmed = raw.trim();
        let (kind, text) = if trimmed.is_empty() {
            (LineKind::Blank, String::new())
        } else if let Some(kind) = trimmed.chars().next().and_then(LineKind::from_marker) {
            (kind, trimmed[1..].trim().to_string())
        } else if !seen_title {
            (LineKind::Title, trimmed.to_string())
        } else {
            (LineKind::Text, trimmed.to_string())
        };
        if kind != LineKind::Blank {
            seen_title = true;
        }
        lines.push(Line {
            kind,
            raw: raw.to_string(),
            text,
        });
    }
    Parsed { lines }
}

impl Parsed {
    /// The body, exactly as it was parsed.
    pub fn body(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.raw.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The title: the first non-blank line, without a marker.
    pub fn title(&self) -> String {
        self.lines
            .iter()
            .find(|l| l.kind != LineKind::Blank)
            .map(|l| l.text.clone())
            .unwrap_or_default()
    }

    pub fn of_kind(&self, kind: LineKind) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(move |l| l.kind == kind)
    }

    /// Every `#tag`, without the `#`, in order of first appearance.
    pub fn tags(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for l in &self.lines {
            for t in tokens(&l.raw, '#') {
                if seen.insert(t.name.to_lowercase()) {
                    out.push(t.name);
                }
            }
        }
        out
    }

    /// Every `@mention`, without the `@`.
    pub fn mentions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.lines {
            for t in tokens(&l.raw, '@') {
                if !out.contains(&t.name) {
                    out.push(t.name);
                }
            }
        }
        out
    }

    /// The pains and needs, each a suggested opportunity with its line as
    /// evidence.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        self.lines
            .iter()
            .filter_map(|l| {
                let kind = match l.kind {
                    LineKind::Pain => OpportunityKind::Pain,
                    LineKind::Need => OpportunityKind::Need,
                    _ => return None,
                };
                // A line of only tags (`! #urgent`) names nothing to
                // work on: no opportunity without a title.
                let title = strip_tokens(&l.text).trim().to_string();
                (!title.is_empty()).then(|| Suggestion {
                    kind,
                    title,
                    line: l.raw.trim().to_string(),
                })
            })
            .collect()
    }
}

/// A pain or need from a note, offered as an opportunity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: OpportunityKind,
    /// The opportunity's title: the line without marker, tags and mentions.
    pub title: String,
    /// The note line, kept as the evidence quote.
    pub line: String,
}

/// The text without `#tags` and with `@mentions` turned into plain words.
pub fn strip_tokens(text: &str) -> String {
    let mut out = text.to_string();
    let mut toks: Vec<(Token, bool)> = tokens(text, '#')
        .into_iter()
        .map(|t| (t, true))
        .chain(tokens(text, '@').into_iter().map(|t| (t, false)))
        .collect();
    toks.sort_by_key(|(t, _)| std::cmp::Reverse(t.start));
    for (t, is_tag) in toks {
        let replacement = if is_tag {
            String::new()
        } else {
            t.name.replace('-', " ")
        };
        out.replace_range(t.start..t.end, &replacement);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds tags that are not there yet (compared without case, without `#`).
pub fn merge_tags(into: &mut Vec<String>, more: impl IntoIterator<Item = String>) {
    for t in more {
        let t = t.trim().trim_start_matches('#').to_string();
        if !t.is_empty() && !into.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
            into.push(t);
        }
    }
}

/// What a mention refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    Activity(&'a Activity),
    /// No activity matches.
    Unknown,
    /// Several activities match; the names are listed.
    Ambiguous(Vec<&'a str>),
}

fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds an activity by id, by name (case-insensitive, `-` and `_` for
/// spaces), or by a unique prefix of its name.
pub fn resolve_activity<'a>(ws: &'a Workspace, name: &str) -> Resolved<'a> {
    let id = Id::new(name);
    if let Some(a) = ws.activity(&id) {
        return Resolved::Activity(a);
    }
    let want = normalise(name);
    if want.is_empty() {
        return Resolved::Unknown;
    }
    let all: Vec<&Activity> = ws.activities().map(|(_, a)| a).collect();
    if let Some(a) = all.iter().find(|a| normalise(&a.name) == want) {
        return Resolved::Activity(a);
    }
    let matches: Vec<&Activity> = all
        .iter()
        .copied()
        .filter(|a| normalise(&a.name).starts_with(&want))
        .collect();
    match matches.len() {
        0 => Resolved::Unknown,
        1 => Resolved::Activity(matches[0]),
        _ => Resolved::Ambiguous(matches.iter().map(|a| a.name.as_str()).collect()),
    }
}

/// Finds a persona the same way: id, name, or unique prefix.
pub fn resolve_persona<'a>(
    ws: &'a Workspace,
    name: &str,
) -> Result<&'a crate::model::Persona, String> {
    if let Some(p) = ws.persona(&Id::new(name)) {
        return Ok(p);
    }
    let want = normalise(name);
    if let Some(p) = ws.personas.iter().find(|p| normalise(&p.name) == want) {
        return Ok(p);
    }
    let matches: Vec<_> = ws
        .personas
        .iter()
        .filter(|p| !want.is_empty() && normalise(&p.name).starts_with(&want))
        .collect();
    match matches.len() {
        1 => Ok(matches[0]),
        0 => Err(format!(
            "no persona matches \"{name}\"; personas: {}",
            ws.personas
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(format!(
            "\"{name}\" matches several personas: {}",
            matches
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    const BODY: &str = "Cluster requests take too long\n\
        > We wait two days for every cluster\n\
        ! Every cluster is a ticket #onboarding\n\
        +   Self-service with sane defaults @Create-a-cluster\n\
        \n\
        ? Would they pay for it?\n\
        Plain text with a #tag, an e-mail a@b.c and C# code.";

    #[test]
    fn lines_are_classified() {
        let p = parse(BODY);
        let kinds: Vec<_> = p.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Title,
                LineKind::Quote,
                LineKind::Pain,
                LineKind::Need,
                LineKind::Blank,
                LineKind::Question,
                LineKind::Text
            ]
        );
        assert_eq!(p.title(), "Cluster requests take too long");
        assert_eq!(
            p.lines[3].text,
            "Self-service with sane defaults @Create-a-cluster"
        );
        assert_eq!(p.body(), BODY);
    }

    #[test]
    fn tags_and_mentions() {
        let p = parse(BODY);
        assert_eq!(p.tags(), ["onboarding", "tag"]);
        assert_eq!(p.mentions(), ["Create-a-cluster"]);
        let t = tokens("see #a, #b. and (#c) x#d", '#');
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(&"see #a, #b."[t[1].start..t[1].end], "#b");
    }

    #[test]
    fn pains_and_needs_become_suggestions() {
        let s = parse(BODY).suggestions();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].kind, OpportunityKind::Pain);
        assert_eq!(s[0].title, "Every cluster is a ticket");
        assert_eq!(s[0].line, "! Every cluster is a ticket #onboarding");
        assert_eq!(s[1].kind, OpportunityKind::Need);
        assert_eq!(
            s[1].title,
            "Self-service with sane defaults Create a cluster"
        );
        // An empty marker line suggests nothing.
        assert!(parse("t\n!\n+   ").suggestions().is_empty());
    }

    #[test]
    fn a_marked_first_line_is_not_a_title() {
        let p = parse("\n! Pain first\nthen text");
        assert_eq!(p.lines[1].kind, LineKind::Pain);
        assert_eq!(p.lines[2].kind, LineKind::Text);
        assert_eq!(p.title(), "Pain first");
        assert_eq!(parse("").title(), "");
    }

    #[test]
    fn activities_and_personas_resolve_by_name_prefix_or_id() {
        let ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let Resolved::Activity(a) = resolve_activity(&ws, "Create-a-cluster") else {
            panic!()
        };
        assert_eq!(a.name, "Create a cluster");
        let Resolved::Activity(b) = resolve_activity(&ws, "monitor a w") else {
            panic!()
        };
        assert_eq!(b.name, "Monitor a workload");
        let Resolved::Activity(c) = resolve_activity(&ws, a.id.as_str()) else {
            panic!()
        };
        assert_eq!(c.id, a.id);
        assert!(matches!(resolve_activity(&ws, "create"), Resolved::Ambiguous(v) if v.len() == 2));
        assert_eq!(resolve_activity(&ws, "fly"), Resolved::Unknown);
        assert_eq!(
            resolve_persona(&ws, "platform").unwrap().name,
            "Platform developer"
        );
        assert_eq!(
            resolve_persona(&ws, "ENGINEERING manager").unwrap().name,
            "Engineering manager"
        );
        assert!(
            resolve_persona(&ws, "nobody")
                .unwrap_err()
                .contains("personas: Platform developer")
        );
        assert!(resolve_persona(&ws, "").is_err());
    }

    #[test]
    fn strip_tokens_keeps_words() {
        assert_eq!(
            strip_tokens("Slow #tag @Create-a-cluster now"),
            "Slow Create a cluster now"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn body() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            any::<String>(),
            "[ \t]{0,3}[>!+?#@]?[ ]?[a-zA-Z#@ -]{0,30}",
            Just(String::new()),
        ];
        prop::collection::vec(line, 0..12).prop_map(|v| v.join("\n"))
    }

    proptest! {
        /// Any text parses, and nothing is lost: the body round-trips, every
        /// line keeps its raw text, and a marked line's text is what follows
        /// its marker.
        #[test]
        fn any_text_parses_and_round_trips(s in body()) {
            let p = parse(&s);
            prop_assert_eq!(p.body(), s.clone());
            prop_assert_eq!(p.lines.len(), s.split('\n').count());
            for l in &p.lines {
                let t = l.raw.trim();
                match l.kind.marker() {
                    Some(m) => {
                        prop_assert!(t.starts_with(m));
                        prop_assert_eq!(&l.text, t[m.len_utf8()..].trim());
                    }
                    None => prop_assert_eq!(&l.text, t),
                }
            }
            prop_assert!(p.lines.iter().filter(|l| l.kind == LineKind::Title).count() <= 1);
            for s in p.suggestions() {
                prop_assert!(!s.line.is_empty());
            }
            let _ = p.tags();
            let _ = p.mentions();
        }
    }
}
