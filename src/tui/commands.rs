//! Palette commands: `:add-phase NAME`, `:rename NAME`, `:view map`, ...
//! The names are stable: scripts and tests rely on them.

use super::action::Action;
use super::app::{App, View};
use super::popups::{Popup, Purpose};
use super::views::map::{Row, Selection};
use crate::model::edit::Edit;
use crate::model::score::rating_in_range;
use crate::model::{EntityRef, Role};

pub struct CommandSpec {
    pub name: &'static str,
    pub args: &'static str,
    pub help: &'static str,
    /// Values the argument can take (for Tab completion).
    pub choices: &'static [&'static str],
}

const fn cmd(name: &'static str, args: &'static str, help: &'static str) -> CommandSpec {
    CommandSpec {
        name,
        args,
        help,
        choices: &[],
    }
}

pub const COMMANDS: &[CommandSpec] = &[
    cmd(
        "add-phase",
        "NAME",
        "add a lifecycle phase after the selected one",
    ),
    cmd(
        "add-activity",
        "NAME",
        "add an activity to the selected phase, after the selected activity",
    ),
    cmd(
        "add-persona",
        "NAME",
        "add a persona after the selected one",
    ),
    cmd("rename", "NAME", "rename the selection"),
    cmd("delete", "", "delete the selection (asks; undoable)"),
    CommandSpec {
        name: "set-role",
        args: "customer|consumer|end-user",
        help: "set the selected persona's role",
        choices: &["customer", "consumer", "end-user"],
    },
    CommandSpec {
        name: "set-importance",
        args: "1-5|none",
        help: "rate how much the selected cell's activity matters to its persona",
        choices: &["1", "2", "3", "4", "5", "none"],
    },
    CommandSpec {
        name: "set-satisfaction",
        args: "1-5|none",
        help: "rate how well the selected cell is served today",
        choices: &["1", "2", "3", "4", "5", "none"],
    },
    cmd("move-left", "", "move the selected phase or activity left"),
    cmd(
        "move-right",
        "",
        "move the selected phase or activity right",
    ),
    cmd("move-up", "", "move the selected persona up"),
    cmd("move-down", "", "move the selected persona down"),
    cmd("coverage", "", "show / hide the map's blind spots"),
    cmd(
        "note",
        "",
        "capture an interview note (from a map cell: linked to it)",
    ),
    cmd(
        "filter",
        "EXPR",
        "filter Notes or Opportunities (empty clears)",
    ),
    cmd("add-opportunity", "TITLE", "add an opportunity"),
    cmd("add-metric", "NAME", "add a metric"),
    cmd(
        "observe",
        "VALUE [YYYY-MM-DD]",
        "add an observation to the selected metric",
    ),
    cmd(
        "board",
        "",
        "show / hide the roadmap board (Now / Next / Later)",
    ),
    cmd("save", "", "save the workspace"),
    cmd(
        "save-as",
        "PATH",
        "save into a new workspace folder and continue there",
    ),
    cmd(
        "reload",
        "",
        "drop unsaved changes and load the files again",
    ),
    cmd(
        "conflicts",
        "",
        "settle merge conflicts: keep this side or take the other",
    ),
    CommandSpec {
        name: "export",
        args: "md|csv|json|html PATH",
        help: "export the workspace",
        choices: &["md", "csv", "json", "html"],
    },
    cmd("undo", "", "undo the last change"),
    cmd("redo", "", "redo the last undone change"),
    CommandSpec {
        name: "view",
        args: "map|personas|notes|opportunities|metrics",
        help: "switch view",
        choices: &["map", "personas", "notes", "opportunities", "metrics"],
    },
    CommandSpec {
        name: "theme",
        args: "dark|light",
        help: "switch the colour theme",
        choices: &["dark", "light"],
    },
    cmd("help", "", "show every key and command"),
    cmd("quit", "", "quit (asks when there are unsaved changes)"),
    cmd("quit!", "", "quit without saving"),
];

