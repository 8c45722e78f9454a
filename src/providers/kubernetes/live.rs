//! `nhiscan scan --k8s`: reads clusters through the API server with the
//! `kube` crate (rustls on aws-lc-rs), GET only, and feeds the same
//! [`Batch`] the offline importer builds, so there is one conversion.
//!
//! - Which clusters: each `--kube-context NAME` (from `KUBECONFIG` or
//!   `~/.kube/config`), else the current context, else the in-cluster
//!   config when nhiscan runs as a pod. Each is its own source and scope.
//! - What: ServiceAccounts, Roles, RoleBindings, ClusterRoles (aggregated
//!   ones carry their merged rules and selectors), ClusterRoleBindings,
//!   Pods and Namespaces, each listed with `limit`/`continue`; token
//!   Secrets by **metadata only** (`fieldSelector=type=kubernetes.io/service-account-token`
//!   and `Accept: ...;as=PartialObjectMetadataList`), so no token value is
//!   ever sent to nhiscan; and the tracking ConfigMap when allowed.
//! - Bounds: a timeout per request, a deadline per source, a page cap per
//!   listing and a guard against a `continue` token seen before
//!   ([`Limits`], shared with the other providers).
//! - Failures: a 401 (or a cluster nhiscan cannot reach) fails the source;
//!   a 403 (or any other error) on one kind after the first makes it
//!   partial, with the reason.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::params::ListParams;
use kube::core::Request;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::import::Batch;
use super::objects::{ConfigMap, Secret, TOKEN_TYPE, TRACKING_CONFIGMAP};
use super::ID;
use crate::model::{Inventory, Source, SourceStatus};
use crate::progress::Progress;
use crate::providers::http::{self, Limits};

/// The source kind of a live read.
pub const SOURCE_KIND: &str = "kubernetes-api";
/// Objects per page (`limit`).
pub const PAGE_SIZE: u32 = 500;
/// The cluster name of an in-cluster read, unless `--kube-cluster-name` says otherwise.
pub const IN_CLUSTER: &str = "in-cluster";

/// What to read.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--kube-context`, in order; empty for the current context.
    pub contexts: Vec<String>,
    /// `--kube-cluster-name`: names the one cluster read (not allowed with several contexts).
    pub cluster_name: Option<String>,
    pub limits: Limits,
    pub page_size: u32,
    pub progress: Progress,
}

/// One cluster to read: its name (scope) and how to connect.
struct Target {
    name: String,
    config: Result<kube::Config, String>,
}

/// Reads every cluster the options name, one source each. A failure becomes
/// a failed or partial source, never an error.
pub fn collect(options: &Options, inventory: &mut Inventory) {
    let read = http::block_on(async {
        let mut done = Vec::new();
        for target in targets(options).await {
            options
                .progress
                .message(format!("Kubernetes: reading cluster {}", target.name));
            let result = match target.config {
                Ok(config) => {
                    let location = config.cluster_url.to_string();
                    let deadline = options.limits.source_deadline;
                    match tokio::time::timeout(deadline, read(config, options)).await {
                        Ok(r) => (location, r),
                        Err(_) => (
                            location,
                            Read::failed(format!(
                                "the source deadline of {} s passed (NHISCAN_SOURCE_DEADLINE_SECS)",
                                deadline.as_secs()
                            )),
                        ),
                    }
                }
                Err(e) => (String::from("kubeconfig"), Read::failed(e)),
            };
            done.push((target.name, result));
        }
        done
    });
    let reads = match read {
        Ok(r) => r,
        Err(e) => {
            let mut source = Source::new(ID, SOURCE_KIND, "kubeconfig");
            source.status = SourceStatus::Failed;
            source.error = Some(e.to_string());
            inventory.add_source(source, Vec::new());
            return;
        }
    };
    for (name, (location, read)) in reads {
        let mut source = Source::new(ID, SOURCE_KIND, location.clone());
        source.api_calls = read.calls;
        if let Some(reason) = read.failed {
            source.scope = name;
            source.status = SourceStatus::Failed;
            source.error = Some(reason);
            inventory.add_source(source, Vec::new());
            continue;
        }
        if !read.problems.is_empty() {
            source.status = SourceStatus::Partial;
            source.error = Some(read.problems.join("; "));
        }
        // The batch only holds fields the offline format has, and a live
        // read cannot be malformed the way a file can: a conversion error
        // (a bad timestamp) fails the source instead of the scan.
        let path = Path::new(&location);
        let fallback = source.clone();
        if let Err(e) = read.batch.add(path, &name, source, inventory) {
            let mut source = fallback;
            source.scope = name;
            source.status = SourceStatus::Failed;
            source.error = Some(e.to_string());
            inventory.add_source(source, Vec::new());
        }
    }
}

