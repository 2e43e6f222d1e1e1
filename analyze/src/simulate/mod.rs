//! The scenario simulator: realistic post streams with known incidents and decoys, so detection
//! can be measured against a truth.
//!
//! A scenario (`data/scenarios/*.toml`) describes an audience (regions with time zones, weights,
//! languages and messy declared locations), platforms with their usual mention and complaint
//! rates, true incidents (ramp, plateau, recovery, regions, symptoms) and decoys (launch spikes,
//! memes, bot floods, ingest gaps, news waves). [`simulate`] turns it into post records in time
//! order, written from the phrase book `data/scenarios/phrases.toml` in many languages, and
//! [`Truth`] says what really happened. Pure: seeded `StdRng`, no clock, no I/O (the binary
//! writes `posts.jsonl.gz` and `truth.json`). It owns `analyze/src/simulate/` and
//! `data/scenarios/`, and must not reach into detection or the classifier.
//!
//! ```
//! use outcry_analyze::simulate::{Scenario, simulate};
//!
//! let scenario = Scenario::bundled("small-instance").unwrap();
//! let mut sim = simulate(&scenario, 7);
//! let first = sim.next().unwrap();
//! assert!(first.to_json_line().starts_with("{\"id\":"));
//! let truth = sim.truth();
//! assert!(!truth.incidents.is_empty());
//! ```

mod generate;
mod phrases;
mod scenario;
mod truth;

pub use generate::{Intent, PostLabel, SimPost, SimStats, Simulation, simulate, truth};
pub use phrases::{CATEGORIES, Category, LanguagePhrases, PhraseBook};
pub use scenario::{
    AuthorPool, DEFAULT_DAILY_CYCLE, Decoy, DecoyKind, Incident, Platform, Region, Scenario,
};
pub use truth::{RegionWeight, SymptomShare, TrueDecoy, TrueIncident, Truth};

use crate::data::{DataError, DataFile};
use std::sync::OnceLock;

/// The phrase book compiled into the binary.
const BUNDLED_PHRASES: DataFile<'static> = DataFile {
    name: "data/scenarios/phrases.toml",
    text: include_str!("../../../data/scenarios/phrases.toml"),
};

/// The bundled scenarios, by name.
const BUNDLED: [DataFile<'static>; 8] = [
    DataFile {
        name: "data/scenarios/meta-2021.toml",
        text: include_str!("../../../data/scenarios/meta-2021.toml"),
    },
    DataFile {
        name: "data/scenarios/week.toml",
        text: include_str!("../../../data/scenarios/week.toml"),
    },
    DataFile {
        name: "data/scenarios/small-instance.toml",
        text: include_str!("../../../data/scenarios/small-instance.toml"),
    },
    DataFile {
        name: "data/scenarios/regional.toml",
        text: include_str!("../../../data/scenarios/regional.toml"),
    },
    DataFile {
        name: "data/scenarios/fresh.toml",
        text: include_str!("../../../data/scenarios/fresh.toml"),
    },
    DataFile {
        name: "data/scenarios/fresh2.toml",
        text: include_str!("../../../data/scenarios/fresh2.toml"),
    },
    DataFile {
        name: "data/scenarios/fresh3.toml",
        text: include_str!("../../../data/scenarios/fresh3.toml"),
    },
    DataFile {
        name: "data/scenarios/quiet-regions.toml",
        text: include_str!("../../../data/scenarios/quiet-regions.toml"),
    },
];

/// Names of the bundled scenarios (`outcry simulate --scenario NAME`).
pub const BUNDLED_SCENARIOS: [&str; 8] = [
    "meta-2021",
    "week",
    "small-instance",
    "regional",
    "fresh",
    "fresh2",
    "fresh3",
    "quiet-regions",
];

/// The scenario `outcry demo` plays.
pub const DEMO_SCENARIO: &str = "meta-2021";

impl PhraseBook {
    /// The bundled phrase book (`data/scenarios/phrases.toml`), parsed once.
    pub fn builtin() -> Result<&'static PhraseBook, DataError> {
        static BOOK: OnceLock<Result<PhraseBook, DataError>> = OnceLock::new();
        BOOK.get_or_init(|| PhraseBook::parse(BUNDLED_PHRASES))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Scenario {
    /// Parses and validates a scenario file, writing posts from the bundled phrase book.
    pub fn parse(file: DataFile<'_>) -> Result<Scenario, DataError> {
        Scenario::parse_with_phrases(file, PhraseBook::builtin()?.clone())
    }

    /// The bundled scenario called `name` (see [`BUNDLED_SCENARIOS`]); an unknown name is an
    /// error that lists the known ones.
    pub fn bundled(name: &str) -> Result<Scenario, DataError> {
        let Some(i) = BUNDLED_SCENARIOS.iter().position(|n| *n == name) else {
            return Err(DataError {
                file: format!("data/scenarios/{name}.toml"),
                line: 0,
                message: format!("there is no bundled scenario called {name:?}"),
                fix: format!(
                    "use one of {} or the path of a scenario file",
                    BUNDLED_SCENARIOS.join(", ")
                ),
            });
        };
        Scenario::parse(BUNDLED[i])
    }
}

#[cfg(test)]
mod tests;
