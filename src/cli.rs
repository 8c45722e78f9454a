//! Command-line interface (clap derive).

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
    /// An input file or directory (AWS credential report, authorization details, nhiscan JSON). Repeatable.
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

    /// Live scans: accounts scanned at once, and requests in flight per account.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `--aws` and its options.
#[derive(Debug, Args)]
#[command(next_help_heading = "Live AWS")]
pub struct AwsArgs {
    /// Scan live AWS IAM (read-only) with the default credential chain.
    #[arg(long)]
    pub aws: bool,

    /// Named profile from ~/.aws/config.
    #[arg(long, value_name = "NAME", requires = "aws")]
    pub aws_profile: Option<String>,

    /// Region; IAM is global, so this only picks the partition's endpoint (default us-east-1).
    #[arg(long, value_name = "REGION", requires = "aws")]
    pub aws_region: Option<String>,

    /// One endpoint for IAM, STS and Organizations (also read from AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL", requires = "aws")]
    pub aws_endpoint_url: Option<String>,

    /// Scan every account of the Organization through this role (e.g. OrganizationAccountAccessRole).
    #[arg(long, value_name = "ROLE_NAME", requires = "aws")]
    pub aws_org_role: Option<String>,

    /// With --aws-org-role: only these accounts.
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "aws_org_role"
    )]
    pub aws_accounts: Vec<String>,

    /// With --aws-org-role: the external id the role's trust policy requires.
    #[arg(long, value_name = "ID", requires = "aws_org_role")]
    pub aws_external_id: Option<String>,
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
