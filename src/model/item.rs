//! [`Item`]: the fields every inventory item has, identity or credential.
//!
//! An item holds two kinds of data, kept apart:
//! - **facts** the provider collected (dates, status, the creator, what the
//!   provider itself reported in [`Reported`]), and
//! - **verdicts** nhiscan computes during enrichment (human or not, AI or
//!   not, owner, privilege). Verdicts are never read from input: a saved scan
//!   read back gives facts, and its verdicts are computed again with today's
//!   config and clock.

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Details, Kind, Owner, Privilege, ProviderId};

/// Lifecycle state.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Active,
    Inactive,
    Expired,
    /// Requested, waiting for approval: not usable yet.
    Pending,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Expired => "expired",
            Status::Pending => "pending",
        })
    }
}

/// When an item was last used. `Unknown` (the provider does not say) is not
/// `Never` (the provider says it was never used): staleness rules treat them
/// differently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LastUsed {
    #[default]
    Unknown,
    Never,
    At(Timestamp),
}

impl LastUsed {
    /// The timestamp, when there is one.
    pub fn at(self) -> Option<Timestamp> {
        match self {
            LastUsed::At(t) => Some(t),
            _ => None,
        }
    }

    /// `used`, `never` or `unknown`.
    pub fn usage(self) -> Usage {
        match self {
            LastUsed::Unknown => Usage::Unknown,
            LastUsed::Never => Usage::Never,
            LastUsed::At(_) => Usage::Used,
        }
    }

    /// Back from the two wire fields.
    pub fn from_parts(usage: Usage, at: Option<Timestamp>) -> Self {
        match (usage, at) {
            (_, Some(t)) => LastUsed::At(t),
            (Usage::Never, None) => LastUsed::Never,
            _ => LastUsed::Unknown,
        }
    }
}

/// Whether an item was used, never used, or nobody knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Usage {
    Used,
    Never,
    Unknown,
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Usage::Used => "used",
            Usage::Never => "never",
            Usage::Unknown => "unknown",
        })
    }
}

/// Who created or owns an item, as the provider says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Creator {
    /// The login or user name.
    pub name: String,
    /// Whether they are still a member of the scope: `false` means they have
    /// left; `null` means unknown (members not read, or an app's bot account).
    pub member: Option<bool>,
}

impl Creator {
    /// Whether the creator is known to have left the scope.
    pub fn departed(&self) -> bool {
        self.member == Some(false)
    }
}

/// What the provider itself reported about an item, as opposed to what
/// nhiscan works out. Enrichment starts from these.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reported {
    /// The owner the platform names (an AI platform's key owner, AWS for
    /// its service-linked roles).
    pub owner: Option<Owner>,
    /// The platform's own human/machine verdict and its reason (an AI
    /// platform's user is a person).
    pub human: Option<(bool, String)>,
    /// The privilege the platform's grants give (GitHub permissions, an AI
    /// platform's role), when the provider reports it rather than nhiscan
    /// computing it from policies.
    pub privilege: Option<Arc<Privilege>>,
    /// Identities, possibly of another provider, this one can act as (a
    /// Kubernetes service account's cloud role): enrichment turns each one
    /// the scan holds into an escalation chain to it.
    pub acts_as: Vec<ActsAs>,
}

/// A link to an identity this one can act as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActsAs {
    /// The other identity's id or native id (a role ARN, an email, a client id).
    pub target: String,
    /// What makes the link, for evidence (`annotation eks.amazonaws.com/role-arn`).
    pub via: String,
}

/// Fields every inventory item has, identity or credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Stable id: the provider's global id (an ARN) or `<provider>:<scope>/<kind>/<native id>`;
    /// a credential's id extends its holder's.
    pub id: String,
    pub provider: ProviderId,
    /// The account, organization or tenant the item lives in.
    pub scope: String,
    pub kind: Kind,
    pub name: String,
    /// The provider's own id for the item, when known.
    pub native_id: Option<String>,

    // Facts.
    pub created_at: Option<Timestamp>,
    pub last_used: LastUsed,
    pub expires_at: Option<Timestamp>,
    pub status: Status,
    /// The person the provider names as the item's creator, with their membership.
    pub creator: Option<Creator>,
    pub reported: Reported,
    /// The provider's own facts about the item, typed by the provider.
    pub details: Option<Box<dyn Details>>,

    // Verdicts, computed by enrichment.
    pub owner: Option<Owner>,
    /// Shared with the holder when a credential inherits it.
    pub privilege: Arc<Privilege>,
    /// `false` for non-human identities (NHIs) and machine credentials.
    pub human: bool,
    /// Why `human` has its value.
    pub human_reason: String,
    /// Whether this is an AI identity or credential.
    pub ai: bool,
    /// Why `ai` has its value.
    pub ai_reason: String,
    /// The platform manages this item itself (an AWS service-linked role):
    /// only the platform can use or change it, so privilege and usage rules
    /// leave it out.
    pub platform_managed: bool,
}

impl Item {
    /// A new active item with no dates, facts or verdicts yet.
    pub fn new(id: String, provider: ProviderId, scope: String, kind: Kind, name: String) -> Self {
        Item {
            id,
            provider,
            scope,
            kind,
            name,
            native_id: None,
            created_at: None,
            last_used: LastUsed::Unknown,
            expires_at: None,
            status: Status::Active,
            creator: None,
            reported: Reported::default(),
            details: None,
            owner: None,
            privilege: Arc::default(),
            human: false,
            human_reason: String::new(),
            ai: false,
            ai_reason: String::new(),
            platform_managed: false,
        }
    }

    /// The provider's typed details, when they are of type `T`.
    pub fn details<T: Details>(&self) -> Option<&T> {
        self.details.as_deref()?.as_any().downcast_ref()
    }

    /// The provider's typed details, mutably, when they are of type `T`.
    pub fn details_mut<T: Details>(&mut self) -> Option<&mut T> {
        self.details.as_deref_mut()?.as_any_mut().downcast_mut()
    }

    /// Fills the facts `self` lacks from `other`, which describes the same item.
    pub fn merge_facts(&mut self, other: Item) {
        self.native_id = self.native_id.take().or(other.native_id);
        self.created_at = self.created_at.or(other.created_at);
        if self.last_used == LastUsed::Unknown {
            self.last_used = other.last_used;
        }
        self.expires_at = self.expires_at.or(other.expires_at);
        self.creator = self.creator.take().or(other.creator);
        let (a, b) = (&mut self.reported, other.reported);
        a.owner = a.owner.take().or(b.owner);
        a.human = a.human.take().or(b.human);
        a.privilege = a.privilege.take().or(b.privilege);
        if a.acts_as.is_empty() {
            a.acts_as = b.acts_as;
        }
        match (&mut self.details, other.details) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (mine @ None, theirs) => *mine = theirs,
            _ => {}
        }
    }
}
