//! Classification throughput on a generated, realistic mixed corpus (complaints, traps,
//! ordinary chatter; seven languages; a few hundred profile locations), classified on one thread.
//!
//! Run: `cargo bench -p outcry-analyze --bench classify` (set `OUTCRY_BENCH_POSTS` to change the
//! corpus size, default 1,000,000). The corpus is deterministic and every template's expected
//! verdict is known, so the benchmark asserts the exact number of complaints: it cannot
//! silently measure a classifier that finds nothing.

use chrono::DateTime;
use outcry_analyze::classify::Classifier;
use outcry_model::{Post, PostKind};
use std::time::Instant;

/// The allocator of the `outcry` binary, so the figure is the one the tool gets.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// (template, is it a complaint?). `{p}` is replaced by a platform name.
const TEMPLATES: &[(&str, bool)] = &[
    (
        "is {p} down for anyone else?? my messages are just not going",
        true,
    ),
    (
        "{p} not working again. can't log in, keeps saying something went wrong 😤",
        true,
    ),
    ("ugh {p} keeps crashing every time i open it", true),
    ("#{p}down again... seriously", true),
    (
        "{p} won't load anything, feed is just blank. is it down rn",
        true,
    ),
    (
        "se cayó {p}?? no me envía los mensajes desde hace media hora",
        true,
    ),
    ("caiu o {p}? não carrega nada aqui kkkk", true),
    (
        "{p} ne marche plus depuis ce matin, impossible de se connecter",
        true,
    ),
    (
        "{p} geht mal wieder nicht, nachrichten kommen nicht an",
        true,
    ),
    ("{p} non funziona, non carica niente da un'ora", true),
    ("{p} werkt niet, storing of alleen bij mij?", true),
    ("{p} is back up, finally", false),
    ("{p} was down yesterday for like 2 hours, wild", false),
    (
        "Meta shares down 3% after earnings, {p} ad revenue slowing",
        false,
    ),
    ("my phone broke so no {p} for me this week", false),
    ("calm down, {p} isn't real life", false),
    ("I'm down to play later if anyone is on {p}", false),
    (
        "thumbs down to the new {p} layout, who asked for this",
        false,
    ),
    (
        "new post on {p}! go check it out 📸 https://example.com/p/123",
        false,
    ),
    ("{p} isn't down, it's your wifi bro", false),
    (
        "the mall is down the road, posting pics on {p} later",
        false,
    ),
    ("mándame las fotos por {p} porfa", false),
    ("postei foto nova no {p} 📸", false),
    (
        "just had the best coffee of my life, no platform talk today",
        false,
    ),
];

const PLATFORMS: &[&str] = &[
    "whatsapp",
    "instagram",
    "youtube",
    "twitter",
    "spotify",
    "netflix",
    "tiktok",
    "facebook",
    "snapchat",
    "telegram",
    "reddit",
    "gmail",
    "roblox",
];

/// Profile locations as people write them: cities with and without their state or country,
/// regions, countries, a few in their own scripts, flags and emoji, jokes and pronouns. Each is
/// also written in the variants of [`location_variant`], which makes a few hundred distinct
/// fields; [`location`] draws them with a skewed (Zipf-like) distribution, as real streams
/// repeat some places far more than others.
const PLACES: &[&str] = &[
    "Depew, NY",
    "São Paulo",
    "London, UK",
    "☀️",
    "Lagos, Nigeria",
    "Berlin",
    "Paris, France",
    "Toronto, ON",
    "Manila",
    "Jakarta, Indonesia",
    "CDMX",
    "Buenos Aires",
    "Madrid",
    "Barcelona, España",
    "Roma",
    "Milano, Italia",
    "Amsterdam",
    "Köln",
    "München",
    "Wien",
    "Lisboa, Portugal",
    "Rio de Janeiro, Brasil",
    "Belo Horizonte - MG",
    "Bogotá, Colombia",
    "Lima, Perú",
    "Santiago de Chile",
    "Chicago, IL",
    "Los Angeles, CA",
    "Austin, TX",
    "Seattle",
    "NYC",
    "Brooklyn, NY",
    "Atlanta, GA",
    "Miami, FL",
    "Dublin, Ireland",
    "Glasgow, Scotland",
    "Manchester",
    "Sydney, Australia",
    "Melbourne",
    "Auckland, New Zealand",
    "Mumbai, India",
    "Bangalore",
    "Karachi",
    "Dubai, UAE",
    "القاهرة",
    "Istanbul",
    "東京",
    "Seoul",
    "Kyiv, Ukraine",
    "Warszawa",
    "Lyon",
    "Bruxelles",
    "Montréal, QC",
    "Vancouver, BC",
    "Nairobi, Kenya",
    "Johannesburg",
    "Texas",
    "California",
    "Ontario, Canada",
    "Bavaria",
    "Brasil",
    "Deutschland",
    "España",
    "USA",
    "UK",
    "Earth",
    "the internet",
    "she/her",
    "somewhere over the rainbow",
    "🌈",
    "🇧🇷",
    "🇺🇸",
    "Planet Earth 🌍",
    "ur mom's house",
    "he/him | 23",
    "NY ✈️ LA",
    "Bay Area",
    "Pacific Northwest",
    "Midwest",
    "in my head",
];

