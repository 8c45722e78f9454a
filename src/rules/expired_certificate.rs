//! `expired-certificate`: a server or signing certificate past its expiration
//! date that is still uploaded.

use jiff::Timestamp;

use super::{Context, Rule, RuleMeta, Severity, Sink};
use crate::inventory::{Credential, Identity, Item, Kind};

pub struct ExpiredCertificate;

static META: RuleMeta = RuleMeta {
    id: "expired-certificate",
    severity: Severity::Low,
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

    fn check_identity(&self, ctx: &Context, identity: &Identity, out: &mut Sink) {
        if identity.item.kind == Kind::ServerCertificate {
            if let Some(message) = Self::expired(ctx, &identity.item) {
                out.identity(identity, message);
            }
        }
    }

    fn check_credential(
        &self,
        ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        if credential.item.kind == Kind::Certificate {
            if let Some(message) = Self::expired(ctx, &credential.item) {
                out.credential(identity, credential, message);
            }
        }
    }
}
