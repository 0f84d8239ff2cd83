//! The one-line summary of a diff.

use super::{
    Change, ConflictChange, Diff, EntityChange, FieldChange, ItemChange, MetricChange, NoteChange,
    OpportunityChange, PerspectiveChange, QuestionEvent, Verdict,
};
use crate::text::sanitize;

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Diff {
    /// The one-line summary ("3 notes added (2 Platform developer, 1
    /// Engineering manager) · 1 opportunity re-scored · ..."), sanitised;
    /// "No differences." when there are none.
    pub fn summary(&self) -> String {
        self.summary_with(&|s| sanitize(s).trim().to_string())
    }

    pub(super) fn summary_with(&self, esc: &dyn Fn(&str) -> String) -> String {
        if self.is_empty() {
            return "No differences.".into();
        }
        const NOTE: Noun = ("note", "notes");
        const OPPORTUNITY: Noun = ("opportunity", "opportunities");
        const STATUS: Noun = ("status change", "status changes");
        const EVIDENCE: Noun = ("evidence quote", "evidence quotes");
        const METRIC: Noun = ("metric", "metrics");
        const OBSERVATION: Noun = ("observation", "observations");
        const VERDICT: Noun = ("metric verdict", "metric verdicts");
        const PERSPECTIVE: Noun = ("perspective", "perspectives");
        const CONFLICT: Noun = ("merge conflict", "merge conflicts");
        const OUTCOME: Noun = ("outcome", "outcomes");
        const SOLUTION: Noun = ("solution", "solutions");
        const TEST: Noun = ("assumption test", "assumption tests");
        const LAYER: Noun = ("needs-map layer", "needs-map layers");
        const NODE: Noun = ("needs-map node", "needs-map nodes");
        const TEAM: Noun = ("team", "teams");
        const ADOPTION: Noun = ("adoption record", "adoption records");
        const TAG: Noun = ("tag", "tags");
        const QUESTION: Noun = ("question", "questions");
        let mut parts: Vec<String> = Vec::new();
        let mut add = |n: usize, (one, many): Noun, what: &str| {
            if n > 0 {
                parts.push(
                    format!("{} {what}", plural(n, one, many))
                        .trim_end()
                        .to_string(),
                );
            }
        };
        fn count<T>(v: &[T], change: impl Fn(&T) -> Change, c: Change) -> usize {
            v.iter().filter(|x| change(x) == c).count()
        }

        // Notes first: they are what a discovery branch mostly adds.
        let added: Vec<&NoteChange> = self
            .notes
            .iter()
            .filter(|c| c.change == Change::Added)
            .collect();
        if !added.is_empty() {
            let mut groups: Vec<(String, usize)> = Vec::new();
            for c in &added {
                let name = if c.persona.is_some() {
                    esc(&c.persona_name)
                } else {
                    "without a persona".into()
                };
                match groups.last_mut() {
                    Some((g, k)) if *g == name => *k += 1,
                    _ => groups.push((name, 1)),
                }
            }
            let groups: Vec<String> = groups.iter().map(|(g, k)| format!("{k} {g}")).collect();
            add(added.len(), NOTE, &format!("added ({})", groups.join(", ")));
        }
        let note = |c: &NoteChange| c.change;
        add(count(&self.notes, note, Change::Changed), NOTE, "changed");
        add(count(&self.notes, note, Change::Removed), NOTE, "removed");

        // What the notes say together: themes and questions.
        let t = &self.tags;
        add(t.iter().filter(|c| c.grew()).count(), TAG, "grew");
        add(t.iter().filter(|c| c.shrank()).count(), TAG, "shrank");
        let moved = t
            .iter()
            .filter(|c| c.change == Change::Changed && !c.grew() && !c.shrank())
            .count();
        add(moved, TAG, "heard from other roles");
        add(count(t, |c| c.change, Change::Added), TAG, "new");
        add(count(t, |c| c.change, Change::Removed), TAG, "gone");
        for (event, what) in [
            (QuestionEvent::Opened, "opened"),
            (QuestionEvent::Answered, "answered"),
            (QuestionEvent::Reopened, "opened again"),
            (QuestionEvent::Reanswered, "answered differently"),
        ] {
            let n = self.questions.iter().filter(|q| q.event == event).count();
            add(n, QUESTION, what);
        }

        let o = &self.opportunities;
        let opp = |c: &OpportunityChange| c.change;
        let existing: Vec<&OpportunityChange> =
            o.iter().filter(|c| c.change == Change::Changed).collect();
        add(count(o, opp, Change::Added), OPPORTUNITY, "added");
        add(count(o, opp, Change::Removed), OPPORTUNITY, "removed");
        add(
            o.iter().filter(|c| c.rescored()).count(),
            OPPORTUNITY,
            "re-scored",
        );
        let moved = o.iter().filter(|c| c.moved()).count();
        add(moved, OPPORTUNITY, "moved between horizons");
        add(
            existing.iter().filter(|c| c.status.changed()).count(),
            STATUS,
            "",
        );
        // Evidence gained and lost by existing opportunities and tests.
        let tests: Vec<&ItemChange> = self
            .tests
            .iter()
            .filter(|c| c.change == Change::Changed)
            .collect();
        let gained = existing
            .iter()
            .map(|c| c.evidence_added.len())
            .sum::<usize>()
            + tests.iter().map(|c| c.evidence_added.len()).sum::<usize>();
        add(gained, EVIDENCE, "added");
        let lost = existing
            .iter()
            .map(|c| c.evidence_removed.len())
            .sum::<usize>()
            + tests
                .iter()
                .map(|c| c.evidence_removed.len())
                .sum::<usize>();
        add(lost, EVIDENCE, "removed");
        let edited = existing.iter().filter(|c| !c.fields.is_empty()).count();
        add(edited, OPPORTUNITY, "edited");

        // The opportunity solution tree: outcomes, solutions, tests.
        let item = |c: &ItemChange| c.change;
        for (v, noun, verdicts) in [
            (&self.outcomes, OUTCOME, &[][..]),
            (&self.solutions, SOLUTION, &["shipped", "dropped"][..]),
            (&self.tests, TEST, &["passed", "failed"][..]),
            (&self.needs_layers, LAYER, &[][..]),
            (&self.needs_nodes, NODE, &[][..]),
            (&self.teams, TEAM, &[][..]),
            (&self.adoption, ADOPTION, &[][..]),
        ] {
            add(count(v, item, Change::Added), noun, "added");
            add(count(v, item, Change::Removed), noun, "removed");
            for word in verdicts {
                add(v.iter().filter(|c| c.became(word)).count(), noun, word);
            }
            let other = v
                .iter()
                .filter(|c| {
                    c.change == Change::Changed
                        && c.status.changed()
                        && !verdicts.contains(&c.status.after.as_str())
                })
                .count();
            // Back to an idea or to building; a test reopened as pending.
            add(other, noun, "changed status");
            let edited = v
                .iter()
                .filter(|c| c.change == Change::Changed && !c.fields.is_empty())
                .count();
            add(edited, noun, "edited");
        }

        let m = &self.metrics;
        let metric = |c: &MetricChange| c.change;
        let existing: Vec<&MetricChange> =
            m.iter().filter(|c| c.change == Change::Changed).collect();
        add(count(m, metric, Change::Added), METRIC, "added");
        add(count(m, metric, Change::Removed), METRIC, "removed");
        let observed = existing.iter().map(|c| c.observations_added.len()).sum();
        add(observed, OBSERVATION, "added");
        let unobserved = existing.iter().map(|c| c.observations_removed.len()).sum();
        add(unobserved, OBSERVATION, "removed");
        let flipped = |v: Verdict| {
            existing
                .iter()
                .filter(|c| c.verdict.changed() && c.verdict.after == v)
                .count()
        };
        add(flipped(Verdict::OnTrack), METRIC, "now on track");
        add(flipped(Verdict::OffTrack), METRIC, "now off track");
        let other = flipped(Verdict::NoTarget) + flipped(Verdict::NoData);
        add(other, VERDICT, "changed");
        let edited = existing.iter().filter(|c| !c.fields.is_empty()).count();
        add(edited, METRIC, "edited");

        let entity = |c: &EntityChange| c.change;
        for (v, noun) in [
            (&self.personas, ("persona", "personas")),
            (&self.phases, ("phase", "phases")),
            (&self.activities, ("activity", "activities")),
        ] {
            add(count(v, entity, Change::Added), noun, "added");
            add(count(v, entity, Change::Removed), noun, "removed");
            add(count(v, entity, Change::Changed), noun, "changed");
        }
        let (p, cell) = (&self.perspectives, |c: &PerspectiveChange| c.change);
        add(count(p, cell, Change::Added), PERSPECTIVE, "added");
        add(count(p, cell, Change::Changed), PERSPECTIVE, "changed");
        add(count(p, cell, Change::Removed), PERSPECTIVE, "cleared");
        let (c, conflict) = (&self.conflicts, |c: &ConflictChange| c.change);
        add(count(c, conflict, Change::Added), CONFLICT, "to resolve");
        add(count(c, conflict, Change::Removed), CONFLICT, "resolved");
        if !self.workspace.is_empty() {
            let fields: Vec<&str> = self.workspace.iter().map(FieldChange::field).collect();
            parts.push(format!("workspace {} changed", fields.join(" and ")));
        }
        parts.join(" · ")
    }
}

/// A noun, singular and plural.
type Noun = (&'static str, &'static str);
