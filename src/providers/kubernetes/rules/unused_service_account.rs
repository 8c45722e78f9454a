//! `unused-service-account`: an account holds bindings, but no pod the scan
//! saw runs as it and no legacy token Secret names it. Only pods in the
//! input count, so the rule stays silent when the input had no pods.

use super::{account, own_bindings, Context, Rule, RuleMeta, Sink};
use crate::model::Identity;

pub struct UnusedServiceAccount;

static META: RuleMeta = crate::rule_meta! {
    id: "unused-service-account",
    severity: Low,
    owasp: Nhi1,
    summary: "A ServiceAccount with bindings that no pod in the scan runs as and no token Secret names",
    remediation: "Check that no workload outside the scanned pods uses the account (CronJobs that have not run, other clusters), then delete its bindings and the account.",
};

impl Rule for UnusedServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let Some(facts) = account(identity) else {
            return;
        };
        if !facts.pods_read
            || facts.pods > 0
            || !identity.credentials.is_empty()
            || identity.item.name.ends_with("/default")
        {
            return;
        }
        let bindings = own_bindings(facts);
        if bindings.is_empty() {
            return;
        }
        out.identity(
            identity,
            format!(
                "bound by {} but no pod in this scan runs as it and no token Secret names it \
                 (only the pods the scan read were seen)",
                bindings.join(", ")
            ),
        );
    }
}
