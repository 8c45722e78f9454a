//! Enrichment after collection: human/non-human classification, owners and
//! privilege. Runs once over the merged inventory, before any rule.
//!
//! Classification of an IAM user, first match wins:
//! 1. a tag from `service_tags` (default `nhi-type=service`) → non-human;
//!    a tag from `human_tags` (default `nhi-type=human`) → human;
//! 2. the name matches `service_name_patterns` or the path matches
//!    `service_path_patterns` → non-human;
//! 3. a console password on record → human (the usual human user has MFA too);
//! 4. otherwise (access keys and no console password, or nothing at all) → non-human.
//!
//! Roles are non-human, except IAM Identity Center (SSO) roles, which people
//! assume. The root user is human. A platform account (a GitHub user) is
//! human unless its name matches `service_name_patterns` or it is an app's
//! `[bot]` account. Other kinds keep the provider's verdict. Credentials are
//! machine credentials (non-human) except a human's console password or SSH key.
//!
//! Owners, first found wins: an `[[owners]]` entry matching the id (the last
//! matching entry), an owner tag (`owner_tag_keys` in order), the owner the
//! provider reported (an AI platform's key owner), AWS itself for
//! service-linked roles, the creator the provider names (a GitHub PAT's
//! owner). A credential takes the last `[[owners]]` entry that matches its id
//! or its holder's, else the owner its provider reported, else its human
//! holder, else its holder's owner, else its creator.
//!
//! AWS privilege is worked out from policies; other providers set privilege
//! themselves. A GitHub credential without a level of its own takes its
//! holder's. AI platforms also set human/non-human themselves; enrichment
//! keeps those. Last, [`ai::classify`] marks AI identities.

use crate::config::Loaded;
use crate::inventory::{
    ai, Identity, Inventory, Item, Kind, Owner, OwnerSource, PrivilegeLevel, Provider,
};
use crate::policy::privilege;

/// Classifies every identity and credential, resolves owners and privilege.
pub fn enrich(inventory: &mut Inventory, config: &Loaded) {
    for identity in inventory.identities_mut() {
        let aws = identity.item.provider == Provider::Aws;
        let ai_platform = matches!(
            identity.item.provider,
            Provider::Openai | Provider::Anthropic
        );
        if aws {
            identity.item.privilege = privilege::assess(identity);
        }
        let (human, reason) = classify(identity, config);
        identity.item.human = human;
        identity.item.human_reason = reason;
        identity.item.owner = config_owner(&[&identity.item.id], config)
            .or_else(|| tag_owner(identity, config))
            .or_else(|| reported_owner(identity.item.owner.take()))
            .or_else(|| provider_owner(identity))
            .or_else(|| creator_owner(&identity.item));

        let holder = identity.item.clone();
        for c in &mut identity.credentials {
            let item = &mut c.item;
            if aws || (item.privilege.level == PrivilegeLevel::Unknown && !ai_platform) {
                item.privilege = holder.privilege.clone();
            }
            if !ai_platform {
                if matches!(item.kind, Kind::Password | Kind::SshKey) && holder.human {
                    item.human = true;
                    let what = match item.kind {
                        Kind::Password => "console password",
                        _ => "SSH key",
                    };
                    item.human_reason = format!("{what} of a human {}", holder.kind);
                } else {
                    item.human = false;
                    item.human_reason =
                        format!("machine credential held by {} {}", holder.kind, holder.name);
                }
            }
            let reported = reported_owner(item.owner.take());
            item.owner = config_owner(&[&item.id, &holder.id], config)
                .or(reported)
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
                });
            if item.owner.is_none() {
                item.owner = creator_owner(item);
            }
        }
        ai::classify(identity, config);
    }
}

/// An owner the provider reported (source `provider`), kept through
/// enrichment; owners that enrichment derives are derived again, so a saved
/// scan read back follows today's config.
fn reported_owner(owner: Option<Owner>) -> Option<Owner> {
    owner.filter(|o| o.source == OwnerSource::Provider)
}

