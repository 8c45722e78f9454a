//! `broad-trust`: a role's trust policy lets in more than it names: any
//! principal (`*`) without a condition tying it to known accounts, another
//! account without `sts:ExternalId`, an OIDC provider without an audience,
//! or GitHub Actions without a `sub` that names one repository. See
//! [`crate::policy::trust`].

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Identity, Kind};
use crate::policy::trust;

pub struct BroadTrust;

static META: RuleMeta = RuleMeta {
    id: "broad-trust",
    severity: Severity::High,
    summary: "A role's trust policy lets in any principal (*), another account without sts:ExternalId, an OIDC provider without an audience, or any GitHub repository",
    remediation: "Name the exact principals in the trust policy; require sts:ExternalId (third parties) or aws:PrincipalOrgID (your organization) for cross-account trust; for OIDC, require the audience and a sub that names one repository (and branch or environment).",
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
