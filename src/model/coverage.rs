//! Coverage: what the map knows, and its blind spots.
//!
//! [`Stats`] counts, per grid cell, the notes and opportunities linked to it,
//! per activity the metrics and which roles have been heard, and which
//! opportunities cite each note. It is computed once and then kept up to
//! date by edits, file by file, so its cost follows the edit, not the
//! workspace. The map view draws from it and `valuemap check` reports the
//! gaps.

use std::collections::BTreeSet;

use super::FastMap as HashMap;

use super::ratings::{self, CellRating, Heard};
use super::validate::FileKey;
use super::{Id, Note, NoteFacts, Role, Workspace};

/// Counts for one cell of the grid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellCounts {
    pub notes: usize,
    pub opportunities: usize,
    pub metrics: usize,
    /// Questions (`? ...` lines) of its notes not yet answered.
    pub open_questions: usize,
}

/// activity → persona → count
type Grid = HashMap<Id, HashMap<Id, usize>>;

fn bump(g: &mut Grid, activity: &Id, persona: &Id, delta: isize) {
    let row = g.entry(activity.clone()).or_default();
    let c = row.entry(persona.clone()).or_default();
    *c = c.saturating_add_signed(delta);
    if *c == 0 {
        row.remove(persona);
    }
}

/// Counts of notes per cell, by the small numbers [`Stats`] gives ids:
/// activity number → (persona number, count). Counting a note hashes
/// nothing beyond its ids' numbers; a row holds a few personas at most.
#[derive(Clone, Debug, Default)]
struct NoteGrid(Vec<Vec<(u32, usize)>>);

impl NoteGrid {
    fn bump(&mut self, activity: u32, persona: u32, delta: isize) {
        let a = activity as usize;
        if self.0.len() <= a {
            self.0.resize_with(a + 1, Vec::new);
        }
        let row = &mut self.0[a];
        match row.iter().position(|(p, _)| *p == persona) {
            Some(i) => {
                let c = &mut row[i].1;
                *c = c.saturating_add_signed(delta);
                if *c == 0 {
                    row.swap_remove(i);
                }
            }
            None if delta > 0 => row.push((persona, delta as usize)),
            None => {}
        }
    }

    fn get(&self, activity: u32, persona: u32) -> usize {
        self.row(activity)
            .iter()
            .find(|(p, _)| *p == persona)
            .map_or(0, |(_, c)| *c)
    }

    /// The personas with notes on an activity, and how many.
    fn row(&self, activity: u32) -> &[(u32, usize)] {
        self.0.get(activity as usize).map_or(&[], Vec::as_slice)
    }
}

/// What a note with a persona counts: its persona's and first two
/// activities' numbers, and its open questions, in 16 bytes (a workspace
/// has one per note). The activities after the first two, which few notes
/// have, are in [`Stats::more_activities`].
#[derive(Clone, Debug)]
struct NoteLinks {
    persona: u32,
    open: u32,
    /// [`NoteLinks::NONE`] where there is none.
    activities: [u32; 2],
}

impl NoteLinks {
    const NONE: u32 = u32::MAX;

    fn first_activities(&self) -> impl Iterator<Item = u32> + '_ {
        self.activities.iter().copied().filter(|&a| a != Self::NONE)
    }
}

