//! `valuemap log`: the workspace's history from real git repositories,
//! across merges, a moved workspace folder, a settled conflict and a
//! shallow clone, commit by commit and as one entity's timeline.
//!
//! Without `git` the tests print a notice and pass, unless
//! `VALUEMAP_REQUIRE_GIT=1` is set (as in CI).

use std::fs;

use valuemap::model::Horizon;

#[path = "support/git.rs"]
mod git;
#[path = "support/history.rs"]
mod history;

use git::{Repo, git_available};
use history::{cell, commit_at, edit, head, rev};

// Ids of the kubernetes-platform template.
const PLATFORM_DEVELOPER: &str = "a2pdev";
const OPERATE_A_CLUSTER: &str = "75pcsr";
const API_WARNINGS: &str = "c4dprw";

/// Four weeks of discovery: a start, a re-rating, a branch that moves an
/// opportunity merged back, an observation, the folder moved, and a
/// re-rating after the move. Returns the commits by name.
fn weeks() -> (Repo, Vec<(&'static str, String)>) {
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    let mut ids = vec![(
        "start",
        commit_at(&r, "2026-03-02", "Start from the template"),
    )];
    edit(&r.ws(), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).satisfaction = Some(4);
    });
    ids.push((
        "rate",
        commit_at(&r, "2026-03-05", "Satisfaction up after the SRE interviews"),
    ));
    r.git_ok(&["checkout", "--quiet", "-b", "roadmap"]);
    edit(&r.ws(), |ws| {
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id.as_str() == API_WARNINGS)
            .unwrap();
        o.horizon = Some(Horizon::Next);
    });
    ids.push((
        "side",
        commit_at(&r, "2026-03-09", "API warnings wait for next quarter"),
    ));
    r.git_ok(&["checkout", "--quiet", "main"]);
    r.vm_ok(&[
        "metric",
        "observe",
        "ws",
        "Uptime",
        "99.96",
        "--date",
        "2026-03-10",
    ]);
    ids.push(("observe", commit_at(&r, "2026-03-10", "March uptime")));
    let m = history::git_at(
        &r.root,
        &r.root,
        "2026-03-12",
        &[
            "merge",
            "--no-ff",
            "--quiet",
            "-m",
            "Merge the roadmap review",
            "roadmap",
        ],
    );
    assert_eq!(m.code, Some(0), "{m:?}");
    ids.push(("merge", head(&r)));
    r.git_ok(&["mv", "ws", "discovery"]);
    ids.push((
        "move",
        commit_at(&r, "2026-03-16", "The workspace is called discovery now"),
    ));
    edit(&r.root.join("discovery"), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).importance = Some(4);
    });
    ids.push((
        "rerate",
        commit_at(&r, "2026-03-20", "Importance down: on-call is calmer"),
    ));
    (r, ids)
}

fn short(id: &str) -> &str {
    &id[..8]
}

