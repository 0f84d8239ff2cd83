//! `valuemap adopt` and `valuemap team add`: consumer teams and their
//! adoption, recorded from the shell.
//!
//! A record is one team's state with one target on one date. Recording the
//! same team, target and date again replaces that day's record, and says
//! so (running a command twice changes nothing; two records of one day,
//! which a merge of two branches can leave, are both replaced); earlier
//! days stay, as the history the adoption rates are computed from.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use super::headless::open_for_writing;
use super::{print_error, say};
use crate::model::edit;
use crate::model::validate::FileKey;
use crate::model::{Adoption, AdoptionState, Id, Item, Kind, Target, Team, Workspace};
use crate::store::Scope;

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// The team: its name (case-insensitive), a unique prefix of it, or its id
    pub team: String,
    /// What it adopts: a platform capability of the needs map or an
    /// activity, by name (case-insensitive), unique prefix or id
    pub target: String,
    /// not-adopted, trialling, adopted or dropped
    #[arg(value_parser = parse_state)]
    pub state: AdoptionState,
    /// The team was told to use it (not its free choice)
    #[arg(long)]
    pub mandated: bool,
    /// The date of the record, YYYY-MM-DD (default: today)
    #[arg(long, short, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// A comment kept with the record
    #[arg(long, short)]
    pub comment: Option<String>,
}

#[derive(Debug, Args)]
pub struct TeamAddArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// The team's name
    pub name: String,
    /// How many people are in it
    #[arg(long, short)]
    pub size: Option<u32>,
    /// The persona its members are (name, unique prefix or id)
    #[arg(long, short)]
    pub persona: Option<String>,
    /// A description
    #[arg(long)]
    pub description: Option<String>,
    /// The day the team starts to count in the adoption rates, YYYY-MM-DD
    /// (default: today, so the rates of the past stay as they were)
    #[arg(long, value_parser = parse_date)]
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct TeamSinceArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// The team: its name (case-insensitive), a unique prefix of it, or its id
    pub team: String,
    /// The day it starts to count in the adoption rates, YYYY-MM-DD: the
    /// rates of the dates before leave it out
    #[arg(value_parser = parse_date)]
    pub since: NaiveDate,
}

fn parse_state(s: &str) -> Result<AdoptionState, String> {
    AdoptionState::from_slug(s).ok_or_else(|| {
        format!(
            "\"{s}\" is not a state: use {}",
            AdoptionState::ALL.map(AdoptionState::slug).join(", ")
        )
    })
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{s}\" is not a date: use YYYY-MM-DD"))
}

/// The one entry `name` names among `(id, name)` pairs: by id, by name
/// (case-insensitive), or by a unique prefix of a name.
pub(super) fn resolve<'a>(
    what: &str,
    name: &str,
    all: &[(&'a Id, &'a str)],
) -> Result<&'a Id, String> {
    if let Some((id, _)) = all.iter().find(|(id, _)| id.as_str() == name) {
        return Ok(id);
    }
    let want = name.trim().to_lowercase();
    if let Some((id, _)) = all.iter().find(|(_, n)| n.to_lowercase() == want) {
        return Ok(id);
    }
    let hits: Vec<&(&Id, &str)> = all
        .iter()
        .filter(|(_, n)| !want.is_empty() && n.to_lowercase().starts_with(&want))
        .collect();
    let names = |v: &mut dyn Iterator<Item = &str>| v.collect::<Vec<_>>().join(", ");
    let whats = match what.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{what}s"),
    };
    match hits.as_slice() {
        [(id, _)] => Ok(id),
        [] if all.is_empty() => Err(format!("no {what} matches \"{name}\": there are none")),
        [] => Err(format!(
            "no {what} matches \"{name}\"; {whats}: {}",
            names(&mut all.iter().map(|(_, n)| *n))
        )),
        _ => Err(format!(
            "\"{name}\" matches several {whats}: {}",
            names(&mut hits.iter().map(|(_, n)| *n))
        )),
    }
}

fn find_team<'a>(ws: &'a Workspace, name: &str) -> Result<&'a Id, String> {
    let all: Vec<(&Id, &str)> = ws
        .teams()
        .into_iter()
        .map(|t| (&t.id, t.name.as_str()))
        .collect();
    resolve("team", name, &all).map_err(|e| {
        if ws.items.teams.is_empty() {
            format!("{e} (add one with `valuemap team add PATH NAME`)")
        } else {
            e
        }
    })
}

