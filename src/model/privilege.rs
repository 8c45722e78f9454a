//! [`Privilege`]: how much an item can do, and the grants behind the verdict.
//! Providers fill it (from policies, permissions or roles); rules only read it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much an item can do, ordered from least to most.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PrivilegeLevel {
    /// No policy data was available (for example a credential report alone).
    #[default]
    Unknown,
    None,
    Read,
    Write,
    /// Can manage permissions without being full admin.
    Privileged,
    Admin,
}

impl fmt::Display for PrivilegeLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PrivilegeLevel::Unknown => "unknown",
            PrivilegeLevel::None => "none",
            PrivilegeLevel::Read => "read",
            PrivilegeLevel::Write => "write",
            PrivilegeLevel::Privileged => "privileged",
            PrivilegeLevel::Admin => "admin",
        })
    }
}

/// A privilege level and the grants that give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privilege {
    pub level: PrivilegeLevel,
    pub evidence: Vec<Evidence>,
    /// What a boundary or an unconditional deny removed from the grants;
    /// `actions` names what was removed.
    pub capped: Vec<Evidence>,
    /// Privilege-escalation paths the effective permissions open.
    pub escalations: Vec<Escalation>,
    /// Grants of write or permissions-management actions on every resource,
    /// or of a whole service; `actions` names the patterns.
    pub wildcards: Vec<Evidence>,
    /// Ways the item's trust lets in more principals than it names.
    pub broad_trust: Vec<TrustGrant>,
}

/// One privilege-escalation path and the grants that open it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Escalation {
    /// The path's id, as documented under `privilege-escalation`.
    pub path: String,
    /// The actions that enable it.
    pub actions: Vec<String>,
    /// The grants of those actions.
    pub evidence: Vec<Evidence>,
    /// What the path reaches (`role deploy-admin (admin)`), when the
    /// provider knows the principals it can reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Every hop from the principal to the most privileged node it reaches:
    /// `ci-runner`, `(iam:PassRole + lambda:CreateFunction) → role deploy (admin)`, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
    /// The path needs a resource the export cannot show (an existing Lambda
    /// function, instance or stack): possible, at a lower confidence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub existing_resources: bool,
}

/// One grant behind a privilege verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    /// The policy, permission set or role that grants it.
    pub policy: String,
    /// How it reaches the item (`inline`, `managed`, `group:<name>:inline`, `installation`, ...).
    pub via: String,
    /// The statement within the policy, with its label when it has one (`0`, `2 (AllowAll)`).
    pub statement: Option<String>,
    /// The actions or permissions that gave the level.
    pub actions: Vec<String>,
    /// Condition keys the grant is subject to. A conditional grant counts as a grant.
    #[serde(default)]
    pub conditions: Vec<String>,
}

impl Evidence {
    /// `policy (via) statement N if cond: actions`, for messages.
    pub fn describe(&self) -> String {
        let mut text = format!("{} ({})", self.policy, self.via);
        if let Some(s) = &self.statement {
            text.push_str(" statement ");
            text.push_str(s);
        }
        if !self.conditions.is_empty() {
            text.push_str(" if ");
            text.push_str(&self.conditions.join(", "));
        }
        if !self.actions.is_empty() {
            text.push_str(": ");
            text.push_str(&self.actions.join(", "));
        }
        text
    }
}

/// A trust grant that lets in more than it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustGrant {
    /// Where in the trust document (`0`, `1 (Sid)`).
    pub statement: String,
    /// What is too broad about it.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_without_actions_ends_without_a_colon() {
        let e = Evidence {
            policy: "owner role".into(),
            via: "organization".into(),
            statement: None,
            actions: vec![],
            conditions: vec![],
        };
        assert_eq!(e.describe(), "owner role (organization)");
        let e = Evidence {
            actions: vec!["*".into()],
            statement: Some("0".into()),
            ..e
        };
        assert_eq!(e.describe(), "owner role (organization) statement 0: *");
    }
}
