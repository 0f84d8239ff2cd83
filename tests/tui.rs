//! The TUI on ratatui's TestBackend: snapshots of every view and popup at
//! three sizes, key scenarios through the same event path as the terminal,
//! and a property test of random keys.

mod support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use support::*;
use valuemap::model::validate::{Severity, validate};
use valuemap::store::Store;
use valuemap::tui::app::App;
use valuemap::tui::state::View;

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (20, 5)];

/// Snapshots a state at every size.
fn snap_all(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app();
        a.env.size = (w, h);
        setup(&mut a);
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

#[test]
fn snapshot_views() {
    snap_all("map", |_| {});
    snap_all("map_coverage", |a| keys(a, "c"));
    snap_all("map_scrolled", |a| keys(a, "GG"));
    snap_all("personas", |a| keys(a, "2j"));
    snap_all("notes", |a| keys(a, "3"));
    snap_all("opportunities", |a| keys(a, "4"));
    snap_all("metrics", |a| keys(a, "5"));
}

#[test]
fn snapshot_popups() {
    snap_all("help", |a| keys(a, "?"));
    snap_all("palette", |a| keys(a, ":add-p"));
    snap_all("prompt_add_activity", |a| keys(a, "a"));
    snap_all("form_perspective", |a| keys(a, "<Enter>"));
    snap_all("form_persona", |a| keys(a, "2<Enter>"));
    snap_all("confirm_delete_persona", |a| keys(a, "2d"));
    snap_all("quit_prompt", |a| keys(a, ":add-persona X<Enter>q"));
    snap_all("conflict", |a| {
        a.push(valuemap::tui::popups::changed::Changed::new(
            vec!["ws/opportunities.ron".into()],
            false,
        ))
    });
    snap_all("recovery", |a| {
        let mut renamed = a.ws.clone();
        renamed.name.push_str(" (recovered)");
        let r = valuemap::store::recovery::Recovery::capture(
            std::path::Path::new("ws"),
            valuemap::model::change::diff(
                &a.ws,
                &renamed,
                &valuemap::model::validate::FileKey::Workspace,
            ),
        );
        let mut r = r;
        r.written = "2026-11-20 10:00:00".into();
        a.push(valuemap::tui::popups::recovery::RecoveryOffer { recovery: r });
    });
}

#[test]
fn tiny_terminals_never_panic() {
    for (w, h) in [(1, 1), (2, 1), (1, 2), (5, 3), (39, 9), (40, 10), (41, 11)] {
        let mut a = app();
        for k in ["", "?", ":", "a", "<Enter>", "2", "3", "4", "5"] {
            keys(&mut a, k);
            let s = screen(&mut a, w, h);
            assert_eq!(s.lines().count(), h as usize);
            keys(&mut a, "<Esc><Esc>");
        }
    }
    let mut a = app();
    let s = screen(&mut a, 20, 5);
    assert!(s.contains("Terminal too"), "{s}");
}

#[test]
fn scenario_add_rename_move_undo_redo() {
    let mut a = app();
    let creation = a.ws.phases[0].clone();
    // The cursor starts on the first cell: add an activity after it.
    keys(&mut a, "aProvision quotas<Enter>");
    assert_eq!(a.ws.phases[0].activities[1].name, "Provision quotas");
    // Rename it (the cursor is on it).
    keys(&mut a, "r<C-a>");
    keys(&mut a, "<C-k>Set team quotas<Enter>");
    assert_eq!(a.ws.phases[0].activities[1].name, "Set team quotas");
    // Move it right, past its neighbour.
    keys(&mut a, "L");
    let names: Vec<_> = a.ws.phases[0]
        .activities
        .iter()
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(
        &names[..3],
        ["Create a cluster", "Create a deployment", "Set team quotas"]
    );
    // Undo twice: the move, then the rename.
    keys(&mut a, "uu");
    let names: Vec<_> = a.ws.phases[0]
        .activities
        .iter()
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(
        &names[..3],
        [
            "Create a cluster",
            "Provision quotas",
            "Create a deployment"
        ]
    );
    // Redo once: the rename is back, the move is not.
    keys(&mut a, "<C-r>");
    assert_eq!(a.ws.phases[0].activities[1].name, "Set team quotas");
    assert_eq!(
        a.ws.phases[0].activities.len(),
        creation.activities.len() + 1
    );
    assert!(a.is_dirty());
    let t = render(&mut a, 120, 40);
    insta::assert_snapshot!("scenario_add_rename_move_undo_redo", t.backend());
}

#[test]
fn scenario_edit_a_perspective_in_the_form() {
    let mut a = app();
    let (p, act) = (
        a.ws.personas[2].id.clone(),
        a.ws.phases[0].activities[1].id.clone(),
    );
    assert!(
        a.ws.perspective(&p, &act).is_none(),
        "the template leaves this cell empty"
    );
    // Down twice to the Engineering manager, right once to Create a deployment.
    keys(&mut a, "jjl<Enter>");
    keys(
        &mut a,
        "Know what each deploy costs<Tab>Cost per service<Tab><Tab>4<Tab>2<Enter>",
    );
    let x = a.ws.perspective(&p, &act).expect("the cell is filled");
    assert_eq!(x.interest, "Know what each deploy costs");
    assert_eq!(x.needs, ["Cost per service"]);
    assert_eq!((x.importance, x.satisfaction), (Some(4), Some(2)));
    assert_eq!(x.score(), Some(6));
    keys(&mut a, "u");
    assert!(a.ws.perspective(&p, &act).is_none());
}

#[test]
fn scenario_delete_asks_and_undoes() {
    let mut a = app();
    let before = a.ws.clone();
    keys(&mut a, "2d");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Delete persona \"Platform developer\"?"), "{s}");
    assert!(s.contains("perspectives"), "{s}");
    keys(&mut a, "n");
    assert_eq!(a.ws, before);
    keys(&mut a, "dy");
    assert_eq!(a.ws.personas.len(), 2);
    assert!(
        validate(&a.ws)
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
    keys(&mut a, "u");
    assert_eq!(a.ws, before);
    assert!(!a.is_dirty());
}

