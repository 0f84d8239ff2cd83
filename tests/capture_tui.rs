//! Interview capture, suggestions, and the Notes, Opportunities and Metrics
//! views, through the same event path as the terminal.

mod support;

use support::*;
use valuemap::model::OpportunityKind;
use valuemap::tui::app::App;

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (20, 5)];

fn snap_all(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut a = app();
        a.env.size = (w, h);
        setup(&mut a);
        let t = render(&mut a, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

const NOTE: &str = "Call with Priya<Enter>> We wait two days for a cluster<Enter>! Cluster requests need a ticket #onboarding<Enter>! Nobody knows which version is supported<Enter>+ A self-service button";

#[test]
fn snapshot_capture_screens() {
    snap_all("capture_empty", |a| keys(a, "n"));
    snap_all("capture_typed", |a| keys(a, &format!("n{NOTE}")));
    snap_all("capture_activity_picker", |a| {
        keys(a, "n<Tab><Tab><Tab><Enter>mon")
    });
    snap_all("suggestions", |a| keys(a, &format!("n{NOTE}<C-s>")));
    snap_all("suggestions_merge_picker", |a| {
        keys(a, &format!("n{NOTE}<C-s>am"))
    });
}

#[test]
fn snapshot_list_views_and_forms() {
    snap_all("notes_filtered", |a| keys(a, "3fpersona:app<Enter>"));
    snap_all("notes_reader_second", |a| keys(a, "3j"));
    snap_all("opportunities_board", |a| keys(a, "4b"));
    snap_all("opportunities_filtered", |a| keys(a, "4fnoevidence<Enter>"));
    snap_all("opportunity_form", |a| keys(a, "4<Enter>"));
    snap_all("metric_form", |a| keys(a, "5<Enter>"));
    // Dashboard visits: a recorded metric (the first ones are computed).
    snap_all("observation_form", |a| keys(a, "5jjjo"));
    snap_all("metrics_second", |a| keys(a, "5j"));
}

/// The scenario: capture a note with two pains from a cell, accept
/// one, merge the other: one new opportunity with evidence, and one
/// existing with more evidence.
#[test]
fn capture_two_pains_accept_one_merge_the_other() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    let before = a.ws.clone();
    let (p, act) = (
        a.ws.personas[0].id.clone(),
        a.ws.phases[0].activities[0].id.clone(),
    );
    let target =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.contains("removed APIs"))
            .unwrap()
            .clone();
    // The cursor starts on the first cell: Platform developer x Create a cluster.
    keys(&mut a, "n");
    keys(
        &mut a,
        "Upgrade pain<Enter>! Cluster requests need a ticket<Enter>! Nobody knows which version is supported",
    );
    keys(&mut a, "<Tab>Priya<C-s>");
    assert_eq!(a.ws.notes.len(), before.notes.len() + 1);
    let note =
        a.ws.notes
            .values()
            .find(|n| n.title == "Upgrade pain")
            .unwrap()
            .clone();
    assert_eq!(note.persona, Some(p.clone()), "pre-linked from the cell");
    assert_eq!(note.activities, vec![act.clone()]);
    assert_eq!(note.interviewee, "Priya");
    assert!(!a.is_dirty(), "Ctrl-s keeps the note and saves");
    assert!(screen(&mut a, 120, 40).contains("Suggested opportunity 1 of 2"));
    // Accept the first pain as a new opportunity.
    keys(&mut a, "a");
    let new =
        a.ws.opportunities
            .iter()
            .find(|o| o.title == "Cluster requests need a ticket")
            .unwrap();
    assert_eq!(new.kind, OpportunityKind::Pain);
    assert_eq!(new.evidence.len(), 1);
    assert_eq!(new.evidence[0].note, note.id);
    assert_eq!(new.evidence[0].quote, "! Cluster requests need a ticket");
    assert_eq!(new.personas, vec![p]);
    assert_eq!(new.activities, vec![act]);
    // Merge the second into an existing opportunity, picked by typing.
    keys(&mut a, "mremoved APIs<Enter>");
    let merged = a.ws.opportunity(&target.id).unwrap();
    assert_eq!(merged.evidence.len(), target.evidence.len() + 1);
    assert_eq!(
        merged.evidence.last().unwrap().quote,
        "! Nobody knows which version is supported"
    );
    assert_eq!(a.ws.opportunities.len(), before.opportunities.len() + 1);
    assert!(a.layers.is_empty());
    let msg = a.message.clone().unwrap().text;
    assert!(
        msg.contains("1 opportunity added, 1 merged, 0 dismissed"),
        "{msg}"
    );
    assert!(!a.is_dirty(), "the choices are saved at the end");
    // On disk too.
    let (_, disk, _) = valuemap::store::Store::open(&root).unwrap();
    assert_eq!(disk, a.ws);
    // Every choice is undoable: merge, accept, then the note itself.
    keys(&mut a, "u");
    assert_eq!(
        a.ws.opportunity(&target.id).unwrap().evidence,
        target.evidence
    );
    keys(&mut a, "u");
    assert_eq!(a.ws.opportunities, before.opportunities);
    keys(&mut a, "u");
    assert_eq!(a.ws, before);
}

