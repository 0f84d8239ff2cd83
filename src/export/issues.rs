//! Opportunities as tracker issues: one Markdown body per opportunity, a
//! JSON manifest for `gh issue create`, and a CSV in the shape Jira's CSV
//! import reads. valuemap itself never reaches the network.
//!
//! Bodies hold only what a tracker should see: the opportunity, its
//! evidence quotes with the interviewee's alias and the interview's date
//! (never the rest of a note), its metrics and links. Every piece of user
//! text is escaped for Markdown (no heading, link, raw HTML, `@mention` or
//! `#123` reference can come out of it).

use serde::Serialize;

use super::tables::neutralise;
use super::{direction_slug, quote_text};
use crate::diff::Verdict;
use crate::model::score;
use crate::model::{Opportunity, Workspace};
use crate::text::{md_inline, sanitize, with_unit};

/// One issue: its body's file name (in the output folder) and text.
#[derive(Clone, Debug)]
pub struct IssueFile {
    pub file: String,
    pub body: String,
}

/// The manifest's shape (documented in docs/ci.md).
#[derive(Serialize)]
pub struct Manifest {
    pub version: u32,
    pub workspace: String,
    pub filter: String,
    pub issues: Vec<ManifestIssue>,
}

#[derive(Serialize)]
pub struct ManifestIssue {
    pub id: String,
    pub title: String,
    /// The body's file, relative to the manifest.
    pub body_file: String,
    pub labels: Vec<String>,
    pub kind: &'static str,
    pub status: &'static str,
    pub horizon: Option<&'static str>,
    pub score: String,
    pub evidence: usize,
    pub interviewees: usize,
}

/// Where the links in a body point.
pub struct Links<'a> {
    /// Each opportunity's file as a path from the repository's top (or as
    /// given), e.g. `discovery/opportunities/r8k2vd.ron`.
    pub file: &'a dyn Fn(&Opportunity) -> String,
    /// The line of each opportunity in it.
    pub line: &'a dyn Fn(&Opportunity) -> usize,
    /// A web address the file path is appended to, e.g.
    /// `https://github.com/org/repo/blob/main`.
    pub base: Option<&'a str>,
}

/// A name safe as a file name and in an HTML comment.
pub fn file_safe(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// User text for a tracker's Markdown: [`md_inline`], and no `@mention`
/// or `#123` reference either.
pub fn tracker_md(s: &str) -> String {
    let s = md_inline(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev_escape = false;
    while let Some(c) = chars.next() {
        if !prev_escape
            && (c == '@' || (c == '#' && chars.peek().is_some_and(char::is_ascii_digit)))
        {
            out.push('\\');
        }
        prev_escape = c == '\\' && !prev_escape;
        out.push(c);
    }
    out
}

/// Labels for an opportunity: no spaces, as trackers want them.
fn labels(o: &Opportunity) -> Vec<String> {
    let mut v = vec!["valuemap".to_string(), o.kind.label().to_string()];
    if let Some(h) = o.horizon {
        v.push(format!("horizon-{}", h.label()));
    }
    v
}

fn interviewees(ws: &Workspace, o: &Opportunity) -> usize {
    o.evidence
        .iter()
        .filter_map(|e| ws.notes.get(&e.note))
        .map(|n| {
            let a = n.interviewee.trim().to_lowercase();
            if a.is_empty() {
                format!("\0{}", n.id)
            } else {
                a
            }
        })
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// The Markdown body of one opportunity's issue.
pub fn body(ws: &Workspace, o: &Opportunity, links: &Links) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "<!-- valuemap opportunity {} -->\n",
        file_safe(o.id.as_str())
    ));
    let sc = score::opportunity_score(ws, o).display();
    s.push_str(&format!(
        "**{}** · status: {} · horizon: {} · score: {}\n\n",
        o.kind.label(),
        o.status.label(),
        o.horizon.map_or("none", |h| h.label()),
        md_inline(&sc)
    ));
    for para in o.description.split("\n\n") {
        let lines: Vec<String> = para
            .lines()
            .map(tracker_md)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            s.push_str(&lines.join("  \n"));
            s.push_str("\n\n");
        }
    }
    s.push_str("### Who and where\n\n");
    let personas: Vec<String> = o
        .personas
        .iter()
        .filter_map(|p| ws.persona(p))
        .map(|p| format!("{} ({})", tracker_md(&p.name), p.role.label()))
        .collect();
    s.push_str(&format!(
        "- Personas: {}\n",
        if personas.is_empty() {
            "any".to_string()
        } else {
            personas.join(", ")
        }
    ));
    let acts: Vec<String> = o
        .activities
        .iter()
        .filter_map(|a| {
            let act = ws.activity(a)?;
            let phase = ws
                .phase_of(a)
                .map_or(String::new(), |p| format!("{} / ", tracker_md(&p.name)));
            Some(format!("{phase}{}", tracker_md(&act.name)))
        })
        .collect();
    s.push_str(&format!(
        "- Activities: {}\n\n",
        if acts.is_empty() {
            "none linked".to_string()
        } else {
            acts.join(", ")
        }
    ));
    let heard = interviewees(ws, o);
    s.push_str(&format!(
        "### Evidence ({} from {})\n\n",
        crate::text::count(o.evidence.len(), "quote"),
        crate::text::count(heard, "interviewee")
    ));
    if o.evidence.is_empty() {
        s.push_str("No evidence yet.\n\n");
    }
    for e in &o.evidence {
        let note = ws.notes.get(&e.note);
        let q = quote_text(&e.quote);
        let q = if q.is_empty() {
            note.map(|n| n.title.clone()).unwrap_or_default()
        } else {
            q
        };
        s.push_str(&format!("> {}\n", tracker_md(&q)));
        if let Some(n) = note {
            let who = if n.interviewee.trim().is_empty() {
                "an interviewee".to_string()
            } else {
                tracker_md(&n.interviewee)
            };
            s.push_str(&format!(">\n> — {who}, {}\n", n.date.format("%Y-%m-%d")));
        }
        s.push('\n');
    }
    s.push_str("### Metrics\n\n");
    let metrics: Vec<_> = ws
        .metrics
        .iter()
        .filter(|m| {
            m.opportunity.as_ref() == Some(&o.id)
                || m.activity
                    .as_ref()
                    .is_some_and(|a| o.activities.contains(a))
        })
        .collect();
    if metrics.is_empty() {
        s.push_str("No metric validates it yet.\n\n");
    }
    for m in metrics {
        let mut parts = Vec::new();
        if let Some(b) = m.baseline {
            parts.push(format!("baseline {}", md_inline(&with_unit(b, &m.unit))));
        }
        if let Some(t) = m.target {
            parts.push(format!(
                "target {} ({})",
                md_inline(&with_unit(t, &m.unit)),
                direction_slug(m.direction)
            ));
        }
        if let Some(l) = m.latest() {
            parts.push(format!(
                "latest {} on {}",
                md_inline(&with_unit(l.value, &m.unit)),
                l.date.format("%Y-%m-%d")
            ));
        }
        parts.push(Verdict::of(m).label().to_string());
        s.push_str(&format!(
            "- {}: {}\n",
            tracker_md(&m.name),
            parts.join(", ")
        ));
    }
    s.push('\n');
    s.push_str("### Links\n\n");
    let line = (links.line)(o);
    let file = sanitize(&(links.file)(o));
    match links.base {
        Some(base) => s.push_str(&format!(
            "- In the discovery workspace: [{}, line {line}](<{}/{}#L{line}>)\n",
            md_inline(&file),
            base.trim_end_matches('/').replace(['<', '>', ' '], ""),
            file.replace(['<', '>', ' '], "%20")
        )),
        None => s.push_str(&format!(
            "- In the discovery workspace: `{}`, line {line}\n",
            file.replace('`', "'")
        )),
    }
    s.push_str(&format!(
        "- valuemap id: `{}`. A commit with the trailer `Delivers: {}` marks it delivered (`valuemap sync-delivery`).\n",
        file_safe(o.id.as_str()),
        file_safe(o.id.as_str())
    ));
    s
}

