//! Microsoft Entra ID: app registrations, service principals and managed
//! identities, with their client secrets, certificates, federated
//! credentials, owners, Graph permissions, directory roles and sign-in
//! activity.
//!
//! [`model`] holds Microsoft Graph's object shapes and the tenant snapshot;
//! [`live`] reads a tenant through Graph on the shared HTTP layer;
//! [`convert`] turns a tenant into inventory without I/O; [`permissions`]
//! is the one rated table of Graph permissions and directory roles.
//! Offline, `--input` reads nhiscan's own snapshot and the arrays
//! `az ad app list --all -o json` and `az ad sp list --all -o json` print.

pub mod auth;
pub mod batch;
pub mod cert;
pub mod cli;
pub mod convert;
pub mod details;
pub mod live;
pub mod model;
pub mod permissions;
pub mod rules;

use std::any::Any;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use clap::{Args, FromArgMatches};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

pub use details::{EntraDetails, Facts};

use crate::config::{self, Loaded, Section};
use crate::error::{json_error, Error};
use crate::model::{
    Class, Details, Identity, Inventory, Kind, KindInfo, ProviderId, Source, TrustGrant,
};
use crate::providers::input::{top_level_values, Sniff};
use crate::providers::{Collector, Importer, Live, Provider};
use crate::rules::Rule;

/// The provider id, in ids (`entra:<tenant>/...`), output and config.
pub const ID: ProviderId = "entra";
/// The platform's name as Microsoft writes it.
pub const NAME: &str = "Microsoft Entra ID";

/// An app registration.
pub const APPLICATION: Kind = Kind(&KindInfo::new("application", Class::ServiceAccount));
/// A service principal (an enterprise application).
pub const SERVICE_PRINCIPAL: Kind =
    Kind(&KindInfo::new("service-principal", Class::ServiceAccount));
/// A managed identity (`servicePrincipalType: ManagedIdentity`).
pub const MANAGED_IDENTITY: Kind = Kind(&KindInfo::new("managed-identity", Class::ServiceAccount));
/// A client secret (`passwordCredential`): with the client id, a long-lived key.
pub const CLIENT_SECRET: Kind = Kind(&KindInfo::new("client-secret", Class::AccessKey).expiring());
/// A certificate (`keyCredential`).
pub const CERTIFICATE: Kind = Kind(&KindInfo::new("certificate", Class::Certificate).expiring());
/// A federated identity credential: trust in another issuer's tokens; no secret.
pub const FEDERATED_CREDENTIAL: Kind = Kind(&KindInfo::new("federated-credential", Class::Token));

/// The Entra provider.
pub struct Entra;

impl Provider for Entra {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn kinds(&self) -> &'static [Kind] {
        &[
            APPLICATION,
            SERVICE_PRINCIPAL,
            MANAGED_IDENTITY,
            CLIENT_SECRET,
            CERTIFICATE,
            FEDERATED_CREDENTIAL,
        ]
    }

    fn rules(&self) -> &'static [&'static dyn Rule] {
        rules::all()
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "admin-privilege" => {
                "Remove the application permission or directory role (Enterprise applications > \
                 Permissions, or Roles and administrators), and grant the narrowest Graph \
                 permission the workload uses; never Application.ReadWrite.All or \
                 RoleManagement.ReadWrite.Directory to an app with a client secret."
            }
            "missing-owner" => {
                "Add an owner to the app registration or enterprise application (Owners blade, \
                 or POST /applications/{id}/owners/$ref). The az ad app/sp list exports carry \
                 no owners: scan live (--entra) or a snapshot to see them, or map the app with \
                 an [[owners]] entry in nhiscan.toml."
            }
            "departed-owner" => {
                "Give the app a current owner (a team, not one person) and remove the disabled \
                 or deleted one; review the app's secrets, which the departed owner could have copied."
            }
            "no-expiry" => {
                "Add a secret or certificate that expires (Microsoft recommends under 180 days), \
                 move the workload to it, then remove this one; better, use a managed identity \
                 or a federated credential, which need no secret."
            }
            "unrotated-credential" => {
                "Add a new secret or certificate to the app, move the workload to it, then remove \
                 the old one (az ad app credential reset --append, then delete)."
            }
            "broad-trust" => {
                "Narrow the federated credential: a subject that names one repository and branch \
                 or environment (repo:org/repo:environment:prod), an issuer you trust, and the \
                 audience api://AzureADTokenExchange."
            }
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[&SnapshotImporter, &AzAppList, &AzSpList]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "entra-contoso.json",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/demo/entra-contoso.json"
            )),
        )]
    }

    fn config(&self) -> Option<&'static dyn Section> {
        Some(&EntraSection)
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        cli::EntraArgs::augment_args(cmd)
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--entra")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args =
            cli::EntraArgs::from_arg_matches(matches).map_err(|e| Error::Usage(e.to_string()))?;
        Ok(args.options(ctx)?.map(|options| {
            Box::new(move |inventory: &mut Inventory| {
                live::collect(&options, inventory);
                Ok(())
            }) as Collector
        }))
    }

    fn assess(&self, identity: &mut Identity, config: &Loaded) {
        let Some(facts) = identity.item.details::<EntraDetails>().map(|d| d.entra.clone()) else {
            return;
        };
        let microsoft = facts
            .app_owner_organization_id
            .as_deref()
            .is_some_and(permissions::is_microsoft);
        if microsoft {
            identity.item.platform_managed = true;
        }
        let settings = settings(config);
        let grants: Vec<TrustGrant> = identity
            .credentials
            .iter()
            .filter(|c| c.item.kind == FEDERATED_CREDENTIAL)
            .flat_map(|c| {
                let f = c.item.details::<EntraDetails>().map(|d| &d.entra);
                broad_federation(f.cloned().unwrap_or_default(), &settings.issuers)
                    .into_iter()
                    .map(|reason| TrustGrant {
                        statement: format!("federated credential {}", c.item.name),
                        reason,
                    })
            })
            .collect();
        if !grants.is_empty() {
            Arc::make_mut(&mut identity.item.privilege)
                .broad_trust
                .extend(grants);
        }
    }

    fn details_from_wire(
        &self,
        _kind: Kind,
        _credential: bool,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        EntraDetails::from_wire(fields)
    }
}

