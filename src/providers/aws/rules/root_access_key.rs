//! `root-access-key`: the root account has an active access key.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Class, Credential, Identity, Status};

pub struct RootAccessKey;

static META: RuleMeta = crate::rule_meta! {
    id: "root-access-key",
    severity: Critical,
    owasp: Nhi5,
    summary: "The root account has an active access key",
    remediation:
        "Delete the root access key; give workloads an IAM role or a scoped IAM user instead.",
};

impl Rule for RootAccessKey {
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
        if identity.item.kind.class() != Class::Root
            || c.kind.class() != Class::AccessKey
            || c.status != Status::Active
        {
            return;
        }
        let used = ctx.describe_use(c.last_used);
        out.credential(
            identity,
            credential,
            format!("root account has an active access key ({}); {used}", c.name),
        );
    }
}
