//! `root-access-key`.

use super::{Rule, RuleMeta, Severity};

pub struct RootAccessKey;

static META: RuleMeta = RuleMeta {
    id: "root-access-key",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for RootAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