#[test]
fn scenario_palette_commands() {
    let mut a = app();
    // A new phase goes after the selected one (the cursor is in Creation).
    keys(&mut a, ":add-phase Sunset<Enter>");
    assert_eq!(a.ws.phases[1].name, "Sunset");
    // The new phase is selected: the activity goes into it.
    keys(&mut a, ":add-activity Archive data<Enter>");
    assert_eq!(a.ws.phases[1].activities[0].name, "Archive data");
    keys(&mut a, ":add-persona Security officer<Enter>");
    let p =
        a.ws.personas
            .iter()
            .find(|p| p.name == "Security officer")
            .unwrap();
    assert_eq!(p.role, valuemap::model::Role::Consumer);
    keys(&mut a, ":set-role end<Tab><Enter>");
    let p =
        a.ws.personas
            .iter()
            .find(|p| p.name == "Security officer")
            .unwrap();
    assert_eq!(p.role, valuemap::model::Role::EndUser);
    keys(&mut a, ":view per<Tab><Enter>");
    assert_eq!(a.view(), View::Personas);
    keys(&mut a, ":rename Sec officer<Enter>");
    assert!(a.ws.personas.iter().any(|p| p.name == "Sec officer"));
    keys(&mut a, ":nonsense<Enter>");
    assert!(a.message.as_ref().unwrap().text.contains("Unknown command"));
    keys(&mut a, ":undo<Enter>");
    assert!(a.ws.personas.iter().any(|p| p.name == "Security officer"));
    keys(&mut a, ":quit!<Enter>");
    assert!(a.exit.is_some());
}

#[test]
fn esc_never_quits_and_q_asks_only_when_dirty() {
    let mut a = app();
    keys(&mut a, "<Esc><Esc><Esc>");
    assert!(a.exit.is_none());
    keys(&mut a, ":add-persona X<Enter>q");
    assert!(a.exit.is_none());
    assert!(screen(&mut a, 120, 40).contains("Unsaved changes"));
    keys(&mut a, "<Esc>");
    assert!(a.exit.is_none() && a.layers.is_empty());
    keys(&mut a, "u");
    assert!(!a.is_dirty());
    keys(&mut a, "q");
    assert!(a.exit.is_some(), "clean: q quits at once");
}

