//! Parsed Google Cloud objects into inventory, without I/O: service
//! accounts with their keys, projects (holding their API keys), folders and
//! organizations. IAM policies, custom roles and activity records are kept
//! on the scope they belong to, for [`super::link`] to join across files.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use super::details::{
    AccountDetails, AccountType, ActivityRecord, ApiKeyDetails, KeyDetails, ResourcePolicy,
    ScopeDetails,
};
use super::model::{self, types, Asset, IamPolicySearchResult};
use super::{API_KEY, FOLDER, ID, ORGANIZATION, PROJECT, SERVICE_ACCOUNT, SERVICE_ACCOUNT_KEY};
use crate::model::{Credential, Identity, Item, LastUsed, Status};

/// `9999-12-31T23:59:59Z`, what Google writes as a key's `validBeforeTime` when it never expires.
const NO_EXPIRY_YEAR: &str = "9999-";

/// Identities being built from one source, by id.
#[derive(Default)]
pub struct Builder {
    identities: BTreeMap<String, Identity>,
    /// Objects read that nhiscan does not use (other asset types).
    pub ignored: usize,
}

impl Builder {
    pub fn finish(self) -> Vec<Identity> {
        self.identities.into_values().collect()
    }

    fn entry(&mut self, identity: Identity) -> &mut Identity {
        let id = identity.item.id.clone();
        match self.identities.entry(id) {
            std::collections::btree_map::Entry::Occupied(e) => {
                let existing = e.into_mut();
                existing.merge(identity);
                existing
            }
            std::collections::btree_map::Entry::Vacant(v) => v.insert(identity),
        }
    }

    /// Adds one Cloud Asset Inventory asset (resource data, IAM policy, or both).
    pub fn asset(&mut self, asset: Asset) -> Result<(), String> {
        let data = asset
            .resource
            .as_ref()
            .and_then(|r| r.data.clone())
            .filter(|d| d.is_object());
        let mut used = false;
        if let Some(data) = data {
            used = true;
            match asset.asset_type.as_str() {
                types::SERVICE_ACCOUNT => self.service_account(&asset, data)?,
                types::SERVICE_ACCOUNT_KEY => self.key(&asset, data)?,
                types::API_KEY => self.api_key(&asset, data)?,
                types::PROJECT => self.project(&asset, data)?,
                types::FOLDER | types::ORGANIZATION => {
                    self.scope(&short_name(&asset.name), &asset.ancestors);
                }
                types::ROLE => self.role(&asset, data)?,
                _ => used = false,
            }
        }
        if let Some(policy) = &asset.iam_policy {
            used = true;
            let holder = policy_holder(&asset.name, &asset.ancestors);
            self.policy(&holder, &asset.ancestors, &asset.name, &asset.asset_type, policy);
        }
        if !used {
            self.ignored += 1;
        }
        Ok(())
    }

    /// Adds one `searchAllIamPolicies` result.
    pub fn search_result(&mut self, r: IamPolicySearchResult) {
        let mut ancestors: Vec<String> = Vec::new();
        ancestors.extend(r.project.clone());
        ancestors.extend(r.folders.iter().cloned());
        ancestors.extend(r.organization.clone());
        let own = short_name(&r.resource);
        let holder = match r.asset_type.as_str() {
            types::PROJECT => r.project.clone().unwrap_or(own),
            types::FOLDER | types::ORGANIZATION => own,
            _ => ancestors.first().cloned().unwrap_or(own),
        };
        let ancestors: Vec<String> = ancestors.into_iter().filter(|a| *a != holder).collect();
        self.policy(&holder, &ancestors, &r.resource, &r.asset_type, &r.policy);
    }

    /// Adds one activity record (`gcloud policy-intelligence query-activity`).
    pub fn activity(&mut self, a: model::Activity, project: &str) -> Result<(), String> {
        let key = match a.activity_type.as_str() {
            "serviceAccountLastAuthentication" => false,
            "serviceAccountKeyLastAuthentication" => true,
            _ => return Ok(()),
        };
        let at = a
            .last_authenticated()
            .map(|t| parse_time(t, "activity.lastAuthenticatedTime"))
            .transpose()?;
        let inner = a
            .activity
            .as_ref()
            .and_then(|v| v.get(if key { "serviceAccountKey" } else { "serviceAccount" }));
        let number = inner
            .and_then(|v| v.get("projectNumber"))
            .and_then(scalar)
            .map(|n| format!("projects/{n}"))
            .unwrap_or_else(|| project.to_string());
        let scope = self.scope(&number, &[]);
        if let Some(d) = scope.item.details_mut::<ScopeDetails>() {
            d.activity_read = true;
            d.activities.push(ActivityRecord {
                resource: a.full_resource_name,
                key,
                at,
            });
        }
        Ok(())
    }

    /// Marks that an activity source was read for `project` (even an empty one).
    pub fn activity_read(&mut self, project: &str) {
        if let Some(d) = self.scope(project, &[]).item.details_mut::<ScopeDetails>() {
            d.activity_read = true;
        }
    }

