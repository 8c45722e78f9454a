//! Providers turn a source (a file, the embedded demo, a live API) into
//! inventory. They never evaluate rules.
//!
//! Each provider is one folder, behind one trait ([`Provider`]): its CLI
//! flags and live collector, its offline importers, its enrichment hooks, its
//! own rules and remediation advice, its config section and its demo data.
//! The `providers!` list below is the only list of providers; adding one
//! is a folder plus one line there (see `docs/development.md`).

pub mod admin_api;
pub mod demo;
pub mod http;
pub mod input;
pub mod saved;

use std::path::Path;
use std::sync::LazyLock;

use crate::config::{Loaded, Schema, Section};
use crate::error::Error;
use crate::model::{Details, Identity, Inventory, Item, Kind, ProviderId};
use crate::progress::Progress;
use crate::rules::{self, Rule};

/// Declares each provider's module (its folder) and lists its
/// [`Provider`] in [`registry`], in order.
macro_rules! providers {
    ($($module:ident::$provider:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every provider, in a fixed order.
        pub fn registry() -> &'static [&'static dyn Provider] {
            &[$(&$module::$provider),*]
        }
    };
}

// The registry: one line per provider.
providers! {
    aws::Aws,
    github::Github,
    openai::OpenAi,
    anthropic::Anthropic,
    kubernetes::Kubernetes,
    entra::Entra,
    gcp::Gcp,
}

/// One platform nhiscan reads. Every hook but the first three has a default,
/// so a provider overrides only what it has.
pub trait Provider: Sync {
    /// The id in ids, output and config (`aws`): lowercase, no spaces.
    fn id(&self) -> ProviderId;

    /// The platform's name as its vendor writes it (`AWS`).
    fn name(&self) -> &'static str;

    /// Every kind the provider produces.
    fn kinds(&self) -> &'static [Kind];

    /// Its own rules, which apply only to what it reads.
    fn rules(&self) -> &'static [&'static dyn Rule] {
        &[]
    }

    /// Its own advice for a rule's findings on its items, when the rule's
    /// general remediation would not fit.
    fn remediation(&self, _rule: &str) -> Option<&'static str> {
        None
    }

    /// Its offline formats.
    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[]
    }

    /// Its part of `--demo`: files in its own formats, `(name, text)`.
    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Its `[providers.<id>]` config section.
    fn config(&self) -> Option<&'static dyn Section> {
        None
    }

    /// Adds its live-scan flags to `nhiscan scan`.
    fn args(&self, cmd: clap::Command) -> clap::Command {
        cmd
    }

    /// A line for `nhiscan --version` (the version of data it embeds).
    fn version_note(&self) -> Option<String> {
        None
    }

    /// The flag that starts its live scan, for the "nothing to scan" hint.
    fn live_flag(&self) -> Option<&'static str> {
        None
    }

    /// Its live collector, when its flags ask for one.
    fn live(&self, _matches: &clap::ArgMatches, _ctx: &Live) -> Result<Option<Collector>, Error> {
        Ok(None)
    }

    /// Enrichment, first step: facts only the provider can work out
    /// (privilege from policies, platform-managed items).
    fn assess(&self, _identity: &mut Identity, _config: &Loaded) {}

    /// Whether an identity is a person: `None` leaves it to the platform's
    /// reported verdict, then the core's (tags, then name patterns).
    fn classify(&self, _identity: &Identity, _config: &Loaded) -> Option<(bool, String)> {
        None
    }

    /// Whether an identity is an AI identity, and why.
    fn ai(&self, identity: &Identity, config: &Loaded) -> (bool, String) {
        let c = &config.config.classification;
        if let Some(tag) = Loaded::matching_tag(&identity.tags, &c.ai_tags) {
            return (true, format!("tag {tag}"));
        }
        if identity.item.human {
            return (false, "human identity".into());
        }
        match config.ai_name(&identity.item.name) {
            Some(p) => (true, format!("name matches {p}")),
            None => (false, "no AI tag or AI name pattern".into()),
        }
    }

    /// Whether a credential is AI in its own right (an AI platform's key),
    /// whoever holds it; `None` follows the holder.
    fn ai_credential(&self, _credential: &Item) -> Option<String> {
        None
    }

    /// Whether a credential without a privilege of its own shares its holder's.
    fn credentials_inherit_privilege(&self) -> bool {
        true
    }

    /// Whether nhiscan computes privilege for this provider's items (from
    /// policies), so a saved scan's privilege is not read back as a fact.
    fn computes_privilege(&self) -> bool {
        false
    }

    /// Its typed details back from the JSON v1 fields of a saved scan.
    fn details_from_wire(
        &self,
        _kind: Kind,
        _credential: bool,
        _fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        Ok(None)
    }
}

