//! `valuemap metric observe`: observations one at a time or many at once
//! (`--from FILE`, `--from -` for standard input), so a cron or CI job can
//! pipe any command's output into a metric.
//!
//! Everything is checked before anything is written: every line must name
//! one metric and hold a date and a finite number, and no observation may
//! contradict another. Recording is idempotent: an observation already
//! there (same metric, date and value) is not added again; a different
//! value for a date already observed is refused unless `--replace` is given.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate};

use super::headless::{MetricCommand, find_metric, open_for_writing};
use super::{print_error, say};
use crate::model::edit::{self, Edit};
use crate::model::validate::FileKey;
use crate::model::{Id, Observation, Workspace};
use crate::store::Scope;
use crate::text::with_unit;

/// `valuemap metric observe`: one observation, or a batch `--from` a file.
pub fn metric(cmd: MetricCommand) -> ExitCode {
    let MetricCommand::Observe {
        path,
        metric,
        value,
        date,
        comment,
        from,
        replace,
    } = cmd;
    let result = match (from, metric, value) {
        (Some(from), _, _) => read_source(&from).and_then(|text| {
            let today = chrono::Local::now().date_naive();
            let inputs = parse_csv(&text, today)
                .map_err(|errors| format!("{}\nNothing was written.", errors.join("\n")))?;
            record(&path, &inputs, replace, false)
        }),
        (None, Some(metric), Some(value)) => {
            if value.is_finite() {
                let input = Input {
                    at: String::new(),
                    date: date.unwrap_or_else(|| chrono::Local::now().date_naive()),
                    metric,
                    value,
                    comment: comment.unwrap_or_default(),
                };
                record(&path, &[input], replace, true)
            } else {
                Err("the value must be a finite number".into())
            }
        }
        _ => Err("give METRIC and VALUE, or --from FILE".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

/// One observation to record, with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// Where it was read ("line 3"), for messages.
    pub at: String,
    pub date: NaiveDate,
    pub metric: String,
    pub value: f64,
    pub comment: String,
}

/// The most lines one batch may hold (a guard against a runaway pipe).
const MAX_LINES: usize = 1_000_000;

/// A date as a script writes it: `YYYY-MM-DD`, an RFC 3339 time (its own
/// date), a Unix time in seconds (its UTC date), or empty for `today`.
fn parse_date(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(today);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.date_naive());
    }
    if s.len() >= 9
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && let Ok(secs) = s.parse::<f64>()
        && let Some(t) = DateTime::from_timestamp(secs as i64, 0)
    {
        return Ok(t.date_naive());
    }
    Err(format!(
        "\"{s}\" is not a date: use YYYY-MM-DD (or an RFC 3339 time, or Unix seconds)"
    ))
}

fn parse_value(s: &str) -> Result<f64, String> {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("\"{t}\" is not a finite number")),
    }
}

/// Reads `date,metric,value[,comment]` lines (CSV: quote a comment that
/// holds commas). A first line `date,metric,value...` is a header; blank
/// lines and lines starting with `#` are skipped.
pub fn parse_csv(text: &str, today: NaiveDate) -> Result<Vec<Input>, Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{e}"));
                continue;
            }
        };
        let line = rec.position().map_or(i + 1, |p| p.line() as usize);
        let at = format!("line {line}");
        if out.len() + errors.len() >= MAX_LINES {
            errors.push(format!(
                "{at}: more than {MAX_LINES} lines; split the input"
            ));
            break;
        }
        let fields: Vec<&str> = rec.iter().collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if i == 0 && fields[0].eq_ignore_ascii_case("date") {
            continue;
        }
        if !(3..=4).contains(&fields.len()) {
            errors.push(format!(
                "{at}: {} field(s); expected date,metric,value[,comment]",
                fields.len()
            ));
            continue;
        }
        let date = parse_date(fields[0], today);
        let value = parse_value(fields[2]);
        match (date, value) {
            (Ok(date), Ok(value)) => out.push(Input {
                at,
                date,
                metric: fields[1].to_string(),
                value,
                comment: fields.get(3).map_or(String::new(), |c| c.to_string()),
            }),
            (d, v) => {
                for e in [d.err(), v.err()].into_iter().flatten() {
                    errors.push(format!("{at}: {e}"));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads the batch from a file, or from standard input for `-`.
pub fn read_source(from: &Path) -> Result<String, String> {
    use crate::store::read::{self, MAX_SOURCE_LEN};
    let mut bytes = Vec::new();
    if from == Path::new("-") {
        // A pipe is what standard input is for; it is still bounded.
        std::io::stdin()
            .take(MAX_SOURCE_LEN + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("reading standard input: {e}"))?;
        if bytes.len() as u64 > MAX_SOURCE_LEN {
            return Err(format!(
                "standard input holds more than the {} MiB valuemap reads; nothing was written",
                MAX_SOURCE_LEN / (1024 * 1024)
            ));
        }
    } else {
        // A FIFO or a device is refused by name, never waited on.
        bytes = read::read_regular_file(from, MAX_SOURCE_LEN).map_err(|e| e.to_string())?;
    }
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "{} is not UTF-8 text",
            if from == Path::new("-") {
                "standard input".to_string()
            } else {
                from.display().to_string()
            }
        )
    })
}