fn id<'a>(ids: &'a [(&str, String)], name: &str) -> &'a str {
    &ids.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn the_log_reads_commit_by_commit_across_a_merge_and_a_move() {
    if !git_available("the_log_reads_commit_by_commit_across_a_merge_and_a_move") {
        return;
    }
    let (r, ids) = weeks();
    let out = r.vm_ok(&["log", "discovery"]).stdout;
    // Every commit, newest first, as `git log` lists them.
    let heads: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("commit "))
        .map(|l| &l[..8])
        .collect();
    let want: Vec<&str> = [
        "rerate", "move", "merge", "side", "observe", "rate", "start",
    ]
    .iter()
    .map(|n| short(id(&ids, n)))
    .collect();
    assert_eq!(heads, want, "{out}");
    let section = |name: &str| -> String {
        let start = out
            .find(&format!("commit {}", short(id(&ids, name))))
            .unwrap();
        let rest = &out[start + 7..];
        let end = rest.find("\ncommit ").map_or(rest.len(), |e| e + 1);
        rest[..end].to_string()
    };
    assert!(
        section("start").contains("the workspace begins: 6 notes added"),
        "{out}"
    );
    assert!(
        section("rate").contains("Platform developer × Operate a cluster (score 7 → 6)"),
        "{}",
        section("rate")
    );
    assert!(
        section("rate").contains("satisfaction: 3 → 4"),
        "{}",
        section("rate")
    );
    assert!(
        section("side").contains("horizon: Now → Next"),
        "{}",
        section("side")
    );
    assert!(section("observe").contains("+ observation 2026-03-10: 99.96%"));
    // The merge brought the branch in and changed nothing itself.
    let merge = section("merge");
    assert!(merge.contains("(merge)"), "{merge}");
    assert!(merge.contains("no changes of its own"), "{merge}");
    assert!(!merge.contains("horizon"), "{merge}");
    // The move is followed, and changes nothing in discovery terms.
    let moved = section("move");
    assert!(
        moved.contains("moved the workspace from ws to discovery"),
        "{moved}"
    );
    assert!(!moved.contains("added"), "{moved}");
    assert!(section("rerate").contains("importance: 5 → 4"));

    // --since a revision: what came after it.
    let since = r
        .vm_ok(&["log", "discovery", "--since", id(&ids, "merge")])
        .stdout;
    let n = since.lines().filter(|l| l.starts_with("commit ")).count();
    assert_eq!(n, 2, "{since}");
    // --since a date.
    let since = r
        .vm_ok(&["log", "discovery", "--since", "2026-03-10"])
        .stdout;
    let n = since.lines().filter(|l| l.starts_with("commit ")).count();
    assert_eq!(
        n, 4,
        "observe, merge, move, rerate (the branch's commit of the 9th is older): {since}"
    );
    // Nothing readable as either.
    let bad = r.vm(&["log", "discovery", "--since", "last tuesday"]);
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("neither a revision"), "{bad:?}");
}

#[test]
fn timelines_follow_one_entity_across_the_merge_and_the_move() {
    if !git_available("timelines_follow_one_entity_across_the_merge_and_the_move") {
        return;
    }
    let (r, ids) = weeks();
    let by_ids = r.vm_ok(&[
        "log",
        "discovery",
        "--entity",
        &format!("{PLATFORM_DEVELOPER}/{OPERATE_A_CLUSTER}"),
    ]);
    let by_names = r.vm_ok(&["log", "discovery", "-e", "platform/operate a cluster"]);
    assert_eq!(by_ids.stdout, by_names.stdout);
    let out = by_ids.stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Timeline of perspective of persona \"Platform developer\" on activity \"Operate a cluster\"",
        "{out}"
    );
    let rows: Vec<&str> = lines.iter().skip(1).copied().collect();
    assert_eq!(
        rows,
        [
            format!(
                "  2026-03-02 {} valuemap test — Start from the template",
                short(id(&ids, "start"))
            )
            .as_str(),
            "      created: importance 5, satisfaction 3, score 7",
            format!(
                "  2026-03-05 {} valuemap test — Satisfaction up after the SRE interviews",
                short(id(&ids, "rate"))
            )
            .as_str(),
            "      satisfaction 3 → 4, score 7 → 6",
            format!(
                "  2026-03-20 {} valuemap test — Importance down: on-call is calmer",
                short(id(&ids, "rerate"))
            )
            .as_str(),
            "      importance 5 → 4, score 6 → 4",
        ],
        "{out}"
    );

    // An opportunity: the branch's commit moved it, the merge did not.
    let opp = r
        .vm_ok(&["log", "discovery", "--entity", API_WARNINGS])
        .stdout;
    assert!(opp.contains(short(id(&ids, "side"))), "{opp}");
    assert!(opp.contains("horizon Now → Next"), "{opp}");
    assert!(!opp.contains(short(id(&ids, "merge"))), "{opp}");
    // A metric's target and latest value.
    let metric = r.vm_ok(&["log", "discovery", "-e", "uptime"]).stdout;
    assert!(
        metric.contains("created: target 99.95% (higher is better)"),
        "{metric}"
    );
    assert!(
        metric.contains("March uptime\n      observations 5 → 6"),
        "{metric}"
    );

    // What is not committed yet is the last row.
    edit(&r.root.join("discovery"), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).satisfaction = Some(5);
    });
    let now = r
        .vm_ok(&["log", "discovery", "-e", "platform/operate a cluster"])
        .stdout;
    assert!(
        now.ends_with("  now (not committed)\n      satisfaction 4 → 5\n"),
        "{now}"
    );

    // Unknown and ambiguous names are refused with what there is.
    let unknown = r.vm(&["log", "discovery", "-e", "nothing like this"]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown
            .stderr
            .contains("nothing in the workspace is called"),
        "{unknown:?}"
    );
    let many = r.vm(&["log", "discovery", "-e", "create"]);
    assert_eq!(many.code, Some(1));
    assert!(many.stderr.contains("names several things"), "{many:?}");
}

