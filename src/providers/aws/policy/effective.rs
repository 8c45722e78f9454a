//! A principal's effective permissions: what its inline, managed and group
//! policies allow, less what an unconditional `Deny` removes, capped by its
//! permissions boundary.
//!
//! Actions are catalogue sets ([`ActionSet`]). Resources are tracked two ways:
//! [`Effective::any`] holds actions allowed on every resource (a `*`-like
//! `Resource`, or a `NotResource`), [`Effective::some`] those allowed on at
//! least one. A `Deny` on `*` removes its actions from both; a `Deny` with a
//! `NotResource` from `any`; a `Deny` on named resources is a carve-out and
//! only counts when a query names one of those resources ([`Target::Arn`]).
//! Conditions are recorded, not evaluated: a conditional `Allow` counts, a
//! conditional `Deny` does not (nhiscan cannot tell when it applies).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{json, Value};

use crate::model::{Evidence, Identity};
use crate::providers::aws::details::{self, AttachedPolicy, IdentityDetails};
use crate::providers::aws::USER;

use super::actions::ActionSet;
use super::catalog::{catalog, AccessLevel, Catalog};
use super::document::statement_of;
use super::{wildcard_match, Effect, PolicyDocument, Statement};

/// Documents of AWS managed policies that exports often leave out, so that
/// they go through the same evaluation (denies, boundaries) as any other.
/// The read-only ones are approximated by their verbs, and [`statements`]
/// keeps only the list and read actions those verbs match (the `bool`).
fn known_managed(arn: &str) -> Option<(Value, bool)> {
    const SID: &str = "AWS managed policy known by name; document not in the export";
    let read_only = || json!(["*:Describe*", "*:Get*", "*:List*", "*:BatchGet*"]);
    let statements = match arn.strip_prefix("arn:aws:iam::aws:policy/")? {
        "AdministratorAccess" => {
            json!([{"Sid": SID, "Effect": "Allow", "Action": "*", "Resource": "*"}])
        }
        "IAMFullAccess" => json!([{"Sid": SID, "Effect": "Allow",
            "Action": ["iam:*", "organizations:Describe*", "organizations:List*"], "Resource": "*"}]),
        "PowerUserAccess" => json!([
            {"Sid": SID, "Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
            {"Sid": SID, "Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole",
                "iam:ListRoles", "organizations:DescribeOrganization", "account:ListRegions"], "Resource": "*"}
        ]),
        "ReadOnlyAccess" | "job-function/ViewOnlyAccess" | "SecurityAudit" => {
            json!([{"Sid": SID, "Effect": "Allow", "Action": read_only(), "Resource": "*"}])
        }
        _ => return None,
    };
    let read_only = statements[0]["Action"] == read_only();
    Some((
        json!({"Version": "2012-10-17", "Statement": statements}),
        read_only,
    ))
}

/// Where a statement comes from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// One of the identity's policies (inline, managed, or a group's).
    Policy(&'a AttachedPolicy),
    /// The permissions boundary, by ARN.
    Boundary(&'a str),
}

/// One statement compiled against the catalogue. A policy document is
/// compiled once ([`compile`]) and its statements are shared by every
/// principal that holds it.
#[derive(Debug)]
pub struct Compiled {
    pub statement: Statement,
    /// Catalogue actions the statement applies to (for `NotAction`, every other action).
    pub actions: ActionSet,
    /// `Action` patterns that match nothing in the catalogue.
    pub unknown: Vec<String>,
    /// Whether it applies to every resource: a `Resource` like `*` or
    /// `arn:aws:iam::*:role/*`, or a `NotResource`.
    pub any_resource: bool,
    /// [`Grant::patterns_in`] answers, by the part of the query set this
    /// statement reaches: the indices of the `Action` patterns that reach it.
    memo: Mutex<HashMap<ActionSet, Arc<Vec<usize>>>>,
}

/// One statement of one of the principal's policies.
#[derive(Debug, Clone)]
pub struct Grant<'a> {
    pub origin: Origin<'a>,
    compiled: Arc<Compiled>,
}

