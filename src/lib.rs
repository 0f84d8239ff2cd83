//! valuemap: persona-based product discovery in the terminal.
//!
//! The library holds everything that can be tested without a terminal: the
//! model ([`model`]), the RON store ([`store`]), the bundled templates
//! ([`template`]) and the command line ([`cli`]). The terminal interface lives
//! in [`tui`].

pub mod capture;
pub mod cli;
pub mod delivery;
pub mod diff;
pub mod export;
pub mod fuzzy;
pub mod githistory;
pub mod import;
pub mod merge;
pub mod model;
pub mod names;
pub mod policy;
pub mod search;
pub mod store;
pub mod synth;
pub mod synthesis;
pub mod template;
pub mod text;
pub mod tui;

/// The allocator valuemap's programs use (the app, and the benches and
/// examples that measure it): jemalloc. Opening a workspace allocates
/// hundreds of thousands of small, long-lived blocks on several threads
/// at once; glibc's malloc grows each thread's arena a page at a time (an
/// `mprotect` call per page), and a whole load takes about 4-9% longer
/// with it (see `docs/performance.md`). Each program declares it with
/// [`allocator!`], which also gives jemalloc [`MALLOC_CONF`].
#[cfg(not(target_env = "msvc"))]
pub type Allocator = tikv_jemallocator::Jemalloc;
#[cfg(not(target_env = "msvc"))]
pub const ALLOCATOR: Allocator = tikv_jemallocator::Jemalloc;
/// The system's allocator where jemalloc is not built (MSVC).
#[cfg(target_env = "msvc")]
pub type Allocator = std::alloc::System;
#[cfg(target_env = "msvc")]
pub const ALLOCATOR: Allocator = std::alloc::System;

/// jemalloc's options, as a C string for its `malloc_conf` symbol.
#[doc(hidden)]
#[repr(transparent)]
pub struct MallocConf(pub *const std::ffi::c_char);
// SAFETY: a pointer to a string in the program's read-only data, never
// written.
unsafe impl Sync for MallocConf {}

/// The options valuemap's programs give jemalloc: one arena for every
/// thread. jemalloc's default (four arenas per core) keeps what each
/// loader thread frees (its listing, its batches) in that thread's arena,
/// where the notes other threads keep cannot use it: at 300,000 notes
/// the peak is ~15 MB higher, and a load no faster. Each thread still
/// allocates from its own cache. `_RJEM_MALLOC_CONF` in the environment
/// overrides it.
pub const MALLOC_CONF: MallocConf = MallocConf(c"narenas:1".as_ptr());

/// Declares valuemap's allocator, with its options, in a program:
///
/// ```no_run
/// valuemap::allocator!();
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! allocator {
    () => {
        #[global_allocator]
        static ALLOCATOR: $crate::Allocator = $crate::ALLOCATOR;
        // The name jemalloc reads its options from (tikv-jemalloc-sys
        // prefixes jemalloc's symbols).
        #[cfg(not(target_env = "msvc"))]
        #[unsafe(export_name = "_rjem_malloc_conf")]
        #[used]
        static MALLOC_CONF: $crate::MallocConf = $crate::MALLOC_CONF;
    };
}
