//! Reads a tenant through Microsoft Graph into a [`Tenant`] snapshot, on the
//! shared HTTP layer: GET only, retries with capped `Retry-After`, a call
//! count per route, `@odata.nextLink` pagination with a loop guard, and
//! `$select` so only the fields nhiscan reads come back.
//!
//! Authentication follows the Azure conventions, in this order:
//! `AZURE_CLIENT_SECRET` (client credentials), `AZURE_FEDERATED_TOKEN_FILE`
//! (workload identity federation), then the Azure CLI's token
//! (`az account get-access-token`). The token exchange is the one POST
//! nhiscan makes; it is hand-written (see `docs/providers/entra.md` for why
//! not `azure_identity`). A certificate (`AZURE_CLIENT_CERTIFICATE_PATH`) and
//! managed identity are not supported yet and say so.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::model::{self, Problem, Tenant};
use super::ID;
use crate::error::Error;
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

/// How nhiscan signs in.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Client credentials with a secret.
    Secret {
        tenant: String,
        client_id: String,
        secret: Secret,
    },
    /// Workload identity federation: the token file's JWT as client assertion.
    Federated {
        tenant: String,
        client_id: String,
        token_file: PathBuf,
    },
    /// The Azure CLI's signed-in account.
    AzureCli { tenant: Option<String> },
}

impl Auth {
    /// The first way to sign in the environment offers.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Auth, Error> {
        let var = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let tenant = var("AZURE_TENANT_ID");
        let client = var("AZURE_CLIENT_ID");
        if let (Some(tenant), Some(client_id)) = (tenant.clone(), client.clone()) {
            if let Some(secret) = var("AZURE_CLIENT_SECRET") {
                return Ok(Auth::Secret {
                    tenant,
                    client_id,
                    secret: Secret::new(secret),
                });
            }
            if let Some(file) = var("AZURE_FEDERATED_TOKEN_FILE") {
                return Ok(Auth::Federated {
                    tenant,
                    client_id,
                    token_file: file.into(),
                });
            }
            if var("AZURE_CLIENT_CERTIFICATE_PATH").is_some() {
                return Err(Error::Usage(
                    "--entra: AZURE_CLIENT_CERTIFICATE_PATH is not supported yet; use \
                     AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE or `az login`"
                        .into(),
                ));
            }
        }
        Ok(Auth::AzureCli { tenant })
    }

    fn tenant(&self) -> Option<&str> {
        match self {
            Auth::Secret { tenant, .. } | Auth::Federated { tenant, .. } => Some(tenant),
            Auth::AzureCli { tenant } => tenant.as_deref(),
        }
    }
}

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
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
    error_description: Option<String>,
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A Graph access token, and the secrets to scrub from any error text.
async fn token(options: &Options) -> Result<(Secret, Vec<Secret>), String> {
    let scope = format!("{}/.default", options.graph_url);
    let (tenant, body, secrets) = match &options.auth {
        Auth::Secret {
            tenant,
            client_id,
            secret,
        } => (
            tenant,
            form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret.expose()),
                ("scope", &scope),
            ]),
            vec![secret.clone()],
        ),
        Auth::Federated {
            tenant,
            client_id,
            token_file,
        } => {
            let jwt = std::fs::read_to_string(token_file)
                .map_err(|e| format!("AZURE_FEDERATED_TOKEN_FILE {}: {e}", token_file.display()))?;
            let jwt = Secret::new(jwt.trim());
            (
                tenant,
                form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", client_id),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", jwt.expose()),
                    ("scope", &scope),
                ]),
                vec![jwt],
            )
        }
        Auth::AzureCli { tenant } => return azure_cli(tenant.as_deref(), &options.graph_url),
    };
    let url = format!("{}/{tenant}/oauth2/v2.0/token", options.login_url);
    let http = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let response = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("token request to {url} failed: {}", http_error_text(&e)))?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let why = serde_json::from_str::<TokenError>(&text)
            .ok()
            .and_then(|e| e.error_description.or(e.error))
            .unwrap_or_else(|| http::short_message(&text));
        let why = scrub(&why, &secrets);
        return Err(format!("sign-in to tenant {tenant} failed: HTTP {status}: {why}"));
    }
    let token: TokenResponse =
        serde_json::from_str(&text).map_err(|e| format!("unexpected token response: {e}"))?;
    let access = Secret::new(token.access_token);
    let mut all = secrets;
    all.push(access.clone());
    Ok((access, all))
}

