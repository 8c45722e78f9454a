//! `GetAccountAuthorizationDetails` pages, as returned by the SDK, turned back
//! into the JSON shape of `aws iam get-account-authorization-details`.
//!
//! The live scan then reads it with the same importer as a saved export
//! ([`crate::providers::aws::authorization_details`]), so both paths build
//! identities, groups and policies the same way. All pages go into one
//! document because a user on page 1 can use a group or policy from page 3.

use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput as Page;
use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::{AttachedPermissionsBoundary, AttachedPolicy, PolicyDetail, Tag};
use serde_json::{json, Value};

use super::timestamp;

/// One export document from every page, in page order.
pub fn to_json(pages: &[Page]) -> Value {
    let users = pages.iter().flat_map(Page::user_detail_list).map(|u| {
        json!({
            "Path": u.path(),
            "UserName": u.user_name(),
            "UserId": u.user_id(),
            "Arn": u.arn(),
            "CreateDate": date(u.create_date()),
            "UserPolicyList": inline(u.user_policy_list()),
            "GroupList": u.group_list(),
            "AttachedManagedPolicies": managed(u.attached_managed_policies()),
            "PermissionsBoundary": boundary(u.permissions_boundary()),
            "Tags": tags(u.tags()),
        })
    });
    let groups = pages.iter().flat_map(Page::group_detail_list).map(|g| {
        json!({
            "Path": g.path(),
            "GroupName": g.group_name(),
            "GroupId": g.group_id(),
            "Arn": g.arn(),
            "CreateDate": date(g.create_date()),
            "GroupPolicyList": inline(g.group_policy_list()),
            "AttachedManagedPolicies": managed(g.attached_managed_policies()),
        })
    });
    let roles = pages.iter().flat_map(Page::role_detail_list).map(|r| {
        let profiles: Vec<Value> = r
            .instance_profile_list()
            .iter()
            .map(|p| json!({ "InstanceProfileName": p.instance_profile_name() }))
            .collect();
        json!({
            "Path": r.path(),
            "RoleName": r.role_name(),
            "RoleId": r.role_id(),
            "Arn": r.arn(),
            "CreateDate": date(r.create_date()),
            "AssumeRolePolicyDocument": r.assume_role_policy_document(),
            "InstanceProfileList": profiles,
            "RolePolicyList": inline(r.role_policy_list()),
            "AttachedManagedPolicies": managed(r.attached_managed_policies()),
            "PermissionsBoundary": boundary(r.permissions_boundary()),
            "Tags": tags(r.tags()),
            // Present but empty when AWS saw no use in its tracking window.
            "RoleLastUsed": r.role_last_used().map(|u| json!({
                "LastUsedDate": date(u.last_used_date()),
                "Region": u.region(),
            })),
        })
    });
    let policies = pages.iter().flat_map(Page::policies).map(|p| {
        let versions: Vec<Value> = p
            .policy_version_list()
            .iter()
            .map(|v| {
                json!({
                    "Document": v.document(),
                    "VersionId": v.version_id(),
                    "IsDefaultVersion": v.is_default_version(),
                    "CreateDate": date(v.create_date()),
                })
            })
            .collect();
        json!({
            "PolicyName": p.policy_name(),
            "PolicyId": p.policy_id(),
            "Arn": p.arn(),
            "Path": p.path(),
            "DefaultVersionId": p.default_version_id(),
            "CreateDate": date(p.create_date()),
            "UpdateDate": date(p.update_date()),
            "PolicyVersionList": versions,
        })
    });
    json!({
        "UserDetailList": users.collect::<Vec<_>>(),
        "GroupDetailList": groups.collect::<Vec<_>>(),
        "RoleDetailList": roles.collect::<Vec<_>>(),
        "Policies": policies.collect::<Vec<_>>(),
    })
}

fn date(d: Option<&DateTime>) -> Value {
    d.and_then(timestamp)
        .map_or(Value::Null, |t| Value::String(t.to_string()))
}

fn inline(list: &[PolicyDetail]) -> Vec<Value> {
    list.iter()
        .map(|p| json!({ "PolicyName": p.policy_name(), "PolicyDocument": p.policy_document() }))
        .collect()
}

fn managed(list: &[AttachedPolicy]) -> Vec<Value> {
    list.iter()
        .map(|p| json!({ "PolicyName": p.policy_name(), "PolicyArn": p.policy_arn() }))
        .collect()
}

fn boundary(b: Option<&AttachedPermissionsBoundary>) -> Value {
    b.map_or(
        Value::Null,
        |b| json!({ "PermissionsBoundaryArn": b.permissions_boundary_arn() }),
    )
}

fn tags(list: &[Tag]) -> Vec<Value> {
    list.iter()
        .map(|t| json!({ "Key": t.key(), "Value": t.value() }))
        .collect()
}
