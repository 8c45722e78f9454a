//! The seam between the client core and the wire: a [`Transport`] sends one
//! GET and hands back a [`RawResponse`] (status, the few headers nhiscan
//! reads, body). Two implementations: [`ReqwestTransport`] for the AI admin
//! APIs and [`OctocrabTransport`] for GitHub, whose authentication (token,
//! App JWT, installation tokens) stays octocrab's.
//!
//! Neither lets a credential reach another host:
//! - reqwest follows no redirect at all (`Policy::none()`), and refuses any
//!   URL outside the API's origin, so the key only ever goes to the API.
//! - octocrab keeps its `follow-redirect` layer: tower-http's `Standard`
//!   policy (`FilterCredentials`) drops `Authorization`, `Cookie` and
//!   `Proxy-Authorization` when a redirect leaves the origin, and octocrab
//!   itself adds the token only to requests for its API. `Link` URLs are
//!   reduced to path and query, so every page goes to the configured API.
//!   (`tests/integration/github.rs` checks the cross-origin redirect.)

use std::future::Future;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

/// The response headers the client core reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// `retry-after`, in seconds (an HTTP date is ignored).
    pub retry_after: Option<Duration>,
    /// `link`, for `rel="next"`.
    pub link: Option<String>,
    /// `x-ratelimit-remaining`.
    pub ratelimit_remaining: Option<u64>,
    /// `x-ratelimit-reset`, epoch seconds.
    pub ratelimit_reset: Option<i64>,
}

impl Headers {
    /// The headers, read with `get` (a case-insensitive lookup by name).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Headers {
        let parse = |name: &str| get(name).map(|v| v.trim().to_string());
        Headers {
            retry_after: parse("retry-after")
                .and_then(|v| v.parse::<f64>().ok())
                .and_then(|s| Duration::try_from_secs_f64(s).ok()),
            link: get("link"),
            ratelimit_remaining: parse("x-ratelimit-remaining").and_then(|v| v.parse().ok()),
            ratelimit_reset: parse("x-ratelimit-reset").and_then(|v| v.parse().ok()),
        }
    }
}

/// One response: status, headers, body (lossily decoded as UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

/// A request that got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub message: String,
    /// A connect failure or a timeout: worth another try.
    pub retryable: bool,
}

/// Sends GET requests. Cheap to clone.
pub trait Transport: Clone + Send + Sync + 'static {
    /// GETs `target`, a path (and query) under the API root or a URL on it.
    fn get(&self, target: &str)
        -> impl Future<Output = Result<RawResponse, TransportError>> + Send;

    /// The target to request for a `Link: rel="next"` URL, or why it may
    /// not be followed.
    fn next_target(&self, url: &str) -> Result<String, String>;
}

/// Why a [`ReqwestTransport`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("the {0} header value holds characters that cannot be sent in an HTTP header")]
    Header(&'static str),
    #[error("cannot build the HTTP client: {0}")]
    Build(String),
}

/// GET over reqwest to one API origin: no redirects, a request timeout,
/// `nhiscan/<version>` as user agent, the auth header marked sensitive.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    base: Url,
    headers: HeaderMap,
    max_body: usize,
}

impl ReqwestTransport {
    /// A transport to `base`'s origin sending `auth` (header name and value)
    /// and the `extra` headers with every request.
    pub fn new(
        base: Url,
        auth: (&'static str, &str),
        extra: &[(&'static str, &'static str)],
        timeout: Duration,
    ) -> Result<Self, SetupError> {
        let mut headers = HeaderMap::new();
        let mut secret = HeaderValue::from_str(auth.1).map_err(|_| SetupError::Header(auth.0))?;
        secret.set_sensitive(true);
        headers.insert(HeaderName::from_static(auth.0), secret);
        for (name, value) in extra {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("nhiscan/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            // A redirect could carry the key to another host; the APIs do not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SetupError::Build(chain(&e)))?;
        Ok(ReqwestTransport {
            http,
            base,
            headers,
            max_body: super::Limits::from_env().max_body,
        })
    }

    /// The same transport, refusing bodies over `max_body` bytes.
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// `target` as a URL on the API's origin, or why not.
    fn url(&self, target: &str) -> Result<Url, String> {
        let url = self
            .base
            .join(target)
            .map_err(|e| format!("bad URL {target:?}: {e}"))?;
        if url.origin() != self.base.origin() {
            return Err(format!(
                "refusing to send the key to {}: not the API's origin {}",
                url.origin().ascii_serialization(),
                self.base.origin().ascii_serialization()
            ));
        }
        Ok(url)
    }
}

impl Transport for ReqwestTransport {
    async fn get(&self, target: &str) -> Result<RawResponse, TransportError> {
        let url = self.url(target).map_err(|message| TransportError {
            message,
            retryable: false,
        })?;
        let response = self
            .http
            .get(url)
            .headers(self.headers.clone())
            .send()
            .await
            .map_err(|e| TransportError {
                retryable: e.is_timeout() || e.is_connect(),
                message: chain(&e),
            })?;
        let status = response.status().as_u16();
        let headers = Headers::read(|name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        let max = self.max_body;
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_large(max));
        }
        let mut response = response;
        let mut bytes = Vec::new();
        let body = loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > max {
                        return Err(too_large(max));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break String::from_utf8_lossy(&bytes).into_owned(),
                // An error status says enough without its body.
                Err(_) if !(200..300).contains(&status) => break String::new(),
                Err(e) => {
                    return Err(TransportError {
                        retryable: e.is_timeout(),
                        message: chain(&e),
                    })
                }
            }
        };
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    fn next_target(&self, url: &str) -> Result<String, String> {
        self.url(url).map(String::from)
    }
}

/// The error for a body over `max` bytes; not worth another try.
pub fn too_large(max: usize) -> TransportError {
    TransportError {
        message: format!(
            "response body larger than {max} bytes (the cap, NHISCAN_MAX_RESPONSE_BYTES)"
        ),
        retryable: false,
    }
}

/// The path and query of a URL, always starting with `/`, so the request
/// goes to the configured API whatever host the URL names.
pub fn relative(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        },
        None => url,
    };
    if path.starts_with('/') && !path.starts_with("//") {
        path.to_string()
    } else {
        format!("/{}", path.trim_start_matches('/'))
    }
}

