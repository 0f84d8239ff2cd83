//! Coverage: what the map knows, and its blind spots.
//!
//! [`Stats`] counts, per grid cell, the notes and opportunities linked to it,
//! and per activity the metrics and which roles have been heard. The map view
//! draws from it and `valuemap check` reports the gaps.

use std::collections::{BTreeMap, BTreeSet};

use super::{Id, Role, Workspace};

/// Counts for one cell of the grid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellCounts {
    pub notes: usize,
    pub opportunities: usize,
    pub metrics: usize,
}

/// Everything the map needs to know beyond the perspectives, computed in one
/// pass over the workspace.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    cells: BTreeMap<(Id, Id), CellCounts>,
    metrics_per_activity: BTreeMap<Id, usize>,
    /// Roles of the personas whose notes mention each activity.
    heard: BTreeMap<Id, BTreeSet<Role>>,
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
}

impl CellGaps {
    pub fn any(self) -> bool {
        self.no_perspective || self.no_evidence || self.no_metric
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
        let roles: BTreeMap<&Id, Role> = ws.personas.iter().map(|p| (&p.id, p.role)).collect();
        for n in ws.notes.values() {
            let Some(p) = &n.persona else { continue };
            for a in &n.activities {
                s.cells.entry((p.clone(), a.clone())).or_default().notes += 1;
                if let Some(r) = roles.get(p) {
                    s.heard.entry(a.clone()).or_default().insert(*r);
                }
            }
        }
        for o in &ws.opportunities {
            let personas: Vec<&Id> = if o.personas.is_empty() {
                ws.personas.iter().map(|p| &p.id).collect()
            } else {
                o.personas.iter().collect()
            };
            for a in &o.activities {
                for p in &personas {
                    s.cells
                        .entry(((*p).clone(), a.clone()))
                        .or_default()
                        .opportunities += 1;
                }
            }
        }
        for m in &ws.metrics {
            let mut acts: BTreeSet<&Id> = m.activity.iter().collect();
            if let Some(o) = m.opportunity.as_ref().and_then(|o| ws.opportunity(o)) {
                acts.extend(o.activities.iter());
            }
            for a in acts {
                *s.metrics_per_activity.entry(a.clone()).or_default() += 1;
            }
        }
        s
    }

    /// Notes, opportunities and metrics for a cell.
    pub fn cell(&self, persona: &Id, activity: &Id) -> CellCounts {
        let mut c = self
            .cells
            .get(&(persona.clone(), activity.clone()))
            .copied()
            .unwrap_or_default();
        c.metrics = self.metrics(activity);
        c
    }

    /// Metrics that validate an activity.
    pub fn metrics(&self, activity: &Id) -> usize {
        self.metrics_per_activity
            .get(activity)
            .copied()
            .unwrap_or(0)
    }

    pub fn gaps(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellGaps {
        let c = self.cell(persona, activity);
        CellGaps {
            no_perspective: ws
                .perspective(persona, activity)
                .is_none_or(|p| p.is_blank()),
            no_evidence: c.notes == 0,
            no_metric: c.metrics == 0,
        }
    }

    /// Whether only one side of the customer / consumer split was heard on an
    /// activity.
    pub fn unheard(&self, activity: &Id) -> Option<Unheard> {
        let heard = self.heard.get(activity)?;
        let customers = heard.contains(&Role::Customer);
        let consumers = heard.contains(&Role::Consumer);
        match (customers, consumers) {
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
        for p in &ws.personas {
            let g = stats.gaps(ws, &p.id, &a.id);
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
        if stats.metrics(&a.id) == 0 {
            out.push(Gap {
                message: format!("{here}: no metric validates it"),
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
            tags: vec![],
        }
    }

    #[test]
    fn counts_per_cell() {
        let mut w = ws();
        w.notes
            .insert("n1".into(), note("n1", "dev", &["a1", "a2"]));
        w.notes.insert("n2".into(), note("n2", "dev", &["a1"]));
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
                metrics: 1
            }
        );
        assert_eq!(
            s.cell(&"boss".into(), &"a1".into()),
            CellCounts {
                notes: 0,
                opportunities: 2,
                metrics: 1
            }
        );
        assert_eq!(s.cell(&"dev".into(), &"a2".into()).metrics, 0);
    }

    #[test]
    fn one_sided_listening_is_a_gap() {
        let mut w = ws();
        w.notes.insert("n1".into(), note("n1", "dev", &["a1"]));
        w.notes.insert("n2".into(), note("n2", "boss", &["a2"]));
        w.notes.insert("n3".into(), note("n3", "dev", &["a2"]));
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
