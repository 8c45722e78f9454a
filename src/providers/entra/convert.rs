//! An Entra [`Tenant`] as inventory. Pure: no I/O and no clock.
//!
//! - Each application (app registration) is an identity
//!   (`entra:<tenant>/application/<object id>`) holding its client secrets,
//!   certificates and federated credentials.
//! - Each service principal is an identity
//!   (`entra:<tenant>/service-principal/<object id>`, or `managed-identity`
//!   for `servicePrincipalType: ManagedIdentity`) holding its own secrets and
//!   certificates. An SP whose app is registered in this tenant names it
//!   (`application_object_id`). The grants are the SP's, so the SP carries
//!   the privilege (and `admin-privilege` reports it there, once); the app,
//!   whose credentials sign in as that SP, shows the SP's level capped below
//!   admin, with evidence naming the SP, and the SP's first grant names the app.
//! - Privilege comes from the SP's application permissions
//!   (`appRoleAssignments`), its directory roles and the delegated grants
//!   consented for all users, rated by [`super::permissions`]. Escalation
//!   paths: a principal that can add credentials to other apps (by
//!   permission, role or ownership) reaches every more privileged app; the
//!   more privileged app's evidence names who can reach it.
//! - Owners come from `owners`: a user whose `accountEnabled` is false, or
//!   who is deleted, is departed; an app is departed-owned only when every
//!   owner is.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::details::{EntraDetails, Facts};
use super::model::{
    Application, AppCredentialSignInActivity, DirectoryObject, FederatedIdentityCredential,
    KeyCredential, PasswordCredential, ServicePrincipal, Tenant,
};
use super::permissions::{self, Rated};
use super::{APPLICATION, CERTIFICATE, CLIENT_SECRET, FEDERATED_CREDENTIAL, ID, MANAGED_IDENTITY, SERVICE_PRINCIPAL};
use crate::model::{
    Credential, Escalation, Evidence, Identity, Item, Kind, LastUsed, Owner, OwnerSource,
    Privilege, PrivilegeLevel, Status,
};

/// An `endDateTime` this far past `startDateTime` is no expiry at all.
pub const NO_EXPIRY_AFTER: SignedDuration = SignedDuration::from_hours(24 * 3653);

/// The app-role id of an assignment that grants only default access.
const DEFAULT_ACCESS: &str = "00000000-0000-0000-0000-000000000000";

/// Every identity in the tenant, each with its credentials, in id order.
pub fn identities(tenant: &Tenant) -> Vec<Identity> {
    identities_in(tenant, &tenant.tenant_id)
}

