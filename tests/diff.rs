//! `valuemap diff`: the semantic diff of two workspaces, as a library
//! ([`valuemap::diff`]) and as a command run on real git repositories in
//! temporary folders, and `valuemap diff --textconv` under `git diff`.
//!
//! The git tests need `git`; without it they print a notice and pass, unless
//! `VALUEMAP_REQUIRE_GIT=1` is set: then they fail. git runs with
//! `GIT_CONFIG_GLOBAL=/dev/null` and `GIT_CONFIG_NOSYSTEM=1`, so neither the
//! user's configuration nor anything else outside the temporary folders is
//! read or touched; the identity for commits is given with `-c`.

use std::fs;
use std::process::Command;

use chrono::NaiveDate;
use valuemap::diff::{
    Change, Delta, EntityChange, EvidenceItem, FieldChange, QuestionEvent, Verdict, diff,
    render_file, render_md, render_text,
};
use valuemap::model::{Evidence, Horizon, Id, Note, Observation, Persona, Role, Workspace};
use valuemap::template::Template;

#[path = "support/git.rs"]
mod git;

use git::{BIN, Repo, git_available, isolate, run};

// Ids of the kubernetes-platform template (assets/templates/kubernetes-platform.ron).
const PLATFORM_DEVELOPER: &str = "a2pdev";
const APPLICATION_DEVELOPER: &str = "j3adev";
const ENGINEERING_MANAGER: &str = "s4emgr";
const MONITOR_A_WORKLOAD: &str = "j7mwkd";
const TRACK_COSTS: &str = "v9csts";
const GOLDEN_PATH: &str = "g5gpth";
const WORKLOAD_DASHBOARD: &str = "k6wkdb";
const COST_DASHBOARD: &str = "52cdsh";
const UPTIME: &str = "72uptm";

