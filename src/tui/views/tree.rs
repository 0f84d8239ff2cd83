//! The Tree view: the opportunity solution tree. Desired outcomes at the
//! root, the opportunities that serve them (sub-opportunities nested under
//! their parent), the solutions that address each, and the assumption
//! tests under each solution. Opportunities without an outcome sit under
//! "No outcome", so nothing hides. Every node can fold; statuses and
//! verdicts read as glyphs and words, never as colour alone.

use std::collections::BTreeSet;

use crate::model::FastMap as HashMap;

type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::ratings::ByCell;
use crate::model::score::{Score, opportunity_score_by, ranked_with};
use crate::model::validate::FileKey;
use crate::model::validation;
use crate::model::{EntityRef, Id, Kind, Opportunity, SolutionStatus, Verdict, Workspace};
use crate::text::{fit, sanitize, width, with_unit};
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::ListState;

/// One node of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Outcome(Id),
    /// The group of opportunities that serve no outcome.
    NoOutcome,
    Opportunity(Id),
    Solution(Id),
    Test(Id),
}

impl Node {
    /// The entity the node stands for (none for the "No outcome" group).
    pub fn entity(&self) -> Option<EntityRef> {
        Some(match self {
            Node::Outcome(id) => EntityRef::Item(Kind::Outcome, id.clone()),
            Node::NoOutcome => return None,
            Node::Opportunity(id) => EntityRef::Opportunity(id.clone()),
            Node::Solution(id) => EntityRef::Item(Kind::Solution, id.clone()),
            Node::Test(id) => EntityRef::Item(Kind::Test, id.clone()),
        })
    }

    /// The node of an entity, when the tree shows it.
    pub fn of(e: &EntityRef) -> Option<Node> {
        Some(match e {
            EntityRef::Item(Kind::Outcome, id) => Node::Outcome(id.clone()),
            EntityRef::Item(Kind::Solution, id) => Node::Solution(id.clone()),
            EntityRef::Item(Kind::Test, id) => Node::Test(id.clone()),
            EntityRef::Opportunity(id) => Node::Opportunity(id.clone()),
            _ => return None,
        })
    }
}

/// A visible row: the node, how deep it is, and its children (all of
/// them, shown or folded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub node: Node,
    pub depth: usize,
    pub children: usize,
    /// The row of its parent node.
    pub parent: Option<usize>,
}

/// The Tree view's state.
#[derive(Default)]
pub struct TreeView {
    pub list: ListState,
    pub rows: Vec<Row>,
    /// Nodes whose children are hidden.
    pub folded: HashSet<Node>,
    /// The interview ratings the opportunities were ranked with (those of
    /// the Opportunities view).
    cells: ByCell,
    /// The rows were built at least once.
    built: bool,
}

/// The tree's shape: each node's children, in order.
struct Shape {
    children: HashMap<Node, Vec<Node>>,
    roots: Vec<Node>,
}

