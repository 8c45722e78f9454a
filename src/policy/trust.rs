//! What a role's trust policy lets in: any principal, or another account
//! without an `sts:ExternalId` condition.

use serde_json::Value;

use super::document::Principal;
use super::{Effect, PolicyDocument};

/// Conditions that tie a `Principal: *` trust to known callers.
const STRONG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
];

/// One broad grant in a trust policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadTrust {
    /// Statement label (`0`, `1 (Sid)`).
    pub statement: String,
    /// What is too broad, for the finding message.
    pub reason: String,
}

/// The account id a principal string names (`123456789012`, `arn:aws:iam::123456789012:root`).
fn principal_account(p: &str) -> Option<&str> {
    let acct = if p.starts_with("arn:") {
        p.split(':').nth(4)?
    } else {
        p
    };
    (acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())).then_some(acct)
}

/// Broad grants in `trust` for a role in `account`. A document that does not
/// parse yields nothing here; it is reported where it is read.
pub fn broad_grants(trust: &Value, account: &str) -> Vec<BroadTrust> {
    let Ok(doc) = PolicyDocument::parse(trust) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        let keys = s.condition_keys();
        let aws: Vec<&str> = match &s.principal {
            Some(Principal::Any) => vec!["*"],
            Some(Principal::Typed(m)) => m
                .get("AWS")
                .map(|v| v.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if aws.contains(&"*") {
            if !keys.iter().any(|k| STRONG_KEYS.contains(&k.as_str())) {
                out.push(BroadTrust {
                    statement: s.label(),
                    reason: "allows any AWS principal (*) to assume it".into(),
                });
            }
            continue;
        }
        if keys.iter().any(|k| k == "sts:externalid") {
            continue;
        }
        let mut foreign: Vec<&str> = aws
            .iter()
            .filter_map(|p| principal_account(p))
            .filter(|a| *a != account)
            .collect();
        foreign.sort_unstable();
        foreign.dedup();
        if !foreign.is_empty() {
            out.push(BroadTrust {
                statement: s.label(),
                reason: format!(
                    "trusts account {} without an sts:ExternalId condition",
                    foreign.join(", ")
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn trust(principal: Value, condition: Option<Value>) -> Value {
        let mut s = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        json!({"Version": "2012-10-17", "Statement": [s]})
    }

    #[test]
    fn any_principal_is_broad_unless_tied_to_the_org() {
        assert_eq!(
            broad_grants(&trust(json!("*"), None), "111111111111").len(),
            1
        );
        assert_eq!(
            broad_grants(&trust(json!({"AWS": ["*"]}), None), "111111111111").len(),
            1
        );
        let org = json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}});
        assert!(broad_grants(&trust(json!("*"), Some(org)), "111111111111").is_empty());
    }

    #[test]
    fn other_account_needs_external_id() {
        let g = broad_grants(
            &trust(json!({"AWS": "arn:aws:iam::222222222222:root"}), None),
            "111111111111",
        );
        assert_eq!(g.len(), 1);
        assert!(g[0].reason.contains("222222222222"), "{:?}", g);
        let ext = json!({"StringEquals": {"sts:ExternalId": "abc"}});
        assert!(broad_grants(
            &trust(json!({"AWS": "222222222222"}), Some(ext)),
            "111111111111"
        )
        .is_empty());
        assert!(broad_grants(
            &trust(json!({"AWS": "arn:aws:iam::111111111111:role/x"}), None),
            "111111111111"
        )
        .is_empty());
        assert!(broad_grants(
            &trust(json!({"Service": "ec2.amazonaws.com"}), None),
            "111111111111"
        )
        .is_empty());
    }
}
