//! GitHub rate limits, decided from a response's status and headers. Pure,
//! so every case is tested without a server or a clock.
//!
//! - Primary limit: `x-ratelimit-remaining: 0` means wait until
//!   `x-ratelimit-reset` (epoch seconds), whether the response failed (403 or
//!   429) or was the last one the quota allowed.
//! - Secondary limit: a 403 or 429 with `retry-after` means wait that many
//!   seconds; without it, a 429 or a 403 saying "secondary rate limit" means
//!   back off exponentially from one minute, as GitHub asks.
//! - Any other 403 is a real permission problem, never retried.

use std::fmt;

/// The rate-limit headers of one response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateHeaders {
    pub retry_after: Option<u64>,
    pub remaining: Option<u64>,
    /// Epoch seconds.
    pub reset: Option<i64>,
}

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

/// A wait before the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub limit: Limit,
    pub seconds: u64,
}

/// The longest exponential backoff step for a secondary limit without `retry-after`.
const MAX_BACKOFF: u64 = 15 * 60;

/// The wait before retrying a failed response, or `None` when it is not a
/// rate limit. `attempt` counts earlier tries of the same request (0 first).
pub fn retry_wait(
    status: u16,
    headers: RateHeaders,
    message: &str,
    now: i64,
    attempt: u32,
) -> Option<Wait> {
    if status != 403 && status != 429 {
        return None;
    }
    if let Some(seconds) = headers.retry_after {
        return Some(Wait {
            limit: Limit::Secondary,
            seconds: seconds.max(1),
        });
    }
    if let Some(wait) = exhausted(headers, now) {
        return Some(wait);
    }
    let secondary = status == 429
        || message
            .to_ascii_lowercase()
            .contains("secondary rate limit");
    secondary.then(|| Wait {
        limit: Limit::Secondary,
        seconds: 60u64.saturating_mul(1 << attempt.min(10)).min(MAX_BACKOFF),
    })
}

/// The wait before any further request when the primary quota is spent
/// (`x-ratelimit-remaining: 0`): until the reset, plus a second.
pub fn exhausted(headers: RateHeaders, now: i64) -> Option<Wait> {
    match (headers.remaining, headers.reset) {
        (Some(0), Some(reset)) => Some(Wait {
            limit: Limit::Primary,
            seconds: u64::try_from(reset.saturating_sub(now)).unwrap_or(0) + 1,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn h(retry_after: Option<u64>, remaining: Option<u64>, reset: Option<i64>) -> RateHeaders {
        RateHeaders {
            retry_after,
            remaining,
            reset,
        }
    }

    #[test]
    fn retry_after_is_a_secondary_limit_on_403_and_429() {
        for status in [403, 429] {
            let w = retry_wait(status, h(Some(30), Some(4000), None), "", NOW, 0).unwrap();
            assert_eq!((w.limit, w.seconds), (Limit::Secondary, 30));
        }
    }

    #[test]
    fn a_spent_quota_waits_until_the_reset() {
        let spent = h(None, Some(0), Some(NOW + 42));
        let w = retry_wait(403, spent, "API rate limit exceeded", NOW, 0).unwrap();
        assert_eq!((w.limit, w.seconds), (Limit::Primary, 43));
        assert_eq!(exhausted(spent, NOW), Some(w));
        // A reset already past still waits a second.
        assert_eq!(
            exhausted(h(None, Some(0), Some(NOW - 5)), NOW)
                .unwrap()
                .seconds,
            1
        );
        assert_eq!(exhausted(h(None, Some(1), Some(NOW + 42)), NOW), None);
    }

    #[test]
    fn secondary_limits_without_retry_after_back_off_exponentially() {
        let msg = "You have exceeded a secondary rate limit. Please wait a few minutes.";
        let secs: Vec<u64> = (0..6)
            .map(|a| {
                retry_wait(403, RateHeaders::default(), msg, NOW, a)
                    .unwrap()
                    .seconds
            })
            .collect();
        assert_eq!(secs, [60, 120, 240, 480, 900, 900]);
        assert_eq!(
            retry_wait(429, RateHeaders::default(), "", NOW, 0).map(|w| w.limit),
            Some(Limit::Secondary)
        );
    }

    #[test]
    fn a_plain_403_or_404_is_not_retried() {
        let headers = h(None, Some(4999), Some(NOW + 60));
        assert_eq!(
            retry_wait(
                403,
                headers,
                "Must have admin rights to Repository.",
                NOW,
                0
            ),
            None
        );
        assert_eq!(retry_wait(404, headers, "Not Found", NOW, 0), None);
        assert_eq!(
            retry_wait(200, h(None, Some(0), Some(NOW)), "", NOW, 0),
            None
        );
    }
}