#[test]
fn esc_asks_before_discarding_a_typed_note() {
    let mut a = app();
    keys(&mut a, "nSomething said<Esc>");
    assert!(screen(&mut a, 120, 40).contains("Discard this note?"));
    keys(&mut a, "n");
    assert!(!a.layers.is_empty(), "any key but y keeps editing");
    keys(&mut a, "<Esc>y");
    assert!(a.layers.is_empty());
    // An untouched capture closes at once.
    keys(&mut a, "n<Esc>");
    assert!(a.layers.is_empty());
}

#[test]
fn a_note_needs_a_title_and_a_valid_date() {
    let mut a = app();
    keys(&mut a, "n<C-s>");
    assert!(screen(&mut a, 120, 40).contains("The note is empty"));
    keys(&mut a, "Title<Tab><Tab><Tab><Tab>");
    keys(&mut a, "<Backspace><Backspace>xx<C-s>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("is not a date"), "{s}");
    assert_eq!(
        a.ws.notes.len(),
        template("kubernetes-platform").notes.len()
    );
}

#[test]
fn paste_goes_into_the_note_without_control_characters() {
    let mut a = app();
    keys(&mut a, "n");
    a.on_event(crossterm::event::Event::Paste(
        "Pasted title\r\n! pasted pain\u{1b}[31m\n+ need".into(),
    ));
    keys(&mut a, "<C-s>");
    let n =
        a.ws.notes
            .values()
            .find(|n| n.title == "Pasted title")
            .unwrap();
    assert_eq!(n.body, "Pasted title\n! pasted pain[31m\n+ need");
}

#[test]
fn mentions_and_tags_in_the_body_link_the_note() {
    let mut a = app();
    keys(&mut a, "3n");
    keys(
        &mut a,
        "Ops call #alerts<Enter>! Paged at night @Monitor-a-cluster<C-s><Esc>",
    );
    let n =
        a.ws.notes
            .values()
            .find(|n| n.title == "Ops call #alerts")
            .unwrap();
    assert_eq!(n.tags, ["alerts"]);
    let mon =
        a.ws.activities()
            .find(|(_, x)| x.name == "Monitor a cluster")
            .unwrap()
            .1
            .id
            .clone();
    assert_eq!(n.activities, vec![mon]);
}

#[test]
fn filters_narrow_the_notes_and_opportunities() {
    let mut a = app();
    keys(&mut a, "3fby:dana<Enter>");
    assert!(!a.views.notes.rows.is_empty());
    assert!(
        a.views
            .notes
            .rows
            .iter()
            .all(|id| a.ws.notes[id].interviewee.contains("Dana"))
    );
    keys(&mut a, "f<C-a><C-k><Enter>");
    assert_eq!(a.views.notes.rows.len(), a.ws.notes.len());
    keys(&mut a, "fpersona:ghost<Enter>");
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("no persona matches")
    );
    keys(&mut a, "4fhorizon:now<Enter>");
    assert!(a.views.opps.rows.iter().all(
        |(id, _)| a.ws.opportunity(id).unwrap().horizon == Some(valuemap::model::Horizon::Now)
    ));
}

