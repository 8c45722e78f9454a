//! `long-lived-secret`: a client secret valid for longer than
//! `[providers.entra] max_secret_lifetime_days` (default 180, as Microsoft
//! recommends), from its `startDateTime` to its `endDateTime`.

use crate::model::{time::days_between, Credential, Identity, Status};
use crate::providers::entra::{settings, EntraDetails, CLIENT_SECRET};
use crate::rules::{Context, Rule, RuleMeta, Sink};

pub struct LongLivedSecret;

static META: RuleMeta = crate::rule_meta! {
    id: "long-lived-secret",
    severity: Medium,
    owasp: Nhi7,
    summary: "A client secret is valid for longer than the configured maximum (default 180 days)",
    remediation: "Replace the secret with one that expires within the maximum (az ad app credential reset --append --years is too coarse: use --end-date), move the workload, and remove the old one; prefer a certificate, a managed identity or a federated credential.",
};

impl Rule for LongLivedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_credential(
        &self,
        ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        let c = &credential.item;
        if c.kind != CLIENT_SECRET || c.status != Status::Active {
            return;
        }
        let end = c.details::<EntraDetails>().and_then(|d| d.entra.end_date_time);
        let (Some(start), Some(end)) = (c.created_at, end) else {
            return;
        };
        // An expired secret is expired-credential's.
        if end < ctx.now {
            return;
        }
        let max = settings(ctx.config).max_secret_lifetime_days;
        let days = days_between(start, end);
        if days <= max {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "client secret {} is valid for {days} days ({} to {}); maximum {max}",
                c.name,
                start.strftime("%Y-%m-%d"),
                end.strftime("%Y-%m-%d")
            ),
        );
    }
}
