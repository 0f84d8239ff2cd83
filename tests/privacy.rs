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
    // Nothing else went.
    assert_eq!(after.notes.len(), before.notes.len() - 2);
    assert_eq!(after.opportunities.len(), before.opportunities.len());
    // The workspace is still valid.
    let (code, _, _) = valuemap(tmp.path(), &["check", "ws"]);
    assert_eq!(code, 0);
}

#[test]
fn forget_an_unknown_interviewee_is_an_error_that_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    valuemap(tmp.path(), &["new", "ws"]);
    let before = fs::read(tmp.path().join("ws/opportunities.ron")).unwrap();
    let (code, _, err) = valuemap(tmp.path(), &["forget", "ws", "-i", "Nobody"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no notes from an interviewee called \"Nobody\""),
        "{err}"
    );
    assert_eq!(
        fs::read(tmp.path().join("ws/opportunities.ron")).unwrap(),
        before
    );
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