#[test]
fn board_cards_move_between_horizons_and_undo() {
    let mut a = app();
    let before = a.ws.clone();
    keys(&mut a, "4b");
    let first = a.views.opps.selected().unwrap().clone();
    assert_eq!(
        a.ws.opportunity(&first).unwrap().horizon,
        Some(valuemap::model::Horizon::Now)
    );
    keys(&mut a, "L");
    assert_eq!(
        a.ws.opportunity(&first).unwrap().horizon,
        Some(valuemap::model::Horizon::Next)
    );
    assert_eq!(
        a.views.opps.board.unwrap().col,
        1,
        "the cursor follows the card"
    );
    keys(&mut a, "LL");
    assert_eq!(a.ws.opportunity(&first).unwrap().horizon, None);
    keys(&mut a, "L");
    assert!(a.message.as_ref().unwrap().text.contains("edge"));
    keys(&mut a, "uuu");
    assert_eq!(a.ws, before);
}

#[test]
fn opportunity_form_edits_kind_status_horizon_links_and_score() {
    let mut a = app();
    keys(&mut a, "4");
    let id = a.views.opps.selected().unwrap().clone();
    // Title, kind, status, horizon, description, activities, personas, manual score.
    keys(&mut a, "<Enter><Tab>g<Tab>v<Tab>l<Tab><Tab><Tab><Tab>");
    keys(&mut a, "<C-a><C-k>7.5<Enter>");
    let o = a.ws.opportunity(&id).unwrap();
    assert_eq!(o.kind, OpportunityKind::Gain);
    assert_eq!(o.status, valuemap::model::Status::Validated);
    assert_eq!(o.horizon, Some(valuemap::model::Horizon::Later));
    assert_eq!(o.manual_score, Some(7.5));
    // Links through the picker: add "Monitor a workload" to the activities.
    let n_acts = o.activities.len();
    keys(
        &mut a,
        "<Enter><Tab><Tab><Tab><Tab><Tab><Enter>workload<Enter><Esc><Tab><Tab><Enter>",
    );
    assert_eq!(a.ws.opportunity(&id).unwrap().activities.len(), n_acts + 1);
}

#[test]
fn metric_and_observation_forms() {
    let mut a = app();
    keys(&mut a, "5a");
    keys(&mut a, "Lead time<Tab><Tab>hours<Tab>l<Tab>48<Tab>8<Enter>");
    let m = a.ws.metrics[a.views.metrics.selected].clone();
    assert_eq!(m.name, "Lead time", "the new metric is selected");
    assert_eq!(m.unit, "hours");
    assert_eq!(m.direction, valuemap::model::Direction::LowerIsBetter);
    assert_eq!((m.baseline, m.target), (Some(48.0), Some(8.0)));
    let lead = m.id.clone();
    keys(&mut a, "o12<Enter>");
    let m = a.ws.metric(&lead).unwrap();
    assert_eq!(m.observations.len(), 1);
    assert_eq!(m.observations[0].value, 12.0);
    assert_eq!(m.on_track(), Some(false));
    keys(&mut a, "o7<Tab><C-a><C-k>2026-12-01<Enter>");
    let m = a.ws.metric(&lead).unwrap();
    assert_eq!(m.on_track(), Some(true));
    assert!(screen(&mut a, 120, 40).contains("on track"));
    keys(&mut a, "oabc<Enter>");
    assert!(screen(&mut a, 120, 40).contains("is not a number"));
}

#[test]
fn palette_export_writes_each_format() {
    let (dir, mut a) = app_on_disk();
    let out = dir.path().join("out");
    keys(
        &mut a,
        &format!(":export md {}<Enter>", out.join("missing/x.md").display()),
    );
    assert!(a.message.as_ref().unwrap().text.contains("does not exist"));
    std::fs::create_dir(&out).unwrap();
    keys(
        &mut a,
        &format!(":export html {}<Enter>", out.join("map.html").display()),
    );
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .starts_with("Exported html"),
        "{:?}",
        a.message
    );
    let html = std::fs::read_to_string(out.join("map.html")).unwrap();
    assert!(html.contains("Create a cluster"));
    keys(
        &mut a,
        &format!(":export csv {}<Enter>", out.join("tables").display()),
    );
    assert!(a.message.as_ref().unwrap().text.contains("CSV tables"));
    assert!(out.join("tables/notes.csv").exists());
    // Never over the workspace's own files.
    let ws_file = dir.path().join("ws/workspace.ron");
    let before = std::fs::read(&ws_file).unwrap();
    keys(
        &mut a,
        &format!(":export json {}<Enter>", ws_file.display()),
    );
    assert!(a.message.as_ref().unwrap().text.contains("overwrite"));
    assert_eq!(std::fs::read(&ws_file).unwrap(), before);
    keys(&mut a, ":export pdf x<Enter>");
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .to_lowercase()
            .contains("pdf")
    );
}

