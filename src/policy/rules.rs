//! Checking a workspace against a policy, rule by rule.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Base, Policy, Violation};
use crate::model::coverage::Stats;
use crate::model::{EntityRef, Horizon, Id, Opportunity, Role, Status, Workspace};
use crate::text::count;

/// Where an entity is: its file (relative to the workspace folder) and line.
pub type Locate<'a> = &'a dyn Fn(&EntityRef) -> (PathBuf, usize);

/// Every violation of `p` in `ws`, rule by rule, each in the map's or the
/// file's order. The rating rule needs `base`; without it, it is skipped
/// (the caller says so).
pub fn check(ws: &Workspace, p: &Policy, base: Option<&Base>, at: Locate) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut push = |rule, e: EntityRef, message: String| {
        let (file, line) = at(&e);
        out.push(Violation {
            rule,
            file,
            line,
            message,
        });
    };
    let now: Vec<&Opportunity> = ws
        .opportunities
        .iter()
        .filter(|o| o.horizon == Some(Horizon::Now))
        .collect();
    let linked_metrics = |o: &Opportunity| {
        ws.metrics
            .iter()
            .filter(|m| m.opportunity.as_ref() == Some(&o.id))
            .collect::<Vec<_>>()
    };

    if let Some(need) = &p.now_needs {
        for o in &now {
            let heard = interviewees(ws, o);
            let metrics = linked_metrics(o).len();
            let mut short = Vec::new();
            if heard < need.interviewees {
                short.push(format!(
                    "evidence from {} (at least {} wanted)",
                    count(heard, "interviewee"),
                    need.interviewees
                ));
            }
            if metrics < need.metrics {
                short.push(format!(
                    "{} linked to it (at least {} wanted)",
                    count(metrics, "metric"),
                    need.metrics
                ));
            }
            if !short.is_empty() {
                push(
                    "now_needs",
                    EntityRef::Opportunity(o.id.clone()),
                    format!(
                        "opportunity \"{}\" is in Now with {}",
                        o.title,
                        short.join(" and ")
                    ),
                );
            }
        }
    }

    if p.delivered_needs_observation {
        for o in ws
            .opportunities
            .iter()
            .filter(|o| o.status == Status::Delivered)
        {
            let metrics = linked_metrics(o);
            let e = EntityRef::Opportunity(o.id.clone());
            if metrics.is_empty() {
                push(
                    "delivered_needs_observation",
                    e,
                    format!(
                        "opportunity \"{}\" is delivered but no metric is linked to it, so nothing shows its effect",
                        o.title
                    ),
                );
                continue;
            }
            let names = metrics
                .iter()
                .map(|m| format!("\"{}\"", m.name))
                .collect::<Vec<_>>()
                .join(", ");
            match o.delivered {
                Some(d) => {
                    let after = metrics
                        .iter()
                        .flat_map(|m| &m.observations)
                        .any(|x| x.date > d);
                    if !after {
                        push(
                            "delivered_needs_observation",
                            e,
                            format!(
                                "opportunity \"{}\" was delivered on {} and no observation of {names} is dated after that",
                                o.title,
                                d.format("%Y-%m-%d")
                            ),
                        );
                    }
                }
                None => {
                    if metrics.iter().all(|m| m.observations.is_empty()) {
                        push(
                            "delivered_needs_observation",
                            e,
                            format!(
                                "opportunity \"{}\" is delivered (no delivery date recorded) and {names} has no observation",
                                o.title
                            ),
                        );
                    }
                }
            }
        }
    }

    if p.rating_change_needs_note
        && let Some(base) = base
    {
        for cell in &ws.perspectives {
            if cell.is_blank() {
                continue;
            }
            let before = base
                .ws
                .perspective(&cell.persona, &cell.activity)
                .map_or((None, None), |b| (b.importance, b.satisfaction));
            let after = (cell.importance, cell.satisfaction);
            if before == after {
                continue;
            }
            let backed = ws.notes.values().any(|n| {
                n.persona.as_ref() == Some(&cell.persona)
                    && n.activities.contains(&cell.activity)
                    && n.date >= base.date
            });
            if backed {
                continue;
            }
            let show = |(i, s): (Option<u8>, Option<u8>)| {
                let v = |x: Option<u8>| x.map_or("–".to_string(), |x| x.to_string());
                format!("i{} s{}", v(i), v(s))
            };
            push(
                "rating_change_needs_note",
                EntityRef::Perspective {
                    persona: cell.persona.clone(),
                    activity: cell.activity.clone(),
                },
                format!(
                    "the rating of {} changed ({} → {}) since {} without an interview note on that cell dated {} or later",
                    ws.describe(&EntityRef::Perspective {
                        persona: cell.persona.clone(),
                        activity: cell.activity.clone(),
                    }),
                    show(before),
                    show(after),
                    base.label,
                    base.date.format("%Y-%m-%d")
                ),
            );
        }
    }

    if let Some(max) = p.max_blind_spots_per_phase {
        let stats = Stats::compute(ws);
        for phase in &ws.phases {
            let mut spots = Vec::new();
            for a in &phase.activities {
                for persona in &ws.personas {
                    if stats.gaps(ws, &persona.id, &a.id).any() {
                        spots.push(format!("{} × {}", persona.name, a.name));
                    }
                }
                if stats.unheard(&a.id).is_some() {
                    spots.push(format!("{} (one side unheard)", a.name));
                }
            }
            if spots.len() > max {
                let shown: Vec<&str> = spots.iter().take(4).map(String::as_str).collect();
                push(
                    "max_blind_spots_per_phase",
                    EntityRef::Phase(phase.id.clone()),
                    format!(
                        "phase \"{}\" has {} (at most {max} allowed): {}{}",
                        phase.name,
                        count(spots.len(), "blind spot"),
                        shown.join(", "),
                        if spots.len() > shown.len() {
                            ", …"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }

    if p.now_needs_both_roles {
        let acts: BTreeSet<&Id> = now.iter().flat_map(|o| &o.activities).collect();
        for (_, a) in ws.activities().filter(|(_, a)| acts.contains(&a.id)) {
            let heard = |role: Role| {
                ws.notes.values().any(|n| {
                    n.activities.contains(&a.id)
                        && n.persona
                            .as_ref()
                            .and_then(|p| ws.persona(p))
                            .is_some_and(|p| p.role == role)
                })
            };
            let missing: Vec<&str> = [(Role::Customer, "customer"), (Role::Consumer, "consumer")]
                .into_iter()
                .filter(|(r, _)| !heard(*r))
                .map(|(_, n)| n)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let titles = now
                .iter()
                .filter(|o| o.activities.contains(&a.id))
                .map(|o| format!("\"{}\"", o.title))
                .collect::<Vec<_>>()
                .join(", ");
            push(
                "now_needs_both_roles",
                EntityRef::Activity(a.id.clone()),
                format!(
                    "activity \"{}\" has an opportunity in Now ({titles}) but no {} was heard on it",
                    a.name,
                    missing.join(" and no ")
                ),
            );
        }
    }
    out
}

/// The distinct interviewees behind an opportunity's evidence: by alias
/// (any case); a note without an alias counts as one person of its own.
fn interviewees(ws: &Workspace, o: &Opportunity) -> usize {
    o.evidence
        .iter()
        .filter_map(|e| ws.notes.get(&e.note))
        .map(|n| {
            let alias = n.interviewee.trim().to_lowercase();
            if alias.is_empty() {
                format!("\u{0}{}", n.id)
            } else {
                alias
            }
        })
        .collect::<BTreeSet<_>>()
        .len()
}
