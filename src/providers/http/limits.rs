//! [`Limits`]: the bounds on every live read, so a server that never
//! answers, drips its body, pages forever or sends a gigabyte cannot hang a
//! scan or exhaust memory. Each has a default and an environment variable:
//!
//! | bound | default | variable |
//! |---|---|---|
//! | one request, connect to last body byte | 120 s | `NHISCAN_REQUEST_TIMEOUT_SECS` |
//! | one source (an org, a tenant, an account) | 2 h | `NHISCAN_SOURCE_DEADLINE_SECS` |
//! | pages of one listing | 10,000 | `NHISCAN_MAX_PAGES` |
//! | one response body | 256 MiB | `NHISCAN_MAX_RESPONSE_BYTES` |
//!
//! A bound that is hit fails the request; the source becomes partial or
//! failed with the reason.

use std::time::Duration;

/// The bounds on live reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One request, from connect to the last byte of its body.
    pub request_timeout: Duration,
    /// One source, from its first request to its last.
    pub source_deadline: Duration,
    /// Pages of one `Link` or cursor listing.
    pub max_pages: usize,
    /// Bytes of one response body.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(120),
            // GitHub's primary quota resets within the hour; a large org may
            // need one wait.
            source_deadline: Duration::from_secs(2 * 60 * 60),
            max_pages: 10_000,
            max_body: 256 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The defaults, overridden by the environment variables in the module
    /// docs (a value that is not a positive integer is ignored).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let num = |name: &str| {
            get(name)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|n| *n > 0)
        };
        let d = Limits::default();
        Limits {
            request_timeout: num("NHISCAN_REQUEST_TIMEOUT_SECS")
                .map_or(d.request_timeout, Duration::from_secs),
            source_deadline: num("NHISCAN_SOURCE_DEADLINE_SECS")
                .map_or(d.source_deadline, Duration::from_secs),
            max_pages: num("NHISCAN_MAX_PAGES").map_or(d.max_pages, |n| n as usize),
            max_body: num("NHISCAN_MAX_RESPONSE_BYTES").map_or(d.max_body, |n| n as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_override_the_defaults() {
        let l = Limits::from_lookup(|n| match n {
            "NHISCAN_MAX_PAGES" => Some(" 7 ".into()),
            "NHISCAN_REQUEST_TIMEOUT_SECS" => Some("0".into()),
            "NHISCAN_MAX_RESPONSE_BYTES" => Some("lots".into()),
            _ => None,
        });
        assert_eq!(l.max_pages, 7);
        assert_eq!(l.request_timeout, Limits::default().request_timeout);
        assert_eq!(l.max_body, Limits::default().max_body);
    }
}
