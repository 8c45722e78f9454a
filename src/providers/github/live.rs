//! Reads one organization live into an [`OrgSnapshot`]. Org-wide lists are
//! read together, then every repository's deploy keys, secrets and webhooks,
//! a bounded number of requests at a time. A part that cannot be read is
//! recorded as a problem with GitHub's reason; the rest of the org is still read.

use octocrab::models::{AppId, InstallationId};
use octocrab::Octocrab;
use tokio::task::JoinSet;

use super::auth::{Auth, Secret};
use super::client::{Client, Failure};
use super::model::{
    CredentialAuthorization, DeployKey, Hook, Installation, InstallationPage, PatGrant, PatRequest,
    Repo, Secret as ActionsSecret, SecretPage, User,
};
use super::snapshot::{OrgSnapshot, Outcome, Problem, RepoSnapshot};
use crate::providers::http::Calls;

/// The endpoints nhiscan reads, as counted in `api_calls`.
pub mod endpoint {
    pub const MEMBERS: &str = "GET /orgs/{org}/members";
    pub const PAT_GRANTS: &str = "GET /orgs/{org}/personal-access-tokens";
    pub const PAT_REQUESTS: &str = "GET /orgs/{org}/personal-access-token-requests";
    pub const CREDENTIAL_AUTHORIZATIONS: &str = "GET /orgs/{org}/credential-authorizations";
    pub const INSTALLATIONS: &str = "GET /orgs/{org}/installations";
    pub const ORG_SECRETS: &str = "GET /orgs/{org}/actions/secrets";
    pub const ORG_HOOKS: &str = "GET /orgs/{org}/hooks";
    pub const REPOS: &str = "GET /orgs/{org}/repos";
    pub const DEPLOY_KEYS: &str = "GET /repos/{owner}/{repo}/keys";
    pub const REPO_SECRETS: &str = "GET /repos/{owner}/{repo}/actions/secrets";
    pub const REPO_HOOKS: &str = "GET /repos/{owner}/{repo}/hooks";
    pub const ORG_INSTALLATION: &str = "GET /orgs/{org}/installation";
    pub const ACCESS_TOKEN: &str = "POST /app/installations/{installation_id}/access_tokens";
}

/// Builds the octocrab client for `auth` against `api_url`.
pub fn octocrab(api_url: &str, auth: &Auth) -> Result<Octocrab, String> {
    let builder = Octocrab::builder()
        .base_uri(api_url)
        .map_err(|e| {
            format!(
                "--github-api-url {}: {e}",
                crate::util::redact::strip_userinfo(api_url)
            )
        })?
        .add_retry_config(octocrab::service::middleware::retry::RetryConfig::None)
        .set_connect_timeout(Some(std::time::Duration::from_secs(10)))
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .add_header(
            "x-github-api-version".parse().map_err(|e| format!("{e}"))?,
            "2022-11-28".into(),
        );
    let builder = match auth {
        Auth::Token { token, .. } => builder.personal_token(token.expose().to_string()),
        Auth::App { app_id, key, .. } => builder.app(AppId(*app_id), encoding_key(key)?),
    };
    builder.build().map_err(|e| e.to_string())
}

fn encoding_key(key: &Secret) -> Result<octocrab::EncodingKey, String> {
    octocrab::EncodingKey::from_rsa_pem(key.expose().as_bytes())
        .map_err(|e| format!("the GitHub App key is not an RSA private key: {e}"))
}

/// Reads `org` with `client` (token or App credentials).
pub async fn read_org(client: &Client, auth: &Auth, org: &str, api_url: &str) -> OrgSnapshot {
    let mut snapshot = OrgSnapshot::new(org, api_url);
    let calls = Calls::default();
    let org_client = match auth {
        Auth::Token { .. } => client.with(client.octocrab().clone(), calls.clone()),
        Auth::App {
            installation_id, ..
        } => match installation_client(client, &calls, org, *installation_id).await {
            Ok(c) => c,
            Err((endpoint, failure)) => {
                snapshot.problems.push(Problem {
                    endpoint: endpoint.into(),
                    target: org.into(),
                    outcome: Outcome::Failed,
                    reason: failure.to_string(),
                });
                snapshot.api_calls = calls.snapshot();
                return snapshot;
            }
        },
    };
    Reader {
        client: org_client,
        app: matches!(auth, Auth::App { .. }),
    }
    .read(&mut snapshot)
    .await;
    snapshot.api_calls = calls.snapshot();
    snapshot
}

