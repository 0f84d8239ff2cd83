//! Consumer teams and their adoption of what the platform offers.
//!
//! "The most successful product is the one that's being used most often":
//! a platform team proves its value by adoption, and only adoption by free
//! choice is sustainable. A [`Team`] is a consumer team (one file each under
//! `teams/`); an [`Adoption`] is one dated record of where a team stands with
//! one [`Target`] (one file each under `adoption/`), so two people recording
//! adoption on two branches never touch the same file. A team's state for a
//! target at a date is its latest record on or before that date.
//!
//! The adoption rate of a target at a date is the share of the teams that
//! existed on that date whose state is [`AdoptionState::Adopted`] (in
//! percent); the voluntary rate counts only the teams that adopted by free
//! choice (not mandated). A team exists from its `since` date when it has
//! one, else from the date of its first adoption record (of any target);
//! a team with neither counts on every date. So adding a team today never
//! changes a rate of the past. Both rates can be the series of a metric
//! ([`AdoptionRate`]), so they get targets, charts, verdicts and validation
//! markers like any other metric.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::edit::{self, Edit};
use super::{Id, Item, Kind, Observation, Workspace};

/// A consumer team: people who use the platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: Id,
    pub name: String,
    /// How many people are in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    /// The persona its members are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<Id>,
    /// The day the team starts to count in the adoption rates (it was
    /// formed, or came to the platform). Without it, the team counts from
    /// its first adoption record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// What a team adopts: an activity of the map, or a platform capability of
/// the user needs map (by id).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Target {
    Activity(Id),
    Capability(Id),
}

impl Target {
    pub fn id(&self) -> &Id {
        match self {
            Target::Activity(id) | Target::Capability(id) => id,
        }
    }

    /// The word for the kind of target, in messages.
    pub fn noun(&self) -> &'static str {
        match self {
            Target::Activity(_) => "activity",
            Target::Capability(_) => "capability",
        }
    }
}

/// Where a team stands with a target.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum AdoptionState {
    #[default]
    NotAdopted,
    Trialling,
    Adopted,
    Dropped,
}

impl AdoptionState {
    pub const ALL: [AdoptionState; 4] = [
        Self::NotAdopted,
        Self::Trialling,
        Self::Adopted,
        Self::Dropped,
    ];

    /// The name used on the command line.
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotAdopted => "not-adopted",
            Self::Trialling => "trialling",
            Self::Adopted => "adopted",
            Self::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotAdopted => "not adopted",
            Self::Trialling => "trialling",
            Self::Adopted => "adopted",
            Self::Dropped => "dropped",
        }
    }

    /// A glyph that reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::NotAdopted => "·",
            Self::Trialling => "◐",
            Self::Adopted => "●",
            Self::Dropped => "✗",
        }
    }

    /// The state named `s` (`not-adopted`, `not adopted`, `trialing`, ...).
    pub fn from_slug(s: &str) -> Option<AdoptionState> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let s = if s == "trialing" {
            "trialling".into()
        } else {
            s
        };
        Self::ALL
            .into_iter()
            .find(|st| st.slug() == s || (s == "notadopted" && *st == Self::NotAdopted))
    }
}

/// One dated record of a team's state with a target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    pub id: Id,
    pub team: Id,
    pub target: Target,
    pub date: NaiveDate,
    pub state: AdoptionState,
    /// The team was told to use it (not its free choice).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mandated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// A metric whose series is the adoption rate of a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptionRate {
    pub target: Target,
    /// Count only teams that adopted by free choice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voluntary: bool,
}

/// A team's standing with a target at a date: its latest record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub state: AdoptionState,
    pub mandated: bool,
    pub since: NaiveDate,
}

/// The adoption rates of one target at one date, with the counts behind them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub date: NaiveDate,
    pub teams: usize,
    pub adopted: usize,
    pub voluntary: usize,
    pub trialling: usize,
}

impl Rates {
    /// Adopted teams in percent of all teams (`None` without teams).
    pub fn all(&self) -> Option<f64> {
        pct(self.adopted, self.teams)
    }

    /// Teams that adopted by free choice, in percent of all teams.
    pub fn voluntary(&self) -> Option<f64> {
        pct(self.voluntary, self.teams)
    }
}

fn pct(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| n as f64 * 100.0 / of as f64)
}

