//! The table of predefined roles nhiscan knows, with the level each gives
//! and the permissions in it that matter for admin and escalation. It is
//! the table in `docs/providers/gcp.md#privilege`; keep both in step.
//!
//! Custom roles are judged from their own permission lists instead. A
//! predefined role not in the table is read when its name ends in `viewer`,
//! `reader` or `browser`, and write otherwise.

use crate::model::PrivilegeLevel::{self, Admin, Read, Write};

/// `(role, level, permissions that matter)`.
pub const PREDEFINED: &[(&str, PrivilegeLevel, &[&str])] = &[
    ("roles/owner", Admin, &["*"]),
    ("roles/editor", Admin, &["iam.serviceAccounts.actAs", "iam.serviceAccountKeys.create", "compute.instances.create", "cloudfunctions.functions.create", "run.services.create", "deploymentmanager.deployments.create"]),
    ("roles/iam.securityAdmin", Admin, &["resourcemanager.projects.setIamPolicy", "iam.serviceAccounts.setIamPolicy"]),
    ("roles/resourcemanager.projectIamAdmin", Write, &["resourcemanager.projects.setIamPolicy"]),
    ("roles/resourcemanager.folderAdmin", Write, &["resourcemanager.folders.setIamPolicy"]),
    ("roles/resourcemanager.folderIamAdmin", Write, &["resourcemanager.folders.setIamPolicy"]),
    ("roles/resourcemanager.organizationAdmin", Write, &["resourcemanager.organizations.setIamPolicy"]),
    ("roles/iam.serviceAccountTokenCreator", Write, &["iam.serviceAccounts.getAccessToken", "iam.serviceAccounts.implicitDelegation", "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt"]),
    ("roles/iam.workloadIdentityUser", Write, &["iam.serviceAccounts.getAccessToken"]),
    ("roles/iam.serviceAccountKeyAdmin", Write, &["iam.serviceAccountKeys.create"]),
    ("roles/iam.serviceAccountUser", Write, &["iam.serviceAccounts.actAs"]),
    ("roles/iam.serviceAccountAdmin", Write, &["iam.serviceAccounts.setIamPolicy"]),
    ("roles/iam.roleAdmin", Write, &["iam.roles.update"]),
    ("roles/iam.organizationRoleAdmin", Write, &["iam.roles.update"]),
    ("roles/compute.admin", Write, &["compute.instances.create"]),
    ("roles/compute.instanceAdmin.v1", Write, &["compute.instances.create"]),
    ("roles/cloudfunctions.admin", Write, &["cloudfunctions.functions.create", "cloudfunctions.functions.update"]),
    ("roles/cloudfunctions.developer", Write, &["cloudfunctions.functions.create", "cloudfunctions.functions.update"]),
    ("roles/run.admin", Write, &["run.services.create"]),
    ("roles/run.developer", Write, &["run.services.create"]),
    ("roles/cloudbuild.builds.editor", Write, &["cloudbuild.builds.create"]),
    ("roles/deploymentmanager.editor", Write, &["deploymentmanager.deployments.create"]),
    ("roles/viewer", Read, &[]),
    ("roles/browser", Read, &[]),
    ("roles/iam.securityReviewer", Read, &[]),
    ("roles/cloudasset.viewer", Read, &[]),
    ("roles/policyanalyzer.activityAnalysisViewer", Read, &[]),
    ("roles/secretmanager.secretAccessor", Read, &[]),
    ("roles/logging.logWriter", Write, &[]),
    ("roles/monitoring.metricWriter", Write, &[]),
    ("roles/storage.objectAdmin", Write, &[]),
    ("roles/storage.admin", Write, &[]),
];

/// Permissions that make a grant on a project, folder or organization admin.
pub const SET_IAM_POLICY: &[&str] = &[
    "resourcemanager.projects.setIamPolicy",
    "resourcemanager.folders.setIamPolicy",
    "resourcemanager.organizations.setIamPolicy",
];

/// Basic and security roles that are admin wherever they are granted on a
/// project or higher.
pub const ADMIN_ROLES: &[&str] = &["roles/owner", "roles/editor", "roles/iam.securityAdmin"];

/// The level a role gives, and the permissions in it that matter. A custom
/// role's permissions come from `custom` (its `includedPermissions`).
pub fn resolve(role: &str, custom: Option<&Vec<String>>) -> (PrivilegeLevel, Vec<String>) {
    if let Some(perms) = custom {
        let level = if perms.iter().any(|p| !is_read(p)) {
            Write
        } else {
            Read
        };
        let level = if perms.iter().any(|p| SET_IAM_POLICY.contains(&p.as_str())) {
            Write
        } else {
            level
        };
        return (level, perms.clone());
    }
    if let Some((_, level, perms)) = PREDEFINED.iter().find(|(r, _, _)| *r == role) {
        return (*level, perms.iter().map(|p| p.to_string()).collect());
    }
    let lower = role.to_ascii_lowercase();
    let level = if ["viewer", "reader", "browser"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        Read
    } else {
        Write
    };
    (level, Vec::new())
}

/// Whether a permission only reads (`get`, `list`, `search...`, `query...`).
fn is_read(permission: &str) -> bool {
    let verb = permission.rsplit('.').next().unwrap_or_default();
    verb == "get"
        || verb == "list"
        || verb == "getIamPolicy"
        || verb.starts_with("search")
        || verb.starts_with("query")
}

/// Whether `perms` holds `permission` (or `*`, for Owner).
pub fn has(perms: &[String], permission: &str) -> bool {
    perms.iter().any(|p| p == permission || p == "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_roles_are_read_or_write_from_their_verbs() {
        let read = vec!["iam.serviceAccounts.get".to_string(), "iam.serviceAccounts.list".into()];
        assert_eq!(resolve("projects/p/roles/r", Some(&read)).0, Read);
        let write = vec!["storage.objects.create".to_string()];
        assert_eq!(resolve("projects/p/roles/w", Some(&write)).0, Write);
        assert_eq!(resolve("roles/pubsub.viewer", None).0, Read);
        assert_eq!(resolve("roles/pubsub.publisher", None).0, Write);
        assert_eq!(resolve("roles/editor", None).0, Admin);
    }
}
