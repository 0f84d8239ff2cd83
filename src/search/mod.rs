//! Fuzzy search over every entity's text.
//!
//! Search reads the workspace itself: an edit is searchable the moment it is
//! applied, and nothing is rebuilt, neither per edit nor per keystroke (a
//! separate copy of 100,000 notes' text would also double the memory). A
//! [`Session`] matches a query incrementally: in slices of bounded work, so
//! typing never waits, and when a query only grows, only the previous hits
//! are matched again.
//!
//! Names and titles match fuzzily, with fzf's syntax (`'exact`, `^prefix`,
//! `suffix$`, `!not`); long text (note bodies, descriptions, perspectives,
//! evidence) matches word by word as substrings, because a handful of
//! letters scattered over a paragraph means nothing.

pub mod filter;

use std::collections::HashMap;
use std::ops::Bound;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::model::{EntityRef, Id, Kind as ItemKind, Workspace};

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
    Outcome,
    Solution,
    Test,
    NeedsNode,
    NeedsLayer,
    Team,
    Adoption,
}

impl Kind {
    pub fn title(self) -> &'static str {
        match self {
            Kind::Persona => "Personas",
            Kind::Phase => "Phases",
            Kind::Activity => "Activities",
            Kind::Perspective => "Perspectives",
            Kind::Note => "Notes",
            Kind::Opportunity => "Opportunities",
            Kind::Metric => "Metrics",
            Kind::Outcome => "Outcomes",
            Kind::Solution => "Solutions",
            Kind::Test => "Assumption tests",
            Kind::NeedsNode => "Needs map",
            Kind::NeedsLayer => "Needs-map layers",
            Kind::Team => "Teams",
            Kind::Adoption => "Adoption",
        }
    }

    pub fn of(e: &EntityRef) -> Kind {
        match e {
            EntityRef::Workspace | EntityRef::Phase(_) => Kind::Phase,
            EntityRef::Activity(_) => Kind::Activity,
            EntityRef::Persona(_) => Kind::Persona,
            EntityRef::Perspective { .. } => Kind::Perspective,
            EntityRef::Note(_) => Kind::Note,
            EntityRef::Opportunity(_) => Kind::Opportunity,
            EntityRef::Metric(_) => Kind::Metric,
            EntityRef::Item(k, _) => match k {
                ItemKind::Outcome => Kind::Outcome,
                ItemKind::Solution => Kind::Solution,
                ItemKind::Test => Kind::Test,
                ItemKind::NeedsLayer => Kind::NeedsLayer,
                ItemKind::NeedsNode => Kind::NeedsNode,
                ItemKind::Team => Kind::Team,
                ItemKind::Adoption => Kind::Adoption,
            },
        }
    }
}

/// One searchable field of an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    pub name: &'static str,
    pub text: std::borrow::Cow<'a, str>,
    /// Long text: matched as substrings, shown as a snippet.
    pub long: bool,
}

fn push<'a>(v: &mut Vec<Field<'a>>, name: &'static str, text: &'a str, long: bool) {
    if !text.trim().is_empty() {
        v.push(Field {
            name,
            text: std::borrow::Cow::Borrowed(text),
            long,
        });
    }
}