#[test]
fn saving_writes_only_changed_files_and_conflicts_offer_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &template("kubernetes-platform")).unwrap();
    let (store, ws, _) = Store::open(&root).unwrap();
    let mut a = App::new(ws, Some(store));
    keys(&mut a, ":add-persona Auditor<Enter><C-s>");
    assert!(!a.is_dirty());
    assert_eq!(a.message.as_ref().unwrap().text, "Saved 1 file");
    assert!(
        std::fs::read_to_string(root.join("workspace.ron"))
            .unwrap()
            .contains("Auditor")
    );
    // Someone else changes the file; our next save must not overwrite it.
    let theirs = std::fs::read_to_string(root.join("workspace.ron"))
        .unwrap()
        .replace("Auditor", "Their auditor");
    std::fs::write(root.join("workspace.ron"), &theirs).unwrap();
    keys(&mut a, ":add-persona Mine<Enter><C-s>");
    assert!(a.is_dirty());
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("changed on disk"), "{s}");
    assert_eq!(
        std::fs::read_to_string(root.join("workspace.ron")).unwrap(),
        theirs
    );
    // Reload takes theirs and drops ours.
    keys(&mut a, "r");
    assert!(a.ws.personas.iter().any(|p| p.name == "Their auditor"));
    assert!(!a.ws.personas.iter().any(|p| p.name == "Mine"));
    assert!(!a.is_dirty());
    // Overwrite is a deliberate choice.
    keys(&mut a, ":add-persona Mine<Enter>");
    std::fs::write(
        root.join("workspace.ron"),
        theirs.replace("Their auditor", "Again"),
    )
    .unwrap();
    keys(&mut a, "<C-s>o");
    assert!(!a.is_dirty());
    assert!(
        std::fs::read_to_string(root.join("workspace.ron"))
            .unwrap()
            .contains("Mine")
    );
}

#[test]
fn a_broken_key_map_keeps_the_defaults_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keys.ron"),
        "{\n  \"save\": [\"f2\"\n  \"quit\": [\"x\"],\n}",
    )
    .unwrap();
    let (map, msg) = valuemap::tui::keymap::KeyMap::load(Some(dir.path()));
    let msg = msg.unwrap();
    assert!(msg.contains("keys.ron:3:"), "{msg}");
    assert!(msg.contains("using the default keys"));
    assert_eq!(map.hint(valuemap::tui::action::Action::Save), "Ctrl-s");
    std::fs::write(
        dir.path().join("keys.ron"),
        "{ \"save\": [\"f2\"], \"help\": [\"h\", \"?\"] }",
    )
    .unwrap();
    let (map, msg) = valuemap::tui::keymap::KeyMap::load(Some(dir.path()));
    assert_eq!(msg, None);
    assert_eq!(map.hint(valuemap::tui::action::Action::Save), "F2");
    // The help screen shows the live map.
    let mut a = app();
    a.env.keys = map;
    keys(&mut a, "h");
    let s = screen(&mut a, 120, 80);
    assert!(s.contains("F2") && s.contains("save"), "{s}");
}

/// Popup and form keys live in the key map: rebinding save in keys.ron
/// moves "apply and save" in forms and "keep and save" in the capture with
/// it, a popup key can be rebound on its own, and every hint follows.
#[test]
fn rebound_keys_show_as_rebound_in_every_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keys.ron"),
        r#"{ "save": ["f2"], "confirm_yes": ["j"], "form_next_field": ["ctrl-n"] }"#,
    )
    .unwrap();
    let (map, msg) = valuemap::tui::keymap::KeyMap::load(Some(dir.path()));
    assert_eq!(msg, None);
    let mut a = app();
    a.env.keys = map;
    // A form: its footer names the rebound keys, and they work.
    keys(&mut a, "<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("F2 apply and save"), "{s}");
    assert!(s.contains("Ctrl-n next field"), "{s}");
    assert!(!s.contains("Ctrl-s"), "{s}");
    keys(&mut a, "<C-n>");
    keys(&mut a, "Needs one<Esc>");
    // Esc asks, and names the rebound "yes".
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("j discard"), "{s}");
    keys(&mut a, "j");
    assert!(a.layers.is_empty(), "j answered yes");
    // The capture screen.
    keys(&mut a, "n");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("F2 keep and save"), "{s}");
    keys(&mut a, "<Esc>");
    // A confirmation: the rebound yes is shown, y no longer answers it.
    keys(&mut a, "2d");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("j yes"), "{s}");
    let before = a.ws.personas.len();
    keys(&mut a, "y");
    assert_eq!(a.ws.personas.len(), before, "y is no longer yes");
    keys(&mut a, "j");
    assert_eq!(a.ws.personas.len(), before - 1);
    // The status message after an edit names the undo key.
    let m = a.message.as_ref().unwrap().text.clone();
    assert!(m.contains("u undoes"), "{m}");
}