/// The tree's shape, its opportunities ranked with `cells`, or in the
/// order of `ranked` (every opportunity, ranked with them) when given.
fn shape<'a>(ws: &'a Workspace, cells: &ByCell, ranked: Option<&[(Id, Score)]>) -> Shape {
    let mut children: HashMap<Node, Vec<Node>> = HashMap::default();
    // Opportunities by rank: the most pressing first at every level.
    let order: Vec<&'a Opportunity> = match ranked {
        Some(rows) => rows
            .iter()
            .filter_map(|(id, _)| ws.opportunity(id))
            .collect(),
        None => ranked_with(ws, cells).into_iter().map(|(o, _)| o).collect(),
    };
    let mut by_outcome: HashMap<Option<&Id>, Vec<Node>> = HashMap::default();
    for o in &order {
        let node = Node::Opportunity(o.id.clone());
        match o.parent.as_ref() {
            Some(p) if ws.opportunity(p).is_some() && !ws.would_cycle(&o.id, p) => {
                children
                    .entry(Node::Opportunity(p.clone()))
                    .or_default()
                    .push(node);
            }
            _ => {
                let outcome = o
                    .outcome
                    .as_ref()
                    .filter(|x| ws.items.outcomes.contains_key(*x));
                by_outcome.entry(outcome).or_default().push(node);
            }
        }
    }
    for s in ws.items.solutions.values() {
        children
            .entry(Node::Opportunity(s.opportunity.clone()))
            .or_default()
            .push(Node::Solution(s.id.clone()));
    }
    // Solutions in the order the model gives them; tests likewise.
    for list in children.values_mut() {
        let (opps, mut sols): (Vec<Node>, Vec<Node>) = list
            .drain(..)
            .partition(|n| matches!(n, Node::Opportunity(_)));
        sols.sort_by(|a, b| {
            let t = |n: &Node| match n {
                Node::Solution(id) => ws
                    .items
                    .solutions
                    .get(id)
                    .map(|s| s.title.to_lowercase())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            t(a).cmp(&t(b)).then_with(|| a.cmp(b))
        });
        list.extend(opps);
        list.extend(sols);
    }
    for s in ws.items.solutions.keys() {
        let tests: Vec<Node> = ws
            .tests_of(s)
            .into_iter()
            .map(|t| Node::Test(t.id.clone()))
            .collect();
        if !tests.is_empty() {
            children.insert(Node::Solution(s.clone()), tests);
        }
    }
    let mut outcomes: Vec<_> = ws.items.outcomes.values().collect();
    outcomes.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut roots = Vec::new();
    for o in outcomes {
        let node = Node::Outcome(o.id.clone());
        if let Some(list) = by_outcome.remove(&Some(&o.id)) {
            children.insert(node.clone(), list);
        }
        roots.push(node);
    }
    let orphans = by_outcome.remove(&None).unwrap_or_default();
    if !orphans.is_empty() {
        children.insert(Node::NoOutcome, orphans);
        roots.push(Node::NoOutcome);
    }
    Shape { children, roots }
}

impl TreeView {
    /// The node under the cursor.
    pub fn selected(&self) -> Option<&Node> {
        self.rows.get(self.list.selected).map(|r| &r.node)
    }

    /// The entity under the cursor.
    pub fn selection(&self) -> Option<EntityRef> {
        self.selected().and_then(Node::entity)
    }

    /// Rebuilds the rows after a change to the tree's files (`None`: any
    /// change), or to the interview ratings that rank its opportunities
    /// (`cells`, read from the counts, not the notes). The cursor stays on
    /// its node, or goes to its parent's row when the node went away.
    /// `ranked` is every opportunity ranked with `cells`, when the caller
    /// has that at hand.
    pub fn refresh(
        &mut self,
        ws: &Workspace,
        cells: &ByCell,
        ranked: Option<&[(Id, Score)]>,
        files: Option<&BTreeSet<FileKey>>,
    ) {
        let moved = *cells != self.cells;
        let relevant = moved
            || files.is_none_or(|f| {
                f.iter().any(|k| {
                    matches!(
                        k,
                        FileKey::Opportunities | FileKey::Workspace | FileKey::Item(..)
                    )
                })
            });
        if !relevant && self.built {
            return;
        }
        if moved {
            self.cells = cells.clone();
        }
        self.build(ws, ranked);
    }

    /// Builds the rows again, ranked with the ratings last given.
    fn rebuild(&mut self, ws: &Workspace) {
        self.build(ws, None);
    }

    fn build(&mut self, ws: &Workspace, ranked: Option<&[(Id, Score)]>) {
        self.built = true;
        let selected = self.selected().cloned();
        let parent = self
            .rows
            .get(self.list.selected)
            .and_then(|r| r.parent)
            .and_then(|p| self.rows.get(p))
            .map(|r| r.node.clone());
        let shape = shape(ws, &self.cells, ranked);
        let mut rows = Vec::new();
        let mut seen = HashSet::default();
        for root in &shape.roots {
            self.emit(&shape, root, 0, None, &mut rows, &mut seen);
        }
        self.rows = rows;
        let find = |n: &Option<Node>| {
            n.as_ref()
                .and_then(|n| self.rows.iter().position(|r| &r.node == n))
        };
        if let Some(i) = find(&selected).or_else(|| find(&parent)) {
            self.list.selected = i;
        }
        self.list.clamp(self.rows.len());
    }

