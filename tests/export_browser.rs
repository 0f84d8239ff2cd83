//! The HTML export in a real browser: headless Chromium renders the
//! kubernetes-platform page to a PNG, which is decoded and checked for size,
//! for content (not a blank page) and for the heat map's colours (the inline
//! styles applied); and a page of the template's discovery loop alone, for
//! the opportunity solution tree's boxes and the ship-date marker drawn
//! across the metric's chart; a page of the needs map alone, for its
//! boxes and the edges between them; and a page of adoption alone, for the
//! charts of the adoption rates over time.
//!
//! Without Chromium on PATH the test prints "skipped: chromium not installed"
//! and passes, unless `VALUEMAP_REQUIRE_BROWSER=1` (as in CI), when it fails.

use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use valuemap::export::{self, Format};
use valuemap::model::Workspace;
use valuemap::template::Template;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 2000;
const TIMEOUT: Duration = Duration::from_secs(60);

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// The screenshot's pixels as RGB.
fn decode(png_path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(BufReader::new(File::open(png_path).unwrap()));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let pixels = match info.color_type {
        png::ColorType::Rgb => bytes.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Rgba => bytes.chunks_exact(4).map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => bytes.iter().map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => bytes.chunks_exact(2).map(|p| [p[0]; 3]).collect(),
        png::ColorType::Indexed => unreachable!("expanded by normalize_to_color8"),
    };
    (info.width, info.height, pixels)
}

/// The browser, or `None` (with a notice) when the test is to be skipped.
fn browser() -> Option<PathBuf> {
    let found = find_browser();
    if found.is_none() {
        if std::env::var("VALUEMAP_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "VALUEMAP_REQUIRE_BROWSER=1 but no chromium, chromium-browser or google-chrome on PATH"
            );
        }
        println!("skipped: chromium not installed");
    }
    found
}

/// The workspace's HTML page rendered by `browser` at `width` x `height`:
/// the screenshot's size and RGB pixels.
fn screenshot(browser: &Path, ws: &Workspace, width: u32, height: u32) -> (u32, u32, Vec<[u8; 3]>) {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    export::write(ws, Format::Html, &html).unwrap();
    let shot = dir.path().join("shot.png");
    let profile = dir.path().join("profile");
    let log = dir.path().join("chromium.log");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", html.display()))
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(File::create(&log).unwrap())
        .stderr(File::create(dir.path().join("chromium.err")).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} did not finish within {TIMEOUT:?}", browser.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let errors = fs::read_to_string(dir.path().join("chromium.err")).unwrap_or_default();
    assert!(
        status.success() && shot.is_file(),
        "{} failed ({status}); no screenshot.\n{}",
        browser.display(),
        errors.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    );
    decode(&shot)
}

#[test]
fn html_export_renders_in_a_real_browser() {
    let Some(browser) = browser() else {
        return;
    };
    let ws = Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap();
    let (w, h, pixels) = screenshot(&browser, &ws, WIDTH, HEIGHT);
    assert_eq!((w, h), (WIDTH, HEIGHT));
    assert_eq!(pixels.len(), (w * h) as usize);
    let ink = pixels.iter().filter(|p| p.iter().any(|&c| c < 235)).count();
    let share = ink as f64 / pixels.len() as f64;
    assert!(
        share > 0.15,
        "only {:.1}% of the page is not white: a blank or unstyled page?",
        share * 100.0
    );
    // The dark header band and the hottest heat-map cells are there: the
    // inline styles were applied.
    let navy = pixels
        .iter()
        .filter(|[r, g, b]| *r < 60 && *g < 80 && *b > 70 && *b < 120)
        .count();
    let red = pixels
        .iter()
        .filter(|[r, g, b]| *r > 140 && *g < 70 && *b < 70)
        .count();
    println!(
        "{}: {:.1}% of the page is ink, {navy} header pixels, {red} hot-cell pixels",
        browser.display(),
        share * 100.0
    );
    assert!(navy > 50_000, "no header band ({navy} navy pixels)");
    assert!(
        red > 2_000,
        "no hot cells in the heat map ({red} red pixels)"
    );
}

/// Whether a pixel is the ship-date marker's magenta (#bf3989), alone or
/// blended half with white by anti-aliasing.
fn magenta(p: &[u8; 3]) -> bool {
    let [r, g, b] = p.map(i32::from);
    r - g > 60 && b - g > 30 && r > b
}

