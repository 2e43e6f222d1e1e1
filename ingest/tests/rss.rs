//! RSS and Atom: conditional GETs (ETag, Last-Modified -> 304), only new entries sent, a
//! truncated document retried, entries without ids rejected.

use crate::util::{HttpServer, Reply, run_until};
use outcry_model::Checkpoints;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn rss(items: &[(u32, &str)]) -> String {
    let body: String = items
        .iter()
        .map(|(i, title)| {
            format!("<item><title>{title}</title><link>https://news.example/{i}</link><guid isPermaLink=\"false\">item-{i}</guid><pubDate>Mon, 05 Jan 2026 10:0{i}:00 +0000</pubDate><description>&lt;p&gt;Body {i} &amp;amp; more&lt;/p&gt;</description></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Outages</title><language>en</language>{body}<item><title>no id at all</title></item></channel></rss>"
    )
}

#[tokio::test]
async fn rss_conditional_get_and_new_items_only() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let server = HttpServer::start(move |req| {
        let call = c.fetch_add(1, Ordering::SeqCst);
        let xml = |status, body: String| Reply::Full {
            status,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("ETag".into(), format!("\"{}\"", body.len())),
                (
                    "Last-Modified".into(),
                    "Mon, 05 Jan 2026 10:00:00 GMT".into(),
                ),
            ],
            body: body.into_bytes(),
        };
        match call {
            0 => Reply::Truncated {
                status: 200,
                body: rss(&[(1, "a")]).into_bytes(),
                sent: 120,
            },
            1 => xml(200, rss(&[(2, "Slack down"), (1, "Zoom fine")])),
            2 => {
                assert!(
                    req.header("if-none-match").is_some()
                        && req.header("if-modified-since").is_some()
                );
                Reply::status(304)
            }
            _ => xml(
                200,
                rss(&[(3, "GitHub down"), (2, "Slack down"), (1, "Zoom fine")]),
            ),
        }
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"rss\"\nurl = \"{}/feed.xml\"\nkeep = \"all\"\npoll_interval = 0.02\ntimeout = 2\nbackoff_initial = 0.01\nbackoff_max = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |_| {
        calls.load(Ordering::SeqCst) >= 5
    })
    .await;
    assert_eq!(got.post_ids(), ["item-1", "item-2", "item-3"]);
    let p = got.posts()[0];
    assert_eq!(p.text, "Zoom fine\nBody 1 & more");
    assert_eq!(p.url.as_deref(), Some("https://news.example/1"));
    assert_eq!(p.lang.as_deref(), Some("en"));
    assert_eq!(p.created_at.to_rfc3339(), "2026-01-05T10:01:00+00:00");
    // The malformed document, then the id-less entry of each full document read.
    assert!(got.rejected() >= 3, "{}", got.rejected());
}

#[tokio::test]
async fn atom_feed() {
    let server = HttpServer::start(|_| Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), "application/atom+xml".into())],
        body: br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pt-BR"><title>t</title>
<entry><id>tag:x,2026:1</id><title type="html">WhatsApp &lt;b&gt;caiu&lt;/b&gt;</title><link rel="alternate" href="https://x/1"/><published>2026-01-05T10:00:00Z</published><content type="html">&lt;p&gt;sem mensagens&lt;/p&gt;</content></entry>
<entry><id>tag:x,2026:2</id><title>bad date</title><updated>yesterday</updated></entry></feed>"#
            .to_vec(),
    })
    .await;
    let text = format!(
        "[[source]]\nkind = \"rss\"\nurl = \"{}/atom\"\nkeep = \"all\"\npoll_interval = 0.02\nrequests_per_minute = 60000\n",
        server.url
    );
    let got = run_until(&text, Checkpoints::new(), |c| !c.checkpoints().is_empty()).await;
    assert_eq!(got.post_ids(), ["tag:x,2026:1"]);
    assert_eq!(got.posts()[0].text, "WhatsApp caiu\nsem mensagens");
    assert_eq!(got.posts()[0].lang.as_deref(), Some("pt"));
    assert_eq!(got.rejected(), 1);
}
