//! Fuzzy matching (nucleo-matcher), shared by the pickers and search.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A compiled query.
pub struct Query {
    pattern: Pattern,
    empty: bool,
}

impl Query {
    pub fn new(q: &str) -> Query {
        Query {
            pattern: Pattern::parse(q, CaseMatching::Smart, Normalization::Smart),
            empty: q.trim().is_empty(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The score of `text`, or `None` when it does not match. An empty query
    /// matches everything with score 0.
    pub fn score(&self, matcher: &mut Matcher, text: &str, buf: &mut Vec<char>) -> Option<u32> {
        if self.empty {
            return Some(0);
        }
        self.pattern.score(Utf32Str::new(text, buf), matcher)
    }

    /// The char positions of `text` that match, for highlighting.
    pub fn indices(&self, matcher: &mut Matcher, text: &str) -> Vec<usize> {
        if self.empty {
            return Vec::new();
        }
        let mut buf = Vec::new();
        let mut idx = Vec::new();
        self.pattern
            .indices(Utf32Str::new(text, &mut buf), matcher, &mut idx);
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|i| i as usize).collect()
    }
}

pub fn matcher() -> Matcher {
    Matcher::new(Config::DEFAULT)
}

/// The indices of `items` that match `q`, best first (ties keep order).
pub fn rank<S: AsRef<str>>(q: &str, items: &[S]) -> Vec<usize> {
    let query = Query::new(q);
    let mut m = matcher();
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, u32)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| query.score(&mut m, s.as_ref(), &mut buf).map(|sc| (i, sc)))
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_fuzzy_matches_best_first() {
        let items = [
            "Create a cluster",
            "Create a deployment",
            "Delete a cluster",
            "Monitor a workload",
        ];
        assert_eq!(rank("", &items), [0, 1, 2, 3]);
        let r = rank("crcl", &items);
        assert_eq!(r[0], 0);
        assert!(!r.contains(&3));
        assert_eq!(rank("workload", &items), [3]);
        assert!(rank("zzz", &items).is_empty());
        let q = Query::new("clu");
        assert_eq!(q.indices(&mut matcher(), "Create a cluster"), [9, 10, 11]);
    }
}
