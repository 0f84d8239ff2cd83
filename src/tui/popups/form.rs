//! Forms: several fields edited together and applied as one undoable step.
//! Tab and Shift-Tab move between fields; Enter applies from a one-line
//! field (in a multi-line field it starts a new line); Ctrl-s applies and
//! saves; Esc cancels (asking first when something was typed).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Popup;
use super::input::TextInput;
use super::picker::{PickFor, Picker};
use super::{Effect, Outcome, centered, keys_line, popup_block};
use crate::model::edit::Edit;
use crate::model::score::{RATING_MAX, RATING_MIN, cell_score};
use crate::model::{
    Direction, Horizon, Id, Metric, MetricKind, Observation, Opportunity, OpportunityKind, Persona,
    Perspective, Role, Status, Workspace,
};
use crate::tui::theme::Theme;

pub enum FieldKind {
    /// One line of text (shown wrapped over `rows` rows); Enter applies.
    Line(TextInput, u16),
    /// A multi-line field, shown `rows` high.
    Text(TextInput, u16),
    /// A 1–5 rating, or none.
    Rating(Option<u8>),
    Choice(Vec<&'static str>, usize),
    /// Links to other entities, chosen in a fuzzy picker.
    Links(LinkKind, Vec<Id>),
}

/// What a links field links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Activities,
    Personas,
    /// At most one activity.
    Activity,
    /// At most one opportunity.
    Opportunity,
}

impl LinkKind {
    fn multi(self) -> bool {
        matches!(self, LinkKind::Activities | LinkKind::Personas)
    }

    fn options(self, ws: &Workspace) -> Vec<(Id, String, String)> {
        match self {
            LinkKind::Activities | LinkKind::Activity => ws
                .activities()
                .map(|(p, a)| (a.id.clone(), a.name.clone(), p.name.clone()))
                .collect(),
            LinkKind::Personas => ws
                .personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone(), p.role.label().to_string()))
                .collect(),
            LinkKind::Opportunity => ws
                .opportunities
                .iter()
                .map(|o| (o.id.clone(), o.title.clone(), o.status.label().to_string()))
                .collect(),
        }
    }

    fn name(self, ws: &Workspace, id: &Id) -> String {
        match self {
            LinkKind::Activities | LinkKind::Activity => ws.activity(id).map(|a| a.name.clone()),
            LinkKind::Personas => ws.persona(id).map(|p| p.name.clone()),
            LinkKind::Opportunity => ws.opportunity(id).map(|o| o.title.clone()),
        }
        .unwrap_or_else(|| format!("{id} (missing)"))
    }
}

pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: FieldKind,
}

impl Field {
    fn line(label: &'static str, hint: &'static str, value: &str) -> Field {
        Field {
            label,
            hint,
            kind: FieldKind::Line(TextInput::line(value), 1),
        }
    }

    fn wrapped_line(label: &'static str, hint: &'static str, value: &str, rows: u16) -> Field {
        Field {
            label,
            hint,
            kind: FieldKind::Line(TextInput::wrapped_line(value), rows),
        }
    }

    fn text(label: &'static str, hint: &'static str, lines: &[String], rows: u16) -> Field {
        Field {
            label,
            hint,
            kind: FieldKind::Text(TextInput::lines(lines), rows),
        }
    }

    fn height(&self) -> u16 {
        match &self.kind {
            FieldKind::Text(_, rows) => rows + 1,
            FieldKind::Line(_, rows) => *rows,
            _ => 1,
        }
    }

    fn line_value(&self) -> String {
        match &self.kind {
            FieldKind::Line(i, _) => i.value().trim().to_string(),
            FieldKind::Text(i, _) => i.raw_lines().join("\n").trim().to_string(),
            _ => String::new(),
        }
    }

    fn lines_value(&self) -> Vec<String> {
        match &self.kind {
            FieldKind::Text(i, _) | FieldKind::Line(i, _) => i.nonempty_lines(),
            _ => Vec::new(),
        }
    }

    fn rating(&self) -> Option<u8> {
        match self.kind {
            FieldKind::Rating(r) => r,
            _ => None,
        }
    }

