//! GET through octocrab, which adds GitHub's credentials (token, App JWT,
//! installation tokens) and the base URL, as a [`Transport`] of the shared
//! HTTP layer.

use octocrab::Octocrab;

use crate::providers::http::transport::relative;
use crate::providers::http::{Headers, RawResponse, Transport, TransportError};

/// GET through octocrab, which adds the credentials and the base URL.
#[derive(Clone)]
pub struct OctocrabTransport(pub Octocrab);

impl std::fmt::Debug for OctocrabTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OctocrabTransport")
    }
}

impl Transport for OctocrabTransport {
    async fn get(&self, target: &str) -> Result<RawResponse, TransportError> {
        let response = self.0._get(target).await.map_err(|e| TransportError {
            retryable: octocrab_retryable(&e),
            message: e.to_string(),
        })?;
        let headers = Headers::read(|name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        let status = response.status().as_u16();
        let body = self
            .0
            .body_to_string(response)
            .await
            .map_err(|e| TransportError {
                retryable: octocrab_retryable(&e),
                message: format!("reading the response: {e}"),
            })?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// The path and query only, so octocrab sends the next page to the
    /// configured API with the configured credentials, wherever `Link` points.
    fn next_target(&self, url: &str) -> Result<String, String> {
        Ok(relative(url))
    }
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
