//! What the AI platform admin APIs (OpenAI, Anthropic) add to the shared
//! HTTP layer ([`crate::providers::http`]): an [`Endpoint`] (base URL, key,
//! the environment variable it came from), the vendors' cursor pages
//! (`has_more` + `last_id`), routes with an `{id}` segment, and errors that
//! say which environment variable holds a rejected key. Only GET requests
//! are ever sent.

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::inventory::{Identity, Inventory, Provider, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::http::{self, Calls, Cursor, HttpError, ReqwestTransport, Secret, Settings};

pub use crate::providers::http::Retry;

/// Requests in flight at once per admin API.
const CONCURRENCY: usize = 4;
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// One admin API to read: its base URL (ending in `/v1`), the key, and the
/// environment variable the key came from (named in errors).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub base_url: String,
    pub key: Secret,
    pub env_var: &'static str,
}

/// Why reading an admin API failed. The message names the endpoint, and for
/// rejected keys the environment variable to fix.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{operation}: HTTP 401 Unauthorized: the admin key in {env_var} was rejected; set {env_var} to a valid organization admin key{detail}")]
    Unauthorized {
        operation: String,
        env_var: &'static str,
        detail: String,
    },
    #[error("{operation}: HTTP 403 Forbidden: the key in {env_var} may not read this; it must be an organization admin key{detail}")]
    Forbidden {
        operation: String,
        env_var: &'static str,
        detail: String,
    },
    #[error("{operation}: still rate limited (HTTP 429) after {attempts} attempts{detail}")]
    RateLimited {
        operation: String,
        attempts: u32,
        detail: String,
    },
    #[error("{operation}: HTTP {status}{detail}")]
    Status {
        operation: String,
        status: StatusCode,
        detail: String,
    },
    #[error("{operation}: request failed: {message}")]
    Transport { operation: String, message: String },
    #[error("{operation}: unexpected response: {message}")]
    Decode { operation: String, message: String },
    #[error("{operation}: pagination did not advance (has_more is true, last_id {cursor:?})")]
    Stalled {
        operation: String,
        cursor: Option<String>,
    },
    #[error(transparent)]
    Http(HttpError),
    #[error("{0}")]
    Setup(String),
}

/// A client for one admin API. Cheap to clone; clones share the call counter.
#[derive(Debug, Clone)]
pub struct Client {
    http: http::Client<ReqwestTransport>,
    base: Url,
    endpoint: Endpoint,
    cursor: Cursor,
    pub calls: Calls,
    pub progress: Progress,
}

