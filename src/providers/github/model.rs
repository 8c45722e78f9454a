//! Serde shapes of the GitHub REST responses nhiscan reads, as GitHub
//! documents them (the example bodies in `fixtures/github/vectors/` parse
//! unchanged). Only the fields nhiscan uses are modelled; others are ignored.
//!
//! Nothing here holds a secret or anything that leads to one: a webhook's
//! secret becomes "set or not", its URL is cut to scheme and host (paths and
//! queries of chat webhooks are tokens), and a deploy key's public key and a
//! token's last eight characters are not kept.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A user as GitHub embeds it (`simple-user`): an owner, a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub login: String,
    #[serde(default)]
    pub id: Option<u64>,
    /// `User`, `Bot` or `Organization`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// Permissions of a fine-grained PAT, by level of resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatPermissions {
    #[serde(default)]
    pub organization: BTreeMap<String, String>,
    #[serde(default)]
    pub repository: BTreeMap<String, String>,
    #[serde(default)]
    pub other: BTreeMap<String, String>,
}

/// `GET /orgs/{org}/personal-access-tokens`: one fine-grained PAT's access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatGrant {
    /// The grant's id (used to revoke it).
    pub id: u64,
    /// When the organization granted the token access.
    pub access_granted_at: Timestamp,
    #[serde(flatten)]
    pub token: PatToken,
}

/// `GET /orgs/{org}/personal-access-token-requests`: a PAT waiting for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatRequest {
    pub id: u64,
    #[serde(default)]
    pub reason: Option<String>,
    pub created_at: Timestamp,
    #[serde(flatten)]
    pub token: PatToken,
}

/// What PAT grants and requests say about the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatToken {
    pub owner: User,
    /// `all`, `subset` or `none`.
    pub repository_selection: String,
    #[serde(default)]
    pub permissions: PatPermissions,
    #[serde(default)]
    pub token_id: Option<u64>,
    #[serde(default)]
    pub token_name: Option<String>,
    #[serde(default)]
    pub token_expired: bool,
    #[serde(default)]
    pub token_expires_at: Option<Timestamp>,
    #[serde(default)]
    pub token_last_used_at: Option<Timestamp>,
}

/// `GET /orgs/{org}/credential-authorizations` (Enterprise Cloud with SAML SSO):
/// a classic PAT, SSH key, OAuth or app token authorized for the org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialAuthorization {
    pub login: String,
    pub credential_id: u64,
    /// `personal access token`, `SSH key`, `OAuth app token`, `GitHub app token`.
    pub credential_type: String,
    pub credential_authorized_at: Timestamp,
    #[serde(default)]
    pub credential_accessed_at: Option<Timestamp>,
    #[serde(default)]
    pub authorized_credential_id: Option<u64>,
    #[serde(default)]
    pub authorized_credential_expires_at: Option<Timestamp>,
    #[serde(default)]
    pub authorized_credential_title: Option<String>,
    #[serde(default)]
    pub authorized_credential_note: Option<String>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// An SSH key's fingerprint (public).
    #[serde(default)]
    pub fingerprint: Option<String>,
}

/// One page of `GET /orgs/{org}/installations`.
#[derive(Debug, Clone, Deserialize)]
pub struct InstallationPage {
    pub installations: Vec<Installation>,
}

/// A GitHub App installed on the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installation {
    pub id: u64,
    #[serde(default)]
    pub app_id: Option<u64>,
    #[serde(default)]
    pub app_slug: Option<String>,
    #[serde(default)]
    pub account: Option<User>,
    /// `all` or `selected`.
    pub repository_selection: String,
    #[serde(default)]
    pub permissions: BTreeMap<String, String>,
    #[serde(default)]
    pub events: Vec<String>,
    pub created_at: Timestamp,
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    #[serde(default)]
    pub suspended_at: Option<Timestamp>,
    #[serde(default)]
    pub suspended_by: Option<User>,
}

/// `GET /repos/{owner}/{repo}/keys`: a deploy key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployKey {
    pub id: u64,
    pub title: String,
    #[serde(default)]
    pub verified: Option<bool>,
    pub created_at: Timestamp,
    pub read_only: bool,
    /// Login of whoever added the key, when GitHub knows.
    #[serde(default)]
    pub added_by: Option<String>,
    #[serde(default)]
    pub last_used: Option<Timestamp>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// One page of `GET /orgs/{org}/actions/secrets` or `GET /repos/{owner}/{repo}/actions/secrets`.
#[derive(Debug, Clone, Deserialize)]
pub struct SecretPage {
    pub secrets: Vec<Secret>,
}

