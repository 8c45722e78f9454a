//! `privilege-escalation`: the principal can raise its own privilege through
//! one of the paths its provider found (`Privilege::escalations`; AWS
//! evaluates its policies against the documented paths). Identities that are
//! already admin are left to `admin-privilege`.

use super::{machine, Context, Rule, RuleMeta, Sink};
use crate::model::{Identity, PrivilegeLevel};

pub struct PrivilegeEscalation;

static META: RuleMeta = crate::rule_meta! {
    id: "privilege-escalation",
    severity: High,
    owasp: Nhi5,
    summary: "The principal can raise its own privilege (policy edits, new credentials for others, passing a role to compute, assuming any role)",
    remediation: "Scope the named actions to the resources the workload needs (never its own user, role, groups or policies), or remove them.",
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
                let mut text = e.path.clone();
                if let Some(target) = &e.target {
                    text.push_str(" to ");
                    text.push_str(target);
                }
                if e.existing_resources {
                    text.push_str(", possible through existing resources");
                }
                if !from.is_empty() {
                    text.push_str(&format!(" (from {})", from.join("; ")));
                }
                if e.chain.len() > 2 {
                    text.push_str(&format!(" [chain: {}]", e.chain.join(" → ")));
                }
                text
            })
            .collect();
        out.identity(
            identity,
            format!("{who} can escalate via {}", paths.join(" | ")),
        );
    }
}
