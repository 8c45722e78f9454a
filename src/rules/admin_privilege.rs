//! `admin-privilege`: full admin or equivalent (`*` on `*`, AdministratorAccess,
//! `iam:*` on `*`) reachable by a machine: a non-human identity, or a human
//! user holding active access keys.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Identity, Kind, PrivilegeLevel};

pub struct AdminPrivilege;

static META: RuleMeta = RuleMeta {
    id: "admin-privilege",
    severity: Severity::Critical,
    summary: "Full admin or equivalent: *:*, AdministratorAccess, IAMFullAccess-like iam:* on *",
    remediation: "Replace the admin grant with a policy scoped to the actions and resources the workload uses (IAM Access Analyzer can generate one from CloudTrail).",
};

impl Rule for AdminPrivilege {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let item = &identity.item;
        if item.privilege.level != PrivilegeLevel::Admin || item.kind == Kind::Root {
            return;
        }
        let keys = identity.active(Kind::AccessKey).count();
        if item.human && keys == 0 {
            return;
        }
        let via = item
            .privilege
            .evidence
            .first()
            .map(|e| {
                let stmt = e
                    .statement
                    .as_deref()
                    .map(|s| format!(" statement {s}"))
                    .unwrap_or_default();
                format!("{} ({}){stmt}: {}", e.policy, e.via, e.actions.join(", "))
            })
            .unwrap_or_default();
        let who = if item.human {
            format!("human user with {keys} active access key(s)")
        } else {
            format!("non-human {}", item.kind)
        };
        out.identity(identity, format!("{who} has full admin via {via}"));
    }
}