/// The same, with `home` as the tenant an app must belong to not to be
/// third-party (the `az` exports use a scope that is not the tenant id).
pub fn identities_in(tenant: &Tenant, home: &str) -> Vec<Identity> {
    let scope = tenant.tenant_id.as_str();
    let apps = tenant.applications.as_deref().unwrap_or_default();
    let sps = tenant.service_principals.as_deref().unwrap_or_default();
    let usage: HashMap<&str, &AppCredentialSignInActivity> = tenant
        .app_credential_sign_in_activities
        .iter()
        .flatten()
        .map(|a| (a.key_id.as_str(), a))
        .collect();
    let sp_usage: HashMap<&str, Option<Timestamp>> = tenant
        .service_principal_sign_in_activities
        .iter()
        .flatten()
        .map(|a| {
            let at = a.last_sign_in_activity.as_ref().and_then(|s| s.last_sign_in_date_time);
            (a.app_id.as_str(), at)
        })
        .collect();
    let app_by_app_id: HashMap<&str, &Application> = apps
        .iter()
        .filter_map(|a| Some((a.app_id.as_deref()?, a)))
        .collect();

    let privileges = privileges(tenant);
    let mut out = BTreeMap::new();
    for sp in sps {
        let app = sp.app_id.as_deref().and_then(|a| app_by_app_id.get(a)).copied();
        let privilege = privileges
            .get(sp.id.as_str())
            .cloned()
            .map(|(p, perms, roles)| (holder_of(p, app), perms, roles));
        let mut i = service_principal(scope, home, sp, app, privilege);
        if tenant.service_principal_sign_in_activities.is_some() {
            if let Some(Some(at)) = sp.app_id.as_deref().and_then(|a| sp_usage.get(a)) {
                i.item.last_used = LastUsed::At(*at);
            }
        }
        let managed = i.item.kind == MANAGED_IDENTITY;
        if !managed {
            add_credentials(&mut i, &sp.password_credentials, &sp.key_credentials, &[], &usage);
        }
        out.insert(i.item.id.clone(), i);
    }
    let sp_by_app_id: HashMap<&str, &ServicePrincipal> = sps
        .iter()
        .filter_map(|s| Some((s.app_id.as_deref()?, s)))
        .collect();
    for app in apps {
        let sp = app.app_id.as_deref().and_then(|a| sp_by_app_id.get(a));
        let privilege = sp.and_then(|s| {
            let (p, _, _) = privileges.get(s.id.as_str())?;
            Some(signs_in_as(p, scope, s))
        });
        let mut i = application(scope, app, privilege);
        let fics = app.federated_identity_credentials.as_deref().unwrap_or_default();
        add_credentials(&mut i, &app.password_credentials, &app.key_credentials, fics, &usage);
        out.insert(i.item.id.clone(), i);
    }
    out.into_values().collect()
}

/// The highest level an app registration shows for its service
/// principal's grants: below admin, so that `admin-privilege` reports the
/// grant once, on the service principal that holds it.
const LINKED_CAP: PrivilegeLevel = PrivilegeLevel::Privileged;

/// An app registration's privilege: it holds no grant itself; its
/// credentials sign in as its service principal `sp`. The level is the SP's,
/// capped at [`LINKED_CAP`], and the one piece of evidence names the SP,
/// its level and its first grant. Escalation paths stay on the SP.
fn signs_in_as(p: &Privilege, scope: &str, sp: &ServicePrincipal) -> Arc<Privilege> {
    let kind = if sp.service_principal_type.as_deref() == Some("ManagedIdentity") {
        MANAGED_IDENTITY
    } else {
        SERVICE_PRINCIPAL
    };
    let name = sp.display_name.as_deref().unwrap_or(&sp.id);
    let first = p.evidence.first().map(|e| format!(", via {}", e.describe())).unwrap_or_default();
    Arc::new(Privilege {
        level: p.level.min(LINKED_CAP),
        evidence: vec![evidence(
            format!("its credentials sign in as service principal {name}, which holds {}{first}", p.level),
            format!("linked service principal {ID}:{scope}/{kind}/{}", sp.id),
            Vec::new(),
        )],
        ..Privilege::default()
    })
}

/// A service principal's privilege, its first grant naming the app
/// registration (in this tenant) whose credentials sign in as it (its id is
/// the SP's `entra.application_object_id`).
fn holder_of(p: Arc<Privilege>, app: Option<&Application>) -> Arc<Privilege> {
    let Some(app) = app else { return p };
    if p.evidence.is_empty() {
        return p;
    }
    let mut p = Arc::unwrap_or_clone(p);
    let name = app.display_name.as_deref().unwrap_or(&app.id);
    if let Some(e) = p.evidence.first_mut() {
        e.via = format!("{}; app registration {name}'s credentials sign in as it", e.via);
    }
    Arc::new(p)
}

fn identity(scope: &str, kind: Kind, object_id: &str, name: Option<&str>) -> Identity {
    let mut item = Item::new(
        format!("{ID}:{scope}/{kind}/{object_id}"),
        ID,
        scope.to_string(),
        kind,
        name.unwrap_or(object_id).to_string(),
    );
    item.native_id = Some(object_id.to_string());
    Identity::new(item)
}

