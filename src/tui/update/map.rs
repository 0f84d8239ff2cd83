//! Map view: moving the cursor, and adding, renaming, deleting and
//! reordering phases, activities and personas in place.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use crate::model::edit::{self, Edit};
use crate::model::{ActivityPos, EntityRef};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::form::Form;
use crate::tui::popups::prompt::Prompt;
use crate::tui::popups::{Effect, Popup, Purpose};
use crate::tui::views::map::{Col, Column, Geometry, Row, Selection, columns};

impl App {
    pub fn map_action(&mut self, a: Action) {
        let g = Geometry::for_terminal(self.size, self.ws.personas.len());
        let page = g.vis_rows.max(1) as isize;
        match a {
            Action::Up => self.map.step(&self.ws, -1, 0),
            Action::Down => self.map.step(&self.ws, 1, 0),
            Action::Left => self.map.step(&self.ws, 0, -1),
            Action::Right => self.map.step(&self.ws, 0, 1),
            Action::PageUp => self.map.step(&self.ws, -page, 0),
            Action::PageDown => self.map.step(&self.ws, page, 0),
            Action::Top => {
                self.map.row = Row::Persona(0);
                self.map.col = Col::At(0);
                self.map.clamp(&self.ws);
            }
            Action::Bottom => {
                self.map.row = Row::Persona(self.ws.personas.len().saturating_sub(1));
                self.map.col = Col::At(columns(&self.ws).len().saturating_sub(1));
                self.map.clamp(&self.ws);
            }
            Action::Open => self.map_open(),
            Action::Add => self.map_add(),
            Action::AddPhase => self.add_phase_prompt(),
            Action::Rename => self.rename_selection(),
            Action::Delete => self.delete_selection(),
            Action::MoveLeft => self.map_move(-1),
            Action::MoveRight => self.map_move(1),
            Action::MoveUp => self.move_persona_at_cursor(-1),
            Action::MoveDown => self.move_persona_at_cursor(1),
            Action::ToggleCoverage => {
                self.map.coverage = !self.map.coverage;
                self.info(if self.map.coverage {
                    "Coverage on: ⚠ marks cells with no view, notes or metric; ⚑ customers-only, ⚐ consumers-only activities"
                } else {
                    "Coverage off"
                });
            }
            _ => {}
        }
        self.map.scroll_into_view(&self.ws, self.size);
    }

    /// The phase and position where an activity added "after the selection"
    /// goes.
    pub fn map_insertion_point(&self) -> Option<(usize, usize)> {
        let cols = columns(&self.ws);
        let col = match self.map.col {
            Col::At(i) => cols.get(i).copied(),
            Col::Names => cols.first().copied(),
        };
        match col {
            Some(Column::Activity(p)) => Some((p.phase, p.index + 1)),
            Some(Column::EmptyPhase(p)) => Some((p, 0)),
            None => None,
        }
    }

    fn map_open(&mut self) {
        match self.map.selection(&self.ws) {
            Selection::Cell {
                persona,
                column: Column::Activity(pos),
            } => {
                let p = self.ws.personas[persona].id.clone();
                let a = self.ws.phases[pos.phase].activities[pos.index].id.clone();
                self.push(Popup::Form(Box::new(Form::perspective(&self.ws, &p, &a))));
            }
            Selection::Cell {
                column: Column::EmptyPhase(phase),
                ..
            }
            | Selection::EmptyPhase(phase) => self.add_activity_prompt(phase, 0),
            Selection::Persona(i) => {
                let f = Form::persona(&self.ws.personas[i]);
                self.push(Popup::Form(Box::new(f)));
            }
            _ => self.rename_selection(),
        }
    }

    fn map_add(&mut self) {
        match self.map.selection(&self.ws) {
            Selection::Persona(i) => self.add_persona_prompt(i + 1),
            _ => match self.map_insertion_point() {
                Some((phase, index)) => self.add_activity_prompt(phase, index),
                None => self.add_phase_prompt(),
            },
        }
    }

    pub fn add_activity_prompt(&mut self, phase: usize, index: usize) {
        let name = self
            .ws
            .phases
            .get(phase)
            .map_or(String::new(), |p| crate::text::sanitize(&p.name));
        self.push(Popup::Prompt(Prompt::new(
            format!("New activity in {name}"),
            "",
            Purpose::AddActivity { phase, index },
        )));
    }

