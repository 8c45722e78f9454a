//! Joins what every Google Cloud source read so far: the IAM policies at
//! each level (organization, folders, project, service account), custom
//! roles, activity records and project labels, into each service account's
//! roles, privilege (with escalation paths), owner and last use.
//!
//! It runs after each Google Cloud file is read and after a live read, and
//! recomputes from the facts every time, so the order of the files does not
//! matter. Escalation follows Rhino Security Labs' GCP privilege-escalation
//! research and pathfinding.cloud's GCP scenarios; see
//! `docs/providers/gcp.md#escalation-paths`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::convert::short_name;
use super::details::{AccountDetails, RoleGrant, ScopeDetails};
use super::model::types;
use super::roles::{self, has};
use super::{ID, SERVICE_ACCOUNT, SERVICE_ACCOUNT_KEY};
use crate::model::{
    Escalation, Evidence, Inventory, LastUsed, Owner, OwnerSource, Privilege, PrivilegeLevel,
};

/// Label keys on a project that name the owner of its service accounts, in order.
pub const OWNER_LABELS: &[&str] = &["owner", "team"];

/// Permissions that let a caller act as another account (Token Creator).
const IMPERSONATE: &[&str] = &[
    "iam.serviceAccounts.getAccessToken",
    "iam.serviceAccounts.implicitDelegation",
    "iam.serviceAccounts.signBlob",
    "iam.serviceAccounts.signJwt",
];

/// `actAs` plus a way to run code as the account: `(path, permissions)`.
const DEPLOY: &[(&str, &[&str])] = &[
    ("act-as-compute", &["compute.instances.create"]),
    (
        "act-as-cloud-functions",
        &["cloudfunctions.functions.create", "cloudfunctions.functions.update"],
    ),
    ("act-as-cloud-run", &["run.services.create"]),
    ("act-as-cloud-build", &["cloudbuild.builds.create"]),
];

/// One account's view, gathered from the inventory.
struct Account {
    id: String,
    email: String,
    project_id: Option<String>,
    /// `projects/N`, `folders/N`, `organizations/N`, nearest first.
    scopes: Vec<String>,
    grants: Vec<(RoleGrant, PrivilegeLevel, Vec<String>)>,
    base: PrivilegeLevel,
    admin: Vec<Evidence>,
    evidence: Vec<Evidence>,
}