#[test]
fn stored_control_characters_never_reach_the_screen() {
    let mut a = app();
    a.ws.personas[0].name = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J name".into();
    a.ws.phases[0].activities[0].name = "Act\u{9b}31m".into();
    let t = render(&mut a, 120, 40);
    for cell in t.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "{:?}",
            cell.symbol()
        );
    }
    keys(&mut a, "2");
    let t = render(&mut a, 120, 40);
    for cell in t.backend().buffer().content() {
        assert!(!cell.symbol().chars().any(|c| c.is_control()));
    }
}

#[test]
fn wide_and_long_names_are_cut_on_grapheme_boundaries() {
    let mut a = app();
    a.ws.personas[0].name = "日本語のペルソナ名前がとても長い👨‍👩‍👧👨‍👩‍👧".into();
    a.ws.phases[0].activities[0].name = "e\u{301}".repeat(40);
    let t = render(&mut a, 80, 24);
    let buf = t.backend().buffer();
    // Each row as displayed: a wide symbol covers the cells after it.
    let rows: Vec<String> = (0..24u16)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0u16;
            while x < 80 {
                let sym = buf[(x, y)].symbol();
                row.push_str(sym);
                x += valuemap::text::width(sym).max(1) as u16;
            }
            row
        })
        .collect();
    for row in &rows {
        assert_eq!(valuemap::text::width(row), 80, "{row}");
    }
    // The persona name is cut with an ellipsis before the first column, whose
    // heat badge stays in place.
    let row = rows.iter().find(|r| r.starts_with("日本語")).unwrap();
    assert!(row.contains('…'), "{row}");
    let badge = row.find('█').unwrap();
    assert_eq!(valuemap::text::width(&row[..badge]), 20, "{row}");
}

