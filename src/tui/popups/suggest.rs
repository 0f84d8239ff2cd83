//! After a note is kept, each `!` pain and `+` need is offered as an
//! opportunity with its line as evidence: accept as new, merge into an
//! existing one, or dismiss. Then each line tagged `~test` is offered as
//! evidence for that assumption test: attach, or dismiss.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::picker::{Picked, Picker};
use crate::capture::{Suggestion, TestSuggestion};
use crate::model::edit::Edit;
use crate::model::{Evidence, Id, Opportunity, Workspace};
use crate::text::sanitize;
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{hints, message_box};

pub struct Suggest {
    pub note: Id,
    pub items: Vec<Suggestion>,
    /// Lines tagged `~test`, offered after the opportunities.
    pub tests: Vec<TestSuggestion>,
    /// Over `items`, then `tests`.
    pub index: usize,
    pub accepted: usize,
    pub merged: usize,
    pub dismissed: usize,
    /// Lines added to assumption tests' evidence.
    pub attached: usize,
    /// `~names` in the note that name no single test, shown on top.
    pub problems: Vec<String>,
    /// Choosing the opportunity to merge the current line into.
    picker: Option<Picker>,
}

impl Suggest {
    pub fn new(note: Id, items: Vec<Suggestion>) -> Suggest {
        Suggest::with_tests(note, items, Vec::new())
    }

    pub fn with_tests(note: Id, items: Vec<Suggestion>, tests: Vec<TestSuggestion>) -> Suggest {
        Suggest {
            note,
            items,
            tests,
            index: 0,
            accepted: 0,
            merged: 0,
            dismissed: 0,
            attached: 0,
            problems: Vec::new(),
            picker: None,
        }
    }

    /// The opportunity suggestion shown now (none once the tests' turn
    /// has come).
    pub fn current(&self) -> Option<&Suggestion> {
        self.items.get(self.index)
    }

    /// The test offer shown now, after every opportunity suggestion.
    pub fn current_test(&self) -> Option<&TestSuggestion> {
        self.index
            .checked_sub(self.items.len())
            .and_then(|i| self.tests.get(i))
    }

    fn total(&self) -> usize {
        self.items.len() + self.tests.len()
    }

    /// Moves to the next suggestion; `true` when none are left.
    pub fn advance(&mut self) -> bool {
        self.index += 1;
        self.index >= self.total()
    }

    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} added, {} merged, {} dismissed",
            crate::text::count(self.accepted, "opportunity"),
            self.merged,
            self.dismissed
        );
        if self.attached > 0 {
            s.push_str(&format!(
                ", {} added to assumption tests",
                crate::text::count(self.attached, "line")
            ));
        }
        s
    }

    /// The layer's answer after a suggestion was handled with `cmds`: the
    /// next suggestion, or the end.
    fn next(&mut self, mut cmds: Vec<Cmd>) -> EventResult {
        if self.advance() {
            cmds.push(Cmd::Run(Command::SuggestionsDone(self.summary())));
            Reply::then_all(cmds)
        } else {
            EventResult::Consumed(crate::tui::layer::Reply { close: false, cmds })
        }
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
            o.activities = crate::capture::line_activities(ws, n, &s.line);
            o.personas = n.persona.iter().cloned().collect();
        }
        o.evidence.push(self.evidence(s));
        Edit::InsertOpportunity {
            index: ws.opportunity_insert_index(&o.id),
            opportunity: o,
        }
    }

    /// The edit that remembers, in the note, that these lines' suggestions
    /// were dismissed (until the lines change).
    fn dismiss_edit(&self, ws: &Workspace, lines: &[String]) -> Option<Cmd> {
        let mut n = (**ws.notes.get(&self.note)?).clone();
        for l in lines {
            if !n.dismissed.contains(l) {
                n.dismissed.push(l.clone());
            }
        }
        Some(Cmd::apply(
            format!("dismiss {}", crate::text::count(lines.len(), "suggestion")),
            Edit::PutNote {
                id: n.id.clone(),
                note: Some(n),
            },
        ))
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
}

