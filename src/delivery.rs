//! Delivery from commits: a `Delivers: <id>` trailer in a commit of the
//! platform's code marks what it ships as delivered, at the commit's date
//! (`valuemap sync-delivery`).
//!
//! A trailer names an opportunity (it becomes `delivered`) or a solution
//! (it becomes `shipped`) by its id.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::githistory::Delivery;
use crate::model::edit::{self, Edit};
use crate::model::{Id, Item, SolutionStatus, Status, Workspace};

/// The workspace's own settings file (optional).
pub const CONFIG_FILE: &str = "config.ron";

/// `config.ron` in the workspace folder.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// Repositories whose commits may carry `Delivers:` trailers, relative
    /// to the workspace folder (default: the workspace's own repository).
    #[serde(default)]
    pub repositories: Vec<PathBuf>,
}

/// Reads `config.ron`; the default when there is none.
pub fn load_config(ws_dir: &Path) -> Result<WorkspaceConfig, String> {
    let path = ws_dir.join(CONFIG_FILE);
    match crate::policy::read_text(ws_dir, &path)? {
        None => Ok(WorkspaceConfig::default()),
        Some(text) => crate::store::format::parse(&path, &text).map_err(|e| e.to_string()),
    }
}

/// What a trailer can name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Opportunity(Id),
    Solution(Id),
}

impl Target {
    pub fn id(&self) -> &Id {
        match self {
            Target::Opportunity(id) | Target::Solution(id) => id,
        }
    }
}

/// The entity a trailer's id names, if the workspace has it (ids match in
/// any case; a leading `#` is ignored).
pub fn resolve(ws: &Workspace, id: &str) -> Option<Target> {
    let id = id.trim().trim_start_matches('#').to_lowercase();
    ws.opportunities
        .iter()
        .find(|o| o.id.as_str().to_lowercase() == id)
        .map(|o| Target::Opportunity(o.id.clone()))
        .or_else(|| {
            ws.items
                .solutions
                .keys()
                .find(|s| s.as_str().to_lowercase() == id)
                .map(|s| Target::Solution(s.clone()))
        })
}

/// What recording one delivery changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub target: Target,
    pub title: String,
    /// The status before and after, as words ("planned" → "delivered",
    /// "building" → "shipped").
    pub status: (&'static str, &'static str),
    /// The delivery (opportunity) or ship (solution) date before and after.
    pub delivered: (Option<NaiveDate>, Option<NaiveDate>),
    /// The commit that delivered it (the earliest, when several did).
    pub by: Delivery,
    /// The edit that records it.
    pub edit: Edit,
}

impl Change {
    pub fn changes_anything(&self) -> bool {
        self.status.0 != self.status.1 || self.delivered.0 != self.delivered.1
    }
}

/// What the trailers mean for the workspace.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// One per entity named, in id order: what changes, or nothing when
    /// it is already recorded.
    pub items: Vec<Change>,
    /// Trailers naming nothing in the workspace.
    pub unknown: Vec<Delivery>,
}

impl Plan {
    pub fn to_apply(&self) -> impl Iterator<Item = &Change> {
        self.items.iter().filter(|c| c.changes_anything())
    }
}

/// The status a delivered opportunity gets: `delivered`, unless it is
/// already delivered or judged (validated, invalidated).
fn delivered_status(s: Status) -> Status {
    match s {
        Status::Idea | Status::Exploring | Status::Planned => Status::Delivered,
        s => s,
    }
}

