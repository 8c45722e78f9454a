//! Signing in to Microsoft Graph, following the Azure SDK's
//! `DefaultAzureCredential` order:
//!
//! 1. environment: `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` with
//!    `AZURE_CLIENT_SECRET` (client credentials), else with
//!    `AZURE_CLIENT_CERTIFICATE_PATH` (a certificate-signed client
//!    assertion, [`super::cert`]);
//! 2. workload identity federation: `AZURE_FEDERATED_TOKEN_FILE`'s JWT as
//!    the client assertion;
//! 3. managed identity: App Service / Functions (`IDENTITY_ENDPOINT` +
//!    `IDENTITY_HEADER`), else the instance metadata service (IMDS,
//!    `--entra-imds-url`, default `http://169.254.169.254`); a user-assigned
//!    identity is named by `AZURE_CLIENT_ID`;
//! 4. the Azure CLI's token (`az account get-access-token`), as a last
//!    resort: when IMDS cannot be reached (off Azure), the CLI is tried next.
//!
//! Each flow is one request, hand-written because `azure_identity` could not
//! be used (its certificate credential needs openssl, its authority host
//! must be https and its IMDS address is fixed; see
//! `docs/providers/entra.md`). Every secret (client secret, assertion,
//! `IDENTITY_HEADER`, certificate password, access token) is a [`Secret`]
//! and scrubbed from any error text.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::cert::Signer;
use crate::error::Error;
use crate::providers::http::{self, Secret};

/// How long one token request may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How long to wait for IMDS to accept a connection before trying the next
/// way to sign in (the Azure SDKs probe it for about a second).
const IMDS_CONNECT: Duration = Duration::from_secs(1);
/// The instance metadata service, as every Azure VM sees it.
pub const IMDS_URL: &str = "http://169.254.169.254";
/// IMDS's token path and the API version the Azure SDKs use.
const IMDS_PATH: &str = "/metadata/identity/oauth2/token?api-version=2018-02-01";
/// App Service / Functions identity endpoint API version.
const APP_SERVICE_API: &str = "2019-08-01";

/// Where a managed identity's token comes from.
#[derive(Debug, Clone)]
pub enum ManagedSource {
    /// App Service or Functions: `IDENTITY_ENDPOINT` with `IDENTITY_HEADER`.
    AppService { endpoint: String, header: Secret },
    /// The instance metadata service (VMs, scale sets, AKS nodes).
    Imds { url: String },
}

/// How nhiscan signs in.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Client credentials with a secret.
    Secret {
        tenant: String,
        client_id: String,
        secret: Secret,
    },
    /// Client credentials with a certificate-signed assertion.
    Certificate {
        tenant: String,
        client_id: String,
        path: PathBuf,
        password: Option<Secret>,
        send_chain: bool,
    },
    /// Workload identity federation: the token file's JWT as client assertion.
    Federated {
        tenant: String,
        client_id: String,
        token_file: PathBuf,
    },
    /// A managed identity; a user-assigned one names its client id. With
    /// `then_cli`, an IMDS that cannot be reached falls through to the CLI.
    Managed {
        source: ManagedSource,
        client_id: Option<String>,
        tenant: Option<String>,
        then_cli: bool,
    },
    /// The Azure CLI's signed-in account.
    AzureCli { tenant: Option<String> },
}

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes")
}

impl Auth {
    /// The first way to sign in the environment offers (`get` reads a
    /// variable), with `imds` as the metadata service's root.
    pub fn from_env(get: impl Fn(&str) -> Option<String>, imds: &str) -> Result<Auth, Error> {
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
            if let Some(path) = var("AZURE_CLIENT_CERTIFICATE_PATH") {
                return Ok(Auth::Certificate {
                    tenant,
                    client_id,
                    path: path.into(),
                    password: var("AZURE_CLIENT_CERTIFICATE_PASSWORD").map(Secret::new),
                    send_chain: var("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN")
                        .is_some_and(|v| truthy(&v)),
                });
            }
            if let Some(file) = var("AZURE_FEDERATED_TOKEN_FILE") {
                return Ok(Auth::Federated {
                    tenant,
                    client_id,
                    token_file: file.into(),
                });
            }
        }
        if let (Some(endpoint), Some(header)) = (var("IDENTITY_ENDPOINT"), var("IDENTITY_HEADER")) {
            return Ok(Auth::Managed {
                source: ManagedSource::AppService {
                    endpoint,
                    header: Secret::new(header),
                },
                client_id: client,
                tenant,
                then_cli: false,
            });
        }
        let url = imds.trim().trim_end_matches('/');
        if url.is_empty() || url.eq_ignore_ascii_case("none") {
            return Ok(Auth::AzureCli { tenant });
        }
        Ok(Auth::Managed {
            source: ManagedSource::Imds { url: url.to_string() },
            client_id: client,
            tenant,
            then_cli: true,
        })
    }

    /// The tenant, when the way to sign in names it.
    pub fn tenant(&self) -> Option<&str> {
        match self {
            Auth::Secret { tenant, .. }
            | Auth::Certificate { tenant, .. }
            | Auth::Federated { tenant, .. } => Some(tenant),
            Auth::Managed { tenant, .. } | Auth::AzureCli { tenant } => tenant.as_deref(),
        }
    }
}