/// A one-line field scrolls sideways with its cursor: it never looks empty
/// while it holds text, and what is kept is what is shown (it used to keep
/// text out of view after Ctrl-w, and save it).
#[test]
fn a_one_line_field_shows_what_it_holds_while_words_are_deleted() {
    let mut a = app();
    keys(&mut a, "nTitle<Tab><Tab><Tab><Tab><Tab>");
    keys(
        &mut a,
        "Dana: does the deploys every friday afternoon and then the whole team waits",
    );
    let tags = |a: &valuemap::tui::app::App| {
        a.layer::<valuemap::tui::popups::capture::Capture>()
            .unwrap()
            .tags
            .value()
    };
    loop {
        let s = screen(&mut a, 80, 24);
        let row = s.lines().find(|l| l.contains("Tags")).unwrap().to_string();
        let shown = row
            .split("Tags")
            .nth(1)
            .unwrap()
            .trim_matches(['│', '"', ' ']);
        let held = tags(&a);
        if held.trim().is_empty() {
            assert!(shown.is_empty(), "empty field shows {shown:?}");
            break;
        }
        // The end of what is held (where the cursor is) is on screen.
        let last = held.split_whitespace().last().unwrap();
        assert!(shown.contains(last), "holds {held:?}, shows {shown:?}");
        keys(&mut a, "<C-w>");
    }
    // A word runs to the previous space, punctuation included.
    keys(&mut a, "a, b,c<C-w>");
    assert_eq!(tags(&a), "a, ");
    // Ctrl-u clears to the start of the line, as in a shell.
    keys(&mut a, "more text<C-u>");
    assert_eq!(tags(&a), "");
}

/// The note captured last in these tests (by title).
fn note_titled(a: &App, title: &str) -> valuemap::model::Note {
    a.ws.notes
        .values()
        .find(|n| n.title == title)
        .map(|n| valuemap::model::Note::clone(n))
        .unwrap()
}

/// A dismissed suggestion is remembered in the note file until its line
/// changes: editing and saving the note again does not offer it again.
#[test]
fn dismissed_suggestions_stay_dismissed_until_their_line_changes() {
    let (dir, mut a) = app_on_disk();
    keys(
        &mut a,
        "nDismiss me<Enter>! Alerts at night<Enter>+ A quiet pager<C-s>",
    );
    assert!(a.has_layer("suggest"));
    keys(&mut a, "xx");
    assert!(!a.has_layer("suggest"));
    let n = note_titled(&a, "Dismiss me");
    assert_eq!(n.dismissed, ["! Alerts at night", "+ A quiet pager"]);
    // On disk too.
    let (_, disk, _) = valuemap::store::Store::open(&dir.path().join("ws")).unwrap();
    assert_eq!(disk.notes[&n.id].dismissed.len(), 2);
    // Edit the note: add a line, change one; save.
    keys(&mut a, "3");
    let i = a.views.notes.rows.iter().position(|x| *x == n.id).unwrap();
    a.views.notes.list.selected = i;
    keys(
        &mut a,
        "<Enter><C-u>+ A louder pager<Enter>? Who is on call<C-s>",
    );
    // Only the changed line is offered; the untouched dismissal stays.
    let s = a
        .layer::<valuemap::tui::popups::suggest::Suggest>()
        .unwrap();
    let offered: Vec<&str> = s.items.iter().map(|x| x.line.as_str()).collect();
    assert_eq!(offered, ["+ A louder pager"]);
    keys(&mut a, "<Esc>");
    let n = note_titled(&a, "Dismiss me");
    assert_eq!(n.dismissed, ["! Alerts at night", "+ A louder pager"]);
}

