//! The account's principal graph: who can obtain whose permissions.
//!
//! Nodes are the export's users, roles and groups, plus "a principal with any
//! policy" for the paths that let a principal write its own policies (capped
//! by its permissions boundary when it has one). An edge from A to B means A
//! can obtain B's permissions, through one path of [`PATHS`] (or a trust
//! policy that names A directly), and records the actions and statements that
//! grant it:
//! - create an access key or login profile for user B;
//! - assume role B: B's trust lets the account in and A's policies allow
//!   `sts:AssumeRole` on B, or B's trust names A itself;
//! - pass role B to a service B trusts and that runs code (`pass-role-*`);
//! - add itself to group B;
//! - write or attach a policy on itself, a group it is in, or a customer
//!   managed policy it holds;
//! - update role B's trust policy;
//! - use a resource that runs as role B (an existing Lambda function,
//!   instance, stack or notebook): kept, marked "possible through existing
//!   resources", since the export cannot show the resource.
//!
//! A principal escalates when it reaches a node more privileged than itself,
//! over any number of hops. Reach is a fixpoint over the edges, and each
//! node remembers the edge that gave its reach, which is the chain a finding
//! prints. For a path whose grant covers many targets, the most privileged
//! target is the edge; trust policies that name a principal add every edge.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::model::{Escalation, Identity, Item, PrivilegeLevel};
use crate::providers::aws::details::{self, AttachedPolicy, IdentityDetails};
use crate::providers::aws::{ID, ROLE, USER};

use super::document::Principal;
use super::effective::Effective;
use super::escalation::{may_open, open, PATHS};
use super::{privilege, Effect, PolicyDocument};

/// What a path's first step must reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aim {
    /// A customer managed policy the principal holds.
    OwnPolicy,
    /// The principal itself (a user).
    OwnUser,
    /// The principal itself (a role).
    OwnRole,
    /// A group the principal is in.
    OwnGroup,
    /// Another user.
    User,
    /// A group the principal is not in.
    Group,
    /// Any role (its trust policy is what the path changes).
    Role,
    /// A role whose trust policy lets the account in.
    TrustedRole,
    /// A role the service trusts, passed to it (`iam:PassRole` on the role).
    PassTo(&'static str),
    /// A role the service trusts, already running in a resource.
    Existing(&'static str),
}

/// The target of each path in [`PATHS`].
fn aim(path: &str) -> Aim {
    match path {
        "create-policy-version" | "set-default-policy-version" => Aim::OwnPolicy,
        "attach-user-policy" | "put-user-policy" => Aim::OwnUser,
        "attach-role-policy" | "put-role-policy" => Aim::OwnRole,
        "attach-group-policy" | "put-group-policy" => Aim::OwnGroup,
        "add-user-to-group" => Aim::Group,
        "create-access-key" | "create-login-profile" | "update-login-profile" => Aim::User,
        "update-assume-role-policy" => Aim::Role,
        "assume-any-role" => Aim::TrustedRole,
        "pass-role-ec2" => Aim::PassTo("ec2.amazonaws.com"),
        "pass-role-lambda" | "pass-role-lambda-add-permission" => {
            Aim::PassTo("lambda.amazonaws.com")
        }
        "pass-role-glue-dev-endpoint" | "pass-role-glue-job" => Aim::PassTo("glue.amazonaws.com"),
        "pass-role-cloudformation" | "pass-role-cloudformation-stackset" => {
            Aim::PassTo("cloudformation.amazonaws.com")
        }
        "pass-role-codebuild" => Aim::PassTo("codebuild.amazonaws.com"),
        "pass-role-sagemaker" => Aim::PassTo("sagemaker.amazonaws.com"),
        "pass-role-datapipeline" => Aim::PassTo("datapipeline.amazonaws.com"),
        "pass-role-ecs" => Aim::PassTo("ecs-tasks.amazonaws.com"),
        "pass-role-apprunner" => Aim::PassTo("tasks.apprunner.amazonaws.com"),
        "pass-role-bedrock-agentcore" => Aim::PassTo("bedrock-agentcore.amazonaws.com"),
        "update-lambda-code" => Aim::Existing("lambda.amazonaws.com"),
        "update-glue-dev-endpoint" => Aim::Existing("glue.amazonaws.com"),
        "update-cloudformation-stack" => Aim::Existing("cloudformation.amazonaws.com"),
        "sagemaker-notebook-url" => Aim::Existing("sagemaker.amazonaws.com"),
        "ec2-instance-connect" | "ssm-send-command" | "ssm-start-session" => {
            Aim::Existing("ec2.amazonaws.com")
        }
        other => unreachable!("path {other} has no aim"),
    }
}

/// Path id of an edge that needs no identity grant: the role's trust policy
/// names the principal itself.
pub const TRUSTED_BY_NAME: &str = "assume-role-trusted-by-name";

/// One account's users, roles and groups, as the export described them.
/// Held (shared) by each identity's details; the graph is built on first use.
#[derive(Debug)]
pub struct Account {
    principals: Vec<Identity>,
    /// Group name and the policies its members get.
    groups: Vec<(String, Vec<AttachedPolicy>)>,
    graph: OnceLock<Graph>,
}

/// A node: a principal, a group, or "a principal with any policy".
#[derive(Debug)]
struct Node {
    /// `role deploy-admin`, for chains.
    label: String,
    arn: String,
    base: PrivilegeLevel,
}

/// One edge: path, actions and evidence, and the node it leads to.
#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    escalation: Escalation,
}

