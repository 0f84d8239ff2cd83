//! `valuemap check --policy`: each rule of `policy.ron` failing and then
//! passing on the kubernetes-platform template, in real git repositories,
//! as plain text and as GitHub Actions annotations.

use std::fs;
use std::process::Command;

use valuemap::model::Status;

#[path = "support/git.rs"]
mod git;
#[path = "support/history.rs"]
mod history;

use git::{BIN, Repo, git_available, isolate, run};
use history::{cell, commit_at, edit};

// Ids of the kubernetes-platform template.
const API_WARNINGS: &str = "c4dprw";
const SELF_SERVICE: &str = "93ssvc";
const UPTIME: &str = "72uptm";
const PLATFORM_DEVELOPER: &str = "a2pdev";
const OPERATE_A_CLUSTER: &str = "75pcsr";

fn repo(policy: &str) -> Repo {
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    fs::write(r.ws().join("policy.ron"), policy).unwrap();
    r
}

/// `check --policy` (without the coverage report): exit code and output.
fn gate(r: &Repo, more: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "ws", "--policy", "--no-coverage"];
    args.extend(more);
    let out = r.vm(&args);
    (out.code, out.stdout)
}

fn violations(out: &str, rule: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.ends_with(&format!("[{rule}]")))
        .map(String::from)
        .collect()
}

/// The 1-based line of `needle` in a workspace file.
fn line_of(r: &Repo, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(r.ws().join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn new_writes_a_commented_policy_with_every_rule_off() {
    if !git_available("new_writes_a_commented_policy_with_every_rule_off") {
        return;
    }
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    let text = fs::read_to_string(r.ws().join("policy.ron")).unwrap();
    for rule in [
        "now_needs",
        "delivered_needs_observation",
        "rating_change_needs_note",
        "max_blind_spots_per_phase",
        "now_needs_both_roles",
    ] {
        assert!(text.contains(&format!("    // {rule}: ")), "{rule}: {text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(r.ws().join("policy.ron"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("every rule is off"), "{out}");
    assert!(out.ends_with("policy: ws/policy.ron holds\n"), "{out}");
    // fmt --check and check are not disturbed by the file.
    r.vm_ok(&["fmt", "ws", "--check"]);
    // Without a policy there is nothing to break.
    fs::remove_file(r.ws().join("policy.ron")).unwrap();
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warning: no policy.ron in ws"), "{out}");
}

#[test]
fn now_needs_interviewees_and_metrics() {
    if !git_available("now_needs_interviewees_and_metrics") {
        return;
    }
    let r = repo("(now_needs: (interviewees: 2, metrics: 1))");
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(1), "{out}");
    let line = line_of(
        &r,
        &format!("opportunities/{API_WARNINGS}.ron"),
        &format!("id: \"{API_WARNINGS}\""),
    );
    assert_eq!(
        violations(&out, "now_needs"),
        [format!(
            "ws/opportunities/{API_WARNINGS}.ron:{line}: error: opportunity \"Warn about removed APIs before a cluster upgrade\" is in Now with 0 metrics linked to it (at least 1 wanted) [now_needs]"
        )],
        "{out}"
    );
    assert!(
        out.ends_with("policy: 1 violation(s) of ws/policy.ron\n"),
        "{out}"
    );
    // Three interviewees are more than either opportunity in Now has.
    fs::write(r.ws().join("policy.ron"), "(now_needs: (interviewees: 3))").unwrap();
    let (_, out) = gate(&r, &[]);
    assert_eq!(violations(&out, "now_needs").len(), 2, "{out}");
    assert!(
        out.contains("evidence from 2 interviewees (at least 3 wanted)"),
        "{out}"
    );
    // A metric for the API warnings fixes the first policy.
    fs::write(
        r.ws().join("policy.ron"),
        "(now_needs: (interviewees: 2, metrics: 1))",
    )
    .unwrap();
    edit(&r.ws(), |ws| {
        let m = ws
            .metrics
            .iter_mut()
            .find(|m| m.id.as_str() == UPTIME)
            .unwrap();
        m.opportunity = Some(API_WARNINGS.into());
    });
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.ends_with("policy: ws/policy.ron holds\n"), "{out}");
}

#[test]
fn delivered_needs_an_observation_after_its_delivery() {
    if !git_available("delivered_needs_an_observation_after_its_delivery") {
        return;
    }
    let r = repo("(delivered_needs_observation: true)");
    // Delivered with no date: an observation of its metric is enough.
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
    edit(&r.ws(), |ws| {
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id.as_str() == SELF_SERVICE)
            .unwrap();
        o.delivered = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    });
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(1), "{out}");
    let v = violations(&out, "delivered_needs_observation");
    assert_eq!(v.len(), 1, "{out}");
    assert!(
        v[0].contains("was delivered on 2026-11-01 and no observation of \"Time to first cluster\" is dated after that"),
        "{out}"
    );
    r.vm_ok(&[
        "metric",
        "observe",
        "ws",
        "Time to first",
        "3.5",
        "--date",
        "2026-11-15",
    ]);
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
    // Delivered with no metric at all.
    edit(&r.ws(), |ws| {
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id.as_str() == API_WARNINGS)
            .unwrap();
        o.status = Status::Delivered;
    });
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("is delivered but no metric is linked to it"),
        "{out}"
    );
}