    fn choice(&self) -> usize {
        match self.kind {
            FieldKind::Choice(_, i) => i,
            _ => 0,
        }
    }

    fn links(&self) -> Vec<Id> {
        match &self.kind {
            FieldKind::Links(_, ids) => ids.clone(),
            _ => Vec::new(),
        }
    }

    fn choice_field(
        label: &'static str,
        hint: &'static str,
        options: Vec<&'static str>,
        i: usize,
    ) -> Field {
        Field {
            label,
            hint,
            kind: FieldKind::Choice(options, i),
        }
    }

    fn links_field(label: &'static str, kind: LinkKind, ids: Vec<Id>) -> Field {
        Field {
            label,
            hint: if kind.multi() {
                "Enter picks (several allowed) · Backspace removes the last"
            } else {
                "Enter picks · Backspace clears"
            },
            kind: FieldKind::Links(kind, ids),
        }
    }

    /// A number, or none when blank.
    fn number(&self, what: &str) -> Result<Option<f64>, String> {
        let v = self.line_value().replace(',', ".");
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!(
                "{what}: \"{}\" is not a number",
                crate::text::sanitize(&v)
            )),
        }
    }
}

fn num_text(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// What a form edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    Perspective {
        persona: Id,
        activity: Id,
    },
    Persona {
        id: Id,
    },
    /// An opportunity: `None` creates a new one.
    Opportunity {
        id: Option<Id>,
    },
    /// A metric: `None` creates a new one.
    Metric {
        id: Option<Id>,
    },
    /// A new observation of a metric.
    Observation {
        metric: Id,
    },
}

const KINDS: [&str; 3] = ["need", "pain", "gain"];
const STATUSES: [&str; 6] = [
    "idea",
    "exploring",
    "planned",
    "delivered",
    "validated",
    "invalidated",
];
const HORIZONS: [&str; 4] = ["none", "now", "next", "later"];
const METRIC_KINDS: [&str; 2] = ["quantitative", "qualitative"];
const DIRECTIONS: [&str; 2] = ["higher is better", "lower is better"];

pub struct Form {
    pub title: String,
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    modified: bool,
    confirm_discard: bool,
    error: Option<String>,
}

const ROLES: [&str; 3] = ["customer", "consumer", "end user"];

impl Form {
    fn new(title: String, kind: FormKind, fields: Vec<Field>) -> Form {
        let mut f = Form {
            title,
            kind,
            fields,
            focus: 0,
            modified: false,
            confirm_discard: false,
            error: None,
        };
        f.refocus();
        f
    }

    /// The form for a cell of the map.
    pub fn perspective(ws: &Workspace, persona: &Id, activity: &Id) -> Form {
        let p = ws
            .perspective(persona, activity)
            .cloned()
            .unwrap_or_default();
        let who = ws.persona(persona).map_or("?", |p| p.name.as_str());
        let what = ws.activity(activity).map_or("?", |a| a.name.as_str());
        Form::new(
            format!(
                "{} · {}",
                crate::text::sanitize(who),
                crate::text::sanitize(what)
            ),
            FormKind::Perspective {
                persona: persona.clone(),
                activity: activity.clone(),
            },
            vec![
                Field::wrapped_line(
                    "Interest",
                    "what this persona wants from the activity",
                    &p.interest,
                    2,
                ),
                Field::text("Needs", "one per line", &p.needs, 3),
                Field::text("Pains", "one per line", &p.pains, 3),
                Field {
                    label: "Importance",
                    hint: "1–5: how much it matters (digits, ←/→, 0 clears)",
                    kind: FieldKind::Rating(p.importance),
                },
                Field {
                    label: "Satisfaction",
                    hint: "1–5: how well it is served today",
                    kind: FieldKind::Rating(p.satisfaction),
                },
            ],
        )
    }