#[derive(Debug, Default)]
struct Graph {
    nodes: Vec<Node>,
    /// Outgoing edges per node.
    edges: Vec<Vec<Edge>>,
    /// Most privileged level each node reaches, and the edge that gives it.
    reach: Vec<(PrivilegeLevel, Option<usize>)>,
    by_id: HashMap<String, usize>,
}

impl Account {
    /// The account view of `principals` (users and roles of one export) and
    /// their `groups`.
    pub fn new(principals: Vec<Identity>, groups: Vec<(String, Vec<AttachedPolicy>)>) -> Self {
        Account {
            principals,
            groups,
            graph: OnceLock::new(),
        }
    }

    /// The escalations of principal `id` that reach something more
    /// privileged than itself, with target and chain; `None` when the
    /// account does not know `id`.
    pub fn escalations(&self, id: &str) -> Option<Vec<Escalation>> {
        let g = self.graph.get_or_init(|| Graph::build(self));
        let &n = g.by_id.get(id)?;
        let own = g.nodes[n].base;
        let mut out: Vec<Escalation> = Vec::new();
        for e in &g.edges[n] {
            let reach = g.reach[e.to].0.max(g.nodes[e.to].base);
            if reach <= own {
                continue;
            }
            let mut esc = e.escalation.clone();
            let t = &g.nodes[e.to];
            esc.target = Some(format!("{} ({})", t.label, t.base));
            esc.chain = g.chain(n, e);
            // One escalation per path: the first (most privileged) target.
            if !out.iter().any(|o| o.path == esc.path) {
                out.push(esc);
            }
        }
        Some(out)
    }
}

/// A group as an identity, so its policies go through the same evaluation.
fn group_identity(account: &str, name: &str, policies: &[AttachedPolicy]) -> Identity {
    let mut i = Identity::new(Item::new(
        format!("arn:aws:iam::{account}:group/{name}"),
        ID,
        account.to_string(),
        ROLE,
        name.to_string(),
    ));
    i.item.details = Some(Box::new(IdentityDetails {
        policies_known: true,
        policies: policies.to_vec(),
        ..IdentityDetails::default()
    }));
    i
}

/// Services and AWS principals a role's trust policy lets in (Allow statements).
#[derive(Debug, Default)]
struct Trust {
    services: Vec<String>,
    /// The account itself (`root`, the bare id) or `*`.
    account: bool,
    /// Principal ARNs named directly.
    named: Vec<String>,
}

fn trust_of(d: &IdentityDetails, account: &str) -> Trust {
    let mut t = Trust::default();
    let Some(doc) = d.trust_policy.as_deref() else {
        return t;
    };
    let (doc, _) = PolicyDocument::parse_lenient(doc);
    let root = format!("arn:aws:iam::{account}:root");
    for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        let assume = s.action.is_empty()
            || s.action
                .iter()
                .any(|a| super::wildcard_match(a, "sts:AssumeRole"));
        if !assume {
            continue;
        }
        match &s.principal {
            Some(Principal::Any) => t.account = true,
            Some(Principal::Typed(m)) => {
                for (kind, values) in m {
                    for v in values {
                        if kind.eq_ignore_ascii_case("Service") {
                            t.services.push(v.to_ascii_lowercase());
                        } else if kind.eq_ignore_ascii_case("AWS") {
                            if v == "*" || v == &root || v == account {
                                t.account = true;
                            } else {
                                t.named.push(v.clone());
                            }
                        }
                    }
                }
            }
            None => {}
        }
    }
    t
}

