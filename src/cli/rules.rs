//! `nhiscan rules [ID]`: every rule, or one rule's documentation page.

use clap::{Args, ValueEnum};

use nhiscan::error::Error;
use nhiscan::providers;
use nhiscan::report;
use nhiscan::scan::exit;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print this rule's documentation page (docs/rules/<ID>.md).
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Output format of the list: table or json.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

pub fn run(args: RulesArgs) -> Result<u8, Error> {
    let rules = providers::rules();
    let text = match &args.id {
        Some(id) => {
            let rule = rules.iter().find(|r| r.meta().id == id).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown rule id {id:?}; `nhiscan rules` lists them"
                ))
            })?;
            rule.meta().docs.to_string()
        }
        None => match args.format {
            RulesFormat::Table => report::table::rules(rules),
            RulesFormat::Json => report::json::rules(rules),
        },
    };
    super::to_stdout(|w| w.write_all(text.as_bytes()))?;
    Ok(exit::OK)
}