/// Opening a note and saving without a change writes nothing, and the
/// body's #tags are not copied into the tag list after capture time.
#[test]
fn an_unchanged_note_is_never_rewritten() {
    let (dir, mut a) = app_on_disk();
    keys(&mut a, "nTagged<Enter>> words #first<Tab>Ana<C-s><Esc>");
    let n = note_titled(&a, "Tagged");
    assert_eq!(n.tags, ["first"], "tags from the body at capture time");
    // Remove the tag from the list by hand, as on disk.
    keys(&mut a, "3");
    let i = a.views.notes.rows.iter().position(|x| *x == n.id).unwrap();
    a.views.notes.list.selected = i;
    keys(&mut a, "<Enter><BackTab><C-u><C-s>");
    let n = note_titled(&a, "Tagged");
    assert!(
        n.tags.is_empty(),
        "the tag list is what the field says: {:?}",
        n.tags
    );
    assert!(!a.is_dirty());
    let file = dir.path().join("ws").join(valuemap::store::note_rel(&n));
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let undo_depth = a.history.undo_len();
    // Open and keep without a change.
    keys(&mut a, "<Enter><C-s>");
    assert!(!a.has_layer("capture"));
    let m = a.message.as_ref().unwrap().text.clone();
    assert!(m.contains("unchanged"), "{m}");
    assert_eq!(a.history.undo_len(), undo_depth, "no step for nothing");
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before
    );
}

/// `@activity` and `#tag` marks stay out of titles and quotes, and an
/// opportunity from a line links the note's own activity and the
/// activities that line mentions, not those other lines mention.
#[test]
fn marks_stay_out_of_titles_and_links_follow_the_line() {
    let mut a = app();
    // From the first cell: Platform developer x Create a cluster.
    let own = a.ws.phases[0].activities[0].id.clone();
    let deploy = a.ws.phases[0].activities[1].id.clone();
    keys(
        &mut a,
        "nMarks<Enter>! Deploys hang after lunch @create-a-deployment #ci<Enter>! Quotas run out @onboard",
    );
    keys(&mut a, "<C-s>a");
    let o =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with("Deploys hang"))
            .unwrap()
            .clone();
    assert_eq!(o.title, "Deploys hang after lunch");
    assert_eq!(o.activities, [own.clone(), deploy]);
    keys(&mut a, "a");
    let o2 =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with("Quotas"))
            .unwrap()
            .clone();
    assert_eq!(o2.title, "Quotas run out");
    assert_eq!(
        o2.activities.len(),
        2,
        "own and onboard: {:?}",
        o2.activities
    );
    assert!(o2.activities.contains(&own));
    // The quote reads without its marks.
    keys(&mut a, "4");
    let i = a
        .views
        .opps
        .rows
        .iter()
        .position(|(x, _)| *x == o.id)
        .unwrap();
    a.views.opps.list.selected = i;
    let s = screen(&mut a, 160, 40);
    assert!(s.contains("“Deploys hang after lunch”"), "{s}");
    assert!(!s.contains("#ci"), "{s}");
}

/// The capture's side panel counts only what saving will offer.
#[test]
fn the_side_panel_counts_only_open_suggestions() {
    let mut a = app();
    keys(&mut a, "nPanel<Enter>! One pain<Enter>! Two pains<C-s>ax");
    let n = note_titled(&a, "Panel");
    keys(&mut a, "3");
    let i = a.views.notes.rows.iter().position(|x| *x == n.id).unwrap();
    a.views.notes.list.selected = i;
    keys(&mut a, "<Enter><Enter>! Three pains");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("1 suggested opportunity"), "{s}");
}

/// The side panel's counts agree with their number: "1 quote", "3 pains",
/// "0 needs"; a suggestion's evidence reads as the opportunity will quote
/// it, without its marks.
#[test]
fn the_side_panel_counts_read_naturally_and_evidence_without_marks() {
    let mut a = app();
    keys(
        &mut a,
        "nCounts<Enter>> Said once<Enter>! A<Enter>! B<Enter>! C after lunch @create-a-deployment #ci",
    );
    let s = screen(&mut a, 120, 40);
    for want in ["  1 quote ", "  3 pains ", "  0 needs ", "  0 questions "] {
        assert!(s.contains(want), "{want:?} in\n{s}");
    }
    assert!(!s.contains("1 quotes"), "{s}");
    keys(&mut a, "<C-s>aa");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("evidence: “C after lunch”"), "{s}");
    // In the opportunity, a note that names no one is cited by its date.
    keys(&mut a, "a4");
    let o =
        a.ws.opportunities
            .iter()
            .find(|o| o.title == "C after lunch")
            .unwrap()
            .id
            .clone();
    a.views.opps.show(&a.ws, &o);
    let s = screen(&mut a, 160, 40);
    assert!(s.contains("      — 2026-11-24 · Counts"), "{s}");
    assert!(!s.contains("— , "), "{s}");
}

