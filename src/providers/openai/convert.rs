//! An OpenAI [`Tenant`] as inventory. Pure: no I/O and no clock.
//!
//! - A project service account is a non-human identity
//!   (`openai:<org>/project/<project>/service-account/<id>`) holding its keys.
//! - A user who owns keys is a human identity (`openai:<org>/user/<id>`)
//!   holding their project keys and admin keys. The user is each key's
//!   owner; when the key's `owner_project_access` is `inactive`, or the user
//!   is no longer in the organization, that owner is marked departed.
//! - Items in archived projects are `expired`: OpenAI no longer accepts them.
//! - Privilege comes from roles: an admin key is `admin`; a service account
//!   with the project role `owner`, and its keys, are `privileged`. Other keys
//!   are `unknown`, since the admin API does not report a key's permission
//!   scope (a person's project role is theirs, not their key's).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::model::{OrganizationUser, Project, ProjectApiKey, Tenant};
use super::{ADMIN_KEY, API_KEY, ID, SERVICE_ACCOUNT, USER};
use crate::model::{
    Credential, Evidence, Identity, Item, Kind, LastUsed, Owner, OwnerSource, Privilege,
    PrivilegeLevel, Status,
};
use crate::providers::admin_api::KeyHint;

/// Every identity in the tenant, each with its credentials, in id order.
pub fn identities(tenant: &Tenant) -> Vec<Identity> {
    let mut b = Builder {
        scope: &tenant.organization,
        users: tenant.users.iter().map(|u| (u.id.as_str(), u)).collect(),
        out: BTreeMap::new(),
    };
    for key in &tenant.admin_api_keys {
        let owner = key.owner.as_ref();
        let owner_id = owner.and_then(|o| o.id.as_deref()).unwrap_or("unknown");
        let by_user = owner.and_then(|o| o.kind.as_deref()) == Some("user");
        let holder = if by_user {
            b.user(owner_id, owner.and_then(|o| o.name.as_deref()))
        } else {
            let name = owner
                .and_then(|o| o.name.as_deref())
                .unwrap_or("(owner not reported)");
            let id = format!("openai:{}/service-account/{owner_id}", b.scope);
            let sa = b.out.entry(id.clone()).or_insert_with(|| {
                let mut i = identity(id, b.scope, SERVICE_ACCOUNT, name);
                i.item.native_id = Some(owner_id.to_string());
                i.item.reported.human = Some((false, "OpenAI organization service account".into()));
                i
            });
            sa.item.reported.privilege = Some(Arc::new(admin_key_privilege(
                key.name.as_deref().unwrap_or(&key.id),
            )));
            sa.item.id.clone()
        };
        let departed = by_user.then(|| b.departed(owner_id, None)).flatten();
        let name = key.name.clone().unwrap_or_else(|| key.id.clone());
        let mut c = credential(&b.out[&holder], ADMIN_KEY, &key.id, name);
        c.item.details = KeyHint::boxed(key.redacted_value.clone());
        c.item.created_at = key.created_at;
        c.item.last_used = last_used(key.last_used_at);
        c.item.expires_at = key.expires_at;
        c.item.reported.privilege = Some(Arc::new(admin_key_privilege(&c.item.name)));
        if by_user {
            c.item.reported.owner = Some(b.owner_of(owner_id, departed));
        }
        b.push(&holder, c);
    }
    for snapshot in &tenant.projects {
        let project = &snapshot.project;
        for sa in &snapshot.service_accounts {
            let name = sa.name.as_deref().unwrap_or(&sa.id);
            let id = b.service_account(project, &sa.id, name, sa.role.as_deref());
            b.out.get_mut(&id).expect("just added").item.created_at = sa.created_at;
        }
        for key in &snapshot.api_keys {
            b.project_key(project, key);
        }
    }
    b.out.into_values().collect()
}

struct Builder<'a> {
    scope: &'a str,
    users: BTreeMap<&'a str, &'a OrganizationUser>,
    out: BTreeMap<String, Identity>,
}

