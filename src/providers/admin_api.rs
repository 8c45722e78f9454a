//! What the AI platform admin APIs (OpenAI, Anthropic) add to the shared
//! HTTP layer ([`crate::providers::http`]): an [`Endpoint`] (base URL, key,
//! the environment variable it came from), the vendors' cursor pages
//! (`has_more` + `last_id`), routes with an `{id}` segment, and errors that
//! say which environment variable holds a rejected key. Only GET requests
//! are ever sent.

use std::time::Duration;

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{json_error, Error};
use crate::model::{Details, Identity, Inventory, Item, ProviderId, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::http::{self, Calls, Cursor, HttpError, ReqwestTransport, Secret, Settings};
use crate::providers::input::{top_level_values, Sniff};
use crate::providers::registry;

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
    provider: ProviderId,
    scope: String,
    kind: String,
    location: String,
    result: Result<impl Into<Outcome>, ApiError>,
    calls: &Calls,
) {
    let mut source = Source::new(provider, &kind, location);
    source.scope = scope;
    source.api_calls = calls.snapshot();
    let identities = match result.map(Into::into) {
        Ok(Outcome {
            identities,
            problems,
        }) => {
            if !problems.is_empty() {
                source.status = SourceStatus::Partial;
                source.error = Some(problems.join("; "));
            }
            identities
        }
        Err(e) => {
            source.status = SourceStatus::Failed;
            source.error = Some(e.to_string());
            Vec::new()
        }
    };
    inventory.add_source(source, identities);
}

// What the AI platform providers share beyond HTTP: their flags' key
// handling, their tenant snapshots' marker, their keys' details and their AI
// verdicts.

/// A live admin API to read with `flag`, its key from `env_var`; a missing
/// key is a usage error.
pub fn endpoint_from_env(flag: &str, env_var: &'static str, url: &str) -> Result<Endpoint, Error> {
    let key = Secret::from_env(env_var).ok_or_else(|| {
        Error::Usage(format!(
            "{flag} needs an organization admin key in the environment variable {env_var}, which is not set"
        ))
    })?;
    Ok(Endpoint {
        base_url: url.to_string(),
        key,
        env_var,
    })
}

/// The marker AI platform tenant snapshots carried before each platform had
/// its own versioned one: `"nhiscan_snapshot": "<provider id>"`. A file with
/// it is read as version 1 of that provider's format.
pub const LEGACY_MARKER: &str = "nhiscan_snapshot";

/// Whether a file is `provider`'s tenant snapshot: it has the provider's
/// `marker` (`"nhiscan_<id>_snapshot": <version>`), or the legacy marker
/// naming `provider`.
pub fn is_snapshot(sniff: &Sniff, provider: ProviderId, marker: &str) -> bool {
    sniff.has_key(marker) || legacy_marker(sniff).is_some_and(|v| v == provider)
}

/// Whether a file has the legacy marker naming no provider (or is not JSON
/// that parses, so its value is unknown). One importer claims these, so that
/// [`check_snapshot`] reports the marker, or the input the JSON error.
pub fn is_unknown_snapshot(sniff: &Sniff) -> bool {
    legacy_marker(sniff).is_some_and(|v| !registry().iter().any(|p| v == p.id()))
}

/// The legacy marker's value when the file has one; `null` when the file is
/// not JSON that parses.
fn legacy_marker(sniff: &Sniff) -> Option<Value> {
    sniff.has_key(LEGACY_MARKER).then(|| {
        top_level_values(sniff.text, &[LEGACY_MARKER])
            .ok()
            .and_then(|mut v| v.pop().flatten())
            .unwrap_or(Value::Null)
    })
}

/// Checks a claimed tenant snapshot's marker before the tenant is read:
/// `marker` must hold `version`, or, without it, the legacy marker must name
/// `provider`. Otherwise an input error at the marker's line, naming the
/// version this build reads, or for the legacy marker every platform whose
/// snapshots nhiscan reads.
pub fn check_snapshot(
    path: &Path,
    text: &str,
    provider: ProviderId,
    marker: &str,
    version: u32,
) -> Result<(), Error> {
    let [found, legacy] = <[Option<Value>; 2]>::try_from(
        top_level_values(text, &[marker, LEGACY_MARKER]).map_err(|e| json_error(path, &e))?,
    )
    .unwrap_or_default();
    let (key, message) = match found {
        Some(found) if found == version => return Ok(()),
        Some(found) => (
            marker,
            format!("{marker} {found} is not supported; this build reads version {version}"),
        ),
        None => {
            let found = legacy.unwrap_or(Value::Null);
            if found == provider {
                return Ok(());
            }
            let known: Vec<String> = snapshot_platforms()
                .into_iter()
                .map(|id| format!("{id:?}"))
                .collect();
            (
                LEGACY_MARKER,
                format!("{LEGACY_MARKER} {found} is not {}", known.join(" or ")),
            )
        }
    };
    Err(match text.find(&format!("\"{key}\"")) {
        Some(at) => Error::input_at(path, text[..at].matches('\n').count() + 1, message),
        None => Error::input(path, message),
    })
}

