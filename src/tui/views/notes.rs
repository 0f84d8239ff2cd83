//! The Notes view: interview notes newest first, filterable, and a reader
//! with the line syntax highlighted and the opportunities each line feeds.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use std::collections::BTreeSet;

use crate::capture::{self, LineKind};
use crate::model::score::opportunity_score_by;
use crate::model::validate::FileKey;
use crate::model::{Id, Note, Workspace};
use crate::search::filter::NoteFilter;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::ListState;
use crate::tui::widgets::lists::list_lines;
use crate::tui::widgets::note_line_style;

/// Where a note goes in the list: newest first, by date, then by capture
/// time within a day, then by id.
type SortKey = std::cmp::Reverse<(chrono::NaiveDate, Option<chrono::NaiveDateTime>)>;

fn sort_key(n: &crate::model::Note) -> SortKey {
    std::cmp::Reverse((n.date, n.captured))
}

/// Above this many notes changed at once, the list is merged in one pass
/// rather than note by note.
const BULK: usize = 16;

/// The Notes view's state: the filter, the rows it lets through (newest
/// first), and the cursor.
#[derive(Default)]
pub struct NotesView {
    pub list: ListState,
    pub filter: NoteFilter,
    pub rows: Vec<Id>,
    /// Each row's sort key, so that inserting notes never looks them up.
    keys: Vec<SortKey>,
    /// Notes that arrived while the workspace loads and that the filter
    /// lets through, with their keys, for [`NotesView::add_arrived`].
    arrived: Vec<(SortKey, Id)>,
}

impl NotesView {
    /// The note under the cursor.
    pub fn selected(&self) -> Option<&Id> {
        super::id_at(&self.rows, self.list, |id| id)
    }

    /// Brings the rows up to date: all of them (`None`), or only the notes
    /// in `files`. The cursor stays on its note.
    pub fn refresh(&mut self, ws: &Workspace, files: Option<&BTreeSet<FileKey>>) {
        let sel = self.selected().cloned();
        match files {
            None => {
                // Every note in the workspace is listed: none waits.
                self.arrived.clear();
                // Sort by a key taken once per note, not looked up per comparison.
                let mut notes: Vec<(SortKey, &Id)> = ws
                    .notes
                    .values()
                    .filter(|n| self.filter.matches(n))
                    .map(|n| (sort_key(n), &n.id))
                    .collect();
                notes.sort_unstable();
                self.keys = notes.iter().map(|(k, _)| *k).collect();
                self.rows = notes.into_iter().map(|(_, id)| id.clone()).collect();
            }
            Some(files) => {
                let changed: Vec<&Id> = files
                    .iter()
                    .filter_map(|f| match f {
                        FileKey::Note(id) => Some(id),
                        _ => None,
                    })
                    .collect();
                if changed.len() > BULK {
                    let gone: std::collections::HashSet<&Id> = changed.iter().copied().collect();
                    let mut i = 0;
                    self.keys.retain(|_| {
                        let keep = !gone.contains(&self.rows[i]);
                        i += 1;
                        keep
                    });
                    self.rows.retain(|id| !gone.contains(id));
                    let mut new: Vec<_> = changed
                        .into_iter()
                        .filter_map(|id| ws.notes.get(id))
                        .filter(|n| self.filter.matches(n))
                        .map(|n| (sort_key(n), n.id.clone()))
                        .collect();
                    self.merge(&mut new);
                } else {
                    for id in changed {
                        if let Some(i) = self.position(ws, id) {
                            self.rows.remove(i);
                            self.keys.remove(i);
                        }
                        if let Some(n) = ws.notes.get(id).filter(|n| self.filter.matches(n)) {
                            let k = sort_key(n);
                            let at = self.lower_bound(k, id);
                            self.rows.insert(at, id.clone());
                            self.keys.insert(at, k);
                        }
                    }
                }
            }
        }
        self.keep_cursor(ws, sel);
    }

