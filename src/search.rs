//! Fuzzy search over every entity's text.
//!
//! The [`Index`] holds each entity's searchable text, already converted for
//! the matcher; edits update only the entries of the files they touched. A
//! [`Session`] matches a query incrementally: in slices of bounded work (so
//! typing never waits), and when a query only grows, only the previous
//! hits are matched again.

use std::collections::{BTreeSet, HashMap};

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::model::validate::FileKey;
use crate::model::{EntityRef, Id, Workspace};

/// What a search result is, in the order results are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Persona,
    Phase,
    Activity,
    Perspective,
    Note,
    Opportunity,
    Metric,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Persona,
        Kind::Phase,
        Kind::Activity,
        Kind::Perspective,
        Kind::Note,
        Kind::Opportunity,
        Kind::Metric,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Kind::Persona => "Personas",
            Kind::Phase => "Phases",
            Kind::Activity => "Activities",
            Kind::Perspective => "Perspectives",
            Kind::Note => "Notes",
            Kind::Opportunity => "Opportunities",
            Kind::Metric => "Metrics",
        }
    }
}

/// One searchable field of an entry.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub text: Utf32String,
    /// Long text (bodies): shown as a snippet around the match.
    pub long: bool,
}

/// An entity's searchable text.
#[derive(Clone, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub target: EntityRef,
    /// How the entity is named in results.
    pub label: String,
    /// A second line for context (a date and interviewee, a phase, ...).
    pub context: String,
    pub fields: Vec<Field>,
}

fn field(name: &'static str, text: &str, long: bool) -> Option<Field> {
    let text = text.trim();
    (!text.is_empty()).then(|| Field {
        name,
        text: Utf32String::from(text),
        long,
    })
}

/// Where an entry lives in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    Map(usize),
    Opportunity(usize),
    Metric(usize),
    Note(usize),
}

/// The search index of a workspace.
#[derive(Clone, Debug, Default)]
pub struct Index {
    map: Vec<Entry>,
    opportunities: Vec<Entry>,
    metrics: Vec<Entry>,
    notes: Vec<Entry>,
    note_slot: HashMap<Id, usize>,
}

impl Index {
    pub fn build(ws: &Workspace) -> Index {
        let mut ix = Index::default();
        ix.rebuild_map(ws);
        ix.rebuild_opportunities(ws);
        ix.rebuild_metrics(ws);
        for id in ws.notes.keys() {
            ix.update_note(ws, id);
        }
        ix
    }

