//! What the classifier says about one post.

use serde::{Deserialize, Serialize};

/// How a problem shows, like Downdetector's "problem types".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Symptom {
    /// Cannot log in, logged out, 2FA codes not arriving.
    Login,
    /// Messages not sending or not arriving, stuck on one tick.
    Messaging,
    /// Feed, timeline or pages not loading or refreshing.
    Feed,
    /// Voice or video calls failing.
    Calls,
    /// Photos, videos, stories or uploads failing.
    Media,
    /// Payments, checkout, transfers failing.
    Payments,
    /// Cannot connect, server errors, no service, network errors.
    Connectivity,
    /// The app crashes, freezes or will not open.
    Crash,
    /// Notifications missing or late.
    Notifications,
    /// Streams or music not playing, buffering.
    Playback,
    /// Any other problem.
    Other,
}

/// Every symptom kind, in a stable order.
pub const SYMPTOM_KINDS: [Symptom; 11] = [
    Symptom::Login,
    Symptom::Messaging,
    Symptom::Feed,
    Symptom::Calls,
    Symptom::Media,
    Symptom::Payments,
    Symptom::Connectivity,
    Symptom::Crash,
    Symptom::Notifications,
    Symptom::Playback,
    Symptom::Other,
];

impl Symptom {
    /// The lowercase name used in data files, JSON and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Symptom::Login => "login",
            Symptom::Messaging => "messaging",
            Symptom::Feed => "feed",
            Symptom::Calls => "calls",
            Symptom::Media => "media",
            Symptom::Payments => "payments",
            Symptom::Connectivity => "connectivity",
            Symptom::Crash => "crash",
            Symptom::Notifications => "notifications",
            Symptom::Playback => "playback",
            Symptom::Other => "other",
        }
    }

    /// The symptom named `name` (as written by [`Symptom::as_str`]), if any.
    pub fn parse(name: &str) -> Option<Symptom> {
        SYMPTOM_KINDS.iter().copied().find(|s| s.as_str() == name)
    }

    /// A bit for this symptom, for compact sets.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl std::fmt::Display for Symptom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The classification of one post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Catalog ids of the platforms the post is about, sorted, without duplicates.
    pub platforms: Vec<String>,
    /// Providers (`meta`, `google`...) of those platforms, sorted, without duplicates.
    pub providers: Vec<String>,
    /// The author reports or asks about a current problem with the service itself.
    pub complaint: bool,
    /// The author says the service works again.
    pub recovery: bool,
    /// How the problem shows, sorted, without duplicates.
    pub symptoms: Vec<Symptom>,
    /// ISO 639-1 language code, given or detected; `und` when unknown.
    pub lang: String,
    /// ISO 3166-1 alpha-2 or ISO 3166-2 codes named in the text or location, sorted.
    pub regions: Vec<String>,
}