    pub fn add_phase_prompt(&mut self) {
        let index = match self.map.selection(&self.ws) {
            Selection::Phase(p) | Selection::EmptyPhase(p) => p + 1,
            Selection::Activity(a) => a.phase + 1,
            Selection::Cell { column, .. } => column.phase() + 1,
            _ => self.ws.phases.len(),
        };
        self.push(Popup::Prompt(Prompt::new(
            "New phase",
            "",
            Purpose::AddPhase { index },
        )));
    }

    pub fn add_persona_prompt(&mut self, index: usize) {
        self.push(Popup::Prompt(Prompt::new(
            "New persona",
            "",
            Purpose::AddPersona { index },
        )));
    }

    /// The entity "the selection" means for rename and delete, in the
    /// current view.
    pub fn selected_entity(&self) -> Option<EntityRef> {
        use crate::tui::app::View;
        match self.view {
            View::Map => match self.map.selection(&self.ws) {
                Selection::Workspace => Some(EntityRef::Workspace),
                Selection::Phase(p) | Selection::EmptyPhase(p) => {
                    Some(EntityRef::Phase(self.ws.phases[p].id.clone()))
                }
                Selection::Activity(pos) => Some(EntityRef::Activity(self.activity_id(pos))),
                Selection::Persona(i) => Some(EntityRef::Persona(self.ws.personas[i].id.clone())),
                Selection::Cell {
                    persona,
                    column: Column::Activity(pos),
                } => Some(EntityRef::Perspective {
                    persona: self.ws.personas[persona].id.clone(),
                    activity: self.activity_id(pos),
                }),
                Selection::Cell {
                    column: Column::EmptyPhase(p),
                    ..
                } => Some(EntityRef::Phase(self.ws.phases[p].id.clone())),
            },
            View::Personas => self
                .ws
                .personas
                .get(self.personas.selected)
                .map(|p| EntityRef::Persona(p.id.clone())),
            View::Notes => self
                .note_rows
                .get(self.notes.selected)
                .map(|id| EntityRef::Note(id.clone())),
            View::Opportunities => self
                .selected_opportunity()
                .map(|id| EntityRef::Opportunity(id.clone())),
            View::Metrics => self
                .ws
                .metrics
                .get(self.metrics.selected)
                .map(|m| EntityRef::Metric(m.id.clone())),
        }
    }

    fn activity_id(&self, pos: ActivityPos) -> crate::model::Id {
        self.ws.phases[pos.phase].activities[pos.index].id.clone()
    }

    /// The current name of something that can be renamed.
    fn name_of(&self, e: &EntityRef) -> Option<String> {
        Some(match e {
            EntityRef::Workspace => self.ws.name.clone(),
            EntityRef::Phase(id) => self.ws.phase(id)?.name.clone(),
            EntityRef::Activity(id) => self.ws.activity(id)?.name.clone(),
            EntityRef::Persona(id) => self.ws.persona(id)?.name.clone(),
            EntityRef::Opportunity(id) => self.ws.opportunity(id)?.title.clone(),
            EntityRef::Metric(id) => self.ws.metric(id)?.name.clone(),
            EntityRef::Note(id) => self.ws.notes.get(id)?.title.clone(),
            EntityRef::Perspective { .. } => return None,
        })
    }

    pub fn rename_selection(&mut self) {
        let Some(mut e) = self.selected_entity() else {
            self.info("Nothing selected to rename");
            return;
        };
        // In a cell, rename means the activity (the column).
        if let EntityRef::Perspective { activity, .. } = &e {
            e = EntityRef::Activity(activity.clone());
        }
        if matches!(e, EntityRef::Note(_)) {
            self.info("A note's title is its first line: open the note to change it");
            return;
        }
        let Some(current) = self.name_of(&e) else {
            return;
        };
        let title = format!("Rename {}", self.ws.describe(&e));
        self.push(Popup::Prompt(Prompt::new(
            title,
            &current,
            Purpose::Rename(e),
        )));
    }