    /// A note read while the workspace loads: listed at the next
    /// [`NotesView::add_arrived`] if the filter lets it through. Its key is
    /// taken now, so listing it never looks it up.
    pub fn arrived(&mut self, n: &Note) {
        if self.filter.matches(n) {
            self.arrived.push((sort_key(n), n.id.clone()));
        }
    }

    /// Lists the notes that arrived since the last call, in one pass over
    /// the list.
    pub fn add_arrived(&mut self, ws: &Workspace) {
        if self.arrived.is_empty() {
            return;
        }
        // A cursor on the first row stays there, on the newest note so
        // far; one moved elsewhere stays on its note.
        let sel = (self.list.selected > 0)
            .then(|| self.selected().cloned())
            .flatten();
        let mut new = std::mem::take(&mut self.arrived);
        self.merge(&mut new);
        new.clear();
        self.arrived = new;
        self.keep_cursor(ws, sel);
    }

    /// Merges notes that are not in the list into it, in order.
    fn merge(&mut self, new: &mut [(SortKey, Id)]) {
        if new.is_empty() {
            return;
        }
        new.sort_unstable();
        // From the back, in place: the list grows once (into what
        // `reserve` set aside while loading) and no row is copied twice.
        let (mut i, mut j) = (self.rows.len(), new.len());
        self.rows.resize(i + j, Id::default());
        self.keys.resize(i + j, new[0].0);
        let mut w = i + j;
        while j > 0 {
            w -= 1;
            let (nk, nid) = &new[j - 1];
            if i > 0 && (self.keys[i - 1], &self.rows[i - 1]) > (*nk, nid) {
                i -= 1;
                self.keys[w] = self.keys[i];
                self.rows.swap(w, i);
            } else {
                j -= 1;
                self.keys[w] = *nk;
                self.rows[w] = std::mem::take(&mut new[j].1);
            }
        }
    }

    /// Room for `n` more rows (the notes a load will bring).
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.keys.reserve(n);
    }

    /// The first row at or after `(k, id)` in the list's order.
    fn lower_bound(&self, k: SortKey, id: &Id) -> usize {
        let (mut lo, mut hi) = (0, self.rows.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.keys[mid], &self.rows[mid]) < (k, id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The row of a listed note: found by its sort key in a binary search
    /// when the note still has the key it was listed with (the usual case:
    /// a note's date rarely changes), else by a scan.
    fn position(&self, ws: &Workspace, id: &Id) -> Option<usize> {
        if let Some(n) = ws.notes.get(id) {
            let at = self.lower_bound(sort_key(n), id);
            if self.rows.get(at) == Some(id) {
                return Some(at);
            }
        }
        self.rows.iter().position(|x| x == id)
    }

    fn keep_cursor(&mut self, ws: &Workspace, sel: Option<Id>) {
        if let Some(i) = sel.and_then(|id| self.position(ws, &id)) {
            self.list.selected = i;
        }
        self.list.clamp(self.rows.len());
    }

    /// Selects a note, clearing a filter that hides it.
    pub fn show(&mut self, ws: &Workspace, id: &Id) {
        if !self.rows.contains(id) {
            self.filter = Default::default();
            self.refresh(ws, None);
        }
        if let Some(i) = self.rows.iter().position(|x| x == id) {
            self.list.selected = i;
        }
    }

    pub fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        render(self, cx, f, area)
    }
}