/// On a narrow terminal the capture's footer shows the hints that fit,
/// whole, most important first; none is cut in the middle.
#[test]
fn a_narrow_capture_footer_shows_whole_hints() {
    let mut a = app();
    keys(&mut a, "n");
    let s = screen(&mut a, 60, 20);
    let footer = s.lines().find(|l| l.contains("keep and save")).unwrap();
    assert!(footer.contains("Esc discard"), "{footer}");
    assert!(!footer.contains("Ct│"), "{footer}");
    let wide = screen(&mut a, 120, 40);
    assert!(wide.contains("Ctrl-z undo"), "{wide}");
}

/// Notes of one day are listed by capture time, newest first.
#[test]
fn notes_of_a_day_sort_by_capture_time() {
    let mut a = app();
    keys(&mut a, "nZulu first<C-s>");
    std::thread::sleep(std::time::Duration::from_millis(5));
    keys(&mut a, "nAlpha second<C-s>");
    let rows: Vec<String> = a
        .views
        .notes
        .rows
        .iter()
        .map(|id| a.ws.notes[id].title.clone())
        .filter(|t| t.ends_with("first") || t.ends_with("second"))
        .collect();
    assert_eq!(rows, ["Alpha second", "Zulu first"]);
}

/// In a field of several lines Enter starts a line and Alt-Enter applies;
/// the footer says so. In a one-line field Enter applies.
#[test]
fn the_footer_tells_the_truth_about_enter() {
    let mut a = app();
    keys(&mut a, "<Enter><Tab>");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Enter new line") && s.contains("Alt-Enter apply"),
        "{s}"
    );
    keys(&mut a, "<Enter>First need<Enter>Second need");
    a.on_event(crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::ALT,
        ),
    ));
    assert!(a.layers.is_empty(), "Alt-Enter applied");
    let p =
        a.ws.perspective(&a.ws.personas[0].id, &a.ws.phases[0].activities[0].id)
            .unwrap();
    assert!(
        p.needs
            .ends_with(&["First need".to_string(), "Second need".to_string()]),
        "{:?}",
        p.needs
    );
    // A one-line field: Enter applies, and the footer says so.
    keys(&mut a, "2<Enter>");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Enter apply") && !s.contains("Enter new line"),
        "{s}"
    );
    keys(&mut a, "<Enter>");
    assert!(a.layers.is_empty());
}

/// In the capture, Enter in a header field and Esc anywhere outside the
/// note go back to the note; the note is never lost to a stray Esc there.
#[test]
fn the_note_is_one_key_away_from_every_field() {
    let mut a = app();
    keys(&mut a, "nTitle<Tab>Dana<Enter>> typed into the note");
    let c = a
        .layer::<valuemap::tui::popups::capture::Capture>()
        .unwrap();
    assert_eq!(c.interviewee.value(), "Dana");
    assert!(
        c.body_text().ends_with("> typed into the note"),
        "{}",
        c.body_text()
    );
    keys(&mut a, "<BackTab>ops<Esc>");
    let c = a
        .layer::<valuemap::tui::popups::capture::Capture>()
        .unwrap();
    assert_eq!(c.tags.value(), "ops");
    keys(&mut a, "<Enter>more");
    let c = a
        .layer::<valuemap::tui::popups::capture::Capture>()
        .unwrap();
    assert!(
        c.body_text().ends_with("\nmore"),
        "Esc went back to the note"
    );
}

/// Letters in a rating field do nothing; digits and h/l or arrows rate.
#[test]
fn letters_do_nothing_in_a_rating() {
    let mut a = app();
    keys(&mut a, "<Enter><Tab><Tab><Tab>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("h/l"), "the footer names the keys: {s}");
    keys(&mut a, "3xyzq");
    keys(&mut a, "<Enter>");
    let p =
        a.ws.perspective(&a.ws.personas[0].id, &a.ws.phases[0].activities[0].id)
            .unwrap();
    assert_eq!(p.importance, Some(3));
}

fn select_opp(a: &mut App, title: &str) -> valuemap::model::Id {
    keys(a, "4");
    let id =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with(title))
            .unwrap()
            .id
            .clone();
    let i = a
        .views
        .opps
        .rows
        .iter()
        .position(|(x, _)| *x == id)
        .unwrap();
    a.views.opps.list.selected = i;
    id
}

