//! Teams and adoption records in git and in search: two branches that each
//! add a team and record adoptions (headless, with `valuemap team add` and
//! `valuemap adopt`) merge cleanly, with and without the merge driver; the
//! merged workspace checks clean, its rates count both branches' teams,
//! `diff` names what came in; the driver merges edits of one team or one
//! metric field by field; two records of one day are reported and
//! settled; and search finds a team, an adoption record and a formula.

mod support;

use support::*;
use valuemap::model::{Id, Target};
use valuemap::store::Store;

#[path = "support/git.rs"]
mod git;

use git::{Repo, git_available};

/// The platform capability "Deploy a service" in the kubernetes-platform
/// template.
const DEPLOY: &str = "pk5dpy";

#[test]
fn teams_and_adoption_added_on_two_branches_merge() {
    if !git_available("teams_and_adoption_added_on_two_branches_merge") {
        return;
    }
    for driver in [false, true] {
        let r = Repo::new();
        r.vm_ok(&["new", "ws"]);
        if driver {
            r.vm_ok(&["git-setup", "ws"]);
        }
        r.commit_all("A workspace from the template");
        let before = Store::open(&r.ws()).unwrap().1;
        let (teams, records) = (before.items.teams.len(), before.items.adoptions.len());

        r.git_ok(&["checkout", "--quiet", "-b", "a", "main"]);
        r.vm_ok(&[
            "team",
            "add",
            "ws",
            "Search",
            "--size",
            "4",
            "--since",
            "2026-10-01",
        ]);
        r.vm_ok(&[
            "adopt",
            "ws",
            "Search",
            "deploy a service",
            "adopted",
            "--date",
            "2026-11-02",
        ]);
        r.commit_all("a: the search team adopts the golden path");

        r.git_ok(&["checkout", "--quiet", "-b", "b", "main"]);
        r.vm_ok(&[
            "team",
            "add",
            "ws",
            "Ads",
            "--size",
            "3",
            "--since",
            "2026-10-01",
        ]);
        r.vm_ok(&[
            "adopt",
            "ws",
            "Ads",
            "deploy a service",
            "trialling",
            "--mandated",
            "--date",
            "2026-11-03",
        ]);
        r.commit_all("b: the ads team is told to try it");

        r.git_ok(&["checkout", "--quiet", "a"]);
        let m = r.git(&["merge", "--no-edit", "b"]);
        assert_eq!(m.code, Some(0), "driver {driver}: not a clean merge: {m:?}");
        let ws = Store::open(&r.ws()).unwrap().1;
        assert_eq!(ws.items.teams.len(), teams + 2);
        assert_eq!(ws.items.adoptions.len(), records + 2);
        assert!(ws.conflicts.is_empty(), "{:?}", ws.conflicts);
        // Both branches' teams count: 5 teams, 3 of them adopted on
        // 2026-11-03 (Checkout and Payments from the template, Search);
        // Payments was mandated, so 2 by free choice.
        let rates = ws.adoption_rates(
            &Target::Capability(Id::new(DEPLOY)),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
        );
        assert_eq!(
            (rates.teams, rates.adopted, rates.voluntary, rates.trialling),
            (5, 3, 2, 2),
            "{rates:?}"
        );
        r.vm_ok(&["check", "ws", "--no-coverage"]);
        let d = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws"]);
        assert!(d.stdout.contains("Teams"), "{d:?}");
        assert!(d.stdout.contains("Ads"), "{d:?}");
        assert!(d.stdout.contains("Adoption"), "{d:?}");
    }
}

