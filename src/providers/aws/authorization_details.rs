//! `aws iam get-account-authorization-details` output.
//!
//! Users and roles become [`Identity`] values with every policy that reaches
//! them (inline, managed, and for users their groups'); groups and managed
//! policies only feed those lists. Policy documents may be JSON objects (the
//! AWS CLI decodes them) or URL-encoded JSON strings (the raw API, some SDKs);
//! both end up as decoded [`serde_json::Value`]s.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::details::{AttachedPolicy, IdentityDetails};
use super::policy::graph::{Account, AccountRef};
use super::policy::PolicyDocument;
use super::{ID, ROLE, USER};
use crate::error::{json_error, Error};
use crate::model::time::parse_timestamp;
use crate::model::{Identity, Item, Kind, LastUsed};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Export {
    #[serde(default, deserialize_with = "list")]
    user_detail_list: Vec<UserDetail>,
    #[serde(default, deserialize_with = "list")]
    group_detail_list: Vec<GroupDetail>,
    #[serde(default, deserialize_with = "list")]
    role_detail_list: Vec<RoleDetail>,
    #[serde(default, deserialize_with = "list")]
    policies: Vec<ManagedPolicy>,
    /// Set when the export stopped early (`--max-items`, `--no-paginate`).
    #[serde(default)]
    is_truncated: bool,
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    next_token: Option<String>,
}

/// What one export gives.
#[derive(Debug)]
pub struct Details {
    /// Users then roles, in file order.
    pub identities: Vec<Identity>,
    /// Why the export is incomplete, when it says so (`IsTruncated`, a `Marker` or `NextToken`).
    pub truncated: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserDetail {
    arn: String,
    user_name: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default, deserialize_with = "create_date")]
    create_date: Option<Timestamp>,
    #[serde(default, deserialize_with = "list")]
    user_policy_list: Vec<InlinePolicy>,
    #[serde(default, deserialize_with = "list")]
    group_list: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    attached_managed_policies: Vec<ManagedRef>,
    #[serde(default)]
    permissions_boundary: Option<Boundary>,
    #[serde(default, deserialize_with = "list")]
    tags: Vec<Tag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupDetail {
    group_name: String,
    #[serde(default, deserialize_with = "create_date")]
    #[allow(dead_code)]
    create_date: Option<Timestamp>,
    #[serde(default, deserialize_with = "list")]
    group_policy_list: Vec<InlinePolicy>,
    #[serde(default, deserialize_with = "list")]
    attached_managed_policies: Vec<ManagedRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleDetail {
    arn: String,
    role_name: String,
    #[serde(default)]
    role_id: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default, deserialize_with = "create_date")]
    create_date: Option<Timestamp>,
    #[serde(default)]
    assume_role_policy_document: Option<Value>,
    #[serde(default, deserialize_with = "list")]
    role_policy_list: Vec<InlinePolicy>,
    #[serde(default, deserialize_with = "list")]
    attached_managed_policies: Vec<ManagedRef>,
    #[serde(default)]
    permissions_boundary: Option<Boundary>,
    #[serde(default, deserialize_with = "list")]
    tags: Vec<Tag>,
    #[serde(default)]
    role_last_used: Option<RoleLastUsed>,
    #[serde(default, deserialize_with = "list")]
    instance_profile_list: Vec<InstanceProfile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InstanceProfile {
    instance_profile_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleLastUsed {
    #[serde(default, deserialize_with = "last_used_date")]
    last_used_date: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InlinePolicy {
    #[serde(default)]
    policy_name: Option<String>,
    #[serde(default)]
    policy_document: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedRef {
    #[serde(default)]
    policy_name: Option<String>,
    policy_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Boundary {
    #[serde(default)]
    permissions_boundary_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    #[serde(default)]
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedPolicy {
    /// moto leaves `PolicyName` (and `PolicyId`) out.
    #[serde(default)]
    policy_name: Option<String>,
    arn: String,
    #[serde(default)]
    default_version_id: Option<String>,
    #[serde(default, deserialize_with = "create_date")]
    #[allow(dead_code)]
    create_date: Option<Timestamp>,
    #[serde(default, deserialize_with = "update_date")]
    #[allow(dead_code)]
    update_date: Option<Timestamp>,
    #[serde(default, deserialize_with = "list")]
    policy_version_list: Vec<PolicyVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersion {
    #[serde(default)]
    document: Option<Value>,
    #[serde(default)]
    version_id: Option<String>,
    #[serde(default)]
    is_default_version: Option<bool>,
    #[serde(default, deserialize_with = "create_date")]
    #[allow(dead_code)]
    create_date: Option<Timestamp>,
}

/// A list that may also be `null`.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An optional AWS date in any accepted form (see
/// [`crate::model::time::parse_timestamp`]), with the field named in errors.
fn named_date<'de, D: Deserializer<'de>>(d: D, field: &str) -> Result<Option<Timestamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_timestamp(&s)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("{field}: {e}"))),
    }
}

fn create_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    named_date(d, "CreateDate")
}

fn update_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    named_date(d, "UpdateDate")
}

