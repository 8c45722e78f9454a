//! Keeping credentials out of anything nhiscan stores or prints.
//!
//! - [`Scrubber`]: the one scrubber for error text. It removes every secret
//!   it was given (the exact values a source holds: keys, tokens, the App
//!   JWT, the AWS session credentials) and, since some are minted on the way
//!   and never seen (GitHub installation tokens `ghs_…`), every substring
//!   shaped like a credential: GitHub tokens, OpenAI and Anthropic keys,
//!   JWTs, AWS secret keys and session tokens, and whatever follows
//!   `Bearer `/`token `.
//! - [`strip_userinfo`]: a URL without its `user:password@`.
//! - [`looks_secret_key`]: whether a tag or field name says its value is a secret.

use std::sync::LazyLock;

use regex::Regex;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// Substrings shaped like credentials, whoever minted them.
static SHAPES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // GitHub tokens: personal, OAuth, user-to-server, installation, refresh, fine-grained.
        r"\b(?:gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})",
        // OpenAI and Anthropic keys (admin keys included).
        r"\bsk-[A-Za-z0-9_\-]{8,}",
        // JWTs (a GitHub App's, an OIDC token).
        r"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*",
        // The credential after an auth scheme.
        r"(?i)\b(?:bearer|token|basic)\s+[A-Za-z0-9_\-\.~+/=]{8,}",
        // AWS access key ids.
        r"\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect()
});

/// Removes known secrets and credential-shaped text from error messages.
#[derive(Clone, Default)]
pub struct Scrubber {
    secrets: Vec<String>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} secrets)", self.secrets.len())
    }
}

impl Scrubber {
    /// A scrubber that knows `secrets` (blank ones are ignored), longest
    /// first so a token is never half-replaced by a shorter one it contains.
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut s = Scrubber::default();
        s.extend(secrets);
        s
    }

    /// Learns more secrets (a token minted during the scan).
    pub fn extend<I, S>(&mut self, secrets: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for secret in secrets {
            let secret = secret.into();
            if !secret.trim().is_empty() && !self.secrets.contains(&secret) {
                self.secrets.push(secret);
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every known secret, and every credential-shaped
    /// substring, replaced by `<redacted>`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        scrub_shapes(&out)
    }
}

/// `text` with every credential-shaped substring replaced by `<redacted>`
/// (see the module docs); a scrubber that knows no secret.
pub fn scrub_shapes(text: &str) -> String {
    let mut out = std::borrow::Cow::Borrowed(text);
    for re in SHAPES.iter() {
        if re.is_match(&out) {
            out = std::borrow::Cow::Owned(re.replace_all(&out, REDACTED).into_owned());
        }
    }
    // Long base64 runs mixing cases and digits: AWS secret keys and session
    // tokens, private keys. (A path or a word is not mixed like that.)
    static BASE64: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/]{40,}={0,2}").expect("a valid pattern"));
    if BASE64.is_match(&out) {
        out = std::borrow::Cow::Owned(
            BASE64
                .replace_all(&out, |c: &regex::Captures| {
                    let run = &c[0];
                    let mixed = run.bytes().any(|b| b.is_ascii_uppercase())
                        && run.bytes().any(|b| b.is_ascii_lowercase())
                        && run.bytes().any(|b| b.is_ascii_digit());
                    if mixed {
                        REDACTED.to_string()
                    } else {
                        run.to_string()
                    }
                })
                .into_owned(),
        );
    }
    out.into_owned()
}

/// `text` as a URL without its userinfo (`user:password@`), or unchanged
/// when it is not a URL or has none. Also cleans URLs inside longer text.
pub fn strip_userinfo(text: &str) -> String {
    static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s@]*@").expect("a valid pattern")
    });
    USERINFO.replace_all(text, "$1").into_owned()
}

/// Whether a tag key or field name says its value is a secret
/// (`aws_secret_access_key`, `API_TOKEN`, `db-password`, `private_key`).
pub fn looks_secret_key(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "secret",
        "password",
        "passwd",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "private_key",
        "private-key",
        "privatekey",
        "credential",
        "access_key",
        "access-key",
        "accesskey",
        "session_key",
    ]
    .iter()
    .any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_and_shapes_are_removed() {
        let s = Scrubber::new(["canary-value-123", ""]);
        assert_eq!(
            s.scrub("proxy saw canary-value-123 twice: canary-value-123"),
            "proxy saw <redacted> twice: <redacted>"
        );
        for leak in [
            "proxy saw: Bearer ghp_abcdefghijklmnop1234",
            "token ghs_16C7e42F292c6912E7710c838347Ae178B4a",
            "invalid type: string \"sk-admin-ABCDEF123456\"",
            "key sk-ant-admin01-XYZXYZXYZXYZ",
            "jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJl",
            "<Message>FQoGZXIvYXdzEBYaDHqa0AP1/CzvPvgdEhlpXE5IUkxPaWB0YzJ1c2VjcmV0dG9rZW4=</Message>",
            "AKIAIOSFODNN7EXAMPLE was used",
            "github_pat_11ABCDEFG0123456789_abcdefghijkl",
        ] {
            let out = s.scrub(leak);
            assert!(out.contains(REDACTED), "{leak} -> {out}");
            for word in ["ghp_abc", "ghs_16C", "sk-admin-A", "sk-ant-admin01-X", "eyJhbGci", "FQoGZXIv", "AKIAIOSF", "github_pat_11"] {
                assert!(!out.contains(word), "{leak} -> {out}");
            }
        }
        // Ordinary error text is left alone.
        for plain in [
            "GET /orgs/{org}/members: HTTP 404: Not Found (arn:example:iam::123456789012:role/a-b)",
            "/home/runner/work/nhiscan/exports/accounts/production/iam/report.csv: line 3",
        ] {
            assert_eq!(s.scrub(plain), plain);
        }
    }

    #[test]
    fn userinfo_is_stripped() {
        assert_eq!(
            strip_userinfo("http://user:PASS@proxy:8080/api/v3/orgs/acme"),
            "http://proxy:8080/api/v3/orgs/acme"
        );
        assert_eq!(
            strip_userinfo("at https://tok@api.example/x and ftp://a:b@c/"),
            "at https://api.example/x and ftp://c/"
        );
        assert_eq!(
            strip_userinfo("https://api.example.com/orgs/a@b"),
            "https://api.example.com/orgs/a@b"
        );
        assert_eq!(strip_userinfo("fixtures/a@b.json"), "fixtures/a@b.json");
    }

    #[test]
    fn secret_looking_names() {
        for k in [
            "aws_secret_access_key",
            "API_TOKEN",
            "db-password",
            "private_key",
        ] {
            assert!(looks_secret_key(k), "{k}");
        }
        for k in ["team", "owner", "Name", "cost-center"] {
            assert!(!looks_secret_key(k), "{k}");
        }
    }
}
