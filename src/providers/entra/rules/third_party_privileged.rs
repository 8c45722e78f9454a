//! `third-party-privileged`: a service principal of a multi-tenant app that
//! another organization owns (`appOwnerOrganizationId` is not this tenant,
//! nor Microsoft) holds admin or privileged permissions or roles here.

use crate::model::{Identity, PrivilegeLevel};
use crate::providers::entra::EntraDetails;
use crate::rules::{Context, Rule, RuleMeta, Sink};

pub struct ThirdPartyPrivileged;

static META: RuleMeta = crate::rule_meta! {
    id: "third-party-privileged",
    severity: High,
    owasp: Nhi3,
    summary: "A third-party app from another tenant holds admin or privileged permissions in this tenant",
    remediation: "Check that the vendor still needs these permissions; revoke admin consent for what it does not use (Enterprise applications > Permissions), or disable the service principal if nobody uses the app.",
};

impl Rule for ThirdPartyPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let item = &identity.item;
        let Some(facts) = item.details::<EntraDetails>().map(|d| &d.entra) else {
            return;
        };
        let level = item.privilege.level;
        if !facts.third_party || item.platform_managed || level < PrivilegeLevel::Privileged {
            return;
        }
        let via: Vec<String> = item
            .privilege
            .evidence
            .iter()
            .filter(|e| !e.actions.is_empty())
            .take(3)
            .map(|e| e.actions.join(", "))
            .collect();
        out.identity(
            identity,
            format!(
                "third-party app {} (tenant {}) holds {level} privilege here: {}",
                item.name,
                facts.app_owner_organization_id.as_deref().unwrap_or("unknown"),
                via.join("; ")
            ),
        );
    }
}
