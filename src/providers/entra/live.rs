//! Reads a tenant through Microsoft Graph into a [`Tenant`] snapshot, on the
//! shared HTTP layer: GET only, retries with capped `Retry-After`, a call
//! count per route, `@odata.nextLink` pagination with a loop guard, and
//! `$select` so only the fields nhiscan reads come back.
//!
//! Signing in is [`super::auth`]'s. Besides the token request, the only
//! POST is `$batch` ([`super::batch`]), whose requests are all GETs.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::auth::{self, Auth};
use super::batch;
use super::model::{self, Problem, Tenant};
use super::ID;
use crate::model::{Inventory, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::http::{
    self, Client, HttpError, ReqwestTransport, Retry, Secret, Settings, Transport,
};

/// Microsoft Graph's global root.
pub const GRAPH_URL: &str = "https://graph.microsoft.com";
/// Entra's global sign-in root.
pub const LOGIN_URL: &str = "https://login.microsoftonline.com";

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What to read live.
#[derive(Debug, Clone)]
pub struct Options {
    pub graph_url: String,
    pub login_url: String,
    pub auth: Auth,
    pub snapshot_dir: Option<PathBuf>,
    pub progress: Progress,
    pub concurrency: usize,
}

/// Reads the tenant and adds it as one source; a failure becomes a failed
/// or partial source, never an error.
pub fn collect(options: &Options, inventory: &mut Inventory) {
    let tenant = match http::block_on(read(options)) {
        Ok(t) => t,
        Err(e) => Err(e.to_string()),
    };
    match tenant {
        Ok(tenant) => {
            let location = format!("{} (tenant {})", options.graph_url, tenant.tenant_id);
            if let Some(dir) = &options.snapshot_dir {
                if let Err(e) = save(dir, &tenant) {
                    let mut t = tenant.clone();
                    t.problems.push(Problem {
                        endpoint: "snapshot".into(),
                        reason: e,
                    });
                    super::add(inventory, &t, "entra-graph", location, None);
                    return;
                }
            }
            super::add(inventory, &tenant, "entra-graph", location, None);
        }
        Err(reason) => {
            let mut source = Source::new(ID, "entra-graph", options.graph_url.clone());
            source.scope = options.auth.tenant().unwrap_or_default().to_string();
            source.status = SourceStatus::Failed;
            source.error = Some(reason);
            inventory.add_source(source, Vec::new());
        }
    }
}

fn save(dir: &std::path::Path, tenant: &Tenant) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{}.entra.json", tenant.tenant_id));
    let text = serde_json::to_string_pretty(tenant).map_err(|e| e.to_string())?;
    // Atomic, and a planted symlink at the path is replaced, never followed.
    crate::util::atomic::replace_file(&path, |w| std::io::Write::write_all(w, text.as_bytes()))
        .map_err(|e| e.to_string())
}

/// One page of a Graph collection (also inside a `$batch` item's body).
#[derive(Deserialize)]
pub(super) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub(super) value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub(super) next_link: Option<String>,
}

/// Graph over the shared client.
pub(super) struct Graph {
    pub(super) http: Client<ReqwestTransport>,
    /// For `$batch`, the one POST besides the token request.
    pub(super) post: reqwest::Client,
    pub(super) base: reqwest::Url,
    pub(super) auth: reqwest::header::HeaderValue,
    pub(super) secrets: Vec<Secret>,
    /// Milliseconds `$batch` has waited on throttling, for its budget.
    pub(super) throttled_ms: std::sync::atomic::AtomicU64,
}

