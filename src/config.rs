//! `nhiscan.toml`: thresholds, classification, owners, rule settings and
//! suppressions.
//!
//! Parsing is strict: an unknown key is an error that names it. After parsing,
//! [`Config::load`] validates everything at once (unknown rule ids, bad globs,
//! empty reasons, bad dates) and reports every problem with its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::error::Error;
use std::any::Any;
use std::sync::Arc;

use crate::model::Severity;

/// The whole config. Every section is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub thresholds: Thresholds,
    pub classification: Classification,
    pub owners: Vec<OwnerEntry>,
    pub rules: BTreeMap<String, RuleSettings>,
    pub suppress: Vec<Suppression>,
    /// `[providers.<id>]`: each provider's own section, validated by the provider.
    pub providers: BTreeMap<String, toml::Table>,
}

/// What a config is validated against: the rule ids and the providers'
/// sections. Built from the registries by the caller; config imports neither.
#[derive(Default)]
pub struct Schema {
    pub rules: Vec<&'static str>,
    pub sections: Vec<&'static dyn Section>,
}

/// Deserializes a provider's `[providers.<id>]` table (absent: the
/// defaults), pushing a problem and using the defaults when it is invalid.
pub fn parse_section<T: serde::de::DeserializeOwned + Default>(
    id: &str,
    table: Option<&toml::Table>,
    problems: &mut Vec<String>,
) -> T {
    let Some(table) = table else {
        return T::default();
    };
    toml::Value::Table(table.clone())
        .try_into::<T>()
        .unwrap_or_else(|e| {
            problems.push(format!("[providers.{id}]: {}", e.message().trim()));
            T::default()
        })
}

/// A provider's `[providers.<id>]` section.
pub trait Section: Sync {
    /// The provider id that names the section.
    fn id(&self) -> &'static str;
    /// Validates the section (absent: `None`), pushing every problem, and
    /// returns the typed settings the provider reads back with [`Loaded::section`].
    fn parse(
        &self,
        table: Option<&toml::Table>,
        problems: &mut Vec<String>,
    ) -> Arc<dyn Any + Send + Sync>;
    /// The section at its defaults, every key written out, for `nhiscan
    /// init` (usually [`section_defaults`] of the type `parse` reads).
    /// `None` leaves the section out of the starter file, which a test
    /// refuses.
    fn defaults(&self) -> Option<toml::Table> {
        None
    }
}

/// Every key of a section type at its default, as TOML.
pub fn section_defaults<T: Serialize + Default>() -> toml::Table {
    toml::Table::try_from(T::default()).expect("a config section serializes as a TOML table")
}

/// The `nhiscan.toml` that `nhiscan init` writes: every setting commented
/// out at its default, written from the defaults themselves: `[thresholds]`,
/// `[classification]`, each provider's `[providers.<id>]` section (from
/// `schema`, so from the provider registry) and each rule's `[rules.<id>]`
/// (`rules`: id and default severity). Uncommenting every setting line
/// gives the default config (a test checks it).
pub fn starter(schema: &Schema, rules: &[(&str, Severity)]) -> String {
    let defaults = Config::default();
    let mut text = String::from(
        "# nhiscan.toml, written by `nhiscan init`.\n\
         #\n\
         # Every setting is shown commented out at its default: uncomment a line to\n\
         # change it. docs/configuration.md describes each one.\n\n\
         # Day counts for the lifecycle rules; [thresholds.ai] holds the stricter\n\
         # limits for AI identities and credentials.\n",
    );
    text.push_str(&commented(&["thresholds"], &defaults.thresholds));
    text.push_str(
        "\n# How items are classified and owned. Tags are key=value; patterns are globs.\n",
    );
    text.push_str(&commented(&["classification"], &defaults.classification));
    for section in &schema.sections {
        let id = section.id();
        text.push_str(&format!(
            "\n# The {id} provider's own settings (docs/configuration.md).\n"
        ));
        match section.defaults() {
            Some(table) => text.push_str(&commented(&["providers", id], &table)),
            None => text.push_str(&format!("# [providers.{id}]\n")),
        }
    }
    text.push_str(
        "
# Owners by glob on item ids; the last match wins. None by default, e.g.:
#   [[owners]]
#   match = \"arn:aws:iam::123456789012:user/ci/*\"
#   owner = \"platform-team\"

# Suppressions: none by default. A reason is required; expires is optional, e.g.:
#   [[suppress]]
#   rule = \"missing-owner\"
#   identity = \"arn:aws:iam::*:role/legacy-*\"
#   reason = \"Legacy roles, owned by the migration project (JIRA-123)\"
#   expires = 2027-03-31

# Each rule's severity (low | medium | high | critical) and whether it runs.
",
    );
    for (id, severity) in rules {
        let mut table = toml::Table::new();
        table.insert("severity".into(), severity.to_string().into());
        table.insert("enabled".into(), true.into());
        text.push_str(&commented(&["rules", id], &table));
        text.push('\n');
    }
    text.pop();
    text
}

