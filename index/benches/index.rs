//! Index benchmark on a generated corpus: indexing throughput (add + commit), peak memory,
//! phrase-query latency and `observations()` time.
//!
//! Run with `cargo bench -p outcry-index --bench index` (release). `OUTCRY_BENCH_POSTS` sets
//! the corpus size (default 1,000,000). The corpus is generated deterministically: varied
//! multilingual posts with platform names, complaints, traps and noise, about 140 characters on
//! average, with plausible classifications. Every measurement asserts a known result, so the
//! benchmark cannot silently measure nothing.

use chrono::{DateTime, Duration, TimeZone, Utc};
use outcry_index::{PostIndex, SearchRequest, SortOrder};
use outcry_model::{AuthorHash, Classification, Post, PostKind, Symptom, VolumeCount};
use std::time::Instant;

/// The pipeline's defaults (src/pipeline.rs): 200 MiB of indexing memory, a commit every
/// 100,000 documents.
const WRITER_MEMORY: usize = 200 << 20;
const COMMIT_EVERY: usize = 100_000;
/// Posts generated and indexed per chunk, so the corpus never sits in memory whole.
const CHUNK: usize = 50_000;
/// The corpus spans a week.
const SPAN_SECONDS: i64 = 7 * 24 * 3600;

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// (platform id, how people write it, provider).
const PLATFORMS: [(&str, &str, &str); 16] = [
    ("whatsapp", "WhatsApp", "meta"),
    ("instagram", "Instagram", "meta"),
    ("facebook", "Facebook", "meta"),
    ("youtube", "YouTube", "google"),
    ("gmail", "Gmail", "google"),
    ("outlook", "Outlook", "microsoft"),
    ("microsoft-teams", "Teams", "microsoft"),
    ("discord", "Discord", ""),
    ("netflix", "Netflix", ""),
    ("spotify", "Spotify", ""),
    ("tiktok", "TikTok", ""),
    ("telegram", "Telegram", ""),
    ("x", "Twitter", ""),
    ("steam", "Steam", ""),
    ("github", "GitHub", ""),
    ("chatgpt", "ChatGPT", ""),
];

/// (lang, complaint templates, ordinary templates, filler words). `{p}` is the platform.
type Language = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const LANGUAGES: [Language; 7] = [
    (
        "en",
        &[
            "{p} is down again, can't even log in",
            "is {p} down for anyone else? it isn't working here",
            "{p} stopped working in the middle of a call",
            "{p} not working, messages stuck on one tick",
            "anyone else having issues with {p}? feed won't load",
            "{p} keeps crashing every time I open it",
            "ugh {p} outage right when I needed it",
        ],
        &[
            "just posted a new video on {p}, go check it out",
            "I'm down to play later if {p} voice works for you",
            "the new {p} update looks great honestly",
            "{p} stock down 3% after earnings call",
            "download the {p} app and join our group",
        ],
        &[
            "lol",
            "seriously",
            "today",
            "again",
            "folks",
            "right now",
            "at work",
            "help",
            "pls",
            "smh",
        ],
    ),
    (
        "pt",
        &[
            "o {p} caiu de novo, não consigo mandar mensagem",
            "{p} está fora do ar aqui em SP",
            "alguém mais com o {p} caído? não carrega nada",
            "{p} parou de funcionar do nada",
        ],
        &[
            "vi no {p} que amanhã vai chover",
            "postei foto nova no {p}",
            "o {p} lançou um recurso novo",
        ],
        &[
            "gente", "aqui", "hoje", "sério", "socorro", "kkkk", "de novo", "agora",
        ],
    ),
    (
        "es",
        &[
            "¿se cayó {p}? no me cargan los mensajes",
            "{p} está caído desde hace una hora",
            "{p} no funciona en México, alguien más?",
            "no puedo entrar a {p}, me dice error de conexión",
        ],
        &[
            "vi un video buenísimo en {p}",
            "mi {p} tiene nueva función",
            "compartí la foto en {p}",
        ],
        &[
            "hoy",
            "otra vez",
            "ayuda",
            "jaja",
            "en serio",
            "ahora mismo",
            "amigos",
        ],
    ),
    (
        "fr",
        &[
            "{p} est en panne chez moi",
            "{p} ne marche plus depuis ce matin",
            "impossible de me connecter à {p}",
        ],
        &["j'ai vu ça sur {p} hier", "nouvelle vidéo sur {p}"],
        &["encore", "franchement", "aujourd'hui", "svp", "mdr"],
    ),
    (
        "de",
        &[
            "{p} ist schon wieder down",
            "{p} funktioniert gerade nicht",
            "Störung bei {p} seit heute früh",
        ],
        &["neues Video auf {p}", "habe das auf {p} gesehen"],
        &["heute", "wieder", "echt", "bitte", "gerade"],
    ),
    (
        "ja",
        &[
            "{p}が繋がらない",
            "{p}落ちてる？ログインできない",
            "{p}障害かな、メッセージが送れない",
        ],
        &["{p}で新しい動画を見た", "{p}のアップデートきた"],
        &["今", "また", "助けて", "ほんと"],
    ),
    (
        "hi",
        &["{p} बंद है क्या? मैसेज नहीं जा रहे", "{p} काम नहीं कर रहा"],
        &["{p} पर नया वीडियो देखा"],
        &["आज", "फिर से", "यार"],
    ),
];

