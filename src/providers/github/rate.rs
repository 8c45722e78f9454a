//! GitHub's rate limits, as a [`HeaderRule`] of the shared HTTP layer, which
//! holds the logic and its tests ([`crate::providers::http::rate`]):
//! `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`; a 403 or 429
//! with `retry-after` waits that long; a 429, or a 403 saying "secondary
//! rate limit", backs off from one minute up to 15; any other 403 is a real
//! permission problem.

pub use crate::providers::http::rate::{exhausted, HeaderRule, Limit, Wait};

/// GitHub's rule.
pub const RULE: HeaderRule = HeaderRule {
    secondary_phrase: "secondary rate limit",
    first_backoff: 60,
    max_backoff: 15 * 60,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::http::{Headers, RateLimit};

    #[test]
    fn githubs_secondary_limit_message_is_recognised() {
        let msg = "You have exceeded a secondary rate limit. Please wait a few minutes.";
        let wait = RULE
            .on_failure(403, &Headers::default(), msg, 0, 1)
            .unwrap();
        assert_eq!((wait.limit, wait.seconds), (Limit::Secondary, 120));
        let denied = "Must have admin rights to Repository.";
        assert_eq!(
            RULE.on_failure(403, &Headers::default(), denied, 0, 0),
            None
        );
    }
}
