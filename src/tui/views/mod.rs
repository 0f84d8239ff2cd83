//! The views: the bottom layer of the compositor. Each view owns its state
//! (cursor, filter, rows) and draws from it and the context; keys that move
//! are its own business, every other key asks for a [`Command`].

pub mod adoption;
pub mod map;
pub mod metrics;
pub mod needs;
pub mod notes;
pub mod opportunities;
pub mod personas;
pub mod tree;

use std::any::Any;
use std::collections::BTreeSet;

use crate::model::coverage::Stats;

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::action::{Action, Context};
use super::command::Command;
use super::layer::{Cx, EventResult, Layer, Reply};
use super::state::map::{Col, Column, Geometry, MapState, Row, Selection, columns};
use super::state::{ListState, Message, View};
use crate::model::validate::FileKey;
use crate::model::{EntityRef, Id, Workspace};
use crate::text::{sanitize, truncate, width};

pub use notes::NotesView;
pub use opportunities::OppsView;
pub use tree::TreeView;

/// Below this size the views cannot be laid out; a notice is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Rows of a list panel in a terminal of height `h` (tabs, status, borders).
pub fn list_height(size: (u16, u16)) -> usize {
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

/// Every view's state, and which view is shown.
pub struct Views {
    pub current: View,
    pub map: MapState,
    pub personas: ListState,
    pub notes: NotesView,
    pub opps: OppsView,
    pub metrics: ListState,
    pub tree: TreeView,
    pub needs: needs::NeedsView,
    pub adoption: adoption::AdoptionView,
}

impl Views {
    pub fn new(ws: &Workspace, stats: &Stats) -> Views {
        let mut v = Views {
            current: View::Map,
            map: MapState::default(),
            personas: ListState::default(),
            notes: NotesView::default(),
            opps: OppsView::default(),
            metrics: ListState::default(),
            tree: TreeView::default(),
            needs: needs::NeedsView::default(),
            adoption: adoption::AdoptionView::default(),
        };
        v.refresh(ws, stats, None);
        v
    }

    /// Brings rows and cursors up to date after `files` changed (`None`:
    /// everything).
    pub fn refresh(&mut self, ws: &Workspace, stats: &Stats, files: Option<&BTreeSet<FileKey>>) {
        self.map.clamp(ws);
        self.personas.clamp(ws.personas.len());
        self.metrics.clamp(ws.metrics.len());
        self.notes.refresh(ws, files);
        self.opps.refresh(ws, stats, files);
        // The tree ranks its opportunities as the list does.
        let ranked = self.opps.ranked_by_score(ws);
        self.tree.refresh(ws, self.opps.cells(), ranked, files);
        self.needs.refresh(ws);
        self.adoption.clamp(ws);
    }

    /// Puts the cursor on what an edit created (a new opportunity, metric
    /// or persona), in its list.
    pub fn follow(&mut self, edit: &crate::model::edit::Edit, ws: &Workspace) {
        use crate::model::edit::Edit;
        match edit {
            Edit::InsertMetric { metric, .. } => {
                if let Some(i) = ws.metric_index(&metric.id) {
                    self.metrics.selected = i;
                }
            }
            Edit::InsertOpportunity { opportunity, .. } => {
                let id = opportunity.id.clone();
                if self.opps.board.is_none() {
                    self.opps.show(ws, &id);
                }
            }
            Edit::InsertPersona { persona, .. } => {
                if let Some(i) = ws.persona_index(&persona.id) {
                    self.personas.selected = i;
                }
            }
            Edit::Put {
                kind: crate::model::Kind::Team,
                id,
                item: Some(_),
            } if self.current == View::Adoption => self.adoption.show(ws, id, None),
            _ => {}
        }
        if let Some(id) = created_node(edit) {
            self.needs.node = Some(id);
            self.needs.refresh(ws);
        }
        if self.current == View::Tree
            && let Some(n) = tree::node_of_edit(edit)
        {
            self.tree.show(ws, &n);
        }
    }

    /// The entity "the selection" means for rename and delete, in the
    /// current view.
    pub fn selection(&self, ws: &Workspace) -> Option<EntityRef> {
        let activity_id =
            |pos: crate::model::ActivityPos| ws.phases[pos.phase].activities[pos.index].id.clone();
        match self.current {
            View::Map => match self.map.selection(ws) {
                Selection::Workspace => Some(EntityRef::Workspace),
                Selection::Phase(p) | Selection::EmptyPhase(p) => {
                    Some(EntityRef::Phase(ws.phases[p].id.clone()))
                }
                Selection::Activity(pos) => Some(EntityRef::Activity(activity_id(pos))),
                Selection::Persona(i) => Some(EntityRef::Persona(ws.personas[i].id.clone())),
                Selection::Cell {
                    persona,
                    column: Column::Activity(pos),
                } => Some(EntityRef::Perspective {
                    persona: ws.personas[persona].id.clone(),
                    activity: activity_id(pos),
                }),
                Selection::Cell {
                    column: Column::EmptyPhase(p),
                    ..
                } => Some(EntityRef::Phase(ws.phases[p].id.clone())),
            },
            View::Personas => ws
                .personas
                .get(self.personas.selected)
                .map(|p| EntityRef::Persona(p.id.clone())),
            View::Notes => self.notes.selected().map(|id| EntityRef::Note(id.clone())),
            View::Opportunities => self
                .opps
                .selected()
                .map(|id| EntityRef::Opportunity(id.clone())),
            View::Metrics => ws
                .metrics
                .get(self.metrics.selected)
                .map(|m| EntityRef::Metric(m.id.clone())),
            View::Tree => self.tree.selection(),
            View::Needs => self.needs.selection(ws),
            View::Adoption => self.adoption.selection(ws),
        }
    }

    /// The persona the selection is on: the selected row in the map, the
    /// selected persona in the Personas view.
    pub fn selected_persona(&self, ws: &Workspace) -> Option<usize> {
        match self.current {
            View::Personas => {
                (self.personas.selected < ws.personas.len()).then_some(self.personas.selected)
            }
            _ => match self.map.row {
                Row::Persona(i) if i < ws.personas.len() => Some(i),
                _ => None,
            },
        }
    }

    /// Shows an entity in its view, selected.
    pub fn show(&mut self, target: &EntityRef, ws: &Workspace, size: (u16, u16)) {
        use EntityRef as E;
        match target {
            E::Workspace => self.current = View::Map,
            E::Phase(id) => {
                if let Some(i) = ws.phase_index(id) {
                    self.current = View::Map;
                    self.map.row = Row::Phase;
                    self.map.select_phase(ws, i);
                }
            }
            E::Activity(id) => {
                if let Some(pos) = ws.activity_pos(id) {
                    self.current = View::Map;
                    self.map.row = Row::Activity;
                    self.map.select_activity(ws, pos);
                }
            }
            E::Perspective { persona, activity } => {
                if let (Some(i), Some(pos)) = (ws.persona_index(persona), ws.activity_pos(activity))
                {
                    self.current = View::Map;
                    self.map.row = Row::Persona(i);
                    self.map.select_activity(ws, pos);
                }
            }
            E::Persona(id) => {
                if let Some(i) = ws.persona_index(id) {
                    self.current = View::Personas;
                    self.personas.selected = i;
                    self.map.row = Row::Persona(i);
                }
            }
            E::Note(id) => {
                self.current = View::Notes;
                self.notes.show(ws, id);
            }
            E::Opportunity(id) => {
                self.current = View::Opportunities;
                self.opps.show(ws, id);
            }
            E::Metric(id) => {
                if let Some(i) = ws.metric_index(id) {
                    self.current = View::Metrics;
                    self.metrics.selected = i;
                }
            }
            E::Item(crate::model::Kind::NeedsNode | crate::model::Kind::NeedsLayer, _) => {
                self.current = View::Needs;
                self.needs.show(ws, target);
            }
            E::Item(crate::model::Kind::Team, id) => {
                self.current = View::Adoption;
                self.adoption.show(ws, id, None);
            }
            E::Item(crate::model::Kind::Adoption, id) => {
                if let Some(a) = ws.items.adoptions.get(id) {
                    self.current = View::Adoption;
                    self.adoption.show(ws, &a.team, Some(&a.target));
                }
            }
            E::Item(..) => {
                if let Some(n) = tree::Node::of(target) {
                    self.current = View::Tree;
                    self.tree.show(ws, &n);
                }
            }
        }
        self.scroll(ws, size);
    }

    /// Keeps every cursor on screen.
    pub fn scroll(&mut self, ws: &Workspace, size: (u16, u16)) {
        let h = list_height(size);
        self.map.scroll_into_view(ws, size);
        self.personas.scroll_into_view(h);
        self.notes.list.scroll_into_view(h);
        self.opps.list.scroll_into_view(h);
        self.metrics.scroll_into_view(h);
        self.tree.list.scroll_into_view(h);
        self.adoption.scroll(size);
    }

    /// The phase and position where an activity added "after the selection"
    /// goes.
    pub fn insertion_point(&self, ws: &Workspace) -> Option<(usize, usize)> {
        let cols = columns(ws);
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

    fn map_move(&mut self, a: Action, cx: &Cx) -> bool {
        let ws = cx.ws;
        let g = Geometry::for_terminal(cx.size, ws.personas.len(), columns(ws).len());
        let page = g.vis_rows.max(1) as isize;
        match a {
            Action::Up => self.map.step(ws, -1, 0),
            Action::Down => self.map.step(ws, 1, 0),
            Action::Left => self.map.step(ws, 0, -1),
            Action::Right => self.map.step(ws, 0, 1),
            Action::PageUp => self.map.step(ws, -page, 0),
            Action::PageDown => self.map.step(ws, page, 0),
            Action::Top => {
                self.map.row = Row::Persona(0);
                self.map.col = Col::At(0);
                self.map.clamp(ws);
            }
            Action::Bottom => {
                self.map.row = Row::Persona(ws.personas.len().saturating_sub(1));
                self.map.col = Col::At(columns(ws).len().saturating_sub(1));
                self.map.clamp(ws);
            }
            _ => return false,
        }
        self.map.scroll_into_view(ws, cx.size);
        true
    }

    /// Moves the cursor of the current view; returns whether `a` was a move.
    fn cursor(&mut self, a: Action, cx: &Cx) -> bool {
        let page = list_height(cx.size);
        match self.current {
            View::Map => self.map_move(a, cx),
            View::Personas => list_move(&mut self.personas, a, cx.ws.personas.len(), page),
            View::Notes => {
                let n = self.notes.rows.len();
                list_move(&mut self.notes.list, a, n, page)
            }
            View::Opportunities => {
                if self.opps.board.is_some() {
                    self.opps.board_move(a)
                } else {
                    let n = self.opps.rows.len();
                    list_move(&mut self.opps.list, a, n, page)
                }
            }
            View::Metrics => list_move(&mut self.metrics, a, cx.ws.metrics.len(), page),
            View::Tree => match a {
                Action::Left => {
                    self.tree.left(cx.ws);
                    self.tree.list.scroll_into_view(page);
                    true
                }
                Action::Right => {
                    self.tree.right(cx.ws);
                    self.tree.list.scroll_into_view(page);
                    true
                }
                Action::Fold => {
                    self.tree.toggle(cx.ws);
                    self.tree.list.scroll_into_view(page);
                    true
                }
                _ => {
                    let n = self.tree.rows.len();
                    list_move(&mut self.tree.list, a, n, page)
                }
            },
            View::Needs => {
                match a {
                    Action::Up => self.needs.step(cx.ws, -1, 0),
                    Action::Down => self.needs.step(cx.ws, 1, 0),
                    Action::Left => self.needs.step(cx.ws, 0, -1),
                    Action::Right => self.needs.step(cx.ws, 0, 1),
                    Action::Top | Action::PageUp => self.needs.jump(cx.ws, true),
                    Action::Bottom | Action::PageDown => self.needs.jump(cx.ws, false),
                    _ => return false,
                }
                true
            }
            View::Adoption => self.adoption.step(a, cx.ws, cx.size),
        }
    }

    fn list_mouse(&mut self, m: &MouseEvent, cx: &Cx) {
        let page = list_height(cx.size);
        let (state, len) = match self.current {
            View::Personas | View::Map => (&mut self.personas, cx.ws.personas.len()),
            View::Notes => (&mut self.notes.list, self.notes.rows.len()),
            View::Opportunities => (&mut self.opps.list, self.opps.rows.len()),
            View::Metrics => (&mut self.metrics, cx.ws.metrics.len()),
            View::Tree => (&mut self.tree.list, self.tree.rows.len()),
            View::Needs => {
                match m.kind {
                    MouseEventKind::ScrollDown => self.needs.step(cx.ws, 1, 0),
                    MouseEventKind::ScrollUp => self.needs.step(cx.ws, -1, 0),
                    MouseEventKind::ScrollRight => self.needs.step(cx.ws, 0, 1),
                    MouseEventKind::ScrollLeft => self.needs.step(cx.ws, 0, -1),
                    _ => {}
                }
                return;
            }
            View::Adoption => (&mut self.adoption.list, cx.ws.items.teams.len()),
        };
        match m.kind {
            MouseEventKind::ScrollDown => state.step(1, len),
            MouseEventKind::ScrollUp => state.step(-1, len),
            // The list is the left panel: rows start below the tab bar and border.
            MouseEventKind::Down(MouseButton::Left)
                if m.row >= 2 && (m.row as usize) < 2 + page =>
            {
                let first = state.window(page, len);
                let i = first + (m.row as usize - 2);
                if i < len {
                    state.selected = i;
                }
            }
            _ => {}
        }
        state.scroll_into_view(page);
    }

    fn map_mouse(&mut self, m: &MouseEvent, cx: &Cx) {
        let ws = cx.ws;
        let g = Geometry::for_terminal(cx.size, ws.personas.len(), columns(ws).len());
        match m.kind {
            MouseEventKind::ScrollDown => self.map.step(ws, 1, 0),
            MouseEventKind::ScrollUp => self.map.step(ws, -1, 0),
            MouseEventKind::ScrollRight => self.map.step(ws, 0, 1),
            MouseEventKind::ScrollLeft => self.map.step(ws, 0, -1),
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
                        if i >= ws.personas.len() {
                            return;
                        }
                        Row::Persona(i)
                    }
                };
                let col = if x < g.name_w {
                    Col::Names
                } else {
                    let i = self.map.first_col + ((x - g.name_w) / g.col_w.max(1)) as usize;
                    if i >= columns(ws).len() {
                        return;
                    }
                    Col::At(i)
                };
                self.map.row = row;
                self.map.col = col;
            }
            _ => {}
        }
        self.map.scroll_into_view(ws, cx.size);
    }
}