    /// The form for a persona.
    pub fn persona(p: &Persona) -> Form {
        let role = Role::ALL.iter().position(|r| *r == p.role).unwrap_or(1);
        let description: Vec<String> = p.description.lines().map(str::to_string).collect();
        Form::new(
            format!("Persona · {}", crate::text::sanitize(&p.name)),
            FormKind::Persona { id: p.id.clone() },
            vec![
                Field::line("Name", "", &p.name),
                Field {
                    label: "Role",
                    hint: "←/→: customer decides and pays, consumer uses, end user is served",
                    kind: FieldKind::Choice(ROLES.to_vec(), role),
                },
                Field::text("Description", "", &description, 3),
                Field::text("Jobs to be done", "one per line", &p.jobs, 4),
                Field::line("Tags", "separated by commas or spaces", &p.tags.join(", ")),
            ],
        )
    }

    /// The form for an opportunity (a new one when `o` is `None`, linked to
    /// `activities` and `personas`).
    pub fn opportunity(o: Option<&Opportunity>, activities: Vec<Id>, personas: Vec<Id>) -> Form {
        let blank = Opportunity::new(Id::default(), "", OpportunityKind::Need);
        let x = o.unwrap_or(&blank);
        let description: Vec<String> = x.description.lines().map(str::to_string).collect();
        let horizon = match x.horizon {
            None => 0,
            Some(h) => 1 + Horizon::ALL.iter().position(|a| *a == h).unwrap_or(0),
        };
        Form::new(
            match o {
                Some(o) => format!("Opportunity · {}", crate::text::sanitize(&o.title)),
                None => "New opportunity".to_string(),
            },
            FormKind::Opportunity {
                id: o.map(|o| o.id.clone()),
            },
            vec![
                Field::line("Title", "", &x.title),
                Field::choice_field(
                    "Kind",
                    "←/→",
                    KINDS.to_vec(),
                    OpportunityKind::ALL
                        .iter()
                        .position(|k| *k == x.kind)
                        .unwrap_or(0),
                ),
                Field::choice_field(
                    "Status",
                    "←/→ or the first letter",
                    STATUSES.to_vec(),
                    Status::ALL.iter().position(|s| *s == x.status).unwrap_or(0),
                ),
                Field::choice_field("Horizon", "the roadmap column", HORIZONS.to_vec(), horizon),
                Field::text("Description", "", &description, 2),
                Field::links_field(
                    "Activities",
                    LinkKind::Activities,
                    if o.is_some() {
                        x.activities.clone()
                    } else {
                        activities
                    },
                ),
                Field::links_field(
                    "Personas",
                    LinkKind::Personas,
                    if o.is_some() {
                        x.personas.clone()
                    } else {
                        personas
                    },
                ),
                Field::line(
                    "Manual score",
                    "blank: scored from the linked perspectives; a number (e.g. RICE) overrides",
                    &num_text(x.manual_score),
                ),
            ],
        )
    }

    /// The form for a metric (a new one when `m` is `None`).
    pub fn metric(m: Option<&Metric>, activity: Option<Id>, opportunity: Option<Id>) -> Form {
        let blank = Metric {
            id: Id::default(),
            name: String::new(),
            kind: MetricKind::Quantitative,
            unit: String::new(),
            description: String::new(),
            activity,
            opportunity,
            baseline: None,
            target: None,
            direction: Direction::HigherIsBetter,
            observations: Vec::new(),
        };
        let x = m.unwrap_or(&blank);
        let description: Vec<String> = x.description.lines().map(str::to_string).collect();
        Form::new(
            match m {
                Some(m) => format!("Metric · {}", crate::text::sanitize(&m.name)),
                None => "New metric".to_string(),
            },
            FormKind::Metric {
                id: m.map(|m| m.id.clone()),
            },
            vec![
                Field::line("Name", "", &x.name),
                Field::choice_field(
                    "Kind",
                    "a number, or a judgement scored on a scale",
                    METRIC_KINDS.to_vec(),
                    usize::from(x.kind == MetricKind::Qualitative),
                ),
                Field::line("Unit", "e.g. %, hours, visits/week", &x.unit),
                Field::choice_field(
                    "Direction",
                    "which way is good",
                    DIRECTIONS.to_vec(),
                    usize::from(x.direction == Direction::LowerIsBetter),
                ),
                Field::line(
                    "Baseline",
                    "where it started (blank: unknown)",
                    &num_text(x.baseline),
                ),
                Field::line(
                    "Target",
                    "where it should get to (blank: none)",
                    &num_text(x.target),
                ),
                Field::links_field(
                    "Activity",
                    LinkKind::Activity,
                    x.activity.iter().cloned().collect(),
                ),
                Field::links_field(
                    "Opportunity",
                    LinkKind::Opportunity,
                    x.opportunity.iter().cloned().collect(),
                ),
                Field::text("Description", "", &description, 2),
            ],
        )
    }

