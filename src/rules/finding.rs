//! [`Finding`]. Findings are only built through [`FindingBuilder`], which
//! fills the rule's metadata and the fingerprint.

use sha2::{Digest, Sha256};

use super::RuleMeta;
use crate::model::{Credential, Identity, ProviderId, Severity};

/// One problem on one identity or credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub provider: ProviderId,
    pub scope: String,
    pub identity_id: String,
    /// Set when the problem belongs to a credential rather than its holder.
    pub credential_id: Option<String>,
    /// One line naming the figures ("not used for 212 days; threshold 90").
    pub message: String,
    /// What to do: the provider's own advice for this rule, or the rule's.
    pub remediation: &'static str,
    /// Stable across runs and days: depends on rule, identity and credential only.
    pub fingerprint: String,
}

impl Finding {
    /// Starts a finding of `meta`'s rule on `identity`.
    pub fn builder(meta: &'static RuleMeta, identity: &Identity) -> FindingBuilder {
        FindingBuilder {
            meta,
            provider: identity.item.provider,
            scope: identity.item.scope.clone(),
            identity_id: identity.item.id.clone(),
            credential_id: None,
            message: String::new(),
        }
    }

    /// The rule's id.
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }

    /// The id of the item the finding is about: the credential when there is one.
    pub fn item_id(&self) -> &str {
        self.credential_id.as_deref().unwrap_or(&self.identity_id)
    }
}

/// Builds a [`Finding`]; see [`Finding::builder`].
pub struct FindingBuilder {
    meta: &'static RuleMeta,
    provider: ProviderId,
    scope: String,
    identity_id: String,
    credential_id: Option<String>,
    message: String,
}

impl FindingBuilder {
    /// Attaches the finding to one of the identity's credentials.
    pub fn credential(mut self, credential: &Credential) -> Self {
        self.credential_id = Some(credential.item.id.clone());
        self
    }

    /// The one-line message.
    pub fn message(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    /// Finishes the finding, computing its fingerprint.
    pub fn build(self) -> Finding {
        debug_assert!(
            !self.message.is_empty(),
            "{} built a finding without a message",
            self.meta.id
        );
        let fingerprint = fingerprint(
            self.meta.id,
            &self.identity_id,
            self.credential_id.as_deref(),
        );
        Finding {
            rule: self.meta,
            severity: self.meta.severity,
            provider: self.provider,
            scope: self.scope,
            identity_id: self.identity_id,
            credential_id: self.credential_id,
            message: self.message,
            remediation: self.meta.remediation,
            fingerprint,
        }
    }
}

/// First 16 bytes of SHA-256 over rule, identity and credential, in hex.
pub fn fingerprint(rule: &str, identity: &str, credential: Option<&str>) -> String {
    let mut h = Sha256::new();
    for part in [rule, identity, credential.unwrap_or("")] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    h.finalize()[..16]
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_each_part_only() {
        let a = fingerprint("r", "arn:x", None);
        assert_eq!(a, fingerprint("r", "arn:x", None));
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("r", "arn:x", Some("arn:x/access-key/1")));
        assert_ne!(a, fingerprint("s", "arn:x", None));
        // The separator keeps ("ab","c") apart from ("a","bc").
        assert_ne!(
            fingerprint("r", "ab", Some("c")),
            fingerprint("r", "a", Some("bc"))
        );
    }

    #[test]
    fn severities_order_low_to_critical() {
        assert!(Severity::Low < Severity::Medium && Severity::High < Severity::Critical);
    }
}
