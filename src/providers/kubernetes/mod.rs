//! Kubernetes: ServiceAccounts, their legacy token Secrets, and what RBAC
//! lets them do, from a live cluster (`--k8s`, `--kube-context`) or from
//! `kubectl get ... -o json` output (`--input`).
//!
//! - [`objects`]: the API objects, only the fields nhiscan reads (a Secret's
//!   `data` is never parsed);
//! - [`import`]: files into items and the shared [`cluster::Cluster`];
//! - [`live`]: `scan --k8s`, the API server read into the same batches;
//! - [`cli`]: the `scan` flags;
//! - [`cluster`]: bindings resolved to the accounts they reach (groups,
//!   aggregation, RoleBindings to ClusterRoles);
//! - [`rbac`]: privilege levels and escalation paths from the grants;
//! - [`details`]: the typed facts each item carries;
//! - [`rules`]: `default-service-account-bound`, `unused-service-account`.

pub mod cli;
pub mod cloud;
pub mod cluster;
pub mod config;
pub mod details;
pub mod import;
pub mod live;
pub mod objects;
pub mod rbac;
pub mod rules;

use std::path::Path;
use std::sync::Arc;

use clap::{Args, FromArgMatches};

use self::details::{AccountDetails, ClusterDetails, TokenDetails};
use crate::config::{Loaded, Section};
use crate::error::Error;
use crate::model::{
    ActsAs, Class, Details, Identity, Inventory, Kind, KindInfo, Owner, OwnerSource, ProviderId,
};
use crate::providers::input::Sniff;
use crate::providers::{Collector, Importer, Live, Provider};

/// The provider id, in output and config. Item ids start with `k8s:`.
pub const ID: ProviderId = "kubernetes";
/// The platform's name.
pub const NAME: &str = "Kubernetes";

/// A ServiceAccount.
pub const SERVICE_ACCOUNT: Kind = Kind(&KindInfo::new("serviceaccount", Class::ServiceAccount));
/// A legacy token Secret (`kubernetes.io/service-account-token`). It cannot
/// be given an expiry, but the cluster can issue expiring tokens instead, so
/// a missing expiry is a choice (`no-expiry`).
pub const LEGACY_TOKEN: Kind = Kind(&KindInfo::new("legacy-token", Class::Token).expiring());
/// A cluster: holds the accounts, acts as nothing itself.
pub const CLUSTER: Kind = Kind(&KindInfo::new("cluster", Class::Container).container());

/// The Kubernetes provider.
pub struct Kubernetes;