fn last_used_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    named_date(d, "LastUsedDate")
}

/// Parses the export into users and roles with their policies.
pub fn parse(path: &Path, text: &str) -> Result<Details, Error> {
    let export: Export = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    let truncated = (export.is_truncated || export.marker.is_some() || export.next_token.is_some()).then(|| {
        "the export is truncated (IsTruncated/Marker/NextToken present): later pages are missing; \
         re-run get-account-authorization-details without --max-items or --no-paginate"
            .to_string()
    });
    let docs = Documents { path, text };

    // Managed policies: ARN -> the default version's document, shared by every holder.
    let mut managed: HashMap<&str, Option<Arc<Value>>> = HashMap::new();
    for (i, policy) in export.policies.iter().enumerate() {
        let label = policy.policy_name.as_deref().unwrap_or(&policy.arn);
        let mut default = None;
        for (j, version) in policy.policy_version_list.iter().enumerate() {
            let at = || {
                format!(
                    "Policies[{i}] ({label}) PolicyVersionList[{j}] ({}) Document",
                    version.version_id.as_deref().unwrap_or("?")
                )
            };
            let document = docs.decode(version.document.as_ref(), at)?;
            let is_default = match version.is_default_version {
                Some(d) => d,
                None => {
                    version.version_id.is_some() && version.version_id == policy.default_version_id
                }
            };
            if is_default || (policy.policy_version_list.len() == 1 && default.is_none()) {
                default = document.map(Arc::new);
            }
        }
        managed.insert(policy.arn.as_str(), default);
    }
    let boundary_document =
        |arn: Option<&String>| arn.and_then(|a| managed.get(a.as_str()).cloned().flatten());
    let managed_policy = |r: &ManagedRef, via: String| AttachedPolicy {
        name: r
            .policy_name
            .clone()
            .unwrap_or_else(|| name_of_arn(&r.policy_arn).to_string()),
        arn: Some(r.policy_arn.clone()),
        via,
        document: managed.get(r.policy_arn.as_str()).cloned().flatten(),
    };

    // Groups: name -> the policies a member gets through it.
    let mut groups: HashMap<&str, Vec<AttachedPolicy>> = HashMap::new();
    for (i, group) in export.group_detail_list.iter().enumerate() {
        let name = group.group_name.as_str();
        let mut policies = docs.inline(
            &group.group_policy_list,
            &format!("GroupDetailList[{i}] ({name}) GroupPolicyList"),
            &format!("group:{name}:inline"),
        )?;
        let via = format!("group:{name}:managed");
        policies.extend(
            group
                .attached_managed_policies
                .iter()
                .map(|r| managed_policy(r, via.clone())),
        );
        groups.insert(name, policies);
    }

    let mut identities =
        Vec::with_capacity(export.user_detail_list.len() + export.role_detail_list.len());
    for (i, user) in export.user_detail_list.iter().enumerate() {
        let at = format!("UserDetailList[{i}] ({})", user.user_name);
        let mut identity = principal(path, &at, &user.arn, USER, &user.user_name)?;
        identity.item.created_at = user.create_date;
        identity.item.native_id = user.user_id.clone();
        identity.tags = tags(&user.tags);
        let permissions_boundary = boundary(user.permissions_boundary.as_ref());
        let mut d = IdentityDetails {
            path: user.path.clone(),
            groups: user.group_list.clone(),
            permissions_boundary_document: boundary_document(permissions_boundary.as_ref()),
            permissions_boundary,
            policies_known: true,
            policies: docs.inline(
                &user.user_policy_list,
                &format!("{at} UserPolicyList"),
                "inline",
            )?,
            ..IdentityDetails::default()
        };
        d.policies.extend(
            user.attached_managed_policies
                .iter()
                .map(|r| managed_policy(r, "managed".into())),
        );
        for group in &user.group_list {
            if let Some(policies) = groups.get(group.as_str()) {
                d.policies.extend(policies.iter().cloned());
            }
        }
        identity.item.details = Some(Box::new(d));
        identities.push(identity);
    }

    for (i, role) in export.role_detail_list.iter().enumerate() {
        let at = format!("RoleDetailList[{i}] ({})", role.role_name);
        let mut identity = principal(path, &at, &role.arn, ROLE, &role.role_name)?;
        identity.item.created_at = role.create_date;
        identity.item.last_used = match &role.role_last_used {
            Some(RoleLastUsed {
                last_used_date: Some(t),
            }) => LastUsed::At(*t),
            Some(_) => LastUsed::Never,
            None => LastUsed::Unknown,
        };
        identity.item.native_id = role.role_id.clone();
        identity.tags = tags(&role.tags);
        let permissions_boundary = boundary(role.permissions_boundary.as_ref());
        let mut d = IdentityDetails {
            path: role.path.clone(),
            instance_profiles: role
                .instance_profile_list
                .iter()
                .map(|p| p.instance_profile_name.clone())
                .collect(),
            permissions_boundary_document: boundary_document(permissions_boundary.as_ref()),
            permissions_boundary,
            trust_policy: docs
                .decode(role.assume_role_policy_document.as_ref(), || {
                    format!("{at} AssumeRolePolicyDocument")
                })?
                .map(Arc::new),
            policies_known: true,
            policies: docs.inline(
                &role.role_policy_list,
                &format!("{at} RolePolicyList"),
                "inline",
            )?,
            ..IdentityDetails::default()
        };
        d.policies.extend(
            role.attached_managed_policies
                .iter()
                .map(|r| managed_policy(r, "managed".into())),
        );
        identity.item.details = Some(Box::new(d));
        identities.push(identity);
    }

    // The account's users, roles and groups, shared by each principal for
    // the principal graph (built on first use).
    let group_list = export
        .group_detail_list
        .iter()
        .filter_map(|g| {
            let name = g.group_name.as_str();
            groups.get(name).map(|p| (name.to_string(), p.clone()))
        })
        .collect();
    let account = Arc::new(Account::new(identities.clone(), group_list));
    for identity in &mut identities {
        if let Some(d) = identity.item.details_mut::<IdentityDetails>() {
            d.account = AccountRef(Some(Arc::clone(&account)));
        }
    }

    Ok(Details {
        identities,
        truncated,
    })
}

