//! Synthesis across interviews: what many notes say together. Themes (the
//! `#tags` of every note, counted and split by role) live in [`themes`].

pub mod questions;
pub mod themes;
