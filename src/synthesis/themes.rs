//! Themes: the `#tags` of interview notes across the workspace.
//!
//! A note carries a tag when its tag list names it or its body has `#tag`
//! on any line; tags are compared without case (`#Cost` and `#cost` are one
//! theme, shown in the spelling most notes use). Each theme counts its
//! notes, split by the role of the note's persona: the customer / consumer
//! split says whether a theme is heard from those who decide or from those
//! who use the product.
//!
//! Renaming a tag rewrites it in the tag list and in the body of every note
//! that carries it, as one edit; renaming it to a tag that exists merges
//! the two.

use std::collections::BTreeMap;

use crate::capture::tokens;
use crate::model::edit::Edit;
use crate::model::{Id, Note, Role, Workspace};

/// One theme: a tag and the notes that carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The tag in lower case: what identifies the theme.
    pub key: String,
    /// The spelling most notes use (ties: the first in sort order).
    pub name: String,
    /// The notes carrying it, newest first.
    pub notes: Vec<Id>,
    /// Notes per role of their persona: customer, consumer, end user.
    pub customer: usize,
    pub consumer: usize,
    pub end_user: usize,
    /// Notes without a persona (or with one that is gone).
    pub unlinked: usize,
    /// Notes per persona, in the map's persona order.
    pub personas: Vec<(Id, usize)>,
}

impl Theme {
    pub fn count(&self) -> usize {
        self.notes.len()
    }

    /// Notes from personas of a role.
    pub fn by_role(&self, role: Role) -> usize {
        match role {
            Role::Customer => self.customer,
            Role::Consumer => self.consumer,
            Role::EndUser => self.end_user,
        }
    }
}

/// The tag in the form that identifies a theme (lower case, without `#`).
pub fn key_of(tag: &str) -> String {
    tag.trim().trim_start_matches('#').to_lowercase()
}

/// The tags a note carries (its list and its body), each once, in the
/// spelling first met: the list first, then the body in order.
pub fn note_tags(n: &Note) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let body = n
        .body
        .split('\n')
        .flat_map(|l| tokens(l, '#'))
        .map(|t| t.name);
    for t in n.tags.iter().cloned().chain(body) {
        let t = t.trim().trim_start_matches('#').to_string();
        if !t.is_empty() && seen.insert(t.to_lowercase()) {
            out.push(t);
        }
    }
    out
}

/// Whether a note carries a tag (compared without case).
pub fn carries(n: &Note, key: &str) -> bool {
    note_tags(n).iter().any(|t| t.to_lowercase() == key)
}

/// Every theme, most notes first, then by name.
pub fn themes(ws: &Workspace) -> Vec<Theme> {
    // key → (spellings with their counts, notes)
    let mut acc: BTreeMap<String, (BTreeMap<String, usize>, Vec<&Note>)> = BTreeMap::new();
    for n in ws.notes.values() {
        for t in note_tags(n) {
            let e = acc.entry(t.to_lowercase()).or_default();
            *e.0.entry(t).or_default() += 1;
            e.1.push(n);
        }
    }
    let mut out: Vec<Theme> = acc
        .into_iter()
        .map(|(key, (spellings, mut notes))| {
            let name = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| s.clone())
                .unwrap_or_else(|| key.clone());
            notes.sort_by(|a, b| (b.date, b.captured, &a.id).cmp(&(a.date, a.captured, &b.id)));
            let mut th = Theme {
                key,
                name,
                notes: notes.iter().map(|n| n.id.clone()).collect(),
                customer: 0,
                consumer: 0,
                end_user: 0,
                unlinked: 0,
                personas: Vec::new(),
            };
            let mut per: BTreeMap<&Id, usize> = BTreeMap::new();
            for n in &notes {
                match n.persona.as_ref().and_then(|p| ws.persona(p)) {
                    Some(p) => {
                        *per.entry(&p.id).or_default() += 1;
                        match p.role {
                            Role::Customer => th.customer += 1,
                            Role::Consumer => th.consumer += 1,
                            Role::EndUser => th.end_user += 1,
                        }
                    }
                    None => th.unlinked += 1,
                }
            }
            th.personas = ws
                .personas
                .iter()
                .filter_map(|p| per.get(&p.id).map(|c| (p.id.clone(), *c)))
                .collect();
            th
        })
        .collect();
    out.sort_by(|a, b| b.count().cmp(&a.count()).then(a.key.cmp(&b.key)));
    out
}

/// Every tag's name, most heard first (for completion).
pub fn tag_names(ws: &Workspace) -> Vec<String> {
    themes(ws).into_iter().map(|t| t.name).collect()
}

/// The theme of a tag, if any note carries it.
pub fn theme(ws: &Workspace, tag: &str) -> Option<Theme> {
    let key = key_of(tag);
    themes(ws).into_iter().find(|t| t.key == key)
}