fn random_key() -> impl Strategy<Value = Event> {
    let chars = prop::sample::select(
        "abcdghjklnqrsuxyAGHJKL0123456789 :/?-!+>#@,."
            .chars()
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        4 => chars.prop_map(|c| {
            let m = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            Event::Key(KeyEvent::new(KeyCode::Char(c), m))
        }),
        1 => prop::sample::select(vec![
            KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Up, KeyCode::Down,
            KeyCode::Left, KeyCode::Right, KeyCode::PageUp, KeyCode::PageDown, KeyCode::Home,
            KeyCode::End, KeyCode::Backspace, KeyCode::Delete,
        ]).prop_map(key),
        1 => prop::sample::select(vec!['r', 's', 'c', 'a', 'k', 'e', 'w']).prop_map(ctrl),
        1 => (1u16..200, 1u16..70).prop_map(|(w, h)| Event::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random keys over every view and popup at random sizes never panic,
    /// and undoing everything returns the loaded workspace exactly.
    #[test]
    fn random_keys_never_panic_and_undo_restores(
        events in prop::collection::vec(random_key(), 1..300),
        sizes in prop::collection::vec((1u16..160, 1u16..60), 1..4),
    ) {
        let mut a = app();
        let start = a.ws.clone();
        for (i, ev) in events.into_iter().enumerate() {
            a.on_event(ev);
            if a.exit.is_some() {
                a.exit = None;
            }
            if i % 25 == 0 {
                let (w, h) = sizes[i % sizes.len()];
                let _ = screen(&mut a, w, h);
            }
        }
        let _ = screen(&mut a, 120, 40);
        a.layers.clear();
        // What edits keep up to date incrementally equals a fresh computation.
        let mut fresh = App::new(a.ws.clone(), None);
        fresh.views.notes.filter = a.views.notes.filter.clone();
        fresh.views.opps.filter = a.views.opps.filter.clone();
        fresh.views.opps.rank = a.views.opps.rank;
        fresh.refresh_rows();
        prop_assert_eq!(&a.views.notes.rows, &fresh.views.notes.rows);
        prop_assert_eq!(&a.views.opps.rows, &fresh.views.opps.rows);
        for p in &a.ws.personas {
            prop_assert_eq!(a.stats.persona_notes(&p.id), fresh.stats.persona_notes(&p.id));
            for (_, act) in a.ws.activities() {
                prop_assert_eq!(a.stats.cell(&p.id, &act.id), fresh.stats.cell(&p.id, &act.id));
            }
        }
        while a.history.can_undo() {
            a.undo();
        }
        prop_assert_eq!(&a.ws, &start);
        prop_assert!(!a.is_dirty());
    }
}

#[test]
fn large_saves_run_in_the_background_and_edits_meanwhile_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let ws = valuemap::synth::workspace(valuemap::synth::Shape::notes(300));
    Store::create(&root, &ws).unwrap();
    let (store, ws, _) = Store::open(&root).unwrap();
    let mut a = App::new(ws, Some(store));
    // Touch more notes than a save writes at once.
    let ids: Vec<_> = a.ws.notes.keys().take(100).cloned().collect();
    for id in &ids {
        let mut n = a.ws.notes[id].clone();
        n.interviewee = "Renamed".into();
        a.apply(
            "rename",
            valuemap::model::edit::Edit::PutNote {
                id: id.clone(),
                note: Some(*n),
            },
        );
    }
    keys(&mut a, "<C-s>");
    assert!(
        a.disk.pending_save.is_some(),
        "a save of 100 files runs in the background"
    );
    // The interface keeps working: an edit during the save.
    keys(&mut a, ":add-persona Late arrival<Enter>");
    while a.busy() {
        a.tick();
    }
    assert!(
        a.message.as_ref().unwrap().text.starts_with("Saved"),
        "{:?}",
        a.message
    );
    assert!(
        a.is_dirty(),
        "the edit made during the save is not on disk yet"
    );
    let (_, disk, _) = Store::open(&root).unwrap();
    assert_eq!(disk.notes[&ids[0]].interviewee, "Renamed");
    assert!(!disk.personas.iter().any(|p| p.name == "Late arrival"));
    keys(&mut a, "<C-s>");
    while a.busy() {
        a.tick();
    }
    assert!(!a.is_dirty());
    let (_, disk, _) = Store::open(&root).unwrap();
    assert_eq!(disk, a.ws);
}

#[test]
fn save_as_continues_in_the_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    let target = dir.path().join("copy");
    keys(&mut a, &format!(":save-as {}<Enter>", target.display()));
    while a.busy() {
        a.tick();
    }
    assert!(
        a.message.as_ref().unwrap().text.starts_with("Saved as"),
        "{:?}",
        a.message
    );
    assert_eq!(a.root(), Some(target.as_path()));
    let (_, disk, _) = Store::open(&target).unwrap();
    assert_eq!(disk, a.ws);
    keys(&mut a, &format!(":save-as {}<Enter>", target.display()));
    assert!(a.message.as_ref().unwrap().text.contains("already exists"));
}

/// The metric chart's legend sits below the plot, never over the data, and
/// without colour the series still differ: a line, dots, bars.
#[test]
fn the_chart_legend_never_covers_data_and_series_differ_without_colour() {
    let mut a = app();
    a.env.theme = valuemap::tui::theme::Theme::new(valuemap::tui::theme::ThemeName::Dark, false);
    // Developer satisfaction: observed from 2026-06-30, a target and a
    // baseline.
    keys(&mut a, "5jjjj");
    let s = screen(&mut a, 120, 40);
    let rows: Vec<&str> = s.lines().collect();
    let legend = rows
        .iter()
        .position(|r| r.contains("observed") && r.contains("target") && r.contains("baseline"))
        .expect("a legend");
    // Below every row of the plot (the dates of the x axis come before it).
    let axis = rows.iter().position(|r| r.contains("2026-06-30")).unwrap();
    assert!(
        legend > axis,
        "legend row {legend} is above the axis row {axis}:\n{s}"
    );
    assert!(
        !s.contains("┌────────┐"),
        "no legend box over the plot:\n{s}"
    );
    // Target and baseline are drawn with different marks.
    let plot = &rows[..axis].join("\n");
    assert!(plot.contains('•') && plot.contains('▄'), "{s}");
}