impl Graph {
    /// Every item of a collection, following `@odata.nextLink` (which must
    /// stay on Graph's origin and never repeat), counted under `route`.
    pub(super) async fn list<T: DeserializeOwned>(&self, route: &str, first: String) -> Result<Vec<T>, HttpError> {
        let mut seen = HashSet::from([first.clone()]);
        let mut next = Some(first);
        let mut all = Vec::new();
        while let Some(target) = next.take() {
            let page: Page<T> = self.http.get_json(route, &target).await?;
            all.extend(page.value);
            let Some(url) = page.next_link else { break };
            let target = self
                .http
                .transport()
                .next_target(&url)
                .map_err(|message| HttpError::Transport {
                    operation: route.into(),
                    message: format!("cannot follow @odata.nextLink {url:?}: {message}"),
                    attempts: 0,
                })?;
            if !seen.insert(target.clone()) {
                return Err(HttpError::Stalled {
                    operation: route.into(),
                    detail: format!("@odata.nextLink leads back to {target}"),
                    cursor: None,
                });
            }
            next = Some(target);
        }
        Ok(all)
    }
}

const OWNERS: &str = "owners($select=id,displayName,userPrincipalName,accountEnabled,deletedDateTime)";
const APP_SELECT: &str = "id,appId,displayName,createdDateTime,signInAudience,publisherDomain,tags,passwordCredentials,keyCredentials,requiredResourceAccess";
const SP_SELECT: &str = "id,appId,displayName,servicePrincipalType,appOwnerOrganizationId,accountEnabled,signInAudience,tags,passwordCredentials,keyCredentials,appRoles";

fn reason(e: &HttpError) -> String {
    match e.status() {
        Some(403) => format!("HTTP 403 (permission denied): {e}"),
        _ => e.to_string(),
    }
}

