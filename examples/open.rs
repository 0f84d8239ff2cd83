//! Opens a workspace the way the interface does (the map first, the rest
//! read on every core and taken in as it arrives, with the counts and
//! lists the views draw from) and reports how long each step took and the
//! process's peak memory against the workspace's size on disk.
//!
//! ```sh
//! cargo build --release --example open
//! target/release/examples/open PATH
//! /usr/bin/time -v target/release/examples/open PATH   # the same peak, from outside
//! ```

valuemap::allocator!();

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use valuemap::tui::registry::loading;

fn main() {
    let path: PathBuf = std::env::args_os().nth(1).expect("usage: open PATH").into();
    let t = Instant::now();
    let opening = valuemap::store::open_in_background(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut app = loading::start(opening, Vec::new());
    let map = t.elapsed();
    while loading::pump(&mut app, Duration::from_millis(4)) {
        std::thread::sleep(Duration::from_micros(200));
    }
    if let Some(e) = &app.disk.load_failed {
        panic!("{e}");
    }
    let ready = t.elapsed();
    let disk = size_on_disk(&path);
    let peak = peak_rss();
    println!(
        "{} notes, {} opportunities, {} metrics: the map in {map:.1?}, everything in {ready:.1?}",
        app.ws.notes.len(),
        app.ws.opportunities.len(),
        app.ws.metrics.len(),
    );
    println!(
        "peak memory {:.1} MB, {:.1} MB on disk: {:.2}x",
        peak as f64 / 1e6,
        disk as f64 / 1e6,
        peak as f64 / disk as f64
    );
}

/// The bytes of a workspace's files (what `du -sb` counts of them).
fn size_on_disk(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                stack.push(e.path());
            } else {
                total += m.len();
            }
        }
    }
    total
}

/// The process's peak resident memory in bytes (`VmHWM`), 0 where unknown.
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
