//! `nhiscan completions SHELL`.

use clap::Args;

use nhiscan::error::Error;
use nhiscan::scan::exit;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the script. Built in memory first: clap_complete panics on a write
/// error, and a closed pipe is not one for us.
pub fn run(args: CompletionsArgs) -> Result<u8, Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "nhiscan", &mut script);
    super::to_stdout(|w| w.write_all(&script))?;
    Ok(exit::OK)
}
