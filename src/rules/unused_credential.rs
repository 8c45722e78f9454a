//! `unused-credential`.

use super::{Rule, RuleMeta, Severity};

pub struct UnusedCredential;

static META: RuleMeta = RuleMeta {
    id: "unused-credential",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for UnusedCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
