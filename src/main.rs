//! The `nhiscan` binary: parses arguments, runs a command, returns an exit code.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use jiff::Timestamp;

use cli::{Cli, Command, DiffArgs, ManArgs, RulesFormat, ScanArgs};
use nhiscan::baseline::Baseline;
use nhiscan::config::Loaded;
use nhiscan::diff::{self, render::DiffFormat, Diff};
use nhiscan::error::Error;
use nhiscan::inventory::SourceStatus;
use nhiscan::progress::Progress;
use nhiscan::providers::admin_api::Endpoint;
use nhiscan::providers::aws::live;
use nhiscan::providers::http::Secret;
use nhiscan::providers::{anthropic, demo, openai};
use nhiscan::report::{self, Format, Paint};
use nhiscan::scan::{self, exit, Request, Scan};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(*args),
        Command::Rules(args) => list_rules(args.format),
        Command::Diff(args) => run_diff(args),
        Command::Completions(args) => completions(args.shell),
        Command::Man(args) => man(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn run_scan(args: ScanArgs) -> Result<u8, Error> {
    let config = Loaded::discover(args.config.as_deref())?;
    let live = args.openai || args.anthropic || args.aws.aws;
    // Baselines are read before scanning, so a bad file fails fast. A
    // rewritten baseline keeps first-seen days from --baseline, or else from
    // the file it replaces.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let earlier = match (&args.write_baseline, &baseline) {
        (Some(path), None) => Baseline::load_if_exists(path)?,
        _ => None,
    };
    let now = match args.now {
        Some(t) => t,
        None if args.demo && args.inputs.is_empty() && !live => demo::NOW,
        None => Timestamp::now(),
    };
    let openai = if args.openai {
        Some(openai::Target {
            endpoint: endpoint("--openai", openai::KEY_ENV, &args.openai_api_url)?,
            organization: std::env::var(openai::ORG_ENV)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| openai::DEFAULT_ORG.into()),
        })
    } else {
        None
    };
    let anthropic = if args.anthropic {
        Some(endpoint(
            "--anthropic",
            anthropic::KEY_ENV,
            &args.anthropic_api_url,
        )?)
    } else {
        None
    };
    let aws = &args.aws;
    let progress = Progress::new(!args.quiet);
    let request = Request {
        inputs: args.inputs,
        demo: args.demo,
        openai,
        anthropic,
        retry: Default::default(),
        progress: !args.quiet,
        aws: aws.aws.then(|| live::Options {
            profile: aws.aws_profile.clone(),
            region: aws.aws_region.clone(),
            endpoint_url: aws.aws_endpoint_url.clone(),
            org_role: aws.aws_org_role.clone(),
            accounts: aws.aws_accounts.clone(),
            external_id: aws.aws_external_id.clone(),
            concurrency: usize::from(args.concurrency),
            progress: !args.quiet,
        }),
        github: args.github.options(&progress)?,
    };
    let scan = scan::run(&request, &config, now);
    progress.finish();
    let mut scan = scan?;
    if let Some(b) = &baseline {
        b.apply(&mut scan);
    }
    if let Some(path) = &args.write_baseline {
        Baseline::from_scan(&scan, baseline.as_ref().or(earlier.as_ref())).write(path)?;
        if scan.inventory.is_partial() {
            eprintln!(
                "warning: {} was written from an incomplete scan: it lacks the findings of sources not read in full",
                path.display()
            );
        }
    }
    // The exit code counts every finding; --min-severity only trims the output.
    let code = scan.exit_code(args.fail_on.threshold());
    if let Some(min) = args.min_severity {
        scan.hide_below(min);
    }
    // The table shows warnings and incomplete sources itself; other formats
    // (and any file output) get them on stderr so they are never silent.
    if !(args.format == Format::Table && args.output.is_none()) {
        warn(&scan);
    }
    if args.verbose {
        print_api_calls(&scan);
    }
    match &args.output {
        Some(path) => report::write_atomic(path, args.format, &scan)?,
        None => to_stdout(|w| report::write_painted(args.format, &scan, Paint::for_stdout(), w))?,
    }
    Ok(code)
}

/// `nhiscan diff`: compares two saved scans.
fn run_diff(args: DiffArgs) -> Result<u8, Error> {
    let diff = Diff::load(&args.old, &args.new)?;
    // As for scans: the table shows warnings itself, other outputs get them on stderr.
    if !(args.format == DiffFormat::Table && args.output.is_none()) {
        for w in &diff.warnings {
            eprintln!("warning: {w}");
        }
    }
    match &args.output {
        Some(path) => report::write_file_atomic(path, |w| {
            diff::render::write(&diff, args.format, Paint::PLAIN, w)
        })?,
        None => to_stdout(|w| diff::render::write(&diff, args.format, Paint::for_stdout(), w))?,
    }
    Ok(diff.exit_code(args.fail_on_new))
}

/// `nhiscan completions SHELL`. Built in memory first: clap_complete panics
/// on a write error, and a closed pipe is not one for us.
fn completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "nhiscan", &mut script);
    to_stdout(|w| w.write_all(&script))?;
    Ok(exit::OK)
}

/// `nhiscan man`: the man page on stdout, or every page in a directory.
fn man(args: ManArgs) -> Result<u8, Error> {
    match args.out_dir {
        Some(dir) => clap_mangen::generate_to(Cli::command(), &dir)
            .map_err(|source| Error::Output { path: dir, source })?,
        None => to_stdout(|w| clap_mangen::Man::new(Cli::command()).render(w))?,
    }
    Ok(exit::OK)
}

/// A live admin API to read with `flag`, its key from `env_var`.
fn endpoint(flag: &str, env_var: &'static str, url: &str) -> Result<Endpoint, Error> {
    let key = Secret::from_env(env_var).ok_or_else(|| {
        Error::Usage(format!(
            "{flag} needs an organization admin key in the environment variable {env_var}, which is not set"
        ))
    })?;
    Ok(Endpoint {
        base_url: url.to_string(),
        key,
        env_var,
    })
}

/// Expired or unmatched suppressions and sources not read in full, on stderr.
fn warn(scan: &Scan) {
    for w in &scan.evaluation.warnings {
        eprintln!("warning: {w}");
    }
    for s in scan
        .inventory
        .sources
        .iter()
        .filter(|s| s.status != SourceStatus::Ok)
    {
        eprintln!("warning: source {}", s.describe());
    }
}

/// `-v`: every source's API calls by operation.
fn print_api_calls(scan: &Scan) {
    for s in &scan.inventory.sources {
        let total: u64 = s.api_calls.values().sum();
        eprintln!("source {} ({}): {total} API calls", s.location, s.kind);
        for (operation, n) in &s.api_calls {
            eprintln!("  {operation:<40} {n:>7}");
        }
    }
}

fn list_rules(format: RulesFormat) -> Result<u8, Error> {
    let text = match format {
        RulesFormat::Table => report::table::rules(),
        RulesFormat::Json => report::json::rules(),
    };
    to_stdout(|w| w.write_all(text.as_bytes()))?;
    Ok(exit::OK)
}

/// Runs `write` on buffered stdout. A closed pipe (`nhiscan ... | head`) is
/// not an error; any other write failure is.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
