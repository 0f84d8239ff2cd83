//! `valuemap metric observe --from`: many observations at once from CSV or a
//! pipe, checked whole before anything is written, and idempotent.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use valuemap::model::Workspace;
use valuemap::store::Store;

#[path = "support/bin.rs"]
mod bin;

use bin::{valuemap, valuemap_stdin};

const UPTIME: &str = "72uptm";

fn workspace(tmp: &Path) {
    let r = valuemap(tmp, &["new", "ws"]);
    assert_eq!(r.code, Some(0), "{r:?}");
}

fn load(tmp: &Path) -> Workspace {
    Store::open(&tmp.join("ws")).unwrap().1
}

fn values(ws: &Workspace, id: &str, date: &str) -> Vec<f64> {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    ws.metric(&id.into())
        .unwrap()
        .observations
        .iter()
        .filter(|o| o.date == d)
        .map(|o| o.value)
        .collect()
}

const BATCH: &str = "date,metric,value,comment
2026-12-01,Uptime,99.96
2026-12-01,Time to first cluster,5.5,\"after the template, finally\"
# the weekly dashboard count
2026-12-07,dashboard,  41
";

#[test]
fn a_batch_piped_twice_is_recorded_once() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let first = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        BATCH.as_bytes(),
    );
    assert_eq!(first.code, Some(0), "{first:?}");
    assert!(
        first
            .stdout
            .ends_with("3 added, 0 already recorded, 0 replaced\n"),
        "{first:?}"
    );
    assert!(
        first.stdout.contains("+ Uptime 99.96% on 2026-12-01\n"),
        "{first:?}"
    );
    let ws = load(tmp.path());
    assert_eq!(values(&ws, UPTIME, "2026-12-01"), [99.96]);
    let ttfc = ws
        .metrics
        .iter()
        .find(|m| m.name == "Time to first cluster")
        .unwrap();
    let o = ttfc.observations.iter().find(|o| o.value == 5.5).unwrap();
    assert_eq!(o.comment, "after the template, finally");
    let file = metric_files(tmp.path());

    // The same batch again, from a file this time: nothing is added, the
    // file is not even rewritten.
    fs::write(tmp.path().join("batch.csv"), BATCH).unwrap();
    let second = valuemap(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "batch.csv"],
    );
    assert_eq!(second.code, Some(0), "{second:?}");
    assert!(
        second
            .stdout
            .ends_with("0 added, 3 already recorded, 0 replaced\n"),
        "{second:?}"
    );
    assert_eq!(metric_files(tmp.path()), file);

    // A single observation already there is not added again either.
    let single = valuemap(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            "Uptime",
            "99.96",
            "-d",
            "2026-12-01",
        ],
    );
    assert_eq!(single.code, Some(0), "{single:?}");
    assert!(
        single
            .stdout
            .contains("is already recorded; nothing changed"),
        "{single:?}"
    );
    assert_eq!(metric_files(tmp.path()), file);
}

#[test]
fn a_different_value_for_a_known_date_needs_replace() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let ok = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        b"2026-12-01,Uptime,99.96\n",
    );
    assert_eq!(ok.code, Some(0), "{ok:?}");
    let file = metric_files(tmp.path());
    let batch = b"2026-12-02,Uptime,99.97\n2026-12-01,Uptime,99.5\n";
    let refused = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        batch,
    );
    assert_eq!(refused.code, Some(1), "{refused:?}");
    assert!(
        refused.stderr.contains(
            "line 2: Uptime already has 99.96% on 2026-12-01, not 99.5%; --replace replaces it"
        ),
        "{refused:?}"
    );
    assert!(
        refused.stderr.contains("Nothing was written."),
        "{refused:?}"
    );
    // Not even the good line was written.
    assert_eq!(metric_files(tmp.path()), file);

    let replaced = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-", "--replace"],
        batch,
    );
    assert_eq!(replaced.code, Some(0), "{replaced:?}");
    assert!(
        replaced
            .stdout
            .contains("~ Uptime 99.5% on 2026-12-01 (was 99.96%)"),
        "{replaced:?}"
    );
    let ws = load(tmp.path());
    assert_eq!(values(&ws, UPTIME, "2026-12-01"), [99.5]);
    assert_eq!(values(&ws, UPTIME, "2026-12-02"), [99.97]);
    // The single form asks the same.
    let single = valuemap(
        tmp.path(),
        &[
            "metric",
            "observe",
            "ws",
            "Uptime",
            "98",
            "-d",
            "2026-12-02",
        ],
    );
    assert_eq!(single.code, Some(1), "{single:?}");
    assert!(
        single.stderr.contains("--replace replaces it"),
        "{single:?}"
    );
}

#[test]
fn every_problem_is_listed_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let file = metric_files(tmp.path());
    let batch = "2026-12-01,Uptime,99.9
yesterday,Uptime,1
2026-12-01,Latency,3
2026-12-02,Uptime,fast
2026-12-03,Uptime,99.1
2026-12-03,uptime,99.2
2026-12-04,Uptime
";
    let out = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        batch.as_bytes(),
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    for want in [
        "line 2: \"yesterday\" is not a date",
        "line 4: \"fast\" is not a finite number",
        "line 7: 2 field(s); expected date,metric,value[,comment]",
    ] {
        assert!(out.stderr.contains(want), "{want}: {out:?}");
    }
    assert_eq!(metric_files(tmp.path()), file);
    // Lines that parse but name nothing, or contradict each other.
    let batch = "2026-12-01,Latency,3\n2026-12-03,Uptime,99.1\n2026-12-03,uptime,99.2\n";
    let out = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        batch.as_bytes(),
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("line 1: no metric matches \"Latency\""),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("line 3: Uptime on 2026-12-03 is 99.2 here but 99.1 on line 2"),
        "{out:?}"
    );
    assert_eq!(metric_files(tmp.path()), file);
    // --from cannot be mixed with a single observation.
    let mixed = valuemap(
        tmp.path(),
        &["metric", "observe", "ws", "Uptime", "1", "--from", "-"],
    );
    assert_eq!(mixed.code, Some(2), "{mixed:?}");
}

#[test]
fn a_command_piped_in_with_todays_date() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    // As `echo ",Clusters,$(kubectl ... | wc -l)"` gives it: no date, spaces.
    let out = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        b",Uptime,     42\n",
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(values(&load(tmp.path()), UPTIME, &today), [42.0]);
    // Unix seconds, as Prometheus gives them.
    let out = valuemap_stdin(
        tmp.path(),
        &["metric", "observe", "ws", "--from", "-"],
        b"1764547200,Uptime,99\n",
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert_eq!(values(&load(tmp.path()), UPTIME, "2025-12-01"), [99.0]);
}

/// The bytes of every metric's file, by name.
fn metric_files(tmp: &std::path::Path) -> Vec<(std::ffi::OsString, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(tmp.join("ws/metrics"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name(), fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}
