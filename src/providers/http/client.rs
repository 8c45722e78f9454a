//! The client core: one GET with everything around it that every provider
//! needs, over any [`Transport`].
//!
//! - At most `concurrency` requests in flight (a semaphore shared by clones).
//! - Rate-limit pauses decided by a [`RateLimit`] policy and shared by every
//!   clone: while one is in force no request leaves, and the wait is shown on
//!   the progress bar.
//! - Retries of 429, 5xx and connect/timeout failures with exponential
//!   backoff or the server's `Retry-After`, each wait capped, within an
//!   attempt budget; any other 4xx fails at once.
//! - No wait that ends past the deadline; a rate-limit pause longer than
//!   allowed fails the request instead.
//! - Every try counted under its operation in [`Calls`].
//! - Every wait goes through the [`Clock`], so tests record waits instead of
//!   sleeping.
//!
//! Pagination lives in [`super::paginate`].

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::calls::Calls;
use super::clock::{Clock, SystemClock};
use super::error::{cap, short_message, HttpError};
use super::limits::Limits;
use super::rate::{Limit, RateLimit, RetryOnly, Wait};
use super::secret::{scrub, Secret};
use super::transport::{RawResponse, Transport, TransportError};
use crate::progress::Progress;

/// How often and how long to retry, and how long a rate-limit pause may last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Most tries of one request in all, rate-limit pauses included.
    pub attempts: u32,
    /// Most tries of one request that end in a 429 (without a rate-limit
    /// pause), a 5xx, or a network failure.
    pub error_attempts: u32,
    /// First wait when the server sends no `Retry-After`; doubled each time.
    pub base_delay: Duration,
    /// Longest single retry wait, whatever `Retry-After` says.
    pub max_delay: Duration,
    /// Longest rate-limit pause; a longer one fails the request instead.
    pub max_pause: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 6,
            error_attempts: 6,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            // GitHub's primary quota resets within the hour.
            max_pause: Duration::from_secs(65 * 60),
        }
    }
}

impl Retry {
    /// The wait before retry number `errors` (1 first): `Retry-After` when
    /// the server sent one, else exponential backoff; never over `max_delay`.
    pub fn delay(&self, errors: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self
            .base_delay
            .saturating_mul(1 << errors.saturating_sub(1).min(16));
        retry_after.unwrap_or(backoff).min(self.max_delay)
    }
}

/// What a client is for and how it behaves; shared by all its clones.
pub struct Settings {
    /// The service, in progress messages: `GitHub`.
    pub service: &'static str,
    pub clock: Arc<dyn Clock>,
    pub progress: Progress,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub retry: Retry,
    pub rate_limit: Arc<dyn RateLimit>,
    /// No wait ends after this.
    pub deadline: Option<Timestamp>,
    /// Show each request's operation on the progress bar.
    pub announce_calls: bool,
    /// Removed from any body or message kept in an error.
    pub secrets: Vec<Secret>,
    /// The request timeout and page cap (the body cap is the transport's);
    /// with no `deadline`, the source deadline starts when the client is made.
    pub limits: Limits,
}

impl Settings {
    /// The real clock, a hidden bar, 4 requests at once, [`Retry::default`],
    /// no rate-limit pauses, [`Limits::from_env`] (so a deadline
    /// `source_deadline` after the client is made).
    pub fn new(service: &'static str) -> Self {
        Settings {
            service,
            clock: Arc::new(SystemClock),
            progress: Progress::hidden(),
            concurrency: 4,
            retry: Retry::default(),
            rate_limit: Arc::new(RetryOnly),
            deadline: None,
            announce_calls: false,
            secrets: Vec::new(),
            limits: Limits::from_env(),
        }
    }
}

/// State shared by every clone.
struct Shared {
    settings: Settings,
    permits: Semaphore,
    /// No request goes out before this time (a rate limit is in force).
    paused: Mutex<Option<(Timestamp, Limit)>>,
}

/// A GET-only client over transport `T`. Cheap to clone; clones share
/// limits, pauses and settings, and (unless made with [`Client::with`]) the
/// call counter.
#[derive(Clone)]
pub struct Client<T> {
    transport: T,
    calls: Calls,
    shared: Arc<Shared>,
}

