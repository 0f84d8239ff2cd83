//! Text that reaches a terminal or a report: control characters removed,
//! widths measured in terminal cells, cuts made on grapheme boundaries, and
//! user text escaped for Markdown ([`md_inline`], for the Markdown export and
//! `valuemap diff --format md`).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Whether a character could change the terminal's state or the layout if
/// printed: C0 and C1 controls, DEL, and the bidirectional overrides and
/// isolates that reorder the rest of a line.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether a character ends a line or a paragraph: a terminal does not
/// break the line for U+2028 and U+2029, but measures them as nothing or as
/// one cell depending on its font, which shifts the rest of the row.
fn is_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// One line of text made safe to draw: control characters are dropped, tabs
/// and line breaks (with the Unicode line and paragraph separators) become
/// spaces, so escape sequences stored in a file can never reach the
/// terminal and a name always stays on its row.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_separator(c) => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Like [`sanitize`], but keeps line breaks (`\r\n`, `\r` and the Unicode
/// line and paragraph separators become `\n`), for multi-line text such as
/// a note body.
pub fn sanitize_multiline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            c if is_separator(c) => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, on a grapheme boundary, ending with `…`
/// when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Pads or cuts `s` to exactly `w` cells.
pub fn fit(s: &str, w: usize) -> String {
    let mut t = truncate(s, w);
    let tw = width(&t);
    if tw < w {
        t.push_str(&" ".repeat(w - tw));
    }
    t
}

/// A number as people read it: no trailing `.0`, at most 2 decimals.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A value with its unit: `99.9%`, `46 visits/week`.
pub fn with_unit(v: f64, unit: &str) -> String {
    let unit = sanitize(unit);
    match unit.chars().next() {
        None => num(v),
        Some(c) if c.is_alphanumeric() => format!("{} {unit}", num(v)),
        Some(_) => format!("{}{unit}", num(v)),
    }
}

/// "1 note", "3 notes", "2 activities": a count with its noun.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let plural = if let Some(stem) = noun.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'o', 'u'])
    {
        format!("{stem}ies")
    } else if noun.ends_with('s') || noun.ends_with("sh") || noun.ends_with("ch") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    };
    format!("{n} {plural}")
}

/// One line of user text, safe anywhere in a Markdown document: in a table
/// cell, a list item or a heading. Control characters and line breaks are
/// removed and Markdown punctuation is backslash-escaped, so that no name,
/// note or quote can open a heading, a link or raw HTML.
pub fn md_inline(s: &str) -> String {
    let s = sanitize(s);
    let s = s.trim();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            // Inline syntax anywhere in a line: emphasis, code, links,
            // images, raw HTML and autolinks, table cells, strikethrough,
            // entities, and the escape character itself.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            // Block syntax only counts at the start of a line: headings,
            // quotes, list items, setext underlines, thematic breaks.
            '#' | '+' | '-' | '=' | '!' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    // "1. text" or "1) text" at the start would be an ordered list ("99.5%"
    // would not).
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut rest = out[digits..].chars();
    if digits > 0
        && matches!(rest.next(), Some('.' | ')'))
        && rest.next().is_none_or(char::is_whitespace)
    {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_survive() {
        let hostile = "title\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m end";
        let s = sanitize(hostile);
        assert!(!s.chars().any(char::is_control), "{s:?}");
        assert_eq!(s, "title]0;pwned[2J31m end");
        assert_eq!(sanitize("a\tb\nc"), "a b c");
        assert_eq!(sanitize("x\u{202E}y"), "xy");
    }

    #[test]
    fn multiline_keeps_lines_but_not_controls() {
        assert_eq!(sanitize_multiline("a\r\nb\rc\u{1b}[1m\n"), "a\nb\nc[1m\n");
        assert_eq!(sanitize_multiline("a\u{2028}b\u{2029}c"), "a\nb\nc");
    }

    #[test]
    fn line_and_paragraph_separators_never_reach_a_row() {
        let name = "Platform\u{2028}developer\u{2029}x\u{85}y";
        let s = sanitize(name);
        assert_eq!(s, "Platform developer xy");
        assert_eq!(width(&s), s.chars().count(), "every character is one cell");
    }

    #[test]
    fn truncation_respects_width_and_graphemes() {
        assert_eq!(truncate("Create a cluster", 8), "Create …");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(truncate("日本語のテキスト", 7), "日本語…");
        assert!(width(&truncate("日本語のテキスト", 6)) <= 6);
        // A family emoji is one grapheme: it is kept whole or dropped whole.
        let fam = "👨‍👩‍👧";
        let t = truncate(&format!("{fam}x{fam}x"), 4);
        assert_eq!(t, format!("{fam}x…"));
        assert_eq!(truncate(&format!("{fam}{fam}"), 3), format!("{fam}…"));
        // e + combining acute stays together.
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(99.95), "99.95");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(with_unit(99.5, "%"), "99.5%");
        assert_eq!(with_unit(46.0, "visits/week"), "46 visits/week");
        assert_eq!(with_unit(3.0, ""), "3");
    }

    #[test]
    fn fit_pads_to_exact_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(width(&fit("日本語のテキスト", 5)), 5);
    }

    #[test]
    fn counts_take_the_right_plural() {
        assert_eq!(count(1, "match"), "1 match");
        assert_eq!(count(2, "match"), "2 matches");
        assert_eq!(count(3, "activity"), "3 activities");
        assert_eq!(count(0, "note"), "0 notes");
        assert_eq!(count(2, "day"), "2 days");
    }

    #[test]
    fn markdown_inline_text_opens_nothing() {
        assert_eq!(
            md_inline("# [x](y) <b>*a*_b_ `c` |d| ~e~ &amp; \\"),
            "\\# \\[x\\](y) \\<b\\>\\*a\\*\\_b\\_ \\`c\\` \\|d\\| \\~e\\~ \\&amp; \\\\"
        );
        assert_eq!(
            md_inline(" - item\n# not a heading "),
            "\\- item # not a heading"
        );
        assert_eq!(md_inline("1. first"), "1\\. first");
        assert_eq!(md_inline("2) second"), "2\\) second");
        assert_eq!(md_inline("99.5% up"), "99.5% up");
        assert_eq!(md_inline("a-b+c"), "a-b+c");
        assert_eq!(md_inline("\u{1b}[31mred"), "\\[31mred");
    }
}