/// The searchable fields of an entity, straight from the workspace.
pub fn fields<'a>(ws: &'a Workspace, e: &EntityRef) -> Vec<Field<'a>> {
    let mut v = Vec::new();
    match e {
        EntityRef::Workspace => {}
        EntityRef::Persona(id) => {
            if let Some(p) = ws.persona(id) {
                push(&mut v, "name", &p.name, false);
                push(&mut v, "description", &p.description, true);
                for j in &p.jobs {
                    push(&mut v, "job", j, true);
                }
                for t in &p.tags {
                    push(&mut v, "tag", t, false);
                }
            }
        }
        EntityRef::Phase(id) => {
            if let Some(p) = ws.phase(id) {
                push(&mut v, "name", &p.name, false);
                push(&mut v, "description", &p.description, true);
            }
        }
        EntityRef::Activity(id) => {
            if let Some(a) = ws.activity(id) {
                push(&mut v, "name", &a.name, false);
                push(&mut v, "description", &a.description, true);
            }
        }
        EntityRef::Perspective { persona, activity } => {
            if let Some(x) = ws.perspective(persona, activity) {
                push(&mut v, "interest", &x.interest, true);
                for n in &x.needs {
                    push(&mut v, "need", n, true);
                }
                for p in &x.pains {
                    push(&mut v, "pain", p, true);
                }
            }
        }
        EntityRef::Note(id) => {
            if let Some(n) = ws.notes.get(id) {
                push(&mut v, "title", &n.title, false);
                push(&mut v, "interviewee", &n.interviewee, false);
                for t in &n.tags {
                    push(&mut v, "tag", t, false);
                }
                // The body without its first line (the title).
                let body = n.body.split_once('\n').map_or("", |(_, rest)| rest);
                push(&mut v, "note", body, true);
                // Each rating as words: "rating i4 s2 Create a cluster".
                if crate::model::ratings::has_rating(n) {
                    for (a, i, s) in crate::model::ratings::note_ratings(ws, n).0 {
                        let what = ws.activity(&a).map_or("", |a| a.name.as_str());
                        v.push(Field {
                            name: "rating",
                            text: std::borrow::Cow::Owned(format!("rating i{i} s{s} {what}")),
                            long: false,
                        });
                    }
                }
            }
        }
        EntityRef::Opportunity(id) => {
            if let Some(o) = ws.opportunity(id) {
                push(&mut v, "title", &o.title, false);
                push(&mut v, "description", &o.description, true);
                for e in &o.evidence {
                    push(&mut v, "evidence", &e.quote, true);
                }
            }
        }
        EntityRef::Metric(id) => {
            if let Some(m) = ws.metric(id) {
                push(&mut v, "name", &m.name, false);
                push(&mut v, "description", &m.description, true);
                if let Some(f) = &m.formula {
                    push(&mut v, "formula", f, true);
                }
            }
        }
        EntityRef::Item(ItemKind::Outcome, id) => {
            if let Some(o) = ws.items.outcomes.get(id) {
                push(&mut v, "name", &o.name, false);
                push(&mut v, "description", &o.description, true);
            }
        }
        EntityRef::Item(ItemKind::Solution, id) => {
            if let Some(s) = ws.items.solutions.get(id) {
                push(&mut v, "title", &s.title, false);
                push(&mut v, "owner", &s.owner, false);
                push(&mut v, "description", &s.description, true);
            }
        }
        EntityRef::Item(ItemKind::NeedsLayer, id) => {
            if let Some(l) = ws.items.layers.get(id) {
                push(&mut v, "name", &l.name, false);
                push(&mut v, "description", &l.description, true);
            }
        }
        EntityRef::Item(ItemKind::NeedsNode, id) => {
            if let Some(n) = ws.items.nodes.get(id) {
                push(&mut v, "name", &n.name, false);
                push(&mut v, "description", &n.description, true);
            }
        }
        EntityRef::Item(ItemKind::Test, id) => {
            if let Some(t) = ws.items.tests.get(id) {
                push(&mut v, "assumption", &t.assumption, false);
                push(&mut v, "owner", &t.owner, false);
                push(&mut v, "method", &t.method, true);
                push(&mut v, "criterion", &t.criterion, true);
                for e in &t.evidence {
                    push(&mut v, "evidence", &e.quote, true);
                }
            }
        }
        EntityRef::Item(ItemKind::Team, id) => {
            if let Some(t) = ws.items.teams.get(id) {
                push(&mut v, "name", &t.name, false);
                push(&mut v, "description", &t.description, true);
            }
        }
        EntityRef::Item(ItemKind::Adoption, id) => {
            if let Some(a) = ws.items.adoptions.get(id) {
                push(&mut v, "comment", &a.comment, true);
            }
        }
    }
    v
}

