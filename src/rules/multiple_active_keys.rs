//! `multiple-active-keys`.

use super::{Rule, RuleMeta, Severity};

pub struct MultipleActiveKeys;

static META: RuleMeta = RuleMeta {
    id: "multiple-active-keys",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for MultipleActiveKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
