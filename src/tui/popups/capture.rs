//! Interview capture: a screen for typing a note during a call. The cursor
//! starts in the body; its first line is the title; the line syntax
//! (`> quote`, `! pain`, `+ need`, `? question`, `= 4/2` rating, `#tag`,
//! `@activity`, `~test`) is highlighted as it is typed. Tab completes an
//! `@activity` or `~test` name before the cursor, else reaches the fields;
//! the save key keeps
//! the note and saves; Esc asks before throwing a non-empty note away. The
//! capture never writes files itself: it hands its draft to the
//! application, which keeps it in the store.

use std::any::Any;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::picker::{Picked, Picker};
use crate::capture::{self, LineKind, Resolved};
use crate::model::{Id, Note, Workspace};
use crate::store::draft::Draft;
use crate::text::{sanitize, truncate};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::theme::Theme;
use crate::tui::widgets::input::{TextInput, Typed};
use crate::tui::widgets::{hints_within, note_line_style, popup_block};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Body,
    Interviewee,
    Persona,
    Activities,
    Date,
    Tags,
}

const ORDER: [Field; 6] = [
    Field::Body,
    Field::Interviewee,
    Field::Persona,
    Field::Activities,
    Field::Date,
    Field::Tags,
];

pub struct Capture {
    /// The note being edited, or `None` for a new one.
    pub editing: Option<Id>,
    pub body: TextInput,
    pub interviewee: TextInput,
    pub persona: Option<Id>,
    pub activities: Vec<Id>,
    pub date: TextInput,
    pub tags: TextInput,
    pub focus: Field,
    /// Something was typed since the capture opened.
    pub modified: bool,
    /// Changed since the draft was last written.
    pub draft_stale: bool,
    confirm_discard: bool,
    error: Option<String>,
    /// Choosing the persona or the activities.
    picker: Option<Picker>,
    /// Tab completing an `@activity` or `~test` name before the cursor.
    completing: Option<Completing>,
}

/// The names offered for the word before the cursor, and which of them is
/// in the note now (Tab and Shift-Tab step through them).
struct Completing {
    candidates: Vec<String>,
    index: usize,
}

impl Capture {
    /// A new note, pre-linked to a persona and activity (from a map cell).
    pub fn new(persona: Option<Id>, activities: Vec<Id>, today: NaiveDate) -> Capture {
        let mut body = TextInput::lines(&[]);
        body.set_placeholder(
            "First line: the title. Then type as they talk:  > quote   ! pain   + need   ? question   #tag   @activity   ~test",
        );
        let mut c = Capture {
            editing: None,
            body,
            interviewee: TextInput::line(""),
            persona,
            activities,
            date: TextInput::line(&today.format("%Y-%m-%d").to_string()),
            tags: TextInput::line(""),
            focus: Field::Body,
            modified: false,
            draft_stale: false,
            confirm_discard: false,
            error: None,
            picker: None,
            completing: None,
        };
        c.refocus();
        c
    }

    /// An existing note, to edit.
    pub fn edit(note: &Note) -> Capture {
        let lines: Vec<String> = note.body.split('\n').map(str::to_string).collect();
        let mut c = Capture::new(note.persona.clone(), note.activities.clone(), note.date);
        c.editing = Some(note.id.clone());
        c.body = TextInput::lines(&lines);
        c.interviewee = TextInput::line(&note.interviewee);
        c.tags = TextInput::line(&note.tags.join(", "));
        c.refocus();
        c
    }

    pub fn from_draft(d: &Draft) -> Capture {
        let today = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d")
            .unwrap_or_else(|_| chrono::Local::now().date_naive());
        let mut c = Capture::new(d.persona.clone(), d.activities.clone(), today);
        c.editing = d.editing.clone();
        let lines: Vec<String> = d.body.split('\n').map(str::to_string).collect();
        c.body = TextInput::lines(&lines);
        c.interviewee = TextInput::line(&d.interviewee);
        c.date = TextInput::line(&d.date);
        c.tags = TextInput::line(&d.tags);
        c.modified = true;
        c.refocus();
        c
    }