/// Everything the views need to know beyond the perspectives.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    notes: NoteGrid,
    /// Open questions of the notes of each cell.
    questions: NoteGrid,
    opportunities: Grid,
    /// What each note with a persona contributes to `notes`.
    /// Persona and activity ids seen in notes, as small numbers: each note's
    /// record below then costs a few bytes instead of copies of its ids.
    interned: Vec<Id>,
    intern_of: HashMap<Id, u32>,
    note_links: HashMap<Id, NoteLinks>,
    /// A note's activities after the first two ([`NoteLinks`]).
    more_activities: HashMap<Id, Vec<u32>>,
    /// Notes per persona, by the persona's number.
    persona_notes: Vec<usize>,
    metrics_per_activity: HashMap<Id, usize>,
    /// Metrics per activity watched by no persona in particular.
    metrics_for_all: HashMap<Id, usize>,
    /// Metrics per activity and the persona who watches them.
    metrics_per_persona: Grid,
    /// The opportunities that cite each note as evidence, by id.
    citing: HashMap<Id, Vec<Id>>,
    /// What each opportunity contributes to `opportunities` and `citing`.
    opp_links: HashMap<Id, OppLinks>,
    /// The opportunities some metric is linked to.
    metric_opps: HashMap<Id, usize>,
    roles: HashMap<Id, Role>,
    /// Interview ratings by cell (persona, activity).
    heard: HashMap<(Id, Id), Vec<Heard>>,
    /// The cells each note with rating lines rates (its lines are read
    /// again when the map changes, since `@names` resolve against it).
    note_rates: HashMap<Id, Vec<(Id, Id)>>,
}

/// An opportunity's links, as counted.
#[derive(Clone, Debug, Default)]
struct OppLinks {
    activities: Vec<Id>,
    /// Empty: every persona.
    personas: Vec<Id>,
    cites: Vec<Id>,
}

/// A blind spot in a cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellGaps {
    /// Nobody has written down this persona's view of the activity.
    pub no_perspective: bool,
    /// No interview note backs the cell.
    pub no_evidence: bool,
    /// No metric validates the activity.
    pub no_metric: bool,
    /// The product manager's rating is two or more from the interviews'
    /// median.
    pub disagreement: bool,
    /// Questions asked in its notes and not yet answered.
    pub open_questions: usize,
}

impl CellGaps {
    pub fn any(self) -> bool {
        self.no_perspective
            || self.no_evidence
            || self.no_metric
            || self.disagreement
            || self.open_questions > 0
    }
}

/// Which side of the customer / consumer split an activity is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unheard {
    /// Customers were interviewed about it, consumers were not.
    Consumers,
    /// Consumers were interviewed about it, customers were not.
    Customers,
}

impl Stats {
    pub fn compute(ws: &Workspace) -> Stats {
        let mut s = Stats::default();
        s.refresh_roles(ws);
        // Nothing is counted yet: each note is counted as the map gives
        // it, without looking it up again or taking back a count.
        s.note_links.reserve(ws.notes.len());
        for n in ws.notes.values() {
            s.count_note(ws, n, NoteFacts::of(n));
        }
        s.refresh_opportunities(ws);
        s.refresh_metrics(ws);
        s
    }

    /// Brings the counts up to date after edits to `files`: the cost
    /// follows the files (a change to the map itself counts opportunities
    /// again, since those that name no persona count for every persona).
    pub fn update(&mut self, ws: &Workspace, files: &BTreeSet<FileKey>) {
        let mut all_opps = false;
        let mut opps = Vec::new();
        let mut metrics = false;
        for f in files {
            match f {
                FileKey::Note(id) => self.update_note(ws, id),
                FileKey::Workspace => {
                    self.refresh_roles(ws);
                    self.refresh_ratings(ws);
                    all_opps = true;
                }
                FileKey::Opportunities => {
                    all_opps = true;
                    metrics = true;
                }
                FileKey::Opportunity(id) => {
                    opps.push(id);
                    // Metrics linked to it count its activities.
                    metrics |= self.metric_opps.contains_key(id);
                }
                FileKey::Metrics | FileKey::Metric(_) => metrics = true,
                // Outcomes, solutions and tests count nowhere on the map.
                FileKey::Item(..) => {}
            }
        }
        if all_opps {
            self.refresh_opportunities(ws);
        } else {
            for id in opps {
                self.update_opportunity(ws, id);
            }
        }
        if metrics {
            self.refresh_metrics(ws);
        }
    }

    fn refresh_roles(&mut self, ws: &Workspace) {
        self.roles = ws.personas.iter().map(|p| (p.id.clone(), p.role)).collect();
    }

