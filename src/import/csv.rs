//! A CSV table of interview notes: one note per row, columns mapped to the
//! note's fields by name or with `--map COLUMN=FIELD`.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::{ImportError, Plan, add_notes, date, list, mtime_date, read, tag_list};
use crate::capture::{At, Draft};
use crate::model::Workspace;

/// A field of an interview note that a CSV column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteField {
    /// The note in the capture line syntax (its first line is the title).
    Body,
    /// The title; put in front of the body when the body does not start with it.
    Title,
    Interviewee,
    /// A persona's id, name or unique name prefix.
    Persona,
    /// YYYY-MM-DD.
    Date,
    /// Activities (ids, names or unique prefixes), separated by `,` or `;`.
    Activities,
    /// Tags, separated by `,` or `;` (`#a #b` is two tags; a leading `#` is dropped).
    Tags,
}

impl NoteField {
    pub const ALL: [NoteField; 7] = [
        NoteField::Body,
        NoteField::Title,
        NoteField::Interviewee,
        NoteField::Persona,
        NoteField::Date,
        NoteField::Activities,
        NoteField::Tags,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NoteField::Body => "body",
            NoteField::Title => "title",
            NoteField::Interviewee => "interviewee",
            NoteField::Persona => "persona",
            NoteField::Date => "date",
            NoteField::Activities => "activities",
            NoteField::Tags => "tags",
        }
    }
}

impl fmt::Display for NoteField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for NoteField {
    type Err = String;

    /// A field by name, without case; `activity` and `tag` are accepted too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_lowercase();
        let s = match s.as_str() {
            "activity" => "activities",
            "tag" => "tags",
            s => s,
        };
        NoteField::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                format!(
                    "no note field {s:?}; fields: {}",
                    NoteField::ALL.map(NoteField::name).join(", ")
                )
            })
    }
}

/// Reads `COLUMN=FIELD` (as given to `--map`).
pub fn parse_mapping(s: &str) -> Result<(String, NoteField), String> {
    let (col, field) = s
        .rsplit_once('=')
        .ok_or_else(|| "use COLUMN=FIELD, e.g. \"Notes=body\"".to_string())?;
    if col.trim().is_empty() {
        return Err("the column name is missing: use COLUMN=FIELD".into());
    }
    Ok((col.trim().to_string(), field.parse()?))
}

/// Imports interview notes from a CSV table with a header row, one note per
/// row. `map` maps columns (by header) to note fields; a column whose
/// header is a field's name (`body`, `title`, `interviewee`, `persona`,
/// `date`, `activities`, `tags`, without case) maps to it unless `map` maps
/// that field. An empty date is the file's last change. Rows count as in a
/// spreadsheet: the header is row 1.
pub fn csv(
    ws: &Workspace,
    source: &Path,
    map: &[(String, NoteField)],
    accept: bool,
) -> Result<Plan, ImportError> {
    let file = source.display().to_string();
    let bytes = read(source)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let csv_err = |e: ::csv::Error| {
        let row = e.position().map(|p| p.record() + 1);
        let msg = match e.kind() {
            ::csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("has {len} cell(s), the header has {expected_len}"),
            ::csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text ({err})"),
            _ => e.to_string(),
        };
        match row {
            Some(r) => format!("{file}: row {r}: {msg}"),
            None => format!("{file}: {msg}"),
        }
    };
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| ImportError::one(csv_err(e)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(ImportError::one(format!(
            "{file}: no header row (the first row names the columns)"
        )));
    }
    let mut problems = Vec::new();
    let mut plan = Plan::new(ws);
    let mut col_of: BTreeMap<NoteField, usize> = BTreeMap::new();
    let mut used: HashSet<usize> = HashSet::new();
    for (col, field) in map {
        let found = headers
            .iter()
            .position(|h| h == col)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(col)));
        let Some(i) = found else {
            problems.push(format!(
                "{file}: no column named {col:?} (--map {col}={field}); columns: {}",
                headers.join(", ")
            ));
            continue;
        };
        if col_of.contains_key(field) {
            problems.push(format!("{file}: two columns are mapped to {field}"));
        } else if !used.insert(i) {
            problems.push(format!("{file}: column {col:?} is mapped to two fields"));
        } else {
            col_of.insert(*field, i);
        }
    }
    for (i, h) in headers.iter().enumerate() {
        if used.contains(&i) {
            continue;
        }
        match h.parse::<NoteField>() {
            Ok(f) if !col_of.contains_key(&f) => {
                col_of.insert(f, i);
                used.insert(i);
            }
            _ => plan.notices.push(format!(
                "{file}: column {h:?} is not imported (map it with --map '{h}=FIELD')"
            )),
        }
    }
    if !col_of.contains_key(&NoteField::Body) && !col_of.contains_key(&NoteField::Title) {
        problems.push(format!(
            "{file}: no column holds the notes: name one \"body\" (or \"title\"), or map one with --map COLUMN=body; columns: {}",
            headers.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    let default_date = mtime_date(source).map_err(ImportError::one)?;
    let mut drafts = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_err(e));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = rec.position().map_or(0, |p| p.record() + 1);
        let origin = format!("{file}: row {row}");
        let cell = |f: NoteField| -> Option<At<String>> {
            col_of.get(&f).and_then(|&i| {
                rec.get(i).map(|v| At {
                    value: v.to_string(),
                    at: format!("{origin}, column {:?}", headers[i]),
                })
            })
        };
        let mut d = Draft {
            origin: origin.clone(),
            title: cell(NoteField::Title),
            body: cell(NoteField::Body).map(|c| c.value).unwrap_or_default(),
            interviewee: cell(NoteField::Interviewee)
                .map(|c| c.value)
                .unwrap_or_default(),
            persona: cell(NoteField::Persona),
            date: default_date,
            activities: Vec::new(),
            tags: cell(NoteField::Tags)
                .map(|c| tag_list(&c.value))
                .unwrap_or_default(),
        };
        if let Some(a) = cell(NoteField::Activities) {
            for name in list(&a.value, &[',', ';', '\n']) {
                d.activities.push(At {
                    value: name,
                    at: a.at.clone(),
                });
            }
        }
        if let Some(c) = cell(NoteField::Date).filter(|c| !c.value.trim().is_empty()) {
            match date(&c.value) {
                Ok(x) => d.date = x,
                Err(e) => {
                    problems.push(format!("{}: {e}", c.at));
                    continue;
                }
            }
        }
        drafts.push(d);
    }
    if drafts.is_empty() && problems.is_empty() {
        problems.push(format!("{file}: no rows below the header"));
    }
    add_notes(ws, drafts, accept, plan, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_and_fields() {
        assert_eq!(
            parse_mapping("What they said=Body"),
            Ok(("What they said".into(), NoteField::Body))
        );
        assert_eq!(
            parse_mapping("a=b=activity"),
            Ok(("a=b".into(), NoteField::Activities))
        );
        assert!(parse_mapping("x").is_err());
        assert!(parse_mapping("=body").is_err());
        assert!(
            parse_mapping("x=colour")
                .unwrap_err()
                .contains("fields: body")
        );
    }
}
