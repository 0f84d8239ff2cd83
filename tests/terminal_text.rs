//! Text from files on the screen: escape sequences never reach the terminal,
//! and wide, combining, emoji and right-to-left text keeps every row exactly
//! as wide as the terminal and the columns where they belong.
//!
//! Rendered with ratatui's TestBackend through the same drawing code as the
//! terminal; `tests/e2e_tmux.rs` checks the escape sequences end to end in a
//! real terminal.

mod support;

use ratatui::buffer::Buffer;
use support::*;
use valuemap::model::Workspace;
use valuemap::tui::app::App;

/// Escape sequences and other characters that would change the terminal or
/// the line if printed: an OSC window title, a CSI screen clear and colour,
/// C1 CSI, backspace, carriage return, NUL, BEL, DEL, and the bidi overrides
/// and isolates.
const EVIL: &str = "A\u{1b}]0;pwned\u{7}B\u{1b}[2J\u{1b}[31mC\u{9b}1mD\u{8}\r\u{0}\u{7f}E\u{202e}F\u{2066}G\u{200f}H";

/// The characters no cell may hold.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Every text field a view or popup shows, with the escape sequences in it.
fn poisoned() -> Workspace {
    let mut ws = template("kubernetes-platform");
    ws.name = format!("Workspace {EVIL}");
    ws.description = format!("Description {EVIL}");
    ws.phases[0].name = format!("Phase {EVIL}");
    ws.phases[0].description = format!("Phase text {EVIL}");
    ws.phases[0].activities[0].name = format!("Activity {EVIL}");
    ws.phases[0].activities[0].description = format!("Activity text {EVIL}");
    for p in &mut ws.personas {
        p.name = format!("Persona {EVIL}");
        p.description = format!("About {EVIL}\nline two {EVIL}");
        p.jobs.push(format!("Job {EVIL}"));
        p.tags.push(format!("tag{EVIL}"));
    }
    for x in &mut ws.perspectives {
        x.interest = format!("Interest {EVIL}");
        x.pains.push(format!("Pain {EVIL}"));
        x.needs.push(format!("Need {EVIL}"));
    }
    for n in ws.notes.values_mut() {
        n.title = format!("Title {EVIL}");
        n.interviewee = format!("Who {EVIL}").into();
        n.body = format!("Title {EVIL}\n> quote {EVIL}\n! pain {EVIL}\n+ need {EVIL}\n{EVIL}");
        n.tags.push(format!("t{EVIL}"));
    }
    for o in &mut ws.opportunities {
        o.title = format!("Opportunity {EVIL}");
        o.description = format!("Why {EVIL}");
        for e in &mut o.evidence {
            e.quote = format!("Quote {EVIL}");
        }
    }
    for m in &mut ws.metrics {
        m.name = format!("Metric {EVIL}");
        m.unit = format!("u{EVIL}");
        m.description = format!("Measures {EVIL}");
        for o in &mut m.observations {
            o.comment = format!("Comment {EVIL}");
        }
    }
    ws
}

fn assert_clean(buf: &Buffer, what: &str) {
    for (i, cell) in buf.content().iter().enumerate() {
        let sym = cell.symbol();
        assert!(
            !sym.chars().any(unsafe_char),
            "{what}: cell ({}, {}) holds {sym:?}",
            i % buf.area.width as usize,
            i / buf.area.width as usize
        );
    }
}

/// Every view, and the popups that show workspace text.
const SCREENS: &[(&str, &str)] = &[
    ("map", ""),
    ("map coverage", "c"),
    ("map cell form", "<Enter>"),
    ("capture from a cell", "n"),
    ("personas", "2"),
    ("persona form", "2<Enter>"),
    ("delete persona", "2d"),
    ("notes", "3"),
    ("notes second", "3j"),
    ("note editor", "3<Enter>"),
    ("notes filter", "3f"),
    ("opportunities", "4"),
    ("opportunity form", "4<Enter>"),
    ("opportunities board", "4b"),
    ("metrics", "5"),
    ("metrics second", "5j"),
    ("observe", "5o"),
    ("search", "/pwned"),
    ("search hits", "/Title"),
    ("palette", ":rename "),
    ("help", "?"),
];

fn what_of(what: &str) -> &str {
    what.split(" at ").next().unwrap_or(what)
}

#[test]
fn escape_sequences_from_files_never_reach_a_cell() {
    for (w, h) in [(120, 40), (80, 24), (200, 60)] {
        for (what, keys_typed) in SCREENS {
            let mut a = app();
            a.ws = poisoned();
            a.stats = valuemap::model::coverage::Stats::compute(&a.ws);
            a.views.refresh(&a.ws, &a.stats, None);
            keys(&mut a, keys_typed);
            while a.busy() {
                a.tick();
            }
            let t = render(&mut a, w, h);
            let what = format!("{what} at {w}x{h}");
            assert_clean(t.backend().buffer(), &what);
            // The text itself is shown (what is left of it): the views do
            // draw the poisoned fields.
            if ["map", "personas", "notes", "opportunities", "metrics"].contains(&what_of(&what)) {
                let screen = t.backend().to_string();
                assert!(
                    screen.contains("]0;pwned"),
                    "{what}: the text is not shown\n{screen}"
                );
            }
        }
    }
}

// ---- wide, combining, emoji and right-to-left text ----

/// Names of every width and direction (display widths: 12, 1, 6, 5, 4).
const NAMES: [&str; 5] = [
    "日本語の名前",
    "e\u{301}",
    "👩\u{200d}💻 dev",
    "مرحبا",
    "שלום",
];

