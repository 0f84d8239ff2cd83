//! Where the time of a full load goes, in wall time and CPU time: the
//! floor (every file parsed with ron on the loader's number of threads,
//! each dropped at once), the same floor keeping what it parsed, the
//! loader's threads alone (batches received and kept, nothing taken in),
//! `Store::open`, and the interface's load with the CPU time of the
//! interface's thread.
//!
//! ```sh
//! cargo build --release --example loadparts
//! target/release/examples/loadparts PATH [RUNS] [all|floor|keep|loaders|interface|list|intake]
//! ```

valuemap::allocator!();

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use valuemap::store::{self, Store};
use valuemap::tui::registry::loading;

#[path = "../benches/support/floor.rs"]
mod shared;

fn thread_cpu() -> Duration {
    cpu(3)
}

fn process_cpu() -> Duration {
    cpu(2)
}

fn cpu(clock: i32) -> Duration {
    let mut ts = libc_timespec { s: 0, ns: 0 };
    // CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3
    unsafe { clock_gettime(clock, &mut ts) };
    Duration::new(ts.s as u64, ts.ns as u32)
}

/// Wall time and process CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (Duration, Duration, T) {
    let (t, c) = (Instant::now(), process_cpu());
    let r = f();
    (t.elapsed(), process_cpu() - c, r)
}

#[repr(C)]
struct libc_timespec {
    s: i64,
    ns: i64,
}

unsafe extern "C" {
    fn clock_gettime(clk: i32, ts: *mut libc_timespec) -> i32;
}

/// The floor, each parsed file dropped at once.
fn floor(root: &Path) -> Duration {
    shared::floor(root, false)
}

/// The floor keeping every file it parsed, as a load must.
fn floor_keep(root: &Path) -> Duration {
    shared::floor(root, true)
}

fn loaders_alone(root: &Path) -> Duration {
    let t = Instant::now();
    let o = store::open_in_background(root).unwrap();
    let mut kept = Vec::new();
    for p in o.pieces {
        match p {
            store::Piece::Batch(b) => {
                kept.push(b);
            }
            store::Piece::Done => break,
            store::Piece::Failed(e) => panic!("{e}"),
            _ => {}
        }
    }
    let d = t.elapsed();
    drop(kept);
    d
}

fn plain(root: &Path) -> Duration {
    let t = Instant::now();
    let (s, ws, _) = Store::open(root).unwrap();
    let d = t.elapsed();
    drop((s, ws));
    d
}

fn interface(root: &Path) -> (Duration, Duration) {
    let t = Instant::now();
    let c = thread_cpu();
    let opening = store::open_in_background(root).unwrap();
    let mut app = loading::start(opening, Vec::new());
    while loading::pump(&mut app, Duration::from_millis(4)) {
        std::thread::sleep(Duration::from_micros(200));
    }
    let d = (t.elapsed(), thread_cpu() - c);
    drop(app);
    d
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let root: PathBuf = std::env::args_os().nth(1).expect("PATH").into();
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let only = std::env::args().nth(3).unwrap_or_else(|| "all".into());
    if only == "interface" {
        for _ in 0..runs {
            let (w, c) = interface(&root);
            println!("interface {:.1} ms, thread CPU {:.1} ms", ms(w), ms(c));
        }
        return;
    }
    if only == "loaders" {
        for _ in 0..runs {
            let (_, c, w) = timed(|| loaders_alone(&root));
            println!("loaders {:.1} ms, CPU {:.1} ms", ms(w), ms(c));
        }
        return;
    }
    if only == "intake" {
        // The interface taking in a load that is already read: every piece
        // waits in the channel before the first is taken, so the loader
        // threads do not share the cores with it.
        for _ in 0..runs {
            let opening = store::open_in_background(&root).unwrap();
            let progress = std::sync::Arc::clone(&opening.progress);
            loop {
                let total = progress.total.load(std::sync::atomic::Ordering::Relaxed);
                let done = progress.done.load(std::sync::atomic::Ordering::Relaxed);
                if total > 0 && done >= total {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            std::thread::sleep(Duration::from_millis(50));
            let (t, c) = (Instant::now(), thread_cpu());
            let mut app = loading::start(opening, Vec::new());
            while loading::pump(&mut app, Duration::from_millis(4)) {}
            println!(
                "intake {:.1} ms, thread CPU {:.1} ms",
                ms(t.elapsed()),
                ms(thread_cpu() - c)
            );
            drop(app);
        }
        return;
    }
    if only == "list" {
        // Listing the files to read, which comes before any loader starts,
        // against the floor's own listing of the notes folder.
        for _ in 0..runs {
            let (mut store, _, _) = Store::load_head(&root).unwrap();
            let (mut ws, mut info) = (Default::default(), Default::default());
            let t = Instant::now();
            let files = store.list_rest(&mut ws, &mut info).unwrap();
            let listed = t.elapsed();
            let t = Instant::now();
            let paths: Vec<PathBuf> = std::fs::read_dir(root.join("notes"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            let plain = paths.len();
            println!(
                "list_rest {:.1} ms ({} files), read_dir of notes {:.1} ms ({plain})",
                ms(listed),
                files.len(),
                ms(t.elapsed())
            );
        }
        return;
    }
    if only == "keep" {
        for _ in 0..runs {
            let (_, c, w) = timed(|| floor_keep(&root));
            println!("floor keeping notes {:.1} ms, CPU {:.1} ms", ms(w), ms(c));
        }
        return;
    }
    if only == "floor" {
        for _ in 0..runs {
            let (_, c, w) = timed(|| floor(&root));
            println!("floor {:.1} ms, CPU {:.1} ms", ms(w), ms(c));
        }
        return;
    }
    let _ = floor(&root);
    let (mut f, mut l, mut p, mut i, mut ic) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut fc, mut lc, mut pc, mut icp) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let (_, c, w) = timed(|| floor(&root));
        f.push(w);
        fc.push(c);
        let (_, c, w) = timed(|| loaders_alone(&root));
        l.push(w);
        lc.push(c);
        let (_, c, w) = timed(|| plain(&root));
        p.push(w);
        pc.push(c);
        let (_, cp, (w, c)) = timed(|| interface(&root));
        i.push(w);
        ic.push(c);
        icp.push(cp);
    }
    let fcm = ms(median(fc.clone()));
    for (name, v) in [
        ("floor", fc),
        ("loaders alone", lc),
        ("Store::open", pc),
        ("interface", icp),
    ] {
        let m = ms(median(v));
        println!("CPU {name:<24} {m:8.1} ms  {:.2}x", m / fcm);
    }
    let fl = ms(median(f));
    let show = |name: &str, v: Vec<Duration>| {
        let m = ms(median(v));
        println!("{name:<28} {m:8.1} ms  {:.2}x", m / fl);
    };
    println!("{:<28} {fl:8.1} ms", "floor");
    show("loaders alone", l);
    show("Store::open", p);
    show("interface", i);
    println!(
        "{:<28} {:8.1} ms (CPU of the interface thread)",
        "interface thread",
        ms(median(ic))
    );
}
