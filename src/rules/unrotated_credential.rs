//! `unrotated-credential`.

use super::{Rule, RuleMeta, Severity};

pub struct UnrotatedCredential;

static META: RuleMeta = RuleMeta {
    id: "unrotated-credential",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for UnrotatedCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
