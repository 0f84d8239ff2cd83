//! Stable short ids.
//!
//! Ids are short random strings, so that people on different branches can create
//! entities without coordinating and never collide in practice. Links between
//! entities are always by id.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The characters an id is made of: lower-case letters and digits without the
/// easily confused `0 o 1 l i`.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Length of a freshly generated id. 31^6 is close to 900 million ids.
pub const ID_LEN: usize = 6;

/// The id of an entity: a short random string such as `k3f9q2`.
///
/// Kept inline (up to 24 bytes, every id valuemap makes) rather than on the
/// heap: a workspace holds several copies of every note's id (the map of
/// notes, the store's record of its file, the counts, the Notes view's
/// rows), and at 100,000 notes a heap block each is megabytes.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(compact_str::CompactString);

impl Id {
    /// A new random id.
    pub fn random() -> Self {
        let mut s = compact_str::CompactString::with_capacity(ID_LEN);
        for _ in 0..ID_LEN {
            s.push(ALPHABET[fastrand::usize(..ALPHABET.len())] as char);
        }
        Id(s)
    }

    /// A new random id that `taken` does not report as used.
    pub fn fresh(taken: impl Fn(&Id) -> bool) -> Self {
        loop {
            let id = Id::random();
            if !taken(&id) {
                return id;
            }
        }
    }

    /// Wraps an existing string (from a file or a command line) as an id.
    pub fn new(s: impl Into<String>) -> Self {
        Id(compact_str::CompactString::from(s.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the id is usable in a file name and on a command line: non-empty,
    /// at most 64 characters of `[A-Za-z0-9_-]`.
    pub fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= 64
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(compact_str::CompactString::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_short_and_well_formed() {
        for _ in 0..1000 {
            let id = Id::random();
            assert_eq!(id.as_str().len(), ID_LEN);
            assert!(id.is_well_formed(), "{id}");
            assert!(id.as_str().bytes().all(|b| ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn fresh_avoids_taken_ids() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let id = Id::fresh(|i| seen.contains(i));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn malformed_ids_are_detected() {
        assert!(!Id::new("").is_well_formed());
        assert!(!Id::new("../etc").is_well_formed());
        assert!(!Id::new("a b").is_well_formed());
        assert!(!Id::new("x".repeat(65)).is_well_formed());
        assert!(Id::new("abc-12_Z").is_well_formed());
    }
}
