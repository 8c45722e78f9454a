//! `admin-privilege`: full admin or equivalent reachable by a machine:
//! every IAM permissions-management action on every resource after denies and
//! the permissions boundary (`*` on `*`, `iam:*` on `*`, AdministratorAccess,
//! IAMFullAccess), or GitHub `administration: write`; also an active machine
//! credential whose own grant is admin (a GitHub token, an OpenAI admin key)
//! when its holder is not already admin.

use super::{machine, Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, PrivilegeLevel, Status};

pub struct AdminPrivilege;

static META: RuleMeta = crate::rule_meta! {
    id: "admin-privilege",
    severity: Critical,
    owasp: Nhi5,
    summary: "Full admin or equivalent on its platform: every permissions-management action on every resource, an admin-equivalent managed policy or role, or an admin grant or key",
    remediation: "Replace the admin grant with one scoped to the actions and resources the workload uses.",
};

impl Rule for AdminPrivilege {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let privilege = &identity.item.privilege;
        if privilege.level != PrivilegeLevel::Admin {
            return;
        }
        let Some(who) = machine::holder(identity) else {
            return;
        };
        let via = privilege
            .evidence
            .first()
            .map(|e| e.describe())
            .unwrap_or_default();
        out.identity(identity, format!("{who} has full admin via {via}"));
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        let c = &credential.item;
        if c.privilege.level != PrivilegeLevel::Admin
            || identity.item.privilege.level == PrivilegeLevel::Admin
            || c.human
            || c.status != Status::Active
        {
            return;
        }
        let via = c
            .privilege
            .evidence
            .first()
            .map(|e| e.describe())
            .unwrap_or_default();
        out.credential(
            identity,
            credential,
            format!("{} {} has full admin via {via}", c.kind, c.name),
        );
    }
}
