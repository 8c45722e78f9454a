//! `[providers.aws]` in `nhiscan.toml`:
//!
//! ```toml
//! [providers.aws]
//! # Globs on the IAM path that mark a user as a service (non-human) identity.
//! service_path_patterns = ["*/service/*", "*/services/*", "*/ci/*", "*/bots/*", "*/automation/*"]
//! # Service principals whose trust marks a role as an AI agent's role.
//! ai_trusted_services = ["bedrock.amazonaws.com", "sagemaker.amazonaws.com"]
//! ```

use std::any::Any;
use std::sync::{Arc, LazyLock};

use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

use super::ID;
use crate::config::{self, compile_as, Loaded, Section};

/// The section as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
struct Raw {
    service_path_patterns: Vec<String>,
    ai_trusted_services: Vec<String>,
}

impl Default for Raw {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        Raw {
            service_path_patterns: s(&[
                "*/service/*",
                "*/services/*",
                "*/ci/*",
                "*/bots/*",
                "*/automation/*",
            ]),
            ai_trusted_services: s(&["bedrock.amazonaws.com", "sagemaker.amazonaws.com"]),
        }
    }
}

/// The validated section.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Globs on the IAM path that mark a service identity, as written.
    pub service_path_patterns: Vec<String>,
    /// The same, compiled.
    service_paths: Vec<GlobMatcher>,
    /// Service principals whose trust marks a role as an AI agent's role.
    pub ai_trusted_services: Vec<String>,
}

impl Settings {
    fn from_raw(raw: Raw, problems: &mut Vec<String>) -> Self {
        let context = format!("[providers.{ID}] service_path_patterns");
        let mut patterns = Vec::new();
        let mut service_paths = Vec::new();
        for p in raw.service_path_patterns {
            if let Some(g) = compile_as(&p, false, &context, problems) {
                patterns.push(p);
                service_paths.push(g);
            }
        }
        Settings {
            service_path_patterns: patterns,
            service_paths,
            ai_trusted_services: raw.ai_trusted_services,
        }
    }

    /// The settings of `config`, or the defaults when it has no section.
    pub fn of(config: &Loaded) -> &Settings {
        static DEFAULT: LazyLock<Settings> =
            LazyLock::new(|| Settings::from_raw(Raw::default(), &mut Vec::new()));
        config.section::<Settings>(ID).unwrap_or(&*DEFAULT)
    }

    /// The first `service_path_patterns` entry matching an IAM path.
    pub fn service_path(&self, path: &str) -> Option<&str> {
        self.service_paths
            .iter()
            .zip(&self.service_path_patterns)
            .find(|(g, _)| g.is_match(path))
            .map(|(_, p)| p.as_str())
    }
}

/// The `[providers.aws]` section.
pub struct AwsSection;

impl Section for AwsSection {
    fn id(&self) -> &'static str {
        ID
    }

    fn defaults(&self) -> Option<toml::Table> {
        Some(config::section_defaults::<Raw>())
    }

    fn parse(
        &self,
        table: Option<&toml::Table>,
        problems: &mut Vec<String>,
    ) -> Arc<dyn Any + Send + Sync> {
        let raw = config::parse_section::<Raw>(ID, table, problems);
        Arc::new(Settings::from_raw(raw, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Settings, Vec<String>) {
        let table: toml::Table = toml::from_str(text).unwrap();
        let mut problems = Vec::new();
        let any = AwsSection.parse(Some(&table), &mut problems);
        let settings = any.downcast_ref::<Settings>().unwrap().clone();
        (settings, problems)
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let defaults = Loaded::defaults();
        let d = Settings::of(&defaults);
        assert_eq!(d.service_path("/ci/"), Some("*/ci/*"));
        assert_eq!(d.service_path("/"), None);
        assert_eq!(
            d.ai_trusted_services,
            ["bedrock.amazonaws.com", "sagemaker.amazonaws.com"]
        );
        let mut problems = Vec::new();
        let none = AwsSection.parse(None, &mut problems);
        assert!(problems.is_empty());
        assert_eq!(
            none.downcast_ref::<Settings>()
                .unwrap()
                .service_path_patterns,
            d.service_path_patterns
        );
    }

    #[test]
    fn own_values_replace_the_defaults() {
        let (s, problems) = parse(
            "service_path_patterns = [\"/robots/*\"]\nai_trusted_services = [\"x.amazonaws.com\"]\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.service_path("/robots/a/"), Some("/robots/*"));
        assert_eq!(s.service_path("/ci/"), None);
        assert_eq!(s.ai_trusted_services, ["x.amazonaws.com"]);
    }

    #[test]
    fn unknown_keys_and_bad_globs_are_problems() {
        let (_, problems) = parse("service_paths = []\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("[providers.aws]: unknown field `service_paths`"),
            "{problems:?}"
        );
        let (_, problems) = parse("service_path_patterns = [\"/a/[\"]\n");
        assert!(
            problems[0].starts_with("[providers.aws] service_path_patterns: bad glob \"/a/[\""),
            "{problems:?}"
        );
    }
}
