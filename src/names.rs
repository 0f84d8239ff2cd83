//! Names typed by people matched against the workspace's: `note add -p
//! platform -a "create a"`, `metric observe ws queue 12`, an `@mention` in
//! a note, `persona:` in a list filter. One rule everywhere:
//!
//! 1. an id names its entity (the callers look ids up first);
//! 2. a name equal to what was typed wins, without case, with `-`, `_`
//!    and runs of spaces read as one space (`create-a-cluster`);
//! 3. otherwise every name that holds what was typed matches (`queue`
//!    finds "Build queue time"): one match is the answer, several are an
//!    error that lists them;
//! 4. no match is an error that names the closest names, by Jaro-Winkler
//!    similarity to the whole name or to one of its words (so a typo such
//!    as `qeue` still points at "Build queue time"); when none is close,
//!    it lists the first names there are.

/// What was typed, made comparable: lower case, `-` and `_` as spaces,
/// runs of spaces as one.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a typed name matched.
#[derive(Debug, PartialEq)]
pub enum Found<'a, T: ?Sized> {
    One(&'a T),
    /// Several names hold what was typed (or several are equal to it).
    Several(Vec<&'a T>),
    None,
}

/// Finds the one item whose name (from `name`) matches `typed` (see the
/// module's rule; ids are the caller's).
pub fn find<'a, T: ?Sized>(
    items: impl IntoIterator<Item = &'a T>,
    typed: &str,
    name: impl Fn(&T) -> &str,
) -> Found<'a, T> {
    let want = normalise(typed);
    if want.is_empty() {
        return Found::None;
    }
    let mut exact = Vec::new();
    let mut holding = Vec::new();
    for item in items {
        let n = normalise(name(item));
        if n == want {
            exact.push(item);
        } else if exact.is_empty() && n.contains(&want) {
            holding.push(item);
        }
    }
    let hits = if exact.is_empty() { holding } else { exact };
    match hits.len() {
        0 => Found::None,
        1 => Found::One(hits[0]),
        _ => Found::Several(hits),
    }
}

/// How many close names an error offers.
const OFFERED: usize = 5;

/// How many names an error lists when none is close.
const LISTED: usize = 12;

/// How similar (Jaro-Winkler, 0 to 1) a name must be to count as close.
const CLOSE: f64 = 0.75;

/// The names close to `typed`, closest first (ties keep their order): at
/// most [`OFFERED`], none when nothing was typed or nothing is close.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let want = normalise(typed);
    if want.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = names
        .into_iter()
        .map(|n| {
            let norm = normalise(n);
            let whole = strsim::jaro_winkler(&want, &norm);
            let word = norm
                .split(' ')
                .map(|w| strsim::jaro_winkler(&want, w))
                .fold(0.0, f64::max);
            (whole.max(word), n)
        })
        .filter(|(score, _)| *score >= CLOSE)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(OFFERED).map(|(_, n)| n).collect()
}

/// The error for a name that matches nothing: `no metric matches "x";
/// closest: A, B`, or, when no name is close, the first names
/// (`metrics: A, B, C`, ending `(and 4 more)` past [`LISTED`]).
pub fn no_match<'a>(
    noun: &str,
    plural: &str,
    typed: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    if names.is_empty() {
        return format!("no {noun} matches \"{typed}\": the workspace has no {plural}");
    }
    let close = closest(typed, names.iter().copied());
    let (label, shown) = if close.is_empty() {
        (plural, names.iter().copied().take(LISTED).collect())
    } else {
        ("closest", close)
    };
    let more = names.len().saturating_sub(shown.len());
    format!(
        "no {noun} matches \"{typed}\"; {label}: {}{}",
        shown.join(", "),
        if label == plural && more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        }
    )
}

/// The error for a name that matches several: `"x" matches several
/// metrics: A, B`.
pub fn several<'a>(plural: &str, typed: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    format!(
        "\"{typed}\" matches several {plural}: {}",
        names.into_iter().collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const METRICS: [&str; 5] = [
        "Build queue time",
        "Queue depth",
        "Uptime",
        "Time to first cluster",
        "Deploys per day",
    ];

    fn find_in<'a>(names: &'a [&'a str], typed: &str) -> Found<'a, str> {
        find(names.iter().copied(), typed, |n| n)
    }

    #[test]
    fn an_exact_name_wins_then_any_name_holding_the_text() {
        let names = ["Build queue time", "Uptime", "Time to first cluster"];
        assert_eq!(find_in(&names, "queue"), Found::One("Build queue time"));
        assert_eq!(
            find_in(&names, "QUEUE-TIME"),
            Found::One("Build queue time")
        );
        assert_eq!(
            find_in(&names, "first"),
            Found::One("Time to first cluster")
        );
        // "uptime" is a name of its own, though "Uptime" is also in no other.
        assert_eq!(find_in(&names, "uptime"), Found::One("Uptime"));
        // "time" is held by all three.
        assert_eq!(
            find_in(&names, "time"),
            Found::Several(vec!["Build queue time", "Uptime", "Time to first cluster"])
        );
        // An exact name beats names that merely hold it.
        let names = ["Queue", "Build queue time"];
        assert_eq!(find_in(&names, "queue"), Found::One("Queue"));
        assert_eq!(find_in(&names, ""), Found::None);
        assert_eq!(find_in(&names, "  "), Found::None);
        assert_eq!(find_in(&names, "latency"), Found::None);
        // Two entities with the same name: neither is picked.
        let names = ["Uptime", "uptime"];
        assert_eq!(
            find_in(&names, "Uptime"),
            Found::Several(vec!["Uptime", "uptime"])
        );
    }

    #[test]
    fn no_match_names_the_closest() {
        let e = no_match("metric", "metrics", "qeue", METRICS);
        assert!(
            e.starts_with("no metric matches \"qeue\"; closest: "),
            "{e}"
        );
        let offered: Vec<&str> = e.split_once("closest: ").unwrap().1.split(", ").collect();
        assert!(
            offered[..2].contains(&"Build queue time") && offered[..2].contains(&"Queue depth"),
            "{e}"
        );
        assert_eq!(
            closest(
                "deploy per day",
                ["Uptime", "Deploys per day", "Queue depth"]
            ),
            ["Deploys per day"]
        );
        // Nothing close: the names there are.
        assert_eq!(
            no_match("metric", "metrics", "Latency", ["Uptime", "Queue depth"]),
            "no metric matches \"Latency\"; metrics: Uptime, Queue depth"
        );
        // Long lists are cut; nothing typed lists the first names.
        let many: Vec<String> = (0..15).map(|i| format!("M{i}")).collect();
        let e = no_match("metric", "metrics", "", many.iter().map(String::as_str));
        assert_eq!(
            e,
            "no metric matches \"\"; metrics: M0, M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11 (and 3 more)"
        );
        assert_eq!(
            no_match("metric", "metrics", "x", []),
            "no metric matches \"x\": the workspace has no metrics"
        );
        assert_eq!(
            several("metrics", "time", ["A time", "B time"]),
            "\"time\" matches several metrics: A time, B time"
        );
    }
}
