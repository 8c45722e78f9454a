//! `no-expiry`: an active credential of a kind that can expire (a GitHub
//! fine-grained or classic personal access token, an app user token) has no
//! expiry date. Kinds that cannot expire (SSH and deploy keys, AWS access
//! keys) are left to the staleness rules.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, Status};

pub struct NoExpiry;

static META: RuleMeta = RuleMeta {
    id: "no-expiry",
    severity: Severity::Medium,
    summary: "An active token of a kind that can expire has no expiry date",
    remediation: "Replace the token with one that expires, and require expiry by policy (GitHub: the organization's personal access token policy).",
};

impl Rule for NoExpiry {
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
        if c.human || c.status != Status::Active || !c.kind.can_expire() || c.expires_at.is_some() {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "{} never expires; {}",
                c.kind,
                ctx.describe_use(c.last_used)
            ),
        );
    }
}
