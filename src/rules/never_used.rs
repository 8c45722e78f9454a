//! `never-used`: an active machine credential, or a role, that was never used
//! and is older than `never_used_grace_days` (`[thresholds.ai]` for AI items).
//! An unknown last use is not "never".

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Item, LastUsed, Status};

pub struct NeverUsed;

static META: RuleMeta = crate::rule_meta! {
    id: "never-used",
    severity: Medium,
    owasp: Nhi1,
    summary:
        "An active credential or role was never used and is older than never_used_grace_days (default 14)",
    remediation: "Delete the credential or role; create one when a workload actually needs it.",
};

impl NeverUsed {
    /// The message when `item` was never used and is past the grace period.
    fn message(ctx: &Context, item: &Item) -> Option<String> {
        if item.human || item.status != Status::Active || item.last_used != LastUsed::Never {
            return None;
        }
        let grace = ctx.limits(item).never_used_grace_days;
        let ai = if item.ai { "AI " } else { "" };
        match item.created_at.map(|t| ctx.days_since(t)) {
            Some(age) if age <= grace => None,
            Some(age) => Some(format!(
                "never used since it was created {age} days ago; {ai}grace {grace}"
            )),
            None => Some("never used; creation date unknown".to_string()),
        }
    }
}

impl Rule for NeverUsed {
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
