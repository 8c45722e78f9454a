//! `broad-trust`.

use super::{Rule, RuleMeta, Severity};

pub struct BroadTrust;

static META: RuleMeta = RuleMeta {
    id: "broad-trust",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for BroadTrust {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
