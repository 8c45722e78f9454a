//! Reads one Anthropic organization through the admin API into a [`Tenant`].
//!
//! Calls, all GET and paginated to the end: `/v1/organizations/me`,
//! `/v1/organizations/users`, `/v1/organizations/workspaces?include_archived=true`
//! and `/v1/organizations/api_keys` (every status).
//!
//! `/v1/organizations/me` only names the organization. When it cannot be
//! read (a 404, a 500 after retries, a body that is not an organization) the
//! rest is still read and the read is partial. The scope then falls back to
//! [`UNKNOWN_ORGANIZATION`]: no other object carries the organization's id
//! (API keys name their workspace in `workspace_id` / `scope`, users only
//! themselves). A rejected key (401) still ends the read at once: every
//! other call would be rejected the same way.

use super::model::{Organization, Tenant, VERSION};
use crate::providers::admin_api::{ApiError, Client};

/// The scope when `/v1/organizations/me` could not be read.
pub const UNKNOWN_ORGANIZATION: &str = "anthropic-organization";

/// What one read found: the tenant, and the calls that failed without
/// ending the read.
#[derive(Debug)]
pub struct Read {
    pub tenant: Tenant,
    pub problems: Vec<String>,
}

/// Reads everything; an error other than on `/organizations/me` ends the read.
pub async fn fetch(client: Client) -> Result<Read, ApiError> {
    let progress = &client.progress;
    progress.add_work(4);
    let mut problems = Vec::new();
    let organization = match client.get("organizations/me", None, &[]).await {
        Ok(organization) => organization,
        Err(e @ ApiError::Unauthorized { .. }) => return Err(e),
        Err(e) => {
            problems.push(format!(
                "{e}; the organization id is unknown, so the scope is {UNKNOWN_ORGANIZATION}"
            ));
            Organization {
                id: UNKNOWN_ORGANIZATION.into(),
                name: None,
            }
        }
    };
    progress.done(1);
    let users = client.list("organizations/users", None, &[]).await?;
    progress.done(1);
    let archived = [("include_archived", "true".into())];
    let workspaces = client
        .list("organizations/workspaces", None, &archived)
        .await?;
    progress.done(1);
    let api_keys = client.list("organizations/api_keys", None, &[]).await?;
    progress.done(1);
    Ok(Read {
        tenant: Tenant {
            nhiscan_anthropic_snapshot: VERSION,
            legacy_marker: None,
            organization,
            users,
            workspaces,
            api_keys,
        },
        problems,
    })
}
