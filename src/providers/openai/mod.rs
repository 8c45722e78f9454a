//! OpenAI: the organization admin API, read live (`--openai`, key from
//! `OPENAI_ADMIN_KEY`), or a saved tenant snapshot read with `--input`.
//!
//! [`model`] holds the vendor's object shapes, [`client`] reads them into one
//! [`model::Tenant`], and [`convert`] turns a tenant into inventory without
//! any I/O. [`OpenAi`] plugs it into nhiscan.

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

/// The provider id, in ids (`openai:ORG/...`), output and config.
pub const ID: ProviderId = "openai";
/// The platform's name as OpenAI writes it.
pub const NAME: &str = "OpenAI";

/// A person in the organization.
pub const USER: Kind = Kind(&KindInfo::new("user", Class::User));
/// A service account: of a project, or of the organization (owning an admin key).
pub const SERVICE_ACCOUNT: Kind = Kind(&KindInfo::new("service-account", Class::ServiceAccount));
/// A project API key.
pub const API_KEY: Kind = Kind(&KindInfo::new("api-key", Class::ApiKey).expiring());
/// An organization admin API key.
pub const ADMIN_KEY: Kind = Kind(&KindInfo::new("admin-key", Class::ApiKey).expiring());

/// The OpenAI provider.
pub struct OpenAi;

impl Provider for OpenAi {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn kinds(&self) -> &'static [Kind] {
        &[USER, SERVICE_ACCOUNT, API_KEY, ADMIN_KEY]
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "admin-privilege" => {
                "Give workloads project API keys or project service accounts, scoped to the \
                 project they use, instead of an admin key; keep admin keys for provisioning \
                 only, held by few people and given an expiry, and delete the ones nothing needs."
            }
            "unrotated-credential" => {
                "Rotate the key: create a new one in the same project, move the workload to it, \
                 then delete the old one; give the new key an expiry date."
            }
            "missing-owner" => {
                "OpenAI items carry no owner tags: map the service account to an owner with an \
                 [[owners]] entry in nhiscan.toml; delete it and its keys if nobody claims it."
            }
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[&SnapshotImporter]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "openai-tenant.json",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/demo/openai-tenant.json"
            )),
        )]
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        OpenAiArgs::augment_args(cmd)
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--openai")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args =
            OpenAiArgs::from_arg_matches(matches).map_err(|e| Error::Usage(e.to_string()))?;
        if !args.openai {
            return Ok(None);
        }
        let target = Target {
            endpoint: admin_api::endpoint_from_env("--openai", KEY_ENV, &args.openai_api_url)?,
            organization: std::env::var(ORG_ENV)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_ORG.into()),
        };
        let progress = ctx.progress.clone();
        Ok(Some(Box::new(move |inventory: &mut Inventory| {
            collect(&target, Retry::default(), &progress, inventory);
            Ok(())
        })))
    }

    admin_api::shared_provider_methods!(NAME);
}

/// `scan`'s OpenAI flags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Live OpenAI")]
struct OpenAiArgs {
    /// Read an OpenAI organization through its admin API (key in OPENAI_ADMIN_KEY).
    #[arg(long)]
    openai: bool,

    /// Base URL of the OpenAI admin API.
    #[arg(long, value_name = "URL", default_value = DEFAULT_URL, requires = "openai")]
    openai_api_url: String,
}

/// A tenant snapshot (`"nhiscan_openai_snapshot": 1`, or the legacy
/// `"nhiscan_snapshot": "openai"`). It also claims a file whose legacy marker
/// names no provider, to report the bad marker.
pub struct SnapshotImporter;

impl Importer for SnapshotImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        admin_api::is_snapshot(sniff, ID, model::MARKER) || admin_api::is_unknown_snapshot(sniff)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        import(path, text, inventory)
    }
}

/// The environment variable holding the admin key.
pub const KEY_ENV: &str = "OPENAI_ADMIN_KEY";
/// The optional environment variable naming the organization (`org-...`),
/// used as the scope of every item; without it the scope is [`DEFAULT_ORG`].
pub const ORG_ENV: &str = "OPENAI_ORG_ID";
/// The scope when `OPENAI_ORG_ID` is not set.
pub const DEFAULT_ORG: &str = "openai-org";
/// The API's base URL.
pub const DEFAULT_URL: &str = "https://api.openai.com/v1";

/// An OpenAI organization to read live.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: Endpoint,
    /// The scope of every item: `OPENAI_ORG_ID`, or [`DEFAULT_ORG`].
    pub organization: String,
}