/// What is too broad about a federated credential: an issuer outside the
/// allow-list, a wildcard subject, or a flexible credential's match
/// expression with a wildcard.
pub fn broad_federation(f: Facts, issuers: &GlobSet) -> Vec<String> {
    let mut out = Vec::new();
    let issuer = f.issuer.as_deref().unwrap_or_default();
    if !issuers.is_match(issuer) {
        out.push(format!(
            "trusts issuer {issuer:?}, which is not in [providers.entra] federation_issuers"
        ));
    }
    if let Some(subject) = f.subject.as_deref().filter(|s| s.contains('*')) {
        out.push(format!("accepts any subject matching {subject:?}"));
    }
    if let Some(expr) = f.claims_matching_expression.as_deref().filter(|e| e.contains('*')) {
        out.push(format!("is a flexible credential matching {expr:?}"));
    }
    if f.subject.is_none() && f.claims_matching_expression.is_none() {
        out.push("names no subject".into());
    }
    out
}

/// The default `[providers.entra] federation_issuers`: the issuers most
/// workloads federate from (GitHub Actions, Azure and AKS, Google, AWS EKS,
/// GitLab, Terraform Cloud, Azure DevOps).
pub const FEDERATION_ISSUERS: &[&str] = &[
    "https://token.actions.githubusercontent.com",
    "https://login.microsoftonline.com/*/v2.0",
    "https://sts.windows.net/*/",
    "https://*.oic.prod-aks.azure.com/*",
    "https://accounts.google.com",
    "https://oidc.eks.*.amazonaws.com/id/*",
    "https://gitlab.com",
    "https://app.terraform.io",
    "https://vstoken.dev.azure.com/*",
];

/// `[providers.entra]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSettings {
    /// `long-lived-secret`: the longest a client secret may be valid, in days.
    pub max_secret_lifetime_days: i64,
    /// Issuer URL globs a federated credential may trust (`broad-trust`).
    pub federation_issuers: Vec<String>,
}

