//! `missing-owner`: a non-human identity has no owner from tags, config,
//! provider, holder or creator. Expired identities and containers (a GitHub
//! repository or organization, which do not act) are left out.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Identity, Status};

pub struct MissingOwner;

static META: RuleMeta = crate::rule_meta! {
    id: "missing-owner",
    severity: High,
    owasp: Nhi1,
    summary: "A non-human identity has no owner from tags, config, provider, holder or creator",
    remediation: "Tag the identity with an owner (owner, owner-email or team), or map it with an [[owners]] entry in nhiscan.toml; delete it if nobody claims it.",
};

impl Rule for MissingOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, ctx: &Context, identity: &Identity, out: &mut Sink) {
        let item = &identity.item;
        // An expired identity (in an archived AI project, say) can no longer act.
        if item.human
            || item.owner.is_some()
            || item.status == Status::Expired
            || item.kind.is_container()
        {
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
