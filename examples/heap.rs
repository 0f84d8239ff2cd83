//! Reports live heap bytes after opening a workspace (counting allocator).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(n, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mb(n: usize) -> f64 {
    n as f64 / 1e6
}

fn main() {
    let path: std::path::PathBuf = std::env::args_os().nth(1).unwrap().into();
    let (store, ws, _) = valuemap::store::Store::open(&path).unwrap();
    println!(
        "after open: live {:.1} MB, peak {:.1} MB",
        mb(LIVE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed))
    );
    let notes: usize = ws
        .notes
        .values()
        .map(|n| n.body.len() + n.title.len() + n.interviewee.len())
        .sum();
    println!("note text bytes {:.1} MB", mb(notes));
    drop(store);
    println!(
        "without store: live {:.1} MB",
        mb(LIVE.load(Ordering::Relaxed))
    );
    let app = valuemap::tui::app::App::new(ws, None);
    println!(
        "app: live {:.1} MB, peak {:.1} MB ({} notes)",
        mb(LIVE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed)),
        app.ws.notes.len()
    );
}
