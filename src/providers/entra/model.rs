//! Microsoft Graph's object shapes, as v1.0 (and the beta usage reports)
//! return them, and the tenant snapshot nhiscan saves.
//!
//! Only the fields nhiscan reads are declared; serde skips the rest. In
//! particular `passwordCredential.secretText` (returned only by
//! `addPassword`) and `keyCredential.key` are never declared, so they are
//! dropped on read and can never be written back to a snapshot.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The key that marks a snapshot file, holding its format version.
pub const MARKER: &str = "nhiscan_entra_snapshot";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// `application` (an app registration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Application {
    pub id: String,
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub created_date_time: Option<Timestamp>,
    pub sign_in_audience: Option<String>,
    pub publisher_domain: Option<String>,
    pub tags: Vec<String>,
    pub password_credentials: Vec<PasswordCredential>,
    pub key_credentials: Vec<KeyCredential>,
    pub required_resource_access: Vec<RequiredResourceAccess>,
    /// `owners`, as `$expand=owners` or `GET /applications/{id}/owners`
    /// returns them; absent (`null`) when not read (the `az` exports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners: Option<Vec<DirectoryObject>>,
    /// `GET /applications/{id}/federatedIdentityCredentials`; absent when not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub federated_identity_credentials: Option<Vec<FederatedIdentityCredential>>,
}

/// `servicePrincipal` (an enterprise application, a managed identity, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    /// `Application`, `ManagedIdentity`, `Legacy`, `SocialIdp`.
    pub service_principal_type: Option<String>,
    pub app_owner_organization_id: Option<String>,
    pub account_enabled: Option<bool>,
    pub sign_in_audience: Option<String>,
    pub tags: Vec<String>,
    pub password_credentials: Vec<PasswordCredential>,
    pub key_credentials: Vec<KeyCredential>,
    /// The app roles this service principal (as a resource) defines; read
    /// to name the permissions others hold on it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub app_roles: Vec<AppRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners: Option<Vec<DirectoryObject>>,
    /// `GET /servicePrincipals/{id}/appRoleAssignments`: application
    /// permissions granted to it. Absent when not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_role_assignments: Option<Vec<AppRoleAssignment>>,
}

/// `passwordCredential` (a client secret). `secretText` is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordCredential {
    pub key_id: String,
    pub display_name: Option<String>,
    /// The first three characters of the secret (Graph's own hint).
    pub hint: Option<String>,
    pub start_date_time: Option<Timestamp>,
    pub end_date_time: Option<Timestamp>,
}

/// `keyCredential` (a certificate or public key). Its `key` is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyCredential {
    pub key_id: String,
    pub display_name: Option<String>,
    /// The thumbprint, base64 (not secret).
    pub custom_key_identifier: Option<String>,
    /// `AsymmetricX509Cert`, `X509CertAndPassword`, `Symmetric`.
    #[serde(rename = "type")]
    pub key_type: Option<String>,
    /// `Verify` or `Sign`.
    pub usage: Option<String>,
    pub start_date_time: Option<Timestamp>,
    pub end_date_time: Option<Timestamp>,
}

/// `federatedIdentityCredential`: trust in an external identity provider's tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FederatedIdentityCredential {
    pub id: String,
    pub name: Option<String>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub audiences: Vec<String>,
    pub description: Option<String>,
    /// A flexible credential's match expression (beta), e.g.
    /// `claims['sub'] matches 'repo:contoso/*'`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims_matching_expression: Option<ClaimsMatchingExpression>,
}

/// `federatedIdentityExpression`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClaimsMatchingExpression {
    pub value: Option<String>,
    pub language_version: Option<i64>,
}

/// `requiredResourceAccess`: the permissions an app asks for (not granted ones).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequiredResourceAccess {
    pub resource_app_id: String,
    pub resource_access: Vec<ResourceAccess>,
}

/// `resourceAccess`: `type` is `Role` (application) or `Scope` (delegated).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceAccess {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// `appRole`, as a resource service principal defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppRole {
    pub id: String,
    pub value: Option<String>,
}

/// `appRoleAssignment`: an application permission granted to a principal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppRoleAssignment {
    pub id: String,
    pub app_role_id: String,
    pub principal_id: Option<String>,
    pub principal_type: Option<String>,
    pub resource_id: Option<String>,
    pub resource_display_name: Option<String>,
    pub created_date_time: Option<Timestamp>,
}

/// `oAuth2PermissionGrant`: delegated permissions consented for a client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OAuth2PermissionGrant {
    pub id: String,
    pub client_id: String,
    /// `AllPrincipals` (admin consent for everyone) or `Principal`.
    pub consent_type: Option<String>,
    pub principal_id: Option<String>,
    pub resource_id: Option<String>,
    /// Space-separated scope names.
    pub scope: Option<String>,
}

/// `unifiedRoleAssignment`: a directory role held by a principal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleAssignment {
    pub id: String,
    pub principal_id: String,
    pub role_definition_id: String,
    pub directory_scope_id: Option<String>,
}

/// `unifiedRoleDefinition`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleDefinition {
    pub id: String,
    pub display_name: Option<String>,
    pub template_id: Option<String>,
    pub is_built_in: Option<bool>,
}

/// A `directoryObject` from `owners`: a user or a service principal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryObject {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub account_enabled: Option<bool>,
    /// Set on a deleted (soft-deleted) object.
    pub deleted_date_time: Option<Timestamp>,
}

/// `signInActivity` inside the beta usage reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInActivity {
    pub last_sign_in_date_time: Option<Timestamp>,
}

/// beta `servicePrincipalSignInActivity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipalSignInActivity {
    pub id: Option<String>,
    pub app_id: String,
    pub last_sign_in_activity: Option<SignInActivity>,
}

/// beta `appCredentialSignInActivity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppCredentialSignInActivity {
    pub id: Option<String>,
    pub key_id: String,
    pub app_id: Option<String>,
    pub app_object_id: Option<String>,
    pub service_principal_object_id: Option<String>,
    /// `clientSecret` or `certificate`.
    pub key_type: Option<String>,
    /// `sign` or `verify`.
    pub key_usage: Option<String>,
    /// `application` or `servicePrincipal`.
    pub credential_origin: Option<String>,
    pub expiration_date_time: Option<Timestamp>,
    pub sign_in_activity: Option<SignInActivity>,
}

/// A part of the tenant that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// The route, e.g. `GET /beta/reports/appCredentialSignInActivities`.
    pub endpoint: String,
    pub reason: String,
}

/// Everything nhiscan read about one tenant, in Graph's own shapes. A list
/// is `null` when it was not read; `problems` says why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// Always [`VERSION`].
    pub nhiscan_entra_snapshot: u32,
    pub tenant_id: String,
    /// The Graph root the data came from.
    #[serde(default)]
    pub graph_url: String,
    pub applications: Option<Vec<Application>>,
    pub service_principals: Option<Vec<ServicePrincipal>>,
    #[serde(default)]
    pub oauth2_permission_grants: Option<Vec<OAuth2PermissionGrant>>,
    #[serde(default)]
    pub role_assignments: Option<Vec<RoleAssignment>>,
    #[serde(default)]
    pub role_definitions: Option<Vec<RoleDefinition>>,
    #[serde(default)]
    pub service_principal_sign_in_activities: Option<Vec<ServicePrincipalSignInActivity>>,
    #[serde(default)]
    pub app_credential_sign_in_activities: Option<Vec<AppCredentialSignInActivity>>,
    #[serde(default)]
    pub problems: Vec<Problem>,
    #[serde(default)]
    pub api_calls: BTreeMap<String, u64>,
}