/// Two opportunities that turn out to be one are merged: evidence united,
/// one undoable step.
#[test]
fn merge_two_opportunities() {
    let mut a = app();
    let before = a.ws.clone();
    let from = select_opp(&mut a, "SLO-based alerting");
    let into =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with("One dashboard per workload"))
            .unwrap()
            .id
            .clone();
    let n = a.ws.opportunity(&from).unwrap().evidence.len()
        + a.ws.opportunity(&into).unwrap().evidence.len();
    keys(&mut a, "mOne dashboard per workload<Enter>");
    assert!(a.ws.opportunity(&from).is_none());
    assert_eq!(a.ws.opportunity(&into).unwrap().evidence.len(), n);
    assert_eq!(
        a.views.opps.selected(),
        Some(&into),
        "the merged one is selected"
    );
    keys(&mut a, "u");
    assert_eq!(a.ws, before);
}

/// A piece of evidence can be removed, or moved to another opportunity.
#[test]
fn remove_and_move_evidence() {
    let mut a = app();
    let id = select_opp(&mut a, "Automatically retire idle clusters");
    keys(&mut a, "e");
    let s = screen(&mut a, 120, 40);
    assert!(
        s.contains("Evidence of") && s.contains("Automatic clean-up of clusters"),
        "{s}"
    );
    keys(&mut a, "d");
    assert_eq!(a.ws.opportunity(&id).unwrap().evidence.len(), 1);
    let moved = a.ws.opportunity(&id).unwrap().evidence[0].clone();
    keys(&mut a, "mManagers keep asking<Enter>");
    assert!(a.ws.opportunity(&id).unwrap().evidence.is_empty());
    let to =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with("Managers keep asking"))
            .unwrap();
    assert!(to.evidence.contains(&moved));
    keys(&mut a, "<Esc>uu");
    assert_eq!(a.ws.opportunity(&id).unwrap().evidence.len(), 2);
}

/// Any line of a note can become evidence from the note reader, or an
/// opportunity of its own.
#[test]
fn attach_a_line_of_a_note_as_evidence() {
    let mut a = app();
    keys(&mut a, "3");
    let nid = a.views.notes.selected().unwrap().clone();
    keys(&mut a, "e");
    let items = a.layer::<valuemap::tui::popups::items::Items>().is_some();
    assert!(items);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("Lines of"), "{s}");
    // The first line after the title: attach it to an opportunity.
    let first_line = valuemap::capture::parse(&a.ws.notes[&nid].body).lines[1]
        .raw
        .trim()
        .to_string();
    keys(&mut a, "aManagers keep asking<Enter>");
    let o =
        a.ws.opportunities
            .iter()
            .find(|o| o.title.starts_with("Managers keep asking"))
            .unwrap();
    assert!(
        o.evidence
            .iter()
            .any(|e| e.note == nid && e.quote == first_line),
        "{:?}",
        o.evidence
    );
    // The second line: an opportunity of its own.
    let before = a.ws.opportunities.len();
    keys(&mut a, "jn");
    assert_eq!(a.ws.opportunities.len(), before + 1);
}

/// A metric's observation can be changed or removed.
#[test]
fn change_and_remove_an_observation() {
    let mut a = app();
    // The first recorded metric (a computed one's series is not edited).
    keys(&mut a, "5");
    while a.ws.metrics[a.views.metrics.selected].is_derived() {
        keys(&mut a, "j");
    }
    keys(&mut a, "e");
    let m = a.ws.metrics[a.views.metrics.selected].id.clone();
    let n = a.ws.metric(&m).unwrap().observations.len();
    keys(&mut a, "e<Tab><Tab><C-u>fixed by hand<Tab><C-u>7<Enter>");
    let first = &a.ws.metric(&m).unwrap().observations[0];
    assert_eq!(
        (first.value, first.comment.as_str()),
        (7.0, "fixed by hand")
    );
    keys(&mut a, "d");
    assert_eq!(a.ws.metric(&m).unwrap().observations.len(), n - 1);
}
