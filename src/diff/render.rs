//! A diff as plain text (optionally coloured) or as Markdown.

use std::fmt::Write as _;

use super::summary::plural;
use super::{
    Change, Diff, EvidenceItem, FieldChange, ItemChange, MetricChange, NoteChange, ObservationItem,
    QuestionChange, QuestionEvent, TagChange, horizon_name,
};
use crate::model::{Kind, SolutionStatus, Verdict as TestVerdict};
use crate::text::{md_inline, sanitize, truncate, with_unit};

/// How long a value may be in a rendering before it is cut (in cells).
const VALUE_WIDTH: usize = 100;

const GREEN: &str = "32";
const RED: &str = "31";
const YELLOW: &str = "33";
const BOLD: &str = "1";
const DIM: &str = "2";

/// Where a rendering is written: plain text (optionally coloured) or Markdown.
struct Out {
    md: bool,
    color: bool,
    s: String,
}

impl Out {
    /// User text made safe for the output.
    fn esc(&self, s: &str) -> String {
        if self.md {
            md_inline(s)
        } else {
            sanitize(s).trim().to_string()
        }
    }

    /// A value: cut to a readable length, quoted when it is text, "(none)"
    /// when empty.
    fn val(&self, s: &str, quoted: bool) -> String {
        let t = truncate(sanitize(s).trim(), VALUE_WIDTH);
        if t.is_empty() {
            "(none)".into()
        } else if quoted {
            format!("\"{}\"", self.esc(&t))
        } else {
            self.esc(&t)
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn section(&mut self, title: &str) {
        if self.md {
            let _ = write!(self.s, "\n### {title}\n\n");
        } else {
            let t = self.paint(BOLD, title);
            let _ = write!(self.s, "\n{t}\n");
        }
    }

    /// One entity: what happened to it and its line. `context` is shown in
    /// parentheses (dimmed in colour).
    fn entry(&mut self, change: Change, line: &str, context: &str) {
        let word = match change {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        };
        self.entry_as(change, word, line, context);
    }

    /// [`Out::entry`] with the word Markdown shows in bold instead of
    /// "added", "changed" or "removed" (text keeps the mark of `change`).
    fn entry_as(&mut self, change: Change, word: &str, line: &str, context: &str) {
        let ctx = if context.is_empty() {
            String::new()
        } else if self.md {
            format!(" ({context})")
        } else {
            format!(" {}", self.paint(DIM, &format!("({context})")))
        };
        if self.md {
            let _ = writeln!(self.s, "- **{word}** {line}{ctx}");
        } else {
            let (mark, code) = mark(change);
            let head = self.paint(code, &format!("{mark} {line}"));
            let _ = writeln!(self.s, "  {head}{ctx}");
        }
    }

    /// A detail under an entity.
    fn detail(&mut self, line: &str) {
        if self.md {
            let _ = writeln!(self.s, "  - {line}");
        } else {
            let _ = writeln!(self.s, "      {line}");
        }
    }

    /// A detail that was added to or removed from an entity ("+ jobs: ...").
    fn detail_mark(&mut self, change: Change, what: &str, line: &str) {
        if self.md {
            let word = match change {
                Change::Added => "added",
                Change::Changed => "changed",
                Change::Removed => "removed",
            };
            let _ = writeln!(self.s, "  - {what} {word}: {line}");
        } else {
            let (mark, code) = mark(change);
            let m = self.paint(code, mark);
            let _ = writeln!(self.s, "      {m} {what}: {line}");
        }
    }

    /// The changed fields of an entity; for a `new` one, values are shown
    /// without the empty "before".
    fn fields(&mut self, fields: &[FieldChange], new: bool) {
        for f in fields {
            match f {
                FieldChange::Value {
                    field,
                    before,
                    after,
                } => {
                    let q = is_text(field);
                    let line = if new {
                        format!("{field}: {}", self.val(after, q))
                    } else {
                        format!("{field}: {} → {}", self.val(before, q), self.val(after, q))
                    };
                    self.detail(&line);
                }
                FieldChange::List {
                    field,
                    added,
                    removed,
                } => {
                    for x in added {
                        let v = self.val(x, true);
                        self.detail_mark(Change::Added, field, &v);
                    }
                    for x in removed {
                        let v = self.val(x, true);
                        self.detail_mark(Change::Removed, field, &v);
                    }
                }
                FieldChange::Text {
                    field,
                    added,
                    removed,
                } => {
                    let line = if *added == 0 && *removed == 0 {
                        format!("{field}: edited")
                    } else {
                        format!(
                            "{field}: {} added, {} removed",
                            plural(*added, "line", "lines"),
                            removed
                        )
                    };
                    self.detail(&line);
                }
            }
        }
    }

    fn evidence(&mut self, change: Change, e: &EvidenceItem) {
        let mut line = self.val(&e.quote, true);
        let who = [
            self.esc(&e.interviewee),
            e.date.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        if !who.is_empty() {
            let _ = write!(line, " ({who})");
        }
        self.detail_mark(change, "evidence", &line);
    }
}

fn mark(change: Change) -> (&'static str, &'static str) {
    match change {
        Change::Added => ("+", GREEN),
        Change::Changed => ("~", YELLOW),
        Change::Removed => ("-", RED),
    }
}

/// Fields whose values are free text, shown in quotes.
fn is_text(field: &str) -> bool {
    matches!(
        field,
        "name"
            | "title"
            | "description"
            | "interest"
            | "interviewee"
            | "unit"
            | "assumption"
            | "method"
            | "criterion"
            | "owner"
    )
}

/// The diff as plain text: the summary line, then a section per kind of
/// entity, with `+` added, `-` removed and `~` changed. With `color`, ANSI
/// colours are added (the markers keep the meaning without them).
pub fn render_text(d: &Diff, color: bool) -> String {
    let mut o = Out {
        md: false,
        color,
        s: String::new(),
    };
    render(&mut o, d);
    o.s
}

/// The diff as Markdown for a pull-request description: the summary line,
/// then a `###` section per kind of entity with bullet lists. User text is
/// escaped; there is no raw HTML.
pub fn render_md(d: &Diff) -> String {
    let mut o = Out {
        md: true,
        color: false,
        s: String::new(),
    };
    render(&mut o, d);
    o.s
}

fn render(o: &mut Out, d: &Diff) {
    let esc = |s: &str| o.esc(s);
    let summary = d.summary_with(&esc);
    o.s.push_str(&summary);
    o.s.push('\n');
    if d.is_empty() {
        return;
    }
    if !d.workspace.is_empty() {
        o.section("Workspace");
        o.fields(&d.workspace, false);
    }
    for (title, items) in [
        ("Phases", &d.phases),
        ("Activities", &d.activities),
        ("Personas", &d.personas),
    ] {
        if items.is_empty() {
            continue;
        }
        o.section(title);
        for c in items {
            let name = o.esc(&c.name);
            let ctx = o.esc(&c.context);
            o.entry(c.change, &name, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
        }
    }
    if !d.perspectives.is_empty() {
        o.section("Perspectives");
        for c in &d.perspectives {
            let line = format!("{} × {}", o.esc(&c.persona_name), o.esc(&c.activity_name));
            let score = |s: Option<u8>| s.map_or("–".to_string(), |s| s.to_string());
            let ctx = if c.score.changed() {
                format!("score {} → {}", score(c.score.before), score(c.score.after))
            } else if let Some(s) = c.score.after {
                format!("score {s}")
            } else {
                String::new()
            };
            o.entry(c.change, &line, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
        }
    }
    if !d.opportunities.is_empty() {
        o.section("Opportunities");
        for c in &d.opportunities {
            let title = o.esc(&c.title);
            let ctx = match c.change {
                Change::Changed if c.score.changed() => {
                    format!("score {} → {}", c.score.before, c.score.after)
                }
                Change::Changed => format!("score {}", c.score.after),
                _ => format!(
                    "{} · {} · score {}",
                    c.status.after.label(),
                    c.horizon
                        .after
                        .map_or("no horizon", |h| horizon_name(Some(h))),
                    c.score.after
                ),
            };
            o.entry(c.change, &title, &ctx);
            if c.change == Change::Changed {
                if c.status.changed() {
                    let line = format!(
                        "status: {} → {}",
                        c.status.before.label(),
                        c.status.after.label()
                    );
                    o.detail(&line);
                }
                if c.horizon.changed() {
                    let line = format!(
                        "horizon: {} → {}",
                        horizon_name(c.horizon.before),
                        horizon_name(c.horizon.after)
                    );
                    o.detail(&line);
                }
            }
            o.fields(&c.fields, c.change == Change::Added);
            if c.change != Change::Removed {
                for e in &c.evidence_added {
                    o.evidence(Change::Added, e);
                }
            }
            if c.change == Change::Changed {
                for e in &c.evidence_removed {
                    o.evidence(Change::Removed, e);
                }
            }
        }
    }
    for (title, items) in [
        ("Outcomes", &d.outcomes),
        ("Solutions", &d.solutions),
        ("Assumption tests", &d.tests),
        ("Needs-map layers", &d.needs_layers),
        ("Needs-map nodes", &d.needs_nodes),
        ("Teams", &d.teams),
        ("Adoption", &d.adoption),
    ] {
        if items.is_empty() {
            continue;
        }
        o.section(title);
        for c in items {
            render_item(o, c);
        }
    }
    if !d.notes.is_empty() {
        o.section("Notes");
        render_notes(o, &d.notes);
    }
    if !d.tags.is_empty() {
        o.section("Themes");
        for c in &d.tags {
            render_tag(o, c);
        }
    }
    if !d.questions.is_empty() {
        o.section("Questions");
        for q in &d.questions {
            render_question(o, q);
        }
    }
    if !d.metrics.is_empty() {
        o.section("Metrics");
        for c in &d.metrics {
            render_metric(o, c);
        }
    }
    if !d.conflicts.is_empty() {
        o.section("Merge conflicts");
        for c in &d.conflicts {
            let line = format!("{}: {}", o.esc(&c.about), o.esc(&c.field));
            let ctx = if c.change == Change::Removed {
                "resolved"
            } else {
                "to resolve"
            };
            o.entry(c.change, &line, ctx);
        }
    }
}

fn note_line(o: &Out, c: &NoteChange, with_persona: bool) -> String {
    let mut line = format!("{} {}", c.date, o.val(&c.title, true));
    let who: Vec<String> = [
        o.esc(&c.interviewee),
        if with_persona {
            o.esc(&c.persona_name)
        } else {
            String::new()
        },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    if !who.is_empty() {
        let _ = write!(line, " ({})", who.join(", "));
    }
    line
}

fn render_notes(o: &mut Out, notes: &[NoteChange]) {
    let mut i = 0;
    while i < notes.len() {
        let c = &notes[i];
        if c.change == Change::Added {
            // New notes, a group per persona.
            let group: Vec<&NoteChange> = notes[i..]
                .iter()
                .take_while(|x| x.change == Change::Added && x.persona == c.persona)
                .collect();
            let who = if c.persona.is_some() {
                o.esc(&c.persona_name)
            } else {
                "Without a persona".into()
            };
            let line = format!("{who}: {}", plural(group.len(), "new note", "new notes"));
            o.entry(Change::Added, &line, "");
            for x in &group {
                let l = note_line(o, x, false);
                o.detail(&l);
            }
            i += group.len();
            continue;
        }
        let line = note_line(o, c, true);
        o.entry(c.change, &line, "");
        o.fields(&c.fields, c.change == Change::Added);
        i += 1;
    }
}

/// A theme: `#finops: 2 → 3 notes`, `#sso: new, 1 note`, `#toil: gone, was
/// 2 notes`, and the roles whose count moved.
fn render_tag(o: &mut Out, c: &TagChange) {
    let tag = format!("#{}", o.esc(&c.tag));
    let notes = |n: usize| plural(n, "note", "notes");
    let line = match c.change {
        Change::Added => format!("{tag}: new, {}", notes(c.notes.after)),
        Change::Removed => format!("{tag}: gone, was {}", notes(c.notes.before)),
        Change::Changed if c.notes.changed() => {
            format!("{tag}: {} → {}", c.notes.before, notes(c.notes.after))
        }
        Change::Changed => format!("{tag}: {}", notes(c.notes.after)),
    };
    o.entry(c.change, &line, "");
    if c.change == Change::Changed && c.roles.changed() {
        const ROLES: [&str; 4] = ["customer", "consumer", "end user", "no persona"];
        let moved: Vec<String> = ROLES
            .iter()
            .enumerate()
            .filter(|(i, _)| c.roles.before[*i] != c.roles.after[*i])
            .map(|(i, r)| format!("{r} {} → {}", c.roles.before[i], c.roles.after[i]))
            .collect();
        o.detail(&format!("heard from: {}", moved.join(", ")));
    }
}

/// A question: `answered "Who pays?"`, with its note and, once answered,
/// when and by which line.
fn render_question(o: &mut Out, q: &QuestionChange) {
    let change = match q.event {
        QuestionEvent::Opened => Change::Added,
        _ => Change::Changed,
    };
    // Markdown says what happened in bold already.
    let line = if o.md {
        o.val(&q.question, true)
    } else {
        format!("{} {}", q.event.label(), o.val(&q.question, true))
    };
    let mut ctx: Vec<String> = vec![format!("in {}", o.val(&q.note_title, true))];
    for who in [&q.interviewee, &q.persona_name] {
        if !who.trim().is_empty() {
            ctx.push(o.esc(who));
        }
    }
    ctx.push(q.date.to_string());
    o.entry_as(change, q.event.label(), &line, &ctx.join(", "));
    if q.event != QuestionEvent::Reopened
        && let Some(d) = q.answered
    {
        let mut l = format!("answered {d}");
        if !q.by.trim().is_empty() {
            let _ = write!(l, " by {}", o.val(&q.by, true));
            if !q.by_interviewee.trim().is_empty() {
                let _ = write!(l, " ({})", o.esc(&q.by_interviewee));
            }
        }
        o.detail(&l);
    }
}

/// A solution's status or a test's result with the glyph that reads
/// without colour (`● shipped`, `✓ passed`).
fn status_word(kind: Kind, word: &str) -> String {
    let glyph = match kind {
        Kind::Outcome | Kind::NeedsLayer | Kind::NeedsNode => None,
        Kind::Solution => SolutionStatus::ALL
            .into_iter()
            .find(|s| s.label() == word)
            .map(SolutionStatus::glyph),
        Kind::Test => TestVerdict::ALL
            .into_iter()
            .find(|v| v.label() == word)
            .map(TestVerdict::glyph),
        Kind::Team => None,
        Kind::Adoption => crate::model::AdoptionState::ALL
            .into_iter()
            .find(|v| v.label() == word)
            .map(crate::model::AdoptionState::glyph),
    };
    match glyph {
        Some(g) => format!("{g} {word}"),
        None => word.to_string(),
    }
}

fn render_item(o: &mut Out, c: &ItemChange) {
    let title = o.esc(&c.title);
    let parent = match c.kind {
        Kind::Outcome | Kind::NeedsLayer => String::new(),
        Kind::NeedsNode => format!("layer: {}", o.esc(&c.context)),
        Kind::Solution => format!("opportunity: {}", o.esc(&c.context)),
        Kind::Test => format!("solution: {}", o.esc(&c.context)),
        Kind::Team => match c.context.as_str() {
            "" => String::new(),
            p => format!("persona: {}", o.esc(p)),
        },
        Kind::Adoption => o.esc(&c.context),
    };
    let ctx: Vec<String> = match c.change {
        Change::Changed => vec![parent],
        _ => vec![status_word(c.kind, &c.status.after), parent],
    };
    let ctx: Vec<String> = ctx.into_iter().filter(|s| !s.is_empty()).collect();
    o.entry(c.change, &title, &ctx.join(" · "));
    if c.change == Change::Changed && c.status.changed() {
        let what = match c.kind {
            Kind::Test => "result",
            Kind::Adoption => "state",
            _ => "status",
        };
        let line = format!(
            "{what}: {} → {}",
            status_word(c.kind, &c.status.before),
            status_word(c.kind, &c.status.after)
        );
        o.detail(&line);
    }
    o.fields(&c.fields, c.change == Change::Added);
    if c.change != Change::Removed {
        for e in &c.evidence_added {
            o.evidence(Change::Added, e);
        }
    }
    if c.change == Change::Changed {
        for e in &c.evidence_removed {
            o.evidence(Change::Removed, e);
        }
    }
}

fn render_metric(o: &mut Out, c: &MetricChange) {
    let name = o.esc(&c.name);
    let value = |o: &Out, v: f64| o.esc(&with_unit(v, &c.unit));
    match c.change {
        Change::Added | Change::Removed => {
            let mut ctx = vec![plural(
                c.observations_added.len() + c.observations_removed.len(),
                "observation",
                "observations",
            )];
            if let Some(v) = c.latest.after {
                ctx.push(format!("latest {}", value(o, v)));
            }
            ctx.push(c.verdict.after.label().to_string());
            o.entry(c.change, &name, &ctx.join(", "));
        }
        Change::Changed => {
            let ctx = if c.verdict.changed() {
                format!("{} → {}", c.verdict.before.label(), c.verdict.after.label())
            } else {
                c.verdict.after.label().to_string()
            };
            o.entry(c.change, &name, &ctx);
            o.fields(&c.fields, c.change == Change::Added);
            let obs = |o: &Out, x: &ObservationItem| {
                let mut l = value(o, x.value);
                if !x.comment.trim().is_empty() {
                    let _ = write!(l, " ({})", o.val(&x.comment, false));
                }
                (format!("observation {}", x.date), l)
            };
            for x in &c.observations_added {
                let (what, l) = obs(o, x);
                o.detail_mark(Change::Added, &what, &l);
            }
            for x in &c.observations_removed {
                let (what, l) = obs(o, x);
                o.detail_mark(Change::Removed, &what, &l);
            }
            let show = |v: Option<f64>| v.map_or("(none)".to_string(), |v| value(o, v));
            if c.latest.before.map(f64::to_bits) != c.latest.after.map(f64::to_bits) {
                let line = format!(
                    "latest: {} → {}",
                    show(c.latest.before),
                    show(c.latest.after)
                );
                o.detail(&line);
            }
        }
    }
}
