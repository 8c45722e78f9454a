//! Command-line interface (clap derive), one file per subcommand. Each
//! provider adds its own `scan` flags through the registry.

pub mod completions;
pub mod diff;
pub mod init;
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

/// The exit codes, shown in `--help` and the man pages.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  complete scan; no finding at or above --fail-on
  1  a finding at or above --fail-on (that passes the filters and is not baselined)
  2  usage, config or input error (bad flags, unreadable export, missing credentials): nothing was scanned
  3  a source failed or was read partially: the scan is incomplete";

/// Finds non-human identities (API keys, service accounts, roles, tokens) and
/// reports missing owners, excess privilege and stale lifecycle state.
#[derive(Debug, Parser)]
#[command(
    name = "nhiscan",
    version,
    long_version = LONG_VERSION.as_str(),
    about,
    propagate_version = true,
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan sources and report findings.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<scan::ScanArgs>),
    /// Scan sources and show the inventory: one row per item, grouped by provider (scan --view inventory).
    #[command(after_help = EXIT_CODES)]
    Inventory(Box<scan::ScanArgs>),
    /// List every rule with its id, default severity and description, or print one rule's page.
    Rules(rules::RulesArgs),
    /// Compare two saved scans (JSON): identities, owners, privilege, credentials, findings.
    Diff(diff::DiffArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) of nhiscan or a subcommand, or write every page to a directory.
    Man(man::ManArgs),
    /// Write a starter nhiscan.toml with every setting commented out at its default.
    Init(init::InitArgs),
}

/// The whole command, with every provider's `scan` flags.
pub fn command() -> clap::Command {
    let with_providers = |scan: clap::Command| {
        providers::registry()
            .iter()
            .fold(scan, |cmd, p| p.args(cmd))
    };
    Cli::command()
        .mut_subcommand("scan", with_providers)
        .mut_subcommand("inventory", with_providers)
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

/// Lays tables out in the terminal's width: `COLUMNS`, else the terminal's
/// when stdout is one, else 100 columns.
pub fn fit_tables_to_terminal() {
    use std::io::IsTerminal;
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| console::Term::stdout().size_checked())
        .flatten()
        .map(|(_rows, columns)| usize::from(columns));
    let columns = std::env::var("COLUMNS").ok();
    nhiscan::report::table::set_width(nhiscan::report::table::terminal_width(
        columns.as_deref(),
        terminal,
    ));
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
