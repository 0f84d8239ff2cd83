//! `valuemap adopt` and `valuemap team add` through the real binary, the
//! adoption rates they print (computed by hand here), and derived metrics'
//! errors in `valuemap check`.

use std::fs;
use std::path::{Path, PathBuf};

use valuemap::model::{AdoptionState, Target};
use valuemap::store::Store;

#[path = "support/bin.rs"]
mod bin;

use bin::valuemap;

const WORKSPACE: &str = r#"(
    version: 3,
    name: "Shop",
    phases: [
        (
            id: "phase1",
            name: "Operation",
            activities: [
                (id: "deploy", name: "Deploy a workload"),
                (id: "observ", name: "Observe a workload"),
            ],
        ),
    ],
    personas: [
        (id: "appdev", name: "Application developer", role: Consumer),
    ],
)
"#;

fn workspace(tmp: &Path) -> PathBuf {
    let ws = tmp.join("ws");
    fs::create_dir(&ws).unwrap();
    fs::write(ws.join("workspace.ron"), WORKSPACE).unwrap();
    ws
}

fn ok(tmp: &Path, args: &[&str]) -> String {
    let r = valuemap(tmp, args);
    assert_eq!(r.code, Some(0), "{args:?}: {r:?}");
    r.stdout
}

fn fails(tmp: &Path, args: &[&str]) -> String {
    let r = valuemap(tmp, args);
    assert_ne!(r.code, Some(0), "{args:?}: {r:?}");
    assert!(!r.stderr.contains("panicked"), "{r:?}");
    r.stderr
}

#[test]
fn adoption_over_several_dates_gives_the_rates_worked_out_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    ok(tmp.path(), &["fmt", "ws"]);
    for t in ["Checkout", "Catalogue", "Payments", "Search"] {
        ok(
            tmp.path(),
            &["team", "add", "ws", t, "--size", "6", "--persona", "app"],
        );
    }
    // Checkout tries it, then adopts it freely; Payments is told to;
    // Catalogue adopts freely and drops it later.
    let steps: [&[&str]; 5] = [
        &["Checkout", "Deploy", "trialling", "--date", "2026-01-05"],
        &["catalogue", "deploy", "adopted", "--date", "2026-01-05"],
        &[
            "Checkout",
            "Deploy a workload",
            "adopted",
            "--date",
            "2026-02-02",
        ],
        &[
            "Payments",
            "deploy",
            "adopted",
            "--mandated",
            "--date",
            "2026-02-02",
        ],
        &["Catalogue", "deploy", "dropped", "--date", "2026-03-02"],
    ];
    let mut last = String::new();
    for s in steps {
        let mut args = vec!["adopt", "ws"];
        args.extend_from_slice(s);
        last = ok(tmp.path(), &args);
    }
    // 2026-03-02: Checkout (free) and Payments (mandated) adopted, of 4.
    assert!(
        last.contains(
            "Deploy a workload: 2 of 4 teams adopted (50%), 1 by free choice (25%), 0 trialling"
        ),
        "{last}"
    );
    let ws = Store::open(&tmp.path().join("ws")).unwrap().1;
    let deploy = Target::Activity("deploy".into());
    let rates: Vec<(f64, f64)> = ws
        .adoption_over_time(&deploy)
        .iter()
        .map(|r| (r.all().unwrap(), r.voluntary().unwrap()))
        .collect();
    // 01-05: Catalogue (free): 1/4. 02-02: + Checkout (free), Payments
    // (mandated): 3/4 and 2/4. 03-02: Catalogue dropped: 2/4 and 1/4.
    assert_eq!(rates, [(25.0, 25.0), (75.0, 50.0), (50.0, 25.0)]);
    assert_eq!(ws.items.teams.len(), 4);
    assert_eq!(ws.items.adoptions.len(), 5);
    assert!(
        ws.items.teams.values().all(
            |t| t.persona.as_ref().is_some_and(|p| p.as_str() == "appdev") && t.size == Some(6)
        )
    );
    // One file per record, one per team: additions on two branches never
    // touch the same file.
    assert_eq!(
        fs::read_dir(tmp.path().join("ws/adoption"))
            .unwrap()
            .count(),
        5
    );
    assert_eq!(
        fs::read_dir(tmp.path().join("ws/teams")).unwrap().count(),
        4
    );

    // The same record again changes nothing; another state that day
    // replaces it.
    let again = ok(
        tmp.path(),
        &[
            "adopt",
            "ws",
            "Catalogue",
            "deploy",
            "dropped",
            "--date",
            "2026-03-02",
        ],
    );
    assert!(
        again.contains("is already recorded; nothing changed"),
        "{again}"
    );
    let replaced = ok(
        tmp.path(),
        &[
            "adopt",
            "ws",
            "Catalogue",
            "deploy",
            "trialling",
            "--date",
            "2026-03-02",
        ],
    );
    assert!(replaced.contains("(replaced dropped)"), "{replaced}");
    let ws = Store::open(&tmp.path().join("ws")).unwrap().1;
    assert_eq!(ws.items.adoptions.len(), 5);
    let s = ws
        .standing(
            &team_id(&ws, "Catalogue"),
            &deploy,
            "2026-03-02".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(s.state, AdoptionState::Trialling);

    // The workspace is valid and canonical.
    ok(tmp.path(), &["check", "ws", "--no-coverage"]);
    ok(tmp.path(), &["fmt", "ws", "--check"]);
}