/// `value` as a commented-out TOML table at `path` (`[providers.aws]`).
fn commented(path: &[&str], value: &impl Serialize) -> String {
    let mut root = toml::Value::try_from(value).expect("defaults serialize as TOML");
    for key in path.iter().rev() {
        let mut outer = toml::Table::new();
        outer.insert((*key).to_string(), root);
        root = toml::Value::Table(outer);
    }
    let text = toml::to_string(&root).expect("defaults serialize as TOML");
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// Day counts used by the lifecycle rules.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// `unused-credential`, `inactive-credential`: days without use.
    pub stale_after_days: i64,
    /// `never-used`: days a new credential may stay unused.
    pub never_used_grace_days: i64,
    /// `unrotated-credential`: maximum age of a long-lived secret.
    pub max_credential_age_days: i64,
    /// `[thresholds.ai]`: the same limits for AI identities and credentials.
    pub ai: AiThresholds,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            stale_after_days: 90,
            never_used_grace_days: 14,
            max_credential_age_days: 90,
            ai: AiThresholds::default(),
        }
    }
}

/// `[thresholds.ai]`: stricter limits for AI items, which count as privileged
/// machine access.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiThresholds {
    pub stale_after_days: i64,
    pub never_used_grace_days: i64,
    pub max_credential_age_days: i64,
}

impl Default for AiThresholds {
    fn default() -> Self {
        AiThresholds {
            stale_after_days: 30,
            never_used_grace_days: 7,
            max_credential_age_days: 30,
        }
    }
}

/// The limits that apply to one item: `[thresholds]`, or `[thresholds.ai]` for AI items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub stale_after_days: i64,
    pub never_used_grace_days: i64,
    pub max_credential_age_days: i64,
}

impl Thresholds {
    /// The limits for an item that is (`ai`) or is not an AI item.
    pub fn limits(&self, ai: bool) -> Limits {
        if ai {
            let a = &self.ai;
            Limits {
                stale_after_days: a.stale_after_days,
                never_used_grace_days: a.never_used_grace_days,
                max_credential_age_days: a.max_credential_age_days,
            }
        } else {
            Limits {
                stale_after_days: self.stale_after_days,
                never_used_grace_days: self.never_used_grace_days,
                max_credential_age_days: self.max_credential_age_days,
            }
        }
    }
}

/// How identities are classified and owned.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Classification {
    /// Tag keys that name an owner, tried in order.
    pub owner_tag_keys: Vec<String>,
    /// `key=value` tags that mark a service (non-human) identity.
    pub service_tags: Vec<String>,
    /// `key=value` tags that mark a human identity.
    pub human_tags: Vec<String>,
    /// Globs on the identity name that mark a service identity.
    pub service_name_patterns: Vec<String>,
    /// `key=value` tags that mark an AWS principal as an AI agent.
    pub ai_tags: Vec<String>,
    /// Globs on AWS principal names (case-insensitive) that mark an AI agent.
    pub ai_name_patterns: Vec<String>,
}