fn template() -> Workspace {
    Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn note(id: &str, day: &str, persona: &str, who: &str, title: &str, body: &str) -> Note {
    Note {
        id: id.into(),
        date: date(day),
        interviewee: who.into(),
        persona: Some(persona.into()),
        activities: vec![MONITOR_A_WORKLOAD.into()],
        title: title.into(),
        body: format!("{title}\n{body}"),
        tags: valuemap::model::ThinVec::new(),
        dismissed: valuemap::model::ThinVec::new(),
        answered: valuemap::model::ThinVec::new(),
        captured: None,
    }
}

/// The template after a week of discovery: every kind of change the diff
/// reports, once.
fn changed(a: &Workspace) -> Workspace {
    let mut b = a.clone();
    // A new persona.
    b.personas.push(Persona {
        id: "p5srex".into(),
        name: "Site reliability engineer".into(),
        role: Role::Consumer,
        description: String::new(),
        jobs: vec!["Keep the error budget healthy".into()],
        tags: vec![],
    });
    // A renamed activity.
    for p in &mut b.phases {
        for x in &mut p.activities {
            if x.id.as_str() == TRACK_COSTS {
                x.name = "Track cloud costs".into();
            }
        }
    }
    // Better served than we thought: the workload dashboard scores 8 → 6.
    let cell = (
        Id::from(APPLICATION_DEVELOPER),
        Id::from(MONITOR_A_WORKLOAD),
    );
    let mut p = b.perspective(&cell.0, &cell.1).unwrap().clone();
    assert_eq!((p.importance, p.satisfaction), (Some(5), Some(2)));
    p.satisfaction = Some(4);
    b.set_perspective(&cell.0, &cell.1, Some(p));
    // The golden path moves up the roadmap.
    let i = b.opportunity_index(&GOLDEN_PATH.into()).unwrap();
    assert_eq!(b.opportunities[i].horizon, Some(Horizon::Next));
    b.opportunities[i].horizon = Some(Horizon::Now);
    // Three interviews, two personas.
    for n in [
        note(
            "nb2kfx",
            "2026-11-21",
            PLATFORM_DEVELOPER,
            "Priya",
            "Four tools to look at one service",
            "> I open four tools to see one service",
        ),
        note(
            "na7qwe",
            "2026-11-20",
            PLATFORM_DEVELOPER,
            "Kenji",
            "On-call handover is tribal knowledge",
            "! Runbooks are out of date",
        ),
        note(
            "nc4mzt",
            "2026-11-22",
            ENGINEERING_MANAGER,
            "Dana",
            "Budget review",
            "+ A forecast for next quarter",
        ),
    ] {
        b.notes.insert(n.id.clone(), n.into());
    }
    // One of them is new evidence for the workload dashboard.
    let i = b.opportunity_index(&WORKLOAD_DASHBOARD.into()).unwrap();
    b.opportunities[i].evidence.push(Evidence {
        note: "nb2kfx".into(),
        quote: "> I open four tools to see one service".into(),
    });
    // November's uptime meets the target at last.
    let i = b.metric_index(&UPTIME.into()).unwrap();
    assert_eq!(b.metrics[i].on_track(), Some(false));
    b.metrics[i].observations.push(Observation {
        date: date("2026-11-30"),
        value: 99.97,
        comment: "First month without an etcd incident".into(),
    });
    b
}

// ---------------------------------------------------------------- library

#[test]
fn a_week_of_discovery_is_reported_by_id() {
    let a = template();
    let b = changed(&a);
    let d = diff(&a, &b);

    assert_eq!(
        d.summary(),
        "3 notes added (2 Platform developer, 1 Engineering manager) · 1 opportunity re-scored \
         · 1 opportunity moved between horizons · 1 evidence quote added · 1 observation added \
         · 1 metric now on track · 1 persona added · 1 activity changed · 1 perspective changed"
    );
    assert!(d.workspace.is_empty() && d.phases.is_empty() && d.conflicts.is_empty());

    assert_eq!(
        d.personas,
        [EntityChange {
            id: "p5srex".into(),
            change: Change::Added,
            name: "Site reliability engineer".into(),
            context: "consumer".into(),
            fields: vec![FieldChange::List {
                field: "jobs",
                added: vec!["Keep the error budget healthy".into()],
                removed: vec![],
            }],
        }]
    );
    // A rename is a change of the same activity, not a removal and an addition.
    assert_eq!(
        d.activities,
        [EntityChange {
            id: TRACK_COSTS.into(),
            change: Change::Changed,
            name: "Track cloud costs".into(),
            context: "Operation".into(),
            fields: vec![FieldChange::Value {
                field: "name",
                before: "Track costs".into(),
                after: "Track cloud costs".into(),
            }],
        }]
    );

    let [cell] = d.perspectives.as_slice() else {
        panic!("{:#?}", d.perspectives)
    };
    assert_eq!(cell.change, Change::Changed);
    assert_eq!(
        (cell.persona_name.as_str(), cell.activity_name.as_str()),
        ("Application developer", "Monitor a workload")
    );
    assert_eq!(
        cell.score,
        Delta {
            before: Some(8),
            after: Some(6)
        }
    );
    assert_eq!(
        cell.fields,
        [FieldChange::Value {
            field: "satisfaction",
            before: "2".into(),
            after: "4".into(),
        }]
    );

    assert_eq!(d.opportunities.len(), 2, "{:#?}", d.opportunities);
    let golden = d
        .opportunities
        .iter()
        .find(|o| o.id.as_str() == GOLDEN_PATH)
        .unwrap();
    assert!(golden.moved() && !golden.rescored());
    assert_eq!(
        golden.horizon,
        Delta {
            before: Some(Horizon::Next),
            after: Some(Horizon::Now)
        }
    );
    let dash = d
        .opportunities
        .iter()
        .find(|o| o.id.as_str() == WORKLOAD_DASHBOARD)
        .unwrap();
    assert!(dash.rescored() && !dash.moved());
    assert_eq!(
        dash.score,
        Delta {
            before: "8".to_string(),
            after: "6".to_string()
        }
    );
    assert_eq!(
        dash.evidence_added,
        [EvidenceItem {
            note: "nb2kfx".into(),
            quote: "I open four tools to see one service".into(),
            date: Some(date("2026-11-21")),
            interviewee: "Priya".into(),
        }]
    );
    assert!(dash.evidence_removed.is_empty() && dash.fields.is_empty());

    // New notes: grouped by persona in map order, then by date.
    let notes: Vec<(&str, Change, &str)> = d
        .notes
        .iter()
        .map(|n| (n.id.as_str(), n.change, n.persona_name.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("na7qwe", Change::Added, "Platform developer"),
            ("nb2kfx", Change::Added, "Platform developer"),
            ("nc4mzt", Change::Added, "Engineering manager"),
        ]
    );

    let [uptime] = d.metrics.as_slice() else {
        panic!("{:#?}", d.metrics)
    };
    assert_eq!(uptime.change, Change::Changed);
    assert_eq!(
        uptime.verdict,
        Delta {
            before: Verdict::OffTrack,
            after: Verdict::OnTrack
        }
    );
    assert_eq!(uptime.latest.before, Some(99.78));
    assert_eq!(uptime.latest.after, Some(99.97));
    assert_eq!(uptime.observations_added.len(), 1);
    assert!(uptime.observations_removed.is_empty() && uptime.fields.is_empty());

    // Plain data: it serialises.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["metrics"][0]["verdict"]["after"], "on-track");
}

#[test]
fn text_and_markdown_renderings() {
    let a = template();
    let d = diff(&a, &changed(&a));
    let text = render_text(&d, false);
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!("week_text", text);
    insta::assert_snapshot!("week_md", render_md(&d));
    // Deterministic: the same inputs give the same bytes.
    assert_eq!(render_text(&diff(&a, &changed(&a)), false), text);
}

#[test]
fn colour_marks_the_lines_but_never_alone() {
    let a = template();
    let d = diff(&a, &changed(&a));
    let plain = render_text(&d, false);
    let coloured = render_text(&d, true);
    assert!(coloured.contains("\u{1b}[32m+ Site reliability engineer\u{1b}[0m"));
    assert!(coloured.contains("\u{1b}[33m~ Track cloud costs\u{1b}[0m"));
    assert_eq!(strip_sgr(&coloured), plain);
}

/// Text with the SGR colour sequences (`ESC [ ... m`) removed.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn nothing_changed_and_order_alone_is_no_change() {
    let a = template();
    let d = diff(&a, &a.clone());
    assert!(d.is_empty());
    assert_eq!(render_text(&d, true), "No differences.\n");
    assert_eq!(render_md(&d), "No differences.\n");

    // Entities are matched by id, never by position.
    let mut b = a.clone();
    b.personas.reverse();
    b.phases.reverse();
    b.phases[0].activities.reverse();
    b.opportunities.reverse();
    b.metrics.reverse();
    b.metrics[0].observations.reverse();
    let i = b.opportunity_index(&COST_DASHBOARD.into()).unwrap();
    b.opportunities[i].evidence.reverse();
    assert!(diff(&a, &b).is_empty(), "{:#?}", diff(&a, &b));
}