    /// What a draft file keeps of this capture.
    pub fn draft(&self) -> Draft {
        Draft {
            workspace: Default::default(),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            editing: self.editing.clone(),
            body: self.body_text(),
            interviewee: self.interviewee.value(),
            persona: self.persona.clone(),
            activities: self.activities.clone(),
            date: self.date.value(),
            tags: self.tags.value(),
        }
    }

    pub fn body_text(&self) -> String {
        self.body.raw_lines().join("\n")
    }

    fn is_empty(&self) -> bool {
        self.body_text().trim().is_empty()
    }

    fn refocus(&mut self) {
        let f = self.focus;
        self.body.set_focused(f == Field::Body);
        self.interviewee.set_focused(f == Field::Interviewee);
        self.date.set_focused(f == Field::Date);
        self.tags.set_focused(f == Field::Tags);
    }

    fn cycle(&mut self, d: isize) {
        let i = ORDER.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = ORDER[(i + d).rem_euclid(ORDER.len() as isize) as usize];
        self.refocus();
    }

    /// The note to keep: the body's first line is the title. At capture
    /// time `#tags` in the body join the tag list and `@mentions` link
    /// activities; when a note is edited, only mentions it did not have
    /// yet link more, and the tag list is what the Tags field says. A
    /// dismissal stays while its line does.
    pub fn build(&self, ws: &Workspace) -> Result<Note, String> {
        let body = self.body_text();
        let parsed = capture::parse(&body);
        let title = parsed.title();
        if title.is_empty() {
            return Err("The note is empty: type at least a first line (its title)".into());
        }
        let date_text = self.date.value();
        let date = NaiveDate::parse_from_str(date_text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("\"{}\" is not a date: use YYYY-MM-DD", sanitize(&date_text)))?;
        let original = self.editing.as_ref().and_then(|id| ws.notes.get(id));
        let known: Vec<String> =
            original.map_or_else(Vec::new, |n| capture::parse(&n.body).mentions());
        let mut activities = self.activities.clone();
        for m in parsed.mentions() {
            if known.contains(&m) {
                continue;
            }
            if let Resolved::Activity(a) = capture::resolve_activity(ws, &m)
                && !activities.contains(&a.id)
            {
                activities.push(a.id.clone());
            }
        }
        let mut tags = Vec::new();
        capture::merge_tags(&mut tags, split_tags(&self.tags.value()));
        if original.is_none() {
            capture::merge_tags(&mut tags, parsed.tags());
        }
        // Rating lines are kept in their canonical form (`= 4/2 @activity`).
        let body = crate::model::ratings::canonical_body(body.trim_end());
        let lines: Vec<&str> = body.lines().map(str::trim).collect();
        let answered = original.map_or_else(Vec::new, |n| n.carry_answers(&body));
        let (id, dismissed, captured) = match original {
            Some(n) => (
                n.id.clone(),
                n.dismissed
                    .iter()
                    .filter(|d| lines.contains(&capture::dismissed_line(d)))
                    .cloned()
                    .collect(),
                n.captured,
            ),
            None => (
                self.editing.clone().unwrap_or_else(|| ws.fresh_id()),
                Vec::new(),
                Some(chrono::Local::now().naive_local()),
            ),
        };
        Ok(Note {
            id,
            date,
            interviewee: self.interviewee.value().trim().into(),
            persona: self.persona.clone(),
            activities,
            title,
            body,
            tags: tags.into(),
            dismissed: dismissed.into(),
            captured,
            answered: answered.into(),
        })
    }