/// What happened to one observation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added,
    /// Already there with the same value.
    Kept,
    /// Replaced a different value (`--replace`).
    Replaced,
}

/// The plan for one metric and date.
struct Planned {
    metric: Id,
    date: NaiveDate,
    value: f64,
    comment: String,
    outcome: Outcome,
    was: Vec<f64>,
}

/// A message about one input: `line 3: …`, or the bare message for the
/// single observation (whose `at` is empty).
fn at(at: &str, msg: &str) -> String {
    if at.is_empty() {
        msg.to_string()
    } else {
        format!("{at}: {msg}")
    }
}

/// Works out what recording `inputs` would do, or every reason it cannot.
fn plan(ws: &Workspace, inputs: &[Input], replace: bool) -> Result<Vec<Planned>, Vec<String>> {
    let mut errors = Vec::new();
    // (metric, date) → the first input for it.
    let mut wanted: BTreeMap<(Id, NaiveDate), &Input> = BTreeMap::new();
    for i in inputs {
        let m = match find_metric(ws, &i.metric) {
            Ok(m) if m.is_derived() => {
                errors.push(at(
                    &i.at,
                    &format!(
                        "{} is computed ({}); record the metrics it is computed from",
                        m.name,
                        m.formula.as_deref().map_or_else(
                            || "an adoption rate".to_string(),
                            |f| format!("formula {f}")
                        )
                    ),
                ));
                continue;
            }
            Ok(m) => m,
            Err(e) => {
                errors.push(at(&i.at, &e));
                continue;
            }
        };
        match wanted.get(&(m.id.clone(), i.date)) {
            Some(first) if first.value != i.value => errors.push(format!(
                "{}: {} on {} is {} here but {} on {}; give one value per metric and date",
                i.at,
                m.name,
                i.date.format("%Y-%m-%d"),
                crate::text::num(i.value),
                crate::text::num(first.value),
                first.at
            )),
            Some(_) => {}
            None => {
                wanted.insert((m.id.clone(), i.date), i);
            }
        }
    }
    let mut out = Vec::new();
    for ((id, date), i) in wanted {
        let Some(m) = ws.metric(&id) else { continue };
        let same_day: Vec<f64> = m
            .observations
            .iter()
            .filter(|o| o.date == date)
            .map(|o| o.value)
            .collect();
        let outcome = if same_day.is_empty() {
            Outcome::Added
        } else if same_day.iter().all(|v| *v == i.value) {
            Outcome::Kept
        } else if replace {
            Outcome::Replaced
        } else {
            errors.push(at(
                &i.at,
                &format!(
                    "{} already has {} on {}, not {}; --replace replaces it",
                    m.name,
                    same_day
                        .iter()
                        .map(|v| with_unit(*v, &m.unit))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    date.format("%Y-%m-%d"),
                    with_unit(i.value, &m.unit)
                ),
            ));
            continue;
        };
        out.push(Planned {
            metric: id,
            date,
            value: i.value,
            comment: i.comment.clone(),
            outcome,
            was: same_day,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Records `inputs` in the workspace at `path`: all of them or, when any
/// is wrong, none. `single` keeps the one-observation command's output.
pub fn record(path: &Path, inputs: &[Input], replace: bool, single: bool) -> Result<(), String> {
    let (mut store, mut ws) = open_for_writing(path)?;
    let planned = plan(&ws, inputs, replace).map_err(|errors| {
        let mut msg = errors
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        if errors.len() > 20 {
            msg.push_str(&format!("\n… and {} more", errors.len() - 20));
        }
        if single {
            msg
        } else {
            format!("{msg}\nNothing was written.")
        }
    })?;
    let mut changed: BTreeMap<Id, crate::model::Metric> = BTreeMap::new();
    for p in planned.iter().filter(|p| p.outcome != Outcome::Kept) {
        let m = changed
            .entry(p.metric.clone())
            .or_insert_with(|| ws.metric(&p.metric).cloned().expect("planned from ws"));
        m.observations.retain(|o| o.date != p.date);
        m.observations.push(Observation {
            date: p.date,
            value: p.value,
            comment: p.comment.clone(),
        });
        m.observations.sort_by_key(|o| o.date);
    }
    let files: std::collections::BTreeSet<FileKey> = changed
        .keys()
        .map(|id| FileKey::Metric(id.clone()))
        .collect();
    for (_, metric) in changed {
        edit::apply(&mut ws, Edit::SetMetric { metric }).map_err(|e| e.to_string())?;
    }
    if !files.is_empty() {
        store.clean_stale_temp_files();
        store
            .save(&ws, &Scope::Files(files), false)
            .map_err(|e| format!("{e}; nothing was written"))?;
    }
    report(&ws, &planned, single);
    Ok(())
}

fn report(ws: &Workspace, planned: &[Planned], single: bool) {
    let verdict = |m: &crate::model::Metric| {
        let v = match m.on_track() {
            Some(true) => "on track",
            Some(false) => "off track",
            None => "no target",
        };
        let target = m.target.map_or(String::new(), |t| {
            format!(", target {}", with_unit(t, &m.unit))
        });
        let latest = m.latest().map_or(String::new(), |l| {
            format!(" — latest ({}) is {v}", l.date.format("%Y-%m-%d"))
        });
        format!("{target}{latest}")
    };
    if single && let [p] = planned {
        let Some(m) = ws.metric(&p.metric) else {
            return;
        };
        let value = with_unit(p.value, &m.unit);
        let date = p.date.format("%Y-%m-%d");
        match p.outcome {
            Outcome::Added => say!("{}: {value} on {date}{}", m.name, verdict(m)),
            Outcome::Kept => say!(
                "{}: {value} on {date} is already recorded; nothing changed",
                m.name
            ),
            Outcome::Replaced => say!(
                "{}: {value} on {date} (replaced {}){}",
                m.name,
                p.was
                    .iter()
                    .map(|v| with_unit(*v, &m.unit))
                    .collect::<Vec<_>>()
                    .join(", "),
                verdict(m)
            ),
        }
        return;
    }
    let n = |o| planned.iter().filter(|p| p.outcome == o).count();
    for p in planned {
        let Some(m) = ws.metric(&p.metric) else {
            continue;
        };
        let (mark, what) = match p.outcome {
            Outcome::Added => ("+", String::new()),
            Outcome::Kept => ("=", " (already recorded)".to_string()),
            Outcome::Replaced => (
                "~",
                format!(
                    " (was {})",
                    p.was
                        .iter()
                        .map(|v| with_unit(*v, &m.unit))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        say!(
            "{mark} {} {} on {}{what}",
            m.name,
            with_unit(p.value, &m.unit),
            p.date.format("%Y-%m-%d")
        );
    }
    let mut touched: Vec<&Id> = planned.iter().map(|p| &p.metric).collect();
    touched.dedup();
    for id in touched {
        if let Some(m) = ws.metric(id) {
            say!("{}{}", m.name, verdict(m));
        }
    }
    say!(
        "{} added, {} already recorded, {} replaced",
        n(Outcome::Added),
        n(Outcome::Kept),
        n(Outcome::Replaced)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn csv_lines_parse_with_a_header_comments_quotes_and_blank_dates() {
        let today = d("2026-05-01");
        let text = "date,metric,value,comment\n# a comment\n2026-01-02,Uptime,99.5\n,Clusters,   42\n2026-01-03T10:00:00+02:00,Uptime,99.9,\"fine, mostly\"\n1767312000,x,1\n";
        let rows = parse_csv(text, today).unwrap();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0].date, d("2026-01-02"));
        assert_eq!(rows[1].date, today);
        assert_eq!(rows[1].value, 42.0);
        assert_eq!(rows[2].comment, "fine, mostly");
        assert_eq!(rows[2].date, d("2026-01-03"));
        assert_eq!(rows[3].date, d("2026-01-02"));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let e = parse_csv(
            "2026-01-02,Uptime,abc\n2026-13-01,Uptime,1\nonly,two\n2026-01-01,x,inf\n",
            d("2026-01-01"),
        )
        .unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].starts_with("line 1:") && e[0].contains("abc"), "{e:?}");
        assert!(e[1].starts_with("line 2:") && e[1].contains("not a date"));
        assert!(e[2].starts_with("line 3:") && e[2].contains("2 field(s)"));
        assert!(e[3].starts_with("line 4:") && e[3].contains("finite"));
    }
}