#[test]
fn removals_and_edits_of_every_kind() {
    let a = template();
    let mut b = a.clone();
    b.name = "Kubernetes platform (EU)".into();
    b.personas.retain(|p| p.id.as_str() != ENGINEERING_MANAGER);
    b.perspectives
        .retain(|p| p.persona.as_str() != ENGINEERING_MANAGER);
    b.personas[0].jobs.push("Sleep through the night".into());
    b.personas[0].role = Role::Customer;
    let moved = b.phases[1].activities.remove(0);
    let moved_name = moved.name.clone();
    b.phases[2].activities.push(moved);
    let first_note = b.notes.keys().next().unwrap().clone();
    b.notes
        .get_mut(&first_note)
        .unwrap()
        .body
        .push_str("\n> one more thing");
    b.notes.get_mut(&first_note).unwrap().title = "Retitled".into();
    let last_note = b.notes.keys().last().unwrap().clone();
    b.notes.remove(&last_note);
    let i = b.opportunity_index(&COST_DASHBOARD.into()).unwrap();
    b.opportunities[i].evidence.pop();
    b.opportunities[i].status = valuemap::model::Status::Validated;
    b.opportunities[i].title = "Cost dashboard".into();
    b.opportunities.retain(|o| o.id.as_str() != GOLDEN_PATH);
    let i = b.metric_index(&UPTIME.into()).unwrap();
    b.metrics[i].target = Some(99.5);
    b.metrics.retain(|m| m.name != "Dashboard visits");

    let d = diff(&a, &b);
    let summary = d.summary();
    for part in [
        "1 note changed",
        "1 note removed",
        "1 opportunity removed",
        "1 status change",
        "1 evidence quote removed",
        "1 opportunity edited",
        "1 metric removed",
        "1 metric now on track",
        "1 metric edited",
        "1 persona removed",
        "1 persona changed",
        "1 activity changed",
        "8 perspectives cleared",
        "workspace name changed",
    ] {
        assert!(summary.contains(part), "{part:?} not in {summary:?}");
    }
    assert!(d.personas.iter().any(|p| p.change == Change::Removed
        && p.name == "Engineering manager"
        && p.context == "customer"));
    let moved = d.activities.iter().find(|x| x.name == moved_name).unwrap();
    assert_eq!(
        moved.fields,
        [FieldChange::Value {
            field: "phase",
            before: "Operation".into(),
            after: "Cleanup".into(),
        }]
    );
    let n = d.notes.iter().find(|n| n.id == first_note).unwrap();
    assert!(n.fields.contains(&FieldChange::Text {
        field: "body",
        added: 1,
        removed: 0
    }));
    // A removed persona's cells are named from the "before" side.
    assert!(
        d.perspectives
            .iter()
            .all(|p| p.change == Change::Removed && p.persona_name == "Engineering manager")
    );

    let text = render_text(&d, false);
    assert!(
        text.contains("  - Engineering manager (customer)"),
        "{text}"
    );
    assert!(
        text.contains("      status: delivered → validated"),
        "{text}"
    );
    assert!(
        text.contains("      + jobs: \"Sleep through the night\""),
        "{text}"
    );
    assert!(
        text.contains("      body: 1 line added, 0 removed"),
        "{text}"
    );
    assert!(text.contains("      target: 99.95% → 99.5%"), "{text}");
    let md = render_md(&d);
    assert!(
        md.contains("- **removed** Engineering manager (customer)"),
        "{md}"
    );
    assert!(
        md.contains("  - evidence removed: \"I haven't asked you"),
        "{md}"
    );
}

#[test]
fn new_cells_new_opportunities_and_conflict_records() {
    use valuemap::model::{Conflict, ConflictTarget, Opportunity, OpportunityKind, Perspective};
    let a = template();
    let mut b = a.clone();
    b.personas.push(Persona {
        id: "p5srex".into(),
        name: "SRE".into(),
        role: Role::Consumer,
        description: String::new(),
        jobs: vec![],
        tags: vec![],
    });
    let mut cell = Perspective::new("p5srex".into(), MONITOR_A_WORKLOAD.into());
    cell.importance = Some(4);
    cell.satisfaction = Some(1);
    cell.needs = vec!["Alerts that name the service".into()];
    b.set_perspective(&"p5srex".into(), &MONITOR_A_WORKLOAD.into(), Some(cell));
    b.opportunities.retain(|o| o.id.as_str() != COST_DASHBOARD);
    let mut o = Opportunity::new(
        "gnew01".into(),
        "Page the owning team",
        OpportunityKind::Pain,
    );
    o.personas = vec!["p5srex".into()];
    o.activities = vec![MONITOR_A_WORKLOAD.into()];
    o.evidence.push(Evidence {
        note: "n9hjwc".into(),
        quote: String::new(),
    });
    b.opportunities.push(o);
    b.metrics.retain(|m| m.id.as_str() != UPTIME);
    b.conflicts.push(Conflict {
        target: ConflictTarget::Opportunity(GOLDEN_PATH.into()),
        field: "status".into(),
        ours: "\"Planned\"".into(),
        theirs: "\"Delivered\"".into(),
    });
    let d = diff(&a, &b);
    assert_eq!(
        d.summary(),
        "1 opportunity added · 1 opportunity removed · 1 metric removed · 1 persona added \
         · 1 perspective added · 1 merge conflict to resolve"
    );
    let text = render_text(&d, false);
    for part in [
        "  + SRE × Monitor a workload (score 7)\n      importance: 4\n      satisfaction: 1\n      + needs: \"Alerts that name the service\"\n",
        "  + Page the owning team (idea · no horizon · score 7)\n      + evidence: \"On-call: alert noise hides the incidents that matter\" (Kenji (platform team), 2026-11-05)\n",
        "  - Managers keep asking for cost data (delivered · no horizon · score 9)\n",
        "  - Uptime (5 observations, latest 99.78%, ✗ off track)\n",
        "Merge conflicts\n  + opportunity \"Golden-path template for a standard HTTP service\": status (to resolve)\n",
    ] {
        assert!(text.contains(part), "{part:?} not in\n{text}");
    }
    // Resolving it is the reverse.
    let back = diff(&b, &a);
    assert!(
        back.summary().ends_with("1 merge conflict resolved"),
        "{}",
        back.summary()
    );
}

// Ids of the template's discovery loop.
const FORECAST: &str = "f2fcst";
const FORECAST_SOLUTION: &str = "sl9fcs";
const TEMPLATE_SOLUTION: &str = "sl2tpl";
const MANAGERS_TEST: &str = "at5mgr";
const COST_TEST: &str = "at8dpl";
const MANAGEMENT_OUTCOME: &str = "oc7mgv";

