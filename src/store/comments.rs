//! Comments in workspace files.
//!
//! RON allows `// line` and `/* block */` comments (nested), and people
//! editing a workspace by hand write them. valuemap writes its files from
//! the model, which has no place for a comment, so a save or `valuemap
//! fmt` drops them. Rather than lose them silently, loading a workspace
//! finds the first comment of each file ([`first_comment`]) and `check`,
//! `fmt` and the interface say that comments are not kept, with the file
//! and line.
//!
//! The scan follows RON's lexical rules: a `//` or `/*` inside a string
//! (`"https://..."`), a raw string (`r#"..."#`), a byte string or a
//! character literal (`'/'`) is text, not a comment. Files are scanned
//! after they parsed, so outside those literals a `/` can only start a
//! comment.

use std::path::PathBuf;

/// Where a file's first comment is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commented {
    pub path: PathBuf,
    /// 1-based line of the first comment.
    pub line: usize,
}

impl Commented {
    /// What to tell the user, after the `file:line: warning: ` prefix.
    pub const MESSAGE: &str =
        "comments are not kept: saving this file (or `valuemap fmt`) removes them";
}

impl std::fmt::Display for Commented {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: warning: {}",
            self.path.display(),
            self.line,
            Self::MESSAGE
        )
    }
}

/// Whether `b[i]` continues an identifier (so an `r` or `b` there is not
/// the start of a raw or byte string).
fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && {
        let c = b[i - 1];
        c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
    }
}

/// Past the end of a string whose opening `"` is just before `i`
/// (backslash escapes skipped); the end of the text when it is not closed.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Past the end of a character literal whose opening `'` is just before
/// `i`: `'a'`, `'"'`, `'\''`, `'\u{2028}'`.
fn skip_char(b: &[u8], mut i: usize) -> usize {
    if b.get(i) == Some(&b'\\') {
        i += 2;
    } else if i < b.len() {
        // One character; continuation bytes of UTF-8 are never `'`.
        i += 1;
    }
    match b[i.min(b.len())..].iter().position(|c| *c == b'\'') {
        Some(p) => i + p + 1,
        None => b.len(),
    }
}

/// A raw string starting at `i` (just after its `r`): `#`s, then `"`.
/// Returns the index past its end, or `None` when this is no raw string
/// (a raw identifier `r#name`, or a plain identifier).
fn skip_raw_string(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    if b.get(i + hashes) != Some(&b'"') {
        return None;
    }
    let mut j = i + hashes + 1;
    while j < b.len() {
        if b[j] == b'"'
            && b[j + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == b'#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}

/// The 1-based line and column of the first comment in RON `text`, if it
/// has one.
pub fn first_comment(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    // Most files have no `/` at all.
    if !b.contains(&b'/') {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i + 1),
            b'\'' => i = skip_char(b, i + 1),
            b'r' if !ident_before(b, i) => {
                i = skip_raw_string(b, i + 1).unwrap_or(i + 1);
            }
            b'b' if !ident_before(b, i) && b.get(i + 1) == Some(&b'r') => {
                i = skip_raw_string(b, i + 2).unwrap_or(i + 2);
            }
            b'/' if matches!(b.get(i + 1), Some(b'/' | b'*')) => {
                let before = &text[..i];
                let line = before.matches('\n').count() + 1;
                let start = before.rfind('\n').map_or(0, |n| n + 1);
                return Some((line, text[start..i].chars().count() + 1));
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_where_they_start() {
        assert_eq!(first_comment("// first\n(a: 1)"), Some((1, 1)));
        assert_eq!(first_comment("(\n  a: 1, // why\n)"), Some((2, 9)));
        assert_eq!(
            first_comment("(\n  /* out:\n  b: 2, */\n  a: 1)"),
            Some((2, 3))
        );
        // Nested block comments start at the outer one.
        assert_eq!(first_comment("(a: /* x /* y */ z */ 1)"), Some((1, 5)));
        // The column counts characters, not bytes.
        assert_eq!(first_comment("(é: 1 // c\n)"), Some((1, 7)));
        assert_eq!(first_comment("(a: 1)"), None);
        assert_eq!(first_comment(""), None);
    }

    #[test]
    fn slashes_inside_literals_are_text() {
        for text in [
            r#"(url: "https://example.com/a//b")"#,
            r#"(s: "a \" // still text")"#,
            r#"(s: "ends with a backslash \\", t: "//")"#,
            r##"(s: r#"raw // "quoted" text"#)"##,
            r#"(s: r"raw /* text")"#,
            r###"(s: r##"a "# // b"##)"###,
            r#"(s: b"bytes // here")"#,
            r#"(s: br"raw bytes // here")"#,
            "(c: '/', d: '\\'', e: '\"', f: \"//\")",
            "(body: \"line one\n// not a comment\nline three\")",
        ] {
            assert_eq!(first_comment(text), None, "{text}");
        }
    }

    #[test]
    fn a_comment_after_literals_is_still_found() {
        assert_eq!(
            first_comment("(url: \"https://x\",\n  s: r#\"//\"#, c: '/', // here\n)"),
            Some((2, 23))
        );
        // A raw identifier is no raw string; an identifier ending in r or b
        // starts nothing.
        assert_eq!(
            first_comment("(r#type: 1, bar: \"x\" // c\n)"),
            Some((1, 22))
        );
        assert_eq!(first_comment("(br: 1) // c"), Some((1, 9)));
    }

    #[test]
    fn every_comment_ron_accepts_is_found_and_nothing_else() {
        // What the parser itself says: text with a comment parses the same
        // once the comment is cut out at the place the scan reports.
        let cases = [
            "(a: \"//\", // c\n b: 2)",
            "(a: r#\"/*\"#, /* c */ b: 2)",
            "/* lead */ (a: 'x', b: 2)",
        ];
        for text in cases {
            let (line, col) = first_comment(text).unwrap();
            let at: usize = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>()
                + text
                    .lines()
                    .nth(line - 1)
                    .unwrap()
                    .char_indices()
                    .nth(col - 1)
                    .unwrap()
                    .0;
            assert!(
                text[at..].starts_with("//") || text[at..].starts_with("/*"),
                "{text}"
            );
            let value: ron::Value = ron::from_str(text).unwrap();
            let cut = if text[at..].starts_with("//") {
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                format!("{}{}", &text[..at], &text[end..])
            } else {
                let end = at + text[at..].find("*/").unwrap() + 2;
                format!("{}{}", &text[..at], &text[end..])
            };
            assert_eq!(ron::from_str::<ron::Value>(&cut).unwrap(), value, "{text}");
        }
    }
}