/// An Actions secret's metadata. GitHub never returns the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Org secrets: `all`, `private` or `selected`.
    #[serde(default)]
    pub visibility: Option<String>,
}

/// `GET /orgs/{org}/hooks` or `GET /repos/{owner}/{repo}/hooks`: a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    pub id: u64,
    #[serde(default)]
    pub active: bool,
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    pub config: HookConfig,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
}

/// A webhook's `config`, with the secret reduced to whether it is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookConfig {
    #[serde(default)]
    pub url: Option<Origin>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub insecure_ssl: Option<InsecureSsl>,
    #[serde(default)]
    pub secret: Option<Masked>,
}

/// `GET /orgs/{org}/repos`: the fields nhiscan needs of a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repo {
    pub name: String,
    #[serde(default)]
    pub archived: bool,
}

/// `GET /orgs/{org}/installation` (App authentication): the installation's id.
#[derive(Debug, Clone, Deserialize)]
pub struct InstallationId {
    pub id: u64,
}

/// A secret GitHub shows masked (`"********"`): only its presence is kept,
/// and it is written back masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Masked;

impl<'de> Deserialize<'de> for Masked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d)?;
        Ok(Masked)
    }
}

impl Serialize for Masked {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("********")
    }
}

/// `insecure_ssl`: GitHub documents `"0"`/`"1"` strings, and accepts numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsecureSsl(pub bool);

impl<'de> Deserialize<'de> for InsecureSsl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(u64),
        }
        Ok(InsecureSsl(match Raw::deserialize(d)? {
            Raw::Text(t) => t.trim() == "1",
            Raw::Number(n) => n == 1,
        }))
    }
}

impl Serialize for InsecureSsl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0 { "1" } else { "0" })
    }
}

/// A URL cut to `scheme://host[:port]`: no user info, path, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin(pub String);

impl Origin {
    /// The origin of `url`, as a browser parses it (the `url` crate: a
    /// backslash is a path separator, `%2F` in a host is not a host); a URL
    /// without a valid host is `(unparseable URL)`, never the text itself.
    pub fn of(url: &str) -> Origin {
        let url = url.trim();
        let parsed = if url.contains("://") {
            url::Url::parse(url)
        } else {
            // A scheme-less URL: read as https, shown without the scheme.
            url::Url::parse(&format!("https://{url}"))
        };
        Origin(match parsed {
            Ok(u) if plain_host(&u) => {
                let host = u.host_str().unwrap_or_default();
                let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                if url.contains("://") {
                    format!("{}://{host}{port}", u.scheme())
                } else {
                    format!("{host}{port}")
                }
            }
            _ => "(unparseable URL)".to_string(),
        })
    }
}

/// Whether `u` has a host that is an IP address or a DNS name of letters,
/// digits, `-`, `_` and `.` only (WHATWG accepts `;` and `=` in a host).
fn plain_host(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => {
            !d.is_empty()
                && d
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        Some(_) => true,
        None => false,
    }
}

impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Origin::of(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_drop_credentials_paths_and_queries() {
        for (url, want) in [
            (
                "https://hooks.slack.com/services/T000/B000/XXXX",
                "https://hooks.slack.com",
            ),
            (
                "https://user:pass@example.com:8443/hook?token=abc",
                "https://example.com:8443",
            ),
            ("http://example.com", "http://example.com"),
            ("example.com/x", "example.com"),
            (
                "https://hooks.slack.com\\services\\T000\\B000\\SECRET",
                "https://hooks.slack.com",
            ),
            ("https://hooks.example.com;token=SECRET/x", "(unparseable URL)"),
            ("https://hooks.slack.com%2Fservices%2FSECRET", "(unparseable URL)"),
            ("https://user:SECRET@hooks.example.com\\x", "https://hooks.example.com"),
            ("not a url at all SECRET", "(unparseable URL)"),
        ] {
            assert_eq!(Origin::of(url).0, want, "{url}");
        }
    }

    #[test]
    fn a_hook_keeps_only_whether_a_secret_is_set() {
        let hook: Hook = serde_json::from_str(
            r#"{"id": 1, "active": true, "events": [], "config": {"url": "https://x.test/p?k=v",
                "insecure_ssl": 1, "secret": "********"}}"#,
        )
        .unwrap();
        assert_eq!(hook.config.secret, Some(Masked));
        assert_eq!(hook.config.insecure_ssl, Some(InsecureSsl(true)));
        let written = serde_json::to_string(&hook).unwrap();
        assert!(written.contains(r#""secret":"********""#), "{written}");
        assert!(!written.contains("k=v"), "{written}");
    }
}
