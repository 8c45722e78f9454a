//! [`Owner`]: who answers for an item, and how nhiscan knows.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who answers for an item, and how we know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Owner {
    pub name: String,
    pub source: OwnerSource,
    /// The tag key, config pattern or holder id that gave the owner; for a
    /// departed owner, why we know they left.
    pub evidence: String,
    /// The owner is known to have left (removed from the organization, or
    /// lost access to the project the item lives in).
    #[serde(default)]
    pub departed: bool,
}

/// Where an owner came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerSource {
    /// A tag on the identity (`owner`, `team`, ...).
    Tag,
    /// An `[[owners]]` entry in the config.
    Config,
    /// The human identity that holds the credential.
    Holder,
    /// The provider itself: the platform for items it manages, or the user
    /// the platform names as a key's owner.
    Provider,
    /// The creator or owner the provider names on the item.
    Creator,
}

impl fmt::Display for OwnerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OwnerSource::Tag => "tag",
            OwnerSource::Config => "config",
            OwnerSource::Holder => "holder",
            OwnerSource::Provider => "provider",
            OwnerSource::Creator => "creator",
        })
    }
}
