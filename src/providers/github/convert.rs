//! Snapshot to inventory: a pure function, shared by live scans, saved
//! snapshots and the demo.
//!
//! | GitHub item | inventory | id |
//! |---|---|---|
//! | user owning tokens or keys | identity `account` | `github:ORG/user/LOGIN` |
//! | fine-grained PAT grant | its `fine-grained-pat` | `github:ORG/pat/ID` |
//! | pending PAT request | its `pat-request` (`pending`) | `github:ORG/pat-request/ID` |
//! | SAML credential authorization | its `classic-pat`, `ssh-key`, `oauth-token`, `app-token` | `github:ORG/credential/ID` |
//! | App installation | identity `app-installation` | `github:ORG/installation/ID` |
//! | org secrets and webhooks | identity `organization` | `github:ORG` |
//! | org Actions secret | its `actions-secret` | `github:ORG/secret/NAME` |
//! | org webhook | its `webhook` | `github:ORG/webhook/ID` |
//! | repository with keys, secrets or webhooks | identity `repository` | `github:ORG/REPO` |
//! | deploy key | its `deploy-key` | `github:ORG/REPO/deploy-key/ID` |
//! | repo Actions secret / webhook | its `actions-secret` / `webhook` | `github:ORG/REPO/secret/NAME`, `github:ORG/REPO/webhook/ID` |
//!
//! Creators (a PAT's owner, a deploy key's `added_by`, a credential's login)
//! are checked against the org's members; an app's `[bot]` account is not a
//! member and is never "departed".

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::Timestamp;

use super::details::{GithubDetails, RepositorySelection, WebhookSettings};
use super::model::{
    CredentialAuthorization, DeployKey, Hook, PatPermissions, PatToken, Secret, User,
};
use super::snapshot::{OrgSnapshot, Outcome, Problem};
use super::{
    ACCOUNT, ACTIONS_SECRET, APP_INSTALLATION, APP_TOKEN, CLASSIC_PAT, DEPLOY_KEY,
    FINE_GRAINED_PAT, ID, OAUTH_TOKEN, ORGANIZATION, PAT_REQUEST, REPOSITORY, SSH_KEY, WEBHOOK,
};
use crate::model::{
    Creator, Credential, Evidence, Identity, Item, Kind, LastUsed, Privilege, PrivilegeLevel,
    Source, SourceStatus, Status,
};

/// The inventory of one snapshot.
pub fn identities(snapshot: &OrgSnapshot) -> Vec<Identity> {
    Builder::new(snapshot).build()
}

/// The sources describing one snapshot read from `location` as `kind`: the
/// org itself (first, its items not counted yet), plus one `skipped` source
/// per part not available on the org.
pub fn sources(
    snapshot: &OrgSnapshot,
    location: &str,
    kind: &str,
    api_calls: BTreeMap<String, u64>,
) -> Vec<Source> {
    let failed: Vec<&Problem> = snapshot
        .problems
        .iter()
        .filter(|p| p.outcome == Outcome::Failed)
        .collect();
    let status = if snapshot.nothing_read() {
        SourceStatus::Failed
    } else if failed.is_empty() {
        SourceStatus::Ok
    } else {
        SourceStatus::Partial
    };
    let source = |status, kind: &str, error| {
        let mut s = Source::new(ID, kind, location);
        s.scope = snapshot.org.clone();
        s.status = status;
        s.error = error;
        s
    };
    let mut main = source(status, kind, summarize(&failed, &snapshot.api_url));
    main.api_calls = api_calls;
    let mut all = vec![main];
    for p in snapshot
        .problems
        .iter()
        .filter(|p| p.outcome == Outcome::Skipped)
    {
        let part = p.endpoint.rsplit('/').next().unwrap_or(&p.endpoint);
        all.push(source(
            SourceStatus::Skipped,
            &format!("{kind}:{part}"),
            Some(p.reason.clone()),
        ));
    }
    all
}