impl Provider for Kubernetes {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn kinds(&self) -> &'static [Kind] {
        &[SERVICE_ACCOUNT, LEGACY_TOKEN, CLUSTER]
    }

    fn rules(&self) -> &'static [&'static dyn crate::rules::Rule] {
        &rules::RULES
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "no-expiry" | "unused-credential" | "never-used" | "inactive-credential" => {
                "Delete the token Secret (kubectl delete secret -n NAMESPACE NAME); workloads get \
                 short-lived tokens from the TokenRequest API or a projected volume instead."
            }
            "admin-privilege" => {
                "Replace the cluster-admin (or * on *) binding with a Role bound in the namespace \
                 the workload uses, listing the resources and verbs it calls."
            }
            "privilege-escalation" | "wildcard-privilege" => {
                "Remove the named verbs and resources from the role, or bind it in fewer \
                 namespaces; keep secrets, pods/exec, bind, escalate and impersonate for admins."
            }
            "missing-owner" => {
                "Label the ServiceAccount (or its namespace) with owner=TEAM, or map its id to an \
                 owner with an [[owners]] entry in nhiscan.toml."
            }
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[&KubectlJson]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "kubernetes-cluster.json",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/demo/kubernetes-cluster.json"
            )),
        )]
    }

    fn config(&self) -> Option<&'static dyn Section> {
        Some(&config::KubernetesSection)
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        cli::KubernetesArgs::augment_args(cmd)
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--k8s")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args = cli::KubernetesArgs::from_arg_matches(matches)
            .map_err(|e| Error::Usage(e.to_string()))?;
        let options = args.options(ctx)?;
        // With a live read, --kube-cluster-name names the live cluster;
        // otherwise it names the clusters of the kubectl files.
        let rename = match &options {
            Some(_) => None,
            None => args.offline_name(),
        };
        if options.is_none() && rename.is_none() {
            return Ok(None);
        }
        Ok(Some(Box::new(move |inventory: &mut Inventory| {
            if let Some(name) = &rename {
                import::rename_offline(inventory, name);
            }
            if let Some(options) = &options {
                live::collect(options, inventory);
            }
            Ok(())
        })))
    }

    fn assess(&self, identity: &mut Identity, config: &Loaded) {
        if identity.item.kind == SERVICE_ACCOUNT {
            assess_account(identity, config::Settings::of(config));
        } else if identity.item.kind == CLUSTER {
            if let Some(d) = identity.item.details_mut::<ClusterDetails>() {
                if let Some(shared) = d.cluster.take() {
                    let c = cluster::lock(&shared);
                    d.kubernetes.tracking_since = c.since.clone();
                    d.kubernetes.objects = c.objects.clone();
                }
            }
        }
    }

    fn classify(&self, identity: &Identity, _config: &Loaded) -> Option<(bool, String)> {
        Some((false, format!("Kubernetes {}", identity.item.kind)))
    }

    fn computes_privilege(&self) -> bool {
        true
    }

    fn details_from_wire(
        &self,
        kind: Kind,
        _credential: bool,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        details::from_wire(kind.as_str(), fields)
    }
}

/// `kubectl get ... -o json` output: a `List` (of mixed kinds or one), or
/// one object of a kind nhiscan reads (the tracking ConfigMap).
pub struct KubectlJson;

impl Importer for KubectlJson {
    fn detect(&self, sniff: &Sniff) -> bool {
        sniff.is_json()
            && sniff.has_key("apiVersion")
            && sniff.has_key("kind")
            && (sniff.has_key("items") || import::KINDS.iter().any(|k| sniff.mentions(k)))
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        import::import(path, text, inventory)
    }
}

/// The first of `keys` with a non-empty value in `tags`, as `(value, key)`.
fn owner_in(tags: &std::collections::BTreeMap<String, String>, keys: &[String]) -> Option<(String, String)> {
    keys.iter().find_map(|k| {
        let v = tags.get(k)?.trim();
        (!v.is_empty()).then(|| (v.to_string(), k.clone()))
    })
}