fn application(scope: &str, app: &Application, privilege: Option<Arc<Privilege>>) -> Identity {
    let mut i = identity(scope, APPLICATION, &app.id, app.display_name.as_deref());
    i.item.created_at = app.created_date_time;
    i.item.reported.human = Some((false, "Entra application (app registration)".into()));
    i.item.reported.privilege = privilege;
    i.item.reported.owner = owner(app.owners.as_deref());
    i.tags = tags(&app.tags);
    let facts = Facts {
        app_id: app.app_id.clone(),
        sign_in_audience: app.sign_in_audience.clone(),
        owners_read: app.owners.is_some(),
        owners: owner_names(app.owners.as_deref()),
        ..Facts::default()
    };
    i.item.details = EntraDetails::boxed(facts);
    i
}

fn service_principal(
    scope: &str,
    home: &str,
    sp: &ServicePrincipal,
    app: Option<&Application>,
    privilege: Option<(Arc<Privilege>, Vec<String>, Vec<String>)>,
) -> Identity {
    let managed = sp.service_principal_type.as_deref() == Some("ManagedIdentity");
    let kind = if managed { MANAGED_IDENTITY } else { SERVICE_PRINCIPAL };
    let mut i = identity(scope, kind, &sp.id, sp.display_name.as_deref());
    i.item.reported.human = Some((
        false,
        format!(
            "Entra service principal ({})",
            sp.service_principal_type.as_deref().unwrap_or("type not reported")
        ),
    ));
    if sp.account_enabled == Some(false) {
        i.item.status = Status::Inactive;
    }
    let org = sp.app_owner_organization_id.clone();
    let microsoft = org.as_deref().is_some_and(permissions::is_microsoft);
    let third_party = !managed
        && !microsoft
        && org
            .as_deref()
            .is_some_and(|o| !o.eq_ignore_ascii_case(home) && app.is_none());
    i.item.reported.owner = if microsoft {
        Some(Owner {
            name: "Microsoft".into(),
            source: OwnerSource::Provider,
            evidence: "Microsoft first-party app (appOwnerOrganizationId is Microsoft's)".into(),
            departed: false,
        })
    } else {
        // An SP's own owners, else (usually) its app registration's.
        owner(sp.owners.as_deref()).or_else(|| {
            let app = app?;
            owner(app.owners.as_deref()).map(|mut o| {
                o.evidence = format!(
                    "{} of app registration {}",
                    o.evidence,
                    app.display_name.as_deref().unwrap_or(&app.id)
                );
                o
            })
        })
    };
    let (privilege, perms, roles) = match privilege {
        Some((p, perms, roles)) => (Some(p), perms, roles),
        None => (None, Vec::new(), Vec::new()),
    };
    i.item.reported.privilege = privilege;
    i.tags = tags(&sp.tags);
    i.item.details = EntraDetails::boxed(Facts {
        app_id: sp.app_id.clone(),
        service_principal_type: sp.service_principal_type.clone(),
        app_owner_organization_id: org,
        third_party,
        sign_in_audience: sp.sign_in_audience.clone(),
        application_object_id: app.map(|a| a.id.clone()),
        owners_read: sp.owners.is_some(),
        owners: owner_names(sp.owners.as_deref()),
        permissions: perms,
        directory_roles: roles,
        ..Facts::default()
    });
    i
}

/// Entra tags are plain strings; `key:value` and `key=value` become a
/// key and value, anything else a key with the value `true`.
fn tags(list: &[String]) -> BTreeMap<String, String> {
    list.iter()
        .map(|t| match t.split_once(['=', ':']) {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (t.clone(), "true".into()),
        })
        .collect()
}

fn owner_name(o: &DirectoryObject) -> String {
    o.user_principal_name
        .clone()
        .or_else(|| o.display_name.clone())
        .unwrap_or_else(|| o.id.clone())
}

fn owner_names(owners: Option<&[DirectoryObject]>) -> Vec<String> {
    owners.unwrap_or_default().iter().map(owner_name).collect()
}

