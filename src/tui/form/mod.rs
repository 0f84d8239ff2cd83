//! Forms: several fields edited together and applied as one undoable step.
//!
//! Each entity's form is a typed struct of named fields ([`entities`]); the
//! engine here ([`Form`]) moves the focus, routes keys to the focused field,
//! opens a picker for links, and asks the struct for its edit. The keys
//! come from the key map (form and field contexts): Tab and Shift-Tab move
//! between fields; Enter applies from a one-line field, and starts a new
//! line in a field of several lines, where Alt-Enter applies (the footer
//! always shows the keys of the focused field); the save key applies and
//! saves; Esc cancels, asking first when something was typed.

pub mod adoption;
pub mod discovery;
pub mod entities;
pub mod fields;
pub mod needs;

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use fields::{Field, FieldKey, Slot};

use super::action::{Action, Context};
use super::command::Command;
use super::layer::{Cmd, Cx, EventResult, Layer, Reply};
use super::popups::picker::{Picked, Picker};
use super::theme::Theme;
use super::widgets::{centered, hints, popup_block};
use crate::model::Workspace;
use crate::model::edit::Edit;

/// A form's own part: its fields, by name, and the edit they describe.
pub trait FormSpec: 'static {
    fn title(&self) -> String;
    /// The fields in order (the focus moves through them).
    fn fields(&self) -> Vec<&dyn Field>;
    fn fields_mut(&mut self) -> Vec<&mut dyn Field>;
    /// The edit the form describes (its label for the history), or why it
    /// cannot be applied.
    fn submit(&self, ws: &Workspace) -> Result<(String, Edit), String>;
    /// Something to warn of once the edit applied, worked out from the
    /// workspace before it (a record the adoption rates leave out).
    fn warning(&self, _ws: &Workspace) -> Option<String> {
        None
    }
    /// Something to show beside the focused field's hint (a score).
    fn preview(&self, _t: &Theme) -> Option<Span<'static>> {
        None
    }
}

/// A form over any [`FormSpec`].
pub struct Form<S: FormSpec> {
    pub spec: S,
    focus: usize,
    modified: bool,
    confirm_discard: bool,
    error: Option<String>,
    picker: Option<Picker>,
}

impl<S: FormSpec> Form<S> {
    pub fn new(spec: S) -> Form<S> {
        let mut f = Form {
            spec,
            focus: 0,
            modified: false,
            confirm_discard: false,
            error: None,
            picker: None,
        };
        f.refocus();
        f
    }

    /// Whether something was typed.
    pub fn modified(&self) -> bool {
        self.modified
    }

    fn refocus(&mut self) {
        let focus = self.focus;
        for (i, f) in self.spec.fields_mut().into_iter().enumerate() {
            f.set_focus(i == focus);
        }
    }

    fn count(&self) -> usize {
        self.spec.fields().len()
    }

    fn submit(&mut self, ws: &Workspace, save: bool) -> EventResult {
        match self.spec.submit(ws) {
            Ok((label, edit)) => {
                let mut cmds = vec![Cmd::apply_warning(label, edit, self.spec.warning(ws))];
                if save {
                    cmds.push(Cmd::Run(Command::Save));
                }
                Reply::then_all(cmds)
            }
            Err(e) => {
                self.error = Some(e);
                Reply::stay()
            }
        }
    }

    fn open_picker(&mut self, query: &str, cx: &Cx) {
        let focus = self.focus;
        let Some(links) = self
            .spec
            .fields_mut()
            .into_iter()
            .nth(focus)
            .and_then(|f| f.as_links())
        else {
            return;
        };
        let mut p = Picker::new(
            links.label,
            links.kind.options(cx.ws),
            links.ids.clone(),
            links.kind.multi(),
        );
        if !query.is_empty() {
            p.paste(query);
        }
        self.picker = Some(p);
    }

    fn picked(&mut self, ids: Vec<crate::model::Id>) {
        let focus = self.focus;
        if let Some(links) = self
            .spec
            .fields_mut()
            .into_iter()
            .nth(focus)
            .and_then(|f| f.as_links())
        {
            links.ids = ids;
            self.modified = true;
        }
    }
}

