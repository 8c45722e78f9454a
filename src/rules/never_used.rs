//! `never-used`.

use super::{Rule, RuleMeta, Severity};

pub struct NeverUsed;

static META: RuleMeta = RuleMeta {
    id: "never-used",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for NeverUsed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
