//! An Anthropic [`Tenant`] as inventory. Pure: no I/O and no clock.
//!
//! - A key's creator is a human identity (`anthropic:<org>/user/<id>`)
//!   holding the key and owning it; a creator who is no longer among the
//!   organization's users is marked departed.
//! - A key with no recorded human creator hangs under its workspace
//!   (`anthropic:<org>/workspace/<id>`, a non-human identity with no owner).
//! - Anthropic reports no last use, so every key's last use is `unknown`,
//!   which never counts as "never used".
//! - `archived` keys, and keys of archived workspaces, are `expired`: they
//!   cannot be used or restored. Privilege is `unknown`: the API does not say
//!   what a key may do.

use std::collections::BTreeMap;

use super::model::{ApiKey, Tenant, User, Workspace};
use super::{API_KEY, ID, USER, WORKSPACE};
use crate::model::{Credential, Identity, Item, Kind, LastUsed, Owner, OwnerSource, Status};
use crate::providers::admin_api::KeyHint;

/// Every identity in the tenant, each with its credentials, in id order.
pub fn identities(tenant: &Tenant) -> Vec<Identity> {
    let scope = tenant.organization.id.as_str();
    let users: BTreeMap<&str, &User> = tenant.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let workspaces: BTreeMap<&str, &Workspace> = tenant
        .workspaces
        .iter()
        .map(|w| (w.id.as_str(), w))
        .collect();
    let mut out: BTreeMap<String, Identity> = BTreeMap::new();
    for key in &tenant.api_keys {
        let workspace = key.workspace().and_then(|id| workspaces.get(id).copied());
        let workspace_label = match (key.workspace(), workspace) {
            (_, Some(w)) => w.name.as_deref().unwrap_or(&w.id),
            (Some(id), None) => id,
            (None, None) => "Default Workspace",
        };
        let creator = key
            .created_by
            .as_ref()
            .filter(|a| a.kind.as_deref().unwrap_or("user") == "user");
        let (holder_id, owner) = match creator {
            Some(actor) => {
                let known = users.get(actor.id.as_str()).copied();
                let holder = user(&mut out, scope, &actor.id, known);
                let name = out[&holder].item.name.clone();
                let departed = known.is_none();
                let owner = Owner {
                    name,
                    source: OwnerSource::Provider,
                    evidence: if departed {
                        format!("creator {} is no longer in the organization", actor.id)
                    } else {
                        format!("Anthropic reports user {} as the key's creator", actor.id)
                    },
                    departed,
                };
                (holder, Some(owner))
            }
            None => {
                let id = format!(
                    "anthropic:{scope}/workspace/{}",
                    key.workspace().unwrap_or("default")
                );
                out.entry(id.clone()).or_insert_with(|| {
                    let mut i = identity(id.clone(), scope, WORKSPACE, workspace_label);
                    i.item.native_id = key.workspace().map(str::to_string);
                    i.item.reported.human = Some((
                        false,
                        "Anthropic workspace holding keys with no recorded human creator".into(),
                    ));
                    i.item.created_at = workspace.and_then(|w| w.created_at);
                    i
                });
                (id, None)
            }
        };
        // The key's human verdict is left to enrichment: a machine
        // credential held by its holder.
        let mut item = Item::new(
            format!("{holder_id}/{API_KEY}/{}", key.id),
            ID,
            scope.to_string(),
            API_KEY,
            format!(
                "{workspace_label}/{}",
                key.name.as_deref().unwrap_or(&key.id)
            ),
        );
        item.native_id = Some(key.id.clone());
        item.reported.owner = owner;
        item.created_at = key.created_at;
        item.last_used = LastUsed::Unknown;
        item.expires_at = key.expires_at;
        item.status = status(key, workspace);
        item.details = KeyHint::boxed(key.partial_key_hint.clone());
        let credential = Credential {
            item,
            parent_id: holder_id.clone(),
        };
        let h = out.get_mut(&holder_id).expect("holder added above");
        if !h
            .credentials
            .iter()
            .any(|c| c.item.id == credential.item.id)
        {
            h.credentials.push(credential);
        }
    }
    out.into_values().collect()
}

