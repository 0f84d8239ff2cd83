//! Completion of the names typed after a sigil in a note: `@activity` and
//! `~test`. What is typed after the sigil is matched as names are matched
//! everywhere (without case, `-` and `_` as blanks, words held anywhere in
//! the name, or an id's start); each candidate is written back as the
//! shortest form that resolves to that one entity when the note is read:
//! the leading words of its name joined by `-`, or its id when no words
//! are unique.

use super::evidence::{SIGIL as TEST_SIGIL, resolve_test};
use super::resolve::{Resolved, resolve_activity};
use crate::model::Workspace;
use crate::names::normalise;

/// The sigil of an activity mention.
const ACTIVITY_SIGIL: char = '@';

/// The most words a completion writes before it falls back to the id.
const MAX_WORDS: usize = 6;

/// The completions of `word` (the text before the cursor back to a blank,
/// e.g. `@run` or `(~billing`), each the whole replacement for `word`
/// (an opening bracket before the sigil is kept). `None` when `word` is
/// not a mention or a test reference, an empty list when nothing matches.
pub fn completions(ws: &Workspace, word: &str) -> Option<Vec<String>> {
    let start = word.find(|c: char| !"([{\"'".contains(c))?;
    let (lead, rest) = word.split_at(start);
    let sigil = rest.chars().next()?;
    let typed = &rest[sigil.len_utf8()..];
    let want = normalise(typed);
    let id_prefix = typed.to_lowercase();
    let mut out: Vec<(String, String)> = match sigil {
        ACTIVITY_SIGIL => ws
            .activities()
            .filter(|(_, a)| {
                normalise(&a.name).contains(&want)
                    || (!typed.is_empty() && a.id.as_str().starts_with(&id_prefix))
            })
            .map(|(_, a)| {
                let form = shortest(
                    &a.name,
                    a.id.as_str(),
                    |s| matches!(resolve_activity(ws, s), Resolved::Activity(x) if x.id == a.id),
                );
                (a.name.to_lowercase(), form)
            })
            .collect(),
        TEST_SIGIL => ws
            .items
            .tests
            .values()
            .filter(|t| {
                normalise(&t.assumption).contains(&want)
                    || (!typed.is_empty() && t.id.as_str().starts_with(&id_prefix))
            })
            .map(|t| {
                let form = shortest(&t.assumption, t.id.as_str(), |s| {
                    resolve_test(ws, s).is_ok_and(|x| x.id == t.id)
                });
                (t.assumption.to_lowercase(), form)
            })
            .collect(),
        _ => return None,
    };
    out.sort();
    out.dedup_by(|a, b| a.1 == b.1);
    Some(
        out.into_iter()
            .map(|(_, form)| format!("{lead}{sigil}{form}"))
            .collect(),
    )
}

/// The fewest leading words of `name` (letters and digits, joined by `-`)
/// that `resolves` accepts, else `id`.
fn shortest(name: &str, id: &str, resolves: impl Fn(&str) -> bool) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (1..=words.len().min(MAX_WORDS))
        .map(|n| words[..n].join("-"))
        .find(|s| resolves(s))
        .unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, AssumptionTest, Id, Phase};

    fn ws() -> Workspace {
        let mut ws = Workspace::default();
        let act = |id: &str, name: &str| Activity {
            id: Id::new(id),
            name: name.into(),
            description: String::new(),
        };
        ws.phases.push(Phase {
            id: Id::new("ph1"),
            name: "Build".into(),
            activities: vec![
                act("ac1", "Run tests"),
                act("ac2", "Run tests in CI"),
                act("ac3", "Deploy (canary)"),
            ],
            description: String::new(),
        });
        for (id, text) in [
            (
                "ts1",
                "Cost per deployment can be computed from the billing export",
            ),
            ("ts2", "Teams read the cost dashboard every single week"),
            ("ts3", "Teams read the cost dashboard every single day"),
        ] {
            ws.items.tests.insert(
                Id::new(id),
                AssumptionTest {
                    id: Id::new(id),
                    solution: Id::new("sl1"),
                    assumption: text.into(),
                    kind: Default::default(),
                    method: String::new(),
                    criterion: String::new(),
                    owner: String::new(),
                    due: None,
                    result: Default::default(),
                    evidence: Vec::new(),
                },
            );
        }
        ws
    }

    #[test]
    fn activities_complete_to_the_shortest_name_that_resolves() {
        let ws = ws();
        // "run-tests" equals one name exactly, so it resolves despite the
        // longer "Run tests in CI".
        assert_eq!(
            completions(&ws, "@run").unwrap(),
            ["@run-tests", "@run-tests-in"]
        );
        // Punctuation in a name is left out of the written form.
        assert_eq!(completions(&ws, "@canar").unwrap(), ["@deploy"]);
        // An id's start matches too; a bracket before the sigil is kept.
        assert_eq!(completions(&ws, "(@ac3").unwrap(), ["(@deploy"]);
        // A bare sigil offers everything, sorted by name.
        assert_eq!(completions(&ws, "@").unwrap().len(), 3);
        assert_eq!(completions(&ws, "@nothing").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn tests_complete_to_leading_words_or_the_id() {
        let ws = ws();
        // "cost" alone is held by all three assumptions.
        assert_eq!(completions(&ws, "~billing").unwrap(), ["~cost-per"]);
        // Two assumptions share their first six words: only ids tell them
        // apart.
        assert_eq!(
            completions(&ws, "~dashboard").unwrap(),
            ["~ts3", "~ts2"],
            "sorted by assumption: day before week"
        );
    }

    #[test]
    fn other_words_are_not_completed() {
        let ws = ws();
        assert_eq!(completions(&ws, "plain"), None);
        assert_eq!(completions(&ws, ""), None);
        assert_eq!(completions(&ws, "#tag"), None);
    }

    /// Each completion resolves, when the note is read, to a different
    /// entity: all of them are reachable.
    #[test]
    fn every_completion_resolves_to_its_own_entity() {
        let ws = ws();
        let acts: std::collections::BTreeSet<Id> = completions(&ws, "@")
            .unwrap()
            .iter()
            .map(|c| match resolve_activity(&ws, &c[1..]) {
                Resolved::Activity(a) => a.id.clone(),
                other => panic!("{c}: {other:?}"),
            })
            .collect();
        assert_eq!(acts.len(), 3);
        let tests: std::collections::BTreeSet<Id> = completions(&ws, "~")
            .unwrap()
            .iter()
            .map(|c| resolve_test(&ws, &c[1..]).unwrap().id.clone())
            .collect();
        assert_eq!(tests.len(), 3);
    }
}
