//! One module per command; each takes its checked arguments and returns an exit code.

mod classify;
mod ingest;
mod report;
mod search;
mod simulate;
mod stats;

use crate::cli::{Cli, Command};
use anyhow::Result;
use std::process::ExitCode;

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let data = cli.data.as_deref();
    match cli.command {
        Command::Ingest(args) => ingest::run(args, data),
        Command::Search(args) => search::run(args),
        Command::Classify(args) => classify::run(args, data),
        Command::Stats(args) => stats::run(args),
        Command::Report(args) => report::run(args, data),
        Command::Simulate(args) => simulate::run_simulate(args),
        Command::Eval(args) => simulate::run_eval(args),
        Command::Demo(args) => simulate::run_demo(args, data),
        Command::Sources(args) => crate::live::run_sources_check(&args.config, data),
    }
}

/// Groups digits by thousands for people: 1234567 → "1,234,567" (the reports' own helper).
pub use outcry_analyze::report::thousands;

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
