//! Kubernetes's own rules: they concern what only Kubernetes has (the
//! `default` ServiceAccount every pod falls back to, bindings nobody uses).

mod default_service_account_bound;
mod unused_service_account;

pub use crate::rules::{Context, Rule, RuleMeta, Sink};

pub use default_service_account_bound::DefaultServiceAccountBound;
pub use unused_service_account::UnusedServiceAccount;

use super::details::{AccountDetails, AccountFacts};
use crate::model::Identity;

/// The facts of a listed account that rules judge: not one the platform runs.
fn account(identity: &Identity) -> Option<&AccountFacts> {
    let item = &identity.item;
    if item.platform_managed || item.kind != super::SERVICE_ACCOUNT {
        return None;
    }
    item.details::<AccountDetails>()
        .map(|d| &d.kubernetes)
        .filter(|f| f.listed)
}

/// The bindings that name the account itself (not one of its groups).
fn own_bindings(facts: &AccountFacts) -> Vec<String> {
    let mut b: Vec<String> = facts
        .grants
        .iter()
        .filter(|g| g.subject.starts_with("ServiceAccount "))
        .map(|g| format!("{} ({})", g.binding, g.role))
        .collect();
    b.dedup();
    b
}

/// The rules, in a fixed order.
pub static RULES: [&dyn Rule; 2] = [&DefaultServiceAccountBound, &UnusedServiceAccount];
