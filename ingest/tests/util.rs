//! Loopback servers that speak the real wire formats (a scripted HTTP/1.1 server, a WebSocket
//! server) and a harness that runs one source against them and collects what it sends.

use outcry_ingest::{
    IngestConfig, MentionFilter, SourceDeps, SourceEvent, run_source, shutdown_pair,
};
use outcry_model::{AuthorHasher, Checkpoints, Post};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Longest any test waits for a source (a guard against hangs, never an assertion on speed).
pub const GUARD: Duration = Duration::from_secs(20);

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Request {
    /// The value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://x{}", self.target)).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A whole response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Announces the body's full length, sends only `sent` bytes, then closes.
    Truncated {
        status: u16,
        body: Vec<u8>,
        sent: usize,
    },
    /// Waits, then replies.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::Full {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.into().into_bytes(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Full {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// A scripted HTTP/1.1 server on 127.0.0.1 (one request per connection).
pub struct HttpServer {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) {
    match reply {
        Reply::Delayed(d, inner) => {
            tokio::time::sleep(d).await;
            Box::pin(write_reply(stream, *inner)).await;
        }
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.flush().await;
        }
        Reply::Truncated { status, body, sent } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reason(status),
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body[..sent.min(body.len())]).await;
            let _ = stream.flush().await;
        }
    }
    let _ = stream.shutdown().await;
}

