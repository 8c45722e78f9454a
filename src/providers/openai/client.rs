//! Reads one OpenAI organization through the admin API into a [`Tenant`].
//!
//! Calls, all GET and paginated to the end: `/organization/users`,
//! `/organization/admin_api_keys`, `/organization/projects?include_archived=true`,
//! then for each project (up to [`CONCURRENCY`] at once)
//! `/organization/projects/{id}/api_keys?owner_project_access=any` (without
//! `any`, keys whose owner lost access are hidden) and
//! `/organization/projects/{id}/service_accounts`.

use tokio::task::JoinSet;

use super::model::{Project, ProjectSnapshot, Tenant, VERSION};
use crate::providers::admin_api::{ApiError, Client};

/// Projects read at the same time.
pub const CONCURRENCY: usize = 4;

/// Reads everything; the first error ends the read.
pub async fn fetch(client: Client, organization: String) -> Result<Tenant, ApiError> {
    let progress = &client.progress;
    progress.add_work(3);
    let users = client.list("organization/users", None, &[]).await?;
    progress.done(1);
    let admin_api_keys = client
        .list("organization/admin_api_keys", None, &[])
        .await?;
    progress.done(1);
    let archived = [("include_archived", "true".into())];
    let projects: Vec<Project> = client
        .list("organization/projects", None, &archived)
        .await?;
    progress.done(1);
    progress.add_work(projects.len() as u64);

    let mut pending = projects.into_iter().enumerate();
    let mut running = JoinSet::new();
    let mut read = Vec::new();
    loop {
        while running.len() < CONCURRENCY {
            let Some((i, project)) = pending.next() else {
                break;
            };
            let client = client.clone();
            running.spawn(async move { project_lists(&client, project).await.map(|p| (i, p)) });
        }
        match running.join_next().await {
            None => break,
            Some(Ok(done)) => {
                read.push(done?);
                progress.done(1);
            }
            Some(Err(e)) => return Err(ApiError::Setup(format!("a project read stopped: {e}"))),
        }
    }
    read.sort_by_key(|(i, _)| *i);
    Ok(Tenant {
        nhiscan_openai_snapshot: VERSION,
        legacy_marker: None,
        organization,
        users,
        admin_api_keys,
        projects: read.into_iter().map(|(_, p)| p).collect(),
    })
}

async fn project_lists(client: &Client, project: Project) -> Result<ProjectSnapshot, ApiError> {
    let id = Some(project.id.as_str());
    let any_owner = [("owner_project_access", "any".into())];
    let api_keys = client
        .list("organization/projects/{id}/api_keys", id, &any_owner)
        .await?;
    let service_accounts = client
        .list("organization/projects/{id}/service_accounts", id, &[])
        .await?;
    Ok(ProjectSnapshot {
        project,
        api_keys,
        service_accounts,
    })
}
