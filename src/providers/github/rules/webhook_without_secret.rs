//! `webhook-without-secret`: an active webhook whose deliveries are not signed
//! with a secret, or that skips TLS certificate checks (`insecure_ssl`).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Status};
use crate::providers::github::details::GithubDetails;

pub struct WebhookWithoutSecret;

static META: RuleMeta = crate::rule_meta! {
    id: "webhook-without-secret",
    severity: Low,
    owasp: Nhi4,
    summary: "A webhook has no secret, or does not verify TLS certificates",
    remediation: "Set a webhook secret and verify the signature on the receiving side; turn SSL verification back on.",
};

impl Rule for WebhookWithoutSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        let c = &credential.item;
        let Some(hook) = c
            .details::<GithubDetails>()
            .and_then(|d| d.webhook.as_ref())
        else {
            return;
        };
        if c.status != Status::Active {
            return;
        }
        let mut problems = Vec::new();
        if !hook.secret {
            problems.push("has no secret, so deliveries are unsigned");
        }
        if hook.insecure_ssl {
            problems.push("skips TLS certificate checks (insecure_ssl)");
        }
        if problems.is_empty() {
            return;
        }
        let url = hook.url.as_deref().unwrap_or("an unknown URL");
        out.credential(
            identity,
            credential,
            format!("webhook to {url} {}", problems.join(" and ")),
        );
    }
}
