//! A readable rendering of one workspace file, for git's `textconv`.

use std::fmt::Write as _;
use std::path::Path;

use super::compute::{opt_num, opt_u8, quote_text};
use super::{Verdict, horizon_name};
use crate::model::validate::FileKind;
use crate::model::{Conflict, Id, Item, Metric, Note, Observation, Opportunity, Workspace};
use crate::store::format;
use crate::text::{num, sanitize, sanitize_multiline, with_unit};

/// A stable, readable rendering of one RON file of a workspace (its kind
/// found from its name, else from its content), one fact per line so that a
/// line diff of two renderings reads as a list of changes. A file that
/// cannot be read this way is returned as it is (sanitised) after a line
/// saying why, so that `git diff` still shows something. Every line is sanitised.
pub fn render_file(name: &str, bytes: &[u8]) -> String {
    let path = Path::new(name);
    let text = match format::decode(path, bytes) {
        Ok(t) => t,
        Err(e) => {
            return format!(
                "(valuemap cannot read this file: {})\n{}",
                sanitize(&e.message),
                sanitize_multiline(&String::from_utf8_lossy(bytes))
            );
        }
    };
    let hint = FileKind::of_temp_name(name);
    let mut order = FileKind::ALL.to_vec();
    if let Some(h) = hint {
        order.retain(|k| *k != h);
        order.insert(0, h);
    }
    let mut first_error = None;
    for kind in order {
        match render_kind(kind, path, &text) {
            Ok(s) => return s,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let mut raw = sanitize_multiline(&text);
    if !raw.ends_with('\n') {
        raw.push('\n');
    }
    format!(
        "(valuemap cannot read this file: {})\n{raw}",
        sanitize(&first_error.unwrap_or_default())
    )
}

fn render_kind(kind: FileKind, path: &Path, text: &str) -> Result<String, String> {
    let mut w = FileWriter::default();
    match kind {
        FileKind::Workspace => {
            let (file, version) =
                match format::parse_workspace(path, text).map_err(|e| e.message)? {
                    Ok(x) => x,
                    Err(newer) => {
                        return Err(format!(
                            "format version {} is newer than this valuemap understands",
                            newer.found
                        ));
                    }
                };
            let ws = Workspace {
                name: file.name,
                description: file.description,
                phases: file.phases,
                personas: file.personas,
                perspectives: file.perspectives,
                conflicts: file.conflicts,
                ..Default::default()
            };
            let version = match version {
                format::Version::Current => format::FORMAT_VERSION,
                format::Version::Old(v) => v,
            };
            w.workspace(&ws, version);
        }
        FileKind::Opportunities => {
            let f: format::OpportunitiesFile = format::parse(path, text).map_err(|e| e.message)?;
            for o in &f.opportunities {
                w.opportunity(o);
            }
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Metrics => {
            let f: format::MetricsFile = format::parse(path, text).map_err(|e| e.message)?;
            for m in &f.metrics {
                w.metric(m);
            }
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Opportunity => {
            let f: format::OpportunityFile = format::parse(path, text).map_err(|e| e.message)?;
            w.opportunity(&f.opportunity);
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Metric => {
            let f: format::MetricFile = format::parse(path, text).map_err(|e| e.message)?;
            w.metric(&f.metric);
            w.conflicts(&Workspace::default(), &f.conflicts);
        }
        FileKind::Note => {
            let f: format::NoteFile = format::parse(path, text).map_err(|e| e.message)?;
            let (note, conflicts) = f.split();
            w.note(&note);
            w.conflicts(&Workspace::default(), &conflicts);
        }
        FileKind::Item(k) => {
            let f: format::ItemFile = format::parse(path, text).map_err(|e| e.message)?;
            let (item, conflicts) = f.split(Some(k))?;
            w.item(&item);
            w.conflicts(&Workspace::default(), &conflicts);
        }
    }
    Ok(w.s)
}

/// ` (text)`, or nothing for empty text.
fn paren(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        String::new()
    } else {
        format!("({t})")
    }
}

/// Builds a textconv rendering line by line, sanitising every value.
#[derive(Default)]
struct FileWriter {
    s: String,
}

impl FileWriter {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.s, "{}{}", "  ".repeat(indent), text);
    }

    /// `key: value`, left out when the value is empty.
    fn field(&mut self, indent: usize, key: &str, value: &str) {
        let v = sanitize(value);
        let v = v.trim();
        if !v.is_empty() {
            self.line(indent, &format!("{key}: {v}"));
        }
    }

    fn blank(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with("\n\n") {
            self.s.push('\n');
        }
    }

    fn workspace(&mut self, ws: &Workspace, version: u32) {
        self.field(0, "workspace", &ws.name);
        self.field(0, "description", &ws.description);
        self.line(0, &format!("format version: {version}"));
        for p in &ws.phases {
            self.blank();
            self.line(
                0,
                &format!("phase {} [{}]", sanitize(&p.name), sanitize(p.id.as_str())),
            );
            self.field(1, "description", &p.description);
            for a in &p.activities {
                self.line(
                    1,
                    &format!(
                        "activity {} [{}]",
                        sanitize(&a.name),
                        sanitize(a.id.as_str())
                    ),
                );
                self.field(2, "description", &a.description);
            }
        }
        for p in &ws.personas {
            self.blank();
            self.line(
                0,
                &format!(
                    "persona {} [{}]",
                    sanitize(&p.name),
                    sanitize(p.id.as_str())
                ),
            );
            self.field(1, "role", p.role.label());
            self.field(1, "description", &p.description);
            for j in &p.jobs {
                self.field(1, "job", j);
            }
            for t in &p.tags {
                self.field(1, "tag", t);
            }
        }
        for x in &ws.perspectives {
            self.blank();
            let name = |found: Option<&str>, id: &Id| {
                found.map_or_else(|| format!("{id} (missing)"), str::to_string)
            };
            let persona = name(ws.persona(&x.persona).map(|p| p.name.as_str()), &x.persona);
            let activity = name(
                ws.activity(&x.activity).map(|a| a.name.as_str()),
                &x.activity,
            );
            self.line(
                0,
                &format!(
                    "perspective {} × {} [{} × {}]",
                    sanitize(&persona),
                    sanitize(&activity),
                    sanitize(x.persona.as_str()),
                    sanitize(x.activity.as_str())
                ),
            );
            self.field(1, "importance", &opt_u8(x.importance));
            self.field(1, "satisfaction", &opt_u8(x.satisfaction));
            self.field(1, "score", &opt_u8(x.score()));
            self.field(1, "interest", &x.interest);
            for n in &x.needs {
                self.field(1, "need", n);
            }
            for p in &x.pains {
                self.field(1, "pain", p);
            }
        }
        self.conflicts(ws, &ws.conflicts);
    }

    fn opportunity(&mut self, o: &Opportunity) {
        self.blank();
        self.line(
            0,
            &format!(
                "opportunity {} [{}]",
                sanitize(&o.title),
                sanitize(o.id.as_str())
            ),
        );
        self.field(1, "kind", o.kind.label());
        self.field(1, "status", o.status.label());
        if o.horizon.is_some() {
            self.field(1, "horizon", horizon_name(o.horizon));
        }
        if let Some(s) = o.manual_score {
            self.field(1, "manual score", &num(s));
        }
        if let Some(d) = o.delivered {
            self.field(1, "delivered", &d.format("%Y-%m-%d").to_string());
        }
        if let Some(x) = &o.outcome {
            self.field(1, "outcome", x.as_str());
        }
        if let Some(x) = &o.parent {
            self.field(1, "parent", x.as_str());
        }
        self.field(1, "value", &opt_u8(o.value));
        self.field(1, "effort", &opt_u8(o.effort));
        self.field(1, "description", &o.description);
        for a in &o.activities {
            self.field(1, "activity", a.as_str());
        }
        for p in &o.personas {
            self.field(1, "persona", p.as_str());
        }
        self.evidence(&o.evidence);
    }

    fn metric(&mut self, m: &Metric) {
        self.blank();
        self.line(
            0,
            &format!("metric {} [{}]", sanitize(&m.name), sanitize(m.id.as_str())),
        );
        self.field(1, "kind", m.kind.label());
        self.field(1, "unit", &m.unit);
        self.field(1, "description", &m.description);
        if let Some(a) = &m.activity {
            self.field(1, "activity", a.as_str());
        }
        if let Some(o) = &m.opportunity {
            self.field(1, "opportunity", o.as_str());
        }
        self.field(1, "baseline", &opt_num(m.baseline, &m.unit));
        self.field(1, "target", &opt_num(m.target, &m.unit));
        self.field(1, "direction", m.direction.label());
        let mut obs: Vec<&Observation> = m.observations.iter().collect();
        obs.sort_by_key(|o| o.date);
        for o in obs {
            self.field(
                1,
                &format!("observation {}", o.date),
                &format!("{} {}", with_unit(o.value, &m.unit), paren(&o.comment)),
            );
        }
        if let Some(l) = m.latest() {
            let v = format!(
                "{} ({})",
                with_unit(l.value, &m.unit),
                Verdict::of(m).label()
            );
            self.field(1, "latest", &v);
        }
    }

    fn note(&mut self, n: &Note) {
        self.line(0, &format!("note {} [{}]", n.date, sanitize(n.id.as_str())));
        self.field(1, "title", &n.title);
        self.field(1, "interviewee", &n.interviewee);
        if let Some(p) = &n.persona {
            self.field(1, "persona", p.as_str());
        }
        for a in &n.activities {
            self.field(1, "activity", a.as_str());
        }
        for t in &n.tags {
            self.field(1, "tag", t);
        }
        // Its questions marked answered: when, and by which line.
        for a in &n.answered {
            let mut v = format!("{} ({}", a.question, a.date);
            if let Some(by) = &a.by {
                v.push_str(&format!(", by {}: \"{}\"", by.note, by.quote));
            }
            v.push(')');
            self.field(1, "answered", &v);
        }
        if !n.body.trim().is_empty() {
            self.line(1, "body:");
            for l in sanitize_multiline(&n.body).lines() {
                self.line(0, format!("    {}", l.trim_end()).trim_end());
            }
        }
    }

    fn item(&mut self, item: &Item) {
        let head = format!(
            "{} {} [{}]",
            item.kind(),
            sanitize(item.title()),
            sanitize(item.id().as_str())
        );
        self.line(0, &head);
        match item {
            Item::Outcome(o) => {
                self.field(1, "description", &o.description);
                for m in &o.metrics {
                    self.field(1, "metric", m.as_str());
                }
            }
            Item::Solution(x) => {
                self.field(1, "opportunity", x.opportunity.as_str());
                self.field(1, "status", x.status.label());
                if let Some(d) = x.shipped {
                    self.field(1, "shipped", &d.to_string());
                }
                self.field(1, "effort", &opt_u8(x.effort));
                self.field(1, "owner", &x.owner);
                self.field(1, "description", &x.description);
            }
            Item::NeedsLayer(l) => {
                self.field(1, "rank", &l.rank.to_string());
                self.field(1, "description", &l.description);
            }
            Item::NeedsNode(x) => {
                self.field(1, "layer", x.layer.as_str());
                self.field(1, "description", &x.description);
                for (what, ids) in [
                    ("depends on", &x.depends_on),
                    ("persona", &x.personas),
                    ("activity", &x.activities),
                    ("opportunity", &x.opportunities),
                ] {
                    for id in ids {
                        self.field(1, what, id.as_str());
                    }
                }
            }
            Item::Test(t) => {
                self.field(1, "solution", t.solution.as_str());
                self.field(1, "kind", t.kind.label());
                self.field(1, "method", &t.method);
                self.field(1, "criterion", &t.criterion);
                self.field(1, "owner", &t.owner);
                if let Some(d) = t.due {
                    self.field(1, "due", &d.to_string());
                }
                self.field(1, "result", t.result.label());
                self.evidence(&t.evidence);
            }
            Item::Team(t) => {
                if let Some(n) = t.size {
                    self.field(1, "size", &n.to_string());
                }
                if let Some(p) = &t.persona {
                    self.field(1, "persona", p.as_str());
                }
                if let Some(d) = t.since {
                    self.field(1, "since", &d.to_string());
                }
                self.field(1, "description", &t.description);
            }
            Item::Adoption(a) => {
                self.field(1, "team", a.team.as_str());
                self.field(1, a.target.noun(), a.target.id().as_str());
                self.field(1, "date", &a.date.to_string());
                if a.mandated {
                    self.field(1, "mandated", "yes");
                }
                self.field(1, "comment", &a.comment);
            }
        }
    }

    fn evidence(&mut self, evidence: &[crate::model::Evidence]) {
        for e in evidence {
            let q = quote_text(&e.quote);
            let quote = if q.is_empty() {
                "(the whole note)".to_string()
            } else {
                format!("\"{q}\"")
            };
            self.field(
                1,
                &format!("evidence {}", sanitize(e.note.as_str())),
                &quote,
            );
        }
    }

    fn conflicts(&mut self, ws: &Workspace, conflicts: &[Conflict]) {
        let mut v: Vec<&Conflict> = conflicts.iter().collect();
        v.sort();
        for c in v {
            self.blank();
            self.line(
                0,
                &format!(
                    "conflict on {}: {}",
                    sanitize(&ws.describe(&c.target.entity())),
                    sanitize(&c.field)
                ),
            );
            self.field(1, "kept", &c.ours);
            self.field(1, "other branch", &c.theirs);
        }
    }
}