/// The template after a sprint of delivery: a solution shipped, one
/// dropped, a test passed with new evidence, a new outcome, solution and
/// test, one test removed, an opportunity moved in the tree.
fn shipped(a: &Workspace) -> Workspace {
    use valuemap::model::{
        AssumptionKind, AssumptionTest, Outcome, Solution, SolutionStatus, Verdict as Result,
    };
    let mut b = a.clone();
    let s = b
        .items
        .solutions
        .get_mut(&Id::from(FORECAST_SOLUTION))
        .unwrap();
    assert_eq!(s.status, SolutionStatus::Idea);
    s.status = SolutionStatus::Shipped;
    s.shipped = Some(date("2026-11-20"));
    s.owner = "Dana".into();
    let s = b
        .items
        .solutions
        .get_mut(&Id::from(TEMPLATE_SOLUTION))
        .unwrap();
    s.status = SolutionStatus::Dropped;
    let t = b.items.tests.get_mut(&Id::from(COST_TEST)).unwrap();
    assert_eq!(t.result, Result::Pending);
    t.result = Result::Passed;
    t.evidence.push(Evidence {
        note: "n9hjwc".into(),
        quote: "> Cost per deployment matches the invoice ~cost-per-deployment".into(),
    });
    b.items.tests.remove(&Id::from(MANAGERS_TEST));
    b.items.outcomes.insert(
        "oc5sec".into(),
        Outcome {
            id: "oc5sec".into(),
            name: "Audits pass without a scramble".into(),
            description: String::new(),
            metrics: vec![UPTIME.into()],
        },
    );
    b.items.solutions.insert(
        "sl6alr".into(),
        Solution {
            id: "sl6alr".into(),
            opportunity: COST_DASHBOARD.into(),
            title: "Budget alerts".into(),
            description: String::new(),
            status: SolutionStatus::Building,
            shipped: None,
            value: None,
            effort: Some(2),
            owner: "Marco".into(),
        },
    );
    b.items.tests.insert(
        "at3alr".into(),
        AssumptionTest {
            id: "at3alr".into(),
            solution: "sl6alr".into(),
            assumption: "Managers act on a budget alert within a day".into(),
            kind: AssumptionKind::Desirability,
            method: "Fake door in the dashboard".into(),
            criterion: String::new(),
            owner: String::new(),
            due: Some(date("2026-12-20")),
            result: Result::Pending,
            evidence: vec![],
        },
    );
    let i = b.opportunity_index(&FORECAST.into()).unwrap();
    let o = &mut b.opportunities[i];
    assert_eq!(o.parent, Some(Id::from(COST_DASHBOARD)));
    o.parent = None;
    o.outcome = Some(MANAGEMENT_OUTCOME.into());
    o.value = Some(5);
    b
}

#[test]
fn solutions_shipped_and_tests_passed_are_reported_field_by_field() {
    let a = template();
    let b = shipped(&a);
    let d = diff(&a, &b);
    assert_eq!(
        d.summary(),
        "1 evidence quote added · 1 opportunity edited · 1 outcome added · 1 solution added \
         · 1 solution shipped · 1 solution dropped · 1 solution edited · 1 assumption test added \
         · 1 assumption test removed · 1 assumption test passed"
    );
    let [outcome] = d.outcomes.as_slice() else {
        panic!("{:#?}", d.outcomes)
    };
    assert_eq!(
        (outcome.change, outcome.title.as_str()),
        (Change::Added, "Audits pass without a scramble")
    );
    assert_eq!(
        outcome.fields,
        [FieldChange::List {
            field: "metrics",
            added: vec!["Uptime".into()],
            removed: vec![],
        }]
    );
    // Solutions by title: what is there, then what went.
    let titles: Vec<(&str, Change)> = d
        .solutions
        .iter()
        .map(|c| (c.title.as_str(), c.change))
        .collect();
    assert_eq!(
        titles,
        [
            ("Budget alerts", Change::Added),
            ("Cluster template in git", Change::Changed),
            ("Spend forecast in the cost dashboard", Change::Changed),
        ]
    );
    let forecast = &d.solutions[2];
    assert!(forecast.became("shipped"));
    assert_eq!(
        forecast.status,
        Delta {
            before: "idea".to_string(),
            after: "shipped".to_string()
        }
    );
    assert_eq!(
        forecast.fields,
        [
            FieldChange::Value {
                field: "shipped",
                before: String::new(),
                after: "2026-11-20".into(),
            },
            FieldChange::Value {
                field: "owner",
                before: String::new(),
                after: "Dana".into(),
            },
        ]
    );
    assert_eq!(
        forecast.context,
        "Managers cannot plan next quarter's spend"
    );
    let passed = d.tests.iter().find(|c| c.id.as_str() == COST_TEST).unwrap();
    assert!(passed.became("passed") && passed.fields.is_empty());
    assert_eq!(passed.context, "Cost dashboard");
    assert_eq!(
        passed.evidence_added,
        [EvidenceItem {
            note: "n9hjwc".into(),
            quote: "Cost per deployment matches the invoice ~cost-per-deployment".into(),
            date: Some(date("2026-11-05")),
            interviewee: "Kenji (platform team)".into(),
        }]
    );
    let removed = d.tests.last().unwrap();
    assert_eq!(
        (removed.id.as_str(), removed.change),
        (MANAGERS_TEST, Change::Removed)
    );
    // The opportunity moved in the tree: its outcome, parent and value.
    let [forecast_opp] = d.opportunities.as_slice() else {
        panic!("{:#?}", d.opportunities)
    };
    assert_eq!(
        forecast_opp.fields,
        [
            FieldChange::Value {
                field: "outcome",
                before: String::new(),
                after: "Management sees the platform's value".into(),
            },
            FieldChange::Value {
                field: "parent",
                before: "Managers keep asking for cost data".into(),
                after: String::new(),
            },
            FieldChange::Value {
                field: "value",
                before: "3".into(),
                after: "5".into(),
            },
        ]
    );

    let text = render_text(&d, false);
    for part in [
        "\nSolutions\n  + Budget alerts (◐ building · opportunity: Managers keep asking for cost data)\n      effort: 2\n      owner: \"Marco\"\n",
        "  ~ Spend forecast in the cost dashboard (opportunity: Managers cannot plan next quarter's spend)\n      status: ○ idea → ● shipped\n      shipped: (none) → 2026-11-20\n      owner: (none) → \"Dana\"\n",
        "  ~ Cluster template in git (opportunity: Self-service cluster creation from a GitOps template)\n      status: ● shipped → ⊘ dropped\n",
        "  + Managers act on a budget alert within a day (? pending · solution: Budget alerts)\n      kind: desirability\n      method: \"Fake door in the dashboard\"\n      due: 2026-12-20\n",
        "\nAssumption tests\n  ~ Cost per deployment can be computed from the billing export (solution: Cost dashboard)\n      result: ? pending → ✓ passed\n      + evidence: \"Cost per deployment matches the invoice ~cost-per-deployment\" (Kenji (platform team), 2026-11-05)\n",
        "  - Managers will open a dashboard instead of asking for exports (✓ passed · solution: Cost dashboard)\n",
        "\nOutcomes\n  + Audits pass without a scramble\n      + metrics: \"Uptime\"\n",
        "      outcome: (none) → Management sees the platform's value\n      parent: Managers keep asking for cost data → (none)\n      value: 3 → 5\n",
    ] {
        assert!(text.contains(part), "{part:?} not in\n{text}");
    }
    insta::assert_snapshot!("loop_md", render_md(&d));
    // And back: each change the other way round.
    let back = diff(&b, &a).summary();
    for part in [
        "1 outcome removed",
        "1 solution removed",
        "1 solution changed status",
        "1 assumption test changed status",
        "1 assumption test added",
        "1 assumption test removed",
        "1 evidence quote removed",
    ] {
        assert!(back.contains(part), "{part:?} not in {back:?}");
    }
    // The dropped solution is shipped again; the shipped one back to an idea.
    assert!(back.contains("1 solution shipped"), "{back}");
    assert!(!back.contains("passed"), "{back}");
}