    fn picker(&self, ws: &Workspace, field: Field, query: &str) -> Picker {
        let mut p = match field {
            Field::Persona => Picker::new(
                "Persona",
                ws.personas
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone(), p.role.label().to_string()))
                    .collect(),
                self.persona.iter().cloned().collect(),
                false,
            ),
            _ => Picker::new(
                "Activities",
                ws.activities()
                    .map(|(ph, a)| (a.id.clone(), a.name.clone(), ph.name.clone()))
                    .collect(),
                self.activities.clone(),
                true,
            ),
        };
        if !query.is_empty() {
            p.paste(query);
        }
        p
    }

    /// Completes the `@activity` or `~test` name before the cursor, or
    /// steps (`by` 1 or -1) to the next name offered when Tab was the last
    /// key. False when the word before the cursor is no such name (the Tab
    /// moves on to the fields).
    fn complete(&mut self, ws: &Workspace, completing: Option<Completing>, by: isize) -> bool {
        if let Some(mut c) = completing {
            // Nothing matched at the last Tab: this one moves on.
            if c.candidates.is_empty() {
                return false;
            }
            let shown = c.candidates[c.index].chars().count();
            let n = c.candidates.len() as isize;
            c.index = (c.index as isize + by).rem_euclid(n) as usize;
            self.body
                .replace_before_cursor(shown, &c.candidates[c.index]);
            self.completing = Some(c);
            self.touched();
            return true;
        }
        let word = self.body.word_before_cursor();
        let Some(candidates) = capture::completions(ws, &word) else {
            return false;
        };
        // Already the one name there is: Tab moves on.
        if candidates.len() == 1 && candidates[0] == word {
            return false;
        }
        if candidates.is_empty() {
            let what = if word.contains(capture::TEST_SIGIL) {
                "assumption test"
            } else {
                "activity"
            };
            self.error = Some(format!(
                "No {what} matches {word}: go on typing, or Tab again for the fields"
            ));
            self.completing = Some(Completing {
                candidates,
                index: 0,
            });
            return true;
        }
        self.body
            .replace_before_cursor(word.chars().count(), &candidates[0]);
        self.touched();
        if candidates.len() > 1 {
            self.completing = Some(Completing {
                candidates,
                index: 0,
            });
        }
        true
    }

    fn touched(&mut self) {
        self.modified = true;
        self.draft_stale = true;
    }

    fn link_key(&mut self, key: &KeyEvent, cx: &Cx) {
        let field = self.focus;
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (key.code, cx.action(Context::Field, key)) {
            (_, Some(Action::FormClear)) => {
                if field == Field::Persona {
                    self.persona = None;
                } else {
                    self.activities.pop();
                }
                self.draft_stale = true;
            }
            (_, Some(Action::FormPick)) => self.picker = Some(self.picker(cx.ws, field, "")),
            (KeyCode::Char(c), _) if plain && !c.is_control() => {
                self.picker = Some(self.picker(cx.ws, field, &c.to_string()));
            }
            _ => {}
        }
    }

    /// Takes what a picker chose.
    fn picked(&mut self, ids: Vec<Id>) {
        match self.focus {
            Field::Persona => self.persona = ids.into_iter().next(),
            Field::Activities => self.activities = ids,
            _ => return,
        }
        self.touched();
    }
}

