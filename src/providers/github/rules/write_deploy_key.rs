//! `write-deploy-key`: an enabled deploy key with write access
//! (`read_only: false`), which can push to its repository without any
//! person's account.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, PrivilegeLevel, Status};
use crate::providers::github::DEPLOY_KEY;

pub struct WriteDeployKey;

static META: RuleMeta = crate::rule_meta! {
    id: "write-deploy-key",
    severity: Medium,
    owasp: Nhi5,
    summary: "A deploy key has write access to its repository",
    remediation: "Recreate the key read-only unless the workload must push; for pushes prefer a GitHub App with contents: write on that one repository.",
};

impl Rule for WriteDeployKey {
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
        if c.kind != DEPLOY_KEY
            || c.status != Status::Active
            || c.privilege.level < PrivilegeLevel::Write
        {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "deploy key {} can push to {} (read_only: false); {}",
                c.name,
                identity.item.name,
                ctx.describe_use(c.last_used)
            ),
        );
    }
}
