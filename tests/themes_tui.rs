//! The themes board (`t`): every tag across notes with its count by role,
//! a tag's notes and lines, and renaming or merging tags as one undoable
//! change, driven through the same event path as the terminal.

mod support;

use support::*;
use valuemap::synthesis::themes;
use valuemap::tui::app::App;
use valuemap::tui::popups::themes::Themes;

fn board(a: &App) -> &Themes {
    a.layer::<Themes>().expect("the themes board is open")
}

/// Moves the board's cursor to a tag.
fn select(a: &mut App, tag: &str) {
    keys(a, "g");
    for _ in 0..100 {
        if board(a).selected().is_some_and(|t| t.name == tag) {
            return;
        }
        keys(a, "j");
    }
    panic!("#{tag} is not on the board");
}

fn carriers(a: &App, tag: &str) -> usize {
    a.ws.notes
        .values()
        .filter(|n| themes::carries(n, tag))
        .count()
}

#[test]
fn snapshots_at_three_sizes() {
    for (w, h) in [(40, 10), (80, 24), (120, 40)] {
        let mut a = app();
        keys(&mut a, "t");
        insta::assert_snapshot!(format!("themes_{w}x{h}"), screen(&mut a, w, h));
        select(&mut a, "observability");
        keys(&mut a, "<Enter>");
        insta::assert_snapshot!(format!("themes_lines_{w}x{h}"), screen(&mut a, w, h));
    }
}

#[test]
fn the_board_counts_notes_by_role_most_heard_first() {
    let mut a = app();
    keys(&mut a, "t");
    let b = board(&a);
    let counts: Vec<usize> = b.themes.iter().map(|t| t.count()).collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(counts, sorted, "most heard first");
    // #cost: Dana's two interviews (she is a customer), from the tag list
    // and the body alike.
    let cost = b.themes.iter().find(|t| t.name == "cost").unwrap();
    assert_eq!((cost.count(), cost.customer, cost.consumer), (2, 2, 0));
    let obs = b.themes.iter().find(|t| t.name == "observability").unwrap();
    assert_eq!((obs.count(), obs.customer, obs.consumer), (2, 0, 2));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Themes ·"), "{s}");
    assert!(s.contains("customer") && s.contains("consumer"), "{s}");
}

#[test]
fn enter_lists_notes_and_lines_and_opens_the_note() {
    let mut a = app();
    keys(&mut a, "t");
    select(&mut a, "upgrades");
    keys(&mut a, "<Enter>");
    assert_eq!(board(&a).listing(), Some("upgrades"));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("#upgrades · 2 lines"), "{s}");
    assert!(
        s.contains("The last minor upgrade took three weekends"),
        "{s}"
    );
    assert!(s.contains("Follow up with Marco"), "{s}");
    // Esc goes back to the board, Enter again lists, Enter opens the note.
    keys(&mut a, "<Esc>");
    assert_eq!(board(&a).listing(), None);
    keys(&mut a, "<Enter>j<Enter>");
    assert!(a.layer::<Themes>().is_none(), "the board closed");
    assert_eq!(a.view(), valuemap::tui::state::View::Notes);
    let note = a.views.notes.selected().cloned().unwrap();
    assert!(themes::carries(&a.ws.notes[&note], "upgrades"));
}

#[test]
fn renaming_a_tag_rewrites_every_note_and_undoes_in_one_step() {
    let mut a = app();
    let before = a.ws.clone();
    let n = carriers(&a, "cost");
    assert_eq!(n, 2);
    keys(&mut a, "t");
    select(&mut a, "cost");
    keys(&mut a, "r<C-u>spend<Enter>");
    assert_eq!(carriers(&a, "cost"), 0);
    assert_eq!(carriers(&a, "spend"), n);
    assert!(
        a.ws.notes
            .values()
            .any(|n| n.body.contains("#spend #finops") && n.tags.contains(&"spend".into()))
    );
    // The board follows.
    assert!(board(&a).themes.iter().any(|t| t.name == "spend"));
    assert!(a.is_dirty());
    // One undo restores every note.
    keys(&mut a, "<Esc>u");
    assert_eq!(a.ws, before);
}

