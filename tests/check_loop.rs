//! `valuemap check` on the discovery loop: a shipped solution no metric can
//! validate, an assumption test still pending past its due date, and the
//! verdicts the metrics suggest (validated, invalidated), each a warning
//! with its file:line, as text and as GitHub Actions annotations. `--today`
//! fixes the day the checks judge by.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use valuemap::model::{Solution, SolutionStatus, Status};
use valuemap::store::{Scope, Store};

#[path = "support/bin.rs"]
mod bin;

use bin::valuemap;

// Ids of the kubernetes-platform template.
const COST_DATA: &str = "52cdsh";
const SPIKE: &str = "at8dpl";
const DASHBOARD_VISITS: &str = "j4dshv";
const CLEANUP: &str = "x9rphn";

const LATE: &str = "assumption test \"Cost per deployment can be computed from the billing export\": is still pending, due 2026-12-15; record its result, or move its due date";

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let run = valuemap(tmp.path(), &["new", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    tmp
}

fn edit(path: &Path, f: impl FnOnce(&mut valuemap::model::Workspace)) {
    let (mut store, mut ws, _) = Store::open(path).unwrap();
    f(&mut ws);
    ws.normalize();
    store.save(&ws, &Scope::All, true).unwrap();
}

/// The 1-based line of the first line of `file` that starts (after spaces)
/// with `start`.
fn line_of(file: &Path, start: &str) -> usize {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in {}", file.display()))
        + 1
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_late_test_and_a_validated_suggestion_are_warnings_with_their_lines() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    let due = line_of(&ws.join(format!("assumptions/{SPIKE}.ron")), "due:");
    let opp = line_of(
        &ws.join(format!("opportunities/{COST_DATA}.ron")),
        &format!("id: \"{COST_DATA}\""),
    );

    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-12-16"],
    );
    assert_eq!(run.code, Some(0), "warnings never fail the check: {run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(&format!("ws/assumptions/{SPIKE}.ron:{due}: warning: {LATE}").as_str()),
        "{run:?}"
    );
    let validated = format!(
        "ws/opportunities/{COST_DATA}.ron:{opp}: warning: opportunity \"Managers keep asking for cost data\": its metrics after \"Cost dashboard\" shipped meet the target — set it to validated (Dashboard visits 31.92 visits/week after vs 1.82 visits/week before (target 30 visits/week; 13 and 11 observations))"
    );
    assert!(lines.contains(&validated.as_str()), "{run:?}");
    // The template's one other warning: an opportunity with no evidence.
    assert_eq!(
        lines.last().unwrap().split(';').next().unwrap(),
        "ws: 0 error(s), 3 warning(s)",
        "{run:?}"
    );

    // On its due date the test is not late yet.
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-12-15"],
    );
    assert!(!run.stdout.contains("still pending"), "{run:?}");
    assert!(run.stdout.contains("set it to validated"), "{run:?}");

    // A recorded verdict settles both.
    edit(&ws, |w| {
        w.items.tests.get_mut(&SPIKE.into()).unwrap().result = valuemap::model::Verdict::Passed;
        let i = w.opportunity_index(&COST_DATA.into()).unwrap();
        w.opportunities[i].status = Status::Validated;
    });
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2027-06-01"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(!run.stdout.contains("still pending"), "{run:?}");
    assert!(!run.stdout.contains("set it to"), "{run:?}");
}

#[test]
fn metrics_that_missed_suggest_invalidated_once_the_window_is_over() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    // After the Cost dashboard shipped (2026-08-12) visits fell to one a
    // week: below the target of 30 and below the 1.82 before.
    edit(&ws, |w| {
        let m = w
            .metrics
            .iter_mut()
            .find(|m| m.id.as_str() == DASHBOARD_VISITS)
            .unwrap();
        for o in &mut m.observations {
            if o.date > d("2026-08-12") {
                o.value = 1.0;
            }
        }
    });
    let opp = line_of(
        &ws.join(format!("opportunities/{COST_DATA}.ron")),
        &format!("id: \"{COST_DATA}\""),
    );
    // 2026-11-10 is the after-window's last day: too early to call a miss.
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-11-10"],
    );
    assert!(!run.stdout.contains("set it to"), "{run:?}");
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-11-11"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let want = format!(
        "ws/opportunities/{COST_DATA}.ron:{opp}: warning: opportunity \"Managers keep asking for cost data\": its metrics after \"Cost dashboard\" shipped missed the target with no improvement — set it to invalidated (Dashboard visits 1 visits/week after vs 1.82 visits/week before (target 30 visits/week; 13 and 11 observations))"
    );
    assert!(run.stdout.lines().any(|l| l == want), "{want}\n{run:?}");
}

#[test]
fn a_shipped_solution_no_metric_can_validate_is_a_warning_at_its_line() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    edit(&ws, |w| {
        w.items.solutions.insert(
            "slnomt".into(),
            Solution {
                id: "slnomt".into(),
                opportunity: CLEANUP.into(),
                title: "Finalizers on deployments".into(),
                description: String::new(),
                status: SolutionStatus::Shipped,
                shipped: Some(d("2026-10-01")),
                value: None,
                effort: Some(2),
                owner: String::new(),
            },
        );
    });
    let file = ws.join("solutions/slnomt.ron");
    let line = line_of(&file, "id: \"slnomt\"");
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-11-30"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let want = format!(
        "ws/solutions/slnomt.ron:{line}: warning: solution \"Finalizers on deployments\": is shipped but no metric measures its opportunity or outcome, so nothing can validate it"
    );
    assert!(run.stdout.lines().any(|l| l == want), "{want}\n{run:?}");

    // A metric on the opportunity quiets it.
    edit(&ws, |w| {
        let m = w
            .metrics
            .iter_mut()
            .find(|m| m.id.as_str() == DASHBOARD_VISITS)
            .unwrap();
        let mut other = m.clone();
        other.id = "mclean".into();
        other.name = "Orphaned volumes".into();
        other.opportunity = Some(CLEANUP.into());
        w.metrics.push(other);
    });
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--no-coverage", "--today", "2026-11-30"],
    );
    assert!(!run.stdout.contains("no metric measures"), "{run:?}");
}

#[test]
fn github_annotations_carry_the_file_and_line_of_each_loop_warning() {
    let tmp = workspace();
    let ws = tmp.path().join("ws");
    let due = line_of(&ws.join(format!("assumptions/{SPIKE}.ron")), "due:");
    let opp = line_of(
        &ws.join(format!("opportunities/{COST_DATA}.ron")),
        &format!("id: \"{COST_DATA}\""),
    );
    let run = valuemap(
        tmp.path(),
        &["check", "ws", "--format", "github", "--today", "2026-12-16"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let want = format!(
        "::warning file=ws/assumptions/{SPIKE}.ron,line={due},title=valuemap discovery loop::{LATE}"
    );
    assert!(run.stdout.lines().any(|l| l == want), "{want}\n{run:?}");
    assert!(
        run.stdout.lines().any(|l| l.starts_with(&format!(
            "::warning file=ws/opportunities/{COST_DATA}.ron,line={opp},title=valuemap discovery loop::opportunity \"Managers keep asking for cost data\": its metrics after \"Cost dashboard\" shipped meet the target — set it to validated ("
        ))),
        "{run:?}"
    );
}

#[test]
fn a_bad_today_is_refused_by_the_argument_parser() {
    let tmp = workspace();
    let run = valuemap(tmp.path(), &["check", "ws", "--today", "2026-13-01"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("--today"), "{run:?}");
}
