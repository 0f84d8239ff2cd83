//! Interview data is personal: `valuemap forget` removes an interviewee
//! everywhere, and a workspace readable by others is pointed out.

use std::fs;
use std::path::Path;
use std::process::Command;

use valuemap::store::Store;

fn valuemap(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_valuemap"))
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn forget_removes_notes_and_evidence_and_reports_it() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(valuemap(tmp.path(), &["new", "ws"]).0, 0);
    let (_, before, _) = Store::open(&tmp.path().join("ws")).unwrap();
    let dana: Vec<_> = before
        .notes
        .values()
        .filter(|n| n.interviewee.starts_with("Dana"))
        .map(|n| n.id.clone())
        .collect();
    assert_eq!(dana.len(), 2);

    // A dry run changes nothing.
    let (code, out, _) = valuemap(
        tmp.path(),
        &["forget", "ws", "--interviewee", "dana", "--dry-run"],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Would remove 2 note(s) from Dana (VP Eng):"),
        "{out}"
    );
    let (_, same, _) = Store::open(&tmp.path().join("ws")).unwrap();
    assert_eq!(same, before);

    let (code, out, err) = valuemap(tmp.path(), &["forget", "ws", "-i", "Dana"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Removed 2 note(s) from Dana (VP Eng)"),
        "{out}"
    );
    assert!(out.contains("evidence link(s)"), "{out}");
    let (_, after, _) = Store::open(&tmp.path().join("ws")).unwrap();
    assert!(
        after
            .notes
            .values()
            .all(|n| !n.interviewee.starts_with("Dana"))
    );
    for id in &dana {
        assert!(
            after
                .opportunities
                .iter()
                .all(|o| o.evidence.iter().all(|e| &e.note != id))
        );
        let files: Vec<_> = fs::read_dir(tmp.path().join("ws/notes"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(files.iter().all(|f| !f.contains(id.as_str())), "{files:?}");
    }
    // The template's two assumption tests cite Dana's words: those lines
    // are gone from their evidence and from their files.
    assert!(
        out.contains("  and from 2 assumption test(s): Cost per deployment can be computed from the billing export; Managers will open a dashboard instead of asking for exports"),
        "{out}"
    );
    assert_eq!(before.items.tests.len(), 2);
    for (id, t) in &after.items.tests {
        assert!(
            t.evidence.iter().all(|e| !dana.contains(&e.note)),
            "{id}: {:?}",
            t.evidence
        );
        let text = fs::read_to_string(tmp.path().join(format!("ws/assumptions/{id}.ron"))).unwrap();
        assert!(!text.contains("dashboard went live"), "{text}");
        assert!(
            !text.contains("cost per deployment for the product teams"),
            "{text}"
        );
    }
    // Nothing else went.
    assert_eq!(after.notes.len(), before.notes.len() - 2);
    assert_eq!(after.opportunities.len(), before.opportunities.len());
    assert_eq!(after.items.len(), before.items.len());
    // The workspace is still valid.
    let (code, _, _) = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(code, 0);
}

#[test]
fn forget_an_unknown_interviewee_is_an_error_that_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    valuemap(tmp.path(), &["new", "ws"]);
    let before = all_text(&tmp.path().join("ws/opportunities"));
    let (code, _, err) = valuemap(tmp.path(), &["forget", "ws", "-i", "Nobody"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no notes from an interviewee called \"Nobody\""),
        "{err}"
    );
    assert_eq!(all_text(&tmp.path().join("ws/opportunities")), before);
}

#[cfg(unix)]
#[test]
fn a_workspace_readable_by_others_is_pointed_out() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    valuemap(tmp.path(), &["new", "ws"]);
    let (_, out, _) = valuemap(tmp.path(), &["check", "ws"]);
    assert!(
        !out.contains("open to other users"),
        "private by default: {out}"
    );
    fs::set_permissions(tmp.path().join("ws"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(
        tmp.path().join("ws/workspace.ron"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let (code, out, _) = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(code, 0, "a warning, not an error");
    assert!(out.contains("open to other users of this machine (its folder is mode 755, 1 file(s) can be read by others)"), "{out}");
    assert!(out.contains("chmod -R go="), "{out}");
    assert!(valuemap::store::privacy_warning(&tmp.path().join("ws")).is_some());
}

/// `valuemap note add` for `who`, accepting the pains as opportunities;
/// the new note's id.
fn capture(dir: &Path, who: &str, text: &str) -> valuemap::model::Id {
    let (code, out, err) = valuemap(
        dir,
        &[
            "note",
            "add",
            "ws",
            "-p",
            "Platform developer",
            "-a",
            "Create a cluster",
            "-i",
            who,
            text,
            "--accept",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("Created note "))
        .and_then(|l| l.split(':').next())
        .unwrap();
    valuemap::model::Id::new(id)
}

#[test]
fn forget_removes_their_words_from_opportunity_titles_and_leftovers() {
    use valuemap::model::Evidence;
    use valuemap::model::validate::FileKey;
    use valuemap::store::Scope;
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(valuemap(tmp.path(), &["new", "ws"]).0, 0);
    let root = tmp.path().join("ws");
    let sam = capture(
        tmp.path(),
        "Sam",
        "Call\n! Sam waits a week for every cluster",
    );
    let sam2 = capture(tmp.path(), "Sam", "Call 2\n! Sam cannot find the runbook");
    let lee = capture(
        tmp.path(),
        "Lee",
        "Other call\n! Sam cannot find the runbook",
    );
    // Lee's note also backs the opportunity made from Sam's second line.
    let (mut store, mut ws, _) = Store::open(&root).unwrap();
    let shared = ws
        .opportunities
        .iter()
        .position(|o| o.evidence.iter().any(|e| e.note == sam2))
        .unwrap();
    ws.opportunities[shared].evidence.push(Evidence {
        note: lee.clone(),
        quote: "! Sam cannot find the runbook".into(),
    });
    let shared_id = ws.opportunities[shared].id.clone();
    store
        .save(
            &ws,
            &Scope::Files([FileKey::Opportunity(shared_id.clone())].into()),
            false,
        )
        .unwrap();
    let lee_own = ws
        .opportunities
        .iter()
        .find(|o| !o.evidence.is_empty() && o.evidence.iter().all(|e| e.note == lee))
        .unwrap()
        .id
        .clone();
    let only_sam = ws
        .opportunities
        .iter()
        .find(|o| !o.evidence.is_empty() && o.evidence.iter().all(|e| e.note == sam))
        .unwrap()
        .id
        .clone();
    // Leftovers of killed runs that may hold Sam's words: a young
    // temporary file, and the staging folder of a killed save-as.
    let temp = root.join("notes/.valuemap-Xy12Zw.tmp");
    fs::write(&temp, "Sam waits a week for every cluster").unwrap();
    let staging = tmp.path().join(".valuemap-new-ws-Qr34St");
    fs::create_dir_all(staging.join("notes")).unwrap();
    fs::write(staging.join("notes/x.ron"), "Sam waits a week").unwrap();

    let (code, out, _) = valuemap(tmp.path(), &["forget", "ws", "-i", "sam", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("Would delete 1 opportunity titled with their words and backed by nothing else: {only_sam}")), "{out}");
    assert!(
        out.contains("Would replace the title of 1 opportunity that quoted them"),
        "{out}"
    );
    assert!(temp.exists() && staging.exists());

    let (code, out, err) = valuemap(tmp.path(), &["forget", "ws", "-i", "sam"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Removed 2 note(s) from Sam"), "{out}");
    assert!(
        out.contains("Removed 2 temporary file(s) and staging folder(s)"),
        "{out}"
    );
    assert!(!temp.exists() && !staging.exists());
    let (_, after, _) = Store::open(&root).unwrap();
    assert!(after.opportunity(&only_sam).is_none());
    let o = after.opportunity(&shared_id).unwrap();
    assert_eq!(
        o.title,
        "(title removed: it quoted a forgotten interviewee)"
    );
    assert_eq!(o.evidence.len(), 1, "Lee's evidence stays");
    assert_eq!(
        after.opportunity(&lee_own).unwrap().title,
        "Sam cannot find the runbook",
        "Lee's own opportunity keeps its title: it cites only Lee"
    );
    let text = all_text(&root.join("opportunities"));
    assert!(!text.contains("waits a week"), "{text}");
    let (code, _, _) = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(code, 0);
}

#[test]
fn forget_keeps_titles_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(valuemap(tmp.path(), &["new", "ws"]).0, 0);
    capture(tmp.path(), "Sam", "Call\n! Slow cluster creation");
    let (code, out, err) = valuemap(tmp.path(), &["forget", "ws", "-i", "Sam", "--keep-titles"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Kept, as asked, the titles of 1 opportunity"),
        "{out}"
    );
    let (_, after, _) = Store::open(&tmp.path().join("ws")).unwrap();
    let o = after
        .opportunities
        .iter()
        .find(|o| o.title == "Slow cluster creation")
        .unwrap();
    assert!(o.evidence.is_empty(), "its evidence went with the note");
}

/// The text of every file of a folder, in name order.
fn all_text(dir: &std::path::Path) -> String {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect()
}