/// `(human, reason)` for an identity.
fn classify(identity: &Identity, config: &Loaded) -> (bool, String) {
    let item = &identity.item;
    if item.provider != Provider::Aws {
        return match item.kind {
            Kind::Account => classify_account(&item.name, config),
            // Other kinds are classified by their provider.
            _ => (item.human, item.human_reason.clone()),
        };
    }
    match item.kind {
        Kind::Root => return (true, "root user of the account".into()),
        Kind::Role => {
            let sso = identity
                .path
                .as_deref()
                .is_some_and(|p| p.starts_with("/aws-reserved/sso.amazonaws.com/"));
            return if sso {
                (true, "IAM Identity Center role, assumed by people".into())
            } else {
                (false, "IAM role".into())
            };
        }
        Kind::ServerCertificate => return (false, "TLS server certificate".into()),
        Kind::OidcProvider => return (false, "OIDC identity provider".into()),
        Kind::SamlProvider => return (false, "SAML identity provider".into()),
        _ => {}
    }
    let c = &config.config.classification;
    if let Some(tag) =
        matching_tag(identity, &c.service_tags).or_else(|| matching_tag(identity, &c.ai_tags))
    {
        return (false, format!("tag {tag}"));
    }
    if let Some(tag) = matching_tag(identity, &c.human_tags) {
        return (true, format!("tag {tag}"));
    }
    if let Some(pattern) = service_name(&item.name, config) {
        return (false, format!("name matches {pattern}"));
    }
    if let Some(path) = &identity.path {
        if let Some((i, _)) = config
            .service_paths
            .iter()
            .enumerate()
            .find(|(_, g)| g.is_match(path))
        {
            return (
                false,
                format!("path matches {}", c.service_path_patterns[i]),
            );
        }
    }
    let keys = identity
        .credentials
        .iter()
        .any(|c| c.item.kind == Kind::AccessKey);
    match (identity.has_password(), identity.mfa_active) {
        (true, Some(true)) => (true, "console password with MFA".into()),
        (true, _) => (true, "console password (no MFA)".into()),
        (false, _) if keys => (false, "access keys and no console password".into()),
        (false, _) => (false, "no console password on record".into()),
    }
}

/// A platform account: an app's `[bot]` account or a name matching
/// `service_name_patterns` is a machine user; anyone else is a person.
fn classify_account(name: &str, config: &Loaded) -> (bool, String) {
    if name.ends_with("[bot]") {
        return (false, "an app's bot account".into());
    }
    match service_name(name, config) {
        Some(pattern) => (false, format!("name matches {pattern}")),
        None => (true, "personal account".into()),
    }
}

/// The first `service_name_patterns` entry matching `name`.
fn service_name<'a>(name: &str, config: &'a Loaded) -> Option<&'a str> {
    let patterns = &config.config.classification.service_name_patterns;
    config
        .service_names
        .iter()
        .zip(patterns)
        .find(|(g, _)| g.is_match(name))
        .map(|(_, p)| p.as_str())
}

/// The first `key=value` tag from `wanted` the identity carries (value compared case-insensitively).
pub(crate) fn matching_tag<'a>(identity: &Identity, wanted: &'a [String]) -> Option<&'a str> {
    wanted.iter().map(String::as_str).find(|t| {
        t.split_once('=').is_some_and(|(k, v)| {
            identity
                .tags
                .get(k)
                .is_some_and(|have| have.eq_ignore_ascii_case(v))
        })
    })
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

/// The creator the provider names (a GitHub PAT's owner, a deploy key's `added_by`).
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

