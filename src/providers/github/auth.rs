//! How nhiscan authenticates to GitHub: a token from the environment, or a
//! GitHub App (id, private key, and an installation id or the org's own
//! installation). Secrets live in [`Secret`], which always prints `<redacted>`.

use std::path::Path;

use crate::error::Error;

pub use crate::providers::http::Secret;

/// GitHub credentials.
#[derive(Debug, Clone)]
pub enum Auth {
    /// A personal, OAuth or installation token, read from `variable`.
    Token { token: Secret, variable: String },
    /// A GitHub App: a JWT from `key` buys an installation token per org.
    App {
        app_id: u64,
        /// The PEM-encoded RSA private key.
        key: Secret,
        /// The installation to use for every org; otherwise each org's own
        /// (`GET /orgs/{org}/installation`).
        installation_id: Option<u64>,
    },
}

/// Whether `token` can be sent as `Authorization: Bearer <token>`: visible
/// ASCII only.
fn sendable(token: &str) -> bool {
    token.bytes().all(|b| b.is_ascii_graphic())
}

/// Token variables in the order they are tried, as the `gh` CLI does.
pub const TOKEN_VARIABLES: [&str; 2] = ["GH_TOKEN", "GITHUB_TOKEN"];

impl Auth {
    /// App credentials when an app id is given, else a token from
    /// `token_variable` or [`TOKEN_VARIABLES`]. `env` looks variables up.
    pub fn resolve(
        token_variable: Option<&str>,
        app: Option<(u64, &Path)>,
        installation_id: Option<u64>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Auth, Error> {
        if let Some((app_id, path)) = app {
            let pem = std::fs::read_to_string(path)
                .map_err(|e| Error::input(path, format!("cannot read the GitHub App key: {e}")))?;
            octocrab::jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
                Error::input(path, format!("not an RSA private key in PEM format: {e}"))
            })?;
            return Ok(Auth::App {
                app_id,
                key: Secret::new(pem),
                installation_id,
            });
        }
        if installation_id.is_some() {
            return Err(Error::Usage(
                "--github-app-installation-id needs --github-app-id and --github-app-key".into(),
            ));
        }
        let found = |var: &str| {
            env(var)
                .filter(|v| !v.trim().is_empty())
                .map(|v| Auth::Token {
                    token: Secret::new(v.trim()),
                    variable: var.to_string(),
                })
        };
        let token = match token_variable {
            Some(var) => found(var).ok_or_else(|| {
                Error::Usage(format!(
                    "--github-token-env {var}: the environment variable {var} is not set or empty"
                ))
            }),
            None => TOKEN_VARIABLES
                .iter()
                .find_map(|v| found(v))
                .ok_or_else(|| {
                    Error::Usage(
                    "--github-org needs credentials: set GH_TOKEN or GITHUB_TOKEN, name a variable \
                     with --github-token-env, or give --github-app-id and --github-app-key"
                        .into(),
                )
                }),
        }?;
        // octocrab panics on a token it cannot put in a header; say so first.
        if let Auth::Token { token: t, variable } = &token {
            if !sendable(t.expose()) {
                return Err(Error::Usage(format!(
                    "the GitHub token in {variable} holds characters that cannot be sent in an HTTP header (a newline, a control character or non-ASCII text)"
                )));
            }
        }
        Ok(token)
    }

    /// `token from GH_TOKEN` or `GitHub App 123`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Auth::Token { variable, .. } => format!("token from {variable}"),
            Auth::App { app_id, .. } => format!("GitHub App {app_id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        let auth = Auth::Token {
            token: Secret::new("ghp_supersecretvalue"),
            variable: "GH_TOKEN".into(),
        };
        let text = format!(
            "{auth:?} {:?}",
            Secret::new("-----BEGIN RSA PRIVATE KEY-----")
        );
        assert!(!text.contains("supersecret"), "{text}");
        assert!(!text.contains("BEGIN"), "{text}");
        assert!(
            text.contains("<redacted>") && text.contains("GH_TOKEN"),
            "{text}"
        );
    }

    #[test]
    fn tokens_are_found_in_the_documented_order() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let both = env(&[("GH_TOKEN", "a"), ("GITHUB_TOKEN", "b"), ("MY_TOKEN", "c")]);
        let pick = |var: Option<&str>| match Auth::resolve(var, None, None, both).unwrap() {
            Auth::Token { token, variable } => (token.expose().to_string(), variable),
            Auth::App { .. } => unreachable!(),
        };
        assert_eq!(pick(None), ("a".into(), "GH_TOKEN".into()));
        assert_eq!(pick(Some("MY_TOKEN")), ("c".into(), "MY_TOKEN".into()));
        let only_github = env(&[("GH_TOKEN", " "), ("GITHUB_TOKEN", "b")]);
        assert!(matches!(
            Auth::resolve(None, None, None, only_github),
            Ok(Auth::Token { variable, .. }) if variable == "GITHUB_TOKEN"
        ));
        let none = env(&[]);
        let err = Auth::resolve(Some("MISSING"), None, None, none).unwrap_err();
        assert!(err.to_string().contains("MISSING"), "{err}");
        let err = Auth::resolve(None, None, None, none).unwrap_err();
        assert!(err.to_string().contains("GITHUB_TOKEN"), "{err}");
        assert!(Auth::resolve(None, None, Some(7), both).is_err());
    }

    #[test]
    fn a_bad_app_key_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.pem");
        std::fs::write(&path, "not a key").unwrap();
        let err = Auth::resolve(None, Some((1, &path)), None, |_| None).unwrap_err();
        assert!(err.to_string().contains("app.pem"), "{err}");
        let err = Auth::resolve(
            None,
            Some((1, &dir.path().join("missing.pem"))),
            None,
            |_| None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("missing.pem"), "{err}");
    }
}
