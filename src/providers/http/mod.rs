//! The HTTP plumbing every live provider shares, written once:
//!
//! - [`secret`]: [`Secret`], the one credential type; always printed `<redacted>`.
//! - [`runtime`]: the one async runtime ([`block_on`]) GitHub, the AI admin
//!   APIs and live AWS run on.
//! - [`transport`]: the [`Transport`] seam (GET → [`RawResponse`]), over
//!   reqwest ([`ReqwestTransport`]), or a provider's own (GitHub's goes through octocrab).
//! - [`client`]: [`Client`], the GET-only core: retries with capped backoff
//!   and `Retry-After`, shared rate-limit pauses ([`rate`]), bounded
//!   concurrency, deadlines, call counting ([`calls`]), an injectable
//!   [`Clock`].
//! - [`paginate`]: `Link` and cursor pagination, both with a loop guard.
//! - [`limits`]: [`Limits`], the request timeout, source deadline, page
//!   cap and body cap every live read is held to.
//! - [`error`]: [`HttpError`], with operation, status and the body's message.
//!
//! Providers keep only what is theirs: header names, page shapes, URLs and
//! the wording of their errors.

pub mod calls;
pub mod client;
pub mod clock;
pub mod error;
pub mod limits;
pub mod paginate;
pub mod rate;
pub mod runtime;
pub mod secret;
pub mod transport;

pub use calls::Calls;
pub use client::{Client, Retry, Settings};
pub use clock::{Clock, SystemClock};
pub use error::{short_message, HttpError};
pub use limits::Limits;
pub use paginate::Cursor;
pub use rate::{HeaderRule, Limit, RateLimit, RetryOnly, Wait};
pub use runtime::{block_on, RuntimeError};
pub use secret::Secret;
pub use transport::{Headers, RawResponse, ReqwestTransport, Transport, TransportError};
