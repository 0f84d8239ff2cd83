//! Writes a synthetic workspace for benchmarks and trials at scale:
//!
//! ```sh
//! cargo run --release --example synth -- /tmp/big --notes 100000
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use valuemap::store::Store;
use valuemap::synth::{Shape, workspace};

/// Generate a synthetic valuemap workspace.
#[derive(Parser)]
struct Args {
    /// Folder to create (must not exist)
    out: PathBuf,
    /// How many interview notes
    #[arg(long, default_value_t = 10_000)]
    notes: usize,
    /// Random seed (the same seed gives the same workspace)
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Pad each note with more lines up to about this many bytes (0: about
    /// 300 bytes each)
    #[arg(long, default_value_t = 0)]
    note_bytes: usize,
    /// How many opportunities (default: one per ten notes)
    #[arg(long)]
    opportunities: Option<usize>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let ws = workspace(Shape {
        seed: args.seed,
        note_bytes: args.note_bytes,
        opportunities_per_note: args
            .opportunities
            .map_or(0.1, |o| o as f64 / args.notes.max(1) as f64),
        ..Shape::notes(args.notes)
    });
    let generated = started.elapsed();
    match Store::create(&args.out, &ws) {
        Ok(_) => {
            println!(
                "wrote {} ({} notes, {} opportunities, {} metrics) in {:.1?} (generated in {:.1?})",
                args.out.display(),
                ws.notes.len(),
                ws.opportunities.len(),
                ws.metrics.len(),
                started.elapsed(),
                generated
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
