//! AWS's part of enrichment: privilege from policies, service-linked roles,
//! human/non-human classification and AI identities.
//!
//! Classification of an IAM principal, first match wins:
//! 1. the root user is human; roles are non-human, except IAM Identity
//!    Center (SSO) roles, which people assume; server certificates and
//!    identity providers are non-human;
//! 2. a user with a tag from `service_tags` or `ai_tags` is non-human, with
//!    one from `human_tags` human;
//! 3. the name matches `service_name_patterns`, or the path matches
//!    `[providers.aws] service_path_patterns` → non-human;
//! 4. a console password on record → human (the usual human user has MFA too);
//! 5. otherwise (access keys and no console password, or nothing at all) → non-human.
//!
//! An AWS principal is an AI identity when, first match wins: it has a tag
//! from `ai_tags`; (unless human) it is a role whose trust policy lets in a
//! service from `[providers.aws] ai_trusted_services`; its name matches
//! `ai_name_patterns`.

use std::sync::Arc;

use super::config::Settings;
use super::details::{self, IdentityDetails};
use super::policy::document::Principal;
use super::policy::{privilege, trust, Effect, PolicyDocument};
use super::{ACCESS_KEY, OIDC_PROVIDER, PASSWORD, ROLE, ROOT, SAML_PROVIDER, SERVER_CERTIFICATE};
use crate::config::Loaded;
use crate::model::{Identity, Owner, OwnerSource, TrustGrant};

/// Privilege from policies and the trust policy; service-linked roles are
/// managed by AWS, which owns them.
pub fn assess(identity: &mut Identity) {
    let mut privilege = privilege::assess(identity);
    let d = details::of(identity);
    let role = identity.item.kind == ROLE;
    if let (true, Some(doc)) = (role, &d.trust_policy) {
        privilege.broad_trust = trust::broad_grants(doc, &identity.item.scope)
            .into_iter()
            .map(|g| TrustGrant {
                statement: g.statement,
                reason: g.reason,
            })
            .collect();
    }
    let linked = role && d.service_linked();
    let item = &mut identity.item;
    item.privilege = Arc::new(privilege);
    item.platform_managed = linked;
    if linked && item.reported.owner.is_none() {
        item.reported.owner = Some(Owner {
            name: super::ID.into(),
            source: OwnerSource::Provider,
            evidence: "service-linked role".into(),
            departed: false,
        });
    }
}

/// `(human, reason)` for an AWS identity.
pub fn classify(identity: &Identity, config: &Loaded) -> (bool, String) {
    let item = &identity.item;
    let d = details::of(identity);
    let kind = item.kind;
    if kind == ROOT {
        return (true, "root user of the account".into());
    }
    if kind == ROLE {
        let sso = d
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("/aws-reserved/sso.amazonaws.com/"));
        return if sso {
            (true, "IAM Identity Center role, assumed by people".into())
        } else {
            (false, "IAM role".into())
        };
    }
    if kind == SERVER_CERTIFICATE {
        return (false, "TLS server certificate".into());
    }
    if kind == OIDC_PROVIDER {
        return (false, "OIDC identity provider".into());
    }
    if kind == SAML_PROVIDER {
        return (false, "SAML identity provider".into());
    }
    if let Some(verdict) = config.human_marker(&identity.tags, &item.name) {
        return verdict;
    }
    if let Some(pattern) = d
        .path
        .as_deref()
        .and_then(|p| Settings::of(config).service_path(p))
    {
        return (false, format!("path matches {pattern}"));
    }
    let has = |kind| identity.credentials.iter().any(|c| c.item.kind == kind);
    match (has(PASSWORD), d.mfa_active) {
        (true, Some(true)) => (true, "console password with MFA".into()),
        (true, _) => (true, "console password (no MFA)".into()),
        (false, _) if has(ACCESS_KEY) => (false, "access keys and no console password".into()),
        (false, _) => (false, "no console password on record".into()),
    }
}

/// `(ai, reason)` for an AWS identity. Runs after [`classify`].
pub fn ai(identity: &Identity, config: &Loaded) -> (bool, String) {
    let c = &config.config.classification;
    if let Some(tag) = Loaded::matching_tag(&identity.tags, &c.ai_tags) {
        return (true, format!("tag {tag}"));
    }
    if identity.item.human {
        return (false, "human identity".into());
    }
    let services = &Settings::of(config).ai_trusted_services;
    if let Some(service) = trusted_ai_service(details::of(identity), services) {
        return (true, format!("trust policy lets in {service}"));
    }
    if let Some(pattern) = config.ai_name(&identity.item.name) {
        return (true, format!("name matches {pattern}"));
    }
    (
        false,
        "no AI tag, trusted AI service or AI name pattern".into(),
    )
}