#[test]
fn user_text_cannot_reach_the_terminal_or_the_markdown_structure() {
    let a = template();
    let mut b = a.clone();
    b.personas.push(Persona {
        id: "evil01".into(),
        name: "Mallory\u{1b}]0;pwned\u{7}\u{1b}[2J <script>alert(1)</script> [x](http://e)".into(),
        role: Role::EndUser,
        description: String::new(),
        jobs: vec![],
        tags: vec![],
    });
    b.personas[0].jobs.push("# heading\nsecond line".into());
    let mut n = note(
        "nevil1",
        "2026-11-23",
        "evil01",
        "\u{9b}31mEve",
        "Title\u{202e}reversed",
        "",
    );
    n.persona = Some("evil01".into());
    b.notes.insert(n.id.clone(), n.into());
    let d = diff(&a, &b);
    for out in [render_text(&d, false), render_md(&d), d.summary()] {
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{out:?}"
        );
    }
    assert!(!strip_sgr(&render_text(&d, true)).contains('\u{1b}'));
    let md = render_md(&d);
    assert!(!md.contains("<script>") && !md.contains("[x](http"), "{md}");
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(md.contains("\"\\# heading second line\""), "{md}");
    assert!(!md.lines().any(|l| l.starts_with("# ")), "{md}");
}

#[test]
fn textconv_of_something_else_still_shows_its_text() {
    let out = render_file("notes/2026-01-01-x.ron", b"(this is: \"not valuemap\")\n");
    assert!(
        out.starts_with("(valuemap cannot read this file: "),
        "{out}"
    );
    assert!(out.ends_with("(this is: \"not valuemap\")\n"), "{out}");
    let out = render_file("x.ron", b"\xff\xfe\x1b[2J");
    assert!(
        out.contains("not valid UTF-8") && !out.contains('\u{1b}'),
        "{out}"
    );
    // The kind comes from the content when the name says nothing.
    let out = render_file(
        "/tmp/Ab12Cd_blob",
        b"(metrics: [(id: \"m\", name: \"Uptime\")])",
    );
    assert!(out.starts_with("metric Uptime [m]\n"), "{out}");
}

/// A repository with a workspace in `ws`, committed twice: from the template,
/// then with a note captured with `valuemap note add` and an activity renamed
/// in a text editor.
fn discovery_repo() -> Repo {
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    r.commit_all("A workspace from the template");
    r.vm_ok(&[
        "note",
        "add",
        "ws",
        "--persona",
        "Platform developer",
        "--activity",
        "Create a cluster",
        "--date",
        "2026-11-20",
        "--interviewee",
        "Kenji",
        "Cluster requests still wait on tickets\n> I waited three days for a staging cluster\n! Cluster tickets wait for days",
    ]);
    let path = r.root.join("ws/workspace.ron");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("name: \"Track costs\""), "{text}");
    fs::write(
        &path,
        text.replace("name: \"Track costs\"", "name: \"Track cloud costs\""),
    )
    .unwrap();
    r.commit_all("Interview with Kenji; costs are cloud costs");
    r
}

const COMMIT_SUMMARY: &str = "1 note added (1 Platform developer) · 1 activity changed";

