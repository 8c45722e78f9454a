//! `privilege-escalation`: the principal can raise its own privilege through
//! one of the paths in [`crate::policy::escalation::PATHS`]. Identities that
//! are already admin are left to `admin-privilege`.

use super::{machine, Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Identity, PrivilegeLevel};

pub struct PrivilegeEscalation;

static META: RuleMeta = RuleMeta {
    id: "privilege-escalation",
    severity: Severity::High,
    summary: "The principal can raise its own privilege (policy edits, new credentials for others, iam:PassRole to compute, sts:AssumeRole on *)",
    remediation: "Scope the named actions to the resources the workload needs (never its own user, role, groups or policies), or remove them; for iam:PassRole, name the roles and add an iam:PassedToService condition.",
};

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let privilege = &identity.item.privilege;
        if privilege.escalations.is_empty() || privilege.level == PrivilegeLevel::Admin {
            return;
        }
        let Some(who) = machine::holder(identity) else {
            return;
        };
        let paths: Vec<String> = privilege
            .escalations
            .iter()
            .map(|e| {
                let from: Vec<String> = e.evidence.iter().map(|g| g.describe()).collect();
                format!("{} (from {})", e.path, from.join("; "))
            })
            .collect();
        out.identity(
            identity,
            format!("{who} can escalate via {}", paths.join(" | ")),
        );
    }
}