#[test]
fn merging_two_tags_is_one_undoable_change_and_saves() {
    let (_dir, mut a) = app_on_disk();
    let before = a.ws.clone();
    // #oncall (in a body) and #on-call (tag lists) are one theme.
    let both =
        a.ws.notes
            .values()
            .filter(|n| themes::carries(n, "oncall") || themes::carries(n, "on-call"))
            .count();
    keys(&mut a, "t");
    select(&mut a, "oncall");
    keys(&mut a, "mon-call<Enter>");
    assert_eq!(carriers(&a, "oncall"), 0);
    assert_eq!(carriers(&a, "on-call"), both);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Merge #oncall into #on-call"), "{s}");
    // Saved like any note edit: read back from disk, the same.
    keys(&mut a, "<Esc><C-s>");
    while a.busy() {
        a.tick();
    }
    let root = a.root().unwrap().to_path_buf();
    let (_, back, _) = valuemap::store::Store::open(&root).unwrap();
    assert_eq!(back.notes, a.ws.notes);
    keys(&mut a, "u");
    assert_eq!(a.ws.notes, before.notes);
}

#[test]
fn the_palette_renames_and_the_help_lists_the_board() {
    let mut a = app();
    keys(&mut a, ":rename-tag toil chores<Enter>");
    assert_eq!(carriers(&a, "chores"), 1);
    keys(&mut a, ":rename-tag nothing-here x<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("No note carries #nothing-here"), "{s}");
    keys(&mut a, ":themes<Enter>");
    assert!(a.layer::<Themes>().is_some());
    keys(&mut a, "q");
    assert!(a.layer::<Themes>().is_none());
    keys(&mut a, "?");
    let help = a
        .layer::<valuemap::tui::popups::help::Help>()
        .expect("the help is open");
    let text: String = help
        .lines(&a.cx())
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    for want in [
        "themes: every #tag",
        "On the themes board",
        "rename the tag in every note",
        "rename-tag OLD NEW",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}

/// Where the board's cursor is: its row and its tag.
fn cursor(a: &App) -> (usize, String) {
    let b = board(a);
    let t = b.selected().expect("a tag is selected");
    let row = b.themes.iter().position(|x| x.key == t.key).unwrap();
    (row, t.name.clone())
}

/// After a rename the cursor sits on the renamed tag's row (wherever it
/// sorts now), after a merge on the tag merged into; `u` on the board
/// undoes and the cursor goes back to the tag that returns (or stays on
/// the one that is still there), `ctrl-r` redoes.
#[test]
fn the_cursor_follows_a_renamed_or_merged_tag_through_undo_and_redo() {
    let mut a = app();
    keys(&mut a, "t");
    select(&mut a, "cost");
    let (row, _) = cursor(&a);
    // #cost (2 notes) becomes #zz-spend: the last of the tags with two notes.
    keys(&mut a, "r<C-u>zz-spend<Enter>");
    let (new_row, name) = cursor(&a);
    assert_eq!(name, "zz-spend");
    assert_ne!(
        new_row, row,
        "the tag moved: the test must see the cursor move with it"
    );
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("▸ #zz-spend"), "{s}");

    // Undo from the board: #cost is back, and the cursor on it.
    keys(&mut a, "u");
    assert_eq!(carriers(&a, "cost"), 2);
    assert_eq!(cursor(&a), (row, "cost".to_string()));
    keys(&mut a, "<C-r>");
    assert_eq!(cursor(&a), (new_row, "zz-spend".to_string()));
    keys(&mut a, "u");
    assert_eq!(cursor(&a).1, "cost");

    // Merged: the cursor goes to the tag merged into.
    select(&mut a, "oncall");
    keys(&mut a, "mon-call<Enter>");
    assert_eq!(carriers(&a, "oncall"), 0);
    assert_eq!(cursor(&a).1, "on-call");
    // Undone: #oncall is back, #on-call is still there; the cursor stays.
    keys(&mut a, "u");
    assert!(carriers(&a, "oncall") > 0);
    assert_eq!(cursor(&a).1, "on-call");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("▸ #on-call"), "{s}");
    // Undo past everything done here, and further: nothing to undo, no
    // panic, the cursor on a row.
    for _ in 0..3 {
        keys(&mut a, "u");
    }
    assert!(board(&a).selected().is_some());
    screen(&mut a, 40, 10);
}

/// A tag renamed while its notes are listed: the listing follows it.
#[test]
fn the_listing_follows_its_tag_when_renamed() {
    let mut a = app();
    keys(&mut a, "t");
    select(&mut a, "upgrades");
    keys(&mut a, "<Enter>");
    assert_eq!(board(&a).listing(), Some("upgrades"));
    keys(&mut a, "r<C-u>upgrade-pain<Enter>");
    assert_eq!(board(&a).listing(), Some("upgrade-pain"));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("#upgrade-pain · 2 lines"), "{s}");
    keys(&mut a, "u");
    assert_eq!(board(&a).listing(), Some("upgrades"));
    keys(&mut a, "<Esc>");
    assert_eq!(cursor(&a).1, "upgrades");
}
