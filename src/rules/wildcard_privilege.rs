//! `wildcard-privilege`: write or permissions-management actions granted on
//! `Resource: *`, or a whole service (`service:*`). Read-only wildcards are
//! left out (the provider finds the grants, `Privilege::wildcards`), and so
//! are identities already admin and, as for every privilege rule, items the
//! platform manages (AWS service-linked roles).

use super::{machine, Context, Rule, RuleMeta, Sink};
use crate::model::{Identity, PrivilegeLevel};

pub struct WildcardPrivilege;

static META: RuleMeta = crate::rule_meta! {
    id: "wildcard-privilege",
    severity: Medium,
    owasp: Nhi5,
    summary: "Write or permissions-management actions on Resource *, or a service:* grant",
    remediation: "Name the resources (ARNs) the workload writes to and list the actions it calls instead of service:*.",
};

impl Rule for WildcardPrivilege {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let privilege = &identity.item.privilege;
        if privilege.wildcards.is_empty() || privilege.level == PrivilegeLevel::Admin {
            return;
        }
        let Some(who) = machine::holder(identity) else {
            return;
        };
        let grants: Vec<String> = privilege.wildcards.iter().map(|e| e.describe()).collect();
        out.identity(
            identity,
            format!("{who} has wildcard grants: {}", grants.join("; ")),
        );
    }
}