impl Workspace {
    /// Teams by name.
    pub fn teams(&self) -> Vec<&Team> {
        let mut v: Vec<&Team> = self.items.teams.values().collect();
        v.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    /// The records of one team and target, by date (then id).
    pub fn adoption_history<'a>(&'a self, team: &Id, target: &Target) -> Vec<&'a Adoption> {
        let mut v: Vec<&Adoption> = self
            .items
            .adoptions
            .values()
            .filter(|a| &a.team == team && &a.target == target)
            .collect();
        v.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        v
    }

    /// The records of one team and target on one day, by id: one, or more
    /// where two branches recorded the same day and were merged.
    pub fn same_day<'a>(
        &'a self,
        team: &Id,
        target: &Target,
        date: NaiveDate,
    ) -> Vec<&'a Adoption> {
        let mut v: Vec<&Adoption> = self
            .items
            .adoptions
            .values()
            .filter(|a| &a.team == team && &a.target == target && a.date == date)
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Every team, target and day with more than one record, each group
    /// by id: the one the rates take (the largest id) last.
    pub fn duplicate_adoptions(&self) -> Vec<Vec<&Adoption>> {
        let mut groups: BTreeMap<(&Id, &Target, NaiveDate), Vec<&Adoption>> = BTreeMap::new();
        for a in self.items.adoptions.values() {
            groups
                .entry((&a.team, &a.target, a.date))
                .or_default()
                .push(a);
        }
        groups
            .into_values()
            .filter(|g| g.len() > 1)
            .map(|mut g| {
                g.sort_by(|a, b| a.id.cmp(&b.id));
                g
            })
            .collect()
    }

    /// The edit that records `a`: one record per team, target and day, so
    /// whatever was recorded that day (two records, after a merge) is
    /// replaced. The record keeps the id of the first one it replaces.
    /// Returns the edit and the records it replaces (`None` when `a` is
    /// already the day's only record: nothing to change).
    pub fn record_adoption(&self, mut a: Adoption) -> Option<(Edit, Vec<Adoption>)> {
        let old: Vec<Adoption> = self
            .same_day(&a.team, &a.target, a.date)
            .into_iter()
            .cloned()
            .collect();
        if let Some(first) = old.first() {
            a.id = first.id.clone();
        }
        if old.len() == 1 && old[0] == a {
            return None;
        }
        let mut edits: Vec<Edit> = old
            .iter()
            .skip(1)
            .map(|r| edit::remove(Kind::Adoption, &r.id))
            .collect();
        edits.insert(0, edit::put(Item::Adoption(a)));
        let edit = if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Batch(edits)
        };
        Some((edit, old))
    }

    /// A team's standing with a target on `date` (its latest record on or
    /// before it), or `None` when nothing was recorded by then.
    pub fn standing(&self, team: &Id, target: &Target, date: NaiveDate) -> Option<Standing> {
        self.items
            .adoptions
            .values()
            .filter(|a| &a.team == team && &a.target == target && a.date <= date)
            .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
            .map(|a| Standing {
                state: a.state,
                mandated: a.mandated,
                since: a.date,
            })
    }

    /// The targets anything was recorded for: capabilities first, in the
    /// needs map's order (layer by layer, by name), then activities in map
    /// order, then whatever is unknown (by id).
    pub fn adoption_targets(&self) -> Vec<Target> {
        let used: BTreeSet<&Target> = self.items.adoptions.values().map(|a| &a.target).collect();
        let mut out: Vec<Target> = self
            .needs_layers()
            .iter()
            .flat_map(|l| self.nodes_in_layer(&l.id))
            .map(|n| Target::Capability(n.id.clone()))
            .chain(
                self.activities()
                    .map(|(_, a)| Target::Activity(a.id.clone())),
            )
            .filter(|t| used.contains(t))
            .collect();
        for t in used {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }

    /// What a team can adopt: the platform capabilities of the needs map
    /// (by name), then the activities in map order.
    pub fn adoptable_targets(&self) -> Vec<Target> {
        self.nodes_in_layer(&Id::new(super::needs::PLATFORM_LAYER))
            .into_iter()
            .map(|n| Target::Capability(n.id.clone()))
            .chain(
                self.activities()
                    .map(|(_, a)| Target::Activity(a.id.clone())),
            )
            .collect()
    }

    /// A target's name: the activity's or the capability's (a node of the
    /// needs map), or its id when it is unknown.
    pub fn target_name(&self, t: &Target) -> String {
        match t {
            Target::Activity(id) => self
                .activity(id)
                .map_or_else(|| format!("activity {id}"), |a| a.name.clone()),
            Target::Capability(id) => self
                .items
                .nodes
                .get(id)
                .map_or_else(|| format!("capability {id}"), |n| n.name.clone()),
        }
    }

    /// The day each team starts to count in the rates: its `since`, else
    /// its first adoption record; a team with neither is absent (it counts
    /// on every date).
    pub fn team_starts(&self) -> BTreeMap<&Id, NaiveDate> {
        let mut first: BTreeMap<&Id, NaiveDate> = BTreeMap::new();
        for a in self.items.adoptions.values() {
            first
                .entry(&a.team)
                .and_modify(|d| *d = (*d).min(a.date))
                .or_insert(a.date);
        }
        self.items
            .teams
            .iter()
            .filter_map(|(id, t)| t.since.or_else(|| first.get(id).copied()).map(|d| (id, d)))
            .collect()
    }

    /// The day `team` starts to count in the rates (see [`Self::team_starts`]).
    pub fn team_start(&self, team: &Id) -> Option<NaiveDate> {
        let t = self.items.teams.get(team)?;
        t.since.or_else(|| {
            self.items
                .adoptions
                .values()
                .filter(|a| &a.team == team)
                .map(|a| a.date)
                .min()
        })
    }

    /// The rates of `target` on `date`, over the teams that existed then.
    pub fn adoption_rates(&self, target: &Target, date: NaiveDate) -> Rates {
        self.rates_with(&self.team_starts(), target, date)
    }

    fn rates_with(
        &self,
        starts: &BTreeMap<&Id, NaiveDate>,
        target: &Target,
        date: NaiveDate,
    ) -> Rates {
        let mut r = Rates {
            date,
            teams: 0,
            adopted: 0,
            voluntary: 0,
            trialling: 0,
        };
        for team in self.items.teams.keys() {
            if starts.get(team).is_some_and(|d| *d > date) {
                continue;
            }
            r.teams += 1;
            match self.standing(team, target, date) {
                Some(s) if s.state == AdoptionState::Adopted => {
                    r.adopted += 1;
                    if !s.mandated {
                        r.voluntary += 1;
                    }
                }
                Some(s) if s.state == AdoptionState::Trialling => r.trialling += 1,
                _ => {}
            }
        }
        r
    }

    /// The rates of `target` on every date they may change: each date
    /// something was recorded for it, and each day a team started to count
    /// after its first record.
    pub fn adoption_over_time(&self, target: &Target) -> Vec<Rates> {
        let mut dates: BTreeSet<NaiveDate> = self
            .items
            .adoptions
            .values()
            .filter(|a| &a.target == target)
            .map(|a| a.date)
            .collect();
        let starts = self.team_starts();
        if let Some(&first) = dates.first() {
            dates.extend(starts.values().copied().filter(|d| *d > first));
        }
        dates
            .into_iter()
            .map(|d| self.rates_with(&starts, target, d))
            .collect()
    }

    /// The series of an adoption-rate metric.
    pub fn adoption_series(&self, rate: &AdoptionRate) -> Vec<Observation> {
        self.adoption_over_time(&rate.target)
            .into_iter()
            .filter_map(|r| {
                let v = if rate.voluntary {
                    r.voluntary()
                } else {
                    r.all()
                }?;
                Some(Observation {
                    date: r.date,
                    value: v,
                    comment: format!(
                        "{} of {} teams{}",
                        if rate.voluntary {
                            r.voluntary
                        } else {
                            r.adopted
                        },
                        r.teams,
                        if rate.voluntary {
                            " by free choice"
                        } else {
                            ""
                        }
                    ),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn team(ws: &mut Workspace, id: &str) {
        ws.items.put(
            Kind::Team,
            &id.into(),
            Some(Item::Team(Team {
                id: id.into(),
                name: id.to_uppercase(),
                size: None,
                persona: None,
                since: None,
                description: String::new(),
            })),
        );
    }

    fn rec(ws: &mut Workspace, id: &str, team: &str, date: &str, st: AdoptionState, m: bool) {
        ws.items.put(
            Kind::Adoption,
            &id.into(),
            Some(Item::Adoption(Adoption {
                id: id.into(),
                team: team.into(),
                target: Target::Activity("a1".into()),
                date: d(date),
                state: st,
                mandated: m,
                comment: String::new(),
            })),
        );
    }

    #[test]
    fn rates_by_hand_voluntary_and_all() {
        use AdoptionState::*;
        let mut ws = Workspace::new("t");
        for t in ["t1", "t2", "t3", "t4"] {
            team(&mut ws, t);
        }
        rec(&mut ws, "r1", "t1", "2026-01-01", Trialling, false);
        rec(&mut ws, "r2", "t1", "2026-02-01", Adopted, false);
        rec(&mut ws, "r3", "t2", "2026-01-15", Adopted, true);
        rec(&mut ws, "r4", "t3", "2026-01-01", Adopted, false);
        rec(&mut ws, "r5", "t3", "2026-03-01", Dropped, false);
        let a1 = Target::Activity("a1".into());
        // 2026-01-01: t2 counts only from its first record (01-15); t4,
        // with no record, counts on every date. t3 adopted (voluntary), t1
        // trialling: 1 of 3 teams.
        let r = ws.adoption_rates(&a1, d("2026-01-01"));
        assert_eq!((r.teams, r.adopted, r.voluntary, r.trialling), (3, 1, 1, 1));
        assert!((r.all().unwrap() - 100.0 / 3.0).abs() < 1e-9);
        // 2026-01-15: t2 (mandated) joins: 2 of 4 adopted, 1 of 4 free.
        let r = ws.adoption_rates(&a1, d("2026-01-15"));
        assert_eq!(
            (r.teams, r.all(), r.voluntary()),
            (4, Some(50.0), Some(25.0))
        );
        // 2026-02-01: t1 (free), t2 (mandated), t3 (free): 3/4 all, 2/4 free.
        let r = ws.adoption_rates(&a1, d("2026-02-01"));
        assert_eq!(r.all(), Some(75.0));
        assert_eq!(r.voluntary(), Some(50.0));
        // 2026-03-01: t3 dropped: 2/4 all, 1/4 free.
        let r = ws.adoption_rates(&a1, d("2026-03-01"));
        assert_eq!(r.all(), Some(50.0));
        assert_eq!(r.voluntary(), Some(25.0));
        let series = ws.adoption_series(&AdoptionRate {
            target: a1.clone(),
            voluntary: true,
        });
        let v: Vec<f64> = series.iter().map(|o| o.value.round()).collect();
        assert_eq!(v, [33.0, 25.0, 50.0, 25.0]);
        assert_eq!(series[2].comment, "2 of 4 teams by free choice");
    }

    fn team_since(ws: &mut Workspace, id: &str, since: Option<&str>) {
        team(ws, id);
        if let Some(Item::Team(mut t)) = ws.items.get(Kind::Team, &id.into()) {
            t.since = since.map(d);
            ws.items.put(Kind::Team, &id.into(), Some(Item::Team(t)));
        }
    }

    /// Adding a team leaves every rate before it started as it was; the
    /// rates from its start count it, and the series gains that date.
    #[test]
    fn a_team_added_later_leaves_past_rates_alone() {
        use AdoptionState::*;
        let mut ws = Workspace::new("t");
        team_since(&mut ws, "t1", Some("2026-01-01"));
        team_since(&mut ws, "t2", None);
        rec(&mut ws, "r1", "t1", "2026-01-01", Adopted, false);
        rec(&mut ws, "r2", "t2", "2026-02-01", Adopted, true);
        let a1 = Target::Activity("a1".into());
        let before: Vec<(NaiveDate, usize, Option<f64>, Option<f64>)> = ws
            .adoption_over_time(&a1)
            .iter()
            .map(|r| (r.date, r.teams, r.all(), r.voluntary()))
            .collect();
        // 01-01: t2 has no since and no record yet: 1 of 1 adopted.
        // 02-01: t1 (free), t2 (mandated): 2 of 2, 1 of 2 free.
        assert_eq!(
            before,
            [
                (d("2026-01-01"), 1, Some(100.0), Some(100.0)),
                (d("2026-02-01"), 2, Some(100.0), Some(50.0)),
            ]
        );
        // A team formed on 03-01 (with no record) and one formed before
        // everything (no since, no record: it counts on every date).
        team_since(&mut ws, "t3", Some("2026-03-01"));
        let after: Vec<(NaiveDate, usize, Option<f64>, Option<f64>)> = ws
            .adoption_over_time(&a1)
            .iter()
            .map(|r| (r.date, r.teams, r.all(), r.voluntary()))
            .collect();
        assert_eq!(after[..2], before[..]);
        // 03-01: t3 counts: 2 of 3 adopted, 1 of 3 free.
        assert_eq!(after[2].0, d("2026-03-01"));
        assert_eq!(after[2].1, 3);
        assert!((after[2].2.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        assert!((after[2].3.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        // On a date before t3's since, it is not counted.
        let r = ws.adoption_rates(&a1, d("2026-02-15"));
        assert_eq!((r.teams, r.adopted), (2, 2));
        // A team with neither since nor record counts on every date,
        // the past included.
        team_since(&mut ws, "t4", None);
        let r = ws.adoption_rates(&a1, d("2026-01-01"));
        assert_eq!((r.teams, r.adopted, r.all()), (2, 1, Some(50.0)));
        assert_eq!(ws.team_start(&"t2".into()), Some(d("2026-02-01")));
        assert_eq!(ws.team_start(&"t3".into()), Some(d("2026-03-01")));
        assert_eq!(ws.team_start(&"t4".into()), None);
    }

    #[test]
    fn no_teams_no_rate() {
        let ws = Workspace::new("t");
        let r = ws.adoption_rates(&Target::Activity("a".into()), d("2026-01-01"));
        assert_eq!(r.all(), None);
    }

    #[test]
    fn state_slugs() {
        for s in AdoptionState::ALL {
            assert_eq!(AdoptionState::from_slug(s.slug()), Some(s));
            assert_eq!(AdoptionState::from_slug(s.label()), Some(s));
        }
        assert_eq!(
            AdoptionState::from_slug("Trialing"),
            Some(AdoptionState::Trialling)
        );
        assert_eq!(AdoptionState::from_slug("maybe"), None);
    }
}
