//! AWS IAM: offline import of `aws iam get-credential-report` and
//! `aws iam get-account-authorization-details` output, and the live scan
//! ([`live`]) that fetches the same data and reads it with the same importers.
//!
//! Both produce [`Identity`] values keyed by ARN; the inventory merges the two
//! views of one account. The credential report supplies keys, passwords, MFA
//! and last-used dates; the authorization details supply policies, groups,
//! tags, roles and trust.

pub mod authorization_details;
pub mod credential_report;
pub mod live;

use crate::inventory::Identity;

/// The account id in an IAM ARN (`arn:aws:iam::123456789012:user/x`).
pub fn account_of(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

/// Distinct account ids of some identities, sorted and comma-separated.
pub fn scopes(identities: &[Identity]) -> String {
    let mut s: Vec<&str> = identities.iter().map(|i| i.item.scope.as_str()).collect();
    s.sort_unstable();
    s.dedup();
    s.join(",")
}
