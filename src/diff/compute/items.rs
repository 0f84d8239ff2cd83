//! Outcomes, solutions and assumption tests: added, removed, or changed
//! field by field (a solution shipped, a test passed, evidence gained).

use std::collections::BTreeSet;

use super::opportunities::evidence_item;
use super::{Names, links, opt_u8, value};
use crate::diff::{Change, Delta, EvidenceItem, FieldChange, ItemChange};
use crate::model::{Evidence, Id, Item, Kind};

fn opt_u32(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn yes(b: bool) -> String {
    if b { "yes".into() } else { String::new() }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A solution's status or a test's result as a word; empty for an outcome.
fn status(item: &Item) -> String {
    match item {
        Item::Outcome(_) | Item::NeedsLayer(_) | Item::NeedsNode(_) => String::new(),
        Item::Solution(s) => s.status.label().to_string(),
        Item::Test(t) => t.result.label().to_string(),
        Item::Team(_) => String::new(),
        Item::Adoption(a) => a.state.label().to_string(),
    }
}

/// Where an item sits, by name.
fn context(n: &Names, item: &Item) -> String {
    match item {
        Item::Outcome(_) | Item::NeedsLayer(_) => String::new(),
        Item::NeedsNode(x) => n.needs_layer(&x.layer),
        Item::Solution(s) => n.opportunity(&s.opportunity),
        Item::Test(t) => n.solution(&t.solution),
        Item::Team(t) => t.persona.as_ref().map(|p| n.persona(p)).unwrap_or_default(),
        Item::Adoption(a) => date(Some(a.date)),
    }
}

/// The fields of `y` that differ from `x`; with `x` absent (a new item),
/// every field that is set, but its title and where it sits (the entry
/// already says those).
fn fields(n: &Names, x: Option<&Item>, y: &Item) -> Vec<FieldChange> {
    let mut f = Vec::new();
    match (x, y) {
        (Some(Item::Outcome(a)), Item::Outcome(b)) => {
            value(&mut f, "name", &a.name, &b.name);
            value(&mut f, "description", &a.description, &b.description);
            links(&mut f, "metrics", &a.metrics, &b.metrics, |id| n.metric(id));
        }
        (None, Item::Outcome(b)) => {
            value(&mut f, "description", "", &b.description);
            links(&mut f, "metrics", &[], &b.metrics, |id| n.metric(id));
        }
        (Some(Item::Solution(a)), Item::Solution(b)) => {
            value(&mut f, "title", &a.title, &b.title);
            if a.opportunity != b.opportunity {
                value(
                    &mut f,
                    "opportunity",
                    &n.opportunity(&a.opportunity),
                    &n.opportunity(&b.opportunity),
                );
            }
            value(&mut f, "description", &a.description, &b.description);
            value(&mut f, "shipped", &date(a.shipped), &date(b.shipped));
            value(&mut f, "value", &opt_u8(a.value), &opt_u8(b.value));
            value(&mut f, "effort", &opt_u8(a.effort), &opt_u8(b.effort));
            value(&mut f, "owner", &a.owner, &b.owner);
        }
        (None, Item::Solution(b)) => {
            value(&mut f, "description", "", &b.description);
            value(&mut f, "shipped", "", &date(b.shipped));
            value(&mut f, "value", "", &opt_u8(b.value));
            value(&mut f, "effort", "", &opt_u8(b.effort));
            value(&mut f, "owner", "", &b.owner);
        }
        (Some(Item::Test(a)), Item::Test(b)) => {
            value(&mut f, "assumption", &a.assumption, &b.assumption);
            if a.solution != b.solution {
                value(
                    &mut f,
                    "solution",
                    &n.solution(&a.solution),
                    &n.solution(&b.solution),
                );
            }
            value(&mut f, "kind", a.kind.label(), b.kind.label());
            value(&mut f, "method", &a.method, &b.method);
            value(&mut f, "criterion", &a.criterion, &b.criterion);
            value(&mut f, "owner", &a.owner, &b.owner);
            value(&mut f, "due", &date(a.due), &date(b.due));
        }
        (None, Item::Test(b)) => {
            value(&mut f, "kind", "", b.kind.label());
            value(&mut f, "method", "", &b.method);
            value(&mut f, "criterion", "", &b.criterion);
            value(&mut f, "owner", "", &b.owner);
            value(&mut f, "due", "", &date(b.due));
        }
        (x, Item::NeedsLayer(b)) => {
            let (name, description, rank) = match x {
                Some(Item::NeedsLayer(a)) => {
                    (a.name.as_str(), a.description.as_str(), a.rank.to_string())
                }
                _ => ("", "", String::new()),
            };
            if x.is_some() {
                value(&mut f, "name", name, &b.name);
            }
            value(&mut f, "description", description, &b.description);
            value(&mut f, "rank", &rank, &b.rank.to_string());
        }
        (x, Item::NeedsNode(b)) => {
            let empty = crate::model::NeedsNode::new(Id::default(), Id::default(), "");
            let a = match x {
                Some(Item::NeedsNode(a)) => a,
                _ => &empty,
            };
            if x.is_some() {
                value(&mut f, "name", &a.name, &b.name);
                if a.layer != b.layer {
                    value(
                        &mut f,
                        "layer",
                        &n.needs_layer(&a.layer),
                        &n.needs_layer(&b.layer),
                    );
                }
            }
            value(&mut f, "description", &a.description, &b.description);
            links(&mut f, "depends on", &a.depends_on, &b.depends_on, |id| {
                n.needs_node(id)
            });
            links(&mut f, "personas", &a.personas, &b.personas, |id| {
                n.persona(id)
            });
            links(&mut f, "activities", &a.activities, &b.activities, |id| {
                n.activity(id)
            });
            links(
                &mut f,
                "opportunities",
                &a.opportunities,
                &b.opportunities,
                |id| n.opportunity(id),
            );
        }
        (Some(Item::Team(a)), Item::Team(b)) => {
            value(&mut f, "name", &a.name, &b.name);
            value(&mut f, "size", &opt_u32(a.size), &opt_u32(b.size));
            if a.persona != b.persona {
                value(
                    &mut f,
                    "persona",
                    &a.persona.as_ref().map(|p| n.persona(p)).unwrap_or_default(),
                    &b.persona.as_ref().map(|p| n.persona(p)).unwrap_or_default(),
                );
            }
            value(&mut f, "since", &date(a.since), &date(b.since));
            value(&mut f, "description", &a.description, &b.description);
        }
        (None, Item::Team(b)) => {
            value(&mut f, "size", "", &opt_u32(b.size));
            value(&mut f, "since", "", &date(b.since));
            value(&mut f, "description", "", &b.description);
        }
        (Some(Item::Adoption(a)), Item::Adoption(b)) => {
            if a.team != b.team {
                value(&mut f, "team", &n.team(&a.team), &n.team(&b.team));
            }
            if a.target != b.target {
                value(&mut f, "target", &n.target(&a.target), &n.target(&b.target));
            }
            value(&mut f, "date", &date(Some(a.date)), &date(Some(b.date)));
            value(&mut f, "mandated", &yes(a.mandated), &yes(b.mandated));
            value(&mut f, "comment", &a.comment, &b.comment);
        }
        (None, Item::Adoption(b)) => {
            value(&mut f, "date", "", &date(Some(b.date)));
            value(&mut f, "mandated", "", &yes(b.mandated));
            value(&mut f, "comment", "", &b.comment);
        }
        // Items of one id are of one kind: the maps are by kind.
        (Some(_), _) => {}
    }
    f
}

fn evidence(item: &Item) -> &[Evidence] {
    match item {
        Item::Test(t) => &t.evidence,
        Item::Outcome(_)
        | Item::Solution(_)
        | Item::NeedsLayer(_)
        | Item::NeedsNode(_)
        | Item::Team(_)
        | Item::Adoption(_) => &[],
    }
}

/// Evidence links in `of` and not in `than`, each once, in `of`'s order.
fn gained(n: &Names, of: &[Evidence], than: &[Evidence]) -> Vec<EvidenceItem> {
    let than: BTreeSet<&Evidence> = than.iter().collect();
    let mut seen = BTreeSet::new();
    of.iter()
        .filter(|e| !than.contains(e) && seen.insert(*e))
        .map(|e| evidence_item(n, e))
        .collect()
}

fn change(n: &Names, x: Option<&Item>, y: Option<&Item>) -> Option<ItemChange> {
    let (kind, change, now) = match (x, y) {
        (None, Some(y)) => (y.kind(), Change::Added, y),
        (Some(x), None) => (x.kind(), Change::Removed, x),
        (Some(x), Some(y)) if x != y => (y.kind(), Change::Changed, y),
        _ => return None,
    };
    let status = match (change, x) {
        (Change::Changed, Some(x)) => Delta::new(status(x), status(now)),
        _ => Delta::same(status(now)),
    };
    let (fields, evidence_added, evidence_removed) = match change {
        Change::Added => (
            fields(n, None, now),
            gained(n, evidence(now), &[]),
            Vec::new(),
        ),
        Change::Removed => (Vec::new(), Vec::new(), gained(n, evidence(now), &[])),
        Change::Changed => {
            let before = x.map_or(&[][..], evidence);
            (
                fields(n, x, now),
                gained(n, evidence(now), before),
                gained(n, before, evidence(now)),
            )
        }
    };
    let c = ItemChange {
        kind,
        id: now.id().clone(),
        change,
        title: match now {
            Item::Adoption(a) => format!("{} · {}", n.team(&a.team), n.target(&a.target)),
            _ => now.title().to_string(),
        },
        context: context(n, now),
        status,
        fields,
        evidence_added,
        evidence_removed,
    };
    // An edit that only reorders evidence (or repeats a link) is no change.
    let real = change != Change::Changed
        || c.status.changed()
        || !c.fields.is_empty()
        || !c.evidence_added.is_empty()
        || !c.evidence_removed.is_empty();
    real.then_some(c)
}

/// The items of `kind` that differ between the two sides: those on the
/// "after" side by title, then those removed, by title.
pub(super) fn items(n: &Names, kind: Kind) -> Vec<ItemChange> {
    let ids: BTreeSet<&Id> =
        n.a.items
            .keys()
            .chain(n.b.items.keys())
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| id)
            .collect();
    let mut out: Vec<ItemChange> = ids
        .into_iter()
        .filter_map(|id| {
            let x = n.a.items.get(kind, id);
            let y = n.b.items.get(kind, id);
            change(n, x.as_ref(), y.as_ref())
        })
        .collect();
    out.sort_by(|p, q| {
        (p.change == Change::Removed, p.title.to_lowercase(), &p.id).cmp(&(
            q.change == Change::Removed,
            q.title.to_lowercase(),
            &q.id,
        ))
    });
    out
}
