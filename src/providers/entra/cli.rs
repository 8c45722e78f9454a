//! `scan`'s Entra flags, turned into [`Options`](super::live::Options).

use std::path::PathBuf;

use clap::Args;

use super::live::{Auth, Options, GRAPH_URL, LOGIN_URL};
use crate::error::Error;
use crate::providers::Live;

#[derive(Debug, Args)]
#[command(next_help_heading = "Live Microsoft Entra ID")]
pub struct EntraArgs {
    /// Read a Microsoft Entra tenant through Microsoft Graph (AZURE_TENANT_ID, with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE, else the Azure CLI's token).
    #[arg(long)]
    pub entra: bool,

    /// The Microsoft Graph root, e.g. https://graph.microsoft.us for US Government.
    #[arg(long, value_name = "URL", default_value = GRAPH_URL, requires = "entra")]
    pub graph_url: String,

    /// The Entra sign-in root, e.g. https://login.microsoftonline.us.
    #[arg(long, value_name = "URL", default_value = LOGIN_URL, requires = "entra")]
    pub entra_login_url: String,

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
        let auth = Auth::from_env(|v| std::env::var(v).ok())?;
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
