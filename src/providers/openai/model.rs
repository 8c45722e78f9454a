//! OpenAI admin API objects, as the API reference shapes them, and the
//! [`Tenant`] snapshot that one read of an organization produces. Only the
//! fields nhiscan uses are kept; unknown fields are ignored. Times are Unix
//! seconds.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

/// Unix seconds, absent or null meaning none.
mod unix {
    pub use jiff::fmt::serde::timestamp::second::optional::deserialize as opt;
}

/// `last_used_at` as sent: absent (`None`: not reported), null
/// (`Some(None)`: never used) or a time.
fn presence<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Timestamp>>, D::Error> {
    unix::opt(d).map(Some)
}

/// `organization.admin_api_key`.
#[derive(Debug, Clone, Deserialize)]
pub struct AdminApiKey {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub redacted_value: Option<String>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "presence")]
    pub last_used_at: Option<Option<Timestamp>>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub owner: Option<AdminKeyOwner>,
}

/// The owner of an admin key: a user or an organization service account.
#[derive(Debug, Clone, Deserialize)]
pub struct AdminKeyOwner {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

/// `organization.project`.
#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub archived_at: Option<Timestamp>,
    /// `active` or `archived`.
    #[serde(default)]
    pub status: Option<String>,
}

impl Project {
    /// Whether the project is archived (its keys no longer work).
    pub fn archived(&self) -> bool {
        self.status.as_deref() == Some("archived") || self.archived_at.is_some()
    }

    /// The name, or the id when it has none.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// `organization.project.api_key`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectApiKey {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub redacted_value: Option<String>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub created_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "presence")]
    pub last_used_at: Option<Option<Timestamp>>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub owner: Option<ProjectKeyOwner>,
    /// `active` or `inactive`: whether the owner still has access to the project.
    #[serde(default)]
    pub owner_project_access: Option<String>,
}

/// The owner of a project key: `type` says which of `user` and `service_account` is set.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectKeyOwner {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub user: Option<ProjectUser>,
    #[serde(default)]
    pub service_account: Option<ProjectServiceAccount>,
}

/// A user as a project key's owner.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectUser {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The user's project role: `owner` or `member`.
    #[serde(default)]
    pub role: Option<String>,
}

/// `organization.project.service_account`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectServiceAccount {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// `owner`, `member` or `none`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub created_at: Option<Timestamp>,
}

/// `organization.user`.
#[derive(Debug, Clone, Deserialize)]
pub struct OrganizationUser {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `owner` or `reader`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "unix::opt")]
    pub added_at: Option<Timestamp>,
}

/// One project with the lists read under it.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectSnapshot {
    pub project: Project,
    #[serde(default)]
    pub api_keys: Vec<ProjectApiKey>,
    #[serde(default)]
    pub service_accounts: Vec<ProjectServiceAccount>,
}

/// The key that marks a tenant snapshot file, holding its format version.
pub const MARKER: &str = "nhiscan_openai_snapshot";
/// The format version this build writes and reads. A file marked the legacy
/// way, `"nhiscan_snapshot": "openai"`, is read as version 1.
pub const VERSION: u32 = 1;

/// Everything read from one organization. As a JSON file (marked
/// `"nhiscan_openai_snapshot": 1`, see [`MARKER`]) it can be scanned with
/// `--input`; the demo embeds one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// [`VERSION`], marking the file; checked before the tenant is read, and
    /// absent from a legacy file.
    #[serde(default)]
    pub nhiscan_openai_snapshot: u32,
    /// The legacy marker, `"openai"`, of a file saved before the marker had
    /// a version.
    #[serde(default, rename = "nhiscan_snapshot")]
    pub legacy_marker: Option<String>,
    /// The organization's id or label, used as every item's scope.
    pub organization: String,
    /// Required: a key whose owner is missing from it counts as departed.
    pub users: Vec<OrganizationUser>,
    #[serde(default)]
    pub admin_api_keys: Vec<AdminApiKey>,
    #[serde(default)]
    pub projects: Vec<ProjectSnapshot>,
}
