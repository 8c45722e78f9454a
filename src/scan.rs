//! One scan: collect the inventory, enrich it, evaluate the rules, and decide
//! the exit code.

use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::config::Loaded;
use crate::error::Error;
use crate::inventory::{enrich, Inventory};
use crate::providers;
use crate::rules::{self, Evaluation, Severity};

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub demo: bool,
    /// GitHub organizations to read live.
    pub github: Option<providers::github::Options>,
}

/// A finished scan.
#[derive(Debug, Clone)]
pub struct Scan {
    pub now: Timestamp,
    pub inventory: Inventory,
    pub evaluation: Evaluation,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub identities: usize,
    pub non_human: usize,
    pub credentials: usize,
    pub findings: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub suppressed: usize,
    pub sources: usize,
    /// Sources that failed or were read partially.
    pub sources_incomplete: usize,
}

/// Exit codes, documented in the README.
pub mod exit {
    /// Complete scan, nothing at or above `--fail-on`.
    pub const OK: u8 = 0;
    /// A finding is at or above `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Usage, config or input error: nothing was scanned.
    pub const ERROR: u8 = 2;
    /// A source failed: the scan is partial.
    pub const PARTIAL: u8 = 3;
}

/// Collects, enriches and evaluates.
pub fn run(request: &Request, config: &Loaded, now: Timestamp) -> Result<Scan, Error> {
    let mut inventory = Inventory::default();
    if request.demo {
        providers::demo::load(&mut inventory)?;
    }
    providers::input::load(&request.inputs, &mut inventory)?;
    if let Some(github) = &request.github {
        providers::github::collect(github, &mut inventory)?;
    }
    if inventory.sources.is_empty() {
        return Err(Error::Usage(
            "nothing to scan: pass --input PATH (a file or directory of AWS exports), \
             --github-org ORG, or --demo"
                .into(),
        ));
    }
    enrich::enrich(&mut inventory, config);
    let evaluation = rules::evaluate(&inventory, config, now);
    Ok(Scan {
        now,
        inventory,
        evaluation,
    })
}

impl Scan {
    /// Counts over the inventory and findings.
    pub fn summary(&self) -> Summary {
        let inv = &self.inventory;
        let count = |s: Severity| {
            self.evaluation
                .findings
                .iter()
                .filter(|f| f.severity == s)
                .count()
        };
        Summary {
            identities: inv.identities().len(),
            non_human: inv.identities().filter(|i| !i.item.human).count(),
            credentials: inv.identities().map(|i| i.credentials.len()).sum(),
            findings: self.evaluation.findings.len(),
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            suppressed: self.evaluation.suppressed,
            sources: inv.sources.len(),
            sources_incomplete: inv
                .sources
                .iter()
                .filter(|s| s.status.is_incomplete())
                .count(),
        }
    }

    /// The exit code: 3 if any source is incomplete, else 1 if a finding is
    /// at or above `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> u8 {
        if self.inventory.is_partial() {
            exit::PARTIAL
        } else if fail_on.is_some_and(|t| self.evaluation.findings.iter().any(|f| f.severity >= t))
        {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}
