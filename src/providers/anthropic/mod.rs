//! Anthropic: the organization admin API, read live (`--anthropic`, key from
//! `ANTHROPIC_ADMIN_KEY`), or a saved tenant snapshot read with `--input`.
//!
//! [`model`] holds the vendor's object shapes, [`client`] reads them into one
//! [`model::Tenant`], and [`convert`] turns a tenant into inventory without
//! any I/O. [`Anthropic`] plugs it into nhiscan.

pub mod client;
pub mod convert;
pub mod model;

use std::path::Path;

use clap::{Args, FromArgMatches};

use crate::error::{json_error, Error};
use crate::model::{Class, Inventory, Kind, KindInfo, ProviderId};
use crate::progress::Progress;
use crate::providers::admin_api::{self, Client, Endpoint, Retry};
use crate::providers::input::Sniff;
use crate::providers::{Collector, Importer, Live, Provider};

/// The provider id, in ids (`anthropic:ORG/...`), output and config.
pub const ID: ProviderId = "anthropic";
/// The platform's name as Anthropic writes it.
pub const NAME: &str = "Anthropic";

/// A person in the organization, holding the keys they created.
pub const USER: Kind = Kind(&KindInfo::new("user", Class::User));
/// A workspace, holding keys with no recorded human creator. It holds keys
/// but is not a `container`: nobody answers for those keys but its owner, so
/// `missing-owner` applies to it.
pub const WORKSPACE: Kind = Kind(&KindInfo::new("workspace", Class::Container));
/// An API key.
pub const API_KEY: Kind = Kind(&KindInfo::new("api-key", Class::ApiKey).expiring());

/// The Anthropic provider.
pub struct Anthropic;

impl Provider for Anthropic {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn kinds(&self) -> &'static [Kind] {
        &[USER, WORKSPACE, API_KEY]
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "admin-privilege" => {
                "Give workloads API keys of the one workspace they use instead of an Admin API \
                 key; keep admin keys for provisioning only, held by few people, and delete the \
                 ones nothing needs."
            }
            "unrotated-credential" => {
                "Rotate the key: create a new one in the same workspace, move the workload to it, \
                 then archive the old one; give the new key an expiry date."
            }
            "missing-owner" => {
                "Anthropic items carry no owner tags: map the workspace to an owner with an \
                 [[owners]] entry in nhiscan.toml, or have a current member reissue its keys so \
                 they have a recorded creator; archive the keys nobody claims."
            }
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[&SnapshotImporter]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "anthropic-tenant.json",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/demo/anthropic-tenant.json"
            )),
        )]
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        AnthropicArgs::augment_args(cmd)
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--anthropic")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args =
            AnthropicArgs::from_arg_matches(matches).map_err(|e| Error::Usage(e.to_string()))?;
        if !args.anthropic {
            return Ok(None);
        }
        let endpoint =
            admin_api::endpoint_from_env("--anthropic", KEY_ENV, &args.anthropic_api_url)?;
        let progress = ctx.progress.clone();
        Ok(Some(Box::new(move |inventory: &mut Inventory| {
            collect(endpoint, Retry::default(), &progress, inventory);
            Ok(())
        })))
    }

    admin_api::shared_provider_methods!(NAME);
}

/// `scan`'s Anthropic flags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Live Anthropic")]
struct AnthropicArgs {
    /// Read an Anthropic organization through its admin API (key in ANTHROPIC_ADMIN_KEY).
    #[arg(long)]
    anthropic: bool,

    /// Base URL of the Anthropic admin API.
    #[arg(long, value_name = "URL", default_value = DEFAULT_URL, requires = "anthropic")]
    anthropic_api_url: String,
}

/// A tenant snapshot (`"nhiscan_anthropic_snapshot": 1`, or the legacy
/// `"nhiscan_snapshot": "anthropic"`).
pub struct SnapshotImporter;

impl Importer for SnapshotImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        admin_api::is_snapshot(sniff, ID, model::MARKER)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        import(path, text, inventory)
    }
}

/// The environment variable holding the admin key.
pub const KEY_ENV: &str = "ANTHROPIC_ADMIN_KEY";
/// The API's base URL.
pub const DEFAULT_URL: &str = "https://api.anthropic.com/v1";
/// The API version nhiscan's models follow.
pub const API_VERSION: &str = "2023-06-01";