/// The lavender of a solution's box in the tree (#f3e8fb).
fn lavender(p: &[u8; 3]) -> bool {
    let [r, g, b] = p.map(i32::from);
    (236..=249).contains(&r) && (225..=239).contains(&g) && b >= 245
}

#[test]
fn the_tree_and_the_ship_date_marker_render_in_a_real_browser() {
    let Some(browser) = browser() else {
        return;
    };
    // The template's loop alone: the outcome "Management sees the
    // platform's value", cost data with the forecast under it, the Cost
    // dashboard (shipped 2026-08-12) and its two tests, the visits metric.
    let mut ws = Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap();
    ws.phases.clear();
    ws.personas.clear();
    ws.perspectives.clear();
    ws.notes.clear();
    ws.opportunities
        .retain(|o| ["52cdsh", "f2fcst"].contains(&o.id.as_str()));
    for o in &mut ws.opportunities {
        o.evidence.clear();
        o.activities.clear();
    }
    ws.metrics.retain(|m| m.id.as_str() == "j4dshv");
    ws.metrics[0].activity = None;
    ws.items.outcomes.retain(|id, _| id.as_str() == "oc7mgv");
    ws.items.solutions.retain(|id, _| id.as_str() != "sl2tpl");
    for t in ws.items.tests.values_mut() {
        t.evidence.clear();
    }
    // (The needs map has a test of its own, below.)
    ws.items.nodes.clear();
    ws.items.layers.clear();
    ws.items.teams.clear();
    ws.items.adoptions.clear();
    let (w, h) = (1280, 3600);
    let (sw, sh, pixels) = screenshot(&browser, &ws, w, h);
    assert_eq!((sw, sh), (w, h));
    let at = |x: u32, y: u32| &pixels[(y * w + x) as usize];
    // Two solution boxes (the forecast, an idea; the Cost dashboard).
    let boxes = pixels.iter().filter(|p| lavender(p)).count();
    // The marker: a column of magenta at least 120 pixels tall (the chart
    // is 172 units high); the shipped box's border is only its height.
    let mut tallest = 0;
    for x in 0..w {
        let mut run = 0;
        for y in 0..h {
            if magenta(at(x, y)) {
                run += 1;
                tallest = tallest.max(run);
            } else {
                run = 0;
            }
        }
    }
    println!(
        "{}: {boxes} solution-box pixels, the tallest magenta column {tallest} pixels",
        browser.display()
    );
    assert!(
        boxes > 5_000,
        "no solution boxes in the tree ({boxes} pixels)"
    );
    assert!(
        tallest >= 120,
        "no ship-date marker across the chart (tallest magenta run {tallest})"
    );
}

/// Whether a pixel is near `rgb` (anti-aliasing blends edges a little).
fn near(p: &[u8; 3], rgb: [u8; 3], tolerance: i32) -> bool {
    p.iter()
        .zip(rgb)
        .all(|(&a, b)| (i32::from(a) - i32::from(b)).abs() <= tolerance)
}

#[test]
fn the_needs_map_renders_in_a_real_browser() {
    let Some(browser) = browser() else {
        return;
    };
    // The template's online-shop chain alone: one end-user need, two
    // consumers' capabilities, two platform capabilities, the clusters.
    let mut ws = Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap();
    ws.phases.clear();
    ws.personas.clear();
    ws.perspectives.clear();
    ws.notes.clear();
    ws.opportunities.clear();
    ws.metrics.clear();
    ws.items.outcomes.clear();
    ws.items.solutions.clear();
    ws.items.tests.clear();
    for n in ws.items.nodes.values_mut() {
        n.personas.clear();
        n.activities.clear();
        n.opportunities.clear();
    }
    let (w, h) = (1280, 1800);
    let (sw, sh, pixels) = screenshot(&browser, &ws, w, h);
    assert_eq!((sw, sh), (w, h));
    let rows_of = |f: &dyn Fn(&[u8; 3]) -> bool| -> Vec<u32> {
        (0..h)
            .filter(|y| (0..w).any(|x| f(&pixels[(y * w + x) as usize])))
            .collect()
    };
    // The end-user need's box: a 2-pixel blue border (#1f6feb).
    let blue = |p: &[u8; 3]| near(p, [0x1f, 0x6f, 0xeb], 40);
    let blue_px = pixels.iter().filter(|p| blue(p)).count();
    let blue_rows = rows_of(&blue);
    assert!(
        blue_px > 400,
        "no end-user need box ({blue_px} blue pixels)"
    );
    let (Some(&need_top), Some(&need_bottom)) = (blue_rows.first(), blue_rows.last()) else {
        unreachable!()
    };
    // The edges (#7a8794), counted below the need's box only (the page's
    // grey text above is of a like colour), down to the clusters.
    let edge = |p: &[u8; 3]| near(p, [0x7a, 0x87, 0x94], 14);
    let edge_rows: Vec<u32> = rows_of(&edge)
        .into_iter()
        .filter(|y| *y > need_bottom)
        .collect();
    let edge_px = (need_bottom + 1..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|(x, y)| edge(&pixels[(y * w + x) as usize]))
        .count();
    println!(
        "{}: {blue_px} need-box pixels on rows {need_top}..{need_bottom}, {edge_px} edge pixels below it on rows {:?}..{:?}",
        browser.display(),
        edge_rows.first(),
        edge_rows.last()
    );
    assert!(
        edge_px > 300,
        "no edges between the layers ({edge_px} pixels)"
    );
    // Three layers of edges below the need (100 units a layer).
    let edges_bottom = edge_rows.last().copied().unwrap_or(0);
    assert!(
        edges_bottom > need_bottom + 200,
        "the edges end at row {edges_bottom}, the need's box at {need_bottom}"
    );
}

