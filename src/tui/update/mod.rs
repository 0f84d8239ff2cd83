//! What actions do, split by view. Every change goes through `App::apply`.

mod capture;
mod map;
mod outside;
mod saving;

pub use saving::PendingSave;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
use super::app::{App, Board, ListState, View};
use super::popups::form::Form;
use super::popups::{Popup, Purpose};
use super::views::map::{Col, Row};
use crate::model::edit::Edit;
use crate::model::{Activity, Id, Persona, Phase, Role};
use crate::search::filter::{NoteFilter, OppFilter};

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
            View::Notes => (&mut self.notes, self.note_rows.len()),
            View::Opportunities => (&mut self.opportunities, self.opp_rows.len()),
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
        if self.view == View::Opportunities && self.board.is_some() && self.board_action(a) {
            return;
        }
        let page = list_height(self.size);
        let (state, len) = self.list_state();
        if list_move(state, a, len, page) {
            return;
        }
        match (self.view, a) {
            (_, Action::Delete) => self.delete_selection(),
            (_, Action::Rename) => self.rename_selection(),
            (View::Notes, Action::Open) => match self.note_rows.get(self.notes.selected).cloned() {
                Some(id) => self.edit_note(&id),
                None => self.open_capture(),
            },
            (View::Notes, Action::Add) => self.open_capture(),
            (View::Notes | View::Opportunities, Action::Filter) => self.filter_prompt(),
            (View::Opportunities, Action::Open) => match self.selected_opportunity().cloned() {
                Some(id) => self.edit_opportunity(Some(&id)),
                None => self.edit_opportunity(None),
            },
            (View::Opportunities, Action::Add) => self.edit_opportunity(None),
            (View::Opportunities, Action::ToggleBoard) => self.toggle_board(),
            (View::Opportunities, Action::MoveLeft) => self.move_horizon(-1),
            (View::Opportunities, Action::MoveRight) => self.move_horizon(1),
            (View::Metrics, Action::Open) => match self.ws.metrics.get(self.metrics.selected) {
                Some(m) => {
                    let f = Form::metric(Some(m), None, None);
                    self.push(Popup::Form(Box::new(f)));
                }
                None => self.add_metric(),
            },
            (View::Metrics, Action::Add) => self.add_metric(),
            (View::Metrics, Action::Observe) => self.observe_prompt(),
            (_, Action::Filter | Action::ToggleBoard | Action::Observe) => {
                self.info("That key works in another view: see ? for help")
            }
            _ => {}
        }
    }

    /// The opportunity under the cursor (list or board).
    pub fn selected_opportunity(&self) -> Option<&Id> {
        match self.board {
            Some(b) => super::views::opportunities::column_cards(self, b.col)
                .get(b.row)
                .map(|(id, _)| id),
            None => self
                .opp_rows
                .get(self.opportunities.selected)
                .map(|(id, _)| id),
        }
    }

    fn filter_prompt(&mut self) {
        let (title, current) = match self.view {
            View::Notes => (
                "Filter notes: persona:NAME activity:NAME #tag by:INTERVIEWEE words (empty: all)",
                self.note_filter.text.clone(),
            ),
            _ => (
                "Filter: status:S horizon:now|next|later|none persona:NAME phase:NAME noevidence words",
                self.opp_filter.text.clone(),
            ),
        };
        self.push(Popup::Prompt(
            super::popups::prompt::Prompt::new(title, &current, Purpose::Filter).allow_empty(),
        ));
    }

    /// Applies a filter expression to the current list view.
    pub fn set_filter(&mut self, text: &str) -> Result<(), String> {
        match self.view {
            View::Notes => self.note_filter = NoteFilter::parse(&self.ws, text)?,
            View::Opportunities => self.opp_filter = OppFilter::parse(&self.ws, text)?,
            _ => return Err("Filters work in Notes (3) and Opportunities (4)".into()),
        }
        self.refresh_rows();
        self.notes.selected = 0;
        self.opportunities.selected = 0;
        if text.trim().is_empty() {
            self.info("Filter cleared");
        }
        Ok(())
    }

    pub fn edit_opportunity(&mut self, id: Option<&Id>) {
        let o = id.and_then(|id| self.ws.opportunity(id));
        let f = Form::opportunity(o, Vec::new(), Vec::new());
        self.push(Popup::Form(Box::new(f)));
    }

    fn add_metric(&mut self) {
        let f = Form::metric(None, None, None);
        self.push(Popup::Form(Box::new(f)));
    }

    pub fn observe_prompt(&mut self) {
        match self.ws.metrics.get(self.metrics.selected) {
            Some(m) => {
                let f = Form::observation(m, self.today);
                self.push(Popup::Form(Box::new(f)));
            }
            None => self.info("Add a metric first (a)"),
        }
    }

    fn toggle_board(&mut self) {
        self.board = match self.board {
            Some(_) => None,
            None => Some(Board::default()),
        };
    }

    /// Moves the selected opportunity to the previous / next horizon column.
    fn move_horizon(&mut self, dir: isize) {
        use super::views::opportunities::{COLUMNS, column_title};
        let Some(id) = self.selected_opportunity().cloned() else {
            return;
        };
        let Some(o) = self.ws.opportunity(&id) else {
            return;
        };
        let col = COLUMNS.iter().position(|h| *h == o.horizon).unwrap_or(3) as isize;
        let to = col + dir;
        if !(0..COLUMNS.len() as isize).contains(&to) {
            self.info("Already at the edge of the board");
            return;
        }
        let mut o = o.clone();
        o.horizon = COLUMNS[to as usize];
        let title = o.title.clone();
        if self.apply(
            format!("move \"{title}\" to {}", column_title(o.horizon)),
            Edit::SetOpportunity { opportunity: o },
        ) {
            if self.board.is_some() {
                let row = super::views::opportunities::column_cards(self, to as usize)
                    .iter()
                    .position(|(x, _)| *x == id)
                    .unwrap_or(0);
                self.board = Some(Board {
                    col: to as usize,
                    row,
                });
            }
            self.info(format!("Moved to {}", column_title(COLUMNS[to as usize])));
        }
    }

    /// Cursor keys on the board. Returns whether the action was used.
    fn board_action(&mut self, a: Action) -> bool {
        let Some(mut b) = self.board else {
            return false;
        };
        match a {
            Action::Left => b.col = b.col.saturating_sub(1),
            Action::Right => b.col = (b.col + 1).min(3),
            Action::Up => b.row = b.row.saturating_sub(1),
            Action::Down => b.row += 1,
            Action::Top => b.row = 0,
            Action::Bottom => b.row = usize::MAX,
            _ => return false,
        }
        let n = super::views::opportunities::column_cards(self, b.col).len();
        b.row = b.row.min(n.saturating_sub(1));
        self.board = Some(b);
        true
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
            Purpose::Filter => {
                if let Err(e) = self.set_filter(&text) {
                    self.error(e);
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

/// How long one slice of search matching may take.
const SEARCH_SLICE: std::time::Duration = std::time::Duration::from_millis(8);
/// How many entries are matched between clock checks.
const SEARCH_CHUNK: usize = 512;

impl App {
    pub fn open_search(&mut self) {
        if !matches!(self.popups.last(), Some(Popup::Search(_))) {
            self.search.set_query(&self.ws, "");
            self.search_marks.clear();
            self.push(Popup::Search(super::popups::search::Search::default()));
        }
    }

    pub fn search_query(&mut self, q: &str) {
        self.search.set_query(&self.ws, q);
        self.search_marks.clear();
        self.tick();
    }

    /// Runs pending background work for at most a slice of time: matching
    /// the current search. Called after events and when the terminal is idle.
    pub fn tick(&mut self) {
        self.poll_save();
        self.recheck_disk();
        if self.search.done() {
            return;
        }
        let start = std::time::Instant::now();
        while !self.search.step(&self.ws, SEARCH_CHUNK) && start.elapsed() < SEARCH_SLICE {}
        self.refresh_search_marks();
    }

    /// Whether background work is pending (the loop then polls sooner).
    pub fn busy(&self) -> bool {
        !self.search.done() || self.pending_save.is_some()
    }

    fn refresh_search_marks(&mut self) {
        self.search_marks.clear();
        let hits: Vec<_> = self.search.hits.iter().take(80).cloned().collect();
        for h in hits {
            let m = self.search.indices(&self.ws, &h);
            self.search_marks.insert(h.target, m);
        }
    }

    /// Goes to the entity of the n-th search result, in its view.
    pub fn search_jump(&mut self, n: usize) {
        let Some(target) = self.search.hits.get(n).map(|h| h.target.clone()) else {
            return;
        };
        self.jump_to(&target);
    }

    /// Shows an entity in its view, selected.
    pub fn jump_to(&mut self, target: &crate::model::EntityRef) {
        use crate::model::EntityRef as E;
        match target {
            E::Workspace => self.view = View::Map,
            E::Phase(id) => {
                if let Some(i) = self.ws.phase_index(id) {
                    self.view = View::Map;
                    self.map.row = Row::Phase;
                    self.map.select_phase(&self.ws, i);
                }
            }
            E::Activity(id) => {
                if let Some(pos) = self.ws.activity_pos(id) {
                    self.view = View::Map;
                    self.map.row = Row::Activity;
                    self.map.select_activity(&self.ws, pos);
                }
            }
            E::Perspective { persona, activity } => {
                if let (Some(i), Some(pos)) = (
                    self.ws.persona_index(persona),
                    self.ws.activity_pos(activity),
                ) {
                    self.view = View::Map;
                    self.map.row = Row::Persona(i);
                    self.map.select_activity(&self.ws, pos);
                }
            }
            E::Persona(id) => {
                if let Some(i) = self.ws.persona_index(id) {
                    self.view = View::Personas;
                    self.personas.selected = i;
                    self.map.row = Row::Persona(i);
                }
            }
            E::Note(id) => {
                self.view = View::Notes;
                if !self.note_rows.contains(id) {
                    self.note_filter = Default::default();
                    self.refresh_rows();
                }
                if let Some(i) = self.note_rows.iter().position(|x| x == id) {
                    self.notes.selected = i;
                }
            }
            E::Opportunity(id) => {
                self.view = View::Opportunities;
                self.board = None;
                if !self.opp_rows.iter().any(|(x, _)| x == id) {
                    self.opp_filter = Default::default();
                    self.refresh_rows();
                }
                if let Some(i) = self.opp_rows.iter().position(|(x, _)| x == id) {
                    self.opportunities.selected = i;
                }
            }
            E::Metric(id) => {
                if let Some(i) = self.ws.metric_index(id) {
                    self.view = View::Metrics;
                    self.metrics.selected = i;
                }
            }
        }
        self.map.scroll_into_view(&self.ws, self.size);
        self.personas.scroll_into_view(list_height(self.size));
        self.notes.scroll_into_view(list_height(self.size));
        self.opportunities.scroll_into_view(list_height(self.size));
        self.metrics.scroll_into_view(list_height(self.size));
    }
}
