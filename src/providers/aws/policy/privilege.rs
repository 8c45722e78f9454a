//! The privilege level an identity's effective permissions give, with the
//! statements behind it, what capped it, its escalation paths and its
//! wildcard grants.
//!
//! Levels, from most to least, by the access level AWS gives each action:
//! - `admin`: every IAM permissions-management action on every resource
//!   (`*` on `*`, `iam:*` on `*`, AdministratorAccess, a `NotAction` that
//!   leaves IAM in);
//! - `privileged`: any permissions-management action (IAM, bucket and key
//!   policies, grants), any other IAM write, or an escalation path;
//! - `write`: any write or tagging action;
//! - `read`: only list and read actions;
//! - `none`: policies are known and grant nothing.
//!
//! `unknown` means no policy data was available. Actions the catalogue does
//! not know are judged by their verb (`Get*`, `List*` read; IAM privileged;
//! anything else write).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::model::{Evidence, Identity, Privilege, PrivilegeLevel};
use crate::providers::aws::details;

use super::actions::ActionSet;
use super::catalog::{catalog, AccessLevel};
use super::effective::Effective;
use super::{escalation, wildcard};

/// Catalogue sets behind each level.
struct Levels {
    /// Every IAM permissions-management action: holding all of them on `*` is admin.
    iam_pm: ActionSet,
    privileged: ActionSet,
    write: ActionSet,
    read: ActionSet,
}

static LEVELS: LazyLock<Levels> = LazyLock::new(|| {
    let c = catalog();
    let mut iam_pm = c.service("iam");
    iam_pm.intersect_with(&c.levels(&[AccessLevel::PermissionsManagement]));
    let mut privileged = c.levels(&[AccessLevel::PermissionsManagement]);
    privileged.union_with(
        &c.service("iam")
            .and(&c.levels(&[AccessLevel::Write, AccessLevel::Tagging])),
    );
    Levels {
        iam_pm,
        privileged,
        write: c.levels(&[AccessLevel::Write, AccessLevel::Tagging]),
        read: c.levels(&[AccessLevel::List, AccessLevel::Read]),
    }
});

/// Verbs that only read, for actions the catalogue does not know.
const READ_VERBS: &[&str] = &[
    "get", "list", "describe", "batchget", "head", "select", "query", "scan", "view", "search",
    "lookup", "check", "validate", "simulate", "generate", "estimate", "preview", "download",
    "export",
];

/// The level of an action the catalogue does not know, by its verb.
fn unknown_level(pattern: &str) -> PrivilegeLevel {
    let (service, name) = pattern.split_once(':').unwrap_or(("", pattern));
    let name = name.to_ascii_lowercase();
    let read = !name.is_empty() && name != "*" && READ_VERBS.iter().any(|v| name.starts_with(v));
    if read {
        PrivilegeLevel::Read
    } else if service.eq_ignore_ascii_case("iam") {
        PrivilegeLevel::Privileged
    } else {
        PrivilegeLevel::Write
    }
}

/// The level `eff` gives on its own, before escalation paths: what the
/// principal graph compares ([`super::graph`]).
pub fn base_level(eff: &Effective) -> PrivilegeLevel {
    let l = &*LEVELS;
    let level = if eff.any.is_superset(&l.iam_pm) {
        PrivilegeLevel::Admin
    } else {
        let unknown = |level| eff.unknown.iter().any(|(_, u)| unknown_level(u) == level);
        [
            (PrivilegeLevel::Privileged, &l.privileged),
            (PrivilegeLevel::Write, &l.write),
            (PrivilegeLevel::Read, &l.read),
        ]
        .into_iter()
        .find(|(level, set)| eff.some.intersects(set) || unknown(*level))
        .map_or(PrivilegeLevel::None, |(level, _)| level)
    };
    if eff.malformed.is_empty() || level == PrivilegeLevel::Admin {
        level
    } else {
        PrivilegeLevel::Unknown
    }
}

