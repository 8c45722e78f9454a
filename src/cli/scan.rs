//! `nhiscan scan`: collect, enrich, evaluate, report. Provider flags are
//! added by each provider (see [`super::command`]).

use std::path::PathBuf;

use clap::{ArgMatches, Args, ValueEnum};
use jiff::Timestamp;

use nhiscan::baseline::Baseline;
use nhiscan::config::Loaded;
use nhiscan::error::Error;
use nhiscan::model::SourceStatus;
use nhiscan::progress::Progress;
use nhiscan::providers::{self, Live};
use nhiscan::report::{self, Format, Paint, View};
use nhiscan::scan::{self, Request, Scan};

use super::SeverityArg;

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// An input file or directory of exports (any provider's offline format, or nhiscan JSON). Repeatable.
    #[arg(long = "input", short = 'i', value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Scan the embedded sample organisation. Its clock is fixed at 2026-11-01 unless --now is given or a live source is read.
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

    /// Compare with a baseline file: findings in it are marked baselined and
    /// do not count towards --fail-on; the others are new.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE as a baseline (sorted JSON for git).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Leave findings below this severity out of the output; --fail-on still counts them.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<SeverityArg>,

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
    pub fn threshold(self) -> Option<nhiscan::rules::Severity> {
        match self {
            FailOn::None => None,
            FailOn::Low => Some(SeverityArg::Low.into()),
            FailOn::Medium => Some(SeverityArg::Medium.into()),
            FailOn::High => Some(SeverityArg::High.into()),
            FailOn::Critical => Some(SeverityArg::Critical.into()),
        }
    }
}

pub fn run(args: ScanArgs, matches: &ArgMatches) -> Result<u8, Error> {
    let config = Loaded::discover(args.config.as_deref(), &providers::schema())?;
    // Baselines are read before scanning, so a bad file fails fast. A
    // rewritten baseline keeps first-seen days from --baseline, or else from
    // the file it replaces.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let earlier = match (&args.write_baseline, &baseline) {
        (Some(path), None) => Baseline::load_if_exists(path)?,
        _ => None,
    };
    let progress = Progress::new(!args.quiet);
    let live = Live {
        concurrency: usize::from(args.concurrency),
        progress: progress.clone(),
    };
    let mut collectors = Vec::new();
    for p in providers::registry() {
        collectors.extend(p.live(matches, &live)?);
    }
    let request = Request {
        inputs: args.inputs,
        demo: args.demo,
        live: collectors,
    };
    let now = request.now(args.now);
    let scan = scan::run(request, &config, now);
    progress.finish();
    let scan = scan?;
    let marks = baseline
        .as_ref()
        .map(|b| b.marks(&scan.evaluation.findings));
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_findings(
            &scan.evaluation.findings,
            scan.now,
            baseline.as_ref().or(earlier.as_ref()),
        );
        b.write(path)?;
        if scan.inventory.is_partial() {
            nhiscan::util::term::eprintln(&format!(
                "warning: {} was written from an incomplete scan: it lacks the findings of sources not read in full",
                path.display()
            ));
        }
    }
    // The exit code counts every finding; --min-severity only trims the output.
    let code = scan.exit_code(args.fail_on.threshold(), marks.as_ref());
    let view = View::new(&scan, providers::rules())
        .with_baseline(marks.as_ref())
        .with_min_severity(args.min_severity.map(Into::into));
    // The table shows warnings and incomplete sources itself; other formats
    // (and any file output) get them on stderr so they are never silent.
    if !(args.format == Format::Table && args.output.is_none()) {
        warn(&scan);
    }
    if args.verbose {
        print_api_calls(&scan);
    }
    match &args.output {
        Some(path) => report::write_atomic(path, args.format, &view)?,
        None => {
            super::to_stdout(|w| {
                use std::io::IsTerminal;
                if args.format == Format::Csv && std::io::stdout().is_terminal() {
                    // CSV is data, but on a terminal its cells must not act.
                    let mut csv = Vec::new();
                    report::write(Format::Csv, &view, &mut csv)?;
                    let text = String::from_utf8_lossy(&csv).replace("\r\n", "\n");
                    w.write_all(nhiscan::util::term::escape_keeping(&text, &['\n']).as_bytes())
                } else {
                    report::write_painted(args.format, &view, Paint::for_stdout(), w)
                }
            })?
        }
    }
    Ok(code)
}

/// Expired or unmatched suppressions and sources not read in full, on stderr.
fn warn(scan: &Scan) {
    for w in &scan.evaluation.warnings {
        nhiscan::util::term::eprintln(&format!("warning: {w}"));
    }
    for s in scan
        .inventory
        .sources
        .iter()
        .filter(|s| s.status != SourceStatus::Ok)
    {
        nhiscan::util::term::eprintln(&format!("warning: source {}", s.describe()));
    }
}

/// `-v`: every source's API calls by operation.
fn print_api_calls(scan: &Scan) {
    for s in &scan.inventory.sources {
        let total: u64 = s.api_calls.values().sum();
        nhiscan::util::term::eprintln(&format!(
            "source {} ({}): {total} API calls",
            s.location, s.kind
        ));
        for (operation, n) in &s.api_calls {
            nhiscan::util::term::eprintln(&format!("  {operation:<40} {n:>7}"));
        }
    }
}
