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
            &[
                "team",
                "add",
                "ws",
                t,
                "--size",
                "6",
                "--persona",
                "app",
                "--since",
                "2026-01-01",
            ],
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
    assert!(
        replaced.contains(
            "Catalogue: Deploy a workload ◐ trialling on 2026-03-02 (replaces the record of that day: dropped)"
        ),
        "{replaced}"
    );
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
    assert!(
        err.contains("no platform capability or activity matches \"zzz\""),
        "{err}"
    );
}

/// The rates of one target from the JSON export: (date, teams, adopted,
/// voluntary, rate, voluntary rate), rates rounded to a tenth.
fn json_rates(tmp: &Path, target: &str) -> Vec<(String, u64, u64, u64, f64, f64)> {
    let out = ok(tmp, &["export", "ws", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let round = |x: &serde_json::Value| (x.as_f64().unwrap() * 10.0).round() / 10.0;
    v["adoption_rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target"] == target)
        .unwrap_or_else(|| panic!("no rates for {target}: {out}"))["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                r["teams"].as_u64().unwrap(),
                r["adopted"].as_u64().unwrap(),
                r["voluntary"].as_u64().unwrap(),
                round(&r["rate"]),
                round(&r["voluntary_rate"]),
            )
        })
        .collect()
}

fn d(
    date: &str,
    teams: u64,
    adopted: u64,
    free: u64,
    all: f64,
    vol: f64,
) -> (String, u64, u64, u64, f64, f64) {
    (date.to_string(), teams, adopted, free, all, vol)
}