#[test]
fn a_rating_changes_only_with_a_note_dated_after_the_base() {
    if !git_available("a_rating_changes_only_with_a_note_dated_after_the_base") {
        return;
    }
    let r = repo("(rating_change_needs_note: true)");
    commit_at(&r, "2026-12-07", "Start");
    r.git_ok(&["checkout", "--quiet", "-b", "rerate"]);
    edit(&r.ws(), |ws| {
        cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).satisfaction = Some(5);
    });
    commit_at(&r, "2026-12-09", "Satisfied now");
    let (code, out) = gate(&r, &["--base", "main"]);
    assert_eq!(code, Some(1), "{out}");
    let line = {
        let text = fs::read_to_string(r.ws().join("workspace.ron")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        lines
            .windows(2)
            .position(|w| {
                w[0].trim() == format!("persona: \"{PLATFORM_DEVELOPER}\",")
                    && w[1].trim() == format!("activity: \"{OPERATE_A_CLUSTER}\",")
            })
            .unwrap()
            + 1
    };
    let v = violations(&out, "rating_change_needs_note");
    assert_eq!(
        v,
        [format!(
            "ws/workspace.ron:{line}: error: the rating of perspective of persona \"Platform developer\" on activity \"Operate a cluster\" changed (i5 s3 → i5 s5) since main ({}) without an interview note on that cell dated 2026-12-07 or later [rating_change_needs_note]",
            &history::rev(&r, "main")[..8]
        )],
        "{out}"
    );
    // A note from before the base does not count; one from after does.
    let note = |date: &str| {
        r.vm_ok(&[
            "note",
            "add",
            "ws",
            "-p",
            "platform",
            "-a",
            "operate a cluster",
            "-i",
            "Kenji",
            "-d",
            date,
            "On-call is calm now",
        ]);
    };
    note("2026-12-01");
    commit_at(&r, "2026-12-10", "An old interview, captured late");
    let (code, _) = gate(&r, &["--base", "main"]);
    assert_eq!(code, Some(1));
    note("2026-12-08");
    commit_at(&r, "2026-12-10", "The interview behind the rating");
    let (code, out) = gate(&r, &["--base", "main"]);
    assert_eq!(code, Some(0), "{out}");

    // In a pull request's workflow the base comes from GITHUB_BASE_REF.
    fs::remove_dir_all(r.ws().join("notes")).unwrap();
    r.vm_ok(&["new", "fresh"]);
    fs::rename(r.root.join("fresh/notes"), r.ws().join("notes")).unwrap();
    let mut c = Command::new(BIN);
    c.args(["check", "ws", "--policy", "--no-coverage"]);
    isolate(&mut c, &r.root, &r.root);
    c.env("GITHUB_BASE_REF", "main");
    let out = run(c);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stdout.contains("since main ("), "{out:?}");
    // A base that does not exist is an error, not a pass.
    let (code, _) = gate(&r, &["--base", "no-such-branch"]);
    assert_eq!(code, Some(1));
}

