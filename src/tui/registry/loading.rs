//! Opening a workspace without waiting for it: the map (from
//! `workspace.ron`) is on screen at once; notes, opportunities, metrics and
//! items are read on other threads and taken in between frames, a few
//! milliseconds at a time, so every key works meanwhile. Counts, badges and
//! lists fill in as files arrive, and the status bar shows how far it got.
//!
//! Until everything is in, nothing can change: an edit, a save, an export,
//! a reload or a recovery says it waits (see [`needs_everything`] and
//! [`crate::tui::app::App::apply`]), so no half-loaded workspace is ever
//! written or edited. Quitting needs no waiting: nothing is unsaved.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::model::history::History;
use crate::model::validate::FileKey;
use crate::store::{Entity, Opening, Piece};
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::state::disk::{Loading, Then};

/// How often the lists catch up with what has arrived while loading.
const LIST_EVERY: Duration = Duration::from_millis(150);

/// A load that took this long says so when it is done.
const SAY_LOADED_AFTER: Duration = Duration::from_millis(500);

/// The interface on `opening`'s map, taking the rest in as it arrives;
/// `then` runs once everything is in.
pub fn start(opening: Opening, then: Vec<Then>) -> App {
    let Opening {
        store,
        ws,
        info,
        pieces,
        progress,
    } = opening;
    let mut app = App::new(ws, Some(store));
    let now = Instant::now();
    app.disk.loading = Some(Loading {
        pieces,
        progress,
        info,
        started: now,
        unlisted: Vec::new(),
        pending: BTreeSet::new(),
        others_to_come: 0,
        listed_at: now,
        then,
        backlog: false,
    });
    app
}

/// Whether a command must wait for the whole workspace (it writes, exports
/// or replaces it).
pub fn needs_everything(c: &Command) -> bool {
    matches!(
        c,
        Command::Save
            | Command::SaveAs(_)
            | Command::SaveAndQuit
            | Command::ForceSave { .. }
            | Command::Reload
            | Command::Export(..)
            | Command::MergeOutside(_)
            | Command::Restore(_)
            | Command::KeepNote(_)
    )
}

/// Says why a command waits.
pub fn refuse(app: &mut App, c: &Command) {
    let Some(l) = &app.disk.loading else {
        return;
    };
    let what = match c {
        Command::KeepNote(_) => "the note stays here: keep it".to_string(),
        c => c.name().to_string(),
    };
    let msg = format!(
        "{} — {what} once everything is read",
        l.describe().trim_end_matches('…')
    );
    app.warn(msg);
}

