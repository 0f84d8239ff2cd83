//! `:history` in the interface: the selected cell's timeline from a real
//! git repository, in a popup that Esc closes; outside git, a clear word.

#[path = "support/git.rs"]
mod git;
#[path = "support/history.rs"]
mod history;
mod support;

use support::*;
use valuemap::model::EntityRef;
use valuemap::store::Store;
use valuemap::tui::app::App;
use valuemap::tui::command::Command;

const PLATFORM_DEVELOPER: &str = "a2pdev";
const OPERATE_A_CLUSTER: &str = "75pcsr";

fn select_cell(app: &mut App) {
    valuemap::tui::registry::run(
        app,
        Command::Jump(EntityRef::Perspective {
            persona: PLATFORM_DEVELOPER.into(),
            activity: OPERATE_A_CLUSTER.into(),
        }),
    );
}

#[test]
fn history_shows_the_selected_cells_timeline_from_git() {
    if !git::git_available("history_shows_the_selected_cells_timeline_from_git") {
        return;
    }
    let r = git::Repo::new();
    r.vm_ok(&["new", "ws"]);
    let start = history::commit_at(&r, "2026-03-02", "Start from the template");
    history::edit(&r.ws(), |ws| {
        history::cell(ws, PLATFORM_DEVELOPER, OPERATE_A_CLUSTER).satisfaction = Some(4);
    });
    let rate = history::commit_at(&r, "2026-03-05", "Satisfaction up after the SRE interviews");
    let (store, ws, _) = Store::open(&r.ws()).unwrap();
    let mut app = App::new(ws, Some(store));
    app.env.size = (120, 40);
    select_cell(&mut app);
    // An unsaved change is the last row.
    keys(&mut app, ":set-importance 3<Enter>");
    keys(&mut app, ":history<Enter>");
    assert!(
        app.layer::<valuemap::tui::popups::history::History>()
            .is_some()
    );
    let s = screen(&mut app, 120, 40);
    assert!(
        s.contains("History of perspective of persona \"Platform developer\""),
        "{s}"
    );
    for want in [
        format!(
            "2026-03-02 {} valuemap test — Start from the template",
            &start[..8]
        ),
        "created: importance 5, satisfaction 3, score 7".to_string(),
        format!(
            "2026-03-05 {} valuemap test — Satisfaction up after the SRE",
            &rate[..8]
        ),
        "satisfaction 3 → 4, score 7 → 6".to_string(),
        "now (not committed)".to_string(),
        "importance 5 → 3, score 6 → 3".to_string(),
    ] {
        assert!(s.contains(&want), "{want}\n{s}");
    }
    // Its keys come from the key map, and Esc closes it.
    assert!(s.contains("Esc close"), "{s}");
    keys(&mut app, "<Esc>");
    assert!(
        app.layer::<valuemap::tui::popups::history::History>()
            .is_none()
    );
}

#[test]
fn outside_git_history_says_why_there_is_none() {
    let (_dir, mut app) = app_on_disk();
    select_cell(&mut app);
    keys(&mut app, ":history<Enter>");
    assert!(
        app.layer::<valuemap::tui::popups::history::History>()
            .is_none()
    );
    let s = screen(&mut app, 120, 40);
    assert!(
        s.contains("not in a git repository") || s.contains("git is not installed"),
        "{s}"
    );
    // A workspace that is not in a folder at all.
    let mut scratch = support::app();
    select_cell(&mut scratch);
    keys(&mut scratch, ":history<Enter>");
    let s = screen(&mut scratch, 120, 40);
    assert!(s.contains("not saved in a folder yet"), "{s}");
}
