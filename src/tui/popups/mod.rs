//! Popups: layers over the views. The top one gets every key first; `Esc`
//! always closes it (or cancels its edit) and never quits.

pub mod capture;
pub mod confirm;
pub mod conflicts;
pub mod form;
pub mod help;
pub mod input;
pub mod palette;
pub mod picker;
pub mod prompt;
pub mod search;
pub mod suggest;

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::app::App;
use super::keymap::KeyMap;
use super::theme::Theme;
use crate::model::edit::Edit;
use crate::model::{EntityRef, Workspace};
use crate::store::recovery::Recovery;

/// What a popup asks the app to do.
pub enum Effect {
    /// Apply an edit as one undoable step.
    Apply {
        label: String,
        edit: Edit,
    },
    /// Run a palette command line.
    Command(String),
    /// A prompt was answered.
    Prompted(Purpose, String),
    Save {
        then_quit: bool,
    },
    /// Save over files that changed on disk (a deliberate choice).
    ForceSave {
        then_quit: bool,
    },
    QuitNow,
    Reload,
    SaveAs(PathBuf),
    Restore(Box<Recovery>),
    DiscardRecovery,
    /// Several effects in order.
    Many(Vec<Effect>),
    /// Open another popup on top.
    Push(Box<Popup>),
    /// A picker chose these ids.
    Picked(picker::PickFor, Vec<crate::model::Id>),
    /// Keep a captured note: apply it, save, and offer its suggestions.
    KeepNote(Box<crate::model::Note>),
    /// The capture was abandoned: remove its draft.
    DiscardDraft,
    /// The suggestions are handled (a summary for the status bar).
    SuggestionsDone(String),
    /// The search query changed.
    SearchQuery(String),
    /// Jump to the n-th search result.
    SearchJump(usize),
    /// A merge conflict was settled (closes the list when it was the last).
    Settled {
        label: String,
        edit: Edit,
    },
    /// A line for the status bar.
    Message(String),
    /// Merge outside changes to these files by id.
    MergeOutside(Vec<PathBuf>),
}

/// The result of a key in a popup.
pub enum Outcome {
    /// The popup stays open.
    Stay,
    /// The popup closes.
    Close,
    /// The popup closes, then the effect runs.
    Then(Effect),
    /// The effect runs and the popup stays open.
    Keep(Effect),
}

/// What a one-line prompt is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    AddPhase {
        index: usize,
    },
    AddActivity {
        phase: usize,
        index: usize,
    },
    AddPersona {
        index: usize,
    },
    Rename(EntityRef),
    SaveAs,
    /// A filter for the current list (empty clears it).
    Filter,
}

pub enum Popup {
    Help(help::Help),
    Confirm(confirm::Confirm),
    /// Quit with unsaved changes: save, discard or stay.
    Quit,
    Palette(palette::Palette),
    Prompt(prompt::Prompt),
    Form(Box<form::Form>),
    /// Files changed on disk: reload, overwrite or save elsewhere.
    Conflict {
        paths: Vec<PathBuf>,
        then_quit: bool,
    },
    /// Unsaved work from an earlier session.
    Recovery(Box<Recovery>),
    Capture(Box<capture::Capture>),
    Picker(picker::Picker),
    Suggest(suggest::Suggest),
    Search(search::Search),
    Conflicts(conflicts::Conflicts),
}

impl Popup {
    pub fn help() -> Popup {
        Popup::Help(help::Help::default())
    }

    pub fn palette() -> Popup {
        Popup::Palette(palette::Palette::new(""))
    }

    pub fn conflict(paths: Vec<PathBuf>, then_quit: bool) -> Popup {
        Popup::Conflict { paths, then_quit }
    }

    pub fn handle_key(
        &mut self,
        key: KeyEvent,
        ws: &Workspace,
        keymap: &KeyMap,
        hits: usize,
    ) -> Outcome {
        match self {
            Popup::Search(s) => s.handle_key(key, hits),
            Popup::Conflicts(c) => c.handle_key(key, ws),
            Popup::Help(h) => h.handle_key(key, keymap),
            Popup::Confirm(c) => c.handle_key(key),
            Popup::Quit => match key.code {
                KeyCode::Char('y' | 'Y') => Outcome::Then(Effect::Save { then_quit: true }),
                KeyCode::Char('n' | 'N') => Outcome::Then(Effect::QuitNow),
                KeyCode::Esc | KeyCode::Char('c' | 'C') => Outcome::Close,
                _ => Outcome::Stay,
            },
            Popup::Palette(p) => p.handle_key(key, ws),
            Popup::Prompt(p) => p.handle_key(key),
            Popup::Form(f) => f.handle_key(key, ws),
            Popup::Capture(c) => c.handle_key(key, ws),
            Popup::Picker(p) => p.handle_key(key),
            Popup::Suggest(s) => s.handle_key(key, ws),
            Popup::Conflict { then_quit, paths } => match key.code {
                KeyCode::Char('r' | 'R') => Outcome::Then(Effect::Reload),
                KeyCode::Char('m' | 'M') => Outcome::Then(Effect::MergeOutside(paths.clone())),
                KeyCode::Char('o' | 'O') => Outcome::Then(Effect::ForceSave {
                    then_quit: *then_quit,
                }),
                KeyCode::Char('s' | 'S') => {
                    Outcome::Then(Effect::Prompted(Purpose::SaveAs, String::new()))
                }
                KeyCode::Esc => Outcome::Close,
                _ => Outcome::Stay,
            },
            Popup::Recovery(r) => match key.code {
                KeyCode::Char('r' | 'R') | KeyCode::Enter => {
                    Outcome::Then(Effect::Restore(Box::new((**r).clone())))
                }
                KeyCode::Char('d' | 'D') => Outcome::Then(Effect::DiscardRecovery),
                KeyCode::Esc => Outcome::Close,
                _ => Outcome::Stay,
            },
        }
    }