/// Takes in what the loader has read, for about `budget`. Returns whether
/// loading goes on. A file that cannot be read ends the session (as it
/// stops a plain open): the reason is in `app.disk.load_failed`.
pub fn pump(app: &mut App, budget: Duration) -> bool {
    let Some(loading) = app.disk.loading.as_mut() else {
        return false;
    };
    let start = Instant::now();
    let mut changed: BTreeSet<FileKey> = BTreeSet::new();
    let mut done = false;
    let mut backlog = false;
    loop {
        let piece = match loading.pieces.try_recv() {
            Ok(p) => p,
            Err(std::sync::mpsc::TryRecvError::Empty) => break,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Piece::Failed(crate::store::LoadError::Io {
                    path: app
                        .store
                        .as_ref()
                        .map(|s| s.root().to_path_buf())
                        .unwrap_or_default(),
                    source: std::io::Error::other("loading stopped unexpectedly"),
                })
            }
        };
        match piece {
            Piece::Lists {
                store,
                ws,
                skipped,
                comments,
                files,
                notes,
            } => {
                if let Some(s) = app.store.as_mut() {
                    s.take_lists(&mut app.ws, *store, *ws);
                    s.reserve(files, notes);
                }
                app.stats.reserve_notes(notes);
                app.views.notes.reserve(notes);
                loading.others_to_come = files - notes;
                loading.info.skipped = skipped;
                loading.info.comments.extend(comments);
                changed.extend([FileKey::Opportunities, FileKey::Metrics]);
            }
            Piece::Batch(b) => {
                let Some(s) = app.store.as_mut() else {
                    continue;
                };
                loading.info.comments.extend(b.comments(s.root()));
                let (stats, notes) = (&mut app.stats, &mut app.views.notes);
                // Open layers (a search) hear of each note; one opened
                // later finds it in the workspace.
                let mut unlisted = (!app.layers.is_empty()).then_some(&mut loading.unlisted);
                let mut staged = Vec::with_capacity(b.len());
                let others = &mut loading.others_to_come;
                // Counts follow every note at once, from what its loader
                // worked out of its text; the Notes list takes its key.
                let taken =
                    s.take_batch_with(&mut app.ws, b, &mut staged, |ws, e, facts| match e {
                        Entity::Note(n) => {
                            stats.add_new_note(ws, n, facts);
                            notes.arrived(n);
                            if let Some(u) = unlisted.as_deref_mut() {
                                u.push(n.id.clone());
                            }
                        }
                        Entity::Opportunity(_) | Entity::Metric(_) => {
                            *others = others.saturating_sub(1);
                            changed.extend([FileKey::Opportunities, FileKey::Metrics]);
                        }
                        Entity::Item(_) => {
                            *others = others.saturating_sub(1);
                            changed.insert(e.key());
                        }
                    });
                if let Err(e) = taken {
                    return fail(app, e.to_string());
                }
                // Read in the order of their ids: each goes in at the
                // map's right edge.
                app.ws.put_notes(staged);
            }
            Piece::Done => {
                done = true;
                break;
            }
            Piece::Failed(e) => return fail(app, e.to_string()),
        }
        if start.elapsed() >= budget {
            backlog = true;
            break;
        }
    }
    let Some(loading) = app.disk.loading.as_mut() else {
        return false;
    };
    loading.pending.extend(changed);
    loading.backlog = backlog;
    if done || loading.listed_at.elapsed() >= LIST_EVERY {
        catch_up(app, done);
    }
    if done {
        finish(app);
        return false;
    }
    true
}

/// Brings the lists and the layers up to date with what has arrived.
fn catch_up(app: &mut App, done: bool) {
    let Some(loading) = app.disk.loading.as_mut() else {
        return;
    };
    loading.listed_at = Instant::now();
    let mut files = std::mem::take(&mut loading.pending);
    if loading.others_to_come > 0 && !done {
        // Opportunities, metrics and items still coming: they are counted
        // and ranked once they are all in (they come first).
        let (held, notes) = files
            .into_iter()
            .partition(|k| !matches!(k, FileKey::Note(_)));
        loading.pending = held;
        files = notes;
    }
    if files.contains(&FileKey::Opportunities) {
        // Opportunities and metrics arrive in file order: put them in
        // theirs before the views rank them.
        app.ws.normalize();
    }
    // The notes are counted and in the workspace already; the Notes list
    // takes in those that arrived since (their keys sorted, one pass over
    // the list), and open layers (a search) hear of them. Done as they
    // arrive, so that little is left for the end of the load.
    app.views.notes.add_arrived(&app.ws);
    files.extend(loading.unlisted.drain(..).map(FileKey::Note));
    app.refresh_loaded(&files);
}

