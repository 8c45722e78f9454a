//! Enrichment after collection: human/non-human classification, AI
//! identities, owners and privilege. Runs once over the merged inventory,
//! before any rule, calling each item's provider for what only it knows.
//!
//! For each identity, in order:
//! 1. the provider's [`assess`](Provider::assess) (privilege from policies,
//!    items the platform manages);
//! 2. human or not: the provider's [`classify`](Provider::classify), else
//!    the platform's reported verdict, else the core's: a tag from
//!    `service_tags`/`ai_tags` (non-human) or `human_tags` (human), a name
//!    matching `service_name_patterns` (non-human), otherwise non-human;
//! 3. owner, first found wins: the last `[[owners]]` entry matching the id,
//!    an owner tag (`owner_tag_keys` in order), the owner the platform
//!    reported, the creator the provider names;
//! 4. each credential: privilege its own (reported) or shared with its
//!    holder; human only when it is a password or SSH key of a human holder
//!    (or the platform says so); owner from the last `[[owners]]` entry
//!    matching it or its holder, else the platform's, else its human holder,
//!    else its holder's owner, else its creator;
//! 5. AI or not: the provider's [`ai`](Provider::ai) verdict; a credential
//!    is AI when its provider says so, or when its holder is AI.
//!
//! Then, across identities and providers: each identity that can act as
//! another ([`Reported::acts_as`](crate::model::Reported), a Kubernetes
//! service account's cloud role) gains an `acts-as` escalation whose chain
//! ends at that identity, when the scan holds it ([`link`]).

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Loaded;
use crate::model::{
    Class, Escalation, Evidence, Identity, Inventory, Item, Owner, OwnerSource, PrivilegeLevel,
};
use crate::providers::{get, Provider};

/// Classifies every identity and credential, resolves owners and privilege.
///
/// Each identity is enriched on its own (from its own facts and the config),
/// so they are done in parallel; the result does not depend on the order.
pub fn enrich(inventory: &mut Inventory, config: &Loaded) {
    let mut identities: Vec<&mut Identity> = inventory.identities_mut().collect();
    identities.par_iter_mut().for_each(|identity| {
        if let Some(provider) = get(identity.item.provider) {
            enrich_identity(provider, identity, config);
        }
    });
    link(inventory);
}

/// The escalation path of an identity that can act as another.
pub const ACTS_AS: &str = "acts-as";