/// Reads the tenant. An error means nothing could be read (sign-in failed,
/// or both lists of apps and service principals failed).
async fn read(options: &Options) -> Result<Tenant, String> {
    let (access, secrets) = auth::token(&options.auth, &options.login_url, &options.graph_url).await?;
    let base = reqwest::Url::parse(&format!("{}/", options.graph_url))
        .map_err(|e| format!("--graph-url {}: {e}", options.graph_url))?;
    let auth = format!("Bearer {}", access.expose());
    let transport = ReqwestTransport::new(base.clone(), ("authorization", &auth), &[], TIMEOUT)
        .map_err(|e| e.to_string())?;
    let mut settings = Settings::new("Microsoft Graph");
    settings.progress = options.progress.clone();
    settings.concurrency = options.concurrency.max(1);
    settings.secrets = secrets.clone();
    settings.retry = Retry {
        attempts: 6,
        error_attempts: 4,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(30),
        max_pause: Duration::from_secs(5 * 60),
    };
    let mut header = reqwest::header::HeaderValue::from_str(&auth)
        .map_err(|_| "the access token cannot be sent in a header".to_string())?;
    header.set_sensitive(true);
    let post = reqwest::Client::builder()
        .user_agent(concat!("nhiscan/", env!("CARGO_PKG_VERSION")))
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let graph = Graph {
        http: Client::new(transport, settings),
        post,
        base,
        auth: header,
        secrets,
        throttled_ms: Default::default(),
    };
    let mut tenant = Tenant {
        nhiscan_entra_snapshot: model::VERSION,
        tenant_id: options.auth.tenant().unwrap_or("organizations").to_string(),
        graph_url: options.graph_url.clone(),
        ..Tenant::default()
    };
    let mut problems = Vec::new();
    let note = |problems: &mut Vec<Problem>, route: &str, e: HttpError| {
        problems.push(Problem {
            endpoint: route.to_string(),
            reason: reason(&e),
        })
    };

    let route = "GET /v1.0/applications";
    let apps: Option<Vec<model::Application>> = match graph
        .list(route, format!("v1.0/applications?$select={APP_SELECT}&$expand={OWNERS}&$top=999"))
        .await
    {
        Ok(v) => Some(v),
        Err(e) => {
            note(&mut problems, route, e);
            None
        }
    };
    let route = "GET /v1.0/servicePrincipals";
    let mut sps: Option<Vec<model::ServicePrincipal>> = match graph
        .list(route, format!("v1.0/servicePrincipals?$select={SP_SELECT}&$expand={OWNERS}&$top=999"))
        .await
    {
        Ok(v) => Some(v),
        Err(e) => {
            note(&mut problems, route, e);
            None
        }
    };
    if apps.is_none() && sps.is_none() {
        let why: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.endpoint, p.reason)).collect();
        return Err(why.join("; "));
    }
    let mut apps = apps;
    let batched = |problems: &mut Vec<Problem>, route: &str, total: usize, failed: BTreeMap<String, String>| {
        if let Some(reason) = batch::summarize(total, &failed) {
            problems.push(Problem {
                endpoint: route.to_string(),
                reason,
            });
        }
    };
    if let Some(list) = apps.as_mut() {
        let route = "GET /v1.0/applications/{id}/federatedIdentityCredentials";
        let urls: Vec<String> = list
            .iter()
            .map(|a| format!("/applications/{}/federatedIdentityCredentials", a.id))
            .collect();
        let mut failed = BTreeMap::new();
        for (app, got) in list.iter_mut().zip(graph.batch_lists(route, &urls).await) {
            match got {
                Ok(v) => app.federated_identity_credentials = Some(v),
                Err(why) => {
                    failed.insert(app.id.clone(), why);
                }
            }
        }
        batched(&mut problems, route, urls.len(), failed);
    }
    if let Some(list) = sps.as_mut() {
        // Microsoft's own service principals are platform-managed.
        let mut ours: Vec<&mut model::ServicePrincipal> = list
            .iter_mut()
            .filter(|sp| {
                !sp.app_owner_organization_id
                    .as_deref()
                    .is_some_and(super::permissions::is_microsoft)
            })
            .collect();
        let route = "GET /v1.0/servicePrincipals/{id}/appRoleAssignments";
        let urls: Vec<String> = ours
            .iter()
            .map(|sp| format!("/servicePrincipals/{}/appRoleAssignments", sp.id))
            .collect();
        let mut failed = BTreeMap::new();
        for (sp, got) in ours.iter_mut().zip(graph.batch_lists(route, &urls).await) {
            match got {
                Ok(v) => sp.app_role_assignments = Some(v),
                Err(why) => {
                    failed.insert(sp.id.clone(), why);
                }
            }
        }
        batched(&mut problems, route, urls.len(), failed);
    }
    tenant.applications = apps;
    tenant.service_principals = sps.take();

    let route = "GET /v1.0/oauth2PermissionGrants";
    match graph.list(route, "v1.0/oauth2PermissionGrants".into()).await {
        Ok(v) => tenant.oauth2_permission_grants = Some(v),
        Err(e) => note(&mut problems, route, e),
    }
    let route = "GET /v1.0/roleManagement/directory/roleDefinitions";
    match graph
        .list(route, "v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn".into())
        .await
    {
        Ok(v) => tenant.role_definitions = Some(v),
        Err(e) => note(&mut problems, route, e),
    }
    let route = "GET /v1.0/roleManagement/directory/roleAssignments";
    match graph
        .list(route, "v1.0/roleManagement/directory/roleAssignments?$select=id,principalId,roleDefinitionId,directoryScopeId".into())
        .await
    {
        Ok(v) => tenant.role_assignments = Some(v),
        Err(e) => note(&mut problems, route, e),
    }
    // Usage: beta reports, Entra ID P1/P2 and AuditLog.Read.All. Refused,
    // the source is partial and last use stays unknown.
    let route = "GET /beta/reports/servicePrincipalSignInActivities";
    match graph.list(route, "beta/reports/servicePrincipalSignInActivities".into()).await {
        Ok(v) => tenant.service_principal_sign_in_activities = Some(v),
        Err(e) => note(&mut problems, route, e),
    }
    let route = "GET /beta/reports/appCredentialSignInActivities";
    match graph.list(route, "beta/reports/appCredentialSignInActivities".into()).await {
        Ok(v) => tenant.app_credential_sign_in_activities = Some(v),
        Err(e) => note(&mut problems, route, e),
    }
    tenant.problems = problems;
    tenant.api_calls = graph.http.calls().snapshot();
    Ok(tenant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_snapshot_replaces_a_planted_symlink_and_never_writes_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let tenant = Tenant {
            tenant_id: "t1".into(),
            ..Tenant::default()
        };
        let path = dir.path().join("t1.entra.json");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        save(dir.path(), &tenant).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        let back: Tenant = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back, tenant);
    }
}
