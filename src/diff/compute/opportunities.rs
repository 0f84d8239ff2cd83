//! Opportunities: re-scored, moved between horizons, evidence gained and lost.

use std::collections::{BTreeSet, HashMap};

use super::{Names, links, opt_u8, pair_by_id, rank, value};
use crate::diff::{Change, Delta, EvidenceItem, FieldChange, OpportunityChange};
use crate::model::score;
use crate::model::{Evidence, Id, Opportunity, Workspace};
use crate::text::num;

pub(super) fn evidence_item(n: &Names, e: &Evidence) -> EvidenceItem {
    let note = n.note(&e.note);
    let q = quote_text(&e.quote);
    EvidenceItem {
        note: e.note.clone(),
        quote: if q.is_empty() {
            note.map(|x| x.title.clone()).unwrap_or_default()
        } else {
            q.to_string()
        },
        date: note.map(|x| x.date),
        interviewee: note.map(|x| x.interviewee.to_string()).unwrap_or_default(),
    }
}

/// An evidence quote without the capture marker (`>`, `!`, `+`, `?`) it was
/// typed with.
pub(in crate::diff) fn quote_text(quote: &str) -> &str {
    let t = quote.trim();
    match t.chars().next() {
        Some(c @ ('>' | '!' | '+' | '?')) => t[c.len_utf8()..].trim_start(),
        _ => t,
    }
}

pub(super) fn opportunities(n: &Names) -> Vec<OpportunityChange> {
    let score_in = |ws: &Workspace, o: &Opportunity| score::opportunity_score(ws, o).display();
    // The tree fields of an opportunity that is new: the outcome and the
    // parent it sits under, its value and effort.
    let placed = |o: &Opportunity, change: Change| {
        let mut f = Vec::new();
        if change == Change::Added {
            let none = Opportunity::new(o.id.clone(), "", o.kind);
            tree_fields(n, &mut f, &none, o);
        }
        f
    };
    let new = |o: &Opportunity, change: Change, score: String, evidence: Vec<EvidenceItem>| {
        OpportunityChange {
            id: o.id.clone(),
            change,
            title: o.title.clone(),
            score: Delta::same(score),
            status: Delta::same(o.status),
            horizon: Delta::same(o.horizon),
            fields: placed(o, change),
            evidence_added: if change == Change::Added {
                evidence.clone()
            } else {
                vec![]
            },
            evidence_removed: if change == Change::Removed {
                evidence
            } else {
                vec![]
            },
        }
    };
    let all_evidence = |o: &Opportunity| -> Vec<EvidenceItem> {
        let mut seen = BTreeSet::new();
        o.evidence
            .iter()
            .filter(|e| seen.insert(*e))
            .map(|e| evidence_item(n, e))
            .collect()
    };
    // Listed by rank (highest score first) on the "after" side, then what
    // was removed by its rank before.
    let ranks = |ws: &Workspace| -> HashMap<Id, usize> {
        score::ranked(ws)
            .iter()
            .enumerate()
            .map(|(i, (o, _))| (o.id.clone(), i))
            .collect()
    };
    let (ra, rb) = (ranks(n.a), ranks(n.b));
    let mut out: Vec<OpportunityChange> =
        pair_by_id(&n.a.opportunities, &n.b.opportunities, |o| &o.id)
            .into_iter()
            .filter_map(|pair| match pair {
                (None, Some(y)) => Some(new(y, Change::Added, score_in(n.b, y), all_evidence(y))),
                (Some(x), None) => Some(new(x, Change::Removed, score_in(n.a, x), all_evidence(x))),
                (Some(x), Some(y)) => {
                    let mut f = Vec::new();
                    value(&mut f, "title", &x.title, &y.title);
                    value(&mut f, "kind", x.kind.label(), y.kind.label());
                    value(&mut f, "description", &x.description, &y.description);
                    links(&mut f, "activities", &x.activities, &y.activities, |id| {
                        n.activity(id)
                    });
                    links(&mut f, "personas", &x.personas, &y.personas, |id| {
                        n.persona(id)
                    });
                    let manual = |o: &Opportunity| o.manual_score.map(num).unwrap_or_default();
                    value(&mut f, "manual score", &manual(x), &manual(y));
                    let delivered = |o: &Opportunity| {
                        o.delivered
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default()
                    };
                    value(&mut f, "delivered", &delivered(x), &delivered(y));
                    tree_fields(n, &mut f, x, y);
                    let (ea, eb): (BTreeSet<&Evidence>, BTreeSet<&Evidence>) =
                        (x.evidence.iter().collect(), y.evidence.iter().collect());
                    let mut seen = BTreeSet::new();
                    let evidence_added: Vec<EvidenceItem> = y
                        .evidence
                        .iter()
                        .filter(|e| !ea.contains(e) && seen.insert(*e))
                        .map(|e| evidence_item(n, e))
                        .collect();
                    let evidence_removed: Vec<EvidenceItem> = x
                        .evidence
                        .iter()
                        .filter(|e| !eb.contains(e) && seen.insert(*e))
                        .map(|e| evidence_item(n, e))
                        .collect();
                    let c = OpportunityChange {
                        id: y.id.clone(),
                        change: Change::Changed,
                        title: y.title.clone(),
                        score: Delta::new(score_in(n.a, x), score_in(n.b, y)),
                        status: Delta::new(x.status, y.status),
                        horizon: Delta::new(x.horizon, y.horizon),
                        fields: f,
                        evidence_added,
                        evidence_removed,
                    };
                    let changed = c.score.changed()
                        || c.status.changed()
                        || c.horizon.changed()
                        || !c.fields.is_empty()
                        || !c.evidence_added.is_empty()
                        || !c.evidence_removed.is_empty();
                    changed.then_some(c)
                }
                (None, None) => None,
            })
            .collect();
    out.sort_by_key(|c| rank(rb.get(&c.id).copied(), ra.get(&c.id).copied()));
    out
}

/// The fields that place an opportunity in the opportunity solution tree:
/// its outcome and parent (by name), its value and effort.
fn tree_fields(n: &Names, f: &mut Vec<FieldChange>, x: &Opportunity, y: &Opportunity) {
    if x.outcome != y.outcome {
        let name = |o: &Option<Id>| o.as_ref().map(|o| n.outcome(o)).unwrap_or_default();
        value(f, "outcome", &name(&x.outcome), &name(&y.outcome));
    }
    if x.parent != y.parent {
        let name = |o: &Option<Id>| o.as_ref().map(|o| n.opportunity(o)).unwrap_or_default();
        value(f, "parent", &name(&x.parent), &name(&y.parent));
    }
    value(f, "value", &opt_u8(x.value), &opt_u8(y.value));
    value(f, "effort", &opt_u8(x.effort), &opt_u8(y.effort));
}
