//! `expired-certificate`: a server or signing certificate past its expiration
//! date that is still uploaded.

use jiff::Timestamp;

use super::{At, Context, Rule, RuleMeta, Sink};
use crate::model::{Class, Item};

pub struct ExpiredCertificate;

static META: RuleMeta = crate::rule_meta! {
    id: "expired-certificate",
    severity: Low,
    owasp: Nhi1,
    summary: "A server or signing certificate is past its expiration date and still present",
    remediation:
        "Delete the expired certificate; upload a current one if something still needs it.",
};

impl ExpiredCertificate {
    /// `expired N days ago (date)`, when `item` is past its expiry.
    fn expired(ctx: &Context, item: &Item) -> Option<String> {
        let expires: Timestamp = item.expires_at?;
        let days = ctx.days_since(expires);
        (expires < ctx.now).then(|| {
            format!(
                "{} expired {days} days ago ({}) and is still present",
                item.kind,
                expires.strftime("%Y-%m-%d")
            )
        })
    }
}

impl Rule for ExpiredCertificate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_item(&self, ctx: &Context, at: At, out: &mut Sink) {
        if at.item().kind.class() != Class::Certificate {
            return;
        }
        if let Some(message) = Self::expired(ctx, at.item()) {
            out.at(at, message);
        }
    }
}