impl std::ops::Deref for Grant<'_> {
    type Target = Compiled;
    fn deref(&self) -> &Compiled {
        &self.compiled
    }
}

/// What a query is about: every resource, or one ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'t> {
    Any,
    Arn(&'t str),
}

impl Compiled {
    fn new(statement: Statement, c: &Catalog, read_only: bool) -> Self {
        let mut actions = ActionSet::empty(c.len());
        let mut unknown = Vec::new();
        let patterns = if statement.not_action.is_empty() {
            &statement.action
        } else {
            &statement.not_action
        };
        for p in patterns {
            let set = c.expand(p);
            if set.is_empty() {
                unknown.push(p.clone());
            }
            actions.union_with(&set);
        }
        if !statement.not_action.is_empty() {
            actions = actions.complement(c.len());
            unknown.clear();
        }
        if read_only {
            actions.intersect_with(&c.levels(&[AccessLevel::List, AccessLevel::Read]));
        }
        let any_resource =
            !statement.not_resource.is_empty() || statement.resource.iter().any(|r| is_broad(r));
        Compiled {
            statement,
            actions,
            unknown,
            any_resource,
            memo: Mutex::new(HashMap::new()),
        }
    }
}

/// A compiled policy document: its statements, and a message for each part
/// that is not a valid policy (kept out of the statements).
#[derive(Debug, Default)]
pub struct CompiledDoc {
    pub statements: Vec<Arc<Compiled>>,
    pub errors: Vec<String>,
}

/// Compiled documents by the address of their shared [`Value`] (held, so the
/// address cannot be reused) or, for AWS managed policies known by name, by ARN.
type Cache = HashMap<usize, (Arc<Value>, Arc<CompiledDoc>)>;
static BY_DOCUMENT: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static BY_NAME: LazyLock<Mutex<HashMap<String, Arc<CompiledDoc>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// A cache's map, even after a panic elsewhere poisoned its lock.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn compile_value(doc: &Value, read_only: bool) -> CompiledDoc {
    let (parsed, errors) = PolicyDocument::parse_lenient(doc);
    let c = catalog();
    CompiledDoc {
        statements: parsed
            .statements
            .into_iter()
            .map(|s| Arc::new(Compiled::new(s, c, read_only)))
            .collect(),
        errors,
    }
}

/// The compiled statements of a policy: its document when it has one, else a
/// known AWS managed policy's, else none. Each document is compiled once per
/// process, however many principals hold it.
pub fn compile(document: Option<&Arc<Value>>, arn: Option<&str>) -> Arc<CompiledDoc> {
    match document {
        Some(d) => {
            let key = Arc::as_ptr(d) as usize;
            if let Some((_, hit)) = lock(&BY_DOCUMENT).get(&key) {
                return Arc::clone(hit);
            }
            let compiled = Arc::new(compile_value(d, false));
            lock(&BY_DOCUMENT).insert(key, (Arc::clone(d), Arc::clone(&compiled)));
            compiled
        }
        None => {
            let Some(arn) = arn else {
                return Arc::default();
            };
            if let Some(hit) = lock(&BY_NAME).get(arn) {
                return Arc::clone(hit);
            }
            let compiled = Arc::new(match known_managed(arn) {
                Some((d, read_only)) => compile_value(&d, read_only),
                None => CompiledDoc::default(),
            });
            lock(&BY_NAME).insert(arn.to_string(), Arc::clone(&compiled));
            compiled
        }
    }
}

impl<'a> Grant<'a> {
    /// Whether the statement names the action text `action` (a pattern or a
    /// concrete action), honouring `NotAction`.
    pub fn names(&self, action: &str) -> bool {
        if self.statement.not_action.is_empty() {
            self.statement
                .action
                .iter()
                .any(|p| wildcard_match(p, action))
        } else {
            !self
                .statement
                .not_action
                .iter()
                .any(|p| wildcard_match(p, action))
        }
    }

