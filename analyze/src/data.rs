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
}
