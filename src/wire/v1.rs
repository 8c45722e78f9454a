//! JSON report v1 (`schema_version: 1`): the frozen public contract.
//!
//! Fields are only ever added; renaming or removing one needs a new schema
//! version (the `json_v1_is_frozen` test snapshots every field path). The
//! provider-specific fields every item has always carried (`path`,
//! `policies`, `webhook`, ...) come from the provider's typed details, with
//! the defaults below where a provider has none, so every item keeps the
//! same fields.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::baseline::{Entry, State};
use crate::model::{
    self, Creator, Escalation, Evidence, Owner, PrivilegeLevel, Severity, SourceStatus, Status,
    Usage,
};
use crate::rules::Finding as ModelFinding;

pub const SCHEMA_VERSION: u32 = 1;

/// Where the JSON Schema of this format is published, relative to the repository.
pub const SCHEMA_PATH: &str = "docs/schema/report-v1.json";

/// The JSON Schema (draft 2020-12) of a report as nhiscan writes it,
/// generated from these types (published at [`SCHEMA_PATH`]). Every field
/// nhiscan always writes is required; items also allow their provider's own
/// fields, and v1 may gain fields.
pub fn json_schema() -> Value {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Report>();
    schema.insert(
        "$id".into(),
        concat!(
            env!("CARGO_PKG_REPOSITORY"),
            "/blob/main/docs/schema/report-v1.json"
        )
        .into(),
    );
    schema.insert("title".into(), "nhiscan report v1".into());
    schema.to_value()
}

/// Timestamps as RFC 3339 in UTC with whole seconds and `Z`
/// (`2026-11-01T00:00:00Z`), which jq's `fromdateiso8601` reads; any
/// fraction of a second is dropped. Read back with any RFC 3339 form.
pub mod rfc3339 {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The text of `t`.
    pub fn text(t: Timestamp) -> String {
        t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        Timestamp::deserialize(d)
    }

