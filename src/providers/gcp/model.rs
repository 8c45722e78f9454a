//! Google Cloud's object shapes, as the REST reference and `gcloud ... --format=json`
//! give them. Only the fields nhiscan reads are declared; secret-bearing
//! fields (`privateKeyData` of a key, `keyString` of an API key) are not,
//! so serde skips them and they are never kept.
//!
//! - Cloud Asset Inventory `Asset`: `name`, `assetType`, `resource.data`,
//!   `iamPolicy`, `ancestors` (`assets.list`, `gcloud asset list`, the
//!   lines of `gcloud asset export`).
//! - `IamPolicySearchResult`: `resource`, `assetType`, `project`,
//!   `folders`, `organization`, `policy` (`searchAllIamPolicies`).
//! - Policy Intelligence `Activity`: `activityType`, `fullResourceName`,
//!   `activity` (`activities.query`, `gcloud policy-intelligence query-activity`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A Cloud Asset Inventory asset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Asset {
    /// The full resource name (`//iam.googleapis.com/projects/p/serviceAccounts/123`).
    pub name: String,
    pub asset_type: String,
    pub resource: Option<Resource>,
    pub iam_policy: Option<Policy>,
    /// From the asset up: `projects/123`, `folders/456`, `organizations/789`.
    pub ancestors: Vec<String>,
}

/// An asset's resource: the service's own representation is in `data`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Resource {
    pub parent: Option<String>,
    pub data: Option<Value>,
}

/// An IAM allow policy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Policy {
    pub bindings: Vec<Binding>,
}

/// One binding: a role granted to members, maybe under a condition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Binding {
    pub role: String,
    pub members: Vec<String>,
    pub condition: Option<Condition>,
}

/// A binding's condition (CEL); recorded, not evaluated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Condition {
    pub title: Option<String>,
    pub expression: Option<String>,
}

/// IAM `ServiceAccount` (Asset `resource.data` of `iam.googleapis.com/ServiceAccount`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccount {
    pub name: String,
    pub project_id: String,
    pub unique_id: String,
    pub email: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub disabled: bool,
}

/// IAM `ServiceAccountKey`. `privateKeyData` and `publicKeyData` are not
/// declared: they are never read or kept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccountKey {
    /// `projects/{PROJECT_ID}/serviceAccounts/{EMAIL}/keys/{KEY_ID}`.
    pub name: String,
    pub valid_after_time: Option<String>,
    pub valid_before_time: Option<String>,
    pub key_algorithm: Option<String>,
    pub key_origin: Option<String>,
    /// `USER_MANAGED` or `SYSTEM_MANAGED`.
    pub key_type: Option<String>,
    pub disabled: bool,
}

/// API Keys `Key`. `keyString` is not declared: never read or kept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiKey {
    /// `projects/{PROJECT}/locations/global/keys/{KEY_ID}`.
    pub name: String,
    pub uid: Option<String>,
    pub display_name: Option<String>,
    pub create_time: Option<String>,
    pub delete_time: Option<String>,
    pub restrictions: Option<Restrictions>,
    pub service_account_email: Option<String>,
}

/// An API key's restrictions: which clients and which APIs may use it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Restrictions {
    pub browser_key_restrictions: Option<Value>,
    pub server_key_restrictions: Option<Value>,
    pub android_key_restrictions: Option<Value>,
    pub ios_key_restrictions: Option<Value>,
    pub api_targets: Vec<ApiTarget>,
}

impl Restrictions {
    /// Whether any client (application) restriction is set.
    pub fn has_application_restriction(&self) -> bool {
        [
            &self.browser_key_restrictions,
            &self.server_key_restrictions,
            &self.android_key_restrictions,
            &self.ios_key_restrictions,
        ]
        .iter()
        .any(|r| r.is_some())
    }
}

/// One API an API key may call.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApiTarget {
    pub service: String,
}

/// Resource Manager `Project` (Asset data of `cloudresourcemanager.googleapis.com/Project`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Project {
    pub project_number: Option<Value>,
    pub project_id: String,
    pub labels: BTreeMap<String, String>,
    pub create_time: Option<String>,
}

/// IAM `Role` (Asset data of `iam.googleapis.com/Role`): a custom role.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Role {
    /// `projects/p/roles/x` or `organizations/1/roles/x`.
    pub name: String,
    pub included_permissions: Vec<String>,
}

/// A result of `searchAllIamPolicies`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IamPolicySearchResult {
    pub resource: String,
    pub asset_type: String,
    pub project: Option<String>,
    pub folders: Vec<String>,
    pub organization: Option<String>,
    pub policy: Policy,
}

/// A `searchAllIamPolicies` page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchAllIamPoliciesResponse {
    pub results: Vec<IamPolicySearchResult>,
    pub next_page_token: Option<String>,
}

/// An `assets.list` page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListAssetsResponse {
    pub assets: Vec<Asset>,
    pub next_page_token: Option<String>,
}

/// A Policy Intelligence activity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Activity {
    /// `serviceAccountLastAuthentication` or `serviceAccountKeyLastAuthentication`.
    pub activity_type: String,
    /// The account's or key's full resource name.
    pub full_resource_name: String,
    pub activity: Option<Value>,
}

impl Activity {
    /// `activity.lastAuthenticatedTime`.
    pub fn last_authenticated(&self) -> Option<&str> {
        self.activity.as_ref()?.get("lastAuthenticatedTime")?.as_str()
    }
}

/// An `activities.query` page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QueryActivityResponse {
    pub activities: Vec<Activity>,
    pub next_page_token: Option<String>,
}

/// Asset types nhiscan reads.
pub mod types {
    pub const SERVICE_ACCOUNT: &str = "iam.googleapis.com/ServiceAccount";
    pub const SERVICE_ACCOUNT_KEY: &str = "iam.googleapis.com/ServiceAccountKey";
    pub const API_KEY: &str = "apikeys.googleapis.com/Key";
    pub const PROJECT: &str = "cloudresourcemanager.googleapis.com/Project";
    pub const FOLDER: &str = "cloudresourcemanager.googleapis.com/Folder";
    pub const ORGANIZATION: &str = "cloudresourcemanager.googleapis.com/Organization";
    pub const ROLE: &str = "iam.googleapis.com/Role";
}
