//! `admin-privilege`: full admin or equivalent (`*` on `*`, AdministratorAccess,
//! `iam:*` on `*`; GitHub `administration: write`) reachable by a machine: a
//! non-human identity, a human user holding active access keys, or an active
//! machine credential whose own grant is admin (a GitHub token) when its
//! holder is not already admin.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Evidence, Identity, Kind, PrivilegeLevel, Status};

pub struct AdminPrivilege;

static META: RuleMeta = RuleMeta {
    id: "admin-privilege",
    severity: Severity::Critical,
    summary: "Full admin or equivalent: *:*, AdministratorAccess, iam:* on *, GitHub administration: write",
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
        let who = if item.human {
            format!("human user with {keys} active access key(s)")
        } else {
            format!("non-human {}", item.kind)
        };
        let via = describe(item.privilege.evidence.first());
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
        let via = describe(c.privilege.evidence.first());
        out.credential(
            identity,
            credential,
            format!("{} {} has full admin via {via}", c.kind, c.name),
        );
    }
}

/// `policy (via) statement S: actions`, for messages.
fn describe(evidence: Option<&Evidence>) -> String {
    evidence
        .map(|e| {
            let stmt = e
                .statement
                .as_deref()
                .map(|s| format!(" statement {s}"))
                .unwrap_or_default();
            format!("{} ({}){stmt}: {}", e.policy, e.via, e.actions.join(", "))
        })
        .unwrap_or_default()
}
