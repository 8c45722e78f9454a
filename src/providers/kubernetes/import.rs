//! The offline format: what `kubectl get ... -o json` prints. A `v1` `List`
//! of mixed kinds, one List per kind, or a single object (the tracking
//! ConfigMap). Each item is parsed by its kind into a struct that has only
//! the fields nhiscan reads, so a Secret's `data` is never built.
//!
//! ServiceAccounts and token Secrets become items at once; RBAC objects,
//! pods, namespaces and the tracking date go into the [`Cluster`], which
//! enrichment resolves once every file has been read.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::cluster::{self, BindingEntry, Cluster, ClusterRoleEntry, PodUse, Shared};
use super::details::{AccountDetails, AccountFacts, ClusterDetails, CloudLink, TokenDetails, TokenFacts};
use super::objects::{self, ConfigMap, Head, List, Meta, Namespace, Pod, Role, Secret, ServiceAccount};
use super::{CLUSTER, ID, LEGACY_TOKEN, SERVICE_ACCOUNT};
use crate::error::{json_error, Error};
use crate::model::{time, Credential, Identity, Inventory, Item, LastUsed, Source, Status};

/// The scope when neither the flag nor the file names the cluster.
pub const DEFAULT_CLUSTER: &str = "cluster";
/// The source kind of an offline file.
pub const SOURCE_KIND: &str = "kubectl-json";

/// The kinds nhiscan reads from a List.
pub const KINDS: &[&str] = &[
    "ServiceAccount",
    "Secret",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "Pod",
    "ConfigMap",
    "Namespace",
];

/// The cluster name of a file: a top-level `"cluster"` string the user
/// added, else [`DEFAULT_CLUSTER`]; `--kube-cluster-name` renames it after
/// reading ([`rename_offline`]).
#[derive(serde::Deserialize)]
struct Named {
    #[serde(default)]
    cluster: Option<String>,
}

/// The line of `raw` within `text` (1-based), for errors.
fn line_of(text: &str, raw: &RawValue) -> usize {
    let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

fn parse<T: DeserializeOwned>(path: &Path, text: &str, raw: &RawValue) -> Result<T, Error> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let start = line_of(text, raw);
        Error::Input {
            path: path.to_path_buf(),
            line: Some(start + e.line().saturating_sub(1)),
            message: {
                let t = e.to_string();
                match t.rfind(" at line ") {
                    Some(i) => t[..i].to_string(),
                    None => t,
                }
            },
        }
    })
}

/// The id of an account.
pub fn account_id(cluster: &str, namespace: &str, name: &str) -> String {
    format!("k8s:{cluster}/{namespace}/serviceaccount/{name}")
}

/// The id of a cluster item.
pub fn cluster_id(cluster: &str) -> String {
    format!("k8s:{cluster}/cluster/{cluster}")
}

/// The cluster `name` in `inventory`, added when it is new.
pub fn cluster_of(inventory: &mut Inventory, name: &str, added: &mut Vec<Identity>) -> Shared {
    let id = cluster_id(name);
    if let Some(shared) = inventory
        .get(&id)
        .and_then(|i| i.item.details::<ClusterDetails>())
        .and_then(|d| d.cluster.clone())
    {
        return shared;
    }
    if let Some(shared) = added
        .iter()
        .find(|i| i.item.id == id)
        .and_then(|i| i.item.details::<ClusterDetails>())
        .and_then(|d| d.cluster.clone())
    {
        return shared;
    }
    let shared: Shared = Arc::new(Mutex::new(Cluster::new(name)));
    let mut item = Item::new(id, ID, name.to_string(), CLUSTER, name.to_string());
    item.details = Some(Box::new(ClusterDetails {
        kubernetes: Default::default(),
        cluster: Some(Arc::clone(&shared)),
    }));
    added.push(Identity::new(item));
    shared
}

fn timestamp(path: &Path, meta: &Meta) -> Result<Option<jiff::Timestamp>, Error> {
    meta.creation_timestamp
        .as_deref()
        .map(time::parse_timestamp)
        .transpose()
        .map_err(|message| Error::Input {
            path: path.to_path_buf(),
            line: None,
            message: format!("{} {}: {message}", meta.namespace.as_deref().unwrap_or(""), meta.name),
        })
}


