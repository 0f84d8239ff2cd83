//! A discovery policy: rules a team sets for its workspace in `policy.ron`,
//! checked by `valuemap check --policy` (a CI gate on pull requests).
//!
//! Every rule is optional and off unless the file turns it on. `rules.rs`
//! checks a workspace against a policy; `locate.rs` finds the line of the
//! file that each violation is about.

mod locate;
mod rules;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::Workspace;
use crate::store::format;

pub use locate::line_of;
pub use rules::check;

/// The policy file's name, in the workspace folder.
pub const POLICY_FILE: &str = "policy.ron";

/// The rules. Absent fields are rules that are off.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Every opportunity in horizon Now has evidence from at least this
    /// many interviewees and at least this many metrics linked to it.
    #[serde(default)]
    pub now_needs: Option<NowNeeds>,
    /// A delivered opportunity has an observation of a metric linked to it
    /// dated after its delivery.
    #[serde(default)]
    pub delivered_needs_observation: bool,
    /// A cell's importance or satisfaction changes only together with an
    /// interview note on that cell dated on or after the change's git base.
    #[serde(default)]
    pub rating_change_needs_note: bool,
    /// At most this many blind spots in each phase.
    #[serde(default)]
    pub max_blind_spots_per_phase: Option<usize>,
    /// Every activity with an opportunity in Now has been heard from both
    /// a customer and a consumer (an interview note each).
    #[serde(default)]
    pub now_needs_both_roles: bool,
}

/// The evidence an opportunity in Now needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NowNeeds {
    #[serde(default)]
    pub interviewees: usize,
    #[serde(default)]
    pub metrics: usize,
}

impl Policy {
    /// Whether any rule is on.
    pub fn any(&self) -> bool {
        *self != Policy::default()
    }
}

/// A rule's name, as in `policy.ron`.
pub type Rule = &'static str;

/// One way the workspace breaks the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    /// The file it is about, relative to the workspace folder.
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// What the rating rule compares with: the workspace at the change's git
/// base, and the base's date.
pub struct Base {
    pub ws: Workspace,
    pub date: NaiveDate,
    /// How the base is named in messages (`origin/main (a1b2c3d4)`).
    pub label: String,
}

/// The example `valuemap new` writes: every rule explained, all off.
pub const EXAMPLE: &str = r#"// The discovery policy of this workspace: rules that `valuemap check --policy`
// checks, for example on every pull request (see docs/ci.md). Every rule is
// optional; remove the `//` in front of one to turn it on.
(
    // Every opportunity in horizon Now has evidence from at least this many
    // interviewees (distinct aliases) and at least this many metrics linked
    // to it.
    // now_needs: (interviewees: 2, metrics: 1),

    // A delivered opportunity has an observation of a metric linked to it
    // dated after its delivery date (`valuemap sync-delivery` records the
    // date from a `Delivers:` commit trailer).
    // delivered_needs_observation: true,

    // A cell's importance or satisfaction changes only together with an
    // interview note on that cell (its persona and activity) dated on or
    // after the day of the change's git base (`--base`, e.g. origin/main).
    // rating_change_needs_note: true,

    // At most this many blind spots per phase: cells with no perspective, no
    // interview note or no metric, and activities where only customers or
    // only consumers were heard (the map's coverage view, `c`).
    // max_blind_spots_per_phase: 10,

    // Both a customer and a consumer were heard (an interview note each) on
    // every activity with an opportunity in Now.
    // now_needs_both_roles: true,
)
"#;

/// Whether RON text holds nothing but comments and blanks.
fn only_comments(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return rest.is_empty();
        }
    }
}

/// Reads a policy from its text; errors point at the line and column.
pub fn parse(path: &Path, text: &str) -> Result<Policy, format::ParseError> {
    if only_comments(text) {
        return Ok(Policy::default());
    }
    format::parse(path, text)
}

/// The workspace's policy: `None` when it has no `policy.ron`.
pub fn load(ws_dir: &Path) -> Result<Option<(PathBuf, Policy)>, String> {
    let path = ws_dir.join(POLICY_FILE);
    let Some(text) = read_text(ws_dir, &path)? else {
        return Ok(None);
    };
    let p = parse(&path, &text).map_err(|e| e.to_string())?;
    Ok(Some((path, p)))
}

/// A text file of the workspace folder `root` (`policy.ron`, `config.ron`,
/// a file whose lines a report points at), `None` when it is absent. Read
/// as the store reads workspace files ([`crate::store::read`]): a FIFO, a
/// device, a link out of the workspace or a file over
/// [`crate::store::read::MAX_FILE_LEN`] is refused by name, never waited on.
pub fn read_text(root: &Path, path: &Path) -> Result<Option<String>, String> {
    use crate::store::read;
    let bytes = match read::read_workspace_file(root, path, read::MAX_FILE_LEN) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    format::decode(path, &bytes)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Writes the example policy into a new workspace folder (private, like
/// every file there).
pub fn write_example(ws_dir: &Path) -> std::io::Result<()> {
    crate::store::atomic::write_atomic(&ws_dir.join(POLICY_FILE), EXAMPLE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_with_every_rule_off_and_each_rule_turns_on() {
        let p = parse(Path::new("policy.ron"), EXAMPLE).unwrap();
        assert!(!p.any());
        let on = EXAMPLE
            .replace("    // now_needs", "    now_needs")
            .replace(
                "    // max_blind_spots_per_phase",
                "    max_blind_spots_per_phase",
            );
        let p = parse(Path::new("policy.ron"), &on).unwrap();
        assert_eq!(
            p.now_needs,
            Some(NowNeeds {
                interviewees: 2,
                metrics: 1
            })
        );
        assert_eq!(p.max_blind_spots_per_phase, Some(10));
    }

    #[test]
    fn comments_alone_are_an_empty_policy_and_typos_are_located() {
        assert!(
            !parse(Path::new("p"), "// nothing\n/* at all */\n")
                .unwrap()
                .any()
        );
        let e = parse(Path::new("p"), "(\n  now_need: (interviewees: 1),\n)").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("now_need"), "{}", e.message);
    }
}
