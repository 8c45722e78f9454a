//! Entra's own facts about an item, kept as typed [`Details`]. In JSON v1
//! they are one `entra` object on every Entra item, every field present
//! (`null` when it does not apply), so the output shape does not depend on
//! the item.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::Details;

/// The details of an Entra item: `{"entra": {...}}` on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntraDetails {
    pub entra: Facts,
}

crate::impl_details!(EntraDetails);

/// What Graph says about an app, service principal or credential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// The application (client) id.
    pub app_id: Option<String>,
    /// A service principal's `servicePrincipalType`.
    pub service_principal_type: Option<String>,
    /// The tenant the app belongs to (`appOwnerOrganizationId`).
    pub app_owner_organization_id: Option<String>,
    /// An app from another tenant (not Microsoft's).
    pub third_party: bool,
    pub sign_in_audience: Option<String>,
    /// The object id of the app registration an SP belongs to, in this tenant.
    pub application_object_id: Option<String>,
    /// Whether `owners` was read (not in the `az` exports).
    pub owners_read: bool,
    /// Owner names (user principal names or display names).
    pub owners: Vec<String>,
    /// A client secret's first three characters, as Graph reports them.
    pub hint: Option<String>,
    /// A certificate's thumbprint (`customKeyIdentifier`).
    pub thumbprint: Option<String>,
    /// The credential's `endDateTime` (also when it is too far out to count
    /// as an expiry).
    pub end_date_time: Option<Timestamp>,
    /// A federated credential's issuer, subject, audiences and match expression.
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub audiences: Vec<String>,
    pub claims_matching_expression: Option<String>,
    /// Permission names granted to the principal (application and
    /// all-users delegated), for reading the output.
    pub permissions: Vec<String>,
    /// Directory roles it holds.
    pub directory_roles: Vec<String>,
}

impl EntraDetails {
    pub fn boxed(facts: Facts) -> Option<Box<dyn Details>> {
        Some(Box::new(EntraDetails { entra: facts }))
    }

    /// Back from a saved scan's fields.
    pub fn from_wire(fields: &Map<String, Value>) -> Result<Option<Box<dyn Details>>, String> {
        match fields.get("entra") {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value::<Facts>(v.clone())
                .map(Self::boxed)
                .map_err(|e| format!("entra: {e}")),
        }
    }
}
