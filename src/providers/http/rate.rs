//! Rate limits, decided from a response's status and headers. Pure, so every
//! case is tested without a server or a clock. A [`RateLimit`] policy says
//! when every request of a client must pause; the client enforces it.
//!
//! [`HeaderRule`] is the `x-ratelimit-*` rule (GitHub's):
//! - Primary limit: `x-ratelimit-remaining: 0` means wait until
//!   `x-ratelimit-reset` (epoch seconds), whether the response failed (403 or
//!   429) or was the last one the quota allowed.
//! - Secondary limit: a 403 or 429 with `retry-after` means wait that many
//!   seconds; without it, a 429 or a 403 whose message carries the rule's
//!   phrase ("secondary rate limit") means back off exponentially from one
//!   minute, as GitHub asks.
//! - Any other 403 is a real permission problem, never retried.
//!
//! [`RetryOnly`] has no pauses: a 429 is retried like a server error, after
//! `Retry-After` or a backoff (the AI admin APIs).

use std::fmt;

use super::transport::Headers;

/// Which limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Primary,
    Secondary,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Primary => "primary rate limit",
            Limit::Secondary => "secondary rate limit",
        })
    }
}

/// A pause before any further request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub limit: Limit,
    pub seconds: u64,
}

/// When every request of a client must pause. `now` is epoch seconds.
pub trait RateLimit: Send + Sync {
    /// A pause after a successful response (the quota is spent), if any.
    fn after_success(&self, headers: &Headers, now: i64) -> Option<Wait>;

    /// The pause before retrying a failed response, or `None` when it is not
    /// a rate limit. `attempt` counts earlier rate-limited tries of the same
    /// request (0 first); `message` is the error body's message.
    fn on_failure(
        &self,
        status: u16,
        headers: &Headers,
        message: &str,
        now: i64,
        attempt: u32,
    ) -> Option<Wait>;
}

/// No rate-limit pauses: throttling is retried like a server error.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryOnly;

impl RateLimit for RetryOnly {
    fn after_success(&self, _: &Headers, _: i64) -> Option<Wait> {
        None
    }

    fn on_failure(&self, _: u16, _: &Headers, _: &str, _: i64, _: u32) -> Option<Wait> {
        None
    }
}

/// The `x-ratelimit-remaining` / `x-ratelimit-reset` / `retry-after` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderRule {
    /// Lower-case text in a 403's message that marks a secondary limit.
    pub secondary_phrase: &'static str,
    /// The first backoff for a secondary limit without `retry-after`; doubled each time.
    pub first_backoff: u64,
    /// The longest backoff step for a secondary limit without `retry-after`.
    pub max_backoff: u64,
}

impl RateLimit for HeaderRule {
    fn after_success(&self, headers: &Headers, now: i64) -> Option<Wait> {
        exhausted(headers, now)
    }

    fn on_failure(
        &self,
        status: u16,
        headers: &Headers,
        message: &str,
        now: i64,
        attempt: u32,
    ) -> Option<Wait> {
        if status != 403 && status != 429 {
            return None;
        }
        if let Some(after) = headers.retry_after {
            return Some(Wait {
                limit: Limit::Secondary,
                seconds: (after.as_secs_f64().ceil() as u64).max(1),
            });
        }
        if let Some(wait) = exhausted(headers, now) {
            return Some(wait);
        }
        let secondary =
            status == 429 || message.to_ascii_lowercase().contains(self.secondary_phrase);
        secondary.then(|| Wait {
            limit: Limit::Secondary,
            seconds: self
                .first_backoff
                .saturating_mul(1 << attempt.min(10))
                .min(self.max_backoff),
        })
    }
}

/// The wait before any further request when the primary quota is spent
/// (`x-ratelimit-remaining: 0`): until the reset, plus a second.
pub fn exhausted(headers: &Headers, now: i64) -> Option<Wait> {
    match (headers.ratelimit_remaining, headers.ratelimit_reset) {
        (Some(0), Some(reset)) => Some(Wait {
            limit: Limit::Primary,
            seconds: u64::try_from(reset.saturating_sub(now)).unwrap_or(0) + 1,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const NOW: i64 = 1_800_000_000;
    const RULE: HeaderRule = HeaderRule {
        secondary_phrase: "secondary rate limit",
        first_backoff: 60,
        max_backoff: 15 * 60,
    };

    fn h(retry_after: Option<u64>, remaining: Option<u64>, reset: Option<i64>) -> Headers {
        Headers {
            retry_after: retry_after.map(Duration::from_secs),
            ratelimit_remaining: remaining,
            ratelimit_reset: reset,
            link: None,
        }
    }

    fn retry_wait(status: u16, headers: Headers, message: &str, attempt: u32) -> Option<Wait> {
        RULE.on_failure(status, &headers, message, NOW, attempt)
    }

    #[test]
    fn retry_after_is_a_secondary_limit_on_403_and_429() {
        for status in [403, 429] {
            let w = retry_wait(status, h(Some(30), Some(4000), None), "", 0).unwrap();
            assert_eq!((w.limit, w.seconds), (Limit::Secondary, 30));
        }
        let mut fraction = h(None, None, None);
        fraction.retry_after = Some(Duration::from_millis(200));
        assert_eq!(retry_wait(429, fraction, "", 0).unwrap().seconds, 1);
    }

    #[test]
    fn a_spent_quota_waits_until_the_reset() {
        let spent = h(None, Some(0), Some(NOW + 42));
        let w = retry_wait(403, spent.clone(), "API rate limit exceeded", 0).unwrap();
        assert_eq!((w.limit, w.seconds), (Limit::Primary, 43));
        assert_eq!(exhausted(&spent, NOW), Some(w));
        assert_eq!(RULE.after_success(&spent, NOW), Some(w));
        // A reset already past still waits a second.
        assert_eq!(
            exhausted(&h(None, Some(0), Some(NOW - 5)), NOW)
                .unwrap()
                .seconds,
            1
        );
        assert_eq!(exhausted(&h(None, Some(1), Some(NOW + 42)), NOW), None);
    }

    #[test]
    fn secondary_limits_without_retry_after_back_off_exponentially() {
        let msg = "You have exceeded a secondary rate limit. Please wait a few minutes.";
        let secs: Vec<u64> = (0..6)
            .map(|a| retry_wait(403, Headers::default(), msg, a).unwrap().seconds)
            .collect();
        assert_eq!(secs, [60, 120, 240, 480, 900, 900]);
        assert_eq!(
            retry_wait(429, Headers::default(), "", 0).map(|w| w.limit),
            Some(Limit::Secondary)
        );
    }

    #[test]
    fn a_plain_403_or_404_is_not_retried() {
        let headers = h(None, Some(4999), Some(NOW + 60));
        assert_eq!(
            retry_wait(
                403,
                headers.clone(),
                "Must have admin rights to Repository.",
                0
            ),
            None
        );
        assert_eq!(retry_wait(404, headers, "Not Found", 0), None);
        assert_eq!(retry_wait(200, h(None, Some(0), Some(NOW)), "", 0), None);
    }

    #[test]
    fn retry_only_never_pauses() {
        let spent = h(Some(5), Some(0), Some(NOW + 42));
        assert_eq!(RetryOnly.after_success(&spent, NOW), None);
        assert_eq!(RetryOnly.on_failure(429, &spent, "", NOW, 0), None);
    }
}
