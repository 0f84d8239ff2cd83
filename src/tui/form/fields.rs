//! The fields a form is made of: one line of text, several lines, a 1–5
//! rating, a choice among a few values, links to other entities.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::score::{RATING_MAX, RATING_MIN};
use crate::model::{Id, Workspace};
use crate::tui::action::{Action, Context};
use crate::tui::layer::Cx;
use crate::tui::widgets::input::{TextInput, Typed};

/// What a key did to a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKey {
    Changed,
    Moved,
    /// Not the field's: the form decides (Enter applies, Tab moves on).
    Ignored,
    /// Open a picker for a links field, with this query typed.
    Pick(String),
}

impl From<Typed> for FieldKey {
    fn from(t: Typed) -> Self {
        match t {
            Typed::Changed => FieldKey::Changed,
            Typed::Moved => FieldKey::Moved,
            Typed::Ignored => FieldKey::Ignored,
        }
    }
}

/// Where a field draws: its label's row and its value's area.
pub struct Slot {
    pub label: Rect,
    pub value: Rect,
    /// The whole width under the label (for several lines of text).
    pub below: Rect,
}

/// One field of a form.
pub trait Field {
    fn label(&self) -> &'static str;
    /// What to type, shown while the field has the focus (keys from the
    /// live key map).
    fn hint(&self, cx: &Cx) -> String;
    /// Rows it takes.
    fn height(&self) -> u16 {
        1
    }
    /// Whether Enter belongs to the field (a new line) rather than the form.
    fn multiline(&self) -> bool {
        false
    }
    fn set_focus(&mut self, _on: bool) {}
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey;
    fn paste(&mut self, _text: &str) -> bool {
        false
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, focused: bool, cx: &Cx);
    /// A links field, to take what a picker chose.
    fn as_links(&mut self) -> Option<&mut LinksField> {
        None
    }
}

/// Text the form shows but does not edit (what the entity is linked to
/// from elsewhere).
pub struct InfoField {
    pub label: &'static str,
    pub hint: &'static str,
    pub text: String,
}

impl Field for InfoField {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, _cx: &Cx) -> String {
        self.hint.to_string()
    }
    fn key(&mut self, _key: &KeyEvent, _cx: &Cx) -> FieldKey {
        FieldKey::Ignored
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, _focused: bool, cx: &Cx) {
        let text = crate::text::truncate(
            &crate::text::sanitize(&self.text),
            slot.value.width as usize,
        );
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(text, cx.theme.dim()))),
            slot.value,
        );
    }
}

/// One line of text (shown wrapped over `rows` rows).
pub struct LineField {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: TextInput,
    rows: u16,
}

impl LineField {
    pub fn new(label: &'static str, hint: &'static str, value: &str) -> LineField {
        LineField {
            label,
            hint,
            input: TextInput::line(value),
            rows: 1,
        }
    }

    /// One line shown wrapped over several rows.
    pub fn wrapped(label: &'static str, hint: &'static str, value: &str, rows: u16) -> LineField {
        LineField {
            label,
            hint,
            input: TextInput::wrapped_line(value),
            rows,
        }
    }

    /// The text, trimmed.
    pub fn value(&self) -> String {
        self.input.value().trim().to_string()
    }

    /// A number, or none when blank.
    pub fn number(&self) -> Result<Option<f64>, String> {
        let v = self.value().replace(',', ".");
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!(
                "{}: \"{}\" is not a number",
                self.label,
                crate::text::sanitize(&v)
            )),
        }
    }

    /// A date (`YYYY-MM-DD`), or none when blank.
    pub fn date(&self) -> Result<Option<chrono::NaiveDate>, String> {
        let v = self.value();
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                format!(
                    "{}: \"{}\" is not a date: use YYYY-MM-DD",
                    self.label,
                    crate::text::sanitize(&v)
                )
            })
    }

    /// Words separated by commas or spaces (tags), without `#`.
    pub fn words(&self) -> Vec<String> {
        self.value()
            .split([',', ' '])
            .map(|t| t.trim().trim_start_matches('#').to_string())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

impl Field for LineField {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, _cx: &Cx) -> String {
        self.hint.to_string()
    }
    fn height(&self) -> u16 {
        self.rows
    }
    fn set_focus(&mut self, on: bool) {
        self.input.set_focused(on);
    }
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey {
        self.input.key(key, cx.keys).into()
    }
    fn paste(&mut self, text: &str) -> bool {
        self.input.paste(text)
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, _focused: bool, _cx: &Cx) {
        self.input.render(f, slot.value);
    }
}