#[test]
fn diff_between_two_commits() {
    if !git_available("diff_between_two_commits") {
        return;
    }
    let r = discovery_repo();
    let out = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws"]);
    assert_eq!(out.stdout.lines().next(), Some(COMMIT_SUMMARY), "{out:?}");
    assert!(
        out.stdout
            .contains("      name: \"Track costs\" → \"Track cloud costs\""),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("  + Platform developer: 1 new note\n      2026-11-20 \"Cluster requests still wait on tickets\" (Kenji)"),
        "{out:?}"
    );
    assert!(!out.stdout.contains('\u{1b}'), "not a terminal: no colour");
    assert!(out.stderr.is_empty(), "{out:?}");

    // From inside the workspace, --path defaults to it; an absolute path works too.
    let inside = r.vm_in("ws", &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(inside.stdout, out.stdout, "{inside:?}");
    let abs = r.root.join("ws");
    let absolute = r.vm(&["diff", "HEAD~1", "HEAD", "--path", abs.to_str().unwrap()]);
    assert_eq!(absolute.stdout, out.stdout, "{absolute:?}");

    // Markdown for the pull request.
    let md = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws", "--format", "md"]);
    assert_eq!(md.stdout.lines().next(), Some(COMMIT_SUMMARY));
    assert!(md.stdout.contains("\n### Activities\n\n- **changed** Track cloud costs (Operation)\n  - name: \"Track costs\" → \"Track cloud costs\"\n"), "{md:?}");
    assert!(
        md.stdout
            .contains("\n### Notes\n\n- **added** Platform developer: 1 new note\n"),
        "{md:?}"
    );

    // Nothing between a commit and itself.
    let same = r.vm_ok(&["diff", "HEAD", "HEAD", "--path", "ws"]);
    assert_eq!(same.stdout, "No differences.\n");
}

#[test]
fn working_tree_against_head() {
    if !git_available("working_tree_against_head") {
        return;
    }
    let r = discovery_repo();
    let clean = r.vm_ok(&["diff", "--path", "ws"]);
    assert_eq!(clean.stdout, "No differences.\n");
    r.vm_ok(&[
        "metric",
        "observe",
        "ws",
        "Uptime",
        "99.97",
        "--date",
        "2026-11-30",
    ]);
    let out = r.vm_ok(&["diff", "--path", "ws"]);
    assert_eq!(
        out.stdout.lines().next(),
        // The metrics derived from uptime follow it.
        Some("3 observations added · 3 metrics now on track"),
        "{out:?}"
    );
    assert!(out.stdout.contains("  ~ Uptime (✗ off track → ✓ on track)\n      + observation 2026-11-30: 99.97%\n      latest: 99.78% → 99.97%\n"), "{out:?}");
    // Against an older commit: everything since.
    let since = r.vm_ok(&["diff", "HEAD~1", "--path", "ws"]);
    assert!(
        since.stdout.starts_with(
            "1 note added (1 Platform developer) · 3 observations added · 3 metrics now on track"
        ),
        "{since:?}"
    );
}

#[test]
fn a_solution_shipped_in_the_working_tree_is_diffed_against_head() {
    if !git_available("a_solution_shipped_in_the_working_tree_is_diffed_against_head") {
        return;
    }
    use valuemap::model::SolutionStatus;
    use valuemap::store::{Scope, Store};
    let r = discovery_repo();
    // Items are read from the revision too: nothing differs yet.
    let clean = r.vm_ok(&["diff", "--path", "ws"]);
    assert_eq!(clean.stdout, "No differences.\n", "{clean:?}");
    let (mut store, mut ws, _) = Store::open(&r.ws()).unwrap();
    let s = ws
        .items
        .solutions
        .get_mut(&Id::from(FORECAST_SOLUTION))
        .unwrap();
    s.status = SolutionStatus::Shipped;
    s.shipped = Some(date("2026-11-20"));
    store.save(&ws, &Scope::All, false).unwrap();
    let out = r.vm_ok(&["diff", "--path", "ws", "--format", "md"]);
    assert_eq!(
        out.stdout.lines().next(),
        Some("1 solution shipped · 1 solution edited"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains(
            "### Solutions\n\n- **changed** Spend forecast in the cost dashboard (opportunity: Managers cannot plan next quarter's spend)\n  - status: ○ idea → ● shipped\n  - shipped: (none) → 2026-11-20\n"
        ),
        "{out:?}"
    );
}

#[test]
fn two_workspace_folders() {
    if !git_available("two_workspace_folders") {
        return;
    }
    // Folders need no repository at all.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("plain");
    fs::create_dir(&root).unwrap();
    let vm = |args: &[&str]| {
        let mut c = Command::new(BIN);
        c.args(args);
        isolate(&mut c, &root, &root);
        run(c)
    };
    for ws in ["before", "after", "left/ws", "right/ws"] {
        assert_eq!(vm(&["new", ws]).code, Some(0));
    }
    for ws in ["after", "right/ws"] {
        let r = vm(&[
            "note",
            "add",
            ws,
            "-p",
            "Engineering manager",
            "-a",
            "Track costs",
            "-d",
            "2026-11-22",
            "Budget review",
        ]);
        assert_eq!(r.code, Some(0), "{r:?}");
    }
    let out = vm(&["diff", "before", "after"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(
        out.stdout.lines().next(),
        Some("1 note added (1 Engineering manager)")
    );
    // The layout `git difftool -d` passes: the workspace at --path inside each folder.
    let tool = vm(&["diff", "left", "right", "--path", "ws"]);
    assert_eq!(tool.stdout, out.stdout, "{tool:?}");
    let tool = vm(&["diff", "--format", "md", "before", "after"]);
    assert!(
        tool.stdout.contains(
            "- **added** Engineering manager: 1 new note\n  - 2026-11-22 \"Budget review\"\n"
        ),
        "{tool:?}"
    );

    // Revisions outside a repository are an error, not a panic.
    let outside = vm(&["diff", "--path", "before"]);
    assert_eq!(outside.code, Some(1), "{outside:?}");
    assert!(
        outside.stderr.starts_with("valuemap: not a git repository"),
        "{outside:?}"
    );
    assert!(outside.stdout.is_empty());
    let empty = vm(&["diff", "left", "before"]);
    assert_eq!(empty.code, Some(1), "{empty:?}");
    assert!(
        empty
            .stderr
            .contains("left is a folder without a workspace"),
        "{empty:?}"
    );
}

#[test]
fn unreadable_sides_are_clear_errors() {
    if !git_available("unreadable_sides_are_clear_errors") {
        return;
    }
    let r = discovery_repo();
    let bad = r.vm(&["diff", "no-such-branch", "--path", "ws"]);
    assert_eq!(bad.code, Some(1), "{bad:?}");
    assert!(
        bad.stderr
            .starts_with("valuemap: unknown revision no-such-branch"),
        "{bad:?}"
    );
    assert!(bad.stdout.is_empty());

    let nothing = r.vm(&["diff", "HEAD~1", "HEAD", "--path", "elsewhere"]);
    assert_eq!(nothing.code, Some(1), "{nothing:?}");
    assert!(
        nothing
            .stderr
            .contains("no workspace at elsewhere in revision HEAD~1"),
        "{nothing:?}"
    );
    let above = r.vm(&["diff", "HEAD~1", "HEAD", "--path", "../.."]);
    assert_eq!(above.code, Some(1), "{above:?}");
    assert!(
        above.stderr.contains("outside the git repository"),
        "{above:?}"
    );

    // A broken file in a revision is named the way git names it.
    fs::write(
        r.root.join("ws/notes/2026-01-01-broken.ron"),
        "(id: \"broken\",\n  date: 7)\n",
    )
    .unwrap();
    r.commit_all("A broken note");
    let broken = r.vm(&["diff", "HEAD~1", "HEAD", "--path", "ws"]);
    assert_eq!(broken.code, Some(1), "{broken:?}");
    assert!(
        broken
            .stderr
            .starts_with("valuemap: HEAD:ws/notes/2026-01-01-broken.ron:2:"),
        "{broken:?}"
    );
    assert!(!broken.stderr.contains(".valuemap-diff-"), "{broken:?}");
}

#[test]
fn textconv_renders_every_kind_of_file() {
    if !git_available("textconv_renders_every_kind_of_file") {
        return;
    }
    let r = discovery_repo();
    let conv = |file: &str| {
        let out = r.vm_ok(&["diff", "--textconv", file]);
        assert!(out.stderr.is_empty(), "{out:?}");
        out.stdout
    };
    let ws = conv("ws/workspace.ron");
    for line in [
        "workspace: Kubernetes platform\n",
        "format version: 3\n",
        "phase Operation [jh3run]\n",
        "  activity Track cloud costs [v9csts]\n",
        "persona Engineering manager [s4emgr]\n  role: customer\n",
        "perspective Application developer × Monitor a workload [j3adev × j7mwkd]\n  importance: 5\n  satisfaction: 2\n  score: 8\n",
        "  need: One dashboard per service\n",
    ] {
        assert!(ws.contains(line), "{line:?} not in\n{ws}");
    }
    let opps = conv("ws/opportunities/g5gpth.ron");
    let line = "opportunity Golden-path template for a standard HTTP service [g5gpth]\n  kind: need\n  status: exploring\n  horizon: Next\n";
    assert!(opps.contains(line), "{line:?} not in\n{opps}");
    let all_opps: String = fs::read_dir(r.root.join("ws/opportunities"))
        .unwrap()
        .map(|e| conv(e.unwrap().path().to_str().unwrap()))
        .collect();
    for line in [
        "  evidence n5w2hd: \"A cost dashboard per team and per cluster, updated daily\"\n",
        "  manual score: 12.5\n",
    ] {
        assert!(all_opps.contains(line), "{line:?} not in\n{all_opps}");
    }
    let metrics = conv("ws/metrics/72uptm.ron");
    for line in [
        "metric Uptime [72uptm]\n",
        "  target: 99.95%\n  direction: higher is better\n",
        "  observation 2026-10-31: 99.78% (etcd incident on a production cluster, 95 minutes)\n",
        "  latest: 99.78% (✗ off track)\n",
    ] {
        assert!(metrics.contains(line), "{line:?} not in\n{metrics}");
    }
    let note = fs::read_dir(r.root.join("ws/notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("2026-11-20-"))
        .unwrap();
    let text = conv(note.to_str().unwrap());
    assert!(text.starts_with("note 2026-11-20 ["), "{text}");
    assert!(text.contains("\n  title: Cluster requests still wait on tickets\n  interviewee: Kenji\n  persona: a2pdev\n"), "{text}");
    assert!(text.ends_with("  body:\n    Cluster requests still wait on tickets\n    > I waited three days for a staging cluster\n    ! Cluster tickets wait for days\n"), "{text}");

    // git hands textconv a temporary copy named XXXXXX_<name>.
    fs::copy(
        r.root.join("ws/workspace.ron"),
        r.root.join("Xy12Zw_workspace.ron"),
    )
    .unwrap();
    assert_eq!(conv("Xy12Zw_workspace.ron"), ws);

    let missing = r.vm(&["diff", "--textconv", "no-such-file.ron"]);
    assert_eq!(missing.code, Some(1), "{missing:?}");
    assert!(missing.stderr.contains("no-such-file.ron"), "{missing:?}");
}

#[test]
fn git_diff_reads_well_with_textconv() {
    if !git_available("git_diff_reads_well_with_textconv") {
        return;
    }
    let r = discovery_repo();
    // The repository's own config and attributes, as the help describes them.
    let textconv = format!("'{}' diff --textconv", BIN.replace('\'', r"'\''"));
    r.git_ok(&["config", "--local", "diff.valuemap.textconv", &textconv]);
    fs::write(r.root.join("ws/.gitattributes"), "*.ron diff=valuemap\n").unwrap();
    let out = r.git_ok(&["diff", "HEAD~1", "HEAD", "--", "ws"]);
    for line in [
        "\n-  activity Track costs [v9csts]\n+  activity Track cloud costs [v9csts]\n",
        "\n+note 2026-11-20 [",
        "\n+  interviewee: Kenji\n",
        "\n+    > I waited three days for a staging cluster\n",
    ] {
        assert!(out.stdout.contains(line), "{line:?} not in\n{}", out.stdout);
    }
    assert!(
        !out.stdout.contains("name: \"Track cloud costs\""),
        "{}",
        out.stdout
    );

    // An uncommitted observation, in the working tree against HEAD.
    r.vm_ok(&[
        "metric",
        "observe",
        "ws",
        "Uptime",
        "99.97",
        "-d",
        "2026-11-30",
    ]);
    let wt = r.git_ok(&["diff", "--", "ws/metrics/72uptm.ron"]);
    assert!(
        wt.stdout.contains("+  observation 2026-11-30: 99.97%\n")
            && wt.stdout.contains("\n-  latest: 99.78% (✗ off track)\n")
            && wt.stdout.contains("\n+  latest: 99.97% (✓ on track)\n"),
        "{}",
        wt.stdout
    );
}

/// `valuemap note add` in a repository's workspace, as Platform developer
/// on Create a cluster.
fn rated_note(r: &Repo, who: &str, day: &str, text: &str, rate: &str) {
    r.vm_ok(&[
        "note",
        "add",
        "ws",
        "--persona",
        "Platform developer",
        "--activity",
        "Create a cluster",
        "--date",
        day,
        "--interviewee",
        who,
        "--rate",
        rate,
        text,
    ]);
}

/// What many notes say together, between two commits: a theme that grew
/// (heard from a consumer now), a new one, one gone; a question answered by
/// a later note's line and one newly asked; a cell handed to the
/// interviews by its third rating. Then the answer taken back.
#[test]
fn themes_questions_and_ratings_between_two_commits() {
    if !git_available("themes_questions_and_ratings_between_two_commits") {
        return;
    }
    const DANA: &str = "n5w2hd";
    const MARCO: &str = "n3k8pr";
    const FOLLOW_UP: &str = "n8b3zv";
    let r = Repo::new();
    r.vm_ok(&["new", "ws"]);
    r.commit_all("A workspace from the template");
    let before = valuemap::store::Store::open(&r.ws()).unwrap().1;

    rated_note(
        &r,
        "Ana",
        "2026-11-20",
        "Call with Ana\nThe bill again #finops #sso\n? Who signs off on a new namespace?",
        "2/4",
    );
    rated_note(&r, "Bo", "2026-11-21", "Call with Bo", "1/5");
    rated_note(&r, "Cy", "2026-11-22", "Call with Cy", "3/4");
    let (mut store, mut ws, _) = valuemap::store::Store::open(&r.ws()).unwrap();
    // Marco's #toil was his alone: gone.
    let marco = ws.notes.get_mut(&Id::from(MARCO)).unwrap();
    marco.body = marco.body.replace(" #toil", "");
    marco.tags.retain(|t| t != "toil");
    // Dana's first question, answered by the follow-up's last line.
    let q = "? Showback or chargeback? Dana prefers showback for now.";
    let by = Evidence {
        note: FOLLOW_UP.into(),
        quote: "Data requests from management dropped from about three a month to none. #cost"
            .into(),
    };
    let e =
        valuemap::synthesis::questions::answer(&ws, &DANA.into(), q, Some(by), date("2026-11-23"))
            .unwrap();
    valuemap::model::edit::apply(&mut ws, e).unwrap();
    store
        .save(&ws, &valuemap::store::Scope::All, false)
        .unwrap();
    r.commit_all("Three interviews, an answer, no more #toil");

    // The library: each part of the diff, by id and by tag.
    let after = valuemap::store::Store::open(&r.ws()).unwrap().1;
    let d = diff(&before, &after);
    let tags: Vec<(&str, Change, usize, usize)> = d
        .tags
        .iter()
        .map(|t| (t.tag.as_str(), t.change, t.notes.before, t.notes.after))
        .collect();
    assert_eq!(
        tags,
        [
            ("finops", Change::Changed, 2, 3),
            ("sso", Change::Added, 0, 1),
            ("toil", Change::Removed, 1, 0),
        ]
    );
    // #finops: customer 2 → 2, consumer 0 → 1.
    assert_eq!(d.tags[0].roles.before, [2, 0, 0, 0]);
    assert_eq!(d.tags[0].roles.after, [2, 1, 0, 0]);
    assert!(d.tags[0].grew() && !d.tags[0].shrank());
    let questions: Vec<(&str, QuestionEvent)> = d
        .questions
        .iter()
        .map(|q| (q.question.as_str(), q.event))
        .collect();
    assert_eq!(
        questions,
        [
            ("Who signs off on a new namespace?", QuestionEvent::Opened),
            (
                "Showback or chargeback? Dana prefers showback for now.",
                QuestionEvent::Answered
            ),
        ]
    );
    // Answering changes Dana's note file, but the note section does not
    // list it: the questions section says what happened.
    assert!(
        d.notes.iter().all(|n| n.id.as_str() != DANA),
        "{:?}",
        d.notes
    );

    // The command, as text.
    let out = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws"]);
    let s = &out.stdout;
    let summary = s.lines().next().unwrap();
    for want in [
        "3 notes added (3 Platform developer)",
        "1 note changed",
        "1 tag grew · 1 tag new · 1 tag gone",
        "1 question opened · 1 question answered",
        "1 perspective changed",
    ] {
        assert!(summary.contains(want), "{want:?} not in {summary:?}");
    }
    for want in [
        "\nThemes\n  ~ #finops: 2 → 3 notes\n      heard from: consumer 0 → 1\n  + #sso: new, 1 note\n  - #toil: gone, was 1 note\n",
        "\nQuestions\n  + opened \"Who signs off on a new namespace?\" (in \"Call with Ana\", Ana, Platform developer, 2026-11-20)\n",
        "  ~ answered \"Showback or chargeback? Dana prefers showback for now.\" (in \"Cloud bill questions land on Dana's desk\", Dana (VP Eng), Engineering manager, 2026-06-25)\n      answered 2026-11-23 by \"Data requests from management dropped from about three a month to none. #cost\" (Dana (VP Eng))\n",
        // Three ratings hand the cell to the interviews.
        "  ~ Platform developer × Create a cluster (score 8 → 2)\n      interviews: (none) → n=3 · i2 (1–3) · s4 (4–5)\n      rating source: pm → n=3\n",
    ] {
        assert!(s.contains(want), "{want:?} not in\n{s}");
    }

    // As Markdown.
    let md = r.vm_ok(&["diff", "HEAD~1", "HEAD", "--path", "ws", "-f", "md"]);
    for want in [
        "\n### Themes\n\n- **changed** #finops: 2 → 3 notes\n  - heard from: consumer 0 → 1\n- **added** #sso: new, 1 note\n- **removed** #toil: gone, was 1 note\n",
        "\n### Questions\n\n- **opened** \"Who signs off on a new namespace?\" (in \"Call with Ana\", Ana, Platform developer, 2026-11-20)\n- **answered** \"Showback or chargeback? Dana prefers showback for now.\"",
    ] {
        assert!(md.stdout.contains(want), "{want:?} not in\n{}", md.stdout);
    }

    // git diff's textconv of Dana's note shows the answer.
    let conv = r.vm_ok(&["diff", "--textconv", "ws/notes/2026-06-25-n5w2hd.ron"]);
    assert!(
        conv.stdout.contains(
            "\n  answered: ? Showback or chargeback? Dana prefers showback for now. (2026-11-23, by n8b3zv: \"Data requests from management dropped from about three a month to none. #cost\")\n  body:\n"
        ),
        "{conv:?}"
    );

    // The answer taken back, and the question's words and tags kept: the
    // question is open again, and nothing else changed.
    let (mut store, mut ws, _) = valuemap::store::Store::open(&r.ws()).unwrap();
    let e = valuemap::synthesis::questions::reopen(&ws, &DANA.into(), q).unwrap();
    valuemap::model::edit::apply(&mut ws, e).unwrap();
    store
        .save(&ws, &valuemap::store::Scope::All, false)
        .unwrap();
    let out = r.vm_ok(&["diff", "--path", "ws"]);
    assert_eq!(
        out.stdout,
        "1 question opened again\n\nQuestions\n  ~ opened again \"Showback or chargeback? Dana prefers showback for now.\" (in \"Cloud bill questions land on Dana's desk\", Dana (VP Eng), Engineering manager, 2026-06-25)\n",
        "{out:?}"
    );
}
