//! `--aws`: live, read-only IAM scanning of one account, or of every account of
//! an AWS Organization (`--aws-org-role`).
//!
//! Each account becomes one [`Source`] (`aws-account`) with its status, the
//! failed operations named with their AWS error codes, and its API calls by
//! operation. An Organization scan adds an `aws-organization` source for the
//! account listing. Failures never abort the scan: they make sources `failed`
//! or `partial`, and the scan exits 3.
//!
//! The calls per account are few and fixed (see [`collect`]); per-user calls
//! are made only where they add what the credential report and
//! `GetAccountAuthorizationDetails` lack. The async runtime lives here, so
//! the scan stays synchronous.

mod cert;
mod client;
mod collect;
mod export;
mod items;
mod org;

use aws_sdk_iam::primitives::DateTime;
use jiff::Timestamp;

use crate::error::Error;
use crate::model::{Identity, Inventory, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::aws::ID;
use crate::providers::http::Calls;

/// What `nhiscan scan --aws ...` asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--aws-profile`: a named profile from `~/.aws/config`.
    pub profile: Option<String>,
    /// `--aws-region`; IAM is global, so this only picks the endpoint's partition.
    pub region: Option<String>,
    /// `--aws-endpoint-url`: one endpoint for IAM, STS and Organizations.
    pub endpoint_url: Option<String>,
    /// `--aws-org-role`: scan every account of the Organization through this role.
    pub org_role: Option<String>,
    /// `--aws-accounts`: only these accounts of the Organization.
    pub accounts: Vec<String>,
    /// `--aws-external-id`, for roles whose trust policy requires one.
    pub external_id: Option<String>,
    /// Accounts scanned at once, and requests in flight per account.
    pub concurrency: usize,
    /// The scan's progress bar (hidden unless stderr is a terminal).
    pub progress: Progress,
}

impl Options {
    /// The current account with the default credential chain, a hidden progress bar.
    pub fn new(concurrency: usize) -> Self {
        Options {
            profile: None,
            region: None,
            endpoint_url: None,
            org_role: None,
            accounts: Vec::new(),
            external_id: None,
            concurrency,
            progress: Progress::hidden(),
        }
    }

    /// Checks what can be checked before any request: the endpoint URL and account ids.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(url) = &self.endpoint_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::Usage(format!(
                    "--aws-endpoint-url {url:?}: expected an http:// or https:// URL"
                )));
            }
        }
        if let Some(bad) = self
            .accounts
            .iter()
            .find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::Usage(format!(
                "--aws-accounts: {bad:?} is not a 12-digit AWS account id"
            )));
        }
        Ok(())
    }
}

/// Scans AWS as `options` say and adds one source per account (plus the
/// Organization listing) to `inventory`. Errors only on unusable options.
pub fn collect(options: &Options, inventory: &mut Inventory) -> Result<(), Error> {
    options.validate()?;
    let progress = &options.progress;
    let results = crate::providers::http::block_on(async {
        let base = client::base_config(options).await;
        client::check_credentials(&base, options).await?;
        Ok::<_, Error>(match &options.org_role {
            Some(role) => org::scan(&base, role, options, progress).await,
            None => vec![collect::current_account(&base, options, progress).await],
        })
    })
    .map_err(|e| Error::Usage(e.to_string()))??;
    for (source, identities) in results {
        inventory.sources.push(source);
        for identity in identities {
            inventory.add(identity);
        }
    }
    Ok(())
}

/// An SDK date as a timestamp.
fn timestamp(d: &DateTime) -> Option<Timestamp> {
    Timestamp::new(d.secs(), i32::try_from(d.subsec_nanos()).ok()?).ok()
}

/// A source for one live scope.
fn source(
    kind: &str,
    scope: &str,
    location: &str,
    problems: &[String],
    failed: bool,
    calls: &Calls,
    identities: &[Identity],
) -> Source {
    Source {
        provider: ID,
        scope: scope.to_string(),
        kind: kind.to_string(),
        location: location.to_string(),
        status: if failed {
            SourceStatus::Failed
        } else if problems.is_empty() {
            SourceStatus::Ok
        } else {
            SourceStatus::Partial
        },
        items: identities.iter().map(|i| 1 + i.credentials.len()).sum(),
        error: (!problems.is_empty()).then(|| problems.join("; ")),
        api_calls: calls.snapshot(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The live code, as text: every SDK call in it is `<client>.<operation>()`.
    const CODE: [&str; 2] = [include_str!("collect.rs"), include_str!("org.rs")];

    /// `iam:GetAccountAuthorizationDetails` and the like, from the documented policy.
    fn policy_actions() -> BTreeSet<String> {
        let page = include_str!("../../../../docs/providers/aws.md");
        let start = page
            .find("### Least-privilege IAM policy")
            .expect("docs/providers/aws.md has the policy section");
        let section = &page[start..];
        let end = section[4..].find("\n## ").map_or(section.len(), |i| i + 4);
        let mut actions = BTreeSet::new();
        for block in section[..end].split("```json").skip(1) {
            let json = block.split("```").next().unwrap_or_default();
            let doc: serde_json::Value = serde_json::from_str(json).expect("policy is JSON");
            for st in doc["Statement"].as_array().expect("Statement array") {
                for a in st["Action"].as_array().expect("Action array") {
                    actions.insert(a.as_str().unwrap().to_ascii_lowercase());
                }
            }
        }
        actions
    }

    /// `(service, operation)` for every `iam.x()`, `sts.x()` and `org.x()` call.
    fn called_operations() -> BTreeSet<(String, String)> {
        let mut ops = BTreeSet::new();
        for code in CODE {
            for (client, service) in [
                ("iam", "iam"),
                ("optional", "iam"),
                ("sts", "sts"),
                ("org", "organizations"),
            ] {
                for (i, _) in code.match_indices(&format!(".{client}")) {
                    let rest = code[i + client.len() + 1..].trim_start();
                    let Some(rest) = rest.strip_prefix('.') else {
                        continue;
                    };
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if rest[name.len()..].starts_with("()") && !name.is_empty() {
                        ops.insert((service.to_string(), name.replace('_', "")));
                    }
                }
            }
        }
        ops
    }

    #[test]
    fn every_operation_the_code_calls_is_in_the_documented_policy() {
        let actions = policy_actions();
        let ops = called_operations();
        assert!(ops.len() >= 16, "found only {ops:?}");
        for (service, op) in &ops {
            assert!(
                actions.contains(&format!("{service}:{op}")),
                "the documented policy lacks {service}:{op} (case-insensitive); it has {actions:?}"
            );
            assert!(
                ["list", "get", "generate"]
                    .iter()
                    .any(|verb| op.starts_with(verb))
                    || (service == "sts" && op == "assumerole"),
                "{service}:{op} is not a read-only call"
            );
        }
    }
}