impl Default for Classification {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        Classification {
            owner_tag_keys: s(&["owner", "Owner", "owner-email", "team"]),
            service_tags: s(&["nhi-type=service"]),
            human_tags: s(&["nhi-type=human"]),
            service_name_patterns: s(&[
                "svc-*",
                "*-svc",
                "*-bot",
                "bot-*",
                "ci-*",
                "*-ci",
                "*automation*",
            ]),
            ai_tags: s(&["nhi-type=ai-agent"]),
            ai_name_patterns: s(&[
                "*agent*",
                "*llm*",
                "*bedrock*",
                "*sagemaker*",
                "*copilot*",
                "*openai*",
                "*anthropic*",
                "*claude*",
            ]),
        }
    }
}

/// `[[owners]]`: a glob on item ids and the owner it gives. The last match wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerEntry {
    #[serde(rename = "match")]
    pub pattern: Spanned<String>,
    pub owner: String,
}

/// `[rules.<id>]`: per-rule settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    pub severity: Option<Severity>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `[[suppress]]`: silence one rule on matching identities, with a reason and
/// optionally until a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// A rule id, or `*` for every rule.
    pub rule: Spanned<String>,
    /// A glob on the identity or credential id.
    pub identity: Spanned<String>,
    pub reason: Spanned<String>,
    /// The suppression applies before this date (UTC) and stops on it.
    #[serde(default, deserialize_with = "date_opt")]
    pub expires: Option<Spanned<Date>>,
}

/// Accepts a TOML date (`2026-12-31`) or a string (`"2026-12-31"`).
fn date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Spanned<Date>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }
    let raw = Spanned::<Raw>::deserialize(d)?;
    let span = raw.span();
    let text = match raw.into_inner() {
        Raw::Text(s) => s,
        Raw::Toml(dt) => dt.to_string(),
    };
    let date: Date = text.parse().map_err(|e| {
        serde::de::Error::custom(format!(
            "expires: cannot parse date {text:?} (want YYYY-MM-DD): {e}"
        ))
    })?;
    Ok(Some(Spanned::new(span, date)))
}

/// A parsed config with its globs compiled, ready for use.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// Where it came from, for messages; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    pub owners: Vec<(GlobMatcher, String, String)>,
    pub service_names: Vec<GlobMatcher>,
    /// `ai_name_patterns`, compiled case-insensitively.
    pub ai_names: Vec<GlobMatcher>,
    pub suppressions: Vec<CompiledSuppression>,
    /// Each provider's validated section, by provider id.
    pub sections: BTreeMap<&'static str, Arc<dyn Any + Send + Sync>>,
}

/// A suppression with its glob compiled.
#[derive(Debug, Clone)]
pub struct CompiledSuppression {
    pub rule: String,
    pub identity: GlobMatcher,
    pub pattern: String,
    pub reason: String,
    pub expires: Option<Date>,
    /// 1-based line in the config file.
    pub line: usize,
}

impl Loaded {
    /// The defaults, with no file.
    pub fn defaults() -> Self {
        Self::validate(Config::default(), None, "", &Schema::default())
            .expect("built-in defaults are valid")
    }

    /// Loads `--config FILE`, else `./nhiscan.toml` if present, else defaults.
    pub fn discover(explicit: Option<&Path>, schema: &Schema) -> Result<Self, Error> {
        match explicit {
            Some(path) => Self::load(path, schema),
            None => {
                let local = Path::new("nhiscan.toml");
                if local.is_file() {
                    Self::load(local, schema)
                } else {
                    Ok(Self::defaults())
                }
            }
        }
    }

