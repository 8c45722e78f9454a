//! The normalized inventory that every provider produces and every rule
//! reads. It knows no provider: what only one provider has lives in that
//! provider's typed [`Details`].
//!
//! An [`Identity`] is a principal (a user, role, service account, app
//! installation); the [`Credential`]s it holds (keys, tokens, certificates,
//! passwords) hang below it. Both share the fields in [`Item`]. Ids are
//! stable: the provider's global id where it has one (an AWS ARN), otherwise
//! `<provider>:<scope>/<kind>/<native id>`; a credential's id extends its
//! holder's.

mod details;
mod item;
mod kind;
mod owner;
mod privilege;
mod severity;
mod source;
pub mod time;

use std::collections::BTreeMap;

pub use details::Details;
pub use item::{ActsAs, Creator, Item, LastUsed, Reported, Status, Usage};
pub use kind::{Class, Kind, KindInfo};
pub use owner::{Owner, OwnerSource};
pub use privilege::{Escalation, Evidence, Privilege, PrivilegeLevel, TrustGrant};
pub use severity::Severity;
pub use source::{Source, SourceStatus, UNRECOGNIZED};

/// A provider's id (`aws`, `github`), as its registry entry declares it.
pub type ProviderId = &'static str;

/// A principal and the credentials it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub item: Item,
    /// Tags or labels on the identity (`owner`, `team`, `nhi-type`).
    pub tags: BTreeMap<String, String>,
    /// Sorted by id.
    pub credentials: Vec<Credential>,
}

impl Identity {
    /// A new identity around `item` with no tags or credentials yet.
    pub fn new(item: Item) -> Self {
        Identity {
            item,
            tags: BTreeMap::new(),
            credentials: Vec::new(),
        }
    }

    /// Active credentials of one class.
    pub fn active(&self, class: Class) -> impl Iterator<Item = &Credential> {
        self.credentials
            .iter()
            .filter(move |c| c.item.kind.class() == class && c.item.status == Status::Active)
    }

    /// Whether this is a role its account's owner manages (not one the platform manages).
    pub fn is_customer_role(&self) -> bool {
        self.item.kind.class() == Class::Role && !self.item.platform_managed
    }

    /// Fills what `self` lacks from `other`, which describes the same
    /// principal (a credential report row and an authorization-details entry).
    pub fn merge(&mut self, other: Identity) {
        self.item.merge_facts(other.item);
        for (k, v) in other.tags {
            self.tags.entry(k).or_insert(v);
        }
        for c in other.credentials {
            match self.credentials.iter_mut().find(|d| d.item.id == c.item.id) {
                Some(d) => d.item.merge_facts(c.item),
                None => self.credentials.push(c),
            }
        }
        self.credentials.sort_by(|x, y| x.item.id.cmp(&y.item.id));
    }
}

/// A secret or key held by an identity. Never carries the secret itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub item: Item,
    /// The holder's id.
    pub parent_id: String,
}

impl Credential {
    /// A credential of `holder`, `kind`, with id `<holder id>/<kind><suffix>`.
    pub fn new(holder: &Item, item: Item) -> Self {
        Credential {
            item,
            parent_id: holder.id.clone(),
        }
    }
}

/// Everything collected in one scan, sorted by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub sources: Vec<Source>,
    identities: BTreeMap<String, Identity>,
    /// What collection noticed but did not fail on (duplicate ids across
    /// files), shown with the rules' warnings.
    pub warnings: Vec<String>,
    /// While tracking ([`Inventory::track_adds`]), what `add` saw: each id's
    /// hash, and the id itself when it merged into an identity already there.
    adds: Option<Vec<(u64, Option<String>)>>,
}

impl Inventory {
    /// Starts (or stops) recording what [`Inventory::add`] sees, for
    /// [`Inventory::take_adds`].
    pub fn track_adds(&mut self, on: bool) {
        self.adds = on.then(Vec::new);
    }

    /// What `add` saw since the last call: `(hash of the id, Some(id) when it
    /// merged into an identity already present)`.
    pub fn take_adds(&mut self) -> Vec<(u64, Option<String>)> {
        self.adds.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Adds an identity, merging it into one with the same id.
    pub fn add(&mut self, identity: Identity) {
        if let Some(adds) = &mut self.adds {
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut h = DefaultHasher::new();
            identity.item.id.hash(&mut h);
            let merged = self.identities.contains_key(&identity.item.id);
            adds.push((h.finish(), merged.then(|| identity.item.id.clone())));
        }
        match self.identities.get_mut(&identity.item.id) {
            Some(existing) => existing.merge(identity),
            None => {
                let mut identity = identity;
                identity
                    .credentials
                    .sort_by(|x, y| x.item.id.cmp(&y.item.id));
                self.identities.insert(identity.item.id.clone(), identity);
            }
        }
    }

    /// Adds a source and the identities it contributed, counting its items.
    pub fn add_source(&mut self, mut source: Source, identities: Vec<Identity>) {
        source.items = identities.iter().map(|i| 1 + i.credentials.len()).sum();
        self.sources.push(source);
        for identity in identities {
            self.add(identity);
        }
    }

    /// Identities in id order.
    pub fn identities(&self) -> impl ExactSizeIterator<Item = &Identity> {
        self.identities.values()
    }

    /// Identities in id order, mutably.
    pub fn identities_mut(&mut self) -> impl Iterator<Item = &mut Identity> {
        self.identities.values_mut()
    }

    /// Looks an identity up by id.
    pub fn get(&self, id: &str) -> Option<&Identity> {
        self.identities.get(id)
    }

    /// Number of identities plus credentials.
    pub fn item_count(&self) -> usize {
        self.identities
            .values()
            .map(|i| 1 + i.credentials.len())
            .sum()
    }

    /// Whether any source failed or was partial.
    pub fn is_partial(&self) -> bool {
        self.sources.iter().any(|s| s.status.is_incomplete())
    }
}
