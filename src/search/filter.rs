//! Filters for the Notes and Opportunities lists, typed as short
//! expressions: `persona:platform #onboarding by:priya slow`,
//! `status:exploring horizon:now phase:operation noevidence`. Names match
//! as everywhere ([`crate::names`]): the name without case, with `-` for
//! spaces, or the one name that holds what was typed.

use crate::capture::{Resolved, resolve_activity, resolve_persona};
use crate::model::{Horizon, Id, Note, Opportunity, Status, Workspace};
use crate::names::Found;

fn words_match(words: &[String], haystacks: &[&str]) -> bool {
    words.iter().all(|w| {
        haystacks
            .iter()
            .any(|h| h.to_lowercase().contains(w.as_str()))
    })
}

fn activity(ws: &Workspace, v: &str) -> Result<Id, String> {
    match resolve_activity(ws, v) {
        Resolved::Activity(a) => Ok(a.id.clone()),
        Resolved::Unknown => Err(format!("no activity matches \"{v}\"")),
        Resolved::Ambiguous(names) => Err(format!("\"{v}\" matches {}", names.join(", "))),
    }
}

fn phase(ws: &Workspace, v: &str) -> Result<Id, String> {
    match crate::names::find(&ws.phases, v, |p| &p.name) {
        Found::One(p) => Ok(p.id.clone()),
        Found::None => Err(format!("no phase matches \"{v}\"")),
        Found::Several(_) => Err(format!("\"{v}\" matches several phases")),
    }
}

/// Which notes the Notes view lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoteFilter {
    /// The expression as typed.
    pub text: String,
    pub persona: Option<Id>,
    pub activity: Option<Id>,
    pub tag: Option<String>,
    pub interviewee: Option<String>,
    pub words: Vec<String>,
}

