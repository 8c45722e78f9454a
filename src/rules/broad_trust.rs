//! `broad-trust`: a role's trust policy allows any principal (`*`) or another
//! account without an `sts:ExternalId` condition.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Identity, Kind};
use crate::policy::trust;

pub struct BroadTrust;

static META: RuleMeta = RuleMeta {
    id: "broad-trust",
    severity: Severity::High,
    summary: "A role's trust policy allows any principal (*) or another account without an sts:ExternalId condition",
    remediation: "Name the exact principals in the trust policy, and require sts:ExternalId (third parties) or aws:PrincipalOrgID (your organization) for cross-account trust.",
};

impl Rule for BroadTrust {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let (Kind::Role, Some(doc)) = (identity.item.kind, &identity.trust_policy) else {
            return;
        };
        let grants = trust::broad_grants(doc, &identity.item.scope);
        if grants.is_empty() {
            return;
        }
        let text: Vec<String> = grants
            .iter()
            .map(|g| format!("statement {} {}", g.statement, g.reason))
            .collect();
        out.identity(identity, format!("trust policy {}", text.join("; ")));
    }
}