impl HttpServer {
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let log = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(request.clone());
                    let reply = handler(&request);
                    write_reply(&mut stream, reply).await;
                });
            }
        });
        HttpServer {
            url,
            requests,
            task,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

/// Everything a source sent, in order.
#[derive(Debug, Default)]
pub struct Collected {
    pub events: Vec<SourceEvent>,
}

impl Collected {
    pub fn posts(&self) -> Vec<&Post> {
        self.events
            .iter()
            .filter_map(|e| match e {
                SourceEvent::Post(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    pub fn post_ids(&self) -> Vec<String> {
        self.posts().iter().map(|p| p.id.clone()).collect()
    }

    pub fn rejected(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, SourceEvent::Rejected { .. }))
            .count()
    }

    /// The last checkpoint of each stream.
    pub fn checkpoints(&self) -> Checkpoints {
        let mut out = Checkpoints::new();
        for e in &self.events {
            if let SourceEvent::Checkpoint { stream, cursor } = e {
                out.insert(stream.clone(), cursor.clone());
            }
        }
        out
    }

    /// Ids of posts sent after the last checkpoint (what a crash now would not have saved).
    pub fn uncovered(&self) -> usize {
        let last = self
            .events
            .iter()
            .rposition(|e| matches!(e, SourceEvent::Checkpoint { .. }));
        self.events[last.map_or(0, |i| i + 1)..]
            .iter()
            .filter(|e| matches!(e, SourceEvent::Post(_)))
            .count()
    }
}

pub fn hasher() -> AuthorHasher {
    AuthorHasher::new([9; 16])
}

pub fn config(text: &str) -> IngestConfig {
    IngestConfig::parse(text, Path::new("test.toml"), &|name| match name {
        "TEST_ID" => Some("client-id".into()),
        "TEST_SECRET" => Some("s3cret-value".into()),
        "TEST_TOKEN" => Some("mastodon-token".into()),
        _ => None,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the single source of `config_text` from `checkpoints` until `done` holds for what it
/// sent (or the guard expires, which fails the test), then stops it and returns everything.
pub async fn run_until(
    config_text: &str,
    checkpoints: Checkpoints,
    done: impl Fn(&Collected) -> bool,
) -> Collected {
    run_with(config_text, checkpoints, Arc::new(|_: &str| true), done).await
}

pub async fn run_with(
    config_text: &str,
    checkpoints: Checkpoints,
    mentions: MentionFilter,
    done: impl Fn(&Collected) -> bool,
) -> Collected {
    let config = config(config_text);
    let deps = SourceDeps::new(hasher(), mentions);
    let (tx, mut rx) = mpsc::channel(64);
    let (trigger, shutdown) = shutdown_pair();
    let task = tokio::spawn(run_source(
        config.sources[0].clone(),
        Arc::new(checkpoints),
        deps,
        tx,
        shutdown,
    ));
    let mut collected = Collected::default();
    let deadline = tokio::time::Instant::now() + GUARD;
    // `done` may watch the server as well as the events: look again at least every 20 ms.
    while !done(&collected) {
        match tokio::time::timeout(Duration::from_millis(20), rx.recv()).await {
            Ok(Some(event)) => collected.events.push(event),
            Ok(None) => break,
            Err(_) if tokio::time::Instant::now() > deadline => {
                panic!(
                    "the source did not reach the expected state within the guard; got {:#?}",
                    collected.events
                )
            }
            Err(_) => {}
        }
    }
    trigger.trigger();
    // Drain what the source still sends while stopping.
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
        collected.events.push(event);
    }
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the source stops promptly after the signal")
        .unwrap();
    collected
}

/// Ids that appear more than once.
pub fn duplicates(ids: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().filter(|i| !seen.insert(*i)).cloned().collect()
}

/// One step of a scripted WebSocket connection.
#[derive(Debug, Clone)]
pub enum WsStep {
    /// Send a text frame.
    Text(String),
    /// Send a ping (the client must answer it and carry on).
    Ping,
    /// Wait for one message from the client (recorded).
    Receive,
    /// Drop the TCP connection without a close frame (a disconnect mid-stream).
    Drop,
    /// Send a close frame.
    Close,
}

/// A WebSocket server on 127.0.0.1 whose `script(connection number, request target)` says
/// what each connection does; after the script it stays open, recording client messages.
pub struct WsServer {
    pub url: String,
    /// Request target (path and query) of each connection.
    pub targets: Arc<Mutex<Vec<String>>>,
    /// Text messages the clients sent.
    pub received: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WsServer {
    pub async fn start(
        script: impl Fn(usize, &str) -> Vec<WsStep> + Send + Sync + 'static,
    ) -> WsServer {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let targets = Arc::new(Mutex::new(Vec::new()));
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let (t, r) = (targets.clone(), received.clone());
        let task = tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let index = n;
                n += 1;
                let (t, r, script) = (t.clone(), r.clone(), script.clone());
                tokio::spawn(async move {
                    let target = Arc::new(Mutex::new(String::new()));
                    let tgt = target.clone();
                    #[allow(clippy::result_large_err)]
                    let callback =
                        move |req: &tokio_tungstenite::tungstenite::handshake::server::Request,
                              resp| {
                            *tgt.lock().unwrap() = req.uri().to_string();
                            Ok(resp)
                        };
                    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await
                    else {
                        return;
                    };
                    let target = target.lock().unwrap().clone();
                    t.lock().unwrap().push(target.clone());
                    for step in script(index, &target) {
                        match step {
                            WsStep::Text(text) => {
                                if ws.send(Message::text(text)).await.is_err() {
                                    return;
                                }
                            }
                            WsStep::Ping => {
                                let _ = ws.send(Message::Ping(vec![1, 2].into())).await;
                            }
                            WsStep::Receive => loop {
                                match ws.next().await {
                                    Some(Ok(Message::Text(text))) => {
                                        r.lock().unwrap().push(text.to_string());
                                        break;
                                    }
                                    Some(Ok(_)) => continue,
                                    _ => return,
                                }
                            },
                            WsStep::Drop => return,
                            WsStep::Close => {
                                let _ = ws.close(None).await;
                                return;
                            }
                        }
                    }
                    while let Some(Ok(message)) = ws.next().await {
                        if let Message::Text(text) = message {
                            r.lock().unwrap().push(text.to_string());
                        }
                    }
                });
            }
        });
        WsServer {
            url,
            targets,
            received,
            task,
        }
    }

    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}
