//! `departed-owner`: an active identity or credential whose owner is known to
//! have left (a provider sets `Owner::departed`, with the reason in its evidence).

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, Item, Status};

pub struct DepartedOwner;

static META: RuleMeta = RuleMeta {
    id: "departed-owner",
    severity: Severity::High,
    summary: "The owner of an active identity or credential has left the organization or lost access",
    remediation: "Give the identity a current owner (a tag or an [[owners]] entry) who rotates its secrets, or delete it if nobody needs it.",
};

/// `owner ada@example.com has left: ...`, when `item`'s owner departed.
fn describe(item: &Item) -> Option<String> {
    let owner = item.owner.as_ref().filter(|o| o.departed)?;
    (item.status == Status::Active).then(|| {
        format!(
            "owner {} ({}) has left: {}",
            owner.name, owner.source, owner.evidence
        )
    })
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
        if credential.item.owner.is_some() && credential.item.owner == identity.item.owner {
            return;
        }
        if let Some(message) = describe(&credential.item) {
            out.credential(identity, credential, message);
        }
    }
}