    fn intern(&mut self, id: &Id) -> u32 {
        if let Some(&n) = self.intern_of.get(id) {
            return n;
        }
        let n = self.interned.len() as u32;
        self.interned.push(id.clone());
        self.intern_of.insert(id.clone(), n);
        n
    }

    /// Reads the rating lines of every note that has some again.
    fn refresh_ratings(&mut self, ws: &Workspace) {
        let rated: Vec<Id> = self.note_rates.keys().cloned().collect();
        for id in rated {
            self.update_note_ratings(ws, &id);
        }
    }

    fn update_note_ratings(&mut self, ws: &Workspace, id: &Id) {
        self.uncount_note_ratings(id);
        if let Some(n) = ws.notes.get(id) {
            self.count_note_ratings(ws, n, ratings::has_rating(n));
        }
    }

    fn uncount_note_ratings(&mut self, id: &Id) {
        if let Some(cells) = self.note_rates.remove(id) {
            for c in cells {
                if let Some(v) = self.heard.get_mut(&c) {
                    v.retain(|h| &h.note != id);
                    if v.is_empty() {
                        self.heard.remove(&c);
                    }
                }
            }
        }
    }

    fn count_note_ratings(&mut self, ws: &Workspace, n: &Note, rated: bool) {
        if !rated {
            return;
        }
        let mut cells = Vec::new();
        for (p, a, h) in ratings::note_heard(ws, n) {
            cells.push((p.clone(), a.clone()));
            self.heard.entry((p, a)).or_default().push(h);
        }
        // A note with rating lines is remembered even when they rate
        // nothing yet: a new activity or persona may make them count.
        self.note_rates.insert(n.id.clone(), cells);
    }

    fn update_note(&mut self, ws: &Workspace, id: &Id) {
        self.uncount_note(id);
        if let Some(n) = ws.notes.get(id) {
            self.count_note(ws, n, NoteFacts::of(n));
        }
    }

    /// Room for `n` more notes (a load's count).
    pub fn reserve_notes(&mut self, n: usize) {
        self.note_links.reserve(n);
    }

    /// Counts a note that is not counted yet (one just read from disk,
    /// whether or not it is in `ws` yet), with what its text says
    /// (worked out where it was read).
    pub fn add_new_note(&mut self, ws: &Workspace, n: &Note, facts: NoteFacts) {
        debug_assert!(!self.note_links.contains_key(&n.id));
        self.count_note(ws, n, facts);
    }

    /// Takes back what a note counted.
    fn uncount_note(&mut self, id: &Id) {
        self.uncount_note_ratings(id);
        if let Some(links) = self.note_links.remove(id) {
            let (p, open) = (links.persona, links.open);
            let more = self.more_activities.remove(id).unwrap_or_default();
            for a in links.first_activities().chain(more) {
                self.notes.bump(a, p, -1);
                self.questions.bump(a, p, -(open as isize));
            }
            if let Some(c) = self.persona_notes.get_mut(p as usize) {
                *c = c.saturating_sub(1);
            }
        }
    }

    fn count_note(&mut self, ws: &Workspace, n: &Note, facts: NoteFacts) {
        self.count_note_ratings(ws, n, facts.rated);
        let Some(p) = &n.persona else { return };
        // Each activity once: most notes have one, or a few in order.
        let sorted;
        let acts: &[Id] = if n.activities.windows(2).all(|w| w[0] < w[1]) {
            &n.activities
        } else {
            let mut v = n.activities.clone();
            v.sort();
            v.dedup();
            sorted = v;
            &sorted
        };
        let open = facts.open_questions as isize;
        let pn = self.intern(p);
        let an: smallvec::SmallVec<[u32; 4]> = acts.iter().map(|a| self.intern(a)).collect();
        for &a in an.iter() {
            self.notes.bump(a, pn, 1);
            self.questions.bump(a, pn, open);
        }
        if self.persona_notes.len() <= pn as usize {
            self.persona_notes.resize(pn as usize + 1, 0);
        }
        self.persona_notes[pn as usize] += 1;
        let mut first = [NoteLinks::NONE; 2];
        for (slot, &a) in first.iter_mut().zip(an.iter()) {
            *slot = a;
        }
        if an.len() > first.len() {
            self.more_activities
                .insert(n.id.clone(), an[first.len()..].to_vec());
        }
        self.note_links.insert(
            n.id.clone(),
            NoteLinks {
                persona: pn,
                open: facts.open_questions,
                activities: first,
            },
        );
    }