impl Builder<'_> {
    /// The identity of user `id`, added if new; returns its inventory id.
    fn user(&mut self, id: &str, fallback_name: Option<&str>) -> String {
        let known = self.users.get(id).copied();
        let key = format!("openai:{}/user/{id}", self.scope);
        let scope = self.scope;
        self.out.entry(key.clone()).or_insert_with(|| {
            let name = known
                .and_then(|u| u.email.as_deref().or(u.name.as_deref()))
                .or(fallback_name)
                .unwrap_or(id);
            let mut i = identity(key.clone(), scope, USER, name);
            i.item.native_id = Some(id.to_string());
            i.item.reported.human = Some((
                true,
                match known {
                    Some(_) => "OpenAI organization user".into(),
                    None => "OpenAI user who is no longer in the organization".into(),
                },
            ));
            if let Some(u) = known {
                i.item.created_at = u.added_at;
                i.item.reported.privilege = match u.role.as_deref() {
                    Some("owner") => Some(role(
                        PrivilegeLevel::Admin,
                        "organization role owner",
                        "organization",
                    )),
                    Some("reader") => Some(role(
                        PrivilegeLevel::Read,
                        "organization role reader",
                        "organization",
                    )),
                    _ => None,
                }
                .map(Arc::new);
            }
            i
        });
        key
    }

    /// The identity of a project's service account, added if new.
    fn service_account(
        &mut self,
        project: &Project,
        id: &str,
        name: &str,
        role_name: Option<&str>,
    ) -> String {
        let key = format!(
            "openai:{}/project/{}/service-account/{id}",
            self.scope, project.id
        );
        let scope = self.scope;
        self.out.entry(key.clone()).or_insert_with(|| {
            let mut i = identity(
                key.clone(),
                scope,
                SERVICE_ACCOUNT,
                &format!("{}/{name}", project.label()),
            );
            i.item.native_id = Some(id.to_string());
            i.item.reported.human = Some((false, "OpenAI project service account".into()));
            i.item.reported.privilege = project_role(project, role_name).map(Arc::new);
            if project.archived() {
                i.item.status = Status::Expired;
            }
            i
        });
        key
    }

    /// Why user `id` counts as departed for a key, if they do.
    fn departed(&self, id: &str, project: Option<(&Project, &ProjectApiKey)>) -> Option<String> {
        if let Some((p, key)) = project {
            if key.owner_project_access.as_deref() == Some("inactive") {
                return Some(format!(
                    "owner_project_access is inactive: the owner lost access to project {}",
                    p.label()
                ));
            }
        }
        (!self.users.contains_key(id))
            .then(|| format!("user {id} is no longer in the organization"))
    }

    /// User `id` as a key's owner, reported by OpenAI.
    fn owner_of(&self, id: &str, departed: Option<String>) -> Owner {
        let holder = &self.out[&format!("openai:{}/user/{id}", self.scope)];
        Owner {
            name: holder.item.name.clone(),
            source: OwnerSource::Provider,
            evidence: departed
                .clone()
                .unwrap_or_else(|| format!("OpenAI reports user {id} as the key's owner")),
            departed: departed.is_some(),
        }
    }

    fn project_key(&mut self, project: &Project, key: &ProjectApiKey) {
        let owner = key.owner.as_ref();
        let user = owner.and_then(|o| o.user.as_ref());
        let sa = owner.and_then(|o| o.service_account.as_ref());
        let by_user = match owner.and_then(|o| o.kind.as_deref()) {
            Some("user") => user.is_some(),
            Some("service_account") => false,
            _ => user.is_some() && sa.is_none(),
        };
        // A service account's project role is its own privilege; a person's
        // project role is theirs, not their key's.
        let (holder, owner_role, reported) = match (by_user, user, sa) {
            (true, Some(u), _) => {
                let fallback = u.email.as_deref().or(u.name.as_deref());
                let holder = self.user(&u.id, fallback);
                let departed = self.departed(&u.id, Some((project, key)));
                (holder, None, Some(self.owner_of(&u.id, departed)))
            }
            (_, _, Some(s)) => {
                let name = s.name.as_deref().unwrap_or(&s.id);
                let holder = self.service_account(project, &s.id, name, s.role.as_deref());
                (holder, s.role.as_deref(), None)
            }
            _ => {
                let holder = self.service_account(project, "unknown", "(owner not reported)", None);
                (holder, None, None)
            }
        };
        // A service account's name already says its project.
        let key_name = key.name.as_deref().unwrap_or(&key.id);
        let name = match reported {
            Some(_) => format!("{}/{key_name}", project.label()),
            None => key_name.to_string(),
        };
        let mut c = credential(&self.out[&holder], API_KEY, &key.id, name);
        c.item.details = KeyHint::boxed(key.redacted_value.clone());
        c.item.created_at = key.created_at;
        c.item.last_used = last_used(key.last_used_at);
        c.item.expires_at = key.expires_at;
        c.item.reported.privilege = project_role(project, owner_role).map(Arc::new);
        c.item.reported.owner = reported;
        if project.archived() {
            c.item.status = Status::Expired;
        }
        self.push(&holder, c);
    }

    /// Adds a credential to its holder, once.
    fn push(&mut self, holder: &str, c: Credential) {
        let h = self.out.get_mut(holder).expect("holder added first");
        if !h.credentials.iter().any(|d| d.item.id == c.item.id) {
            h.credentials.push(c);
        }
    }
}

fn identity(id: String, scope: &str, kind: Kind, name: &str) -> Identity {
    Identity::new(Item::new(id, ID, scope.to_string(), kind, name.to_string()))
}

/// A key of `holder`. Its human verdict is left to enrichment: a machine
/// credential held by its holder.
fn credential(holder: &Identity, kind: Kind, native: &str, name: String) -> Credential {
    let h = &holder.item;
    let mut item = Item::new(
        format!("{}/{kind}/{native}", h.id),
        ID,
        h.scope.clone(),
        kind,
        name,
    );
    item.native_id = Some(native.to_string());
    Credential {
        item,
        parent_id: h.id.clone(),
    }
}

