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
/// with it (see `docs/performance.md`). Each program declares it:
///
/// ```no_run
/// #[global_allocator]
/// static ALLOCATOR: valuemap::Allocator = valuemap::ALLOCATOR;
/// # fn main() {}
/// ```
#[cfg(not(target_env = "msvc"))]
pub type Allocator = tikv_jemallocator::Jemalloc;
#[cfg(not(target_env = "msvc"))]
pub const ALLOCATOR: Allocator = tikv_jemallocator::Jemalloc;
/// The system's allocator where jemalloc is not built (MSVC).
#[cfg(target_env = "msvc")]
pub type Allocator = std::alloc::System;
#[cfg(target_env = "msvc")]
pub const ALLOCATOR: Allocator = std::alloc::System;
