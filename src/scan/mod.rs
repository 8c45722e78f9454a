//! One scan: collect the inventory, enrich it, evaluate the rules, and decide
//! the exit code. Collection comes first and is the only phase that reads
//! files or the network; enrichment and rules are pure functions of the
//! inventory, the config and the clock.

pub mod enrich;

use std::path::PathBuf;

use jiff::Timestamp;

use crate::baseline::{Marks, State};
use crate::config::Loaded;
use crate::error::Error;
use crate::model::Inventory;
use crate::providers::{self, demo, input, Collector};
use crate::rules::{self, Evaluation, Severity};

/// What to scan.
#[derive(Default)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    pub demo: bool,
    /// Live reads, one per provider whose flags asked for one.
    pub live: Vec<Collector>,
}

/// A finished scan.
#[derive(Debug, Clone)]
pub struct Scan {
    pub now: Timestamp,
    pub inventory: Inventory,
    pub evaluation: Evaluation,
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

impl Request {
    /// The clock: `--now`, else the demo's frozen one for a demo-only scan,
    /// else the real time (a live source or a file needs today's).
    pub fn now(&self, explicit: Option<Timestamp>) -> Timestamp {
        match explicit {
            Some(t) => t,
            None if self.demo && self.inputs.is_empty() && self.live.is_empty() => demo::NOW,
            None => Timestamp::now(),
        }
    }
}

/// Collects the inventory from every source the request names.
pub fn collect(request: Request) -> Result<Inventory, Error> {
    let mut inventory = Inventory::default();
    if request.demo {
        demo::load(&mut inventory)?;
    }
    input::load(&request.inputs, &mut inventory)?;
    for collector in request.live {
        collector(&mut inventory)?;
    }
    sanitize(&mut inventory);
    if inventory.sources.is_empty() {
        let flags: Vec<&str> = providers::registry()
            .iter()
            .filter_map(|p| p.live_flag())
            .collect();
        return Err(Error::Usage(format!(
            "nothing to scan: pass --input PATH (a file or directory of exports), --demo, or {}",
            flags.join(", ")
        )));
    }
    Ok(inventory)
}

/// The last line of defence before anything is stored or printed: every
/// source's error and location lose credential-shaped text and URL
/// userinfo, and tags whose keys name a secret lose their values.
fn sanitize(inventory: &mut Inventory) {
    use crate::util::redact::{looks_secret_key, scrub_shapes, strip_userinfo, REDACTED};
    for source in &mut inventory.sources {
        source.location = strip_userinfo(&source.location);
        if let Some(error) = &mut source.error {
            *error = scrub_shapes(&strip_userinfo(error));
        }
    }
    for identity in inventory.identities_mut() {
        for (key, value) in identity.tags.iter_mut() {
            if looks_secret_key(key) {
                *value = REDACTED.to_string();
            }
        }
    }
}

/// Enriches and evaluates a collected inventory.
pub fn evaluate(mut inventory: Inventory, config: &Loaded, now: Timestamp) -> Scan {
    enrich::enrich(&mut inventory, config);
    let mut evaluation = rules::evaluate(&inventory, providers::rules(), config, now);
    let mut warnings = std::mem::take(&mut inventory.warnings);
    warnings.append(&mut evaluation.warnings);
    evaluation.warnings = warnings;
    for f in &mut evaluation.findings {
        f.remediation = providers::remediation(f.provider, f.rule);
    }
    Scan {
        now,
        inventory,
        evaluation,
    }
}

/// Collects, enriches and evaluates.
pub fn run(request: Request, config: &Loaded, now: Timestamp) -> Result<Scan, Error> {
    Ok(evaluate(collect(request)?, config, now))
}

impl Scan {
    /// The exit code: 3 if any source is incomplete, else 1 if a finding that
    /// is not baselined is at or above `fail_on`, else 0. It counts every
    /// finding, whatever `--min-severity` hides.
    pub fn exit_code(&self, fail_on: Option<Severity>, baseline: Option<&Marks>) -> u8 {
        let fails = |t: Severity| {
            self.evaluation
                .findings
                .iter()
                .any(|f| f.severity >= t && baseline.is_none_or(|b| b.state(f) != State::Baselined))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_tags_are_sanitized_before_anything_is_printed() {
        use crate::model::{Class, Identity, Kind, KindInfo, Source};
        const USER: Kind = Kind(&KindInfo::new("user", Class::User));
        let mut inventory = Inventory::default();
        let mut source = Source::new("example", "example-api", "http://u:PASSWORD@proxy/orgs/a");
        source.error = Some("HTTP 502: proxy saw Bearer ghs_Abcdefgh12345678".into());
        let mut identity = Identity::new(crate::model::Item::new(
            "example:1/user/a".into(),
            "example",
            "1".into(),
            USER,
            "a".into(),
        ));
        identity
            .tags
            .insert("aws_secret_access_key".into(), "wJalrXUtnFEMI".into());
        identity.tags.insert("team".into(), "platform".into());
        inventory.add_source(source, vec![identity]);
        sanitize(&mut inventory);
        let s = &inventory.sources[0];
        assert_eq!(s.location, "http://proxy/orgs/a");
        assert_eq!(
            s.error.as_deref(),
            Some("HTTP 502: proxy saw Bearer <redacted>")
        );
        let tags = &inventory.get("example:1/user/a").unwrap().tags;
        assert_eq!(tags["aws_secret_access_key"], "<redacted>");
        assert_eq!(tags["team"], "platform");
    }

    #[test]
    fn the_demo_clock_is_only_for_a_demo_alone() {
        let explicit: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let demo = Request {
            demo: true,
            ..Request::default()
        };
        assert_eq!(demo.now(None), demo::NOW);
        assert_eq!(demo.now(Some(explicit)), explicit);
        // `--demo --github-org ORG` reads a live source: it needs today's clock.
        let live = Request {
            demo: true,
            live: vec![Box::new(|_: &mut Inventory| Ok(()))],
            ..Request::default()
        };
        assert_ne!(live.now(None), demo::NOW);
        let files = Request {
            demo: true,
            inputs: vec!["exports".into()],
            ..Request::default()
        };
        assert_ne!(files.now(None), demo::NOW);
    }
}
