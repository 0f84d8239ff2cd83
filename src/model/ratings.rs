//! Ratings heard in interviews: the interviewee's own importance and
//! satisfaction for an activity, written as a line of a note.
//!
//! ```text
//! = 4/2                      ← importance 4, satisfaction 2 for the note's activity
//! = 3/1 @create-a-cluster    ← for another activity (id, name or unique prefix)
//! ```
//!
//! The note's activity is the first one it links (the cell a capture was
//! opened from). A rating counts for the note's persona. Per cell (persona ×
//! activity) each interviewee counts once, with their latest note (by date,
//! then capture time); inside a note the last line for an activity wins.
//!
//! A cell's [`Aggregate`] holds the number of ratings and, for importance and
//! satisfaction, the median (a half for an even count: the mean of the two
//! middle values) and the spread as the lowest and highest rating. Once a
//! cell has [`THRESHOLD`] ratings its score uses the medians, rounded half up
//! to whole ratings; before that it uses the product manager's own rating
//! ([`CellRating`]). A cell whose product-manager rating differs from the
//! interviews' median by [`DISAGREEMENT`] or more (importance or
//! satisfaction) is a disagreement.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::score::{RATING_MAX, RATING_MIN, cell_score, rating_in_range};
use super::{Id, Note, Perspective, Workspace};

/// The marker that starts a rating line.
pub const MARKER: char = '=';
/// Ratings a cell needs before its score uses them.
pub const THRESHOLD: usize = 3;
/// How far the product manager's rating may sit from the interviews' median
/// before the cell is flagged.
pub const DISAGREEMENT: u8 = 2;

/// A rating line, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    pub importance: u8,
    pub satisfaction: u8,
    /// The `@activity` it names, as typed (none: the note's activity).
    pub activity: Option<String>,
    /// Text after the ratings, kept as a remark (the `@activity` included).
    pub rest: String,
}

impl Rating {
    /// The line as it is stored: `= I/S`, then the rest of the line.
    pub fn canonical(&self) -> String {
        let mut s = format!("{MARKER} {}/{}", self.importance, self.satisfaction);
        if !self.rest.is_empty() {
            s.push(' ');
            s.push_str(&self.rest);
        }
        s
    }
}

/// Why a rating line cannot be read, and where (a column counted in
/// characters from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingError {
    pub column: usize,
    pub message: String,
}

const EXAMPLE: &str =
    "write importance/satisfaction, each 1–5, e.g. \"= 4/2\" or \"= 4/2 @activity\"";

/// Reads a line of a note: `None` when it is not a rating line (it does not
/// start with `=`), else the rating or why it cannot be read.
pub fn parse_line(raw: &str) -> Option<Result<Rating, RatingError>> {
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim_start();
    let after = t.strip_prefix(MARKER)?;
    let base = raw[..lead].chars().count() + 1;
    Some(parse_after_marker(after, base))
}

/// `after` is what follows the marker, whose column is `base`.
fn parse_after_marker(after: &str, base: usize) -> Result<Rating, RatingError> {
    let chars: Vec<char> = after.chars().collect();
    let mut i = 0;
    let col = |i: usize| base + 1 + i;
    let skip_blanks = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    let number = |i: &mut usize, what: &str| -> Result<u8, RatingError> {
        let start = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        if start == *i {
            let found = if start >= chars.len() {
                "the end of the line".to_string()
            } else {
                let s: String = chars[start..].iter().take(8).collect();
                format!("\"{}\"", s.trim_end())
            };
            return Err(RatingError {
                column: col(start),
                message: format!("a rating needs its {what} here, found {found}: {EXAMPLE}"),
            });
        }
        let digits: String = chars[start..*i].iter().collect();
        match digits.parse::<u32>() {
            Ok(v) if v <= u32::from(u8::MAX) && rating_in_range(v as u8) => Ok(v as u8),
            _ => Err(RatingError {
                column: col(start),
                message: format!(
                    "{what} {digits} is out of range: ratings go from {RATING_MIN} to {RATING_MAX}"
                ),
            }),
        }
    };
    skip_blanks(&mut i);
    let importance = number(&mut i, "importance")?;
    skip_blanks(&mut i);
    if chars.get(i) != Some(&'/') {
        return Err(RatingError {
            column: col(i),
            message: format!("a rating needs \"/\" between importance and satisfaction: {EXAMPLE}"),
        });
    }
    i += 1;
    skip_blanks(&mut i);
    let satisfaction = number(&mut i, "satisfaction")?;
    if i < chars.len() && !chars[i].is_whitespace() {
        return Err(RatingError {
            column: col(i),
            message: format!("a rating ends after its satisfaction or a blank: {EXAMPLE}"),
        });
    }
    let rest: String = chars[i..].iter().collect();
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let activity = crate::capture::tokens(&rest, '@')
        .into_iter()
        .next()
        .map(|t| t.name);
    Ok(Rating {
        importance,
        satisfaction,
        activity,
        rest,
    })
}

