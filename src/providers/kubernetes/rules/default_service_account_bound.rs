//! `default-service-account-bound`: a namespace's `default` ServiceAccount is
//! named by a RoleBinding or ClusterRoleBinding, so every pod of the
//! namespace that names no account gets those roles.

use super::{account, own_bindings, Context, Rule, RuleMeta, Sink};
use crate::model::Identity;

pub struct DefaultServiceAccountBound;

static META: RuleMeta = crate::rule_meta! {
    id: "default-service-account-bound",
    severity: Medium,
    owasp: Nhi5,
    summary: "A namespace's default ServiceAccount has RoleBindings or ClusterRoleBindings, so every pod that names no account gets them",
    remediation: "Create a ServiceAccount for the workload that needs the role, bind the role to it and set serviceAccountName in its pods; remove the default account from the binding.",
};

impl Rule for DefaultServiceAccountBound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let Some(facts) = account(identity) else {
            return;
        };
        if !identity.item.name.ends_with("/default") {
            return;
        }
        let bindings = own_bindings(facts);
        if bindings.is_empty() {
            return;
        }
        out.identity(
            identity,
            format!(
                "the default account of namespace {} is bound by {}; every pod there that names \
                 no account gets it ({})",
                facts.namespace,
                bindings.join(", "),
                identity.item.privilege.level
            ),
        );
    }
}