    fn emit(
        &self,
        shape: &Shape,
        node: &Node,
        depth: usize,
        parent: Option<usize>,
        rows: &mut Vec<Row>,
        seen: &mut HashSet<Node>,
    ) {
        if !seen.insert(node.clone()) {
            return;
        }
        let kids = shape.children.get(node).map_or(&[][..], |v| v.as_slice());
        let me = rows.len();
        rows.push(Row {
            node: node.clone(),
            depth,
            children: kids.len(),
            parent,
        });
        if self.folded.contains(node) {
            return;
        }
        for k in kids {
            self.emit(shape, k, depth + 1, Some(me), rows, seen);
        }
    }

    /// Shows a node: unfolds its ancestors and puts the cursor on it.
    pub fn show(&mut self, ws: &Workspace, node: &Node) {
        // Unfold every ancestor: walk up the shape from the node.
        let shape = shape(ws, &self.cells, None);
        let mut parent_of: HashMap<&Node, &Node> = HashMap::default();
        for (p, kids) in &shape.children {
            for k in kids {
                parent_of.insert(k, p);
            }
        }
        let mut cur = node;
        let mut steps = 0;
        while let Some(p) = parent_of.get(cur) {
            self.folded.remove(*p);
            cur = p;
            steps += 1;
            if steps > parent_of.len() {
                break;
            }
        }
        self.rebuild(ws);
        if let Some(i) = self.rows.iter().position(|r| &r.node == node) {
            self.list.selected = i;
        }
    }

    /// Folds or unfolds the node under the cursor. Returns whether anything
    /// changed.
    pub fn toggle(&mut self, ws: &Workspace) -> bool {
        let Some(row) = self.rows.get(self.list.selected).cloned() else {
            return false;
        };
        if row.children == 0 {
            return false;
        }
        if !self.folded.remove(&row.node) {
            self.folded.insert(row.node);
        }
        self.rebuild(ws);
        true
    }

    /// `l` / right: unfolds, then goes to the first child.
    pub fn right(&mut self, ws: &Workspace) {
        let Some(row) = self.rows.get(self.list.selected).cloned() else {
            return;
        };
        if self.folded.remove(&row.node) {
            self.rebuild(ws);
        } else if row.children > 0 {
            self.list.selected += 1;
        }
    }

    /// `h` / left: folds an open node, else goes to the parent.
    pub fn left(&mut self, ws: &Workspace) {
        let Some(row) = self.rows.get(self.list.selected).cloned() else {
            return;
        };
        if row.children > 0 && !self.folded.contains(&row.node) {
            self.folded.insert(row.node);
            self.rebuild(ws);
        } else if let Some(p) = row.parent {
            self.list.selected = p;
        }
    }

    /// The opportunity the selection belongs to: the selected one, a
    /// solution's, or a test's solution's.
    pub fn opportunity(&self, ws: &Workspace) -> Option<Id> {
        match self.selected()? {
            Node::Opportunity(id) => Some(id.clone()),
            Node::Solution(id) => ws.items.solutions.get(id).map(|s| s.opportunity.clone()),
            Node::Test(id) => {
                let s = ws.items.tests.get(id)?;
                ws.items
                    .solutions
                    .get(&s.solution)
                    .map(|s| s.opportunity.clone())
            }
            _ => None,
        }
    }