/// Several lines of text (one item per line: needs, pains, jobs).
pub struct TextField {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: TextInput,
    rows: u16,
}

impl TextField {
    pub fn new(label: &'static str, hint: &'static str, lines: &[String], rows: u16) -> TextField {
        TextField {
            label,
            hint,
            input: TextInput::lines(lines),
            rows,
        }
    }

    /// A multi-line text from one string.
    pub fn text(label: &'static str, hint: &'static str, text: &str, rows: u16) -> TextField {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        TextField::new(label, hint, &lines, rows)
    }

    /// The non-empty lines, trimmed.
    pub fn lines(&self) -> Vec<String> {
        self.input.nonempty_lines()
    }

    /// The whole text, trimmed.
    pub fn value(&self) -> String {
        self.input.raw_lines().join("\n").trim().to_string()
    }
}

impl Field for TextField {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, _cx: &Cx) -> String {
        self.hint.to_string()
    }
    fn height(&self) -> u16 {
        self.rows + 1
    }
    fn multiline(&self) -> bool {
        true
    }
    fn set_focus(&mut self, on: bool) {
        self.input.set_focused(on);
    }
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey {
        self.input.key(key, cx.keys).into()
    }
    fn paste(&mut self, text: &str) -> bool {
        self.input.paste(text)
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, focused: bool, cx: &Cx) {
        if focused || !self.hint.is_empty() {
            f.render_widget(
                Paragraph::new(Span::styled(self.hint, cx.theme.dim())),
                Rect {
                    height: 1,
                    ..slot.value
                },
            );
        }
        self.input.render(f, slot.below);
    }
}

/// A 1–5 rating, or none.
pub struct RatingField {
    pub label: &'static str,
    pub hint: &'static str,
    pub value: Option<u8>,
    /// What others said, shown beside the scale (the interviews' median
    /// and spread); and whether it is two or more from `value`.
    pub beside: Option<(String, Option<crate::model::ratings::Spread>)>,
}

impl RatingField {
    pub fn new(label: &'static str, hint: &'static str, value: Option<u8>) -> RatingField {
        RatingField {
            label,
            hint,
            value,
            beside: None,
        }
    }
}

impl Field for RatingField {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, cx: &Cx) -> String {
        format!(
            "{} (digits 1–5, {} to step, 0 clears)",
            self.hint,
            steps(cx)
        )
    }
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey {
        let before = self.value;
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (key.code, cx.action(Context::Field, key)) {
            (KeyCode::Char(c @ '1'..='5'), _) if plain => self.value = Some(c as u8 - b'0'),
            (KeyCode::Char('0' | ' '), _) if plain => self.value = None,
            (_, Some(Action::FormClear)) => self.value = None,
            (_, Some(Action::FormIncrease)) => {
                self.value = Some(self.value.map_or(RATING_MIN, |v| (v + 1).min(RATING_MAX)));
            }
            (_, Some(Action::FormDecrease)) => {
                self.value = Some(
                    self.value
                        .map_or(RATING_MIN, |v| v.saturating_sub(1).max(RATING_MIN)),
                );
            }
            _ => return FieldKey::Ignored,
        }
        if self.value != before {
            FieldKey::Changed
        } else {
            FieldKey::Moved
        }
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, _focused: bool, cx: &Cx) {
        let t = cx.theme;
        let mut spans = Vec::new();
        for n in RATING_MIN..=RATING_MAX {
            let on = Some(n) == self.value;
            spans.push(Span::styled(
                if on {
                    format!("[{n}]")
                } else {
                    format!(" {n} ")
                },
                if on { t.selected() } else { t.dim() },
            ));
        }
        if self.value.is_none() {
            spans.push(Span::styled("  not rated", t.dim()));
        }
        if let Some((text, spread)) = &self.beside {
            let far = spread.is_some_and(|s| self.value.is_some_and(|v| s.far_from(v)));
            spans.push(Span::styled(
                format!("   {text}{}", if far { " ≠ two or more apart" } else { "" }),
                if far { t.warn() } else { t.dim() },
            ));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), slot.value);
    }
}

/// One of a few values.
pub struct ChoiceField<T: Copy + 'static> {
    pub label: &'static str,
    pub hint: &'static str,
    options: &'static [(T, &'static str)],
    index: usize,
}