/// Resolves every [`acts_as`](crate::model::Reported::acts_as) link whose
/// target the scan holds (by id, else by native id) into an `acts-as`
/// escalation: `account → via → target (level)`. The linking identity's
/// level rises to the target's, at most to privileged: it can act with the
/// target's rights, but holds none of its platform's admin grants itself.
pub fn link(inventory: &mut Inventory) {
    use std::collections::HashMap;
    let wanted: Vec<(String, String, String)> = inventory
        .identities()
        .flat_map(|i| {
            i.item
                .reported
                .acts_as
                .iter()
                .map(|a| (i.item.id.clone(), a.target.clone(), a.via.clone()))
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let by_native: HashMap<&str, &str> = inventory
        .identities()
        .filter_map(|i| Some((i.item.native_id.as_deref()?, i.item.id.as_str())))
        .collect();
    let mut found: Vec<(String, Escalation, PrivilegeLevel)> = Vec::new();
    for (from, target, via) in &wanted {
        let hit = inventory.get(target).or_else(|| {
            by_native
                .get(target.as_str())
                .and_then(|id| inventory.get(id))
        });
        let Some(to) = hit.filter(|to| to.item.id != *from) else {
            continue;
        };
        let Some(me) = inventory.get(from) else {
            continue;
        };
        let level = to.item.privilege.level;
        let described = format!("{} {} ({level})", to.item.kind, to.item.name);
        found.push((
            from.clone(),
            Escalation {
                path: ACTS_AS.into(),
                actions: vec![via.clone()],
                evidence: vec![Evidence {
                    policy: to.item.id.clone(),
                    via: via.clone(),
                    statement: None,
                    actions: Vec::new(),
                    conditions: Vec::new(),
                }],
                target: Some(format!("{} {described}", to.item.provider)),
                chain: vec![
                    format!("{} {}", me.item.kind, me.item.name),
                    via.clone(),
                    format!("{} {described}", to.item.provider),
                ],
                existing_resources: false,
            },
            level,
        ));
    }
    let by_id: HashMap<String, Vec<(Escalation, PrivilegeLevel)>> =
        found.into_iter().fold(HashMap::new(), |mut m, (id, e, l)| {
            m.entry(id).or_default().push((e, l));
            m
        });
    for identity in inventory.identities_mut() {
        let Some(links) = by_id.get(&identity.item.id) else {
            continue;
        };
        let old = Arc::clone(&identity.item.privilege);
        let p = Arc::make_mut(&mut identity.item.privilege);
        for (e, level) in links {
            if !p.escalations.contains(e) {
                p.escalations.push(e.clone());
            }
            let reach = (*level).min(PrivilegeLevel::Privileged);
            if reach > p.level {
                p.level = reach;
            }
        }
        let new = Arc::clone(&identity.item.privilege);
        for c in &mut identity.credentials {
            if Arc::ptr_eq(&c.item.privilege, &old) {
                c.item.privilege = Arc::clone(&new);
            }
        }
    }
}

fn enrich_identity(provider: &dyn Provider, identity: &mut Identity, config: &Loaded) {
    if let Some(p) = &identity.item.reported.privilege {
        identity.item.privilege = Arc::clone(p);
    }
    provider.assess(identity, config);
    let (human, reason) = provider
        .classify(identity, config)
        .or_else(|| identity.item.reported.human.clone())
        .unwrap_or_else(|| classify(identity, config));
    identity.item.human = human;
    identity.item.human_reason = reason;
    identity.item.owner = config_owner(&[&identity.item.id], config)
        .or_else(|| tag_owner(identity, config))
        .or_else(|| identity.item.reported.owner.clone())
        .or_else(|| creator_owner(&identity.item));

    let (ai, reason) = provider.ai(identity, config);
    identity.item.ai = ai;
    identity.item.ai_reason = reason;

    let holder = &identity.item;
    for c in &mut identity.credentials {
        let item = &mut c.item;
        let inherit = provider.credentials_inherit_privilege();
        item.privilege = match &item.reported.privilege {
            Some(p) if !inherit || p.level != PrivilegeLevel::Unknown => Arc::clone(p),
            _ if inherit => Arc::clone(&holder.privilege),
            _ => Arc::default(),
        };
        (item.human, item.human_reason) = item
            .reported
            .human
            .clone()
            .unwrap_or_else(|| classify_credential(item, holder));
        item.owner = config_owner(&[&item.id, &holder.id], config)
            .or_else(|| item.reported.owner.clone())
            .or_else(|| {
                if holder.human {
                    Some(Owner {
                        name: holder.name.clone(),
                        source: OwnerSource::Holder,
                        evidence: holder.id.clone(),
                        departed: false,
                    })
                } else {
                    holder.owner.clone()
                }
            })
            .or_else(|| creator_owner(item));
        (item.ai, item.ai_reason) = if item.human {
            (false, "human credential".into())
        } else if let Some(reason) = provider.ai_credential(item) {
            (true, reason)
        } else if holder.ai {
            (true, format!("held by AI {} {}", holder.kind, holder.name))
        } else {
            (
                false,
                format!(
                    "held by {} {}, not an AI identity",
                    holder.kind, holder.name
                ),
            )
        };
    }
}

/// The core's human/non-human verdict: the configured markers, else non-human.
fn classify(identity: &Identity, config: &Loaded) -> (bool, String) {
    config
        .human_marker(&identity.tags, &identity.item.name)
        .unwrap_or_else(|| {
            (
                false,
                format!("{} with no human marker", identity.item.kind),
            )
        })
}

/// A credential is a machine credential, except a human's password or SSH key.
fn classify_credential(item: &Item, holder: &Item) -> (bool, String) {
    let what = match item.kind.class() {
        Class::Password => Some("console password"),
        Class::SshKey => Some("SSH key"),
        _ => None,
    };
    match what {
        Some(what) if holder.human => (true, format!("{what} of a human {}", holder.kind)),
        _ => (
            false,
            format!("machine credential held by {} {}", holder.kind, holder.name),
        ),
    }
}

/// The last `[[owners]]` entry whose glob matches any of `ids` (a credential
/// and its holder: a later entry for the holder beats an earlier, broader one
/// that happens to match the credential).
fn config_owner(ids: &[&str], config: &Loaded) -> Option<Owner> {
    config
        .owners
        .iter()
        .rev()
        .find(|(glob, _, _)| ids.iter().any(|id| glob.is_match(id)))
        .map(|(_, owner, pattern)| Owner {
            name: owner.clone(),
            source: OwnerSource::Config,
            evidence: format!("[[owners]] match = {pattern:?}"),
            departed: false,
        })
}

fn tag_owner(identity: &Identity, config: &Loaded) -> Option<Owner> {
    config
        .config
        .classification
        .owner_tag_keys
        .iter()
        .find_map(|key| {
            let value = identity.tags.get(key)?.trim();
            (!value.is_empty()).then(|| Owner {
                name: value.to_string(),
                source: OwnerSource::Tag,
                evidence: format!("tag {key}"),
                departed: false,
            })
        })
}

/// The creator the provider names (a token's owner, a deploy key's `added_by`).
fn creator_owner(item: &Item) -> Option<Owner> {
    item.creator.as_ref().map(|c| Owner {
        name: c.name.clone(),
        source: OwnerSource::Creator,
        evidence: if c.departed() {
            format!("no longer a member of {}", item.scope)
        } else {
            format!("{} creator", item.provider)
        },
        departed: c.departed(),
    })
}
