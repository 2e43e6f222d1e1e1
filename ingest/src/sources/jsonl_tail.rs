//! Tailing a file (or stdin) of post records written by another collector. Only complete lines
//! are read: a line still being written (no newline yet) waits for the next poll. Lines are
//! parsed by the shared [`JsonlReader`], so the record contract and the rejection messages are
//! exactly those of `outcry ingest --jsonl`. The cursor is the [`JsonlCursor`] (line, byte
//! offset) after the last complete line; stdin cannot be resumed and saves none.

use crate::Shutdown;
use crate::config::{KindOptions, SourceConfig};
use crate::emit::{Emitter, Item, Stopped};
use crate::jsonl::{JsonlCursor, JsonlReader};
use crate::telemetry::SourceState;
use outcry_model::{AuthorHasher, PostRecordParser};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use tokio::io::AsyncBufReadExt;

/// Bytes read per step at most.
const CHUNK: u64 = 4 << 20;

/// Sends the items of `complete` (whole lines only), numbering lines after `cursor`.
async fn send_lines(
    complete: Vec<u8>,
    name: &str,
    cursor: JsonlCursor,
    parser: &PostRecordParser,
    emitter: &mut Emitter,
) -> Result<JsonlCursor, Stopped> {
    let len = complete.len() as u64;
    let mut reader = JsonlReader::from_reader(
        name,
        Box::new(std::io::Cursor::new(complete)),
        parser.clone(),
    );
    while let Some(item) = reader.next_item() {
        // Reading from memory cannot fail.
        let Ok(item) = item else { break };
        let line = cursor.line + item.line;
        let event = match item.result {
            Ok(post) => Item::Post(post),
            Err(rejection) => Item::Rejected {
                location: format!("{name}:{line}"),
                rejection,
            },
        };
        emitter.emit(event).await?;
    }
    Ok(JsonlCursor {
        line: cursor.line + reader.cursor().line,
        offset: cursor.offset + len,
    })
}

fn read_complete(path: &Path, offset: u64) -> std::io::Result<(Vec<u8>, u64)> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len <= offset {
        return Ok((Vec::new(), len));
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    file.take(CHUNK.min(len - offset)).read_to_end(&mut buf)?;
    match buf.iter().rposition(|&b| b == b'\n') {
        Some(end) => buf.truncate(end + 1),
        // One line longer than a chunk: take it whole once it is complete.
        None if buf.len() as u64 == CHUNK => {
            let mut rest = Vec::new();
            let mut file = std::fs::File::open(path)?;
            file.seek(SeekFrom::Start(offset))?;
            file.read_to_end(&mut rest)?;
            match rest.iter().rposition(|&b| b == b'\n') {
                Some(end) => rest.truncate(end + 1),
                None => rest.clear(),
            }
            buf = rest;
        }
        None => buf.clear(),
    }
    Ok((buf, len))
}

/// Tails the source's file (or stdin) until the stop signal (or the end of stdin).
pub(crate) async fn run(
    config: &SourceConfig,
    resume: Option<&str>,
    hasher: AuthorHasher,
    emitter: &mut Emitter,
    mut shutdown: Shutdown,
) -> Result<(), String> {
    let KindOptions::Jsonl { path } = &config.options else {
        return Err("not a jsonl source".into());
    };
    let parser = PostRecordParser::new(hasher).with_default_source(config.name.clone());
    let metrics = emitter.metrics.clone();
    let Some(path) = path else {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin());
        let mut buf = Vec::new();
        let mut cursor = JsonlCursor::default();
        metrics.set_state(SourceState::Connected, None);
        loop {
            buf.clear();
            let read = tokio::select! {
                r = lines.read_until(b'\n', &mut buf) => r,
                _ = shutdown.triggered() => break,
            };
            match read {
                Ok(0) => break,
                Ok(_) => {
                    if buf.last() != Some(&b'\n') {
                        buf.push(b'\n');
                    }
                    match send_lines(std::mem::take(&mut buf), "stdin", cursor, &parser, emitter)
                        .await
                    {
                        Ok(c) => cursor = c,
                        Err(Stopped) => break,
                    }
                }
                Err(e) => return Err(format!("cannot read stdin: {e}")),
            }
        }
        return Ok(());
    };
    let mut cursor = match resume {
        None => JsonlCursor::default(),
        Some(text) => JsonlCursor::decode(text)
            .ok_or_else(|| format!("the saved cursor {text:?} is not a jsonl cursor"))?,
    };
    let name = path.display().to_string();
    let mut waiting_for_file = false;
    while !shutdown.is_triggered() {
        let step = {
            let path = path.clone();
            let offset = cursor.offset;
            tokio::task::spawn_blocking(move || read_complete(&path, offset))
                .await
                .map_err(|e| e.to_string())?
        };
        let (complete, len) = match step {
            Ok(r) => {
                waiting_for_file = false;
                metrics.success();
                r
            }
            Err(e) => {
                if !waiting_for_file {
                    metrics.error(format!("{name}: {e}"));
                    tracing::warn!(source = emitter.stream.as_str(), path = name.as_str(), error = %e, "cannot read the file; waiting for it");
                    waiting_for_file = true;
                }
                if shutdown.sleep(config.poll_interval).await {
                    break;
                }
                continue;
            }
        };
        if len < cursor.offset {
            // The file was truncated or replaced (log rotation): start it again; the index
            // drops posts it already holds.
            tracing::warn!(
                source = emitter.stream.as_str(),
                path = name.as_str(),
                "the file shrank below the saved position; reading it again from the start"
            );
            metrics.error(format!("{name} shrank below the saved position"));
            cursor = JsonlCursor::default();
            continue;
        }
        if complete.is_empty() {
            metrics.set_state(SourceState::Connected, None);
            if shutdown.sleep(config.poll_interval).await {
                break;
            }
            continue;
        }
        match send_lines(complete, &name, cursor, &parser, emitter).await {
            Ok(next) => cursor = next,
            Err(Stopped) => break,
        }
        if emitter.checkpoint(cursor.encode()).await.is_err() {
            break;
        }
    }
    Ok(())
}