/// An offline format of a provider.
pub trait Importer: Sync {
    /// Whether the file is this format (or plainly meant to be, though broken).
    /// `sniff` gives the top-level JSON keys or the first line.
    fn detect(&self, sniff: &input::Sniff) -> bool;

    /// Reads the file into the inventory, one source per file. A broken file
    /// is an input error naming the file and, where possible, the line.
    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error>;
}

/// What every live collector is given.
#[derive(Clone)]
pub struct Live {
    /// Requests in flight (and accounts at once) a collector may use.
    pub concurrency: usize,
    pub progress: Progress,
}

/// A live read, made after the flags are parsed and before enrichment.
pub type Collector = Box<dyn FnOnce(&mut Inventory) -> Result<(), Error>>;

/// Looks a provider up by id.
pub fn get(id: &str) -> Option<&'static dyn Provider> {
    registry().iter().copied().find(|p| p.id() == id)
}

/// Every rule: the cross-provider ones, then each provider's, which only
/// ever see that provider's items.
pub fn rules() -> &'static [&'static dyn Rule] {
    static ALL: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
        let mut all = rules::core().to_vec();
        for p in registry() {
            for rule in p.rules() {
                let own: &'static OwnRule = Box::leak(Box::new(OwnRule {
                    provider: p.id(),
                    rule: *rule,
                }));
                all.push(own);
            }
        }
        all
    });
    &ALL
}

/// A provider's rule, shown only the provider's own items.
struct OwnRule {
    provider: ProviderId,
    rule: &'static dyn Rule,
}

impl Rule for OwnRule {
    fn meta(&self) -> &'static rules::RuleMeta {
        self.rule.meta()
    }

    fn type_name(&self) -> &'static str {
        self.rule.type_name()
    }

    fn check_identity(&self, ctx: &rules::Context, identity: &Identity, out: &mut rules::Sink) {
        if identity.item.provider == self.provider {
            self.rule.check_identity(ctx, identity, out);
        }
    }

    fn check_credential(
        &self,
        ctx: &rules::Context,
        identity: &Identity,
        credential: &crate::model::Credential,
        out: &mut rules::Sink,
    ) {
        if identity.item.provider == self.provider {
            self.rule.check_credential(ctx, identity, credential, out);
        }
    }
}

/// What a config file is validated against.
pub fn schema() -> Schema {
    Schema {
        rules: rules().iter().map(|r| r.meta().id).collect(),
        sections: registry().iter().filter_map(|p| p.config()).collect(),
    }
}

/// The advice for a finding of `rule` on an item of `provider`.
pub fn remediation(provider: &str, rule: &rules::RuleMeta) -> &'static str {
    get(provider)
        .and_then(|p| p.remediation(rule.id))
        .unwrap_or(rule.remediation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_ids_and_rule_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for p in registry() {
            assert!(ids.insert(p.id()), "duplicate provider {}", p.id());
            assert!(p.id().chars().all(|c| c.is_ascii_lowercase()), "{}", p.id());
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in rules() {
            assert!(
                seen.insert(r.meta().id),
                "duplicate rule id {}",
                r.meta().id
            );
        }
    }

    #[test]
    fn a_providers_rules_see_only_its_own_items() {
        use crate::model::{Class, Credential, KindInfo};
        const ROOT: Kind = Kind(&KindInfo::new("root", Class::Root));
        const KEY: Kind = Kind(&KindInfo::new("access-key", Class::AccessKey));
        let fired = |provider: ProviderId| {
            let mut holder = Item::new(
                format!("{provider}:x/root"),
                provider,
                "x".into(),
                ROOT,
                "root".into(),
            );
            holder.human = true;
            let mut identity = Identity::new(holder);
            let key = Item::new(
                format!("{provider}:x/root/key"),
                provider,
                "x".into(),
                KEY,
                "key".into(),
            );
            identity
                .credentials
                .push(Credential::new(&identity.item, key));
            let mut inventory = Inventory::default();
            inventory.add(identity);
            let config = Loaded::defaults();
            let now = jiff::Timestamp::UNIX_EPOCH;
            rules::evaluate(&inventory, rules(), &config, now)
                .findings
                .iter()
                .map(|f| f.rule_id())
                .collect::<Vec<_>>()
        };
        let owner = registry()
            .iter()
            .find(|p| p.rules().iter().any(|r| r.meta().id == "root-access-key"))
            .expect("a provider owns root-access-key")
            .id();
        assert!(fired(owner).contains(&"root-access-key"));
        let other = registry()
            .iter()
            .map(|p| p.id())
            .find(|id| *id != owner)
            .unwrap();
        assert!(!fired(other).contains(&"root-access-key"));
    }

    #[test]
    fn provider_rules_follow_the_one_name_rule() {
        for p in registry() {
            for r in p.rules() {
                rules::tests_support::check_names(*r, &format!("src/providers/{}/rules", p.id()));
            }
        }
    }
}