/// How a result is shown: its name and a line of context. A cell's score
/// is the map's (`cells`: the interviews' medians from three ratings on).
pub fn describe(
    ws: &Workspace,
    cells: &dyn crate::model::ratings::CellRatings,
    e: &EntityRef,
) -> (String, String) {
    match e {
        EntityRef::Workspace => (ws.name.clone(), String::new()),
        EntityRef::Persona(id) => ws
            .persona(id)
            .map(|p| (p.name.clone(), p.role.label().to_string()))
            .unwrap_or_default(),
        EntityRef::Phase(id) => ws
            .phase(id)
            .map(|p| {
                (
                    p.name.clone(),
                    crate::text::count(p.activities.len(), "activity"),
                )
            })
            .unwrap_or_default(),
        EntityRef::Activity(id) => match (ws.activity(id), ws.phase_of(id)) {
            (Some(a), Some(p)) => (a.name.clone(), p.name.clone()),
            _ => Default::default(),
        },
        EntityRef::Perspective { persona, activity } => {
            let who = ws.persona(persona).map_or("?", |p| p.name.as_str());
            let what = ws.activity(activity).map_or("?", |a| a.name.as_str());
            let r = cells.rating(ws, persona, activity);
            let score = r.score().map_or(String::new(), |s| match r.source {
                crate::model::ratings::Source::Pm => format!("score {s}"),
                src => format!("score {s} ({})", src.label()),
            });
            (format!("{who} · {what}"), score)
        }
        EntityRef::Note(id) => ws
            .notes
            .get(id)
            .map(|n| {
                (
                    n.title.clone(),
                    format!("{} · {}", n.date.format("%Y-%m-%d"), n.interviewee),
                )
            })
            .unwrap_or_default(),
        EntityRef::Opportunity(id) => ws
            .opportunity(id)
            .map(|o| {
                (
                    o.title.clone(),
                    format!("{} · {}", o.kind.label(), o.status.label()),
                )
            })
            .unwrap_or_default(),
        EntityRef::Metric(id) => ws
            .metric(id)
            .map(|m| (m.name.clone(), m.unit.clone()))
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::Outcome, id) => ws
            .items
            .outcomes
            .get(id)
            .map(|o| {
                (
                    o.name.clone(),
                    crate::text::count(o.metrics.len(), "metric"),
                )
            })
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::Solution, id) => ws
            .items
            .solutions
            .get(id)
            .map(|s| {
                let opp = ws.opportunity(&s.opportunity).map_or("?", |o| &o.title);
                (s.title.clone(), format!("{} · {opp}", s.status.label()))
            })
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::NeedsLayer, id) => ws
            .items
            .layers
            .get(id)
            .map(|l| (l.name.clone(), "needs-map layer".to_string()))
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::NeedsNode, id) => ws
            .items
            .nodes
            .get(id)
            .map(|n| {
                let layer = ws
                    .needs_layers()
                    .into_iter()
                    .find(|l| l.id == n.layer)
                    .map_or_else(|| n.layer.to_string(), |l| l.name);
                (n.name.clone(), layer)
            })
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::Test, id) => ws
            .items
            .tests
            .get(id)
            .map(|t| {
                let sol = ws
                    .items
                    .solutions
                    .get(&t.solution)
                    .map_or("?", |s| &s.title);
                (
                    t.assumption.clone(),
                    format!("{} · {} · {sol}", t.kind.label(), t.result.label()),
                )
            })
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::Team, id) => ws
            .items
            .teams
            .get(id)
            .map(|t| {
                let who = t
                    .persona
                    .as_ref()
                    .and_then(|p| ws.persona(p))
                    .map_or(String::new(), |p| p.name.clone());
                (t.name.clone(), format!("team · {who}"))
            })
            .unwrap_or_default(),
        EntityRef::Item(ItemKind::Adoption, id) => ws
            .items
            .adoptions
            .get(id)
            .map(|a| {
                let team = ws.items.teams.get(&a.team).map_or("?", |t| &t.name);
                (
                    format!("{team} · {}", ws.target_name(&a.target)),
                    format!("{} · {}", a.date.format("%Y-%m-%d"), a.state.label()),
                )
            })
            .unwrap_or_default(),
    }
}

