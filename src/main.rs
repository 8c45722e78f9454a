//! The `nhiscan` binary: parses arguments, runs a command, returns an exit code.

mod cli;

use std::process::ExitCode;

use clap::FromArgMatches;

use cli::{Cli, Command};
use nhiscan::scan::exit;

fn main() -> ExitCode {
    let matches = cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    cli::fit_tables_to_terminal();
    let result = match cli.command {
        Command::Scan(args) => {
            let sub = matches
                .subcommand_matches("scan")
                .expect("the scan subcommand was parsed");
            cli::scan::run(*args, sub)
        }
        Command::Inventory(mut args) => {
            let sub = matches
                .subcommand_matches("inventory")
                .expect("the inventory subcommand was parsed");
            args.view = cli::scan::TableView::Inventory;
            cli::scan::run(*args, sub)
        }
        Command::Init(args) => cli::init::run(args),
        Command::Rules(args) => cli::rules::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Completions(args) => cli::completions::run(args),
        Command::Man(args) => cli::man::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Escaped (an error may quote a file or a server), and quiet
            // if stderr itself is gone.
            nhiscan::util::term::eprintln(&format!("error: {e}"));
            ExitCode::from(exit::ERROR)
        }
    }
}
