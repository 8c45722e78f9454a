//! `missing-owner`: a non-human identity has no owner from tags, config,
//! provider or creator. Containers (a GitHub repository or organization) are
//! not identities that act, so they are left out.

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::Identity;

pub struct MissingOwner;

static META: RuleMeta = RuleMeta {
    id: "missing-owner",
    severity: Severity::High,
    summary: "A non-human identity has no owner from tags, config, holder or creator",
    remediation: "Tag the identity with an owner (owner, owner-email or team), or map it with an [[owners]] entry in nhiscan.toml; delete it if nobody claims it.",
};

impl Rule for MissingOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, ctx: &Context, identity: &Identity, out: &mut Sink) {
        let item = &identity.item;
        if item.human || item.owner.is_some() || item.kind.is_container() {
            return;
        }
        let keys = ctx.config.config.classification.owner_tag_keys.join(", ");
        out.identity(
            identity,
            format!(
                "non-human {} has no owner: no owner tag ({keys}) and no [[owners]] match",
                identity.item.kind
            ),
        );
    }
}