/// The small entities (everything but notes), in a fixed order.
fn small_entities(ws: &Workspace) -> Vec<EntityRef> {
    let mut v = Vec::new();
    v.extend(ws.personas.iter().map(|p| EntityRef::Persona(p.id.clone())));
    for p in &ws.phases {
        v.push(EntityRef::Phase(p.id.clone()));
        v.extend(
            p.activities
                .iter()
                .map(|a| EntityRef::Activity(a.id.clone())),
        );
    }
    v.extend(ws.perspectives.iter().map(|x| EntityRef::Perspective {
        persona: x.persona.clone(),
        activity: x.activity.clone(),
    }));
    v.extend(
        ws.opportunities
            .iter()
            .map(|o| EntityRef::Opportunity(o.id.clone())),
    );
    v.extend(ws.metrics.iter().map(|m| EntityRef::Metric(m.id.clone())));
    v.extend(
        ws.items
            .keys()
            .map(|(k, id)| EntityRef::Item(k, id.clone())),
    );
    v
}

/// A match: what, how good, and which field matched best.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub target: EntityRef,
    pub kind: Kind,
    pub score: u32,
    pub field: usize,
}

/// The most hits kept per kind.
pub const PER_KIND: usize = 50;

/// What is left to match.
enum Todo {
    /// Every entity: the small ones from a list, then notes in id order
    /// after the given id.
    All {
        small: Vec<EntityRef>,
        next_small: usize,
        notes_after: Option<Id>,
        notes_done: bool,
        notes_seen: usize,
    },
    /// The previous query's hits.
    Refine {
        candidates: Vec<EntityRef>,
        next: usize,
    },
}

