//! `missing-owner`.

use super::{Rule, RuleMeta, Severity};

pub struct MissingOwner;

static META: RuleMeta = RuleMeta {
    id: "missing-owner",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for MissingOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
