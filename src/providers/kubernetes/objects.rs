//! The Kubernetes API objects nhiscan reads, as `kubectl get ... -o json`
//! and the API server print them (field names from the Kubernetes API
//! reference: `core/v1` ServiceAccount, Secret, Pod, ConfigMap, Namespace;
//! `rbac.authorization.k8s.io/v1` Role, ClusterRole, RoleBinding,
//! ClusterRoleBinding).
//!
//! Only the fields nhiscan uses are declared; serde skips every other one
//! without keeping it. In particular [`Secret`] has no `data` or
//! `stringData` field, so a token value is never built, and a ConfigMap keeps
//! only `data.since` of the token-tracking ConfigMap.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// The annotation `kubectl apply` writes: for a Secret it repeats the whole
/// object, token included, so it is dropped on read.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `null` (which Go prints for an empty list or map) reads as the default.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `metadata` (ObjectMeta), the fields nhiscan reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Meta {
    pub name: String,
    pub namespace: Option<String>,
    pub uid: Option<String>,
    pub creation_timestamp: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "annotations")]
    pub annotations: BTreeMap<String, String>,
}

/// Annotations without [`LAST_APPLIED`].
fn annotations<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let mut map: BTreeMap<String, String> = nullable(d)?;
    map.remove(LAST_APPLIED);
    Ok(map)
}

/// The `kind` of any object (and whether it is a `List`).
#[derive(Debug, Deserialize)]
pub struct Head {
    #[serde(default)]
    pub kind: String,
}

/// A `v1` `List` (or `ServiceAccountList`, ...): the items, unparsed.
#[derive(Debug, Deserialize)]
pub struct List<'a> {
    #[serde(borrow, default, deserialize_with = "nullable")]
    pub items: Vec<&'a serde_json::value::RawValue>,
}

/// A ServiceAccount.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(default)]
    pub automount_service_account_token: Option<bool>,
    /// References to Secrets (legacy auto-generated tokens, by name).
    #[serde(default, deserialize_with = "nullable")]
    pub secrets: Vec<ObjectReference>,
}

/// An `ObjectReference` (only its name matters here).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ObjectReference {
    pub name: String,
}

/// A Secret: metadata and type only. There is deliberately no `data` or
/// `stringData` field.
#[derive(Debug, Clone, Deserialize)]
pub struct Secret {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
}

/// The Secret type of a legacy service-account token.
pub const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
/// The annotation naming the account a token Secret belongs to.
pub const TOKEN_ACCOUNT: &str = "kubernetes.io/service-account.name";
/// The label the API server sets (once a day at most) when a legacy token is used.
pub const LAST_USED_LABEL: &str = "kubernetes.io/legacy-token-last-used";
/// The label the token cleaner sets when it invalidates an unused legacy token.
pub const INVALID_SINCE_LABEL: &str = "kubernetes.io/legacy-token-invalid-since";
/// The ConfigMap whose `data.since` says when legacy-token tracking began.
pub const TRACKING_CONFIGMAP: &str = "kube-apiserver-legacy-service-account-token-tracking";

/// One rule of a Role or ClusterRole (`PolicyRule`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyRule {
    #[serde(deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub api_groups: Vec<String>,
    #[serde(deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub verbs: Vec<String>,
    #[serde(deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resource_names: Vec<String>,
    #[serde(
        rename = "nonResourceURLs",
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub non_resource_urls: Vec<String>,
}

/// A Role or a ClusterRole.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(default, deserialize_with = "nullable")]
    pub rules: Vec<PolicyRule>,
    #[serde(default)]
    pub aggregation_rule: Option<AggregationRule>,
}

/// A ClusterRole's `aggregationRule`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AggregationRule {
    #[serde(deserialize_with = "nullable")]
    pub cluster_role_selectors: Vec<LabelSelector>,
}

/// A `LabelSelector`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelector {
    #[serde(deserialize_with = "nullable")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "nullable")]
    pub match_expressions: Vec<Requirement>,
}

/// A `LabelSelectorRequirement`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    #[serde(deserialize_with = "nullable")]
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Whether `labels` match. An empty selector matches everything, as in the API.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => value.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}

/// A RoleBinding or a ClusterRoleBinding.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(default)]
    pub role_ref: RoleRef,
    #[serde(default, deserialize_with = "nullable")]
    pub subjects: Vec<Subject>,
}

/// A binding's `roleRef`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleRef {
    pub kind: String,
    pub name: String,
}

/// A binding's subject: a ServiceAccount, a User or a Group.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// A Pod: which account it runs as, and whether the token is mounted.
#[derive(Debug, Clone, Deserialize)]
pub struct Pod {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(default)]
    pub spec: PodSpec,
}

/// The part of a `PodSpec` nhiscan reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    pub service_account_name: Option<String>,
    /// The deprecated alias of `serviceAccountName`.
    pub service_account: Option<String>,
    pub automount_service_account_token: Option<bool>,
}

/// A ConfigMap: only `data.since`, and only the tracking ConfigMap's is used.
#[derive(Debug, Clone, Deserialize)]
pub struct ConfigMap {
    #[serde(default)]
    pub metadata: Meta,
    #[serde(default)]
    pub data: Option<TrackingData>,
}

/// The tracking ConfigMap's data: the date tracking began.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackingData {
    pub since: Option<String>,
}

/// A Namespace: its labels and annotations can name an owner.
#[derive(Debug, Clone, Deserialize)]
pub struct Namespace {
    #[serde(default)]
    pub metadata: Meta,
}