/// The issues for `opps`, their manifest (JSON) and the Jira CSV.
pub fn render(
    ws: &Workspace,
    opps: &[&Opportunity],
    filter: &str,
    links: &Links,
) -> (Vec<IssueFile>, String, String) {
    let mut files = Vec::new();
    let mut manifest = Manifest {
        version: 1,
        workspace: sanitize(&ws.name),
        filter: filter.to_string(),
        issues: Vec::new(),
    };
    let mut jira = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let _ = jira.write_record([
        "Summary",
        "Issue Type",
        "Description",
        "Labels",
        "Labels",
        "Labels",
        "valuemap id",
    ]);
    for o in opps {
        let file = format!("{}.md", file_safe(o.id.as_str()));
        let text = body(ws, o, links);
        let title = sanitize(&o.title).trim().to_string();
        let mut l = labels(o);
        l.resize(3, String::new());
        let _ = jira.write_record([
            neutralise(&title),
            "Story".to_string(),
            neutralise(&text),
            l[0].clone(),
            l[1].clone(),
            l[2].clone(),
            neutralise(o.id.as_str()),
        ]);
        manifest.issues.push(ManifestIssue {
            id: o.id.to_string(),
            title,
            body_file: file.clone(),
            labels: labels(o),
            kind: o.kind.label(),
            status: o.status.label(),
            horizon: o.horizon.map(|h| h.label()),
            score: score::opportunity_score(ws, o).display(),
            evidence: o.evidence.len(),
            interviewees: interviewees(ws, o),
        });
        files.push(IssueFile { file, body: text });
    }
    let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    let jira = String::from_utf8(jira.into_inner().unwrap_or_default()).unwrap_or_default();
    (files, manifest, jira)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracker_text_opens_no_mention_reference_link_or_html() {
        let s = tracker_md("@octocat see #12 and [x](http://e) <script> # not ## 3");
        assert!(s.contains("\\@octocat"), "{s}");
        assert!(s.contains("\\#12"), "{s}");
        assert!(s.contains("\\[x\\]"), "{s}");
        assert!(s.contains("\\<script\\>"), "{s}");
        assert!(!s.contains("\\# not"), "only #digits: {s}");
        assert_eq!(file_safe("a/../b c"), "a____b_c");
    }
}
