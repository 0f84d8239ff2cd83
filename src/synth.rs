//! A synthetic workspace generator, for benchmarks and tests at scale.
//!
//! The shape follows a platform team that interviews for a year: 5 phases,
//! about 40 activities, about 12 personas, `N` interview notes of roughly
//! 300 bytes with quotes, pains, needs and tags, `N / 10` opportunities with
//! evidence, and about 50 metrics with a year of daily observations. The
//! same seed always gives the same workspace.

use chrono::{Days, NaiveDate};

use crate::model::{
    Activity, Direction, Evidence, Id, Metric, MetricKind, Note, Observation, Opportunity,
    OpportunityKind, Persona, Perspective, Phase, Role, Status, Workspace,
};

/// How big a workspace to make.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub notes: usize,
    pub phases: usize,
    pub activities_per_phase: usize,
    pub personas: usize,
    pub metrics: usize,
    pub observation_days: usize,
    /// Notes are padded with more of an interview's lines up to about this
    /// many bytes (0: no padding, about 300 bytes each).
    pub note_bytes: usize,
    /// Opportunities per note (the standard shape has one per ten).
    pub opportunities_per_note: f64,
    pub seed: u64,
}

impl Shape {
    /// The standard shape for `notes` notes.
    pub fn notes(notes: usize) -> Shape {
        Shape {
            notes,
            phases: 5,
            activities_per_phase: 8,
            personas: 12,
            metrics: 50,
            observation_days: 365,
            note_bytes: 0,
            opportunities_per_note: 0.1,
            seed: 42,
        }
    }
}

const PHASES: [&str; 5] = ["Creation", "Onboarding", "Operation", "Scaling", "Cleanup"];
const VERBS: [&str; 10] = [
    "Create",
    "Configure",
    "Deploy",
    "Monitor",
    "Upgrade",
    "Secure",
    "Scale",
    "Debug",
    "Audit",
    "Delete",
];
const OBJECTS: [&str; 12] = [
    "a cluster",
    "a deployment",
    "a namespace",
    "an ingress",
    "a database",
    "a pipeline",
    "the network",
    "secrets",
    "alerts",
    "costs",
    "a workload",
    "access",
];
const ROLES: [&str; 12] = [
    "Platform developer",
    "Application developer",
    "Engineering manager",
    "SRE",
    "Security engineer",
    "Data engineer",
    "Product manager",
    "Finance partner",
    "QA engineer",
    "Mobile developer",
    "Support engineer",
    "CTO",
];
const NAMES: [&str; 16] = [
    "Priya", "Marco", "Dana", "Zoë", "Kenji", "Amara", "Lars", "Sofía", "Chen", "Olu", "Ines",
    "Tomás", "Yuki", "Noor", "Ravi", "Greta",
];
const TEAMS: [&str; 8] = [
    "payments", "checkout", "search", "platform", "data", "mobile", "identity", "billing",
];
const PAINS: [&str; 12] = [
    "Waiting two days for every new cluster",
    "Nobody knows which Kubernetes version is supported",
    "Alerts page us for things that fix themselves",
    "The YAML for a new service is copied from the last project",
    "Costs show up a month late on the cloud bill",
    "Upgrades break workloads without warning",
    "Secrets are shared in chat because the vault is hard to use",
    "Logs and metrics live in three different tools",
    "Onboarding a team takes a fourteen-step wiki page",
    "Ingress and TLS settings are trial and error",
    "Staging and production drift apart",
    "Idle sandbox clusters nobody owns",
];
const NEEDS: [&str; 12] = [
    "Self-service clusters with sane defaults",
    "A golden-path template for a standard service",
    "One dashboard per workload, linked from the pipeline",
    "Cost per team, per week, without a ticket",
    "Upgrade warnings before anything breaks",
    "SLO-based alerting instead of thresholds",
    "A vault that works from the CLI in one command",
    "Preview environments per pull request",
    "A single place for logs, metrics and traces",
    "Automatic clean-up of idle environments",
    "Policy checks in the pipeline, not after deploy",
    "Runbooks linked from every alert",
];
const QUOTES: [&str; 10] = [
    "I just want to ship, not learn Kubernetes",
    "We lost a weekend to the last upgrade",
    "Finance asks me questions I cannot answer",
    "The platform is great once you figure it out",
    "I copy the YAML and pray",
    "Our pager went off forty times last night",
    "I have no idea what our namespace costs",
    "It took three weeks to get a database",
    "Please do not make me open a ticket",
    "The dashboards are there but nobody finds them",
];
const TAGS: [&str; 10] = [
    "onboarding",
    "upgrades",
    "cost",
    "alerting",
    "security",
    "observability",
    "self-service",
    "templates",
    "incident",
    "developer-experience",
];