/// A new user or role identity; errors when the ARN has no account.
fn principal(path: &Path, at: &str, arn: &str, kind: Kind, name: &str) -> Result<Identity, Error> {
    let account = super::account_of(arn)
        .ok_or_else(|| Error::input(path, format!("{at} Arn: no account id in {arn:?}")))?;
    Ok(Identity::new(Item::new(
        arn.to_string(),
        ID,
        account.to_string(),
        kind,
        name.to_string(),
    )))
}

fn tags(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone().unwrap_or_default()))
        .collect()
}

fn boundary(b: Option<&Boundary>) -> Option<String> {
    b.and_then(|b| b.permissions_boundary_arn.clone())
}

/// The last segment of a policy ARN: `arn:aws:iam::aws:policy/job/Name` → `Name`.
fn name_of_arn(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// Decodes policy documents, naming the file in errors.
struct Documents<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Documents<'_> {
    /// Inline policies reaching an identity through `via`.
    fn inline(
        &self,
        list: &[InlinePolicy],
        at: &str,
        via: &str,
    ) -> Result<Vec<AttachedPolicy>, Error> {
        list.iter()
            .enumerate()
            .map(|(j, p)| {
                let name = p
                    .policy_name
                    .clone()
                    .unwrap_or_else(|| format!("inline-{j}"));
                let document = self.decode(p.policy_document.as_ref(), || {
                    format!("{at}[{j}] ({name}) PolicyDocument")
                })?;
                Ok(AttachedPolicy {
                    name,
                    arn: None,
                    via: via.to_string(),
                    document: document.map(Arc::new),
                })
            })
            .collect()
    }

    /// A policy document as a JSON object: kept as is when it is one,
    /// URL-decoded and parsed when it is a string, then checked against the
    /// policy grammar ([`PolicyDocument::parse`]). `at` names it in errors,
    /// and the parser's message names the statement.
    fn decode(
        &self,
        document: Option<&Value>,
        at: impl Fn() -> String,
    ) -> Result<Option<Value>, Error> {
        let value = self.decode_json(document, &at)?;
        if let Some(v) = &value {
            // A document that is not a valid policy is an input error: a
            // statement nhiscan cannot read could hide any grant.
            if let Err(e) = PolicyDocument::parse(v) {
                let message = format!("{}: not a valid IAM policy: {e}", at());
                let line = match document {
                    Some(Value::String(s)) => self.line_of(s),
                    _ => None,
                };
                return Err(match line {
                    Some(line) => Error::input_at(self.path, line, message),
                    None => Error::input(self.path, message),
                });
            }
        }
        Ok(value)
    }

    /// The document as JSON, before any check of its policy grammar.
    fn decode_json(
        &self,
        document: Option<&Value>,
        at: impl Fn() -> String,
    ) -> Result<Option<Value>, Error> {
        let encoded = match document {
            None | Some(Value::Null) => return Ok(None),
            Some(v @ Value::Object(_)) => return Ok(Some(v.clone())),
            Some(Value::String(s)) => s,
            Some(other) => {
                let found = match other {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    _ => "an array",
                };
                return Err(Error::input(
                    self.path,
                    format!(
                        "{}: expected a JSON object or a URL-encoded JSON string, found {found}",
                        at()
                    ),
                ));
            }
        };
        let fail = |message: String| {
            let message = format!("{}: {message}", at());
            match self.line_of(encoded) {
                Some(line) => Error::input_at(self.path, line, message),
                None => Error::input(self.path, message),
            }
        };
        let decoded = percent_decode_str(encoded)
            .decode_utf8()
            .map_err(|e| fail(format!("not UTF-8 after URL-decoding: {e}")))?;
        match serde_json::from_str::<Value>(&decoded) {
            Ok(v @ Value::Object(_)) => Ok(Some(v)),
            Ok(_) => Err(fail("not a JSON object after URL-decoding".into())),
            Err(e) => {
                // serde_json's " at line L column C" is about the decoded text, not the file.
                let text = e.to_string();
                let text = text
                    .rfind(" at line ")
                    .map_or(text.as_str(), |i| &text[..i]);
                Err(fail(format!(
                    "not JSON after URL-decoding: {text} (line {}, column {} of the decoded document)",
                    e.line(),
                    e.column()
                )))
            }
        }
    }

    /// The line of a string value in the file, when it occurs there exactly once.
    fn line_of(&self, value: &str) -> Option<usize> {
        let quoted = serde_json::to_string(value).ok()?;
        let mut found = self.text.match_indices(&quoted);
        let (at, _) = found.next()?;
        if found.next().is_some() {
            return None;
        }
        Some(self.text[..at].matches('\n').count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aws::details;
    use serde_json::json;

    fn det(i: &Identity) -> &IdentityDetails {
        details::of(i)
    }

    const SMALL: &str = include_str!("../../../fixtures/aws/authorization-details/small.json");
    const TRUNCATED: &str =
        include_str!("../../../fixtures/aws/authorization-details/truncated.json");
    const BAD_DATE: &str =
        include_str!("../../../fixtures/aws/authorization-details/bad-date.json");
    const BAD_POLICY: &str =
        include_str!("../../../fixtures/aws/authorization-details/bad-policy.json");
    const CLOUDSPLAINING: &str =
        include_str!("../../../fixtures/aws/cloudsplaining/example-authz-details.json");

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn small() -> Vec<Identity> {
        parse(Path::new("small.json"), SMALL).unwrap().identities
    }

    fn find<'a>(ids: &'a [Identity], id: &str) -> &'a Identity {
        ids.iter()
            .find(|i| i.item.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    /// `(name, via, arn)` of each policy, in order.
    fn summary(identity: &Identity) -> Vec<(&str, &str, Option<&str>)> {
        det(identity)
            .policies
            .iter()
            .map(|p| (p.name.as_str(), p.via.as_str(), p.arn.as_deref()))
            .collect()
    }

    fn err(name: &str, text: &str) -> String {
        parse(Path::new(name), text).unwrap_err().to_string()
    }

    #[test]
    fn users_then_roles_in_file_order() {
        let got: Vec<(String, Kind)> = small()
            .into_iter()
            .map(|i| (i.item.id, i.item.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "arn:aws:iam::123456789012:user/ci/deployer".to_string(),
                    USER
                ),
                ("arn:aws:iam::123456789012:user/alice".to_string(), USER),
                (
                    "arn:aws:iam::123456789012:role/service/app-runtime".to_string(),
                    ROLE
                ),
                (
                    "arn:aws:iam::123456789012:role/ci-deploy".to_string(),
                    ROLE
                ),
                ("arn:aws:iam::123456789012:role/old-audit".to_string(), ROLE),
            ]
        );
    }

    #[test]
    fn user_fields() {
        let ids = small();
        let d = find(&ids, "arn:aws:iam::123456789012:user/ci/deployer");
        assert_eq!(d.item.name, "deployer");
        assert_eq!(d.item.scope, "123456789012");
        assert_eq!(d.item.provider, "aws");
        assert_eq!(d.item.native_id.as_deref(), Some("AIDAEXAMPLEDEPLOYER01"));
        assert_eq!(det(d).path.as_deref(), Some("/ci/"));
        assert_eq!(d.item.created_at, Some(ts("2020-01-15T12:00:00Z")));
        assert_eq!(d.item.last_used, LastUsed::Unknown);
        assert_eq!(det(d).groups, ["deployers", "retired-group"]);
        assert_eq!(
            det(d).permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/ci-boundary")
        );
        assert_eq!(
            d.tags.get("owner").map(String::as_str),
            Some("platform-team")
        );
        assert_eq!(d.tags.get("purpose").map(String::as_str), Some("ci"));
        assert_eq!(d.tags.len(), 2);
        assert!(det(d).policies_known);
        assert_eq!(det(d).trust_policy, None);
        assert!(d.credentials.is_empty());
    }

    #[test]
    fn user_gets_inline_managed_and_group_policies() {
        let ids = small();
        let d = find(&ids, "arn:aws:iam::123456789012:user/ci/deployer");
        // retired-group is not in GroupDetailList: kept in groups, no policies.
        assert_eq!(
            summary(d),
            [
                ("deploy-inline", "inline", None),
                (
                    "deploy-artifacts",
                    "managed",
                    Some("arn:aws:iam::123456789012:policy/ci/deploy-artifacts")
                ),
                ("deployers-read", "group:deployers:inline", None),
                (
                    "ecr-push",
                    "group:deployers:managed",
                    Some("arn:aws:iam::123456789012:policy/ecr-push")
                ),
            ]
        );
        // URL-encoded inline document, decoded.
        let inline = det(d).policies[0].document.as_ref().unwrap();
        assert_eq!(inline["Statement"][0]["Sid"], "PushArtifacts");
        assert_eq!(
            inline["Statement"][0]["Action"],
            json!(["s3:PutObject", "s3:GetObject"])
        );
        // Managed: the default version (v2, URL-encoded), not v1.
        let managed = det(d).policies[1].document.as_ref().unwrap();
        assert_eq!(managed["Statement"][0]["Sid"], "Artifacts");
        // Group inline (object document) and group managed.
        assert_eq!(
            det(d).policies[2].document.as_ref().unwrap()["Statement"][0]["Action"],
            "ecr:Describe*"
        );
        assert_eq!(
            det(d).policies[3].document.as_ref().unwrap()["Statement"][0]["Action"][0],
            "ecr:PutImage"
        );
    }

    #[test]
    fn managed_policy_missing_from_export_has_no_document() {
        let ids = small();
        let alice = find(&ids, "arn:aws:iam::123456789012:user/alice");
        assert_eq!(alice.item.created_at, Some(ts("2021-05-10T14:20:00Z")));
        assert_eq!(
            summary(alice),
            [(
                "AdministratorAccess",
                "managed",
                Some("arn:aws:iam::aws:policy/AdministratorAccess")
            )]
        );
        assert_eq!(det(alice).policies[0].document, None);
        assert!(det(alice).groups.is_empty());
        assert!(alice.tags.is_empty());
    }

    #[test]
    fn role_fields_trust_and_last_used() {
        let ids = small();
        let r = find(&ids, "arn:aws:iam::123456789012:role/service/app-runtime");
        assert_eq!(r.item.kind, ROLE);
        assert_eq!(r.item.name, "app-runtime");
        assert_eq!(r.item.native_id.as_deref(), Some("AROAEXAMPLEAPPRUNTIME"));
        assert_eq!(det(r).path.as_deref(), Some("/service/"));
        // "2022-08-01 07:30:00+00:00": the space form.
        assert_eq!(r.item.created_at, Some(ts("2022-08-01T07:30:00Z")));
        assert_eq!(r.item.last_used, LastUsed::At(ts("2025-11-30T18:00:00Z")));
        assert_eq!(r.tags.get("owner").map(String::as_str), Some("payments"));
        assert_eq!(r.tags.get("env").map(String::as_str), Some("prod"));
        assert_eq!(
            det(r).permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/app-boundary")
        );
        assert_eq!(
            det(r).trust_policy.as_ref().unwrap()["Statement"][0]["Principal"]["Service"],
            "ec2.amazonaws.com"
        );
        assert!(det(r).policies_known);
        assert_eq!(
            summary(r),
            [
                ("read-config", "inline", None),
                (
                    "ecr-push",
                    "managed",
                    Some("arn:aws:iam::123456789012:policy/ecr-push")
                ),
            ]
        );
        assert!(det(r).groups.is_empty());
        assert_eq!(det(r).instance_profiles, ["app-runtime"]);
    }

    #[test]
    fn url_encoded_trust_policy_and_empty_role_last_used() {
        let ids = small();
        let r = find(&ids, "arn:aws:iam::123456789012:role/ci-deploy");
        let trust = det(r).trust_policy.as_ref().unwrap();
        assert_eq!(
            trust["Statement"][0]["Action"],
            "sts:AssumeRoleWithWebIdentity"
        );
        assert_eq!(
            trust["Statement"][0]["Condition"]["StringLike"]
                ["token.actions.githubusercontent.com:sub"],
            "repo:example/app:*"
        );
        // RoleLastUsed: {} means AWS saw no use.
        assert_eq!(r.item.last_used, LastUsed::Never);
        assert_eq!(r.item.created_at, Some(ts("2024-03-05T09:00:00Z")));
        assert_eq!(
            det(r).policies[0].document.as_ref().unwrap()["Statement"][0]["Sid"],
            "Artifacts"
        );
    }

    #[test]
    fn absent_role_last_used_is_unknown() {
        let ids = small();
        let r = find(&ids, "arn:aws:iam::123456789012:role/old-audit");
        assert_eq!(r.item.last_used, LastUsed::Unknown);
        assert!(det(r).policies.is_empty());
        assert!(det(r).policies_known);
        assert_eq!(
            det(r).trust_policy.as_ref().unwrap()["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::999988887777:root"
        );
    }

    #[test]
    fn truncated_file_fails_with_its_line() {
        let e = err("truncated.json", TRUNCATED);
        assert!(
            e.starts_with("truncated.json:178: EOF while parsing"),
            "{e}"
        );
    }

    #[test]
    fn bad_date_names_file_line_and_field() {
        let e = err("bad-date.json", BAD_DATE);
        assert!(
            e.starts_with(
                "bad-date.json:181: CreateDate: cannot parse date \"2024-02-30T09:00:00Z\""
            ),
            "{e}"
        );
    }

    #[test]
    fn bad_role_last_used_date_fails() {
        let text = SMALL.replace("2025-11-30T18:00:00+00:00", "last tuesday");
        let e = err("s.json", &text);
        assert!(
            e.contains("LastUsedDate: cannot parse date \"last tuesday\""),
            "{e}"
        );
        let line = SMALL[..SMALL.find("2025-11-30T18:00:00+00:00").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert!(e.starts_with(&format!("s.json:{line}: ")), "{e}");
    }

    #[test]
    fn bad_policy_names_where_and_line() {
        let e = err("bad-policy.json", BAD_POLICY);
        assert!(
            e.starts_with(
                "bad-policy.json:182: RoleDetailList[1] (ci-deploy) AssumeRolePolicyDocument: \
                 not JSON after URL-decoding: expected value (line 1, column 38 of the decoded document)"
            ),
            "{e}"
        );
    }

    /// Issue 19 item 1: a statement that is not valid policy grammar next
    /// to an admin grant must not hide it. The export is rejected (exit 2),
    /// naming the file, the principal, the policy and the statement.
    #[test]
    fn a_malformed_statement_is_an_input_error_naming_principal_and_statement() {
        let admin = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
        let bad_statements = [
            (json!({"Effect": "Allow ", "Action": "*", "Resource": "*"}), "Allow "),
            (json!({"Effect": "Maybe", "Action": "*", "Resource": "*"}), "Maybe"),
            (json!({"Effect": "Allow", "Action": 3, "Resource": "*"}), "Action"),
            (json!({"Effect": "Allow", "Action": [["iam:*"]], "Resource": "*"}), "Action holds a non-string"),
            (json!({"Effect": "Allow", "Action": "*", "Resource": [["*"]]}), "Resource holds a non-string"),
            (json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": "x"}), "Condition is not an object"),
            (json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": 1}}), "Condition Bool is not an object"),
        ];
        for (bad, needle) in bad_statements {
            let doc = json!({"Version": "2012-10-17", "Statement": [admin, bad]});
            let export = json!({"UserDetailList": [{"UserName": "ci", "Arn": "arn:aws:iam::111122223333:user/ci",
                "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc}]}]});
            let e = err("t.json", &export.to_string());
            assert!(
                e.starts_with("t.json: UserDetailList[0] (ci) UserPolicyList[0] (p) PolicyDocument: not a valid IAM policy: Statement 1: "),
                "{e}"
            );
            assert!(e.contains(needle), "{needle}: {e}");
        }
        // `Statement` as a string.
        let export = json!({"UserDetailList": [{"UserName": "ci", "Arn": "arn:aws:iam::111122223333:user/ci",
            "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": "Allow everything"}}]}]});
        let e = err("t.json", &export.to_string());
        assert!(e.contains("(ci) UserPolicyList[0] (p)") && e.contains("Statement is neither"), "{e}");

        // Trust policies: a plain-string or numeric Principal next to `{"AWS": "*"}`.
        for principal in [json!("arn:aws:iam::111122223333:root"), json!(7)] {
            let trust = json!({"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
                {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
            ]});
            let export = json!({"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
                "AssumeRolePolicyDocument": trust}]});
            let e = err("t.json", &export.to_string());
            assert!(
                e.starts_with("t.json: RoleDetailList[0] (r) AssumeRolePolicyDocument: not a valid IAM policy: Statement 1: Principal"),
                "{e}"
            );
        }

        // Managed policies (any version) and URL-encoded documents with their line.
        let export = json!({"Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::111122223333:policy/m",
            "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
            "Document": {"Statement": [admin, {"Effect": "Maybe"}]}}]}]});
        let e = err("t.json", &export.to_string());
        assert!(e.starts_with("t.json: Policies[0] (m) PolicyVersionList[0] (v1) Document: not a valid IAM policy: Statement 1"), "{e}");
        let encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%20%22%7D%7D";
        let text = format!("{{\"UserDetailList\": [{{\"UserName\": \"u\", \"Arn\": \"arn:aws:iam::111122223333:user/u\",\n \"UserPolicyList\": [{{\"PolicyName\": \"p\", \"PolicyDocument\": \"{encoded}\"}}]}}]}}");
        let e = err("t.json", &text);
        assert!(e.starts_with("t.json:2: UserDetailList[0] (u) UserPolicyList[0] (p) PolicyDocument: not a valid IAM policy: Statement 0"), "{e}");
    }

    #[test]
    fn policy_document_of_the_wrong_type_is_an_error() {
        let text = r#"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
            "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": 42}]}]}"#;
        let e = err("t.json", text);
        assert_eq!(
            e,
            "t.json: UserDetailList[0] (u) UserPolicyList[0] (p) PolicyDocument: \
             expected a JSON object or a URL-encoded JSON string, found a number"
        );
    }

    #[test]
    fn url_encoded_non_object_is_an_error() {
        let text = r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r",
            "AssumeRolePolicyDocument": "%5B1%2C2%5D"}]}"#;
        let e = err("t.json", text);
        assert!(
            e.starts_with(
                "t.json:2: RoleDetailList[0] (r) AssumeRolePolicyDocument: not a JSON object"
            ),
            "{e}"
        );
    }

    #[test]
    fn arn_without_account_is_an_error() {
        let text = r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam:::role/r"}]}"#;
        let e = err("t.json", text);
        assert_eq!(
            e,
            "t.json: RoleDetailList[0] (r) Arn: no account id in \"arn:aws:iam:::role/r\""
        );
    }

    #[test]
    fn moto_shape_without_policy_names_or_ids() {
        // moto leaves PolicyName/PolicyId out of Policies[] and may send nulls.
        let text = r#"{
            "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u",
                "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::111122223333:policy/team/p1"}],
                "Tags": null, "GroupList": null}],
            "Policies": [{"Arn": "arn:aws:iam::111122223333:policy/team/p1", "DefaultVersionId": "v3",
                "PolicyVersionList": [
                    {"VersionId": "v3", "Document": {"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}},
                    {"VersionId": "v2", "Document": {"Statement": []}}
                ]}],
            "IsTruncated": false
        }"#;
        let ids = parse(Path::new("moto.json"), text).unwrap().identities;
        assert_eq!(ids.len(), 1);
        let u = &ids[0];
        assert_eq!(u.item.created_at, None);
        assert_eq!(
            summary(u),
            [(
                "p1",
                "managed",
                Some("arn:aws:iam::111122223333:policy/team/p1")
            )]
        );
        // No IsDefaultVersion: DefaultVersionId picks v3.
        assert_eq!(
            det(u).policies[0].document.as_ref().unwrap()["Statement"][0]["Action"],
            "sqs:*"
        );
    }

    #[test]
    fn cloudsplaining_example_parses() {
        let ids = parse(Path::new("example-authz-details.json"), CLOUDSPLAINING)
            .unwrap()
            .identities;
        let users = ids.iter().filter(|i| i.item.kind == USER).count();
        let roles = ids.iter().filter(|i| i.item.kind == ROLE).count();
        assert_eq!((users, roles), (44, 78));
        assert_eq!(ids.len(), 122);
        assert!(ids.iter().all(|i| det(i).policies_known));
    }

    #[test]
    fn cloudsplaining_user_policies_match_the_file() {
        let raw: Value = serde_json::from_str(CLOUDSPLAINING).unwrap();
        let managed_doc = |arn: &str| -> Value {
            let p = raw["Policies"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["Arn"] == arn)
                .unwrap();
            let v = p["PolicyVersionList"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["IsDefaultVersion"] == true)
                .unwrap();
            v["Document"].clone()
        };
        let ids = parse(Path::new("example-authz-details.json"), CLOUDSPLAINING)
            .unwrap()
            .identities;
        let biden = find(&ids, "arn:aws:iam::012345678901:user/biden");
        assert_eq!(biden.item.scope, "012345678901");
        assert_eq!(biden.item.created_at, Some(ts("2019-12-18T19:10:08Z")));
        assert_eq!(det(biden).groups, ["biden"]);
        assert_eq!(
            summary(biden),
            [
                ("InsecureUserPolicy", "inline", None),
                (
                    "AWSLambdaFullAccess",
                    "managed",
                    Some("arn:aws:iam::aws:policy/AWSLambdaFullAccess")
                ),
                ("InlinePolicyForBidenGroup", "group:biden:inline", None),
                (
                    "AmazonRDSFullAccess",
                    "group:biden:managed",
                    Some("arn:aws:iam::aws:policy/AmazonRDSFullAccess")
                ),
            ]
        );
        let user = &raw["UserDetailList"][43];
        assert_eq!(user["UserName"], "biden");
        assert_eq!(
            det(biden).policies[0].document.as_deref(),
            Some(&user["UserPolicyList"][0]["PolicyDocument"])
        );
        assert_eq!(
            det(biden).policies[1].document.as_deref(),
            Some(&managed_doc("arn:aws:iam::aws:policy/AWSLambdaFullAccess"))
        );
        let group = &raw["GroupDetailList"][4];
        assert_eq!(group["GroupName"], "biden");
        assert_eq!(
            det(biden).policies[2].document.as_deref(),
            Some(&group["GroupPolicyList"][0]["PolicyDocument"])
        );
        assert_eq!(
            det(biden).policies[3].document.as_deref(),
            Some(&managed_doc("arn:aws:iam::aws:policy/AmazonRDSFullAccess"))
        );
    }

    #[test]
    fn cloudsplaining_role_trust_and_last_used_match_the_file() {
        let raw: Value = serde_json::from_str(CLOUDSPLAINING).unwrap();
        let ids = parse(Path::new("example-authz-details.json"), CLOUDSPLAINING)
            .unwrap()
            .identities;

        let first = &raw["RoleDetailList"][0];
        let r = find(&ids, first["Arn"].as_str().unwrap());
        assert_eq!(
            r.item.name,
            "AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1"
        );
        assert_eq!(
            det(r).trust_policy.as_deref(),
            Some(&first["AssumeRolePolicyDocument"])
        );
        assert_eq!(
            det(r).trust_policy.as_ref().unwrap()["Statement"][0]["Principal"]["Service"],
            "ssm.amazonaws.com"
        );
        assert_eq!(r.item.last_used, LastUsed::At(ts("2022-08-07T12:56:48Z")));
        assert_eq!(
            r.tags.get("QuickSetupID").map(String::as_str),
            Some("1clff")
        );
        assert_eq!(r.tags.len(), 3);

        let admin = &raw["RoleDetailList"][16];
        let r = find(&ids, admin["Arn"].as_str().unwrap());
        assert_eq!(
            r.item.name,
            "AWS-QuickSetup-StackSet-Local-AdministrationRole"
        );
        assert_eq!(
            det(r).trust_policy.as_deref(),
            Some(&admin["AssumeRolePolicyDocument"])
        );
        assert_eq!(r.item.last_used, LastUsed::Never);
        assert_eq!(r.item.created_at, Some(ts("2022-08-08T21:57:54Z")));
        assert_eq!(det(r).policies.len(), 1);
        assert_eq!(det(r).policies[0].via, "inline");
    }

    #[test]
    fn arn_names_for_managed_policies() {
        assert_eq!(
            name_of_arn("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
            "ViewOnlyAccess"
        );
        assert_eq!(
            name_of_arn("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            "ReadOnlyAccess"
        );
    }

    #[test]
    fn truncated_export_says_so_and_complete_export_does_not() {
        let complete = parse(Path::new("small.json"), SMALL).unwrap();
        assert_eq!(complete.truncated, None);
        for marker in [
            r#""IsTruncated": true"#,
            r#""Marker": "abc""#,
            r#""NextToken": "abc""#,
        ] {
            let text = format!(r#"{{"UserDetailList": [], {marker}}}"#);
            let partial = parse(Path::new("page1.json"), &text).unwrap();
            let why = partial.truncated.expect(marker);
            assert!(
                why.contains("truncated") && why.contains("--max-items"),
                "{why}"
            );
        }
    }
}