impl<T: fmt::Debug> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared.settings;
        f.debug_struct("Client")
            .field("service", &s.service)
            .field("transport", &self.transport)
            .field("calls", &self.calls)
            .field("concurrency", &s.concurrency)
            .field("retry", &s.retry)
            .field("deadline", &s.deadline)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    pub fn new(transport: T, mut settings: Settings) -> Self {
        if settings.deadline.is_none() {
            settings.deadline = Some(after(settings.clock.now(), settings.limits.source_deadline));
        }
        Client {
            transport,
            calls: Calls::default(),
            shared: Arc::new(Shared {
                permits: Semaphore::new(settings.concurrency.max(1)),
                settings,
                paused: Mutex::new(None),
            }),
        }
    }

    /// The same client over another transport (other credentials) with its
    /// own call counter; limits and pauses stay shared.
    pub fn with(&self, transport: T, calls: Calls) -> Self {
        Client {
            transport,
            calls,
            shared: Arc::clone(&self.shared),
        }
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Calls made so far.
    pub fn calls(&self) -> &Calls {
        &self.calls
    }

    pub fn progress(&self) -> &Progress {
        &self.shared.settings.progress
    }

    pub fn clock(&self) -> &dyn Clock {
        self.shared.settings.clock.as_ref()
    }

    /// The bounds this client holds to.
    pub fn limits(&self) -> &Limits {
        &self.shared.settings.limits
    }

    /// `text` without any secret this client knows or anything shaped like one.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, &self.shared.settings.secrets)
    }

    /// A response body as JSON; a decoding error quotes no secret.
    pub(crate) fn decode<D: DeserializeOwned>(
        &self,
        operation: &str,
        response: &RawResponse,
    ) -> Result<D, HttpError> {
        decode(operation, response).map_err(|e| match e {
            HttpError::Decode {
                operation,
                status,
                message,
            } => HttpError::Decode {
                operation,
                status,
                message: self.scrub(&message),
            },
            other => other,
        })
    }

    /// One GET of `target`, counted under `operation`, decoded from JSON.
    pub async fn get_json<D: DeserializeOwned>(
        &self,
        operation: &str,
        target: &str,
    ) -> Result<D, HttpError> {
        let response = self.send(operation, target).await?;
        self.decode(operation, &response)
    }

    /// One GET of `target`, counted under `operation`: waits out rate limits,
    /// retries what is worth retrying, and returns a 2xx response or the
    /// error that ended it.
    pub async fn send(&self, operation: &str, target: &str) -> Result<RawResponse, HttpError> {
        let settings = &self.shared.settings;
        let retry = settings.retry;
        let (mut attempts, mut errors, mut limited) = (0u32, 0u32, 0u32);
        loop {
            let sent = {
                // The semaphore is never closed, so this cannot fail.
                let _permit = self.shared.permits.acquire().await;
                self.wait_while_paused(operation).await?;
                let budget = self.time_left(operation)?;
                attempts += 1;
                self.calls.record(operation);
                if settings.announce_calls {
                    settings.progress.message(operation.to_string());
                }
                // One bound on the whole request, body included: a server
                // dripping a byte at a time cannot outlast it.
                match tokio::time::timeout(budget, self.transport.get(target)).await {
                    Ok(sent) => sent,
                    Err(_) => Err(TransportError {
                        message: format!(
                            "no complete response within {:.0}s",
                            budget.as_secs_f64()
                        ),
                        retryable: true,
                    }),
                }
            };
            let now = settings.clock.now();
            let (error, retry_after, why) = match sent {
                Ok(r) if (200..300).contains(&r.status) => {
                    if let Some(wait) = settings
                        .rate_limit
                        .after_success(&r.headers, now.as_second())
                    {
                        // This response is fine. A pause too long is not kept: the next
                        // request goes out, meets the limit, and fails on the deadline.
                        let _ = self.pause(operation, wait);
                    }
                    return Ok(r);
                }
                Ok(r) => {
                    let body = scrub(&r.body, &settings.secrets);
                    let message = short_message(&body);
                    let status = r.status;
                    if let Some(wait) = settings.rate_limit.on_failure(
                        status,
                        &r.headers,
                        &message,
                        now.as_second(),
                        limited,
                    ) {
                        limited += 1;
                        if attempts >= retry.attempts {
                            return Err(HttpError::RateLimited {
                                operation: operation.into(),
                                status,
                                limit: wait.limit,
                                attempts,
                                message,
                            });
                        }
                        self.pause(operation, wait)?;
                        continue;
                    }
                    let error = HttpError::Status {
                        operation: operation.into(),
                        status,
                        message,
                        body: cap(&body),
                        attempts,
                    };
                    if status != 429 && status < 500 {
                        return Err(error);
                    }
                    (error, r.headers.retry_after, format!("HTTP {status}"))
                }
                Err(e) => {
                    let error = HttpError::Transport {
                        operation: operation.into(),
                        message: scrub(&e.message, &settings.secrets),
                        attempts,
                    };
                    if !e.retryable {
                        return Err(error);
                    }
                    (error, None, "network error".to_string())
                }
            };
            errors += 1;
            if errors >= retry.error_attempts || attempts >= retry.attempts {
                return Err(error);
            }
            let delay = retry.delay(errors, retry_after);
            if self.ends_past_deadline(now, delay) {
                return Err(error);
            }
            settings.progress.message(format!(
                "{operation}: {why}, retrying in {:.1}s",
                delay.as_secs_f64()
            ));
            settings.clock.sleep(delay).await;
        }
    }

    /// How long the next request may take: the request timeout, or less when
    /// the deadline is nearer; an error once the deadline has passed.
    fn time_left(&self, operation: &str) -> Result<Duration, HttpError> {
        let settings = &self.shared.settings;
        let timeout = settings.limits.request_timeout;
        let Some(deadline) = settings.deadline else {
            return Ok(timeout);
        };
        let now = settings.clock.now();
        if now >= deadline {
            return Err(HttpError::Limit {
                operation: operation.into(),
                detail: format!("the source's deadline ({deadline}) passed; the read stopped here"),
            });
        }
        Ok(timeout.min(now.duration_until(deadline).unsigned_abs()))
    }

    /// Whether a wait of `delay` from `now` ends after the deadline.
    fn ends_past_deadline(&self, now: Timestamp, delay: Duration) -> bool {
        self.shared
            .settings
            .deadline
            .is_some_and(|deadline| after(now, delay) > deadline)
    }

    /// Holds every request back for `wait`, unless that is longer than
    /// allowed or ends past the deadline.
    fn pause(&self, operation: &str, wait: Wait) -> Result<(), HttpError> {
        let settings = &self.shared.settings;
        let now = settings.clock.now();
        let length = Duration::from_secs(wait.seconds);
        let limit = after(now, settings.retry.max_pause);
        let deadline = settings.deadline.map_or(limit, |d| d.min(limit));
        let until = after(now, length);
        if until > deadline {
            return Err(HttpError::Deadline {
                operation: operation.into(),
                limit: wait.limit,
                seconds: wait.seconds,
                deadline,
            });
        }
        let mut paused = self
            .shared
            .paused
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|(t, _)| t < until) {
            *paused = Some((until, wait.limit));
        }
        Ok(())
    }

    /// Sleeps while a rate limit is in force, saying so on the progress bar;
    /// never past the deadline.
    async fn wait_while_paused(&self, operation: &str) -> Result<(), HttpError> {
        let settings = &self.shared.settings;
        loop {
            let paused = *self
                .shared
                .paused
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = settings.clock.now();
            let Some((until, limit)) = paused.filter(|(t, _)| *t > now) else {
                return Ok(());
            };
            let wait = now.duration_until(until).unsigned_abs();
            if let Some(deadline) = settings.deadline.filter(|d| until > *d) {
                return Err(HttpError::Deadline {
                    operation: operation.into(),
                    limit,
                    seconds: wait.as_secs_f64().ceil() as u64,
                    deadline,
                });
            }
            settings.progress.message(format!(
                "{} {limit}: waiting {}s (until {until})",
                settings.service,
                wait.as_secs_f64().ceil()
            ));
            settings.clock.sleep(wait).await;
        }
    }
}

