//! [`HttpError`]: why a GET failed for good, with the operation (as counted
//! in `api_calls`), the HTTP status when there was a response, and a short
//! message from the body. Providers turn it into their own wording.

use jiff::Timestamp;

use super::rate::Limit;

/// The longest body kept in an error.
const BODY_LIMIT: usize = 4096;
/// The longest message taken from the start of a body that is not JSON.
const MESSAGE_LIMIT: usize = 200;

/// Why a request (or a paginated list) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// An error status that is not retried, or still there after every retry.
    #[error("{operation}: HTTP {status}: {message}")]
    Status {
        operation: String,
        status: u16,
        /// The body's message (see [`short_message`]).
        message: String,
        /// The body, capped, with any known secret removed.
        body: String,
        /// Tries made, this one included.
        attempts: u32,
    },
    /// Rate limited on every try.
    #[error("{operation}: HTTP {status}: {limit}: gave up after {attempts} attempts: {message}")]
    RateLimited {
        operation: String,
        status: u16,
        limit: Limit,
        attempts: u32,
        message: String,
    },
    /// A rate-limit pause would end past the deadline, or last longer than allowed.
    #[error("{operation}: {limit}: waiting {seconds}s would pass the deadline ({deadline})")]
    Deadline {
        operation: String,
        limit: Limit,
        seconds: u64,
        deadline: Timestamp,
    },
    /// No response: a network failure, a timeout, or a URL that may not be requested.
    #[error("{operation}: request failed: {message}")]
    Transport {
        operation: String,
        message: String,
        attempts: u32,
    },
    /// A successful response whose body is not the expected JSON.
    #[error("{operation}: unexpected response body (HTTP {status}): {message}")]
    Decode {
        operation: String,
        status: u16,
        message: String,
    },
    /// Pagination that would loop: a cursor or `Link` URL seen before, or
    /// `has_more` without a cursor.
    #[error("{operation}: pagination did not advance: {detail}")]
    Stalled {
        operation: String,
        detail: String,
        /// The cursor that did not advance (cursor pagination).
        cursor: Option<String>,
    },
    /// A bound was hit: the page cap of a listing, or the source's deadline.
    #[error("{operation}: {detail}")]
    Limit { operation: String, detail: String },
}

impl HttpError {
    /// The operation, e.g. `GET /orgs/{org}/members`.
    pub fn operation(&self) -> &str {
        match self {
            HttpError::Status { operation, .. }
            | HttpError::RateLimited { operation, .. }
            | HttpError::Deadline { operation, .. }
            | HttpError::Transport { operation, .. }
            | HttpError::Decode { operation, .. }
            | HttpError::Stalled { operation, .. }
            | HttpError::Limit { operation, .. } => operation,
        }
    }

    /// The HTTP status of the last response, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Status { status, .. }
            | HttpError::RateLimited { status, .. }
            | HttpError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The message of an error body: its JSON `message` (GitHub) or
/// `error.message` (OpenAI, Anthropic), else the start of the body.
pub fn short_message(body: &str) -> String {
    let value: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = value.as_ref().and_then(|v| {
        v.get("message")
            .and_then(|m| m.as_str())
            .or_else(|| v.get("error")?.get("message")?.as_str())
    });
    match message {
        Some(m) => m.to_string(),
        None => body.chars().take(MESSAGE_LIMIT).collect(),
    }
}

/// `body`, cut to [`BODY_LIMIT`] characters.
pub(crate) fn cap(body: &str) -> String {
    body.chars().take(BODY_LIMIT).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_the_body() {
        assert_eq!(
            short_message(r#"{"message": "Not Found", "documentation_url": "x"}"#),
            "Not Found"
        );
        assert_eq!(
            short_message(
                r#"{"type": "error", "error": {"type": "not_found_error", "message": "no such org"}}"#
            ),
            "no such org"
        );
        assert_eq!(short_message("<html>oops</html>"), "<html>oops</html>");
        assert_eq!(short_message(&"x".repeat(500)).len(), MESSAGE_LIMIT);
        assert_eq!(cap(&"y".repeat(10_000)).len(), BODY_LIMIT);
    }

    #[test]
    fn errors_name_the_operation_and_status() {
        let e = HttpError::Status {
            operation: "GET /orgs/{org}/members".into(),
            status: 500,
            message: "Server Error".into(),
            body: String::new(),
            attempts: 3,
        };
        assert_eq!(
            e.to_string(),
            "GET /orgs/{org}/members: HTTP 500: Server Error"
        );
        assert_eq!(
            (e.operation(), e.status()),
            ("GET /orgs/{org}/members", Some(500))
        );
        let e = HttpError::Stalled {
            operation: "GET /x".into(),
            detail: "last_id \"a\" seen before".into(),
            cursor: Some("a".into()),
        };
        assert_eq!(e.status(), None);
        assert!(e.to_string().contains("pagination did not advance"));
    }
}