    /// Whether the statement applies to `target`. `${aws:username}` in a
    /// resource stands for `user` (the principal's own name, for a user).
    pub fn covers(&self, target: Target, user: Option<&str>) -> bool {
        let arn = match target {
            Target::Any => return self.any_resource,
            Target::Arn(arn) => arn,
        };
        let matches = |pattern: &String| match user {
            Some(u) if pattern.contains("${aws:username}") => {
                wildcard_match(&pattern.replace("${aws:username}", u), arn)
            }
            _ => wildcard_match(pattern, arn),
        };
        if self.statement.not_resource.is_empty() {
            self.statement.resource.iter().any(matches)
        } else {
            !self.statement.not_resource.iter().any(matches)
        }
    }

    /// Evidence naming this statement and `actions`.
    pub fn evidence(&self, actions: Vec<String>) -> Evidence {
        let (policy, via) = match self.origin {
            Origin::Policy(p) => (
                p.arn.clone().unwrap_or_else(|| p.name.clone()),
                p.via.clone(),
            ),
            Origin::Boundary(arn) => (arn.to_string(), "boundary".to_string()),
        };
        Evidence {
            policy,
            via,
            statement: Some(self.statement.label()),
            actions,
            conditions: self.statement.condition_keys(),
        }
    }

    /// The patterns of this statement that reach into `set` (`NotAction a,b`
    /// for a `NotAction` statement), plus unknown patterns `keep` accepts, in
    /// statement order.
    pub fn patterns_in(&self, set: &ActionSet, keep: impl Fn(&str) -> bool) -> Vec<String> {
        if !self.statement.not_action.is_empty() {
            return if self.actions.intersects(set) {
                vec![format!("NotAction {}", self.statement.not_action.join(","))]
            } else {
                Vec::new()
            };
        }
        let live = self.actions.and(set);
        let known = if live.is_empty() {
            Arc::new(Vec::new())
        } else {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            let c = catalog();
            let action = &self.statement.action;
            Arc::clone(memo.entry(live).or_insert_with_key(|live| {
                Arc::new(
                    (0..action.len())
                        .filter(|&i| c.expand(&action[i]).intersects(live))
                        .collect(),
                )
            }))
        };
        self.statement
            .action
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                known.binary_search(i).is_ok() || (keep(p) && self.unknown.contains(p))
            })
            .map(|(_, p)| p.clone())
            .collect()
    }
}

/// Whether a `Resource` entry covers every resource of its kind: `*`, or an
/// ARN whose resource part is `*`, `type/*` or `type:*`.
pub fn is_broad(resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let Some(rest) = resource.strip_prefix("arn:") else {
        return false;
    };
    let mut fields = rest.splitn(5, ':');
    let service = fields.nth(1).unwrap_or_default();
    let Some(part) = fields.nth(2) else {
        return false;
    };
    // S3 resources have no type: `bucket/*` is one bucket's objects.
    part == "*"
        || part == "*/*"
        || service != "s3"
            && part
                .strip_suffix("/*")
                .or_else(|| part.strip_suffix(":*"))
                .is_some_and(|t| {
                    !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
}

/// The effective permissions of one identity.
#[derive(Debug)]
pub struct Effective<'a> {
    pub identity: &'a Identity,
    /// The identity's AWS details (policies, groups, boundary).
    pub details: &'a IdentityDetails,
    /// Allow statements of the identity's policies, in policy order.
    pub allows: Vec<Grant<'a>>,
    /// Unconditional Deny statements, the boundary's included.
    pub denies: Vec<Grant<'a>>,
    /// The boundary's Allow statements, when a boundary with a known document applies.
    pub boundary: Option<Vec<Grant<'a>>>,
    /// Actions allowed on every resource.
    pub any: ActionSet,
    /// Actions allowed on at least one resource.
    pub some: ActionSet,
    /// Unknown action patterns still allowed, with the index of their grant.
    pub unknown: Vec<(usize, String)>,
    /// What each Deny and the boundary removed, for evidence.
    pub capped: Vec<Evidence>,
    /// Policy parts that are not valid policy grammar, one evidence each
    /// (`actions` holds the parser's message). They make the verdict
    /// incomplete: see [`super::privilege::assess`].
    pub malformed: Vec<Evidence>,
}

/// The unconditional Denies on every resource, for checking action patterns
/// the catalogue does not know: exact names in a set, wildcard patterns in a
/// list, so that many unknown actions against many Denies stay near-linear.
struct UnknownDenies<'g> {
    exact: HashSet<String>,
    patterns: Vec<&'g str>,
    not_action: Vec<&'g Grant<'g>>,
}