/// A query being matched, a slice at a time.
pub struct Session {
    query: String,
    pattern: Pattern,
    pattern_long: Pattern,
    matcher: Matcher,
    todo: Todo,
    total: usize,
    /// Every match found so far (the candidates for a longer query).
    all: Vec<Hit>,
    /// The best hits of each kind so far, best first, at most [`PER_KIND`].
    top: HashMap<Kind, Vec<Hit>>,
    /// The best hits per kind, the best group first, for display.
    pub hits: Vec<Hit>,
    buf: Vec<char>,
    /// Counts changes to `hits`.
    generation: u64,
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
            todo: Todo::Refine {
                candidates: Vec::new(),
                next: 0,
            },
            total: 0,
            all: Vec::new(),
            top: HashMap::new(),
            hits: Vec::new(),
            buf: Vec::new(),
            generation: 0,
        }
    }

    /// A number that changes whenever [`Session::hits`] does.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether every candidate has been matched.
    pub fn done(&self) -> bool {
        match &self.todo {
            Todo::All {
                small,
                next_small,
                notes_done,
                ..
            } => *next_small >= small.len() && *notes_done,
            Todo::Refine { candidates, next } => *next >= candidates.len(),
        }
    }

    /// How far matching has got: (matched, total).
    pub fn progress(&self) -> (usize, usize) {
        let done = match &self.todo {
            Todo::All {
                next_small,
                notes_seen,
                ..
            } => next_small + notes_seen,
            Todo::Refine { next, .. } => *next,
        };
        (done.min(self.total), self.total)
    }

    /// Starts matching a new query. When it only adds to the previous one and
    /// that one finished, only the previous matches are candidates.
    pub fn set_query(&mut self, ws: &Workspace, query: &str) {
        let refine = !self.query.is_empty()
            && query.starts_with(self.query.as_str())
            && self.done()
            && !query.ends_with(' ')
            && !query.contains(['!', '$']);
        self.todo = if query.trim().is_empty() {
            Todo::Refine {
                candidates: Vec::new(),
                next: 0,
            }
        } else if refine {
            Todo::Refine {
                candidates: self.all.drain(..).map(|h| h.target).collect(),
                next: 0,
            }
        } else {
            let small = small_entities(ws);
            Todo::All {
                small,
                next_small: 0,
                notes_after: None,
                notes_done: ws.notes.is_empty(),
                notes_seen: 0,
            }
        };
        self.total = match &self.todo {
            Todo::All { small, .. } => small.len() + ws.notes.len(),
            Todo::Refine { candidates, .. } => candidates.len(),
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
        self.all.clear();
        self.top.clear();
        self.hits.clear();
        self.generation += 1;
    }

    fn score(&mut self, ws: &Workspace, target: &EntityRef) -> Option<(u32, usize)> {
        let mut best: Option<(u32, usize)> = None;
        for (fi, f) in fields(ws, target).iter().enumerate() {
            let pattern = if f.long {
                &self.pattern_long
            } else {
                &self.pattern
            };
            let hay = Utf32Str::new(&f.text, &mut self.buf);
            if let Some(s) = pattern.score(hay, &mut self.matcher) {
                // Names and titles weigh more than long text.
                let s = if f.long { s } else { s + s / 2 };
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, fi));
                }
            }
        }
        best
    }

    fn consider(&mut self, ws: &Workspace, target: EntityRef) {
        if let Some((score, field)) = self.score(ws, &target) {
            self.found(Hit {
                kind: Kind::of(&target),
                target,
                score,
                field,
            });
        }
    }

    /// Records a match, keeping the best [`PER_KIND`] of its kind in order.
    fn found(&mut self, hit: Hit) {
        let top = self.top.entry(hit.kind).or_default();
        if top.len() < PER_KIND || top.last().is_some_and(|l| hit.score > l.score) {
            let at = top.partition_point(|h| h.score >= hit.score);
            top.insert(at, hit.clone());
            top.truncate(PER_KIND);
        }
        self.all.push(hit);
    }

    /// Matches up to `budget` candidates; returns whether it finished.
    pub fn step(&mut self, ws: &Workspace, budget: usize) -> bool {
        let before = self.all.len();
        let mut left = budget;
        let mut todo = std::mem::replace(
            &mut self.todo,
            Todo::Refine {
                candidates: Vec::new(),
                next: 0,
            },
        );
        match &mut todo {
            Todo::Refine { candidates, next } => {
                while left > 0 && *next < candidates.len() {
                    let t = candidates[*next].clone();
                    *next += 1;
                    left -= 1;
                    self.consider(ws, t);
                }
            }
            Todo::All {
                small,
                next_small,
                notes_after,
                notes_done,
                notes_seen,
            } => {
                while left > 0 && *next_small < small.len() {
                    let t = small[*next_small].clone();
                    *next_small += 1;
                    left -= 1;
                    self.consider(ws, t);
                }
                if left > 0 && !*notes_done {
                    let range = match notes_after.as_ref() {
                        Some(id) => ws.notes.range((Bound::Excluded(id), Bound::Unbounded)),
                        None => ws.notes.range::<Id, _>(..),
                    };
                    let mut last = None;
                    let mut took = 0;
                    for (id, _) in range.take(left) {
                        took += 1;
                        last = Some(id);
                        let target = EntityRef::Note(id.clone());
                        if let Some((score, field)) = self.score(ws, &target) {
                            self.found(Hit {
                                kind: Kind::Note,
                                target,
                                score,
                                field,
                            });
                        }
                    }
                    *notes_seen += took;
                    if took < left {
                        *notes_done = true;
                    }
                    if let Some(id) = last {
                        *notes_after = Some(id.clone());
                    }
                }
            }
        }
        self.todo = todo;
        if self.all.len() != before || self.done() {
            self.rank();
        }
        self.done()
    }

    /// The shown hits: each kind's best, the group with the best hit first.
    /// Costs at most [`PER_KIND`] hits per kind, however many matched.
    fn rank(&mut self) {
        let mut groups: Vec<&Vec<Hit>> = self.top.values().filter(|g| !g.is_empty()).collect();
        groups.sort_by(|a, b| b[0].score.cmp(&a[0].score).then(a[0].kind.cmp(&b[0].kind)));
        self.hits = groups.into_iter().flatten().cloned().collect();
        self.generation += 1;
    }

    /// The characters of a hit's field that match, for highlighting.
    pub fn indices(&mut self, ws: &Workspace, hit: &Hit) -> Vec<u32> {
        let fs = fields(ws, &hit.target);
        let Some(f) = fs.get(hit.field) else {
            return Vec::new();
        };
        let mut idx = Vec::new();
        let pattern = if f.long {
            &self.pattern_long
        } else {
            &self.pattern
        };
        let hay = Utf32Str::new(&f.text, &mut self.buf);
        pattern.indices(hay, &mut self.matcher, &mut idx);
        idx.sort_unstable();
        idx.dedup();
        idx
    }

    /// The number of matches so far (all kinds, before the per-kind cap).
    pub fn total(&self) -> usize {
        self.all.len()
    }
}