/// Recomputes every Google Cloud account's roles, privilege, owner and last use.
pub fn link(inventory: &mut Inventory) {
    // Scopes: labels, ancestry, policies, roles, activities.
    let mut project_numbers: HashMap<String, String> = HashMap::new();
    let mut scope_facts: BTreeMap<String, (BTreeMap<String, String>, Vec<String>)> =
        BTreeMap::new();
    let mut policies = Vec::new();
    let mut custom: HashMap<String, Vec<String>> = HashMap::new();
    let mut activities = Vec::new();
    for identity in inventory.identities() {
        if identity.item.provider != ID {
            continue;
        }
        if let Some(d) = identity.item.details::<ScopeDetails>() {
            if let Some(pid) = &d.project_id {
                project_numbers.insert(pid.clone(), d.resource.clone());
            }
            scope_facts.insert(d.resource.clone(), (d.labels.clone(), d.ancestors.clone()));
            policies.extend(d.policies.iter().cloned());
            custom.extend(d.custom_roles.iter().map(|(k, v)| (k.clone(), v.clone())));
            activities.extend(d.activities.iter().cloned());
        }
    }
    let any_policy = !policies.is_empty();

    // Accounts.
    let mut accounts: Vec<Account> = Vec::new();
    for identity in inventory.identities() {
        if identity.item.provider != ID || identity.item.kind != SERVICE_ACCOUNT {
            continue;
        }
        let Some(d) = identity.item.details::<AccountDetails>() else {
            continue;
        };
        let mut scopes = d.ancestors.clone();
        if scopes.is_empty() {
            let number = d
                .project_id
                .as_ref()
                .and_then(|p| project_numbers.get(p).cloned());
            if let Some(n) = number {
                scopes.push(n.clone());
                if let Some((_, up)) = scope_facts.get(&n) {
                    scopes.extend(up.iter().cloned());
                }
            }
        }
        if let Some(pid) = &d.project_id {
            scopes.push(format!("projects/{pid}"));
        }
        accounts.push(Account {
            id: identity.item.id.clone(),
            email: d.email.clone(),
            project_id: d.project_id.clone(),
            scopes,
            grants: Vec::new(),
            base: PrivilegeLevel::Unknown,
            admin: Vec::new(),
            evidence: Vec::new(),
        });
    }
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let mut by_unique: HashMap<String, usize> = HashMap::new();
    for (i, a) in accounts.iter().enumerate() {
        by_email.insert(a.email.to_ascii_lowercase(), i);
    }
    for identity in inventory.identities() {
        if let Some(d) = identity.item.details::<AccountDetails>() {
            if let (Some(u), Some(&i)) = (&d.unique_id, by_email.get(&d.email.to_ascii_lowercase()))
            {
                by_unique.insert(u.clone(), i);
            }
        }
    }
    let find_account = |segment: &str| -> Option<usize> {
        by_email
            .get(&segment.to_ascii_lowercase())
            .or_else(|| by_unique.get(segment))
            .copied()
    };

    // Grants: each binding's service-account members.
    let mut seen: BTreeSet<(usize, RoleGrant)> = BTreeSet::new();
    for p in &policies {
        let level = match p.asset_type.as_str() {
            types::ORGANIZATION => "organization",
            types::FOLDER => "folder",
            types::PROJECT => "project",
            types::SERVICE_ACCOUNT => "service-account",
            _ => "resource",
        };
        for (role, members, condition) in &p.bindings {
            for member in members {
                let Some(email) = member.strip_prefix("serviceAccount:") else {
                    continue;
                };
                let Some(i) = find_account(email) else {
                    continue;
                };
                let grant = RoleGrant {
                    role: role.clone(),
                    resource: p.resource.clone(),
                    level: level.to_string(),
                    condition: condition.clone(),
                };
                if seen.insert((i, grant.clone())) {
                    let (lvl, perms) = roles::resolve(role, custom.get(role));
                    accounts[i].grants.push((grant, lvl, perms));
                }
            }
        }
    }

    // Pass 1: the level the roles give, without escalation.
    for a in &mut accounts {
        a.grants.sort_by(|x, y| x.0.cmp(&y.0));
        let mut base = if any_policy {
            PrivilegeLevel::None
        } else {
            PrivilegeLevel::Unknown
        };
        for (g, lvl, perms) in &a.grants {
            let wide = is_wide(&g.level);
            let set_iam: Vec<String> = roles::SET_IAM_POLICY
                .iter()
                .filter(|p| perms.iter().any(|q| q == *p))
                .map(|p| p.to_string())
                .collect();
            if wide && (roles::ADMIN_ROLES.contains(&g.role.as_str()) || !set_iam.is_empty()) {
                a.admin.push(evidence(g, set_iam));
                base = PrivilegeLevel::Admin;
                continue;
            }
            let lvl = (*lvl).min(PrivilegeLevel::Write);
            if lvl > base {
                base = lvl;
            }
            if a.evidence.len() < 20 {
                a.evidence.push(evidence(g, Vec::new()));
            }
        }
        a.base = base;
    }

    // Pass 2: escalation to a more privileged account.
    let bases: Vec<PrivilegeLevel> = accounts.iter().map(|a| a.base).collect();
    let holds_custom: Vec<bool> = accounts
        .iter()
        .map(|a| a.grants.iter().any(|(g, _, _)| custom.contains_key(&g.role)))
        .collect();
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, b) in accounts.iter().enumerate() {
        for s in &b.scopes {
            members.entry(s.as_str()).or_default().push(j);
        }
    }
    let mut results: Vec<Vec<Escalation>> = Vec::with_capacity(accounts.len());
    for (i, a) in accounts.iter().enumerate() {
        let mut paths: BTreeMap<String, Escalation> = BTreeMap::new();
        let mut add = |path: &str, perms: Vec<String>, ev: Evidence| {
            let e = paths.entry(path.to_string()).or_insert_with(|| Escalation {
                path: path.to_string(),
                actions: Vec::new(),
                evidence: Vec::new(),
                ..Default::default()
            });
            for p in perms {
                if !e.actions.contains(&p) {
                    e.actions.push(p);
                }
            }
            if e.evidence.len() < 5 && !e.evidence.contains(&ev) {
                e.evidence.push(ev);
            }
        };
        if a.base == PrivilegeLevel::Admin {
            results.push(Vec::new());
            continue;
        }
        // Deploy permissions at project level or above.
        let deploy: Vec<(&str, Vec<String>, &RoleGrant)> = DEPLOY
            .iter()
            .flat_map(|(path, needed)| {
                a.grants.iter().filter_map(move |(g, _, perms)| {
                    let found: Vec<String> = needed
                        .iter()
                        .filter(|n| has(perms, n))
                        .map(|n| n.to_string())
                        .collect();
                    (is_wide(&g.level) && !found.is_empty()).then_some((*path, found, g))
                })
            })
            .collect();
        for (g, _, perms) in &a.grants {
            let relevant = IMPERSONATE.iter().any(|p| has(perms, p))
                || has(perms, "iam.serviceAccountKeys.create")
                || has(perms, "iam.serviceAccounts.setIamPolicy")
                || has(perms, "iam.serviceAccounts.actAs");
            // Targets the grant reaches, more privileged than `a`.
            let targets: Vec<usize> = if !relevant {
                Vec::new()
            } else if g.level == "service-account" {
                short_name(&g.resource)
                    .rsplit('/')
                    .next()
                    .and_then(&find_account)
                    .into_iter()
                    .collect()
            } else if is_wide(&g.level) {
                let scope = short_name(&g.resource);
                let mut found: Vec<usize> = members.get(scope.as_str()).cloned().unwrap_or_default();
                // A project named by id reaches the accounts listed under its number too.
                if let Some(n) = scope
                    .strip_prefix("projects/")
                    .and_then(|p| project_numbers.get(p))
                {
                    found.extend(members.get(n.as_str()).into_iter().flatten());
                }
                found.sort_unstable();
                found.dedup();
                found
            } else {
                Vec::new()
            };
            let higher: Vec<usize> = targets
                .into_iter()
                .filter(|&j| j != i && bases[j] > a.base)
                .collect();
            let names = |list: &[usize]| -> String {
                let mut names: Vec<&str> = list.iter().map(|&j| accounts[j].email.as_str()).collect();
                names.sort_unstable();
                let more = names.len().saturating_sub(3);
                names.truncate(3);
                let mut text = names.join(", ");
                if more > 0 {
                    text.push_str(&format!(" and {more} more"));
                }
                text
            };
            if !higher.is_empty() {
                let who = names(&higher);
                let mut ev = evidence(g, Vec::new());
                let imp: Vec<String> = IMPERSONATE.iter().filter(|p| has(perms, p)).map(|p| p.to_string()).collect();
                if !imp.is_empty() {
                    ev.actions = imp.clone();
                    ev.via = format!("{}, as {who}", ev.via);
                    add("impersonate-service-account", imp, ev.clone());
                }
                if has(perms, "iam.serviceAccountKeys.create") {
                    let p = vec!["iam.serviceAccountKeys.create".to_string()];
                    let mut ev = evidence(g, p.clone());
                    ev.via = format!("{}, as {who}", ev.via);
                    add("create-service-account-key", p, ev);
                }
                if has(perms, "iam.serviceAccounts.setIamPolicy") {
                    let p = vec!["iam.serviceAccounts.setIamPolicy".to_string()];
                    let mut ev = evidence(g, p.clone());
                    ev.via = format!("{}, as {who}", ev.via);
                    add("set-service-account-iam-policy", p, ev);
                }
                if has(perms, "iam.serviceAccounts.actAs") {
                    for (path, found, dg) in &deploy {
                        let mut p = vec!["iam.serviceAccounts.actAs".to_string()];
                        p.extend(found.iter().cloned());
                        let mut ev = evidence(g, vec!["iam.serviceAccounts.actAs".into()]);
                        ev.via = format!("{}, as {who}", ev.via);
                        add(path, p, ev);
                        add(path, Vec::new(), evidence(dg, found.clone()));
                    }
                }
            }
            if is_wide(&g.level) && has(perms, "deploymentmanager.deployments.create") {
                let p = vec!["deploymentmanager.deployments.create".to_string()];
                add("deployment-manager", p.clone(), evidence(g, p));
            }
            if is_wide(&g.level) && holds_custom[i] && has(perms, "iam.roles.update") {
                let p = vec!["iam.roles.update".to_string()];
                add("update-custom-role", p.clone(), evidence(g, p));
            }
        }
        results.push(paths.into_values().collect());
    }

    // Last use from activity records.
    let mut account_use: HashMap<usize, jiff::Timestamp> = HashMap::new();
    let mut key_use: HashMap<(usize, String), jiff::Timestamp> = HashMap::new();
    for r in &activities {
        let name = short_name(&r.resource);
        let parts: Vec<&str> = name.split('/').collect();
        let (Some(i), Some(at)) = (parts.get(3).and_then(|s| find_account(s)), r.at) else {
            continue;
        };
        if r.key {
            if let Some(k) = parts.get(5) {
                let e = key_use.entry((i, k.to_string())).or_insert(at);
                *e = (*e).max(at);
            }
        } else {
            let e = account_use.entry(i).or_insert(at);
            *e = (*e).max(at);
        }
    }

    // Write back.
    let index: HashMap<String, usize> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    for identity in inventory.identities_mut() {
        if identity.item.provider != ID {
            continue;
        }
        // A project's labels name the owner of what it holds (its API keys).
        if let Some(d) = identity.item.details::<ScopeDetails>() {
            let name = d.project_id.clone().unwrap_or_else(|| d.resource.clone());
            let owner = OWNER_LABELS.iter().find_map(|key| {
                let value = d.labels.get(*key)?.trim();
                (!value.is_empty()).then(|| Owner {
                    name: value.to_string(),
                    source: OwnerSource::Tag,
                    evidence: format!("project {name} label {key}"),
                    departed: false,
                })
            });
            identity.item.reported.owner = owner;
            continue;
        }
        let Some(&i) = index.get(&identity.item.id) else {
            continue;
        };
        let a = &accounts[i];
        let escalations = results[i].clone();
        let level = if a.base == PrivilegeLevel::Admin {
            PrivilegeLevel::Admin
        } else if !escalations.is_empty() {
            PrivilegeLevel::Privileged
        } else {
            a.base
        };
        let evidence = if level == PrivilegeLevel::Admin {
            a.admin.clone()
        } else {
            a.evidence.clone()
        };
        identity.item.reported.privilege = Some(Arc::new(Privilege {
            level,
            evidence,
            escalations,
            ..Privilege::default()
        }));
        if let Some(at) = account_use.get(&i) {
            identity.item.last_used = LastUsed::At(*at);
        }
        for c in &mut identity.credentials {
            if c.item.kind != SERVICE_ACCOUNT_KEY {
                continue;
            }
            let key = c.item.native_id.clone().unwrap_or_default();
            if let Some(at) = key_use.get(&(i, key)) {
                c.item.last_used = LastUsed::At(*at);
            }
        }
        let description = identity
            .item
            .details::<AccountDetails>()
            .and_then(|d| d.description.clone());
        let owner = description
            .as_deref()
            .and_then(description_owner)
            .map(|name| Owner {
                name,
                source: OwnerSource::Provider,
                evidence: "description owner:".into(),
                departed: false,
            })
            .or_else(|| label_owner(a, &scope_facts, &project_numbers));
        identity.item.reported.owner = owner;
        if let Some(d) = identity.item.details_mut::<AccountDetails>() {
            d.roles = a.grants.iter().map(|(g, _, _)| g.clone()).collect();
        }
    }
}

