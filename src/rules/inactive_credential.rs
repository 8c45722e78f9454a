//! `inactive-credential`: a credential disabled but not deleted, with no
//! activity (creation or use) for over `stale_after_days` (`[thresholds.ai]`
//! for AI credentials).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Status};

pub struct InactiveCredential;

static META: RuleMeta = crate::rule_meta! {
    id: "inactive-credential",
    severity: Low,
    owasp: Nhi1,
    summary: "A credential is disabled but not deleted, idle for over stale_after_days",
    remediation: "Delete the inactive credential; a disabled key can be re-enabled by anyone allowed to manage keys.",
};

impl Rule for InactiveCredential {
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
        if c.status != Status::Inactive {
            return;
        }
        let Some(last) = c.created_at.into_iter().chain(c.last_used.at()).max() else {
            return;
        };
        let threshold = ctx.limits(c).stale_after_days;
        let days = ctx.days_since(last);
        if days > threshold {
            out.credential(
                identity,
                credential,
                format!(
                    "inactive, last activity {days} days ago; {}",
                    ctx.threshold(c, threshold)
                ),
            );
        }
    }
}