/// The providers with a tenant snapshot importer: those whose importers claim
/// a file with the legacy marker naming them.
fn snapshot_platforms() -> Vec<ProviderId> {
    registry()
        .iter()
        .map(|p| p.id())
        .filter(|id| {
            let text = format!("{{\"{LEGACY_MARKER}\": {id:?}}}");
            let sniff = Sniff {
                text: &text,
                keys: Some(BTreeSet::from([LEGACY_MARKER.to_string()])),
                first_line: &text,
            };
            crate::providers::get(id)
                .is_some_and(|p| p.importers().iter().any(|i| i.detect(&sniff)))
        })
        .collect()
}

/// An AI platform key's details: the redacted hint the platform shows for
/// the secret (`sk-abc...wxyz`), never the secret itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHint {
    pub hint: Option<String>,
}

crate::impl_details!(KeyHint);

impl KeyHint {
    /// A key's details as its item carries them. A hint that does not look
    /// redacted (short, with `...`, `…` or `*` standing for the hidden part)
    /// is kept only as `<redacted>`: a server or a saved file could put the
    /// whole key there.
    pub fn boxed(hint: Option<String>) -> Option<Box<dyn Details>> {
        let hint = hint.map(|h| {
            if looks_redacted(&h) {
                h
            } else {
                crate::util::redact::REDACTED.to_string()
            }
        });
        Some(Box::new(KeyHint { hint }))
    }

    /// A credential's details back from the fields of a JSON v1 item; an identity has none.
    pub fn from_wire(
        credential: bool,
        fields: &Map<String, Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        if !credential {
            return Ok(None);
        }
        let hint = match fields.get("hint") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(format!("hint: expected a string, got {other}")),
        };
        Ok(Self::boxed(hint))
    }
}

/// Whether a key hint looks redacted: at most 40 characters, with a mask
/// (`...`, `…`, `*`) and at most 12 characters shown around it.
pub fn looks_redacted(hint: &str) -> bool {
    let masked = ["...", "\u{2026}", "*"].iter().any(|m| hint.contains(m));
    let shown = hint
        .chars()
        .filter(|c| !matches!(c, '.' | '\u{2026}' | '*'))
        .count();
    masked && hint.chars().count() <= 40 && shown <= 24
}

/// An AI platform's identity verdict: its people are not AI identities
/// (though the keys they hold are); its service accounts and workspaces are.
/// `platform` is the vendor's name (`OpenAI`).
pub fn ai_identity(platform: &str, item: &Item) -> (bool, String) {
    if item.human {
        (
            false,
            format!("human {platform} user; the keys they hold are AI credentials"),
        )
    } else {
        (true, format!("{platform} {}", item.kind))
    }
}

/// The [`Provider`](crate::providers::Provider) methods both admin-API
/// providers share, expanded inside their `impl Provider`: AI by platform
/// name (`$name`), keys that do not inherit their holder's privilege, and
/// key hints read back from a saved scan.
macro_rules! shared_provider_methods {
    ($name:expr) => {
        fn ai(
            &self,
            identity: &$crate::model::Identity,
            _config: &$crate::config::Loaded,
        ) -> (bool, String) {
            $crate::providers::admin_api::ai_identity($name, &identity.item)
        }

        fn ai_credential(&self, credential: &$crate::model::Item) -> Option<String> {
            Some(format!("{} {}", $name, credential.kind))
        }

        fn credentials_inherit_privilege(&self) -> bool {
            false
        }

        fn details_from_wire(
            &self,
            _kind: $crate::model::Kind,
            credential: bool,
            fields: &serde_json::Map<String, serde_json::Value>,
        ) -> Result<Option<Box<dyn $crate::model::Details>>, String> {
            $crate::providers::admin_api::KeyHint::from_wire(credential, fields)
        }
    };
}
pub(crate) use shared_provider_methods;

#[cfg(test)]
mod tests {
    #[test]
    fn only_hints_that_look_redacted_are_kept() {
        for kept in [
            "sk-svcacct-...abcd",
            "sk-ant-api03-R2D...igAA",
            "sk-****wxyz",
        ] {
            assert!(looks_redacted(kept), "{kept}");
        }
        for whole in [
            "sk-admin-0123456789abcdefghijklmnopqrstuvwxyz",
            "sk-ant-admin01-abcdefghijklmnopqrstuvwxyz0123456789...x",
            "",
        ] {
            assert!(!looks_redacted(whole), "{whole}");
        }
    }

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
        let with_code = r#"{"error": {"message": "Incorrect API key provided: sk-admin-SECRET123.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#;
        assert_eq!(
            c.detail(with_code),
            " (invalid_api_key: Incorrect API key provided: <redacted>.)"
        );
        let with_type = r#"{"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}"#;
        assert_eq!(
            c.detail(with_type),
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