/// `now + d`, saturating.
fn after(now: Timestamp, d: Duration) -> Timestamp {
    now.saturating_add(SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX))
        .unwrap_or(Timestamp::MAX)
}

/// A response body as JSON.
pub(crate) fn decode<D: DeserializeOwned>(
    operation: &str,
    response: &RawResponse,
) -> Result<D, HttpError> {
    serde_json::from_str(&response.body).map_err(|e| HttpError::Decode {
        operation: operation.into(),
        status: response.status,
        message: e.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;

    use super::super::rate::HeaderRule;
    use super::super::transport::Headers;
    use super::*;

    pub const START: &str = "2026-06-01T00:00:00Z";

    /// A transport that answers from a script and records what was asked.
    #[derive(Clone, Default)]
    pub struct Scripted {
        answers: Arc<Mutex<VecDeque<Result<RawResponse, TransportError>>>>,
        pub asked: Arc<Mutex<Vec<String>>>,
    }

    impl Scripted {
        pub fn new(answers: Vec<Result<RawResponse, TransportError>>) -> Self {
            Scripted {
                answers: Arc::new(Mutex::new(answers.into())),
                asked: Arc::default(),
            }
        }

        pub fn asked(&self) -> Vec<String> {
            self.asked.lock().unwrap().clone()
        }
    }

    impl Transport for Scripted {
        async fn get(&self, target: &str) -> Result<RawResponse, TransportError> {
            self.asked.lock().unwrap().push(target.to_string());
            self.answers
                .lock()
                .unwrap()
                .pop_front()
                .expect("the script has an answer")
        }

        fn next_target(&self, url: &str) -> Result<String, String> {
            if url.starts_with("https://evil.example") {
                Err("not the API".into())
            } else {
                Ok(super::super::transport::relative(url))
            }
        }
    }

    pub fn respond(status: u16, body: &str) -> Result<RawResponse, TransportError> {
        respond_with(status, Headers::default(), body)
    }

    pub fn respond_with(
        status: u16,
        headers: Headers,
        body: &str,
    ) -> Result<RawResponse, TransportError> {
        Ok(RawResponse {
            status,
            headers,
            body: body.into(),
        })
    }

    /// A clock that records each wait instead of sleeping.
    pub struct Recorder {
        now: Mutex<Timestamp>,
        pub waits: Mutex<Vec<Duration>>,
    }

    impl Recorder {
        pub fn new() -> Arc<Self> {
            Arc::new(Recorder {
                now: Mutex::new(START.parse().unwrap()),
                waits: Mutex::default(),
            })
        }

        pub fn waits(&self) -> Vec<u64> {
            self.waits
                .lock()
                .unwrap()
                .iter()
                .map(Duration::as_secs)
                .collect()
        }
    }

    impl Clock for Recorder {
        fn now(&self) -> Timestamp {
            *self.now.lock().unwrap()
        }

        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.waits.lock().unwrap().push(d);
            let mut now = self.now.lock().unwrap();
            *now = after(*now, d);
            Box::pin(async {})
        }
    }

    pub fn client(transport: Scripted, clock: Arc<Recorder>, retry: Retry) -> Client<Scripted> {
        let mut settings = Settings::new("Test");
        settings.clock = clock;
        settings.retry = retry;
        settings.secrets = vec![Secret::new("sk-SECRET")];
        Client::new(transport, settings)
    }

    /// Runs `f` on the shared runtime.
    fn run<F: std::future::Future>(f: F) -> F::Output {
        super::super::block_on(f).expect("the shared runtime")
    }

    fn retry_after(seconds: &str) -> Headers {
        Headers::read(|name| (name == "retry-after").then(|| seconds.to_string()))
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let retry = Retry::default();
        assert_eq!(
            retry.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            retry.delay(1, Some(Duration::from_secs(3600))),
            retry.max_delay
        );
        let backoff: Vec<u64> = (1..=8).map(|n| retry.delay(n, None).as_secs()).collect();
        assert_eq!(backoff, [1, 2, 4, 8, 16, 32, 60, 60]);

        let clock = Recorder::new();
        let t = Scripted::new(vec![
            respond_with(429, retry_after("3600"), "{}"),
            respond_with(503, retry_after("0"), "{}"),
            respond(200, "[1]"),
        ]);
        let c = client(t, clock.clone(), retry);
        let got: Vec<u32> = run(c.get_json("GET /x", "/x")).unwrap();
        assert_eq!(got, [1]);
        assert_eq!(clock.waits(), [60, 0], "an hour asked, a minute waited");
        assert_eq!(c.calls().snapshot()["GET /x"], 3);
    }

    #[test]
    fn an_exhausted_attempt_budget_is_an_error() {
        let clock = Recorder::new();
        let retry = Retry {
            error_attempts: 3,
            base_delay: Duration::from_secs(2),
            ..Retry::default()
        };
        let t = Scripted::new(vec![
            respond(500, r#"{"message": "Server Error sk-SECRET"}"#),
            respond(502, "bad gateway"),
            respond(500, r#"{"message": "Server Error sk-SECRET"}"#),
            respond(200, "[]"),
        ]);
        let c = client(t.clone(), clock.clone(), retry);
        let err = run(c.send("GET /x", "/x")).unwrap_err();
        assert_eq!(
            err,
            HttpError::Status {
                operation: "GET /x".into(),
                status: 500,
                message: "Server Error <redacted>".into(),
                body: r#"{"message": "Server Error <redacted>"}"#.into(),
                attempts: 3,
            }
        );
        assert_eq!(clock.waits(), [2, 4]);
        assert_eq!(t.asked().len(), 3, "the fourth answer is never asked for");

        // Network failures: retried when they are connect or timeout errors.
        let net = |retryable| {
            Err(TransportError {
                message: "connection refused".into(),
                retryable,
            })
        };
        let t = Scripted::new(vec![net(true), net(true), net(true), net(true)]);
        let c = client(
            t.clone(),
            Recorder::new(),
            Retry {
                error_attempts: 2,
                ..Retry::default()
            },
        );
        let err = run(c.send("GET /y", "/y")).unwrap_err();
        assert!(
            matches!(err, HttpError::Transport { attempts: 2, .. }),
            "{err:?}"
        );
        let t = Scripted::new(vec![net(false)]);
        let c = client(t.clone(), Recorder::new(), Retry::default());
        assert!(run(c.send("GET /y", "/y")).is_err());
        assert_eq!(t.asked().len(), 1);

        // Throttling without a rate-limit policy counts against the same budget.
        let t = Scripted::new(
            (0..6)
                .map(|_| respond_with(429, retry_after("0"), ""))
                .collect(),
        );
        let c = client(t.clone(), Recorder::new(), Retry::default());
        let err = run(c.send("GET /z", "/z")).unwrap_err();
        assert!(
            matches!(
                err,
                HttpError::Status {
                    status: 429,
                    attempts: 6,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn other_4xx_fail_at_once() {
        for status in [400, 401, 403, 404, 422] {
            let t = Scripted::new(vec![respond(status, r#"{"message": "no"}"#)]);
            let c = client(t.clone(), Recorder::new(), Retry::default());
            let err = run(c.send("GET /x", "/x")).unwrap_err();
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.to_string(), format!("GET /x: HTTP {status}: no"));
            assert_eq!(t.asked().len(), 1);
        }
    }

    fn github_client(
        t: Scripted,
        clock: Arc<Recorder>,
        deadline: Option<Timestamp>,
    ) -> Client<Scripted> {
        let mut settings = Settings::new("Example");
        settings.clock = clock;
        settings.rate_limit = Arc::new(HeaderRule {
            secondary_phrase: "secondary rate limit",
            first_backoff: 60,
            max_backoff: 900,
        });
        settings.deadline = deadline;
        Client::new(t, settings)
    }

    fn spent(reset_in: i64) -> Headers {
        let reset = START.parse::<Timestamp>().unwrap().as_second() + reset_in;
        Headers {
            ratelimit_remaining: Some(0),
            ratelimit_reset: Some(reset),
            ..Headers::default()
        }
    }

    #[test]
    fn a_rate_limit_pauses_every_clone_and_shows_on_the_bar() {
        let clock = Recorder::new();
        let t = Scripted::new(vec![respond_with(200, spent(30), "{}"), respond(200, "{}")]);
        let c = github_client(t, clock.clone(), None);
        let other = c.with(c.transport().clone(), Calls::default());
        run(c.send("GET /a", "/a")).unwrap();
        assert!(clock.waits().is_empty());
        run(other.send("GET /b", "/b")).unwrap();
        assert_eq!(clock.waits(), [31]);
        assert!(
            c.progress()
                .last_message()
                .starts_with("Example primary rate limit: waiting 31s"),
            "{}",
            c.progress().last_message()
        );
        assert_eq!(c.calls().total() + other.calls().total(), 2);
    }

    #[test]
    fn no_wait_ends_past_the_deadline() {
        let start: Timestamp = START.parse().unwrap();
        let deadline = Some(after(start, Duration::from_secs(600)));
        // A primary limit resetting in an hour: fail now instead of sleeping.
        let clock = Recorder::new();
        let t = Scripted::new(vec![respond_with(
            403,
            spent(3600),
            r#"{"message": "API rate limit exceeded"}"#,
        )]);
        let c = github_client(t, clock.clone(), deadline);
        let err = run(c.send("GET /a", "/a")).unwrap_err();
        assert!(
            matches!(
                err,
                HttpError::Deadline {
                    limit: Limit::Primary,
                    seconds: 3601,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(clock.waits().is_empty());
        // A quota spent on a success does not fail that response.
        let t = Scripted::new(vec![respond_with(200, spent(3600), "{}")]);
        let c = github_client(t, clock.clone(), deadline);
        assert!(run(c.send("GET /a", "/a")).is_ok());
        // Without a deadline, a pause longer than max_pause fails as well.
        let t = Scripted::new(vec![respond_with(403, spent(10 * 3600), "{}")]);
        let c = github_client(t, clock.clone(), None);
        assert!(matches!(
            run(c.send("GET /a", "/a")),
            Err(HttpError::Deadline { .. })
        ));
        // Retry waits stop at the deadline too.
        let soon = Some(after(start, Duration::from_secs(1)));
        let t = Scripted::new(vec![respond(500, "{}"), respond(200, "{}")]);
        let mut settings = Settings::new("Test");
        settings.clock = clock.clone();
        settings.deadline = soon;
        settings.retry.base_delay = Duration::from_secs(5);
        let c = Client::new(t, settings);
        assert!(matches!(
            run(c.send("GET /a", "/a")),
            Err(HttpError::Status { status: 500, .. })
        ));
        assert!(clock.waits().is_empty());
    }

    #[test]
    fn decoding_errors_quote_no_secret() {
        let t = Scripted::new(vec![respond(200, r#"{"a": "sk-SECRET"}"#)]);
        let c = client(t, Recorder::new(), Retry::default());
        let err =
            run(c.get_json::<std::collections::BTreeMap<String, u32>>("GET /x", "/x")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("invalid type") && !text.contains("sk-SECRET"),
            "{text}"
        );
    }

    #[test]
    fn no_request_starts_after_the_source_deadline() {
        let clock = Recorder::new();
        let mut settings = Settings::new("Test");
        settings.clock = clock.clone();
        settings.limits.source_deadline = Duration::from_secs(10);
        let t = Scripted::new(vec![respond(200, "{}"), respond(200, "{}")]);
        let c = Client::new(t.clone(), settings);
        assert!(run(c.send("GET /a", "/a")).is_ok());
        run(clock.sleep(Duration::from_secs(11)));
        let err = run(c.send("GET /a", "/a")).unwrap_err();
        assert!(
            matches!(&err, HttpError::Limit { detail, .. } if detail.contains("deadline")),
            "{err:?}"
        );
        assert_eq!(t.asked().len(), 1);
    }

    #[test]
    fn rate_limited_on_every_try_gives_up() {
        let clock = Recorder::new();
        let t = Scripted::new(
            (0..6)
                .map(|_| respond_with(429, retry_after("5"), r#"{"message": "slow down"}"#))
                .collect(),
        );
        let c = github_client(t, clock.clone(), None);
        let err = run(c.send("GET /a", "/a")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "GET /a: HTTP 429: secondary rate limit: gave up after 6 attempts: slow down"
        );
        assert_eq!(clock.waits(), [5, 5, 5, 5, 5]);
    }
}