fn http_error_text(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn scrub(text: &str, secrets: &[Secret]) -> String {
    secrets.iter().fold(text.to_string(), |t, s| {
        if s.expose().is_empty() {
            t
        } else {
            t.replace(s.expose(), "<redacted>")
        }
    })
}

/// `az account get-access-token`: the CLI's signed-in account.
fn azure_cli(tenant: Option<&str>, graph: &str) -> Result<(Secret, Vec<Secret>), String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CliToken {
        access_token: String,
    }
    let mut cmd = std::process::Command::new("az");
    cmd.args(["account", "get-access-token", "--resource", graph, "-o", "json"]);
    if let Some(t) = tenant {
        cmd.args(["--tenant", t]);
    }
    let out = cmd.output().map_err(|e| {
        format!(
            "no credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or \
             AZURE_FEDERATED_TOKEN_FILE), or sign in with `az login` (running az failed: {e})"
        )
    })?;
    if !out.status.success() {
        return Err(format!(
            "az account get-access-token failed: {}",
            http::short_message(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    let t: CliToken = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("unexpected az account get-access-token output: {e}"))?;
    let access = Secret::new(t.access_token);
    Ok((access.clone(), vec![access]))
}

/// One page of a Graph collection.
#[derive(Deserialize)]
struct Page<T> {
    #[serde(default = "Vec::new")]
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// Graph over the shared client.
struct Graph {
    http: Client<ReqwestTransport>,
}

impl Graph {
    /// Every item of a collection, following `@odata.nextLink` (which must
    /// stay on Graph's origin and never repeat), counted under `route`.
    async fn list<T: DeserializeOwned>(&self, route: &str, first: String) -> Result<Vec<T>, HttpError> {
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
    let (access, secrets) = token(options).await?;
    let base = reqwest::Url::parse(&format!("{}/", options.graph_url))
        .map_err(|e| format!("--graph-url {}: {e}", options.graph_url))?;
    let auth = format!("Bearer {}", access.expose());
    let transport = ReqwestTransport::new(base, ("authorization", &auth), &[], TIMEOUT)
        .map_err(|e| e.to_string())?;
    let mut settings = Settings::new("Microsoft Graph");
    settings.progress = options.progress.clone();
    settings.concurrency = options.concurrency.max(1);
    settings.secrets = secrets;
    settings.retry = Retry {
        attempts: 6,
        error_attempts: 4,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(30),
        max_pause: Duration::from_secs(5 * 60),
    };
    let graph = Graph {
        http: Client::new(transport, settings),
    };
    let mut tenant = Tenant {
        nhiscan_entra_snapshot: model::VERSION,
        tenant_id: options.auth.tenant().unwrap_or("organizations").to_string(),
        graph_url: options.graph_url.clone(),
        ..Tenant::default()
    };
    let mut problems = Vec::new();
    let mut note = |route: &str, e: HttpError| {
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
            note(route, e);
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
            note(route, e);
            None
        }
    };
    if apps.is_none() && sps.is_none() {
        let why: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.endpoint, p.reason)).collect();
        return Err(why.join("; "));
    }
    let mut apps = apps;
    for app in apps.iter_mut().flatten() {
        let route = "GET /v1.0/applications/{id}/federatedIdentityCredentials";
        let path = format!("v1.0/applications/{}/federatedIdentityCredentials", app.id);
        match graph.list(route, path).await {
            Ok(v) => app.federated_identity_credentials = Some(v),
            Err(e) => note(route, e),
        }
    }
    for sp in sps.iter_mut().flatten() {
        // Microsoft's own service principals are platform-managed.
        if sp
            .app_owner_organization_id
            .as_deref()
            .is_some_and(super::permissions::is_microsoft)
        {
            continue;
        }
        let route = "GET /v1.0/servicePrincipals/{id}/appRoleAssignments";
        let path = format!("v1.0/servicePrincipals/{}/appRoleAssignments", sp.id);
        match graph.list(route, path).await {
            Ok(v) => sp.app_role_assignments = Some(v),
            Err(e) => note(route, e),
        }
    }
    tenant.applications = apps;
    tenant.service_principals = sps.take();

    let route = "GET /v1.0/oauth2PermissionGrants";
    match graph.list(route, "v1.0/oauth2PermissionGrants".into()).await {
        Ok(v) => tenant.oauth2_permission_grants = Some(v),
        Err(e) => note(route, e),
    }
    let route = "GET /v1.0/roleManagement/directory/roleDefinitions";
    match graph
        .list(route, "v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn".into())
        .await
    {
        Ok(v) => tenant.role_definitions = Some(v),
        Err(e) => note(route, e),
    }
    let route = "GET /v1.0/roleManagement/directory/roleAssignments";
    match graph
        .list(route, "v1.0/roleManagement/directory/roleAssignments?$select=id,principalId,roleDefinitionId,directoryScopeId".into())
        .await
    {
        Ok(v) => tenant.role_assignments = Some(v),
        Err(e) => note(route, e),
    }
    // Usage: beta reports, Entra ID P1/P2 and AuditLog.Read.All. Refused,
    // the source is partial and last use stays unknown.
    let route = "GET /beta/reports/servicePrincipalSignInActivities";
    match graph.list(route, "beta/reports/servicePrincipalSignInActivities".into()).await {
        Ok(v) => tenant.service_principal_sign_in_activities = Some(v),
        Err(e) => note(route, e),
    }
    let route = "GET /beta/reports/appCredentialSignInActivities";
    match graph.list(route, "beta/reports/appCredentialSignInActivities".into()).await {
        Ok(v) => tenant.app_credential_sign_in_activities = Some(v),
        Err(e) => note(route, e),
    }
    tenant.problems = problems;
    tenant.api_calls = graph.http.calls().snapshot();
    Ok(tenant)
}
