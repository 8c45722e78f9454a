//! `nhiscan scan`: collect, enrich, evaluate, report. Provider flags are
//! added by each provider (see [`super::command`]).

use std::path::PathBuf;

use std::io::IsTerminal;

use clap::{ArgMatches, Args, ValueEnum};
use jiff::Timestamp;

use nhiscan::baseline::Baseline;
use nhiscan::config::Loaded;
use nhiscan::error::Error;
use nhiscan::model::SourceStatus;
use nhiscan::progress::Progress;
use nhiscan::providers::{self, Live};
use nhiscan::report::{self, Filter, Format, Paint, View};
use nhiscan::scan::{self, Request, Scan};
use nhiscan::util::atomic;

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

    /// Output format (for stdout, and for each --output without FORMAT=).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write to PATH instead of stdout; FORMAT=PATH writes that format there.
    /// Repeatable, for several outputs from one scan:
    /// `-o json=scan.json -o sarif=scan.sarif -o markdown=-`. `-` is stdout.
    /// A regular file is replaced atomically (keeping its mode); a device,
    /// FIFO or /dev/fd/N is written through; a symlink's target is replaced.
    #[arg(long, short = 'o', value_name = "[FORMAT=]PATH", value_parser = parse_output)]
    pub output: Vec<OutputArg>,

    /// The table's view: findings by severity, or the inventory (one row per item).
    #[arg(long, value_enum, default_value_t = TableView::Findings)]
    pub view: TableView,

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
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<Timestamp>,

    /// Only items (and their findings) of this provider. Repeatable.
    #[arg(long = "provider", value_name = "PROVIDER", help_heading = "Filters")]
    pub providers: Vec<String>,

    /// Only items of this kind (access-key, role, fine-grained-pat, ...). Repeatable.
    #[arg(long = "kind", value_name = "KIND", help_heading = "Filters")]
    pub kinds: Vec<String>,

    /// Only findings of this rule, and the items that have one. Repeatable.
    #[arg(long = "rule", value_name = "RULE", help_heading = "Filters")]
    pub rules: Vec<String>,

    /// Only items owned by OWNER. Repeatable.
    #[arg(long = "owner", value_name = "OWNER", help_heading = "Filters")]
    pub owners: Vec<String>,

    /// Only items with no owner, or an owner who has left.
    #[arg(long, help_heading = "Filters")]
    pub unowned: bool,

    /// Only AI identities and credentials.
    #[arg(long, help_heading = "Filters")]
    pub ai: bool,

    /// The most results a SARIF run keeps (the most severe); GitHub rejects more than 25,000.
    #[arg(long, value_name = "N", default_value_t = report::sarif::MAX_RESULTS)]
    pub sarif_max_results: usize,

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

/// `--view`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableView {
    /// Findings grouped by severity.
    Findings,
    /// One row per item, grouped by provider, with its worst finding.
    Inventory,
}

/// One `--output`: a format (or `--format`'s) and a path (`-` is stdout).
#[derive(Debug, Clone)]
pub struct OutputArg {
    pub format: Option<Format>,
    pub path: PathBuf,
}

/// `FORMAT=PATH` when the text before the first `=` names a format; else a path.
fn parse_output(text: &str) -> Result<OutputArg, String> {
    if let Some((name, path)) = text.split_once('=') {
        if let Ok(format) = Format::from_str(name, true) {
            if path.is_empty() {
                return Err(format!(
                    "{text:?}: no path after {name}= (use - for stdout)"
                ));
            }
            return Ok(OutputArg {
                format: Some(format),
                path: path.into(),
            });
        }
    }
    if text.is_empty() {
        return Err("an empty path (use - for stdout)".into());
    }
    Ok(OutputArg {
        format: None,
        path: text.into(),
    })
}

/// `--now`: an RFC 3339 instant, with a message that says so.
fn parse_now(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>().map_err(|_| {
        format!(
            "{text:?} is not an RFC 3339 date and time; expected for example 2026-11-01T00:00:00Z"
        )
    })
}