fn render(v: &NotesView, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(area);
    let filter = if v.filter.is_empty() {
        String::new()
    } else {
        format!(" · filter: {}", sanitize(&v.filter.text))
    };
    let title = format!(
        " Notes ({}{}){} ",
        v.rows.len(),
        if v.filter.is_empty() {
            String::new()
        } else {
            format!(" of {}", cx.ws.notes.len())
        },
        filter
    );
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(title, t.title()))
        .title_bottom(Span::styled(
            crate::tui::widgets::border_hints(
                &[
                    format!("{} new", cx.hint(Action::CaptureNote)),
                    format!("{} filter", cx.hint(Action::Filter)),
                    format!("{} open", cx.hint(Action::Open)),
                ],
                left.width,
            ),
            t.dim(),
        ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if v.rows.is_empty() {
        let msg = if cx.ws.notes.is_empty() {
            format!(
                "No interview notes yet. Press {} to capture one (from a map cell it is linked to that persona and activity).",
                cx.hint(Action::CaptureNote)
            )
        } else {
            format!(
                "No note matches the filter. {} changes it.",
                cx.hint(Action::Filter)
            )
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, v.rows.len(), v.list, inner, |i| {
            let n = &cx.ws.notes[&v.rows[i]];
            (
                format!("{}  {}", n.date.format("%Y-%m-%d"), sanitize(&n.title)),
                sanitize(&n.interviewee),
            )
        });
        f.render_widget(Paragraph::new(lines), inner);
    }
    reader(v, cx, f, right);
}

fn reader(v: &NotesView, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let ws = cx.ws;
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Reader ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(n) = v.selected().and_then(|id| ws.notes.get(id)) else {
        return;
    };
    let persona = n
        .persona
        .as_ref()
        .and_then(|p| ws.persona(p))
        .map_or("no persona".to_string(), |p| {
            format!("{} ({})", sanitize(&p.name), p.role.label())
        });
    let acts: Vec<String> = n
        .activities
        .iter()
        .filter_map(|a| ws.activity(a))
        .map(|a| sanitize(&a.name))
        .collect();
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&n.title), t.title())),
        Line::from(vec![
            Span::styled(n.date.format("%Y-%m-%d").to_string(), t.accent()),
            Span::styled(
                format!("  {}  ·  {persona}", sanitize(&n.interviewee)),
                t.dim(),
            ),
        ]),
    ];
    if !acts.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("on: {}", acts.join(", ")),
            t.dim(),
        )));
    }
    if !n.tags.is_empty() {
        lines.push(Line::from(Span::styled(
            n.tags
                .iter()
                .map(|x| format!("#{}", sanitize(x)))
                .collect::<Vec<_>>()
                .join(" "),
            t.accent(),
        )));
    }
    lines.push(Line::from(""));
    let parsed = capture::parse(&n.body);
    // The opportunities that cite this note (from the kept-up-to-date stats,
    // not a scan of every opportunity).
    let citing: Vec<&crate::model::Opportunity> = cx
        .stats
        .citing(&n.id)
        .iter()
        .filter_map(|id| ws.opportunity(id))
        .collect();
    for l in parsed
        .lines
        .iter()
        .skip_while(|l| l.kind != LineKind::Title)
        .skip(1)
    {
        let style = note_line_style(t, l);
        lines.push(Line::from(Span::styled(sanitize(&l.raw), style)));
        // The opportunities this line is evidence for.
        let quote = l.raw.trim();
        if quote.is_empty() {
            continue;
        }
        for o in citing.iter().filter(|o| {
            o.evidence
                .iter()
                .any(|e| e.note == n.id && e.quote == quote)
        }) {
            lines.push(Line::from(Span::styled(
                format!(
                    "    → feeds “{}” (score {})",
                    sanitize(&o.title),
                    opportunity_score_by(ws, o, cx.stats).display()
                ),
                t.dim(),
            )));
        }
    }
    let whole: Vec<_> = citing
        .iter()
        .filter(|o| {
            o.evidence
                .iter()
                .any(|e| e.note == n.id && e.quote.is_empty())
        })
        .collect();
    if !whole.is_empty() {
        lines.push(Line::from(""));
        for o in whole {
            lines.push(Line::from(Span::styled(
                format!("→ the whole note backs “{}”", sanitize(&o.title)),
                t.dim(),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
