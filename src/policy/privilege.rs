//! The privilege level an identity's policies grant, with the statements behind it.
//!
//! Levels, from most to least: `admin` (`*` on `*`, `iam:*` on `*`, or an
//! admin-equivalent AWS managed policy), `privileged` (IAM write actions),
//! `write`, `read`, `none`. `unknown` means no policy data was available.
//!
//! An unconditional `Deny` in any of the principal's policies removes the
//! `Allow` patterns it covers. Permission boundaries and conditions are
//! recorded elsewhere, not evaluated here.

use crate::inventory::{AttachedPolicy, Evidence, Identity, Privilege, PrivilegeLevel};

use super::{wildcard_match, Effect, PolicyDocument, Statement};

/// AWS managed policies judged by name when the export lacks their document.
const KNOWN_MANAGED: &[(&str, PrivilegeLevel)] = &[
    (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        PrivilegeLevel::Admin,
    ),
    (
        "arn:aws:iam::aws:policy/IAMFullAccess",
        PrivilegeLevel::Admin,
    ),
    (
        "arn:aws:iam::aws:policy/PowerUserAccess",
        PrivilegeLevel::Write,
    ),
    (
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        PrivilegeLevel::Read,
    ),
    (
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        PrivilegeLevel::Read,
    ),
    (
        "arn:aws:iam::aws:policy/SecurityAudit",
        PrivilegeLevel::Read,
    ),
];

/// Verbs that only read. An action (or a wildcard prefix) starting with one is `read`.
const READ_VERBS: &[&str] = &[
    "get", "list", "describe", "batchget", "head", "select", "query", "scan", "view", "search",
    "lookup", "check", "validate", "simulate", "generate", "estimate", "preview", "download",
    "export",
];

/// The level of one action pattern granted on some resources.
fn action_level(pattern: &str, all_resources: bool) -> PrivilegeLevel {
    let p = pattern.to_ascii_lowercase();
    if p == "*" || p == "*:*" {
        return if all_resources {
            PrivilegeLevel::Admin
        } else {
            PrivilegeLevel::Write
        };
    }
    let (service, name) = p.split_once(':').unwrap_or(("", p.as_str()));
    let read = !name.is_empty() && name != "*" && READ_VERBS.iter().any(|v| name.starts_with(v));
    match service {
        "iam" if name == "*" && all_resources => PrivilegeLevel::Admin,
        "iam" if !read => PrivilegeLevel::Privileged,
        _ if read => PrivilegeLevel::Read,
        _ => PrivilegeLevel::Write,
    }
}

/// Whether an unconditional Deny in the same set of statements covers `pattern`.
fn denied(pattern: &str, denies: &[&Statement]) -> bool {
    denies
        .iter()
        .any(|d| d.all_resources() && d.action.iter().any(|a| wildcard_match(a, pattern)))
}

/// What one Allow statement grants, after denies.
fn statement_level(s: &Statement, denies: &[&Statement]) -> Option<(PrivilegeLevel, Vec<String>)> {
    let all = s.all_resources();
    if !s.not_action.is_empty() {
        // Allow everything except NotAction: admin-equivalent unless IAM writes are excluded.
        let iam_excluded = s
            .not_action
            .iter()
            .any(|n| wildcard_match(n, "iam:AttachUserPolicy"));
        let level = match (all, iam_excluded) {
            (true, false) => PrivilegeLevel::Admin,
            _ => PrivilegeLevel::Write,
        };
        return Some((level, vec![format!("NotAction {}", s.not_action.join(","))]));
    }
    let mut best: Option<(PrivilegeLevel, Vec<String>)> = None;
    for a in s.action.iter().filter(|a| !denied(a, denies)) {
        let level = action_level(a, all);
        match &mut best {
            Some((l, acts)) if *l == level => acts.push(a.clone()),
            Some((l, _)) if *l > level => {}
            _ => best = Some((level, vec![a.clone()])),
        }
    }
    best
}

/// Assesses an identity's privilege from its policies.
pub fn assess(identity: &Identity) -> Privilege {
    // Known policies that grant nothing are `none`; no policy data at all is `unknown`.
    let known = identity.policies_known || !identity.policies.is_empty();
    let mut best = Privilege {
        level: if known {
            PrivilegeLevel::None
        } else {
            PrivilegeLevel::Unknown
        },
        evidence: Vec::new(),
    };
    let mut offer = |level: PrivilegeLevel, evidence: Evidence| {
        if level > best.level {
            best.level = level;
            best.evidence.clear();
        }
        if level == best.level && level > PrivilegeLevel::None {
            best.evidence.push(evidence);
        }
    };
    let parsed: Vec<(&AttachedPolicy, Option<PolicyDocument>)> = identity
        .policies
        .iter()
        .map(|p| {
            (
                p,
                p.document
                    .as_ref()
                    .and_then(|d| PolicyDocument::parse(d).ok()),
            )
        })
        .collect();
    // An explicit Deny wins over an Allow in any policy of the same principal.
    let denies: Vec<&Statement> = parsed
        .iter()
        .filter_map(|(_, doc)| doc.as_ref())
        .flat_map(|doc| &doc.statements)
        .filter(|s| s.effect == Effect::Deny && s.condition.is_none())
        .collect();
    for (p, doc) in &parsed {
        match doc {
            Some(doc) => {
                for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
                    if let Some((level, actions)) = statement_level(s, &denies) {
                        offer(level, evidence(p, Some(s), actions));
                    }
                }
            }
            // A document that does not parse, or is absent: judge known AWS policies by name.
            None => {
                let arn = p.arn.as_deref().unwrap_or_default();
                if let Some((_, level)) = KNOWN_MANAGED.iter().find(|(a, _)| *a == arn) {
                    offer(
                        *level,
                        evidence(p, None, vec![format!("AWS managed policy {}", p.name)]),
                    );
                }
            }
        }
    }
    best
}