impl Layer for Views {
    fn name(&self) -> &'static str {
        self.current.slug()
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let Some(a) = cx.action(Context::Main, key) else {
            return EventResult::Ignored;
        };
        if self.cursor(a, cx) {
            return Reply::stay();
        }
        // Keys whose meaning the tree gives its own shape.
        let command = match (self.current, a) {
            (View::Tree, Action::AddPhase) => Some(Command::AddSibling),
            (View::Tree, Action::Merge) => Some(Command::MoveNode),
            (View::Needs, Action::AddPhase) => Some(Command::AddLayer(None)),
            _ => Command::for_action(a),
        };
        match command {
            Some(c) => EventResult::Consumed(super::layer::Reply {
                close: false,
                cmds: vec![super::layer::Cmd::Run(c)],
            }),
            None => EventResult::Ignored,
        }
    }

    fn mouse(&mut self, m: &MouseEvent, cx: &Cx) -> EventResult {
        if let Some(v) = tab_at(m, self.current, cx.size.0) {
            self.current = v;
            return Reply::stay();
        }
        match self.current {
            View::Map => self.map_mouse(m, cx),
            _ => self.list_mouse(m, cx),
        }
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        match self.current {
            View::Map => map::render(&self.map, cx, f, area),
            View::Personas => personas::render(self.personas, cx, f, area),
            View::Notes => self.notes.render(cx, f, area),
            View::Opportunities => self.opps.render(cx, f, area),
            View::Metrics => metrics::render(self.metrics, cx, f, area),
            View::Tree => self.tree.render(cx, f, area),
            View::Needs => self.needs.render(cx, f, area),
            View::Adoption => adoption::render(&self.adoption, cx, f, area),
        }
    }

    fn changed(&mut self, cx: &Cx, files: &BTreeSet<FileKey>) {
        self.refresh(cx.ws, cx.stats, Some(files));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What the status bar shows besides the message.
pub struct Status<'a> {
    pub root: Option<&'a std::path::Path>,
    pub dirty: bool,
    pub changed_on_disk: bool,
    /// A message: a save in progress, or the last thing said.
    pub message: Option<Message>,
}