/// Rewrites every well-formed rating line of a body in its canonical form
/// (`= 4/2 @activity`); other lines, and rating lines that cannot be read,
/// are kept as typed.
pub fn canonical_body(body: &str) -> String {
    body.split('\n')
        .map(|l| match parse_line(l) {
            Some(Ok(r)) => r.canonical(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A rating problem in a note: its line (from 1), column and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What a note's ratings say, cell by cell: `(activity, importance,
/// satisfaction)` with the last line per activity kept, in order of first
/// appearance; and every line that rates nothing, with why.
pub fn note_ratings(ws: &Workspace, note: &Note) -> (Vec<(Id, u8, u8)>, Vec<Problem>) {
    let mut out: Vec<(Id, u8, u8)> = Vec::new();
    let mut problems = Vec::new();
    for (n, l) in note.body.split('\n').enumerate() {
        let Some(r) = parse_line(l) else { continue };
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    line: n + 1,
                    column: e.column,
                    message: e.message,
                });
                continue;
            }
        };
        let column = l.len() - l.trim_start().len() + 1;
        let activity = match &r.activity {
            Some(name) => match crate::capture::resolve_activity_id(ws, name) {
                Ok(id) => id,
                Err(e) => {
                    problems.push(Problem {
                        line: n + 1,
                        column,
                        message: format!("the rating's @{name}: {e}"),
                    });
                    continue;
                }
            },
            None => match note.activities.first() {
                Some(a) => a.clone(),
                None => {
                    problems.push(Problem {
                        line: n + 1,
                        column,
                        message: "the rating names no activity and the note links none: \
                                  write \"= I/S @activity\" or link the note to an activity"
                            .into(),
                    });
                    continue;
                }
            },
        };
        match out.iter_mut().find(|(a, ..)| *a == activity) {
            Some(x) => *x = (activity, r.importance, r.satisfaction),
            None => out.push((activity, r.importance, r.satisfaction)),
        }
    }
    if note.persona.is_none() && !out.is_empty() {
        problems.push(Problem {
            line: 1,
            column: 1,
            message: "the note has ratings but no persona: they count for no cell".into(),
        });
    }
    (out, problems)
}

/// One interviewee's rating of one cell, as counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heard {
    pub note: Id,
    /// The interviewee as compared (alias without case; a note without an
    /// alias is a person of its own).
    pub who: String,
    pub date: NaiveDate,
    pub captured: Option<NaiveDateTime>,
    pub importance: u8,
    pub satisfaction: u8,
}

impl Heard {
    fn order(&self) -> (NaiveDate, Option<NaiveDateTime>, &Id) {
        (self.date, self.captured, &self.note)
    }
}

/// Who a note's interviewee is, as ratings are counted.
pub fn interviewee_key(note: &Note) -> String {
    let alias = note.interviewee.trim().to_lowercase();
    if alias.is_empty() {
        format!("\u{0}{}", note.id)
    } else {
        alias
    }
}