impl Graph {
    fn build(account: &Account) -> Graph {
        let mut g = Graph::default();
        let scope = account
            .principals
            .first()
            .map(|p| p.item.scope.clone())
            .unwrap_or_default();
        let groups: Vec<Identity> = account
            .groups
            .iter()
            .map(|(name, policies)| group_identity(&scope, name, policies))
            .collect();
        let level = |i: &Identity| privilege::base_level(&Effective::of(i));
        for p in &account.principals {
            g.by_id.insert(p.item.id.clone(), g.nodes.len());
            g.nodes.push(Node {
                label: format!("{} {}", p.item.kind, p.item.name),
                arn: p.item.id.clone(),
                base: level(p),
            });
        }
        let group_start = g.nodes.len();
        for gi in &groups {
            g.nodes.push(Node {
                label: format!("group {}", gi.item.name),
                arn: gi.item.id.clone(),
                base: level(gi),
            });
        }
        let any_policy = g.nodes.len();
        g.nodes.push(Node {
            label: "itself with any policy".into(),
            arn: String::new(),
            base: PrivilegeLevel::Admin,
        });

        // Candidate targets, most privileged first.
        let by_level = |mut v: Vec<usize>, nodes: &[Node]| {
            v.sort_by_key(|&i| std::cmp::Reverse(nodes[i].base));
            v
        };
        let trusts: Vec<Trust> = account
            .principals
            .iter()
            .map(|p| trust_of(details::of(p), &p.item.scope))
            .collect();
        let is = |kind| {
            move |&i: &usize| i < group_start && account.principals[i].item.kind == kind
        };
        let users = by_level((0..group_start).filter(is(USER)).collect(), &g.nodes);
        let roles = by_level((0..group_start).filter(is(ROLE)).collect(), &g.nodes);
        let account_roles = by_level(
            roles.iter().copied().filter(|&i| trusts[i].account).collect(),
            &g.nodes,
        );
        let group_nodes: Vec<usize> = by_level((group_start..any_policy).collect(), &g.nodes);
        let mut by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        for &r in &roles {
            for s in &trusts[r].services {
                by_service.entry(s.as_str()).or_default().push(r);
            }
        }
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        for &r in &roles {
            for a in &trusts[r].named {
                named.entry(a.as_str()).or_default().push(r);
            }
        }

        g.edges = vec![Vec::new(); g.nodes.len()];
        for (n, p) in account.principals.iter().enumerate() {
            if g.nodes[n].base == PrivilegeLevel::Admin {
                continue;
            }
            let eff = Effective::of(p);
            let d = details::of(p);
            // Writing its own policies reaches "any policy", capped by a boundary.
            let self_to = match d.permissions_boundary_document.as_ref() {
                Some(_) => {
                    let boundary = AttachedPolicy {
                        name: "boundary".into(),
                        arn: d.permissions_boundary.clone(),
                        via: "boundary".into(),
                        document: d.permissions_boundary_document.clone(),
                    };
                    let b = group_identity(&p.item.scope, &p.item.name, &[boundary]);
                    let base = level(&b);
                    g.nodes.push(Node {
                        label: "itself with any policy the boundary allows".into(),
                        arn: String::new(),
                        base,
                    });
                    g.edges.push(Vec::new());
                    g.nodes.len() - 1
                }
                None => any_policy,
            };
            let own_groups: Vec<String> = d
                .groups
                .iter()
                .map(|name| format!("arn:aws:iam::{}:group/{name}", p.item.scope))
                .collect();
            let nodes = &g.nodes;
            let mut found = Vec::new();
            for (k, path) in PATHS.iter().enumerate() {
                if !may_open(&eff, k) {
                    continue;
                }
                let mut candidates: Vec<(usize, Option<&str>)> = Vec::new();
                let existing = matches!(aim(path.id), Aim::Existing(_));
                match aim(path.id) {
                    Aim::OwnUser if p.item.kind == USER => {
                        candidates.push((self_to, Some(p.item.id.as_str())))
                    }
                    Aim::OwnRole if p.item.kind == ROLE => {
                        candidates.push((self_to, Some(p.item.id.as_str())))
                    }
                    Aim::OwnUser | Aim::OwnRole => {}
                    Aim::OwnGroup => {
                        for arn in &own_groups {
                            candidates.push((self_to, Some(arn.as_str())));
                        }
                    }
                    Aim::OwnPolicy => {
                        let mut arns: Vec<&String> = d
                            .policies
                            .iter()
                            .filter_map(|p| p.arn.as_ref())
                            .filter(|a| !a.starts_with("arn:aws:iam::aws:"))
                            .collect();
                        arns.sort_unstable();
                        arns.dedup();
                        candidates.extend(arns.into_iter().map(|a| (self_to, Some(a.as_str()))));
                    }
                    Aim::User => candidates.extend(
                        users
                            .iter()
                            .filter(|&&u| u != n)
                            .map(|&u| (u, Some(nodes[u].arn.as_str()))),
                    ),
                    Aim::Group if p.item.kind == USER => candidates.extend(
                        group_nodes
                            .iter()
                            .filter(|&&x| !d.groups.contains(&account.groups[x - group_start].0))
                            .map(|&x| (x, Some(nodes[x].arn.as_str()))),
                    ),
                    Aim::Group => {}
                    Aim::Role => candidates.extend(
                        roles
                            .iter()
                            .filter(|&&r| r != n)
                            .map(|&r| (r, Some(nodes[r].arn.as_str()))),
                    ),
                    Aim::TrustedRole => candidates.extend(
                        account_roles
                            .iter()
                            .filter(|&&r| r != n)
                            .map(|&r| (r, Some(nodes[r].arn.as_str()))),
                    ),
                    Aim::PassTo(service) => candidates.extend(
                        by_service
                            .get(service)
                            .into_iter()
                            .flatten()
                            .map(|&r| (r, Some(nodes[r].arn.as_str()))),
                    ),
                    Aim::Existing(service) => candidates.extend(
                        by_service
                            .get(service)
                            .into_iter()
                            .flatten()
                            .map(|&r| (r, None)),
                    ),
                }
                for (to, arn) in candidates {
                    if to == n {
                        continue;
                    }
                    if let Some(mut esc) = open(&eff, k, &[arn]) {
                        esc.existing_resources = existing;
                        found.push(Edge { to, escalation: esc });
                        break;
                    }
                }
            }
            g.edges[n].extend(found);
            // Roles whose trust names this principal: no identity grant needed.
            for &r in named.get(p.item.id.as_str()).into_iter().flatten() {
                if r != n {
                    g.edges[n].push(Edge {
                        to: r,
                        escalation: Escalation {
                            path: TRUSTED_BY_NAME.into(),
                            actions: vec!["sts:AssumeRole".into()],
                            evidence: Vec::new(),
                            target: None,
                            chain: Vec::new(),
                            existing_resources: false,
                        },
                    });
                }
            }
        }

        // Reach: the most privileged level over any number of hops.
        g.reach = g.nodes.iter().map(|n| (n.base, None)).collect();
        for _ in 0..g.nodes.len().min(64) {
            let mut changed = false;
            for n in 0..g.nodes.len() {
                for (k, e) in g.edges[n].iter().enumerate() {
                    let r = g.reach[e.to].0;
                    if r > g.reach[n].0 {
                        g.reach[n] = (r, Some(k));
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        g
    }

    /// `start → (actions) → target (level) → ...`, following each node's best edge.
    fn chain(&self, start: usize, first: &Edge) -> Vec<String> {
        let mut out = vec![self.nodes[start].label.clone()];
        let mut seen = vec![start];
        let mut edge = first;
        loop {
            let t = &self.nodes[edge.to];
            out.push(format!(
                "({}) → {} ({})",
                edge.escalation.actions.join(" + "),
                t.label,
                t.base
            ));
            if seen.contains(&edge.to) || out.len() > 10 {
                break;
            }
            seen.push(edge.to);
            match self.reach[edge.to] {
                (r, Some(k)) if r > t.base => edge = &self.edges[edge.to][k],
                _ => break,
            }
        }
        out
    }
}

/// A shared handle on an [`Account`] in an identity's details: compares
/// equal always and is never serialized (a saved snapshot has no graph, and
/// escalations are then judged without targets).
#[derive(Clone, Default)]
pub struct AccountRef(pub Option<Arc<Account>>);

impl std::fmt::Debug for AccountRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "AccountRef(..)" } else { "AccountRef(None)" })
    }
}

