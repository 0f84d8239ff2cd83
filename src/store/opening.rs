//! Opening a workspace in the background: the map first, the rest as it is
//! read.
//!
//! [`open_in_background`] returns as soon as `workspace.ron` is read (the
//! map: phases, activities, personas, perspectives), a few milliseconds
//! whatever the size of the workspace, while a thread reads everything else
//! on every core and hands it over in [`Piece`]s: the lists of format
//! version 1 when there are any, then batches of entity files, then
//! [`Piece::Done`] (or [`Piece::Failed`]). The caller takes each piece in
//! with [`Store::take_lists`] and [`Store::take_batch`], and finishes with
//! [`Store::finish_load`]: the same steps [`Store::open`] takes in one go.
//!
//! The thread holds the workspace's shared lock from before `workspace.ron`
//! is read to the last file, as [`Store::open`] does, so a save elsewhere
//! never comes between: every file is read all old or all new. Dropping the
//! receiver stops it after the batch in hand.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use super::{Batch, LoadError, LoadInfo, Progress, Skipped, Store, load_threads, lock, txn};
use crate::model::Workspace;

/// What the loader thread hands over, in this order.
#[derive(Debug)]
pub enum Piece {
    /// Format version 1's lists (`opportunities.ron`, `metrics.ron`) as a
    /// store recording them and a workspace holding them (both empty in
    /// the current layout), and the entries of the folders that are not
    /// files. Sent once, before any batch.
    Lists {
        store: Box<Store>,
        ws: Box<Workspace>,
        skipped: Vec<Skipped>,
        /// The lists that hold comments.
        comments: Vec<super::comments::Commented>,
        /// How many entity files the batches will bring, and how many of
        /// them are notes (the others come first).
        files: usize,
        notes: usize,
    },
    /// Entity files read and parsed, for [`Store::take_batch`].
    Batch(Batch),
    /// Every file is read.
    Done,
    /// A file could not be read: the workspace cannot be opened.
    Failed(LoadError),
}

/// A workspace being opened: its map, and the rest on the way.
pub struct Opening {
    /// The store, recording `workspace.ron` so far.
    pub store: Store,
    /// The map; notes, opportunities, metrics and items come in `pieces`.
    pub ws: Workspace,
    /// What reading `workspace.ron` found (its version, a save settled).
    pub info: LoadInfo,
    pub pieces: mpsc::Receiver<Piece>,
    /// Files read so far, of how many.
    pub progress: Arc<Progress>,
}

