//! `nhiscan man [COMMAND]`: a man page on stdout, or every page in a directory.
//!
//! Each page is clap_mangen's (name, synopsis, description, every option,
//! subcommands) followed by EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use nhiscan::error::Error;
use nhiscan::scan::exit;
use nhiscan::util::atomic;

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (scan, inventory, diff, ...); nhiscan's own page without it.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,

    /// Write nhiscan.1 and one page per subcommand (nhiscan-scan.1, ...) here instead.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The sections every page ends with, in roff.
const TAIL: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Complete scan; no finding at or above \fB\-\-fail\-on\fR.
.TP
\fB1\fR
A finding at or above \fB\-\-fail\-on\fR that passes the filters and is not baselined (\fBdiff\fR: a new finding at or above \fB\-\-fail\-on\-new\fR).
.TP
\fB2\fR
Usage, config or input error (bad flags, an unreadable export, missing credentials): nothing was scanned.
.TP
\fB3\fR
A source failed or was read partially: the scan is incomplete.
.SH ENVIRONMENT
.TP
\fBAWS_PROFILE\fR, \fBAWS_ACCESS_KEY_ID\fR, \fBAWS_SECRET_ACCESS_KEY\fR, \fBAWS_SESSION_TOKEN\fR, \fBAWS_REGION\fR
The cloud SDK's usual credential chain, for the live cloud scan.
.TP
\fBGITHUB_TOKEN\fR, \fBGH_TOKEN\fR
The token for the live code-hosting scan.
.TP
\fBOPENAI_ADMIN_KEY\fR, \fBANTHROPIC_ADMIN_KEY\fR
The AI platforms' admin keys, for their live scans (docs/providers/ describes each).
.TP
\fBNO_COLOR\fR
Turns colour off in the table.
.TP
\fBCOLUMNS\fR
The table's width when stdout is not a terminal (default 100).
.SH EXAMPLES
.TP
\fBnhiscan scan \-\-demo\fR
Scan the embedded sample organisation.
.TP
\fBnhiscan scan \-i exports/ \-o json=scan.json \-o sarif=scan.sarif \-o markdown=\-\fR
One scan, three outputs; the Markdown summary goes to stdout.
.TP
\fBnhiscan inventory \-i exports/ \-\-unowned\fR
The unowned items of the exports, one row each.
.TP
\fBnhiscan scan \-i exports/ \-\-fail\-on high \-\-baseline nhiscan\-baseline.json\fR
Fail a CI job on new high or critical findings.
.TP
\fBnhiscan init\fR
Write a starter nhiscan.toml.
.SH "SEE ALSO"
nhiscan(1), nhiscan\-scan(1), nhiscan\-inventory(1), nhiscan\-diff(1), nhiscan\-rules(1), nhiscan\-init(1)
"#;

/// What `scan` and `inventory` write, in roff (docs/output.md has the
/// rest); the format list comes from `--format`'s values.
fn output_section() -> String {
    use clap::ValueEnum;
    let formats: Vec<String> = nhiscan::report::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| format!("\\fB{}\\fR", v.get_name().replace('-', "\\-")))
        .collect();
    format!(
        r#".SH OUTPUT
.TP
\fBFormats\fR
{}. The JSON report's JSON Schema is docs/schema/report\-v1.json. \fBxlsx\fR is an Excel workbook (Inventory, Findings and Sources sheets; dates typed in UTC, booleans and numbers typed, ids kept as text); it is binary, so it is never written to a terminal.
.TP
\fB\-o\fR [\fIFORMAT\fR=]\fIPATH\fR
Repeatable: several outputs from one scan. \fB\-\fR is stdout. A device, FIFO or /dev/fd/N is written through; a symlink's target is replaced, never the link; a regular file is written to a temporary file and renamed over it. Every path is checked before the scan.
.TP
\fBFile modes\fR
A new output or baseline file follows the umask (0644 under umask 022); a replaced file keeps its mode.
.TP
\fBSARIF cap\fR
A SARIF run keeps the 25,000 most severe results (code scanning rejects more); \fB\-\-sarif\-max\-results\fR changes it, and how many were left out is said on stderr and in the run's toolExecutionNotifications.
"#,
        formats.join(", ")
    )
}

/// One page: clap_mangen's, [`output_section`] for the commands that scan, then [`TAIL`].
fn render(cmd: clap::Command, w: &mut dyn Write) -> std::io::Result<()> {
    let scans = ["nhiscan", "nhiscan-scan", "nhiscan-inventory"].contains(&cmd.get_name());
    clap_mangen::Man::new(cmd).render(w)?;
    if scans {
        w.write_all(output_section().as_bytes())?;
    }
    w.write_all(TAIL.as_bytes())
}

/// Every command as its page sees it: the root, then `nhiscan-<sub>` for each subcommand.
fn pages() -> Vec<clap::Command> {
    let mut root = super::command().disable_help_subcommand(true);
    root.build();
    let mut pages: Vec<clap::Command> = root
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| {
            // clap wants 'static names; a handful of pages, once per run.
            let name: &'static str =
                Box::leak(format!("nhiscan-{}", s.get_name()).into_boxed_str());
            let bin: &'static str = Box::leak(format!("nhiscan {}", s.get_name()).into_boxed_str());
            s.clone().name(name).display_name(name).bin_name(bin)
        })
        .collect();
    pages.insert(0, root);
    pages
}

pub fn run(args: ManArgs) -> Result<u8, Error> {
    let pages = pages();
    match (args.out_dir, args.command) {
        (Some(dir), _) => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Output {
                path: dir.clone(),
                source,
            })?;
            for page in pages {
                let path = dir.join(format!("{}.1", page.get_name()));
                atomic::write_file(&path, |w| render(page, w))?;
            }
        }
        (None, command) => {
            let wanted = command.map_or("nhiscan".to_string(), |c| format!("nhiscan-{c}"));
            let page = pages
                .into_iter()
                .find(|p| p.get_name() == wanted)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no man page for {wanted:?}; the commands are scan, inventory, rules, diff, completions, man and init"
                    ))
                })?;
            super::to_stdout(|w| render(page, w))?;
        }
    }
    Ok(exit::OK)
}
