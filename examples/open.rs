//! Opens a workspace the way the interface does (load, validate, build the
//! search index, counts and lists) and reports how long each step took.
//! For measuring memory: `/usr/bin/time -v target/release/examples/open PATH`.

use std::path::PathBuf;
use std::time::Instant;

use valuemap::model::validate::validate;
use valuemap::store::Store;
use valuemap::tui::app::App;

fn main() {
    let path: PathBuf = std::env::args_os().nth(1).expect("usage: open PATH").into();
    let t = Instant::now();
    let (store, ws, _) = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let loaded = t.elapsed();
    let findings = validate(&ws).len();
    let validated = t.elapsed();
    let app = App::new(ws, Some(store));
    let ready = t.elapsed();
    println!(
        "{} notes: loaded {loaded:.1?}, validated {:.1?} ({findings} findings), counts and lists {:.1?}; ready in {ready:.1?}",
        app.ws.notes.len(),
        validated - loaded,
        ready - validated,
    );
}
