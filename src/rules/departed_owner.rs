//! `departed-owner`: the owner or creator of an active identity or credential
//! is known to have left. Providers say so: a GitHub PAT's owner or a deploy
//! key's `added_by` is no longer an org member ([`Item::creator`]); an OpenAI
//! key's owner lost project access or left, an Anthropic key's creator is
//! gone from the org's users ([`Owner::departed`](crate::model::Owner)).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Item, Status};

pub struct DepartedOwner;

static META: RuleMeta = crate::rule_meta! {
    id: "departed-owner",
    severity: High,
    owasp: Nhi1,
    summary: "The owner or creator of an active identity or credential has left the organization or lost access",
    remediation: "Revoke the credential, or hand it to a current member or team: issue a replacement they own, then delete this one.",
};

/// Why `item`'s owner or creator counts as departed, if it does.
fn describe(item: &Item) -> Option<String> {
    // An inactive or expired item cannot act until someone turns it back on.
    if item.status != Status::Active {
        return None;
    }
    if let Some(owner) = item.owner.as_ref().filter(|o| o.departed) {
        return Some(format!(
            "owner {} ({}) has left: {}",
            owner.name, owner.source, owner.evidence
        ));
    }
    let creator = item.creator.as_ref().filter(|c| c.departed())?;
    Some(format!(
        "{} {} belongs to {}, who is no longer a member of {}",
        item.kind, item.name, creator.name, item.scope
    ))
}

impl Rule for DepartedOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        if let Some(message) = describe(&identity.item) {
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
        // An owner inherited from the holder is reported once, on the holder.
        let c = &credential.item;
        if c.owner.is_some() && c.owner == identity.item.owner && c.creator.is_none() {
            return;
        }
        if let Some(message) = describe(c) {
            out.credential(identity, credential, message);
        }
    }
}
