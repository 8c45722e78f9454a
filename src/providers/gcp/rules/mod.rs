//! Google Cloud's own rules: they read its details (default accounts, key
//! types, API-key restrictions), so they apply only to Google Cloud items.

mod default_service_account_basic_role;
mod privileged_service_account_key;
mod unrestricted_api_key;

pub use default_service_account_basic_role::DefaultServiceAccountBasicRole;
pub use privileged_service_account_key::PrivilegedServiceAccountKey;
pub use unrestricted_api_key::UnrestrictedApiKey;

use crate::rules::{Context, Rule, RuleMeta, Sink};

/// Google Cloud's rules, in a fixed order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &DefaultServiceAccountBasicRole,
        &PrivilegedServiceAccountKey,
        &UnrestrictedApiKey,
    ]
}