/// A window of a long text around its first highlighted character: the
/// snippet and the highlighted positions inside it.
pub fn snippet(text: &str, indices: &[u32], width: usize) -> (String, Vec<usize>) {
    let chars: Vec<char> = text.chars().collect();
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

    fn run(ws: &Workspace, q: &str) -> Session {
        let mut s = Session::new();
        s.set_query(ws, q);
        while !s.step(ws, 7) {}
        s
    }

    #[test]
    fn finds_every_kind_of_entity() {
        let ws = k8s();
        let kinds = |q: &str| -> Vec<Kind> {
            let s = run(&ws, q);
            let mut k: Vec<Kind> = s.hits.iter().map(|h| h.kind).collect();
            k.dedup();
            k
        };
        assert_eq!(kinds("Engineering manager")[0], Kind::Persona);
        assert!(kinds("Operation").contains(&Kind::Phase));
        assert!(kinds("Monitor a workload").contains(&Kind::Activity));
        assert!(kinds("Uptime").contains(&Kind::Metric));
        let dana = run(&ws, "Dana");
        assert!(dana.hits.iter().any(|h| h.kind == Kind::Note));
        // Every entity is a candidate.
        let s = run(&ws, "x");
        assert_eq!(s.progress().1, small_entities(&ws).len() + ws.notes.len());
    }

    #[test]
    fn best_match_first_within_a_kind() {
        let ws = k8s();
        let s = run(&ws, "delete a cluster");
        let first = s.hits.iter().find(|h| h.kind == Kind::Activity).unwrap();
        let cells = crate::model::ratings::ByCell::of(&ws);
        assert_eq!(describe(&ws, &cells, &first.target).0, "Delete a cluster");
    }

    #[test]
    fn a_growing_query_refines_the_previous_hits() {
        let ws = k8s();
        let mut s = Session::new();
        s.set_query(&ws, "clu");
        while !s.step(&ws, 1000) {}
        let broad = s.total();
        s.set_query(&ws, "clus");
        assert_eq!(
            s.progress().1,
            broad,
            "only the previous hits are candidates"
        );
        while !s.step(&ws, 1000) {}
        let fresh = run(&ws, "clus");
        assert_eq!(s.hits, fresh.hits);
        // A changed query starts over.
        s.set_query(&ws, "upt");
        assert!(s.progress().1 > broad);
    }

    #[test]
    fn slices_of_any_size_give_the_same_result() {
        let ws = crate::synth::workspace(crate::synth::Shape::notes(300));
        let one = run(&ws, "upgrade");
        let mut s = Session::new();
        s.set_query(&ws, "upgrade");
        while !s.step(&ws, 1) {}
        assert_eq!(s.hits, one.hits);
        assert_eq!(s.progress().0, s.progress().1);
    }

    #[test]
    fn long_text_matches_words_not_scattered_letters() {
        let ws = k8s();
        // "zoe" is scattered across many bodies; it should match Zoë's note by
        // its interviewee (accents folded), not every paragraph with a z, o, e.
        let s = run(&ws, "zoe");
        assert!(s.hits.iter().all(|h| h.kind == Kind::Note));
        assert_eq!(s.hits.len(), 1);
    }

    #[test]
    fn edits_are_searchable_at_once() {
        let mut ws = k8s();
        let id = ws.notes.keys().next().unwrap().clone();
        ws.notes.get_mut(&id).unwrap().interviewee = "Xavierine Quokka".into();
        assert_eq!(run(&ws, "Quokka").hits.len(), 1);
        ws.notes.remove(&id);
        assert!(run(&ws, "Quokka").hits.is_empty());
    }

    #[test]
    fn snippets_window_long_text_around_the_match() {
        let text = format!("{}needle{}", "x".repeat(100), "y".repeat(100));
        let (s, marks) = snippet(&text, &[100, 101, 102], 30);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(&s.chars().skip(marks[0]).take(3).collect::<String>(), "nee");
    }

    #[test]
    fn an_empty_query_matches_nothing() {
        let ws = k8s();
        let mut s = Session::new();
        s.set_query(&ws, "  ");
        assert!(s.step(&ws, 10));
        assert!(s.hits.is_empty());
    }
}