/// The first of `services` an Allow statement of the role's trust policy lets in.
fn trusted_ai_service<'a>(d: &IdentityDetails, services: &'a [String]) -> Option<&'a str> {
    // Valid statements count even beside a bad one; the bad one is reported
    // as a broad trust grant by [`assess`].
    let (doc, _) = PolicyDocument::parse_lenient(d.trust_policy.as_deref()?);
    let trusted: Vec<&String> = doc
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .filter_map(|s| match &s.principal {
            Some(Principal::Typed(m)) => m.get("Service"),
            _ => None,
        })
        .flatten()
        .collect();
    services
        .iter()
        .find(|want| trusted.iter().any(|t| t.eq_ignore_ascii_case(want)))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Schema;
    use crate::model::{Credential, Inventory, Item, Kind, PrivilegeLevel};
    use crate::providers::aws::details::{of_mut, AttachedPolicy};
    use crate::providers::aws::{CERTIFICATE, ID, USER};
    use crate::scan::enrich::enrich;
    use serde_json::json;
    use std::path::Path;

    fn user(name: &str, path: &str) -> Identity {
        let id = format!("arn:aws:iam::123456789012:user{path}{name}");
        let mut i = Identity::new(Item::new(id, ID, "123456789012".into(), USER, name.into()));
        of_mut(&mut i).path = Some(path.into());
        i
    }

    fn role(name: &str, path: &str) -> Identity {
        let mut r = Identity::new(Item::new(
            format!("arn:aws:iam::123456789012:role{path}{name}"),
            ID,
            "123456789012".into(),
            ROLE,
            name.into(),
        ));
        of_mut(&mut r).path = Some(path.into());
        r
    }

    fn trusting(name: &str, service: &str) -> Identity {
        let mut r = role(name, "/");
        of_mut(&mut r).trust_policy = Some(Arc::new(json!({"Statement": [{"Effect": "Allow",
            "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})));
        r
    }

    fn add(identity: &mut Identity, kind: Kind, slot: &str) {
        let id = format!("{}/{kind}{slot}", identity.item.id);
        let item = Item::new(
            id,
            ID,
            identity.item.scope.clone(),
            kind,
            format!("{kind}{slot}"),
        );
        identity
            .credentials
            .push(Credential::new(&identity.item, item));
    }

    fn config(text: &str) -> Loaded {
        let schema = Schema {
            rules: Vec::new(),
            sections: vec![&super::super::config::AwsSection],
        };
        Loaded::parse(text, Path::new("nhiscan.toml"), &schema).unwrap()
    }

    fn run(identities: Vec<Identity>, config: &Loaded) -> Inventory {
        let mut inv = Inventory::default();
        for i in identities {
            inv.add(i);
        }
        enrich(&mut inv, config);
        inv
    }

    fn get<'a>(inv: &'a Inventory, name: &str) -> &'a Identity {
        inv.identities().find(|i| i.item.name == name).unwrap()
    }

    #[test]
    fn classification_follows_the_documented_order() {
        let mut alice = user("alice", "/");
        add(&mut alice, PASSWORD, "");
        add(&mut alice, ACCESS_KEY, "/1");
        of_mut(&mut alice).mfa_active = Some(true);
        let mut tagged = user("alice2", "/");
        add(&mut tagged, PASSWORD, "");
        tagged.tags.insert("nhi-type".into(), "Service".into());
        let mut keys_only = user("reporting", "/");
        add(&mut keys_only, ACCESS_KEY, "/1");
        let mut svc = user("svc-backup", "/");
        add(&mut svc, PASSWORD, "");
        let pathy = user("deployer", "/ci/");
        let mut carol = user("carol", "/");
        add(&mut carol, PASSWORD, "");
        let bare = user("bare", "/");

        let inv = run(
            vec![alice, tagged, keys_only, svc, pathy, carol, bare],
            &Loaded::defaults(),
        );
        let a = get(&inv, "alice");
        assert!(a.item.human, "{}", a.item.human_reason);
        assert_eq!(a.item.human_reason, "console password with MFA");
        // Alice's key is a machine credential she owns; her password is human.
        let key = a
            .credentials
            .iter()
            .find(|c| c.item.kind == ACCESS_KEY)
            .unwrap();
        assert!(!key.item.human);
        let owner = key.item.owner.as_ref().unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.source),
            ("alice", OwnerSource::Holder)
        );
        let password = a
            .credentials
            .iter()
            .find(|c| c.item.kind == PASSWORD)
            .unwrap();
        assert!(password.item.human);
        assert_eq!(
            password.item.human_reason,
            "console password of a human user"
        );

        assert_eq!(
            get(&inv, "alice2").item.human_reason,
            "tag nhi-type=service"
        );
        assert_eq!(
            get(&inv, "reporting").item.human_reason,
            "access keys and no console password"
        );
        assert_eq!(
            get(&inv, "svc-backup").item.human_reason,
            "name matches svc-*"
        );
        assert_eq!(
            get(&inv, "deployer").item.human_reason,
            "path matches */ci/*"
        );
        assert!(!get(&inv, "deployer").item.human);
        assert_eq!(
            get(&inv, "carol").item.human_reason,
            "console password (no MFA)"
        );
        assert_eq!(
            get(&inv, "bare").item.human_reason,
            "no console password on record"
        );
    }

    #[test]
    fn service_path_patterns_come_from_the_aws_section() {
        let own = config("[providers.aws]\nservice_path_patterns = [\"/robots/*\"]\n");
        let inv = run(vec![user("deployer", "/ci/"), user("r2", "/robots/")], &own);
        assert_eq!(
            get(&inv, "deployer").item.human_reason,
            "no console password on record"
        );
        assert_eq!(get(&inv, "r2").item.human_reason, "path matches /robots/*");
    }

    #[test]
    fn owners_from_config_last_match_wins_then_tags_then_inherited() {
        let config = config(
            "[[owners]]\nmatch = \"arn:aws:iam::*:user/ci/*\"\nowner = \"platform\"\n\n[[owners]]\nmatch = \"*/ci/deployer\"\nowner = \"release-team\"\n",
        );
        let mut deployer = user("deployer", "/ci/");
        deployer.tags.insert("owner".into(), "someone-else".into());
        add(&mut deployer, ACCESS_KEY, "/1");
        let mut etl = user("etl", "/");
        etl.tags.insert("team".into(), "data".into());
        add(&mut etl, ACCESS_KEY, "/1");
        let orphan = user("orphan", "/");

        let inv = run(vec![deployer, etl, orphan], &config);
        let d = get(&inv, "deployer");
        let o = d.item.owner.as_ref().unwrap();
        assert_eq!(
            (o.name.as_str(), o.source),
            ("release-team", OwnerSource::Config)
        );
        assert_eq!(
            d.credentials[0].item.owner.as_ref().unwrap().name,
            "release-team"
        );
        let e = get(&inv, "etl");
        let o = e.item.owner.as_ref().unwrap();
        assert_eq!(
            (o.name.as_str(), o.source, o.evidence.as_str()),
            ("data", OwnerSource::Tag, "tag team")
        );
        assert_eq!(e.credentials[0].item.owner, e.item.owner);
        assert!(get(&inv, "orphan").item.owner.is_none());
    }

    #[test]
    fn roles_root_and_service_linked() {
        let root = Identity::new(Item::new(
            "arn:aws:iam::123456789012:root".into(),
            ID,
            "123456789012".into(),
            ROOT,
            "root".into(),
        ));
        let inv = run(
            vec![
                role(
                    "AWSServiceRoleForSupport",
                    "/aws-service-role/support.amazonaws.com/",
                ),
                role("AWSReservedSSO_Admin_1", "/aws-reserved/sso.amazonaws.com/"),
                role("app", "/"),
                root,
            ],
            &Loaded::defaults(),
        );
        let linked = get(&inv, "AWSServiceRoleForSupport");
        let owner = linked.item.owner.as_ref().unwrap();
        assert_eq!(
            (owner.name.as_str(), owner.source, owner.evidence.as_str()),
            ("aws", OwnerSource::Provider, "service-linked role")
        );
        assert!(linked.item.platform_managed && !linked.is_customer_role());
        let sso = get(&inv, "AWSReservedSSO_Admin_1");
        assert!(sso.item.human);
        assert_eq!(
            sso.item.human_reason,
            "IAM Identity Center role, assumed by people"
        );
        let app = get(&inv, "app");
        assert_eq!(
            (app.item.human, app.item.human_reason.as_str()),
            (false, "IAM role")
        );
        assert!(app.is_customer_role());
        let root = get(&inv, "root");
        assert_eq!(
            (root.item.human, root.item.human_reason.as_str()),
            (true, "root user of the account")
        );
        assert_eq!(root.item.privilege.level, PrivilegeLevel::Unknown);
    }

    #[test]
    fn privilege_and_broad_trust_are_assessed_and_keys_share_it() {
        let mut u = user("admin-bot", "/");
        of_mut(&mut u).policies_known = true;
        of_mut(&mut u).policies.push(AttachedPolicy {
            name: "AdministratorAccess".into(),
            arn: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
            via: "managed".into(),
            document: None,
        });
        add(&mut u, ACCESS_KEY, "/1");
        add(&mut u, CERTIFICATE, "/1");
        let mut open = role("open", "/");
        of_mut(&mut open).trust_policy = Some(Arc::new(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
        ]})));
        let inv = run(vec![u, open], &Loaded::defaults());
        let u = get(&inv, "admin-bot");
        assert_eq!(u.item.privilege.level, PrivilegeLevel::Admin);
        for c in &u.credentials {
            assert!(Arc::ptr_eq(&c.item.privilege, &u.item.privilege));
        }
        let open = get(&inv, "open");
        assert_eq!(open.item.privilege.level, PrivilegeLevel::Unknown);
        assert_eq!(
            open.item.privilege.broad_trust,
            [TrustGrant {
                statement: "0".into(),
                reason: "allows any AWS principal (*) to assume it".into()
            }]
        );
    }

    #[test]
    fn certificates_and_identity_providers() {
        let item = |kind: Kind, name: &str| {
            Identity::new(Item::new(
                format!("arn:aws:iam::123456789012:{kind}/{name}"),
                ID,
                "123456789012".into(),
                kind,
                name.into(),
            ))
        };
        let inv = run(
            vec![
                item(SERVER_CERTIFICATE, "www"),
                item(OIDC_PROVIDER, "token.actions.githubusercontent.com"),
                item(SAML_PROVIDER, "okta"),
            ],
            &Loaded::defaults(),
        );
        let reason = |name: &str| get(&inv, name).item.human_reason.clone();
        assert_eq!(reason("www"), "TLS server certificate");
        assert_eq!(
            reason("token.actions.githubusercontent.com"),
            "OIDC identity provider"
        );
        assert_eq!(reason("okta"), "SAML identity provider");
    }

    #[test]
    fn an_ai_agent_tag_makes_a_user_non_human_and_ai() {
        let mut agent = user("helper", "/");
        add(&mut agent, PASSWORD, "");
        agent.tags.insert("nhi-type".into(), "ai-agent".into());
        let inv = run(vec![agent], &Loaded::defaults());
        let a = get(&inv, "helper");
        assert_eq!(
            (a.item.human, a.item.human_reason.as_str()),
            (false, "tag nhi-type=ai-agent")
        );
        assert!(a.item.ai && a.credentials[0].item.ai);
    }

    #[test]
    fn ai_tags_trust_and_names_in_that_order() {
        let d = Loaded::defaults();
        let mut tagged = user("etl", "/");
        tagged.tags.insert("nhi-type".into(), "AI-Agent".into());
        add(&mut tagged, ACCESS_KEY, "/1");
        let mut human = user("llm-researcher", "/");
        human.tags.insert("nhi-type".into(), "human".into());
        add(&mut human, ACCESS_KEY, "/1");
        let inv = run(
            vec![
                tagged,
                trusting("orders", "bedrock.amazonaws.com"),
                trusting("BedrockAgentRole", "lambda.amazonaws.com"),
                trusting("orders-lambda", "lambda.amazonaws.com"),
                human,
            ],
            &d,
        );
        let i = get(&inv, "etl");
        assert_eq!(
            (i.item.ai, i.item.ai_reason.as_str()),
            (true, "tag nhi-type=ai-agent")
        );
        assert!(
            i.credentials[0].item.ai,
            "its key is held by an AI identity"
        );
        assert_eq!(i.credentials[0].item.ai_reason, "held by AI user etl");
        assert_eq!(
            get(&inv, "orders").item.ai_reason,
            "trust policy lets in bedrock.amazonaws.com"
        );
        assert_eq!(
            get(&inv, "BedrockAgentRole").item.ai_reason,
            "name matches *agent*"
        );
        let r = get(&inv, "orders-lambda");
        assert_eq!(
            (r.item.ai, r.item.ai_reason.as_str()),
            (false, "no AI tag, trusted AI service or AI name pattern")
        );
        let h = get(&inv, "llm-researcher");
        assert!(h.item.human);
        assert_eq!(
            (h.item.ai, h.item.ai_reason.as_str()),
            (false, "human identity"),
            "a person whose name matches is not an AI"
        );
        assert!(!h.credentials[0].item.ai);
        assert_eq!(
            h.credentials[0].item.ai_reason,
            "held by user llm-researcher, not an AI identity"
        );
    }

    #[test]
    fn ai_trusted_services_come_from_the_aws_section() {
        let own = config("[providers.aws]\nai_trusted_services = [\"lambda.amazonaws.com\"]\n");
        let inv = run(
            vec![
                trusting("orders", "bedrock.amazonaws.com"),
                trusting("fn", "LAMBDA.amazonaws.com"),
            ],
            &own,
        );
        assert!(!get(&inv, "orders").item.ai);
        assert_eq!(
            get(&inv, "fn").item.ai_reason,
            "trust policy lets in lambda.amazonaws.com"
        );
    }
}
