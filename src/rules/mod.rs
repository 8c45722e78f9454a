//! The rules engine: an explicit registry of rules, each a pure function of
//! the inventory, the config and a fixed `now`.
//!
//! A rule overrides only the hook it needs ([`Rule::check_identity`] or
//! [`Rule::check_credential`]) and reports through a [`Sink`], which builds
//! every [`Finding`]. [`evaluate`] then applies, in this order: severity
//! overrides from config, suppressions (with expiry), and a stable sort.

mod finding;
mod machine;
mod owasp;

mod admin_privilege;
mod ai_privileged;
mod broad_trust;
mod departed_owner;
mod expired_certificate;
mod inactive_credential;
mod missing_owner;
mod multiple_active_keys;
mod never_used;
mod no_expiry;
mod privilege_escalation;
mod unrotated_credential;
mod unused_credential;
mod wildcard_privilege;

pub use crate::model::Severity;
pub use finding::{fingerprint, Finding};
pub use machine::holder as machine_holder;
pub use owasp::Risk;

use std::cmp::Ordering;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Limits, Loaded, Thresholds};
use crate::model::time::days_between;
use crate::model::{Credential, Identity, Inventory, Item, LastUsed};

/// Docs base: each rule has its page at `<DOCS_URL><id>.md`.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

/// What a rule is, independent of any finding. Declare it with
/// [`rule_meta!`](crate::rule_meta), which writes the id once.
#[derive(Debug)]
pub struct RuleMeta {
    /// kebab-case id; the file is the id in snake_case, the type in CamelCase,
    /// the docs page `docs/rules/<id>.md`, the fixtures `fixtures/rules/<id>/`.
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// What to do about a finding, unless the provider gives its own advice.
    pub remediation: &'static str,
    /// The OWASP Non-Human Identities Top 10 (2025) risk it covers.
    pub owasp: Risk,
    /// Its documentation page (`docs/rules/<id>.md`), embedded.
    pub docs: &'static str,
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for RuleMeta {}

impl RuleMeta {
    /// The rule's documentation URL.
    pub fn help_uri(&self) -> String {
        [DOCS_URL, self.id, ".md"].concat()
    }
}

/// Declares a rule's [`RuleMeta`] with its id written once; the docs page
/// `docs/rules/<id>.md` is embedded, so a rule without one does not build.
#[macro_export]
macro_rules! rule_meta {
    (
        id: $id:literal,
        severity: $severity:ident,
        owasp: $owasp:ident,
        summary: $summary:expr,
        remediation: $remediation:expr $(,)?
    ) => {
        $crate::rules::RuleMeta {
            id: $id,
            severity: $crate::rules::Severity::$severity,
            summary: $summary,
            remediation: $remediation,
            owasp: $crate::rules::Risk::$owasp,
            docs: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/docs/rules/",
                $id,
                ".md"
            )),
        }
    };
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

    /// Called once per item, identity or credential, by the default
    /// [`check_identity`](Rule::check_identity) and
    /// [`check_credential`](Rule::check_credential). A rule whose check is the
    /// same for both overrides only this.
    fn check_item(&self, _ctx: &Context, _at: At, _out: &mut Sink) {}

    /// Called once per identity.
    fn check_identity(&self, ctx: &Context, identity: &Identity, out: &mut Sink) {
        self.check_item(
            ctx,
            At {
                identity,
                credential: None,
            },
            out,
        );
    }

    /// Called once per credential, with its holder.
    fn check_credential(
        &self,
        ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        self.check_item(
            ctx,
            At {
                identity,
                credential: Some(credential),
            },
            out,
        );
    }
}

/// An item a rule looks at: an identity, or one of its credentials.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub identity: &'a Identity,
    pub credential: Option<&'a Credential>,
}

impl<'a> At<'a> {
    /// The item itself: the credential's, or else the identity's.
    pub fn item(&self) -> &'a Item {
        match self.credential {
            Some(c) => &c.item,
            None => &self.identity.item,
        }
    }
}