/// The clusters to read, with their connection settings.
async fn targets(options: &Options) -> Vec<Target> {
    let timeouts = |mut c: kube::Config| {
        let t = options.limits.request_timeout;
        c.connect_timeout = Some(t.min(Duration::from_secs(30)));
        c.read_timeout = Some(t);
        c.write_timeout = Some(t);
        c
    };
    if !options.contexts.is_empty() {
        let mut out = Vec::new();
        for context in &options.contexts {
            let opts = KubeConfigOptions {
                context: Some(context.clone()),
                ..Default::default()
            };
            let config = kube::Config::from_kubeconfig(&opts)
                .await
                .map(timeouts)
                .map_err(|e| format!("kubeconfig context {context}: {}", chain(&e)));
            let name = match (&options.cluster_name, options.contexts.len()) {
                (Some(n), 1) => n.clone(),
                _ => context.clone(),
            };
            out.push(Target { name, config });
        }
        return out;
    }
    // The current context of the kubeconfig, else the pod's own account.
    match Kubeconfig::read() {
        Ok(kubeconfig) => {
            let current = kubeconfig.current_context.clone().unwrap_or_default();
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
                .await
                .map(timeouts)
                .map_err(|e| format!("kubeconfig current context {current:?}: {}", chain(&e)));
            let name = options.cluster_name.clone().unwrap_or(current);
            vec![Target { name, config }]
        }
        Err(kubeconfig) => {
            let config = kube::Config::incluster().map(timeouts).map_err(|e| {
                format!(
                    "no kubeconfig ({}) and not running in a pod ({})",
                    chain(&kubeconfig),
                    chain(&e)
                )
            });
            let name = options
                .cluster_name
                .clone()
                .unwrap_or_else(|| IN_CLUSTER.into());
            vec![Target { name, config }]
        }
    }
}

/// An error and its causes, `: `-joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// What one cluster gave.
#[derive(Default)]
struct Read {
    batch: Batch,
    /// Why kinds are missing (the source is partial).
    problems: Vec<String>,
    /// Why nothing could be read (the source failed).
    failed: Option<String>,
    calls: BTreeMap<String, u64>,
}

impl Read {
    fn failed(reason: String) -> Self {
        Read {
            failed: Some(reason),
            ..Default::default()
        }
    }
}

/// One page of a List, as the API server sends it (`metadata.continue`,
/// `items`). Items of a typed List carry no `kind`; the request says it.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Page<T> {
    #[serde(default)]
    metadata: ListMeta,
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

#[derive(Default, Deserialize)]
struct ListMeta {
    #[serde(rename = "continue", default)]
    continue_: Option<String>,
}

/// Why one request failed.
#[derive(Debug)]
struct Failure {
    /// The HTTP status, when the server answered.
    status: Option<u16>,
    text: String,
}

impl Failure {
    fn of(kind: &str, e: kube::Error) -> Self {
        match e {
            kube::Error::Api(s) => {
                let mut text = format!("{kind}: HTTP {}", s.code);
                if !s.reason.is_empty() {
                    text.push_str(&format!(" {}", s.reason));
                }
                if !s.message.is_empty() {
                    text.push_str(&format!(": {}", http::short_message(&s.message)));
                }
                Failure {
                    status: Some(s.code),
                    text,
                }
            }
            other => Failure {
                status: None,
                text: format!("{kind}: {}", chain(&other)),
            },
        }
    }
}

/// The API paths nhiscan lists: `(kind, path, metadata only)`.
const LISTS: &[(&str, &str, bool)] = &[
    ("ServiceAccount", "/api/v1/serviceaccounts", false),
    ("Secret", "/api/v1/secrets", true),
    ("Role", "/apis/rbac.authorization.k8s.io/v1/roles", false),
    (
        "ClusterRole",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        false,
    ),
    (
        "RoleBinding",
        "/apis/rbac.authorization.k8s.io/v1/rolebindings",
        false,
    ),
    (
        "ClusterRoleBinding",
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        false,
    ),
    ("Pod", "/api/v1/pods", false),
    ("Namespace", "/api/v1/namespaces", false),
];

