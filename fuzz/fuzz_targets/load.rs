//! Bytes as one file of a workspace, then `Store::open`: whatever the bytes,
//! loading gives a workspace or an error, never a panic. A workspace that
//! loads also validates, reports coverage, ranks, exports, and survives a
//! save into a new folder and a second load with canonical files.
//!
//! The first byte picks the file the rest replaces in a copy of the
//! kubernetes-platform template: `workspace.ron`, a note, an opportunity or
//! a metric.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use valuemap::export::{self, Format};
use valuemap::model::coverage;
use valuemap::model::validate::validate;
use valuemap::store::Store;

/// A template workspace on disk (in memory where `/dev/shm` exists), with
/// the pristine bytes of every file that inputs replace.
struct Base {
    _dir: tempfile::TempDir,
    root: PathBuf,
    scratch: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let root = dir.path().join("ws");
        let ws = valuemap::template::Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        Store::create(&root, &ws).unwrap();
        let note = std::fs::read_dir(root.join("notes"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .min()
            .unwrap();
        let files = [
            root.join("workspace.ron"),
            note,
            first_in(&root.join("opportunities")),
            first_in(&root.join("metrics")),
        ]
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
        let scratch = dir.path().join("copy");
        Base {
            _dir: dir,
            root,
            scratch,
            files,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let b = base();
    let (path, original) = &b.files[usize::from(which) % b.files.len()];
    std::fs::write(path, bytes).unwrap();
    let loaded = Store::open(&b.root);
    std::fs::write(path, original).unwrap();
    let Ok((store, ws, _)) = loaded else {
        return;
    };
    // Everything the commands do with a loaded workspace.
    let _ = validate(&ws);
    let _ = coverage::report(&ws);
    let _ = valuemap::model::score::ranked(&ws);
    let _ = store.non_canonical(&ws);
    for f in [Format::Markdown, Format::Json, Format::Html] {
        let _ = export::render(&ws, f);
    }
    for t in export::CSV_TABLES {
        let _ = export::csv_table(&ws, t);
    }
    // What loaded can be saved, and loads again as the same canonical files.
    let _ = std::fs::remove_dir_all(&b.scratch);
    Store::create(&b.scratch, &ws).expect("a loaded workspace saves");
    let (again, ws2, _) = Store::open(&b.scratch).expect("a saved workspace loads");
    assert!(
        again.non_canonical(&ws2).is_empty(),
        "a saved and reloaded workspace is not canonical"
    );
    std::fs::remove_dir_all(&b.scratch).unwrap();
});

/// The first file of a folder, by name.
fn first_in(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap()
}
