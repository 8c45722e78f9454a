//! `[providers.kubernetes]` in `nhiscan.toml`:
//!
//! ```toml
//! [providers.kubernetes]
//! # Label or annotation keys that name an account's owner, in order; the
//! # namespace's labels and annotations are tried with the same keys.
//! owner_keys = ["owner", "team", "app.kubernetes.io/part-of"]
//! # Namespaces whose accounts the platform runs (controllers): marked
//! # platform-managed, so ownership and privilege rules leave them out.
//! system_namespaces = ["kube-system", "kube-public", "kube-node-lease"]
//! # Judge system accounts like any other.
//! include_system = false
//! ```

use std::any::Any;
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use super::ID;
use crate::config::{self, Loaded, Section};

/// The section, as written and as used.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub owner_keys: Vec<String>,
    pub system_namespaces: Vec<String>,
    pub include_system: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        Settings {
            owner_keys: s(&["owner", "team", "app.kubernetes.io/part-of"]),
            system_namespaces: s(&["kube-system", "kube-public", "kube-node-lease"]),
            include_system: false,
        }
    }
}

impl Settings {
    /// The settings of `config`, or the defaults when it has no section.
    pub fn of(config: &Loaded) -> &Settings {
        static DEFAULT: LazyLock<Settings> = LazyLock::new(Settings::default);
        config.section::<Settings>(ID).unwrap_or(&*DEFAULT)
    }
}

/// The `[providers.kubernetes]` section.
pub struct KubernetesSection;

impl Section for KubernetesSection {
    fn id(&self) -> &'static str {
        ID
    }

    fn defaults(&self) -> Option<toml::Table> {
        Some(config::section_defaults::<Settings>())
    }

    fn parse(
        &self,
        table: Option<&toml::Table>,
        problems: &mut Vec<String>,
    ) -> Arc<dyn Any + Send + Sync> {
        Arc::new(config::parse_section::<Settings>(ID, table, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_values_replace_the_defaults_and_unknown_keys_are_problems() {
        let table: toml::Table = toml::from_str("include_system = true\nowners = []\n").unwrap();
        let mut problems = Vec::new();
        KubernetesSection.parse(Some(&table), &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("unknown field `owners`"), "{problems:?}");
        let table: toml::Table = toml::from_str("include_system = true\n").unwrap();
        let mut problems = Vec::new();
        let any = KubernetesSection.parse(Some(&table), &mut problems);
        let s = any.downcast_ref::<Settings>().unwrap();
        assert!(s.include_system && problems.is_empty());
        assert_eq!(s.owner_keys[0], "owner");
    }
}