    /// The form for a new observation of a metric.
    pub fn observation(m: &Metric, today: chrono::NaiveDate) -> Form {
        Form::new(
            format!("Observe · {}", crate::text::sanitize(&m.name)),
            FormKind::Observation {
                metric: m.id.clone(),
            },
            vec![
                Field::line(
                    "Value",
                    if m.unit.is_empty() {
                        "a number"
                    } else {
                        "a number in the metric's unit"
                    },
                    "",
                ),
                Field::line("Date", "YYYY-MM-DD", &today.format("%Y-%m-%d").to_string()),
                Field::line("Comment", "optional", ""),
            ],
        )
    }

    /// Takes what a picker chose for a links field.
    pub fn picked(&mut self, purpose: &PickFor, ids: Vec<Id>) {
        if let PickFor::FormField(i) = purpose
            && let Some(Field {
                kind: FieldKind::Links(_, v),
                ..
            }) = self.fields.get_mut(*i)
        {
            *v = ids;
            self.modified = true;
        }
    }

    fn refocus(&mut self) {
        let focus = self.focus;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if let FieldKind::Line(inp, _) | FieldKind::Text(inp, _) = &mut f.kind {
                inp.set_focused(i == focus);
            }
        }
    }

    /// The edit the form describes, or a reason it cannot be applied.
    pub fn edit(&self, ws: &Workspace) -> Result<(String, Edit), String> {
        match &self.kind {
            FormKind::Perspective { persona, activity } => {
                let p = Perspective {
                    persona: persona.clone(),
                    activity: activity.clone(),
                    interest: self.fields[0].line_value(),
                    needs: self.fields[1].lines_value(),
                    pains: self.fields[2].lines_value(),
                    importance: self.fields[3].rating(),
                    satisfaction: self.fields[4].rating(),
                };
                let value = if p.is_blank() { None } else { Some(p) };
                Ok((
                    "edit perspective".into(),
                    Edit::SetPerspective {
                        persona: persona.clone(),
                        activity: activity.clone(),
                        value,
                    },
                ))
            }
            FormKind::Persona { id } => {
                if ws.persona(id).is_none() {
                    return Err("the persona no longer exists".into());
                }
                let name = self.fields[0].line_value();
                if name.is_empty() {
                    return Err("A persona needs a name".into());
                }
                let tags = self.fields[4]
                    .line_value()
                    .split([',', ' '])
                    .map(|t| t.trim().trim_start_matches('#').to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                Ok((
                    format!("edit persona {name}"),
                    Edit::SetPersona {
                        persona: Persona {
                            id: id.clone(),
                            name,
                            role: Role::ALL[self.fields[1].choice().min(2)],
                            description: self.fields[2].line_value(),
                            jobs: self.fields[3].lines_value(),
                            tags,
                        },
                    },
                ))
            }
            FormKind::Opportunity { id } => {
                let title = self.fields[0].line_value();
                if title.is_empty() {
                    return Err("An opportunity needs a title".into());
                }
                let base = match id {
                    Some(id) => ws
                        .opportunity(id)
                        .ok_or("the opportunity no longer exists")?
                        .clone(),
                    None => Opportunity::new(ws.fresh_id(), "", OpportunityKind::Need),
                };
                let o = Opportunity {
                    title: title.clone(),
                    kind: OpportunityKind::ALL[self.fields[1].choice().min(2)],
                    status: Status::ALL[self.fields[2].choice().min(5)],
                    horizon: match self.fields[3].choice() {
                        0 => None,
                        i => Some(Horizon::ALL[(i - 1).min(2)]),
                    },
                    description: self.fields[4].line_value(),
                    activities: self.fields[5].links(),
                    personas: self.fields[6].links(),
                    manual_score: self.fields[7].number("Manual score")?,
                    ..base
                };
                Ok(match id {
                    Some(_) => (
                        format!("edit opportunity \"{title}\""),
                        Edit::SetOpportunity { opportunity: o },
                    ),
                    None => (
                        format!("add opportunity \"{title}\""),
                        Edit::InsertOpportunity {
                            index: ws.opportunity_insert_index(&o.id),
                            opportunity: o,
                        },
                    ),
                })
            }
            FormKind::Metric { id } => {
                let name = self.fields[0].line_value();
                if name.is_empty() {
                    return Err("A metric needs a name".into());
                }
                let base = match id {
                    Some(id) => ws.metric(id).ok_or("the metric no longer exists")?.clone(),
                    None => Metric {
                        id: ws.fresh_id(),
                        name: String::new(),
                        kind: MetricKind::Quantitative,
                        unit: String::new(),
                        description: String::new(),
                        activity: None,
                        opportunity: None,
                        baseline: None,
                        target: None,
                        direction: Direction::HigherIsBetter,
                        observations: Vec::new(),
                    },
                };
                let m = Metric {
                    name: name.clone(),
                    kind: if self.fields[1].choice() == 1 {
                        MetricKind::Qualitative
                    } else {
                        MetricKind::Quantitative
                    },
                    unit: self.fields[2].line_value(),
                    direction: if self.fields[3].choice() == 1 {
                        Direction::LowerIsBetter
                    } else {
                        Direction::HigherIsBetter
                    },
                    baseline: self.fields[4].number("Baseline")?,
                    target: self.fields[5].number("Target")?,
                    activity: self.fields[6].links().into_iter().next(),
                    opportunity: self.fields[7].links().into_iter().next(),
                    description: self.fields[8].line_value(),
                    ..base
                };
                Ok(match id {
                    Some(_) => (
                        format!("edit metric \"{name}\""),
                        Edit::SetMetric { metric: m },
                    ),
                    None => (
                        format!("add metric \"{name}\""),
                        Edit::InsertMetric {
                            index: ws.metric_insert_index(&name),
                            metric: m,
                        },
                    ),
                })
            }
            FormKind::Observation { metric } => {
                let mut m = ws
                    .metric(metric)
                    .ok_or("the metric no longer exists")?
                    .clone();
                let value = self.fields[0]
                    .number("Value")?
                    .ok_or("Type the observed value")?;
                let date_text = self.fields[1].line_value();
                let date =
                    chrono::NaiveDate::parse_from_str(&date_text, "%Y-%m-%d").map_err(|_| {
                        format!(
                            "\"{}\" is not a date: use YYYY-MM-DD",
                            crate::text::sanitize(&date_text)
                        )
                    })?;
                m.observations.push(Observation {
                    date,
                    value,
                    comment: self.fields[2].line_value(),
                });
                let name = m.name.clone();
                Ok((
                    format!("observe {name}: {value} on {date}"),
                    Edit::SetMetric { metric: m },
                ))
            }
        }
    }

    fn submit(&mut self, ws: &Workspace, save: bool) -> Outcome {
        match self.edit(ws) {
            Ok((label, edit)) => {
                if save {
                    Outcome::Then(Effect::Apply { label, edit }).and_save()
                } else {
                    Outcome::Then(Effect::Apply { label, edit })
                }
            }
            Err(e) => {
                self.error = Some(e);
                Outcome::Stay
            }
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ws: &Workspace) -> Outcome {
        if self.confirm_discard {
            return match key.code {
                KeyCode::Char('y' | 'Y') => Outcome::Close,
                _ => {
                    self.confirm_discard = false;
                    Outcome::Stay
                }
            };
        }
        self.error = None;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                if self.modified {
                    self.confirm_discard = true;
                    Outcome::Stay
                } else {
                    Outcome::Close
                }
            }
            KeyCode::Char('s') if ctrl => self.submit(ws, true),
            KeyCode::Tab => {
                self.focus = (self.focus + 1) % self.fields.len();
                self.refocus();
                Outcome::Stay
            }
            KeyCode::BackTab => {
                self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
                self.refocus();
                Outcome::Stay
            }
            KeyCode::Enter if matches!(self.fields[self.focus].kind, FieldKind::Links(..)) => {
                let FieldKind::Links(kind, ids) = &self.fields[self.focus].kind else {
                    return Outcome::Stay;
                };
                let p = Picker::new(
                    self.fields[self.focus].label,
                    PickFor::FormField(self.focus),
                    kind.options(ws),
                    ids.clone(),
                    kind.multi(),
                );
                Outcome::Keep(Effect::Push(Box::new(Popup::Picker(p))))
            }
            KeyCode::Enter if !matches!(self.fields[self.focus].kind, FieldKind::Text(..)) => {
                self.submit(ws, false)
            }
            _ => {
                let field = &mut self.fields[self.focus];
                let changed = match &mut field.kind {
                    FieldKind::Line(i, _) | FieldKind::Text(i, _) => i.input(key),
                    FieldKind::Rating(r) => rating_key(r, key.code),
                    FieldKind::Choice(options, i) => choice_key(options, i, key.code),
                    FieldKind::Links(kind, ids) => match key.code {
                        KeyCode::Backspace | KeyCode::Delete => ids.pop().is_some(),
                        KeyCode::Char(_) | KeyCode::Down => {
                            let query = match key.code {
                                KeyCode::Char(c) => c.to_string(),
                                _ => String::new(),
                            };
                            let mut p = Picker::new(
                                field.label,
                                PickFor::FormField(self.focus),
                                kind.options(ws),
                                ids.clone(),
                                kind.multi(),
                            );
                            if !query.is_empty() {
                                p.paste(&query);
                            }
                            return Outcome::Keep(Effect::Push(Box::new(Popup::Picker(p))));
                        }
                        _ => false,
                    },
                };
                self.modified |= changed;
                Outcome::Stay
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let FieldKind::Line(i, _) | FieldKind::Text(i, _) = &mut self.fields[self.focus].kind {
            self.modified |= i.paste(text);
        }
    }

    pub fn render(&self, ws_names: &Workspace, t: &Theme, f: &mut Frame, area: Rect) {
        let label_w = 18u16;
        let body_h: u16 = self.fields.iter().map(Field::height).sum();
        let r = centered(area, 84, body_h + 5);
        f.render_widget(Clear, r);
        let title = format!(" {} ", self.title);
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let mut y = inner.y;
        let bottom = inner.y + inner.height.saturating_sub(2);
        for (i, field) in self.fields.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused { t.accent() } else { t.dim() };
            let marker = if focused { "▸ " } else { "  " };
            let label_area = Rect::new(inner.x, y, label_w.min(inner.width), 1);
            f.render_widget(
                Paragraph::new(Span::styled(
                    format!("{marker}{}", field.label),
                    label_style,
                )),
                label_area,
            );
            let value_x = inner.x + label_w.min(inner.width);
            let value_w = inner.width.saturating_sub(label_w);
            match &field.kind {
                FieldKind::Line(input, rows) => {
                    let h = (*rows).min(bottom.saturating_sub(y)).max(1);
                    input.render(f, Rect::new(value_x, y, value_w, h));
                    y += rows;
                }
                FieldKind::Text(input, rows) => {
                    if focused || !field.hint.is_empty() {
                        f.render_widget(
                            Paragraph::new(Span::styled(field.hint, t.dim())),
                            Rect::new(value_x, y, value_w, 1),
                        );
                    }
                    let h = (*rows).min(bottom.saturating_sub(y + 1));
                    input.render(
                        f,
                        Rect::new(inner.x + 2, y + 1, inner.width.saturating_sub(2), h),
                    );
                    y += rows + 1;
                }
                FieldKind::Rating(r) => {
                    let mut spans = Vec::new();
                    for n in RATING_MIN..=RATING_MAX {
                        let on = Some(n) == *r;
                        spans.push(Span::styled(
                            if on {
                                format!("[{n}]")
                            } else {
                                format!(" {n} ")
                            },
                            if on { t.selected() } else { t.dim() },
                        ));
                    }
                    spans.push(Span::styled(
                        match r {
                            Some(_) => String::new(),
                            None => "  not rated".to_string(),
                        },
                        t.dim(),
                    ));
                    f.render_widget(
                        Paragraph::new(Line::from(spans)),
                        Rect::new(value_x, y, value_w, 1),
                    );
                    y += 1;
                }
                FieldKind::Links(kind, ids) => {
                    let text = if ids.is_empty() {
                        Span::styled("none — Enter to pick", t.dim())
                    } else {
                        Span::styled(
                            crate::text::truncate(
                                &ids.iter()
                                    .map(|i| crate::text::sanitize(&kind.name(ws_names, i)))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                value_w as usize,
                            ),
                            if focused { t.selected() } else { t.text() },
                        )
                    };
                    f.render_widget(
                        Paragraph::new(Line::from(text)),
                        Rect::new(value_x, y, value_w, 1),
                    );
                    y += 1;
                }
                FieldKind::Choice(options, sel) => {
                    let spans: Vec<Span> = options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            if i == *sel {
                                Span::styled(format!("[{o}]"), t.selected())
                            } else {
                                Span::styled(format!(" {o} "), t.dim())
                            }
                        })
                        .collect();
                    f.render_widget(
                        Paragraph::new(Line::from(spans)),
                        Rect::new(value_x, y, value_w, 1),
                    );
                    y += 1;
                }
            }
        }
        // Footer: the score preview, the hint of the focused field, the keys.
        let footer = Rect::new(inner.x, bottom, inner.width, 2.min(inner.height));
        let first = if self.confirm_discard {
            Line::from(Span::styled(
                "Discard your changes?  y discard  ·  any other key keeps editing",
                t.warn(),
            ))
        } else if let Some(e) = &self.error {
            Line::from(Span::styled(e.clone(), t.error()))
        } else {
            let mut spans = vec![Span::styled(self.fields[self.focus].hint, t.dim())];
            if let FormKind::Perspective { .. } = self.kind
                && let (Some(i), Some(s)) = (self.fields[3].rating(), self.fields[4].rating())
                && let Some(score) = cell_score(i, s)
            {
                spans.push(Span::raw("   "));
                spans.push(Span::styled(format!(" score {score} "), t.heat(score)));
            }
            Line::from(spans)
        };
        f.render_widget(
            Paragraph::new(vec![
                first,
                keys_line(
                    t,
                    &[
                        ("Tab", "next field"),
                        ("Enter", "apply"),
                        ("Ctrl-s", "apply and save"),
                        ("Esc", "cancel"),
                    ],
                ),
            ]),
            footer,
        );
    }
}