/// The template with those names on personas, activities, phases and notes;
/// or, with `ascii`, with plain `x`s of the same display widths instead.
fn named(ascii: bool) -> Workspace {
    let name = |i: usize, suffix: &str| -> String {
        let s = format!("{} {suffix}", NAMES[i % NAMES.len()]);
        if ascii {
            "x".repeat(valuemap::text::width(&s))
        } else {
            s
        }
    };
    let mut ws = template("kubernetes-platform");
    for (i, p) in ws.personas.iter_mut().enumerate() {
        p.name = name(i, "persona");
    }
    for (i, ph) in ws.phases.iter_mut().enumerate() {
        ph.name = name(i + 1, "phase");
        for (j, a) in ph.activities.iter_mut().enumerate() {
            a.name = name(i + j + 2, "activity");
        }
    }
    for (i, n) in ws.notes.values_mut().enumerate() {
        n.title = name(i + 3, "note");
        n.interviewee = name(i + 4, "who").into();
        n.body = format!("{}\n{}", n.title, name(i, "said"));
    }
    ws
}

/// Each row as displayed: a wide symbol covers the cells after it. Returns
/// the rows and, per row, the x of every cell that starts a symbol.
fn rows(buf: &Buffer) -> Vec<(String, Vec<(u16, String)>)> {
    let (w, h) = (buf.area.width, buf.area.height);
    (0..h)
        .map(|y| {
            let mut row = String::new();
            let mut cells = Vec::new();
            let mut x = 0u16;
            while x < w {
                let sym = buf[(x, y)].symbol();
                row.push_str(sym);
                cells.push((x, sym.to_string()));
                x += valuemap::text::width(sym).max(1) as u16;
            }
            (row, cells)
        })
        .collect()
}

fn assert_full_width(buf: &Buffer, what: &str) {
    for (y, (row, _)) in rows(buf).iter().enumerate() {
        assert_eq!(
            valuemap::text::width(row),
            buf.area.width as usize,
            "{what}: row {y} is {row:?}"
        );
    }
}

/// The x of every `sym` in a row (only cells that start a symbol count).
fn xs_of(cells: &[(u16, String)], sym: &[&str]) -> Vec<u16> {
    cells
        .iter()
        .filter(|(_, s)| sym.contains(&s.as_str()))
        .map(|(x, _)| *x)
        .collect()
}

fn render_named(ascii: bool, view: &str, w: u16, h: u16) -> Buffer {
    let mut a: App = app();
    a.ws = named(ascii);
    a.stats = valuemap::model::coverage::Stats::compute(&a.ws);
    a.views.refresh(&a.ws, &a.stats, None);
    keys(&mut a, view);
    render(&mut a, w, h).backend().buffer().clone()
}

#[test]
fn wide_text_keeps_rows_full_and_the_map_columns_aligned() {
    for (w, h) in [(120, 40), (80, 24), (240, 50)] {
        let what = format!("map at {w}x{h}");
        let wide = render_named(false, "", w, h);
        assert_full_width(&wide, &what);
        // The heat badges start the grid's columns, and a rule `│` parts
        // its phases: both are where they are with plain names of the same
        // widths.
        let plain = render_named(true, "", w, h);
        let badges = ["█", "▓", "▒", "░"];
        let (wide_rows, plain_rows) = (rows(&wide), rows(&plain));
        let (mut seen, mut rules) = (0, 0);
        for (y, ((wr, wc), (_, pc))) in wide_rows.iter().zip(&plain_rows).enumerate() {
            let (got, want) = (xs_of(wc, &badges), xs_of(pc, &badges));
            assert_eq!(
                got, want,
                "{what}: row {y} {wr:?}: badges at {got:?}, not {want:?}"
            );
            seen += want.len();
            let (got, want) = (xs_of(wc, &["│"]), xs_of(pc, &["│"]));
            assert_eq!(
                got, want,
                "{what}: row {y} {wr:?}: rules at {got:?}, not {want:?}"
            );
            rules += want.len();
        }
        assert!(seen >= 3, "{what}: the map shows heat badges");
        assert!(
            w < 240 || rules >= 3,
            "{what}: the map shows a rule between phases"
        );
        // The names are on screen, cut on grapheme boundaries.
        let screen: String = wide_rows.iter().map(|(r, _)| r.as_str()).collect();
        for name in ["日本語", "مرحبا"] {
            assert!(screen.contains(name), "{what}: {name} not shown\n{screen}");
        }
    }
}

#[test]
fn wide_text_keeps_the_list_borders_in_line() {
    for (view, keys_typed) in [("personas", "2"), ("notes", "3"), ("notes reader", "3j")] {
        for (w, h) in [(120, 40), (80, 24)] {
            let what = format!("{view} at {w}x{h}");
            let buf = render_named(false, keys_typed, w, h);
            assert_full_width(&buf, &what);
            let rows = rows(&buf);
            // Between the panels' top and bottom borders, every row has its
            // vertical rules at the same x as the panels' corners.
            let top = &rows[1].1;
            let corners = xs_of(top, &["┌", "┐", "╭", "╮"]);
            assert_eq!(corners.len(), 4, "{what}: two panels\n{:?}", rows[1].0);
            let bottom = rows
                .iter()
                .rposition(|(_, c)| !xs_of(c, &["└", "╰"]).is_empty())
                .unwrap();
            for (y, (row, cells)) in rows.iter().enumerate().take(bottom).skip(2) {
                assert_eq!(
                    xs_of(cells, &["│"]),
                    corners,
                    "{what}: row {y} {row:?} has its rules out of line"
                );
            }
            let screen: String = rows.iter().map(|(r, _)| r.as_str()).collect();
            assert!(
                NAMES.iter().filter(|n| screen.contains(*n)).count() >= 2,
                "{what}: the names are shown\n{screen}"
            );
        }
    }
}
