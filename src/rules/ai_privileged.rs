//! `ai-privileged`: an AI identity that holds write or admin privilege (an
//! org-owner or admin role, or access to everything, maps to those levels).
//! Reported on the AI identity, or on an AI credential whose holder is not an
//! AI identity (an admin key held by a person, say).

use super::{Context, Rule, RuleMeta, Sink};
use crate::model::{Credential, Identity, Item, PrivilegeLevel, Status};

pub struct AiPrivileged;

static META: RuleMeta = crate::rule_meta! {
    id: "ai-privileged",
    severity: High,
    owasp: Nhi5,
    summary: "An AI identity holds write or admin privilege, an owner or admin role, or access to everything",
    remediation: "Treat the AI identity as privileged machine access: scope it to read access on what it needs, route writes through a reviewed workflow, and give admin roles to people, not agents.",
};

/// `AI role has write access via ... (AI: ...)`, when `item` qualifies.
fn describe(item: &Item) -> Option<String> {
    let rights = match item.privilege.level {
        PrivilegeLevel::Admin => "admin rights",
        PrivilegeLevel::Privileged => "permission-management rights",
        PrivilegeLevel::Write => "write access",
        _ => return None,
    };
    if !item.ai || item.human || item.status != Status::Active {
        return None;
    }
    let via = item
        .privilege
        .evidence
        .first()
        .map(|e| {
            let actions = if e.actions.is_empty() {
                String::new()
            } else {
                format!(": {}", e.actions.join(", "))
            };
            format!(" via {} ({}){actions}", e.policy, e.via)
        })
        .unwrap_or_default();
    Some(format!(
        "AI {} has {rights}{via} (AI: {})",
        item.kind, item.ai_reason
    ))
}

impl Rule for AiPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_identity(&self, _ctx: &Context, identity: &Identity, out: &mut Sink) {
        if let Some(message) = describe(&identity.item) {
            out.identity(identity, message);
        }
    }

    fn check_credential(
        &self,
        _ctx: &Context,
        identity: &Identity,
        credential: &Credential,
        out: &mut Sink,
    ) {
        // An AI identity's credentials are covered by the finding on the identity.
        if identity.item.ai {
            return;
        }
        if let Some(message) = describe(&credential.item) {
            out.credential(identity, credential, message);
        }
    }
}