/// Starts opening the workspace at `root`; returns once its map is read
/// (or the workspace cannot be opened at all).
pub fn open_in_background(root: &Path) -> Result<Opening, LoadError> {
    Store::check_root(root)?;
    let root: PathBuf = root.to_path_buf();
    let progress = Arc::new(Progress::default());
    let (head_tx, head_rx) = mpsc::sync_channel(1);
    let (tx, rx) = mpsc::channel();
    let p = Arc::clone(&progress);
    let spawned = std::thread::Builder::new()
        .name("valuemap-open".into())
        .spawn(move || {
            let head = (|| {
                let mut held = lock::WorkspaceLock::for_reading(&root)?;
                let mut recovered = None;
                if txn::pending(&root) {
                    // Settling it writes: that takes the writer's lock.
                    drop(held.take());
                    let l = lock::WorkspaceLock::exclusive(&root)?;
                    recovered = txn::recover(&root)?;
                    held = Some(l);
                }
                let (store, ws, mut info) = Store::load_head(&root)?;
                info.recovered = recovered;
                Ok::<_, LoadError>((held, store, ws, info))
            })();
            let held = match head {
                Ok((held, store, ws, info)) => {
                    if head_tx.send(Ok((store, ws, info))).is_err() {
                        return;
                    }
                    held
                }
                Err(e) => {
                    let _ = head_tx.send(Err(e));
                    return;
                }
            };
            let mut store = Store::placeholder(&root);
            let mut part = Workspace::default();
            let mut info = LoadInfo::default();
            let stopped = || LoadError::Io {
                path: root.clone(),
                source: std::io::Error::other("opening was stopped"),
            };
            let r = store.list_and_load(
                &mut part,
                &mut info,
                load_threads(),
                Some(&p),
                |store, part, info, files, notes| {
                    let lists = Piece::Lists {
                        store: Box::new(std::mem::replace(store, Store::placeholder(&root))),
                        ws: Box::new(std::mem::take(part)),
                        skipped: std::mem::take(&mut info.skipped),
                        comments: std::mem::take(&mut info.comments),
                        files,
                        notes,
                    };
                    tx.send(lists).map_err(|_| stopped())
                },
                |_, _, _, b| tx.send(Piece::Batch(b)).map_err(|_| stopped()),
            );
            drop(held);
            let _ = tx.send(match r {
                Ok(()) => Piece::Done,
                Err(e) => Piece::Failed(e),
            });
        });
    spawned.map_err(|source| LoadError::Io {
        path: Path::new(super::WORKSPACE_FILE).to_path_buf(),
        source,
    })?;
    let (store, ws, info) = head_rx.recv().map_err(|_| LoadError::Io {
        path: Path::new(super::WORKSPACE_FILE).to_path_buf(),
        source: std::io::Error::other("opening stopped unexpectedly"),
    })??;
    Ok(Opening {
        store,
        ws,
        info,
        pieces: rx,
        progress,
    })
}