#[test]
fn a_conflict_settled_in_a_merge_is_the_merges_own_change() {
    if !git_available("a_conflict_settled_in_a_merge_is_the_merges_own_change") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    commit_at(&r, "2026-04-01", "Start");
    r.git_ok(&["checkout", "--quiet", "-b", "other"]);
    edit(&r.ws(), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).importance = Some(2);
    });
    let theirs = commit_at(&r, "2026-04-02", "Two says it matters less");
    r.git_ok(&["checkout", "--quiet", "main"]);
    edit(&r.ws(), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).importance = Some(3);
    });
    let ours = commit_at(&r, "2026-04-03", "Three says it matters somewhat");
    // git's line merge conflicts on the same line; the team settles on 4.
    let m = r.git(&["merge", "--quiet", "other"]);
    assert_ne!(m.code, Some(0), "{m:?}");
    r.git_ok(&["checkout", "--ours", "ws/workspace.ron"]);
    edit(&r.ws(), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).importance = Some(4);
    });
    let merge = commit_at(&r, "2026-04-04", "Settle on four");
    assert_eq!(rev(&r, "HEAD^2"), theirs);
    let out = r.vm_ok(&["log", "ws"]).stdout;
    let at = out.find(&format!("commit {}", short(&merge))).unwrap();
    let merge_part = &out[at..out[at..]
        .find(&format!("commit {}", short(&ours)))
        .map_or(out.len(), |e| at + e)];
    assert!(
        merge_part.contains("the changes it made itself"),
        "{merge_part}"
    );
    assert!(merge_part.contains("importance: 3 → 4"), "{merge_part}");
    let t = r
        .vm_ok(&["log", "ws", "-e", "platform/operate a cluster"])
        .stdout;
    for (c, what) in [
        (&theirs, "importance 5 → 2"),
        (&ours, "importance 5 → 3"),
        (&merge, "importance 3 → 4"),
    ] {
        assert!(t.contains(short(c)), "{t}");
        assert!(t.contains(what), "{what}: {t}");
    }
}

#[test]
fn a_shallow_clone_says_how_far_back_it_could_see() {
    if !git_available("a_shallow_clone_says_how_far_back_it_could_see") {
        return;
    }
    let (r, ids) = weeks();
    let url = format!("file://{}", r.root.display());
    // The clone sits inside the test's folder (its own repository).
    let c = history::git_at(
        &r.root,
        &r.root,
        "2026-03-21",
        &["clone", "--quiet", "--depth", "2", &url, "shallow"],
    );
    assert_eq!(c.code, Some(0), "{c:?}");
    let out = r.vm_in("shallow", &["log", "discovery"]).stdout;
    assert!(out.contains(short(id(&ids, "rerate"))), "{out}");
    assert!(
        out.contains("the oldest commit in this shallow clone"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "this is a shallow clone: history could be read back to commit {} of 2026-03-16",
            short(id(&ids, "move"))
        )),
        "{out}"
    );
    assert!(!out.contains(short(id(&ids, "start"))), "{out}");
    let t = r
        .vm_in(
            "shallow",
            &["log", "discovery", "-e", "platform/operate a cluster"],
        )
        .stdout;
    assert!(
        t.contains("as first seen: importance 5, satisfaction 4, score 6"),
        "{t}"
    );
    assert!(t.contains("importance 5 → 4"), "{t}");
    assert!(t.contains("shallow clone"), "{t}");
}

#[test]
fn outside_git_the_log_says_so() {
    if !git_available("outside_git_the_log_says_so") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    fs::remove_dir_all(r.root.join(".git")).unwrap();
    let out = r.vm(&["log", "ws"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr
            .contains("ws is not in a git repository, so there is no history to read"),
        "{out:?}"
    );
    // A repository without a commit yet.
    r.git_ok(&["init", "--quiet"]);
    let out = r.vm(&["log", "ws", "-e", "uptime"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("has no commit yet"), "{out:?}");
}
