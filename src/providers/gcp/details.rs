//! What only Google Cloud knows about its items, as typed [`Details`]:
//! a service account's email, unique id, project and default-account mark
//! ([`AccountDetails`]); a key's type, origin and algorithm
//! ([`KeyDetails`]); an API key's restrictions ([`ApiKeyDetails`]); and what
//! a project, folder or organization holds ([`ScopeDetails`]): its labels,
//! ancestry, the IAM policies set on it and on resources in it, its custom
//! roles and the activity records read for it.
//!
//! A scope's policies, roles and activities are inputs to [`super::link`],
//! not output: they are not written to JSON (a saved scan keeps the
//! privilege and last use they gave).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a Google-created account is special.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountType {
    /// Created by the project owner.
    UserManaged,
    /// `PROJECT_NUMBER-compute@developer.gserviceaccount.com`.
    DefaultCompute,
    /// `PROJECT_ID@appspot.gserviceaccount.com`.
    DefaultAppEngine,
    /// A Google-managed service agent (`service-N@gcp-sa-*.iam.gserviceaccount.com`
    /// and the other `*.gserviceaccount.com` domains).
    ServiceAgent,
}

impl AccountType {
    /// The type of the account with `email`.
    pub fn of(email: &str) -> AccountType {
        let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
        if domain == "developer.gserviceaccount.com" {
            AccountType::DefaultCompute
        } else if domain == "appspot.gserviceaccount.com" {
            AccountType::DefaultAppEngine
        } else if domain.ends_with(".iam.gserviceaccount.com") && !domain.starts_with("gcp-sa-") {
            AccountType::UserManaged
        } else if domain.ends_with("gserviceaccount.com") {
            AccountType::ServiceAgent
        } else {
            AccountType::UserManaged
        }
    }

    /// Whether this is a project's default compute or App Engine account.
    pub fn is_default(self) -> bool {
        matches!(self, AccountType::DefaultCompute | AccountType::DefaultAppEngine)
    }
}

/// A role an account holds, on one resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: String,
    /// The full resource name the binding is set on.
    pub resource: String,
    /// `organization`, `folder`, `project`, `service-account` or `resource`.
    pub level: String,
    /// The binding's condition title or expression, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A service account's own facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountDetails {
    pub email: String,
    pub unique_id: Option<String>,
    pub project_id: Option<String>,
    pub description: Option<String>,
    pub account_type: Option<AccountType>,
    /// `projects/N`, `folders/N`, `organizations/N`, from the account up.
    pub ancestors: Vec<String>,
    /// Every role the account holds, at every level (computed from the policies read).
    pub roles: Vec<RoleGrant>,
}

crate::impl_details!(AccountDetails, merge = AccountDetails::merge);

impl AccountDetails {
    fn merge(&mut self, other: AccountDetails) {
        if self.email.is_empty() {
            self.email = other.email;
        }
        self.unique_id = self.unique_id.take().or(other.unique_id);
        self.project_id = self.project_id.take().or(other.project_id);
        self.description = self.description.take().or(other.description);
        self.account_type = self.account_type.or(other.account_type);
        if self.ancestors.is_empty() {
            self.ancestors = other.ancestors;
        }
    }
}

/// A service-account key's own facts. The private key is never read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyDetails {
    /// `USER_MANAGED` or `SYSTEM_MANAGED`.
    pub key_type: Option<String>,
    /// `GOOGLE_PROVIDED` or `USER_PROVIDED`.
    pub key_origin: Option<String>,
    pub key_algorithm: Option<String>,
}

crate::impl_details!(KeyDetails);

impl KeyDetails {
    /// Whether Google creates and rotates this key itself.
    pub fn system_managed(&self) -> bool {
        self.key_type.as_deref() == Some("SYSTEM_MANAGED")
    }
}

/// An API key's restrictions. The key string is never read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiKeyDetails {
    /// Whether a browser, server, Android or iOS restriction is set.
    pub application_restricted: bool,
    /// The APIs the key may call (`apiTargets[].service`); empty means all.
    pub api_targets: Vec<String>,
    /// The service account the key is bound to, if any.
    pub service_account: Option<String>,
}

crate::impl_details!(ApiKeyDetails);

impl ApiKeyDetails {
    /// Neither an application nor an API restriction.
    pub fn unrestricted(&self) -> bool {
        !self.application_restricted && self.api_targets.is_empty()
    }
}

/// An IAM policy set on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePolicy {
    /// The full resource name.
    pub resource: String,
    pub asset_type: String,
    /// `(role, members, condition)`.
    pub bindings: Vec<(String, Vec<String>, Option<String>)>,
}

/// A last-authentication record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// The account's or key's full resource name.
    pub resource: String,
    pub key: bool,
    pub at: Option<jiff::Timestamp>,
}

/// A project's, folder's or organization's facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScopeDetails {
    /// `projects/N`, `folders/N` or `organizations/N`.
    pub resource: String,
    pub project_id: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// From the scope's parent up.
    pub ancestors: Vec<String>,
    /// Whether an activity source was read for this scope.
    pub activity_read: bool,
    #[serde(skip)]
    pub policies: Vec<ResourcePolicy>,
    /// Custom roles defined here: name to permissions.
    #[serde(skip)]
    pub custom_roles: BTreeMap<String, Vec<String>>,
    #[serde(skip)]
    pub activities: Vec<ActivityRecord>,
}

crate::impl_details!(ScopeDetails, merge = ScopeDetails::merge);

impl ScopeDetails {
    fn merge(&mut self, other: ScopeDetails) {
        self.project_id = self.project_id.take().or(other.project_id);
        for (k, v) in other.labels {
            self.labels.entry(k).or_insert(v);
        }
        if self.ancestors.is_empty() {
            self.ancestors = other.ancestors;
        }
        self.activity_read |= other.activity_read;
        for p in other.policies {
            if !self.policies.contains(&p) {
                self.policies.push(p);
            }
        }
        self.custom_roles.extend(other.custom_roles);
        self.activities.extend(other.activities);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_types_come_from_the_email_domain() {
        let t = AccountType::of;
        assert_eq!(t("12-compute@developer.gserviceaccount.com"), AccountType::DefaultCompute);
        assert_eq!(t("shop@appspot.gserviceaccount.com"), AccountType::DefaultAppEngine);
        assert_eq!(t("ci@shop.iam.gserviceaccount.com"), AccountType::UserManaged);
        assert_eq!(
            t("service-12@gcp-sa-pubsub.iam.gserviceaccount.com"),
            AccountType::ServiceAgent
        );
        assert_eq!(t("12@cloudservices.gserviceaccount.com"), AccountType::ServiceAgent);
        assert!(AccountType::DefaultCompute.is_default());
        assert!(!AccountType::ServiceAgent.is_default());
    }
}