/// The target for a `Link: rel="next"` URL when requests go to one
/// configured API: an absolute http(s) URL or an absolute path, reduced to
/// its path and query; anything else (`127.0.0.1:18081`, `//host/x`,
/// another scheme) is refused.
pub fn next_on_origin(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(url.to_string());
    }
    match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {
            let mut target = u.path().to_string();
            if let Some(q) = u.query() {
                target.push('?');
                target.push_str(q);
            }
            Ok(target)
        }
        _ => Err("not an http(s) URL or an absolute path".into()),
    }
}

/// An error and its causes, `: `-separated (reqwest's own message omits the cause).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(key: &str) -> Result<ReqwestTransport, SetupError> {
        ReqwestTransport::new(
            Url::parse("http://127.0.0.1:9/v1").unwrap(),
            ("authorization", &format!("Bearer {key}")),
            &[("example-version", "2023-06-01")],
            Duration::from_secs(1),
        )
    }

    #[test]
    fn headers_are_parsed_leniently() {
        let h = Headers::read(|name| match name {
            "retry-after" => Some(" 1.5 ".into()),
            "x-ratelimit-remaining" => Some("0".into()),
            "x-ratelimit-reset" => Some("1800000000".into()),
            "link" => Some("<https://x/?page=2>; rel=\"next\"".into()),
            _ => None,
        });
        assert_eq!(h.retry_after, Some(Duration::from_millis(1500)));
        assert_eq!(
            (h.ratelimit_remaining, h.ratelimit_reset),
            (Some(0), Some(1_800_000_000))
        );
        assert!(h.link.is_some());
        let bad = Headers::read(|name| match name {
            "retry-after" => Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
            "x-ratelimit-remaining" => Some("-1".into()),
            _ => None,
        });
        assert_eq!(bad, Headers::default());
    }

    #[test]
    fn the_key_is_sensitive_and_stays_on_the_api_origin() {
        let t = transport("sk-SECRET123").unwrap();
        let text = format!("{t:?}");
        assert!(!text.contains("SECRET123"), "{text}");
        assert!(text.contains("Sensitive"), "{text}");
        assert_eq!(
            t.url("/v1/organization/users?after=a").unwrap().as_str(),
            "http://127.0.0.1:9/v1/organization/users?after=a"
        );
        assert!(t.url("http://127.0.0.1:9/v1/x").is_ok());
        let err = t.url("https://evil.example/v1/x").unwrap_err();
        assert!(err.contains("refusing"), "{err}");
        assert!(t.next_target("http://127.0.0.1:10/v1/x").is_err());
        assert_eq!(
            transport("a\nb").unwrap_err(),
            SetupError::Header("authorization")
        );
    }

    #[test]
    fn relative_keeps_path_and_query() {
        assert_eq!(
            relative("https://api.example.com/organizations/1/repos?per_page=100&page=2"),
            "/organizations/1/repos?per_page=100&page=2"
        );
        assert_eq!(
            relative("https://ghe.example.com/api/v3/orgs/a/repos?page=2"),
            "/api/v3/orgs/a/repos?page=2"
        );
        assert_eq!(relative("https://evil.example"), "/");
        assert_eq!(relative("/orgs/a"), "/orgs/a");
        assert_eq!(relative("127.0.0.1:18081"), "/127.0.0.1:18081");
    }

    #[test]
    fn next_links_stay_on_the_configured_origin() {
        assert_eq!(
            next_on_origin("https://api.example.com/orgs/a/repos?page=2").unwrap(),
            "/orgs/a/repos?page=2"
        );
        assert_eq!(next_on_origin("/orgs/a?page=3").unwrap(), "/orgs/a?page=3");
        for bad in [
            "127.0.0.1:18081",
            "localhost:18081/x",
            "//evil.example/x",
            "file:///etc/passwd",
            "javascript:x",
        ] {
            assert!(next_on_origin(bad).is_err(), "{bad}");
        }
    }
}
