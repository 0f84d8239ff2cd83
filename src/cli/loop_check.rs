//! What `valuemap check` says about the discovery loop as of a day (today
//! unless `--today` names another): assumption tests still pending past
//! their due date, and the verdicts the metrics suggest for opportunities
//! whose solutions shipped (validated or invalidated, see
//! [`crate::model::validation`]). Both are warnings: they never fail the
//! check, but each names the file and line of the entity it is about.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::validate::{self, FileKey};
use crate::model::validation::{self, Suggestion};
use crate::model::{EntityRef, SolutionStatus, Status, Workspace};
use crate::store::Store;

/// One thing to say, with how loud.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopFinding {
    /// `warning` (counted with the warnings) or `notice`.
    pub level: &'static str,
    pub entity: EntityRef,
    /// The key of the line to point at in the entity's file (`due:`), or
    /// none for the entity's first line.
    pub field: Option<&'static str>,
    pub message: String,
}

/// The titles of the shipped solutions of an opportunity behind a
/// suggestion (those whose ship date the comparisons are about).
fn shipped_titles(ws: &Workspace, s: &Suggestion) -> Vec<String> {
    let mut out = Vec::new();
    for sol in ws.solutions_of(&s.opportunity) {
        if sol.status == SolutionStatus::Shipped
            && sol
                .shipped
                .is_some_and(|d| s.evidence.iter().any(|c| c.shipped == d))
            && !out.contains(&sol.title)
        {
            out.push(sol.title.clone());
        }
    }
    out
}

/// The message of a suggestion: `opportunity "X": its metrics after "Cost
/// dashboard" shipped meet the target — set it to validated (…)`.
pub fn suggestion_message(ws: &Workspace, s: &Suggestion) -> String {
    let what = ws.describe(&EntityRef::Opportunity(s.opportunity.clone()));
    let titles: Vec<String> = shipped_titles(ws, s)
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect();
    let verdict = if s.status == Status::Validated {
        "meet the target"
    } else {
        "missed the target with no improvement"
    };
    let why = s.describe(ws);
    let why = why
        .split_once(": ")
        .map_or(why.as_str(), |(_, rest)| rest)
        .to_string();
    format!(
        "{what}: its metrics after {} shipped {verdict} — set it to {} ({why})",
        if titles.is_empty() {
            "its solution".to_string()
        } else {
            titles.join(" and ")
        },
        s.status.label(),
    )
}

/// Overdue tests and suggested verdicts, as of `today`.
pub fn findings(ws: &Workspace, today: NaiveDate) -> Vec<LoopFinding> {
    let mut out: Vec<LoopFinding> = validate::overdue(ws, today)
        .into_iter()
        .map(|f| LoopFinding {
            level: "warning",
            entity: f.entity,
            field: Some("due"),
            message: format!("{}; record its result, or move its due date", f.message),
        })
        .collect();
    out.extend(
        validation::suggestions(ws, today)
            .iter()
            .map(|s| LoopFinding {
                level: "warning",
                entity: EntityRef::Opportunity(s.opportunity.clone()),
                field: None,
                message: suggestion_message(ws, s),
            }),
    );
    out
}

/// The 1-based line of `field:` in an item's file, else of the entity.
pub fn line_in(text: &str, entity: &EntityRef, field: Option<&str>) -> usize {
    if let (Some(f), EntityRef::Item(..) | EntityRef::Metric(..)) = (field, entity) {
        let key = format!("{f}:");
        if let Some(i) = text.lines().position(|l| l.trim_start().starts_with(&key)) {
            return i + 1;
        }
    }
    crate::policy::line_of(text, entity)
}

/// Where a finding points: the file (as the store names it) and the line.
pub fn locate(store: &Store, ws: &Workspace, f: &LoopFinding) -> (PathBuf, usize) {
    locate_entity(store, ws, &f.entity, f.field)
}

/// The file of an entity (as the store names it) and the line of `field:`
/// in it, else of the entity.
pub fn locate_entity(
    store: &Store,
    ws: &Workspace,
    entity: &EntityRef,
    field: Option<&str>,
) -> (PathBuf, usize) {
    let path = store.path_of(&FileKey::of(entity), ws);
    let line = crate::policy::read_text(store.root(), &path)
        .ok()
        .flatten()
        .map_or(1, |t| line_in(&t, entity, field));
    (path, line)
}

/// The day `check` judges by.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The path relative to the store's root, for annotations.
pub fn relative(store: &Store, path: &Path) -> PathBuf {
    path.strip_prefix(store.root())
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssumptionTest, Id, Kind, Verdict};
    use crate::template::Template;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_template_suggests_validating_the_cost_dashboard_and_a_late_test_warns() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        // On 2026-12-16 the spike due on 2026-12-15 is late.
        let f = findings(&ws, d("2026-12-16"));
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].level, "warning");
        assert_eq!(f[0].entity, EntityRef::Item(Kind::Test, "at8dpl".into()));
        assert_eq!(
            f[0].message,
            "assumption test \"Cost per deployment can be computed from the billing export\": is still pending, due 2026-12-15; record its result, or move its due date"
        );
        assert_eq!(f[1].level, "warning");
        assert!(
            f[1].message.starts_with(
                "opportunity \"Managers keep asking for cost data\": its metrics after \"Cost dashboard\" shipped meet the target — set it to validated (Dashboard visits 31.92 visits/week after vs 1.82 visits/week before (target 30 visits/week; 13 and 11 observations))"
            ),
            "{}",
            f[1].message
        );
        // The day before its due date it is not late.
        assert_eq!(findings(&ws, d("2026-12-15")).len(), 1);
        // A passed test is never late; a validated opportunity is settled.
        let t: &mut AssumptionTest = ws.items.tests.get_mut(&Id::from("at8dpl")).unwrap();
        t.result = Verdict::Passed;
        let i = ws.opportunity_index(&"52cdsh".into()).unwrap();
        ws.opportunities[i].status = Status::Validated;
        assert!(findings(&ws, d("2027-06-01")).is_empty());
    }

    #[test]
    fn lines_point_at_the_due_date_or_the_entity() {
        let text =
            "(\n    assumption_test: (\n        id: \"at1\",\n        due: \"2026-01-01\",\n";
        let t = EntityRef::Item(Kind::Test, "at1".into());
        assert_eq!(line_in(text, &t, Some("due")), 4);
        assert_eq!(line_in(text, &t, None), 3);
        assert_eq!(line_in(text, &t, Some("owner")), 3);
    }
}
