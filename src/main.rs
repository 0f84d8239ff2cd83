valuemap::allocator!();

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use valuemap::cli::{self, Cli};
use valuemap::tui::Ended;

fn main() -> ExitCode {
    let args = Cli::parse();
    if let Some(cmd) = args.command {
        return cli::run(cmd);
    }
    if let Err(e) = color_eyre::install() {
        cli::print_error(e);
        return ExitCode::FAILURE;
    }
    let path = match cli::resolve_tui_path(args.path) {
        Ok(p) => p,
        Err(e) => {
            cli::print_error(e);
            return ExitCode::FAILURE;
        }
    };
    match valuemap::tui::run(&path) {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::Signal(code)) => {
            // The terminal may be gone: a failed write must not turn into a panic.
            let _ = writeln!(
                std::io::stderr(),
                "valuemap: session ended by a signal or a closed terminal; unsaved changes were kept for recovery"
            );
            ExitCode::from(code)
        }
        Err(e) => {
            valuemap::tui::restore();
            cli::print_error(format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}
