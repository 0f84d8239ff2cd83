//! The forms of the Adoption view: a consumer team, and a team's state with
//! an activity on a date.

use super::FormSpec;
use super::fields::{ChoiceField, Field, LineField, LinkKind, LinksField, TextField};
use crate::model::edit::{self, Edit};
use crate::model::{Adoption, AdoptionState, Id, Item, Target, Team, Workspace};
use crate::text::sanitize;

/// A consumer team: an existing one, or a new one.
pub struct TeamForm {
    id: Id,
    is_new: bool,
    title: String,
    name: LineField,
    size: LineField,
    persona: LinksField,
    since: LineField,
    description: TextField,
}

impl TeamForm {
    /// The form for a team; `id` not in the workspace makes a new one,
    /// counted in the adoption rates from `today`.
    pub fn new(ws: &Workspace, id: Id, today: chrono::NaiveDate) -> TeamForm {
        let t = ws.items.teams.get(&id);
        let since = match t {
            Some(t) => t.since,
            None => Some(today),
        };
        TeamForm {
            is_new: t.is_none(),
            title: match t {
                Some(t) => format!("Team · {}", sanitize(&t.name)),
                None => "New consumer team".into(),
            },
            name: LineField::new("Name", "e.g. Checkout", t.map_or("", |t| t.name.as_str())),
            size: LineField::new(
                "Size",
                "how many people (blank: unknown)",
                &t.and_then(|t| t.size)
                    .map_or(String::new(), |n| n.to_string()),
            ),
            persona: LinksField::new(
                "Persona",
                LinkKind::Persona,
                t.and_then(|t| t.persona.clone()).into_iter().collect(),
            ),
            since: LineField::new(
                "Since",
                "YYYY-MM-DD: counted in the adoption rates from then (blank: from its first record)",
                &since.map_or(String::new(), |d| d.format("%Y-%m-%d").to_string()),
            ),
            description: TextField::text(
                "Description",
                "",
                t.map_or("", |t| t.description.as_str()),
                2,
            ),
            id,
        }
    }
}

impl FormSpec for TeamForm {
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![
            &self.name,
            &self.size,
            &self.persona,
            &self.since,
            &self.description,
        ]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.name,
            &mut self.size,
            &mut self.persona,
            &mut self.since,
            &mut self.description,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let name = self.name.value();
        if name.is_empty() {
            return Err("A team needs a name".into());
        }
        if !self.is_new && !ws.items.teams.contains_key(&self.id) {
            return Err("the team no longer exists".into());
        }
        let size = match self.size.value() {
            s if s.is_empty() => None,
            s => Some(
                s.parse::<u32>()
                    .map_err(|_| format!("Size: \"{}\" is not a whole number", sanitize(&s)))?,
            ),
        };
        let verb = if self.is_new { "add" } else { "edit" };
        Ok((
            format!("{verb} team \"{name}\""),
            edit::put(Item::Team(Team {
                id: self.id.clone(),
                name,
                size,
                persona: self.persona.one(),
                since: self.since.date()?,
                description: self.description.value(),
            })),
        ))
    }
}

const STATES: &[(AdoptionState, &str)] = &[
    (AdoptionState::NotAdopted, "not adopted"),
    (AdoptionState::Trialling, "trialling"),
    (AdoptionState::Adopted, "adopted"),
    (AdoptionState::Dropped, "dropped"),
];

const HOW: &[(bool, &str)] = &[(false, "free choice"), (true, "mandated")];

/// A team's state with a target on a date: a record of that day is
/// replaced, any other date adds one.
pub struct AdoptionForm {
    team: Id,
    target: Target,
    title: String,
    state: ChoiceField<AdoptionState>,
    mandated: ChoiceField<bool>,
    date: LineField,
    comment: LineField,
    today: chrono::NaiveDate,
}

impl AdoptionForm {
    pub fn new(ws: &Workspace, team: Id, target: Target, today: chrono::NaiveDate) -> AdoptionForm {
        let now = ws.standing(&team, &target, today);
        let team_name = ws.items.teams.get(&team).map_or("?", |t| t.name.as_str());
        AdoptionForm {
            title: format!(
                "Adoption · {} · {}",
                sanitize(team_name),
                sanitize(&ws.target_name(&target))
            ),
            state: ChoiceField::new(
                "State",
                "where the team stands from this date on",
                STATES,
                now.map_or(AdoptionState::Trialling, |s| s.state),
            ),
            mandated: ChoiceField::new(
                "How",
                "only free choice is sustainable: mandated adoption is counted apart",
                HOW,
                now.is_some_and(|s| s.mandated),
            ),
            date: LineField::new(
                "Date",
                "YYYY-MM-DD (blank: today)",
                &today.format("%Y-%m-%d").to_string(),
            ),
            comment: LineField::new("Comment", "why, in a few words", ""),
            team,
            target,
            today,
        }
    }
}

impl FormSpec for AdoptionForm {
    /// A record dated before the team's since date: the rates leave it
    /// out until then (as `valuemap adopt` warns).
    fn warning(&self, ws: &Workspace) -> Option<String> {
        let team = ws.items.teams.get(&self.team)?;
        let date = self.date.date().ok()?.unwrap_or(self.today);
        let since = team.since.filter(|s| date < *s)?;
        // The gist first: a narrow status bar cuts the rest.
        Some(format!(
            "Left out of the adoption rates until {since}: {} counts from then (its since date), and this record is of {date}; Enter on the team's name changes the date",
            sanitize(&team.name)
        ))
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn fields(&self) -> Vec<&dyn Field> {
        vec![&self.state, &self.mandated, &self.date, &self.comment]
    }
    fn fields_mut(&mut self) -> Vec<&mut dyn Field> {
        vec![
            &mut self.state,
            &mut self.mandated,
            &mut self.date,
            &mut self.comment,
        ]
    }
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        let team = ws
            .items
            .teams
            .get(&self.team)
            .ok_or("the team no longer exists")?;
        let date = self.date.date()?.unwrap_or(self.today);
        let state = self.state.value();
        let record = Adoption {
            id: ws.fresh_id(),
            team: self.team.clone(),
            target: self.target.clone(),
            date,
            state,
            mandated: self.mandated.value(),
            comment: self.comment.value(),
        };
        // One record per team, target and day: that day's record (or two,
        // left by a merge) is replaced.
        let change = ws
            .record_adoption(record)
            .map_or(Edit::Batch(Vec::new()), |(e, _)| e);
        Ok((
            format!(
                "record {} {} {}",
                team.name,
                state.label(),
                ws.target_name(&self.target)
            ),
            change,
        ))
    }
}