/// A team counts in the rates from its `since` date: adding one today
/// leaves every rate of the past as it was, in every export; a team whose
/// `since` is after a date is not counted on it; a record before a team's
/// `since` is a warning in `adopt` and in `check` (with its file:line).
#[test]
fn adding_a_team_today_leaves_the_past_rates_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    workspace(t);
    ok(t, &["fmt", "ws"]);
    for name in ["Checkout", "Payments"] {
        ok(t, &["team", "add", "ws", name, "--since", "2026-01-01"]);
    }
    ok(
        t,
        &[
            "adopt",
            "ws",
            "Checkout",
            "deploy",
            "adopted",
            "--date",
            "2026-01-05",
        ],
    );
    let out = ok(
        t,
        &[
            "adopt",
            "ws",
            "Payments",
            "deploy",
            "adopted",
            "--mandated",
            "--date",
            "2026-02-02",
        ],
    );
    assert!(
        out.contains("Deploy a workload: 2 of 2 teams adopted (100%), 1 by free choice (50%)"),
        "{out}"
    );
    // By hand: 01-05, Checkout (free) of 2 teams; 02-02, both, one free.
    let before = json_rates(t, "deploy");
    assert_eq!(
        before,
        [
            d("2026-01-05", 2, 1, 1, 50.0, 50.0),
            d("2026-02-02", 2, 2, 1, 100.0, 50.0),
        ]
    );

    // A team added today counts from today.
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let out = ok(t, &["team", "add", "ws", "Search"]);
    assert!(
        out.contains(&format!("counted in the adoption rates from {today}")),
        "{out}"
    );
    let after = json_rates(t, "deploy");
    assert_eq!(after[..2], before[..], "the past did not change");
    // Today: 2 adopted of 3 teams, 1 of them by free choice.
    assert_eq!(after[2..], [d(&today, 3, 2, 1, 66.7, 33.3)]);
    let ws = Store::open(&t.join("ws")).unwrap().1;
    let search = team_id(&ws, "Search");
    assert_eq!(
        ws.items.teams[&search]
            .since
            .map(|d| d.format("%Y-%m-%d").to_string()),
        Some(today.clone())
    );

    // A team formed on 01-20 is not counted on 01-05, and is from then on.
    ok(t, &["team", "add", "ws", "Ads", "--since", "2026-01-20"]);
    let with_ads = json_rates(t, "deploy");
    assert_eq!(
        with_ads,
        [
            d("2026-01-05", 2, 1, 1, 50.0, 50.0),
            d("2026-01-20", 3, 1, 1, 33.3, 33.3),
            d("2026-02-02", 3, 2, 1, 66.7, 33.3),
            d(&today, 4, 2, 1, 50.0, 25.0),
        ]
    );

    // CSV: the teams' since and counted-from dates, and the same rates.
    let csv = ok(t, &["export", "ws", "--format", "csv", "--table", "teams"]);
    assert!(
        csv.starts_with("team_id,name,size,persona_id,since,counted_from,description"),
        "{csv}"
    );
    assert!(csv.contains(",Ads,,,2026-01-20,2026-01-20,"), "{csv}");
    let csv = ok(
        t,
        &[
            "export",
            "ws",
            "--format",
            "csv",
            "--table",
            "adoption_rates",
        ],
    );
    assert!(
        csv.contains("activity,deploy,Deploy a workload,2026-01-05,2,1,1,0,50,50"),
        "{csv}"
    );
    assert!(
        csv.contains("activity,deploy,Deploy a workload,2026-01-20,3,1,1,0,33.3"),
        "{csv}"
    );
    // Markdown: when each team counts from, and the same rates.
    let md = ok(t, &["export", "ws", "--format", "md"]);
    assert!(
        md.contains("| Team | Size | Persona | Counted from |"),
        "{md}"
    );
    assert!(md.contains("| Ads | — | — | 2026-01-20 |"), "{md}");
    assert!(
        md.contains("| 2026-01-20 | 33.33% (1) | 33.33% (1) | 0 | 3 |"),
        "{md}"
    );
    assert!(md.contains("a team counts from its since date"), "{md}");

    // A record before the team's since: said by `adopt`, and a warning of
    // `check` at the team's `since:` line.
    let out = ok(
        t,
        &[
            "adopt",
            "ws",
            "Ads",
            "deploy",
            "trialling",
            "--date",
            "2026-01-10",
        ],
    );
    assert!(
        out.contains("warning: Ads counts in the adoption rates from 2026-01-20 (its since date)"),
        "{out}"
    );
    let ws = Store::open(&t.join("ws")).unwrap().1;
    let ads = team_id(&ws, "Ads");
    let file = format!("ws/teams/{ads}.ron");
    let text = fs::read_to_string(t.join(&file)).unwrap();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("since:"))
        .unwrap()
        + 1;
    let r = valuemap(t, &["check", "ws", "--no-coverage"]);
    assert_eq!(r.code, Some(0), "a warning, not an error: {r:?}");
    assert!(
        r.stdout.contains(&format!(
            "{}:{line}: warning: team \"Ads\": counts in the adoption rates from 2026-01-20 (its since date), but has a record on 2026-01-10 (Deploy a workload: trialling)",
            Path::new(&file).display()
        )),
        "{r:?}"
    );
    // The record does not count before 01-20: on its own date Ads is not
    // a team yet, and every other point is as it was.
    let last = json_rates(t, "deploy");
    assert_eq!(last[0], with_ads[0]);
    assert_eq!(last[1], d("2026-01-10", 2, 1, 1, 50.0, 50.0));
    assert_eq!(last[2..], with_ads[1..]);
    ok(t, &["fmt", "ws", "--check"]);
}

