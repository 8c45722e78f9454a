//! Command-line interface (clap derive).

mod github;

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;

use nhiscan::diff::render::DiffFormat;
use nhiscan::report::Format;
use nhiscan::rules::Severity;

/// `nhiscan --version`: the version, and the source and date of the IAM action catalogue.
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}\nIAM action catalogue: {}",
        env!("CARGO_PKG_VERSION"),
        nhiscan::policy::catalog::source()
    )
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
    Scan(Box<ScanArgs>),
    /// List every rule with its id, default severity and description.
    Rules(RulesArgs),
    /// Compare two saved scans (JSON): identities, owners, privilege, credentials, findings.
    Diff(DiffArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command to a directory.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// An input file or directory (AWS credential report, authorization details, GitHub org snapshot, AI tenant snapshot, nhiscan JSON). Repeatable.
    #[arg(long = "input", short = 'i', value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Scan the embedded sample organisation. Its clock is fixed at 2026-11-01 unless --now is given.
    #[arg(long)]
    pub demo: bool,

    /// Read an OpenAI organization through its admin API (key in OPENAI_ADMIN_KEY).
    #[arg(long)]
    pub openai: bool,

    /// Base URL of the OpenAI admin API.
    #[arg(long, value_name = "URL", default_value = nhiscan::providers::openai::DEFAULT_URL, requires = "openai")]
    pub openai_api_url: String,

    /// Read an Anthropic organization through its admin API (key in ANTHROPIC_ADMIN_KEY).
    #[arg(long)]
    pub anthropic: bool,

    /// Base URL of the Anthropic admin API.
    #[arg(long, value_name = "URL", default_value = nhiscan::providers::anthropic::DEFAULT_URL, requires = "anthropic")]
    pub anthropic_api_url: String,

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

    /// Compare with a baseline file: findings in it are marked baselined and
    /// do not count towards --fail-on; the others are new.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE as a baseline (sorted JSON for git).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Leave findings below this severity out of the output; --fail-on still counts them.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<Severity>,

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

    #[command(flatten)]
    pub github: github::GithubArgs,
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
pub struct DiffArgs {
    /// The earlier scan (nhiscan --format json output).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,

    /// The later scan (nhiscan --format json output).
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,

    /// Write output to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when a new finding is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on_new: Option<Severity>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write nhiscan.1 and one page per subcommand (nhiscan-scan.1, ...) here instead.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
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
