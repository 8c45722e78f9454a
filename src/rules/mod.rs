//! The rules engine: an explicit registry of rules, each a pure function of
//! the inventory, the config and a fixed `now`.
//!
//! A rule overrides only the hook it needs ([`Rule::check_identity`] or
//! [`Rule::check_credential`]) and reports through a [`Sink`], which builds
//! every [`Finding`]. [`evaluate`] then applies, in this order: severity
//! overrides from config, suppressions (with expiry), and a stable sort.

mod finding;
mod machine;

mod admin_privilege;
mod ai_privileged;
mod all_repositories_access;
mod broad_trust;
mod console_access;
mod departed_owner;
mod expired_certificate;
mod inactive_credential;
mod missing_owner;
mod multiple_active_keys;
mod never_used;
mod no_expiry;
mod privilege_escalation;
mod root_access_key;
mod unrotated_credential;
mod unused_credential;
mod webhook_without_secret;
mod wildcard_privilege;
mod write_deploy_key;

pub use finding::{Finding, Severity};

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::config::{Limits, Loaded, Thresholds};
use crate::inventory::time::days_between;
use crate::inventory::{Credential, Identity, Inventory, Item, LastUsed};

/// Docs base: each rule is documented under an anchor named by its id.
pub const DOCS_URL: &str = "https://github.com/nhiscan/nhiscan/blob/main/README.md";

/// What a rule is, independent of any finding.
#[derive(Debug)]
pub struct RuleMeta {
    /// kebab-case id; the file is the id in snake_case, the type in CamelCase.
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// What to do about a finding.
    pub remediation: &'static str,
}

impl RuleMeta {
    /// The rule's documentation URL.
    pub fn help_uri(&self) -> String {
        [DOCS_URL, "#", self.id].concat()
    }
}

/// What a rule sees besides the inventory.
pub struct Context<'a> {
    pub config: &'a Loaded,
    pub now: Timestamp,
}

impl Context<'_> {
    /// Whole days from `then` to now.
    pub fn days_since(&self, then: Timestamp) -> i64 {
        days_between(then, self.now)
    }

    /// The configured thresholds.
    pub fn thresholds(&self) -> &Thresholds {
        &self.config.config.thresholds
    }

    /// The lifecycle limits for an item: `[thresholds.ai]` for AI items.
    pub fn limits(&self, item: &Item) -> Limits {
        self.thresholds().limits(item.ai)
    }

    /// `threshold 90`, or `AI threshold 30` for an AI item, for messages.
    pub fn threshold(&self, item: &Item, days: i64) -> String {
        let ai = if item.ai { "AI " } else { "" };
        format!("{ai}threshold {days}")
    }

    /// `last used 12 days ago`, `never used` or `last use unknown`, for messages.
    pub fn describe_use(&self, last_used: LastUsed) -> String {
        match last_used {
            LastUsed::At(t) => format!("last used {} days ago", self.days_since(t)),
            LastUsed::Never => "never used".into(),
            LastUsed::Unknown => "last use unknown".into(),
        }
    }
}

/// One check. Override the hook at the level the problem belongs to.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// The implementing type's path; its last segment is the id in CamelCase.
    fn type_name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// Called once per identity.
    fn check_identity(&self, _ctx: &Context, _identity: &Identity, _out: &mut Sink) {}

    /// Called once per credential, with its holder.
    fn check_credential(
        &self,
        _ctx: &Context,
        _identity: &Identity,
        _credential: &Credential,
        _out: &mut Sink,
    ) {
    }
}

/// Every rule, in a fixed order. Adding a rule is one line here.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &missing_owner::MissingOwner,
        &departed_owner::DepartedOwner,
        &admin_privilege::AdminPrivilege,
        &ai_privileged::AiPrivileged,
        &privilege_escalation::PrivilegeEscalation,
        &wildcard_privilege::WildcardPrivilege,
        &broad_trust::BroadTrust,
        &root_access_key::RootAccessKey,
        &unused_credential::UnusedCredential,
        &never_used::NeverUsed,
        &unrotated_credential::UnrotatedCredential,
        &multiple_active_keys::MultipleActiveKeys,
        &inactive_credential::InactiveCredential,
        &no_expiry::NoExpiry,
        &console_access::ConsoleAccess,
        &expired_certificate::ExpiredCertificate,
        &write_deploy_key::WriteDeployKey,
        &all_repositories_access::AllRepositoriesAccess,
        &webhook_without_secret::WebhookWithoutSecret,
    ]
}

/// Looks a rule up by id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    registry().iter().copied().find(|r| r.meta().id == id)
}

