//! The interview line syntax: structure typed at the speed of a conversation.
//!
//! ```text
//! Cluster requests take too long          ← the first line is the note's title
//! > We wait two days for every cluster    ← a quote
//! ! Every cluster is a ticket             ← a pain
//! + Self-service with sane defaults       ← a need
//! ? Would they pay for faster clusters?   ← an open question
//! Plain text, with #tags and @Create-a-cluster mentions anywhere.
//! > It took a week ~billing-export        ← evidence for an assumption test
//! = 4/2                                   ← the interviewee's importance/satisfaction
//! = 3/1 @Operate-a-cluster                ← ... for another activity
//! ```
//!
//! A rating line (`=`) is read by [`crate::model::ratings`].
//!
//! Parsing never fails and loses nothing: every line keeps its raw text, and
//! [`Parsed::body`] gives back exactly what was parsed.

use std::collections::BTreeSet;

use crate::model::OpportunityKind;

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
    /// `= importance/satisfaction [@activity]`
    Rating,
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
            LineKind::Rating => Some('='),
            _ => None,
        }
    }

    fn from_marker(c: char) -> Option<LineKind> {
        match c {
            '>' => Some(LineKind::Quote),
            '!' => Some(LineKind::Pain),
            '+' => Some(LineKind::Need),
            '?' => Some(LineKind::Question),
            '=' => Some(LineKind::Rating),
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

/// The text without its `#tags`, `@mentions` and `~test` references: they
/// are marks for valuemap (a tag list, linked activities, evidence for an
/// assumption test), not words of the sentence.
pub fn strip_tokens(text: &str) -> String {
    let mut out = text.to_string();
    let mut toks: Vec<Token> = tokens(text, '#')
        .into_iter()
        .chain(tokens(text, '@'))
        .chain(tokens(text, '~'))
        .collect();
    toks.sort_by_key(|t| std::cmp::Reverse(t.start));
    for t in toks {
        out.replace_range(t.start..t.end, "");
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of a note as people read it in a quote: without the capture
/// marker (`>`, `!`, `+`, `?`) and without `#tags` and `@mentions`.
pub fn quote_text(line: &str) -> String {
    let t = line.trim();
    let t = match t.chars().next() {
        Some(c @ ('>' | '!' | '+' | '?' | '=')) => t[c.len_utf8()..].trim_start(),
        _ => t,
    };
    strip_tokens(t)
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

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Cluster requests take too long\n\
        > We wait two days for every cluster\n\
        ! Every cluster is a ticket #onboarding\n\
        +   Self-service with sane defaults @Create-a-cluster\n\
        \n\
        ? Would they pay for it?\n\
        = 4/2\n\
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
                LineKind::Rating,
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
        // The mention links an activity; it is not part of the title.
        assert_eq!(s[1].title, "Self-service with sane defaults");
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
    fn marks_never_leak_into_titles_or_quotes() {
        assert_eq!(strip_tokens("Slow #tag @Create-a-cluster now"), "Slow now");
        assert_eq!(
            quote_text("! Builds fail after lunch @run-tests #ci"),
            "Builds fail after lunch"
        );
        assert_eq!(quote_text("> as is"), "as is");
        assert_eq!(
            quote_text("> It took a week ~billing-export"),
            "It took a week"
        );
        let p = parse("T\n! Deploys hang @create-a-deployment #ops");
        assert_eq!(p.suggestions()[0].title, "Deploys hang");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn body() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            any::<String>(),
            "[ \t]{0,3}[>!+?#@=]?[ ]?[a-zA-Z0-9/#@ -]{0,30}",
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