    pub fn handle_paste(&mut self, text: &str) {
        match self {
            Popup::Palette(p) => p.paste(text),
            Popup::Prompt(p) => p.paste(text),
            Popup::Form(f) => f.paste(text),
            Popup::Capture(c) => c.paste(text),
            Popup::Picker(p) => p.paste(text),
            Popup::Search(_) => {}
            _ => {}
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let t = &app.theme;
        match self {
            Popup::Help(h) => h.render(app, f, area),
            Popup::Confirm(c) => c.render(t, f, area),
            Popup::Quit => message_box(
                t,
                f,
                area,
                " Unsaved changes ",
                vec![
                    Line::from("There are unsaved changes. Save them before quitting?"),
                    Line::from(""),
                    keys_line(
                        t,
                        &[
                            ("y", "save and quit"),
                            ("n", "quit without saving"),
                            ("Esc", "stay"),
                        ],
                    ),
                ],
            ),
            Popup::Palette(p) => p.render(t, f, area),
            Popup::Prompt(p) => p.render(t, f, area),
            Popup::Form(form) => form.render(&app.ws, t, f, area),
            Popup::Capture(c) => c.render(&app.ws, t, f, area),
            Popup::Picker(p) => p.render(t, f, area),
            Popup::Suggest(s) => s.render(t, f, area),
            Popup::Search(s) => s.render(app, f, area),
            Popup::Conflicts(c) => c.render(&app.ws, t, f, area),
            Popup::Conflict { paths, .. } => {
                let mut lines = vec![Line::from(
                    "These files changed on disk since they were loaded (someone else saved, or git changed them):",
                )];
                for p in paths.iter().take(6) {
                    lines.push(Line::from(Span::styled(
                        format!("  {}", crate::text::sanitize(&p.display().to_string())),
                        t.warn(),
                    )));
                }
                if paths.len() > 6 {
                    lines.push(Line::from(format!("  and {} more", paths.len() - 6)));
                }
                lines.push(Line::from("Nothing was written."));
                lines.push(Line::from(""));
                lines.push(keys_line(
                    t,
                    &[("r", "reload from disk (drops your unsaved changes)")],
                ));
                lines.push(keys_line(
                    t,
                    &[("m", "merge theirs and yours by id (then save)")],
                ));
                lines.push(keys_line(
                    t,
                    &[
                        ("o", "overwrite theirs"),
                        ("s", "save as…"),
                        ("Esc", "cancel"),
                    ],
                ));
                message_box(t, f, area, " Changed on disk ", lines)
            }
            Popup::Recovery(r) => message_box(
                t,
                f,
                area,
                " Recover unsaved work? ",
                vec![
                    Line::from(format!(
                        "Unsaved changes from {} were found ({}).",
                        r.written,
                        r.summary()
                    )),
                    Line::from("They were kept when the last session ended without saving."),
                    Line::from(""),
                    keys_line(
                        t,
                        &[
                            ("r", "recover them"),
                            ("d", "discard them"),
                            ("Esc", "decide later"),
                        ],
                    ),
                ],
            ),
        }
    }
}

/// A centred rectangle of at most `w` x `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// "y save · n discard" with the keys highlighted.
pub fn keys_line<'a>(t: &Theme, keys: &[(&'a str, &'a str)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (k, what)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ·  ", t.dim()));
        }
        spans.push(Span::styled(*k, t.accent()));
        spans.push(Span::raw(" "));
        spans.push(Span::raw(*what));
    }
    Line::from(spans)
}

/// A bordered box with wrapped lines, centred, sized to its content.
pub fn message_box(t: &Theme, f: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let inner_w = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(20)
        .clamp(20, 76) as u16;
    let w = inner_w + 4;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_w.max(1) as usize).max(1))
        .sum();
    let h = rows as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(t.base())
            .block(popup_block(t, title)),
        r,
    );
}

pub fn popup_block<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.focus_border())
        .title(Span::styled(title, t.title()))
        .style(t.base())
}
