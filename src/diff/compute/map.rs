//! The map: phases, activities, personas and their perspectives.

use std::collections::{BTreeSet, HashMap};

use super::{Names, entity, list, opt_u8, pair_by_id, rank, value};
use crate::diff::{Change, Delta, EntityChange, FieldChange, PerspectiveChange};
use crate::model::ratings::{self, ByCell, CellRatings};
use crate::model::{Id, Perspective, Workspace};

pub(super) fn phases(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    pair_by_id(&a.phases, &b.phases, |p| &p.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => Some(entity(&y.id, Change::Added, &y.name, "", vec![])),
            (Some(x), None) => Some(entity(&x.id, Change::Removed, &x.name, "", vec![])),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "description", &x.description, &y.description);
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, "", f))
            }
            (None, None) => None,
        })
        .collect()
}

pub(super) fn activities(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    let flat = |ws: &Workspace| -> Vec<(String, crate::model::Activity)> {
        ws.activities()
            .map(|(p, x)| (p.name.clone(), x.clone()))
            .collect()
    };
    let (fa, fb) = (flat(a), flat(b));
    let phase_id = |ws: &Workspace, id: &Id| ws.phase_of(id).map(|p| p.id.clone());
    pair_by_id(&fa, &fb, |(_, x)| &x.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some((ph, y))) => Some(entity(&y.id, Change::Added, &y.name, ph, vec![])),
            (Some((ph, x)), None) => Some(entity(&x.id, Change::Removed, &x.name, ph, vec![])),
            (Some((pa, x)), Some((pb, y))) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "description", &x.description, &y.description);
                if phase_id(a, &x.id) != phase_id(b, &y.id) {
                    f.push(FieldChange::Value {
                        field: "phase",
                        before: pa.clone(),
                        after: pb.clone(),
                    });
                }
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, pb, f))
            }
            (None, None) => None,
        })
        .collect()
}

pub(super) fn personas(a: &Workspace, b: &Workspace) -> Vec<EntityChange> {
    pair_by_id(&a.personas, &b.personas, |p| &p.id)
        .into_iter()
        .filter_map(|pair| match pair {
            (None, Some(y)) => {
                let mut f = Vec::new();
                list(&mut f, "jobs", &[], &y.jobs);
                Some(entity(&y.id, Change::Added, &y.name, y.role.label(), f))
            }
            (Some(x), None) => Some(entity(
                &x.id,
                Change::Removed,
                &x.name,
                x.role.label(),
                vec![],
            )),
            (Some(x), Some(y)) => {
                let mut f = Vec::new();
                value(&mut f, "name", &x.name, &y.name);
                value(&mut f, "role", x.role.label(), y.role.label());
                value(&mut f, "description", &x.description, &y.description);
                list(&mut f, "jobs", &x.jobs, &y.jobs);
                list(&mut f, "tags", &x.tags, &y.tags);
                (!f.is_empty()).then(|| entity(&y.id, Change::Changed, &y.name, y.role.label(), f))
            }
            (None, None) => None,
        })
        .collect()
}

pub(super) fn perspectives(n: &Names) -> Vec<PerspectiveChange> {
    let cells = |ws: &Workspace| -> HashMap<(Id, Id), Perspective> {
        ws.perspectives
            .iter()
            .filter(|p| !p.is_blank())
            .map(|p| ((p.persona.clone(), p.activity.clone()), p.clone()))
            .collect()
    };
    let (mut ca, mut cb) = (cells(n.a), cells(n.b));
    // Cells the interviews rated count too, with or without a perspective.
    let (ra, rb) = (ByCell::of(n.a), ByCell::of(n.b));
    for (r, c) in [(&ra, &mut ca), (&rb, &mut cb)] {
        for (p, x) in r.cells() {
            c.entry((p.clone(), x.clone()))
                .or_insert_with(|| Perspective::new(p.clone(), x.clone()));
        }
    }
    let order = |ws: &Workspace| -> HashMap<Id, usize> {
        ws.activities()
            .enumerate()
            .map(|(i, (_, x))| (x.id.clone(), i))
            .collect()
    };
    let (oa, ob) = (order(n.a), order(n.b));
    let mut keys: Vec<&(Id, Id)> = ca
        .keys()
        .chain(cb.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by_cached_key(|(p, x)| {
        (
            n.persona_rank(p),
            rank(ob.get(x).copied(), oa.get(x).copied()),
            p.clone(),
            x.clone(),
        )
    });
    let mut out = Vec::new();
    for key in keys {
        let (x, y) = (ca.get(key), cb.get(key));
        let change = match (x, y) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            _ => Change::Changed,
        };
        let mut f = Vec::new();
        let blank = Perspective::default();
        let (px, py) = (x.unwrap_or(&blank), y.unwrap_or(&blank));
        // A new cell shows what was written into it; a cleared one only goes.
        if change != Change::Removed {
            value(
                &mut f,
                "importance",
                &opt_u8(px.importance),
                &opt_u8(py.importance),
            );
            value(
                &mut f,
                "satisfaction",
                &opt_u8(px.satisfaction),
                &opt_u8(py.satisfaction),
            );
            value(&mut f, "interest", &px.interest, &py.interest);
            list(&mut f, "needs", &px.needs, &py.needs);
            list(&mut f, "pains", &px.pains, &py.pains);
        }
        // What the interviews say, and whose rating scores the cell.
        let (rx, ry) = (
            ra.rating(n.a, &key.0, &key.1),
            rb.rating(n.b, &key.0, &key.1),
        );
        if change != Change::Removed {
            let heard = |r: &ratings::CellRating| r.heard.map_or(String::new(), |h| h.summary());
            value(&mut f, "interviews", &heard(&rx), &heard(&ry));
            // Said only where interviews rated the cell on either side.
            if rx.heard.is_some() || ry.heard.is_some() {
                let source = |r: &ratings::CellRating| {
                    if r.score().is_some() || r.heard.is_some() {
                        r.source.label()
                    } else {
                        String::new()
                    }
                };
                value(&mut f, "rating source", &source(&rx), &source(&ry));
            }
            if f.is_empty() && change == Change::Changed {
                continue;
            }
        }
        let score = match change {
            Change::Added => Delta::same(ry.score()),
            Change::Removed => Delta::same(rx.score()),
            Change::Changed => Delta::new(rx.score(), ry.score()),
        };
        out.push(PerspectiveChange {
            persona: key.0.clone(),
            activity: key.1.clone(),
            persona_name: n.persona(&key.0),
            activity_name: n.activity(&key.1),
            change,
            score,
            fields: f,
        });
    }
    out
}
