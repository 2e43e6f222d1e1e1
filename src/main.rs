//! The `outcry` binary: parse flags, run the command, map errors to exit codes.

use clap::Parser;
use std::io::ErrorKind;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = outcry::cli::Cli::parse();
    outcry::cli::init_logging(cli.verbose);
    match outcry::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `outcry search ... | head` closes our stdout: that is a clean exit, not an error.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