impl<'g> UnknownDenies<'g> {
    fn new(denies: &'g [Grant<'g>]) -> Self {
        let mut me = UnknownDenies {
            exact: HashSet::new(),
            patterns: Vec::new(),
            not_action: Vec::new(),
        };
        for d in denies.iter().filter(|d| d.any_resource) {
            if !d.statement.not_action.is_empty() {
                me.not_action.push(d);
                continue;
            }
            for p in &d.statement.action {
                if p.contains(['*', '?']) {
                    me.patterns.push(p);
                } else {
                    me.exact.insert(p.to_ascii_lowercase());
                }
            }
        }
        me
    }

    /// Whether some Deny on every resource names `action`.
    fn names(&self, action: &str) -> bool {
        self.exact.contains(&action.to_ascii_lowercase())
            || self.patterns.iter().any(|p| wildcard_match(p, action))
            || self.not_action.iter().any(|d| d.names(action))
    }
}

impl<'a> Effective<'a> {
    /// Evaluates `identity`'s policies. Each document is compiled once
    /// ([`compile`]). A statement that is not a valid policy is left out
    /// and recorded in [`Effective::malformed`]; its valid siblings count.
    pub fn of(identity: &'a Identity) -> Self {
        let details = details::of(identity);
        let mut allows = Vec::new();
        let mut denies = Vec::new();
        let mut malformed = Vec::new();
        for p in &details.policies {
            let doc = compile(p.document.as_ref(), p.arn.as_deref());
            let origin = Origin::Policy(p);
            note_errors(origin, &doc, &mut malformed);
            sort_grants(origin, &doc, &mut allows, &mut denies);
        }
        let boundary = details.permissions_boundary.as_deref().and_then(|arn| {
            let doc = compile(details.permissions_boundary_document.as_ref(), Some(arn));
            note_errors(Origin::Boundary(arn), &doc, &mut malformed);
            if doc.statements.is_empty() {
                return None;
            }
            let mut b = Vec::new();
            sort_grants(Origin::Boundary(arn), &doc, &mut b, &mut denies);
            Some(b)
        });

        let mut any = union(&allows, |g| g.any_resource);
        let mut some = union(&allows, |_| true);
        any.subtract(&union(&denies, |g| g.any_resource));
        some.subtract(&union(&denies, |g| {
            g.any_resource && g.statement.not_resource.is_empty()
        }));
        if let Some(b) = &boundary {
            any.intersect_with(&union(b, |g| g.any_resource));
            some.intersect_with(&union(b, |_| true));
        }
        let mut eff = Effective {
            identity,
            details,
            allows,
            denies,
            boundary,
            any,
            some,
            unknown: Vec::new(),
            capped: Vec::new(),
            malformed,
        };
        let blocked = UnknownDenies::new(&eff.denies);
        eff.unknown = eff
            .allows
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.unknown.iter().map(move |u| (i, u.clone())))
            .filter(|(_, u)| !blocked.names(u) && eff.boundary_names(u))
            .collect();
        eff.capped = eff.capped();
        eff
    }

    /// Whether the boundary, if any, names the action text `action`.
    fn boundary_names(&self, action: &str) -> bool {
        self.boundary
            .as_ref()
            .is_none_or(|b| b.iter().any(|g| g.names(action)))
    }

    /// What each Deny on every resource, and the boundary, removed from the grants.
    fn capped(&self) -> Vec<Evidence> {
        let c = catalog();
        let granted = union(&self.allows, |_| true);
        let unknown = || self.allows.iter().flat_map(|g| &g.unknown);
        let mut by_name: HashMap<String, Vec<&String>> = HashMap::new();
        for u in unknown() {
            by_name.entry(u.to_ascii_lowercase()).or_default().push(u);
        }
        let mut out = Vec::new();
        for d in self.denies.iter().filter(|d| d.any_resource) {
            let mut names = c.describe(&granted.and(&d.actions), 12);
            // Unknown patterns this Deny names: looked up by name for exact
            // actions, so many Denies against many unknown actions stay cheap.
            let exact = d.statement.not_action.is_empty()
                && !d.statement.action.iter().any(|p| p.contains(['*', '?']));
            if exact {
                let mut hit: Vec<&String> = d
                    .statement
                    .action
                    .iter()
                    .filter_map(|p| by_name.get(&p.to_ascii_lowercase()))
                    .flatten()
                    .copied()
                    .collect();
                if !hit.is_empty() {
                    let hit: HashSet<*const String> =
                        hit.drain(..).map(|u| u as *const String).collect();
                    names.extend(
                        unknown()
                            .filter(|u| hit.contains(&(*u as *const String)))
                            .cloned(),
                    );
                }
            } else if !by_name.is_empty() {
                names.extend(unknown().filter(|u| d.names(u)).cloned());
            }
            if !names.is_empty() {
                out.push(d.evidence(names));
            }
        }
        if let (Some(b), Some(arn)) = (&self.boundary, self.details.permissions_boundary.as_deref())
        {
            let mut removed = granted;
            removed.subtract(&union(b, |_| true));
            let mut names = c.describe(&removed, 12);
            names.extend(unknown().filter(|u| !self.boundary_names(u)).cloned());
            if !names.is_empty() {
                out.push(Evidence {
                    policy: arn.to_string(),
                    via: "boundary".into(),
                    statement: None,
                    actions: names,
                    conditions: Vec::new(),
                });
            }
        }
        out
    }

    /// The principal's own name, when `${aws:username}` can stand for it.
    fn user(&self) -> Option<&str> {
        (self.identity.item.kind == USER).then_some(self.identity.item.name.as_str())
    }

    /// The Allow statements that let the principal do catalogue action
    /// `index` on `target`, after denies and the boundary; empty when none does.
    pub fn grants_for(&self, index: usize, target: Target) -> Vec<&Grant<'a>> {
        let user = self.user();
        let applies = |g: &&Grant| g.actions.contains(index) && g.covers(target, user);
        if self.denies.iter().any(|d| applies(&d)) {
            return Vec::new();
        }
        if let Some(b) = &self.boundary {
            if !b.iter().any(|g| applies(&g)) {
                return Vec::new();
            }
        }
        self.allows.iter().filter(applies).collect()
    }
}

