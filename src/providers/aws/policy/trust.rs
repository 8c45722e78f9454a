//! What a role's trust policy lets in. A grant is broad when it allows:
//! - any principal (`*`) with no condition that ties callers to known
//!   accounts or an organization ("weak" conditions such as `aws:SourceIp`
//!   or a negated or `IfExists` test do not count);
//! - another account without an `sts:ExternalId` condition;
//! - an OIDC provider with no audience (`<provider>:aud`) condition;
//! - GitHub Actions OIDC with no `sub` condition, or a `sub` pattern that
//!   spans repositories (`repo:org/*`).

use serde_json::Value;

use super::document::{Condition, Principal, Statement};
use super::{Effect, PolicyDocument};

/// Condition keys that tie a `Principal: *` trust to known callers.
const STRONG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

/// GitHub Actions' OIDC issuer (GitHub Enterprise adds `/<enterprise>`).
const GITHUB: &str = "token.actions.githubusercontent.com";

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

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Whether a positive test of `c` pins callers down: for pattern operators,
/// the account or organization part of each value has no wildcard.
fn is_tight(c: &Condition) -> bool {
    if !c.is_positive() {
        return false;
    }
    if !c.is_like() {
        return true;
    }
    let key = c.key.to_ascii_lowercase();
    c.values.iter().all(|v| {
        if key.ends_with("arn") {
            // arn:partition:service:region:account:resource
            let fields: Vec<&str> = v.splitn(6, ':').collect();
            match (fields.get(4), fields.get(5)) {
                (Some(acct), _) if !acct.is_empty() => !has_wildcard(acct),
                (Some(_), Some(resource)) => !resource.starts_with(['*', '?']),
                _ => false,
            }
        } else if key.ends_with("orgpaths") {
            !has_wildcard(v.split('/').next().unwrap_or_default())
        } else {
            !has_wildcard(v)
        }
    })
}

/// The provider an OIDC `Federated` principal names: the host (and path) of
/// an `oidc-provider/` ARN, or a well-known web identity provider. SAML
/// providers are not OIDC.
fn oidc_provider(federated: &str) -> Option<&str> {
    if let Some((_, host)) = federated.split_once(":oidc-provider/") {
        return Some(host);
    }
    const WEB: &[&str] = &[
        "accounts.google.com",
        "cognito-identity.amazonaws.com",
        "graph.facebook.com",
        "www.amazon.com",
    ];
    WEB.contains(&federated).then_some(federated)
}

/// Whether a GitHub `sub` value matches more than one repository.
fn spans_repos(value: &str) -> bool {
    match value.strip_prefix("repo:") {
        Some(rest) => has_wildcard(rest.split(':').next().unwrap_or_default()),
        None => value.starts_with(['*', '?']),
    }
}