impl Client {
    /// A client that sends `auth` (header name and a value built from the key)
    /// plus `extra` headers with every request; `cursor_param` carries the
    /// cursor (`after`, `after_id`).
    pub fn new(
        endpoint: Endpoint,
        auth: (&'static str, String),
        extra: &[(&'static str, &'static str)],
        cursor_param: &'static str,
        page_size: u32,
        retry: Retry,
        progress: Progress,
    ) -> Result<Self, ApiError> {
        let mut base = Url::parse(endpoint.base_url.trim_end_matches('/'))
            .map_err(|e| ApiError::Setup(format!("bad API URL {:?}: {e}", endpoint.base_url)))?;
        if base.cannot_be_a_base() {
            return Err(ApiError::Setup(format!(
                "bad API URL {:?}: not an http(s) URL",
                endpoint.base_url
            )));
        }
        base.set_query(None);
        let transport = ReqwestTransport::new(base.clone(), (auth.0, &auth.1), extra, TIMEOUT)
            .map_err(|e| match e {
                http::transport::SetupError::Header(_) => ApiError::Setup(format!(
                    "{} holds characters that cannot be sent in an HTTP header",
                    endpoint.env_var
                )),
                other => ApiError::Setup(other.to_string()),
            })?;
        let mut settings = Settings::new("admin API");
        settings.progress = progress.clone();
        settings.concurrency = CONCURRENCY;
        settings.retry = retry;
        settings.announce_calls = true;
        settings.secrets = vec![endpoint.key.clone()];
        let http = http::Client::new(transport, settings);
        Ok(Client {
            calls: http.calls().clone(),
            http,
            base,
            endpoint,
            cursor: Cursor {
                param: cursor_param,
                limit_param: "limit",
                page_size,
            },
            progress,
        })
    }

    /// `base_url` + `route`, its `{id}` segment replaced by `id`, with `query`.
    fn url(&self, route: &str, id: Option<&str>, query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        {
            let mut segments = url.path_segments_mut().expect("checked in new");
            segments.pop_if_empty();
            for s in route.split('/').filter(|s| !s.is_empty()) {
                segments.push(match (s, id) {
                    ("{id}", Some(id)) => id,
                    _ => s,
                });
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// Every item of a list endpoint, following the cursor until `has_more`
    /// is false. `route` (`organization/projects/{id}/api_keys`) names the
    /// endpoint in call counts and errors; `id` fills its `{id}`.
    pub async fn list<T: DeserializeOwned>(
        &self,
        route: &str,
        id: Option<&str>,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, ApiError> {
        let url = self.url(route, id, query);
        self.http
            .list_cursor(&operation(route), url.as_str(), self.cursor)
            .await
            .map_err(|e| self.error(e))
    }

    /// One GET of `route` (see [`Client::list`]), retried on 429, 5xx and
    /// network failures, decoded from JSON.
    pub async fn get<T: DeserializeOwned>(
        &self,
        route: &str,
        id: Option<&str>,
        query: &[(&str, String)],
    ) -> Result<T, ApiError> {
        let url = self.url(route, id, query);
        self.http
            .get_json(&operation(route), url.as_str())
            .await
            .map_err(|e| self.error(e))
    }

    /// The vendor-facing wording of a failure.
    fn error(&self, e: HttpError) -> ApiError {
        let env_var = self.endpoint.env_var;
        match e {
            HttpError::Status {
                operation,
                status,
                body,
                attempts,
                ..
            } => {
                let detail = self.detail(&body);
                match status {
                    401 => ApiError::Unauthorized {
                        operation,
                        env_var,
                        detail,
                    },
                    403 => ApiError::Forbidden {
                        operation,
                        env_var,
                        detail,
                    },
                    429 => ApiError::RateLimited {
                        operation,
                        attempts,
                        detail,
                    },
                    _ => match StatusCode::from_u16(status) {
                        Ok(status) => ApiError::Status {
                            operation,
                            status,
                            detail,
                        },
                        Err(_) => ApiError::Transport {
                            operation,
                            message: format!("invalid HTTP status {status}"),
                        },
                    },
                }
            }
            HttpError::Transport {
                operation, message, ..
            } => ApiError::Transport { operation, message },
            HttpError::Decode {
                operation, message, ..
            } => ApiError::Decode { operation, message },
            HttpError::Stalled {
                operation, cursor, ..
            } => ApiError::Stalled { operation, cursor },
            other => ApiError::Http(other),
        }
    }

    /// ` (code: message)` from a vendor error body, with any copy of the key
    /// removed and the length capped; empty when the body says nothing useful.
    fn detail(&self, body: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let error = &value["error"];
        let message = error["message"].as_str().unwrap_or_default();
        let code = error["code"]
            .as_str()
            .or_else(|| error["type"].as_str())
            .unwrap_or_default();
        let text = match (code.is_empty(), message.is_empty()) {
            (true, true) => return String::new(),
            (false, false) => format!("{code}: {message}"),
            (true, false) => message.to_string(),
            (false, true) => code.to_string(),
        };
        let text = http::secret::scrub(&text, std::slice::from_ref(&self.endpoint.key));
        let cut: String = text.chars().take(300).collect();
        format!(" ({cut})")
    }
}

/// How a route is named in call counts and errors: `GET /organization/users`.
fn operation(route: &str) -> String {
    ["GET /", route.trim_start_matches('/')].concat()
}

/// Runs `fetch` with the client on the shared runtime, so callers stay
/// synchronous, and returns the calls it made with its result.
pub fn run<T, F>(
    client: Result<Client, ApiError>,
    fetch: impl FnOnce(Client) -> F,
) -> (Calls, Result<T, ApiError>)
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    let client = match client {
        Ok(c) => c,
        Err(e) => return (Calls::default(), Err(e)),
    };
    let calls = client.calls.clone();
    let result = http::block_on(fetch(client))
        .map_err(|e| ApiError::Setup(e.to_string()))
        .and_then(|r| r);
    (calls, result)
}

/// What one read of an AI platform found: its identities, and the parts
/// that could not be read (which make the source `partial`).
#[derive(Debug, Default)]
pub struct Outcome {
    pub identities: Vec<Identity>,
    pub problems: Vec<String>,
}

impl From<Vec<Identity>> for Outcome {
    fn from(identities: Vec<Identity>) -> Self {
        Outcome {
            identities,
            problems: Vec::new(),
        }
    }
}

/// Adds one read of an AI platform to the inventory: its source entry (`ok`
/// with its items, `partial` when some parts could not be read, or `failed`
/// with the error) and the identities it found. `calls` is empty for a
/// snapshot file.
pub fn record(
    inventory: &mut Inventory,
    provider: Provider,
    scope: String,
    kind: String,
    location: String,
    result: Result<impl Into<Outcome>, ApiError>,
    calls: &Calls,
) {
    let (status, error, identities) = match result.map(Into::into) {
        Ok(Outcome {
            identities,
            problems,
        }) if problems.is_empty() => (SourceStatus::Ok, None, identities),
        Ok(Outcome {
            identities,
            problems,
        }) => (SourceStatus::Partial, Some(problems.join("; ")), identities),
        Err(e) => (SourceStatus::Failed, Some(e.to_string()), Vec::new()),
    };
    inventory.sources.push(Source {
        provider,
        scope,
        kind,
        location,
        status,
        items: identities.iter().map(|i| 1 + i.credentials.len()).sum(),
        error,
        api_calls: calls.snapshot(),
    });
    for identity in identities {
        inventory.add(identity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str, key: &str) -> Client {
        let endpoint = Endpoint {
            base_url: base.into(),
            key: Secret::new(key),
            env_var: "EXAMPLE_ADMIN_KEY",
        };
        let auth = ("authorization", format!("Bearer {key}"));
        Client::new(
            endpoint,
            auth,
            &[],
            "after",
            100,
            Retry::default(),
            Progress::hidden(),
        )
        .unwrap()
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = Secret::new("sk-admin-SECRET123");
        assert_eq!(format!("{key:?}"), "<redacted>");
        let c = client("http://127.0.0.1:9/v1", "sk-admin-SECRET123");
        let text = format!("{c:?}");
        assert!(!text.contains("SECRET123"), "{text}");
        assert!(
            text.contains("<redacted>") || text.contains("Sensitive"),
            "{text}"
        );
    }

    #[test]
    fn urls_join_the_base_path_and_encode_the_query() {
        let c = client("http://127.0.0.1:9/v1/", "k");
        let url = c.url(
            "organization/projects/{id}/api_keys",
            Some("proj/1"),
            &[("after", "key a&b".into())],
        );
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/v1/organization/projects/proj%2F1/api_keys?after=key+a%26b"
        );
        assert_eq!(
            operation("organization/projects/{id}/api_keys"),
            "GET /organization/projects/{id}/api_keys"
        );
    }

    #[test]
    fn vendor_error_details_are_scrubbed_and_short() {
        let c = client("http://127.0.0.1:9/v1", "sk-admin-SECRET123");
        let openai = r#"{"error": {"message": "Incorrect API key provided: sk-admin-SECRET123.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#;
        assert_eq!(
            c.detail(openai),
            " (invalid_api_key: Incorrect API key provided: <redacted>.)"
        );
        let anthropic = r#"{"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}"#;
        assert_eq!(
            c.detail(anthropic),
            " (authentication_error: invalid x-api-key)"
        );
        assert_eq!(c.detail("<html>bad gateway</html>"), "");
        let long = format!(r#"{{"error": {{"message": "{}"}}}}"#, "x".repeat(1000));
        assert!(c.detail(&long).len() < 320);
    }

    #[test]
    fn bad_urls_and_keys_are_setup_errors() {
        let endpoint = |url: &str, key: &str| Endpoint {
            base_url: url.into(),
            key: Secret::new(key),
            env_var: "EXAMPLE_ADMIN_KEY",
        };
        let make = |e: Endpoint| {
            let auth = ("authorization", format!("Bearer {}", e.key.expose()));
            Client::new(
                e,
                auth,
                &[],
                "after",
                1,
                Retry::default(),
                Progress::hidden(),
            )
        };
        let err = make(endpoint("not a url", "k")).unwrap_err().to_string();
        assert!(err.contains("bad API URL"), "{err}");
        let err = make(endpoint("http://x/v1", "a\nb"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("EXAMPLE_ADMIN_KEY") && !err.contains("a\nb"),
            "{err}"
        );
    }
}