/// `last_used_at` absent: not reported; null: never used.
fn last_used(v: Option<Option<Timestamp>>) -> LastUsed {
    match v {
        None => LastUsed::Unknown,
        Some(None) => LastUsed::Never,
        Some(Some(t)) => LastUsed::At(t),
    }
}

fn role(level: PrivilegeLevel, policy: &str, via: &str) -> Privilege {
    Privilege {
        level,
        evidence: vec![Evidence {
            policy: policy.into(),
            via: via.into(),
            statement: None,
            actions: Vec::new(),
            conditions: Vec::new(),
        }],
        ..Privilege::default()
    }
}

fn admin_key_privilege(name: &str) -> Privilege {
    role(
        PrivilegeLevel::Admin,
        &format!("admin API key {name}"),
        "organization",
    )
}

/// A project owner manages the project's members and keys; other roles say
/// nothing about what a key may do.
fn project_role(project: &Project, role_name: Option<&str>) -> Option<Privilege> {
    match role_name {
        Some("owner") => Some(role(
            PrivilegeLevel::Privileged,
            "project role owner",
            &format!("project {}", project.label()),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tenant(value: serde_json::Value) -> Tenant {
        serde_json::from_value(value).expect("tenant")
    }

    fn key(id: &str, last_used: Option<serde_json::Value>) -> serde_json::Value {
        let mut k = json!({"object": "organization.project.api_key", "id": id, "name": id,
            "redacted_value": "sk-svcacct-...abcd", "created_at": 1_700_000_000,
            "owner": {"type": "service_account",
                "service_account": {"id": "svc_1", "name": "bot", "role": "member", "created_at": 1}}});
        if let Some(v) = last_used {
            k["last_used_at"] = v;
        }
        k
    }

    #[test]
    fn last_used_absent_is_unknown_null_is_never() {
        let t = tenant(json!({"organization": "org-1", "users": [], "projects": [{
            "project": {"id": "proj_1", "name": "p", "status": "active"},
            "api_keys": [key("k_absent", None), key("k_null", Some(json!(null))),
                         key("k_used", Some(json!(1_700_000_100)))]}]}));
        let ids = identities(&t);
        assert_eq!(ids.len(), 1, "the service account, made from the key owner");
        let sa = &ids[0];
        assert_eq!(
            sa.item.id,
            "openai:org-1/project/proj_1/service-account/svc_1"
        );
        assert_eq!(sa.item.name, "p/bot");
        let usage: Vec<_> = sa
            .credentials
            .iter()
            .map(|c| (c.item.name.as_str(), c.item.last_used))
            .collect();
        assert_eq!(
            usage,
            [
                ("k_absent", LastUsed::Unknown),
                ("k_null", LastUsed::Never),
                (
                    "k_used",
                    LastUsed::At(Timestamp::from_second(1_700_000_100).unwrap())
                ),
            ]
        );
        assert!(sa.credentials.iter().all(|c| c.item.details::<KeyHint>()
            == Some(&KeyHint {
                hint: Some("sk-svcacct-...abcd".into())
            })));
    }

    #[test]
    fn admin_keys_of_service_accounts_and_unreported_owners() {
        let t = tenant(
            json!({"organization": "org-1", "users": [], "admin_api_keys": [
            {"object": "organization.admin_api_key", "id": "key_a", "name": "ci-admin",
             "redacted_value": "sk-admin...wxyz", "created_at": 1, "last_used_at": null,
             "owner": {"type": "service_account", "object": "organization.service_account",
                       "id": "svc_org", "name": "ci", "created_at": 1, "role": "member"}},
            {"object": "organization.admin_api_key", "id": "key_b", "name": "orphan",
             "redacted_value": "sk-admin...zzzz", "created_at": 1, "last_used_at": null}]}),
        );
        let ids = identities(&t);
        let names: Vec<_> = ids.iter().map(|i| i.item.id.as_str()).collect();
        assert_eq!(
            names,
            [
                "openai:org-1/service-account/svc_org",
                "openai:org-1/service-account/unknown"
            ]
        );
        for i in &ids {
            let reported = &i.item.reported;
            assert_eq!(
                reported.human,
                Some((false, "OpenAI organization service account".into()))
            );
            assert_eq!(
                reported.privilege.as_ref().map(|p| p.level),
                Some(PrivilegeLevel::Admin),
                "{}",
                i.item.id
            );
            let key = &i.credentials[0].item;
            assert_eq!(key.kind, ADMIN_KEY);
            assert!(key.reported.owner.is_none(), "no person to own it");
            assert_eq!(
                key.reported.privilege.as_ref().unwrap().evidence[0].describe(),
                format!("admin API key {} (organization)", key.name),
                "no dangling colon without actions"
            );
        }
    }
}
