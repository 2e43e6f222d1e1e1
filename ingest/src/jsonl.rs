//! Reading post records from `.jsonl` and `.jsonl.gz` files (or any byte stream), line by line,
//! with the position after each line so that a replay can resume where its last commit ended.
//!
//! The reader validates each line with [`PostRecordParser`]; a bad line becomes a rejected item
//! with its line number and the reading goes on, so nothing valid is lost because a neighbour was
//! bad. It never holds more than one line in memory.

use outcry_model::{Post, PostRecordParser, Rejection};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Longest line accepted (bytes). A longer line is rejected, not loaded whole into memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How far a file has been read: the next line to read and its byte offset in the
/// (decompressed) stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonlCursor {
    /// Lines consumed so far (the next line is `line + 1`).
    pub line: u64,
    /// Bytes of the decompressed stream consumed so far.
    pub offset: u64,
}

impl JsonlCursor {
    /// The cursor as stored in a checkpoint.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a cursor written by [`JsonlCursor::encode`].
    pub fn decode(text: &str) -> Option<JsonlCursor> {
        serde_json::from_str(text).ok()
    }
}

/// An error that stops reading a file (a bad line does not: it becomes a rejected item).
#[derive(Debug, thiserror::Error)]
pub enum JsonlError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The saved position lies past the end of the file: the file was replaced or truncated.
    #[error(
        "{path} is shorter ({len} bytes) than the position saved in the index ({offset} bytes): it was truncated or replaced; give the new file another name, or use a new index"
    )]
    ShorterThanCursor {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: u64,
        /// The saved offset.
        offset: u64,
    },
}

/// One line of input, parsed or rejected.
#[derive(Debug)]
pub struct JsonlItem {
    /// The 1-based line number in the file.
    pub line: u64,
    /// The post, or why the line was rejected.
    pub result: Result<Post, Rejection>,
}

/// Reads post records line by line from a file or stream.
pub struct JsonlReader {
    name: String,
    input: Box<dyn BufRead + Send>,
    parser: PostRecordParser,
    cursor: JsonlCursor,
    buf: Vec<u8>,
    blank_lines: u64,
    compressed_len: Option<u64>,
    counted: CountingHandle,
}

/// Shared count of the bytes read from the underlying (possibly compressed) file, for progress.
#[derive(Clone, Default)]
struct CountingHandle(std::sync::Arc<std::sync::atomic::AtomicU64>);

struct CountingRead<R> {
    inner: R,
    count: CountingHandle,
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .0
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

fn is_gzip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let mut f = File::open(path)?;
    let n = f.read(&mut magic)?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

impl JsonlReader {
    /// Opens `path` (gzip is recognised by its magic bytes, whatever the extension) and skips to
    /// `resume` when given.
    pub fn open(
        path: &Path,
        parser: PostRecordParser,
        resume: Option<JsonlCursor>,
    ) -> Result<Self, JsonlError> {
        let io_err = |source| JsonlError::Io {
            path: path.to_path_buf(),
            source,
        };
        let gz = is_gzip(path).map_err(io_err)?;
        let mut file = File::open(path).map_err(io_err)?;
        let len = file.metadata().map_err(io_err)?.len();
        let resume = resume.unwrap_or_default();
        let counted = CountingHandle::default();
        let input: Box<dyn BufRead + Send> = if gz {
            let counting = CountingRead {
                inner: file,
                count: counted.clone(),
            };
            Box::new(BufReader::with_capacity(
                256 << 10,
                flate2::read::MultiGzDecoder::new(BufReader::new(counting)),
            ))
        } else {
            if resume.offset > len {
                return Err(JsonlError::ShorterThanCursor {
                    path: path.to_path_buf(),
                    len,
                    offset: resume.offset,
                });
            }
            file.seek(SeekFrom::Start(resume.offset)).map_err(io_err)?;
            counted
                .0
                .store(resume.offset, std::sync::atomic::Ordering::Relaxed);
            let counting = CountingRead {
                inner: file,
                count: counted.clone(),
            };
            Box::new(BufReader::with_capacity(256 << 10, counting))
        };
        let mut reader = JsonlReader {
            name: path.display().to_string(),
            input,
            parser,
            cursor: JsonlCursor::default(),
            buf: Vec::with_capacity(4096),
            blank_lines: 0,
            compressed_len: Some(len),
            counted,
        };
        if gz {
            // A gzip stream cannot seek: decompress and drop the lines already indexed.
            reader.skip_to(resume).map_err(io_err)?;
        } else {
            reader.cursor = resume;
        }
        Ok(reader)
    }

    /// Reads from any stream (stdin, a socket); `name` is used in messages.
    pub fn from_reader(
        name: impl Into<String>,
        input: Box<dyn BufRead + Send>,
        parser: PostRecordParser,
    ) -> Self {
        JsonlReader {
            name: name.into(),
            input,
            parser,
            cursor: JsonlCursor::default(),
            buf: Vec::with_capacity(4096),
            blank_lines: 0,
            compressed_len: None,
            counted: CountingHandle::default(),
        }
    }