/// `:theme light` is remembered in config.ron.
#[test]
fn the_chosen_theme_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.env.config_dir = Some(dir.path().to_path_buf());
    keys(&mut a, ":theme light<Enter>");
    let text = std::fs::read_to_string(dir.path().join("config.ron")).unwrap();
    assert!(text.contains("light"), "{text}");
    let (config, msg) = valuemap::tui::load_config(Some(dir.path()));
    assert_eq!(msg, None);
    assert_eq!(config.theme, valuemap::tui::theme::ThemeName::Light);
}

/// The workspace's description heads every report: it can be edited from
/// the map's corner (and with :workspace).
#[test]
fn the_workspace_description_can_be_edited() {
    let mut a = app();
    keys(&mut a, "kkh<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Workspace") && s.contains("Description"), "{s}");
    keys(&mut a, "<Tab><C-u>Our platform, for product teams.<C-s>");
    assert_eq!(a.ws.description, "Our platform, for product teams.");
    keys(&mut a, ":workspace<Enter>");
    assert!(screen(&mut a, 120, 40).contains("Our platform, for product teams."));
}

/// Counts say what they count: the empty template has phases and no
/// activities.
#[test]
fn the_activity_count_counts_activities() {
    let mut a = valuemap::tui::app::App::new(template("empty"), None);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("0 activities"), "{s}");
}

/// Undo shows what it brought back, and palette edits say what they did.
#[test]
fn undo_selects_what_it_restored_and_edits_say_so() {
    let mut a = app();
    keys(&mut a, "2jjdy");
    assert_eq!(a.ws.personas.len(), 2);
    keys(&mut a, "1gg3");
    keys(&mut a, "u");
    assert_eq!(a.view(), View::Personas);
    assert_eq!(
        a.ws.personas[a.views.personas.selected].name,
        "Engineering manager"
    );
    // A rating from the palette says so.
    keys(&mut a, "1gg:set-importance 2<Enter>");
    let m = a.message.clone().unwrap().text;
    assert!(
        m.contains("importance") && m.contains("to 2") && m.contains("u undoes"),
        "{m}"
    );
    // A reorder too.
    keys(&mut a, "J");
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("Move persona") && m.contains("down"), "{m}");
}

/// Messages read naturally.
#[test]
fn messages_read_naturally() {
    let mut a = app();
    keys(&mut a, "2:set-role end-user<Enter>");
    let m = a.message.clone().unwrap().text;
    assert!(m.ends_with("is now an end user"), "{m}");
    // Deleting something that takes nothing else with it.
    keys(&mut a, "5jd");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Nothing else is removed."), "{s}");
    assert!(!s.contains("no links"), "{s}");
    keys(&mut a, "<Esc>");
    // Deleting a note names it by its title.
    keys(&mut a, "3d");
    let title = a.ws.notes[&a.views.notes.rows[a.views.notes.list.selected]]
        .title
        .clone();
    let s = screen(&mut a, 160, 40);
    assert!(s.contains(&title[..20]), "{s}");
}

