//! `scan`'s GitHub flags, turned into [`Options`].

use std::path::PathBuf;

use clap::Args;

use super::{Auth, Options, API_URL};
use crate::error::Error;
use crate::providers::Live;

#[derive(Debug, Args)]
#[command(next_help_heading = "Live GitHub")]
pub struct GithubArgs {
    /// A GitHub organization to scan live. Repeatable. Needs a token (GH_TOKEN, GITHUB_TOKEN or --github-token-env) or GitHub App credentials.
    #[arg(long = "github-org", value_name = "ORG")]
    pub orgs: Vec<String>,

    /// Read the GitHub token from this environment variable instead of GH_TOKEN or GITHUB_TOKEN.
    #[arg(long, value_name = "VAR")]
    pub github_token_env: Option<String>,

    /// Authenticate as this GitHub App (with --github-app-key). Needed to list fine-grained PATs.
    #[arg(long, value_name = "ID", requires = "github_app_key")]
    pub github_app_id: Option<u64>,

    /// The GitHub App's private key (PEM file).
    #[arg(long, value_name = "FILE", requires = "github_app_id")]
    pub github_app_key: Option<PathBuf>,

    /// The App installation to use for every org (default: each org's own installation).
    #[arg(long, value_name = "ID", requires = "github_app_id")]
    pub github_app_installation_id: Option<u64>,

    /// The GitHub API root, e.g. https://ghe.example.com/api/v3 for GitHub Enterprise Server.
    #[arg(long, value_name = "URL", default_value = API_URL)]
    pub github_api_url: String,

    /// Also save each org's raw data as DIR/ORG.github.json, which --input can scan later.
    #[arg(long, value_name = "DIR")]
    pub github_snapshot_dir: Option<PathBuf>,
}

impl GithubArgs {
    /// The live-scan options, or `None` when no org is asked for.
    pub fn options(&self, live: &Live) -> Result<Option<Options>, Error> {
        if self.orgs.is_empty() {
            return Ok(None);
        }
        let app = self.github_app_id.zip(self.github_app_key.as_deref());
        let auth = Auth::resolve(
            self.github_token_env.as_deref(),
            app,
            self.github_app_installation_id,
            |var| std::env::var(var).ok(),
        )?;
        let mut options = Options::new(self.orgs.clone(), &self.github_api_url, auth);
        options.snapshot_dir = self.github_snapshot_dir.clone();
        options.progress = live.progress.clone();
        options.concurrency = live.concurrency;
        Ok(Some(options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Command, FromArgMatches};

    fn parse(args: &[&str]) -> Result<GithubArgs, clap::Error> {
        let cmd = GithubArgs::augment_args(Command::new("scan"));
        let matches =
            cmd.try_get_matches_from(std::iter::once("scan").chain(args.iter().copied()))?;
        GithubArgs::from_arg_matches(&matches)
    }

    #[test]
    fn no_org_no_live_scan_and_app_flags_go_together() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.github_api_url, API_URL);
        let live = Live {
            concurrency: 3,
            progress: crate::progress::Progress::hidden(),
        };
        assert!(args.options(&live).unwrap().is_none());
        assert!(
            parse(&["--github-app-id", "1"]).is_err(),
            "needs --github-app-key"
        );
        let args = parse(&["--github-org", "a", "--github-org", "b"]).unwrap();
        assert_eq!(args.orgs, ["a", "b"]);
    }
}
