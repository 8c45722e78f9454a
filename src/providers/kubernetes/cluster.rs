//! One cluster's RBAC objects and pods, gathered from every source that
//! describes it, then resolved once: which roles reach each ServiceAccount
//! (its own bindings and its groups'), aggregation included.
//!
//! Kubernetes objects of one cluster often come in several files (one List
//! per kind), so nothing is resolved while reading: each file adds to the
//! [`Cluster`], and enrichment asks it for an account's [`Grant`]s.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use super::details::{Grant, Rules};
use super::objects::{Binding, LabelSelector, PolicyRule, Subject};
use super::rbac;
use crate::model::PrivilegeLevel;

/// A cluster shared by its items until enrichment.
pub type Shared = Arc<Mutex<Cluster>>;

/// Locks a cluster; a panic elsewhere never poisons it for good.
pub fn lock(shared: &Shared) -> MutexGuard<'_, Cluster> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// An account's key: namespace and name.
pub type Key = (String, String);

/// Everything read about one cluster.
#[derive(Debug, Default)]
pub struct Cluster {
    pub name: String,
    /// Every ServiceAccount listed.
    pub accounts: BTreeMap<Key, Option<bool>>,
    /// Roles by namespace and name.
    pub roles: HashMap<Key, Rules>,
    pub cluster_roles: BTreeMap<String, ClusterRoleEntry>,
    pub bindings: Vec<BindingEntry>,
    /// Pods by the account they run as.
    pub pods: HashMap<Key, PodUse>,
    /// Whether any Pod was read.
    pub pods_read: bool,
    /// Each namespace's labels and annotations (labels win).
    pub namespaces: HashMap<String, BTreeMap<String, String>>,
    /// The tracking ConfigMap's `since`.
    pub since: Option<String>,
    /// Objects read, by kind.
    pub objects: BTreeMap<String, usize>,
    resolved: Option<Arc<Resolved>>,
}

/// A ClusterRole as read.
#[derive(Debug, Default)]
pub struct ClusterRoleEntry {
    pub rules: Vec<PolicyRule>,
    pub labels: BTreeMap<String, String>,
    /// `aggregationRule.clusterRoleSelectors`, when it aggregates.
    pub selectors: Option<Vec<LabelSelector>>,
}

/// A RoleBinding (`namespace` set) or a ClusterRoleBinding.
#[derive(Debug)]
pub struct BindingEntry {
    pub namespace: Option<String>,
    pub name: String,
    pub role_kind: String,
    pub role_name: String,
    pub subjects: Vec<Subject>,
}

impl From<Binding> for BindingEntry {
    fn from(b: Binding) -> Self {
        BindingEntry {
            namespace: b.metadata.namespace,
            name: b.metadata.name,
            role_kind: b.role_ref.kind,
            role_name: b.role_ref.name,
            subjects: b.subjects,
        }
    }
}

/// The pods that run as one account.
#[derive(Debug, Default, Clone)]
pub struct PodUse {
    pub count: usize,
    /// Pods whose spec sets `automountServiceAccountToken: true`.
    pub mount: usize,
    /// Pods whose spec does not say (the account's setting decides).
    pub unset: usize,
    /// Up to three pod names.
    pub examples: Vec<String>,
}

/// What every account of the cluster holds, worked out once.
#[derive(Debug, Default)]
pub struct Resolved {
    direct: HashMap<Key, Vec<Grant>>,
    groups: HashMap<String, Vec<Grant>>,
    targets: HashMap<Key, Vec<String>>,
}

/// The groups every ServiceAccount of `namespace` is in.
pub fn groups_of(namespace: &str) -> [String; 3] {
    [
        "system:serviceaccounts".into(),
        format!("system:serviceaccounts:{namespace}"),
        "system:authenticated".into(),
    ]
}

impl Resolved {
    /// Every grant that reaches the account, its own and its groups', by binding.
    pub fn grants(&self, key: &Key) -> Vec<Grant> {
        let mut all = self.direct.get(key).cloned().unwrap_or_default();
        for g in groups_of(&key.0) {
            if let Some(grants) = self.groups.get(&g) {
                all.extend(grants.iter().cloned());
            }
        }
        all.sort_by(|a, b| (&a.binding, &a.subject).cmp(&(&b.binding, &b.subject)));
        all
    }

    /// Namespaces where the account can start workloads as a more privileged account.
    pub fn targets(&self, key: &Key) -> Vec<String> {
        self.targets.get(key).cloned().unwrap_or_default()
    }
}

