//! The "org snapshot": everything nhiscan read about one GitHub organization,
//! in GitHub's own shapes, with what could not be read and the API calls made.
//!
//! A live scan fills one per org; `--github-snapshot-dir` saves it as JSON,
//! and `--input` reads it back (detected by its `nhiscan_github_snapshot`
//! key), so an org can be scanned offline, and the demo embeds one. A list is
//! `null` when it was not read; `problems` says why.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::model::{
    CredentialAuthorization, DeployKey, Hook, Installation, PatGrant, PatRequest, Secret, User,
};
use crate::error::{json_error, Error};
use crate::providers::input::top_level_values;

/// The key that marks a snapshot file, holding its format version.
pub const MARKER: &str = "nhiscan_github_snapshot";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// One organization's machine identities, as GitHub returned them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSnapshot {
    /// Always [`VERSION`].
    pub nhiscan_github_snapshot: u32,
    pub org: String,
    /// The API the data came from.
    pub api_url: String,
    pub members: Option<Vec<User>>,
    pub pat_grants: Option<Vec<PatGrant>>,
    pub pat_requests: Option<Vec<PatRequest>>,
    pub credential_authorizations: Option<Vec<CredentialAuthorization>>,
    pub installations: Option<Vec<Installation>>,
    pub org_secrets: Option<Vec<Secret>>,
    pub org_hooks: Option<Vec<Hook>>,
    pub repos: Option<Vec<RepoSnapshot>>,
    /// Parts that could not be read.
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// API calls made to read it, by endpoint.
    #[serde(default)]
    pub api_calls: BTreeMap<String, u64>,
}

/// One repository's deploy keys, secrets and webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSnapshot {
    pub name: String,
    #[serde(default)]
    pub archived: bool,
    pub deploy_keys: Option<Vec<DeployKey>>,
    pub secrets: Option<Vec<Secret>>,
    pub hooks: Option<Vec<Hook>>,
}

/// A part of the org that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// The endpoint, e.g. `GET /repos/{owner}/{repo}/keys`.
    pub endpoint: String,
    /// What it was read for: the org, or `org/repo`.
    pub target: String,
    /// `skipped` (not available on this org: nothing is missing) or
    /// `failed` (the part is missing, so the scan is partial).
    pub outcome: Outcome,
    pub reason: String,
}

/// Whether a problem leaves a hole in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Failed,
    Skipped,
}

impl OrgSnapshot {
    /// An empty snapshot of `org`, before anything is read.
    pub fn new(org: &str, api_url: &str) -> Self {
        OrgSnapshot {
            nhiscan_github_snapshot: VERSION,
            org: org.to_string(),
            // A proxy's `user:password@` is never stored.
            api_url: crate::util::redact::strip_userinfo(api_url),
            members: None,
            pat_grants: None,
            pat_requests: None,
            credential_authorizations: None,
            installations: None,
            org_secrets: None,
            org_hooks: None,
            repos: None,
            problems: Vec::new(),
            api_calls: BTreeMap::new(),
        }
    }

    /// Whether nothing at all could be read.
    pub fn nothing_read(&self) -> bool {
        self.members.is_none()
            && self.pat_grants.is_none()
            && self.pat_requests.is_none()
            && self.credential_authorizations.is_none()
            && self.installations.is_none()
            && self.org_secrets.is_none()
            && self.org_hooks.is_none()
            && self.repos.is_none()
    }
}

/// Parses a snapshot file.
pub fn parse(path: &Path, text: &str) -> Result<OrgSnapshot, Error> {
    let version = top_level_values(text, &[MARKER])
        .map_err(|e| json_error(path, &e))?
        .pop()
        .flatten()
        .and_then(|v| v.as_u64());
    if version != Some(u64::from(VERSION)) {
        return Err(Error::input(
            path,
            format!("{MARKER} {version:?} is not supported; this build reads version {VERSION}"),
        ));
    }
    serde_json::from_str(text).map_err(|e| json_error(path, &e))
}
