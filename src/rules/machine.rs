//! Who the privilege rules (`admin-privilege`, `privilege-escalation`,
//! `wildcard-privilege`) apply to: non-human identities, and human users who
//! hold active access keys, because a machine can use those keys. Never a
//! root principal (its provider's own rule covers it), and never an item the
//! platform manages itself (an AWS service-linked role): only its service can
//! use it, and nobody can edit its permissions.

use crate::model::{Class, Identity};

/// How to name the holder in a message, or `None` when the rules leave it out.
pub fn holder(identity: &Identity) -> Option<String> {
    let item = &identity.item;
    if item.kind.class() == Class::Root || item.platform_managed {
        return None;
    }
    if !item.human {
        return Some(format!("non-human {}", item.kind));
    }
    let keys = identity.active(Class::AccessKey).count();
    (keys > 0).then(|| format!("human user with {keys} active access key(s)"))
}
