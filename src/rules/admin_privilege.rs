//! `admin-privilege`.

use super::{Rule, RuleMeta, Severity};

pub struct AdminPrivilege;

static META: RuleMeta = RuleMeta {
    id: "admin-privilege",
    severity: Severity::Medium,
    summary: "",
    remediation: "",
};

impl Rule for AdminPrivilege {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
