//! `unused-credential`: an active machine credential not used in
//! `stale_after_days` (`[thresholds.ai]` for AI credentials).

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, LastUsed, Status};

pub struct UnusedCredential;

static META: RuleMeta = RuleMeta {
    id: "unused-credential",
    severity: Severity::Medium,
    summary: "An active credential has not been used in stale_after_days (default 90)",
    remediation: "Deactivate the credential, wait for complaints, then delete it.",
};

impl Rule for UnusedCredential {
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
        let LastUsed::At(t) = c.last_used else { return };
        let threshold = ctx.limits(c).stale_after_days;
        let days = ctx.days_since(t);
        if c.human || c.status != Status::Active || days <= threshold {
            return;
        }
        out.credential(
            identity,
            credential,
            format!("not used for {days} days; {}", ctx.threshold(c, threshold)),
        );
    }
}