#[test]
fn blind_spots_per_phase_and_both_roles_heard() {
    if !git_available("blind_spots_per_phase_and_both_roles_heard") {
        return;
    }
    // Open questions of the template's notes count as blind spots too.
    let r = repo("(max_blind_spots_per_phase: 11)");
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(1), "{out}");
    let v = violations(&out, "max_blind_spots_per_phase");
    assert_eq!(v.len(), 1, "{out}");
    assert!(
        v[0].contains("phase \"Operation\" has 19 blind spots (at most 11 allowed)"),
        "{out}"
    );
    let line = line_of(&r, "workspace.ron", "id: \"jh3run\"");
    assert!(
        v[0].starts_with(&format!("ws/workspace.ron:{line}: error:")),
        "{out}"
    );
    fs::write(r.ws().join("policy.ron"), "(max_blind_spots_per_phase: 19)").unwrap();
    assert_eq!(gate(&r, &[]).0, Some(0));

    fs::write(r.ws().join("policy.ron"), "(now_needs_both_roles: true)").unwrap();
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(1), "{out}");
    let v = violations(&out, "now_needs_both_roles");
    assert_eq!(v.len(), 3, "{out}");
    assert!(
        v[0].contains("activity \"Create a cluster\" has an opportunity in Now (\"Self-service cluster creation from a GitOps template\") but no customer was heard on it"),
        "{out}"
    );
    // The engineering manager is heard on all three.
    for a in [
        "create a cluster",
        "create a deployment",
        "upgrade a cluster",
    ] {
        r.vm_ok(&[
            "note",
            "add",
            "ws",
            "-p",
            "engineering",
            "-a",
            a,
            "-i",
            "Dana (VP Eng)",
            "-d",
            "2026-11-20",
            "Budget view",
        ]);
    }
    let (code, out) = gate(&r, &[]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn github_annotations_carry_file_line_and_escaped_text() {
    if !git_available("github_annotations_carry_file_line_and_escaped_text") {
        return;
    }
    let r = repo("(now_needs: (metrics: 1))");
    edit(&r.ws(), |ws| {
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id.as_str() == API_WARNINGS)
            .unwrap();
        o.title = "50% fewer surprises, really: yes".into();
    });
    let out = r.vm(&["check", "ws", "--policy", "--format", "github"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    let line = line_of(
        &r,
        &format!("opportunities/{API_WARNINGS}.ron"),
        &format!("id: \"{API_WARNINGS}\""),
    );
    let want = format!(
        "::error file=ws/opportunities/{API_WARNINGS}.ron,line={line},title=policy%3A now_needs::opportunity \"50%25 fewer surprises, really: yes\" is in Now with 0 metrics linked to it (at least 1 wanted) [now_needs]"
    );
    assert!(out.stdout.lines().any(|l| l == want), "{want}\n{out:?}");
    // The workspace's own findings are annotations too, with their line.
    let warn = format!(
        "::warning file=ws/opportunities/x9rphn.ron,line={},title=valuemap check::",
        line_of(&r, "opportunities/x9rphn.ron", "id: \"x9rphn\"")
    );
    assert!(
        out.stdout.lines().any(|l| l.starts_with(&warn)),
        "{warn}\n{out:?}"
    );
    assert!(
        out.stdout.contains("::notice title=valuemap coverage::"),
        "{out:?}"
    );
    // Every line is a workflow command but the summary.
    for l in out.stdout.lines() {
        assert!(l.starts_with("::") || l.starts_with("policy: "), "{l}");
    }
    // From inside the workspace folder, paths are still from the top.
    let inside = r.vm_in("ws", &["check", ".", "--policy", "--format", "github"]);
    assert!(
        inside
            .stdout
            .contains(&format!("file=ws/opportunities/{API_WARNINGS}.ron,")),
        "{inside:?}"
    );

    // A policy that does not parse is an error at its line.
    fs::write(
        r.ws().join("policy.ron"),
        "(\n    now_need: (metrics: 1),\n)\n",
    )
    .unwrap();
    let out = r.vm(&["check", "ws", "--policy", "--format", "github"]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("::error file=ws/policy.ron,line=2,title=valuemap policy::")),
        "{out:?}"
    );
    let out = r.vm(&["check", "ws", "--policy"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.contains("ws/policy.ron:2:"), "{out:?}");
}
