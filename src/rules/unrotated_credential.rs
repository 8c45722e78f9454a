//! `unrotated-credential`: an active long-lived secret (access key, signing
//! certificate) older than `max_credential_age_days` (`[thresholds.ai]` for AI
//! credentials).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Class, Credential, Identity, Status};

pub struct UnrotatedCredential;

static META: RuleMeta = crate::rule_meta! {
    id: "unrotated-credential",
    severity: Medium,
    owasp: Nhi7,
    summary: "An active long-lived secret is older than max_credential_age_days (default 90)",
    remediation: "Rotate the secret: create a new one, move the workload to it, then delete the old one. Better, replace it with short-lived credentials.",
};

impl Rule for UnrotatedCredential {
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
        let long_lived = matches!(c.kind.class(), Class::AccessKey | Class::Certificate);
        let Some(created) = c.created_at else { return };
        let threshold = ctx.limits(c).max_credential_age_days;
        let age = ctx.days_since(created);
        if !long_lived || c.human || c.status != Status::Active || age <= threshold {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "created {age} days ago and never rotated; {}",
                ctx.threshold(c, threshold)
            ),
        );
    }
}