fn team_id(ws: &valuemap::model::Workspace, name: &str) -> valuemap::model::Id {
    ws.items
        .teams
        .values()
        .find(|t| t.name == name)
        .unwrap()
        .id
        .clone()
}

#[test]
fn wrong_names_and_states_are_clear_errors_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let e = fails(
        tmp.path(),
        &["adopt", "ws", "Checkout", "deploy", "adopted"],
    );
    assert!(e.contains("no team matches \"Checkout\": there are none (add one with `valuemap team add PATH NAME`)"), "{e}");
    ok(tmp.path(), &["team", "add", "ws", "Checkout"]);
    let e = fails(tmp.path(), &["team", "add", "ws", "checkout"]);
    assert!(e.contains("there is already a team \"checkout\""), "{e}");
    let e = fails(tmp.path(), &["adopt", "ws", "Checkout", "Scale", "adopted"]);
    assert!(
        e.contains(
            "no activity matches \"Scale\"; activitys: Deploy a workload, Observe a workload"
        ) || e.contains("no activity matches \"Scale\""),
        "{e}"
    );
    let e = fails(tmp.path(), &["adopt", "ws", "Checkout", "deploy", "using"]);
    assert!(
        e.contains("not-adopted, trialling, adopted, dropped"),
        "{e}"
    );
    let e = fails(
        tmp.path(),
        &[
            "adopt", "ws", "Checkout", "deploy", "adopted", "--date", "1/2/26",
        ],
    );
    assert!(e.contains("is not a date: use YYYY-MM-DD"), "{e}");
    let e = fails(
        tmp.path(),
        &["team", "add", "ws", "Search", "--persona", "boss"],
    );
    assert!(e.contains("no persona matches \"boss\""), "{e}");
    assert!(!tmp.path().join("ws/adoption").exists());
}

const MONEY: &str = r#"(
    metric: (
        id: "money1",
        name: "Money saved",
        unit: "EUR",
        formula: "availability_minutes_gained * cost_per_minutes",
    ),
)
"#;

const MINUTES: &str = r#"(
    metric: (
        id: "minute",
        name: "Availability minutes gained",
        observations: [
            (date: "2026-01-05", value: 30.0),
            (date: "2026-01-12", value: 45.0),
        ],
    ),
)
"#;

const PRICE: &str = r#"(
    metric: (
        id: "price1",
        name: "Cost per minute",
        unit: "EUR",
        observations: [
            (date: "2026-01-01", value: 120.0),
        ],
    ),
)
"#;

