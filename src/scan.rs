//! One scan: collect the inventory, enrich it, evaluate the rules, and decide
//! the exit code.

use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::baseline::{self, State};
use crate::config::Loaded;
use crate::error::Error;
use crate::inventory::{enrich, Inventory, Item, Status};
use crate::progress::Progress;
use crate::providers::{self, admin_api};
use crate::rules::{self, Evaluation, Severity};

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub demo: bool,
    /// `--openai`: the OpenAI admin API to read.
    pub openai: Option<providers::openai::Target>,
    /// `--anthropic`: the Anthropic admin API to read.
    pub anthropic: Option<admin_api::Endpoint>,
    /// How live API reads retry throttled and failed requests.
    pub retry: admin_api::Retry,
    /// Show a progress bar during live reads (only on a terminal).
    pub progress: bool,
    /// `--aws`: scan live AWS with these options.
    pub aws: Option<providers::aws::live::Options>,
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
    /// AI identities: identities marked AI, plus AI credentials held by a
    /// non-AI identity (a person's OpenAI key is an AI identity of its own).
    #[serde(default)]
    pub ai: usize,
    /// Those of them, not expired, with no owner or an owner who has left.
    #[serde(default)]
    pub ai_unowned: usize,
    /// Findings below `--min-severity`, left out of the output.
    #[serde(default)]
    pub hidden: usize,
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
    let live = request.openai.is_some() || request.anthropic.is_some();
    let progress = if live {
        Progress::new(request.progress)
    } else {
        Progress::hidden()
    };
    if let Some(target) = &request.openai {
        providers::openai::collect(target, request.retry, &progress, &mut inventory);
    }
    if let Some(endpoint) = &request.anthropic {
        providers::anthropic::collect(endpoint.clone(), request.retry, &progress, &mut inventory);
    }
    if let Some(options) = &request.aws {
        providers::aws::live::collect(options, &mut inventory)?;
    }
    if let Some(github) = &request.github {
        providers::github::collect(github, &mut inventory)?;
    }
    progress.finish();
    if inventory.sources.is_empty() {
        return Err(Error::Usage(
            "nothing to scan: pass --input PATH (a file or directory of exports), --demo, \
             --aws, --github-org ORG, --openai or --anthropic"
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
        let ai: Vec<&Item> = inv
            .identities()
            .flat_map(|i| {
                let own = i.item.ai.then_some(&i.item);
                let held = i
                    .credentials
                    .iter()
                    .filter(|c| c.item.ai && !i.item.ai)
                    .map(|c| &c.item);
                own.into_iter().chain(held)
            })
            .collect();
        Summary {
            ai: ai.len(),
            ai_unowned: ai
                .iter()
                .filter(|i| i.status != Status::Expired)
                .filter(|i| i.owner.as_ref().is_none_or(|o| o.departed))
                .count(),
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
            hidden: self.evaluation.hidden,
        }
    }

    /// With a baseline: the findings that are new and baselined, and the
    /// baselined ones resolved.
    pub fn baseline_counts(&self) -> Option<baseline::Counts> {
        let applied = self.evaluation.baseline.as_ref()?;
        let new = self
            .evaluation
            .findings
            .iter()
            .filter(|f| f.baseline == Some(State::New))
            .count();
        Some(baseline::Counts {
            new,
            baselined: self.evaluation.findings.len() - new,
            resolved: applied.resolved.len(),
        })
    }

    /// Leaves findings below `min` out of the output, counting them as hidden.
    /// Decide the exit code first: it counts every finding.
    pub fn hide_below(&mut self, min: Severity) {
        let before = self.evaluation.findings.len();
        self.evaluation.findings.retain(|f| f.severity >= min);
        self.evaluation.hidden += before - self.evaluation.findings.len();
    }

    /// The exit code: 3 if any source is incomplete, else 1 if a finding that
    /// is not baselined is at or above `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> u8 {
        let fails = |t: Severity| {
            self.evaluation
                .findings
                .iter()
                .any(|f| f.severity >= t && f.baseline != Some(State::Baselined))
        };
        if self.inventory.is_partial() {
            exit::PARTIAL
        } else if fail_on.is_some_and(fails) {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}
