//! `unused-credential`: an active machine credential, or a role, not used in
//! `stale_after_days` (`[thresholds.ai]` for AI items).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Item, LastUsed, Status};

pub struct UnusedCredential;

static META: RuleMeta = crate::rule_meta! {
    id: "unused-credential",
    severity: Medium,
    owasp: Nhi1,
    summary: "An active credential or role has not been used in stale_after_days (default 90)",
    remediation: "Deactivate the credential (or remove the role's trust), wait for complaints, then delete it.",
};

impl UnusedCredential {
    /// The message when `item` was last used more than `stale_after_days` ago.
    fn message(ctx: &Context, item: &Item) -> Option<String> {
        let LastUsed::At(t) = item.last_used else {
            return None;
        };
        let threshold = ctx.limits(item).stale_after_days;
        let days = ctx.days_since(t);
        (!item.human && item.status == Status::Active && days > threshold).then(|| {
            format!(
                "not used for {days} days; {}",
                ctx.threshold(item, threshold)
            )
        })
    }
}

impl Rule for UnusedCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, ctx: &Context, identity: &Identity, out: &mut Sink) {
        if !identity.is_customer_role() {
            return;
        }
        if let Some(message) = Self::message(ctx, &identity.item) {
            out.identity(identity, format!("role {message}"));
        }
    }

    fn check_credential(
        &self,
        ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        if let Some(message) = Self::message(ctx, &credential.item) {
            out.credential(identity, credential, message);
        }
    }
}
