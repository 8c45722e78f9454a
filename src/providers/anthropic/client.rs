//! Reads one Anthropic organization through the admin API into a [`Tenant`].
//!
//! Calls, all GET and paginated to the end: `/v1/organizations/me`,
//! `/v1/organizations/users`, `/v1/organizations/workspaces?include_archived=true`
//! and `/v1/organizations/api_keys` (every status).

use super::model::Tenant;
use crate::providers::admin_api::{ApiError, Client};

/// Reads everything; the first error ends the read.
pub async fn fetch(client: Client) -> Result<Tenant, ApiError> {
    let progress = &client.progress;
    progress.add_work(4);
    let organization = client.get("organizations/me", None, &[]).await?;
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
    Ok(Tenant {
        nhiscan_snapshot: "anthropic".into(),
        organization,
        users,
        workspaces,
        api_keys,
    })
}