impl<T: Copy + PartialEq + 'static> ChoiceField<T> {
    pub fn new(
        label: &'static str,
        hint: &'static str,
        options: &'static [(T, &'static str)],
        value: T,
    ) -> ChoiceField<T> {
        ChoiceField {
            label,
            hint,
            options,
            index: options.iter().position(|(v, _)| *v == value).unwrap_or(0),
        }
    }

    pub fn value(&self) -> T {
        self.options[self.index.min(self.options.len() - 1)].0
    }
}

impl<T: Copy + PartialEq + 'static> Field for ChoiceField<T> {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, cx: &Cx) -> String {
        let keys = format!("{} or the first letter", steps(cx));
        if self.hint.is_empty() {
            keys
        } else {
            format!("{keys}: {}", self.hint)
        }
    }
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey {
        let before = self.index;
        let n = self.options.len();
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        // A letter jumps to the first value starting with it.
        if let KeyCode::Char(c) = key.code
            && plain
            && c.is_alphabetic()
            && let Some(p) = self.options.iter().position(|(_, o)| o.starts_with(c))
        {
            self.index = p;
        } else if key.code == KeyCode::Char(' ') && plain {
            self.index = (self.index + 1) % n;
        } else {
            match cx.action(Context::Field, key) {
                Some(Action::FormIncrease) => self.index = (self.index + 1) % n,
                Some(Action::FormDecrease) => self.index = (self.index + n - 1) % n,
                _ => return FieldKey::Ignored,
            }
        }
        if self.index != before {
            FieldKey::Changed
        } else {
            FieldKey::Moved
        }
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, _focused: bool, cx: &Cx) {
        let t = cx.theme;
        let spans: Vec<Span> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, (_, o))| {
                if i == self.index {
                    Span::styled(format!("[{o}]"), t.selected())
                } else {
                    Span::styled(format!(" {o} "), t.dim())
                }
            })
            .collect();
        f.render_widget(Paragraph::new(Line::from(spans)), slot.value);
    }
}

/// The keys that step a rating or a choice: "h/l or ←/→".
fn steps(cx: &Cx) -> String {
    let (down, up) = (
        cx.keys.keys_for(Action::FormDecrease),
        cx.keys.keys_for(Action::FormIncrease),
    );
    let pairs: Vec<String> = down
        .iter()
        .zip(&up)
        .take(2)
        .map(|(d, u)| format!("{d}/{u}"))
        .collect();
    if pairs.is_empty() {
        "(unbound)".into()
    } else {
        pairs.join(" or ")
    }
}

/// What a links field links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Activities,
    Personas,
    /// At most one activity.
    Activity,
    /// At most one persona.
    Persona,
    /// At most one opportunity.
    Opportunity,
    /// At most one desired outcome.
    Outcome,
    /// Metrics (several).
    Metrics,
    /// At most one solution.
    Solution,
    /// Opportunities (several).
    Opportunities,
    /// One layer of the needs map.
    NeedsLayer,
    /// Nodes of the needs map (several).
    NeedsNodes,
    /// At most one thing teams adopt: a platform capability or an
    /// activity.
    AdoptionTarget,
}

impl LinkKind {
    pub fn multi(self) -> bool {
        matches!(
            self,
            LinkKind::Activities
                | LinkKind::Personas
                | LinkKind::Metrics
                | LinkKind::Opportunities
                | LinkKind::NeedsNodes
        )
    }