/// Everything is in: the workspace is whole.
fn finish(app: &mut App) {
    let Some(mut loading) = app.disk.loading.take() else {
        return;
    };
    // Ratings in notes score the cells they rate: rank once every note is in.
    debug_assert_eq!(
        app.stats.by_cell(),
        crate::model::ratings::ByCell::of(&app.ws),
        "the counts' ratings are those of the notes"
    );
    app.views.opps.refresh(&app.ws, &app.stats, None);
    // The tree ranks its opportunities as the list does.
    let views = &mut app.views;
    let ranked = views.opps.ranked_by_score(&app.ws);
    views
        .tree
        .refresh(&app.ws, views.opps.cells(), ranked, Some(&BTreeSet::new()));
    if let Some(s) = app.store.as_ref() {
        s.finish_load(&mut app.ws, &mut loading.info);
    }
    let info = loading.info;
    // Said when the wait was long enough to notice.
    let took = loading.started.elapsed();
    let mut said = (took >= SAY_LOADED_AFTER).then(|| {
        format!(
            "Loaded {} notes, {} opportunities, {} metrics in {took:.1?}",
            app.ws.notes.len(),
            app.ws.opportunities.len(),
            app.ws.metrics.len(),
        )
    });
    if let Some(v) = info.migrated_from {
        app.history = History::unsaved(info.migrate.clone());
        said = Some(format!(
            "Read format version {v}; it will be written as version {} when you save",
            crate::store::FORMAT_VERSION
        ));
    }
    if let Some(said) = said {
        app.info(said);
    }
    // What opening noticed: an interrupted save settled, entries not read,
    // comments a save would remove.
    let notices = app
        .store
        .as_ref()
        .map(|s| super::session::load_notices(s.root(), &info))
        .unwrap_or_default();
    if !notices.is_empty() {
        app.warn(notices.join(" · "));
    }
    for t in loading.then {
        match t {
            Then::CleanTemporaryFiles => {
                let cleaned = app.store.as_ref().map_or(0, |s| s.clean_stale_temp_files());
                if cleaned > 0 {
                    app.info(format!(
                        "Removed {} left by an interrupted save",
                        crate::text::count(cleaned, "temporary file")
                    ));
                }
            }
            Then::SayConflicts => {
                if !app.ws.conflicts.is_empty() {
                    app.warn(format!(
                        "{} to settle: press {} and run conflicts",
                        crate::text::count(app.ws.conflicts.len(), "merge conflict"),
                        app.env.keys.hint(crate::tui::action::Action::Palette)
                    ));
                }
            }
            Then::OfferRecovery => {
                if let Some(p) = app.disk.recovery_path.clone() {
                    use crate::store::recovery::Recovery;
                    match Recovery::read(&p) {
                        Some(Ok(r)) => {
                            app.push(crate::tui::popups::recovery::RecoveryOffer { recovery: r })
                        }
                        Some(Err(e)) => app.warn(format!(
                            "A recovery file could not be read and was left in place: {e}"
                        )),
                        None => {}
                    }
                }
            }
        }
    }
}

