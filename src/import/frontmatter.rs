//! The front matter of a Markdown note: a YAML block between `---` lines at
//! the top of the file, as Obsidian, Logseq and most static site tools write
//! it.
//!
//! Read with a YAML 1.2 parser, so anything YAML allows is accepted: quoted
//! or plain strings, folded (`>`) and literal (`|`) blocks, flow (`[a, b]`)
//! and block (`- a`) lists in any mix, trailing `# comments`. Keys are
//! matched without case (`Tags` is `tags`). What valuemap reads:
//! `interviewee`, `persona`, `title` (text), `date` (a date, or a date and
//! time whose date is taken), `activities` / `activity` and `tags` / `tag` (a
//! list, or text separated by `,` or `;`). Every other key is left out and
//! reported to the caller, so that notes written for other tools import as
//! they are. An Obsidian link (`"[[Kenji]]"`) stands for its name.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use saphyr::{MarkedYaml, Scalar, ScalarStyle, ScanError, YamlData, YamlLoader};
use saphyr_parser::Parser;

use super::{list, tag_list};
use crate::capture::{At, Draft};

/// The keys valuemap reads, as listed in messages.
pub(super) const KEYS: &str = "interviewee, persona, date, activities, tags, title";

/// What the front matter of one note held besides the note's fields.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    /// The date it gives, if any.
    pub date: Option<NaiveDate>,
    /// The index of the body's first line.
    pub body_start: usize,
    /// The keys left out, as written, in order.
    pub ignored: Vec<String>,
    /// Things worth knowing that stop nothing.
    pub notices: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Interviewee,
    Persona,
    Date,
    Activities,
    Tags,
    Title,
}

