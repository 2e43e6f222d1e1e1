//! The `outcry` command-line tool: it wires the crates together (sources from `outcry-ingest`,
//! classification and detection from `outcry-analyze`, storage from `outcry-index`) and talks to
//! people. Domain logic lives in the crates; this package owns flags, files, terminals, exit codes
//! and the indexing pipeline that joins sources to the index.

pub mod cli;
pub mod commands;
pub mod data_dir;
pub mod live;
pub mod pipeline;
pub mod time_arg;
