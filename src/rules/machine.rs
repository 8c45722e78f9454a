//! Who the privilege rules (`admin-privilege`, `privilege-escalation`,
//! `wildcard-privilege`) apply to: non-human identities, and human users who
//! hold active access keys, because a machine can use those keys. Never the
//! root user (`root-access-key` covers root), and never an AWS service-linked
//! role: only its service can assume it, and nobody can edit its policies.

use crate::inventory::{Identity, Kind};

/// `non-human role`, `human user with 2 active access key(s)`, or `None`
/// when the identity is out of scope.
pub fn holder(identity: &Identity) -> Option<String> {
    let item = &identity.item;
    let service_linked = item.kind == Kind::Role
        && identity
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("/aws-service-role/"));
    if item.kind == Kind::Root || service_linked {
        return None;
    }
    if !item.human {
        return Some(format!("non-human {}", item.kind));
    }
    let keys = identity.active(Kind::AccessKey).count();
    (keys > 0).then(|| format!("human user with {keys} active access key(s)"))
}
