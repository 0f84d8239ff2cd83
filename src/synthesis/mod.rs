//! Synthesis across the workspace: what many notes say together and where
//! to act first. Themes (the `#tags` of every note, counted and split by
//! role) live in [`themes`]; every `? question` of the notes, open or
//! answered, in [`questions`]; the value / effort matrix of opportunities
//! and solutions in [`matrix`].

pub mod matrix;
pub mod questions;
pub mod themes;
