//! Command-line interface (clap derive), one file per subcommand. Each
//! provider adds its own `scan` flags through the registry.

pub mod completions;
pub mod diff;
pub mod man;
pub mod rules;
pub mod scan;

use std::io::Write;
use std::sync::LazyLock;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use nhiscan::error::Error;
use nhiscan::providers;
use nhiscan::rules::Severity;

/// `nhiscan --version`: the version, and what each provider adds (the AWS
/// action catalogue's source and date, say).
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut text = env!("CARGO_PKG_VERSION").to_string();
    for p in providers::registry() {
        if let Some(line) = p.version_note() {
            text.push('\n');
            text.push_str(&line);
        }
    }
    text
});

/// Finds non-human identities (API keys, service accounts, roles, tokens) and
/// reports missing owners, excess privilege and stale lifecycle state.
#[derive(Debug, Parser)]
#[command(
    name = "nhiscan",
    version,
    long_version = LONG_VERSION.as_str(),
    about,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan sources and report findings.
    Scan(Box<scan::ScanArgs>),
    /// List every rule with its id, default severity and description, or print one rule's page.
    Rules(rules::RulesArgs),
    /// Compare two saved scans (JSON): identities, owners, privilege, credentials, findings.
    Diff(diff::DiffArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), or write one page per command to a directory.
    Man(man::ManArgs),
}

/// The whole command, with every provider's `scan` flags.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("scan", |scan| {
        providers::registry()
            .iter()
            .fold(scan, |cmd, p| p.args(cmd))
    })
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// Runs `write` on buffered stdout. A closed pipe (`nhiscan ... | head`) is
/// not an error; any other write failure is.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