    /// The visible rows: the label (indent, fold mark, glyph, name) gets
    /// the room; the note (score, status, dates) at most two fifths of it.
    fn lines(&self, cx: &Cx, area: Rect) -> Vec<Line<'static>> {
        let t = cx.theme;
        let (h, w) = (area.height as usize, area.width as usize);
        let len = self.rows.len();
        let first = self.list.window(h, len);
        let texts: Vec<(usize, String, String)> = (first..len.min(first + h))
            .map(|i| {
                let row = &self.rows[i];
                let (label, note) = row_text(cx, row, self.folded.contains(&row.node));
                (i, label, note)
            })
            .collect();
        let max_note = texts.iter().map(|r| width(&r.2)).max().unwrap_or(0);
        let max_label = texts.iter().map(|r| width(&r.1)).max().unwrap_or(0);
        // Notes line up in one column; when the labels do not fit beside
        // the widest note, the note column gives way down to a third.
        let mut note_w = max_note.min(w * 2 / 5);
        if max_label + 1 + note_w > w {
            note_w = note_w.min((w / 3).max(w.saturating_sub(max_label + 1)));
        }
        let label_w = w.saturating_sub(note_w + 1);
        texts
            .into_iter()
            .map(|(i, label, note)| {
                let sel = i == self.list.selected;
                let style = if sel { t.selected() } else { t.text() };
                let note_style = if sel { style } else { t.dim() };
                Line::from(vec![
                    Span::styled(fit(&label, label_w), style),
                    Span::styled(" ", style),
                    Span::styled(fit(&note, note_w), note_style),
                ])
            })
            .collect()
    }

    pub fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let t = cx.theme;
        // Narrow terminals put the detail under the tree.
        let [left, right] = if area.width < 90 {
            Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area)
        } else {
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area)
        };
        let counts = format!(
            " Tree: {} · {} · {} · {} ",
            crate::text::count(cx.ws.items.outcomes.len(), "outcome"),
            crate::text::count(cx.ws.opportunities.len(), "opportunity"),
            crate::text::count(cx.ws.items.solutions.len(), "solution"),
            crate::text::count(cx.ws.items.tests.len(), "test")
        );
        let title = if crate::text::width(&counts) + 2 <= left.width as usize {
            counts
        } else {
            " Tree ".to_string()
        };
        let block = Block::bordered()
            .border_style(t.focus_border())
            .title(Span::styled(title, t.title()))
            .title_bottom(Span::styled(hints(cx), t.dim()));
        let inner = block.inner(left);
        f.render_widget(block, left);
        if self.rows.is_empty() {
            f.render_widget(
                Paragraph::new(Span::styled(
                    format!(
                        "Nothing here yet. Press {} to add a desired outcome (what the team answers for); opportunities, solutions and the tests of their assumptions go under it.",
                        cx.hint(Action::Add)
                    ),
                    t.dim(),
                ))
                .wrap(Wrap { trim: true }),
                inner,
            );
        } else {
            f.render_widget(Paragraph::new(self.lines(cx, inner)), inner);
        }
        detail(cx, f, right, self.selected());
    }
}

fn hints(cx: &Cx) -> String {
    format!(
        " {} child  {} sibling  {} fold  {} move  {} edit ",
        cx.hint(Action::Add),
        cx.hint(Action::AddPhase),
        cx.hint(Action::Fold),
        cx.hint(Action::Merge),
        cx.hint(Action::Open),
    )
}

/// The glyph of an opportunity's status.
fn opp_glyph(o: &Opportunity) -> &'static str {
    use crate::model::Status as S;
    match o.status {
        S::Idea | S::Exploring => "◇",
        S::Planned => "◈",
        S::Delivered => "◆",
        S::Validated => "✓",
        S::Invalidated => "✗",
    }
}