/// Reads the organization behind `endpoint`. A failure (a rejected key,
/// throttling that does not let up) becomes a failed source, never an error.
pub fn collect(endpoint: Endpoint, retry: Retry, progress: &Progress, inventory: &mut Inventory) {
    let location = endpoint.base_url.clone();
    let auth = ("x-api-key", endpoint.key.expose().to_string());
    let extra = [("anthropic-version", API_VERSION)];
    let api = Client::new(
        endpoint,
        auth,
        &extra,
        "after_id",
        100,
        retry,
        progress.clone(),
    );
    let (calls, tenant) = admin_api::run(api, client::fetch);
    let scope = tenant.as_ref().map_or_else(
        |_| "anthropic".to_string(),
        |t| t.tenant.organization.id.clone(),
    );
    let result = tenant.map(|t| admin_api::Outcome {
        identities: convert::identities(&t.tenant),
        problems: t.problems,
    });
    admin_api::record(
        inventory,
        ID,
        scope,
        "anthropic-admin-api".into(),
        location,
        result,
        &calls,
    );
}

/// Reads a tenant snapshot file, after checking its marker: version
/// [`model::VERSION`], or the legacy marker.
pub fn import(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    admin_api::check_snapshot(path, text, ID, model::MARKER, model::VERSION)?;
    let tenant: model::Tenant = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    admin_api::record(
        inventory,
        ID,
        tenant.organization.id.clone(),
        "anthropic-snapshot".into(),
        path.display().to_string(),
        Ok(convert::identities(&tenant)),
        &Default::default(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Loaded;
    use crate::providers::admin_api::KeyHint;
    use crate::providers::input;
    use crate::scan::enrich::enrich;

    #[test]
    fn the_workspace_holds_keys_but_still_needs_an_owner() {
        assert!(!WORKSPACE.is_container(), "missing-owner applies to it");
        assert_eq!(WORKSPACE.class(), Class::Container);
        assert!(API_KEY.can_expire() && !USER.can_expire());
    }

    #[test]
    fn only_anthropic_snapshots_are_claimed() {
        let mut inv = Inventory::default();
        let (name, text) = Anthropic.demo()[0];
        input::load_text(Path::new(name), text, &mut inv).unwrap();
        assert_eq!(
            (inv.sources[0].provider, inv.sources[0].kind.as_str()),
            (ID, "anthropic-snapshot")
        );
        let err = input::load_text(
            Path::new("bad-date.json"),
            "{\"nhiscan_anthropic_snapshot\": 1, \"organization\": {\"id\": \"o\"},\n \"users\": [],\n \"api_keys\": [{\"id\": \"k\", \"created_at\": \"yesterday\"}]}\n",
            &mut inv,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("bad-date.json:3"), "{err}");
        let err = input::load_text(
            Path::new("v2.json"),
            "{\"nhiscan_anthropic_snapshot\": 2, \"organization\": {\"id\": \"o\"}, \"users\": []}",
            &mut inv,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "v2.json:1: nhiscan_anthropic_snapshot 2 is not supported; this build reads version 1"
        );
    }

    #[test]
    fn people_are_not_ai_but_their_keys_and_workspaces_are() {
        let mut inv = Inventory::default();
        let (name, text) = Anthropic.demo()[0];
        input::load_text(Path::new(name), text, &mut inv).unwrap();
        enrich(&mut inv, &Loaded::defaults());
        for identity in inv.identities() {
            let item = &identity.item;
            if item.kind == USER {
                assert!(item.human && !item.ai, "{}", item.id);
            } else {
                assert_eq!(
                    (item.human, item.ai, item.ai_reason.as_str()),
                    (false, true, "Anthropic workspace")
                );
                assert!(item.owner.is_none());
            }
            for c in &identity.credentials {
                assert_eq!(
                    (c.item.ai, c.item.ai_reason.as_str()),
                    (true, "Anthropic api-key")
                );
                assert!(c.item.details::<KeyHint>().unwrap().hint.is_some());
            }
        }
    }
}
