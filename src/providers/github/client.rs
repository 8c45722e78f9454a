//! The live GitHub client. octocrab does transport and authentication
//! (token, App JWT, installation tokens, base URL); this module adds what a
//! full inventory needs on top: `Link` pagination to the last page, rate
//! limits shared by every request (the wait is shown on the progress bar),
//! retries, bounded concurrency, and a call count per endpoint.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use octocrab::Octocrab;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::rate::{self, Limit, RateHeaders, Wait};
use crate::progress::Progress;
use crate::providers::calls::Calls;

/// Tries of one request, rate-limit waits included, before it fails.
const MAX_ATTEMPTS: u32 = 6;
/// Tries of one request after server errors or transport failures.
const MAX_ERROR_ATTEMPTS: u32 = 3;

/// Time as the client sees it. Tests substitute one that records waits
/// instead of sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

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

/// State shared by every request with the same credentials.
struct Shared {
    clock: Arc<dyn Clock>,
    progress: Progress,
    permits: Semaphore,
    /// No request goes out before this time (a rate limit is in force).
    paused: Mutex<Option<(Timestamp, Limit)>>,
}

/// A GitHub client with one set of credentials, counting its calls.
#[derive(Clone)]
pub struct Client {
    octo: Octocrab,
    calls: Calls,
    shared: Arc<Shared>,
}

/// The parts of a response nhiscan uses.
struct Response {
    status: u16,
    rate: RateHeaders,
    next: Option<String>,
    body: String,
}

impl Client {
    /// A client over `octo`, with at most `concurrency` requests in flight.
    pub fn new(
        octo: Octocrab,
        clock: Arc<dyn Clock>,
        progress: Progress,
        concurrency: usize,
    ) -> Self {
        Client {
            octo,
            calls: Calls::default(),
            shared: Arc::new(Shared {
                clock,
                progress,
                permits: Semaphore::new(concurrency.max(1)),
                paused: Mutex::new(None),
            }),
        }
    }

    /// The same client with other credentials (an installation's) and its
    /// own call counter; rate limits stay shared.
    pub fn with(&self, octo: Octocrab, calls: Calls) -> Self {
        Client {
            octo,
            calls,
            shared: Arc::clone(&self.shared),
        }
    }

    /// The octocrab client, for its App authentication helpers.
    pub fn octocrab(&self) -> &Octocrab {
        &self.octo
    }

    /// Calls made so far.
    pub fn calls(&self) -> &Calls {
        &self.calls
    }

    pub fn progress(&self) -> &Progress {
        &self.shared.progress
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
        let mut next = Some(format!("{path}{sep}per_page=100"));
        let mut all = Vec::new();
        while let Some(uri) = next.take() {
            let response = self.request(endpoint, &uri).await?;
            all.extend(items(parse(&response)?));
            next = response.next.map(|u| relative(&u)).filter(|n| *n != uri);
        }
        Ok(all)
    }

    /// One object.
    pub async fn get<T: DeserializeOwned>(&self, endpoint: &str, path: &str) -> Result<T, Failure> {
        parse(&self.request(endpoint, path).await?)
    }

    /// Sends one GET, waiting out rate limits and retrying server errors.
    async fn request(&self, endpoint: &str, uri: &str) -> Result<Response, Failure> {
        let mut attempt = 0;
        let mut errors = 0;
        loop {
            let sent = {
                let _permit = self.shared.permits.acquire().await;
                self.wait_while_paused().await;
                self.calls.record(endpoint);
                self.send(uri).await
            };
            let now = self.shared.clock.now().as_second();
            let failure = match sent {
                Ok(r) if (200..300).contains(&r.status) => {
                    if let Some(wait) = rate::exhausted(r.rate, now) {
                        self.pause(wait);
                    }
                    return Ok(r);
                }
                Ok(r) => {
                    let message = github_message(&r.body);
                    if let Some(wait) = rate::retry_wait(r.status, r.rate, &message, now, attempt) {
                        attempt += 1;
                        if attempt >= MAX_ATTEMPTS {
                            return Err(Failure {
                                status: Some(r.status),
                                message: format!(
                                    "{}: gave up after {attempt} attempts: {message}",
                                    wait.limit
                                ),
                            });
                        }
                        self.pause(wait);
                        continue;
                    }
                    let failure = Failure {
                        status: Some(r.status),
                        message,
                    };
                    if r.status < 500 {
                        return Err(failure);
                    }
                    failure
                }
                Err(message) => Failure {
                    status: None,
                    message,
                },
            };
            errors += 1;
            if errors >= MAX_ERROR_ATTEMPTS {
                return Err(failure);
            }
            self.shared
                .clock
                .sleep(Duration::from_secs(1 << errors))
                .await;
        }
    }