    /// The project, folder or organization `name` (`projects/N`).
    fn scope(&mut self, name: &str, ancestors: &[String]) -> &mut Identity {
        let (kind, native) = match name.split_once('/') {
            Some(("folders", n)) => (FOLDER, n),
            Some(("organizations", n)) => (ORGANIZATION, n),
            Some((_, n)) => (PROJECT, n),
            None => (PROJECT, name),
        };
        let mut item = Item::new(
            format!("{ID}:{name}"),
            ID,
            name.to_string(),
            kind,
            name.to_string(),
        );
        item.native_id = Some(native.to_string());
        item.details = Some(Box::new(ScopeDetails {
            resource: name.to_string(),
            ancestors: ancestors
                .iter()
                .filter(|a| a.as_str() != name)
                .cloned()
                .collect(),
            ..ScopeDetails::default()
        }));
        self.entry(Identity::new(item))
    }

    fn policy(
        &mut self,
        holder: &str,
        ancestors: &[String],
        resource: &str,
        asset_type: &str,
        policy: &model::Policy,
    ) {
        let bindings = policy
            .bindings
            .iter()
            .map(|b| {
                let condition = b
                    .condition
                    .as_ref()
                    .and_then(|c| c.title.clone().or_else(|| c.expression.clone()));
                (b.role.clone(), b.members.clone(), condition)
            })
            .collect();
        let scope = self.scope(holder, ancestors);
        if let Some(d) = scope.item.details_mut::<ScopeDetails>() {
            d.policies.push(ResourcePolicy {
                resource: resource.to_string(),
                asset_type: asset_type.to_string(),
                bindings,
            });
        }
    }

    fn service_account(&mut self, asset: &Asset, data: Value) -> Result<(), String> {
        let sa: model::ServiceAccount = from_data(data, &asset.name)?;
        if sa.email.is_empty() {
            return Err(format!("{}: service account without an email", asset.name));
        }
        let project = if sa.project_id.is_empty() {
            project_of(&sa.name).unwrap_or_default()
        } else {
            sa.project_id.clone()
        };
        let mut identity = account(&project, &sa.email);
        let item = &mut identity.item;
        item.native_id = Some(sa.unique_id.clone()).filter(|u| !u.is_empty());
        if let Some(n) = sa.display_name.filter(|n| !n.trim().is_empty()) {
            item.name = format!("{n} ({})", sa.email);
        }
        if sa.disabled {
            item.status = Status::Inactive;
        }
        let unique = item.native_id.clone();
        if let Some(d) = item.details_mut::<AccountDetails>() {
            d.unique_id = unique;
            d.description = sa.description.filter(|s| !s.trim().is_empty());
            d.ancestors = asset.ancestors.clone();
        }
        self.entry(identity);
        Ok(())
    }

    fn key(&mut self, asset: &Asset, data: Value) -> Result<(), String> {
        let key: model::ServiceAccountKey = from_data(data, &asset.name)?;
        if key.key_type.as_deref() == Some("SYSTEM_MANAGED") {
            // Google creates and rotates these itself: nothing to act on.
            return Ok(());
        }
        let name = if key.name.is_empty() {
            short_name(&asset.name)
        } else {
            key.name.clone()
        };
        // projects/{PROJECT_ID}/serviceAccounts/{EMAIL}/keys/{KEY_ID}
        let parts: Vec<&str> = name.split('/').collect();
        let (project, email, key_id) = match parts.as_slice() {
            ["projects", p, "serviceAccounts", e, "keys", k] => (*p, *e, *k),
            _ => return Err(format!("{name}: not a service-account key name")),
        };
        let mut holder = account(project, email);
        let mut item = Item::new(
            format!("{}/keys/{key_id}", holder.item.id),
            ID,
            project.to_string(),
            SERVICE_ACCOUNT_KEY,
            key_id.to_string(),
        );
        item.native_id = Some(key_id.to_string());
        item.created_at = key
            .valid_after_time
            .as_deref()
            .map(|t| parse_time(t, "validAfterTime"))
            .transpose()?;
        item.expires_at = match key.valid_before_time.as_deref() {
            Some(t) if !t.starts_with(NO_EXPIRY_YEAR) => Some(parse_time(t, "validBeforeTime")?),
            _ => None,
        };
        if key.disabled {
            item.status = Status::Inactive;
        }
        item.details = Some(Box::new(KeyDetails {
            key_type: key.key_type,
            key_origin: key.key_origin,
            key_algorithm: key.key_algorithm,
        }));
        holder
            .credentials
            .push(Credential::new(&holder.item, item));
        self.entry(holder);
        Ok(())
    }

