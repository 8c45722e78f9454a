//! The one table of Microsoft Graph application permissions and Entra
//! directory roles nhiscan rates, with their ids. `docs/providers/entra.md`
//! shows the same table; a test keeps the two in step.
//!
//! Ids were checked against Microsoft's Graph permissions reference
//! (`learn.microsoft.com/graph/permissions-reference`) and the Entra
//! built-in roles reference (`permissions-reference#role-template-ids`).
//! Graph app-role ids are the same in every tenant.
//!
//! - **admin**: tenant takeover: the roles Global Administrator and
//!   Privileged Role Administrator, and the permissions that let an app grant
//!   itself anything or act as any other app.
//! - **privileged**: roles that manage other apps' credentials or other
//!   principals' sign-in, and tenant-wide access to everyone's mail, files or
//!   accounts.
//! - Any other permission is `read` when its name has `.Read` and no
//!   `Write`, else `write`; an unnamed one is `write`.

use crate::model::PrivilegeLevel;

/// Microsoft Graph's appId, the same in every tenant.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Tenants Microsoft's own first-party apps belong to
/// (`appOwnerOrganizationId`): Microsoft Services and Microsoft's corporate tenant.
pub const MICROSOFT_TENANTS: &[&str] = &[
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
];

/// One rated Graph application permission or directory role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    pub id: &'static str,
    pub name: &'static str,
    pub level: PrivilegeLevel,
    /// Why it has that level.
    pub why: &'static str,
}

const fn rated(
    id: &'static str,
    name: &'static str,
    level: PrivilegeLevel,
    why: &'static str,
) -> Rated {
    Rated {
        id,
        name,
        level,
        why,
    }
}

use PrivilegeLevel::{Admin, Privileged, Read};

/// Microsoft Graph application permissions (app roles), by id.
pub const GRAPH_PERMISSIONS: &[Rated] = &[
    rated("9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "RoleManagement.ReadWrite.Directory", Admin, "can assign any directory role, Global Administrator included, to itself"),
    rated("06b708a9-e830-4db3-a914-8e69da51d44f", "AppRoleAssignment.ReadWrite.All", Admin, "can grant itself any application permission"),
    rated("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All", Admin, "can add a secret to any app and act as it"),
    rated("19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All", Admin, "can change any directory object"),
    rated("89c8469c-83ad-45f7-8ff2-6e3d4285709e", "ServicePrincipalEndpoint.ReadWrite.All", Admin, "can redirect any service principal's endpoints"),
    rated("01c0a623-fc9b-48e9-b794-0756f8e8f067", "Policy.ReadWrite.ConditionalAccess", Admin, "can switch off Conditional Access"),
    rated("29c18626-4985-4dcd-85c0-193eef327366", "Policy.ReadWrite.AuthenticationMethod", Admin, "can change how everyone signs in"),
    rated("a402ca1c-2696-4531-972d-6e5ee4aa11ea", "Policy.ReadWrite.PermissionGrant", Admin, "can let apps consent to any permission"),
    rated("fb221be6-99f2-473f-bd32-01c6a0e9ca3b", "Policy.ReadWrite.Authorization", Admin, "can change the tenant's authorization policy"),
    rated("18a4783c-866b-4cc7-a460-3d5e5662c884", "Application.ReadWrite.OwnedBy", Privileged, "can add secrets to the apps it owns"),
    rated("50483e42-d915-4231-9639-7fdb7fd190e5", "UserAuthenticationMethod.ReadWrite.All", Privileged, "can reset anyone's sign-in methods"),
    rated("741f803b-c850-494e-b5df-cde7c675a1ca", "User.ReadWrite.All", Privileged, "can change every user"),
    rated("62a82d76-70ea-41e2-9197-370581804d09", "Group.ReadWrite.All", Privileged, "can change every group, role-assignable ones' members aside"),
    rated("e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite", Privileged, "reads and changes every mailbox"),
    rated("b633e1c5-b582-4048-a93e-9f11b44c7e96", "Mail.Send", Privileged, "sends mail as anyone"),
    rated("75359482-378d-4052-8f01-80520e7db3cd", "Files.ReadWrite.All", Privileged, "reads and changes every file"),
    rated("9492366f-7969-46a4-8d15-ed1a20078fff", "Sites.ReadWrite.All", Privileged, "reads and changes every SharePoint site"),
    rated("a82116e5-55eb-4c41-a434-62fe8a61c773", "Sites.FullControl.All", Privileged, "full control of every SharePoint site"),
    rated("df021288-bdef-4463-88db-98f22de89214", "User.Read.All", Read, "reads every user's profile"),
    rated("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All", Read, "reads the directory"),
    rated("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All", Read, "reads apps and service principals"),
    rated("b0afded3-3588-46d8-8b3d-9842eff778da", "AuditLog.Read.All", Read, "reads sign-in and audit logs"),
    rated("483bed4a-2ad3-4361-a73b-c83ccdbdc53c", "RoleManagement.Read.Directory", Read, "reads directory role assignments"),
];

/// Entra built-in directory roles, by template id.
pub const DIRECTORY_ROLES: &[Rated] = &[
    rated("62e90394-69f5-4237-9190-012177145e10", "Global Administrator", Admin, "manages everything"),
    rated("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", Admin, "can assign any role, Global Administrator included"),
    rated("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", Privileged, "can add credentials to any app"),
    rated("158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", Privileged, "can add credentials to any app"),
    rated("8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator", Privileged, "can add credentials to apps and change federation"),
    rated("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", Privileged, "can reset any user's sign-in methods, admins included"),
    rated("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", Privileged, "can reset non-admins' sign-in methods"),
    rated("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", Privileged, "can reset non-admins' passwords"),
    rated("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", Privileged, "manages security policy"),
    rated("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", Privileged, "can switch off Conditional Access"),
    rated("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", Privileged, "manages every mailbox"),
    rated("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", Privileged, "manages every site"),
    rated("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", Privileged, "manages every device"),
    rated("fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator", Privileged, "manages every group"),
    rated("9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers", Privileged, "writes the directory, app credentials included"),
];

/// Roles that can add credentials to any app, so reach every app's privilege.
pub const CREDENTIAL_ROLES: &[&str] = &[
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "158c047a-c907-4556-b7ef-446551a6b5f7",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "9360feb5-f418-4baa-8175-e2a00bac4301",
];

/// Graph permissions that can add a credential to any app.
pub const ANY_APP_CREDENTIAL: &[&str] = &[
    "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
];

/// `Application.ReadWrite.OwnedBy`: credentials for the apps it owns.
pub const OWNED_APP_CREDENTIAL: &str = "18a4783c-866b-4cc7-a460-3d5e5662c884";

/// A Graph application permission, by app-role id.
pub fn graph_permission(id: &str) -> Option<&'static Rated> {
    GRAPH_PERMISSIONS
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// A built-in directory role, by template id.
pub fn directory_role(template_id: &str) -> Option<&'static Rated> {
    DIRECTORY_ROLES
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(template_id))
}