/// The token endpoint's answer (and the managed identity endpoints').
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
    error_description: Option<String>,
    /// App Service's and IMDS's error bodies.
    #[serde(rename = "Message", alias = "message")]
    message: Option<String>,
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A Graph access token for `graph` (the resource root), and the secrets to
/// scrub from any error text.
pub async fn token(auth: &Auth, login: &str, graph: &str) -> Result<(Secret, Vec<Secret>), String> {
    let scope = format!("{graph}/.default");
    const ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    let (tenant, body, secrets) = match auth {
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
        Auth::Certificate {
            tenant,
            client_id,
            path,
            password,
            send_chain,
        } => {
            let secrets: Vec<Secret> = password.iter().cloned().collect();
            let signer = Signer::load(path, password.as_ref()).map_err(|e| scrub(&e, &secrets))?;
            let audience = format!("{login}/{tenant}/oauth2/v2.0/token");
            let now = jiff::Timestamp::now().as_second();
            let jwt = signer.assertion(client_id, &audience, now, *send_chain)?;
            let body = form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_assertion_type", ASSERTION),
                ("client_assertion", jwt.expose()),
                ("scope", &scope),
            ]);
            let mut secrets = secrets;
            secrets.push(jwt);
            (tenant, body, secrets)
        }
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
                    ("client_assertion_type", ASSERTION),
                    ("client_assertion", jwt.expose()),
                    ("scope", &scope),
                ]),
                vec![jwt],
            )
        }
        Auth::Managed {
            source,
            client_id,
            tenant,
            then_cli,
        } => {
            return match managed(source, client_id.as_deref(), graph).await {
                Ok(t) => Ok(t),
                Err(Unreachable(why)) if *then_cli => {
                    azure_cli(tenant.as_deref(), graph).map_err(|cli| {
                        format!("no managed identity ({why}), and {cli}")
                    })
                }
                Err(Unreachable(why)) => Err(why),
            };
        }
        Auth::AzureCli { tenant } => return azure_cli(tenant.as_deref(), graph),
    };
    let url = format!("{login}/{tenant}/oauth2/v2.0/token");
    let http = client(None)?;
    let response = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("token request to {url} failed: {}", error_text(&e)))?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let why = scrub(&reason(&text), &secrets);
        return Err(format!("sign-in to tenant {tenant} failed: HTTP {status}: {why}"));
    }
    let token: TokenResponse =
        serde_json::from_str(&text).map_err(|e| format!("unexpected token response: {e}"))?;
    let access = Secret::new(token.access_token);
    let mut all = secrets;
    all.push(access.clone());
    Ok((access, all))
}

/// Why a token endpoint said no, from its error body.
fn reason(text: &str) -> String {
    serde_json::from_str::<TokenError>(text)
        .ok()
        .and_then(|e| e.error_description.or(e.message).or(e.error))
        .unwrap_or_else(|| http::short_message(text))
}

fn client(connect: Option<Duration>) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .user_agent(concat!("nhiscan/", env!("CARGO_PKG_VERSION")))
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(c) = connect {
        b = b.connect_timeout(c);
    }
    b.build().map_err(|e| e.to_string())
}

/// A managed identity that gave no token, and why.
struct Unreachable(String);

