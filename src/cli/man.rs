//! `nhiscan man`: the man page on stdout, or every page in a directory.

use std::path::PathBuf;

use clap::Args;

use nhiscan::error::Error;
use nhiscan::scan::exit;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write nhiscan.1 and one page per subcommand (nhiscan-scan.1, ...) here instead.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub fn run(args: ManArgs) -> Result<u8, Error> {
    match args.out_dir {
        Some(dir) => clap_mangen::generate_to(super::command(), &dir)
            .map_err(|source| Error::Output { path: dir, source })?,
        None => super::to_stdout(|w| clap_mangen::Man::new(super::command()).render(w))?,
    }
    Ok(exit::OK)
}