/// Where a rule reports. Builds each finding from the rule's metadata.
pub struct Sink<'a> {
    meta: &'static RuleMeta,
    findings: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    /// Reports a problem that belongs to the identity itself.
    pub fn identity(&mut self, identity: &Identity, message: String) {
        self.findings.push(
            Finding::builder(self.meta, identity)
                .message(message)
                .build(),
        );
    }

    /// Reports a problem that belongs to one credential.
    pub fn credential(&mut self, identity: &Identity, credential: &Credential, message: String) {
        self.findings.push(
            Finding::builder(self.meta, identity)
                .credential(credential)
                .message(message)
                .build(),
        );
    }
}

/// The outcome of evaluating an inventory.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Findings that count, sorted by severity (highest first), rule, identity, credential.
    pub findings: Vec<Finding>,
    /// How many findings a suppression silenced.
    pub suppressed: usize,
    /// Expired and unmatched suppressions, for the user to clean up.
    pub warnings: Vec<String>,
    /// How many findings `--min-severity` left out of `findings`.
    pub hidden: usize,
    /// Set when the findings were compared with a `--baseline`.
    pub baseline: Option<crate::baseline::Applied>,
}

/// Runs every enabled rule over the inventory.
pub fn evaluate(inventory: &Inventory, config: &Loaded, now: Timestamp) -> Evaluation {
    let ctx = Context { config, now };
    let mut raw = Vec::new();
    for rule in registry() {
        let meta = rule.meta();
        if !config.enabled(meta.id) {
            continue;
        }
        let mut sink = Sink {
            meta,
            findings: &mut raw,
        };
        for identity in inventory.identities() {
            rule.check_identity(&ctx, identity, &mut sink);
            for credential in &identity.credentials {
                rule.check_credential(&ctx, identity, credential, &mut sink);
            }
        }
    }
    for f in &mut raw {
        f.severity = config.severity(&f.rule_id, f.severity);
    }
    let mut eval = suppress(raw, config, now);
    eval.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.identity_id.cmp(&b.identity_id))
            .then_with(|| a.credential_id.cmp(&b.credential_id))
    });
    eval
}

/// Applies `[[suppress]]` entries and reports the ones that expired or matched nothing.
fn suppress(raw: Vec<Finding>, config: &Loaded, now: Timestamp) -> Evaluation {
    let origin = config
        .path
        .as_ref()
        .map_or_else(|| "config".to_string(), |p| p.display().to_string());
    let entries = &config.suppressions;
    let expired: Vec<bool> = entries
        .iter()
        .map(|s| {
            s.expires.is_some_and(|d| {
                d.to_zoned(TimeZone::UTC)
                    .map_or(true, |z| now >= z.timestamp())
            })
        })
        .collect();
    let mut hits = vec![0usize; entries.len()];
    let mut eval = Evaluation::default();
    for finding in raw {
        let matched = entries.iter().enumerate().find(|(_, s)| {
            (s.rule == "*" || s.rule == finding.rule_id)
                && (s.identity.is_match(&finding.identity_id)
                    || finding
                        .credential_id
                        .as_deref()
                        .is_some_and(|c| s.identity.is_match(c)))
        });
        match matched {
            Some((i, _)) => {
                hits[i] += 1;
                if expired[i] {
                    eval.findings.push(finding);
                } else {
                    eval.suppressed += 1;
                }
            }
            None => eval.findings.push(finding),
        }
    }
    for (i, s) in entries.iter().enumerate() {
        let what = format!(
            "{origin}:{}: suppression of {} on {:?}",
            s.line, s.rule, s.pattern
        );
        if expired[i] {
            let date = s.expires.map(|d| d.to_string()).unwrap_or_default();
            eval.warnings.push(format!(
                "{what} expired on {date} and no longer applies ({} finding(s) count again)",
                hits[i]
            ));
        } else if hits[i] == 0 {
            eval.warnings.push(format!(
                "{what} matched no finding; remove it if it is no longer needed"
            ));
        }
    }
    eval
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_match_type_and_file_names() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in registry() {
            let id = rule.meta().id;
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            let camel: String = id
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            let type_name = rule.type_name();
            assert!(
                type_name.ends_with(&format!("::{camel}")),
                "{id} is implemented by {type_name}"
            );
            let file = format!(
                "{}/src/rules/{}.rs",
                env!("CARGO_MANIFEST_DIR"),
                id.replace('-', "_")
            );
            assert!(std::path::Path::new(&file).is_file(), "{file} missing");
        }
    }

    #[test]
    fn every_rule_is_documented_under_its_anchor() {
        let readme = include_str!("../../README.md");
        for rule in registry() {
            let id = rule.meta().id;
            assert!(
                readme.contains(&format!("### `{id}`")),
                "README has no section for {id}"
            );
        }
    }
}
