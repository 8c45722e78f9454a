//! `multiple-active-keys`: more than one active access key on one identity.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Class, Identity};

pub struct MultipleActiveKeys;

static META: RuleMeta = crate::rule_meta! {
    id: "multiple-active-keys",
    severity: Low,
    owasp: Nhi7,
    summary: "More than one active access key on one identity",
    remediation: "Finish the rotation: move every workload to one key and deactivate the other.",
};

impl Rule for MultipleActiveKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        let keys: Vec<&str> = identity
            .active(Class::AccessKey)
            .map(|c| c.item.name.as_str())
            .collect();
        if keys.len() > 1 {
            out.identity(
                identity,
                format!("{} active access keys: {}", keys.len(), keys.join(", ")),
            );
        }
    }
}
