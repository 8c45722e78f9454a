//! What only AWS knows about its items, as typed [`Details`](crate::model::Details):
//! a principal's path, groups, MFA, policies, boundary, trust policy and
//! instance profiles ([`IdentityDetails`]); a key's last-used service and
//! region ([`CredentialDetails`]). Field names are the JSON v1 names.
//!
//! Policy documents are shared ([`Arc`]): a managed policy attached to many
//! principals is held once.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Identity;

use super::policy::graph::AccountRef;

/// A policy reaching an identity, with its document when known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    /// ARN of a managed policy; `None` for inline policies.
    pub arn: Option<String>,
    /// `inline`, `managed`, `group:<name>:inline` or `group:<name>:managed`.
    pub via: String,
    /// The decoded policy document, when the export carried it.
    #[serde(with = "shared")]
    pub document: Option<Arc<Value>>,
}

/// An IAM principal's (user, role, root) or account item's own facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentityDetails {
    pub path: Option<String>,
    pub groups: Vec<String>,
    /// MFA state, when known (credential report).
    pub mfa_active: Option<bool>,
    /// Whether the source described this identity's policies (so an empty
    /// `policies` means none, not unknown).
    pub policies_known: bool,
    pub policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<String>,
    /// The boundary policy's document, when the export carried it.
    #[serde(with = "shared")]
    pub permissions_boundary_document: Option<Arc<Value>>,
    /// A role's trust policy (AssumeRolePolicyDocument). Written with each
    /// `sts:ExternalId` value as `<present>`: the id is a shared secret.
    #[serde(
        serialize_with = "shared::serialize_trust",
        deserialize_with = "shared::deserialize"
    )]
    pub trust_policy: Option<Arc<Value>>,
    /// Names of the instance profiles a role is in.
    pub instance_profiles: Vec<String>,
    /// The account this principal was exported with (its users, roles and
    /// groups), for the principal graph. Not serialized.
    #[serde(skip)]
    pub account: AccountRef,
}

crate::impl_details!(IdentityDetails, merge = IdentityDetails::merge);

impl IdentityDetails {
    /// Fills what `self` lacks from `other`, which describes the same
    /// principal (a credential report row and an authorization-details entry).
    pub fn merge(&mut self, other: IdentityDetails) {
        self.path = self.path.take().or(other.path);
        for g in other.groups {
            if !self.groups.contains(&g) {
                self.groups.push(g);
            }
        }
        self.mfa_active = self.mfa_active.or(other.mfa_active);
        self.policies_known |= other.policies_known;
        for p in other.policies {
            if !self
                .policies
                .iter()
                .any(|q| q.name == p.name && q.via == p.via)
            {
                self.policies.push(p);
            }
        }
        self.permissions_boundary = self
            .permissions_boundary
            .take()
            .or(other.permissions_boundary);
        self.permissions_boundary_document = self
            .permissions_boundary_document
            .take()
            .or(other.permissions_boundary_document);
        self.trust_policy = self.trust_policy.take().or(other.trust_policy);
        if self.account.0.is_none() {
            self.account = other.account;
        }
        for p in other.instance_profiles {
            if !self.instance_profiles.contains(&p) {
                self.instance_profiles.push(p);
            }
        }
    }

    /// Whether the path marks a service-linked role (`/aws-service-role/`),
    /// which AWS creates, owns and alone can use.
    pub fn service_linked(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| p.starts_with("/aws-service-role/"))
    }
}

/// An access key's or other credential's own facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CredentialDetails {
    /// Service and region of the last use, when known.
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
}

crate::impl_details!(
    CredentialDetails,
    merge = |a: &mut CredentialDetails, b: CredentialDetails| {
        a.last_used_service = a.last_used_service.take().or(b.last_used_service);
        a.last_used_region = a.last_used_region.take().or(b.last_used_region);
    }
);

/// Details with nothing known, for identities that carry none.
static EMPTY: IdentityDetails = IdentityDetails {
    path: None,
    groups: Vec::new(),
    mfa_active: None,
    policies_known: false,
    policies: Vec::new(),
    permissions_boundary: None,
    permissions_boundary_document: None,
    trust_policy: None,
    instance_profiles: Vec::new(),
    account: AccountRef(None),
};

/// An identity's AWS details, or empty ones.
pub fn of(identity: &Identity) -> &IdentityDetails {
    identity.item.details::<IdentityDetails>().unwrap_or(&EMPTY)
}

/// An identity's AWS details, created empty when it has none.
pub fn of_mut(identity: &mut Identity) -> &mut IdentityDetails {
    let item = &mut identity.item;
    if item.details::<IdentityDetails>().is_none() {
        item.details = Some(Box::new(IdentityDetails::default()));
    }
    item.details_mut::<IdentityDetails>()
        .expect("details were just set")
}

