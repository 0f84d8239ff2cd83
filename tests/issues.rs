//! `valuemap export --format issues`: one Markdown body per opportunity, a
//! manifest a script (and the documented `gh` one-liner) can read, a CSV in
//! Jira's import shape; user text escaped, interviewees by alias only.

use std::fs;
use std::path::Path;
use std::process::Command;

use valuemap::store::{Scope, Store};

#[path = "support/bin.rs"]
mod bin;

use bin::valuemap;

const API_WARNINGS: &str = "c4dprw";
const SELF_SERVICE: &str = "93ssvc";

fn workspace(tmp: &Path) {
    let r = valuemap(tmp, &["new", "ws"]);
    assert_eq!(r.code, Some(0), "{r:?}");
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn opportunities_in_now_become_issue_bodies_with_a_manifest_and_a_jira_csv() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let out = valuemap(
        tmp.path(),
        &["export", "ws", "-f", "issues", "-o", "issues"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let dir = tmp.path().join("issues");
    let m = manifest(&dir);
    assert_eq!(m["version"], 1);
    assert_eq!(m["filter"], "horizon:now");
    let issues = m["issues"].as_array().unwrap();
    let ids: Vec<&str> = issues.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [API_WARNINGS, SELF_SERVICE], "ranked by score");
    for i in issues {
        let body = fs::read_to_string(dir.join(i["body_file"].as_str().unwrap())).unwrap();
        assert!(body.starts_with(&format!(
            "<!-- valuemap opportunity {} -->\n",
            i["id"].as_str().unwrap()
        )));
        assert!(!i["title"].as_str().unwrap().is_empty());
        assert_eq!(i["labels"][0], "valuemap");
    }
    let body = fs::read_to_string(dir.join(format!("{SELF_SERVICE}.md"))).unwrap();
    assert!(
        body.contains("### Evidence (2 quotes from 2 interviewees)"),
        "{body}"
    );
    assert!(body.contains("> Every cluster is hand-built from a wiki page\n>\n> — Marco (platform team), 2026-06-11\n"), "{body}");
    assert!(
        body.contains(
            "- Time to first cluster: baseline 52 hours, target 4 hours (lower-is-better)"
        ),
        "{body}"
    );
    assert!(body.contains("- In the discovery workspace: `"), "{body}");
    assert!(body.contains("`Delivers: 93ssvc`"), "{body}");
    // Only the quotes of a note, never the rest of what was said.
    let (_, ws, _) = Store::open(&tmp.path().join("ws")).unwrap();
    let marco = ws.notes.get(&"n3k8pr".into()).unwrap();
    for line in marco.body.lines().skip(1) {
        let t = line.trim_start_matches(['>', '!', '+', '?', ' ']);
        if !t.is_empty() && !body.contains(t) {
            continue;
        }
        assert!(
            ws.opportunity(&SELF_SERVICE.into())
                .unwrap()
                .evidence
                .iter()
                .any(|e| e.quote.contains(t))
                || t.is_empty(),
            "{t} is not evidence yet is in the body"
        );
    }
    // Files are private: interview quotes are in them.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["manifest.json", "jira.csv", "93ssvc.md"] {
            let mode = fs::metadata(dir.join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
    // Jira's CSV: a header with repeated Labels columns, one row per issue.
    let mut r = csv::Reader::from_path(dir.join("jira.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "Summary",
            "Issue Type",
            "Description",
            "Labels",
            "Labels",
            "Labels",
            "valuemap id"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[1][0],
        "Self-service cluster creation from a GitOps template"
    );
    assert_eq!(&rows[1][1], "Story");
    assert!(rows[1][2].contains("Marco (platform team)"));
    assert_eq!(&rows[1][6], SELF_SERVICE);

    // Another filter; one that does not parse; no folder.
    let out = valuemap(
        tmp.path(),
        &[
            "export",
            "ws",
            "-f",
            "issues",
            "-o",
            "v",
            "--filter",
            "status:validated",
        ],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let v = manifest(&tmp.path().join("v"));
    assert!(
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "validated")
    );
    let bad = valuemap(
        tmp.path(),
        &[
            "export",
            "ws",
            "-f",
            "issues",
            "-o",
            "x",
            "--filter",
            "status:shipped",
        ],
    );
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("--filter: no status"), "{bad:?}");
    let none = valuemap(tmp.path(), &["export", "ws", "-f", "issues"]);
    assert_eq!(none.code, Some(1));
    assert!(none.stderr.contains("give -o DIR"), "{none:?}");
    let into = valuemap(tmp.path(), &["export", "ws", "-f", "issues", "-o", "ws"]);
    assert_eq!(into.code, Some(1), "{into:?}");
}

#[test]
fn user_text_is_escaped_for_markdown_and_spreadsheets() {
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let root = tmp.path().join("ws");
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    let evil = "=HYPERLINK(\"http://x\") @octocat fixes #12 <script>alert(1)</script> [link](javascript:alert(1))\n## heading";
    {
        let o = ws
            .opportunities
            .iter_mut()
            .find(|o| o.id.as_str() == API_WARNINGS)
            .unwrap();
        o.title = evil.into();
        o.description = format!("{evil}\n\n---\n<img src=x onerror=alert(1)>");
    }
    let note = ws
        .notes
        .values_mut()
        .find(|n| n.interviewee.starts_with("Marco"))
        .unwrap();
    note.interviewee = "@admin <b>Marco</b>".into();
    store.save(&ws, &Scope::All, true).unwrap();
    let out = valuemap(tmp.path(), &["export", "ws", "-f", "issues", "-o", "out"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let dir = tmp.path().join("out");
    let body = fs::read_to_string(dir.join(format!("{API_WARNINGS}.md"))).unwrap();
    // Each of these appears only escaped (right after a backslash).
    for raw in [
        "<script>",
        "<img",
        "](javascript",
        "@octocat",
        "#12",
        "## heading",
        "---",
    ] {
        for (at, _) in body.match_indices(raw) {
            assert!(
                body[..at].ends_with('\\'),
                "{raw:?} reached the body unescaped:\n{body}"
            );
        }
    }
    assert!(
        body.contains("\\@octocat fixes \\#12 \\<script\\>"),
        "{body}"
    );
    let other = fs::read_to_string(dir.join(format!("{SELF_SERVICE}.md"))).unwrap();
    assert!(
        other.contains("— \\@admin \\<b\\>Marco\\</b\\>, 2026-06-11"),
        "{other}"
    );
    // The manifest's title is one plain line; JSON keeps it intact.
    let m = manifest(&dir);
    let title = m["issues"][0]["title"].as_str().unwrap();
    assert!(!title.contains('\n'));
    assert!(title.starts_with("=HYPERLINK"));
    // Jira's CSV does not run it as a formula.
    let mut r = csv::Reader::from_path(dir.join("jira.csv")).unwrap();
    let row = r.records().next().unwrap().unwrap();
    assert!(row[0].starts_with("'=HYPERLINK"), "{:?}", &row[0]);
}

/// The one-liner of docs/ci.md, with a stand-in `gh` that records what it
/// is given (no network).
#[test]
fn the_documented_one_liner_feeds_gh() {
    let has = |cmd: &str| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("jq") || !has("bash") {
        eprintln!("the_documented_one_liner_feeds_gh: skipped: jq or bash is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    workspace(tmp.path());
    let out = valuemap(
        tmp.path(),
        &["export", "ws", "-f", "issues", "-o", "issues"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let fake = tmp.path().join("bin");
    fs::create_dir(&fake).unwrap();
    let gh = fake.join("gh");
    fs::write(
        &gh,
        "#!/bin/sh\n# records: title, then the body file's first line\nshift 2\nprintf '%s|' \"$2\" >> \"$LOG\"\nhead -n1 \"$4\" >> \"$LOG\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&gh, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let docs =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let start = docs
        .find("jq -r '.issues[]")
        .expect("docs/ci.md has the one-liner");
    let line = docs[start..]
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n");
    let log = tmp.path().join("gh.log");
    let run = Command::new("bash")
        .arg("-c")
        .arg(&line)
        .current_dir(tmp.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                fake.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("LOG", &log)
        .output()
        .unwrap();
    assert!(run.status.success(), "{line}\n{run:?}");
    let got = fs::read_to_string(&log).unwrap();
    assert_eq!(
        got,
        format!(
            "Warn about removed APIs before a cluster upgrade|<!-- valuemap opportunity {API_WARNINGS} -->\nSelf-service cluster creation from a GitOps template|<!-- valuemap opportunity {SELF_SERVICE} -->\n"
        )
    );
}
