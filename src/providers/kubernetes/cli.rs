//! `scan`'s Kubernetes flags, turned into [`Options`](super::live::Options)
//! for a live read and into the cluster name of offline files.

use clap::Args;

use super::live::{Options, PAGE_SIZE};
use crate::error::Error;
use crate::providers::http::Limits;
use crate::providers::Live;

/// `scan`'s Kubernetes flags.
#[derive(Debug, Args)]
#[command(next_help_heading = "Kubernetes")]
pub struct KubernetesArgs {
    /// Read the current kubeconfig context's cluster (KUBECONFIG, else ~/.kube/config; in a pod, its own service account), or each --kube-context.
    #[arg(long)]
    pub k8s: bool,

    /// A kubeconfig context to read; repeat it for several clusters, each its own source and scope (implies --k8s).
    #[arg(long, value_name = "NAME")]
    pub kube_context: Vec<String>,

    /// The cluster name in ids and scopes: for `kubectl ... -o json` input (default: the file's
    /// top-level "cluster" field, else "cluster") and for a live read of one cluster (default: the
    /// context's name).
    #[arg(long, value_name = "NAME")]
    pub kube_cluster_name: Option<String>,
}

impl KubernetesArgs {
    /// The live-scan options, or `None` without `--k8s` or `--kube-context`.
    pub fn options(&self, live: &Live) -> Result<Option<Options>, Error> {
        if !self.k8s && self.kube_context.is_empty() {
            return Ok(None);
        }
        if self.kube_context.len() > 1 && self.kube_cluster_name.is_some() {
            return Err(Error::Usage(
                "--kube-cluster-name names one cluster; with several --kube-context each cluster \
                 is named after its context"
                    .into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = self.kube_context.iter().find(|c| !seen.insert(*c)) {
            return Err(Error::Usage(format!("--kube-context {dup} is given twice")));
        }
        Ok(Some(Options {
            contexts: self.kube_context.clone(),
            cluster_name: self.kube_cluster_name.clone(),
            limits: Limits::from_env(),
            page_size: PAGE_SIZE,
            progress: live.progress.clone(),
        }))
    }

    /// The name `--kube-cluster-name` gives offline clusters, when it applies
    /// to them (not when it names the one live cluster).
    pub fn offline_name(&self) -> Option<String> {
        self.kube_cluster_name
            .clone()
            .filter(|n| !n.trim().is_empty())
    }
}
