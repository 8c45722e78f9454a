//! `no-expiry`: an active machine item of a kind that can carry an expiry date
//! (`Kind::can_expire`: AI platform keys, GitHub fine-grained and classic PATs,
//! app user tokens) has none. Kinds that cannot expire (AWS access keys, SSH
//! and deploy keys) are left to the staleness rules.

use super::{At, Context, Rule, RuleMeta, Sink};
use crate::model::{Item, Status};

pub struct NoExpiry;

static META: RuleMeta = crate::rule_meta! {
    id: "no-expiry",
    severity: Medium,
    owasp: Nhi7,
    summary: "An active token or key that could be given an expiry date has none",
    remediation: "Issue a replacement with an expiry date (or move to short-lived credentials), switch the workload to it, then delete this one; require expiry by policy.",
};

fn applies(item: &Item) -> bool {
    item.kind.can_expire()
        && item.expires_at.is_none()
        && item.status == Status::Active
        && !item.human
}

impl Rule for NoExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_item(&self, _ctx: &Context, at: At, out: &mut Sink) {
        let item = at.item();
        if applies(item) {
            out.at(at, format!("active {} never expires", item.kind));
        }
    }
}
