//! `unrestricted-api-key`: an API key with neither an application
//! restriction (browser referrers, server IPs, Android or iOS apps) nor an
//! API restriction: anyone who finds it can call every API enabled in its
//! project, billed to the project.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Status};
use crate::providers::gcp::details::ApiKeyDetails;

pub struct UnrestrictedApiKey;

static META: RuleMeta = crate::rule_meta! {
    id: "unrestricted-api-key",
    severity: Medium,
    owasp: Nhi5,
    summary: "A Google Cloud API key has no application restriction and no API restriction",
    remediation: "Restrict the key to the APIs it calls (gcloud services api-keys update --api-target) and to the apps, referrers or IP addresses that use it; delete it if nothing does.",
};

impl Rule for UnrestrictedApiKey {
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
        let Some(d) = c.details::<ApiKeyDetails>() else {
            return;
        };
        if c.status != Status::Active || !d.unrestricted() {
            return;
        }
        out.credential(
            identity,
            credential,
            format!(
                "API key {} in project {} has no application or API restriction",
                c.name, identity.item.name
            ),
        );
    }
}