    fn refresh_opportunities(&mut self, ws: &Workspace) {
        self.opportunities.clear();
        self.citing.clear();
        self.opp_links.clear();
        for o in &ws.opportunities {
            self.add_opportunity(ws, o);
        }
    }

    /// Counts one opportunity's links.
    fn add_opportunity(&mut self, ws: &Workspace, o: &super::Opportunity) {
        let mut links = OppLinks {
            activities: o.activities.clone(),
            personas: o.personas.clone(),
            cites: Vec::new(),
        };
        for a in &o.activities {
            if o.personas.is_empty() {
                for p in &ws.personas {
                    bump(&mut self.opportunities, a, &p.id, 1);
                }
            } else {
                for p in &o.personas {
                    bump(&mut self.opportunities, a, p, 1);
                }
            }
        }
        for e in &o.evidence {
            if links.cites.contains(&e.note) {
                continue;
            }
            links.cites.push(e.note.clone());
            let v = self.citing.entry(e.note.clone()).or_default();
            if let Err(at) = v.binary_search(&o.id) {
                v.insert(at, o.id.clone());
            }
        }
        self.opp_links.insert(o.id.clone(), links);
    }

    /// Counts one opportunity again after it changed (or went).
    fn update_opportunity(&mut self, ws: &Workspace, id: &Id) {
        if let Some(old) = self.opp_links.remove(id) {
            for a in &old.activities {
                if old.personas.is_empty() {
                    for p in &ws.personas {
                        bump(&mut self.opportunities, a, &p.id, -1);
                    }
                } else {
                    for p in &old.personas {
                        bump(&mut self.opportunities, a, p, -1);
                    }
                }
            }
            for n in &old.cites {
                if let Some(v) = self.citing.get_mut(n) {
                    v.retain(|x| x != id);
                    if v.is_empty() {
                        self.citing.remove(n);
                    }
                }
            }
        }
        if let Some(o) = ws.opportunity(id) {
            self.add_opportunity(ws, o);
        }
    }

    fn refresh_metrics(&mut self, ws: &Workspace) {
        self.metrics_per_activity.clear();
        self.metrics_for_all.clear();
        self.metrics_per_persona.clear();
        self.metric_opps.clear();
        for m in &ws.metrics {
            if let Some(o) = &m.opportunity {
                *self.metric_opps.entry(o.clone()).or_default() += 1;
            }
            let mut acts: BTreeSet<&Id> = m.activity.iter().collect();
            if let Some(o) = m.opportunity.as_ref().and_then(|o| ws.opportunity(o)) {
                acts.extend(o.activities.iter());
            }
            for a in acts {
                *self.metrics_per_activity.entry(a.clone()).or_default() += 1;
                if m.personas.is_empty() {
                    *self.metrics_for_all.entry(a.clone()).or_default() += 1;
                }
                let personas: BTreeSet<&Id> = m.personas.iter().collect();
                for p in personas {
                    bump(&mut self.metrics_per_persona, a, p, 1);
                }
            }
        }
    }

    fn count(g: &Grid, persona: &Id, activity: &Id) -> usize {
        g.get(activity)
            .and_then(|r| r.get(persona))
            .copied()
            .unwrap_or(0)
    }

    /// The number an id was given when a note named it.
    fn number(&self, id: &Id) -> Option<u32> {
        self.intern_of.get(id).copied()
    }

