//! `no-expiry`: an active machine item of a kind that can carry an expiry date
//! (`Kind::can_expire`: AI platform keys, GitHub fine-grained and classic PATs,
//! app user tokens) has none. Kinds that cannot expire (AWS access keys, SSH
//! and deploy keys) are left to the staleness rules.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, Item, Status};

pub struct NoExpiry;

static META: RuleMeta = RuleMeta {
    id: "no-expiry",
    severity: Severity::Medium,
    summary: "An active token or key that could be given an expiry date has none",
    remediation: "Issue a replacement with an expiry date (or move to short-lived credentials), switch the workload to it, then delete this one; require expiry by policy (GitHub: the organization's personal access token policy).",
};

fn applies(item: &Item) -> bool {
    item.kind.can_expire()
        && item.expires_at.is_none()
        && item.status == Status::Active
        && !item.human
}

impl Rule for NoExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        if applies(&identity.item) {
            out.identity(
                identity,
                format!("active {} never expires", identity.item.kind),
            );
        }
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        if applies(&credential.item) {
            let kind = credential.item.kind;
            out.credential(identity, credential, format!("active {kind} never expires"));
        }
    }
}
