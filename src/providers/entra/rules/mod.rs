//! Entra's own rules: they read Entra's details (a secret's lifetime, an
//! app's home tenant), so they apply only to Entra items.

mod expired_credential;
mod long_lived_secret;
mod third_party_privileged;

pub use expired_credential::ExpiredCredential;
pub use long_lived_secret::LongLivedSecret;
pub use third_party_privileged::ThirdPartyPrivileged;

use crate::rules::Rule;

/// Entra's rules, in a fixed order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[&ThirdPartyPrivileged, &LongLivedSecret, &ExpiredCredential]
}