/// Resolves an account against its cluster (once every file is read), then
/// works out its privilege, usage, owner and whether the platform runs it.
fn assess_account(identity: &mut Identity, settings: &config::Settings) {
    let (ns, name) = identity
        .item
        .name
        .split_once('/')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap_or_default();
    let mut since = None;
    let mut resolved_here = false;
    if let Some(d) = identity.item.details_mut::<AccountDetails>() {
        if let Some(shared) = d.cluster.take() {
            resolved_here = true;
            let mut c = cluster::lock(&shared);
            let r = c.resolved();
            let key = (ns.clone(), name.clone());
            let f = &mut d.kubernetes;
            f.grants = r.grants(&key);
            f.workload_targets = r.targets(&key);
            f.pods_read = c.pods_read;
            if let Some(p) = c.pods.get(&key) {
                f.pods = p.count;
                let account_mounts = f.automount_token != Some(false);
                f.pods_mounting_token = p.mount + if account_mounts { p.unset } else { 0 };
                f.pod_examples = p.examples.clone();
            }
            f.namespace_owner = c
                .namespaces
                .get(&ns)
                .and_then(|tags| owner_in(tags, &settings.owner_keys));
            since = c.since.clone();
        }
    }
    if resolved_here {
        for c in &mut identity.credentials {
            let created = c.item.created_at;
            if let Some(t) = c.item.details_mut::<TokenDetails>() {
                t.kubernetes.tracking_since = since.clone();
                let label = t.kubernetes.last_used_label.clone();
                c.item.last_used = import::last_used(label.as_deref(), created, since.as_deref());
            }
        }
    }
    let Some(facts) = identity.item.details::<AccountDetails>().map(|d| &d.kubernetes) else {
        return;
    };
    let privilege = rbac::privilege(&facts.grants, &facts.workload_targets);
    let namespace_owner = facts.namespace_owner.clone();
    // The cloud identities it can act as: enrichment chains them to the
    // identities the scan holds (also for a saved scan, from its links).
    let acts_as = facts
        .cloud_links
        .iter()
        .map(|l| ActsAs {
            target: cloud::link_target(&l.cloud, &l.target),
            via: format!("annotation {}", l.annotation),
        })
        .collect();
    identity.item.privilege = Arc::new(privilege);
    identity.item.reported.acts_as = acts_as;

    let item = &mut identity.item;
    if settings.system_namespaces.contains(&ns) && !settings.include_system {
        item.platform_managed = true;
        item.reported.owner = Some(Owner {
            name: NAME.into(),
            source: OwnerSource::Provider,
            evidence: format!("system namespace {ns}"),
            departed: false,
        });
        return;
    }
    item.reported.owner = owner_in(&identity.tags, &settings.owner_keys)
        .map(|(value, key)| Owner {
            name: value,
            source: OwnerSource::Tag,
            evidence: format!("label or annotation {key}"),
            departed: false,
        })
        .or_else(|| {
            namespace_owner.map(|(value, key)| Owner {
                name: value,
                source: OwnerSource::Tag,
                evidence: format!("namespace {ns} label or annotation {key}"),
                departed: false,
            })
        });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{LastUsed, PrivilegeLevel, Status};
    use crate::providers::input;
    use crate::scan::enrich::enrich;

    fn load(files: &[(&str, &str)]) -> Inventory {
        let mut inventory = Inventory::default();
        for (name, text) in files {
            input::load_text(Path::new(name), text, &mut inventory).unwrap();
        }
        enrich(&mut inventory, &Loaded::defaults());
        inventory
    }

    #[test]
    fn the_demo_cluster_tells_its_story() {
        let (name, text) = Kubernetes.demo()[0];
        let inv = load(&[(name, text)]);
        let deployer = inv.get("k8s:demo-eks/ci/serviceaccount/deployer").unwrap();
        assert_eq!(deployer.item.privilege.level, PrivilegeLevel::Admin);
        let d = deployer.item.details::<AccountDetails>().unwrap();
        assert!(d.kubernetes.cloud_links[0].target.ends_with(":role/build-runner"));
        assert_eq!(d.kubernetes.pods, 1);
        assert_eq!(deployer.item.owner.as_ref().unwrap().name, "platform");

        let builder = inv.get("k8s:demo-eks/ci/serviceaccount/legacy-builder").unwrap();
        assert_eq!(builder.item.privilege.level, PrivilegeLevel::Privileged, "aggregated secrets read");
        let token = &builder.credentials[0].item;
        assert_eq!(token.id, "k8s:demo-eks/ci/serviceaccount/legacy-builder/legacy-token/legacy-builder-token");
        assert_eq!(token.last_used, LastUsed::At("2024-02-10T00:00:00Z".parse().unwrap()));
        assert_eq!(token.status, Status::Active);

        let billing = inv.get("k8s:demo-eks/payments/serviceaccount/billing").unwrap();
        assert_eq!(billing.credentials[0].item.last_used, LastUsed::Never, "created after tracking began");
        let system = inv.get("k8s:demo-eks/kube-system/serviceaccount/replicaset-controller").unwrap();
        assert!(system.item.platform_managed);
    }
}
