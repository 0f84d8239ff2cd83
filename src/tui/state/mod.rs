//! The state of the views: plain data, below the code that draws and
//! updates it.

pub mod disk;
pub mod list;
pub mod map;

pub use list::{Board, ListState};

/// The screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Map,
    Personas,
    Notes,
    Opportunities,
    Metrics,
    Tree,
    Needs,
    Adoption,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Map,
        View::Personas,
        View::Notes,
        View::Opportunities,
        View::Metrics,
        View::Tree,
        View::Needs,
        View::Adoption,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Map => "Map",
            View::Personas => "Personas",
            View::Notes => "Notes",
            View::Opportunities => "Opportunities",
            View::Metrics => "Metrics",
            View::Tree => "Tree",
            View::Needs => "Needs map",
            View::Adoption => "Adoption",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            View::Map => "map",
            View::Personas => "personas",
            View::Notes => "notes",
            View::Opportunities => "opportunities",
            View::Metrics => "metrics",
            View::Tree => "tree",
            View::Needs => "needs",
            View::Adoption => "adoption",
        }
    }

    pub fn from_slug(s: &str) -> Option<View> {
        let s = s.trim().to_ascii_lowercase();
        View::ALL
            .into_iter()
            .find(|v| v.slug() == s || (s.len() >= 2 && v.slug().starts_with(&s)))
    }

    /// The number its key and tab show (7 is the needs map's).
    pub fn number(self) -> usize {
        match self {
            View::Adoption => 8,
            v => v.index() + 1,
        }
    }

    pub fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    /// The next view (`by` 1) or the previous one (`by` -1), wrapping.
    pub fn step(self, by: isize) -> View {
        let n = View::ALL.len() as isize;
        View::ALL[(self.index() as isize + by).rem_euclid(n) as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
}
