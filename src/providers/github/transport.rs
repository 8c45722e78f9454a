//! GET through octocrab, which adds GitHub's credentials (token, App JWT,
//! installation tokens) and the base URL, as a [`Transport`] of the shared
//! HTTP layer.

use http_body_util::BodyExt;
use octocrab::Octocrab;

use crate::providers::http::transport::{next_on_origin, too_large};
use crate::providers::http::{Headers, RawResponse, Transport, TransportError};

/// GET through octocrab, which adds the credentials and the base URL;
/// bodies over `.1` bytes are refused.
#[derive(Clone)]
pub struct OctocrabTransport(pub Octocrab, pub usize);

impl std::fmt::Debug for OctocrabTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OctocrabTransport")
    }
}

impl Transport for OctocrabTransport {
    async fn get(&self, target: &str) -> Result<RawResponse, TransportError> {
        let response = self.0._get(target).await.map_err(|e| match connect_failure(&e) {
            Some(cause) => TransportError {
                // A refused connection or an unknown host will not answer
                // the next try either.
                retryable: !(cause.contains("refused") || cause.contains("dns error")),
                message: format!("{CANNOT_CONNECT}{cause}"),
            },
            None => TransportError {
                retryable: octocrab_retryable(&e),
                message: e.to_string(),
            },
        })?;
        let headers = Headers::read(|name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        let status = response.status().as_u16();
        let max = self.1;
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > max as u64) {
            return Err(too_large(max));
        }
        // Read frame by frame, so an endless body stops at the cap.
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| TransportError {
                retryable: octocrab_retryable(&e),
                message: format!("reading the response: {e}"),
            })?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > max {
                    return Err(too_large(max));
                }
                bytes.extend_from_slice(&data);
            }
        }
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// The path and query only, so octocrab sends the next page to the
    /// configured API with the configured credentials, wherever `Link`
    /// points; a `Link` that is not an http(s) URL or an absolute path (a
    /// scheme-less `127.0.0.1:18081`, which octocrab would send to that
    /// host) is refused.
    fn next_target(&self, url: &str) -> Result<String, String> {
        next_on_origin(url)
    }
}

/// How a failure to reach the API at all starts: the cause follows.
pub const CANNOT_CONNECT: &str = "cannot connect: ";

/// The innermost cause (`Connection refused (os error 111)`, `dns error:
/// ...`) when `e` is a failure to connect, which octocrab reports as
/// `Service Error: client error (Connect)` with the cause underneath.
fn connect_failure(e: &octocrab::Error) -> Option<String> {
    let octocrab::Error::Service { .. } = e else {
        return None;
    };
    let chain = crate::providers::http::transport::chain(e);
    if !chain.contains("(Connect)") {
        return None;
    }
    let mut inner: &dyn std::error::Error = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    Some(inner.to_string())
}

/// Network failures and timeouts (octocrab reports both as service or hyper
/// errors), and GitHub server errors met while refreshing an installation
/// token, are worth another try; configuration errors are not.
fn octocrab_retryable(e: &octocrab::Error) -> bool {
    match e {
        octocrab::Error::Hyper { .. } | octocrab::Error::Service { .. } => true,
        octocrab::Error::GitHub { source, .. } => source.status_code.is_server_error(),
        _ => false,
    }
}