fn rating_key(r: &mut Option<u8>, code: KeyCode) -> bool {
    let before = *r;
    match code {
        KeyCode::Char(c @ '1'..='5') => *r = Some(c as u8 - b'0'),
        KeyCode::Char('0' | ' ' | 'x') | KeyCode::Backspace | KeyCode::Delete => *r = None,
        KeyCode::Right | KeyCode::Char('+' | 'l') => {
            *r = Some(r.map_or(RATING_MIN, |v| (v + 1).min(RATING_MAX)));
        }
        KeyCode::Left | KeyCode::Char('-' | 'h') => {
            *r = Some(r.map_or(RATING_MIN, |v| v.saturating_sub(1).max(RATING_MIN)));
        }
        _ => {}
    }
    *r != before
}

fn choice_key(options: &[&str], i: &mut usize, code: KeyCode) -> bool {
    let before = *i;
    match code {
        KeyCode::Right | KeyCode::Char(' ') => *i = (*i + 1) % options.len(),
        KeyCode::Left => *i = (*i + options.len() - 1) % options.len(),
        KeyCode::Char(c) => {
            if let Some(p) = options.iter().position(|o| o.starts_with(c)) {
                *i = p;
            }
        }
        _ => {}
    }
    *i != before
}

impl Outcome {
    /// Runs the effect, then saves.
    fn and_save(self) -> Outcome {
        match self {
            Outcome::Then(e) => {
                Outcome::Then(Effect::Many(vec![e, Effect::Save { then_quit: false }]))
            }
            other => other,
        }
    }
}