    /// Reads and validates one config file.
    pub fn load(path: &Path, schema: &Schema) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::input(path, format!("cannot read config: {e}")))?;
        Self::parse(&text, path, schema)
    }

    /// Parses and validates config text; `path` names it in messages.
    pub fn parse(text: &str, path: &Path, schema: &Schema) -> Result<Self, Error> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = e.message().trim().to_string();
            Error::Config {
                path: path.into(),
                problems: vec![match line {
                    Some(l) => format!("line {l}: {message}"),
                    None => message,
                }],
            }
        })?;
        Self::validate(config, Some(path), text, schema)
    }

    fn validate(
        config: Config,
        path: Option<&Path>,
        text: &str,
        schema: &Schema,
    ) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let at = |span: std::ops::Range<usize>| format!("line {}", line_of(text, span.start));
        let known = &schema.rules;
        for id in config.providers.keys() {
            if !schema.sections.iter().any(|s| s.id() == id) {
                let ids: Vec<&str> = schema.sections.iter().map(|s| s.id()).collect();
                problems.push(format!(
                    "[providers.{id}]: unknown provider {id:?}; known: {}",
                    ids.join(", ")
                ));
            }
        }
        let sections = schema
            .sections
            .iter()
            .map(|s| (s.id(), s.parse(config.providers.get(s.id()), &mut problems)))
            .collect();

        for id in config.rules.keys() {
            if !known.contains(&id.as_str()) {
                problems.push(format!(
                    "[rules.{id}]: unknown rule id {id:?}; `nhiscan rules` lists them"
                ));
            }
        }
        let owners: Vec<_> = config
            .owners
            .iter()
            .filter_map(|o| {
                let context = format!("{}: [[owners]] match", at(o.pattern.span()));
                compile(o.pattern.get_ref(), &context, &mut problems)
                    .map(|g| (g, o.owner.clone(), o.pattern.get_ref().clone()))
            })
            .collect();
        let mut classification =
            |patterns: &[String], what: &str, case_insensitive: bool| -> Vec<GlobMatcher> {
                let context = format!("[classification] {what}");
                patterns
                    .iter()
                    .filter_map(|p| compile_as(p, case_insensitive, &context, &mut problems))
                    .collect()
            };
        let service_names = classification(
            &config.classification.service_name_patterns,
            "service_name_patterns",
            false,
        );
        let ai_names = classification(
            &config.classification.ai_name_patterns,
            "ai_name_patterns",
            true,
        );
        let mut suppressions = Vec::new();
        for s in &config.suppress {
            let context = format!("{}: [[suppress]] identity", at(s.identity.span()));
            if let Some(identity) = compile(s.identity.get_ref(), &context, &mut problems) {
                suppressions.push(CompiledSuppression {
                    rule: s.rule.get_ref().clone(),
                    identity,
                    pattern: s.identity.get_ref().clone(),
                    reason: s.reason.get_ref().clone(),
                    expires: s.expires.as_ref().map(|d| *d.get_ref()),
                    line: line_of(text, s.rule.span().start),
                });
            }
            let rule = s.rule.get_ref();
            if rule != "*" && !known.contains(&rule.as_str()) {
                problems.push(format!(
                    "{}: [[suppress]] rule: unknown rule id {rule:?}",
                    at(s.rule.span())
                ));
            }
            if s.reason.get_ref().trim().is_empty() {
                problems.push(format!(
                    "{}: [[suppress]] reason must not be empty",
                    at(s.reason.span())
                ));
            }
        }
        for tag in config
            .classification
            .service_tags
            .iter()
            .chain(&config.classification.human_tags)
            .chain(&config.classification.ai_tags)
        {
            if !tag.contains('=') {
                problems.push(format!(
                    "[classification]: tag {tag:?} must be written key=value"
                ));
            }
        }
        let t = &config.thresholds;
        for (name, v) in [
            ("stale_after_days", t.stale_after_days),
            ("never_used_grace_days", t.never_used_grace_days),
            ("max_credential_age_days", t.max_credential_age_days),
            ("ai.stale_after_days", t.ai.stale_after_days),
            ("ai.never_used_grace_days", t.ai.never_used_grace_days),
            ("ai.max_credential_age_days", t.ai.max_credential_age_days),
        ] {
            if v < 0 {
                problems.push(format!(
                    "[thresholds] {name} must not be negative (got {v})"
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Config {
                path: path.map(Path::to_path_buf).unwrap_or_default(),
                problems,
            });
        }
        Ok(Loaded {
            path: path.map(Path::to_path_buf),
            owners,
            service_names,
            ai_names,
            sections,
            suppressions,
            config,
        })
    }

    /// A provider's validated section, when its provider registered one.
    pub fn section<T: Any>(&self, provider: &str) -> Option<&T> {
        self.sections.get(provider)?.downcast_ref()
    }

    /// The first `key=value` tag from `wanted` that `tags` carries (value compared case-insensitively).
    pub fn matching_tag<'a>(
        tags: &BTreeMap<String, String>,
        wanted: &'a [String],
    ) -> Option<&'a str> {
        wanted.iter().map(String::as_str).find(|t| {
            t.split_once('=')
                .is_some_and(|(k, v)| tags.get(k).is_some_and(|have| have.eq_ignore_ascii_case(v)))
        })
    }

    /// The human/non-human verdict the configured markers give, when one
    /// does: a `service_tags` or `ai_tags` tag (non-human), a `human_tags`
    /// tag (human), then a name matching `service_name_patterns` (non-human).
    pub fn human_marker(
        &self,
        tags: &BTreeMap<String, String>,
        name: &str,
    ) -> Option<(bool, String)> {
        let c = &self.config.classification;
        if let Some(tag) = Self::matching_tag(tags, &c.service_tags)
            .or_else(|| Self::matching_tag(tags, &c.ai_tags))
        {
            return Some((false, format!("tag {tag}")));
        }
        if let Some(tag) = Self::matching_tag(tags, &c.human_tags) {
            return Some((true, format!("tag {tag}")));
        }
        self.service_name(name)
            .map(|pattern| (false, format!("name matches {pattern}")))
    }

    /// The first `service_name_patterns` entry matching `name`.
    pub fn service_name(&self, name: &str) -> Option<&str> {
        let patterns = &self.config.classification.service_name_patterns;
        self.service_names
            .iter()
            .zip(patterns)
            .find(|(g, _)| g.is_match(name))
            .map(|(_, p)| p.as_str())
    }

    /// The first `ai_name_patterns` entry matching `name` (case-insensitively).
    pub fn ai_name(&self, name: &str) -> Option<&str> {
        let patterns = &self.config.classification.ai_name_patterns;
        self.ai_names
            .iter()
            .zip(patterns)
            .find(|(g, _)| g.is_match(name))
            .map(|(_, p)| p.as_str())
    }

    /// Whether a rule is enabled.
    pub fn enabled(&self, rule: &str) -> bool {
        self.config.rules.get(rule).is_none_or(|r| r.enabled)
    }

    /// The severity of a rule after any override.
    pub fn severity(&self, rule: &str, default: Severity) -> Severity {
        self.config
            .rules
            .get(rule)
            .and_then(|r| r.severity)
            .unwrap_or(default)
    }
}

