//! Benchmark of the region resolver (owner: H-gazetteer): how long building the bundled
//! gazetteer takes, and the cost of one `resolve_location` and one `find_in_text` call on
//! realistic location fields and posts in the 14 languages.
//!
//! ```sh
//! cargo run --release -p outcry-analyze --example region_bench
//! ```
//!
//! `REGION_BENCH_ROUNDS` changes the number of rounds (default 20,000) and
//! `REGION_BENCH_ONLY=location|text|ascii` times one loop only, so that instruction counts can
//! be taken under `valgrind --tool=callgrind` (the difference between two round counts,
//! divided by the extra calls, is the cost of one call whatever the machine's load).
//!
//! It checks the answers before timing them, so it cannot silently measure nothing. Each figure
//! is printed as wall time and as the CPU time of the measuring thread (from
//! `/proc/thread-self/schedstat`, Linux), which stays meaningful on a busy shared machine.

use std::hint::black_box;
use std::time::Instant;

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

/// Nanoseconds this thread has run on a CPU, when the kernel says (Linux).
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Wall and CPU time of `f`, in nanoseconds (CPU time 0 when unknown).
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let cpu_start = thread_cpu_ns();
    let start = Instant::now();
    f();
    let wall = start.elapsed().as_secs_f64() * 1e9;
    let cpu = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) => b.saturating_sub(a) as f64,
        _ => 0.0,
    };
    (wall, cpu)
}

/// "1.23 µs per call (CPU 0.98 µs)" for `calls` calls that took `(wall, cpu)` nanoseconds.
fn per_call((wall, cpu): (f64, f64), calls: usize) -> String {
    let calls = calls.max(1) as f64;
    format!(
        "{:.2} µs per call (CPU {:.2} µs)",
        wall / calls / 1e3,
        cpu / calls / 1e3
    )
}

fn main() {
    let mut gazetteer = None;
    let first_build = timed(|| gazetteer = Some(Gazetteer::builtin()));
    let gazetteer = gazetteer.unwrap_or_else(Gazetteer::builtin);
    let counts = gazetteer.counts();
    // Later builds of the same files, best of three, without the first touch of the pages.
    let rebuild = (0..3)
        .map(|_| {
            timed(|| {
                black_box(Gazetteer::from_files(Gazetteer::bundled_files()).is_ok());
            })
        })
        .fold((f64::MAX, f64::MAX), |a, b| (a.0.min(b.0), a.1.min(b.1)));

    for (location, want) in LOCATIONS {
        let got = confident_codes(&gazetteer.resolve_location(location));
        assert_eq!(got, *want, "resolve_location({location:?})");
    }
    let found: usize = POSTS.iter().map(|p| gazetteer.find_in_text(p).len()).sum();
    assert!(
        found >= 8,
        "find_in_text found only {found} places in the posts"
    );

    let rounds: usize = std::env::var("REGION_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let only = std::env::var("REGION_BENCH_ONLY").unwrap_or_default();
    let rounds_of = |loop_name: &str| {
        if only.is_empty() || only == loop_name {
            rounds
        } else {
            0
        }
    };
    let location_rounds = rounds_of("location");
    let location = timed(|| {
        for _ in 0..location_rounds {
            for (location, _) in LOCATIONS {
                black_box(gazetteer.resolve_location(black_box(location)));
            }
        }
    });
    let text_rounds = rounds_of("text");
    let text = timed(|| {
        for _ in 0..text_rounds {
            for post in POSTS {
                black_box(gazetteer.find_in_text(black_box(post)));
            }
        }
    });
    let ascii: Vec<&str> = POSTS.iter().copied().filter(|p| p.is_ascii()).collect();
    let ascii_rounds = rounds_of("ascii");
    let ascii_text = timed(|| {
        for _ in 0..ascii_rounds {
            for post in &ascii {
                black_box(gazetteer.find_in_text(black_box(post)));
            }
        }
    });

    println!(
        "gazetteer: {} countries, {} subdivisions, {} cities, {} distinct names",
        counts.countries, counts.subdivisions, counts.cities, counts.names,
    );
    println!(
        "first build (builtin): {:.0} ms (CPU {:.0} ms); later builds (from_files, best of 3): {:.0} ms (CPU {:.0} ms)",
        first_build.0 / 1e6,
        first_build.1 / 1e6,
        rebuild.0 / 1e6,
        rebuild.1 / 1e6
    );
    println!(
        "resolve_location: {} ({} fields)",
        per_call(location, location_rounds * LOCATIONS.len()),
        LOCATIONS.len()
    );
    println!(
        "find_in_text:     {} ({} posts, 14 languages)",
        per_call(text, text_rounds * POSTS.len()),
        POSTS.len()
    );
    println!(
        "find_in_text:     {} (the {} ASCII posts)",
        per_call(ascii_text, ascii_rounds * ascii.len()),
        ascii.len()
    );
}