impl NoteFilter {
    pub fn parse(ws: &Workspace, s: &str) -> Result<NoteFilter, String> {
        let mut f = NoteFilter {
            text: s.trim().to_string(),
            ..Default::default()
        };
        for tok in s.split_whitespace() {
            let lower = tok.to_lowercase();
            if let Some(v) = tok
                .strip_prefix("persona:")
                .or_else(|| tok.strip_prefix("p:"))
            {
                f.persona = Some(resolve_persona(ws, v)?.id.clone());
            } else if let Some(v) = tok
                .strip_prefix("activity:")
                .or_else(|| tok.strip_prefix("@"))
            {
                f.activity = Some(activity(ws, v)?);
            } else if let Some(v) = tok.strip_prefix("tag:").or_else(|| tok.strip_prefix('#')) {
                f.tag = Some(v.to_lowercase());
            } else if let Some(v) = lower
                .strip_prefix("by:")
                .or_else(|| lower.strip_prefix("interviewee:"))
            {
                f.interviewee = Some(v.replace('-', " "));
            } else {
                f.words.push(lower);
            }
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn matches(&self, n: &Note) -> bool {
        self.persona
            .as_ref()
            .is_none_or(|p| n.persona.as_ref() == Some(p))
            && self
                .activity
                .as_ref()
                .is_none_or(|a| n.activities.contains(a))
            && self
                .tag
                .as_ref()
                .is_none_or(|t| n.tags.iter().any(|x| x.to_lowercase() == *t))
            && self
                .interviewee
                .as_ref()
                .is_none_or(|i| n.interviewee.to_lowercase().contains(i.as_str()))
            && words_match(&self.words, &[&n.title, &n.body, &n.interviewee])
    }
}

/// Which opportunities the Opportunities view lists.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OppFilter {
    pub text: String,
    pub status: Option<Status>,
    /// `Some(None)`: only those without a horizon.
    pub horizon: Option<Option<Horizon>>,
    pub persona: Option<Id>,
    pub phase: Option<Id>,
    pub no_evidence: bool,
    pub words: Vec<String>,
}

impl OppFilter {
    pub fn parse(ws: &Workspace, s: &str) -> Result<OppFilter, String> {
        let mut f = OppFilter {
            text: s.trim().to_string(),
            ..Default::default()
        };
        for tok in s.split_whitespace() {
            let lower = tok.to_lowercase();
            if let Some(v) = lower.strip_prefix("status:") {
                f.status = Some(
                    Status::ALL
                        .into_iter()
                        .find(|x| x.label().starts_with(v) && !v.is_empty())
                        .ok_or_else(|| format!("no status \"{v}\": idea, exploring, planned, delivered, validated, invalidated"))?,
                );
            } else if let Some(v) = lower.strip_prefix("horizon:") {
                f.horizon = Some(match v {
                    "none" | "unplanned" => None,
                    _ => Some(
                        Horizon::ALL
                            .into_iter()
                            .find(|h| h.label() == v)
                            .ok_or_else(|| format!("no horizon \"{v}\": now, next, later, none"))?,
                    ),
                });
            } else if let Some(v) = tok
                .strip_prefix("persona:")
                .or_else(|| tok.strip_prefix("p:"))
            {
                f.persona = Some(resolve_persona(ws, v)?.id.clone());
            } else if let Some(v) = tok.strip_prefix("phase:") {
                f.phase = Some(phase(ws, v)?);
            } else if matches!(
                lower.as_str(),
                "noevidence" | "no-evidence" | "evidence:none"
            ) {
                f.no_evidence = true;
            } else {
                f.words.push(lower);
            }
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn matches(&self, ws: &Workspace, o: &Opportunity) -> bool {
        self.status.is_none_or(|s| o.status == s)
            && self.horizon.is_none_or(|h| o.horizon == h)
            && self
                .persona
                .as_ref()
                .is_none_or(|p| o.personas.is_empty() || o.personas.contains(p))
            && self.phase.as_ref().is_none_or(|ph| {
                o.activities
                    .iter()
                    .any(|a| ws.phase_of(a).is_some_and(|p| &p.id == ph))
            })
            && (!self.no_evidence || o.evidence.is_empty())
            && words_match(&self.words, &[&o.title, &o.description])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn note_filters_combine() {
        let ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let all = ws.notes.len();
        let f = NoteFilter::parse(&ws, "").unwrap();
        assert_eq!(ws.notes.values().filter(|n| f.matches(n)).count(), all);
        let f = NoteFilter::parse(&ws, "persona:application").unwrap();
        let n = ws.notes.values().filter(|n| f.matches(n)).count();
        assert!(n > 0 && n < all);
        let some_tag = ws
            .notes
            .values()
            .flat_map(|n| &n.tags)
            .next()
            .unwrap()
            .clone();
        let f = NoteFilter::parse(&ws, &format!("#{some_tag}")).unwrap();
        assert!(
            ws.notes
                .values()
                .filter(|n| f.matches(n))
                .all(|n| n.tags.contains(&some_tag))
        );
        assert!(NoteFilter::parse(&ws, "persona:nobody").is_err());
        let f = NoteFilter::parse(&ws, "zzzz-nothing").unwrap();
        assert_eq!(ws.notes.values().filter(|n| f.matches(n)).count(), 0);
    }

    #[test]
    fn opportunity_filters() {
        let ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let f = OppFilter::parse(&ws, "noevidence").unwrap();
        let hits: Vec<_> = ws
            .opportunities
            .iter()
            .filter(|o| f.matches(&ws, o))
            .collect();
        assert_eq!(hits.len(), 1);
        let f = OppFilter::parse(&ws, "horizon:now").unwrap();
        assert!(
            ws.opportunities
                .iter()
                .filter(|o| f.matches(&ws, o))
                .all(|o| o.horizon == Some(Horizon::Now))
        );
        let f = OppFilter::parse(&ws, "phase:cleanup").unwrap();
        assert!(ws.opportunities.iter().any(|o| f.matches(&ws, o)));
        assert!(OppFilter::parse(&ws, "status:flying").is_err());
        assert!(OppFilter::parse(&ws, "horizon:soon").is_err());
    }
}
