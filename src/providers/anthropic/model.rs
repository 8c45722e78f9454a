//! Anthropic admin API objects, as the API reference shapes them, and the
//! [`Tenant`] snapshot that one read of an organization produces. Only the
//! fields nhiscan uses are kept; unknown fields are ignored. Times are RFC 3339.

use jiff::Timestamp;
use serde::Deserialize;

/// `GET /v1/organizations/me`.
#[derive(Debug, Clone, Deserialize)]
pub struct Organization {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// A member of the organization (`type: user`).
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// `user`, `developer`, `billing`, `admin` or `claude_code_user`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub added_at: Option<Timestamp>,
}

/// A workspace (`type: workspace`).
#[derive(Debug, Clone, Deserialize)]
pub struct Workspace {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
}

/// An API key (`type: api_key`). The API reports no last use.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiKey {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Who created the key; null when not recorded.
    #[serde(default)]
    pub created_by: Option<Actor>,
    /// Null when the key never expires.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub partial_key_hint: Option<String>,
    /// `active`, `inactive`, `expired` or `archived`.
    #[serde(default)]
    pub status: Option<String>,
    /// Null for the default workspace.
    #[serde(default)]
    pub workspace_id: Option<String>,
    /// Newer responses say where the key belongs here as well.
    #[serde(default)]
    pub scope: Option<KeyScope>,
}

impl ApiKey {
    /// The workspace the key belongs to; `None` for the default workspace.
    pub fn workspace(&self) -> Option<&str> {
        self.workspace_id
            .as_deref()
            .or_else(|| self.scope.as_ref()?.workspace_id.as_deref())
    }
}

/// `created_by`: the id and type of the actor that created a key.
#[derive(Debug, Clone, Deserialize)]
pub struct Actor {
    pub id: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// `scope`: `{"type": "workspace", "workspace_id": ...}` or `{"type": "organization"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyScope {
    #[serde(default)]
    pub workspace_id: Option<String>,
}

/// The key that marks a tenant snapshot file, holding its format version.
pub const MARKER: &str = "nhiscan_anthropic_snapshot";
/// The format version this build writes and reads. A file marked the legacy
/// way, `"nhiscan_snapshot": "anthropic"`, is read as version 1.
pub const VERSION: u32 = 1;

/// Everything read from one organization. As a JSON file (marked
/// `"nhiscan_anthropic_snapshot": 1`, see [`MARKER`]) it can be scanned with
/// `--input`; the demo embeds one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// [`VERSION`], marking the file; checked before the tenant is read, and
    /// absent from a legacy file.
    #[serde(default)]
    pub nhiscan_anthropic_snapshot: u32,
    /// The legacy marker, `"anthropic"`, of a file saved before the marker had
    /// a version.
    #[serde(default, rename = "nhiscan_snapshot")]
    pub legacy_marker: Option<String>,
    pub organization: Organization,
    /// Required: a key whose creator is missing from it counts as departed.
    pub users: Vec<User>,
    #[serde(default)]
    pub workspaces: Vec<Workspace>,
    #[serde(default)]
    pub api_keys: Vec<ApiKey>,
}