/// An id made from a counter: unique, stable, six characters like a real one.
fn id(prefix: char, n: usize) -> Id {
    const ALPHA: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut s = String::with_capacity(6);
    s.push(prefix);
    let mut x = n;
    for _ in 0..5 {
        s.push(ALPHA[x % ALPHA.len()] as char);
        x /= ALPHA.len();
    }
    Id::new(s)
}

/// Generates a workspace of the given shape.
pub fn workspace(shape: Shape) -> Workspace {
    let mut rng = fastrand::Rng::with_seed(shape.seed);
    let mut ws = Workspace::new(format!("Synthetic platform ({} notes)", shape.notes));
    ws.description = "Generated for benchmarks: a platform team's year of discovery.".into();
    let mut act_n = 0;
    for (pi, name) in PHASES.iter().cycle().take(shape.phases).enumerate() {
        let mut activities = Vec::new();
        for k in 0..shape.activities_per_phase {
            let verb = VERBS[(pi * 3 + k) % VERBS.len()];
            let obj = OBJECTS[(pi * 5 + k * 7) % OBJECTS.len()];
            activities.push(Activity {
                id: id('a', act_n),
                name: format!("{verb} {obj}"),
                description: format!("What people do to {} {obj} in {name}.", verb.to_lowercase()),
            });
            act_n += 1;
        }
        ws.phases.push(Phase {
            id: id('h', pi),
            name: (*name).to_string(),
            description: format!(
                "The {} phase of the platform's lifecycle.",
                name.to_lowercase()
            ),
            activities,
        });
    }
    let roles = [
        Role::Consumer,
        Role::Consumer,
        Role::Customer,
        Role::Consumer,
        Role::EndUser,
    ];
    for i in 0..shape.personas {
        ws.personas.push(Persona {
            id: id('p', i),
            name: ROLES[i % ROLES.len()].to_string()
                + &if i >= ROLES.len() {
                    format!(" {}", i / ROLES.len() + 1)
                } else {
                    String::new()
                },
            role: roles[i % roles.len()],
            description: format!("Persona {i}: works with the platform every week."),
            jobs: vec![
                format!("{} without waiting on another team", NEEDS[i % NEEDS.len()]),
                "Keep the service reliable and cheap".to_string(),
            ],
            tags: vec![TAGS[i % TAGS.len()].to_string()],
        });
    }
    let acts: Vec<Id> = ws.activities().map(|(_, a)| a.id.clone()).collect();
    let personas: Vec<Id> = ws.personas.iter().map(|p| p.id.clone()).collect();
    // Perspectives in about three cells of four.
    for p in &personas {
        for a in &acts {
            if rng.u8(0..4) == 0 {
                continue;
            }
            ws.perspectives.push(Perspective {
                persona: p.clone(),
                activity: a.clone(),
                interest: NEEDS[rng.usize(0..NEEDS.len())].to_string(),
                needs: vec![NEEDS[rng.usize(0..NEEDS.len())].to_string()],
                pains: vec![PAINS[rng.usize(0..PAINS.len())].to_string()],
                importance: Some(rng.u8(1..=5)),
                satisfaction: Some(rng.u8(1..=5)),
            });
        }
    }
    let start = NaiveDate::from_ymd_opt(2025, 11, 24).unwrap_or_default();
    let mut pains_seen: Vec<(Id, String)> = Vec::new();
    for i in 0..shape.notes {
        let nid = id('n', i);
        let who = NAMES[rng.usize(0..NAMES.len())];
        let team = TEAMS[rng.usize(0..TEAMS.len())];
        let pain = PAINS[rng.usize(0..PAINS.len())];
        let need = NEEDS[rng.usize(0..NEEDS.len())];
        let quote = QUOTES[rng.usize(0..QUOTES.len())];
        let tag = TAGS[rng.usize(0..TAGS.len())];
        let title = format!("{who} ({team}) on {}", OBJECTS[rng.usize(0..OBJECTS.len())]);
        let pain_line = format!("! {pain} #{tag}");
        let mut body = format!(
            "{title}\n> {quote}\n{pain_line}\n+ {need}\n? Would a {} help the {team} team?\nFollow up in two weeks.",
            NEEDS[rng.usize(0..NEEDS.len())].to_lowercase()
        );
        while body.len() + 120 < shape.note_bytes {
            let line = match rng.u8(0..3) {
                0 => format!("\n> {}", QUOTES[rng.usize(0..QUOTES.len())]),
                1 => format!(
                    "\nThey said {} matters most for the {team} team.",
                    NEEDS[rng.usize(0..NEEDS.len())].to_lowercase()
                ),
                _ => format!("\n! {}", PAINS[rng.usize(0..PAINS.len())]),
            };
            body.push_str(&line);
        }
        if pains_seen.len() < shape.notes / 10 + 1 {
            // (Enough distinct evidence; more opportunities reuse it.)
            pains_seen.push((nid.clone(), pain_line));
        }
        ws.notes.insert(
            nid.clone(),
            Note {
                id: nid,
                date: start + Days::new(rng.u64(0..365)),
                interviewee: format!("{who} ({team} team)").into(),
                persona: Some(personas[rng.usize(0..personas.len())].clone()),
                activities: vec![acts[rng.usize(0..acts.len())].clone()],
                title,
                body,
                tags: vec![tag.to_string()].into(),
                dismissed: crate::model::ThinVec::new(),
                answered: crate::model::ThinVec::new(),
                captured: None,
            }
            .into(),
        );
    }
    let statuses = Status::ALL;
    let opportunities = (shape.notes as f64 * shape.opportunities_per_note) as usize;
    for i in 0..opportunities {
        let (note, line) = &pains_seen[i % pains_seen.len()];
        let mut o = Opportunity::new(
            id('o', i),
            format!("{} ({})", NEEDS[i % NEEDS.len()], i),
            if i % 3 == 0 {
                OpportunityKind::Pain
            } else {
                OpportunityKind::Need
            },
        );
        o.status = statuses[i % statuses.len()];
        o.horizon = crate::model::Horizon::ALL.get(i % 4).copied();
        o.activities = vec![acts[i % acts.len()].clone()];
        o.personas = vec![personas[i % personas.len()].clone()];
        o.evidence = vec![Evidence {
            note: note.clone(),
            quote: line.clone(),
        }];
        ws.opportunities.push(o);
    }
    for i in 0..shape.metrics {
        let base = 50.0 + (i as f64) * 3.0;
        ws.metrics.push(Metric {
            id: id('m', i),
            name: format!("Metric {i}: {}", TAGS[i % TAGS.len()]),
            kind: if i % 5 == 4 {
                MetricKind::Qualitative
            } else {
                MetricKind::Quantitative
            },
            unit: if i % 2 == 0 {
                "%".into()
            } else {
                "hours".into()
            },
            description: "A daily measurement.".into(),
            activity: Some(acts[i % acts.len()].clone()),
            opportunity: ws.opportunities.get(i).map(|o| o.id.clone()),
            personas: Vec::new(),
            formula: None,
            adoption: None,
            baseline: Some(base),
            target: Some(base * 1.2),
            direction: if i % 2 == 0 {
                Direction::HigherIsBetter
            } else {
                Direction::LowerIsBetter
            },
            observations: (0..shape.observation_days)
                .map(|d| Observation {
                    date: start + Days::new(d as u64),
                    value: ((base + (d as f64) * 0.05 + rng.f64() * 2.0) * 100.0).round() / 100.0,
                    comment: String::new(),
                })
                .collect(),
        });
    }
    ws.normalize();
    ws
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::{Severity, validate};

    #[test]
    fn the_shape_is_as_promised_and_valid() {
        let ws = workspace(Shape::notes(500));
        assert_eq!(ws.notes.len(), 500);
        assert_eq!(ws.phases.len(), 5);
        assert_eq!(ws.activity_count(), 40);
        assert_eq!(ws.personas.len(), 12);
        assert_eq!(ws.opportunities.len(), 50);
        assert_eq!(ws.metrics.len(), 50);
        assert!(ws.metrics.iter().all(|m| m.observations.len() == 365));
        assert!(ws.opportunities.iter().all(|o| !o.evidence.is_empty()));
        let errors: Vec<_> = validate(&ws)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let avg = ws.notes.values().map(|n| n.body.len()).sum::<usize>() / ws.notes.len();
        assert!((200..450).contains(&avg), "average body {avg} bytes");
    }

    #[test]
    fn the_same_seed_gives_the_same_workspace() {
        assert_eq!(workspace(Shape::notes(50)), workspace(Shape::notes(50)));
    }
}