/// On the band of phase names, h and l move phase by phase.
#[test]
fn sideways_on_the_phase_band_goes_phase_by_phase() {
    let mut a = app();
    keys(&mut a, "kk");
    let phase = |a: &valuemap::tui::app::App| match a.views.map.selection(&a.ws) {
        valuemap::tui::state::map::Selection::Phase(p) => a.ws.phases[p].name.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(phase(&a), "Creation");
    keys(&mut a, "l");
    assert_eq!(phase(&a), "Operation");
    keys(&mut a, "l");
    assert_eq!(phase(&a), "Cleanup");
    keys(&mut a, "h");
    assert_eq!(phase(&a), "Operation");
}

/// On a wide terminal nothing is cut that has room: a metric's verdict
/// shows whole.
#[test]
fn wide_terminals_show_whole_verdicts() {
    let mut a = app();
    keys(&mut a, "5");
    let s = screen(&mut a, 200, 60);
    assert!(
        s.contains("47 visits/week / 30 visits/week ✓ on track"),
        "{s}"
    );
}

/// `:add-opportunity` selects what it added; `:observe` says in the
/// status line what it recorded; recovering unsaved work shows what it
/// restored.
#[test]
fn adds_observations_and_recoveries_select_and_say_it() {
    let mut a = app();
    keys(&mut a, "4j:add-opportunity Faster clusters<Enter>");
    assert_eq!(a.view(), View::Opportunities);
    let id = a.views.opps.selected().cloned().unwrap();
    assert_eq!(
        a.ws.opportunity(&id).unwrap().title,
        "Faster clusters",
        "the new opportunity is the selection"
    );

    // The first metric that is observed (not computed).
    let observed =
        a.ws.metrics
            .iter()
            .position(|m| m.formula.is_none() && m.adoption.is_none())
            .unwrap();
    keys(
        &mut a,
        &format!("5{}:observe 41<Enter>", "j".repeat(observed)),
    );
    let m = a.message.clone().unwrap().text;
    assert!(
        m.starts_with("Observe ") && m.contains(": 41 on 2026-") && m.contains("u undoes"),
        "{m}"
    );

    // A recovered change to a persona, the map showing: restoring it
    // moves the selection to that persona.
    let mut a = app();
    let mut renamed = a.ws.clone();
    let last = renamed.personas.len() - 1;
    renamed.personas[last].name = "Recovered persona".into();
    let r = valuemap::store::recovery::Recovery::capture(
        std::path::Path::new("ws"),
        valuemap::model::change::diff(
            &a.ws,
            &renamed,
            &valuemap::model::validate::FileKey::Workspace,
        ),
    );
    keys(&mut a, "3");
    a.push(valuemap::tui::popups::recovery::RecoveryOffer { recovery: r });
    keys(&mut a, "r");
    assert_eq!(a.view(), View::Personas, "{:?}", a.message);
    assert_eq!(
        a.ws.personas[a.views.personas.selected].name,
        "Recovered persona"
    );
}

/// Counts read naturally wherever a count is shown: one search match is
/// "1 match".
#[test]
fn one_search_match_is_one_match() {
    let mut a = app();
    keys(&mut a, ":add-persona Quokka herder<Enter>/quokka");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("1 match"), "{s}");
    assert!(!s.contains("1 matches"), "{s}");
}

/// A message box on a narrow terminal is as tall as its wrapped lines:
/// the recovery offer at 60x20 still shows its keys.
#[test]
fn narrow_message_boxes_keep_their_key_hints() {
    for (w, h) in [(60, 20), (44, 20), (120, 40)] {
        let mut a = app();
        let mut renamed = a.ws.clone();
        renamed.name.push_str(" (recovered)");
        let r = valuemap::store::recovery::Recovery::capture(
            std::path::Path::new("ws"),
            valuemap::model::change::diff(
                &a.ws,
                &renamed,
                &valuemap::model::validate::FileKey::Workspace,
            ),
        );
        a.push(valuemap::tui::popups::recovery::RecoveryOffer { recovery: r });
        let s = screen(&mut a, w, h);
        assert!(
            s.contains("recover them") && s.contains("decide later"),
            "{w}x{h}:\n{s}"
        );
    }
}

/// The palette on a narrow terminal: a command's help that does not fit
/// ends in "…", never cut in the middle of a word without a sign.
#[test]
fn the_palette_marks_help_it_shortens() {
    let mut a = app();
    keys(&mut a, ":");
    let s = screen(&mut a, 60, 20);
    let row = s
        .lines()
        .find(|l| l.contains("add-activity NAME"))
        .unwrap()
        .to_string();
    assert!(row.contains('…'), "{row}");
}