/// Reads the organization behind `target`. A failure (a rejected key,
/// throttling that does not let up) becomes a failed source, never an error.
pub fn collect(target: &Target, retry: Retry, progress: &Progress, inventory: &mut Inventory) {
    let Target {
        endpoint,
        organization,
    } = target.clone();
    let location = endpoint.base_url.clone();
    let auth = ("authorization", format!("Bearer {}", endpoint.key.expose()));
    let api = Client::new(endpoint, auth, &[], "after", 100, retry, progress.clone());
    let (calls, tenant) = admin_api::run(api, |c| client::fetch(c, organization.clone()));
    let result = tenant.map(|t| convert::identities(&t));
    admin_api::record(
        inventory,
        ID,
        organization,
        "openai-admin-api".into(),
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
        tenant.organization.clone(),
        "openai-snapshot".into(),
        path.display().to_string(),
        Ok(convert::identities(&tenant)),
        &Default::default(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::model::{MARKER, VERSION};
    use super::*;
    use crate::config::Loaded;
    use crate::model::{OwnerSource, PrivilegeLevel};
    use crate::providers::input;
    use crate::scan::enrich::enrich;

    fn load(name: &str, text: &str) -> Result<Inventory, Error> {
        let mut inventory = Inventory::default();
        input::load_text(Path::new(name), text, &mut inventory)?;
        Ok(inventory)
    }

    #[test]
    fn kinds_keep_their_names_and_keys_can_expire() {
        let names: Vec<(&str, bool)> = OpenAi
            .kinds()
            .iter()
            .map(|k| (k.as_str(), k.can_expire()))
            .collect();
        assert_eq!(
            names,
            [
                ("user", false),
                ("service-account", false),
                ("api-key", true),
                ("admin-key", true)
            ]
        );
    }

    #[test]
    fn other_versions_are_rejected_naming_the_one_this_build_reads() {
        for version in ["2", "0", "\"1\"", "null"] {
            let text =
                format!("{{\"organization\": \"o\",\n \"{MARKER}\": {version}, \"users\": []}}");
            let err = load("x.json", &text).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("x.json:2: nhiscan_openai_snapshot {version} is not supported; this build reads version 1")
            );
        }
        let text = format!("{{\"{MARKER}\": {VERSION}, \"organization\": \"o\", \"users\": []}}");
        let inv = load("x.json", &text).unwrap();
        assert_eq!(inv.sources[0].kind, "openai-snapshot");
    }

    #[test]
    fn legacy_snapshots_of_unknown_platforms_are_claimed_and_named() {
        let err = load(
            "x.json",
            "{\"organization\": \"x\",\n \"nhiscan_snapshot\": \"gemini\"}",
        )
        .unwrap_err()
        .to_string();
        // Every platform with tenant snapshots is named, this one first.
        assert!(
            err.starts_with("x.json:2: nhiscan_snapshot \"gemini\" is not \"openai\""),
            "{err}"
        );
        let err = load(
            "x.json",
            "{\"nhiscan_snapshot\": 2, \"organization\": \"x\"}",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("nhiscan_snapshot 2 is not"), "{err}");
        let err = load(
            "x.json",
            "{\"nhiscan_snapshot\": \"openai\",\n \"organization\": \"o\"}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("x.json:2") && err.contains("missing field `users`"),
            "{err}"
        );
        // Broken JSON is still claimed, and the JSON error says where.
        for marker in [
            "\"nhiscan_snapshot\": \"openai\"",
            "\"nhiscan_openai_snapshot\": 1",
        ] {
            let err = load("x.json", &format!("{{{marker}, \"users\": [}}"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("x.json:1"), "{err}");
        }
    }

    #[test]
    fn users_are_people_service_accounts_and_every_key_are_ai() {
        let (name, text) = OpenAi.demo()[0];
        let mut inv = load(name, text).unwrap();
        assert_eq!(inv.sources[0].kind, "openai-snapshot");
        enrich(&mut inv, &Loaded::defaults());
        let ada = inv.get("openai:org-demo/user/user-ada").unwrap();
        assert_eq!(
            (ada.item.human, ada.item.ai, ada.item.ai_reason.as_str()),
            (
                true,
                false,
                "human OpenAI user; the keys they hold are AI credentials"
            )
        );
        assert_eq!(ada.item.privilege.level, PrivilegeLevel::Admin);
        let key = &ada.credentials[0].item;
        assert_eq!(
            (key.human, key.ai, key.ai_reason.as_str()),
            (false, true, "OpenAI admin-key")
        );
        assert_eq!(
            key.human_reason,
            "machine credential held by user ada@example.com"
        );
        assert_eq!(key.owner.as_ref().unwrap().source, OwnerSource::Provider);
        let sa = inv
            .get("openai:org-demo/project/proj_pilot/service-account/svc_acct_pilot")
            .unwrap();
        assert_eq!(
            (sa.item.human, sa.item.ai_reason.as_str()),
            (false, "OpenAI service-account")
        );
        let bo = inv.get("openai:org-demo/user/user-bo").unwrap();
        assert_eq!(bo.item.privilege.level, PrivilegeLevel::Read);
        assert_eq!(
            bo.credentials[0].item.privilege.level,
            PrivilegeLevel::Unknown,
            "a person's role is not their key's"
        );
    }

    #[test]
    fn a_missing_admin_key_is_a_usage_error() {
        let err =
            admin_api::endpoint_from_env("--openai", "NHISCAN_TEST_UNSET_ADMIN_KEY", DEFAULT_URL)
                .unwrap_err();
        assert!(matches!(err, Error::Usage(_)));
        assert_eq!(
            err.to_string(),
            "--openai needs an organization admin key in the environment variable \
             NHISCAN_TEST_UNSET_ADMIN_KEY, which is not set"
        );
    }
}