    fn skip_to(&mut self, target: JsonlCursor) -> io::Result<()> {
        while self.cursor.offset < target.offset {
            if !self.read_raw_line()? {
                break;
            }
        }
        if self.cursor.offset != target.offset {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the saved position (byte {}) does not fall on a line boundary of this file: it was changed or replaced; give the new file another name, or use a new index",
                    target.offset
                ),
            ));
        }
        Ok(())
    }

    /// Reads one raw line into `self.buf` (without the newline); false at end of input.
    /// A line longer than [`MAX_LINE_BYTES`] is consumed but truncated, and flagged by leaving
    /// more than the limit in the buffer.
    fn read_raw_line(&mut self) -> io::Result<bool> {
        self.buf.clear();
        let mut consumed = 0u64;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            let (chunk, done) = match memchr_newline(available) {
                Some(i) => (&available[..i + 1], true),
                None => (available, false),
            };
            let take = chunk.len();
            if self.buf.len() <= MAX_LINE_BYTES {
                let room = MAX_LINE_BYTES + 1 - self.buf.len();
                self.buf.extend_from_slice(&chunk[..take.min(room)]);
            }
            self.input.consume(take);
            consumed += take as u64;
            if done {
                break;
            }
        }
        if consumed == 0 {
            return Ok(false);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.cursor.line += 1;
        self.cursor.offset += consumed;
        Ok(true)
    }

    /// The next non-blank line, parsed; `None` at end of input.
    pub fn next_item(&mut self) -> Option<io::Result<JsonlItem>> {
        loop {
            match self.read_raw_line() {
                Err(e) => return Some(Err(e)),
                Ok(false) => return None,
                Ok(true) => {}
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                self.blank_lines += 1;
                continue;
            }
            let result = if self.buf.len() > MAX_LINE_BYTES {
                Err(Rejection {
                    reason: outcry_model::RejectReason::InvalidJson,
                    message: format!(
                        "the line is longer than {MAX_LINE_BYTES} bytes; split it into one JSON object per line"
                    ),
                })
            } else {
                self.parser.parse_line(&self.buf)
            };
            return Some(Ok(JsonlItem {
                line: self.cursor.line,
                result,
            }));
        }
    }

    /// The position after the last line returned.
    pub fn cursor(&self) -> JsonlCursor {
        self.cursor
    }

    /// Blank lines skipped so far.
    pub fn blank_lines(&self) -> u64 {
        self.blank_lines
    }

    /// The name used in messages (the path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// (bytes of the file read so far, file length), for progress bars; `None` for streams.
    pub fn progress(&self) -> Option<(u64, u64)> {
        self.compressed_len.map(|len| {
            (
                self.counted.0.load(std::sync::atomic::Ordering::Relaxed),
                len,
            )
        })
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcry_model::{AuthorHasher, RejectReason};
    use std::io::Write;

    fn parser() -> PostRecordParser {
        PostRecordParser::new(AuthorHasher::new([0; 16]))
    }

    const GOOD: &str = r#"{"id":"1","created_at":"2021-10-04T15:45:00Z","text":"whatsapp down"}"#;

    fn lines(reader: &mut JsonlReader) -> Vec<(u64, Result<String, RejectReason>)> {
        let mut out = Vec::new();
        while let Some(item) = reader.next_item() {
            let item = item.unwrap();
            out.push((item.line, item.result.map(|p| p.id).map_err(|r| r.reason)));
        }
        out
    }

    #[test]
    fn bad_lines_do_not_hide_good_ones_and_resume_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let text = format!(
            "{GOOD}\n\nnot json\n{}\r\n{}",
            GOOD.replace("\"1\"", "\"2\""),
            GOOD.replace("\"1\"", "\"3\"")
        );
        std::fs::write(&path, &text).unwrap();
        let mut r = JsonlReader::open(&path, parser(), None).unwrap();
        let got = lines(&mut r);
        assert_eq!(
            got,
            vec![
                (1, Ok("1".into())),
                (3, Err(RejectReason::InvalidJson)),
                (4, Ok("2".into())),
                (5, Ok("3".into())),
            ]
        );
        assert_eq!(r.blank_lines(), 1);
        assert_eq!(r.cursor().offset, text.len() as u64);

        // Resume after line 3.
        let mut r = JsonlReader::open(&path, parser(), None).unwrap();
        for _ in 0..2 {
            r.next_item();
        }
        let cursor = r.cursor();
        let mut r = JsonlReader::open(&path, parser(), Some(cursor)).unwrap();
        assert_eq!(
            lines(&mut r),
            vec![(4, Ok("2".into())), (5, Ok("3".into()))]
        );
    }

    #[test]
    fn gzip_is_read_and_resumed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(
            File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        for i in 0..10 {
            writeln!(enc, "{}", GOOD.replace("\"1\"", &format!("\"{i}\""))).unwrap();
        }
        enc.finish().unwrap();
        let mut r = JsonlReader::open(&path, parser(), None).unwrap();
        for _ in 0..4 {
            r.next_item();
        }
        let c = r.cursor();
        let mut r = JsonlReader::open(&path, parser(), Some(c)).unwrap();
        let got = lines(&mut r);
        assert_eq!(got.len(), 6);
        assert_eq!(got[0], (5, Ok("4".into())));
        let bad = JsonlCursor { line: 1, offset: 3 };
        assert!(JsonlReader::open(&path, parser(), Some(bad)).is_err());
    }

    #[test]
    fn truncated_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, GOOD).unwrap();
        let err = JsonlReader::open(
            &path,
            parser(),
            Some(JsonlCursor {
                line: 9,
                offset: 9999,
            }),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("truncated or replaced"));
    }

    #[test]
    fn overlong_line_is_rejected_not_loaded() {
        let long = format!("{{\"text\":\"{}\"}}", "a".repeat(MAX_LINE_BYTES + 10));
        let input = format!("{long}\n{GOOD}\n");
        let mut r = JsonlReader::from_reader(
            "mem",
            Box::new(io::Cursor::new(input.into_bytes())),
            parser(),
        );
        let got = lines(&mut r);
        assert_eq!(
            got,
            vec![(1, Err(RejectReason::InvalidJson)), (2, Ok("1".into()))]
        );
    }
}