/// Whether a binding on this level reaches a whole project or more.
fn is_wide(level: &str) -> bool {
    matches!(level, "project" | "folder" | "organization")
}

fn evidence(g: &RoleGrant, actions: Vec<String>) -> Evidence {
    Evidence {
        policy: g.role.clone(),
        via: format!("{} {}", g.level, short_name(&g.resource)),
        statement: None,
        actions,
        conditions: g.condition.iter().cloned().collect(),
    }
}

/// The `owner:` convention in a description: `owner: team-payments` (the
/// word after `owner:`, any case).
pub fn description_owner(description: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    let at = lower.find("owner:")?;
    let rest = description.get(at + "owner:".len()..)?.trim_start();
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | ')'))
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The `owner` or `team` label of the account's project.
fn label_owner(
    a: &Account,
    scopes: &BTreeMap<String, (BTreeMap<String, String>, Vec<String>)>,
    numbers: &HashMap<String, String>,
) -> Option<Owner> {
    let project = a
        .scopes
        .iter()
        .find(|s| s.starts_with("projects/") && scopes.contains_key(*s))
        .cloned()
        .or_else(|| a.project_id.as_ref().and_then(|p| numbers.get(p).cloned()))?;
    let (labels, _) = scopes.get(&project)?;
    let name = a.project_id.clone().unwrap_or(project);
    OWNER_LABELS.iter().find_map(|key| {
        let value = labels.get(*key)?.trim();
        (!value.is_empty()).then(|| Owner {
            name: value.to_string(),
            source: OwnerSource::Tag,
            evidence: format!("project {name} label {key}"),
            departed: false,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_convention_takes_the_word_after_owner() {
        assert_eq!(
            description_owner("CI deployer. Owner: team-payments, on call"),
            Some("team-payments".into())
        );
        assert_eq!(description_owner("owner:alice@example.com"), Some("alice@example.com".into()));
        assert_eq!(description_owner("owned by nobody"), None);
        assert_eq!(description_owner("owner:   "), None);
    }
}
