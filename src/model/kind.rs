//! What an item is: a generic [`Class`] that rules reason about, plus the
//! provider's own name for it (`access-key`, `fine-grained-pat`).
//!
//! Each provider declares its kinds as constants and lists them in
//! `Provider::kinds`; the core never names a provider's kind.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The generic class of an item, the same across providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A user account (a person's or a machine user's).
    User,
    /// An assumable role.
    Role,
    /// An account's all-powerful root principal.
    Root,
    /// A service account (an identity made for software).
    ServiceAccount,
    /// An installed third-party or first-party application.
    AppInstallation,
    /// An identity provider that others federate through.
    IdentityProvider,
    /// Something that only holds credentials for others (an organization, a repository, a workspace).
    Container,
    /// A long-lived access key pair (an AWS access key, a service-account key).
    AccessKey,
    /// An API key.
    ApiKey,
    /// A bearer token (a personal access token, an OAuth token).
    Token,
    /// An SSH key.
    SshKey,
    /// A deploy key (an SSH key bound to one repository).
    DeployKey,
    /// A stored secret (metadata only).
    Secret,
    /// An X.509 certificate.
    Certificate,
    /// A password.
    Password,
    /// A webhook, which may hold a shared secret.
    Webhook,
}

/// A kind's description. Providers declare them as constants.
#[derive(Debug)]
pub struct KindInfo {
    /// The provider's kebab-case name, used in ids and output.
    pub name: &'static str,
    pub class: Class,
    /// Whether the provider lets this kind carry an expiry date, so a missing
    /// one is a choice (`no-expiry`).
    pub can_expire: bool,
    /// Whether this kind only holds credentials for others rather than being
    /// an identity that acts (`missing-owner` leaves it out).
    pub container: bool,
}

impl KindInfo {
    /// A kind that cannot expire and is not a container.
    pub const fn new(name: &'static str, class: Class) -> Self {
        KindInfo {
            name,
            class,
            can_expire: false,
            container: false,
        }
    }

    /// The same kind, able to carry an expiry date.
    pub const fn expiring(mut self) -> Self {
        self.can_expire = true;
        self
    }

    /// The same kind, a container.
    pub const fn container(mut self) -> Self {
        self.container = true;
        self
    }
}

/// A kind: a reference to a provider's [`KindInfo`]. Compared by name and class.
#[derive(Clone, Copy)]
pub struct Kind(pub &'static KindInfo);

impl Kind {
    pub fn as_str(self) -> &'static str {
        self.0.name
    }

    pub fn class(self) -> Class {
        self.0.class
    }

    pub fn can_expire(self) -> bool {
        self.0.can_expire
    }

    pub fn is_container(self) -> bool {
        self.0.container
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name && self.0.class == other.0.class
    }
}

impl Eq for Kind {}

impl Hash for Kind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kind {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0.name, self.0.class).cmp(&(other.0.name, other.0.class))
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind({})", self.0.name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}