/// Objects of one cluster, read from one file or one live read.
#[derive(Default)]
pub struct Batch {
    pub accounts: Vec<ServiceAccount>,
    pub secrets: Vec<Secret>,
    pub roles: Vec<Role>,
    pub cluster_roles: Vec<Role>,
    pub bindings: Vec<objects::Binding>,
    pub cluster_bindings: Vec<objects::Binding>,
    pub pods: Vec<Pod>,
    pub config_maps: Vec<ConfigMap>,
    pub namespaces: Vec<Namespace>,
    /// Items of other kinds, skipped.
    pub other: usize,
}

impl Batch {
    /// Parses the objects of a file (a List or a single object).
    pub fn parse(path: &Path, text: &str) -> Result<Batch, Error> {
        let head: Head = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let whole: &RawValue = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let items: Vec<&RawValue> = if head.kind == "List" || head.kind.ends_with("List") {
            let list: List = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
            list.items
        } else {
            vec![whole]
        };
        let mut batch = Batch::default();
        for raw in items {
            let kind: Head = parse(path, text, raw)?;
            match kind.kind.as_str() {
                "ServiceAccount" => batch.accounts.push(parse(path, text, raw)?),
                "Secret" => batch.secrets.push(parse(path, text, raw)?),
                "Role" => batch.roles.push(parse(path, text, raw)?),
                "ClusterRole" => batch.cluster_roles.push(parse(path, text, raw)?),
                "RoleBinding" => batch.bindings.push(parse(path, text, raw)?),
                "ClusterRoleBinding" => batch.cluster_bindings.push(parse(path, text, raw)?),
                "Pod" => batch.pods.push(parse(path, text, raw)?),
                "ConfigMap" => batch.config_maps.push(parse(path, text, raw)?),
                "Namespace" => batch.namespaces.push(parse(path, text, raw)?),
                "" => {
                    return Err(Error::Input {
                        path: path.to_path_buf(),
                        line: Some(line_of(text, raw)),
                        message: "a List item has no kind".into(),
                    })
                }
                _ => batch.other += 1,
            }
        }
        Ok(batch)
    }

    /// Adds the batch to cluster `name` in `inventory`, recording `source`.
    pub fn add(
        self,
        path: &Path,
        name: &str,
        mut source: Source,
        inventory: &mut Inventory,
    ) -> Result<(), Error> {
        let mut identities = Vec::new();
        let shared = cluster_of(inventory, name, &mut identities);
        let mut c = cluster::lock(&shared);
        c.changed();
        let count = |c: &mut Cluster, kind: &str, n: usize| {
            if n > 0 {
                *c.objects.entry(kind.to_string()).or_default() += n;
            }
        };
        count(&mut c, "ServiceAccount", self.accounts.len());
        count(&mut c, "Secret", self.secrets.len());
        count(&mut c, "Role", self.roles.len());
        count(&mut c, "ClusterRole", self.cluster_roles.len());
        count(&mut c, "RoleBinding", self.bindings.len());
        count(&mut c, "ClusterRoleBinding", self.cluster_bindings.len());
        count(&mut c, "Pod", self.pods.len());
        count(&mut c, "Namespace", self.namespaces.len());
        count(&mut c, "other", self.other);

        for sa in self.accounts {
            let ns = sa.metadata.namespace.clone().unwrap_or_default();
            c.accounts.insert(
                (ns.clone(), sa.metadata.name.clone()),
                sa.automount_service_account_token,
            );
            identities.push(account(path, name, &ns, sa, &shared)?);
        }
        for secret in self.secrets {
            if secret.type_.as_deref() != Some(objects::TOKEN_TYPE) {
                continue;
            }
            let Some(owner) = secret.metadata.annotations.get(objects::TOKEN_ACCOUNT).cloned()
            else {
                continue;
            };
            let ns = secret.metadata.namespace.clone().unwrap_or_default();
            let mut holder = stub(name, &ns, &owner, &shared);
            let token = token(path, &holder.item, secret)?;
            holder.credentials.push(token);
            identities.push(holder);
        }
        for r in self.roles {
            let ns = r.metadata.namespace.unwrap_or_default();
            c.roles.insert(
                (ns, r.metadata.name),
                super::details::Rules(Arc::new(r.rules)),
            );
        }
        for r in self.cluster_roles {
            c.cluster_roles.insert(
                r.metadata.name,
                ClusterRoleEntry {
                    rules: r.rules,
                    labels: r.metadata.labels,
                    selectors: r.aggregation_rule.map(|a| a.cluster_role_selectors),
                },
            );
        }
        for b in self.bindings.into_iter().chain(self.cluster_bindings) {
            c.bindings.push(BindingEntry::from(b));
        }
        for p in self.pods {
            c.pods_read = true;
            let ns = p.metadata.namespace.unwrap_or_default();
            let sa = p
                .spec
                .service_account_name
                .or(p.spec.service_account)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "default".into());
            let used: &mut PodUse = c.pods.entry((ns.clone(), sa)).or_default();
            used.count += 1;
            match p.spec.automount_service_account_token {
                Some(true) => used.mount += 1,
                Some(false) => {}
                None => used.unset += 1,
            }
            if used.examples.len() < 3 {
                used.examples.push(format!("{ns}/{}", p.metadata.name));
            }
        }
        for cm in self.config_maps {
            if cm.metadata.name == objects::TRACKING_CONFIGMAP
                && cm.metadata.namespace.as_deref().is_none_or(|n| n == "kube-system")
            {
                c.since = cm.data.and_then(|d| d.since);
            }
        }
        for n in self.namespaces {
            let mut tags = n.metadata.annotations;
            tags.extend(n.metadata.labels);
            c.namespaces.insert(n.metadata.name, tags);
        }
        drop(c);
        source.scope = name.to_string();
        inventory.add_source(source, identities);
        Ok(())
    }
}

