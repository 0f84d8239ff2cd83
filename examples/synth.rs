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
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let ws = workspace(Shape {
        seed: args.seed,
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