impl Key {
    fn of(name: &str) -> Option<Key> {
        Some(match name.trim().to_lowercase().as_str() {
            "interviewee" => Key::Interviewee,
            "persona" => Key::Persona,
            "date" => Key::Date,
            "activities" | "activity" => Key::Activities,
            "tags" | "tag" => Key::Tags,
            "title" => Key::Title,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Key::Interviewee => "interviewee",
            Key::Persona => "persona",
            Key::Date => "date",
            Key::Activities => "activities",
            Key::Tags => "tags",
            Key::Title => "title",
        }
    }
}

/// Reads the front matter at the top of a note's `lines` (if it has any)
/// into `draft`. `None` when the note cannot be read at all: the front
/// matter is never closed or is not valid YAML. Every problem goes to
/// `problems`, naming the file and line.
pub(super) fn read(
    file: &str,
    lines: &[&str],
    draft: &mut Draft,
    problems: &mut Vec<String>,
) -> Option<FrontMatter> {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Some(FrontMatter::default());
    }
    let Some(end) = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map(|i| i + 1)
    else {
        problems.push(format!(
            "{file}:1: the front matter starts with --- but no line closes it with ---"
        ));
        return None;
    };
    let mut out = FrontMatter {
        body_start: end + 1,
        ..FrontMatter::default()
    };
    // The YAML starts on the file's second line.
    let at = |line: usize| format!("{file}:{}", line + 1);
    let yaml = lines[1..end].join("\n");
    let docs = match load(&yaml) {
        Ok(d) => d,
        Err(e) => {
            let m = e.marker();
            let (line, place) = if m.line() < end {
                (m.line(), format!("column {}", m.col() + 1))
            } else {
                // Noticed only at the closing line: what went wrong is on
                // the last line that holds something.
                let last = (1..end)
                    .rev()
                    .find(|&i| !lines[i].trim().is_empty())
                    .unwrap_or(m.line());
                (last, "noticed at the closing ---".to_string())
            };
            problems.push(format!(
                "{}: the front matter is not valid YAML: {} ({place})",
                at(line),
                e.info()
            ));
            return None;
        }
    };
    let Some(doc) = docs.first() else {
        return Some(out);
    };
    let map = match &doc.data {
        YamlData::Mapping(m) => m,
        _ if scalar_text(doc).is_some_and(|t| t.is_empty()) => return Some(out),
        _ => {
            problems.push(format!(
                "{}: the front matter is not a set of `key: value` lines (keys: {KEYS})",
                at(doc.span.start.line())
            ));
            return None;
        }
    };
    let mut seen: Vec<(Key, usize)> = Vec::new();
    for (k, v) in map {
        let line = k.span.start.line();
        let name = scalar_text(k).unwrap_or_else(|| "(a key that is not text)".into());
        let Some(key) = Key::of(&name) else {
            out.ignored.push(name);
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == key) {
            problems.push(format!(
                "{}: {} is given twice (first on line {})",
                at(line),
                key.name(),
                first + 1
            ));
            continue;
        }
        seen.push((key, line));
        let here = at(line);
        match key {
            Key::Interviewee | Key::Persona | Key::Title => {
                let text = match one_text(v) {
                    Ok(t) => t,
                    Err(e) => {
                        problems.push(format!("{here}: {}: {e}", key.name()));
                        continue;
                    }
                };
                match key {
                    Key::Interviewee => draft.interviewee = text,
                    Key::Persona => {
                        draft.persona = Some(At {
                            value: text,
                            at: here,
                        })
                    }
                    _ => {
                        draft.title = Some(At {
                            value: text,
                            at: here,
                        })
                    }
                }
            }
            Key::Date => match one_text(v).and_then(|t| date_of(&t)) {
                Ok(d) => out.date = d,
                Err(e) => problems.push(format!("{here}: date: {e}")),
            },
            Key::Activities | Key::Tags => {
                // `tags: #a #b` is a key and a YAML comment: say so rather
                // than lose the tags quietly.
                let after_colon = lines
                    .get(line)
                    .and_then(|l| l.split_once(':'))
                    .map_or("", |(_, rest)| rest.trim_start());
                let empty = scalar_text(v).is_some_and(|t| t.is_empty());
                if empty && after_colon.starts_with('#') {
                    out.notices.push(format!(
                        "{here}: {}: a `#` after a blank starts a YAML comment, so nothing is read here; write the values without `#`, or in quotes",
                        key.name()
                    ));
                }
                let mut items = Vec::new();
                if let Err((l, e)) = list_items(v, &mut items) {
                    problems.push(format!("{}: {}: {e}", at(l), key.name()));
                    continue;
                }
                // A list item is one value; text is split at `,` and `;`.
                let from_list = scalar_text(v).is_none();
                for (l, text) in items {
                    let values = match (key, from_list) {
                        (_, true) => vec![text],
                        (Key::Activities, false) => list(&text, &[',', ';']),
                        _ => tag_list(&text),
                    };
                    if key == Key::Activities {
                        let at = at(l);
                        draft.activities.extend(values.into_iter().map(|value| At {
                            value,
                            at: at.clone(),
                        }));
                    } else {
                        draft.tags.extend(values);
                    }
                }
            }
        }
    }
    Some(out)
}

/// The YAML documents of `yaml`, every scalar kept as written (so that a
/// title `1.10` stays `1.10`, not the number 1.1).
fn load(yaml: &str) -> Result<Vec<MarkedYaml<'_>>, ScanError> {
    let mut loader = YamlLoader::<MarkedYaml>::default();
    loader.early_parse(false);
    Parser::new_from_str(yaml).load(&mut loader, true)?;
    if let Some(e) = loader.error() {
        return Err(e.clone());
    }
    Ok(loader.into_documents())
}

