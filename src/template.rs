//! The bundled workspace templates (`assets/templates/`), embedded in the binary.

use std::path::Path;

use serde::Deserialize;

use crate::model::{
    Adoption, AssumptionTest, Items, Metric, NeedsLayer, NeedsNode, Note, Opportunity, Outcome,
    Persona, Perspective, Phase, Solution, Team, Workspace,
};
use crate::store::format::{self, ParseError};

/// A template: one RON file holding a whole workspace.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    phases: Vec<Phase>,
    #[serde(default)]
    personas: Vec<Persona>,
    #[serde(default)]
    perspectives: Vec<Perspective>,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    opportunities: Vec<Opportunity>,
    #[serde(default)]
    metrics: Vec<Metric>,
    #[serde(default)]
    outcomes: Vec<Outcome>,
    #[serde(default)]
    solutions: Vec<Solution>,
    #[serde(default)]
    assumption_tests: Vec<AssumptionTest>,
    #[serde(default)]
    needs_layers: Vec<NeedsLayer>,
    #[serde(default)]
    needs_nodes: Vec<NeedsNode>,
    #[serde(default)]
    teams: Vec<Team>,
    #[serde(default)]
    adoption: Vec<Adoption>,
}

/// A bundled template.
pub struct Template {
    pub name: &'static str,
    pub summary: &'static str,
    source: &'static str,
}

/// Every bundled template; the first is the default.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "kubernetes-platform",
        summary: "A Kubernetes platform run as a product: phases, personas, interviews, opportunities and metrics",
        source: include_str!("../assets/templates/kubernetes-platform.ron"),
    },
    Template {
        name: "empty",
        summary: "Three empty lifecycle phases and nothing else",
        source: include_str!("../assets/templates/empty.ron"),
    },
];

/// The template used when none is named.
pub const DEFAULT_TEMPLATE: &str = "kubernetes-platform";

impl Template {
    pub fn find(name: &str) -> Option<&'static Template> {
        TEMPLATES.iter().find(|t| t.name == name)
    }

    /// The template's workspace.
    pub fn workspace(&self) -> Result<Workspace, ParseError> {
        let path = Path::new("assets/templates").join(format!("{}.ron", self.name));
        let f: TemplateFile = format::parse(&path, self.source)?;
        let mut ws = Workspace {
            name: f.name,
            description: f.description,
            phases: f.phases,
            personas: f.personas,
            perspectives: f.perspectives,
            notes: f
                .notes
                .into_iter()
                .map(|n| (n.id.clone(), Box::new(n)))
                .collect(),
            opportunities: f.opportunities,
            metrics: f.metrics,
            items: Items {
                outcomes: f.outcomes.into_iter().map(|o| (o.id.clone(), o)).collect(),
                solutions: f.solutions.into_iter().map(|s| (s.id.clone(), s)).collect(),
                tests: f
                    .assumption_tests
                    .into_iter()
                    .map(|t| (t.id.clone(), t))
                    .collect(),
                layers: f
                    .needs_layers
                    .into_iter()
                    .map(|l| (l.id.clone(), l))
                    .collect(),
                nodes: f
                    .needs_nodes
                    .into_iter()
                    .map(|n| (n.id.clone(), n))
                    .collect(),
                teams: f.teams.into_iter().map(|t| (t.id.clone(), t)).collect(),
                adoptions: f.adoption.into_iter().map(|a| (a.id.clone(), a)).collect(),
            },
            conflicts: Vec::new(),
        };
        ws.normalize();
        ws.derive_metrics();
        Ok(ws)
    }
}

/// The names of all templates, for messages.
pub fn names() -> Vec<&'static str> {
    TEMPLATES.iter().map(|t| t.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::{Severity, validate};
    use crate::model::{Horizon, Role};

    #[test]
    fn every_template_loads_and_is_valid() {
        for t in TEMPLATES {
            let ws = t.workspace().unwrap_or_else(|e| panic!("{e}"));
            let errors: Vec<_> = validate(&ws)
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", t.name);
        }
    }

    #[test]
    fn kubernetes_template_is_the_seed_example() {
        let ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let phases: Vec<_> = ws.phases.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(phases, ["Creation", "Operation", "Cleanup"]);
        assert!(ws.activity_count() >= 8);
        for name in [
            "Create a cluster",
            "Create a deployment",
            "Monitor a workload",
            "Delete a cluster",
        ] {
            assert!(ws.activities().any(|(_, a)| a.name == name), "{name}");
        }
        let personas: Vec<_> = ws
            .personas
            .iter()
            .map(|p| (p.name.as_str(), p.role))
            .collect();
        assert_eq!(
            personas,
            [
                ("Platform developer", Role::Consumer),
                ("Application developer", Role::Consumer),
                ("Engineering manager", Role::Customer),
            ]
        );
        assert!(ws.personas.iter().all(|p| !p.jobs.is_empty()));
        let cells = ws.personas.len() * ws.activity_count();
        let rated = ws
            .perspectives
            .iter()
            .filter(|p| p.importance.is_some() && p.satisfaction.is_some())
            .count();
        assert!(rated * 2 > cells, "{rated} of {cells} cells rated");
        assert!(ws.notes.len() >= 3);
        let with_evidence = ws
            .opportunities
            .iter()
            .filter(|o| !o.evidence.is_empty())
            .count();
        assert!(with_evidence >= 4);
        for h in Horizon::ALL {
            assert!(
                ws.opportunities.iter().any(|o| o.horizon == Some(h)),
                "{h:?}"
            );
        }
        for m in ["Uptime", "Error budget burn", "Dashboard visits"] {
            let metric = ws
                .metrics
                .iter()
                .find(|x| x.name == m)
                .unwrap_or_else(|| panic!("{m}"));
            assert!(metric.observations.len() >= 3, "{m}");
        }
    }
}