/// Serde for `Option<Arc<Value>>` (serde's `rc` feature is not enabled):
/// written and read as the plain value.
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    pub fn serialize<S: Serializer>(v: &Option<Arc<Value>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_deref().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Arc<Value>>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?.map(Arc::new))
    }

    /// A trust policy with every `sts:ExternalId` condition value shown as `<present>`.
    pub fn serialize_trust<S: Serializer>(
        v: &Option<Arc<Value>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.as_deref().map(super::without_external_ids).serialize(s)
    }
}

/// `policy` with the value of every `sts:ExternalId` condition key (any
/// operator, any case) replaced by `<present>`.
pub fn without_external_ids(policy: &Value) -> Value {
    let mut policy = policy.clone();
    let statements = match policy.get_mut("Statement") {
        Some(Value::Array(list)) => list.iter_mut().collect::<Vec<_>>(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    for statement in statements {
        let Some(Value::Object(condition)) = statement.get_mut("Condition") else {
            continue;
        };
        for operator in condition.values_mut() {
            let Value::Object(keys) = operator else {
                continue;
            };
            for (key, value) in keys.iter_mut() {
                if key.eq_ignore_ascii_case("sts:ExternalId") {
                    *value = Value::String("<present>".into());
                }
            }
        }
    }
    policy
}

/// A user `u` in `account` holding exactly `policies`, for tests.
#[cfg(test)]
pub fn test_user(account: &str, policies: Vec<AttachedPolicy>) -> Identity {
    let mut i = Identity::new(crate::model::Item::new(
        format!("arn:aws:iam::{account}:user/u"),
        "aws",
        account.into(),
        super::USER,
        "u".into(),
    ));
    i.item.details = Some(Box::new(IdentityDetails {
        policies_known: true,
        policies,
        ..IdentityDetails::default()
    }));
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn external_ids_are_shown_only_as_present() {
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Condition": {"StringEquals": {"sts:ExternalId": "s3cr3t-id"}}},
            {"Effect": "Allow", "Condition": {"StringLike": {"STS:EXTERNALID": ["a", "b"], "aws:SourceAccount": "1"}}},
            {"Effect": "Allow"}
        ]});
        let d = IdentityDetails {
            trust_policy: Some(Arc::new(policy.clone())),
            ..IdentityDetails::default()
        };
        let text = serde_json::to_string(&d).unwrap();
        assert!(!text.contains("s3cr3t") && !text.contains("\"a\""), "{text}");
        assert_eq!(text.matches("<present>").count(), 2, "{text}");
        assert!(text.contains("aws:SourceAccount"), "{text}");
        // What is kept for evaluation is untouched.
        assert_eq!(d.trust_policy.as_deref(), Some(&policy));
    }

    #[test]
    fn wire_fields_are_the_v1_names_and_read_back() {
        let d = IdentityDetails {
            path: Some("/ci/".into()),
            groups: vec!["g".into()],
            policies_known: true,
            policies: vec![AttachedPolicy {
                name: "p".into(),
                arn: None,
                via: "inline".into(),
                document: Some(Arc::new(json!({"Statement": []}))),
            }],
            trust_policy: Some(Arc::new(json!({"Statement": []}))),
            ..IdentityDetails::default()
        };
        let wire = serde_json::to_value(&d).unwrap();
        let keys: std::collections::BTreeSet<&str> = wire
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            [
                "groups",
                "instance_profiles",
                "mfa_active",
                "path",
                "permissions_boundary",
                "permissions_boundary_document",
                "policies",
                "policies_known",
                "trust_policy"
            ]
        );
        assert_eq!(wire["policies"][0]["document"], json!({"Statement": []}));
        assert_eq!(wire["permissions_boundary_document"], Value::Null);
        let back: IdentityDetails = serde_json::from_value(wire).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn merge_fills_gaps_and_unions_lists() {
        let mut a = IdentityDetails {
            mfa_active: Some(true),
            groups: vec!["a".into()],
            ..IdentityDetails::default()
        };
        let b = IdentityDetails {
            path: Some("/".into()),
            mfa_active: Some(false),
            groups: vec!["a".into(), "b".into()],
            policies_known: true,
            ..IdentityDetails::default()
        };
        a.merge(b);
        assert_eq!(a.path.as_deref(), Some("/"));
        assert_eq!(a.mfa_active, Some(true));
        assert_eq!(a.groups, ["a", "b"]);
        assert!(a.policies_known);
    }
}
