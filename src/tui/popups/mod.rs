//! Popups: layers over the views, one file each. The top one gets every key
//! first; `Esc` closes it (or cancels its edit) and never quits. A popup
//! changes nothing itself: it answers with edits and commands
//! ([`super::layer::Cmd`]) for the application to carry out.

pub mod capture;
pub mod changed;
pub mod choose;
pub mod confirm;
pub mod conflicts;
pub mod help;
pub mod history;
pub mod items;
pub mod matrix;
pub mod palette;
pub mod picker;
pub mod prompt;
pub mod questions;
pub mod quit;
pub mod recovery;
pub mod search;
pub mod suggest;
pub mod themes;