impl PartialEq for AccountRef {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Escalation;
    use crate::providers::aws::authorization_details::parse;
    use crate::providers::aws::details;
    use serde_json::{json, Value};
    use std::path::Path;

    const ACCT: &str = "111122223333";

    fn allow(actions: &[&str]) -> Value {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})
    }

    fn user(name: &str, doc: Value, groups: &[&str]) -> Value {
        json!({"UserName": name, "Arn": format!("arn:aws:iam::{ACCT}:user/{name}"), "GroupList": groups,
               "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc}]})
    }

    fn role(name: &str, doc: Value, trusted: Value) -> Value {
        json!({"RoleName": name, "Arn": format!("arn:aws:iam::{ACCT}:role/{name}"),
               "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": trusted, "Action": "sts:AssumeRole"}]},
               "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": doc}]})
    }

    /// The escalations of `who` in an export of `users` and `roles`.
    fn escalations(users: Vec<Value>, roles: Vec<Value>, who: &str) -> Vec<Escalation> {
        let export = json!({"UserDetailList": users, "RoleDetailList": roles, "GroupDetailList": [
            {"GroupName": "admins", "GroupPolicyList": [{"PolicyName": "a", "PolicyDocument": allow(&["*"])}]}
        ]});
        let ids = parse(Path::new("t.json"), &export.to_string()).unwrap().identities;
        let i = ids.iter().find(|i| i.item.name == who).unwrap();
        graph_escalations(i)
    }

    fn graph_escalations(i: &crate::model::Identity) -> Vec<Escalation> {
        let account = details::of(i).account.0.clone().expect("the export gives the account");
        account.escalations(&i.item.id).expect("the account knows the principal")
    }

    fn paths(e: &[Escalation]) -> Vec<&str> {
        e.iter().map(|e| e.path.as_str()).collect()
    }

    fn admin_role(name: &str, trusted: Value) -> Value {
        role(name, allow(&["*"]), trusted)
    }

    #[test]
    fn no_target_no_escalation() {
        // A role granted iam:PutUserPolicy is no user.
        let r = role("r", allow(&["iam:PutUserPolicy", "s3:GetObject"]), json!({"Service": "ec2.amazonaws.com"}));
        assert!(escalations(vec![], vec![r], "r").is_empty());
        // A user in no group granted iam:AttachGroupPolicy.
        let u = user("u", allow(&["iam:AttachGroupPolicy"]), &[]);
        assert!(escalations(vec![u], vec![], "u").is_empty());
        // iam:CreatePolicyVersion with only inline policies.
        let u = user("u", allow(&["iam:CreatePolicyVersion"]), &[]);
        assert!(escalations(vec![u], vec![], "u").is_empty());
        // sts:AssumeRole where the only role trusting the account grants nothing more.
        let u = user("u", allow(&["sts:AssumeRole", "s3:PutObject"]), &[]);
        let weak = role("weak", allow(&["s3:GetObject"]), json!({"AWS": format!("arn:aws:iam::{ACCT}:root")}));
        assert!(escalations(vec![u.clone()], vec![weak.clone()], "u").is_empty());
        // iam:CreateAccessKey with no more privileged user.
        let peer = user("peer", allow(&["s3:GetObject"]), &[]);
        let ck = user("ck", allow(&["iam:CreateAccessKey"]), &[]);
        assert!(escalations(vec![ck.clone(), peer], vec![], "ck").is_empty());
        // PassRole + RunInstances and no role EC2 may assume.
        let lam = admin_role("fn-admin", json!({"Service": "lambda.amazonaws.com"}));
        let p = user("p", allow(&["iam:PassRole", "ec2:RunInstances"]), &[]);
        assert!(escalations(vec![p.clone()], vec![lam], "p").is_empty());

        // The same grants with a more privileged target do escalate, naming it.
        let boss = user("boss", allow(&["*"]), &[]);
        let e = escalations(vec![ck, boss], vec![], "ck");
        assert_eq!(paths(&e), ["create-access-key"]);
        assert_eq!(e[0].target.as_deref(), Some("user boss (admin)"));
        let ec2 = admin_role("ec2-admin", json!({"Service": "ec2.amazonaws.com"}));
        let e = escalations(vec![p], vec![ec2], "p");
        assert_eq!(paths(&e), ["pass-role-ec2"]);
        assert_eq!(e[0].chain, ["user p", "(iam:PassRole + ec2:RunInstances) → role ec2-admin (admin)"]);
        let strong = admin_role("strong", json!({"AWS": ACCT}));
        let e = escalations(vec![u], vec![weak, strong], "u");
        assert_eq!(e[0].target.as_deref(), Some("role strong (admin)"));
        // A user in the admins group it could attach to.
        let g = user("g", allow(&["iam:AttachGroupPolicy"]), &["admins"]);
        assert!(escalations(vec![g], vec![], "g").is_empty(), "admins is already admin: g is admin");
        let add = user("add", allow(&["iam:AddUserToGroup"]), &[]);
        let e = escalations(vec![add], vec![], "add");
        assert_eq!(e[0].target.as_deref(), Some("group admins (admin)"));
    }

    #[test]
    fn missed_paths_are_found() {
        let svc = |s: &str| admin_role(&format!("{s}-admin"), json!({"Service": format!("{s}.amazonaws.com")}));
        let cases: [(&[&str], Value, &str); 4] = [
            (&["iam:PassRole", "apprunner:CreateService"], admin_role("ar", json!({"Service": "tasks.apprunner.amazonaws.com"})), "pass-role-apprunner"),
            (&["iam:PassRole", "bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"], svc("bedrock-agentcore"), "pass-role-bedrock-agentcore"),
            (&["iam:PassRole", "cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"], svc("cloudformation"), "pass-role-cloudformation-stackset"),
            (&["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"], svc("lambda"), "pass-role-lambda-add-permission"),
        ];
        for (actions, target, path) in cases {
            let e = escalations(vec![user("u", allow(actions), &[])], vec![target], "u");
            assert!(paths(&e).contains(&path), "{path}: {:?}", paths(&e));
        }
        // Data Pipeline needs ActivatePipeline.
        let dp = || svc("datapipeline");
        let without = ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"];
        assert!(escalations(vec![user("u", allow(&without), &[])], vec![dp()], "u").is_empty());
        let mut with = without.to_vec();
        with.push("datapipeline:ActivatePipeline");
        let e = escalations(vec![user("u", allow(&with), &[])], vec![dp()], "u");
        assert_eq!(paths(&e), ["pass-role-datapipeline"]);
    }

    #[test]
    fn assume_role_chains_through_trust_policies_that_name_the_previous_role() {
        let a = role("a", allow(&["s3:GetObject"]), json!({"Service": "ec2.amazonaws.com"}));
        let b = role("b", allow(&["s3:GetObject"]), json!({"AWS": format!("arn:aws:iam::{ACCT}:role/a")}));
        let c = admin_role("c", json!({"AWS": format!("arn:aws:iam::{ACCT}:role/b")}));
        let e = escalations(vec![], vec![a, b, c], "a");
        assert_eq!(paths(&e), ["assume-role-trusted-by-name"]);
        assert_eq!(e[0].target.as_deref(), Some("role b (read)"));
        assert_eq!(e[0].chain, [
            "role a",
            "(sts:AssumeRole) → role b (read)",
            "(sts:AssumeRole) → role c (admin)",
        ]);
    }

    #[test]
    fn existing_resources_are_possible_at_lower_confidence() {
        let u = user("u", allow(&["lambda:UpdateFunctionCode"]), &[]);
        let e = escalations(vec![u.clone()], vec![], "u");
        assert!(e.is_empty(), "no function role to reach");
        let e = escalations(vec![u], vec![admin_role("fn", json!({"Service": "lambda.amazonaws.com"}))], "u");
        assert_eq!(paths(&e), ["update-lambda-code"]);
        assert!(e[0].existing_resources);
    }

    #[test]
    fn self_edits_are_capped_by_the_boundary() {
        let mut u = user("u", allow(&["iam:PutUserPolicy", "s3:GetObject"]), &[]);
        let e = escalations(vec![u.clone()], vec![], "u");
        assert_eq!(paths(&e), ["put-user-policy"]);
        u["PermissionsBoundary"] = json!({"PermissionsBoundaryArn": format!("arn:aws:iam::{ACCT}:policy/b")});
        let export = json!({"UserDetailList": [u], "Policies": [{"PolicyName": "b", "Arn": format!("arn:aws:iam::{ACCT}:policy/b"),
            "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
            "Document": allow(&["s3:GetObject", "iam:PutUserPolicy"])}]}]});
        let ids = parse(Path::new("t.json"), &export.to_string()).unwrap().identities;
        assert!(graph_escalations(&ids[0]).is_empty(), "the boundary allows nothing more");
    }
}