/// A row's label (indent, fold mark, glyph, name) and its note.
fn row_text(cx: &Cx, row: &Row, folded: bool) -> (String, String) {
    let ws = cx.ws;
    let fold = if row.children == 0 {
        "  "
    } else if folded {
        "▸ "
    } else {
        "▾ "
    };
    let indent = "  ".repeat(row.depth);
    let hidden = if folded && row.children > 0 {
        format!(" (+{})", row.children)
    } else {
        String::new()
    };
    let (glyph, name, note) = match &row.node {
        Node::Outcome(id) => match ws.items.outcomes.get(id) {
            Some(o) => (
                "◎",
                sanitize(&o.name),
                crate::text::count(o.metrics.len(), "metric"),
            ),
            None => ("◎", id.to_string(), String::new()),
        },
        Node::NoOutcome => (
            "○",
            "No outcome".to_string(),
            crate::text::count(row.children, "opportunity"),
        ),
        Node::Opportunity(id) => match ws.opportunity(id) {
            Some(o) => {
                let score = opportunity_score_by(ws, o, cx.stats).display();
                let ev = o.evidence.len();
                let mut note = o.status.label().to_string();
                if let Some(s) = validation::suggest(ws, o, cx.today) {
                    note.push_str(&format!(" → {}?", s.status.label()));
                }
                note.push_str(&format!(" · {score} · {ev} ev"));
                (opp_glyph(o), sanitize(&o.title), note)
            }
            None => ("◇", id.to_string(), String::new()),
        },
        Node::Solution(id) => match ws.items.solutions.get(id) {
            Some(s) => {
                let mut note = s.status.label().to_string();
                if let Some(d) = s.shipped.filter(|_| s.status == SolutionStatus::Shipped) {
                    note.push_str(&format!(" {d}"));
                }
                if let Some(e) = s.effort {
                    note.push_str(&format!(" · effort {e}"));
                }
                (s.status.glyph(), sanitize(&s.title), note)
            }
            None => ("○", id.to_string(), String::new()),
        },
        Node::Test(id) => match ws.items.tests.get(id) {
            Some(x) => {
                let mut note = x.result.label().to_string();
                if x.overdue(cx.today) {
                    note.push_str(" · ⚠ overdue");
                } else if let (Some(d), Verdict::Pending) = (x.due, x.result) {
                    note.push_str(&format!(" · due {d}"));
                } else {
                    note.push_str(&format!(" · {}", x.kind.label()));
                }
                (x.result.glyph(), sanitize(&x.assumption), note)
            }
            None => ("?", id.to_string(), String::new()),
        },
    };
    (format!("{indent}{fold}{glyph} {name}{hidden}"), note)
}

/// Each quote with who said it and when, two lines each.
fn quote_lines<'a, 'e>(
    cx: &Cx,
    evidence: impl Iterator<Item = &'e crate::model::Evidence>,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for e in evidence {
        if let Some(n) = cx.ws.notes.get(&e.note) {
            let q = if e.quote.is_empty() {
                format!("(the whole note) {}", n.title)
            } else {
                format!("“{}”", crate::capture::quote_text(&e.quote))
            };
            lines.push(Line::from(sanitize(&format!("  {q}"))));
            lines.push(Line::from(Span::styled(
                sanitize(&format!("      — {}, {}", n.interviewee, n.date)),
                cx.theme.dim(),
            )));
        }
    }
    lines
}

fn field<'a>(label: &'a str, value: String, cx: &Cx) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label}: "), cx.theme.dim()),
        Span::raw(value),
    ])
}