/// Two branches record the same team, capability and day (one adopted,
/// one trialling and mandated): git merges the two files cleanly, `check`
/// names the duplicate with its file:line and which record the rates take,
/// and `adopt` on that day settles it to one record.
#[test]
fn the_same_day_recorded_on_two_branches_is_reported_and_settled() {
    if !git_available("the_same_day_recorded_on_two_branches_is_reported_and_settled") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    r.vm_ok(&["git-setup", "ws"]);
    r.commit_all("A workspace from the template");
    let records = Store::open(&r.ws()).unwrap().1.items.adoptions.len();
    let day = ["--date", "2026-11-16"];
    r.git_ok(&["checkout", "--quiet", "-b", "a", "main"]);
    let mut args = vec!["adopt", "ws", "Catalogue", "deploy a service", "adopted"];
    args.extend(day);
    r.vm_ok(&args);
    r.commit_all("a: Catalogue adopted the golden path");
    r.git_ok(&["checkout", "--quiet", "-b", "b", "main"]);
    let mut args = vec![
        "adopt",
        "ws",
        "Catalogue",
        "deploy a service",
        "trialling",
        "--mandated",
    ];
    args.extend(day);
    r.vm_ok(&args);
    r.commit_all("b: Catalogue was told to try it");
    r.git_ok(&["checkout", "--quiet", "a"]);
    let m = r.git(&["merge", "--no-edit", "b"]);
    assert_eq!(m.code, Some(0), "{m:?}");

    let ws = Store::open(&r.ws()).unwrap().1;
    assert_eq!(ws.items.adoptions.len(), records + 2);
    let dups = ws.duplicate_adoptions();
    assert_eq!(dups.len(), 1, "{dups:?}");
    let (first, kept) = (dups[0][0].id.clone(), dups[0][1].id.clone());
    let check = r.vm(&["check", "ws", "--no-coverage"]);
    assert_eq!(check.code, Some(0), "a warning: {check:?}");
    let line = check
        .stdout
        .lines()
        .find(|l| l.contains(": warning: adoption record"))
        .unwrap_or_else(|| panic!("{check:?}"));
    let file = std::path::Path::new("ws/adoption").join(format!("{first}.ron"));
    assert!(line.starts_with(&format!("{}:", file.display())), "{line}");
    // The line number is the record's `date:` line.
    let text = std::fs::read_to_string(r.ws().join(format!("adoption/{first}.ron"))).unwrap();
    let n = text
        .lines()
        .position(|l| l.trim_start().starts_with("date:"))
        .unwrap()
        + 1;
    assert!(line.contains(&format!(".ron:{n}: warning")), "{line}");
    assert!(
        line.contains("records Catalogue with Deploy a service on 2026-11-16"),
        "{line}"
    );
    assert!(
        line.contains(&format!("the rates take record {kept}'s")),
        "{line}"
    );

    let mut args = vec!["adopt", "ws", "Catalogue", "deploy a service", "adopted"];
    args.extend(day);
    let out = r.vm_ok(&args);
    assert!(
        out.stdout
            .contains("(replaces the 2 records of that day, left by a merge:"),
        "{out:?}"
    );
    let ws = Store::open(&r.ws()).unwrap().1;
    assert_eq!(ws.items.adoptions.len(), records + 1);
    assert!(ws.duplicate_adoptions().is_empty());
    let check = r.vm_ok(&["check", "ws", "--no-coverage"]);
    assert!(!check.stdout.contains("adoption record"), "{check:?}");
}

fn edit_ws(path: &std::path::Path, f: impl FnOnce(&mut valuemap::model::Workspace)) {
    let (mut store, mut ws, _) = Store::open(path).unwrap();
    f(&mut ws);
    ws.normalize();
    store
        .save(&ws, &valuemap::store::Scope::All, false)
        .unwrap();
}

