//! `scan`'s Entra flags, turned into [`Options`](super::live::Options).

use std::path::PathBuf;

use clap::Args;

use super::auth::{Auth, IMDS_URL};
use super::live::{Options, GRAPH_URL, LOGIN_URL};
use crate::error::Error;
use crate::providers::Live;

#[derive(Debug, Args)]
#[command(next_help_heading = "Live Microsoft Entra ID")]
pub struct EntraArgs {
    /// Read a Microsoft Entra tenant through Microsoft Graph. Signs in as the Azure SDKs do: AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, else AZURE_FEDERATED_TOKEN_FILE, else a managed identity, else the Azure CLI's token.
    #[arg(long)]
    pub entra: bool,

    /// The Microsoft Graph root, e.g. https://graph.microsoft.us for US Government.
    #[arg(long, value_name = "URL", default_value = GRAPH_URL, requires = "entra")]
    pub graph_url: String,

    /// The Entra sign-in root, e.g. https://login.microsoftonline.us.
    #[arg(long, value_name = "URL", default_value = LOGIN_URL, requires = "entra")]
    pub entra_login_url: String,

    /// The instance metadata service for managed identity (default http://169.254.169.254, or AZURE_POD_IDENTITY_AUTHORITY_HOST); "none" skips it.
    #[arg(long, value_name = "URL", requires = "entra")]
    pub entra_imds_url: Option<String>,

    /// Also save the tenant's raw data as DIR/TENANT.entra.json, which --input can scan later.
    #[arg(long, value_name = "DIR", requires = "entra")]
    pub entra_snapshot_dir: Option<PathBuf>,
}

impl EntraArgs {
    /// The live-scan options, or `None` without `--entra`.
    pub fn options(&self, live: &Live) -> Result<Option<Options>, Error> {
        if !self.entra {
            return Ok(None);
        }
        let imds = self
            .entra_imds_url
            .clone()
            .or_else(|| std::env::var("AZURE_POD_IDENTITY_AUTHORITY_HOST").ok())
            .unwrap_or_else(|| IMDS_URL.to_string());
        let auth = Auth::from_env(|v| std::env::var(v).ok(), &imds)?;
        Ok(Some(Options {
            graph_url: self.graph_url.trim_end_matches('/').to_string(),
            login_url: self.entra_login_url.trim_end_matches('/').to_string(),
            auth,
            snapshot_dir: self.entra_snapshot_dir.clone(),
            progress: live.progress.clone(),
            concurrency: live.concurrency,
        }))
    }
}
