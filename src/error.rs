//! Errors at the crate's boundaries: bad input files, bad config, bad usage.
//!
//! Every variant maps to exit code 2 ("nothing was scanned"). Messages name the
//! file and, where known, the line, so a user can fix the input without
//! guessing.

use std::path::PathBuf;

/// A problem with what the user gave us. Nothing was scanned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file that cannot be read or understood.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Input {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// A config file that cannot be used. `problems` lists every problem found.
    #[error("{}: invalid config:\n  {}", path.display(), problems.join("\n  "))]
    Config {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// Command-line usage that cannot be honoured.
    #[error("{0}")]
    Usage(String),
    /// Output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// An input error without a line number.
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }

    /// An input error at a 1-based line.
    pub fn input_at(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line: Some(line),
            message: message.into(),
        }
    }
}

/// Turns a `serde_json` error into an input error carrying its line.
pub fn json_error(path: impl Into<PathBuf>, err: &serde_json::Error) -> Error {
    let line = (err.line() > 0).then_some(err.line());
    // serde_json appends " at line X column Y"; the line already goes in the prefix.
    let text = err.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &text[..i], err.column()),
        None => text,
    };
    Error::Input {
        path: path.into(),
        line,
        message,
    }
}