/// A client acting as the App's installation on `org`: the given one, or
/// the org's own, with a fresh installation token.
async fn installation_client(
    app: &Client,
    calls: &Calls,
    org: &str,
    installation_id: Option<u64>,
) -> Result<Client, (&'static str, Failure)> {
    let app = app.with(app.octocrab().clone(), calls.clone());
    let id = match installation_id {
        Some(id) => id,
        None => {
            let found: super::model::InstallationId = app
                .get(
                    endpoint::ORG_INSTALLATION,
                    &format!("/orgs/{org}/installation"),
                )
                .await
                .map_err(|f| (endpoint::ORG_INSTALLATION, f))?;
            found.id
        }
    };
    calls.record(endpoint::ACCESS_TOKEN);
    let (octo, _token) = app
        .octocrab()
        .installation_and_token(InstallationId(id))
        .await
        .map_err(|e| {
            (
                endpoint::ACCESS_TOKEN,
                Failure {
                    status: None,
                    message: app.scrub(&format!("cannot get a token for installation {id}: {e}")),
                },
            )
        })?;
    Ok(app.with(octo, calls.clone()))
}

struct Reader {
    client: Client,
    /// Whether the credentials are a GitHub App's (the PAT endpoints need one).
    app: bool,
}

impl Reader {
    async fn read(&self, s: &mut OrgSnapshot) {
        let org = s.org.clone();
        let c = &self.client;
        let progress = c.progress();
        progress.add_work(8);
        progress.message(format!("{org}: organization"));
        let (members, grants, requests, credentials, installations, secrets, hooks, repos) = tokio::join!(
            c.list(
                endpoint::MEMBERS,
                format!("/orgs/{org}/members"),
                |p: Vec<User>| p
            ),
            c.list(
                endpoint::PAT_GRANTS,
                format!("/orgs/{org}/personal-access-tokens"),
                |p: Vec<PatGrant>| p
            ),
            c.list(
                endpoint::PAT_REQUESTS,
                format!("/orgs/{org}/personal-access-token-requests"),
                |p: Vec<PatRequest>| p
            ),
            c.list(
                endpoint::CREDENTIAL_AUTHORIZATIONS,
                format!("/orgs/{org}/credential-authorizations"),
                |p: Vec<CredentialAuthorization>| p
            ),
            c.list(
                endpoint::INSTALLATIONS,
                format!("/orgs/{org}/installations"),
                |p: InstallationPage| p.installations
            ),
            c.list(
                endpoint::ORG_SECRETS,
                format!("/orgs/{org}/actions/secrets"),
                |p: SecretPage| p.secrets
            ),
            c.list(
                endpoint::ORG_HOOKS,
                format!("/orgs/{org}/hooks"),
                |p: Vec<Hook>| p
            ),
            c.list(
                endpoint::REPOS,
                format!("/orgs/{org}/repos?type=all"),
                |p: Vec<Repo>| p
            ),
        );
        progress.done(8);
        s.members = self.keep(s, endpoint::MEMBERS, members);
        s.pat_grants = self.keep(s, endpoint::PAT_GRANTS, grants);
        s.pat_requests = self.keep(s, endpoint::PAT_REQUESTS, requests);
        s.credential_authorizations =
            self.keep(s, endpoint::CREDENTIAL_AUTHORIZATIONS, credentials);
        s.installations = self.keep::<Installation>(s, endpoint::INSTALLATIONS, installations);
        s.org_secrets = self.keep::<ActionsSecret>(s, endpoint::ORG_SECRETS, secrets);
        s.org_hooks = self.keep(s, endpoint::ORG_HOOKS, hooks);
        let Some(repos) = self.keep(s, endpoint::REPOS, repos) else {
            return;
        };
        progress.add_work(repos.len() as u64);
        let mut tasks = JoinSet::new();
        for repo in repos {
            let client = self.client.clone();
            let org = org.clone();
            tasks.spawn(async move { read_repo(&client, &org, repo).await });
        }
        let mut read = Vec::new();
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok((repo, problems)) => {
                    progress.done(1);
                    progress.message(format!("{org}/{}", repo.name));
                    read.push(repo);
                    s.problems.extend(problems);
                }
                Err(e) => s.problems.push(Problem {
                    endpoint: endpoint::DEPLOY_KEYS.into(),
                    target: org.clone(),
                    outcome: Outcome::Failed,
                    reason: format!("a repository task failed: {e}"),
                }),
            }
        }
        read.sort_by(|a, b| a.name.cmp(&b.name));
        s.problems
            .sort_by(|a, b| (&a.endpoint, &a.target).cmp(&(&b.endpoint, &b.target)));
        s.repos = Some(read);
    }

    /// The items, or `None` with the problem recorded.
    fn keep<T>(
        &self,
        s: &mut OrgSnapshot,
        endpoint: &str,
        result: Result<Vec<T>, Failure>,
    ) -> Option<Vec<T>> {
        let failure = match result {
            Ok(items) => return Some(items),
            Err(f) => f,
        };
        let pat_endpoint = endpoint == endpoint::PAT_GRANTS || endpoint == endpoint::PAT_REQUESTS;
        let (outcome, reason) = match failure.status {
            Some(404) if endpoint == endpoint::CREDENTIAL_AUTHORIZATIONS => (
                Outcome::Skipped,
                format!(
                    "not available on this org ({failure}): SAML SSO credential \
                     authorizations exist only on GitHub Enterprise Cloud orgs with SAML SSO"
                ),
            ),
            Some(403 | 404) if pat_endpoint && !self.app => (
                Outcome::Failed,
                format!(
                    "{failure} (only a GitHub App can list fine-grained PATs: use \
                     --github-app-id and --github-app-key)"
                ),
            ),
            _ => (Outcome::Failed, failure.to_string()),
        };
        s.problems.push(Problem {
            endpoint: endpoint.into(),
            target: s.org.clone(),
            outcome,
            reason,
        });
        None
    }
}