impl Cluster {
    /// A new, empty cluster.
    pub fn new(name: &str) -> Self {
        Cluster {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Takes every object of `other` (another file's cluster given the same
    /// name by `--kube-cluster-name`).
    pub fn absorb(&mut self, other: &mut Cluster) {
        self.accounts.append(&mut other.accounts);
        self.roles.extend(other.roles.drain());
        self.cluster_roles.append(&mut other.cluster_roles);
        self.bindings.append(&mut other.bindings);
        for (key, used) in other.pods.drain() {
            let mine = self.pods.entry(key).or_default();
            mine.count += used.count;
            mine.mount += used.mount;
            mine.unset += used.unset;
            for e in used.examples {
                if mine.examples.len() < 3 {
                    mine.examples.push(e);
                }
            }
        }
        self.pods_read |= other.pods_read;
        self.namespaces.extend(other.namespaces.drain());
        if self.since.is_none() {
            self.since = other.since.take();
        }
        for (kind, n) in std::mem::take(&mut other.objects) {
            *self.objects.entry(kind).or_default() += n;
        }
        self.changed();
    }

    /// Forgets the resolution: called whenever objects are added.
    pub fn changed(&mut self) {
        self.resolved = None;
    }

    /// The resolution, worked out on first use.
    pub fn resolved(&mut self) -> Arc<Resolved> {
        if let Some(r) = &self.resolved {
            return Arc::clone(r);
        }
        let r = Arc::new(self.resolve());
        self.resolved = Some(Arc::clone(&r));
        r
    }

    /// The effective rules of every ClusterRole: its own, plus for an
    /// aggregating role those of every ClusterRole its selectors match
    /// (aggregated roles aggregate in turn, to a fixed depth).
    fn cluster_role_rules(&self) -> HashMap<&str, Rules> {
        let mut rules: HashMap<&str, Vec<PolicyRule>> = self
            .cluster_roles
            .iter()
            .map(|(n, r)| (n.as_str(), r.rules.clone()))
            .collect();
        for _ in 0..4 {
            let mut changed = false;
            for (name, role) in &self.cluster_roles {
                let Some(selectors) = &role.selectors else {
                    continue;
                };
                let mut add = Vec::new();
                for (other, o) in &self.cluster_roles {
                    if other == name || !selectors.iter().any(|s| s.matches(&o.labels)) {
                        continue;
                    }
                    add.extend(rules.get(other.as_str()).cloned().unwrap_or_default());
                }
                let mine = rules.entry(name.as_str()).or_default();
                for r in add {
                    if !mine.contains(&r) {
                        mine.push(r);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        rules
            .into_iter()
            .map(|(n, r)| (n, Rules(Arc::new(r))))
            .collect()
    }

    fn resolve(&self) -> Resolved {
        let cluster_rules = self.cluster_role_rules();
        let mut out = Resolved::default();
        for b in &self.bindings {
            let (rules, role) = match (b.role_kind.as_str(), &b.namespace) {
                ("ClusterRole", _) => (
                    cluster_rules.get(b.role_name.as_str()).cloned(),
                    format!("ClusterRole/{}", b.role_name),
                ),
                ("Role", Some(ns)) => (
                    self.roles.get(&(ns.clone(), b.role_name.clone())).cloned(),
                    format!("Role/{ns}/{}", b.role_name),
                ),
                _ => continue,
            };
            let binding = match &b.namespace {
                Some(ns) => format!("RoleBinding/{ns}/{}", b.name),
                None => format!("ClusterRoleBinding/{}", b.name),
            };
            for s in &b.subjects {
                let grant = |subject: String| Grant {
                    binding: binding.clone(),
                    role: role.clone(),
                    namespace: b.namespace.clone(),
                    subject,
                    role_found: rules.is_some(),
                    rules: rules.clone().unwrap_or_default(),
                };
                match s.kind.as_str() {
                    "ServiceAccount" => {
                        let ns = s
                            .namespace
                            .clone()
                            .or_else(|| b.namespace.clone())
                            .unwrap_or_default();
                        let g = grant(format!("ServiceAccount {ns}/{}", s.name));
                        out.direct.entry((ns, s.name.clone())).or_default().push(g);
                    }
                    "Group"
                        if s.name == "system:authenticated"
                            || s.name == "system:serviceaccounts"
                            || s.name.starts_with("system:serviceaccounts:") =>
                    {
                        let g = grant(format!("Group {}", s.name));
                        out.groups.entry(s.name.clone()).or_default().push(g);
                    }
                    // Users and other groups are people: not inventoried.
                    _ => {}
                }
            }
        }
        out.targets = self.workload_targets(&out);
        out
    }

    /// For each account that can create workloads somewhere, the namespaces
    /// there whose most privileged account is above its own level.
    fn workload_targets(&self, resolved: &Resolved) -> HashMap<Key, Vec<String>> {
        let mut base: HashMap<&Key, PrivilegeLevel> = HashMap::new();
        let mut top: BTreeMap<&str, (PrivilegeLevel, &str)> = BTreeMap::new();
        for key in self.accounts.keys() {
            let level = rbac::privilege(&resolved.grants(key), &[]).level;
            base.insert(key, level);
            let entry = top
                .entry(key.0.as_str())
                .or_insert((PrivilegeLevel::None, key.1.as_str()));
            if level > entry.0 {
                *entry = (level, key.1.as_str());
            }
        }
        let mut out = HashMap::new();
        for key in self.accounts.keys() {
            let grants = resolved.grants(key);
            let Some(scopes) = rbac::workload_scopes(&grants) else {
                continue;
            };
            let own = base[key];
            let mut targets = Vec::new();
            let mut consider = |ns: &str| {
                if let Some((level, who)) = top.get(ns) {
                    if *level > own && !(ns == key.0 && *who == key.1) {
                        targets.push(format!("{ns} (account {who}: {level})"));
                    }
                }
            };
            match scopes {
                rbac::Scopes::All => top.keys().copied().for_each(&mut consider),
                rbac::Scopes::Namespaces(set) => set.iter().for_each(|ns| consider(ns)),
            }
            if !targets.is_empty() {
                out.insert(key.clone(), targets);
            }
        }
        out
    }
}
