//! Lines tagged as evidence for an assumption test: `~name-or-id` anywhere
//! in a line of a note names the test the line backs.
//!
//! ```text
//! > Dana opened the dashboard every Monday ~dashboard-instead
//! ```
//!
//! The name is the test's id, or words of its assumption: `-` and `_`
//! read as blanks, case does not matter, and the words must appear in the
//! assumption as typed (`~billing-export` finds "Cost per deployment can be
//! computed from the billing export"). A name that matches no test, or
//! several, is reported and links nothing.

use super::{parse, tokens};
use crate::model::edit::Edit;
use crate::model::{AssumptionTest, Evidence, Id, Item, Kind, Workspace};

/// The sigil of a test reference.
pub const SIGIL: char = '~';

/// A line of a note offered as evidence for an assumption test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSuggestion {
    pub test: Id,
    /// The test's assumption, as the popup shows it.
    pub assumption: String,
    /// The note line, kept as the evidence quote.
    pub line: String,
}

/// The words of a reference, as they are compared.
fn words(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The assumption test a `~name` names: by id, else the single test whose
/// assumption holds the name's words. The error says why none was chosen.
pub fn resolve_test<'a>(ws: &'a Workspace, name: &str) -> Result<&'a AssumptionTest, String> {
    if let Some(t) = ws.items.tests.get(&Id::new(name)) {
        return Ok(t);
    }
    let want = words(name);
    let found: Vec<&AssumptionTest> = if want.is_empty() {
        Vec::new()
    } else {
        ws.items
            .tests
            .values()
            .filter(|t| words(&t.assumption).contains(&want))
            .collect()
    };
    let list = |v: &[&AssumptionTest]| {
        v.iter()
            .take(5)
            .map(|t| format!("{} \"{}\"", t.id, crate::text::truncate(&t.assumption, 50)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.as_slice() {
        [t] => Ok(t),
        [] if ws.items.tests.is_empty() => Err(format!(
            "{SIGIL}{name} names an assumption test, but the workspace has none yet"
        )),
        [] => {
            let all: Vec<&AssumptionTest> = ws.items.tests.values().collect();
            Err(format!(
                "{SIGIL}{name} matches no assumption test: use its id or words of its assumption ({}{})",
                list(&all),
                if all.len() > 5 { ", …" } else { "" }
            ))
        }
        many => Err(format!(
            "{SIGIL}{name} matches {} assumption tests: {}; use more words or the id",
            many.len(),
            list(many)
        )),
    }
}

/// Every line of `body` tagged for a test, resolved; and a message for
/// each reference that names no single test.
pub fn test_links(ws: &Workspace, body: &str) -> (Vec<TestSuggestion>, Vec<String>) {
    let mut out: Vec<TestSuggestion> = Vec::new();
    let mut problems = Vec::new();
    for l in &parse(body).lines {
        for t in tokens(&l.raw, SIGIL) {
            match resolve_test(ws, &t.name) {
                Ok(test) => {
                    let s = TestSuggestion {
                        test: test.id.clone(),
                        assumption: test.assumption.clone(),
                        line: l.raw.trim().to_string(),
                    };
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                Err(e) => {
                    if !problems.contains(&e) {
                        problems.push(e);
                    }
                }
            }
        }
    }
    (out, problems)
}

/// What a note remembers when the offer of a line to a test is dismissed.
pub fn dismissed_key(s: &TestSuggestion) -> String {
    format!("{SIGIL}{} {}", s.test, s.line)
}

/// The line of the note a dismissal is about: a dismissed pain or need is
/// its line; a dismissed test offer is `~ID line`.
pub fn dismissed_line(d: &str) -> &str {
    d.strip_prefix(SIGIL)
        .and_then(|rest| rest.split_once(' '))
        .map_or(d, |(_, line)| line)
}

/// The offers still open for a saved note: tagged lines not yet evidence
/// of their test and not dismissed; with the references that name no test.
pub fn open_test_suggestions(
    ws: &Workspace,
    note: &Id,
    body: &str,
) -> (Vec<TestSuggestion>, Vec<String>) {
    let (links, problems) = test_links(ws, body);
    let dismissed = ws
        .notes
        .get(note)
        .map(|n| n.dismissed.as_slice())
        .unwrap_or_default();
    let open = links
        .into_iter()
        .filter(|s| {
            let cited = ws.items.tests.get(&s.test).is_some_and(|t| {
                t.evidence
                    .iter()
                    .any(|e| &e.note == note && e.quote == s.line)
            });
            !cited && !dismissed.contains(&dismissed_key(s))
        })
        .collect();
    (open, problems)
}

/// The edit that adds a note's line to a test's evidence (`None` when the
/// test is gone or already cites it).
pub fn attach_edit(ws: &Workspace, note: &Id, s: &TestSuggestion) -> Option<Edit> {
    let mut t = ws.items.tests.get(&s.test)?.clone();
    let ev = Evidence {
        note: note.clone(),
        quote: s.line.clone(),
    };
    if t.evidence.contains(&ev) {
        return None;
    }
    t.evidence.push(ev);
    Some(Edit::Put {
        kind: Kind::Test,
        id: t.id.clone(),
        item: Some(Item::Test(t)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn ws() -> Workspace {
        Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    }

    #[test]
    fn a_test_is_found_by_id_or_by_words_of_its_assumption() {
        let ws = ws();
        assert_eq!(resolve_test(&ws, "at8dpl").unwrap().id.as_str(), "at8dpl");
        assert_eq!(
            resolve_test(&ws, "billing-export").unwrap().id.as_str(),
            "at8dpl"
        );
        assert_eq!(
            resolve_test(&ws, "Dashboard_instead").unwrap().id.as_str(),
            "at5mgr"
        );
        let e = resolve_test(&ws, "nothing-like-it").unwrap_err();
        assert!(
            e.starts_with("~nothing-like-it matches no assumption test: use its id or words of its assumption (at5mgr \"Managers will open"),
            "{e}"
        );
        // Words are matched as typed, inside words too: "a" is in both.
        let e = resolve_test(&ws, "a").unwrap_err();
        assert!(e.starts_with("~a matches 2 assumption tests: "), "{e}");
        let mut empty = ws.clone();
        empty.items.tests.clear();
        assert!(
            resolve_test(&empty, "x")
                .unwrap_err()
                .contains("the workspace has none yet")
        );
    }

    #[test]
    fn tagged_lines_are_offered_once_until_attached_or_dismissed() {
        let mut ws = ws();
        let body = "Call\n> Dana opened it every Monday ~dashboard-instead\n! Slow ~billing-export #cost\n? ~nope";
        let (links, problems) = test_links(&ws, body);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].test.as_str(), "at5mgr");
        assert_eq!(
            links[0].line,
            "> Dana opened it every Monday ~dashboard-instead"
        );
        assert_eq!(links[1].test.as_str(), "at8dpl");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("~nope matches no"));

        let note: Id = "n8b3zv".into();
        let edit = attach_edit(&ws, &note, &links[0]).unwrap();
        crate::model::edit::apply(&mut ws, edit).unwrap();
        let t = &ws.items.tests[&Id::from("at5mgr")];
        assert_eq!(t.evidence.last().unwrap().quote, links[0].line);
        assert_eq!(attach_edit(&ws, &note, &links[0]), None);
        let (open, _) = open_test_suggestions(&ws, &note, body);
        assert_eq!(open, [links[1].clone()]);
        ws.notes
            .get_mut(&note)
            .unwrap()
            .dismissed
            .push(dismissed_key(&links[1]));
        assert!(open_test_suggestions(&ws, &note, body).0.is_empty());
        assert_eq!(
            dismissed_line(&dismissed_key(&links[1])),
            "! Slow ~billing-export #cost"
        );
        assert_eq!(dismissed_line("! a pain"), "! a pain");
    }
}
