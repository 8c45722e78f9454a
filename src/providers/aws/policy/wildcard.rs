//! Wildcard grants: write or permissions-management actions on `Resource: *`,
//! or a whole service (`service:*`). Read-only wildcards (`s3:Get*`,
//! `ec2:Describe*`) and tagging are left out, and so are actions that take no
//! resource ARN, since `*` is the only way to grant those.

use std::sync::LazyLock;

use crate::model::Evidence;

use super::actions::ActionSet;
use super::catalog::{catalog, AccessLevel};
use super::effective::Effective;

/// Write and permissions-management actions.
static RISKY: LazyLock<ActionSet> =
    LazyLock::new(|| catalog().levels(&[AccessLevel::Write, AccessLevel::PermissionsManagement]));

/// Those of [`RISKY`] that take a resource ARN, so need not be granted on `*`.
static SCOPED: LazyLock<ActionSet> = LazyLock::new(|| {
    let mut scoped = RISKY.clone();
    scoped.subtract(catalog().unscoped());
    scoped
});

/// Statements of `eff` that grant a wildcard, with the patterns that do.
pub fn find(eff: &Effective) -> Vec<Evidence> {
    let scoped = &*SCOPED;
    let mut out = Vec::new();
    for g in &eff.allows {
        let star = g.statement.all_resources();
        let mut live = g.actions.and(&eff.some);
        live.intersect_with(&RISKY);
        if live.is_empty() {
            continue;
        }
        let patterns: Vec<String> = if g.statement.not_action.is_empty() {
            g.statement
                .action
                .iter()
                .filter(|p| {
                    let set = catalog().expand(p);
                    let whole_service = *p == "*" || p.ends_with(":*");
                    (whole_service && set.intersects(&live))
                        || (star && set.and(&live).intersects(scoped))
                })
                .cloned()
                .collect()
        } else if star {
            g.patterns_in(&live, |_| false)
        } else {
            Vec::new()
        };
        if !patterns.is_empty() {
            out.push(g.evidence(patterns));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, Item};
    use crate::providers::aws::details::{AttachedPolicy, IdentityDetails};
    use crate::providers::aws::ROLE;
    use serde_json::{json, Value};
    use std::sync::Arc;

    fn flagged(statements: Value) -> Vec<Vec<String>> {
        let mut i = Identity::new(Item::new(
            "arn:aws:iam::1:role/r".into(),
            "aws",
            "1".into(),
            ROLE,
            "r".into(),
        ));
        i.item.details = Some(Box::new(IdentityDetails {
            policies: vec![AttachedPolicy {
                name: "p".into(),
                arn: None,
                via: "inline".into(),
                document: Some(Arc::new(json!({"Statement": statements}))),
            }],
            ..IdentityDetails::default()
        }));
        find(&Effective::of(&i))
            .into_iter()
            .map(|e| e.actions)
            .collect()
    }

    #[test]
    fn write_on_star_and_service_wildcards_are_flagged() {
        assert_eq!(
            flagged(
                json!([{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}])
            ),
            [["s3:PutObject"]]
        );
        assert_eq!(
            flagged(
                json!([{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:*:1:q"}])
            ),
            [["sqs:*"]]
        );
        assert_eq!(
            flagged(json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}])),
            [["NotAction iam:*"]]
        );
    }

    #[test]
    fn read_only_wildcards_scoped_writes_unscoped_actions_and_denied_grants_are_not() {
        assert!(flagged(
            json!([{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"}])
        )
        .is_empty());
        assert!(flagged(
            json!([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}])
        )
        .is_empty());
        // PutMetricData takes no resource ARN: * is the only way to grant it.
        assert!(flagged(
            json!([{"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"}])
        )
        .is_empty());
        assert!(
            flagged(json!([{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*"}]))
                .is_empty(),
            "tagging"
        );
        assert!(flagged(json!([
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
        ]))
        .is_empty());
    }
}