/// AWS owns its service-linked roles.
fn provider_owner(identity: &Identity) -> Option<Owner> {
    let linked = identity.item.kind == Kind::Role
        && identity
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("/aws-service-role/"));
    linked.then(|| Owner {
        name: "aws".into(),
        source: OwnerSource::Provider,
        evidence: "service-linked role".into(),
        departed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Credential, Item, Provider};
    use std::path::Path;

    fn user(name: &str, path: &str) -> Identity {
        let id = format!("arn:aws:iam::123456789012:user{path}{name}");
        let mut i = Identity::new(Item::new(
            id,
            Provider::Aws,
            "123456789012".into(),
            Kind::User,
            name.into(),
        ));
        i.path = Some(path.into());
        i
    }

    fn add(identity: &mut Identity, kind: Kind, slot: &str) {
        let id = format!("{}/{kind}{slot}", identity.item.id);
        let item = Item::new(
            id,
            Provider::Aws,
            identity.item.scope.clone(),
            kind,
            format!("{kind}{slot}"),
        );
        identity.credentials.push(Credential {
            item,
            parent_id: identity.item.id.clone(),
            native_id: None,
            last_used_service: None,
            last_used_region: None,
            hint: None,
        });
    }

    fn run(identities: Vec<Identity>, config: &Loaded) -> Inventory {
        let mut inv = Inventory::default();
        for i in identities {
            inv.add(i);
        }
        enrich(&mut inv, config);
        inv
    }

    fn get<'a>(inv: &'a Inventory, name: &str) -> &'a Identity {
        inv.identities().find(|i| i.item.name == name).unwrap()
    }

    #[test]
    fn classification_follows_the_documented_order() {
        let mut alice = user("alice", "/");
        add(&mut alice, Kind::Password, "");
        add(&mut alice, Kind::AccessKey, "/1");
        alice.mfa_active = Some(true);
        let mut tagged = user("alice2", "/");
        add(&mut tagged, Kind::Password, "");
        tagged.tags.insert("nhi-type".into(), "Service".into());
        let mut keys_only = user("reporting", "/");
        add(&mut keys_only, Kind::AccessKey, "/1");
        let mut svc = user("svc-backup", "/");
        add(&mut svc, Kind::Password, "");
        let pathy = user("deployer", "/ci/");

        let inv = run(
            vec![alice, tagged, keys_only, svc, pathy],
            &Loaded::defaults(),
        );
        let a = get(&inv, "alice");
        assert!(a.item.human, "{}", a.item.human_reason);
        assert_eq!(a.item.human_reason, "console password with MFA");
        // Alice's key is a machine credential she owns; her password is human.
        let key = a
            .credentials
            .iter()
            .find(|c| c.item.kind == Kind::AccessKey)
            .unwrap();
        assert!(!key.item.human);
        let owner = key.item.owner.as_ref().unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.source),
            ("alice", OwnerSource::Holder)
        );
        assert!(
            a.credentials
                .iter()
                .find(|c| c.item.kind == Kind::Password)
                .unwrap()
                .item
                .human
        );

        assert_eq!(
            get(&inv, "alice2").item.human_reason,
            "tag nhi-type=service"
        );
        assert_eq!(
            get(&inv, "reporting").item.human_reason,
            "access keys and no console password"
        );
        assert_eq!(
            get(&inv, "svc-backup").item.human_reason,
            "name matches svc-*"
        );
        assert_eq!(
            get(&inv, "deployer").item.human_reason,
            "path matches */ci/*"
        );
        assert!(!get(&inv, "deployer").item.human);
    }

    #[test]
    fn owners_from_config_last_match_wins_then_tags_then_inherited() {
        let config = Loaded::parse(
            "[[owners]]\nmatch = \"arn:aws:iam::*:user/ci/*\"\nowner = \"platform\"\n\n[[owners]]\nmatch = \"*/ci/deployer\"\nowner = \"release-team\"\n",
            Path::new("nhiscan.toml"),
        )
        .unwrap();
        let mut deployer = user("deployer", "/ci/");
        deployer.tags.insert("owner".into(), "someone-else".into());
        add(&mut deployer, Kind::AccessKey, "/1");
        let mut etl = user("etl", "/");
        etl.tags.insert("team".into(), "data".into());
        add(&mut etl, Kind::AccessKey, "/1");
        let orphan = user("orphan", "/");

        let inv = run(vec![deployer, etl, orphan], &config);
        let d = get(&inv, "deployer");
        let o = d.item.owner.as_ref().unwrap();
        assert_eq!(
            (o.name.as_str(), o.source),
            ("release-team", OwnerSource::Config)
        );
        assert_eq!(
            d.credentials[0].item.owner.as_ref().unwrap().name,
            "release-team"
        );
        let e = get(&inv, "etl");
        let o = e.item.owner.as_ref().unwrap();
        assert_eq!(
            (o.name.as_str(), o.source, o.evidence.as_str()),
            ("data", OwnerSource::Tag, "tag team")
        );
        assert_eq!(e.credentials[0].item.owner, e.item.owner);
        assert!(get(&inv, "orphan").item.owner.is_none());
    }

    #[test]
    fn platform_accounts_creators_and_provider_privilege() {
        use crate::inventory::{Creator, Privilege};
        let account = |name: &str| {
            Identity::new(Item::new(
                format!("github:acme/user/{name}"),
                Provider::Github,
                "acme".into(),
                Kind::Account,
                name.into(),
            ))
        };
        let mut alice = account("alice");
        add(&mut alice, Kind::SshKey, "/1");
        let mut repo = Identity::new(Item::new(
            "github:acme/web".into(),
            Provider::Github,
            "acme".into(),
            Kind::Repository,
            "web".into(),
        ));
        repo.item.human_reason = "GitHub repository".into();
        add(&mut repo, Kind::DeployKey, "/1");
        let key = &mut repo.credentials[0].item;
        key.creator = Some(Creator {
            name: "bob".into(),
            member: Some(false),
        });
        key.privilege = Privilege {
            level: PrivilegeLevel::Write,
            ..Privilege::default()
        };
        let inv = run(vec![alice, account("ci-bot"), repo], &Loaded::defaults());

        let alice = get(&inv, "alice");
        assert_eq!(alice.item.human_reason, "personal account");
        assert!(alice.credentials[0].item.human, "a person's SSH key");
        assert!(!get(&inv, "ci-bot").item.human);
        let repo = get(&inv, "web");
        assert!(!repo.item.human);
        assert_eq!(
            repo.item.human_reason, "GitHub repository",
            "the provider's verdict"
        );
        let key = &repo.credentials[0].item;
        assert_eq!(
            key.privilege.level,
            PrivilegeLevel::Write,
            "not the holder's"
        );
        let owner = key.owner.as_ref().unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.source),
            ("bob", OwnerSource::Creator)
        );
    }

    #[test]
    fn roles_root_and_service_linked() {
        let role = |name: &str, path: &str| {
            let mut r = Identity::new(Item::new(
                format!("arn:aws:iam::123456789012:role{path}{name}"),
                Provider::Aws,
                "123456789012".into(),
                Kind::Role,
                name.into(),
            ));
            r.path = Some(path.into());
            r
        };
        let root = Identity::new(Item::new(
            "arn:aws:iam::123456789012:root".into(),
            Provider::Aws,
            "123456789012".into(),
            Kind::Root,
            "root".into(),
        ));
        let inv = run(
            vec![
                role(
                    "AWSServiceRoleForSupport",
                    "/aws-service-role/support.amazonaws.com/",
                ),
                role("AWSReservedSSO_Admin_1", "/aws-reserved/sso.amazonaws.com/"),
                role("app", "/"),
                root,
            ],
            &Loaded::defaults(),
        );
        assert_eq!(
            get(&inv, "AWSServiceRoleForSupport")
                .item
                .owner
                .as_ref()
                .unwrap()
                .source,
            OwnerSource::Provider
        );
        assert!(get(&inv, "AWSReservedSSO_Admin_1").item.human);
        assert!(!get(&inv, "app").item.human);
        assert!(get(&inv, "root").item.human);
    }

    #[test]
    fn provider_owners_are_kept_unless_config_maps_and_derived_ones_are_redone() {
        let mut bob = user("bob", "/");
        bob.item.provider = Provider::Openai;
        bob.item.human = true;
        bob.item.human_reason = "OpenAI organization user".into();
        add(&mut bob, Kind::ApiKey, "/1");
        add(&mut bob, Kind::ApiKey, "/2");
        for c in &mut bob.credentials {
            c.item.provider = Provider::Openai;
            c.item.owner = Some(Owner {
                name: "bob".into(),
                source: OwnerSource::Provider,
                evidence: "user left".into(),
                departed: true,
            });
        }
        // A saved scan read back: its tag owner is derived, and the tag is gone.
        let mut old = user("old", "/");
        old.item.owner = Some(Owner {
            name: "gone-team".into(),
            source: OwnerSource::Tag,
            evidence: "tag team".into(),
            departed: false,
        });
        let config = Loaded::parse(
            "[[owners]]\nmatch = \"*/api-key/2\"\nowner = \"platform\"\n",
            Path::new("nhiscan.toml"),
        )
        .unwrap();
        let inv = run(vec![bob, old], &config);
        let b = get(&inv, "bob");
        assert!(
            b.item.human,
            "kept from the provider: {}",
            b.item.human_reason
        );
        let kept = b.credentials[0].item.owner.as_ref().unwrap();
        assert!(kept.departed && kept.source == OwnerSource::Provider);
        let mapped = b.credentials[1].item.owner.as_ref().unwrap();
        assert_eq!((mapped.name.as_str(), mapped.departed), ("platform", false));
        assert!(get(&inv, "old").item.owner.is_none());
    }

    #[test]
    fn an_ai_agent_tag_makes_a_user_non_human_and_ai() {
        let mut agent = user("helper", "/");
        add(&mut agent, Kind::Password, "");
        agent.tags.insert("nhi-type".into(), "ai-agent".into());
        let inv = run(vec![agent], &Loaded::defaults());
        let a = get(&inv, "helper");
        assert_eq!(
            (a.item.human, a.item.human_reason.as_str()),
            (false, "tag nhi-type=ai-agent")
        );
        assert!(a.item.ai && a.credentials[0].item.ai);
    }
}