    /// The same for an optional timestamp (`null` when absent).
    pub mod option {
        use jiff::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::text(*t)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            Option::<Timestamp>::deserialize(d)
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(with = "rfc3339")]
    #[schemars(with = "Timestamp")]
    pub now: Timestamp,
    pub sources: Vec<Source>,
    pub identities: Vec<Identity>,
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
    pub summary: Summary,
    /// Baselined findings that no longer occur (with `--baseline`).
    #[serde(default)]
    pub resolved: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    /// This build.
    pub fn this() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Source {
    pub provider: String,
    pub scope: String,
    pub kind: String,
    pub location: String,
    pub status: SourceStatus,
    pub items: usize,
    pub error: Option<String>,
    #[serde(default)]
    pub api_calls: BTreeMap<String, u64>,
}

impl From<&model::Source> for Source {
    fn from(s: &model::Source) -> Self {
        Source {
            provider: s.provider.to_string(),
            scope: s.scope.clone(),
            kind: s.kind.clone(),
            location: s.location.clone(),
            status: s.status,
            items: s.items,
            error: s.error.clone(),
            api_calls: s.api_calls.clone(),
        }
    }
}

/// Fields every item has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Item {
    pub id: String,
    pub provider: String,
    pub scope: String,
    pub kind: String,
    pub name: String,
    pub owner: Option<Owner>,
    #[serde(with = "rfc3339::option")]
    #[schemars(with = "Option<Timestamp>")]
    pub created_at: Option<Timestamp>,
    #[serde(with = "rfc3339::option")]
    #[schemars(with = "Option<Timestamp>")]
    pub last_used_at: Option<Timestamp>,
    pub usage: Usage,
    #[serde(with = "rfc3339::option")]
    #[schemars(with = "Option<Timestamp>")]
    pub expires_at: Option<Timestamp>,
    /// Whole days from `created_at` to the scan's clock (`now`); null without a date.
    #[serde(default)]
    pub age_days: Option<i64>,
    /// Whole days from `last_used_at` to the scan's clock; null when never
    /// used or unknown (see `usage`).
    #[serde(default)]
    pub days_since_use: Option<i64>,
    pub status: Status,
    pub privilege: Privilege,
    pub human: bool,
    pub human_reason: String,
    /// A non-human identity or machine credential: not human, and not a
    /// container (an organization or repository) that only holds credentials.
    #[serde(default)]
    pub is_nhi: bool,
    #[serde(default)]
    pub ai: bool,
    #[serde(default)]
    pub ai_reason: String,
    #[serde(default)]
    pub creator: Option<Creator>,
    #[serde(default)]
    pub native_id: Option<String>,
    /// The provider's own fields (see the module docs).
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Identity {
    #[serde(flatten)]
    pub item: Item,
    pub tags: BTreeMap<String, String>,
    pub credentials: Vec<Credential>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Credential {
    #[serde(flatten)]
    pub item: Item,
    pub parent_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Privilege {
    pub level: PrivilegeLevel,
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub capped: Vec<Evidence>,
    #[serde(default)]
    pub escalations: Vec<Escalation>,
    #[serde(default)]
    pub wildcards: Vec<Evidence>,
}

impl From<&model::Privilege> for Privilege {
    fn from(p: &model::Privilege) -> Self {
        Privilege {
            level: p.level,
            evidence: p.evidence.clone(),
            capped: p.capped.clone(),
            escalations: p.escalations.clone(),
            wildcards: p.wildcards.clone(),
        }
    }
}

impl From<Privilege> for model::Privilege {
    fn from(p: Privilege) -> Self {
        model::Privilege {
            level: p.level,
            evidence: p.evidence,
            capped: p.capped,
            escalations: p.escalations,
            wildcards: p.wildcards,
            broad_trust: Vec::new(),
        }
    }
}

/// Provider fields every item has carried since v1, with their defaults.
const ITEM_FIELDS: &[(&str, Value)] = &[
    ("repository_selection", Value::Null),
    ("webhook", Value::Null),
];
/// The same for identities.
const IDENTITY_FIELDS: &[(&str, Value)] = &[
    ("path", Value::Null),
    ("groups", Value::Array(Vec::new())),
    ("mfa_active", Value::Null),
    ("policies_known", Value::Bool(false)),
    ("policies", Value::Array(Vec::new())),
    ("permissions_boundary", Value::Null),
    ("permissions_boundary_document", Value::Null),
    ("trust_policy", Value::Null),
    ("instance_profiles", Value::Array(Vec::new())),
];
/// The same for credentials.
const CREDENTIAL_FIELDS: &[(&str, Value)] = &[
    ("last_used_service", Value::Null),
    ("last_used_region", Value::Null),
    ("hint", Value::Null),
];

/// The provider fields every identity (or credential) carries, with their defaults.
pub fn default_fields(identity: bool) -> Map<String, Value> {
    let own = if identity {
        IDENTITY_FIELDS
    } else {
        CREDENTIAL_FIELDS
    };
    ITEM_FIELDS
        .iter()
        .chain(own)
        .map(|(f, v)| ((*f).to_string(), v.clone()))
        .collect()
}

impl Item {
    fn from_model(item: &model::Item, identity: bool) -> Self {
        let mut details = default_fields(identity);
        if let Some(d) = &item.details {
            details.extend(d.wire());
        }
        Item {
            id: item.id.clone(),
            provider: item.provider.to_string(),
            scope: item.scope.clone(),
            kind: item.kind.as_str().to_string(),
            name: item.name.clone(),
            owner: item.owner.clone(),
            created_at: item.created_at,
            last_used_at: item.last_used.at(),
            usage: item.last_used.usage(),
            expires_at: item.expires_at,
            age_days: None,
            days_since_use: None,
            status: item.status,
            privilege: Privilege::from(item.privilege.as_ref()),
            human: item.human,
            human_reason: item.human_reason.clone(),
            is_nhi: !item.human && !item.kind.is_container(),
            ai: item.ai,
            ai_reason: item.ai_reason.clone(),
            creator: item.creator.clone(),
            native_id: item.native_id.clone(),
            details,
        }
    }
}

impl Item {
    /// Sets `age_days` and `days_since_use` against the scan's clock.
    fn date(&mut self, now: Timestamp) {
        let days = |t: Timestamp| model::time::whole_days_between(t, now);
        self.age_days = self.created_at.map(days);
        self.days_since_use = self.last_used_at.map(days);
    }
}

impl Identity {
    /// The identity as written in a report at `now`: with its and its
    /// credentials' ages, and only the credentials `keep` lets through.
    pub fn at(
        identity: &model::Identity,
        now: Timestamp,
        keep: impl Fn(&model::Credential) -> bool,
    ) -> Self {
        let mut out = Identity {
            item: Item::from_model(&identity.item, true),
            tags: identity.tags.clone(),
            credentials: identity
                .credentials
                .iter()
                .filter(|c| keep(c))
                .map(|c| Credential {
                    item: Item::from_model(&c.item, false),
                    parent_id: c.parent_id.clone(),
                })
                .collect(),
        };
        out.item.date(now);
        for c in &mut out.credentials {
            c.item.date(now);
        }
        out
    }
}

impl From<&model::Identity> for Identity {
    fn from(i: &model::Identity) -> Self {
        Identity {
            item: Item::from_model(&i.item, true),
            tags: i.tags.clone(),
            credentials: i
                .credentials
                .iter()
                .map(|c| Credential {
                    item: Item::from_model(&c.item, false),
                    parent_id: c.parent_id.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    pub provider: String,
    pub scope: String,
    pub identity_id: String,
    pub credential_id: Option<String>,
    pub message: String,
    pub remediation: String,
    pub help_uri: String,
    pub fingerprint: String,
    /// `new` or `baselined` when the scan was compared with a `--baseline`.
    #[serde(default)]
    pub baseline: Option<State>,
}

impl Finding {
    /// A finding, with its baseline state when there was a baseline.
    pub fn new(f: &ModelFinding, baseline: Option<State>) -> Self {
        Finding {
            rule_id: f.rule.id.to_string(),
            severity: f.severity,
            provider: f.provider.to_string(),
            scope: f.scope.clone(),
            identity_id: f.identity_id.clone(),
            credential_id: f.credential_id.clone(),
            message: f.message.clone(),
            remediation: f.remediation.to_string(),
            help_uri: f.rule.help_uri(),
            fingerprint: f.fingerprint.clone(),
            baseline,
        }
    }

    /// The id of the item the finding is about: the credential when there is one.
    pub fn item_id(&self) -> &str {
        self.credential_id.as_deref().unwrap_or(&self.identity_id)
    }
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    pub identities: usize,
    pub non_human: usize,
    pub credentials: usize,
    pub findings: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub suppressed: usize,
    pub sources: usize,
    /// Sources that failed or were read partially.
    pub sources_incomplete: usize,
    /// AI identities: identities marked AI, plus AI credentials held by a
    /// non-AI identity (a person's OpenAI key is an AI identity of its own).
    #[serde(default)]
    pub ai: usize,
    /// Those of them, not expired, with no owner or an owner who has left.
    #[serde(default)]
    pub ai_unowned: usize,
    /// Findings below `--min-severity`, left out of the output.
    #[serde(default)]
    pub hidden: usize,
    /// Identities and credentials left out by `--provider`, `--kind`,
    /// `--rule`, `--owner`, `--unowned` or `--ai`.
    #[serde(default)]
    pub filtered_items: usize,
    /// Findings left out by those filters.
    #[serde(default)]
    pub filtered_findings: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is the generated one; `NHISCAN_BLESS=1` rewrites it.
    #[test]
    fn the_published_schema_is_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
        let mut text = serde_json::to_string_pretty(&json_schema()).expect("schema as JSON");
        text.push('\n');
        if std::env::var_os("NHISCAN_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("docs/schema");
            std::fs::write(&path, &text).expect("write the schema");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{SCHEMA_PATH} differs from the schema the v1 types generate: review the change, \
             then rerun with NHISCAN_BLESS=1 to rewrite it"
        );
    }

    #[test]
    fn the_schema_requires_what_is_always_written_and_types_it() {
        let schema = json_schema();
        let report = &schema["required"];
        for field in [
            "schema_version",
            "now",
            "sources",
            "identities",
            "findings",
            "summary",
        ] {
            assert!(
                report.as_array().unwrap().iter().any(|f| f == field),
                "{field}"
            );
        }
        let item = &schema["$defs"]["Identity"];
        assert!(item.to_string().contains("age_days"), "{item}");
        assert_eq!(
            schema["$defs"]["Severity"]["enum"],
            serde_json::json!(["low", "medium", "high", "critical"])
        );
    }
}