const REGIONS: [&[&str]; 8] = [
    &[],
    &[],
    &["US", "US-NY"],
    &["BR", "BR-SP"],
    &["MX"],
    &["GB"],
    &["IN"],
    &["JP"],
];

const NOISE: [&str; 8] = [
    "#outage",
    "@support",
    "https://example.org/status/12345",
    "😡",
    "🙃🙃",
    "#down",
    "…",
    "(2/3)",
];

/// One generated post with its classification.
fn generate(rng: &mut Rng, n: usize, total: usize, start: DateTime<Utc>) -> (Post, Classification) {
    let (lang, complaints, ordinary, filler) = *rng.pick(&LANGUAGES);
    let (platform, name, provider) = *rng.pick(&PLATFORMS);
    let complaint = rng.chance(35);
    let template = if complaint {
        rng.pick(complaints)
    } else {
        rng.pick(ordinary)
    };
    let mut text = template.replace("{p}", name);
    // Pad with filler and noise towards the ~140 characters of real posts.
    let target = 90 + rng.below(110);
    while text.chars().count() < target {
        text.push(' ');
        let word: &str = if rng.chance(20) {
            rng.pick::<&str>(&NOISE)
        } else {
            rng.pick::<&str>(filler)
        };
        text.push_str(word);
    }
    let symptoms = if complaint {
        vec![*rng.pick(&[
            Symptom::Login,
            Symptom::Messaging,
            Symptom::Feed,
            Symptom::Crash,
            Symptom::Connectivity,
        ])]
    } else {
        Vec::new()
    };
    let regions: Vec<String> = rng.pick(&REGIONS).iter().map(|s| s.to_string()).collect();
    let created_at = start + Duration::seconds(n as i64 * SPAN_SECONDS / total as i64);
    let post = Post {
        source: if n.is_multiple_of(3) {
            "mastodon".into()
        } else {
            "jetstream".into()
        },
        id: format!("{n:09}"),
        created_at,
        kind: PostKind::Post,
        service: None,
        text,
        lang: Some(lang.into()),
        author: Some(AuthorHash(1 + rng.below(200_000) as u64)),
        location: None,
        geo: None,
        url: None,
        region_hint: None,
    };
    let class = Classification {
        platforms: vec![platform.into()],
        providers: if provider.is_empty() {
            vec![]
        } else {
            vec![provider.into()]
        },
        complaint,
        recovery: false,
        symptoms,
        lang: lang.into(),
        regions,
    };
    (post, class)
}

