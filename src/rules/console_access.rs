//! `console-access`.

use super::{Rule, RuleMeta, Severity};

pub struct ConsoleAccess;

static META: RuleMeta = RuleMeta {
    id: "console-access",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for ConsoleAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