/// The ratings a note gives to cells, for counting: `(persona, activity,
/// heard)`.
pub fn note_heard(ws: &Workspace, note: &Note) -> Vec<(Id, Id, Heard)> {
    let Some(p) = &note.persona else {
        return Vec::new();
    };
    note_ratings(ws, note)
        .0
        .into_iter()
        .map(|(a, i, s)| {
            (
                p.clone(),
                a,
                Heard {
                    note: note.id.clone(),
                    who: interviewee_key(note),
                    date: note.date,
                    captured: note.captured,
                    importance: i,
                    satisfaction: s,
                },
            )
        })
        .collect()
}

/// The median and spread of one rating over a cell's interviews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spread {
    /// Twice the median, so that a half (even count) stays exact.
    pub median2: u8,
    pub min: u8,
    pub max: u8,
}

impl Spread {
    fn of(mut v: Vec<u8>) -> Spread {
        v.sort_unstable();
        let n = v.len();
        let median2 = if !n.is_multiple_of(2) {
            2 * v[n / 2]
        } else {
            v[n / 2 - 1] + v[n / 2]
        };
        Spread {
            median2,
            min: v[0],
            max: v[n - 1],
        }
    }

    pub fn median(self) -> f64 {
        f64::from(self.median2) / 2.0
    }

    /// The median as shown: `4` or `3.5`.
    pub fn median_text(self) -> String {
        if self.median2.is_multiple_of(2) {
            (self.median2 / 2).to_string()
        } else {
            format!("{}.5", self.median2 / 2)
        }
    }

    /// The median rounded half up to a whole rating, as the score uses it.
    pub fn rounded(self) -> u8 {
        self.median2.div_ceil(2)
    }

    /// The spread as shown: `2–5`, or `3` when every rating is the same.
    pub fn range_text(self) -> String {
        if self.min == self.max {
            self.min.to_string()
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }

    /// Whether a rating sits [`DISAGREEMENT`] or more from the median.
    pub fn far_from(self, rating: u8) -> bool {
        (i16::from(rating) * 2 - i16::from(self.median2)).unsigned_abs()
            >= u16::from(DISAGREEMENT) * 2
    }
}

/// What the interviews say about a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aggregate {
    /// How many interviewees rated it.
    pub n: usize,
    pub importance: Spread,
    pub satisfaction: Spread,
}

impl Aggregate {
    /// The aggregate of `(importance, satisfaction)` pairs; `None` for none.
    pub fn of(pairs: impl IntoIterator<Item = (u8, u8)>) -> Option<Aggregate> {
        let (i, s): (Vec<u8>, Vec<u8>) = pairs.into_iter().unzip();
        if i.is_empty() {
            return None;
        }
        Some(Aggregate {
            n: i.len(),
            importance: Spread::of(i),
            satisfaction: Spread::of(s),
        })
    }

    /// `n=4 · i3.5 (2–5) · s2 (1–3)`
    pub fn summary(&self) -> String {
        format!(
            "n={} · i{} ({}) · s{} ({})",
            self.n,
            self.importance.median_text(),
            self.importance.range_text(),
            self.satisfaction.median_text(),
            self.satisfaction.range_text()
        )
    }
}

/// The aggregate of a cell's ratings: one per interviewee, their latest.
pub fn aggregate(heard: &[Heard]) -> Option<Aggregate> {
    let mut latest: BTreeMap<&str, &Heard> = BTreeMap::new();
    for h in heard {
        match latest.get(h.who.as_str()) {
            Some(x) if x.order() >= h.order() => {}
            _ => {
                latest.insert(&h.who, h);
            }
        }
    }
    Aggregate::of(latest.values().map(|h| (h.importance, h.satisfaction)))
}

/// Where a cell's importance and satisfaction come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The product manager's own rating (the perspective).
    Pm,
    /// The medians of this many interviewees' ratings.
    Interviews(usize),
}

impl Source {
    /// `pm` or `n=5`.
    pub fn label(self) -> String {
        match self {
            Source::Pm => "pm".into(),
            Source::Interviews(n) => format!("n={n}"),
        }
    }
}

/// A cell's ratings as the map uses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellRating {
    pub source: Source,
    /// The product manager's own ratings.
    pub pm: (Option<u8>, Option<u8>),
    /// What the interviews say (any count).
    pub heard: Option<Aggregate>,
}