/// Where each output goes, in order: `(format, path)`, `None` for stdout.
fn outputs(args: &ScanArgs) -> Result<Vec<(Format, Option<PathBuf>)>, Error> {
    if args.output.is_empty() {
        return Ok(vec![(args.format, None)]);
    }
    let list: Vec<(Format, Option<PathBuf>)> = args
        .output
        .iter()
        .map(|o| {
            let format = o.format.unwrap_or(args.format);
            let path = (!atomic::is_stdout(&o.path)).then(|| o.path.clone());
            (format, path)
        })
        .collect();
    if list.iter().filter(|(_, p)| p.is_none()).count() > 1 {
        return Err(Error::Usage(
            "only one --output can go to stdout (-)".into(),
        ));
    }
    Ok(list)
}

pub fn run(args: ScanArgs, matches: &ArgMatches) -> Result<u8, Error> {
    let config = Loaded::discover(args.config.as_deref(), &providers::schema())?;
    // Every output path is checked before scanning: a live scan is not lost
    // to a typo in a directory name.
    let outputs = outputs(&args)?;
    for path in outputs.iter().filter_map(|(_, p)| p.as_deref()) {
        atomic::check(path)?;
    }
    if outputs
        .iter()
        .any(|(f, p)| *f == Format::Xlsx && p.is_none())
        && std::io::stdout().is_terminal()
    {
        return Err(Error::Usage(
            "xlsx is a binary workbook and stdout is a terminal: write it to a file with -o report.xlsx (or --output xlsx=report.xlsx)".into(),
        ));
    }
    if let Some(path) = &args.write_baseline {
        if atomic::is_stdout(path) {
            return Err(Error::Usage(
                "--write-baseline needs a file, not stdout".into(),
            ));
        }
        atomic::check(path)?;
    }
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
        inputs: args.inputs.clone(),
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
    let filter = Filter {
        providers: args.providers.clone(),
        kinds: args.kinds.clone(),
        rules: args.rules.clone(),
        owners: args.owners.clone(),
        unowned: args.unowned,
        ai: args.ai,
        ..Filter::default()
    }
    .prepare(&scan);
    let view = View::new(&scan, providers::rules())
        .with_baseline(marks.as_ref())
        .with_min_severity(args.min_severity.map(Into::into))
        .with_filter(Some(&filter))
        .with_config(&config)
        .with_sarif_max_results(args.sarif_max_results)
        .with_inventory_table(args.view == TableView::Inventory);
    // The exit code counts what the filters let through; --min-severity
    // only trims the output.
    let code = view.exit_code(args.fail_on.threshold());
    // Warnings always reach stderr, unless the table that shows them goes
    // to a terminal.
    let table_on_terminal = std::io::stdout().is_terminal()
        && outputs
            .iter()
            .any(|(f, p)| *f == Format::Table && p.is_none());
    if !table_on_terminal {
        warn(&scan);
    }
    if view.filter.is_some() {
        eprintln!(
            "note: filters left out {} and {}",
            report::table::plural(view.filtered_items(), "item", "items"),
            report::table::plural(view.filtered_findings(), "finding", "findings")
        );
    }
    if args.verbose {
        print_api_calls(&scan);
    }
    for (format, path) in &outputs {
        if *format == Format::Sarif {
            let left_out = report::sarif::left_out(&view);
            if left_out > 0 {
                eprintln!(
                    "warning: SARIF keeps the {} most severe results; {left_out} left out (--sarif-max-results)",
                    view.sarif_max_results
                );
            }
        }
        match path {
            Some(path) => report::write_atomic(path, *format, &view)?,
            None => super::to_stdout(|w| {
                if *format == Format::Csv && std::io::stdout().is_terminal() {
                    // CSV is data, but on a terminal its cells must not act.
                    let mut csv = Vec::new();
                    report::write(Format::Csv, &view, &mut csv)?;
                    let text = String::from_utf8_lossy(&csv).replace("\r\n", "\n");
                    w.write_all(nhiscan::util::term::escape_keeping(&text, &['\n']).as_bytes())
                } else {
                    report::write_painted(*format, &view, Paint::for_stdout(), w)
                }
            })?,
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