impl Layer for Suggest {
    fn name(&self) -> &'static str {
        "suggest"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let ws = cx.ws;
        if let Some(p) = &mut self.picker {
            return match p.key(key, cx) {
                Picked::Stay => Reply::stay(),
                Picked::Cancel => {
                    self.picker = None;
                    Reply::stay()
                }
                Picked::Done(ids) => {
                    self.picker = None;
                    let Some(into) = ids.first() else {
                        return Reply::stay();
                    };
                    let Some(edit) = self.merge_edit(ws, into) else {
                        return Reply::stay();
                    };
                    let title = ws
                        .opportunity(into)
                        .map(|o| o.title.clone())
                        .unwrap_or_default();
                    self.merged += 1;
                    self.next(vec![Cmd::apply(
                        format!("add evidence to \"{title}\""),
                        edit,
                    )])
                }
            };
        }
        if let Some(t) = self.current_test().cloned() {
            return self.test_key(key, cx, &t);
        }
        let Some(s) = self.current().cloned() else {
            return Reply::run(Command::SuggestionsDone(self.summary()));
        };
        match cx.action(Context::Suggest, key) {
            Some(Action::SuggestAccept) => {
                let edit = self.accept_edit(ws, &s);
                self.accepted += 1;
                self.next(vec![Cmd::apply(
                    format!("accept \"{}\" as an opportunity", s.title),
                    edit,
                )])
            }
            Some(Action::SuggestMerge) => {
                if ws.opportunities.is_empty() {
                    return Reply::stay();
                }
                // Ranked with the counts' ratings: no note is read.
                let items = crate::model::score::ranked_with(ws, cx.stats)
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
                self.picker = Some(Picker::new(
                    "Merge into which opportunity?",
                    items,
                    Vec::new(),
                    false,
                ));
                Reply::stay()
            }
            Some(Action::SuggestDismiss) => {
                self.dismissed += 1;
                let cmds = self.dismiss_edit(ws, std::slice::from_ref(&s.line));
                self.next(cmds.into_iter().collect())
            }
            Some(Action::SuggestDismissRest) => self.dismiss_rest(ws),
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        self.render(cx, f, area);
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

impl Suggest {
    /// Dismisses everything not handled yet, opportunities and tests.
    fn dismiss_rest(&mut self, ws: &Workspace) -> EventResult {
        let mut rest: Vec<String> = self
            .items
            .iter()
            .skip(self.index)
            .map(|x| x.line.clone())
            .collect();
        let from = self.index.saturating_sub(self.items.len());
        rest.extend(
            self.tests
                .iter()
                .skip(from)
                .map(crate::capture::dismissed_key),
        );
        self.dismissed += rest.len();
        self.index = self.total();
        let mut cmds: Vec<Cmd> = self.dismiss_edit(ws, &rest).into_iter().collect();
        cmds.push(Cmd::Run(Command::SuggestionsDone(self.summary())));
        Reply::then_all(cmds)
    }

    /// Keys on a line offered to an assumption test: accept attaches it to
    /// the test's evidence; dismiss remembers the offer was declined.
    fn test_key(&mut self, key: &KeyEvent, cx: &Cx, t: &TestSuggestion) -> EventResult {
        let ws = cx.ws;
        match cx.action(Context::Suggest, key) {
            Some(Action::SuggestAccept) => {
                self.attached += 1;
                let cmds = crate::capture::attach_edit(ws, &self.note, t)
                    .map(|edit| {
                        Cmd::apply(
                            format!(
                                "add evidence to assumption test \"{}\"",
                                crate::text::truncate(&t.assumption, 40)
                            ),
                            edit,
                        )
                    })
                    .into_iter()
                    .collect();
                self.next(cmds)
            }
            Some(Action::SuggestDismiss) => {
                self.dismissed += 1;
                let key = crate::capture::dismissed_key(t);
                let cmds = self.dismiss_edit(ws, &[key]);
                self.next(cmds.into_iter().collect())
            }
            Some(Action::SuggestDismissRest) => self.dismiss_rest(ws),
            _ => Reply::stay(),
        }
    }

    /// The problems with the note's `~names`, as lines of the box.
    fn problem_lines(&self, cx: &Cx) -> Vec<Line<'static>> {
        self.problems
            .iter()
            .map(|p| Line::from(Span::styled(format!("⚠ {}", sanitize(p)), cx.theme.warn())))
            .collect()
    }

    fn render_test(&self, cx: &Cx, f: &mut Frame, area: Rect, s: &TestSuggestion) {
        let t = cx.theme;
        let i = self.index - self.items.len();
        let title = format!(
            " Evidence for an assumption test {} of {} ",
            i + 1,
            self.tests.len()
        );
        let verdict = cx
            .ws
            .items
            .tests
            .get(&s.test)
            .map_or("", |x| x.result.label());
        message_box(
            t,
            f,
            area,
            &title,
            [
                self.problem_lines(cx),
                vec![
                    Line::from(vec![
                        Span::styled("test: ", t.accent()),
                        Span::styled(sanitize(&s.assumption), t.title()),
                        Span::styled(format!(" ({verdict})"), t.dim()),
                    ]),
                    Line::from(Span::styled(
                        format!("line: {}", sanitize(&s.line)),
                        t.dim(),
                    )),
                    Line::from(""),
                    hints(
                        t,
                        cx.keys,
                        &[
                            (Action::SuggestAccept, "attach as evidence"),
                            (Action::SuggestDismiss, "dismiss"),
                            (Action::SuggestDismissRest, "dismiss the rest"),
                        ],
                    ),
                ],
            ]
            .concat(),
        );
    }

    fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let t = cx.theme;
        if let Some(s) = self.current_test() {
            return self.render_test(cx, f, area, s);
        }
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
            [
                self.problem_lines(cx),
                vec![
                    Line::from(vec![
                        Span::styled(format!("{}: ", s.kind.label()), style),
                        Span::styled(sanitize(&s.title), t.title()),
                    ]),
                    Line::from(Span::styled(
                        // As the opportunity will show it: without its marks.
                        format!(
                            "evidence: “{}”",
                            sanitize(&crate::capture::quote_text(&s.line))
                        ),
                        t.dim(),
                    )),
                    Line::from(""),
                    hints(
                        t,
                        cx.keys,
                        &[
                            (Action::SuggestAccept, "accept as new"),
                            (Action::SuggestMerge, "merge into existing"),
                            (Action::SuggestDismiss, "dismiss"),
                            (Action::SuggestDismissRest, "dismiss the rest"),
                        ],
                    ),
                ],
            ]
            .concat(),
        );
    }
}
