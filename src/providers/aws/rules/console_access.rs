//! `console-access`: a non-human IAM user has a console password.

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Class, Credential, Identity, Status};

pub struct ConsoleAccess;

static META: RuleMeta = crate::rule_meta! {
    id: "console-access",
    severity: Medium,
    owasp: Nhi10,
    summary: "A non-human IAM user has a console password (human use of an NHI)",
    remediation: "Delete the login profile; people should sign in as themselves (IAM Identity Center), not as a service account.",
};

impl Rule for ConsoleAccess {
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
        if identity.item.human || c.kind.class() != Class::Password || c.status != Status::Active {
            return;
        }
        let used = ctx.describe_use(c.last_used);
        out.credential(
            identity,
            credential,
            format!(
                "non-human user ({}) has a console password; {used}",
                identity.item.human_reason
            ),
        );
    }
}
