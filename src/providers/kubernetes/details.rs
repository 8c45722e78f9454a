//! Kubernetes's own facts about an item, kept as typed [`Details`]. In JSON
//! v1 each item carries them under one `kubernetes` field.
//!
//! A ServiceAccount's details also hold, until enrichment, a handle on the
//! cluster it was read from ([`Shared`]): bindings, roles and pods may come
//! from other files than the account itself, so they are resolved once every
//! source has been read. The handle is never written out.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::cluster::Shared;
use super::objects::PolicyRule;
use crate::model::Details;

/// A role's rules, shared by every grant of the role.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Rules(pub Arc<Vec<PolicyRule>>);

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Rules {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_slice().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rules {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Rules(Arc::new(Vec::deserialize(d)?)))
    }
}

/// One role granted to an account through one binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `ClusterRoleBinding/<name>` or `RoleBinding/<namespace>/<name>`.
    pub binding: String,
    /// `ClusterRole/<name>` or `Role/<namespace>/<name>`.
    pub role: String,
    /// Where the grant applies: a namespace, or `None` for the whole cluster.
    pub namespace: Option<String>,
    /// The subject that reaches the account: `ServiceAccount <ns>/<name>` or
    /// `Group <name>`.
    pub subject: String,
    /// The role's rules, aggregation resolved. Empty when the role was not in the input.
    pub rules: Rules,
    /// Whether the role was found in the input.
    #[serde(default = "yes")]
    pub role_found: bool,
}

fn yes() -> bool {
    true
}

/// A link from the account to a cloud identity, from its annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudLink {
    /// `aws`, `gcp` or `azure`.
    pub cloud: String,
    /// The annotation that makes the link.
    pub annotation: String,
    /// The role ARN, service-account email or client id it names.
    pub target: String,
}

/// A ServiceAccount's facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountFacts {
    pub namespace: String,
    /// The account's own `automountServiceAccountToken` (`null`: unset, which mounts).
    pub automount_token: Option<bool>,
    /// Cloud identities the account can act as.
    pub cloud_links: Vec<CloudLink>,
    /// Every role it holds, through its own bindings and its groups'.
    pub grants: Vec<Grant>,
    /// Namespaces (with their most privileged account) where it can start
    /// workloads that run as a more privileged account.
    pub workload_targets: Vec<String>,
    /// Whether the input held Pods for this cluster; without them `pods` says nothing.
    pub pods_read: bool,
    /// Pods seen running as the account.
    pub pods: usize,
    /// Of those, the pods that mount its token (pod spec first, then the account).
    pub pods_mounting_token: usize,
    /// Up to three of those pods, `namespace/name`.
    pub pod_examples: Vec<String>,
    /// The owner named by the namespace's labels or annotations, with the key.
    pub namespace_owner: Option<(String, String)>,
    /// Whether the account itself was listed (not only named by a token Secret).
    pub listed: bool,
}

/// A ServiceAccount's details.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct AccountDetails {
    pub kubernetes: AccountFacts,
    /// The cluster it was read from, until enrichment has resolved it.
    #[serde(skip)]
    pub cluster: Option<Shared>,
}

impl fmt::Debug for AccountDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kubernetes.fmt(f)
    }
}

impl PartialEq for AccountDetails {
    fn eq(&self, other: &Self) -> bool {
        self.kubernetes == other.kubernetes
    }
}

crate::impl_details!(
    AccountDetails,
    merge = |mine: &mut AccountDetails, theirs: AccountDetails| {
        if !mine.kubernetes.listed && theirs.kubernetes.listed {
            let cluster = mine.cluster.take();
            *mine = theirs;
            mine.cluster = mine.cluster.take().or(cluster);
        }
    }
);

/// A legacy token Secret's facts. The token itself is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenFacts {
    /// The Secret's name.
    pub secret: String,
    /// `kubernetes.io/legacy-token-last-used`: the last day the token was used.
    pub last_used_label: Option<String>,
    /// `kubernetes.io/legacy-token-invalid-since`: the day the cleaner invalidated it.
    pub invalid_since: Option<String>,
    /// When legacy-token tracking began in the cluster (the tracking
    /// ConfigMap's `since`), when the input had it.
    pub tracking_since: Option<String>,
}

/// A legacy token Secret's details.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDetails {
    pub kubernetes: TokenFacts,
}

crate::impl_details!(TokenDetails);

/// A cluster's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterFacts {
    /// When legacy-token tracking began (`since`), when the input had it.
    pub tracking_since: Option<String>,
    /// Objects read, by kind.
    pub objects: std::collections::BTreeMap<String, usize>,
}

/// A cluster's details, with the shared state until enrichment.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct ClusterDetails {
    pub kubernetes: ClusterFacts,
    #[serde(skip)]
    pub cluster: Option<Shared>,
}

impl fmt::Debug for ClusterDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kubernetes.fmt(f)
    }
}

impl PartialEq for ClusterDetails {
    fn eq(&self, other: &Self) -> bool {
        self.kubernetes == other.kubernetes
    }
}

crate::impl_details!(ClusterDetails);

/// Details back from a JSON v1 item's fields.
pub fn from_wire(
    kind: &str,
    fields: &Map<String, Value>,
) -> Result<Option<Box<dyn Details>>, String> {
    let Some(value) = fields.get("kubernetes").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let value = value.clone();
    let bad = |e: serde_json::Error| format!("kubernetes: {e}");
    Ok(Some(match kind {
        k if k == super::SERVICE_ACCOUNT.as_str() => Box::new(AccountDetails {
            kubernetes: serde_json::from_value(value).map_err(bad)?,
            cluster: None,
        }),
        k if k == super::LEGACY_TOKEN.as_str() => Box::new(TokenDetails {
            kubernetes: serde_json::from_value(value).map_err(bad)?,
        }),
        k if k == super::CLUSTER.as_str() => Box::new(ClusterDetails {
            kubernetes: serde_json::from_value(value).map_err(bad)?,
            cluster: None,
        }),
        _ => return Ok(None),
    }))
}
