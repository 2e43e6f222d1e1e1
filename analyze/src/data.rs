//! Data files handed to the analysers as text, and the error that points into them.
//!
//! The analysers never read files themselves: the binary reads `data/` (or the bundled copies
//! compiled into this crate are used), and every validation error names the file, the line and
//! a fix, at start-up rather than at match time.

/// One data file: its path as shown to people, and its contents.
#[derive(Debug, Clone, Copy)]
pub struct DataFile<'a> {
    /// The path to show in errors, such as `data/lexicon/en.toml`.
    pub name: &'a str,
    /// The whole text of the file.
    pub text: &'a str,
}

/// A problem in a data file, found when it was loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}\n  fix: {fix}")]
pub struct DataError {
    /// The file, as named in [`DataFile::name`].
    pub file: String,
    /// The 1-based line the problem is on (0 when it concerns the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl DataError {
    /// An error at `line` of `file`.
    pub fn at_line(
        file: &DataFile<'_>,
        line: usize,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        DataError {
            file: file.name.to_string(),
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// An error at byte `offset` of `file`, for parsers that report spans.
    pub fn at_offset(
        file: &DataFile<'_>,
        offset: usize,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::at_line(file, line_of_offset(file.text, offset), message, fix)
    }

    /// The first line of `file` on which `needle` occurs (1 when absent), for errors found after
    /// parsing, such as a duplicate alias.
    pub fn at_text(
        file: &DataFile<'_>,
        needle: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        let line = file
            .text
            .find(needle)
            .map(|off| line_of_offset(file.text, off))
            .unwrap_or(1);
        Self::at_line(file, line, message, fix)
    }

    /// Turns a TOML parse or type error into a `DataError` at the line it points to.
    pub fn from_toml(file: &DataFile<'_>, err: &toml::de::Error) -> Self {
        let line = err
            .span()
            .map(|s| line_of_offset(file.text, s.start))
            .unwrap_or(0);
        DataError::at_line(
            file,
            line,
            err.message().to_string(),
            "correct the TOML at that line (see data/README.md for the file's format)",
        )
    }
}

/// Refuses a list of strings that names one entry twice (anywhere in `file`, a TOML file that
/// has already parsed): a repeat changes nothing the matcher does, so it is always a slip,
/// most often of a merge that brought the same phrase from two sides, and it hides how long a
/// list really is. The error points at the line of the entry's last copy.
pub fn refuse_repeated_entries(file: &DataFile<'_>) -> Result<(), DataError> {
    fn walk(file: &DataFile<'_>, path: &str, value: &toml::Value) -> Result<(), DataError> {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(file, &path, value)?;
                }
            }
            toml::Value::Array(items) => {
                let mut seen = std::collections::HashSet::new();
                for item in items {
                    match item {
                        toml::Value::String(entry) => {
                            if !seen.insert(entry.as_str()) {
                                return Err(DataError::at_line(
                                    file,
                                    line_of_repeat(file.text, path, entry),
                                    format!("{entry:?} is listed twice in {path}"),
                                    "remove one of the two copies (the second changes nothing)",
                                ));
                            }
                        }
                        other => walk(file, path, other)?,
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
    /// The line of the second copy of `entry` after the key that opens list `path` (its last
    /// dotted part at the start of a line), or of the second copy in the file when the key is
    /// not written that way; 0 when not found.
    fn line_of_repeat(text: &str, path: &str, entry: &str) -> usize {
        let (table, key) = path.rsplit_once('.').unwrap_or(("", path));
        let header = format!("[{table}]");
        // The line that opens the table (the file's start for the root table), then the key.
        let line_starts = |from: usize, opens: &dyn Fn(&str) -> bool| -> Option<usize> {
            let mut offset = from;
            for line in text[from..].split_inclusive('\n') {
                if opens(line.trim_start()) {
                    return Some(offset);
                }
                offset += line.len();
            }
            None
        };
        let table_start = if table.is_empty() {
            Some(0)
        } else {
            line_starts(0, &|line| line.trim_end() == header)
        };
        let offset = table_start
            .and_then(|start| {
                line_starts(start, &|line| {
                    line.strip_prefix(key)
                        .is_some_and(|after| after.trim_start().starts_with('='))
                })
            })
            .unwrap_or(0);
        let quoted = format!("\"{entry}\"");
        text[offset..]
            .match_indices(&quoted)
            .nth(1)
            .map_or(0, |(at, _)| line_of_offset(text, offset + at))
    }
    let table: toml::Table =
        toml::from_str(file.text).map_err(|e| DataError::from_toml(file, &e))?;
    walk(file, "", &toml::Value::Table(table))
}

/// The 1-based line number of byte `offset` in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_error_names_line() {
        let file = DataFile {
            name: "data/x.toml",
            text: "a = 1\nb = \nc = 2\n",
        };
        let err = toml::from_str::<toml::Table>(file.text).unwrap_err();
        let e = DataError::from_toml(&file, &err);
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("data/x.toml:2:"));
    }

    #[test]
    fn a_repeated_list_entry_names_its_line_and_list() {
        let file = DataFile {
            name: "data/lexicon/xx.toml",
            text: "[complaint]\noutage = [\"down\", \"kaputt\",\n  \"down\"]\n[other]\nx = [\"down\"]\n",
        };
        let e = refuse_repeated_entries(&file).unwrap_err();
        assert!(e.message.contains("complaint.outage"), "{e}");
        assert_eq!(e.line, 3, "{e}");
        let fine = DataFile {
            name: "data/lexicon/xx.toml",
            text: "[complaint]\noutage = [\"down\", \"kaputt\"]\n[other]\nx = [\"down\"]\n",
        };
        assert!(refuse_repeated_entries(&fine).is_ok());
    }
}
