//! `broad-trust`: a role's trust lets in more than it names. The provider
//! finds the grants (`Privilege::broad_trust`): for AWS, any principal (`*`)
//! without a condition tying it to known accounts, another account without
//! `sts:ExternalId`, an OIDC provider without an audience, or GitHub Actions
//! without a `sub` that names one repository.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::Identity;

pub struct BroadTrust;

static META: RuleMeta = crate::rule_meta! {
    id: "broad-trust",
    severity: High,
    owasp: Nhi6,
    summary: "A role's trust lets in more than it names: any principal, another account without an external id, or a federated identity provider without an audience or subject condition",
    remediation: "Name the exact principals the role trusts; require an external id for third parties; for federated identities, require the audience and a subject that names one workload.",
};

impl Rule for BroadTrust {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let grants = &identity.item.privilege.broad_trust;
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
