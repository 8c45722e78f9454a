//! `scan`'s GitHub flags, turned into [`github::Options`].

use std::path::PathBuf;

use clap::Args;

use nhiscan::error::Error;
use nhiscan::progress::Progress;
use nhiscan::providers::github::{self, Auth};

#[derive(Debug, Args)]
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
    #[arg(long, value_name = "URL", default_value = github::API_URL)]
    pub github_api_url: String,

    /// Also save each org's raw data as DIR/ORG.github.json, which --input can scan later.
    #[arg(long, value_name = "DIR")]
    pub github_snapshot_dir: Option<PathBuf>,
}

impl GithubArgs {
    /// The live-scan options, or `None` when no org is asked for.
    pub fn options(&self, progress: &Progress) -> Result<Option<github::Options>, Error> {
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
        let mut options = github::Options::new(self.orgs.clone(), &self.github_api_url, auth);
        options.snapshot_dir = self.github_snapshot_dir.clone();
        options.progress = progress.clone();
        Ok(Some(options))
    }
}
