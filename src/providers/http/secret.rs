//! [`Secret`]: every credential nhiscan holds (admin API keys, GitHub tokens,
//! GitHub App private keys). Its `Debug` and `Display` print `<redacted>`,
//! it has no `Serialize`, and only this crate can read it back, to build an
//! auth header.

use std::fmt;

use crate::util::redact::Scrubber;

/// A credential. Formatting it in any way prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value of environment variable `var`, trimmed; `None` when it is
    /// not set, not Unicode, or blank.
    pub fn from_env(var: &str) -> Option<Self> {
        Self::from_value(std::env::var(var).ok())
    }

    /// `value` trimmed, unless it is missing or blank.
    fn from_value(value: Option<String>) -> Option<Self> {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(Secret)
    }

    /// The credential itself, for the one place that sends it (an auth
    /// header, marked sensitive) and for scrubbing it from error text.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `text` with every copy of each secret, and anything shaped like a
/// credential ([`crate::util::redact`]), replaced by `<redacted>`.
pub(crate) fn scrub(text: &str, secrets: &[Secret]) -> String {
    scrubber(secrets).scrub(text)
}

/// The one scrubber, knowing `secrets`.
pub(crate) fn scrubber(secrets: &[Secret]) -> Scrubber {
    Scrubber::new(secrets.iter().map(|s| s.0.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("sk-admin-SECRET123");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(
            format!("{s:#?} {s:>20} {:?}", Some(&s)),
            "<redacted> <redacted> Some(<redacted>)"
        );
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: Secret,
        }
        let text = format!("{:?}", Holder { key: s.clone() });
        assert!(!text.contains("SECRET123"), "{text}");
        assert_eq!(s.expose(), "sk-admin-SECRET123");
    }

    #[test]
    fn values_are_trimmed_and_blank_is_none() {
        assert_eq!(
            Secret::from_value(Some("  ghp_x \n".into())).map(|s| s.expose().to_string()),
            Some("ghp_x".into())
        );
        assert_eq!(Secret::from_value(Some(" \t ".into())), None);
        assert_eq!(Secret::from_value(None), None);
        assert_eq!(Secret::from_env("NHISCAN_TEST_SURELY_UNSET_VARIABLE"), None);
    }

    #[test]
    fn scrub_replaces_every_copy() {
        let secrets = [Secret::new("abc"), Secret::new("")];
        assert_eq!(scrub("abc and abc", &secrets), "<redacted> and <redacted>");
        assert_eq!(scrub("nothing", &[]), "nothing");
    }
}