fn fail(app: &mut App, reason: String) -> bool {
    app.disk.loading = None;
    app.disk.load_failed = Some(reason);
    app.exit = Some(crate::tui::app::Exit::Quit);
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Id;

    fn opened(n: usize) -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let ws = crate::synth::workspace(crate::synth::Shape::notes(n));
        crate::store::Store::create(&root, &ws).unwrap();
        let opening = crate::store::open_in_background(&root).unwrap();
        let app = start(opening, vec![Then::SayConflicts]);
        (dir, app)
    }

    #[test]
    fn the_map_is_there_at_once_and_the_rest_fills_in() {
        let (dir, mut app) = opened(2000);
        assert_eq!(app.ws.personas.len(), 12, "the map is read first");
        assert!(app.disk.loading.is_some());
        // Nothing can change meanwhile.
        let p = app.ws.personas[0].clone();
        let mut renamed = p.clone();
        renamed.name = "Renamed".into();
        assert!(!app.apply(
            "rename",
            crate::model::edit::Edit::SetPersona { persona: renamed }
        ));
        assert_eq!(app.ws.personas[0], p);
        assert!(!app.is_dirty());
        if let Some(l) = app.disk.loading.as_mut()
            && let Some(earlier) = l.started.checked_sub(Duration::from_secs(1))
        {
            l.started = earlier;
        }
        while pump(&mut app, Duration::from_millis(5)) {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(app.disk.loading.is_none());
        assert!(app.disk.load_failed.is_none());
        let (_, plain, _) = crate::store::Store::open(&dir.path().join("ws")).unwrap();
        assert_eq!(app.ws, plain);
        // The counts and lists are those of a fresh start.
        let fresh = App::new(plain, None);
        assert_eq!(app.views.notes.rows, fresh.views.notes.rows);
        assert_eq!(app.views.notes.list.selected, 0, "on the newest note");
        assert_eq!(app.views.opps.rows, fresh.views.opps.rows);
        for p in &app.ws.personas {
            assert_eq!(
                app.stats.persona_notes(&p.id),
                fresh.stats.persona_notes(&p.id)
            );
            for (_, a) in app.ws.activities() {
                assert_eq!(app.stats.cell(&p.id, &a.id), fresh.stats.cell(&p.id, &a.id));
            }
        }
        // The load counts as long enough to notice (started a second
        // earlier), so it is announced.
        let said = &app.message.as_ref().unwrap().text;
        assert!(said.starts_with("Loaded 2000 notes"), "{said}");
    }

    /// A filter set while notes arrive lists each note once, as a fresh
    /// start with that filter does.
    #[test]
    fn a_filter_set_during_the_load_lists_every_note_once() {
        let (dir, mut app) = opened(3000);
        // On the Notes view, where a filter is set.
        app.views.current = crate::tui::state::View::Notes;
        let mut filtered = false;
        while pump(&mut app, Duration::from_millis(2)) {
            if !filtered && !app.ws.notes.is_empty() {
                let p = app.ws.personas[0].id.clone();
                app.views.notes.filter.persona = Some(p);
                app.views.notes.refresh(&app.ws, None);
                filtered = true;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(filtered, "the filter was set part way through");
        let (_, plain, _) = crate::store::Store::open(&dir.path().join("ws")).unwrap();
        let mut fresh = App::new(plain, None);
        fresh.views.notes.filter = app.views.notes.filter.clone();
        fresh.views.notes.refresh(&fresh.ws, None);
        assert!(!fresh.views.notes.rows.is_empty());
        assert_eq!(app.views.notes.rows, fresh.views.notes.rows);
    }

    /// Ratings in notes that arrive late move the opportunities' ranks:
    /// the list and the tree end ranked as a fresh start ranks them, and
    /// the list is never shown with only some of the opportunities (it
    /// lists them once the files that are not notes are all in).
    #[test]
    fn late_ratings_rank_the_list_and_the_tree_as_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let mut ws = crate::synth::workspace(crate::synth::Shape::notes(3000));
        // The notes read last (by id) rate their cells high.
        let late: Vec<Id> = ws.notes.keys().rev().take(1500).cloned().collect();
        for id in &late {
            let n = ws.notes.get_mut(id).unwrap();
            n.body.push_str("\n= 5/1");
        }
        crate::store::Store::create(&root, &ws).unwrap();
        let opening = crate::store::open_in_background(&root).unwrap();
        let mut app = start(opening, Vec::new());
        let total = ws.opportunities.len();
        loop {
            // A piece at a time, the lists catching up after each, as a
            // long load's would between pieces.
            if let Some(l) = app.disk.loading.as_mut()
                && let Some(earlier) = l.listed_at.checked_sub(LIST_EVERY)
            {
                l.listed_at = earlier;
            }
            if !pump(&mut app, Duration::ZERO) {
                break;
            }
            // The list waits for every file that is not a note, then
            // lists every opportunity at once.
            let waiting = app.disk.loading.as_ref().map_or(0, |l| l.others_to_come);
            let all_in = waiting == 0 && app.ws.opportunities.len() == total;
            let listed = app.views.opps.rows.len();
            assert_eq!(
                listed,
                if all_in { total } else { 0 },
                "{listed} of {total} listed, {waiting} files to come"
            );
        }
        let fresh = App::new(ws, None);
        assert_ne!(
            fresh.views.opps.cells(),
            &crate::model::ratings::ByCell::default(),
            "the late notes rate some cells"
        );
        assert_eq!(app.views.opps.rows, fresh.views.opps.rows);
        assert_eq!(app.views.tree.rows, fresh.views.tree.rows);
    }

    #[test]
    fn a_broken_file_ends_the_session_with_its_name() {
        let (dir, _) = opened(600);
        let bad = dir.path().join("ws/notes/2026-01-01-broken.ron");
        // Written after the listing may have happened: make sure it is
        // listed by opening again.
        std::fs::write(&bad, "(id: ").unwrap();
        let opening = crate::store::open_in_background(&dir.path().join("ws")).unwrap();
        let mut app = start(opening, Vec::new());
        while pump(&mut app, Duration::from_millis(5)) {
            std::thread::sleep(Duration::from_millis(1));
        }
        let failed = app.disk.load_failed.clone().unwrap();
        assert!(failed.contains("2026-01-01-broken.ron"), "{failed}");
        assert!(app.exit.is_some());
    }
}
