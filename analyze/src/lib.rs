//! Pure domain logic of outcry: classifying posts, resolving regions, learning baselines,
//! detecting incidents, writing reports, simulating scenarios and evaluating detections.
//!
//! This crate takes values and returns values: no I/O, no clock, no tantivy, no network.
//! Data files (catalog, lexicons, gazetteer, scenarios) are passed in as text, so errors can name
//! the file and line; the bundled copies are compiled in so the tool works from anywhere.

pub mod catalog;
pub mod classify;
pub mod data;
pub mod detect;
pub mod eval;
pub mod lexicon;
pub mod region;
pub mod report;
pub mod simulate;
mod sketch;
mod str_table;
pub mod text;
mod u64_table;