    /// Notes, opportunities and metrics for a cell.
    pub fn cell(&self, persona: &Id, activity: &Id) -> CellCounts {
        let (notes, open_questions) = match (self.number(activity), self.number(persona)) {
            (Some(a), Some(p)) => (self.notes.get(a, p), self.questions.get(a, p)),
            _ => (0, 0),
        };
        CellCounts {
            notes,
            opportunities: Self::count(&self.opportunities, persona, activity),
            metrics: self.metrics_for(persona, activity),
            open_questions,
        }
    }

    /// Metrics a persona watches on an activity: its own, and those linked
    /// to no persona.
    pub fn metrics_for(&self, persona: &Id, activity: &Id) -> usize {
        self.metrics_for_all.get(activity).copied().unwrap_or(0)
            + Self::count(&self.metrics_per_persona, persona, activity)
    }

    /// Metrics that validate an activity.
    pub fn metrics(&self, activity: &Id) -> usize {
        self.metrics_per_activity
            .get(activity)
            .copied()
            .unwrap_or(0)
    }

    /// Interview notes with a persona.
    pub fn persona_notes(&self, persona: &Id) -> usize {
        self.number(persona)
            .and_then(|p| self.persona_notes.get(p as usize))
            .copied()
            .unwrap_or(0)
    }

    /// The opportunities that cite a note as evidence.
    pub fn citing(&self, note: &Id) -> &[Id] {
        self.citing.get(note).map_or(&[], Vec::as_slice)
    }

    /// Every cell's interview ratings, as [`ratings::ByCell::of`] works
    /// them out by reading every note.
    pub fn by_cell(&self) -> ratings::ByCell {
        ratings::ByCell::from_heard(
            self.heard.iter().map(|(k, v)| (k, v.as_slice())),
            self.note_rates.keys(),
        )
    }

    /// The interview ratings of a cell, each interviewee's latest.
    pub fn heard(&self, persona: &Id, activity: &Id) -> Option<ratings::Aggregate> {
        let v = self.heard.get(&(persona.clone(), activity.clone()))?;
        ratings::aggregate(v)
    }