impl<S: FormSpec> Layer for Form<S> {
    fn name(&self) -> &'static str {
        "form"
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
                Reply::close()
            } else {
                Reply::stay()
            };
        }
        self.error = None;
        let action = cx.action(Context::Form, key);
        match action {
            Some(Action::FormCancel) => {
                return if self.modified {
                    self.confirm_discard = true;
                    Reply::stay()
                } else {
                    Reply::close()
                };
            }
            Some(Action::FormApplySave) => return self.submit(cx.ws, true),
            Some(Action::FormApplyAnywhere) => return self.submit(cx.ws, false),
            Some(Action::FormNextField) => {
                self.focus = (self.focus + 1) % self.count();
                self.refocus();
                return Reply::stay();
            }
            Some(Action::FormPrevField) => {
                let n = self.count();
                self.focus = (self.focus + n - 1) % n;
                self.refocus();
                return Reply::stay();
            }
            _ => {}
        }
        let focus = self.focus;
        let answer = match self.spec.fields_mut().into_iter().nth(focus) {
            Some(field) => field.key(key, cx),
            None => FieldKey::Ignored,
        };
        match answer {
            FieldKey::Changed => self.modified = true,
            FieldKey::Moved => {}
            FieldKey::Pick(q) => self.open_picker(&q, cx),
            FieldKey::Ignored => {
                if action == Some(Action::FormApply) {
                    return self.submit(cx.ws, false);
                }
            }
        }
        Reply::stay()
    }

    fn paste(&mut self, text: &str, _cx: &Cx) -> EventResult {
        if let Some(p) = &mut self.picker {
            p.paste(text);
            return Reply::stay();
        }
        let focus = self.focus;
        if let Some(field) = self.spec.fields_mut().into_iter().nth(focus) {
            self.modified |= field.paste(text);
        }
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let fields = self.spec.fields();
        let label_w = 18u16;
        let body_h: u16 = fields.iter().map(|f| f.height()).sum();
        let r = centered(area, 84, body_h + 5);
        f.render_widget(Clear, r);
        let title = format!(" {} ", self.spec.title());
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let mut y = inner.y;
        let bottom = inner.y + inner.height.saturating_sub(2);
        for (i, field) in fields.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let focused = i == self.focus;
            let marker = if focused { "▸ " } else { "  " };
            let label = Rect::new(inner.x, y, label_w.min(inner.width), 1);
            f.render_widget(
                Paragraph::new(Span::styled(
                    format!("{marker}{}", field.label()),
                    if focused { t.accent() } else { t.dim() },
                )),
                label,
            );
            let value_x = inner.x + label_w.min(inner.width);
            let value_w = inner.width.saturating_sub(label_w);
            let h = field.height().min(bottom.saturating_sub(y)).max(1);
            let slot = Slot {
                label,
                value: Rect::new(value_x, y, value_w, h),
                below: Rect::new(
                    inner.x + 2,
                    (y + 1).min(bottom),
                    inner.width.saturating_sub(2),
                    h.saturating_sub(1),
                ),
            };
            field.draw(f, &slot, focused, cx);
            y += field.height();
        }
        // Footer: the hint of the focused field (or a question, or an
        // error), then the keys.
        let footer = Rect::new(inner.x, bottom, inner.width, 2.min(inner.height));
        let first = if self.confirm_discard {
            Line::from(Span::styled(
                format!(
                    "Discard your changes?  {} discard  ·  any other key keeps editing",
                    cx.hint(Action::ConfirmYes)
                ),
                t.warn(),
            ))
        } else if let Some(e) = &self.error {
            Line::from(Span::styled(e.clone(), t.error()))
        } else {
            let mut spans = vec![Span::styled(
                fields
                    .get(self.focus)
                    .map(|f| f.hint(cx))
                    .unwrap_or_default(),
                t.dim(),
            )];
            if let Some(p) = self.spec.preview(t) {
                spans.push(Span::raw("   "));
                spans.push(p);
            }
            Line::from(spans)
        };
        // The keys as they work in the focused field: in a field of
        // several lines Enter starts a line, and another key applies.
        let multiline = fields.get(self.focus).is_some_and(|f| f.multiline());
        let keys = if multiline {
            hints(
                t,
                cx.keys,
                &[
                    (Action::TextNewline, "new line"),
                    (Action::FormApplyAnywhere, "apply"),
                    (Action::FormApplySave, "apply and save"),
                    (Action::FormNextField, "next field"),
                    (Action::FormCancel, "cancel"),
                ],
            )
        } else {
            hints(
                t,
                cx.keys,
                &[
                    (Action::FormNextField, "next field"),
                    (Action::FormApply, "apply"),
                    (Action::FormApplySave, "apply and save"),
                    (Action::FormCancel, "cancel"),
                ],
            )
        };
        f.render_widget(Paragraph::new(vec![first, keys]), footer);
        if let Some(p) = &self.picker {
            p.draw(f, area, cx);
        }
    }

    fn sub_layer(&self) -> Option<&'static str> {
        self.picker.as_ref().map(|_| "picker")
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
