//! The shared WebSocket machinery: connect (within the host's budget and a timeout), send the
//! source's opening messages, read text frames with an idle timeout and a frame size limit,
//! checkpoint every few thousand events or every second, and on any disconnect reconnect with
//! exponential backoff from the source's own cursor. Sources supply [`StreamHooks`] only.

use crate::emit::{Emitter, Item};
use crate::http::{emit_all, ensure_tls_provider};
use crate::limit::{Backoff, HostLimiters};
use crate::telemetry::SourceState;
use crate::{Shutdown, config::SourceConfig};
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Events between checkpoints at most.
const CHECKPOINT_EVERY_EVENTS: usize = 2000;
/// Time between checkpoints at most.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// What one text frame gave.
#[derive(Debug, Default)]
pub(crate) struct FrameOutcome {
    pub items: Vec<Item>,
    /// Checkpoint right after these items (e.g. Nostr `EOSE`).
    pub checkpoint_now: bool,
}

/// The per-source hooks of the WebSocket loop.
pub(crate) trait StreamHooks: Send {
    /// The URL to connect to now (with the resume cursor).
    fn connect_url(&mut self) -> String;
    /// Messages to send right after connecting.
    fn opening_messages(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// Reads one text frame.
    fn on_text(&mut self, text: &str) -> FrameOutcome;
    /// The resume position, if any.
    fn cursor(&self) -> Option<String>;
}

/// Runs `hooks` until the stop signal, reconnecting after every disconnect.
pub(crate) async fn run_stream<H: StreamHooks>(
    mut hooks: H,
    config: &SourceConfig,
    limiters: Arc<HostLimiters>,
    emitter: &mut Emitter,
    mut shutdown: Shutdown,
) {
    ensure_tls_provider();
    let metrics = emitter.metrics.clone();
    let mut backoff = Backoff::new(config.backoff_initial, config.backoff_max);
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(config.max_response_bytes))
        .max_frame_size(Some(config.max_response_bytes));
    'connections: while !shutdown.is_triggered() {
        let url = hooks.connect_url();
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
            })
            .unwrap_or_default();
        if !limiters
            .for_host(&host, config.requests_per_minute)
            .acquire(&mut shutdown)
            .await
        {
            break;
        }
        let started = Instant::now();
        let connect =
            tokio_tungstenite::connect_async_with_config(url.as_str(), Some(ws_config), false);
        let connected = tokio::select! {
            r = tokio::time::timeout(config.timeout, connect) => r,
            _ = shutdown.triggered() => break 'connections,
        };
        metrics.request(started.elapsed());
        let failure = match connected {
            Err(_) => "connection timed out".to_string(),
            Ok(Err(e)) => format!("cannot connect: {e}"),
            Ok(Ok((mut socket, _response))) => {
                metrics.success();
                metrics.set_state(SourceState::Connected, hooks.cursor().as_deref());
                let mut opening_failed = None;
                for message in hooks.opening_messages() {
                    if let Err(e) = socket.send(Message::text(message)).await {
                        opening_failed = Some(format!("send failed: {e}"));
                        break;
                    }
                }
                let mut since_checkpoint = 0usize;
                let mut last_checkpoint = Instant::now();
                let mut delivered = false;
                let reason = match opening_failed {
                    Some(reason) => reason,
                    None => loop {
                        let frame = tokio::select! {
                            f = tokio::time::timeout(config.timeout, socket.next()) => f,
                            _ = shutdown.triggered() => {
                                let _ = tokio::time::timeout(Duration::from_millis(200), socket.close(None)).await;
                                break 'connections;
                            }
                        };
                        let outcome = match frame {
                            Err(_) => break format!("no data for {:?}", config.timeout),
                            Ok(None) => break "the server closed the connection".to_string(),
                            Ok(Some(Err(e))) => break format!("connection lost: {e}"),
                            Ok(Some(Ok(Message::Close(frame)))) => {
                                break format!("the server closed the connection ({frame:?})");
                            }
                            Ok(Some(Ok(Message::Text(text)))) => hooks.on_text(text.as_str()),
                            Ok(Some(Ok(Message::Binary(bytes)))) => match std::str::from_utf8(&bytes) {
                                Ok(text) => hooks.on_text(text),
                                Err(_) => FrameOutcome {
                                    items: vec![Item::Rejected {
                                        location: url.clone(),
                                        rejection: outcry_model::Rejection {
                                            reason: outcry_model::RejectReason::InvalidUtf8,
                                            message: "a binary frame that is not UTF-8 JSON (compression is not requested; check the URL)".into(),
                                        },
                                    }],
                                    checkpoint_now: false,
                                },
                            },
                            // Pings are answered by the library; pongs and raw frames carry nothing.
                            Ok(Some(Ok(_))) => continue,
                        };
                        if !delivered {
                            delivered = true;
                            backoff.reset();
                        }
                        since_checkpoint += outcome.items.len();
                        let due = outcome.checkpoint_now
                            || since_checkpoint >= CHECKPOINT_EVERY_EVENTS
                            || last_checkpoint.elapsed() >= CHECKPOINT_EVERY;
                        let cursor = if due { hooks.cursor() } else { None };
                        if cursor.is_some() {
                            since_checkpoint = 0;
                            last_checkpoint = Instant::now();
                        }
                        if emit_all(emitter, outcome.items, cursor).await.is_err() {
                            break 'connections;
                        }
                    },
                };
                // What was read before the disconnect is covered by the cursor: save it.
                if let Some(cursor) = hooks.cursor()
                    && emitter.checkpoint(cursor).await.is_err()
                {
                    break 'connections;
                }
                reason
            }
        };
        metrics.error(failure.clone());
        let delay = backoff.next_delay();
        metrics.set_state(
            SourceState::BackingOff {
                delay,
                reason: failure,
            },
            None,
        );
        if shutdown.sleep(delay).await {
            break;
        }
    }
    // Save the position reached, so that a clean stop resumes exactly.
    if let Some(cursor) = hooks.cursor() {
        let _ = emitter.checkpoint(cursor).await;
    }
    metrics.set_state(SourceState::Stopped, None);
}