impl CellRating {
    pub fn new(p: Option<&Perspective>, heard: Option<Aggregate>) -> CellRating {
        let pm = p.map_or((None, None), |p| (p.importance, p.satisfaction));
        let source = match heard {
            Some(a) if a.n >= THRESHOLD => Source::Interviews(a.n),
            _ => Source::Pm,
        };
        CellRating { source, pm, heard }
    }

    /// The importance and satisfaction the score uses (medians rounded half
    /// up once the interviews count).
    pub fn used(&self) -> (Option<u8>, Option<u8>) {
        match (self.source, self.heard) {
            (Source::Interviews(_), Some(a)) => {
                (Some(a.importance.rounded()), Some(a.satisfaction.rounded()))
            }
            _ => self.pm,
        }
    }

    /// The ratings as shown: `i3.5 s2` (medians) or `i4 s2` (pm), `-` for
    /// one not given.
    pub fn shown(&self) -> String {
        match (self.source, self.heard) {
            (Source::Interviews(_), Some(a)) => format!(
                "i{} s{}",
                a.importance.median_text(),
                a.satisfaction.median_text()
            ),
            _ => format!(
                "i{} s{}",
                self.pm.0.map_or("-".into(), |v| v.to_string()),
                self.pm.1.map_or("-".into(), |v| v.to_string())
            ),
        }
    }

    /// Whether anything rates the cell.
    pub fn is_rated(&self) -> bool {
        self.heard.is_some() || self.pm.0.is_some() || self.pm.1.is_some()
    }

    /// The cell's outcome-driven score.
    pub fn score(&self) -> Option<u8> {
        let (i, s) = self.used();
        cell_score(i?, s?)
    }

    /// Whether the product manager's rating is [`DISAGREEMENT`] or more from
    /// the interviews' median (importance or satisfaction).
    pub fn disagrees(&self) -> bool {
        let Some(a) = self.heard else { return false };
        self.pm.0.is_some_and(|v| a.importance.far_from(v))
            || self.pm.1.is_some_and(|v| a.satisfaction.far_from(v))
    }
}

/// Where a cell's ratings are read from: [`ByCell`] computed once for a
/// workspace, or the interface's [`super::coverage::Stats`], kept up to date
/// by edits.
pub trait CellRatings {
    fn rating(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellRating;
}

/// Whether a note has a rating line (well formed or not).
pub fn has_rating(note: &Note) -> bool {
    note.body.contains(MARKER) && note.body.split('\n').any(|l| parse_line(l).is_some())
}

/// Every cell's interview aggregate, computed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByCell {
    cells: BTreeMap<(Id, Id), Aggregate>,
    /// The notes with rating lines.
    notes: std::collections::BTreeSet<Id>,
}

impl ByCell {
    /// The same as [`ByCell::of`] from what [`super::coverage::Stats`]
    /// keeps up to date: each cell's ratings heard, and the notes with
    /// rating lines. No note is read.
    pub fn from_heard<'a>(
        heard: impl Iterator<Item = (&'a (Id, Id), &'a [Heard])>,
        notes: impl Iterator<Item = &'a Id>,
    ) -> ByCell {
        ByCell {
            cells: heard
                .filter_map(|(k, v)| Some((k.clone(), aggregate(v)?)))
                .collect(),
            notes: notes.cloned().collect(),
        }
    }

    pub fn of(ws: &Workspace) -> ByCell {
        let mut cells: BTreeMap<(Id, Id), Vec<Heard>> = BTreeMap::new();
        let mut notes = std::collections::BTreeSet::new();
        for n in ws.notes.values() {
            if !has_rating(n) {
                continue;
            }
            notes.insert(n.id.clone());
            for (p, a, h) in note_heard(ws, n) {
                cells.entry((p, a)).or_default().push(h);
            }
        }
        ByCell {
            cells: cells
                .into_iter()
                .filter_map(|(k, v)| Some((k, aggregate(&v)?)))
                .collect(),
            notes,
        }
    }

    /// The cells rated, as `(persona, activity)`.
    pub fn cells(&self) -> impl Iterator<Item = &(Id, Id)> {
        self.cells.keys()
    }

    /// Whether a note had rating lines when this was computed.
    pub fn rates(&self, note: &Id) -> bool {
        self.notes.contains(note)
    }

    pub fn heard(&self, persona: &Id, activity: &Id) -> Option<Aggregate> {
        self.cells
            .get(&(persona.clone(), activity.clone()))
            .copied()
    }
}

