//! Capturing interview notes: the line syntax typed at the speed of a
//! conversation, names resolved to the workspace's activities and personas,
//! and pains and needs accepted as opportunities. The capture editor,
//! `valuemap note add` and the importers all come through here.
//!
//! - `syntax.rs`: the line syntax ([`parse`], [`Parsed`], `#tags`, `@mentions`).
//! - `resolve.rs`: activities and personas by id, name or unique prefix.
//! - `accept.rs`: pains and needs turned into opportunities with evidence.
//! - `evidence.rs`: lines tagged `~test` as evidence for assumption tests.
//! - `complete.rs`: Tab completion of `@activity` and `~test` names.
//! - `draft.rs`: a note given from outside (a Markdown file, a CSV row)
//!   resolved and added to a workspace.

mod accept;
mod complete;
mod draft;
mod evidence;
mod resolve;
mod syntax;

pub use accept::{accept_suggestions, line_activities, open_suggestions};
pub use complete::completions;
pub use draft::{Added, At, Draft, add_drafts};
pub use evidence::{
    SIGIL as TEST_SIGIL, TestSuggestion, attach_edit, dismissed_key, dismissed_line,
    open_test_suggestions, resolve_test, test_links,
};
pub use resolve::{Resolved, resolve_activity, resolve_activity_id, resolve_persona};
pub use syntax::{
    Line, LineKind, Parsed, Suggestion, Token, merge_tags, parse, quote_text, strip_tokens, tokens,
};
