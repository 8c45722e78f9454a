//! GitHub's own rules: they read GitHub's details (repository selection,
//! webhook settings) or its deploy keys, so they apply only to GitHub items.

mod all_repositories_access;
mod webhook_without_secret;
mod write_deploy_key;

pub use all_repositories_access::AllRepositoriesAccess;
pub use webhook_without_secret::WebhookWithoutSecret;
pub use write_deploy_key::WriteDeployKey;

use crate::rules::{At, Context, Rule, RuleMeta, Sink};

/// GitHub's rules, in a fixed order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &WriteDeployKey,
        &AllRepositoriesAccess,
        &WebhookWithoutSecret,
    ]
}