/// An account named only by a token Secret, until (or unless) it is listed.
fn stub(cluster: &str, ns: &str, name: &str, shared: &Shared) -> Identity {
    let id = account_id(cluster, ns, name);
    let mut item = Item::new(id, ID, cluster.into(), SERVICE_ACCOUNT, format!("{ns}/{name}"));
    item.details = Some(Box::new(AccountDetails {
        kubernetes: AccountFacts {
            namespace: ns.into(),
            ..Default::default()
        },
        cluster: Some(Arc::clone(shared)),
    }));
    Identity::new(item)
}

fn account(
    path: &Path,
    cluster: &str,
    ns: &str,
    sa: ServiceAccount,
    shared: &Shared,
) -> Result<Identity, Error> {
    let mut identity = stub(cluster, ns, &sa.metadata.name, shared);
    let item = &mut identity.item;
    item.created_at = timestamp(path, &sa.metadata)?;
    item.native_id = sa.metadata.uid.clone();
    let cloud_links: Vec<CloudLink> = super::cloud::LINK_ANNOTATIONS
        .iter()
        .filter_map(|(cloud, key)| {
            let target = sa.metadata.annotations.get(*key)?.trim();
            (!target.is_empty()).then(|| CloudLink {
                cloud: cloud.to_string(),
                annotation: key.to_string(),
                target: target.to_string(),
            })
        })
        .collect();
    item.details = Some(Box::new(AccountDetails {
        kubernetes: AccountFacts {
            namespace: ns.into(),
            automount_token: sa.automount_service_account_token,
            cloud_links,
            listed: true,
            ..Default::default()
        },
        cluster: Some(Arc::clone(shared)),
    }));
    let mut tags = sa.metadata.annotations;
    tags.extend(sa.metadata.labels);
    identity.tags = tags;
    Ok(identity)
}

/// A day (`2024-01-31`, as the legacy-token labels and `since` write it) or a timestamp.
pub fn day(text: &str) -> Option<jiff::Timestamp> {
    let text = text.trim();
    if let Ok(d) = text.parse::<jiff::civil::Date>() {
        return d.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    time::parse_timestamp(text).ok()
}

/// A legacy token's last use: its label; else "never" when it was created
/// after tracking began (`since`); else unknown.
pub fn last_used(
    label: Option<&str>,
    created: Option<jiff::Timestamp>,
    since: Option<&str>,
) -> LastUsed {
    if let Some(t) = label.and_then(day) {
        return LastUsed::At(t);
    }
    match (created, since.and_then(day)) {
        (Some(c), Some(s)) if c >= s => LastUsed::Never,
        _ => LastUsed::Unknown,
    }
}

fn token(path: &Path, holder: &Item, secret: Secret) -> Result<Credential, Error> {
    let meta = secret.metadata;
    let id = format!("{}/{}/{}", holder.id, LEGACY_TOKEN.as_str(), meta.name);
    let mut item = Item::new(
        id,
        ID,
        holder.scope.clone(),
        LEGACY_TOKEN,
        format!("{}/{}", meta.namespace.as_deref().unwrap_or(""), meta.name),
    );
    item.created_at = timestamp(path, &meta)?;
    item.native_id = meta.uid.clone();
    let facts = TokenFacts {
        secret: meta.name.clone(),
        last_used_label: meta.labels.get(objects::LAST_USED_LABEL).cloned(),
        invalid_since: meta.labels.get(objects::INVALID_SINCE_LABEL).cloned(),
        tracking_since: None,
    };
    item.last_used = last_used(facts.last_used_label.as_deref(), item.created_at, None);
    if facts.invalid_since.is_some() {
        item.status = Status::Inactive;
    }
    item.details = Some(Box::new(TokenDetails { kubernetes: facts }));
    Ok(Credential::new(holder, item))
}

/// Reads one `kubectl get ... -o json` file.
pub fn import(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    let named: Named = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    let name = named
        .cluster
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_CLUSTER.to_string());
    let batch = Batch::parse(path, text)?;
    let source = Source::new(ID, SOURCE_KIND, path.display().to_string());
    batch.add(path, &name, source, inventory)
}

