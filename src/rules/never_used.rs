//! `never-used`: an active machine credential that was never used and is older
//! than `never_used_grace_days` (`[thresholds.ai]` for AI credentials). An
//! unknown last use is not "never".

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, LastUsed, Status};

pub struct NeverUsed;

static META: RuleMeta = RuleMeta {
    id: "never-used",
    severity: Severity::Medium,
    summary:
        "An active credential was never used and is older than never_used_grace_days (default 14)",
    remediation: "Delete the credential; issue one when a workload actually needs it.",
};

impl Rule for NeverUsed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_credential(
        &self,
        ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        let c = &credential.item;
        if c.human || c.status != Status::Active || c.last_used != LastUsed::Never {
            return;
        }
        let grace = ctx.limits(c).never_used_grace_days;
        let ai = if c.ai { "AI " } else { "" };
        let message = match c.created_at.map(|t| ctx.days_since(t)) {
            Some(age) if age <= grace => return,
            Some(age) => {
                format!("never used since it was created {age} days ago; {ai}grace {grace}")
            }
            None => "never used; creation date unknown".to_string(),
        };
        out.credential(identity, credential, message);
    }
}
