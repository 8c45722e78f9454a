//! `all-repositories-access`: a GitHub PAT grant or App installation that
//! reaches every repository (`repository_selection: all`), present and future,
//! with write permissions.

use super::{At, Context, Rule, RuleMeta, Sink};
use crate::model::{PrivilegeLevel, Status};
use crate::providers::github::details::{GithubDetails, RepositorySelection};

pub struct AllRepositoriesAccess;

static META: RuleMeta = crate::rule_meta! {
    id: "all-repositories-access",
    severity: Medium,
    owasp: Nhi5,
    summary: "A PAT grant or App installation can write to all repositories",
    remediation: "Limit the grant to the repositories the workload needs (repository_selection: selected), or drop its write permissions.",
};

impl Rule for AllRepositoriesAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_item(&self, _ctx: &Context, at: At, out: &mut Sink) {
        let item = at.item();
        let all = item
            .details::<GithubDetails>()
            .is_some_and(|d| d.repository_selection == Some(RepositorySelection::All));
        if !all || item.status != Status::Active || item.privilege.level < PrivilegeLevel::Write {
            return;
        }
        let writes: Vec<&str> = item
            .privilege
            .evidence
            .iter()
            .flat_map(|e| e.actions.iter().map(String::as_str))
            .collect();
        out.at(
            at,
            format!(
                "{} {} reaches every repository with {} permissions ({})",
                item.kind,
                item.name,
                item.privilege.level,
                writes.join(", ")
            ),
        );
    }
}