/// One line for the failed parts: each endpoint once, with how many targets
/// failed and the first reason. When the API could not be reached at all,
/// that is said once, naming the host and the flag that sets it.
fn summarize(failed: &[&Problem], api_url: &str) -> Option<String> {
    let cause = |p: &Problem| {
        p.reason
            .strip_prefix(super::transport::CANNOT_CONNECT)
            .map(str::to_string)
    };
    if let Some(first) = failed.first().and_then(|p| cause(p)) {
        if failed.iter().all(|p| cause(p).as_deref() == Some(first.as_str())) {
            let host = url::Url::parse(api_url)
                .ok()
                .and_then(|u| {
                    let host = u.host_str()?.to_string();
                    Some(match u.port() {
                        Some(port) => format!("{host}:{port}"),
                        None => host,
                    })
                })
                .unwrap_or_else(|| api_url.to_string());
            return Some(format!(
                "cannot connect to the GitHub API at {host} ({first}): check the network or proxy, \
                 or set --github-api-url (now {api_url})"
            ));
        }
    }
    let mut by_endpoint: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
    for p in failed {
        by_endpoint.entry(&p.endpoint).or_default().push(p);
    }
    let parts: Vec<String> = by_endpoint
        .into_iter()
        .map(|(endpoint, problems)| {
            let first = problems[0];
            match problems.len() {
                1 => format!("{endpoint} ({}): {}", first.target, first.reason),
                n => format!(
                    "{endpoint}: {n} failed, first {}: {}",
                    first.target, first.reason
                ),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

struct Builder<'a> {
    s: &'a OrgSnapshot,
    /// Lowercased member logins, when the member list was read.
    members: Option<BTreeSet<String>>,
    accounts: BTreeMap<String, Identity>,
    out: Vec<Identity>,
}

impl<'a> Builder<'a> {
    fn new(s: &'a OrgSnapshot) -> Self {
        let members = s
            .members
            .as_ref()
            .map(|m| m.iter().map(|u| u.login.to_lowercase()).collect());
        Builder {
            s,
            members,
            accounts: BTreeMap::new(),
            out: Vec::new(),
        }
    }

    fn build(mut self) -> Vec<Identity> {
        let s = self.s;
        for g in s.pat_grants.iter().flatten() {
            let path = format!("pat/{}", g.id);
            let item = self.pat(path, FINE_GRAINED_PAT, g.access_granted_at, &g.token);
            self.hold(&g.token.owner, item, Some(g.id.to_string()));
        }
        for r in s.pat_requests.iter().flatten() {
            let path = format!("pat-request/{}", r.id);
            let item = self.pat(path, PAT_REQUEST, r.created_at, &r.token);
            self.hold(&r.token.owner, item, Some(r.id.to_string()));
        }
        for c in s.credential_authorizations.iter().flatten() {
            let item = self.credential_authorization(c);
            let owner = User {
                login: c.login.clone(),
                id: None,
                kind: None,
            };
            self.hold(&owner, item, Some(c.credential_id.to_string()));
        }
        for i in s.installations.iter().flatten() {
            let name = i.app_slug.clone().unwrap_or_else(|| match i.app_id {
                Some(app) => format!("app {app}"),
                None => format!("installation {}", i.id),
            });
            let mut item = self.item(format!("installation/{}", i.id), APP_INSTALLATION, name);
            item.native_id = Some(i.id.to_string());
            item.reported.human = Some((false, "GitHub App installation".into()));
            item.created_at = Some(i.created_at);
            item.status = if i.suspended_at.is_some() {
                Status::Inactive
            } else {
                Status::Active
            };
            item.reported.privilege = Some(Arc::new(permissions(
                "GitHub App permissions",
                "installation",
                &i.permissions,
            )));
            item.details = GithubDetails {
                repository_selection: selection(&i.repository_selection),
                webhook: None,
            }
            .boxed();
            self.out.push(Identity::new(item));
        }
        let org_secrets = s.org_secrets.as_deref().unwrap_or_default();
        let org_hooks = s.org_hooks.as_deref().unwrap_or_default();
        if !org_secrets.is_empty() || !org_hooks.is_empty() {
            let mut item = Item::new(
                format!("github:{}", s.org),
                ID,
                s.org.clone(),
                ORGANIZATION,
                s.org.clone(),
            );
            item.reported.human = Some((
                false,
                "GitHub organization holding org secrets and webhooks".into(),
            ));
            let identity = self.container(Identity::new(item), &[], org_secrets, org_hooks);
            self.out.push(identity);
        }
        for repo in s.repos.iter().flatten() {
            let keys = repo.deploy_keys.as_deref().unwrap_or_default();
            let secrets = repo.secrets.as_deref().unwrap_or_default();
            let hooks = repo.hooks.as_deref().unwrap_or_default();
            if keys.is_empty() && secrets.is_empty() && hooks.is_empty() {
                continue;
            }
            let mut item = self.item(repo.name.clone(), REPOSITORY, repo.name.clone());
            item.reported.human = Some((
                false,
                "GitHub repository holding deploy keys, secrets or webhooks".into(),
            ));
            if repo.archived {
                item.status = Status::Inactive;
            }
            let identity = self.container(Identity::new(item), keys, secrets, hooks);
            self.out.push(identity);
        }
        let mut out = self.out;
        out.extend(self.accounts.into_values());
        out
    }

    /// A new item of this org; `path` follows `github:ORG/`.
    fn item(&self, path: String, kind: Kind, name: String) -> Item {
        let org = &self.s.org;
        Item::new(format!("github:{org}/{path}"), ID, org.clone(), kind, name)
    }

    /// Whether `login` is still a member: unknown without a member list, and
    /// for an app's `[bot]` account.
    fn creator(&self, login: &str) -> Creator {
        let member = match &self.members {
            Some(m) if !login.ends_with("[bot]") => Some(m.contains(&login.to_lowercase())),
            _ => None,
        };
        Creator {
            name: login.to_string(),
            member,
        }
    }

    /// Adds `item` as a credential of `owner`'s account, which it was created by.
    fn hold(&mut self, owner: &User, mut item: Item, native_id: Option<String>) {
        item.creator = Some(self.creator(&owner.login));
        let holder = self
            .accounts
            .entry(owner.login.to_lowercase())
            .or_insert_with(|| {
                let org = &self.s.org;
                let mut item = Item::new(
                    format!("github:{org}/user/{}", owner.login),
                    ID,
                    org.clone(),
                    ACCOUNT,
                    owner.login.clone(),
                );
                item.native_id = owner.id.map(|id| id.to_string());
                Identity::new(item)
            });
        if holder.item.native_id.is_none() {
            holder.item.native_id = owner.id.map(|id| id.to_string());
        }
        holder
            .credentials
            .push(credential(&holder.item.id, item, native_id));
    }

    /// A PAT grant (active) or request (pending), granted or asked for `since`.
    fn pat(&self, path: String, kind: Kind, since: Timestamp, t: &PatToken) -> Item {
        let name = match (&t.token_name, t.token_id) {
            (Some(n), _) if !n.trim().is_empty() => n.clone(),
            (_, Some(id)) => format!("token {id}"),
            _ => "unnamed token".into(),
        };
        let mut item = self.item(path, kind, name);
        item.created_at = Some(since);
        item.last_used = used(t.token_last_used_at);
        item.expires_at = t.token_expires_at;
        let request = kind == PAT_REQUEST;
        item.status = if t.token_expired {
            Status::Expired
        } else if request {
            Status::Pending
        } else {
            Status::Active
        };
        let policy = if request {
            "requested PAT permissions"
        } else {
            "fine-grained PAT permissions"
        };
        item.reported.privilege = Some(Arc::new(pat_privilege(&t.permissions, policy)));
        item.details = GithubDetails {
            repository_selection: selection(&t.repository_selection),
            webhook: None,
        }
        .boxed();
        item
    }

    fn credential_authorization(&self, c: &CredentialAuthorization) -> Item {
        let kind = credential_kind(&c.credential_type);
        let name = c
            .authorized_credential_title
            .clone()
            .or_else(|| c.authorized_credential_note.clone())
            .unwrap_or_else(|| format!("{} {}", c.credential_type, c.credential_id));
        let mut item = self.item(format!("credential/{}", c.credential_id), kind, name);
        item.created_at = Some(c.credential_authorized_at);
        item.last_used = used(c.credential_accessed_at);
        item.expires_at = c.authorized_credential_expires_at;
        if kind == CLASSIC_PAT || kind == OAUTH_TOKEN {
            item.reported.privilege = Some(Arc::new(scope_privilege(
                c.scopes.as_deref().unwrap_or_default(),
            )));
        }
        item
    }

    /// `identity` holding deploy keys, secrets and webhooks.
    fn container(
        &self,
        mut identity: Identity,
        keys: &[DeployKey],
        secrets: &[Secret],
        hooks: &[Hook],
    ) -> Identity {
        let base = identity.item.id.clone();
        let scope = identity.item.scope.clone();
        let child = |path: String, kind: Kind, name: String| {
            Item::new(format!("{base}/{path}"), ID, scope.clone(), kind, name)
        };
        let mut credentials = Vec::new();
        for k in keys {
            let mut item = child(format!("deploy-key/{}", k.id), DEPLOY_KEY, k.title.clone());
            item.created_at = Some(k.created_at);
            item.last_used = used(k.last_used);
            if k.enabled == Some(false) {
                item.status = Status::Inactive;
            }
            let (level, access) = if k.read_only {
                (PrivilegeLevel::Read, "contents:read")
            } else {
                (PrivilegeLevel::Write, "contents:write")
            };
            item.reported.privilege = Some(Arc::new(Privilege {
                level,
                evidence: vec![Evidence {
                    policy: "deploy key".into(),
                    via: format!("read_only: {}", k.read_only),
                    statement: None,
                    actions: vec![access.into()],
                    conditions: Vec::new(),
                }],
                ..Privilege::default()
            }));
            item.creator = k.added_by.as_deref().map(|login| self.creator(login));
            credentials.push(credential(&base, item, Some(k.id.to_string())));
        }
        for secret in secrets {
            let mut item = child(
                format!("secret/{}", secret.name),
                ACTIONS_SECRET,
                secret.name.clone(),
            );
            item.created_at = Some(secret.created_at);
            credentials.push(credential(&base, item, None));
        }
        for h in hooks {
            let url = h.config.url.as_ref().map(|o| o.0.clone());
            let mut item = child(
                format!("webhook/{}", h.id),
                WEBHOOK,
                format!("webhook {}", h.id),
            );
            item.created_at = h.created_at;
            if !h.active {
                item.status = Status::Inactive;
            }
            item.details = GithubDetails {
                repository_selection: None,
                webhook: Some(WebhookSettings {
                    url,
                    secret: h.config.secret.is_some(),
                    insecure_ssl: h.config.insecure_ssl.is_some_and(|i| i.0),
                    events: h.events.clone(),
                }),
            }
            .boxed();
            credentials.push(credential(&base, item, Some(h.id.to_string())));
        }
        identity.credentials = credentials;
        identity
    }
}

fn credential(holder: &str, mut item: Item, native_id: Option<String>) -> Credential {
    item.native_id = native_id;
    Credential {
        item,
        parent_id: holder.to_string(),
    }
}

/// GitHub reports `null` for a token or key never used.
fn used(at: Option<Timestamp>) -> LastUsed {
    at.map_or(LastUsed::Never, LastUsed::At)
}

fn selection(text: &str) -> Option<RepositorySelection> {
    match text {
        "all" => Some(RepositorySelection::All),
        "selected" | "subset" => Some(RepositorySelection::Selected),
        "none" => Some(RepositorySelection::None),
        _ => None,
    }
}

fn credential_kind(credential_type: &str) -> Kind {
    let t = credential_type.to_ascii_lowercase();
    if t.contains("ssh") {
        SSH_KEY
    } else if t.contains("oauth") {
        OAUTH_TOKEN
    } else if t.contains("app") {
        APP_TOKEN
    } else {
        CLASSIC_PAT
    }
}

/// Permissions that manage who can do what, short of administration.
const PRIVILEGED: &[&str] = &[
    "members",
    "personal_access_tokens",
    "personal_access_token_requests",
    "custom_roles",
    "custom_org_roles",
];

/// The level one GitHub permission gives: `administration` (repository or
/// organization) written is admin; member, token and role management is
/// privileged; other writes are write.
fn permission_level(name: &str, access: &str) -> PrivilegeLevel {
    let name = name.strip_prefix("organization_").unwrap_or(name);
    match access {
        "read" => PrivilegeLevel::Read,
        "write" | "admin" if name == "administration" => PrivilegeLevel::Admin,
        "write" | "admin" if PRIVILEGED.contains(&name) => PrivilegeLevel::Privileged,
        "write" | "admin" => PrivilegeLevel::Write,
        _ => PrivilegeLevel::None,
    }
}

/// A classic token's OAuth scope: `admin:org` and `admin:enterprise` are
/// admin; `delete_repo` and hook administration are privileged; `read:*` and
/// `user:email` are read; anything else writes.
fn scope_level(scope: &str) -> PrivilegeLevel {
    match scope {
        "admin:org" | "admin:enterprise" => PrivilegeLevel::Admin,
        "delete_repo" | "admin:org_hook" | "admin:repo_hook" => PrivilegeLevel::Privileged,
        s if s.starts_with("read:") || s == "user:email" => PrivilegeLevel::Read,
        _ => PrivilegeLevel::Write,
    }
}

/// The highest level among `grants`, with the grants at that level as evidence.
fn graded(policy: &str, via: &str, grants: Vec<(PrivilegeLevel, String)>) -> Privilege {
    let level = grants
        .iter()
        .map(|(l, _)| *l)
        .max()
        .unwrap_or(PrivilegeLevel::None);
    let actions: Vec<String> = grants
        .into_iter()
        .filter(|(l, _)| *l == level && level > PrivilegeLevel::None)
        .map(|(_, a)| a)
        .collect();
    let evidence = (!actions.is_empty())
        .then(|| Evidence {
            policy: policy.into(),
            via: via.into(),
            statement: None,
            actions,
            conditions: Vec::new(),
        })
        .into_iter()
        .collect();
    Privilege {
        level,
        evidence,
        ..Privilege::default()
    }
}

/// GitHub permissions (`name: access`) as a privilege.
fn permissions<'p>(
    policy: &str,
    via: &str,
    perms: impl IntoIterator<Item = (&'p String, &'p String)>,
) -> Privilege {
    let grants = perms
        .into_iter()
        .map(|(name, access)| (permission_level(name, access), format!("{name}:{access}")))
        .collect();
    graded(policy, via, grants)
}

/// A fine-grained PAT's permissions, organization and repository together.
fn pat_privilege(p: &PatPermissions, policy: &str) -> Privilege {
    let parts = [
        permissions(policy, "organization", &p.organization),
        permissions(policy, "repository", &p.repository),
        permissions(policy, "other", &p.other),
    ];
    let level = parts
        .iter()
        .map(|p| p.level)
        .max()
        .unwrap_or(PrivilegeLevel::None);
    Privilege {
        level,
        evidence: parts
            .into_iter()
            .filter(|p| p.level == level)
            .flat_map(|p| p.evidence)
            .collect(),
        ..Privilege::default()
    }
}

/// A classic token's OAuth scopes as a privilege.
fn scope_privilege(scopes: &[String]) -> Privilege {
    let grants = scopes.iter().map(|s| (scope_level(s), s.clone())).collect();
    graded("OAuth scopes", "classic token", grants)
}