/// Why an owner counts as departed, if it does.
fn departed(o: &DirectoryObject) -> Option<String> {
    if o.deleted_date_time.is_some() {
        return Some(format!("{} is deleted", owner_name(o)));
    }
    (o.account_enabled == Some(false)).then(|| format!("{} has accountEnabled false", owner_name(o)))
}

/// The owner from `owners`: the ones still here, else (every owner gone)
/// the departed ones; `None` when there are none or they were not read.
fn owner(owners: Option<&[DirectoryObject]>) -> Option<Owner> {
    let owners = owners?;
    if owners.is_empty() {
        return None;
    }
    let here: Vec<String> = owners
        .iter()
        .filter(|o| departed(o).is_none())
        .map(owner_name)
        .collect();
    if !here.is_empty() {
        return Some(Owner {
            name: here.join(", "),
            source: OwnerSource::Provider,
            evidence: "Entra owners".into(),
            departed: false,
        });
    }
    let why: Vec<String> = owners.iter().filter_map(departed).collect();
    Some(Owner {
        name: owner_names(Some(owners)).join(", "),
        source: OwnerSource::Provider,
        evidence: format!("every Entra owner has left: {}", why.join("; ")),
        departed: true,
    })
}

fn add_credentials(
    holder: &mut Identity,
    secrets: &[PasswordCredential],
    keys: &[KeyCredential],
    federated: &[FederatedIdentityCredential],
    usage: &HashMap<&str, &AppCredentialSignInActivity>,
) {
    for s in secrets {
        let mut c = credential(&holder.item, CLIENT_SECRET, &s.key_id, s.display_name.as_deref());
        dates(&mut c.item, s.start_date_time, s.end_date_time);
        c.item.last_used = last_used(usage, &s.key_id);
        c.item.details = EntraDetails::boxed(Facts {
            hint: s.hint.clone(),
            end_date_time: s.end_date_time,
            ..Facts::default()
        });
        holder.credentials.push(c);
    }
    for k in keys {
        let mut c = credential(&holder.item, CERTIFICATE, &k.key_id, k.display_name.as_deref());
        dates(&mut c.item, k.start_date_time, k.end_date_time);
        c.item.last_used = last_used(usage, &k.key_id);
        c.item.details = EntraDetails::boxed(Facts {
            thumbprint: k.custom_key_identifier.clone(),
            end_date_time: k.end_date_time,
            ..Facts::default()
        });
        holder.credentials.push(c);
    }
    for f in federated {
        let c_name = f.name.as_deref();
        let mut c = credential(&holder.item, FEDERATED_CREDENTIAL, &f.id, c_name);
        c.item.details = EntraDetails::boxed(Facts {
            issuer: f.issuer.clone(),
            subject: f.subject.clone(),
            audiences: f.audiences.clone(),
            claims_matching_expression: f
                .claims_matching_expression
                .as_ref()
                .and_then(|e| e.value.clone()),
            ..Facts::default()
        });
        holder.credentials.push(c);
    }
}

fn credential(holder: &Item, kind: Kind, native: &str, name: Option<&str>) -> Credential {
    let mut item = Item::new(
        format!("{}/{kind}/{native}", holder.id),
        ID,
        holder.scope.clone(),
        kind,
        name.filter(|n| !n.trim().is_empty()).unwrap_or(native).to_string(),
    );
    item.native_id = Some(native.to_string());
    Credential::new(holder, item)
}

/// `startDateTime` is when it was created; `endDateTime` its expiry, unless
/// it is more than ten years out, which is no expiry at all.
fn dates(item: &mut Item, start: Option<Timestamp>, end: Option<Timestamp>) {
    item.created_at = start;
    item.expires_at = match (start, end) {
        (Some(s), Some(e)) if e.duration_since(s) > NO_EXPIRY_AFTER => None,
        (_, e) => e,
    };
}