/// `--kube-cluster-name`: gives every cluster read from kubectl files the
/// name `to`, in ids, scopes and sources. Clusters of several files that
/// named themselves differently become one cluster, so their objects are
/// resolved together, as if the files had named it `to`.
pub fn rename_offline(inventory: &mut Inventory, to: &str) {
    let from: std::collections::BTreeSet<String> = inventory
        .sources
        .iter()
        .filter(|s| s.provider == ID && s.kind == SOURCE_KIND && s.scope != to)
        .map(|s| s.scope.clone())
        .collect();
    if from.is_empty() {
        return;
    }
    let mut old = std::mem::take(inventory);
    inventory.sources = std::mem::take(&mut old.sources);
    inventory.warnings = std::mem::take(&mut old.warnings);
    for s in &mut inventory.sources {
        if s.provider == ID && from.contains(&s.scope) {
            s.scope = to.to_string();
        }
    }
    // The survivor: the cluster already named `to`, else the first renamed.
    let mut survivor: Option<Shared> = old
        .get(&cluster_id(to))
        .and_then(|i| i.item.details::<ClusterDetails>())
        .and_then(|d| d.cluster.clone());
    let mut merged: Vec<Shared> = Vec::new();
    let placeholder = || {
        Identity::new(Item::new(
            String::new(),
            ID,
            String::new(),
            CLUSTER,
            String::new(),
        ))
    };
    let mut moved = Vec::new();
    for identity in old.identities_mut() {
        let mut identity = std::mem::replace(identity, placeholder());
        if identity.item.provider == ID && from.contains(&identity.item.scope) {
            let prefix = format!("k8s:{}/", identity.item.scope);
            let renamed = |id: &str| match id.strip_prefix(&prefix) {
                Some(rest) => format!("k8s:{to}/{rest}"),
                None => id.to_string(),
            };
            if identity.item.kind == CLUSTER {
                identity.item.id = cluster_id(to);
                identity.item.name = to.to_string();
                if let Some(shared) = identity
                    .item
                    .details::<ClusterDetails>()
                    .and_then(|d| d.cluster.clone())
                {
                    match &survivor {
                        Some(s) if Arc::ptr_eq(s, &shared) => {}
                        Some(_) => merged.push(shared),
                        None => survivor = Some(shared),
                    }
                }
            } else {
                identity.item.id = renamed(&identity.item.id);
            }
            identity.item.scope = to.to_string();
            for c in &mut identity.credentials {
                c.item.id = renamed(&c.item.id);
                c.parent_id = identity.item.id.clone();
                c.item.scope = to.to_string();
            }
        }
        moved.push(identity);
    }
    drop(old);
    let Some(survivor) = survivor else {
        moved.into_iter().for_each(|i| inventory.add(i));
        return;
    };
    {
        let mut target = cluster::lock(&survivor);
        target.name = to.to_string();
        for other in &merged {
            let mut o = cluster::lock(other);
            target.absorb(&mut o);
        }
        target.changed();
    }
    for mut identity in moved {
        let repoint = |c: &mut Option<Shared>| {
            if let Some(shared) = c {
                if merged.iter().any(|m| Arc::ptr_eq(m, shared)) {
                    *shared = Arc::clone(&survivor);
                }
            }
        };
        if let Some(d) = identity.item.details_mut::<AccountDetails>() {
            repoint(&mut d.cluster);
        } else if let Some(d) = identity.item.details_mut::<ClusterDetails>() {
            repoint(&mut d.cluster);
        }
        inventory.add(identity);
    }
}