/// The detail panel of the selected node.
fn detail(cx: &Cx, f: &mut Frame, area: Rect, node: Option<&Node>) {
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    match node {
        None => {}
        Some(Node::NoOutcome) => {
            lines.push(Line::from(Span::styled("No outcome", t.title())));
            lines.push(Line::from(Span::styled(
                "Opportunities that serve no desired outcome yet. Edit one (Enter) and pick its outcome, or move it (m) under an outcome or another opportunity.",
                t.dim(),
            )));
        }
        Some(Node::Outcome(id)) => {
            if let Some(o) = ws.items.outcomes.get(id) {
                lines.push(Line::from(Span::styled(
                    format!("◎ {}", sanitize(&o.name)),
                    t.title(),
                )));
                lines.push(Line::from(Span::styled("desired outcome", t.accent())));
                if !o.description.is_empty() {
                    lines.push(Line::from(""));
                    lines.extend(o.description.lines().map(|l| Line::from(sanitize(l))));
                }
                lines.push(Line::from(""));
                let metrics: Vec<String> = o.metrics.iter().map(|m| metric_line(ws, m)).collect();
                lines.push(field(
                    "Measured by",
                    if metrics.is_empty() {
                        "no metric yet (edit it to pick some)".into()
                    } else {
                        metrics.join("; ")
                    },
                    cx,
                ));
            }
        }
        Some(Node::Opportunity(id)) => {
            if let Some(o) = ws.opportunity(id) {
                lines.push(Line::from(Span::styled(
                    format!("{} {}", opp_glyph(o), sanitize(&o.title)),
                    t.title(),
                )));
                let score = opportunity_score_by(ws, o, cx.stats);
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} · {} · score {}{}",
                        o.kind.label(),
                        o.status.label(),
                        score.display(),
                        if matches!(score, Score::Manual(_)) {
                            " (manual)"
                        } else {
                            ""
                        }
                    ),
                    t.accent(),
                )));
                let mut facts = Vec::new();
                if let Some(v) = o.value {
                    facts.push(format!("value {v}"));
                }
                if let Some(e) = o.effort {
                    facts.push(format!("effort {e}"));
                }
                if let Some(d) = o.delivered {
                    facts.push(format!("delivered {d}"));
                }
                facts.push(format!("{} evidence", o.evidence.len()));
                lines.push(Line::from(Span::styled(facts.join(" · "), t.dim())));
                if let Some(s) = validation::suggest(ws, o, cx.today) {
                    lines.push(Line::from(""));
                    lines.push(Line::from(Span::styled(
                        format!(
                            "The metrics suggest: {} — press {} to accept",
                            s.status.label(),
                            cx.hint(Action::Validate)
                        ),
                        t.warn(),
                    )));
                    lines.push(Line::from(Span::styled(sanitize(&s.describe(ws)), t.dim())));
                }
                if !o.description.is_empty() {
                    lines.push(Line::from(""));
                    lines.extend(o.description.lines().map(|l| Line::from(sanitize(l))));
                }
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(
                    format!(
                        "Evidence ({}) — {} lists it",
                        o.evidence.len(),
                        cx.hint(Action::Parts)
                    ),
                    t.title(),
                )));
                lines.extend(quote_lines(cx, o.evidence.iter().take(5)));
            }
        }
        Some(Node::Solution(id)) => {
            if let Some(s) = ws.items.solutions.get(id) {
                lines.push(Line::from(Span::styled(
                    format!("{} {}", s.status.glyph(), sanitize(&s.title)),
                    t.title(),
                )));
                let mut head = vec![match s.shipped {
                    Some(d) if s.status == SolutionStatus::Shipped => {
                        format!("solution · shipped {d}")
                    }
                    _ => format!("solution · {}", s.status.label()),
                }];
                if let Some(e) = s.effort {
                    head.push(format!("effort {e}"));
                }
                if !s.owner.is_empty() {
                    head.push(format!("owner {}", sanitize(&s.owner)));
                }
                lines.push(Line::from(Span::styled(head.join(" · "), t.accent())));
                let opp = ws
                    .opportunity(&s.opportunity)
                    .map_or(format!("{} (missing)", s.opportunity), |o| {
                        sanitize(&o.title)
                    });
                lines.push(field("Addresses", opp, cx));
                if !s.description.is_empty() {
                    lines.push(Line::from(""));
                    lines.extend(s.description.lines().map(|l| Line::from(sanitize(l))));
                }
                lines.push(Line::from(""));
                lines.extend(validation_lines(cx, s));
            }
        }
        Some(Node::Test(id)) => {
            if let Some(x) = ws.items.tests.get(id) {
                lines.push(Line::from(Span::styled(
                    format!("{} {}", x.result.glyph(), sanitize(&x.assumption)),
                    t.title(),
                )));
                lines.push(Line::from(Span::styled(
                    format!(
                        "assumption test · {} · {}",
                        x.kind.label(),
                        x.result.label()
                    ),
                    t.accent(),
                )));
                if let Some(s) = ws.items.solutions.get(&x.solution) {
                    lines.push(field("Solution", sanitize(&s.title), cx));
                }
                if !x.method.is_empty() {
                    lines.push(field("Method", sanitize(&x.method), cx));
                }
                if !x.criterion.is_empty() {
                    lines.push(field("Passes when", sanitize(&x.criterion), cx));
                }
                if !x.owner.is_empty() {
                    lines.push(field("Owner", sanitize(&x.owner), cx));
                }
                if let Some(d) = x.due {
                    let late = if x.overdue(cx.today) {
                        " ⚠ overdue"
                    } else {
                        ""
                    };
                    lines.push(field("Due", format!("{d}{late}"), cx));
                }
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(
                    format!(
                        "Evidence ({}) — {} lists it",
                        x.evidence.len(),
                        cx.hint(Action::Parts)
                    ),
                    t.title(),
                )));
                lines.extend(quote_lines(cx, x.evidence.iter()));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn metric_line(ws: &Workspace, id: &Id) -> String {
    match ws.metric(id) {
        Some(m) => {
            let latest = m
                .latest()
                .map_or("no data".to_string(), |o| with_unit(o.value, &m.unit));
            format!("{} ({latest})", sanitize(&m.name))
        }
        None => format!("{id} (missing)"),
    }
}