/// What a team adopts: an activity of the map, or a platform capability
/// of the needs map (a node of its "platform-capabilities" layer).
fn find_target(ws: &Workspace, name: &str) -> Result<Target, String> {
    let capabilities: Vec<(&Id, &str)> = ws
        .items
        .nodes
        .values()
        .filter(|n| n.layer.as_str() == crate::model::needs::PLATFORM_LAYER)
        .map(|n| (&n.id, n.name.as_str()))
        .collect();
    // Capabilities first: where a capability and an activity share a
    // name, the platform's capability is meant.
    let all: Vec<(&Id, &str)> = capabilities
        .iter()
        .copied()
        .chain(ws.activities().map(|(_, a)| (&a.id, a.name.as_str())))
        .collect();
    let what = if capabilities.is_empty() {
        "activity"
    } else {
        "platform capability or activity"
    };
    resolve(what, name, &all).map(|id| {
        if capabilities.iter().any(|(c, _)| *c == id) {
            Target::Capability(id.clone())
        } else {
            Target::Activity(id.clone())
        }
    })
}

pub fn run(a: AdoptArgs) -> ExitCode {
    match adopt(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn adopt(a: &AdoptArgs) -> Result<(), String> {
    let (mut store, mut ws) = open_for_writing(&a.path)?;
    let team = find_team(&ws, &a.team)?.clone();
    let target = find_target(&ws, &a.target)?;
    let date = a.date.unwrap_or_else(super::loop_check::today);
    let same_day = ws.same_day(&team, &target, date);
    let comment = a.comment.clone().or_else(|| {
        same_day
            .iter()
            .map(|r| r.comment.clone())
            .find(|c| !c.is_empty())
    });
    let record = Adoption {
        id: ws.fresh_id(),
        team: team.clone(),
        target: target.clone(),
        date,
        state: a.state,
        mandated: a.mandated,
        comment: comment.unwrap_or_default(),
    };
    let team_name = ws
        .items
        .teams
        .get(&team)
        .map_or(String::new(), |t| t.name.clone());
    let how = if a.mandated { " (mandated)" } else { "" };
    let line = format!(
        "{team_name}: {} {} {}{how} on {}",
        ws.target_name(&target),
        a.state.glyph(),
        a.state.label(),
        date.format("%Y-%m-%d")
    );
    match ws.record_adoption(record) {
        None => say!("{line} is already recorded; nothing changed"),
        Some((change, old)) => {
            let files: BTreeSet<FileKey> = change.files();
            edit::apply(&mut ws, change).map_err(|e| e.to_string())?;
            store.clean_stale_temp_files();
            store
                .save(&ws, &Scope::Files(files), false)
                .map_err(|e| super::save_failed(&e, "nothing was written"))?;
            let was = |r: &Adoption| {
                format!(
                    "{}{}",
                    r.state.label(),
                    if r.mandated { ", mandated" } else { "" }
                )
            };
            match old.as_slice() {
                [] => say!("{line}"),
                [r] => say!("{line} (replaces the record of that day: {})", was(r)),
                more => say!(
                    "{line} (replaces the {} records of that day, left by a merge: {})",
                    more.len(),
                    more.iter().map(was).collect::<Vec<_>>().join("; ")
                ),
            }
        }
    }
    if let Some(since) = ws
        .items
        .teams
        .get(&team)
        .and_then(|t| t.since)
        .filter(|s| date < *s)
    {
        say!(
            "warning: {team_name} counts in the adoption rates from {since} (its since date), so they leave this record out until then; give the team an earlier since date (`valuemap team since`, or in the Adoption view, Enter on its name) if it existed on {}",
            date.format("%Y-%m-%d")
        );
    }
    let r = ws.adoption_rates(&target, date);
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}%"));
    say!(
        "{}: {} of {} teams adopted ({}), {} by free choice ({}), {} trialling",
        ws.target_name(&target),
        r.adopted,
        r.teams,
        pct(r.all()),
        r.voluntary,
        pct(r.voluntary()),
        r.trialling
    );
    Ok(())
}

pub fn team_add(a: TeamAddArgs) -> ExitCode {
    match add_team(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn add_team(a: &TeamAddArgs) -> Result<(), String> {
    let name = a.name.trim();
    if name.is_empty() {
        return Err("the team needs a name".into());
    }
    let (mut store, mut ws) = open_for_writing(&a.path)?;
    if ws
        .items
        .teams
        .values()
        .any(|t| t.name.to_lowercase() == name.to_lowercase())
    {
        return Err(format!(
            "there is already a team \"{name}\"; nothing was written"
        ));
    }
    let persona = match &a.persona {
        Some(p) => {
            let all: Vec<(&Id, &str)> = ws
                .personas
                .iter()
                .map(|p| (&p.id, p.name.as_str()))
                .collect();
            Some(resolve("persona", p, &all)?.clone())
        }
        None => None,
    };
    let team = Team {
        id: ws.fresh_id(),
        name: name.to_string(),
        size: a.size,
        persona,
        since: Some(a.since.unwrap_or_else(super::loop_check::today)),
        description: a.description.clone().unwrap_or_default(),
    };
    let since = team.since.map(|d| d.format("%Y-%m-%d").to_string());
    let files = BTreeSet::from([FileKey::Item(Kind::Team, team.id.clone())]);
    let id = team.id.clone();
    edit::apply(&mut ws, edit::put(Item::Team(team))).map_err(|e| e.to_string())?;
    store.clean_stale_temp_files();
    store
        .save(&ws, &Scope::Files(files), false)
        .map_err(|e| super::save_failed(&e, "nothing was written"))?;
    say!(
        "Added team {name} ({id}), counted in the adoption rates from {}",
        since.unwrap_or_default()
    );
    Ok(())
}

pub fn team_since(a: TeamSinceArgs) -> ExitCode {
    match set_team_since(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn set_team_since(a: &TeamSinceArgs) -> Result<(), String> {
    let (mut store, mut ws) = open_for_writing(&a.path)?;
    let id = find_team(&ws, &a.team)?.clone();
    let mut team = ws.items.teams[&id].clone();
    let name = crate::text::sanitize(&team.name);
    let since = a.since.format("%Y-%m-%d");
    if team.since == Some(a.since) {
        say!("{name} counts in the adoption rates from {since} already; nothing was written");
        return Ok(());
    }
    let was = match ws.team_starts().get(&id) {
        Some(d) if team.since.is_some() => format!("it counted from {d}, its since date"),
        Some(d) => format!("it counted from {d}, its first record"),
        None => "it counted on every date".to_string(),
    };
    team.since = Some(a.since);
    let files = BTreeSet::from([FileKey::Item(Kind::Team, id.clone())]);
    edit::apply(&mut ws, edit::put(Item::Team(team))).map_err(|e| e.to_string())?;
    store.clean_stale_temp_files();
    store
        .save(&ws, &Scope::Files(files), false)
        .map_err(|e| super::save_failed(&e, "nothing was written"))?;
    say!("{name} counts in the adoption rates from {since} ({was})");
    let early = ws
        .items
        .adoptions
        .values()
        .filter(|r| r.team == id && r.date < a.since)
        .count();
    if early > 0 {
        let (what, them) = match early {
            1 => ("1 of its records is".to_string(), "it"),
            n => (format!("{n} of its records are"), "them"),
        };
        say!("warning: {what} dated before {since}: the rates leave {them} out until then");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_by_id_name_and_prefix() {
        let (a, b) = (Id::from("t1"), Id::from("t2"));
        let all = [(&a, "Checkout"), (&b, "Catalogue")];
        assert_eq!(resolve("team", "t2", &all), Ok(&b));
        assert_eq!(resolve("team", "checkout", &all), Ok(&a));
        assert_eq!(resolve("team", "Che", &all), Ok(&a));
        let e = resolve("team", "C", &all).unwrap_err();
        assert!(e.contains("several teams"), "{e}");
        let e = resolve("team", "Search", &all).unwrap_err();
        assert!(
            e.contains("no team matches \"Search\"; teams: Checkout, Catalogue"),
            "{e}"
        );
    }

    #[test]
    fn states_parse_with_a_clear_error() {
        assert_eq!(parse_state("adopted"), Ok(AdoptionState::Adopted));
        let e = parse_state("using").unwrap_err();
        assert!(
            e.contains("not-adopted, trialling, adopted, dropped"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_path_says_so() {
        let e = adopt(&AdoptArgs {
            path: "/nonexistent/valuemap-ws".into(),
            team: "x".into(),
            target: "y".into(),
            state: AdoptionState::Adopted,
            mandated: false,
            date: None,
            comment: None,
        })
        .unwrap_err();
        assert!(e.contains("no workspace"), "{e}");
    }
}
