//! The `outcry` binary: parse flags, run the command, map errors to exit codes.

use clap::Parser;
use std::io::ErrorKind;
use std::process::ExitCode;

/// jemalloc instead of the system allocator: with glibc's malloc, freed memory stayed in the
/// per-thread arenas of tantivy's indexing and merge threads, so a live ingest's resident memory
/// kept growing (314 to 699 MB over 1M posts); jemalloc gives it back (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = outcry::cli::Cli::parse();
    outcry::cli::init_logging(cli.verbose);
    match outcry::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `outcry search ... | head` closes our stdout: that is a clean exit, not an error.
            if err.chain().any(is_broken_pipe) {
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

fn is_broken_pipe(cause: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        return io.kind() == ErrorKind::BrokenPipe;
    }
    // serde_json wraps the io::Error of the writer it was given.
    cause
        .downcast_ref::<serde_json::Error>()
        .and_then(serde_json::Error::io_error_kind)
        == Some(ErrorKind::BrokenPipe)
}