/// The level of a permission known only by name: `Policy.ReadWrite.*` is
/// admin, a name with `.Read` and no `Write` is read, anything else write.
pub fn level_by_name(name: &str) -> PrivilegeLevel {
    if let Some(r) = GRAPH_PERMISSIONS.iter().find(|r| r.name == name) {
        return r.level;
    }
    if name.starts_with("Policy.ReadWrite.") {
        PrivilegeLevel::Admin
    } else if name.contains(".Read") && !name.contains("Write") {
        PrivilegeLevel::Read
    } else {
        PrivilegeLevel::Write
    }
}

/// Whether `tenant` is one of Microsoft's own.
pub fn is_microsoft(tenant: &str) -> bool {
    MICROSOFT_TENANTS
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tenant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_lowercase_guids() {
        let mut seen = std::collections::BTreeSet::new();
        for r in GRAPH_PERMISSIONS.iter().chain(DIRECTORY_ROLES) {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert_eq!(r.id.len(), 36, "{}", r.id);
            assert!(r.id.chars().all(|c| c == '-' || (c.is_ascii_hexdigit() && !c.is_ascii_uppercase())));
        }
        for id in CREDENTIAL_ROLES {
            assert!(directory_role(id).is_some());
        }
        for id in ANY_APP_CREDENTIAL.iter().chain([&OWNED_APP_CREDENTIAL]) {
            assert!(graph_permission(id).is_some());
        }
    }

    #[test]
    fn the_docs_table_lists_every_id_with_its_level() {
        let docs = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/providers/entra.md"));
        for r in GRAPH_PERMISSIONS.iter().chain(DIRECTORY_ROLES) {
            let row = format!("| {} | `{}` | {} |", r.name, r.id, r.level);
            assert!(docs.contains(&row), "docs/providers/entra.md lacks the row {row}");
        }
    }

    #[test]
    fn names_rate_as_documented() {
        assert_eq!(level_by_name("Policy.ReadWrite.CrossTenantAccess"), PrivilegeLevel::Admin);
        assert_eq!(level_by_name("User.Read.All"), PrivilegeLevel::Read);
        assert_eq!(level_by_name("Calendars.ReadWrite"), PrivilegeLevel::Write);
        assert_eq!(level_by_name("Mail.ReadWrite"), PrivilegeLevel::Privileged);
    }
}