/// Assesses an identity's privilege from its policies.
pub fn assess(identity: &Identity) -> Privilege {
    // Known policies that grant nothing are `none`; no policy data at all is `unknown`.
    let d = details::of(identity);
    if !d.policies_known && d.policies.is_empty() {
        return Privilege::default();
    }
    let eff = Effective::of(identity);
    // The principal graph ([`super::graph`]) is not consulted yet: a saved
    // scan cannot rebuild it, and a saved scan must judge as the first did.
    let escalations = escalation::find(&eff);
    let l = &*LEVELS;
    // Unknown patterns still allowed, by the level their verb gives, as
    // (grant index, pattern): looked up, never scanned, per pattern.
    let mut unknown_by_level: HashMap<PrivilegeLevel, HashSet<(usize, &str)>> = HashMap::new();
    for (i, u) in &eff.unknown {
        unknown_by_level
            .entry(unknown_level(u))
            .or_default()
            .insert((*i, u.as_str()));
    }
    let unknown_at = |level: PrivilegeLevel| unknown_by_level.get(&level);
    // The grants that reach `set` (within `within`), with their patterns.
    let grants_in = |set: &ActionSet, within: &ActionSet, level: PrivilegeLevel, any: bool| {
        let live = set.and(within);
        let unknown = unknown_at(level);
        eff.allows
            .iter()
            .enumerate()
            .filter(|(_, g)| !any || g.any_resource)
            .filter_map(|(i, g)| {
                let keep = |p: &str| unknown.is_some_and(|u| u.contains(&(i, p)));
                let patterns = g.patterns_in(&live, keep);
                (!patterns.is_empty()).then(|| g.evidence(patterns))
            })
            .collect::<Vec<Evidence>>()
    };

    let reached = |level: PrivilegeLevel, set: &ActionSet| {
        eff.some.intersects(set) || unknown_at(level).is_some_and(|u| !u.is_empty())
    };
    let tiers = [
        (PrivilegeLevel::Privileged, &l.privileged),
        (PrivilegeLevel::Write, &l.write),
        (PrivilegeLevel::Read, &l.read),
    ];
    let tier = tiers.into_iter().find(|(level, set)| reached(*level, set));
    let (level, evidence) = if eff.any.is_superset(&l.iam_pm) {
        let level = PrivilegeLevel::Admin;
        (level, grants_in(&l.iam_pm, &eff.any, level, true))
    } else if !escalations.is_empty()
        && tier.is_none_or(|(level, _)| level < PrivilegeLevel::Privileged)
    {
        // An escalation path of write actions alone (`lambda:UpdateFunctionCode`).
        let evidence = escalations.iter().flat_map(|e| e.evidence.clone());
        (PrivilegeLevel::Privileged, evidence.collect())
    } else if let Some((level, set)) = tier {
        (level, grants_in(set, &eff.some, level, false))
    } else {
        (PrivilegeLevel::None, Vec::new())
    };
    // A policy part nhiscan cannot read could grant anything: the verdict is
    // `unknown` (unless what it can read is already admin), and the
    // evidence names each bad part. Never `none`, never silence.
    let (level, evidence) = if eff.malformed.is_empty() || level == PrivilegeLevel::Admin {
        let mut evidence = evidence;
        evidence.extend(eff.malformed.iter().cloned());
        (level, evidence)
    } else {
        let mut all = eff.malformed.clone();
        all.extend(evidence);
        (PrivilegeLevel::Unknown, all)
    };
    Privilege {
        level,
        evidence,
        wildcards: wildcard::find(&eff),
        capped: eff.capped,
        escalations,
        broad_trust: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aws::details::{of_mut, AttachedPolicy};
    use serde_json::json;
    use std::sync::Arc;

    fn with(policies: Vec<AttachedPolicy>) -> Identity {
        crate::providers::aws::details::test_user("1", policies)
    }

    fn inline(doc: serde_json::Value) -> AttachedPolicy {
        AttachedPolicy {
            name: "p".into(),
            arn: None,
            via: "inline".into(),
            document: Some(Arc::new(doc)),
        }
    }

    fn level(doc: serde_json::Value) -> PrivilegeLevel {
        assess(&with(vec![inline(doc)])).level
    }

    /// Issue 19 item 1, when a bad document reaches evaluation anyway (a
    /// saved snapshot; the importers reject it): the valid statements still
    /// count, the level is `unknown` rather than `none` unless what can be
    /// read is already admin, and the evidence names the bad statement.
    #[test]
    fn a_malformed_statement_makes_privilege_unknown_never_none() {
        let p = assess(&with(vec![inline(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Allow ", "Action": "*", "Resource": "*"}
        ]}))]));
        assert_eq!(p.level, PrivilegeLevel::Unknown);
        assert_eq!(p.evidence[0].statement.as_deref(), Some("1"));
        assert!(p.evidence[0].actions[0].starts_with("not a valid policy: Statement 1: Effect"), "{:?}", p.evidence);
        assert!(p.evidence.iter().any(|e| e.actions == ["s3:GetObject"]), "valid statements count");

        let p = assess(&with(vec![inline(json!({"Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Maybe"}
        ]}))]));
        assert_eq!(p.level, PrivilegeLevel::Admin, "the valid admin grant still counts");
        assert!(p.evidence.iter().any(|e| e.actions[0].contains("Maybe")));

        let p = assess(&with(vec![inline(json!({"Statement": "Allow *"}))]));
        assert_eq!(p.level, PrivilegeLevel::Unknown);
        assert_eq!(p.evidence[0].statement, None);
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
        assert_eq!(p.evidence[0].describe(), "p (inline) statement 1 (All): *");
    }

    #[test]
    fn levels_by_access_level() {
        let one = |action: serde_json::Value, resource: &str| {
            level(json!({"Statement": {"Effect": "Allow", "Action": action, "Resource": resource}}))
        };
        assert_eq!(one(json!("IAM:*"), "*"), PrivilegeLevel::Admin);
        assert_eq!(
            one(json!("iam:*"), "arn:aws:iam::1:role/app"),
            PrivilegeLevel::Privileged
        );
        assert_eq!(one(json!("iam:PassRole"), "*"), PrivilegeLevel::Privileged);
        assert_eq!(
            one(json!("iam:CreateUser"), "*"),
            PrivilegeLevel::Privileged
        );
        assert_eq!(
            one(json!("s3:PutBucketPolicy"), "arn:aws:s3:::b"),
            PrivilegeLevel::Privileged
        );
        assert_eq!(
            one(json!(["s3:Put*", "s3:Get*"]), "*"),
            PrivilegeLevel::Privileged,
            "s3:PutBucketPolicy"
        );
        assert_eq!(
            one(json!(["s3:PutObject", "s3:Get*"]), "*"),
            PrivilegeLevel::Write
        );
        assert_eq!(
            one(json!("ec2:CreateTags"), "*"),
            PrivilegeLevel::Write,
            "tagging writes"
        );
        assert_eq!(
            one(json!(["s3:Get*", "ec2:Describe*", "iam:List*"]), "*"),
            PrivilegeLevel::Read
        );
        assert_eq!(
            one(json!("lambda:UpdateFunctionCode"), "*"),
            PrivilegeLevel::Privileged,
            "an escalation path"
        );
        assert_eq!(
            level(json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})),
            PrivilegeLevel::None
        );
    }

    #[test]
    fn unknown_actions_are_judged_by_their_verb() {
        assert_eq!(unknown_level("newsvc:GetThing"), PrivilegeLevel::Read);
        assert_eq!(unknown_level("iam:NewThing"), PrivilegeLevel::Privileged);
        assert_eq!(unknown_level("newsvc:DoThing"), PrivilegeLevel::Write);
        let p = assess(&with(vec![inline(
            json!({"Statement": {"Effect": "Allow", "Action": ["newsvc:GetThing", "s3:GetObject"], "Resource": "*"}}),
        )]));
        assert_eq!(p.level, PrivilegeLevel::Read);
        assert_eq!(
            p.evidence[0].actions,
            vec!["newsvc:GetThing", "s3:GetObject"]
        );
        assert_eq!(
            level(
                json!({"Statement": {"Effect": "Allow", "Action": "newsvc:DoThing", "Resource": "*"}})
            ),
            PrivilegeLevel::Write
        );
    }

    #[test]
    fn not_action_on_star_is_admin_unless_iam_is_excluded() {
        assert_eq!(
            level(json!({"Statement": {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}})),
            PrivilegeLevel::Admin
        );
        let p = assess(&with(vec![inline(
            json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}}),
        )]));
        assert_eq!(p.level, PrivilegeLevel::Privileged);
        assert_eq!(
            p.evidence[0].actions,
            vec!["NotAction iam:*,organizations:*"]
        );
        // Excluding some IAM verbs still leaves others that escalate.
        let p = assess(&with(vec![inline(
            json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:Update*", "iam:Create*", "iam:Attach*"], "Resource": "*"}}),
        )]));
        assert_eq!(p.level, PrivilegeLevel::Privileged);
        assert!(p.escalations.iter().any(|e| e.path == "put-user-policy"));
    }

    #[test]
    fn unconditional_deny_removes_what_it_covers() {
        let doc = json!({"Statement": [
            {"Effect": "Allow", "Action": ["iam:*", "s3:GetObject"], "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
        ]});
        let p = assess(&with(vec![inline(doc)]));
        assert_eq!(p.level, PrivilegeLevel::Read);
        assert_eq!(p.capped[0].actions, vec!["iam:*"]);
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
            document: Some(Arc::new(
                json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}),
            )),
        };
        assert_eq!(
            assess(&with(vec![allow_all.clone()])).level,
            PrivilegeLevel::Admin
        );
        let p = assess(&with(vec![allow_all, deny_all]));
        assert_eq!(p.level, PrivilegeLevel::None);
        assert_eq!(p.capped[0].policy, "arn:aws:iam::1:policy/deny-all");
    }

    #[test]
    fn a_boundary_caps_the_level() {
        let mut i = with(vec![inline(
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
        )]);
        of_mut(&mut i).permissions_boundary = Some("arn:aws:iam::1:policy/read-only".into());
        of_mut(&mut i).permissions_boundary_document = Some(Arc::new(
            json!({"Statement": {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}}),
        ));
        let p = assess(&i);
        assert_eq!(p.level, PrivilegeLevel::Read);
        assert_eq!(p.capped.len(), 1);
        assert_eq!(p.capped[0].via, "boundary");
        assert!(p.escalations.is_empty() && p.wildcards.is_empty());
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
        assert!(p.evidence[0]
            .statement
            .as_deref()
            .unwrap()
            .contains("known by name"));
        let read = AttachedPolicy {
            name: "ReadOnlyAccess".into(),
            arn: Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
            via: "managed".into(),
            document: None,
        };
        assert_eq!(assess(&with(vec![read])).level, PrivilegeLevel::Read);

        let mut bare = with(vec![]);
        assert_eq!(assess(&bare).level, PrivilegeLevel::None);
        of_mut(&mut bare).policies_known = false;
        assert_eq!(assess(&bare).level, PrivilegeLevel::Unknown);
    }
}