/// Reads one cluster.
async fn read(config: kube::Config, options: &Options) -> Read {
    let mut out = Read::default();
    let client = match kube::Client::try_from(config) {
        Ok(c) => c,
        Err(e) => return Read::failed(format!("cannot build the client: {}", chain(&e))),
    };
    for (i, (kind, path, metadata)) in LISTS.iter().enumerate() {
        let result = match *kind {
            "ServiceAccount" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.accounts = v),
            "Secret" => list::<Secret>(&client, options, &mut out.calls, kind, path, *metadata)
                .await
                .map(|mut v| {
                    // Metadata carries no `type`: the field selector chose it.
                    v.iter_mut()
                        .for_each(|s| s.type_ = Some(TOKEN_TYPE.to_string()));
                    out.batch.secrets = v
                }),
            "Role" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.roles = v),
            "ClusterRole" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.cluster_roles = v),
            "RoleBinding" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.bindings = v),
            "ClusterRoleBinding" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.cluster_bindings = v),
            "Pod" => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.pods = v),
            _ => list(&client, options, &mut out.calls, kind, path, false)
                .await
                .map(|v| out.batch.namespaces = v),
        };
        if let Err(f) = result {
            // Nothing can be read without the accounts, or without a login.
            if i == 0 || f.status == Some(401) {
                out.failed = Some(f.text);
                return out;
            }
            out.problems.push(f.text);
        }
    }
    // The tracking date, when the cluster lets nhiscan read it: without it
    // last use stays unknown for tokens without a label, which is honest.
    let request = Request::new("/api/v1/namespaces/kube-system/configmaps")
        .get(TRACKING_CONFIGMAP, &Default::default());
    *out.calls.entry("get ConfigMap".into()).or_default() += 1;
    if let Ok(request) = request {
        if let Ok(text) = client.request_text(request).await {
            if let Ok(cm) = serde_json::from_str::<ConfigMap>(&text) {
                out.batch.config_maps.push(cm);
            }
        }
    }
    out
}

/// Every item of one List, page by page (`limit`, `continue`), bounded by
/// the page cap and refusing a `continue` token seen before.
async fn list<T: DeserializeOwned>(
    client: &kube::Client,
    options: &Options,
    calls: &mut BTreeMap<String, u64>,
    kind: &str,
    path: &str,
    metadata: bool,
) -> Result<Vec<T>, Failure> {
    let request = Request::new(path);
    let mut seen = HashSet::new();
    let mut token: Option<String> = None;
    let mut all = Vec::new();
    let operation = format!("list {kind}");
    for page in 0.. {
        if page >= options.limits.max_pages {
            return Err(Failure {
                status: None,
                text: format!(
                    "{kind}: more than {} pages (NHISCAN_MAX_PAGES)",
                    options.limits.max_pages
                ),
            });
        }
        let mut lp = ListParams::default().limit(options.page_size);
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        if metadata {
            lp = lp.fields(&format!("type={TOKEN_TYPE}"));
        }
        let built = if metadata {
            request.list_metadata(&lp)
        } else {
            request.list(&lp)
        };
        let http_request = built.map_err(|e| Failure {
            status: None,
            text: format!("{kind}: {e}"),
        })?;
        *calls.entry(operation.clone()).or_default() += 1;
        let text = client
            .request_text(http_request)
            .await
            .map_err(|e| Failure::of(kind, e))?;
        let page: Page<T> = serde_json::from_str(&text).map_err(|e| Failure {
            status: None,
            text: format!("{kind}: unexpected List body: {e}"),
        })?;
        drop(text);
        all.extend(page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            None => break,
            Some(next) => {
                if !seen.insert(next.clone()) {
                    return Err(Failure {
                        status: None,
                        text: format!("{kind}: the server sent a continue token again (a loop)"),
                    });
                }
                token = Some(next);
            }
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_page_never_keeps_data() {
        let text = r#"{"kind":"SecretList","apiVersion":"v1","metadata":{"continue":"abc"},
            "items":[{"metadata":{"name":"t","namespace":"ns"},"type":"kubernetes.io/service-account-token",
            "data":{"token":"Y2FuYXJ5LXRva2Vu"}}]}"#;
        let page: Page<Secret> = serde_json::from_str(text).unwrap();
        assert_eq!(page.metadata.continue_.as_deref(), Some("abc"));
        assert!(!format!("{:?}", page.items).contains("Y2FuYXJ5"));
    }
}