/// The cross-provider rules, in a fixed order. Adding a rule is one line
/// here; a provider's own rules are listed by the provider.
pub fn core() -> &'static [&'static dyn Rule] {
    &[
        &missing_owner::MissingOwner,
        &departed_owner::DepartedOwner,
        &admin_privilege::AdminPrivilege,
        &ai_privileged::AiPrivileged,
        &privilege_escalation::PrivilegeEscalation,
        &wildcard_privilege::WildcardPrivilege,
        &broad_trust::BroadTrust,
        &unused_credential::UnusedCredential,
        &never_used::NeverUsed,
        &unrotated_credential::UnrotatedCredential,
        &multiple_active_keys::MultipleActiveKeys,
        &inactive_credential::InactiveCredential,
        &no_expiry::NoExpiry,
        &expired_certificate::ExpiredCertificate,
    ]
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

    /// Reports a problem on the item `at` names.
    pub fn at(&mut self, at: At, message: String) {
        match at.credential {
            Some(c) => self.credential(at.identity, c, message),
            None => self.identity(at.identity, message),
        }
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
}

/// Identities per parallel work unit in [`evaluate`].
const CHUNK: usize = 4096;

/// Runs every enabled rule of `rules` over the inventory, in parallel across
/// identities (rayon's global pool). The findings, and so every output, are
/// the same whatever the number of threads.
pub fn evaluate(
    inventory: &Inventory,
    rules: &[&'static dyn Rule],
    config: &Loaded,
    now: Timestamp,
) -> Evaluation {
    let ctx = Context { config, now };
    let enabled: Vec<&dyn Rule> = rules
        .iter()
        .copied()
        .filter(|r| config.enabled(r.meta().id))
        .collect();
    let identities: Vec<&Identity> = inventory.identities().collect();
    // Identities are checked in parallel, in chunks; each chunk keeps one list
    // per rule. Joined rule by rule, chunk by chunk, they give the findings in
    // the same order as one thread checking every rule over every identity.
    let chunks: Vec<Vec<Vec<Finding>>> = identities
        .par_chunks(CHUNK)
        .map(|chunk| {
            enabled
                .iter()
                .map(|rule| {
                    let mut findings = Vec::new();
                    let mut sink = Sink {
                        meta: rule.meta(),
                        findings: &mut findings,
                    };
                    for identity in chunk {
                        rule.check_identity(&ctx, identity, &mut sink);
                        for credential in &identity.credentials {
                            rule.check_credential(&ctx, identity, credential, &mut sink);
                        }
                    }
                    findings
                })
                .collect::<Vec<Vec<Finding>>>()
        })
        .collect();
    // One list per rule, its findings in identity order.
    let mut chunks: Vec<_> = chunks.into_iter().map(Vec::into_iter).collect();
    let mut groups: Vec<Vec<Finding>> = enabled
        .iter()
        .map(|_| {
            let parts: Vec<Vec<Finding>> = chunks.iter_mut().flat_map(|c| c.next()).collect();
            let mut group = Vec::with_capacity(parts.iter().map(Vec::len).sum());
            parts.into_iter().for_each(|p| group.extend(p));
            group
        })
        .collect();
    for f in groups.iter_mut().flatten() {
        f.severity = config.severity(f.rule.id, f.severity);
    }
    let findings = sorted(groups);
    suppress(findings, config, now)
}

/// The order of findings: severity (highest first), rule, identity, credential.
fn order(a: &Finding, b: &Finding) -> Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.rule.id.cmp(b.rule.id))
        .then_with(|| a.identity_id.cmp(&b.identity_id))
        .then_with(|| a.credential_id.cmp(&b.credential_id))
}

/// The findings of every rule, in [`order`], as a stable sort of the rules'
/// lists joined in turn would give them. A rule's list is usually sorted
/// already (identities and credentials are checked in id order) and all its
/// findings share a severity: then sorting the lists by their rule is enough.
fn sorted(mut groups: Vec<Vec<Finding>>) -> Vec<Finding> {
    let uniform = groups.iter().all(|g| {
        g.first().is_none_or(|first| {
            g.iter()
                .all(|f| f.severity == first.severity && f.rule.id == first.rule.id)
        })
    });
    let total = groups.iter().map(Vec::len).sum();
    let mut all = Vec::with_capacity(total);
    if uniform {
        groups.retain(|g| !g.is_empty());
        for g in &mut groups {
            if !g.is_sorted_by(|a, b| order(a, b) != Ordering::Greater) {
                g.par_sort_by(order);
            }
        }
        // Stable: two lists of one rule (there are none today) keep their turn.
        groups.sort_by(|a, b| order_of_rule(&a[0], &b[0]));
        groups.into_iter().for_each(|g| all.extend(g));
    } else {
        groups.into_iter().for_each(|g| all.extend(g));
        // A stable sort: findings that compare equal keep the order above.
        all.par_sort_by(order);
    }
    all
}

/// The part of [`order`] that a rule decides: severity, then rule id.
fn order_of_rule(a: &Finding, b: &Finding) -> Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.rule.id.cmp(b.rule.id))
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
    if entries.is_empty() {
        eval.findings = raw;
        return eval;
    }
    eval.findings.reserve(raw.len());
    for finding in raw {
        let matched = entries.iter().enumerate().find(|(_, s)| {
            (s.rule == "*" || s.rule == finding.rule.id)
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
    fn core_ids_are_unique_kebab_case_and_match_type_and_file_names() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in core() {
            let id = rule.meta().id;
            assert!(seen.insert(id), "duplicate rule id {id}");
            tests_support::check_names(*rule, "src/rules");
        }
    }
}

/// Checks shared by the rule tests here and in the providers.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// The one-name rule: id `a-b`, type `AB`, file `<dir>/a_b.rs`, docs page `docs/rules/a-b.md`.
    pub(crate) fn check_names(rule: &dyn Rule, dir: &str) {
        let id = rule.meta().id;
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
        let root = env!("CARGO_MANIFEST_DIR");
        let file = format!("{root}/{dir}/{}.rs", id.replace('-', "_"));
        assert!(std::path::Path::new(&file).is_file(), "{file} missing");
        let docs = rule.meta().docs;
        assert!(
            docs.starts_with(&format!("# `{id}`")),
            "docs/rules/{id}.md title"
        );
    }
}