/// One repository's deploy keys, secrets and webhooks, and what failed.
async fn read_repo(client: &Client, org: &str, repo: Repo) -> (RepoSnapshot, Vec<Problem>) {
    let base = format!("/repos/{org}/{}", repo.name);
    let (keys, secrets, hooks) = tokio::join!(
        client.list(
            endpoint::DEPLOY_KEYS,
            format!("{base}/keys"),
            |p: Vec<DeployKey>| p
        ),
        client.list(
            endpoint::REPO_SECRETS,
            format!("{base}/actions/secrets"),
            |p: SecretPage| p.secrets
        ),
        client.list(
            endpoint::REPO_HOOKS,
            format!("{base}/hooks"),
            |p: Vec<Hook>| p
        ),
    );
    let mut problems = Vec::new();
    let mut keep = |endpoint: &str, failure: Failure| {
        problems.push(Problem {
            endpoint: endpoint.into(),
            target: format!("{org}/{}", repo.name),
            outcome: Outcome::Failed,
            reason: failure.to_string(),
        });
    };
    let deploy_keys = keys.map_err(|f| keep(endpoint::DEPLOY_KEYS, f)).ok();
    let secrets = secrets.map_err(|f| keep(endpoint::REPO_SECRETS, f)).ok();
    let hooks = hooks.map_err(|f| keep(endpoint::REPO_HOOKS, f)).ok();
    (
        RepoSnapshot {
            name: repo.name,
            archived: repo.archived,
            deploy_keys,
            secrets,
            hooks,
        },
        problems,
    )
}