/// Where a tag is heard: each note carrying it (newest first) with the
/// lines of its body that have the tag (`None`: only its tag list has it).
pub fn lines(ws: &Workspace, tag: &str) -> Vec<(Id, Option<String>)> {
    let key = key_of(tag);
    let Some(th) = theme(ws, &key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in th.notes {
        let Some(n) = ws.notes.get(&id) else { continue };
        let hits: Vec<String> = n
            .body
            .split('\n')
            .filter(|l| tokens(l, '#').iter().any(|t| t.name.to_lowercase() == key))
            .map(|l| l.trim().to_string())
            .collect();
        if hits.is_empty() {
            out.push((id, None));
        } else {
            out.extend(hits.into_iter().map(|l| (id.clone(), Some(l))));
        }
    }
    out
}

/// Checks a new tag name: what a `#tag` in a note can be (letters, digits,
/// `-`, `_`, `/`, `.`, not ending in punctuation). Gives it without `#`.
pub fn valid_name(name: &str) -> Result<String, String> {
    let name = name.trim().trim_start_matches('#');
    let as_tag = format!("#{name}");
    match tokens(&as_tag, '#').as_slice() {
        [t] if t.name == name => Ok(name.to_string()),
        _ => Err(format!(
            "\"{}\" is not a tag: use letters, digits, - _ / . (no spaces)",
            crate::text::sanitize(name)
        )),
    }
}

/// A body with every `#from` (any case) written `#to`.
pub fn rename_in_body(body: &str, from_key: &str, to: &str) -> String {
    body.split('\n')
        .map(|line| {
            let mut l = line.to_string();
            let mut toks = tokens(line, '#');
            toks.retain(|t| t.name.to_lowercase() == from_key);
            // From the end, so earlier ranges stay valid.
            for t in toks.into_iter().rev() {
                l.replace_range(t.start + 1..t.end, to);
            }
            l
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The note with tag `from` renamed `to`, in its list and its body; `None`
/// when it does not carry `from`.
pub fn renamed(n: &Note, from_key: &str, to: &str) -> Option<Note> {
    if !carries(n, from_key) {
        return None;
    }
    let mut n = n.clone();
    let mut tags: Vec<String> = Vec::new();
    for t in &n.tags {
        let t = if key_of(t) == from_key {
            to.to_string()
        } else {
            t.clone()
        };
        if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            tags.push(t);
        }
    }
    n.tags = tags.into();
    n.body = rename_in_body(&n.body, from_key, to);
    Some(n)
}

/// What renaming a tag does.
#[derive(Debug)]
pub struct Rename {
    /// One edit: every note carrying the tag, rewritten.
    pub edit: Edit,
    /// How many notes change.
    pub notes: usize,
    /// Whether `to` was a tag already (the two themes merge).
    pub merges: bool,
}

/// Renames tag `from` to `to` in every note that carries it, as one edit;
/// when notes carry `to` already, the two themes become one. An error says
/// why nothing can be done (no such tag, not a tag name, the same tag).
pub fn rename(ws: &Workspace, from: &str, to: &str) -> Result<Rename, String> {
    let from_key = key_of(from);
    let to = valid_name(to)?;
    let shown = crate::text::sanitize(from.trim().trim_start_matches('#'));
    let Some(th) = theme(ws, &from_key) else {
        return Err(format!("No note carries #{shown}"));
    };
    if th.name == to {
        return Err(format!("#{shown} is called that already"));
    }
    let merges = to.to_lowercase() != from_key && theme(ws, &to).is_some();
    let edits: Vec<Edit> = th
        .notes
        .iter()
        .filter_map(|id| ws.notes.get(id))
        .filter_map(|n| renamed(n, &from_key, &to))
        .filter(|n| Some(n) != ws.notes.get(&n.id).map(|o| &**o))
        .map(|n| Edit::PutNote {
            id: n.id.clone(),
            note: Some(n),
        })
        .collect();
    if edits.is_empty() {
        return Err(format!("#{shown} is called that already"));
    }
    Ok(Rename {
        notes: edits.len(),
        edit: Edit::Batch(edits),
        merges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::apply;
    use crate::model::{Persona, Phase};
    use chrono::NaiveDate;

    fn ws() -> Workspace {
        let mut w = Workspace::new("t");
        w.phases.push(Phase {
            id: "ph".into(),
            name: "Run".into(),
            description: String::new(),
            activities: vec![],
        });
        for (id, role) in [
            ("dev", Role::Consumer),
            ("boss", Role::Customer),
            ("shop", Role::EndUser),
        ] {
            w.personas.push(Persona {
                id: id.into(),
                name: id.into(),
                role,
                description: String::new(),
                jobs: vec![],
                tags: vec![],
            });
        }
        let notes = [
            (
                "n1",
                "dev",
                1,
                "T\n! Slow #Cost and #toil\nmore #cost",
                vec!["cost"],
            ),
            ("n2", "boss", 2, "T\n+ Cheaper #cost", vec![]),
            ("n3", "boss", 3, "T\n? Who owns it? #oncall", vec!["finops"]),
            ("n4", "", 4, "T\n#on-call at night", vec!["on-call"]),
            ("n5", "shop", 5, "T\nnothing", vec!["Cost"]),
        ];
        for (id, persona, day, body, tags) in notes {
            w.notes.insert(
                id.into(),
                Note {
                    id: id.into(),
                    date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
                    interviewee: id.into(),
                    persona: (!persona.is_empty()).then(|| persona.into()),
                    activities: vec![],
                    title: "T".into(),
                    body: body.into(),
                    tags: tags.into_iter().map(String::from).collect(),
                    dismissed: crate::model::ThinVec::new(),
                    answered: crate::model::ThinVec::new(),
                    captured: None,
                }
                .into(),
            );
        }
        w
    }

    #[test]
    fn themes_count_notes_by_role_most_first() {
        let w = ws();
        let t = themes(&w);
        let summary: Vec<(String, usize, usize, usize, usize, usize)> = t
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.count(),
                    t.customer,
                    t.consumer,
                    t.end_user,
                    t.unlinked,
                )
            })
            .collect();
        // cost: n1 (dev, list and body, twice in the body), n2 (boss), n5
        // (shop, list only, as "Cost"): three notes, spelled "cost" by
        // two of them.
        assert_eq!(
            summary,
            [
                ("cost".to_string(), 3, 1, 1, 1, 0),
                ("finops".to_string(), 1, 1, 0, 0, 0),
                ("on-call".to_string(), 1, 0, 0, 0, 1),
                ("oncall".to_string(), 1, 1, 0, 0, 0),
                ("toil".to_string(), 1, 0, 1, 0, 0),
            ]
        );
        // Newest first.
        assert_eq!(t[0].notes, ["n5", "n2", "n1"].map(Id::from));
        assert_eq!(
            t[0].personas,
            [("dev".into(), 1), ("boss".into(), 1), ("shop".into(), 1)]
        );
    }

    #[test]
    fn lines_name_each_line_with_the_tag() {
        let w = ws();
        let l = lines(&w, "#COST");
        assert_eq!(
            l,
            [
                ("n5".into(), None),
                ("n2".into(), Some("+ Cheaper #cost".to_string())),
                ("n1".into(), Some("! Slow #Cost and #toil".to_string())),
                ("n1".into(), Some("more #cost".to_string())),
            ]
        );
        assert!(lines(&w, "nothing").is_empty());
    }

    #[test]
    fn renaming_rewrites_lists_and_bodies_as_one_undoable_edit() {
        let mut w = ws();
        let before = w.clone();
        let r = rename(&w, "cost", "spend").unwrap();
        assert_eq!(r.notes, 3);
        assert!(!r.merges);
        let inverse = apply(&mut w, r.edit).unwrap();
        assert_eq!(
            w.notes[&Id::from("n1")].body,
            "T\n! Slow #spend and #toil\nmore #spend"
        );
        assert_eq!(w.notes[&Id::from("n1")].tags, ["spend"]);
        assert_eq!(w.notes[&Id::from("n5")].tags, ["spend"]);
        assert!(theme(&w, "cost").is_none());
        assert_eq!(theme(&w, "spend").unwrap().count(), 3);
        // Untouched notes stay as they were.
        assert_eq!(w.notes[&Id::from("n3")], before.notes[&Id::from("n3")]);
        apply(&mut w, inverse).unwrap();
        assert_eq!(w, before);
    }

    #[test]
    fn renaming_into_an_existing_tag_merges_the_themes() {
        let mut w = ws();
        let r = rename(&w, "oncall", "#on-call").unwrap();
        assert!(r.merges);
        apply(&mut w, r.edit).unwrap();
        let t = theme(&w, "on-call").unwrap();
        assert_eq!(t.count(), 2);
        assert_eq!((t.customer, t.unlinked), (1, 1));
        assert!(theme(&w, "oncall").is_none());
        assert_eq!(w.notes[&Id::from("n3")].body, "T\n? Who owns it? #on-call");
        // A list that had both keeps one.
        let mut n = w.notes[&Id::from("n4")].clone();
        n.tags = crate::model::thin_vec!["on-call".into(), "night".into()];
        let n = renamed(&n, "night", "On-Call").unwrap();
        assert_eq!(n.tags, ["on-call"]);
    }

    #[test]
    fn bad_renames_say_why() {
        let w = ws();
        assert!(
            rename(&w, "nope", "x")
                .unwrap_err()
                .contains("No note carries #nope")
        );
        assert!(
            rename(&w, "cost", "two words")
                .unwrap_err()
                .contains("not a tag")
        );
        assert!(rename(&w, "cost", "").unwrap_err().contains("not a tag"));
        assert!(rename(&w, "cost", "end.").is_err());
        assert!(rename(&w, "cost", "cost").unwrap_err().contains("already"));
        // A change of case is a rename (of the two notes that spell it
        // otherwise).
        assert_eq!(rename(&w, "cost", "Cost").unwrap().notes, 2);
    }

    #[test]
    fn only_whole_tags_are_renamed() {
        assert_eq!(
            rename_in_body("#cost #costs e#cost (#Cost) #cost.", "cost", "spend"),
            "#spend #costs e#cost (#spend) #spend."
        );
    }
}