impl CellRatings for ByCell {
    fn rating(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellRating {
        CellRating::new(
            ws.perspective(persona, activity),
            self.heard(persona, activity),
        )
    }
}

impl CellRatings for super::coverage::Stats {
    fn rating(&self, ws: &Workspace, persona: &Id, activity: &Id) -> CellRating {
        super::coverage::Stats::rating(self, ws, persona, activity)
    }
}

/// A cell's rating in a workspace, from scratch (for exports and checks;
/// the interface asks [`super::coverage::Stats::rating`]).
pub fn cell_rating(ws: &Workspace, persona: &Id, activity: &Id) -> CellRating {
    let heard: Vec<Heard> = ws
        .notes
        .values()
        .filter(|n| n.persona.as_ref() == Some(persona) && n.body.contains(MARKER))
        .flat_map(|n| note_heard(ws, n))
        .filter(|(_, a, _)| a == activity)
        .map(|(.., h)| h)
        .collect();
    CellRating::new(ws.perspective(persona, activity), aggregate(&heard))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Rating {
        parse_line(s).unwrap().unwrap()
    }
    fn err(s: &str) -> RatingError {
        parse_line(s).unwrap().unwrap_err()
    }

    #[test]
    fn rating_lines_are_read_and_written_canonically() {
        assert_eq!(parse_line("> not a rating"), None);
        let r = ok("= 4/2");
        assert_eq!((r.importance, r.satisfaction, r.activity), (4, 2, None));
        let r = ok("  =4 / 2   @create-a-cluster   said twice ");
        assert_eq!(r.activity.as_deref(), Some("create-a-cluster"));
        assert_eq!(r.canonical(), "= 4/2 @create-a-cluster said twice");
        assert_eq!(
            canonical_body("T\n=5/1\n= 9/1\nx = 1/1"),
            "T\n= 5/1\n= 9/1\nx = 1/1"
        );
    }

    #[test]
    fn bad_ratings_say_what_and_where() {
        let e = err("= 6/2");
        assert_eq!(e.column, 3);
        assert!(
            e.message.starts_with("importance 6 is out of range"),
            "{e:?}"
        );
        let e = err("  = 4/0");
        assert_eq!(e.column, 7);
        assert!(e.message.starts_with("satisfaction 0 is out of range"));
        let e = err("= 4");
        assert_eq!(e.column, 4);
        assert!(e.message.contains("\"/\""), "{e:?}");
        let e = err("=");
        assert!(e.message.contains("found the end of the line"), "{e:?}");
        let e = err("= x/2");
        assert!(e.message.contains("found \"x/2\""), "{e:?}");
        let e = err("= 4/2x");
        assert_eq!(e.column, 6);
        assert!(
            err("= 99999999999999999999/1")
                .message
                .contains("out of range")
        );
        assert!(err("= 4/٣").message.contains("satisfaction"));
    }

    fn heard(who: &str, day: u32, i: u8, s: u8) -> Heard {
        Heard {
            note: format!("n{who}{day}").as_str().into(),
            who: who.into(),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            captured: None,
            importance: i,
            satisfaction: s,
        }
    }

    #[test]
    fn medians_and_spreads_by_hand() {
        // Odd: importance 2 4 5 → median 4, spread 2–5; satisfaction 1 1 3 → 1, 1–3.
        let a = aggregate(&[
            heard("a", 1, 4, 1),
            heard("b", 1, 2, 3),
            heard("c", 1, 5, 1),
        ])
        .unwrap();
        assert_eq!(a.n, 3);
        assert_eq!(a.importance.median_text(), "4");
        assert_eq!(a.importance.range_text(), "2–5");
        assert_eq!(a.satisfaction.median_text(), "1");
        assert_eq!(a.summary(), "n=3 · i4 (2–5) · s1 (1–3)");
        // Even: 3 4 → 3.5 (rounded half up: 4); 2 2 → 2.
        let a = aggregate(&[heard("a", 1, 3, 2), heard("b", 1, 4, 2)]).unwrap();
        assert_eq!(a.importance.median_text(), "3.5");
        assert_eq!(a.importance.median(), 3.5);
        assert_eq!(a.importance.rounded(), 4);
        assert_eq!(a.satisfaction.range_text(), "2");
        // Even with ties: 1 3 3 5 → 3; 2 2 4 4 → 3.
        let a = aggregate(&[
            heard("a", 1, 5, 4),
            heard("b", 1, 3, 2),
            heard("c", 1, 1, 4),
            heard("d", 1, 3, 2),
        ])
        .unwrap();
        assert_eq!(a.importance.median_text(), "3");
        assert_eq!(a.satisfaction.median_text(), "3");
        // One person twice: only their latest counts.
        let a = aggregate(&[
            heard("a", 1, 5, 5),
            heard("a", 9, 1, 1),
            heard("b", 2, 3, 3),
        ])
        .unwrap();
        assert_eq!(a.n, 2);
        assert_eq!(a.importance.median_text(), "2");
        assert_eq!(aggregate(&[]), None);
    }

    fn pm(i: u8, s: u8) -> Perspective {
        let mut p = Perspective::new("p".into(), "a".into());
        p.importance = Some(i);
        p.satisfaction = Some(s);
        p
    }

    #[test]
    fn three_ratings_take_over_the_score() {
        let two = aggregate(&[heard("a", 1, 2, 4), heard("b", 1, 2, 4)]);
        let c = CellRating::new(Some(&pm(5, 1)), two);
        assert_eq!(c.source, Source::Pm);
        assert_eq!(c.score(), Some(9));
        assert_eq!(c.shown(), "i5 s1");
        let three = aggregate(&[
            heard("a", 1, 2, 4),
            heard("b", 1, 2, 4),
            heard("c", 1, 3, 4),
        ]);
        let c = CellRating::new(Some(&pm(5, 1)), three);
        assert_eq!(c.source, Source::Interviews(3));
        assert_eq!(c.source.label(), "n=3");
        assert_eq!(c.score(), Some(2));
        assert_eq!(c.shown(), "i2 s4");
        // Without a perspective the interviews still score the cell.
        assert_eq!(CellRating::new(None, three).score(), Some(2));
        // Half medians round up for the score: i 3.5 → 4, s 1.5 → 2: 4 + 2.
        let four = aggregate(&[
            heard("a", 1, 3, 1),
            heard("b", 1, 4, 2),
            heard("c", 1, 3, 1),
            heard("d", 1, 4, 2),
        ]);
        let c = CellRating::new(None, four);
        assert_eq!(c.shown(), "i3.5 s1.5");
        assert_eq!(c.score(), Some(6));
    }

    #[test]
    fn two_apart_is_a_disagreement() {
        let one = aggregate(&[heard("a", 1, 3, 3)]);
        assert!(!CellRating::new(Some(&pm(4, 2)), one).disagrees());
        assert!(CellRating::new(Some(&pm(5, 3)), one).disagrees());
        assert!(CellRating::new(Some(&pm(3, 1)), one).disagrees());
        // 3.5 against 5 is 1.5 apart; against 1, 2.5.
        let half = aggregate(&[heard("a", 1, 3, 3), heard("b", 1, 4, 3)]);
        assert!(!CellRating::new(Some(&pm(5, 3)), half).disagrees());
        assert!(CellRating::new(Some(&pm(1, 3)), half).disagrees());
        assert!(!CellRating::new(None, half).disagrees());
        assert!(!CellRating::new(Some(&pm(5, 1)), None).disagrees());
    }
}