/// Lowercased ASCII-ish words, as a check of phrase matches independent of the index.
fn contains_phrase(text: &str, phrase: &[&str]) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(phrase.len()).any(|w| w == phrase)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Resident anonymous memory now (heap and stacks, not the index files tantivy maps, whose
/// pages the kernel can drop at any time and which VmHWM counts too).
fn rss_anon_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("RssAnon:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds (user + system, all threads) this process has used so far: on a shared machine
/// this shows the work done even when other processes take the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let total: usize = std::env::var("OUTCRY_BENCH_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let index = PostIndex::create_or_open(dir.path()).expect("create index");
    let start = Utc.with_ymd_and_hms(2021, 10, 4, 0, 0, 0).unwrap();
    let mut rng = Rng(42);
    let mut expected_whatsapp_down = 0usize;
    let mut expected_complaints = 0u64;
    let mut text_bytes = 0usize;

    let mut writer = index.writer(WRITER_MEMORY).expect("writer");
    let mut indexing = std::time::Duration::ZERO;
    let mut indexing_cpu = 0.0;
    let mut max_anon = 0.0f64;
    let mut generated = 0;
    let mut since_commit = 0;
    while generated < total {
        let n = CHUNK.min(total - generated);
        let chunk: Vec<(Post, Classification)> = (generated..generated + n)
            .map(|i| generate(&mut rng, i, total, start))
            .collect();
        for (post, class) in &chunk {
            text_bytes += post.text.len();
            expected_complaints += u64::from(class.complaint);
            if contains_phrase(&post.text, &["whatsapp", "is", "down"]) {
                expected_whatsapp_down += 1;
            }
        }
        let began = Instant::now();
        let cpu_began = cpu_seconds();
        for (post, class) in &chunk {
            assert!(writer.add_post(post, class).expect("add"));
        }
        // Re-adding a few posts checks that deduplication is really on.
        for (post, class) in chunk.iter().take(10) {
            assert!(!writer.add_post(post, class).expect("add duplicate"));
        }
        since_commit += n;
        if since_commit >= COMMIT_EVERY || generated + n == total {
            let minute = (start.timestamp() + generated as i64 * SPAN_SECONDS / total as i64) / 60;
            writer
                .add_volume(&VolumeCount {
                    source: "jetstream".into(),
                    minute,
                    seen: since_commit as u64 * 3,
                })
                .expect("volume");
            writer.set_checkpoint("bench", &(generated + n).to_string());
            writer.commit().expect("commit");
            since_commit = 0;
        }
        indexing += began.elapsed();
        indexing_cpu += cpu_seconds() - cpu_began;
        max_anon = max_anon.max(rss_anon_mb());
        generated += n;
    }
    let merge_began = Instant::now();
    writer.finish().expect("merges");
    let merge_wait = merge_began.elapsed();
    let rate = total as f64 / indexing.as_secs_f64();
    println!(
        "corpus: {total} posts, {:.0} text bytes/post on average",
        text_bytes as f64 / total as f64
    );
    println!(
        "indexing (add + commit every {COMMIT_EVERY}, {} MiB budget): {:.1} s, {rate:.0} posts/s; waiting for merges after: {:.1} s",
        WRITER_MEMORY >> 20,
        indexing.as_secs_f64(),
        merge_wait.as_secs_f64()
    );
    println!(
        "indexing CPU time: {indexing_cpu:.1} s ({:.0} posts per CPU-second); load average at the end: {}",
        total as f64 / indexing_cpu,
        load_average()
    );
    println!(
        "peak RSS after indexing: {:.0} MB (VmHWM, includes mapped index files); largest anonymous RSS sampled after each chunk: {max_anon:.0} MB",
        peak_rss_mb()
    );

    let stats = index.stats().expect("stats");
    assert_eq!(stats.posts, total as u64);
    assert_eq!(stats.complaints, expected_complaints);
    assert_eq!(
        index.checkpoints().expect("checkpoints")["bench"],
        total.to_string()
    );
    println!(
        "index: {:.0} MB on disk, {} segments",
        stats.size_bytes as f64 / 1e6,
        stats.segments
    );

    // Phrase queries: the total must equal what the generator put in.
    let mut request = SearchRequest::new("\"whatsapp is down\"");
    request.sort = SortOrder::Relevance;
    assert_eq!(
        index.search(&request).expect("search").total,
        expected_whatsapp_down
    );
    assert!(expected_whatsapp_down > 0);
    for (query, sort) in [
        ("\"whatsapp is down\"", SortOrder::Relevance),
        ("\"whatsapp is down\"", SortOrder::Time),
        ("\"not working\"", SortOrder::Relevance),
        ("\"está caído\"", SortOrder::Relevance),
    ] {
        let mut request = SearchRequest::new(query);
        request.sort = sort;
        let warm = index.search(&request).expect("search");
        assert!(
            warm.total > 0 && !warm.hits.is_empty(),
            "{query} found nothing"
        );
        let cpu_began = cpu_seconds();
        let times: Vec<f64> = (0..51)
            .map(|_| {
                let began = Instant::now();
                let found = index.search(&request).expect("search");
                let elapsed = began.elapsed().as_secs_f64() * 1000.0;
                assert_eq!(found.total, warm.total);
                elapsed
            })
            .collect();
        let cpu_ms = (cpu_seconds() - cpu_began) * 1000.0 / 51.0;
        println!(
            "phrase query {query} sorted by {sort:?}: {} matches, median {:.2} ms over 51 runs (20 hits with highlights), {:.2} CPU-ms per query on average",
            warm.total,
            median(times),
            cpu_ms
        );
    }

    let rss_before = peak_rss_mb();
    let began = Instant::now();
    let cpu_began = cpu_seconds();
    let table = index.observations(None, None).expect("observations");
    let elapsed = began.elapsed();
    let cpu = cpu_seconds() - cpu_began;
    let anon_with_table = rss_anon_mb();
    assert_eq!(table.rows.len(), total);
    assert_eq!(
        table.rows.iter().filter(|r| r.complaint).count() as u64,
        expected_complaints
    );
    assert!(table.rows.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(
        table.volume_per_minute.iter().map(|(_, n)| n).sum::<u64>(),
        total as u64 * 3
    );
    println!(
        "observations() over {total} posts: {:.2} s ({cpu:.2} CPU-seconds); peak RSS {:.0} MB (was {:.0} MB before); anonymous RSS holding the table: {anon_with_table:.0} MB",
        elapsed.as_secs_f64(),
        peak_rss_mb(),
        rss_before
    );
}
