//! What actions do, split by view. Every change goes through `App::apply`.

mod map;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
use super::app::{App, ListState, View};
use super::popups::form::Form;
use super::popups::{Popup, Purpose};
use super::views::map::{Col, Row};
use crate::model::edit::Edit;
use crate::model::{Activity, Persona, Phase, Role};

/// Rows of a list panel in a terminal of height `h` (tabs, status, borders).
fn list_height(size: (u16, u16)) -> usize {
    size.1.saturating_sub(4).max(1) as usize
}

fn list_move(state: &mut ListState, a: Action, len: usize, page: usize) -> bool {
    match a {
        Action::Up => state.step(-1, len),
        Action::Down => state.step(1, len),
        Action::PageUp => state.step(-(page as isize), len),
        Action::PageDown => state.step(page as isize, len),
        Action::Top => state.selected = 0,
        Action::Bottom => state.selected = len.saturating_sub(1),
        _ => return false,
    }
    state.scroll_into_view(page);
    true
}

impl App {
    fn list_state(&mut self) -> (&mut ListState, usize) {
        match self.view {
            View::Personas | View::Map => (&mut self.personas, self.ws.personas.len()),
            View::Notes => (&mut self.notes, self.ws.notes.len()),
            View::Opportunities => (&mut self.opportunities, self.ws.opportunities.len()),
            View::Metrics => (&mut self.metrics, self.ws.metrics.len()),
        }
    }

    pub fn personas_action(&mut self, a: Action) {
        let page = list_height(self.size);
        let len = self.ws.personas.len();
        if list_move(&mut self.personas, a, len, page) {
            return;
        }
        let i = self.personas.selected;
        match a {
            Action::Open => match self.ws.personas.get(i) {
                Some(p) => {
                    let f = Form::persona(p);
                    self.push(Popup::Form(Box::new(f)));
                }
                None => self.add_persona_prompt(0),
            },
            Action::Add => self.add_persona_prompt((i + 1).min(len)),
            Action::Rename => self.rename_selection(),
            Action::Delete => self.delete_selection(),
            Action::MoveUp | Action::MoveDown => {
                let dir = if a == Action::MoveUp { -1 } else { 1 };
                if let Some(to) = self.move_persona(i, dir) {
                    self.personas.selected = to;
                }
            }
            Action::AddPhase | Action::ToggleCoverage | Action::MoveLeft | Action::MoveRight => {
                self.info("That works on the Map (1)");
            }
            _ => {}
        }
    }

    pub fn list_action(&mut self, a: Action) {
        let page = list_height(self.size);
        let (state, len) = self.list_state();
        if list_move(state, a, len, page) {
            return;
        }
        match a {
            Action::Delete => self.delete_selection(),
            Action::Rename => self.rename_selection(),
            Action::Open | Action::Add => self.info("Editing here is not in this build yet"),
            _ => {}
        }
    }

    pub fn list_mouse(&mut self, m: MouseEvent) {
        let page = list_height(self.size);
        let (state, len) = self.list_state();
        match m.kind {
            MouseEventKind::ScrollDown => state.step(1, len),
            MouseEventKind::ScrollUp => state.step(-1, len),
            // The list is the left panel: rows start below the tab bar and border.
            MouseEventKind::Down(MouseButton::Left)
                if m.row >= 2 && (m.row as usize) < 2 + page =>
            {
                let first = super::views::lists::window(*state, page, len);
                let i = first + (m.row as usize - 2);
                if i < len {
                    state.selected = i;
                }
            }
            _ => {}
        }
        state.scroll_into_view(page);
    }

    /// A prompt was answered.
    pub fn prompted(&mut self, purpose: Purpose, text: String) {
        let name = text.trim().to_string();
        match purpose {
            Purpose::AddPhase { index } => {
                if let Err(e) = self.add_phase(index, &name) {
                    self.error(e);
                }
            }
            Purpose::AddActivity { phase, index } => {
                if let Err(e) = self.add_activity(phase, index, &name) {
                    self.error(e);
                }
            }
            Purpose::AddPersona { index } => {
                if let Err(e) = self.add_persona(index, &name) {
                    self.error(e);
                }
            }
            Purpose::Rename(e) => {
                if let Err(msg) = self.rename(&e, name) {
                    self.error(msg);
                }
            }
            Purpose::SaveAs => {
                if name.is_empty() {
                    self.push(Popup::Prompt(super::popups::prompt::Prompt::new(
                        "Save as (a new folder)",
                        "",
                        Purpose::SaveAs,
                    )));
                } else {
                    self.save_as(&expand_home(&name));
                }
            }
        }
    }

    pub fn add_phase(&mut self, index: usize, name: &str) -> Result<(), String> {
        if name.is_empty() {
            return Err("A phase needs a name".into());
        }
        let index = index.min(self.ws.phases.len());
        let phase = Phase {
            id: self.ws.fresh_id(),
            name: name.to_string(),
            description: String::new(),
            activities: Vec::new(),
        };
        if self.apply(
            format!("add phase {name}"),
            Edit::InsertPhase { index, phase },
        ) {
            self.map.select_phase(&self.ws, index);
            self.map.row = Row::Phase;
            self.map.scroll_into_view(&self.ws, self.size);
            self.info(format!("Added phase \"{}\"", crate::text::sanitize(name)));
        }
        Ok(())
    }

    pub fn add_activity(&mut self, phase: usize, index: usize, name: &str) -> Result<(), String> {
        if name.is_empty() {
            return Err("An activity needs a name".into());
        }
        let p = self
            .ws
            .phases
            .get(phase)
            .ok_or("Add a phase first (A, or :add-phase NAME)")?;
        let index = index.min(p.activities.len());
        let activity = Activity {
            id: self.ws.fresh_id(),
            name: name.to_string(),
            description: String::new(),
        };
        let edit = Edit::InsertActivity {
            phase: p.id.clone(),
            index,
            activity,
        };
        let phase_name = p.name.clone();
        if self.apply(format!("add activity {name}"), edit) {
            self.map
                .select_activity(&self.ws, crate::model::ActivityPos { phase, index });
            if !matches!(self.map.row, Row::Persona(_)) || self.ws.personas.is_empty() {
                self.map.row = Row::Activity;
            }
            self.map.scroll_into_view(&self.ws, self.size);
            self.info(format!(
                "Added activity \"{}\" to {}",
                crate::text::sanitize(name),
                crate::text::sanitize(&phase_name)
            ));
        }
        Ok(())
    }

    pub fn add_persona(&mut self, index: usize, name: &str) -> Result<(), String> {
        if name.is_empty() {
            return Err("A persona needs a name".into());
        }
        let index = index.min(self.ws.personas.len());
        let persona = Persona {
            id: self.ws.fresh_id(),
            name: name.to_string(),
            role: Role::Consumer,
            description: String::new(),
            jobs: Vec::new(),
            tags: Vec::new(),
        };
        if self.apply(
            format!("add persona {name}"),
            Edit::InsertPersona { index, persona },
        ) {
            self.personas.selected = index;
            self.map.row = Row::Persona(index);
            if self.map.col == Col::Names || self.view == View::Map {
                self.map.col = Col::Names;
            }
            self.map.scroll_into_view(&self.ws, self.size);
            self.info(format!(
                "Added persona \"{}\" (consumer; change with :set-role)",
                crate::text::sanitize(name)
            ));
        }
        Ok(())
    }
}

/// `~/x` → `$HOME/x`.
pub fn expand_home(p: &str) -> std::path::PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(p),
    }
}
