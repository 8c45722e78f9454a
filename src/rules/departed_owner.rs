//! `departed-owner`: the owner or creator the provider names on an item (a
//! GitHub PAT's owner, a deploy key's `added_by`) is no longer a member of
//! the scope (the organization), yet the item still works.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, Item, Status};

pub struct DepartedOwner;

static META: RuleMeta = RuleMeta {
    id: "departed-owner",
    severity: Severity::High,
    summary: "The owner or creator of a credential is no longer a member of the organization",
    remediation: "Revoke the credential, or hand it to a current member or team: issue a replacement they own, then delete this one.",
};

/// The message when `item`'s creator has left, if so.
fn departed(item: &Item) -> Option<String> {
    let creator = item.creator.as_ref().filter(|c| c.departed())?;
    (item.status != Status::Expired).then(|| {
        format!(
            "{} {} belongs to {}, who is no longer a member of {}",
            item.kind, item.name, creator.name, item.scope
        )
    })
}

impl Rule for DepartedOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        if let Some(message) = departed(&identity.item) {
            out.identity(identity, message);
        }
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        if let Some(message) = departed(&credential.item) {
            out.credential(identity, credential, message);
        }
    }
}