/// A shipped solution's metrics before and after its ship date.
fn validation_lines<'a>(cx: &Cx, s: &crate::model::Solution) -> Vec<Line<'a>> {
    let (ws, t) = (cx.ws, cx.theme);
    let mut lines = Vec::new();
    if s.status != SolutionStatus::Shipped {
        lines.push(Line::from(Span::styled(
            "Once shipped (with a date), its metrics are compared before and after.",
            t.dim(),
        )));
        return lines;
    }
    let Some(shipped) = s.shipped else {
        lines.push(Line::from(Span::styled(
            "Shipped without a date: set it to compare the metrics before and after.",
            t.warn(),
        )));
        return lines;
    };
    lines.push(Line::from(Span::styled(
        format!(
            "Validation: {} days before vs after {shipped}",
            validation::WINDOW_DAYS
        ),
        t.title(),
    )));
    let comparisons = validation::solution_comparisons(ws, s, cx.today);
    if comparisons.is_empty() {
        lines.push(Line::from(Span::styled(
            "No metric measures its opportunity or outcome: link one to validate it.",
            t.warn(),
        )));
    }
    for c in comparisons {
        let Some(m) = ws.metric(&c.metric) else {
            continue;
        };
        let f = |v: Option<f64>| v.map_or("–".to_string(), |v| with_unit(v, &m.unit));
        let (word, style) = super::metrics::verdict_word(c.verdict, t);
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", sanitize(&m.name))),
            Span::styled(word, style),
        ]));
        let mut figures = vec![
            format!("    before {} (n={})", f(c.before.mean), c.before.count),
            format!("    after  {} (n={})", f(c.after.mean), c.after.count),
        ];
        if let Some(v) = m.target {
            figures.push(format!("    target {}", with_unit(v, &m.unit)));
        }
        lines.extend(
            figures
                .into_iter()
                .map(|l| Line::from(Span::styled(l, t.dim()))),
        );
    }
    lines
}

/// The node a created item or opportunity is, to select it.
pub fn node_of_edit(e: &crate::model::edit::Edit) -> Option<Node> {
    match e {
        crate::model::edit::Edit::Put {
            kind,
            id,
            item: Some(_),
        } => Node::of(&EntityRef::Item(*kind, id.clone())),
        crate::model::edit::Edit::InsertOpportunity { opportunity, .. } => {
            Some(Node::Opportunity(opportunity.id.clone()))
        }
        _ => None,
    }
}