/// The identity of user `id`, added if new; returns its inventory id.
fn user(
    out: &mut BTreeMap<String, Identity>,
    scope: &str,
    id: &str,
    known: Option<&User>,
) -> String {
    let key = format!("anthropic:{scope}/user/{id}");
    out.entry(key.clone()).or_insert_with(|| {
        let name = known
            .and_then(|u| u.email.as_deref().or(u.name.as_deref()))
            .unwrap_or(id);
        let mut i = identity(key.clone(), scope, USER, name);
        i.item.native_id = Some(id.to_string());
        i.item.reported.human = Some((
            true,
            match known {
                Some(_) => "Anthropic organization user".into(),
                None => "Anthropic user who is no longer in the organization".into(),
            },
        ));
        i.item.created_at = known.and_then(|u| u.added_at);
        i
    });
    key
}

fn identity(id: String, scope: &str, kind: Kind, name: &str) -> Identity {
    Identity::new(Item::new(id, ID, scope.to_string(), kind, name.to_string()))
}

fn status(key: &ApiKey, workspace: Option<&Workspace>) -> Status {
    if workspace.is_some_and(|w| w.archived_at.is_some()) {
        return Status::Expired;
    }
    match key.status.as_deref() {
        Some("inactive") => Status::Inactive,
        Some("expired" | "archived") => Status::Expired,
        _ => Status::Active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn creators_hold_their_keys_and_unattributed_keys_hang_under_the_workspace() {
        let t: Tenant = serde_json::from_value(json!({
            "organization": {"id": "org-1", "name": "O", "type": "organization"},
            "users": [{"id": "user_1", "type": "user", "email": "ada@example.com",
                       "name": "Ada", "role": "developer", "added_at": "2025-01-01T00:00:00Z"}],
            "workspaces": [{"id": "wrkspc_1", "type": "workspace", "name": "Prod",
                            "created_at": "2025-01-01T00:00:00Z", "archived_at": null}],
            "api_keys": [
                {"id": "k1", "type": "api_key", "name": "a", "workspace_id": "wrkspc_1",
                 "created_at": "2025-02-01T00:00:00Z", "created_by": {"id": "user_1", "type": "user"},
                 "expires_at": null, "partial_key_hint": "sk-ant-api03-abc...wxyz", "status": "active"},
                // Newer responses: the workspace in `scope`, no recorded creator.
                {"id": "k2", "type": "api_key", "name": "b", "created_at": "2025-02-01T00:00:00Z",
                 "created_by": null, "expires_at": "2027-01-01T00:00:00Z",
                 "partial_key_hint": null, "status": "archived",
                 "scope": {"type": "workspace", "workspace_id": "wrkspc_1"}}
            ]
        }))
        .unwrap();
        let ids = identities(&t);
        let ada = ids.iter().find(|i| i.item.kind == USER).unwrap();
        assert_eq!(
            ada.item.reported.human,
            Some((true, "Anthropic organization user".into()))
        );
        let k1 = &ada.credentials[0].item;
        assert_eq!(
            k1.details::<KeyHint>().and_then(|d| d.hint.as_deref()),
            Some("sk-ant-api03-abc...wxyz")
        );
        assert_eq!(k1.name, "Prod/a");
        assert_eq!(
            k1.last_used,
            LastUsed::Unknown,
            "Anthropic reports no last use"
        );
        let owner = k1.reported.owner.as_ref().unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.source, owner.departed),
            ("ada@example.com", OwnerSource::Provider, false)
        );
        let ws = ids.iter().find(|i| i.item.kind == WORKSPACE).unwrap();
        assert_eq!(ws.item.id, "anthropic:org-1/workspace/wrkspc_1");
        assert_eq!(ws.item.reported.human.as_ref().map(|h| h.0), Some(false));
        assert!(ws.item.reported.owner.is_none());
        let k2 = &ws.credentials[0].item;
        assert_eq!(k2.status, Status::Expired, "archived keys cannot come back");
        assert!(k2.expires_at.is_some());
    }
}