/// Works out what `deliveries` record in `ws`. The date is the earliest
/// commit's; a date already recorded that is earlier is kept.
pub fn plan(ws: &Workspace, deliveries: &[Delivery]) -> Plan {
    let mut first: BTreeMap<Target, &Delivery> = BTreeMap::new();
    let mut unknown = Vec::new();
    for d in deliveries {
        match resolve(ws, &d.target) {
            Some(t) => {
                let e = first.entry(t).or_insert(d);
                if d.date < e.date {
                    *e = d;
                }
            }
            None => {
                if !unknown
                    .iter()
                    .any(|u: &Delivery| u.target == d.target && u.commit == d.commit)
                {
                    unknown.push(d.clone());
                }
            }
        }
    }
    let mut items = Vec::new();
    for (t, d) in first {
        // A date already recorded that is earlier is kept.
        let date = |old: Option<NaiveDate>| match old {
            Some(old) if old <= d.date => old,
            _ => d.date,
        };
        let change = match &t {
            Target::Opportunity(id) => {
                let Some(o) = ws.opportunity(id) else {
                    continue;
                };
                let mut after = o.clone();
                after.status = delivered_status(o.status);
                after.delivered = Some(date(o.delivered));
                Change {
                    target: t.clone(),
                    title: o.title.clone(),
                    status: (o.status.label(), after.status.label()),
                    delivered: (o.delivered, after.delivered),
                    by: d.clone(),
                    edit: Edit::SetOpportunity { opportunity: after },
                }
            }
            Target::Solution(id) => {
                let Some(s) = ws.items.solutions.get(id) else {
                    continue;
                };
                // A trailer is the code saying it shipped: whatever the
                // solution's status was, it is shipped now.
                let mut after = s.clone();
                after.status = SolutionStatus::Shipped;
                let before = s.shipped.filter(|_| s.status == SolutionStatus::Shipped);
                after.shipped = Some(date(before));
                Change {
                    target: t.clone(),
                    title: s.title.clone(),
                    status: (s.status.label(), after.status.label()),
                    delivered: (s.shipped, after.shipped),
                    by: d.clone(),
                    edit: edit::put(Item::Solution(after)),
                }
            }
        };
        items.push(change);
    }
    Plan { items, unknown }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Opportunity, OpportunityKind};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn delivery(target: &str, date: &str, commit: &str) -> Delivery {
        Delivery {
            target: target.into(),
            commit: commit.into(),
            date: d(date),
            subject: "s".into(),
            repo: PathBuf::from("/r"),
        }
    }

    #[test]
    fn the_earliest_commit_delivers_and_a_second_plan_changes_nothing() {
        let mut ws = Workspace::new("t");
        let mut o = Opportunity::new("op1".into(), "One", OpportunityKind::Need);
        o.status = Status::Planned;
        ws.opportunities.push(o);
        let mut v = Opportunity::new("op2".into(), "Two", OpportunityKind::Need);
        v.status = Status::Validated;
        ws.opportunities.push(v);
        let ds = [
            delivery("op1", "2026-03-05", "b"),
            delivery("OP1", "2026-03-04", "a"),
            delivery("#op2", "2026-01-01", "c"),
            delivery("zz", "2026-01-01", "d"),
        ];
        let p = plan(&ws, &ds);
        assert_eq!(p.unknown.len(), 1);
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].by.commit, "a");
        assert_eq!(p.items[0].status, ("planned", "delivered"));
        assert_eq!(p.items[0].delivered.1, Some(d("2026-03-04")));
        // A validated opportunity stays validated; only its date is recorded.
        assert_eq!(p.items[1].status, ("validated", "validated"));
        for c in p.to_apply() {
            edit::apply(&mut ws, c.edit.clone()).unwrap();
        }
        assert_eq!(plan(&ws, &ds).to_apply().count(), 0);
    }

    #[test]
    fn a_trailer_naming_a_solution_ships_it_at_the_commit_date() {
        let mut ws = crate::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        // "Spend forecast in the cost dashboard" is an idea.
        let ds = [
            delivery("SL9FCS", "2026-11-24", "a"),
            delivery("sl9fcs", "2026-11-26", "b"),
        ];
        let p = plan(&ws, &ds);
        assert!(p.unknown.is_empty());
        assert_eq!(p.items.len(), 1);
        let c = &p.items[0];
        assert_eq!(c.target, Target::Solution("sl9fcs".into()));
        assert_eq!(c.status, ("idea", "shipped"));
        assert_eq!(c.delivered, (None, Some(d("2026-11-24"))));
        assert_eq!(c.by.commit, "a");
        for c in p.to_apply() {
            edit::apply(&mut ws, c.edit.clone()).unwrap();
        }
        let s = &ws.items.solutions[&Id::from("sl9fcs")];
        assert_eq!(s.status, SolutionStatus::Shipped);
        assert_eq!(s.shipped, Some(d("2026-11-24")));
        assert_eq!(plan(&ws, &ds).to_apply().count(), 0, "idempotent");
        // An earlier ship date already recorded is kept.
        let shipped = [delivery("sl4cst", "2026-09-01", "c")];
        assert_eq!(plan(&ws, &shipped).to_apply().count(), 0);
    }
}
