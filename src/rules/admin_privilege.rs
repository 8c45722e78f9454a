//! `admin-privilege`: full admin or equivalent reachable by a machine:
//! every IAM permissions-management action on every resource after denies and
//! the permissions boundary (`*` on `*`, `iam:*` on `*`, AdministratorAccess,
//! IAMFullAccess).

use super::{machine, Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Identity, PrivilegeLevel};

pub struct AdminPrivilege;

static META: RuleMeta = RuleMeta {
    id: "admin-privilege",
    severity: Severity::Critical,
    summary: "Full admin or equivalent: effective * on *, iam:* on *, or an admin-equivalent AWS managed policy",
    remediation: "Replace the admin grant with a policy scoped to the actions and resources the workload uses (IAM Access Analyzer can generate one from CloudTrail).",
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
}
