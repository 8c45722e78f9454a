//! `default-service-account-basic-role`: a project's default Compute Engine
//! or App Engine service account holds Owner or Editor. Every VM, function
//! or app created without naming an account runs as it, so all of them get
//! the basic role.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Identity, Status};
use crate::providers::gcp::details::AccountDetails;

pub struct DefaultServiceAccountBasicRole;

static META: RuleMeta = crate::rule_meta! {
    id: "default-service-account-basic-role",
    severity: High,
    owasp: Nhi5,
    summary: "A project's default Compute Engine or App Engine service account holds the Owner or Editor basic role",
    remediation: "Remove roles/editor and roles/owner from the default account (or enforce constraints/iam.automaticIamGrantsForDefaultServiceAccounts), and give each workload its own service account with the roles it needs.",
};

impl Rule for DefaultServiceAccountBasicRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let Some(d) = identity.item.details::<AccountDetails>() else {
            return;
        };
        if identity.item.status != Status::Active
            || !d.account_type.is_some_and(|t| t.is_default())
        {
            return;
        }
        let basic: Vec<String> = d
            .roles
            .iter()
            .filter(|g| g.role == "roles/editor" || g.role == "roles/owner")
            .map(|g| format!("{} on {} {}", g.role, g.level, crate::providers::gcp::convert::short_name(&g.resource)))
            .collect();
        if basic.is_empty() {
            return;
        }
        let which = match d.account_type {
            Some(crate::providers::gcp::details::AccountType::DefaultAppEngine) => "App Engine",
            _ => "Compute Engine",
        };
        out.identity(
            identity,
            format!(
                "default {which} service account {} holds {}",
                d.email,
                basic.join(", ")
            ),
        );
    }
}
