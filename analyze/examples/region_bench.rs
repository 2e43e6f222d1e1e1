//! Benchmark of the region resolver (owner: H-gazetteer): how long building the bundled
//! gazetteer takes, and the cost of one `resolve_location` and one `find_in_text` call on
//! realistic location fields and posts in the 14 languages.
//!
//! ```sh
//! cargo run --release -p outcry-analyze --example region_bench
//! ```
//!
//! It checks the answers before timing them, so it cannot silently measure nothing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use outcry_analyze::region::{Gazetteer, confident_codes};

/// Profile location fields as people write them, with the codes they must give.
const LOCATIONS: &[(&str, &[&str])] = &[
    ("SP 🇧🇷", &["BR", "BR-SP"]),
    ("somewhere in ohio", &["US", "US-OH"]),
    ("NYC", &["US", "US-NY"]),
    ("Depew, NY", &["US", "US-NY"]),
    ("London / Lagos", &["GB", "GB-ENG", "NG"]),
    ("☀️", &[]),
    ("São Paulo, Brasil", &["BR", "BR-SP"]),
    ("Paris, TX", &["US", "US-TX"]),
    ("Atlanta, Georgia", &["US", "US-GA"]),
    ("Mumbai, India", &["IN", "IN-MH"]),
    ("Deutschland", &["DE"]),
    ("東京", &["JP"]),
    ("Москва", &["RU"]),
    ("she/her", &[]),
    ("the internet", &[]),
    ("Rio de Janeiro - RJ", &["BR", "BR-RJ"]),
    ("Toronto, ON", &["CA", "CA-ON"]),
    ("CDMX 🇲🇽", &["MX", "MX-CMX"]),
    ("Berlin", &["DE", "DE-BE"]),
    ("in your walls 👻", &[]),
];

/// Posts, most without a place, as the classifier sees them.
const POSTS: &[&str] = &[
    "whatsapp messages stuck on one tick for like 30 mins now?? anyone else #WhatsAppDown",
    "is instagram down in London right now or is it just me",
    "yt videos buffering forever on every single device. wifi is fine, speedtest says 300mbps",
    "caiu o zap aqui em São Paulo, alguém mais?",
    "no me carga whatsapp desde hace una hora 😡",
    "ça marche plus instagram, quelqu'un d'autre ?",
    "YouTube geht nicht, nur schwarzer Bildschirm",
    "instagram non va da stamattina a Milano",
    "twitter doet het niet meer in Amsterdam",
    "twitter mı çöktü benim internet mi gitti anlamadım",
    "instagram lagi gangguan? gak ada yang bisa ke-load di Jakarta",
    "ютуб не работает в России уже час",
    "LINEが落ちてる？メッセージ送れない #LINE障害",
    "इंस्टाग्राम नहीं चल रहा दिल्ली में",
    "الواتساب واقع في مصر؟ الرسايل ما توصل",
    "netflix nie działa w Polsce od rana",
    "Meta shares down 3% after earnings, lol",
    "Discord is down again, can't join voice 🙃",
];

fn per_call(elapsed: Duration, calls: usize) -> f64 {
    elapsed.as_secs_f64() * 1e9 / calls as f64
}

fn main() {
    let start = Instant::now();
    let gazetteer = Gazetteer::builtin();
    let build = start.elapsed();
    let counts = gazetteer.counts();

    for (location, want) in LOCATIONS {
        let got = confident_codes(&gazetteer.resolve_location(location));
        assert_eq!(got, *want, "resolve_location({location:?})");
    }
    let found: usize = POSTS.iter().map(|p| gazetteer.find_in_text(p).len()).sum();
    assert!(
        found >= 8,
        "find_in_text found only {found} places in the posts"
    );

    let rounds = 20_000;
    let start = Instant::now();
    for _ in 0..rounds {
        for (location, _) in LOCATIONS {
            black_box(gazetteer.resolve_location(black_box(location)));
        }
    }
    let location_ns = per_call(start.elapsed(), rounds * LOCATIONS.len());
    let start = Instant::now();
    for _ in 0..rounds {
        for post in POSTS {
            black_box(gazetteer.find_in_text(black_box(post)));
        }
    }
    let text_ns = per_call(start.elapsed(), rounds * POSTS.len());
    let ascii: Vec<&str> = POSTS.iter().copied().filter(|p| p.is_ascii()).collect();
    let start = Instant::now();
    for _ in 0..rounds {
        for post in &ascii {
            black_box(gazetteer.find_in_text(black_box(post)));
        }
    }
    let ascii_ns = per_call(start.elapsed(), rounds * ascii.len());

    println!(
        "gazetteer: {} countries, {} subdivisions, {} cities, {} distinct names; built in {:.0} ms",
        counts.countries,
        counts.subdivisions,
        counts.cities,
        counts.names,
        build.as_secs_f64() * 1e3
    );
    println!(
        "resolve_location: {:.2} µs per call ({} fields)",
        location_ns / 1e3,
        LOCATIONS.len()
    );
    println!(
        "find_in_text:     {:.2} µs per call ({} posts, 14 languages)",
        text_ns / 1e3,
        POSTS.len()
    );
    println!(
        "find_in_text:     {:.2} µs per call (the {} ASCII posts)",
        ascii_ns / 1e3,
        ascii.len()
    );
}