/// Compiles one glob, or records why it is bad under `context` (`line 3: [[owners]] match`).
fn compile(pattern: &str, context: &str, problems: &mut Vec<String>) -> Option<GlobMatcher> {
    compile_as(pattern, false, context, problems)
}

/// [`compile`], optionally matching case-insensitively.
pub fn compile_as(
    pattern: &str,
    case_insensitive: bool,
    context: &str,
    problems: &mut Vec<String>,
) -> Option<GlobMatcher> {
    let glob = GlobBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .build();
    match glob {
        Ok(g) => Some(g.compile_matcher()),
        Err(e) => {
            problems.push(format!("{context}: bad glob {pattern:?}: {e}"));
            None
        }
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Loaded, Error> {
        let schema = Schema {
            rules: vec!["unused-credential", "never-used", "console-access"],
            sections: vec![],
        };
        Loaded::parse(text, Path::new("nhiscan.toml"), &schema)
    }

    #[test]
    fn empty_config_gives_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.config.thresholds.stale_after_days, 90);
        assert_eq!(c.config.thresholds.never_used_grace_days, 14);
        assert!(c.enabled("missing-owner"));
    }

    #[test]
    fn ai_thresholds_are_stricter_by_default_and_configurable() {
        let c = parse("").unwrap();
        let t = &c.config.thresholds;
        assert_eq!(t.limits(false).stale_after_days, 90);
        assert_eq!(
            t.limits(true),
            Limits {
                stale_after_days: 30,
                never_used_grace_days: 7,
                max_credential_age_days: 30
            }
        );
        let c =
            parse("[thresholds]\nstale_after_days = 60\n[thresholds.ai]\nstale_after_days = 10\n")
                .unwrap();
        let t = &c.config.thresholds;
        assert_eq!(
            (
                t.limits(false).stale_after_days,
                t.limits(true).stale_after_days
            ),
            (60, 10)
        );
        assert_eq!(
            t.limits(true).never_used_grace_days,
            7,
            "others keep their default"
        );
        let err = parse("[thresholds.ai]\nnever_used_grace_days = -1\nstale_days = 3\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("stale_days") && err.contains("line 3"),
            "{err}"
        );
        let err = parse("[thresholds.ai]\nnever_used_grace_days = -1\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ai.never_used_grace_days must not be negative"),
            "{err}"
        );
    }

    #[test]
    fn ai_name_patterns_match_case_insensitively() {
        let c = parse("[classification]\nai_name_patterns = [\"*agent*\"]\nai_tags = [\"bad\"]\n")
            .unwrap_err()
            .to_string();
        assert!(c.contains("tag \"bad\" must be written key=value"), "{c}");
        let c = parse("[classification]\nai_name_patterns = [\"*agent*\"]\n").unwrap();
        assert!(c.ai_names[0].is_match("BedrockAgentRole"));
        assert!(!c
            .service_names
            .iter()
            .any(|g| g.is_match("BedrockAgentRole")));
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse("[thresholds]\nstale_after_days = 30\nstale_days = 4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("stale_days"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = r#"
[rules.no-such-rule]
enabled = false

[[suppress]]
rule = "also-unknown"
identity = "arn:*"
reason = ""
"#;
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("no-such-rule"), "{err}");
        assert!(
            err.contains("line 6: [[suppress]] rule: unknown rule id \"also-unknown\""),
            "{err}"
        );
        assert!(
            err.contains("line 8: [[suppress]] reason must not be empty"),
            "{err}"
        );
    }

    #[test]
    fn expires_accepts_toml_dates_and_strings_and_rejects_nonsense() {
        let ok = parse(
            "[[suppress]]\nrule = \"*\"\nidentity = \"*\"\nreason = \"r\"\nexpires = 2026-12-31\n",
        )
        .unwrap();
        assert_eq!(
            ok.suppressions[0].expires,
            Some(jiff::civil::date(2026, 12, 31))
        );
        let ok = parse("[[suppress]]\nrule = \"*\"\nidentity = \"*\"\nreason = \"r\"\nexpires = \"2026-12-31\"\n").unwrap();
        assert_eq!(
            ok.suppressions[0].expires,
            Some(jiff::civil::date(2026, 12, 31))
        );
        let err = parse("[[suppress]]\nrule = \"*\"\nidentity = \"*\"\nreason = \"r\"\nexpires = \"next week\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 5") && err.contains("next week"), "{err}");
    }

    #[test]
    fn bad_globs_are_named_where_they_are() {
        let text = "[classification]\nservice_name_patterns = [\"svc-[\"]\n\n[[owners]]\nmatch = \"arn:[\"\nowner = \"x\"\n\n[[suppress]]\nrule = \"*\"\nidentity = \"{a\"\nreason = \"r\"\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains("line 5: [[owners]] match: bad glob \"arn:[\""),
            "{err}"
        );
        assert!(
            err.contains("[classification] service_name_patterns: bad glob \"svc-[\""),
            "{err}"
        );
        assert!(
            err.contains("line 10: [[suppress]] identity: bad glob \"{a\""),
            "{err}"
        );
    }

    #[test]
    fn severity_override_and_disable() {
        let c = parse("[rules.unused-credential]\nseverity = \"high\"\n[rules.console-access]\nenabled = false\n").unwrap();
        assert_eq!(
            c.severity("unused-credential", Severity::Medium),
            Severity::High
        );
        assert_eq!(c.severity("never-used", Severity::Medium), Severity::Medium);
        assert!(!c.enabled("console-access"));
    }
}
