//! `inactive-credential`.

use super::{Rule, RuleMeta, Severity};

pub struct InactiveCredential;

static META: RuleMeta = RuleMeta {
    id: "inactive-credential",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for InactiveCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
