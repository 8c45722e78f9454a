//! `all-repositories-access`: a GitHub PAT grant or App installation that
//! reaches every repository (`repository_selection: all`), present and future,
//! with write permissions.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Item, PrivilegeLevel, RepositorySelection, Status};

pub struct AllRepositoriesAccess;

static META: RuleMeta = rule_meta! {
    id: "all-repositories-access",
    severity: Medium,
    owasp: Nhi5,
    summary: "A PAT grant or App installation can write to all repositories",
    remediation: "Limit the grant to the repositories the workload needs (repository_selection: selected), or drop its write permissions.",
};

/// The message when `item` writes to all repositories, if it does.
fn all_with_write(item: &Item) -> Option<String> {
    let all = item.repository_selection == Some(RepositorySelection::All);
    if !all || item.status != Status::Active || item.privilege.level < PrivilegeLevel::Write {
        return None;
    }
    let writes: Vec<&str> = item
        .privilege
        .evidence
        .iter()
        .flat_map(|e| e.actions.iter().map(String::as_str))
        .collect();
    Some(format!(
        "{} {} reaches every repository with {} permissions ({})",
        item.kind,
        item.name,
        item.privilege.level,
        writes.join(", ")
    ))
}

impl Rule for AllRepositoriesAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        if let Some(message) = all_with_write(&identity.item) {
            out.identity(identity, message);
        }
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        if let Some(message) = all_with_write(&credential.item) {
            out.credential(identity, credential, message);
        }
    }
}
