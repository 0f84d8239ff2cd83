//! After a note is kept, each `!` pain and `+` need is offered as an
//! opportunity with its line as evidence: accept as new, merge into an
//! existing one, or dismiss.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{PickFor, Picker};
use super::{Effect, Outcome, Popup, keys_line, message_box};
use crate::capture::Suggestion;
use crate::model::edit::Edit;
use crate::model::{Evidence, Id, Opportunity, Workspace};
use crate::text::sanitize;
use crate::tui::theme::Theme;

pub struct Suggest {
    pub note: Id,
    pub items: Vec<Suggestion>,
    pub index: usize,
    pub accepted: usize,
    pub merged: usize,
    pub dismissed: usize,
}

impl Suggest {
    pub fn new(note: Id, items: Vec<Suggestion>) -> Suggest {
        Suggest {
            note,
            items,
            index: 0,
            accepted: 0,
            merged: 0,
            dismissed: 0,
        }
    }

    pub fn current(&self) -> Option<&Suggestion> {
        self.items.get(self.index)
    }

    /// Moves to the next suggestion; `true` when none are left.
    pub fn advance(&mut self) -> bool {
        self.index += 1;
        self.index >= self.items.len()
    }

    pub fn summary(&self) -> String {
        format!(
            "{} opportunit{} added, {} merged, {} dismissed",
            self.accepted,
            if self.accepted == 1 { "y" } else { "ies" },
            self.merged,
            self.dismissed
        )
    }

    fn evidence(&self, s: &Suggestion) -> Evidence {
        Evidence {
            note: self.note.clone(),
            quote: s.line.clone(),
        }
    }

    /// The edit that accepts a suggestion as a new opportunity, linked to the
    /// note's persona and activities.
    pub fn accept_edit(&self, ws: &Workspace, s: &Suggestion) -> Edit {
        let mut o = Opportunity::new(ws.fresh_id(), s.title.clone(), s.kind);
        if let Some(n) = ws.notes.get(&self.note) {
            o.activities = n.activities.clone();
            o.personas = n.persona.iter().cloned().collect();
        }
        o.evidence.push(self.evidence(s));
        Edit::InsertOpportunity {
            index: ws.opportunity_insert_index(&o.id),
            opportunity: o,
        }
    }

    /// The edit that adds the current line as evidence to an existing
    /// opportunity.
    pub fn merge_edit(&self, ws: &Workspace, into: &Id) -> Option<Edit> {
        let s = self.current()?;
        let mut o = ws.opportunity(into)?.clone();
        let ev = self.evidence(s);
        if !o.evidence.contains(&ev) {
            o.evidence.push(ev);
        }
        Some(Edit::SetOpportunity { opportunity: o })
    }

    pub fn handle_key(&mut self, key: KeyEvent, ws: &Workspace) -> Outcome {
        let Some(s) = self.current().cloned() else {
            return Outcome::Then(Effect::SuggestionsDone(self.summary()));
        };
        match key.code {
            KeyCode::Char('a' | 'A') => {
                let edit = self.accept_edit(ws, &s);
                self.accepted += 1;
                let apply = Effect::Apply {
                    label: format!("accept \"{}\" as an opportunity", s.title),
                    edit,
                };
                if self.advance() {
                    Outcome::Then(Effect::Many(vec![
                        apply,
                        Effect::SuggestionsDone(self.summary()),
                    ]))
                } else {
                    Outcome::Keep(apply)
                }
            }
            KeyCode::Char('m' | 'M') => {
                if ws.opportunities.is_empty() {
                    return Outcome::Stay;
                }
                let items = crate::model::score::ranked(ws)
                    .into_iter()
                    .map(|(o, sc)| {
                        (
                            o.id.clone(),
                            o.title.clone(),
                            format!(
                                "{} · {} · score {}",
                                o.kind.label(),
                                o.status.label(),
                                sc.display()
                            ),
                        )
                    })
                    .collect();
                let p = Picker::new(
                    "Merge into which opportunity?",
                    PickFor::MergeInto,
                    items,
                    Vec::new(),
                    false,
                );
                Outcome::Keep(Effect::Push(Box::new(Popup::Picker(p))))
            }
            KeyCode::Char('x' | 'X') => {
                self.dismissed += 1;
                if self.advance() {
                    Outcome::Then(Effect::SuggestionsDone(self.summary()))
                } else {
                    Outcome::Stay
                }
            }
            KeyCode::Esc => {
                self.dismissed += self.items.len() - self.index;
                self.index = self.items.len();
                Outcome::Then(Effect::SuggestionsDone(self.summary()))
            }
            _ => Outcome::Stay,
        }
    }

    pub fn render(&self, t: &Theme, f: &mut Frame, area: Rect) {
        let Some(s) = self.current() else { return };
        let style = if s.kind == crate::model::OpportunityKind::Pain {
            t.warn()
        } else {
            t.ok()
        };
        let title = format!(
            " Suggested opportunity {} of {} ",
            self.index + 1,
            self.items.len()
        );
        message_box(
            t,
            f,
            area,
            &title,
            vec![
                Line::from(vec![
                    Span::styled(format!("{}: ", s.kind.label()), style),
                    Span::styled(sanitize(&s.title), t.title()),
                ]),
                Line::from(Span::styled(
                    format!("evidence: {}", sanitize(&s.line)),
                    t.dim(),
                )),
                Line::from(""),
                keys_line(
                    t,
                    &[
                        ("a", "accept as new"),
                        ("m", "merge into existing"),
                        ("x", "dismiss"),
                        ("Esc", "dismiss the rest"),
                    ],
                ),
            ],
        );
    }
}
