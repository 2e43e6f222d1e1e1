//! `--metrics ADDR`: a tiny HTTP/1.1 endpoint that answers `GET /metrics` with the sources'
//! Prometheus text. Hand-written on tokio's TCP listener, because one read-only route does not
//! justify a web framework in the build.

use outcry_ingest::{MetricsRegistry, Shutdown};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Largest request head read.
const MAX_HEAD: usize = 8192;

async fn answer(mut stream: TcpStream, registry: Arc<MetricsRegistry>) {
    let mut head = Vec::with_capacity(512);
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        match tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut chunk)).await
        {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    }
    let first_line = String::from_utf8_lossy(&head);
    let mut parts = first_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, content_type, body) = match (method, target.split('?').next().unwrap_or("")) {
        ("GET", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            registry.render_prometheus(chrono::Utc::now()),
        ),
        ("GET", _) => (
            "404 Not Found",
            "text/plain; charset=utf-8",
            "try /metrics\n".to_string(),
        ),
        _ => (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "GET only\n".to_string(),
        ),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Serves the metrics on `listener` until `shutdown` fires.
pub async fn serve(listener: TcpListener, registry: Arc<MetricsRegistry>, mut shutdown: Shutdown) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(answer(stream, registry.clone()));
                }
            }
            _ = shutdown.triggered() => break,
        }
    }
}
