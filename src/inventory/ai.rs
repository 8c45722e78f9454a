//! AI-identity classification, shared by every provider. Every identity and
//! credential gets `ai: true|false` and the reason.
//!
//! An identity is an AI identity when, first match wins:
//! - it is a service account or workspace of an AI platform (OpenAI, Anthropic);
//!   the platform's human users are not, though the keys they hold are;
//! - it is an AWS principal with a tag from `ai_tags` (default `nhi-type=ai-agent`);
//! - it is a non-human AWS role whose trust policy lets in a service from
//!   `ai_trusted_services` (default `bedrock.amazonaws.com`, `sagemaker.amazonaws.com`);
//! - it is a non-human AWS principal whose name matches `ai_name_patterns`
//!   (case-insensitive; defaults `*agent*`, `*llm*`, `*bedrock*`, ...);
//! - it is a GitHub App whose slug is in `ai_github_apps` ([`GITHUB_APPS`]).
//!
//! A credential is AI when it is an AI platform's key, or when its holder is an
//! AI identity. A human's console password never is.

use crate::config::Loaded;
use crate::inventory::enrich::matching_tag;
use crate::inventory::{Identity, Item, Provider};
use crate::policy::document::Principal;
use crate::policy::{Effect, PolicyDocument};

/// The default `ai_github_apps`: slugs of GitHub Apps that are AI coding
/// agents or AI reviewers.
pub const GITHUB_APPS: &[&str] = &[
    "copilot-swe-agent",
    "copilot-pull-request-reviewer",
    "claude",
    "chatgpt-codex-connector",
    "cursor",
    "devin-ai-integration",
    "google-labs-jules",
    "gemini-code-assist",
    "amazon-q-developer",
    "coderabbitai",
    "sweep-ai",
    "sourcery-ai",
    "ellipsis-dev",
    "greptile-apps",
    "qodo-merge-pro",
];

/// Sets `ai` and `ai_reason` on an identity and its credentials. Runs after
/// the human/non-human classification, which it relies on.
pub fn classify(identity: &mut Identity, config: &Loaded) {
    let (ai, reason) = identity_verdict(identity, config);
    identity.item.ai = ai;
    identity.item.ai_reason = reason;
    let holder = &identity.item;
    for c in &mut identity.credentials {
        let (ai, reason) = credential_verdict(&c.item, holder);
        c.item.ai = ai;
        c.item.ai_reason = reason;
    }
}

fn identity_verdict(identity: &Identity, config: &Loaded) -> (bool, String) {
    let item = &identity.item;
    match item.provider {
        Provider::Openai | Provider::Anthropic if item.human => (
            false,
            format!(
                "human {} user; the keys they hold are AI credentials",
                platform(item.provider)
            ),
        ),
        Provider::Openai | Provider::Anthropic => {
            (true, format!("{} {}", platform(item.provider), item.kind))
        }
        Provider::Aws => aws(identity, config),
        Provider::Github => github(item, config),
    }
}

fn aws(identity: &Identity, config: &Loaded) -> (bool, String) {
    let c = &config.config.classification;
    if let Some(tag) = matching_tag(identity, &c.ai_tags) {
        return (true, format!("tag {tag}"));
    }
    if identity.item.human {
        return (false, "human identity".into());
    }
    if let Some(service) = trusted_ai_service(identity, &c.ai_trusted_services) {
        return (true, format!("trust policy lets in {service}"));
    }
    if let Some(i) = config
        .ai_names
        .iter()
        .position(|g| g.is_match(&identity.item.name))
    {
        return (true, format!("name matches {}", c.ai_name_patterns[i]));
    }
    (
        false,
        "no AI tag, trusted AI service or AI name pattern".into(),
    )
}

/// The first of `services` an Allow statement of the role's trust policy lets in.
fn trusted_ai_service<'a>(identity: &Identity, services: &'a [String]) -> Option<&'a str> {
    let doc = PolicyDocument::parse(identity.trust_policy.as_ref()?).ok()?;
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

fn github(item: &Item, config: &Loaded) -> (bool, String) {
    let apps = &config.config.classification.ai_github_apps;
    match apps.iter().find(|s| s.eq_ignore_ascii_case(&item.name)) {
        Some(slug) if !item.human => (true, format!("GitHub App {slug} is in ai_github_apps")),
        _ => (false, "not in ai_github_apps".into()),
    }
}

/// The platform's name as its vendor writes it.
fn platform(provider: Provider) -> &'static str {
    match provider {
        Provider::Openai => "OpenAI",
        Provider::Anthropic => "Anthropic",
        Provider::Aws => "AWS",
        Provider::Github => "GitHub",
    }
}