impl Store {
    /// Takes in the lists of format version 1 read by the loader (see
    /// [`Piece::Lists`]).
    pub fn take_lists(&mut self, ws: &mut Workspace, mut store: Store, part: Workspace) {
        for (k, r) in store.files.take_all() {
            let rel = r.rel(&k);
            let base = store.bases.remove(&k);
            let mut rec = super::Recorded::new(rel, r.hash, base);
            rec.stamp = None;
            self.record(k, rec);
        }
        if let Some(t) = store.temps_listed.take() {
            self.temps_listed.get_or_insert_default().extend(t);
        }
        ws.opportunities.extend(part.opportunities);
        ws.metrics.extend(part.metrics);
        ws.conflicts.extend(part.conflicts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opening in the background gives exactly what opening in one go does.
    #[test]
    fn pieces_make_the_same_workspace_as_a_plain_open() {
        // Few opportunities are read with the notes; many, while the notes
        // folder is listed.
        for per_note in [0.1, 6.0] {
            pieces_make_the_same_workspace_with(per_note);
        }
    }

    fn pieces_make_the_same_workspace_with(opportunities_per_note: f64) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let shape = crate::synth::Shape {
            opportunities_per_note,
            ..crate::synth::Shape::notes(700)
        };
        let ws = crate::synth::workspace(shape);
        assert_eq!(
            ws.opportunities.len() >= super::super::PIPELINE_FROM,
            opportunities_per_note > 1.0
        );
        Store::create(&root, &ws).unwrap();
        let (plain_store, plain, plain_info) = Store::open(&root).unwrap();

        let o = open_in_background(&root).unwrap();
        assert!(o.ws.notes.is_empty() && o.ws.opportunities.is_empty());
        assert_eq!(o.ws.personas, plain.personas, "the map comes first");
        let (mut store, mut ws, mut info) = (o.store, o.ws, o.info);
        let mut batches = 0;
        let mut counted = None;
        for piece in o.pieces {
            match piece {
                Piece::Lists {
                    store: s,
                    ws: p,
                    skipped,
                    comments,
                    files,
                    notes,
                } => {
                    assert_eq!(batches, 0, "the counts come before any batch");
                    store.take_lists(&mut ws, *s, *p);
                    info.skipped = skipped;
                    info.comments.extend(comments);
                    counted = Some((files, notes));
                }
                Piece::Batch(b) => {
                    assert!(counted.is_some(), "the counts come before any batch");
                    batches += 1;
                    info.comments.extend(b.comments(&root));
                    store.take_batch(&mut ws, b).unwrap();
                }
                Piece::Done => break,
                Piece::Failed(e) => panic!("{e}"),
            }
        }
        assert!(batches > 1);
        let files = plain.notes.len() + plain.opportunities.len() + plain.metrics.len();
        let files = files + plain.items.len();
        assert_eq!(counted, Some((files, plain.notes.len())));
        let total = o.progress.total.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(total, files);
        assert_eq!(
            o.progress.done.load(std::sync::atomic::Ordering::Relaxed),
            files
        );
        store.finish_load(&mut ws, &mut info);
        assert_eq!(ws, plain);
        assert_eq!(info.migrate, plain_info.migrate);
        assert!(store.non_canonical(&ws).is_empty());
        assert_eq!(store.files.len(), plain_store.files.len());
    }

    /// The notes folder is listed while the other files are read, but
    /// errors come as one step after the other would give them: a notes
    /// folder that cannot be listed before a broken opportunity, and that
    /// broken opportunity (the first file read) before a broken note.
    #[test]
    fn errors_come_in_the_order_of_the_steps() {
        // Few opportunities are read with the notes; many, while the notes
        // folder is listed.
        for per_note in [0.1, 8.0] {
            errors_come_in_the_order_of_the_steps_with(per_note);
        }
    }

    fn errors_come_in_the_order_of_the_steps_with(opportunities_per_note: f64) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let shape = crate::synth::Shape {
            opportunities_per_note,
            ..crate::synth::Shape::notes(300)
        };
        let ws = crate::synth::workspace(shape);
        Store::create(&root, &ws).unwrap();
        let opp = ws.opportunities.first().unwrap();
        let opp_rel = super::super::entity_rel(super::super::OPPORTUNITIES_DIR, &opp.id);
        std::fs::write(root.join(&opp_rel), "(id: ").unwrap();
        let note = ws.notes.values().nth(200).unwrap();
        std::fs::write(root.join(super::super::note_rel(note)), "(id: ").unwrap();
        let failed = |root: &Path| {
            let plain = Store::open(root).unwrap_err().to_string();
            let o = open_in_background(root).unwrap();
            let piece = o.pieces.iter().find_map(|p| match p {
                Piece::Failed(e) => Some(e.to_string()),
                Piece::Batch(_) | Piece::Lists { .. } => None,
                Piece::Done => Some("done".into()),
            });
            assert_eq!(piece.as_deref(), Some(plain.as_str()));
            plain
        };
        let e = failed(&root);
        assert!(e.contains(&opp_rel.display().to_string()), "{e}");
        // The notes folder swapped for a file: listing it fails first.
        let notes = root.join(super::super::NOTES_DIR);
        std::fs::rename(&notes, root.join("kept")).unwrap();
        std::fs::write(&notes, "not a folder").unwrap();
        let e = failed(&root);
        assert!(
            e.contains("where the folder of note files should be"),
            "{e}"
        );
    }

    /// A broken file is reported as a failed piece, naming it.
    #[test]
    fn a_broken_file_fails_the_opening() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let ws = crate::synth::workspace(crate::synth::Shape::notes(600));
        Store::create(&root, &ws).unwrap();
        let note = ws.notes.values().nth(400).unwrap();
        let rel = super::super::note_rel(note);
        std::fs::write(root.join(&rel), "(id: ").unwrap();
        let o = open_in_background(&root).unwrap();
        let failed = o.pieces.iter().find_map(|p| match p {
            Piece::Failed(e) => Some(e.to_string()),
            _ => None,
        });
        let failed = failed.expect("the broken note is reported");
        assert!(failed.contains(&rel.display().to_string()), "{failed}");
    }
}
