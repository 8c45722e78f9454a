//! Google Cloud: service accounts, their user-managed keys and API keys,
//! across an organization, with the IAM privilege their bindings give at
//! every level and their last authentication.
//!
//! Offline, [`import`] reads what `gcloud asset list` / `asset export`,
//! `gcloud asset search-all-iam-policies` and `gcloud policy-intelligence
//! query-activity` print ([`model`] has the shapes). [`convert`] turns them
//! into inventory; [`link`] joins the files: roles from the policies at each
//! level, escalation paths ([`roles`] is the table of predefined roles),
//! owners and last use. [`Gcp`] plugs it into nhiscan.

pub mod convert;
pub mod details;
pub mod import;
pub mod link;
pub mod model;
pub mod roles;
pub mod rules;

use crate::config::Loaded;
use crate::model::{Class, Details, Identity, Kind, KindInfo, Owner, OwnerSource, ProviderId};
use crate::providers::{Importer, Provider};
use crate::rules::Rule;

use details::{AccountDetails, ApiKeyDetails, KeyDetails, ScopeDetails};

/// The provider id, in ids (`gcp:projects/...`), output and config.
pub const ID: ProviderId = "gcp";
/// The platform's name as Google writes it.
pub const NAME: &str = "Google Cloud";

/// A service account.
pub const SERVICE_ACCOUNT: Kind = Kind(&KindInfo::new("service-account", Class::ServiceAccount));
/// A user-managed service-account key (`validBeforeTime` can set an expiry).
pub const SERVICE_ACCOUNT_KEY: Kind =
    Kind(&KindInfo::new("service-account-key", Class::AccessKey).expiring());
/// An API key, held by its project.
pub const API_KEY: Kind = Kind(&KindInfo::new("api-key", Class::ApiKey));
/// A project: holds API keys, labels and IAM policies.
pub const PROJECT: Kind = Kind(&KindInfo::new("project", Class::Container).container());
/// A folder: holds IAM policies its projects inherit.
pub const FOLDER: Kind = Kind(&KindInfo::new("folder", Class::Container).container());
/// An organization: holds IAM policies and custom roles everything inherits.
pub const ORGANIZATION: Kind = Kind(&KindInfo::new("organization", Class::Container).container());

/// The Google Cloud provider.
pub struct Gcp;

impl Provider for Gcp {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn kinds(&self) -> &'static [Kind] {
        &[
            SERVICE_ACCOUNT,
            SERVICE_ACCOUNT_KEY,
            API_KEY,
            PROJECT,
            FOLDER,
            ORGANIZATION,
        ]
    }

    fn rules(&self) -> &'static [&'static dyn Rule] {
        rules::all()
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "missing-owner" => {
                "Name the owner in the service account's description (`owner: team-x`), give \
                 its project an `owner` or `team` label, or map it with an [[owners]] entry \
                 in nhiscan.toml; disable it if nobody claims it."
            }
            "admin-privilege" => {
                "Remove roles/owner, roles/editor and roles/iam.securityAdmin from the account; \
                 grant the predefined roles for the services it uses, on the project or \
                 resource it needs."
            }
            "privilege-escalation" => {
                "Grant Token Creator, Service Account User and Key Admin on the one service \
                 account the workload needs, not on the project, folder or organization."
            }
            "unrotated-credential" | "no-expiry" => {
                "Replace the key: move the workload to attached service accounts or workload \
                 identity federation, then delete the key; if a key must stay, enforce \
                 constraints/iam.serviceAccountKeyExpiryHours and rotate it."
            }
            "inactive-credential" => "Delete the disabled key (gcloud iam service-accounts keys delete).",
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[
            &import::ActivityImporter,
            &import::SearchImporter,
            &import::AssetImporter,
        ]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "gcp-assets.json",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fixtures/demo/gcp-assets.json"
                )),
            ),
            (
                "gcp-iam-policies.json",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fixtures/demo/gcp-iam-policies.json"
                )),
            ),
        ]
    }

    fn assess(&self, identity: &mut Identity, config: &Loaded) {
        // [[owners]] globs also match an account's unique id.
        let Some(unique) = identity
            .item
            .details::<AccountDetails>()
            .and_then(|d| d.unique_id.clone())
        else {
            return;
        };
        if let Some((_, owner, pattern)) = config
            .owners
            .iter()
            .rev()
            .find(|(glob, _, _)| glob.is_match(&unique))
        {
            identity.item.reported.owner = Some(Owner {
                name: owner.clone(),
                source: OwnerSource::Config,
                evidence: format!("[[owners]] match = {pattern:?} (unique id)"),
                departed: false,
            });
        }
    }

    fn classify(&self, identity: &Identity, _config: &Loaded) -> Option<(bool, String)> {
        Some((false, format!("Google Cloud {}", identity.item.kind)))
    }

    fn details_from_wire(
        &self,
        kind: Kind,
        _credential: bool,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        fn pick<T: details_any::Wire>(
            fields: &serde_json::Map<String, serde_json::Value>,
            keys: &[&str],
        ) -> Result<Option<Box<dyn Details>>, String> {
            let mine: serde_json::Map<String, serde_json::Value> = keys
                .iter()
                .filter_map(|k| Some((k.to_string(), fields.get(*k)?.clone())))
                .collect();
            if mine.is_empty() {
                return Ok(None);
            }
            let d: T = serde_json::from_value(serde_json::Value::Object(mine))
                .map_err(|e| e.to_string())?;
            Ok(Some(Box::new(d)))
        }
        if kind == SERVICE_ACCOUNT {
            pick::<AccountDetails>(
                fields,
                &["email", "unique_id", "project_id", "description", "account_type", "ancestors", "roles"],
            )
        } else if kind == SERVICE_ACCOUNT_KEY {
            pick::<KeyDetails>(fields, &["key_type", "key_origin", "key_algorithm"])
        } else if kind == API_KEY {
            pick::<ApiKeyDetails>(
                fields,
                &["application_restricted", "api_targets", "service_account"],
            )
        } else {
            pick::<ScopeDetails>(
                fields,
                &["resource", "project_id", "labels", "ancestors", "activity_read"],
            )
        }
    }
}

mod details_any {
    /// Typed details readable back from JSON v1.
    pub trait Wire: crate::model::Details + serde::de::DeserializeOwned {}
    impl<T: crate::model::Details + serde::de::DeserializeOwned> Wire for T {}
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{Inventory, PrivilegeLevel};
    use crate::providers::input;

    #[test]
    fn the_demo_project_tells_its_story() {
        let mut inv = Inventory::default();
        for (name, text) in Gcp.demo() {
            input::load_text(Path::new(name), text, &mut inv).unwrap();
        }
        let kinds: Vec<&str> = inv.sources.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, ["gcloud-asset-list", "gcloud-asset-list"]);
        let compute = inv
            .get("gcp:projects/shop-prod/serviceAccounts/417263952110-compute@developer.gserviceaccount.com")
            .unwrap();
        let p = compute.item.reported.privilege.as_ref().unwrap();
        assert_eq!(p.level, PrivilegeLevel::Admin);
        assert_eq!(compute.credentials.len(), 1);
        assert_eq!(compute.credentials[0].item.expires_at, None);
        let ci = inv
            .get("gcp:projects/shop-prod/serviceAccounts/ci-deployer@shop-prod.iam.gserviceaccount.com")
            .unwrap();
        let p = ci.item.reported.privilege.as_ref().unwrap();
        assert_eq!(p.level, PrivilegeLevel::Privileged);
        assert_eq!(p.escalations[0].path, "impersonate-service-account");
    }
}
