//! `nhiscan diff OLD.json NEW.json`: compares two saved scans.

use std::path::PathBuf;

use clap::Args;

use nhiscan::diff::{self, render::DiffFormat, Diff};
use nhiscan::error::Error;
use nhiscan::report::Paint;
use nhiscan::util::atomic;

use super::SeverityArg;

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
    pub fail_on_new: Option<SeverityArg>,
}

pub fn run(args: DiffArgs) -> Result<u8, Error> {
    let diff = Diff::load(&args.old, &args.new)?;
    // As for scans: the table shows warnings itself, other outputs get them on stderr.
    if !(args.format == DiffFormat::Table && args.output.is_none()) {
        for w in &diff.warnings {
            nhiscan::util::term::eprintln(&format!("warning: {w}"));
        }
    }
    match &args.output {
        Some(path) => atomic::write_file(path, |w| {
            diff::render::write(&diff, args.format, Paint::PLAIN, w)
        })?,
        None => {
            super::to_stdout(|w| diff::render::write(&diff, args.format, Paint::for_stdout(), w))?
        }
    }
    Ok(diff.exit_code(args.fail_on_new.map(Into::into)))
}
