//! `valuemap sync-delivery`: `Delivers:` trailers in real git
//! repositories, on every branch, in the workspace's own repository and in
//! others; a dry run unless --apply; idempotent.

use std::fs;

use chrono::NaiveDate;
use valuemap::model::Status;
use valuemap::store::Store;

#[path = "support/git.rs"]
mod git;
#[path = "support/history.rs"]
mod history;

use git::{Repo, git_available};
use history::{commit_at, git_at};

const API_WARNINGS: &str = "c4dprw";
const SELF_SERVICE: &str = "93ssvc";

/// A commit of code (not of the workspace) with `message`, on `date`.
fn ship(r: &Repo, file: &str, date: &str, message: &str) -> String {
    fs::write(r.root.join(file), format!("{file} {date}\n")).unwrap();
    commit_at(r, date, message)
}

fn opportunity(r: &Repo, id: &str) -> valuemap::model::Opportunity {
    let (_, ws, _) = Store::open(&r.ws()).unwrap();
    ws.opportunity(&id.into()).unwrap().clone()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn trailers_on_any_branch_deliver_once_at_the_commit_date() {
    if !git_available("trailers_on_any_branch_deliver_once_at_the_commit_date") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    commit_at(&r, "2026-12-01", "Discovery workspace");
    r.git_ok(&["checkout", "--quiet", "-b", "api-warnings"]);
    let shipped = ship(
        &r,
        "warnings.rs",
        "2026-12-03",
        "Warn about removed APIs in CI\n\nChecks manifests against the next version.\n\nDelivers: c4dprw, nope99",
    );
    // A trailer-like line that is not in the last paragraph is not a trailer.
    ship(
        &r,
        "notes.txt",
        "2026-12-04",
        "Talk about it\n\nDelivers: 93ssvc is what we hope\nfor, one day.\n\nSigned-off-by: Someone <s@example.invalid>",
    );
    r.git_ok(&["checkout", "--quiet", "main"]);
    let before = fs::read(r.ws().join(format!("opportunities/{API_WARNINGS}.ron"))).unwrap();

    // A dry run says what it would do and writes nothing.
    let dry = r.vm_ok(&["sync-delivery", "ws"]);
    assert!(
        dry.stdout.contains(&format!(
            "~ opportunity {API_WARNINGS} \"Warn about removed APIs before a cluster upgrade\": status planned → delivered, delivered – → 2026-12-03 (commit {} of 2026-12-03 \"Warn about removed APIs in CI\")",
            &shipped[..8]
        )),
        "{dry:?}"
    );
    assert!(
        dry.stdout
            .contains("? nope99: no opportunity or solution with this id"),
        "{dry:?}"
    );
    assert!(!dry.stdout.contains(SELF_SERVICE), "{dry:?}");
    assert!(
        dry.stdout
            .contains("Dry run: nothing written. 1 delivery(ies) to record"),
        "{dry:?}"
    );
    assert_eq!(
        fs::read(r.ws().join(format!("opportunities/{API_WARNINGS}.ron"))).unwrap(),
        before
    );

    let applied = r.vm_ok(&["sync-delivery", "ws", "--apply"]);
    assert!(
        applied.stdout.contains("Recorded 1 delivery(ies)"),
        "{applied:?}"
    );
    let o = opportunity(&r, API_WARNINGS);
    assert_eq!(o.status, Status::Delivered);
    assert_eq!(o.delivered, Some(day("2026-12-03")));
    let after = fs::read(r.ws().join(format!("opportunities/{API_WARNINGS}.ron"))).unwrap();
    r.vm_ok(&["fmt", "ws", "--check"]);

    // Again: nothing changes, byte for byte.
    let again = r.vm_ok(&["sync-delivery", "ws", "--apply"]);
    assert!(again.stdout.contains("Nothing to record"), "{again:?}");
    assert!(
        again
            .stdout
            .contains(&format!("= opportunity {API_WARNINGS} ")),
        "{again:?}"
    );
    assert_eq!(
        fs::read(r.ws().join(format!("opportunities/{API_WARNINGS}.ron"))).unwrap(),
        after
    );

    // An earlier commit on another branch moves the date back; a later one
    // does not move it forward.
    r.git_ok(&["checkout", "--quiet", "-b", "hotfix", "main"]);
    ship(
        &r,
        "early.rs",
        "2026-12-02",
        "A first cut\n\nDelivers: C4DPRW",
    );
    ship(&r, "late.rs", "2026-12-09", "Polish\n\nDelivers: c4dprw");
    r.git_ok(&["checkout", "--quiet", "main"]);
    r.vm_ok(&["sync-delivery", "ws", "--apply"]);
    assert_eq!(
        opportunity(&r, API_WARNINGS).delivered,
        Some(day("2026-12-02"))
    );

    // --rev reads only what main holds: nothing delivered there.
    let main_only = r.vm_ok(&["sync-delivery", "ws", "--rev", "main"]);
    assert!(
        main_only.stdout.contains(": 0 `Delivers:` trailer(s)"),
        "{main_only:?}"
    );

    // The history shows the delivery once it is committed.
    commit_at(&r, "2026-12-10", "Record deliveries");
    let t = r.vm_ok(&["log", "ws", "-e", API_WARNINGS]).stdout;
    assert!(
        t.contains("status planned → delivered, delivered – → 2026-12-02"),
        "{t}"
    );
}

#[test]
fn trailers_come_from_the_repositories_the_workspace_names() {
    if !git_available("trailers_come_from_the_repositories_the_workspace_names") {
        return;
    }
    // The discovery workspace in one repository, the code in another.
    let disc = Repo::new();
    disc.vm_ok(&["new", "ws"]);
    commit_at(&disc, "2026-12-01", "Discovery");
    let code_root = disc.root.join("platform");
    fs::create_dir(&code_root).unwrap();
    let g = |args: &[&str]| {
        let o = git_at(&code_root, &disc.root, "2026-12-05", args);
        assert_eq!(o.code, Some(0), "{o:?}");
    };
    g(&["init", "--quiet"]);
    fs::write(code_root.join("cluster.tf"), "module {}\n").unwrap();
    g(&["add", "-A"]);
    g(&[
        "commit",
        "--quiet",
        "-m",
        "Cluster template\n\nDelivers: 93ssvc",
    ]);

    // The workspace's own repository has no trailer.
    let own = disc.vm_ok(&["sync-delivery", "ws"]);
    assert!(own.stdout.contains(": 0 `Delivers:` trailer(s)"), "{own:?}");
    // --repo names the code's repository.
    let other = disc.vm_ok(&["sync-delivery", "ws", "--repo", "platform", "--apply"]);
    assert!(
        other.stdout.contains("1 `Delivers:` trailer(s)"),
        "{other:?}"
    );
    let o = opportunity(&disc, SELF_SERVICE);
    // Already delivered in the template: the status stays, the date is recorded.
    assert_eq!(o.status, Status::Delivered);
    assert_eq!(o.delivered, Some(day("2026-12-05")));

    // So does the workspace's config.ron, relative to the workspace.
    fs::write(
        disc.ws().join("config.ron"),
        "// Where the platform's code lives\n(repositories: [\"../platform\"])\n",
    )
    .unwrap();
    let configured = disc.vm_ok(&["sync-delivery", "ws"]);
    assert!(
        configured
            .stdout
            .contains("platform: 1 `Delivers:` trailer(s)"),
        "{configured:?}"
    );
    assert!(
        configured
            .stdout
            .contains(&format!("= opportunity {SELF_SERVICE} ")),
        "{configured:?}"
    );

    // A folder that is no repository is an error, and so is a bad config.
    fs::create_dir(disc.root.parent().unwrap().join("plain")).unwrap();
    let plain = disc.vm(&["sync-delivery", "ws", "--repo", "../plain"]);
    assert_eq!(plain.code, Some(1), "{plain:?}");
    assert!(
        plain.stderr.contains("is not in a git repository"),
        "{plain:?}"
    );
    fs::write(disc.ws().join("config.ron"), "(repos: [])").unwrap();
    let bad = disc.vm(&["sync-delivery", "ws"]);
    assert_eq!(bad.code, Some(1), "{bad:?}");
    assert!(bad.stderr.contains("config.ron:1:"), "{bad:?}");
}

#[test]
fn a_trailer_naming_a_solution_ships_it_and_its_metric_gets_the_marker() {
    if !git_available("a_trailer_naming_a_solution_ships_it_and_its_metric_gets_the_marker") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    commit_at(&r, "2026-12-01", "Discovery workspace");
    // "Spend forecast in the cost dashboard", an idea in the template.
    ship(
        &r,
        "forecast.rs",
        "2026-12-05",
        "Forecast next quarter's spend\n\nDelivers: sl9fcs",
    );
    let dry = r.vm_ok(&["sync-delivery", "ws"]);
    assert!(
        dry.stdout.contains(
            "~ solution sl9fcs \"Spend forecast in the cost dashboard\": status idea → shipped, shipped – → 2026-12-05"
        ),
        "{dry:?}"
    );
    let applied = r.vm_ok(&["sync-delivery", "ws", "--apply"]);
    assert!(
        applied.stdout.contains("Recorded 1 delivery(ies)") && applied.stdout.contains("sl9fcs"),
        "{applied:?}"
    );
    let (_, ws, _) = Store::open(&r.ws()).unwrap();
    let s = &ws.items.solutions[&valuemap::model::Id::from("sl9fcs")];
    assert_eq!(s.status, valuemap::model::SolutionStatus::Shipped);
    assert_eq!(s.shipped, Some(day("2026-12-05")));
    // The metric that validates it carries the marker at that date.
    let visits = ws
        .metrics
        .iter()
        .find(|m| m.name == "Dashboard visits")
        .unwrap();
    assert!(
        valuemap::model::validation::markers(&ws, &visits.id)
            .iter()
            .any(|m| m.date == day("2026-12-05") && m.title.contains("Spend forecast"))
    );
    r.vm_ok(&["fmt", "ws", "--check"]);
    let again = r.vm_ok(&["sync-delivery", "ws", "--apply"]);
    assert!(again.stdout.contains("Nothing to record"), "{again:?}");
}
