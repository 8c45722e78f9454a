//! Command-line interface (clap derive).

mod github;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;

use nhiscan::report::Format;
use nhiscan::rules::Severity;

/// Finds non-human identities (API keys, service accounts, roles, tokens) and
/// reports missing owners, excess privilege and stale lifecycle state.
#[derive(Debug, Parser)]
#[command(name = "nhiscan", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan sources and report findings.
    Scan(Box<ScanArgs>),
    /// List every rule with its id, default severity and description.
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// An input file or directory (AWS credential report, authorization details, GitHub org snapshot, nhiscan JSON). Repeatable.
    #[arg(long = "input", short = 'i', value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Scan the embedded sample organisation. Its clock is fixed at 2026-11-01 unless --now is given.
    #[arg(long)]
    pub demo: bool,

    /// Config file (default: ./nhiscan.toml if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::None)]
    pub fail_on: FailOn,

    /// Fix the clock (RFC 3339, e.g. 2026-11-01T00:00:00Z) for reproducible reports.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<Timestamp>,

    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Also print each source's API calls by operation on stderr.
    #[arg(long, short = 'v')]
    pub verbose: bool,

    #[command(flatten)]
    pub github: github::GithubArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format: table or json.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

/// `--fail-on`: a severity, or `none` to never fail on findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    /// The threshold, if any.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::None => None,
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
        }
    }
}
