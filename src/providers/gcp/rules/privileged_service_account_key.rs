//! `privileged-service-account-key`: an active user-managed key on a
//! service account that is admin or can escalate. Whoever copies the key
//! file holds that privilege, from anywhere, until the key is deleted.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, PrivilegeLevel, Status};
use crate::providers::gcp::details::KeyDetails;
use crate::providers::gcp::SERVICE_ACCOUNT_KEY;

pub struct PrivilegedServiceAccountKey;

static META: RuleMeta = crate::rule_meta! {
    id: "privileged-service-account-key",
    severity: Medium,
    owasp: Nhi7,
    summary: "A user-managed key exists on a service account that is admin or can escalate its privilege",
    remediation: "Delete the key and run the workload as an attached service account or through workload identity federation; if a key must exist, move it to an account with only the roles the workload needs.",
};

impl Rule for PrivilegedServiceAccountKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        let c = &credential.item;
        let level = identity.item.privilege.level;
        if c.kind != SERVICE_ACCOUNT_KEY
            || c.status != Status::Active
            || identity.item.platform_managed
            || level < PrivilegeLevel::Privileged
            || c.details::<KeyDetails>().is_some_and(|d| d.system_managed())
        {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "user-managed key {} on {} service account {}",
                c.name, level, identity.item.name
            ),
        );
    }
}