    /// Applies a rename: the edit for the entity's new name.
    pub fn rename(&mut self, e: &EntityRef, name: String) -> Result<(), String> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err("A name cannot be empty".into());
        }
        let what = self.ws.describe(e);
        let edit = match e {
            EntityRef::Workspace => Edit::SetMeta {
                name: name.clone(),
                description: self.ws.description.clone(),
            },
            EntityRef::Phase(id) => {
                let p = self.ws.phase(id).ok_or("the phase no longer exists")?;
                Edit::SetPhase {
                    id: id.clone(),
                    name: name.clone(),
                    description: p.description.clone(),
                }
            }
            EntityRef::Activity(id) => {
                let mut a = self
                    .ws
                    .activity(id)
                    .ok_or("the activity no longer exists")?
                    .clone();
                a.name = name.clone();
                Edit::SetActivity { activity: a }
            }
            EntityRef::Persona(id) => {
                let mut p = self
                    .ws
                    .persona(id)
                    .ok_or("the persona no longer exists")?
                    .clone();
                p.name = name.clone();
                Edit::SetPersona { persona: p }
            }
            EntityRef::Opportunity(id) => {
                let mut o = self
                    .ws
                    .opportunity(id)
                    .ok_or("the opportunity no longer exists")?
                    .clone();
                o.title = name.clone();
                Edit::SetOpportunity { opportunity: o }
            }
            EntityRef::Metric(id) => {
                let mut m = self
                    .ws
                    .metric(id)
                    .ok_or("the metric no longer exists")?
                    .clone();
                m.name = name.clone();
                Edit::SetMetric { metric: m }
            }
            EntityRef::Note(id) => {
                let mut n = self
                    .ws
                    .notes
                    .get(id)
                    .ok_or("the note no longer exists")?
                    .clone();
                // The body's first line is the title (the capture syntax).
                if let Some(first) = n.body.lines().next()
                    && first.trim() == n.title.trim()
                {
                    n.body = format!("{name}{}", &n.body[first.len()..]);
                }
                n.title = name.clone();
                Edit::PutNote {
                    id: id.clone(),
                    note: Some(n),
                }
            }
            EntityRef::Perspective { .. } => {
                return Err("This cannot be renamed".into());
            }
        };
        if self.apply(format!("rename {what}"), edit) {
            self.info(format!(
                "Renamed {what} to \"{}\"",
                crate::text::sanitize(&name)
            ));
        }
        Ok(())
    }

    pub fn delete_selection(&mut self) {
        let Some(e) = self.selected_entity() else {
            self.info("Nothing selected to delete");
            return;
        };
        let what = self.ws.describe(&e);
        let (edit, impact) = match &e {
            EntityRef::Workspace => {
                self.info("The workspace itself cannot be deleted from here");
                return;
            }
            EntityRef::Phase(id) => edit::delete_phase(&self.ws, id),
            EntityRef::Activity(id) => edit::delete_activity(&self.ws, id),
            EntityRef::Persona(id) => edit::delete_persona(&self.ws, id),
            EntityRef::Note(id) => edit::delete_note(&self.ws, id),
            EntityRef::Opportunity(id) => edit::delete_opportunity(&self.ws, id),
            EntityRef::Metric(id) => (Edit::RemoveMetric { id: id.clone() }, Default::default()),
            EntityRef::Perspective { persona, activity } => {
                if self.ws.perspective(persona, activity).is_none() {
                    self.info("This cell is empty: nothing to delete");
                    return;
                }
                (
                    Edit::SetPerspective {
                        persona: persona.clone(),
                        activity: activity.clone(),
                        value: None,
                    },
                    Default::default(),
                )
            }
        };
        let lines = vec![
            format!("Delete {}?", crate::text::sanitize(&what)),
            format!("This also removes: {}.", impact.describe()),
            "You can undo it with u.".to_string(),
        ];
        self.push(Popup::Confirm(Confirm::new(
            "Delete",
            lines,
            Effect::Apply {
                label: format!("delete {what}"),
                edit,
            },
        )));
    }

    fn map_move(&mut self, dir: isize) {
        match self.map.selection(&self.ws) {
            Selection::Phase(p) | Selection::EmptyPhase(p) => {
                let to = p as isize + dir;
                if to < 0 || to >= self.ws.phases.len() as isize {
                    self.info("The phase is already at the edge");
                    return;
                }
                let id = self.ws.phases[p].id.clone();
                let name = self.ws.phases[p].name.clone();
                if self.apply(
                    format!("move phase {name}"),
                    Edit::MovePhase {
                        id,
                        to: to as usize,
                    },
                ) {
                    self.map.select_phase(&self.ws, to as usize);
                }
            }
            Selection::Activity(pos)
            | Selection::Cell {
                column: Column::Activity(pos),
                ..
            } => self.move_activity(pos, dir),
            _ => self.info("Select a phase or an activity to move it left or right"),
        }
    }

    fn move_activity(&mut self, pos: ActivityPos, dir: isize) {
        let id = self.activity_id(pos);
        let len = self.ws.phases[pos.phase].activities.len();
        let (phase, index) = if dir > 0 {
            if pos.index + 1 < len {
                (pos.phase, pos.index + 1)
            } else if pos.phase + 1 < self.ws.phases.len() {
                (pos.phase + 1, 0)
            } else {
                self.info("The activity is already last");
                return;
            }
        } else if pos.index > 0 {
            (pos.phase, pos.index - 1)
        } else if pos.phase > 0 {
            (
                pos.phase - 1,
                self.ws.phases[pos.phase - 1].activities.len(),
            )
        } else {
            self.info("The activity is already first");
            return;
        };
        let name = self.ws.phases[pos.phase].activities[pos.index].name.clone();
        let edit = Edit::MoveActivity {
            id,
            phase: self.ws.phases[phase].id.clone(),
            index,
        };
        if self.apply(format!("move activity {name}"), edit) {
            self.map
                .select_activity(&self.ws, ActivityPos { phase, index });
        }
    }

    fn move_persona_at_cursor(&mut self, dir: isize) {
        let Row::Persona(i) = self.map.row else {
            self.info("Select a persona row to move it up or down");
            return;
        };
        if let Some(to) = self.move_persona(i, dir) {
            self.map.row = Row::Persona(to);
        }
    }

    /// Moves the persona at `i` by one; returns its new index.
    pub fn move_persona(&mut self, i: usize, dir: isize) -> Option<usize> {
        let to = i as isize + dir;
        if i >= self.ws.personas.len() || to < 0 || to >= self.ws.personas.len() as isize {
            self.info("The persona is already at the edge");
            return None;
        }
        let id = self.ws.personas[i].id.clone();
        let name = self.ws.personas[i].name.clone();
        self.apply(
            format!("move persona {name}"),
            Edit::MovePersona {
                id,
                to: to as usize,
            },
        )
        .then_some(to as usize)
    }

    pub fn map_mouse(&mut self, m: MouseEvent) {
        let g = Geometry::for_terminal(self.size, self.ws.personas.len());
        match m.kind {
            MouseEventKind::ScrollDown => self.map.step(&self.ws, 1, 0),
            MouseEventKind::ScrollUp => self.map.step(&self.ws, -1, 0),
            MouseEventKind::ScrollRight => self.map.step(&self.ws, 0, 1),
            MouseEventKind::ScrollLeft => self.map.step(&self.ws, 0, -1),
            MouseEventKind::Down(MouseButton::Left) => {
                let (x, y) = (m.column, m.row);
                if y < g.area.y || y >= g.area.y + g.area.height {
                    return;
                }
                let rel_y = y - g.area.y;
                let row = match rel_y {
                    0 => Row::Phase,
                    1 => Row::Activity,
                    r => {
                        let i = self.map.first_row + ((r - g.header_h) / g.row_h) as usize;
                        if i >= self.ws.personas.len() {
                            return;
                        }
                        Row::Persona(i)
                    }
                };
                let col = if x < g.name_w {
                    Col::Names
                } else {
                    let i = self.map.first_col + ((x - g.name_w) / g.col_w.max(1)) as usize;
                    if i >= columns(&self.ws).len() {
                        return;
                    }
                    Col::At(i)
                };
                self.map.row = row;
                self.map.col = col;
            }
            _ => {}
        }
        self.map.scroll_into_view(&self.ws, self.size);
    }
}