/// A scalar as text, as written (`None` for a list or a mapping); a null
/// (nothing, `~` or `null`) is empty text.
fn scalar_text(node: &MarkedYaml) -> Option<String> {
    match &node.data {
        YamlData::Representation(text, style, _) => {
            let null = *style == ScalarStyle::Plain
                && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL");
            Some(if null {
                String::new()
            } else {
                text.to_string()
            })
        }
        YamlData::Value(s) => Some(match s {
            Scalar::Null => String::new(),
            Scalar::Boolean(b) => b.to_string(),
            Scalar::Integer(i) => i.to_string(),
            Scalar::FloatingPoint(f) => f.to_string(),
            Scalar::String(s) => s.to_string(),
        }),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

/// An Obsidian link (`[[Name]]`, `[[Name|shown]]`) as the name it links to;
/// other text trimmed.
fn unlink(s: &str) -> String {
    let t = s.trim();
    match t.strip_prefix("[[").and_then(|x| x.strip_suffix("]]")) {
        Some(inner) if !inner.contains("[[") && !inner.contains("]]") => inner
            .split('|')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
        _ => t.to_string(),
    }
}

/// A value that must be one piece of text: a scalar, or a list of one.
fn one_text(node: &MarkedYaml) -> Result<String, String> {
    if let Some(t) = scalar_text(node) {
        return Ok(unlink(&t));
    }
    if let YamlData::Sequence(items) = &node.data {
        match items.as_slice() {
            [] => return Ok(String::new()),
            [one] => return one_text(one),
            _ => {}
        }
    }
    Err("expected one value, not a list or a set of keys".into())
}

/// The items of a list value with their lines: a list (flow or block,
/// nested lists flattened) or one piece of text. A set of keys is an error
/// at its line.
fn list_items(node: &MarkedYaml, out: &mut Vec<(usize, String)>) -> Result<(), (usize, String)> {
    let line = node.span.start.line();
    if let Some(t) = scalar_text(node) {
        let t = unlink(&t);
        if !t.is_empty() {
            out.push((line, t));
        }
        return Ok(());
    }
    match &node.data {
        YamlData::Sequence(items) => {
            for i in items {
                list_items(i, out)?;
            }
            Ok(())
        }
        YamlData::Tagged(_, inner) => list_items(inner, out),
        _ => Err((line, "expected a list or text, not a set of keys".into())),
    }
}

/// A date, or a date and time (`2026-10-03T14:30:00`, with or without
/// seconds, a `T` or a blank, a `Z` or an offset): the date as written.
/// Empty text is no date.
fn date_of(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Some(d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.naive_local().date()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Some(t.date()));
        }
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(Some(t.naive_local().date()));
        }
    }
    Err(format!(
        "{s:?} is not a date (YYYY-MM-DD, or a date and time such as 2026-10-03T14:30:00)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> (Draft, Result<FrontMatter, Vec<String>>) {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut d = Draft::default();
        let mut problems = Vec::new();
        let r = read("n.md", &lines, &mut d, &mut problems);
        let r = match r {
            Some(f) if problems.is_empty() => Ok(f),
            _ => Err(problems),
        };
        (d, r)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_and_date_times_give_their_date() {
        for (s, want) in [
            ("2026-10-03", "2026-10-03"),
            ("2026-10-03T14:30:00", "2026-10-03"),
            ("2026-10-03T14:30", "2026-10-03"),
            ("2026-10-03 14:30", "2026-10-03"),
            ("2026-10-03T23:30:00.123", "2026-10-03"),
            ("2026-10-03T23:30:00Z", "2026-10-03"),
            ("2026-10-03T23:30:00-08:00", "2026-10-03"),
            ("2026-10-03 23:30:00 +0200", "2026-10-03"),
        ] {
            assert_eq!(date_of(s), Ok(Some(day(want))), "{s}");
        }
        assert_eq!(date_of("  "), Ok(None));
        for bad in ["2026-13-01", "2026-10-03T25:00", "yesterday", "20261003"] {
            assert!(date_of(bad).unwrap_err().contains("is not a date"), "{bad}");
        }
    }

    #[test]
    fn fields_lists_and_links() {
        let (d, r) = front(
            "---\n\
             Interviewee: \"[[Kenji]]\"   # a link to his page\n\
             persona: '[[Platform developer|PD]]'\n\
             date: 2026-10-03T14:30:00\n\
             activities: [Create a cluster, \"Monitor a workload\"]\n\
             Tags:\n  - slo\n  - [nested, list]\n  - \"#quoted\"\n\
             title: >\n  Folded\n  title\n\
             ---\nbody",
        );
        let f = r.unwrap();
        assert_eq!(f.date, Some(day("2026-10-03")));
        assert_eq!(f.body_start, 13);
        assert!(f.ignored.is_empty());
        assert_eq!(d.interviewee, "Kenji");
        let p = d.persona.unwrap();
        assert_eq!(
            (p.value.as_str(), p.at.as_str()),
            ("Platform developer", "n.md:3")
        );
        let acts: Vec<_> = d
            .activities
            .iter()
            .map(|a| (a.value.as_str(), a.at.as_str()))
            .collect();
        assert_eq!(
            acts,
            [
                ("Create a cluster", "n.md:5"),
                ("Monitor a workload", "n.md:5")
            ]
        );
        assert_eq!(d.tags, ["slo", "nested", "list", "#quoted"]);
        assert_eq!(d.title.unwrap().value, "Folded title");
    }

    #[test]
    fn text_lists_split_and_block_items_keep_their_lines() {
        let (d, r) = front("---\nactivities: create a c; monitor\ntags: a, b\nactivity:\n---\n");
        assert!(
            r.unwrap_err()[0].starts_with("n.md:4: activities is given twice (first on line 2)")
        );
        let acts: Vec<_> = d.activities.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(acts, ["create a c", "monitor"]);
        assert_eq!(d.tags, ["a", "b"]);
        let (d, _) = front("---\nactivities:\n  - One, with a comma\n  - Two\n---\n");
        let acts: Vec<_> = d
            .activities
            .iter()
            .map(|a| (a.value.as_str(), a.at.as_str()))
            .collect();
        assert_eq!(acts, [("One, with a comma", "n.md:3"), ("Two", "n.md:4")]);
    }

    #[test]
    fn unknown_keys_are_left_out_and_named() {
        let (d, r) = front("---\ntags: #slo #onboarding\n---\n");
        assert!(d.tags.is_empty());
        assert_eq!(
            r.unwrap().notices,
            [
                "n.md:2: tags: a `#` after a blank starts a YAML comment, so nothing is read here; write the values without `#`, or in quotes"
            ]
        );
        let (d, r) = front(
            "---\naliases: []\nsummary:\ncssclasses:\n  - wide\npublic: true\n42: x\ninterviewee: Dana\ntitle: 1.10\n---\n",
        );
        assert_eq!(
            r.unwrap().ignored,
            ["aliases", "summary", "cssclasses", "public", "42"]
        );
        assert_eq!(d.interviewee, "Dana");
        assert_eq!(d.title.unwrap().value, "1.10", "as written");
        let (d, _) = front("---\ninterviewee: ~\ntags: [null, 'null', true, 0x1F]\n---\n");
        assert_eq!(d.interviewee, "");
        assert_eq!(d.tags, ["null", "true", "0x1F"]);
    }

    #[test]
    fn bad_front_matter_names_the_line() {
        let e = front("---\ntitle: ok\ntags: [a, b\n---\n").1.unwrap_err();
        assert!(
            e[0].starts_with("n.md:") && e[0].contains("not valid YAML"),
            "{e:?}"
        );
        let e = front("---\ndate: 2026-01-01\nDate: 2026-01-02\n---\n")
            .1
            .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("n.md:3: date is given twice"), "{e:?}");
        let e = front("---\npersona:\n  - a\n  - b\n---\n").1.unwrap_err();
        assert_eq!(
            e,
            ["n.md:2: persona: expected one value, not a list or a set of keys"]
        );
        let e = front("---\ntags:\n  key: value\n---\n").1.unwrap_err();
        assert_eq!(
            e,
            ["n.md:3: tags: expected a list or text, not a set of keys"]
        );
        let e = front("---\n- a list\n---\n").1.unwrap_err();
        assert!(e[0].starts_with("n.md:2: the front matter is not a set of `key: value` lines"));
        let e = front("---\ndate: 2026-13-01\n---\n").1.unwrap_err();
        assert!(
            e[0].starts_with("n.md:2: date: \"2026-13-01\" is not a date"),
            "{e:?}"
        );
        let e = front("---\ntitle: x\n").1.unwrap_err();
        assert!(e[0].starts_with("n.md:1: the front matter starts with ---"));
    }

    #[test]
    fn empty_or_missing_front_matter_gives_nothing() {
        let f = front("---\n---\nbody").1.unwrap();
        assert_eq!((f.date, f.body_start), (None, 2));
        let f = front("---\n# only a comment\n...\nbody").1.unwrap();
        assert_eq!(f.body_start, 3);
        let f = front("no front matter\n---\n").1.unwrap();
        assert_eq!(f.body_start, 0);
    }
}