impl Layer for Capture {
    fn name(&self) -> &'static str {
        "capture"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        if let Some(p) = &mut self.picker {
            match p.key(key, cx) {
                Picked::Stay => {}
                Picked::Cancel => self.picker = None,
                Picked::Done(ids) => {
                    self.picker = None;
                    self.picked(ids);
                }
            }
            return Reply::stay();
        }
        if self.confirm_discard {
            self.confirm_discard = false;
            return if cx.action(Context::Confirm, key) == Some(Action::ConfirmYes) {
                Reply::run(Command::DiscardDraft)
            } else {
                Reply::stay()
            };
        }
        self.error = None;
        let completing = self.completing.take();
        match cx.action(Context::Capture, key) {
            // From a field, Esc goes back to the note; from the note it
            // discards (asking when something was typed).
            Some(Action::CaptureCancel) if self.focus != Field::Body => {
                self.focus = Field::Body;
                self.refocus();
                Reply::stay()
            }
            Some(Action::CaptureCancel) => {
                if self.modified && !self.is_empty() {
                    self.confirm_discard = true;
                    Reply::stay()
                } else {
                    Reply::run(Command::DiscardDraft)
                }
            }
            Some(Action::CaptureKeep) => match self.build(cx.ws) {
                Ok(note) => Reply::run(Command::KeepNote(Box::new(note))),
                Err(e) => {
                    self.error = Some(e);
                    Reply::stay()
                }
            },
            Some(Action::CaptureNextField) if self.focus == Field::Body => {
                if !self.complete(cx.ws, completing, 1) {
                    self.cycle(1);
                }
                Reply::stay()
            }
            Some(Action::CapturePrevField)
                if completing
                    .as_ref()
                    .is_some_and(|c| !c.candidates.is_empty()) =>
            {
                self.complete(cx.ws, completing, -1);
                Reply::stay()
            }
            Some(Action::CaptureNextField) => {
                self.cycle(1);
                Reply::stay()
            }
            Some(Action::CapturePrevField) => {
                self.cycle(-1);
                Reply::stay()
            }
            _ => {
                let typed = match self.focus {
                    Field::Body => self.body.key(key, cx.keys),
                    Field::Interviewee => self.interviewee.key(key, cx.keys),
                    Field::Date => self.date.key(key, cx.keys),
                    Field::Tags => self.tags.key(key, cx.keys),
                    Field::Persona | Field::Activities => {
                        self.link_key(key, cx);
                        Typed::Moved
                    }
                };
                if typed == Typed::Changed {
                    self.touched();
                }
                // Enter in a one-line field goes back to the note.
                if typed == Typed::Ignored
                    && matches!(self.focus, Field::Interviewee | Field::Date | Field::Tags)
                    && cx.action(Context::Text, key) == Some(Action::TextNewline)
                {
                    self.focus = Field::Body;
                    self.refocus();
                }
                Reply::stay()
            }
        }
    }

    fn paste(&mut self, text: &str, _cx: &Cx) -> EventResult {
        if let Some(p) = &mut self.picker {
            p.paste(text);
            return Reply::stay();
        }
        let changed = match self.focus {
            Field::Body => self.body.paste(text),
            Field::Interviewee => self.interviewee.paste(text),
            Field::Date => self.date.paste(text),
            Field::Tags => self.tags.paste(text),
            Field::Persona | Field::Activities => false,
        };
        if changed {
            self.touched();
        }
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        self.render(cx, f, area);
        if let Some(p) = &self.picker {
            p.draw(f, area, cx);
        }
    }

    fn take_draft(&mut self) -> Option<Draft> {
        if !self.draft_stale {
            return None;
        }
        self.draft_stale = false;
        Some(self.draft())
    }

    fn draft_stale(&self) -> bool {
        self.draft_stale
    }

    fn sub_layer(&self) -> Option<&'static str> {
        self.picker.as_ref().map(|_| "picker")
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Capture {
    fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let (ws, t) = (cx.ws, cx.theme);
        f.render_widget(Clear, area);
        let title = if self.editing.is_some() {
            " Edit interview note "
        } else {
            " New interview note "
        };
        let block = popup_block(t, title);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [fields, editor_row, footer] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        self.render_fields(cx, f, fields);
        let show_side = editor_row.width >= 90;
        let [editor, side] = if show_side {
            Layout::horizontal([Constraint::Min(40), Constraint::Length(34)]).areas(editor_row)
        } else {
            [editor_row, Rect::default()]
        };
        let editor_block = Block::new()
            .borders(Borders::TOP)
            .border_style(if self.focus == Field::Body {
                t.focus_border()
            } else {
                t.border()
            })
            .title(Span::styled(" Note — first line is the title ", t.dim()));
        let text_area = editor_block.inner(editor);
        f.render_widget(editor_block, editor);
        self.body.render(f, text_area);
        highlight(self.body.textarea(), t, f, text_area);
        if show_side {
            self.render_structure(ws, t, f, side);
        }
        let first = if self.confirm_discard {
            Line::from(Span::styled(
                format!(
                    "Discard this note?  {} discard  ·  any other key keeps editing",
                    cx.hint(Action::ConfirmYes)
                ),
                t.warn(),
            ))
        } else if let Some(e) = &self.error {
            Line::from(Span::styled(e.clone(), t.error()))
        } else if let Some(c) = self.completing.as_ref().filter(|c| c.candidates.len() > 1) {
            let mut spans = vec![Span::styled(
                format!(
                    "{}/{} names ({} next, {} previous):",
                    c.index + 1,
                    c.candidates.len(),
                    cx.hint(Action::CaptureNextField),
                    cx.hint(Action::CapturePrevField)
                ),
                t.dim(),
            )];
            for (i, name) in c.candidates.iter().enumerate() {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    name.clone(),
                    if i == c.index {
                        t.selected()
                    } else {
                        t.accent()
                    },
                ));
            }
            Line::from(spans)
        } else {
            Line::from(vec![
                Span::styled("> quote", t.accent()),
                Span::raw("  "),
                Span::styled("! pain", t.warn()),
                Span::raw("  "),
                Span::styled("+ need", t.ok()),
                Span::raw("  "),
                Span::styled("? question", t.accent()),
                Span::raw("  "),
                Span::styled("= 4/2 rating", t.title()),
                Span::raw("  "),
                Span::styled("#tag  @activity  ~test", t.dim()),
                // Said where it fits whole.
                Span::styled(
                    if footer.width >= 96 {
                        format!(" ({} completes)", cx.hint(Action::CaptureNextField))
                    } else {
                        String::new()
                    },
                    t.dim(),
                ),
            ])
        };
        f.render_widget(
            Paragraph::new(vec![
                first,
                // Most important first: what does not fit is left out.
                if self.focus == Field::Body {
                    hints_within(
                        t,
                        cx.keys,
                        &[
                            (Action::CaptureKeep, "keep and save"),
                            (Action::CaptureCancel, "discard"),
                            (Action::CaptureNextField, "fields"),
                            (Action::TextUndo, "undo"),
                            (Action::TextWordRight, "word"),
                        ],
                        footer.width,
                    )
                } else {
                    hints_within(
                        t,
                        cx.keys,
                        &[
                            (Action::CaptureKeep, "keep and save"),
                            (Action::CaptureCancel, "back to the note"),
                            (Action::CaptureNextField, "next field"),
                        ],
                        footer.width,
                    )
                },
            ]),
            footer,
        );
    }

    fn render_fields(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let (ws, t) = (cx.ws, cx.theme);
        let label = |s: &'static str, field: Field| {
            Span::styled(
                s,
                if self.focus == field {
                    t.accent()
                } else {
                    t.dim()
                },
            )
        };
        let [row1, row2, row3] = Layout::vertical([Constraint::Length(1); 3]).areas(area);
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(row1);
        let [a1, a2] = Layout::horizontal([Constraint::Length(13), Constraint::Min(1)]).areas(a);
        f.render_widget(
            Paragraph::new(label("Interviewee ", Field::Interviewee)),
            a1,
        );
        self.interviewee.render(f, a2);
        let [b1, b2] = Layout::horizontal([Constraint::Length(9), Constraint::Min(1)]).areas(b);
        f.render_widget(Paragraph::new(label("Persona ", Field::Persona)), b1);
        let persona = match self.persona.as_ref().and_then(|p| ws.persona(p)) {
            Some(p) => Span::styled(sanitize(&p.name), t.text()),
            None => Span::styled(
                format!("none — {} to pick", cx.hint(Action::FormPick)),
                t.dim(),
            ),
        };
        f.render_widget(
            Paragraph::new(self.link_style(persona, Field::Persona, t)),
            b2,
        );
        let [c1, c2] = Layout::horizontal([Constraint::Length(13), Constraint::Min(1)]).areas(row2);
        f.render_widget(Paragraph::new(label("Activities ", Field::Activities)), c1);
        let names: Vec<String> = self
            .activities
            .iter()
            .filter_map(|a| ws.activity(a))
            .map(|a| sanitize(&a.name))
            .collect();
        let acts = if names.is_empty() {
            Span::styled(
                format!(
                    "none — {} to pick (or type @activity in the note)",
                    cx.hint(Action::FormPick)
                ),
                t.dim(),
            )
        } else {
            Span::styled(truncate(&names.join(", "), c2.width as usize), t.text())
        };
        f.render_widget(
            Paragraph::new(self.link_style(acts, Field::Activities, t)),
            c2,
        );
        let [d, e] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(row3);
        let [d1, d2] = Layout::horizontal([Constraint::Length(13), Constraint::Min(1)]).areas(d);
        f.render_widget(Paragraph::new(label("Date ", Field::Date)), d1);
        self.date.render(f, d2);
        let [e1, e2] = Layout::horizontal([Constraint::Length(9), Constraint::Min(1)]).areas(e);
        f.render_widget(Paragraph::new(label("Tags ", Field::Tags)), e1);
        self.tags.render(f, e2);
    }

    fn link_style<'a>(&self, span: Span<'a>, field: Field, t: &Theme) -> Line<'a> {
        if self.focus == field {
            Line::from(vec![span.patch_style(t.selected())])
        } else {
            Line::from(span)
        }
    }

    /// The live structure of the note: what it will create.
    fn render_structure(&self, ws: &Workspace, t: &Theme, f: &mut Frame, area: Rect) {
        let parsed = capture::parse(&self.body_text());
        let mut lines = vec![Line::from(Span::styled("What this note holds", t.title()))];
        let count = |k| parsed.of_kind(k).count();
        for (k, noun, style) in [
            (LineKind::Quote, "quote", t.accent()),
            (LineKind::Pain, "pain", t.warn()),
            (LineKind::Need, "need", t.ok()),
            (LineKind::Question, "question", t.accent()),
        ] {
            // "1 quote", "2 pains": the number aligned, the noun agreeing.
            let n = count(k);
            let counted = crate::text::count(n, noun);
            let label = counted.strip_prefix(&n.to_string()).unwrap_or(&counted);
            lines.push(Line::from(vec![
                Span::styled(format!("{n:>3}"), style),
                Span::raw(label.to_string()),
            ]));
        }
        // What saving will offer: pains and needs not yet evidence and not
        // dismissed.
        let s = match &self.editing {
            Some(id) => capture::open_suggestions(ws, id, &self.body_text()),
            None => parsed.suggestions(),
        };
        if !s.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                match s.len() {
                    1 => "1 suggested opportunity".to_string(),
                    n => format!("{n} suggested opportunities"),
                },
                t.title(),
            )));
            for x in s.iter().take(6) {
                lines.push(Line::from(Span::styled(
                    format!(" {} {}", x.kind.label(), sanitize(&x.title)),
                    t.dim(),
                )));
            }
        }
        let tags = parsed.tags();
        if !tags.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                tags.iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                t.accent(),
            )));
        }
        let mentions = parsed.mentions();
        if !mentions.is_empty() {
            lines.push(Line::from(""));
            for m in mentions {
                let (text, style) = match capture::resolve_activity(ws, &m) {
                    Resolved::Activity(a) => (format!("@{m} → {}", a.name), t.ok()),
                    Resolved::Unknown => (format!("@{m}: no such activity"), t.warn()),
                    Resolved::Ambiguous(v) => (format!("@{m}: {} match", v.len()), t.warn()),
                };
                lines.push(Line::from(Span::styled(sanitize(&text), style)));
            }
        }
        // Ratings: which cell each one rates, or why it rates none.
        let rating_lines: Vec<(usize, &capture::Line)> = parsed
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LineKind::Rating)
            .collect();
        if !rating_lines.is_empty() {
            lines.push(Line::from(""));
            for (n, l) in rating_lines {
                let (text, style) = match crate::model::ratings::parse_line(&l.raw) {
                    Some(Ok(r)) => {
                        let target = match &r.activity {
                            Some(name) => capture::resolve_activity_id(ws, name).map(|id| {
                                ws.activity(&id).map_or(String::new(), |a| a.name.clone())
                            }),
                            None => self
                                .activities
                                .first()
                                .and_then(|id| ws.activity(id))
                                .map(|a| a.name.clone())
                                .ok_or_else(|| {
                                    "no activity: link one or add @activity".to_string()
                                }),
                        };
                        match target {
                            Ok(a) => (
                                format!("= i{} s{} → {a}", r.importance, r.satisfaction),
                                t.ok(),
                            ),
                            Err(e) => (format!("line {}: {e}", n + 1), t.warn()),
                        }
                    }
                    Some(Err(e)) => (
                        format!("line {}, column {}: {}", n + 1, e.column, e.message),
                        t.error(),
                    ),
                    None => continue,
                };
                lines.push(Line::from(Span::styled(sanitize(&text), style)));
            }
        }
        // `~test` references: which assumption test each line will back.
        let refs: Vec<String> = parsed
            .lines
            .iter()
            .flat_map(|l| capture::tokens(&l.raw, capture::TEST_SIGIL))
            .map(|k| k.name)
            .fold(Vec::new(), |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        if !refs.is_empty() {
            lines.push(Line::from(""));
            for r in refs {
                let (text, style) = match capture::resolve_test(ws, &r) {
                    Ok(x) => (format!("~{r} → test: {}", x.assumption), t.ok()),
                    Err(e) => (e, t.warn()),
                };
                lines.push(Line::from(Span::styled(sanitize(&text), style)));
            }
        }
        let block = Block::new()
            .borders(Borders::TOP | Borders::LEFT)
            .border_style(t.border());
        let inner = block.inner(area);
        f.render_widget(block, area);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

pub fn split_tags(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Colours the text the editor drew by line kind, and `#tags`,
/// `@mentions` and `~test` references within lines. Only the foreground changes, so the cursor and
/// a selection stay visible.
fn highlight(ta: &ratatui_textarea::TextArea, t: &Theme, f: &mut Frame, area: Rect) {
    if ta.is_empty() {
        return;
    }
    let lines = ta.lines();
    let parsed = capture::parse(&lines.join("\n"));
    let (top, _) = ta.scroll_offset();
    let buf = f.buffer_mut();
    for y in 0..area.height {
        let row = top as usize + y as usize;
        let start = ta.screen_to_data(row, 0);
        let Some(line) = parsed.lines.get(start.0) else {
            continue;
        };
        let base = note_line_style(t, line);
        let tokens: Vec<(usize, usize, Style)> = capture::tokens(&line.raw, '#')
            .into_iter()
            .map(|k| (k, t.accent()))
            .chain(
                capture::tokens(&line.raw, '@')
                    .into_iter()
                    .map(|k| (k, t.ok())),
            )
            .chain(
                capture::tokens(&line.raw, capture::TEST_SIGIL)
                    .into_iter()
                    .map(|k| (k, t.ok())),
            )
            .map(|(k, s)| {
                let a = line.raw[..k.start].chars().count();
                let b = a + line.raw[k.start..k.end].chars().count();
                (a, b, s)
            })
            .collect();
        for x in 0..area.width {
            let pos = (area.x + x, area.y + y);
            let mut style = base;
            if !tokens.is_empty() {
                let dc = ta.screen_to_data(row, x as usize);
                if dc.0 == start.0
                    && let Some((_, _, s)) = tokens.iter().find(|(a, b, _)| dc.1 >= *a && dc.1 < *b)
                {
                    style = *s;
                }
            }
            if let Some(cell) = buf.cell_mut(pos) {
                if let Some(fg) = style.fg {
                    cell.set_fg(fg);
                }
                cell.modifier.insert(style.add_modifier);
            }
        }
    }
}