    /// Brings the entries of the touched files up to date.
    pub fn update(&mut self, ws: &Workspace, files: &BTreeSet<FileKey>) {
        for f in files {
            match f {
                FileKey::Workspace => {
                    self.rebuild_map(ws);
                    // Note contexts name personas: cheap enough to keep exact
                    // only for the map; notes show their persona at render.
                }
                FileKey::Opportunities => self.rebuild_opportunities(ws),
                FileKey::Metrics => self.rebuild_metrics(ws),
                FileKey::Note(id) => self.update_note(ws, id),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.map.len() + self.opportunities.len() + self.metrics.len() + self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, slot: Slot) -> Option<&Entry> {
        match slot {
            Slot::Map(i) => self.map.get(i),
            Slot::Opportunity(i) => self.opportunities.get(i),
            Slot::Metric(i) => self.metrics.get(i),
            Slot::Note(i) => self.notes.get(i),
        }
    }

    /// Every slot, in a fixed order: the map, opportunities, metrics, notes.
    fn slots(&self) -> Vec<Slot> {
        let mut v = Vec::with_capacity(self.len());
        v.extend((0..self.map.len()).map(Slot::Map));
        v.extend((0..self.opportunities.len()).map(Slot::Opportunity));
        v.extend((0..self.metrics.len()).map(Slot::Metric));
        v.extend((0..self.notes.len()).map(Slot::Note));
        v
    }

    fn rebuild_map(&mut self, ws: &Workspace) {
        let mut v = Vec::new();
        for p in &ws.personas {
            v.push(Entry {
                kind: Kind::Persona,
                target: EntityRef::Persona(p.id.clone()),
                label: p.name.clone(),
                context: p.role.label().to_string(),
                fields: [
                    field("name", &p.name, false),
                    field("description", &p.description, true),
                    field("jobs", &p.jobs.join(" · "), true),
                    field("tags", &p.tags.join(" "), false),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
        for ph in &ws.phases {
            v.push(Entry {
                kind: Kind::Phase,
                target: EntityRef::Phase(ph.id.clone()),
                label: ph.name.clone(),
                context: format!("{} activities", ph.activities.len()),
                fields: [
                    field("name", &ph.name, false),
                    field("description", &ph.description, true),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
            for a in &ph.activities {
                v.push(Entry {
                    kind: Kind::Activity,
                    target: EntityRef::Activity(a.id.clone()),
                    label: a.name.clone(),
                    context: ph.name.clone(),
                    fields: [
                        field("name", &a.name, false),
                        field("description", &a.description, true),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                });
            }
        }
        for x in &ws.perspectives {
            let who = ws.persona(&x.persona).map_or("?", |p| p.name.as_str());
            let what = ws.activity(&x.activity).map_or("?", |a| a.name.as_str());
            v.push(Entry {
                kind: Kind::Perspective,
                target: EntityRef::Perspective {
                    persona: x.persona.clone(),
                    activity: x.activity.clone(),
                },
                label: format!("{who} · {what}"),
                context: x.score().map_or(String::new(), |s| format!("score {s}")),
                fields: [
                    field("interest", &x.interest, true),
                    field("needs", &x.needs.join(" · "), true),
                    field("pains", &x.pains.join(" · "), true),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
        self.map = v;
    }

    fn rebuild_opportunities(&mut self, ws: &Workspace) {
        self.opportunities = ws
            .opportunities
            .iter()
            .map(|o| {
                let quotes: Vec<&str> = o.evidence.iter().map(|e| e.quote.as_str()).collect();
                Entry {
                    kind: Kind::Opportunity,
                    target: EntityRef::Opportunity(o.id.clone()),
                    label: o.title.clone(),
                    context: format!("{} · {}", o.kind.label(), o.status.label()),
                    fields: [
                        field("title", &o.title, false),
                        field("description", &o.description, true),
                        field("evidence", &quotes.join(" · "), true),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                }
            })
            .collect();
    }

    fn rebuild_metrics(&mut self, ws: &Workspace) {
        self.metrics = ws
            .metrics
            .iter()
            .map(|m| Entry {
                kind: Kind::Metric,
                target: EntityRef::Metric(m.id.clone()),
                label: m.name.clone(),
                context: m.unit.clone(),
                fields: [
                    field("name", &m.name, false),
                    field("description", &m.description, true),
                ]
                .into_iter()
                .flatten()
                .collect(),
            })
            .collect();
    }

    fn update_note(&mut self, ws: &Workspace, id: &Id) {
        match ws.notes.get(id) {
            Some(n) => {
                let entry = Entry {
                    kind: Kind::Note,
                    target: EntityRef::Note(n.id.clone()),
                    label: n.title.clone(),
                    context: format!("{} · {}", n.date.format("%Y-%m-%d"), n.interviewee),
                    fields: [
                        field("title", &n.title, false),
                        field("interviewee", &n.interviewee, false),
                        field("tags", &n.tags.join(" "), false),
                        // The body without its first line (the title).
                        field(
                            "body",
                            n.body.split_once('\n').map_or("", |(_, rest)| rest),
                            true,
                        ),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                };
                match self.note_slot.get(id) {
                    Some(&i) => self.notes[i] = entry,
                    None => {
                        self.note_slot.insert(id.clone(), self.notes.len());
                        self.notes.push(entry);
                    }
                }
            }
            None => {
                if let Some(i) = self.note_slot.remove(id) {
                    self.notes.swap_remove(i);
                    if let Some(moved) = self.notes.get(i)
                        && let EntityRef::Note(mid) = &moved.target
                    {
                        self.note_slot.insert(mid.clone(), i);
                    }
                }
            }
        }
    }
}

/// A match: where, how good, and in which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub slot: Slot,
    pub kind: Kind,
    pub score: u32,
    /// The field that matched best.
    pub field: usize,
}

/// The most hits kept per kind.
pub const PER_KIND: usize = 50;

/// A query being matched, a slice at a time.
pub struct Session {
    query: String,
    /// Fuzzy, for names and titles (fzf syntax: 'exact ^prefix suffix$ !not).
    pattern: Pattern,
    /// Every word as a substring, for long text, where a fuzzy match of a
    /// few letters scattered over a paragraph would mean nothing.
    pattern_long: Pattern,
    matcher: Matcher,
    /// What is left to match, and where we are in it.
    todo: Vec<Slot>,
    pos: usize,
    /// Every match found so far (the candidates for a longer query).
    all: Vec<Hit>,
    /// The best hits per kind, for display.
    pub hits: Vec<Hit>,
    sorted: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session {
            query: String::new(),
            pattern: Pattern::default(),
            pattern_long: Pattern::default(),
            matcher: Matcher::new(Config::DEFAULT),
            todo: Vec::new(),
            pos: 0,
            all: Vec::new(),
            hits: Vec::new(),
            sorted: true,
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether every candidate has been matched.
    pub fn done(&self) -> bool {
        self.pos >= self.todo.len()
    }

    /// How far matching has got: (matched, total).
    pub fn progress(&self) -> (usize, usize) {
        (self.pos, self.todo.len())
    }

    /// Starts matching a new query. When it only adds to the previous one and
    /// that one finished, only the previous matches are candidates.
    pub fn set_query(&mut self, index: &Index, query: &str) {
        let refine = !self.query.is_empty()
            && query.starts_with(&self.query)
            && self.done()
            && !query.ends_with(' ')
            && !query.contains('!');
        self.todo = if refine {
            self.all.iter().map(|h| h.slot).collect()
        } else {
            index.slots()
        };
        self.query = query.to_string();
        self.pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        self.pattern_long = if query.contains(['\'', '^', '$', '!']) {
            self.pattern.clone()
        } else {
            Pattern::new(
                query,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Substring,
            )
        };
        self.pos = 0;
        self.all.clear();
        self.hits.clear();
        self.sorted = true;
        if query.trim().is_empty() {
            self.todo.clear();
        }
    }

    /// Matches up to `budget` candidates; returns whether it finished.
    pub fn step(&mut self, index: &Index, budget: usize) -> bool {
        let end = (self.pos + budget).min(self.todo.len());
        for i in self.pos..end {
            let slot = self.todo[i];
            let Some(e) = index.get(slot) else { continue };
            let mut best: Option<(u32, usize)> = None;
            for (fi, f) in e.fields.iter().enumerate() {
                let pattern = if f.long {
                    &self.pattern_long
                } else {
                    &self.pattern
                };
                if let Some(s) = pattern.score(f.text.slice(..), &mut self.matcher) {
                    // Names and titles weigh more than long text.
                    let s = if f.long { s } else { s + s / 2 };
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, fi));
                    }
                }
            }
            if let Some((score, field)) = best {
                self.all.push(Hit {
                    slot,
                    kind: e.kind,
                    score,
                    field,
                });
                self.sorted = false;
            }
        }
        self.pos = end;
        if !self.sorted {
            self.rank();
        }
        self.done()
    }

    /// Groups hits by kind, the group with the best hit first, best first
    /// within a group, at most [`PER_KIND`] per group.
    fn rank(&mut self) {
        let mut best: HashMap<Kind, u32> = HashMap::new();
        for h in &self.all {
            let b = best.entry(h.kind).or_default();
            *b = (*b).max(h.score);
        }
        let mut by_kind: Vec<Hit> = self.all.clone();
        by_kind.sort_by(|a, b| {
            best[&b.kind]
                .cmp(&best[&a.kind])
                .then(a.kind.cmp(&b.kind))
                .then(b.score.cmp(&a.score))
        });
        let mut out = Vec::new();
        let mut count = 0;
        let mut last = None;
        for h in by_kind {
            if last != Some(h.kind) {
                last = Some(h.kind);
                count = 0;
            }
            if count < PER_KIND {
                out.push(h);
                count += 1;
            }
        }
        self.hits = out;
        self.sorted = true;
    }

    /// The characters of a hit's field that match, for highlighting.
    pub fn indices(&mut self, index: &Index, hit: &Hit) -> Vec<u32> {
        let Some(f) = index.get(hit.slot).and_then(|e| e.fields.get(hit.field)) else {
            return Vec::new();
        };
        let mut idx = Vec::new();
        let pattern = if f.long {
            &self.pattern_long
        } else {
            &self.pattern
        };
        pattern.indices(f.text.slice(..), &mut self.matcher, &mut idx);
        idx.sort_unstable();
        idx.dedup();
        idx
    }

    /// The total number of matches so far (all kinds, before the per-kind cap).
    pub fn total(&self) -> usize {
        self.all.len()
    }
}

/// A window of a long text around its first highlighted character: the
/// snippet and the highlighted positions inside it.
pub fn snippet(text: &Utf32String, indices: &[u32], width: usize) -> (String, Vec<usize>) {
    let chars: Vec<char> = match text.slice(..) {
        Utf32Str::Ascii(b) => b.iter().map(|c| *c as char).collect(),
        Utf32Str::Unicode(c) => c.to_vec(),
    };
    let first = indices.first().copied().unwrap_or(0) as usize;
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut s: String = chars[start..end]
        .iter()
        .map(|c| if c.is_control() { ' ' } else { *c })
        .collect();
    let mut shift = 0;
    if start > 0 {
        s.insert(0, '…');
        shift = 1;
    }
    if end < chars.len() {
        s.push('…');
    }
    let marks = indices
        .iter()
        .map(|i| *i as usize)
        .filter(|i| *i >= start && *i < end)
        .map(|i| i - start + shift)
        .collect();
    (s, marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn k8s() -> Workspace {
        Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    }

    fn run(ix: &Index, q: &str) -> Session {
        let mut s = Session::new();
        s.set_query(ix, q);
        while !s.step(ix, 7) {}
        s
    }

    #[test]
    fn finds_every_kind_of_entity() {
        let ws = k8s();
        let ix = Index::build(&ws);
        assert_eq!(ix.notes.len(), ws.notes.len());
        let kinds = |q: &str| -> Vec<Kind> {
            let s = run(&ix, q);
            let mut k: Vec<Kind> = s.hits.iter().map(|h| h.kind).collect();
            k.dedup();
            k
        };
        assert_eq!(kinds("Engineering manager")[0], Kind::Persona);
        assert!(kinds("Operation").contains(&Kind::Phase));
        assert!(kinds("Monitor a workload").contains(&Kind::Activity));
        assert!(kinds("Uptime").contains(&Kind::Metric));
        let dana = run(&ix, "Dana");
        assert!(dana.hits.iter().any(|h| h.kind == Kind::Note));
    }

    #[test]
    fn best_match_first_within_a_kind() {
        let ws = k8s();
        let ix = Index::build(&ws);
        let s = run(&ix, "delete a cluster");
        let first_activity = s.hits.iter().find(|h| h.kind == Kind::Activity).unwrap();
        assert_eq!(
            ix.get(first_activity.slot).unwrap().label,
            "Delete a cluster"
        );
    }

    #[test]
    fn a_growing_query_refines_the_previous_hits() {
        let ws = k8s();
        let ix = Index::build(&ws);
        let mut s = Session::new();
        s.set_query(&ix, "clu");
        while !s.step(&ix, 1000) {}
        let broad = s.total();
        s.set_query(&ix, "clus");
        assert_eq!(
            s.progress().1,
            broad,
            "only the previous hits are candidates"
        );
        while !s.step(&ix, 1000) {}
        let fresh = run(&ix, "clus");
        assert_eq!(s.hits, fresh.hits);
        // A changed query starts over.
        s.set_query(&ix, "upt");
        assert_eq!(s.progress().1, ix.len());
    }

    #[test]
    fn edits_update_only_what_they_touch() {
        let mut ws = k8s();
        let mut ix = Index::build(&ws);
        let id = ws.notes.keys().next().unwrap().clone();
        ws.notes.get_mut(&id).unwrap().interviewee = "Xavierine Quokka".into();
        ix.update(&ws, &[FileKey::Note(id.clone())].into());
        assert_eq!(run(&ix, "Quokka").hits.len(), 1);
        ws.notes.remove(&id);
        ix.update(&ws, &[FileKey::Note(id)].into());
        assert!(run(&ix, "Quokka").hits.is_empty());
        assert_eq!(ix.notes.len(), ws.notes.len());
        // Every remaining note is still findable through its slot.
        for (nid, n) in &ws.notes {
            let slot = ix.note_slot[nid];
            assert_eq!(ix.notes[slot].label, n.title);
        }
        ws.personas[0].name = "Zebra wrangler".into();
        ix.update(&ws, &[FileKey::Workspace].into());
        assert!(!run(&ix, "Zebra wrangler").hits.is_empty());
    }

    #[test]
    fn snippets_window_long_text_around_the_match() {
        let text =
            Utf32String::from(format!("{}needle{}", "x".repeat(100), "y".repeat(100)).as_str());
        let (s, marks) = snippet(&text, &[100, 101, 102], 30);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(&s.chars().skip(marks[0]).take(3).collect::<String>(), "nee");
    }

    #[test]
    fn an_empty_query_matches_nothing() {
        let ix = Index::build(&k8s());
        let mut s = Session::new();
        s.set_query(&ix, "  ");
        assert!(s.step(&ix, 10));
        assert!(s.hits.is_empty());
    }
}