/// From `appCredentialSignInActivities`: a sign-in time, or `never` when
/// the report lists the key without one. A key the report does not list
/// (or no report) is unknown.
fn last_used(usage: &HashMap<&str, &AppCredentialSignInActivity>, key_id: &str) -> LastUsed {
    match usage.get(key_id) {
        None => LastUsed::Unknown,
        Some(a) => match a.sign_in_activity.as_ref().and_then(|s| s.last_sign_in_date_time) {
            Some(t) => LastUsed::At(t),
            None => LastUsed::Never,
        },
    }
}

fn evidence(policy: String, via: String, actions: Vec<String>) -> Evidence {
    Evidence {
        policy,
        via,
        statement: None,
        actions,
        conditions: Vec::new(),
    }
}

/// One grant: what it is, its level, and whether it can add credentials to
/// any app (or only owned ones).
struct Grant {
    evidence: Evidence,
    level: PrivilegeLevel,
    any_app: bool,
    owned_apps: bool,
}

/// Each service principal's privilege (by object id), with the permission
/// and role names it holds. Only principals whose grants were read.
#[allow(clippy::type_complexity)]
fn privileges(tenant: &Tenant) -> HashMap<&str, (Arc<Privilege>, Vec<String>, Vec<String>)> {
    let sps = tenant.service_principals.as_deref().unwrap_or_default();
    let by_id: HashMap<&str, &ServicePrincipal> = sps.iter().map(|s| (s.id.as_str(), s)).collect();
    let role_names: HashMap<(&str, &str), &str> = sps
        .iter()
        .flat_map(|s| {
            s.app_roles
                .iter()
                .filter_map(move |r| Some(((s.id.as_str(), r.id.as_str()), r.value.as_deref()?)))
        })
        .collect();
    let definitions: HashMap<&str, (&str, Option<&str>)> = tenant
        .role_definitions
        .iter()
        .flatten()
        .map(|d| {
            let name = d.display_name.as_deref().unwrap_or(d.id.as_str());
            (d.id.as_str(), (name, d.template_id.as_deref()))
        })
        .collect();

    let mut grants: HashMap<&str, Vec<Grant>> = HashMap::new();
    let mut read: HashMap<&str, bool> = HashMap::new();
    let roles_read = tenant.role_assignments.is_some();
    for sp in sps {
        let Some(assignments) = &sp.app_role_assignments else {
            continue;
        };
        read.insert(sp.id.as_str(), true);
        for a in assignments.iter().filter(|a| a.app_role_id != DEFAULT_ACCESS) {
            let resource = a.resource_id.as_deref().unwrap_or_default();
            let resource_name = a
                .resource_display_name
                .as_deref()
                .or_else(|| by_id.get(resource).and_then(|r| r.display_name.as_deref()))
                .unwrap_or(resource);
            let known: Option<&Rated> = permissions::graph_permission(&a.app_role_id);
            let (name, level) = match (known, role_names.get(&(resource, a.app_role_id.as_str()))) {
                (Some(r), _) => (r.name.to_string(), r.level),
                (None, Some(n)) => (n.to_string(), permissions::level_by_name(n)),
                (None, None) => (format!("app role {}", a.app_role_id), PrivilegeLevel::Write),
            };
            let why = known.map(|r| format!(": {}", r.why)).unwrap_or_default();
            grants.entry(sp.id.as_str()).or_default().push(Grant {
                evidence: evidence(
                    format!("{name}{why}"),
                    format!("application permission on {resource_name}"),
                    vec![name.clone()],
                ),
                level,
                any_app: permissions::ANY_APP_CREDENTIAL.contains(&a.app_role_id.as_str()),
                owned_apps: a.app_role_id == permissions::OWNED_APP_CREDENTIAL,
            });
        }
    }
    for ra in tenant.role_assignments.iter().flatten() {
        if !by_id.contains_key(ra.principal_id.as_str()) {
            continue;
        }
        let (name, template) = definitions
            .get(ra.role_definition_id.as_str())
            .copied()
            .unwrap_or((ra.role_definition_id.as_str(), Some(ra.role_definition_id.as_str())));
        let rated = template.and_then(permissions::directory_role);
        let level = match rated {
            Some(r) => r.level,
            None if name.contains("Reader") => PrivilegeLevel::Read,
            None => PrivilegeLevel::Write,
        };
        let name = rated.map(|r| r.name).unwrap_or(name);
        let why = rated.map(|r| format!(": {}", r.why)).unwrap_or_default();
        let scope = ra.directory_scope_id.as_deref().unwrap_or("/");
        grants.entry(ra.principal_id.as_str()).or_default().push(Grant {
            evidence: evidence(
                format!("{name}{why}"),
                format!("directory role, scope {scope}"),
                vec![name.to_string()],
            ),
            level,
            any_app: rated.is_some_and(|r| permissions::CREDENTIAL_ROLES.contains(&r.id))
                && scope == "/",
            owned_apps: false,
        });
    }
    for g in tenant.oauth2_permission_grants.iter().flatten() {
        if g.consent_type.as_deref() != Some("AllPrincipals") || !by_id.contains_key(g.client_id.as_str()) {
            continue;
        }
        let resource = g.resource_id.as_deref().unwrap_or_default();
        let resource_name = by_id
            .get(resource)
            .and_then(|r| r.display_name.as_deref())
            .unwrap_or(resource);
        for scope in g.scope.as_deref().unwrap_or_default().split_whitespace() {
            // Delegated: the app acts as the signed-in user, never beyond them.
            let level = permissions::level_by_name(scope).min(PrivilegeLevel::Write);
            grants.entry(g.client_id.as_str()).or_default().push(Grant {
                evidence: evidence(
                    scope.to_string(),
                    format!("delegated permission on {resource_name}, consented for all users"),
                    vec![scope.to_string()],
                ),
                level,
                any_app: false,
                owned_apps: false,
            });
        }
    }

    // Levels first, then the paths between principals.
    let mut levels: HashMap<&str, PrivilegeLevel> = HashMap::new();
    for sp in sps {
        let level = grants
            .get(sp.id.as_str())
            .and_then(|g| g.iter().map(|g| g.level).max());
        let known = read.contains_key(sp.id.as_str()) || roles_read;
        match (level, known) {
            (Some(l), _) => levels.insert(sp.id.as_str(), l),
            (None, true) => levels.insert(sp.id.as_str(), PrivilegeLevel::None),
            (None, false) => None,
        };
    }
    let apps = tenant.applications.as_deref().unwrap_or_default();
    let sp_by_app_id: HashMap<&str, &str> = sps
        .iter()
        .rev()
        .filter_map(|s| Some((s.app_id.as_deref()?, s.id.as_str())))
        .collect();
    let sp_of_app: HashMap<&str, &str> = apps
        .iter()
        .filter_map(|a| Some((a.id.as_str(), *sp_by_app_id.get(a.app_id.as_deref()?)?)))
        .collect();
    // Which SPs each principal can add credentials to through ownership of
    // the app or the SP itself.
    let mut owns: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut owner_notes: HashMap<&str, Vec<String>> = HashMap::new();
    for a in apps {
        let Some(&target) = sp_of_app.get(a.id.as_str()) else { continue };
        for o in a.owners.iter().flatten() {
            owns.entry(o.id.as_str()).or_default().push(target);
            owner_notes.entry(target).or_default().push(owner_name(o));
        }
    }
    for sp in sps {
        for o in sp.owners.iter().flatten() {
            owns.entry(o.id.as_str()).or_default().push(sp.id.as_str());
            owner_notes.entry(sp.id.as_str()).or_default().push(owner_name(o));
        }
    }
    let name_of = |id: &str| -> String {
        by_id
            .get(id)
            .and_then(|s| s.display_name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let platform = |id: &str| {
        by_id
            .get(id)
            .and_then(|s| s.app_owner_organization_id.as_deref())
            .is_some_and(permissions::is_microsoft)
    };

    // Every SP a path can reach (not Microsoft's own), most privileged
    // first, then by name: ranked once, not once per principal.
    let mut ranked: Vec<(PrivilegeLevel, String, &str)> = levels
        .iter()
        .filter(|(t, _)| !platform(t))
        .map(|(t, l)| (*l, name_of(t), *t))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| a.2.cmp(b.2)));
    let ranked: Vec<&str> = ranked.into_iter().map(|(_, _, t)| t).collect();

    let mut out = HashMap::new();
    for sp in sps {
        let id = sp.id.as_str();
        let Some(&level) = levels.get(id) else { continue };
        let own = grants.remove(id).unwrap_or_default();
        let mut p = Privilege {
            level,
            ..Privilege::default()
        };
        let mut ordered: Vec<&Grant> = own.iter().collect();
        ordered.sort_by(|a, b| b.level.cmp(&a.level).then(a.evidence.policy.cmp(&b.evidence.policy)));
        p.evidence = ordered.iter().map(|g| g.evidence.clone()).collect();
        // Escalation: credentials for a more privileged app.
        let higher = |t: &&str| *t != id && !platform(t) && levels.get(t).is_some_and(|l| *l > level);
        // Every more privileged SP: a prefix of the ranking, found by search.
        let any = &ranked[..ranked.partition_point(|t| levels[t] > level)];
        for g in ordered.iter().filter(|g| g.any_app) {
            if let Some(path) = escalation("entra-add-credential-to-any-app", g, any, &levels, &name_of) {
                p.escalations.push(path);
            }
        }
        let mut owned: Vec<&str> = owns.get(id).cloned().unwrap_or_default();
        owned.retain(|t| higher(t));
        owned.sort_by_key(|t| (std::cmp::Reverse(levels[t]), name_of(t)));
        owned.dedup();
        if !owned.is_empty() {
            let via = ordered.iter().find(|g| g.owned_apps).map(|g| &g.evidence);
            let g = Grant {
                evidence: via.cloned().unwrap_or_else(|| {
                    evidence("owner of the app".into(), "Entra owners".into(), vec!["owner".into()])
                }),
                level,
                any_app: false,
                owned_apps: true,
            };
            if let Some(path) = escalation("entra-owner-adds-credential", &g, &owned, &levels, &name_of) {
                p.escalations.push(path);
            }
        }
        // The other direction: who can add credentials to this one.
        if level >= PrivilegeLevel::Privileged {
            if let Some(names) = owner_notes.get(id) {
                let mut names = names.clone();
                names.sort();
                names.dedup();
                p.evidence.push(evidence(
                    format!("owners {} can add credentials to it", names.join(", ")),
                    "Entra owners".into(),
                    Vec::new(),
                ));
            }
        }
        let perms = own
            .iter()
            .filter(|g| !g.evidence.via.starts_with("directory role"))
            .flat_map(|g| g.evidence.actions.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let roles = own
            .iter()
            .filter(|g| g.evidence.via.starts_with("directory role"))
            .flat_map(|g| g.evidence.actions.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        out.insert(id, (Arc::new(p), perms, roles));
    }
    out
}

/// At most this many targets are named in one path.
const MAX_TARGETS: usize = 5;

fn escalation(
    path: &str,
    grant: &Grant,
    targets: &[&str],
    levels: &HashMap<&str, PrivilegeLevel>,
    name_of: &dyn Fn(&str) -> String,
) -> Option<Escalation> {
    if targets.is_empty() {
        return None;
    }
    let mut named: Vec<String> = targets
        .iter()
        .take(MAX_TARGETS)
        .map(|t| format!("{} ({})", name_of(t), levels[t]))
        .collect();
    if targets.len() > MAX_TARGETS {
        named.push(format!("{} more", targets.len() - MAX_TARGETS));
    }
    let mut e = grant.evidence.clone();
    e.policy = format!("{}; can add a credential to {}", e.policy, named.join(", "));
    Some(Escalation {
        path: path.to_string(),
        actions: grant.evidence.actions.clone(),
        evidence: vec![e],
        ..Default::default()
    })
}