    /// A cell's ratings: the product manager's, the interviews', and which
    /// one its score uses.
    pub fn rating(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellRating {
        CellRating::new(
            ws.perspective(persona, activity),
            self.heard(persona, activity),
        )
    }

    pub fn gaps(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellGaps {
        let c = self.cell(persona, activity);
        CellGaps {
            disagreement: self.rating(ws, persona, activity).disagrees(),
            no_perspective: ws
                .perspective(persona, activity)
                .is_none_or(|p| p.is_blank()),
            no_evidence: c.notes == 0,
            no_metric: c.metrics == 0,
            open_questions: c.open_questions,
        }
    }

    /// Whether only one side of the customer / consumer split was heard on an
    /// activity.
    pub fn unheard(&self, activity: &Id) -> Option<Unheard> {
        let heard = self.notes.row(self.number(activity)?);
        let has = |role| {
            heard
                .iter()
                .any(|(p, _)| self.roles.get(&self.interned[*p as usize]) == Some(&role))
        };
        match (has(Role::Customer), has(Role::Consumer)) {
            (true, false) => Some(Unheard::Consumers),
            (false, true) => Some(Unheard::Customers),
            _ => None,
        }
    }
}

/// A line of the coverage report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub message: String,
}

/// The blind spots of a workspace, in map order.
pub fn report(ws: &Workspace) -> Vec<Gap> {
    let stats = Stats::compute(ws);
    let mut out = Vec::new();
    for (phase, a) in ws.activities() {
        let mut no_view = Vec::new();
        let mut no_notes = Vec::new();
        let mut asked = Vec::new();
        for p in &ws.personas {
            let g = stats.gaps(ws, &p.id, &a.id);
            if g.open_questions > 0 {
                asked.push((p.name.as_str(), g.open_questions));
            }
            if g.no_perspective {
                no_view.push(p.name.as_str());
            }
            if g.no_evidence {
                no_notes.push(p.name.as_str());
            }
        }
        let here = format!("{} / {}", phase.name, a.name);
        if !no_view.is_empty() {
            out.push(Gap {
                message: format!("{here}: no perspective from {}", no_view.join(", ")),
            });
        }
        if !no_notes.is_empty() {
            out.push(Gap {
                message: format!("{here}: no interview notes from {}", no_notes.join(", ")),
            });
        }
        for p in &ws.personas {
            let r = stats.rating(ws, &p.id, &a.id);
            if let (true, Some(h)) = (r.disagrees(), r.heard) {
                out.push(Gap {
                    message: format!(
                        "{here}: {}: the PM's rating i{} s{} disagrees with the interviews' \
                         i{} s{} ({}; medians, two or more apart)",
                        p.name,
                        r.pm.0.map_or("-".into(), |v| v.to_string()),
                        r.pm.1.map_or("-".into(), |v| v.to_string()),
                        h.importance.median_text(),
                        h.satisfaction.median_text(),
                        ratings::Source::Interviews(h.n).label(),
                    ),
                });
            }
        }
        if stats.metrics(&a.id) == 0 {
            out.push(Gap {
                message: format!("{here}: no metric validates it"),
            });
        }
        if !asked.is_empty() {
            let total: usize = asked.iter().map(|(_, n)| n).sum();
            let who: Vec<String> = asked.iter().map(|(p, n)| format!("{p} {n}")).collect();
            out.push(Gap {
                message: format!(
                    "{here}: {} ({})",
                    crate::text::count(total, "open question"),
                    who.join(", ")
                ),
            });
        }
        match stats.unheard(&a.id) {
            Some(Unheard::Consumers) => out.push(Gap {
                message: format!("{here}: customers were heard but no consumer"),
            }),
            Some(Unheard::Customers) => out.push(Gap {
                message: format!("{here}: consumers were heard but no customer"),
            }),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::NaiveDate;

    fn ws() -> Workspace {
        let mut w = Workspace::new("t");
        w.phases.push(Phase {
            id: "ph".into(),
            name: "Operation".into(),
            description: String::new(),
            activities: ["a1", "a2"]
                .iter()
                .map(|id| Activity {
                    id: (*id).into(),
                    name: format!("act {id}"),
                    description: String::new(),
                })
                .collect(),
        });
        for (id, role) in [("dev", Role::Consumer), ("boss", Role::Customer)] {
            w.personas.push(Persona {
                id: id.into(),
                name: id.into(),
                role,
                description: String::new(),
                jobs: vec![],
                tags: vec![],
            });
        }
        w
    }

    fn note(id: &str, persona: &str, acts: &[&str]) -> Note {
        Note {
            id: id.into(),
            date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            interviewee: "x".into(),
            persona: Some(persona.into()),
            activities: acts.iter().map(|a| (*a).into()).collect(),
            title: "t".into(),
            body: "t".into(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        }
    }

    #[test]
    fn counts_per_cell() {
        let mut w = ws();
        w.notes
            .insert("n1".into(), note("n1", "dev", &["a1", "a2"]).into());
        w.notes
            .insert("n2".into(), note("n2", "dev", &["a1"]).into());
        let mut o = Opportunity::new("o".into(), "o", OpportunityKind::Need);
        o.activities = vec!["a1".into()];
        w.opportunities.push(o.clone());
        o.id = "o2".into();
        o.personas = vec!["boss".into()];
        w.opportunities.push(o);
        w.metrics.push(Metric {
            id: "m".into(),
            name: "m".into(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity: None,
            opportunity: Some("o".into()),
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: vec![],
        });
        let s = Stats::compute(&w);
        assert_eq!(
            s.cell(&"dev".into(), &"a1".into()),
            CellCounts {
                notes: 2,
                opportunities: 1,
                metrics: 1,
                open_questions: 0,
            }
        );
        assert_eq!(
            s.cell(&"boss".into(), &"a1".into()),
            CellCounts {
                notes: 0,
                opportunities: 2,
                metrics: 1,
                open_questions: 0,
            }
        );
        assert_eq!(s.cell(&"dev".into(), &"a2".into()).metrics, 0);
    }

    #[test]
    fn a_cell_counts_its_personas_metrics_and_those_of_everyone() {
        let mut w = ws();
        let metric = |id: &str, personas: &[&str]| Metric {
            id: id.into(),
            name: id.into(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity: Some("a1".into()),
            opportunity: None,
            personas: personas.iter().map(|p| (*p).into()).collect(),
            formula: None,
            adoption: None,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: vec![],
        };
        w.metrics = vec![
            metric("all", &[]),
            metric("dev1", &["dev"]),
            metric("dev2", &["dev"]),
            metric("both", &["dev", "boss"]),
            metric("boss", &["boss"]),
        ];
        let s = Stats::compute(&w);
        // dev: all, dev1, dev2, both; boss: all, both, boss.
        assert_eq!(s.cell(&"dev".into(), &"a1".into()).metrics, 4);
        assert_eq!(s.cell(&"boss".into(), &"a1".into()).metrics, 3);
        assert_eq!(s.metrics(&"a1".into()), 5);
        assert_eq!(s.cell(&"dev".into(), &"a2".into()).metrics, 0);
        let (dev, a1) = (Id::from("dev"), Id::from("a1"));
        let names: Vec<&str> = w
            .metrics_for_cell(&dev, &a1)
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, ["all", "dev1", "dev2", "both"]);
    }

    #[test]
    fn one_sided_listening_is_a_gap() {
        let mut w = ws();
        w.notes
            .insert("n1".into(), note("n1", "dev", &["a1"]).into());
        w.notes
            .insert("n2".into(), note("n2", "boss", &["a2"]).into());
        w.notes
            .insert("n3".into(), note("n3", "dev", &["a2"]).into());
        let s = Stats::compute(&w);
        assert_eq!(s.unheard(&"a1".into()), Some(Unheard::Customers));
        assert_eq!(s.unheard(&"a2".into()), None);
        let r = report(&w);
        assert!(
            r.iter()
                .any(|g| g.message == "Operation / act a1: consumers were heard but no customer")
        );
        assert!(
            r.iter()
                .any(|g| g.message == "Operation / act a1: no interview notes from boss")
        );
        assert!(
            r.iter()
                .any(|g| g.message == "Operation / act a2: no perspective from dev, boss")
        );
    }

    fn platform() -> Workspace {
        crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap()
    }

    /// Every persona's notes and every cell's counts in `s` are those a
    /// fresh count of `w` gives.
    fn assert_counts_as_fresh(s: &Stats, w: &Workspace) {
        let fresh = Stats::compute(w);
        for p in &w.personas {
            assert_eq!(s.persona_notes(&p.id), fresh.persona_notes(&p.id));
            for (_, a) in w.activities() {
                assert_eq!(s.cell(&p.id, &a.id), fresh.cell(&p.id, &a.id));
            }
        }
    }

    #[test]
    fn updates_by_file_equal_a_fresh_count() {
        let mut w = platform();
        let mut s = Stats::compute(&w);
        let id = w.notes.keys().next().unwrap().clone();
        let other = w.personas[2].id.clone();
        let n = w.notes.get_mut(&id).unwrap();
        n.persona = Some(other);
        n.activities.reverse();
        s.update(&w, &[FileKey::Note(id.clone())].into());
        assert_counts_as_fresh(&s, &w);
        w.notes.remove(&id);
        w.opportunities[0].evidence.clear();
        let opp = w.opportunities[0].id.clone();
        s.update(
            &w,
            &[FileKey::Note(id.clone()), FileKey::Opportunity(opp)].into(),
        );
        let fresh = Stats::compute(&w);
        for (_, a) in w.activities() {
            assert_eq!(s.unheard(&a.id), fresh.unheard(&a.id));
            for p in &w.personas {
                assert_eq!(s.cell(&p.id, &a.id), fresh.cell(&p.id, &a.id));
            }
        }
        for n in w.notes.keys() {
            assert_eq!(s.citing(n), fresh.citing(n));
        }
    }

    #[test]
    fn a_note_on_many_activities_is_counted_and_taken_back_in_each() {
        let mut w = platform();
        let mut s = Stats::compute(&w);
        let id = w.notes.keys().next().unwrap().clone();
        let acts: Vec<Id> = w.activities().map(|(_, a)| a.id.clone()).take(4).collect();
        assert_eq!(acts.len(), 4, "the template has four activities");
        let edits: [&dyn Fn(&mut Note); 3] = [
            // Four activities, out of order: two kept inline, two more.
            &|n| {
                n.activities = vec![
                    acts[3].clone(),
                    acts[0].clone(),
                    acts[2].clone(),
                    acts[1].clone(),
                ];
                n.body.push_str("\n? Who decides?");
            },
            &|n| n.activities = vec![acts[1].clone()],
            &|n| n.activities = acts.clone(),
        ];
        let persona = w.notes[&id]
            .persona
            .clone()
            .expect("the note has a persona");
        for edit in edits {
            edit(w.notes.get_mut(&id).unwrap());
            s.update(&w, &[FileKey::Note(id.clone())].into());
            assert_counts_as_fresh(&s, &w);
            let last = s.cell(&persona, w.notes[&id].activities.last().unwrap());
            assert!(last.notes >= 1 && last.open_questions >= 1, "{last:?}");
        }
        w.notes.remove(&id);
        s.update(&w, &[FileKey::Note(id.clone())].into());
        assert_counts_as_fresh(&s, &w);
        assert!(!s.more_activities.contains_key(&id));
    }

    #[test]
    fn open_questions_are_a_blind_spot_of_their_cell() {
        let mut w = ws();
        let mut n = note("n1", "dev", &["a1", "a2"]);
        n.body = "t\n? Who pays?\n? Who owns it?".into();
        w.notes.insert("n1".into(), n.into());
        let mut s = Stats::compute(&w);
        let g = s.gaps(&w, &"dev".into(), &"a1".into());
        assert_eq!(g.open_questions, 2);
        assert!(g.any());
        assert_eq!(s.gaps(&w, &"boss".into(), &"a1".into()).open_questions, 0);
        assert!(
            report(&w)
                .iter()
                .any(|g| g.message == "Operation / act a2: 2 open questions (dev 2)")
        );
        // Answered: counted again for that note only.
        let n = w.notes.get_mut(&Id::from("n1")).unwrap();
        n.answered.push(Answer {
            question: "? Who pays?".into(),
            date: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
            by: None,
        });
        s.update(&w, &[FileKey::Note("n1".into())].into());
        assert_eq!(s.cell(&"dev".into(), &"a2".into()).open_questions, 1);
        w.notes.remove(&Id::from("n1"));
        s.update(&w, &[FileKey::Note("n1".into())].into());
        assert_eq!(s.cell(&"dev".into(), &"a2".into()).open_questions, 0);
    }

    #[test]
    fn a_blank_perspective_is_still_a_gap() {
        let mut w = ws();
        w.set_perspective(
            &"dev".into(),
            &"a1".into(),
            Some(Perspective::new("dev".into(), "a1".into())),
        );
        let s = Stats::compute(&w);
        assert!(s.gaps(&w, &"dev".into(), &"a1".into()).no_perspective);
        let mut p = Perspective::new("dev".into(), "a1".into());
        p.importance = Some(3);
        w.set_perspective(&"dev".into(), &"a1".into(), Some(p));
        assert!(!s.gaps(&w, &"dev".into(), &"a1".into()).no_perspective);
    }
}