    /// (id, name, detail) of everything it can link to.
    pub fn options(self, ws: &Workspace) -> Vec<(Id, String, String)> {
        match self {
            LinkKind::Activities | LinkKind::Activity => ws
                .activities()
                .map(|(p, a)| (a.id.clone(), a.name.clone(), p.name.clone()))
                .collect(),
            LinkKind::Personas | LinkKind::Persona => ws
                .personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone(), p.role.label().to_string()))
                .collect(),
            LinkKind::NeedsLayer => ws
                .needs_layers()
                .into_iter()
                .map(|l| (l.id, l.name, "layer".to_string()))
                .collect(),
            LinkKind::NeedsNodes => ws
                .needs_layers()
                .iter()
                .flat_map(|l| {
                    ws.nodes_in_layer(&l.id)
                        .into_iter()
                        .map(|n| (n.id.clone(), n.name.clone(), l.name.clone()))
                })
                .collect(),
            LinkKind::Opportunity | LinkKind::Opportunities => ws
                .opportunities
                .iter()
                .map(|o| (o.id.clone(), o.title.clone(), o.status.label().to_string()))
                .collect(),
            LinkKind::Outcome => ws
                .items
                .outcomes
                .values()
                .map(|o| (o.id.clone(), o.name.clone(), "outcome".to_string()))
                .collect(),
            LinkKind::Metrics => ws
                .metrics
                .iter()
                .map(|m| (m.id.clone(), m.name.clone(), m.unit.clone()))
                .collect(),
            LinkKind::Solution => ws
                .items
                .solutions
                .values()
                .map(|s| (s.id.clone(), s.title.clone(), s.status.label().to_string()))
                .collect(),
            LinkKind::AdoptionTarget => ws
                .adoptable_targets()
                .into_iter()
                .map(|t| (t.id().clone(), ws.target_name(&t), t.noun().to_string()))
                .collect(),
        }
    }

    pub fn name(self, ws: &Workspace, id: &Id) -> String {
        match self {
            LinkKind::Activities | LinkKind::Activity => ws.activity(id).map(|a| a.name.clone()),
            LinkKind::Personas | LinkKind::Persona => ws.persona(id).map(|p| p.name.clone()),
            LinkKind::Opportunity | LinkKind::Opportunities => {
                ws.opportunity(id).map(|o| o.title.clone())
            }
            LinkKind::NeedsLayer => ws
                .needs_layers()
                .into_iter()
                .find(|l| &l.id == id)
                .map(|l| l.name),
            LinkKind::NeedsNodes => ws.items.nodes.get(id).map(|n| n.name.clone()),
            LinkKind::Outcome => ws.items.outcomes.get(id).map(|o| o.name.clone()),
            LinkKind::Metrics => ws.metric(id).map(|m| m.name.clone()),
            LinkKind::Solution => ws.items.solutions.get(id).map(|s| s.title.clone()),
            LinkKind::AdoptionTarget => ws
                .activity(id)
                .map(|a| a.name.clone())
                .or_else(|| ws.items.nodes.get(id).map(|n| n.name.clone())),
        }
        .unwrap_or_else(|| format!("{id} (missing)"))
    }
}

/// Links to other entities, chosen in a fuzzy picker.
pub struct LinksField {
    pub label: &'static str,
    pub kind: LinkKind,
    pub ids: Vec<Id>,
}

impl LinksField {
    pub fn new(label: &'static str, kind: LinkKind, ids: Vec<Id>) -> LinksField {
        LinksField { label, kind, ids }
    }

    /// The one id of a single link.
    pub fn one(&self) -> Option<Id> {
        self.ids.first().cloned()
    }
}

impl Field for LinksField {
    fn label(&self) -> &'static str {
        self.label
    }
    fn hint(&self, cx: &Cx) -> String {
        let (pick, clear) = (cx.hint(Action::FormPick), cx.hint(Action::FormClear));
        if self.kind.multi() {
            format!("{pick} picks (several allowed) · {clear} removes the last")
        } else {
            format!("{pick} picks · {clear} clears")
        }
    }
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> FieldKey {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (key.code, cx.action(Context::Field, key)) {
            (_, Some(Action::FormPick)) => FieldKey::Pick(String::new()),
            (_, Some(Action::FormClear)) => {
                if self.ids.pop().is_some() {
                    FieldKey::Changed
                } else {
                    FieldKey::Moved
                }
            }
            (KeyCode::Char(c), _) if plain && !c.is_control() => FieldKey::Pick(c.to_string()),
            _ => FieldKey::Ignored,
        }
    }
    fn draw(&self, f: &mut Frame, slot: &Slot, focused: bool, cx: &Cx) {
        let t = cx.theme;
        let span = if self.ids.is_empty() {
            Span::styled(
                format!("none — {} to pick", cx.hint(Action::FormPick)),
                t.dim(),
            )
        } else {
            Span::styled(
                crate::text::truncate(
                    &self
                        .ids
                        .iter()
                        .map(|i| crate::text::sanitize(&self.kind.name(cx.ws, i)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    slot.value.width as usize,
                ),
                if focused { t.selected() } else { t.text() },
            )
        };
        let line = if focused && self.ids.is_empty() {
            Line::from(span.patch_style(t.selected()))
        } else {
            Line::from(span)
        };
        f.render_widget(Paragraph::new(line), slot.value);
    }
    fn as_links(&mut self) -> Option<&mut LinksField> {
        Some(self)
    }
}