/// The tab bar, the status bar, or the "too small" notice.
pub fn draw_chrome(f: &mut Frame, cx: &Cx, current: View, status: &Status) -> Option<Rect> {
    let area = f.area();
    f.render_widget(Block::new().style(cx.theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(cx, f, area);
        return None;
    }
    let [tabs, body, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(cx, current, f, tabs);
    render_status(cx, status, f, bar);
    Some(body)
}

fn too_small(cx: &Cx, f: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small: {}x{}, valuemap needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window ({} quits).",
        area.width,
        area.height,
        cx.hint(Action::Quit)
    );
    f.render_widget(
        Paragraph::new(text)
            .style(cx.theme.warn())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The label of each tab: every title when they all fit in `width`
/// columns, else the number alone but for the current view's.
fn tab_labels(current: View, width: u16) -> Vec<(View, String)> {
    let full: Vec<(View, String)> = View::ALL
        .iter()
        .map(|v| (*v, format!(" {} {} ", v.number(), v.title())))
        .collect();
    let used: usize = 1 + full.iter().map(|(_, l)| l.len() + 1).sum::<usize>();
    if used <= width as usize {
        return full;
    }
    View::ALL
        .iter()
        .map(|v| {
            let l = if *v == current {
                format!(" {} {} ", v.number(), v.title())
            } else {
                format!(" {} ", v.number())
            };
            (*v, l)
        })
        .collect()
}

/// Where each tab is on the tab bar: (view, first column, width).
fn tab_spans(current: View, width: u16) -> Vec<(View, u16, u16)> {
    let mut x = 1u16;
    tab_labels(current, width)
        .into_iter()
        .map(|(v, l)| {
            let w = crate::text::width(&l) as u16;
            let r = (v, x, w);
            x += w + 1;
            r
        })
        .collect()
}

fn render_tabs(cx: &Cx, current: View, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let mut spans = vec![Span::raw(" ")];
    for (v, label) in tab_labels(current, area.width) {
        let style = if v == current { t.selected() } else { t.dim() };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let name = sanitize(&cx.ws.name);
    let room = (area.width as usize).saturating_sub(used + 1);
    if room > 3 {
        let name = truncate(&name, room);
        spans.push(Span::raw(" ".repeat(room - width(&name))));
        spans.push(Span::styled(name, t.title()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The view under a mouse click on the tab bar.
pub fn tab_at(m: &MouseEvent, current: View, width: u16) -> Option<View> {
    if m.row != 0 || !matches!(m.kind, MouseEventKind::Down(_)) {
        return None;
    }
    tab_spans(current, width)
        .into_iter()
        .find(|(_, x, w)| m.column >= *x && m.column < x + w)
        .map(|(v, _, _)| v)
}

fn render_status(cx: &Cx, s: &Status, f: &mut Frame, area: Rect) {
    use super::state::Level;
    let t = cx.theme;
    let bar = t.status_bar();
    let dirty = if s.dirty { "● " } else { "  " };
    let file = match s.root {
        Some(p) => shorten_home(&p.display().to_string()),
        None => "(no folder: :save-as PATH)".to_string(),
    };
    let hints = format!(
        "{} help  {} commands  {} quit ",
        cx.hint(Action::Help),
        cx.hint(Action::Palette),
        cx.hint(Action::Quit)
    );
    let mut spans = vec![
        Span::styled(format!(" {dirty}"), bar),
        Span::styled(sanitize(&file), bar),
    ];
    if s.dirty {
        spans.push(Span::styled(" [modified]", t.status_alert(false)));
    }
    if s.changed_on_disk {
        spans.push(Span::styled(" [changed on disk]", t.status_alert(true)));
    }
    spans.push(Span::styled("  ", bar));
    let left: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(left + width(&hints));
    match &s.message {
        Some(m) => {
            let style = match m.level {
                Level::Info => bar,
                Level::Warn => t.status_alert(false),
                Level::Error => t.status_alert(true),
            };
            let avail = (area.width as usize).saturating_sub(left);
            let text = truncate(&sanitize(&m.text), avail);
            let pad = avail.saturating_sub(width(&text));
            spans.push(Span::styled(text, style));
            spans.push(Span::styled(" ".repeat(pad), bar));
        }
        None => {
            spans.push(Span::styled(" ".repeat(room), bar));
            spans.push(Span::styled(hints, bar));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

fn shorten_home(p: &str) -> String {
    match std::env::var("HOME") {
        Ok(h) if !h.is_empty() && p.starts_with(&h) => format!("~{}", &p[h.len()..]),
        _ => p.to_string(),
    }
}

/// The needs-map node an edit creates, if any (to select it).
fn created_node(edit: &crate::model::edit::Edit) -> Option<Id> {
    use crate::model::edit::Edit;
    match edit {
        Edit::Put {
            kind: crate::model::Kind::NeedsNode,
            id,
            item: Some(_),
        } => Some(id.clone()),
        // A deletion (the node and the edges to it) selects nothing new.
        Edit::Batch(v)
            if v.iter().any(|e| {
                matches!(
                    e,
                    Edit::Put {
                        kind: crate::model::Kind::NeedsNode,
                        item: None,
                        ..
                    }
                )
            }) =>
        {
            None
        }
        Edit::Batch(v) => v.iter().rev().find_map(created_node),
        _ => None,
    }
}

/// The id of the selected note or opportunity, for views' own use.
pub(crate) fn id_at<T>(rows: &[T], list: ListState, id: impl Fn(&T) -> &Id) -> Option<&Id> {
    rows.get(list.selected).map(id)
}