/// Broad grants in `trust` for a role in `account`. The importers reject a
/// trust policy that is not valid; should one get here anyway (a saved
/// snapshot), each bad part is reported as a broad grant, since nhiscan
/// cannot tell whom it lets in, and the valid statements are still judged.
pub fn broad_grants(trust: &Value, account: &str) -> Vec<BroadTrust> {
    let (doc, errors) = PolicyDocument::parse_lenient(trust);
    let mut out: Vec<BroadTrust> = errors
        .into_iter()
        .map(|e| BroadTrust {
            statement: super::document::statement_of(&e)
                .unwrap_or("document")
                .to_string(),
            reason: format!("is not a valid policy ({e}): nhiscan cannot tell whom it lets in"),
        })
        .collect();
    for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        let mut push = |reason: String| {
            out.push(BroadTrust {
                statement: s.label(),
                reason,
            })
        };
        let typed = |kind: &str| -> Vec<&str> {
            match &s.principal {
                Some(Principal::Any) if kind == "AWS" => vec!["*"],
                Some(Principal::Typed(m)) => m
                    .get(kind)
                    .map(|v| v.iter().map(String::as_str).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        };
        let aws = typed("AWS");
        if aws.contains(&"*") {
            if let Some(reason) = any_principal(s) {
                push(reason);
            }
        } else if !s.conditions.iter().any(|c| c.is_key("sts:ExternalId")) {
            let mut foreign: Vec<&str> = aws
                .iter()
                .filter_map(|p| principal_account(p))
                .filter(|a| *a != account)
                .collect();
            foreign.sort_unstable();
            foreign.dedup();
            if !foreign.is_empty() {
                push(format!(
                    "trusts account {} without an sts:ExternalId condition",
                    foreign.join(", ")
                ));
            }
        }
        for provider in typed("Federated").into_iter().filter_map(oidc_provider) {
            oidc(s, provider, &mut push);
        }
    }
    out
}

/// Why a `Principal: *` statement is broad, unless a tight condition ties it down.
fn any_principal(s: &Statement) -> Option<String> {
    let tight = s
        .conditions
        .iter()
        .any(|c| STRONG_KEYS.iter().any(|k| c.is_key(k)) && is_tight(c));
    if tight {
        return None;
    }
    Some(if s.conditions.is_empty() {
        "allows any AWS principal (*) to assume it".to_string()
    } else {
        format!(
            "allows any AWS principal (*) with only weak conditions ({})",
            s.condition_keys().join(", ")
        )
    })
}

/// Audience and, for GitHub, subject checks on an OIDC trust.
fn oidc(s: &Statement, provider: &str, push: &mut impl FnMut(String)) {
    let tests = |claim: &str| -> Vec<&Condition> {
        let key = format!("{provider}:{claim}");
        s.conditions
            .iter()
            .filter(|c| c.is_key(&key) && c.is_positive())
            .collect()
    };
    let aud = tests("aud");
    if aud.is_empty()
        || aud
            .iter()
            .any(|c| c.is_like() && c.values.iter().any(|v| v.trim_matches('*').is_empty()))
    {
        push(format!(
            "trusts OIDC provider {provider} with no audience condition ({provider}:aud)"
        ));
    }
    if !provider.starts_with(GITHUB) {
        return;
    }
    let sub = tests("sub");
    if sub.is_empty() {
        push(format!(
            "trusts GitHub Actions OIDC ({provider}) with no sub condition: any repository on GitHub can assume it"
        ));
        return;
    }
    let wide: Vec<&str> = sub
        .iter()
        .filter(|c| c.is_like())
        .flat_map(|c| c.values.iter().map(String::as_str))
        .filter(|v| spans_repos(v))
        .collect();
    if !wide.is_empty() {
        push(format!(
            "trusts GitHub Actions OIDC for sub {}, which spans repositories",
            wide.join(", ")
        ));
    }
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

    fn reasons(principal: Value, condition: Option<Value>) -> Vec<String> {
        broad_grants(&trust(principal, condition), "111111111111")
            .into_iter()
            .map(|g| g.reason)
            .collect()
    }

    /// Issue 19 item 1: a bad sibling statement must not hide `{"AWS": "*"}`.
    #[test]
    fn a_malformed_statement_is_reported_and_does_not_hide_its_siblings() {
        for principal in [json!("arn:aws:iam::111111111111:root"), json!(7)] {
            let doc = json!({"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
                {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
            ]});
            let got = broad_grants(&doc, "111111111111");
            assert_eq!(got.len(), 2, "{got:?}");
            assert_eq!(got[0].statement, "1");
            assert!(got[0].reason.contains("not a valid policy"), "{got:?}");
            assert_eq!(got[1].reason, "allows any AWS principal (*) to assume it");
        }
    }

    #[test]
    fn any_principal_is_broad_unless_tied_to_the_org() {
        assert_eq!(
            reasons(json!("*"), None),
            ["allows any AWS principal (*) to assume it"]
        );
        assert_eq!(reasons(json!({"AWS": ["*"]}), None).len(), 1);
        for tied in [
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}),
            json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/*"}}),
            json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-abc/r-1/*"}}),
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}}),
        ] {
            assert!(reasons(json!("*"), Some(tied.clone())).is_empty(), "{tied}");
        }
    }

    #[test]
    fn any_principal_with_only_weak_conditions_is_broad() {
        for weak in [
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}),
            json!({"StringEqualsIfExists": {"aws:PrincipalAccount": "111111111111"}}),
            json!({"StringLike": {"aws:PrincipalOrgID": "o-*"}}),
            json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}),
            json!({"StringEquals": {"sts:ExternalId": "shared"}}),
        ] {
            let r = reasons(json!("*"), Some(weak.clone()));
            assert_eq!(r.len(), 1, "{weak}");
            assert!(r[0].contains("only weak conditions"), "{r:?}");
        }
    }

    #[test]
    fn other_account_needs_external_id() {
        let g = reasons(json!({"AWS": "arn:aws:iam::222222222222:root"}), None);
        assert_eq!(g.len(), 1);
        assert!(g[0].contains("222222222222"), "{:?}", g);
        let ext = json!({"StringEquals": {"sts:ExternalId": "abc"}});
        assert!(reasons(json!({"AWS": "222222222222"}), Some(ext)).is_empty());
        assert!(reasons(json!({"AWS": "arn:aws:iam::111111111111:role/x"}), None).is_empty());
        assert!(reasons(json!({"Service": "ec2.amazonaws.com"}), None).is_empty());
    }

    fn github(condition: Option<Value>) -> Vec<String> {
        let p = json!({"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"});
        reasons(p, condition)
    }

    #[test]
    fn github_oidc_needs_a_sub_that_names_one_repository() {
        let aud = (
            "token.actions.githubusercontent.com:aud",
            json!("sts.amazonaws.com"),
        );
        let with_sub = |op: &str, sub: Value| {
            github(Some(
                json!({op: {aud.0: aud.1.clone(), "token.actions.githubusercontent.com:sub": sub}}),
            ))
        };
        assert!(with_sub("StringEquals", json!("repo:acme/app:ref:refs/heads/main")).is_empty());
        assert!(with_sub("StringLike", json!("repo:acme/app:*")).is_empty());
        assert!(
            with_sub("StringEquals", json!("repo:acme/*")).is_empty(),
            "StringEquals does not glob"
        );
        let r = with_sub("StringLike", json!(["repo:acme/app:*", "repo:acme/*"]));
        assert_eq!(
            r,
            ["trusts GitHub Actions OIDC for sub repo:acme/*, which spans repositories"]
        );
        assert_eq!(with_sub("StringLike", json!("*")).len(), 1);
        let r = github(Some(json!({"StringEquals": {aud.0: aud.1}})));
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("no sub condition"), "{r:?}");
    }

    #[test]
    fn any_oidc_provider_needs_an_audience() {
        let r = github(None);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].contains("no audience condition (token.actions.githubusercontent.com:aud)"));
        let eks = json!({"Federated": "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"});
        let r = reasons(
            eks.clone(),
            Some(
                json!({"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:sa"}}),
            ),
        );
        assert_eq!(r.len(), 1);
        assert!(
            r[0].contains("oidc.eks.us-east-1.amazonaws.com/id/ABC:aud"),
            "{r:?}"
        );
        assert!(reasons(eks, Some(json!({"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}))).is_empty());
        let google = reasons(json!({"Federated": "accounts.google.com"}), None);
        assert_eq!(google.len(), 1);
        let saml = json!({"Federated": "arn:aws:iam::111111111111:saml-provider/Okta"});
        assert!(reasons(saml, None).is_empty());
    }
}
