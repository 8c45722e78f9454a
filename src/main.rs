//! The `nhiscan` binary: parses arguments, runs a command, returns an exit code.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use jiff::Timestamp;

use cli::{Cli, Command, RulesFormat, ScanArgs};
use nhiscan::config::Loaded;
use nhiscan::error::Error;
use nhiscan::inventory::SourceStatus;
use nhiscan::progress::Progress;
use nhiscan::providers::demo;
use nhiscan::report::{self, Format};
use nhiscan::scan::{self, exit, Request, Scan};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(*args),
        Command::Rules(args) => list_rules(args.format),
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
    let now = match args.now {
        Some(t) => t,
        None if args.demo && args.inputs.is_empty() => demo::NOW,
        None => Timestamp::now(),
    };
    let progress = Progress::new(!args.quiet);
    let request = Request {
        inputs: args.inputs,
        demo: args.demo,
        github: args.github.options(&progress)?,
    };
    let scan = scan::run(&request, &config, now);
    progress.finish();
    let scan = scan?;
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
        None => to_stdout(|w| report::write(args.format, &scan, w))?,
    }
    Ok(scan.exit_code(args.fail_on.threshold()))
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