/// Two records of one team, target and day (what a merge of two branches
/// leaves; here copied by hand): `check` names the second with its
/// file:line (a warning, saying whether they agree and which one the rates
/// take); `adopt` on that day replaces both.
#[test]
fn two_records_of_one_day_are_reported_and_adopt_replaces_both() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    workspace(t);
    ok(t, &["fmt", "ws"]);
    ok(
        t,
        &["team", "add", "ws", "Checkout", "--since", "2026-01-01"],
    );
    ok(
        t,
        &[
            "adopt",
            "ws",
            "Checkout",
            "deploy",
            "adopted",
            "--date",
            "2026-02-02",
        ],
    );
    let dir = t.join("ws/adoption");
    let first = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let text = fs::read_to_string(&first).unwrap();
    let id = first.file_stem().unwrap().to_str().unwrap().to_string();
    // A copy under a larger id: the same record, twice.
    let other = "zzzzzz";
    assert!(other > id.as_str());
    fs::write(
        dir.join(format!("{other}.ron")),
        text.replace(&format!("\"{id}\""), &format!("\"{other}\"")),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("date:"))
        .unwrap()
        + 1;
    let at = format!(
        "{}:{line}",
        Path::new("ws/adoption").join(format!("{id}.ron")).display()
    );
    let r = valuemap(t, &["check", "ws", "--no-coverage"]);
    assert_eq!(r.code, Some(0), "agreeing records are a warning: {r:?}");
    assert!(
        r.stdout.contains(&format!(
            "{at}: warning: adoption record \"adopted\": records Checkout with Deploy a workload on 2026-02-02 (adopted), as does record {other} (adopted): one record per team, target and day, and two branches recorded this one; they agree, so delete this file"
        )),
        "{r:?}"
    );
    // Records that disagree: a warning too (`adopt`, which settles it,
    // refuses a workspace with errors), naming the one the rates take.
    fs::write(
        dir.join(format!("{other}.ron")),
        text.replace(&format!("\"{id}\""), &format!("\"{other}\""))
            .replace("Adopted", "Trialling"),
    )
    .unwrap();
    let r = valuemap(t, &["check", "ws", "--no-coverage"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(
        r.stdout.contains(&format!(
            "{at}: warning: adoption record \"adopted\": records Checkout with Deploy a workload on 2026-02-02 (adopted), as does record {other} (trialling): one record per team, target and day, and two branches recorded this one; the rates take record {other}'s, so decide which is right and record it with `valuemap adopt` (which replaces both)"
        )),
        "{r:?}"
    );
    let ws = Store::open(&t.join("ws")).unwrap().1;
    let deploy = Target::Activity("deploy".into());
    let r = ws.adoption_rates(&deploy, "2026-02-02".parse().unwrap());
    assert_eq!((r.adopted, r.trialling), (0, 1), "the larger id wins");

    // adopt that day replaces both with one record.
    let out = ok(
        t,
        &[
            "adopt",
            "ws",
            "Checkout",
            "deploy",
            "adopted",
            "--date",
            "2026-02-02",
        ],
    );
    assert!(
        out.contains(
            "Checkout: Deploy a workload ● adopted on 2026-02-02 (replaces the 2 records of that day, left by a merge: adopted; trialling)"
        ),
        "{out}"
    );
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    assert!(dir.join(format!("{id}.ron")).exists(), "the first id stays");
    ok(t, &["check", "ws", "--no-coverage"]);
    let ws = Store::open(&t.join("ws")).unwrap().1;
    let r = ws.adoption_rates(&deploy, "2026-02-02".parse().unwrap());
    assert_eq!((r.adopted, r.trialling), (1, 0));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// `diff` between two folders names a capability's adoption by the
/// capability's name, a team's since date, and a metric's personas and
/// formula when they change (and nothing else about the metric did).
#[test]
fn diff_names_capabilities_since_dates_and_metric_personas_and_formulas() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(t, &["new", "a"]);
    copy_dir(&t.join("a"), &t.join("b"));
    ok(t, &["team", "add", "b", "Search", "--since", "2026-10-01"]);
    ok(
        t,
        &[
            "adopt",
            "b",
            "Catalogue",
            "deploy a service",
            "adopted",
            "--mandated",
            "--date",
            "2026-10-05",
        ],
    );
    // Management's cost metric is watched by application developers too;
    // "Clusters healthy" (not computed) now also by the manager.
    let money = t.join("b/metrics/m4mony.ron");
    let text = fs::read_to_string(&money).unwrap();
    fs::write(
        &money,
        text.replace("\"s4emgr\",", "\"s4emgr\",\n            \"j3adev\","),
    )
    .unwrap();
    let health = t.join("b/metrics/m1hlth.ron");
    let text = fs::read_to_string(&health).unwrap();
    assert!(text.contains("\"a2pdev\","), "{text}");
    fs::write(
        &health,
        text.replace("\"a2pdev\",", "\"a2pdev\",\n            \"s4emgr\","),
    )
    .unwrap();
    let minutes = t.join("b/metrics/m2mins.ron");
    let text = fs::read_to_string(&minutes).unwrap();
    fs::write(&minutes, text.replace("* 43200", "* 43800")).unwrap();
    ok(t, &["check", "b", "--no-coverage"]);
    let d = ok(t, &["diff", "a", "b"]);
    for line in [
        "  + Search\n      since: 2026-10-01\n",
        "  ~ Catalogue · Deploy a service (2026-10-05)\n      state: ◐ trialling → ● adopted\n      mandated: (none) → yes\n",
        "  ~ Clusters healthy",
        "      + personas: \"Engineering manager\"\n",
        "      + personas: \"Application developer\"\n",
        "      formula: (uptime - 99.82) / 100 * 43200 → (uptime - 99.82) / 100 * 43800\n",
    ] {
        assert!(d.contains(line), "{line:?} not in\n{d}");
    }
}

/// `team since` moves the day a team starts to count: the rates before it
/// leave the team out, a record dated before it is a warning, the same day
/// again writes nothing, and a bad date or an unknown team is an error.
#[test]
fn team_since_moves_the_day_a_team_counts_from() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    workspace(t);
    ok(t, &["fmt", "ws"]);
    for team in ["Checkout", "Payments"] {
        ok(t, &["team", "add", "ws", team, "--since", "2026-01-01"]);
    }
    let adopt = |team: &str, date: &str| {
        ok(
            t,
            &["adopt", "ws", team, "deploy", "adopted", "--date", date],
        );
    };
    adopt("Checkout", "2026-01-05");
    adopt("Payments", "2026-02-02");
    assert_eq!(
        json_rates(t, "deploy")[0],
        d("2026-01-05", 2, 1, 1, 50.0, 50.0)
    );
    let out = ok(t, &["team", "since", "ws", "pay", "2026-01-20"]);
    assert!(
        out.contains("Payments counts in the adoption rates from 2026-01-20 (it counted from 2026-01-01, its since date)"),
        "{out}"
    );
    assert!(!out.contains("warning"), "{out}");
    // On 01-05 Payments was not a team yet.
    let rates = json_rates(t, "deploy");
    assert_eq!(rates[0], d("2026-01-05", 1, 1, 1, 100.0, 100.0));
    assert_eq!(rates[1], d("2026-01-20", 2, 1, 1, 50.0, 50.0));
    // Checkout's record of 01-05 is before its new day.
    let out = ok(t, &["team", "since", "ws", "Checkout", "2026-01-10"]);
    assert!(
        out.contains("warning: 1 of its records is dated before 2026-01-10: the rates leave it out until then"),
        "{out}"
    );
    let ws = Store::open(&t.join("ws")).unwrap().1;
    let checkout = team_id(&ws, "Checkout");
    let file = t.join(format!("ws/teams/{checkout}.ron"));
    let written = fs::read(&file).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("since: \"2026-01-10\""));
    let out = ok(t, &["team", "since", "ws", "Checkout", "2026-01-10"]);
    assert!(out.contains("already; nothing was written"), "{out}");
    assert_eq!(fs::read(&file).unwrap(), written);
    let e = fails(t, &["team", "since", "ws", "Checkout", "2026-13-01"]);
    assert!(e.contains("is not a date: use YYYY-MM-DD"), "{e}");
    let e = fails(t, &["team", "since", "ws", "Nobody", "2026-01-01"]);
    assert!(e.contains("no team matches \"Nobody\""), "{e}");
    ok(t, &["fmt", "ws", "--check"]);
}