/// A managed identity's token: a GET to App Service's endpoint (with
/// `X-IDENTITY-HEADER`) or IMDS (with `Metadata: true`).
async fn managed(
    source: &ManagedSource,
    client_id: Option<&str>,
    graph: &str,
) -> Result<(Secret, Vec<Secret>), Unreachable> {
    let with_query = |base: &str, api: Option<&str>| -> Result<reqwest::Url, Unreachable> {
        let mut url = reqwest::Url::parse(base)
            .map_err(|e| Unreachable(format!("bad managed identity endpoint {base:?}: {e}")))?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(api) = api {
                q.append_pair("api-version", api);
            }
            q.append_pair("resource", graph);
            if let Some(c) = client_id {
                q.append_pair("client_id", c);
            }
        }
        Ok(url)
    };
    let (url, request, secrets, name): (reqwest::Url, _, Vec<Secret>, _) = match source {
        ManagedSource::AppService { endpoint, header } => {
            let http = client(None).map_err(Unreachable)?;
            let url = with_query(endpoint, Some(APP_SERVICE_API))?;
            let mut value = reqwest::header::HeaderValue::from_str(header.expose())
                .map_err(|_| Unreachable("IDENTITY_HEADER cannot be sent in a header".into()))?;
            value.set_sensitive(true);
            let request = http.get(url.clone()).header("x-identity-header", value);
            (url, request, vec![header.clone()], "the App Service identity endpoint")
        }
        ManagedSource::Imds { url } => {
            let http = client(Some(IMDS_CONNECT)).map_err(Unreachable)?;
            let url = with_query(&format!("{url}{IMDS_PATH}"), None)?;
            let request = http.get(url.clone()).header("metadata", "true");
            (url, request, Vec::new(), "the instance metadata service")
        }
    };
    let response = request.send().await.map_err(|e| {
        Unreachable(scrub(&format!("{name} at {url} did not answer: {}", error_text(&e)), &secrets))
    })?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let why = scrub(&reason(&text), &secrets);
        return Err(Unreachable(format!(
            "managed identity sign-in through {name} failed: HTTP {status}: {why}"
        )));
    }
    let token: TokenResponse = serde_json::from_str(&text)
        .map_err(|e| Unreachable(format!("unexpected answer from {name}: {e}")))?;
    let access = Secret::new(token.access_token);
    let mut all = secrets;
    all.push(access.clone());
    Ok((access, all))
}

/// An error and its causes (reqwest's own message omits the cause).
pub fn error_text(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `text` with every secret replaced by `<redacted>`.
pub fn scrub(text: &str, secrets: &[Secret]) -> String {
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
            "no credentials: set AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, \
             AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE, run on Azure with a \
             managed identity, or sign in with `az login` (running az failed: {e})"
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

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(vars: &[(&str, &str)]) -> Auth {
        let vars: Vec<(String, String)> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Auth::from_env(
            |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            IMDS_URL,
        )
        .unwrap()
    }

    #[test]
    fn the_order_is_the_azure_sdks() {
        let base = [("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "c")];
        let all = [
            base[0],
            base[1],
            ("AZURE_CLIENT_SECRET", "s"),
            ("AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem"),
            ("AZURE_FEDERATED_TOKEN_FILE", "/t"),
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi"),
            ("IDENTITY_HEADER", "h"),
        ];
        assert!(matches!(auth(&all), Auth::Secret { .. }));
        assert!(matches!(auth(&all[..2].iter().chain(&all[3..]).copied().collect::<Vec<_>>()), Auth::Certificate { .. }));
        assert!(matches!(auth(&all[..2].iter().chain(&all[4..]).copied().collect::<Vec<_>>()), Auth::Federated { .. }));
        let mi = auth(&all[..2].iter().chain(&all[5..]).copied().collect::<Vec<_>>());
        assert!(
            matches!(&mi, Auth::Managed { source: ManagedSource::AppService { .. }, client_id: Some(c), then_cli: false, .. } if c == "c"),
            "{mi:?}"
        );
        assert!(
            matches!(auth(&base), Auth::Managed { source: ManagedSource::Imds { .. }, then_cli: true, .. })
        );
        // A secret without a tenant is not enough for client credentials.
        assert!(matches!(
            auth(&[("AZURE_CLIENT_SECRET", "s")]),
            Auth::Managed { client_id: None, .. }
        ));
        let none = Auth::from_env(|_| None, "none").unwrap();
        assert!(matches!(none, Auth::AzureCli { tenant: None }));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let a = auth(&[
            ("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi"),
            ("IDENTITY_HEADER", "CANARY-identity-header"),
        ]);
        assert!(!format!("{a:?}").contains("CANARY"));
        let a = auth(&[
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_CERTIFICATE_PATH", "/c.pfx"),
            ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "CANARY-pw"),
        ]);
        assert!(!format!("{a:?}").contains("CANARY"));
    }
}
