//! `expired-credential`: a client secret past its `endDateTime` that is
//! still on its app or service principal. Expired certificates are
//! `expired-certificate`'s, which covers every provider's certificates.

use crate::model::{Credential, Identity};
use crate::providers::entra::CLIENT_SECRET;
use crate::rules::{Context, Rule, RuleMeta, Sink};

pub struct ExpiredCredential;

static META: RuleMeta = crate::rule_meta! {
    id: "expired-credential",
    severity: Low,
    owasp: Nhi1,
    summary: "An expired client secret is still present on its app or service principal",
    remediation: "Remove the expired secret (az ad app credential delete --id APP --key-id KEY); if the workload broke when it expired, give it a managed identity or a federated credential instead of a new secret.",
};

impl Rule for ExpiredCredential {
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
        let Some(expires) = c.expires_at.filter(|e| *e < ctx.now) else {
            return;
        };
        if c.kind != CLIENT_SECRET {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "client secret {} expired {} days ago ({}) and is still on {} {}",
                c.name,
                ctx.days_since(expires),
                expires.strftime("%Y-%m-%d"),
                identity.item.kind,
                identity.item.name
            ),
        );
    }
}
