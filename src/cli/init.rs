//! `nhiscan init [FILE]`: writes a starter `nhiscan.toml` with every setting
//! commented out at its default. It never overwrites a file.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use nhiscan::config;
use nhiscan::error::Error;
use nhiscan::providers;
use nhiscan::scan::exit;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config.
    #[arg(value_name = "FILE", default_value = "nhiscan.toml")]
    pub path: PathBuf,
}

/// The starter config: every setting at its default, each provider's
/// section and each rule taken from the registry.
pub fn starter() -> String {
    let rules: Vec<(&str, nhiscan::rules::Severity)> = providers::rules()
        .iter()
        .map(|r| (r.meta().id, r.meta().severity))
        .collect();
    config::starter(&providers::schema(), &rules)
}

pub fn run(args: InitArgs) -> Result<u8, Error> {
    // create_new: an existing file (or a symlink, even a dangling one) is left alone.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} already exists; nhiscan init does not overwrite it (remove it or give another path)",
                    args.path.display()
                ))
            } else {
                Error::Output {
                    path: args.path.clone(),
                    source: e,
                }
            }
        })?;
    file.write_all(starter().as_bytes())
        .map_err(|source| Error::Output {
            path: args.path.clone(),
            source,
        })?;
    eprintln!(
        "wrote {}: every setting is commented out at its default",
        args.path.display()
    );
    Ok(exit::OK)
}
