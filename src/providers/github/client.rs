//! The live GitHub client. octocrab does transport and authentication
//! (token, App JWT, installation tokens, base URL); the shared HTTP layer
//! ([`crate::providers::http`]) does `Link` pagination to the last page,
//! rate limits shared by every request (the wait is shown on the progress
//! bar), retries, bounded concurrency, and a call count per endpoint. This
//! module keeps what is GitHub's: its rate-limit rule ([`super::rate`]),
//! `per_page=100`, and the wording of a [`Failure`].

use std::sync::Arc;
use std::time::Duration;

use octocrab::Octocrab;
use serde::de::DeserializeOwned;

use super::transport::OctocrabTransport;
use crate::progress::Progress;
use crate::providers::http::{self, Calls, HttpError, Retry, Settings};

pub use crate::providers::http::{Clock, SystemClock};

/// Tries of one request: six in all, rate-limit waits included; three after
/// server errors or transport failures, 2 s then 4 s apart.
const RETRY: Retry = Retry {
    attempts: 6,
    error_attempts: 3,
    base_delay: Duration::from_secs(2),
    max_delay: Duration::from_secs(60),
    // The primary quota resets within the hour; the slack allows for a
    // local clock running behind GitHub's.
    max_pause: Duration::from_secs(2 * 60 * 60),
};

/// Why a request failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => write!(f, "HTTP {status}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl From<HttpError> for Failure {
    fn from(e: HttpError) -> Self {
        let status = e.status();
        let message = match e {
            HttpError::Status { message, .. } => message,
            HttpError::RateLimited {
                limit,
                attempts,
                message,
                ..
            } => format!("{limit}: gave up after {attempts} attempts: {message}"),
            HttpError::Transport { message, .. } => message,
            HttpError::Decode { message, .. } => format!("unexpected response body: {message}"),
            HttpError::Deadline {
                limit,
                seconds,
                deadline,
                ..
            } => format!("{limit}: waiting {seconds}s would pass the deadline ({deadline})"),
            HttpError::Stalled { detail, .. } => format!("pagination did not advance: {detail}"),
            HttpError::Limit { detail, .. } => detail,
        };
        Failure { status, message }
    }
}

/// A GitHub client with one set of credentials, counting its calls.
#[derive(Clone)]
pub struct Client {
    http: http::Client<OctocrabTransport>,
}

impl Client {
    /// A client over `octo`, with at most `concurrency` requests in flight;
    /// `secrets` (the token or App key) are scrubbed from every error, as is
    /// anything shaped like a token (installation tokens, the App JWT).
    pub fn new(
        octo: Octocrab,
        clock: Arc<dyn Clock>,
        progress: Progress,
        concurrency: usize,
        secrets: Vec<http::Secret>,
    ) -> Self {
        let mut settings = Settings::new("GitHub");
        settings.secrets = secrets;
        let max_body = settings.limits.max_body;
        settings.clock = clock;
        settings.progress = progress;
        settings.concurrency = concurrency;
        settings.retry = RETRY;
        settings.rate_limit = Arc::new(super::rate::RULE);
        Client {
            http: http::Client::new(OctocrabTransport(octo, max_body), settings),
        }
    }

    /// The same client with other credentials (an installation's) and its
    /// own call counter; rate limits stay shared.
    pub fn with(&self, octo: Octocrab, calls: Calls) -> Self {
        Client {
            http: self
                .http
                .with(OctocrabTransport(octo, self.http.transport().1), calls),
        }
    }

    /// The octocrab client, for its App authentication helpers.
    pub fn octocrab(&self) -> &Octocrab {
        &self.http.transport().0
    }

    /// `text` without any credential this client knows or anything shaped like one.
    pub fn scrub(&self, text: &str) -> String {
        self.http.scrub(text)
    }

    /// Calls made so far.
    pub fn calls(&self) -> &Calls {
        self.http.calls()
    }

    pub fn progress(&self) -> &Progress {
        self.http.progress()
    }

    /// Every item of a paginated list: `path` relative to the API root,
    /// counted under `endpoint`; `items` takes the list out of one page.
    pub async fn list<P, T>(
        &self,
        endpoint: &str,
        path: String,
        items: impl Fn(P) -> Vec<T>,
    ) -> Result<Vec<T>, Failure>
    where
        P: DeserializeOwned,
    {
        let sep = if path.contains('?') { '&' } else { '?' };
        self.http
            .list_link(endpoint, format!("{path}{sep}per_page=100"), items)
            .await
            .map_err(Failure::from)
    }

    /// One object.
    pub async fn get<T: DeserializeOwned>(&self, endpoint: &str, path: &str) -> Result<T, Failure> {
        self.http
            .get_json(endpoint, path)
            .await
            .map_err(Failure::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_before() {
        let status = HttpError::Status {
            operation: "GET /orgs/{org}/members".into(),
            status: 500,
            message: "Server Error".into(),
            body: String::new(),
            attempts: 3,
        };
        assert_eq!(Failure::from(status).to_string(), "HTTP 500: Server Error");
        let limited = HttpError::RateLimited {
            operation: "GET /orgs/{org}/hooks".into(),
            status: 403,
            limit: http::Limit::Secondary,
            attempts: 6,
            message: "You have exceeded a secondary rate limit.".into(),
        };
        assert_eq!(
            Failure::from(limited).to_string(),
            "HTTP 403: secondary rate limit: gave up after 6 attempts: You have exceeded a secondary rate limit."
        );
        let network = HttpError::Transport {
            operation: "GET /x".into(),
            message: "Service Error: connection refused".into(),
            attempts: 3,
        };
        assert_eq!(
            Failure::from(network),
            Failure {
                status: None,
                message: "Service Error: connection refused".into()
            }
        );
    }
}