#[test]
fn a_formula_error_points_at_its_file_and_line_and_a_good_one_computes_money() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path());
    fs::create_dir(ws.join("metrics")).unwrap();
    fs::write(ws.join("metrics/minute.ron"), MINUTES).unwrap();
    fs::write(ws.join("metrics/price1.ron"), PRICE).unwrap();
    fs::write(ws.join("metrics/money1.ron"), MONEY).unwrap();
    let r = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.stdout.contains(&format!(
            "{}:6: error: metric \"Money saved\": has a formula naming cost_per_minutes, which is no metric (metrics: availability_minutes_gained, cost_per_minute)",
            Path::new("ws/metrics/money1.ron").display()
        )),
        "{r:?}"
    );
    // A derived metric takes no observations by hand.
    let e = fails(tmp.path(), &["metric", "observe", "ws", "Money saved", "1"]);
    assert!(
        e.contains("fix them first") || e.contains("is computed"),
        "{e}"
    );

    fs::write(
        ws.join("metrics/money1.ron"),
        MONEY.replace("cost_per_minutes", "cost_per_minute"),
    )
    .unwrap();
    ok(tmp.path(), &["check", "ws", "--no-coverage"]);
    let e = fails(tmp.path(), &["metric", "observe", "ws", "Money saved", "1"]);
    assert!(e.contains("Money saved is computed (formula availability_minutes_gained * cost_per_minute); record the metrics it is computed from"), "{e}");
    let loaded = Store::open(&ws).unwrap().1;
    let money: Vec<f64> = loaded
        .metric(&"money1".into())
        .unwrap()
        .observations
        .iter()
        .map(|o| o.value)
        .collect();
    assert_eq!(money, [3600.0, 5400.0]);
    // An observation of an input changes the money; the series itself is
    // never written to the file.
    ok(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            "Availability minutes gained",
            "60",
            "--date",
            "2026-01-19",
        ],
    );
    let loaded = Store::open(&ws).unwrap().1;
    assert_eq!(
        loaded.metric(&"money1".into()).unwrap().observations.len(),
        3
    );
    assert!(
        !fs::read_to_string(ws.join("metrics/money1.ron"))
            .unwrap()
            .contains("observations")
    );

    // Division by zero is an error with the date it happens on.
    fs::write(
        ws.join("metrics/money1.ron"),
        MONEY.replace(
            "availability_minutes_gained * cost_per_minutes",
            "cost_per_minute / (availability_minutes_gained - 30)",
        ),
    )
    .unwrap();
    let r = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.stdout
            .contains("has a formula that divides by zero on 2026-01-05"),
        "{r:?}"
    );
}

/// A team adopts a platform capability of the needs map by its name: the
/// record targets the node, `check` follows the link, and the rates name
/// the capability.
#[test]
fn a_platform_capability_of_the_needs_map_is_adopted_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let r = valuemap(tmp.path(), &["new", "ws"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let out = ok(
        tmp.path(),
        &[
            "adopt",
            "ws",
            "Checkout",
            "deploy a service",
            "adopted",
            "--date",
            "2026-11-02",
        ],
    );
    assert!(out.contains("Deploy a service"), "{out}");
    let (_, ws, _) = Store::open(&tmp.path().join("ws")).unwrap();
    let node = ws
        .items
        .nodes
        .values()
        .find(|n| n.name == "Deploy a service")
        .unwrap();
    assert!(
        ws.items
            .adoptions
            .values()
            .any(|a| a.target == Target::Capability(node.id.clone())
                && a.state == AdoptionState::Adopted),
        "{:?}",
        ws.items.adoptions
    );
    assert_eq!(
        ws.target_name(&Target::Capability(node.id.clone())),
        "Deploy a service"
    );
    let check = valuemap(tmp.path(), &["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    // A name that is neither says both kinds were looked at.
    let err = fails(tmp.path(), &["adopt", "ws", "Checkout", "zzz", "adopted"]);
    assert!(err.contains("activity or platform capability"), "{err}");
}
