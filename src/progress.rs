//! A progress bar on stderr for live scans: shown only when stderr is a
//! terminal and `--quiet` is not given, so logs and CI output stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of a scan. A hidden bar accepts every call and draws nothing.
#[derive(Debug, Clone)]
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar that draws only if `enabled` and stderr is a terminal.
    pub fn new(enabled: bool) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(bar)
    }

    /// A bar that never draws (tests, `--quiet`, non-terminals).
    pub fn hidden() -> Self {
        Progress(ProgressBar::with_draw_target(
            Some(0),
            ProgressDrawTarget::hidden(),
        ))
    }

    /// Adds `n` units of expected work (accounts, pages, repos).
    pub fn add_work(&self, n: u64) {
        self.0.inc_length(n);
    }

    /// Marks `n` units of work done.
    pub fn done(&self, n: u64) {
        self.0.inc(n);
    }

    /// What is happening now, e.g. `123456789012: ListUsers` or
    /// `rate limited, waiting 42s`.
    /// Server text (a repository name) is escaped: it reaches a terminal.
    pub fn message(&self, msg: impl Into<String>) {
        let msg = msg.into();
        self.0
            .set_message(crate::util::term::escape(&msg).into_owned());
    }

    /// The current message, as the bar shows it.
    pub fn last_message(&self) -> String {
        self.0.message().to_string()
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bar_counts_without_drawing() {
        let p = Progress::hidden();
        p.add_work(3);
        p.done(2);
        p.message("x");
        assert_eq!(p.last_message(), "x");
        p.message("repo\u{1b}]0;owned\u{7}");
        assert_eq!(p.last_message(), "repo\\u{1b}]0;owned\\u{7}");
        assert_eq!(p.0.length(), Some(3));
        assert_eq!(p.0.position(), 2);
        assert!(p.0.is_hidden());
        p.finish();
    }
}