/// With the merge driver, two branches' edits of different fields of one
/// team and of one metric merge into both: a team's size and its since
/// date; a metric's personas and its formula.
#[test]
fn edits_of_one_team_and_one_metric_on_two_branches_merge_field_by_field() {
    if !git_available("edits_of_one_team_and_one_metric_on_two_branches_merge_field_by_field") {
        return;
    }
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    r.vm_ok(&["git-setup", "ws"]);
    r.commit_all("A workspace from the template");
    let (catalogue, money) = (Id::new("tmctlg"), Id::new("m4mony"));
    r.git_ok(&["checkout", "--quiet", "-b", "a", "main"]);
    edit_ws(&r.ws(), |ws| {
        ws.items.teams.get_mut(&catalogue).unwrap().size = Some(8);
        let m = ws.metrics.iter_mut().find(|m| m.id == money).unwrap();
        m.personas.push(Id::new("j3adev"));
    });
    r.commit_all("a: Catalogue grew; developers watch the money too");
    r.git_ok(&["checkout", "--quiet", "-b", "b", "main"]);
    edit_ws(&r.ws(), |ws| {
        ws.items.teams.get_mut(&catalogue).unwrap().since = Some(d("2026-06-15"));
        let m = ws.metrics.iter_mut().find(|m| m.id == money).unwrap();
        m.formula = Some("availability_minutes_gained * cost_per_minute_of_downtime / 1000".into());
    });
    r.commit_all("b: Catalogue is older; the money in thousands");
    r.git_ok(&["checkout", "--quiet", "a"]);
    let m = r.git(&["merge", "--no-edit", "b"]);
    assert_eq!(m.code, Some(0), "not a clean merge: {m:?}");
    let ws = Store::open(&r.ws()).unwrap().1;
    assert!(ws.conflicts.is_empty(), "{:?}", ws.conflicts);
    let t = &ws.items.teams[&catalogue];
    assert_eq!((t.size, t.since), (Some(8), Some(d("2026-06-15"))));
    let m = ws.metric(&money).unwrap();
    assert_eq!(m.personas, [Id::new("s4emgr"), Id::new("j3adev")]);
    assert_eq!(
        m.formula.as_deref(),
        Some("availability_minutes_gained * cost_per_minute_of_downtime / 1000")
    );
    r.vm_ok(&["check", "ws", "--no-coverage"]);
}

/// `/` finds a team by a word of its name.
#[test]
fn search_finds_a_team() {
    let mut a = app();
    keys(&mut a, "/catalogue");
    while a.busy() {
        a.tick();
    }
    let s = a
        .layer::<valuemap::tui::popups::search::Search>()
        .expect("the search is open");
    assert!(
        s.session.hits.iter().any(|h| h.target
            == valuemap::model::EntityRef::Item(valuemap::model::Kind::Team, Id::new("tmctlg"))),
        "{:?}",
        s.session.hits
    );
}

/// `/` finds an adoption record by its comment, and Enter shows its cell
/// in the adoption view (the team's row, the capability's column).
#[test]
fn search_finds_an_adoption_record_and_shows_its_cell() {
    let mut a = app();
    keys(&mut a, "/GPU node pools");
    while a.busy() {
        a.tick();
    }
    let s = a
        .layer::<valuemap::tui::popups::search::Search>()
        .expect("the search is open");
    let hit = valuemap::model::EntityRef::Item(valuemap::model::Kind::Adoption, Id::new("ad6ctl"));
    assert_eq!(
        s.session.hits.first().map(|h| &h.target),
        Some(&hit),
        "{:?}",
        s.session.hits
    );
    keys(&mut a, "<Enter>");
    assert_eq!(a.views.current, valuemap::tui::state::View::Adoption);
    assert_eq!(
        a.views.adoption.team(&a.ws).map(|t| t.name.as_str()),
        Some("Catalogue")
    );
    assert_eq!(
        a.views.adoption.target(&a.ws),
        Some(Target::Capability(Id::new(DEPLOY)))
    );
}

/// A derived metric is found by a word of its formula.
#[test]
fn search_finds_a_metric_by_its_formula() {
    let mut a = app();
    keys(&mut a, "/cost_per_minute_of_downtime");
    while a.busy() {
        a.tick();
    }
    let s = a
        .layer::<valuemap::tui::popups::search::Search>()
        .expect("the search is open");
    assert!(
        s.session
            .hits
            .iter()
            .any(|h| h.target == valuemap::model::EntityRef::Metric(Id::new("m4mony"))),
        "{:?}",
        s.session.hits
    );
}