impl Default for RawSettings {
    fn default() -> Self {
        RawSettings {
            max_secret_lifetime_days: 180,
            federation_issuers: FEDERATION_ISSUERS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The validated section.
#[derive(Debug, Clone)]
pub struct Settings {
    pub max_secret_lifetime_days: i64,
    pub federation_issuers: Vec<String>,
    pub issuers: GlobSet,
}

impl Settings {
    fn validate(raw: RawSettings, problems: &mut Vec<String>) -> Settings {
        if raw.max_secret_lifetime_days < 1 {
            problems.push(format!(
                "[providers.entra] max_secret_lifetime_days must be at least 1, not {}",
                raw.max_secret_lifetime_days
            ));
        }
        let mut set = GlobSetBuilder::new();
        for pattern in &raw.federation_issuers {
            match Glob::new(pattern) {
                Ok(g) => {
                    set.add(g);
                }
                Err(e) => problems.push(format!(
                    "[providers.entra] federation_issuers: bad pattern {pattern:?}: {e}"
                )),
            }
        }
        Settings {
            max_secret_lifetime_days: raw.max_secret_lifetime_days.max(1),
            federation_issuers: raw.federation_issuers,
            issuers: set.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }
}

/// The settings in effect: the config's section, or the defaults.
pub fn settings(config: &Loaded) -> &Settings {
    static DEFAULT: LazyLock<Settings> =
        LazyLock::new(|| Settings::validate(RawSettings::default(), &mut Vec::new()));
    config.section::<Settings>(ID).unwrap_or(&DEFAULT)
}

/// The `[providers.entra]` config section.
pub struct EntraSection;

impl Section for EntraSection {
    fn id(&self) -> &'static str {
        ID
    }

    fn defaults(&self) -> Option<toml::Table> {
        Some(config::section_defaults::<RawSettings>())
    }

    fn parse(
        &self,
        table: Option<&toml::Table>,
        problems: &mut Vec<String>,
    ) -> Arc<dyn Any + Send + Sync> {
        let raw = config::parse_section::<RawSettings>(ID, table, problems);
        Arc::new(Settings::validate(raw, problems))
    }
}

/// A tenant snapshot (`"nhiscan_entra_snapshot": 1`), written by `--entra-snapshot-dir`.
pub struct SnapshotImporter;

impl Importer for SnapshotImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        sniff.has_key(model::MARKER)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let tenant = parse_snapshot(path, text)?;
        add(inventory, &tenant, "entra-snapshot", path.display().to_string(), None);
        Ok(())
    }
}

/// Parses a snapshot file after checking its version.
pub fn parse_snapshot(path: &Path, text: &str) -> Result<model::Tenant, Error> {
    let version = top_level_values(text, &[model::MARKER])
        .map_err(|e| json_error(path, &e))?
        .pop()
        .flatten();
    if version.as_ref().and_then(|v| v.as_u64()) != Some(u64::from(model::VERSION)) {
        let shown = version.map(|v| v.to_string()).unwrap_or_else(|| "null".into());
        return Err(Error::input(
            path,
            format!(
                "{} {shown} is not supported; this build reads version {}",
                model::MARKER,
                model::VERSION
            ),
        ));
    }
    serde_json::from_str(text).map_err(|e| json_error(path, &e))
}

/// Adds a tenant's inventory as one source. A tenant with problems is a
/// partial source naming them; one where nothing could be read, failed.
pub fn add(
    inventory: &mut Inventory,
    tenant: &model::Tenant,
    kind: &str,
    location: String,
    home: Option<&str>,
) {
    let mut source = Source::new(ID, kind, location);
    source.scope = tenant.tenant_id.clone();
    source.api_calls = tenant.api_calls.clone();
    if !tenant.problems.is_empty() {
        let nothing = tenant.applications.is_none() && tenant.service_principals.is_none();
        source.status = if nothing {
            crate::model::SourceStatus::Failed
        } else {
            crate::model::SourceStatus::Partial
        };
        let reasons: Vec<String> = tenant
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.endpoint, p.reason))
            .collect();
        source.error = Some(reasons.join("; "));
    }
    let identities = match home {
        Some(h) => convert::identities_in(tenant, h),
        None => convert::identities(tenant),
    };
    inventory.add_source(source, identities);
}

/// The scope of items read from the `az` exports, which do not name the tenant.
pub const AZ_SCOPE: &str = "az-cli";

/// Whether the text is a JSON array whose first object has all of `keys`.
fn is_az_array(sniff: &Sniff, keys: &[&str]) -> bool {
    sniff.text.trim_start().starts_with('[') && keys.iter().all(|k| sniff.mentions(k))
}

/// `az ad app list --all -o json`: an array of Graph `application` objects.
pub struct AzAppList;

impl Importer for AzAppList {
    fn detect(&self, sniff: &Sniff) -> bool {
        is_az_array(sniff, &["appId", "passwordCredentials", "requiredResourceAccess"])
            && !sniff.mentions("servicePrincipalType")
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let apps: Vec<model::Application> =
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let tenant = model::Tenant {
            nhiscan_entra_snapshot: model::VERSION,
            tenant_id: AZ_SCOPE.into(),
            applications: Some(apps),
            ..model::Tenant::default()
        };
        add(inventory, &tenant, "az-ad-app-list", path.display().to_string(), Some(""));
        Ok(())
    }
}

/// `az ad sp list --all -o json`: an array of Graph `servicePrincipal` objects.
pub struct AzSpList;

impl Importer for AzSpList {
    fn detect(&self, sniff: &Sniff) -> bool {
        is_az_array(sniff, &["appId", "servicePrincipalType"])
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let sps: Vec<model::ServicePrincipal> =
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let home = home_tenant(&sps);
        let tenant = model::Tenant {
            nhiscan_entra_snapshot: model::VERSION,
            tenant_id: AZ_SCOPE.into(),
            service_principals: Some(sps),
            ..model::Tenant::default()
        };
        add(inventory, &tenant, "az-ad-sp-list", path.display().to_string(), Some(&home));
        Ok(())
    }
}

/// The tenant an `az ad sp list` export comes from: the owner of its
/// single-tenant apps (`signInAudience: AzureADMyOrg`), which only this
/// tenant can own; failing that, the most common non-Microsoft owner.
pub fn home_tenant(sps: &[model::ServicePrincipal]) -> String {
    let org = |s: &model::ServicePrincipal| {
        s.app_owner_organization_id
            .clone()
            .filter(|o| !permissions::is_microsoft(o))
    };
    if let Some(o) = sps
        .iter()
        .filter(|s| s.sign_in_audience.as_deref() == Some("AzureADMyOrg"))
        .find_map(org)
    {
        return o;
    }
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for o in sps.iter().filter_map(org) {
        *counts.entry(o).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(o, _)| o)
        .unwrap_or_default()
}