fn credential_verdict(c: &Item, holder: &Item) -> (bool, String) {
    if c.human {
        (false, "human credential".into())
    } else if matches!(c.provider, Provider::Openai | Provider::Anthropic) {
        (true, format!("{} {}", platform(c.provider), c.kind))
    } else if holder.ai {
        (true, format!("held by AI {} {}", holder.kind, holder.name))
    } else {
        (
            false,
            format!(
                "held by {} {}, not an AI identity",
                holder.kind, holder.name
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Credential, Kind};
    use serde_json::json;
    use std::path::Path;

    fn identity(provider: Provider, kind: Kind, name: &str) -> Identity {
        Identity::new(Item::new(
            format!("{provider}:x/{kind}/{name}"),
            provider,
            "x".into(),
            kind,
            name.into(),
        ))
    }

    fn with_key(mut i: Identity, kind: Kind) -> Identity {
        let id = format!("{}/{kind}/1", i.item.id);
        let item = Item::new(id, i.item.provider, "x".into(), kind, "k".into());
        i.credentials.push(Credential {
            item,
            parent_id: i.item.id.clone(),
            native_id: None,
            last_used_service: None,
            last_used_region: None,
            hint: None,
        });
        i
    }

    fn verdict(mut i: Identity, config: &Loaded) -> Identity {
        classify(&mut i, config);
        i
    }

    fn role(name: &str, service: &str) -> Identity {
        let mut r = identity(Provider::Aws, Kind::Role, name);
        r.trust_policy = Some(json!({"Statement": [{"Effect": "Allow",
            "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}));
        r
    }

    #[test]
    fn aws_tags_trust_and_names_in_that_order() {
        let d = Loaded::defaults();
        let mut tagged = identity(Provider::Aws, Kind::User, "etl");
        tagged.tags.insert("nhi-type".into(), "AI-Agent".into());
        let i = verdict(with_key(tagged, Kind::AccessKey), &d);
        assert_eq!(
            (i.item.ai, i.item.ai_reason.as_str()),
            (true, "tag nhi-type=ai-agent")
        );
        assert!(
            i.credentials[0].item.ai,
            "its key is held by an AI identity"
        );
        assert_eq!(i.credentials[0].item.ai_reason, "held by AI user etl");

        let r = verdict(role("orders", "bedrock.amazonaws.com"), &d);
        assert_eq!(
            r.item.ai_reason,
            "trust policy lets in bedrock.amazonaws.com"
        );
        let r = verdict(role("BedrockAgentRole", "lambda.amazonaws.com"), &d);
        assert_eq!(r.item.ai_reason, "name matches *agent*");
        let r = verdict(role("orders", "lambda.amazonaws.com"), &d);
        assert!(!r.item.ai, "{}", r.item.ai_reason);

        let mut human = identity(Provider::Aws, Kind::User, "llm-researcher");
        human.item.human = true;
        let h = verdict(with_key(human, Kind::AccessKey), &d);
        assert!(!h.item.ai, "a person whose name matches is not an AI");
        assert!(!h.credentials[0].item.ai);
    }

    #[test]
    fn ai_platform_service_accounts_and_keys_are_ai_their_users_are_not() {
        let d = Loaded::defaults();
        let sa = verdict(
            with_key(
                identity(Provider::Openai, Kind::ServiceAccount, "ci"),
                Kind::ApiKey,
            ),
            &d,
        );
        assert!(sa.item.ai && sa.credentials[0].item.ai);
        assert_eq!(sa.item.ai_reason, "OpenAI service-account");
        let mut user = identity(Provider::Anthropic, Kind::User, "ada@example.com");
        user.item.human = true;
        let u = verdict(with_key(user, Kind::ApiKey), &d);
        assert!(!u.item.ai);
        assert_eq!(
            (
                u.credentials[0].item.ai,
                u.credentials[0].item.ai_reason.as_str()
            ),
            (true, "Anthropic api-key")
        );
    }

    #[test]
    fn github_apps_by_configured_slug() {
        let d = Loaded::defaults();
        let a = verdict(identity(Provider::Github, Kind::User, "CodeRabbitAI"), &d);
        assert!(a.item.ai, "{}", a.item.ai_reason);
        let b = verdict(identity(Provider::Github, Kind::User, "dependabot"), &d);
        assert!(!b.item.ai);
        let own = Loaded::parse(
            "[classification]\nai_github_apps = [\"our-review-bot\"]\n",
            Path::new("nhiscan.toml"),
        )
        .unwrap();
        assert!(
            verdict(
                identity(Provider::Github, Kind::User, "our-review-bot"),
                &own
            )
            .item
            .ai
        );
        assert!(
            !verdict(identity(Provider::Github, Kind::User, "coderabbitai"), &own)
                .item
                .ai
        );
    }
}