/// The template's adoption alone (three teams, two platform capabilities):
/// each capability's card has a chart of its rates over time, all adoption
/// a solid line in the accent colour (#24527a) that steps up as teams
/// adopt, adoption by free choice a dashed green one (#2da44e).
#[test]
fn the_adoption_charts_render_in_a_real_browser() {
    let Some(browser) = browser() else {
        return;
    };
    let mut ws = Template::find("kubernetes-platform")
        .unwrap()
        .workspace()
        .unwrap();
    ws.phases.clear();
    ws.personas.clear();
    ws.perspectives.clear();
    ws.notes.clear();
    ws.opportunities.clear();
    ws.metrics.clear();
    ws.items.outcomes.clear();
    ws.items.solutions.clear();
    ws.items.tests.clear();
    for n in ws.items.nodes.values_mut() {
        n.personas.clear();
        n.activities.clear();
        n.opportunities.clear();
    }
    let html = export::render(&ws, Format::Html).unwrap();
    assert_eq!(html.matches("<svg class=\"chart rates-chart\"").count(), 2);
    let (w, h) = (1280, 4000);
    let (sw, sh, pixels) = screenshot(&browser, &ws, w, h);
    assert_eq!((sw, sh), (w, h));
    let at = |x: u32, y: u32| &pixels[(y * w + x) as usize];
    let green = |p: &[u8; 3]| near(p, [0x2d, 0xa4, 0x4e], 40);
    let accent = |p: &[u8; 3]| near(p, [0x24, 0x52, 0x7a], 30);
    let mut green_px = 0;
    let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) = (w, 0, h, 0);
    for y in 0..h {
        for x in 0..w {
            if green(at(x, y)) {
                green_px += 1;
                (x_lo, x_hi, y_lo, y_hi) = (x_lo.min(x), x_hi.max(x), y_lo.min(y), y_hi.max(y));
            }
        }
    }
    assert!(
        green_px > 300,
        "no free-choice line ({green_px} green pixels)"
    );
    // Within the charts (where the green line is): the solid line of all
    // adoption, with its steps up (0 → 33 → 67% for Deploy a service).
    let mut accent_px = 0;
    let mut tallest = 0;
    for x in x_lo..=x_hi {
        let mut run = 0;
        for y in y_lo.saturating_sub(80)..=(y_hi + 10).min(h - 1) {
            if accent(at(x, y)) {
                accent_px += 1;
                run += 1;
                tallest = tallest.max(run);
            } else {
                run = 0;
            }
        }
    }
    println!(
        "{}: {green_px} green pixels in x {x_lo}..{x_hi}, y {y_lo}..{y_hi}; {accent_px} accent pixels there, the tallest accent column {tallest}",
        browser.display()
    );
    assert!(
        x_hi - x_lo > 300,
        "the free-choice line spans only x {x_lo}..{x_hi}"
    );
    assert!(
        accent_px > 300,
        "no line of all adoption ({accent_px} pixels)"
    );
    assert!(
        tallest >= 30,
        "no step up in the line of all adoption (tallest run {tallest})"
    );
}