fn evidence(p: &AttachedPolicy, s: Option<&Statement>, actions: Vec<String>) -> Evidence {
    Evidence {
        policy: p.arn.clone().unwrap_or_else(|| p.name.clone()),
        via: p.via.clone(),
        statement: s.map(Statement::label),
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Item, Kind, Provider};
    use serde_json::json;

    fn with(policies: Vec<AttachedPolicy>) -> Identity {
        let mut i = Identity::new(Item::new(
            "arn:aws:iam::1:user/u".into(),
            Provider::Aws,
            "1".into(),
            Kind::User,
            "u".into(),
        ));
        i.policies_known = true;
        i.policies = policies;
        i
    }

    fn inline(doc: serde_json::Value) -> AttachedPolicy {
        AttachedPolicy {
            name: "p".into(),
            arn: None,
            via: "inline".into(),
            document: Some(doc),
        }
    }

    fn level(doc: serde_json::Value) -> PrivilegeLevel {
        assess(&with(vec![inline(doc)])).level
    }

    #[test]
    fn star_on_star_is_admin_with_evidence() {
        let p = assess(&with(vec![inline(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}
        ]}))]));
        assert_eq!(p.level, PrivilegeLevel::Admin);
        assert_eq!(p.evidence.len(), 1);
        assert_eq!(p.evidence[0].statement.as_deref(), Some("1 (All)"));
        assert_eq!(p.evidence[0].actions, vec!["*"]);
    }

    #[test]
    fn levels_by_action() {
        assert_eq!(
            level(json!({"Statement": {"Effect": "Allow", "Action": "IAM:*", "Resource": "*"}})),
            PrivilegeLevel::Admin
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}})
            ),
            PrivilegeLevel::Write
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}})
            ),
            PrivilegeLevel::Privileged
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "Action": ["s3:Put*", "s3:Get*"], "Resource": "*"}})
            ),
            PrivilegeLevel::Write
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "iam:List*"], "Resource": "*"}})
            ),
            PrivilegeLevel::Read
        );
        assert_eq!(
            level(json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})),
            PrivilegeLevel::None
        );
    }

    #[test]
    fn not_action_on_star_is_admin_unless_iam_is_excluded() {
        assert_eq!(
            level(json!({"Statement": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}})),
            PrivilegeLevel::Admin
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}})
            ),
            PrivilegeLevel::Write
        );
    }

    #[test]
    fn unconditional_deny_removes_what_it_covers() {
        let doc = json!({"Statement": [
            {"Effect": "Allow", "Action": ["iam:*", "s3:GetObject"], "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
        ]});
        assert_eq!(level(doc), PrivilegeLevel::Read);
        let conditional = json!({"Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
        ]});
        assert_eq!(level(conditional), PrivilegeLevel::Admin);
    }

    #[test]
    fn a_deny_in_another_policy_counts_too() {
        let allow_all =
            inline(json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}));
        let deny_all = AttachedPolicy {
            name: "deny-all".into(),
            arn: Some("arn:aws:iam::1:policy/deny-all".into()),
            via: "managed".into(),
            document: Some(
                json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}),
            ),
        };
        assert_eq!(
            assess(&with(vec![allow_all.clone()])).level,
            PrivilegeLevel::Admin
        );
        assert_eq!(
            assess(&with(vec![allow_all, deny_all])).level,
            PrivilegeLevel::None
        );
    }

    #[test]
    fn known_managed_policies_count_without_a_document_and_unknown_stays_unknown() {
        let admin = AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
            via: "group:admins:managed".into(),
            document: None,
        };
        let p = assess(&with(vec![admin]));
        assert_eq!(p.level, PrivilegeLevel::Admin);
        assert_eq!(p.evidence[0].via, "group:admins:managed");

        let mut bare = with(vec![]);
        assert_eq!(assess(&bare).level, PrivilegeLevel::None);
        bare.policies_known = false;
        assert_eq!(assess(&bare).level, PrivilegeLevel::Unknown);
    }
}
