//! RBAC privilege: the level an account's grants give, the escalation paths
//! they open, and their wildcard grants. A pure function of the grants, so a
//! saved scan's grants give the same verdict again.
//!
//! Levels:
//! - **admin**: `cluster-admin` through a ClusterRoleBinding, or `*` verbs on
//!   `*` resources of `*` API groups cluster-wide;
//! - **privileged**: any escalation path in [`PATHS`] is open;
//! - **write**: any write verb;
//! - **read**: anything else granted.
//!
//! The paths come from the Kubernetes documentation "Role Based Access
//! Control Good Practices" (privilege-escalation risks), rbac-police's
//! policy library and KubiScan's risky-role definitions.

use std::collections::BTreeSet;

use super::cloud;
use super::details::Grant;
use super::objects::PolicyRule;
use crate::model::{Escalation, Evidence, Privilege, PrivilegeLevel};

/// One way a grant lets an account reach for more.
pub struct Path {
    /// The path's id, in `privilege.escalations[].path`.
    pub id: &'static str,
    /// Alternatives: API groups, resources and verbs; any combination opens it.
    pub grants: &'static [(&'static [&'static str], &'static [&'static str], &'static [&'static str])],
    /// How it raises privilege (for the docs).
    pub how: &'static str,
}

const CORE: &[&str] = &[""];
const RBAC: &[&str] = &["rbac.authorization.k8s.io"];
const WRITE: &[&str] = &["create", "update", "patch"];

/// The escalation paths, except `create-workloads` (which depends on the
/// other accounts of the namespace, see [`workload_scopes`]) and EKS's
/// ConfigMap path (which depends on the namespace and resource name, see [`eks_auth`]).
pub const PATHS: &[Path] = &[
    Path {
        id: "escalate-or-bind",
        grants: &[(RBAC, &["roles", "clusterroles"], &["escalate", "bind"])],
        how: "grants itself any role, or binds one, without holding its permissions",
    },
    Path {
        id: "impersonate",
        grants: &[
            (CORE, &["users", "groups", "serviceaccounts"], &["impersonate"]),
            (
                &["authentication.k8s.io"],
                &["userextras/*", "uids"],
                &["impersonate"],
            ),
        ],
        how: "acts as any user, group or service account",
    },
    Path {
        id: "pods-exec",
        grants: &[(
            CORE,
            &["pods/exec", "pods/attach", "pods/ephemeralcontainers"],
            &["create", "get", "update", "patch"],
        )],
        how: "runs commands in pods and takes the tokens of the accounts they run as",
    },
    Path {
        id: "read-secrets",
        grants: &[(CORE, &["secrets"], &["get", "list", "watch"])],
        how: "reads Secrets, legacy service-account tokens included",
    },
    Path {
        id: "create-token",
        grants: &[(CORE, &["serviceaccounts/token"], &["create"])],
        how: "mints tokens for other service accounts (TokenRequest)",
    },
    Path {
        id: "nodes-proxy",
        grants: &[(CORE, &["nodes/proxy"], &["get", "create"])],
        how: "reaches the kubelet API, which runs commands in any pod of the node",
    },
    Path {
        id: "approve-csr",
        grants: &[
            (
                &["certificates.k8s.io"],
                &["certificatesigningrequests/approval"],
                &["update", "patch"],
            ),
            (&["certificates.k8s.io"], &["signers"], &["approve", "sign"]),
        ],
        how: "approves certificate requests and so issues client certificates for any user",
    },
    Path {
        id: "webhook-config",
        grants: &[(
            &["admissionregistration.k8s.io"],
            &[
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
            ],
            WRITE,
        )],
        how: "sends every admitted object to a webhook it controls, or rewrites them",
    },
    Path {
        id: "patch-bindings",
        grants: &[(RBAC, &["rolebindings", "clusterrolebindings"], WRITE)],
        how: "adds itself as a subject of a more privileged binding",
    },
];

/// The verbs that change state.
const WRITE_VERBS: &[&str] = &[
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "*",
    "escalate",
    "bind",
    "impersonate",
    "approve",
    "sign",
];

fn any_is(list: &[String], want: &str) -> bool {
    list.iter().any(|v| v == want || v == "*")
}

fn resource_matches(granted: &str, want: &str) -> bool {
    if granted == "*" || granted == want {
        return true;
    }
    let (want_base, want_sub) = want.split_once('/').unwrap_or((want, ""));
    match granted.split_once('/') {
        Some((base, "*")) => base == want_base && !want_sub.is_empty(),
        Some(("*", sub)) => sub == want_sub,
        _ => false,
    }
}

/// Whether `rule` grants `verb` on `resource` of API group `group`.
pub fn allows(rule: &PolicyRule, group: &str, resource: &str, verb: &str) -> bool {
    any_is(&rule.api_groups, group)
        && rule.resources.iter().any(|r| resource_matches(r, resource))
        && any_is(&rule.verbs, verb)
}

fn allows_any(rule: &PolicyRule, groups: &[&str], resources: &[&str], verbs: &[&str]) -> bool {
    groups.iter().any(|g| {
        resources
            .iter()
            .any(|r| verbs.iter().any(|v| allows(rule, g, r, v)))
    })
}

/// `create on pods/exec`, for evidence.
pub fn describe(rule: &PolicyRule) -> String {
    let what = if rule.non_resource_urls.is_empty() {
        let groups: Vec<String> = rule
            .api_groups
            .iter()
            .map(|g| if g.is_empty() { "core".into() } else { g.clone() })
            .collect();
        let mut text = format!("{} ({})", rule.resources.join(","), groups.join(","));
        if !rule.resource_names.is_empty() {
            text.push_str(&format!(" named {}", rule.resource_names.join(",")));
        }
        text
    } else {
        rule.non_resource_urls.join(",")
    };
    format!("{} on {what}", rule.verbs.join(","))
}

fn evidence(grant: &Grant, index: usize, rule: &PolicyRule) -> Evidence {
    let scope = match &grant.namespace {
        Some(ns) => format!("in namespace {ns}"),
        None => "cluster-wide".to_string(),
    };
    Evidence {
        policy: grant.role.clone(),
        via: format!("{} {scope}, subject {}", grant.binding, grant.subject),
        statement: Some(format!("rules[{index}]")),
        actions: vec![describe(rule)],
        conditions: vec![],
    }
}

fn whole_role(grant: &Grant) -> Evidence {
    Evidence {
        policy: grant.role.clone(),
        via: format!("{} cluster-wide, subject {}", grant.binding, grant.subject),
        statement: None,
        actions: vec!["*".into()],
        conditions: vec![],
    }
}

fn is_admin_rule(rule: &PolicyRule) -> bool {
    rule.verbs.iter().any(|v| v == "*")
        && rule.resources.iter().any(|r| r == "*")
        && rule.api_groups.iter().any(|g| g == "*")
}

fn is_write(rule: &PolicyRule) -> bool {
    rule.verbs.iter().any(|v| WRITE_VERBS.contains(&v.as_str()))
}

/// Whether `rule`, granted where `grant` applies, lets it edit EKS's
/// IAM-to-RBAC ConfigMap in `kube-system` (see [`cloud`]).
fn eks_auth(grant: &Grant, rule: &PolicyRule) -> bool {
    let in_kube_system = grant.namespace.as_deref().is_none_or(|ns| ns == "kube-system");
    let named = rule.resource_names.is_empty()
        || rule.resource_names.iter().any(|n| n == cloud::EKS_AUTH_CONFIGMAP);
    in_kube_system && named && allows_any(rule, CORE, &["configmaps"], &["update", "patch"])
}

/// The workload kinds whose creation runs code as any account of the namespace.
const WORKLOADS: &[(&[&str], &[&str])] = &[
    (CORE, &["pods", "replicationcontrollers"]),
    (
        &["apps"],
        &["deployments", "daemonsets", "statefulsets", "replicasets"],
    ),
    (&["batch"], &["jobs", "cronjobs"]),
];

fn creates_workloads(rule: &PolicyRule) -> bool {
    WORKLOADS
        .iter()
        .any(|(g, r)| allows_any(rule, g, r, &["create"]))
}

/// Where grants let an account create workloads.
pub enum Scopes {
    All,
    Namespaces(BTreeSet<String>),
}

/// Where `grants` let the account create pods or workload controllers, if anywhere.
pub fn workload_scopes(grants: &[Grant]) -> Option<Scopes> {
    let mut set = BTreeSet::new();
    for g in grants {
        if g.rules.0.iter().any(creates_workloads) {
            match &g.namespace {
                None => return Some(Scopes::All),
                Some(ns) => {
                    set.insert(ns.clone());
                }
            }
        }
    }
    (!set.is_empty()).then_some(Scopes::Namespaces(set))
}

/// The privilege `grants` give. `targets` are the namespaces where the
/// account can start workloads as a more privileged account (path
/// `create-workloads`).
pub fn privilege(grants: &[Grant], targets: &[String]) -> Privilege {
    let mut p = Privilege::default();
    if grants.is_empty() {
        p.level = PrivilegeLevel::None;
        return p;
    }
    let mut admin = Vec::new();
    let mut write = Vec::new();
    let mut read = Vec::new();
    let mut paths: Vec<Escalation> = Vec::new();
    let mut open = |id: &str, action: String, e: Evidence| {
        match paths.iter_mut().find(|x| x.path == id) {
            Some(x) => {
                if !x.actions.contains(&action) {
                    x.actions.push(action);
                }
                x.evidence.push(e);
            }
            None => paths.push(Escalation {
                path: id.to_string(),
                actions: vec![action],
                evidence: vec![e],
                ..Default::default()
            }),
        }
    };
    for g in grants {
        if g.namespace.is_none() && g.role == "ClusterRole/cluster-admin" {
            admin.push(whole_role(g));
        }
        for (i, rule) in g.rules.0.iter().enumerate() {
            let e = evidence(g, i, rule);
            if g.namespace.is_none() && is_admin_rule(rule) && g.role != "ClusterRole/cluster-admin"
            {
                admin.push(e.clone());
            }
            for path in PATHS {
                if path
                    .grants
                    .iter()
                    .any(|(gr, r, v)| allows_any(rule, gr, r, v))
                {
                    open(path.id, describe(rule), e.clone());
                }
            }
            if eks_auth(g, rule) {
                open(cloud::EKS_AUTH_PATH, describe(rule), e.clone());
            }
            if is_write(rule) {
                if rule.verbs.iter().any(|v| v == "*") || rule.resources.iter().any(|r| r == "*") {
                    p.wildcards.push(e.clone());
                }
                write.push(e);
            } else if !rule.verbs.is_empty() {
                read.push(e);
            }
        }
    }
    if !targets.is_empty() {
        let e: Vec<Evidence> = grants
            .iter()
            .flat_map(|g| {
                g.rules
                    .0
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| creates_workloads(r))
                    .map(move |(i, r)| evidence(g, i, r))
            })
            .collect();
        paths.push(Escalation {
            path: "create-workloads".into(),
            actions: targets.iter().map(|t| format!("run as {t}")).collect(),
            evidence: e,
            ..Default::default()
        });
    }
    paths.sort_by(|a, b| a.path.cmp(&b.path));
    p.escalations = paths;
    (p.level, p.evidence) = if !admin.is_empty() {
        (PrivilegeLevel::Admin, admin)
    } else if !p.escalations.is_empty() {
        let e = p
            .escalations
            .iter()
            .flat_map(|x| x.evidence.iter().cloned())
            .collect();
        (PrivilegeLevel::Privileged, e)
    } else if !write.is_empty() {
        (PrivilegeLevel::Write, write)
    } else if !read.is_empty() {
        (PrivilegeLevel::Read, read)
    } else if grants.iter().any(|g| !g.role_found) {
        (PrivilegeLevel::Unknown, vec![])
    } else {
        (PrivilegeLevel::None, vec![])
    };
    p
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::providers::kubernetes::details::Rules;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        PolicyRule {
            api_groups: s(groups),
            resources: s(resources),
            verbs: s(verbs),
            ..Default::default()
        }
    }

    fn grant(role: &str, namespace: Option<&str>, rules: Vec<PolicyRule>) -> Grant {
        Grant {
            binding: "RoleBinding/x/b".into(),
            role: role.into(),
            namespace: namespace.map(str::to_string),
            subject: "ServiceAccount x/a".into(),
            rules: Rules(Arc::new(rules)),
            role_found: true,
        }
    }

    #[test]
    fn levels_follow_the_grants() {
        let level = |g: Vec<Grant>| privilege(&g, &[]).level;
        assert_eq!(level(vec![]), PrivilegeLevel::None);
        let admin = rule(&["*"], &["*"], &["*"]);
        assert_eq!(
            level(vec![grant("ClusterRole/x", None, vec![admin.clone()])]),
            PrivilegeLevel::Admin
        );
        // The same rules in one namespace read secrets there: privileged, not admin.
        assert_eq!(
            level(vec![grant("ClusterRole/cluster-admin", Some("x"), vec![admin])]),
            PrivilegeLevel::Privileged
        );
        assert_eq!(
            level(vec![grant(
                "Role/x/r",
                Some("x"),
                vec![rule(&["apps"], &["deployments"], &["patch"])]
            )]),
            PrivilegeLevel::Write
        );
        assert_eq!(
            level(vec![grant(
                "Role/x/r",
                Some("x"),
                vec![rule(&[""], &["pods"], &["get", "list"])]
            )]),
            PrivilegeLevel::Read
        );
    }

    #[test]
    fn each_path_opens_on_its_grant_and_names_the_rule() {
        let cases = [
            (rule(&["rbac.authorization.k8s.io"], &["clusterroles"], &["bind"]), "escalate-or-bind"),
            (rule(&[""], &["serviceaccounts"], &["impersonate"]), "impersonate"),
            (rule(&[""], &["pods/exec"], &["create"]), "pods-exec"),
            (rule(&[""], &["pods/*"], &["create"]), "pods-exec"),
            (rule(&[""], &["secrets"], &["list"]), "read-secrets"),
            (rule(&[""], &["serviceaccounts/token"], &["create"]), "create-token"),
            (rule(&[""], &["nodes/proxy"], &["get"]), "nodes-proxy"),
            (rule(&["certificates.k8s.io"], &["signers"], &["approve"]), "approve-csr"),
            (
                rule(&["admissionregistration.k8s.io"], &["mutatingwebhookconfigurations"], &["patch"]),
                "webhook-config",
            ),
            (rule(&["rbac.authorization.k8s.io"], &["rolebindings"], &["patch"]), "patch-bindings"),
            (rule(&[""], &["configmaps"], &["update"]), cloud::EKS_AUTH_PATH),
        ];
        for (r, path) in cases {
            let p = privilege(&[grant("Role/kube-system/r", Some("kube-system"), vec![r])], &[]);
            assert_eq!(p.level, PrivilegeLevel::Privileged, "{path}");
            let e = &p.escalations[0];
            assert_eq!(e.path, path);
            assert_eq!(e.evidence[0].policy, "Role/kube-system/r");
            assert_eq!(e.evidence[0].statement.as_deref(), Some("rules[0]"));
        }
        // EKS's ConfigMap path only in kube-system, and only when the name allows it.
        let mut r = rule(&[""], &["configmaps"], &["update"]);
        assert!(privilege(&[grant("Role/app/r", Some("app"), vec![r.clone()])], &[])
            .escalations
            .is_empty());
        r.resource_names = vec!["other".into()];
        assert!(privilege(&[grant("Role/kube-system/r", Some("kube-system"), vec![r])], &[])
            .escalations
            .is_empty());
        // Reading pods is no path.
        let p = privilege(&[grant("Role/x/r", Some("x"), vec![rule(&[""], &["pods"], &["get"])])], &[]);
        assert!(p.escalations.is_empty());
    }

    #[test]
    fn workloads_are_a_path_only_toward_a_stronger_account() {
        let g = grant("Role/x/r", Some("x"), vec![rule(&["apps"], &["deployments"], &["create"])]);
        assert!(matches!(workload_scopes(std::slice::from_ref(&g)), Some(Scopes::Namespaces(s)) if s.contains("x")));
        assert_eq!(privilege(std::slice::from_ref(&g), &[]).level, PrivilegeLevel::Write);
        let p = privilege(&[g], &["x (account admin: admin)".into()]);
        assert_eq!(p.level, PrivilegeLevel::Privileged);
        assert_eq!(p.escalations[0].path, "create-workloads");
    }
}