    fn api_key(&mut self, asset: &Asset, data: Value) -> Result<(), String> {
        let key: model::ApiKey = from_data(data, &asset.name)?;
        if key.delete_time.is_some() {
            return Ok(());
        }
        let project = asset
            .ancestors
            .iter()
            .find(|a| a.starts_with("projects/"))
            .cloned()
            .or_else(|| project_of(&key.name).map(|p| format!("projects/{p}")))
            .ok_or_else(|| format!("{}: API key without a project", asset.name))?;
        let key_id = key
            .name
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .or(key.uid.as_deref())
            .unwrap_or_default()
            .to_string();
        let holder_item = self.scope(&project, &asset.ancestors).item.clone();
        let mut item = Item::new(
            format!("{}/keys/{key_id}", holder_item.id),
            ID,
            holder_item.scope.clone(),
            API_KEY,
            key.display_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| key_id.clone()),
        );
        item.native_id = key.uid.clone().or(Some(key_id));
        item.created_at = key
            .create_time
            .as_deref()
            .map(|t| parse_time(t, "createTime"))
            .transpose()?;
        let r = key.restrictions.unwrap_or_default();
        item.details = Some(Box::new(ApiKeyDetails {
            application_restricted: r.has_application_restriction(),
            api_targets: r.api_targets.iter().map(|t| t.service.clone()).collect(),
            service_account: key.service_account_email,
        }));
        let scope = self.scope(&project, &asset.ancestors);
        let credential = Credential::new(&scope.item, item);
        scope.credentials.push(credential);
        Ok(())
    }

    fn project(&mut self, asset: &Asset, data: Value) -> Result<(), String> {
        let p: model::Project = from_data(data, &asset.name)?;
        let number = p
            .project_number
            .as_ref()
            .and_then(scalar)
            .map(|n| format!("projects/{n}"))
            .unwrap_or_else(|| short_name(&asset.name));
        let created = p
            .create_time
            .as_deref()
            .map(|t| parse_time(t, "createTime"))
            .transpose()?;
        let scope = self.scope(&number, &asset.ancestors);
        if !p.project_id.is_empty() {
            scope.item.name = p.project_id.clone();
            scope.item.scope = p.project_id.clone();
        }
        scope.item.created_at = scope.item.created_at.or(created);
        if let Some(d) = scope.item.details_mut::<ScopeDetails>() {
            d.project_id = Some(p.project_id).filter(|s| !s.is_empty());
            d.labels.extend(p.labels);
        }
        Ok(())
    }

    fn role(&mut self, asset: &Asset, data: Value) -> Result<(), String> {
        let role: model::Role = from_data(data, &asset.name)?;
        let holder = policy_holder(&asset.name, &asset.ancestors);
        let scope = self.scope(&holder, &asset.ancestors);
        if let Some(d) = scope.item.details_mut::<ScopeDetails>() {
            d.custom_roles.insert(role.name, role.included_permissions);
        }
        Ok(())
    }
}

/// A service account identity with no facts but its email and project yet.
pub fn account(project: &str, email: &str) -> Identity {
    let mut item = Item::new(
        account_id(project, email),
        ID,
        project.to_string(),
        SERVICE_ACCOUNT,
        email.to_string(),
    );
    let account_type = AccountType::of(email);
    item.platform_managed = account_type == AccountType::ServiceAgent;
    item.last_used = LastUsed::Unknown;
    item.details = Some(Box::new(AccountDetails {
        email: email.to_string(),
        project_id: Some(project.to_string()).filter(|p| !p.is_empty()),
        account_type: Some(account_type),
        ..AccountDetails::default()
    }));
    Identity::new(item)
}

/// `gcp:projects/{PROJECT_ID}/serviceAccounts/{EMAIL}`.
pub fn account_id(project: &str, email: &str) -> String {
    format!("{ID}:projects/{project}/serviceAccounts/{email}")
}

/// The scope an asset's IAM policy or custom role belongs to: the
/// organization, folder or project itself, else its nearest ancestor.
fn policy_holder(full_name: &str, ancestors: &[String]) -> String {
    let own = short_name(full_name);
    if (own.starts_with("organizations/") || own.starts_with("folders/"))
        && own.matches('/').count() == 1
    {
        return own;
    }
    if let Some(rest) = own.strip_prefix("organizations/") {
        if let Some((org, _)) = rest.split_once('/') {
            return format!("organizations/{org}");
        }
    }
    ancestors.first().cloned().unwrap_or(own)
}

/// `//service.googleapis.com/projects/p/x` → `projects/p/x`.
pub fn short_name(full: &str) -> String {
    full.strip_prefix("//")
        .and_then(|s| s.split_once('/'))
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| full.to_string())
}

/// The project segment of `projects/{P}/...`.
fn project_of(name: &str) -> Option<String> {
    let rest = short_name(name);
    let rest = rest.strip_prefix("projects/")?;
    Some(rest.split('/').next()?.to_string()).filter(|p| !p.is_empty())
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn from_data<T: serde::de::DeserializeOwned>(data: Value, name: &str) -> Result<T, String> {
    serde_json::from_value(data).map_err(|e| format!("{name}: resource.data: {e}"))
}

/// An RFC 3339 timestamp, as Google writes them.
pub fn parse_time(text: &str, field: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|e| format!("{field} {text:?} is not a timestamp: {e}"))
}
