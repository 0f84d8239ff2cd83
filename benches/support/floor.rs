//! The floor under opening a workspace, shared by `benches/live.rs` and
//! `examples/loadparts.rs`: reading and parsing every file with ron, on
//! the loader's number of threads, and nothing else.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use valuemap::model::validate::FileKind;
use valuemap::store;

/// Reading and parsing every file into the types the files hold, on the
/// loader's number of threads, with nothing else: the floor under opening.
/// Each parsed file is dropped at once, so its memory is used again by the
/// next; with `keep`, every parsed file is kept until the end, as opening
/// must (that floor pays for memory the process has not touched before).
pub fn floor(root: &Path, keep: bool) -> Duration {
    use store::format::{
        ItemFile, MetricFile, NoteFile, OpportunityFile, disk::WorkspaceIn, parse_bare,
    };
    #[allow(dead_code)] // held, never read: kept as opening keeps it
    enum Parsed {
        Note(NoteFile),
        Opportunity(OpportunityFile),
        Metric(MetricFile),
        Item(Box<ItemFile>),
    }
    let t = Instant::now();
    let text = std::fs::read_to_string(root.join("workspace.ron")).unwrap();
    let w: WorkspaceIn = parse_bare(&text).unwrap();
    std::hint::black_box(w);
    let mut files: Vec<(FileKind, PathBuf)> = Vec::new();
    for folder in store::ENTITY_DIRS {
        let kind = FileKind::of_folder(folder).unwrap();
        let Ok(rd) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        files.extend(rd.map(|e| (kind, e.unwrap().path())));
    }
    let threads = store::load_threads();
    let chunk = files.len().div_ceil(threads).max(1);
    let kept = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for part in files.chunks(chunk) {
            let kept = &kept;
            s.spawn(move || {
                let mut mine = Vec::with_capacity(if keep { part.len() } else { 0 });
                for (kind, p) in part {
                    let text = std::fs::read_to_string(p).unwrap();
                    let parsed = match kind {
                        FileKind::Note => Parsed::Note(parse_bare(&text).unwrap()),
                        FileKind::Opportunity => Parsed::Opportunity(parse_bare(&text).unwrap()),
                        FileKind::Metric => Parsed::Metric(parse_bare(&text).unwrap()),
                        _ => Parsed::Item(Box::new(parse_bare(&text).unwrap())),
                    };
                    if keep {
                        mine.push(parsed);
                    } else {
                        std::hint::black_box(parsed);
                    }
                }
                kept.lock().unwrap().push(mine);
            });
        }
    });
    let took = t.elapsed();
    drop(kept);
    took
}