    async fn send(&self, uri: &str) -> Result<Response, String> {
        let response = self.octo._get(uri).await.map_err(|e| e.to_string())?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let number = |name: &str| header(name).and_then(|v| v.trim().parse().ok());
        let rate = RateHeaders {
            retry_after: number("retry-after"),
            remaining: number("x-ratelimit-remaining"),
            reset: header("x-ratelimit-reset").and_then(|v| v.trim().parse().ok()),
        };
        let next = header("link").and_then(|l| next_link(&l));
        let status = response.status().as_u16();
        let body = self
            .octo
            .body_to_string(response)
            .await
            .map_err(|e| format!("reading the response: {e}"))?;
        Ok(Response {
            status,
            rate,
            next,
            body,
        })
    }

    /// Holds every request back for `wait`.
    fn pause(&self, wait: Wait) {
        let until = self
            .shared
            .clock
            .now()
            .saturating_add(jiff::SignedDuration::from_secs(
                i64::try_from(wait.seconds).unwrap_or(i64::MAX),
            ))
            .unwrap_or(Timestamp::MAX);
        let mut paused = self
            .shared
            .paused
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|(t, _)| t < until) {
            *paused = Some((until, wait.limit));
        }
    }

    /// Sleeps while a rate limit is in force, saying so on the progress bar.
    async fn wait_while_paused(&self) {
        loop {
            let paused = *self
                .shared
                .paused
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = self.shared.clock.now();
            let Some((until, limit)) = paused.filter(|(t, _)| *t > now) else {
                return;
            };
            let wait = now.duration_until(until).unsigned_abs();
            self.shared.progress.message(format!(
                "GitHub {limit}: waiting {}s (until {until})",
                wait.as_secs_f64().ceil()
            ));
            self.shared.clock.sleep(wait).await;
        }
    }
}

/// Parses a response body.
fn parse<T: DeserializeOwned>(response: &Response) -> Result<T, Failure> {
    serde_json::from_str(&response.body).map_err(|e| Failure {
        status: Some(response.status),
        message: format!("unexpected response body: {e}"),
    })
}

/// GitHub's error `message`, or the start of the body.
fn github_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// The path and query of a URL, so octocrab sends it to the configured API
/// with the configured credentials.
fn relative(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".into(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_give_the_next_page() {
        let link = r#"<https://api.github.com/organizations/1/repos?per_page=100&page=2>; rel="next", <https://api.github.com/organizations/1/repos?per_page=100&page=5>; rel="last""#;
        let next = next_link(link).unwrap();
        assert_eq!(
            next,
            "https://api.github.com/organizations/1/repos?per_page=100&page=2"
        );
        assert_eq!(
            relative(&next),
            "/organizations/1/repos?per_page=100&page=2"
        );
        let last_page = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first""#;
        assert_eq!(next_link(last_page), None);
        assert_eq!(
            relative("https://ghe.example.com/api/v3/orgs/a/repos?page=2"),
            "/api/v3/orgs/a/repos?page=2"
        );
    }

    #[test]
    fn error_messages_come_from_the_body() {
        assert_eq!(
            github_message(r#"{"message": "Not Found", "documentation_url": "x"}"#),
            "Not Found"
        );
        assert_eq!(github_message("<html>oops</html>"), "<html>oops</html>");
    }
}