/// The `k`-th way of writing a place (`k < 5`): as listed, lower case, upper case, after a
/// pin, or with a second place after a slash.
fn location_variant(place: &str, k: usize, other: &str) -> String {
    match k {
        0 => place.to_string(),
        1 => place.to_lowercase(),
        2 => place.to_uppercase(),
        3 => format!("📍 {place}"),
        _ => format!("{place} / {other}"),
    }
}

/// The profile location of a post, from the high bits of its random draw (the low bits choose
/// the template and the platform): none for three posts in seven, as before; otherwise field
/// `i` of the `5 * PLACES.len()` distinct fields with a probability of about `1 / (i + 1)`.
fn location(r: u64) -> Option<String> {
    if (r >> 32) % 7 < 3 {
        return None;
    }
    let fields = 5 * PLACES.len();
    // `u` uniform in [0, 1); `exp(u * ln(fields + 1)) - 1` is Zipf-like over 0..fields.
    let u = (r >> 40) as f64 / (1u64 << 24) as f64;
    let i = (((fields + 1) as f64).powf(u) - 1.0) as usize;
    let i = i.min(fields - 1);
    // The most frequent fields are the places as listed, then their variants.
    let (k, place) = (i / PLACES.len(), i % PLACES.len());
    let other = PLACES[(place * 7 + 3) % PLACES.len()];
    Some(location_variant(PLACES[place], k, other))
}

fn corpus(n: usize) -> (Vec<Post>, usize) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift64*: deterministic, fast, good enough to mix templates.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let created_at = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    let mut posts = Vec::with_capacity(n);
    let mut complaints = 0;
    for i in 0..n {
        let r = next();
        let (template, complaint) = TEMPLATES[(r % TEMPLATES.len() as u64) as usize];
        let platform = PLATFORMS[((r >> 16) % PLATFORMS.len() as u64) as usize];
        complaints += complaint as usize;
        posts.push(Post {
            source: "bench".into(),
            id: i.to_string(),
            created_at,
            kind: PostKind::Post,
            service: None,
            text: template.replace("{p}", platform),
            lang: None,
            author: None,
            location: location(r),
            geo: None,
            url: None,
            region_hint: None,
        });
    }
    (posts, complaints)
}

/// CPU seconds this process has used (user + system), from /proc/self/stat on Linux, so the
/// figure stays meaningful on a busy shared machine where wall time includes waiting.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let n: usize = std::env::var("OUTCRY_BENCH_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let classifier = Classifier::builtin();
    let (posts, expected) = corpus(n);
    // Warm up (thread-local buffers, the gazetteer's lazy load).
    for post in posts.iter().take(1000) {
        std::hint::black_box(classifier.classify(post));
    }
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut complaints = 0usize;
    for post in &posts {
        complaints += classifier.classify(std::hint::black_box(post)).complaint as usize;
    }
    let elapsed = start.elapsed();
    if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
        let cpu = (b - a).max(0.01);
        println!(
            "classify: {:.2} CPU s: {:.0} posts per CPU second (one core)",
            cpu,
            n as f64 / cpu
        );
    }
    let rate = n as f64 / elapsed.as_secs_f64();
    println!(
        "classify: {n} posts in {:.3} s on one thread: {:.0} posts/s ({:.2} µs/post); {complaints} complaints",
        elapsed.as_secs_f64(),
        rate,
        elapsed.as_secs_f64() * 1e6 / n as f64
    );
    assert_eq!(
        complaints, expected,
        "the corpus has {expected} complaint posts by construction"
    );
}