impl App {
    /// Runs one palette command line.
    pub fn run_command(&mut self, line: &str) -> Result<(), String> {
        let line = line.trim().trim_start_matches(':').trim();
        let (name, arg) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        let spec = COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| {
            format!(
                "Unknown command \"{}\" (Tab lists them; ? shows help)",
                crate::text::sanitize(name)
            )
        })?;
        let need = |what: &str| -> Result<(), String> {
            if arg.is_empty() {
                Err(format!(
                    "Usage: {} {} — {what} is missing",
                    spec.name, spec.args
                ))
            } else {
                Ok(())
            }
        };
        match name {
            "add-phase" => {
                need("the name")?;
                let index = match self.map.selection(&self.ws) {
                    Selection::Phase(p) | Selection::EmptyPhase(p) => p + 1,
                    Selection::Activity(a) => a.phase + 1,
                    Selection::Cell { column, .. } => column.phase() + 1,
                    _ => self.ws.phases.len(),
                };
                self.add_phase(index, arg)
            }
            "add-activity" => {
                need("the name")?;
                let (phase, index) = self
                    .map_insertion_point()
                    .ok_or("There is no phase yet: add one first with :add-phase NAME")?;
                self.add_activity(phase, index, arg)
            }
            "add-persona" => {
                need("the name")?;
                let index = match self.view {
                    View::Personas => (self.personas.selected + 1).min(self.ws.personas.len()),
                    _ => match self.map.row {
                        Row::Persona(i) => i + 1,
                        _ => self.ws.personas.len(),
                    },
                };
                self.add_persona(index, arg)
            }
            "rename" => {
                need("the new name")?;
                let e = match self.selected_entity() {
                    Some(EntityRef::Perspective { activity, .. }) => EntityRef::Activity(activity),
                    Some(e) => e,
                    None => return Err("Nothing selected to rename".into()),
                };
                self.rename(&e, arg.to_string())
            }
            "delete" => {
                self.delete_selection();
                Ok(())
            }
            "set-role" => {
                need("the role")?;
                let role = Role::from_slug(arg).ok_or_else(|| {
                    format!(
                        "Unknown role \"{}\": customer, consumer or end-user",
                        crate::text::sanitize(arg)
                    )
                })?;
                self.set_role(role)
            }
            "set-importance" | "set-satisfaction" => {
                need("the rating")?;
                let rating = match arg {
                    "none" | "-" | "0" => None,
                    n => Some(
                        n.parse::<u8>()
                            .ok()
                            .filter(|r| rating_in_range(*r))
                            .ok_or("A rating is 1 to 5, or none")?,
                    ),
                };
                self.set_rating(name == "set-importance", rating)
            }
            "move-left" => self.dispatch_ok(Action::MoveLeft),
            "move-right" => self.dispatch_ok(Action::MoveRight),
            "move-up" => self.dispatch_ok(Action::MoveUp),
            "move-down" => self.dispatch_ok(Action::MoveDown),
            "coverage" => {
                self.view = View::Map;
                self.dispatch_ok(Action::ToggleCoverage)
            }
            "note" => self.dispatch_ok(Action::CaptureNote),
            "filter" => {
                if !matches!(self.view, View::Notes | View::Opportunities) {
                    self.view = View::Notes;
                }
                self.set_filter(arg)
            }
            "add-opportunity" => {
                need("the title")?;
                let o = crate::model::Opportunity::new(
                    self.ws.fresh_id(),
                    arg,
                    crate::model::OpportunityKind::Need,
                );
                let edit = Edit::InsertOpportunity {
                    index: self.ws.opportunity_insert_index(&o.id),
                    opportunity: o,
                };
                if self.apply(format!("add opportunity \"{arg}\""), edit) {
                    self.view = View::Opportunities;
                    self.board = None;
                    self.opp_filter = Default::default();
                    self.refresh_rows();
                    let last = self.ws.opportunities.last().map(|o| o.id.clone());
                    if let Some(i) = self
                        .opp_rows
                        .iter()
                        .position(|(id, _)| Some(id) == last.as_ref())
                    {
                        self.opportunities.selected = i;
                    }
                    self.info("Added: Enter edits its kind, status, horizon and links");
                }
                Ok(())
            }
            "add-metric" => {
                need("the name")?;
                let m = crate::model::Metric {
                    id: self.ws.fresh_id(),
                    name: arg.to_string(),
                    kind: Default::default(),
                    unit: String::new(),
                    description: String::new(),
                    activity: None,
                    opportunity: None,
                    baseline: None,
                    target: None,
                    direction: Default::default(),
                    observations: Vec::new(),
                };
                let index = self.ws.metric_insert_index(arg);
                let edit = Edit::InsertMetric { index, metric: m };
                if self.apply(format!("add metric \"{arg}\""), edit) {
                    self.view = View::Metrics;
                    self.metrics.selected = index;
                    self.info(
                        "Added: Enter sets its unit, target and links; o adds an observation",
                    );
                }
                Ok(())
            }
            "observe" => {
                need("the value")?;
                if self.view != View::Metrics {
                    return Err("Select a metric in Metrics (5) first".into());
                }
                let mut parts = arg.split_whitespace();
                let value: f64 = parts
                    .next()
                    .and_then(|v| v.replace(',', ".").parse().ok())
                    .filter(|v: &f64| v.is_finite())
                    .ok_or("The value must be a number")?;
                let date = match parts.next() {
                    Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| format!("\"{d}\" is not a date: use YYYY-MM-DD"))?,
                    None => self.today,
                };
                let mut m = self
                    .ws
                    .metrics
                    .get(self.metrics.selected)
                    .ok_or("There is no metric yet")?
                    .clone();
                m.observations.push(crate::model::Observation {
                    date,
                    value,
                    comment: String::new(),
                });
                let name = m.name.clone();
                self.apply(
                    format!("observe {name}: {value} on {date}"),
                    Edit::SetMetric { metric: m },
                );
                Ok(())
            }
            "board" => {
                self.view = View::Opportunities;
                self.dispatch_ok(Action::ToggleBoard)
            }
            "save" => self.dispatch_ok(Action::Save),
            "save-as" => {
                need("the folder")?;
                self.prompted(Purpose::SaveAs, arg.to_string());
                Ok(())
            }
            "conflicts" => {
                if self.ws.conflicts.is_empty() {
                    self.info("No merge conflicts");
                } else {
                    self.push(Popup::Conflicts(Default::default()));
                }
                Ok(())
            }
            "reload" => {
                self.reload();
                Ok(())
            }
            "export" => {
                need("the format and the path")?;
                let (fmt, path) = arg
                    .split_once(char::is_whitespace)
                    .ok_or("Usage: export md|csv|json|html PATH")?;
                let format: crate::export::Format = fmt.parse().map_err(|e| format!("{e}"))?;
                let out = super::update::expand_home(path.trim());
                if let Some(root) = self.root()
                    && crate::export::clobbers_workspace(root, &out)
                {
                    return Err(
                        "That would overwrite the workspace's own files: choose another path"
                            .into(),
                    );
                }
                let written =
                    crate::export::write(&self.ws, format, &out).map_err(|e| e.to_string())?;
                self.info(match written.as_slice() {
                    [one] => format!("Exported {} to {}", format.name(), one.display()),
                    many => format!("Exported {} CSV tables to {}", many.len(), out.display()),
                });
                Ok(())
            }
            "undo" => self.dispatch_ok(Action::Undo),
            "redo" => self.dispatch_ok(Action::Redo),
            "view" => {
                need("the view")?;
                self.view = View::from_slug(arg).ok_or_else(|| {
                    format!(
                        "Unknown view \"{}\": map, personas, notes, opportunities or metrics",
                        crate::text::sanitize(arg)
                    )
                })?;
                Ok(())
            }
            "theme" => {
                need("the theme")?;
                self.theme.name = match arg {
                    "dark" => super::theme::ThemeName::Dark,
                    "light" => super::theme::ThemeName::Light,
                    _ => return Err("Themes: dark, light".into()),
                };
                Ok(())
            }
            "help" => {
                self.push(Popup::help());
                Ok(())
            }
            "quit" => self.dispatch_ok(Action::Quit),
            "quit!" => {
                self.discard_recovery();
                self.exit = Some(super::app::Exit::Quit);
                Ok(())
            }
            _ => Err(format!("{name} is not available")),
        }
    }

    fn dispatch_ok(&mut self, a: Action) -> Result<(), String> {
        self.dispatch(a);
        Ok(())
    }

    /// The persona "the selection" means: the selected row in the map, the
    /// selected persona in the Personas view.
    fn selected_persona(&self) -> Option<usize> {
        match self.view {
            View::Personas => {
                (self.personas.selected < self.ws.personas.len()).then_some(self.personas.selected)
            }
            _ => match self.map.row {
                Row::Persona(i) if i < self.ws.personas.len() => Some(i),
                _ => None,
            },
        }
    }

    fn set_role(&mut self, role: Role) -> Result<(), String> {
        let i = self
            .selected_persona()
            .ok_or("Select a persona first (a row of the map, or in Personas)")?;
        let mut p = self.ws.personas[i].clone();
        let name = p.name.clone();
        p.role = role;
        if self.apply(
            format!("set role of {name}"),
            Edit::SetPersona { persona: p },
        ) {
            self.info(format!(
                "{} is now a {}",
                crate::text::sanitize(&name),
                role.label()
            ));
        }
        Ok(())
    }

    fn set_rating(&mut self, importance: bool, rating: Option<u8>) -> Result<(), String> {
        let Selection::Cell {
            persona,
            column: super::views::map::Column::Activity(pos),
        } = self.map.selection(&self.ws)
        else {
            return Err("Select a cell of the map first".into());
        };
        let pid = self.ws.personas[persona].id.clone();
        let aid = self.ws.phases[pos.phase].activities[pos.index].id.clone();
        let mut p = self
            .ws
            .perspective(&pid, &aid)
            .cloned()
            .unwrap_or_else(|| crate::model::Perspective::new(pid.clone(), aid.clone()));
        if importance {
            p.importance = rating;
        } else {
            p.satisfaction = rating;
        }
        let value = if p.is_blank() { None } else { Some(p) };
        self.apply(
            if importance {
                "set importance"
            } else {
                "set satisfaction"
            },
            Edit::SetPerspective {
                persona: pid,
                activity: aid,
                value,
            },
        );
        Ok(())
    }
}
