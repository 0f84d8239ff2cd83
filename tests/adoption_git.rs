//! Teams and adoption records in git and in search: two branches that each
//! add a team and record adoptions (headless, with `valuemap team add` and
//! `valuemap adopt`) merge cleanly, with and without the merge driver; the
//! merged workspace checks clean, its rates count both branches' teams,
//! `diff` names what came in, and search finds a team by its name.

mod support;

use support::*;
use valuemap::model::{Id, Target};
use valuemap::store::Store;

#[path = "support/git.rs"]
mod git;

use git::{Repo, git_available};

/// "Create a deployment" in the kubernetes-platform template.
const DEPLOYMENT: &str = "j3dpmy";

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
            "create a deployment",
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
            "create a deployment",
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
            &Target::Activity(Id::new(DEPLOYMENT)),
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