/// The union of the actions of the grants `keep` accepts.
fn union(grants: &[Grant], keep: impl Fn(&Grant) -> bool) -> ActionSet {
    let mut set = ActionSet::empty(catalog().len());
    grants
        .iter()
        .filter(|g| keep(g))
        .for_each(|g| set.union_with(&g.actions));
    set
}

/// Records the parts of a compiled document that are not valid policy grammar.
fn note_errors(origin: Origin, doc: &CompiledDoc, out: &mut Vec<Evidence>) {
    let (policy, via) = match origin {
        Origin::Policy(p) => (
            p.arn.clone().unwrap_or_else(|| p.name.clone()),
            p.via.clone(),
        ),
        Origin::Boundary(arn) => (arn.to_string(), "boundary".to_string()),
    };
    for e in &doc.errors {
        let statement = statement_of(e).map(str::to_string);
        out.push(Evidence {
            policy: policy.clone(),
            via: via.clone(),
            statement,
            actions: vec![format!("not a valid policy: {e}")],
            conditions: Vec::new(),
        });
    }
}

/// Sorts the statements of one policy into `allows` and unconditional `denies`.
fn sort_grants<'a>(
    origin: Origin<'a>,
    doc: &CompiledDoc,
    allows: &mut Vec<Grant<'a>>,
    denies: &mut Vec<Grant<'a>>,
) {
    for s in &doc.statements {
        let g = Grant {
            origin,
            compiled: Arc::clone(s),
        };
        match g.statement.effect {
            Effect::Allow => allows.push(g),
            Effect::Deny if g.statement.conditions.is_empty() => denies.push(g),
            Effect::Deny => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aws::details::of_mut;
    use serde_json::json;
    use std::sync::Arc;

    fn user(policies: Vec<AttachedPolicy>) -> Identity {
        crate::providers::aws::details::test_user("111122223333", policies)
    }

    fn policy(name: &str, via: &str, statements: Value) -> AttachedPolicy {
        AttachedPolicy {
            name: name.into(),
            arn: None,
            via: via.into(),
            document: Some(Arc::new(
                json!({"Version": "2012-10-17", "Statement": statements}),
            )),
        }
    }

    fn idx(action: &str) -> usize {
        catalog().find(action).unwrap()
    }

    #[test]
    fn broad_resources() {
        for r in [
            "*",
            "arn:aws:iam::*:role/*",
            "arn:aws:s3:::*",
            "arn:aws:s3:::*/*",
            "arn:aws:lambda:*:1:function:*",
            "arn:aws:iam::1:*",
        ] {
            assert!(is_broad(r), "{r}");
        }
        for r in [
            "arn:aws:iam::*:policy/fn2-*",
            "arn:aws:s3:::b/*",
            "arn:aws:iam::1:user/${aws:username}",
            "x*",
        ] {
            assert!(!is_broad(r), "{r}");
        }
    }

    #[test]
    fn wildcards_and_not_action_expand_against_the_catalogue() {
        let u = user(vec![policy(
            "p",
            "inline",
            json!([
                {"Effect": "Allow", "Action": "s3:Put*", "Resource": "*"},
                {"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}
            ]),
        )]);
        let e = Effective::of(&u);
        assert!(e.any.contains(idx("s3:PutObject")));
        assert!(
            e.any.contains(idx("ec2:RunInstances")),
            "NotAction grants the rest"
        );
        assert!(!e.some.contains(idx("iam:PassRole")));
        assert!(!e.some.contains(idx("sts:AssumeRole")));
        assert_eq!(e.grants_for(idx("s3:PutObject"), Target::Any).len(), 2);
        assert_eq!(e.grants_for(idx("ec2:RunInstances"), Target::Any).len(), 1);
    }

    #[test]
    fn deny_overrides_allow_across_policies_and_by_resource() {
        let u = user(vec![
            policy(
                "allow",
                "managed",
                json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
            ),
            policy(
                "deny",
                "group:g:inline",
                json!([
                    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::secret*"},
                    {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
                ]),
            ),
        ]);
        let e = Effective::of(&u);
        assert!(!e.some.contains(idx("iam:PassRole")), "a Deny on * removes");
        assert!(
            e.any.contains(idx("s3:GetObject")),
            "a carve-out leaves * intact"
        );
        let obj = idx("s3:GetObject");
        assert!(e
            .grants_for(obj, Target::Arn("arn:aws:s3:::secret-bucket/k"))
            .is_empty());
        assert_eq!(
            e.grants_for(obj, Target::Arn("arn:aws:s3:::public/k"))
                .len(),
            1
        );
        assert!(
            e.any.contains(idx("ec2:RunInstances")),
            "a conditional Deny is not counted"
        );
        assert_eq!(e.capped.len(), 1);
        assert_eq!(e.capped[0].via, "group:g:inline");
        assert_eq!(e.capped[0].actions, vec!["iam:*"]);
    }

    #[test]
    fn a_deny_with_not_resource_removes_the_any_resource_grant() {
        let u = user(vec![policy(
            "p",
            "inline",
            json!([
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::mine/*"}
            ]),
        )]);
        let e = Effective::of(&u);
        assert!(!e.any.contains(idx("s3:GetObject")));
        assert!(e.some.contains(idx("s3:GetObject")));
    }

    #[test]
    fn a_boundary_caps_and_says_what_it_removed() {
        let mut u = user(vec![policy(
            "admin",
            "managed",
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        )]);
        of_mut(&mut u).permissions_boundary = Some("arn:aws:iam::111122223333:policy/b".into());
        of_mut(&mut u).permissions_boundary_document = Some(Arc::new(json!({"Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "iam:Get*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}
        ]})));
        let e = Effective::of(&u);
        assert!(e.any.contains(idx("s3:PutObject")));
        assert!(e.any.contains(idx("iam:GetRole")));
        assert!(!e.some.contains(idx("ec2:RunInstances")));
        assert!(!e.any.contains(idx("iam:PassRole")) && e.some.contains(idx("iam:PassRole")));
        let pass = idx("iam:PassRole");
        assert!(e.grants_for(pass, Target::Any).is_empty());
        assert_eq!(
            e.grants_for(pass, Target::Arn("arn:aws:iam::111122223333:role/app"))
                .len(),
            1
        );
        let cap = e.capped.iter().find(|c| c.via == "boundary").unwrap();
        assert_eq!(cap.policy, "arn:aws:iam::111122223333:policy/b");
        assert_eq!(cap.actions.len(), 13, "12 services, then how many more");
        assert!(cap.actions[12].starts_with('+'), "{:?}", cap.actions);

        // What it removed, when that is short: all of IAM.
        let mut v = user(vec![policy(
            "p",
            "inline",
            json!([{"Effect": "Allow", "Action": ["iam:*", "s3:*"], "Resource": "*"}]),
        )]);
        of_mut(&mut v).permissions_boundary = details::of(&u).permissions_boundary.clone();
        of_mut(&mut v).permissions_boundary_document = Some(Arc::new(
            json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
        ));
        let e = Effective::of(&v);
        assert_eq!(e.capped.len(), 1);
        assert_eq!(e.capped[0].actions, ["iam:*"]);
        assert_eq!(e.capped[0].statement, None);

        // A boundary whose document the export lacks is not applied.
        of_mut(&mut u).permissions_boundary_document = None;
        let e = Effective::of(&u);
        assert!(e.boundary.is_none());
        assert!(e.any.contains(idx("ec2:RunInstances")));
    }

    #[test]
    fn group_policies_count_like_the_users_own() {
        let u = user(vec![policy(
            "g",
            "group:admins:managed",
            json!([{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]),
        )]);
        let e = Effective::of(&u);
        let g = e.grants_for(idx("iam:AttachUserPolicy"), Target::Any);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].evidence(vec![]).via, "group:admins:managed");
    }

    #[test]
    fn self_targets_resolve_aws_username() {
        let u = user(vec![policy(
            "self",
            "inline",
            json!([
                {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "arn:aws:iam::*:user/${aws:username}"}
            ]),
        )]);
        let e = Effective::of(&u);
        let put = idx("iam:PutUserPolicy");
        assert!(e.grants_for(put, Target::Any).is_empty());
        assert_eq!(
            e.grants_for(put, Target::Arn("arn:aws:iam::111122223333:user/u"))
                .len(),
            1
        );
        assert!(e
            .grants_for(put, Target::Arn("arn:aws:iam::111122223333:user/other"))
            .is_empty());
    }

    #[test]
    fn known_managed_policies_without_documents_are_evaluated() {
        let admin = AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
            via: "managed".into(),
            document: None,
        };
        let u = user(vec![admin]);
        let e = Effective::of(&u);
        assert_eq!(e.any.len(), catalog().len());
        let unknown = AttachedPolicy {
            name: "Custom".into(),
            arn: Some("arn:aws:iam::111122223333:policy/Custom".into()),
            via: "managed".into(),
            document: None,
        };
        assert!(Effective::of(&user(vec![unknown])).some.is_empty());
    }

    #[test]
    fn unknown_actions_are_kept_unless_denied() {
        let u = user(vec![policy(
            "p",
            "inline",
            json!([
                {"Effect": "Allow", "Action": ["newsvc:DoThing", "newsvc:GetThing"], "Resource": "*"},
                {"Effect": "Deny", "Action": "newsvc:Do*", "Resource": "*"}
            ]),
        )]);
        let e = Effective::of(&u);
        assert_eq!(e.unknown, vec![(0, "newsvc:GetThing".to_string())]);
        assert_eq!(e.capped[0].actions, vec!["newsvc:DoThing"]);
    }
}
