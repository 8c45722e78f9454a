//! Borrowing serializers for inventory items, shared by `--format json` and
//! `--format ndjson`.
//!
//! [`ItemRef`] writes the same fields as [`v1::Identity`] and
//! [`v1::Credential`], in the same order, straight from the model: nothing is
//! cloned into a wire struct first. In [`Mode::Full`] (JSON v1) every field is
//! written; in [`Mode::Compact`] (ndjson) null and empty values are left out,
//! at every depth. The `json` module's `writer_and_reader_agree` test and the
//! golden files keep the full mode byte-identical to `v1`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::baseline::State;
use crate::model::{Credential, Escalation, Evidence, Identity, Item, Privilege};
use crate::rules::{Finding, DOCS_URL};
use crate::wire::v1;

/// Whether empty values are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every field, as JSON v1 writes it.
    Full,
    /// Null and empty values left out (ndjson).
    Compact,
}

/// An identity with its credentials, or a credential, as its wire fields.
pub struct ItemRef<'a> {
    pub mode: Mode,
    /// Written first as `"type": ...` when set (ndjson lines).
    pub line_type: Option<&'static str>,
    pub what: What<'a>,
}

/// What an [`ItemRef`] writes.
#[derive(Clone, Copy)]
pub enum What<'a> {
    Identity(&'a Identity),
    Credential(&'a Credential),
}

impl<'a> ItemRef<'a> {
    /// An identity in JSON v1's full form.
    pub fn identity(identity: &'a Identity) -> Self {
        ItemRef {
            mode: Mode::Full,
            line_type: None,
            what: What::Identity(identity),
        }
    }
}

/// Whether a JSON value is null or empty (an empty string, array or object).
pub fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Removes null and empty values at every depth (ndjson's rule).
pub fn prune(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(prune),
        Value::Object(o) => {
            o.values_mut().for_each(prune);
            o.retain(|_, v| !is_empty_value(v));
        }
        _ => {}
    }
}

/// A value written as is (full) or through [`prune`] (compact).
struct Nested<'a, T: Serialize>(Mode, &'a T);

impl<T: Serialize> Serialize for Nested<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Mode::Full => self.1.serialize(s),
            Mode::Compact => {
                let mut v = serde_json::to_value(self.1).map_err(serde::ser::Error::custom)?;
                prune(&mut v);
                v.serialize(s)
            }
        }
    }
}

/// The v1 privilege fields (level, evidence, capped, escalations, wildcards).
struct PrivilegeRef<'a>(Mode, &'a Privilege);

impl Serialize for PrivilegeRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (mode, p) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("level", &p.level)?;
        let lists: [(&str, &[Evidence]); 2] = [("evidence", &p.evidence), ("capped", &p.capped)];
        for (key, list) in lists {
            if mode == Mode::Full || !list.is_empty() {
                m.serialize_entry(key, &Nested(mode, &list))?;
            }
        }
        let escalations: &[Escalation] = &p.escalations;
        if mode == Mode::Full || !escalations.is_empty() {
            m.serialize_entry("escalations", &Nested(mode, &escalations))?;
        }
        if mode == Mode::Full || !p.wildcards.is_empty() {
            m.serialize_entry("wildcards", &Nested(mode, &p.wildcards.as_slice()))?;
        }
        m.end()
    }
}

/// The provider fields of an item: the v1 defaults, overlaid with its details.
fn provider_fields(item: &Item, identity: bool) -> Map<String, Value> {
    let mut fields = v1::default_fields(identity);
    if let Some(d) = &item.details {
        fields.extend(d.wire());
    }
    fields
}

impl Serialize for ItemRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mode = self.mode;
        let full = mode == Mode::Full;
        let (item, is_identity) = match self.what {
            What::Identity(i) => (&i.item, true),
            What::Credential(c) => (&c.item, false),
        };
        let mut m = s.serialize_map(None)?;
        if let Some(t) = self.line_type {
            m.serialize_entry("type", t)?;
        }
        macro_rules! text {
            ($key:literal, $v:expr) => {
                if full || !$v.is_empty() {
                    m.serialize_entry($key, $v)?;
                }
            };
        }
        macro_rules! opt {
            ($key:literal, $v:expr) => {
                if full || $v.is_some() {
                    m.serialize_entry($key, $v)?;
                }
            };
        }
        text!("id", item.id.as_str());
        text!("provider", item.provider);
        text!("scope", item.scope.as_str());
        text!("kind", item.kind.as_str());
        text!("name", item.name.as_str());
        match &item.owner {
            Some(o) => m.serialize_entry("owner", &Nested(mode, o))?,
            None => opt!("owner", &item.owner),
        }
        opt!("created_at", &item.created_at);
        opt!("last_used_at", &item.last_used.at());
        m.serialize_entry("usage", &item.last_used.usage())?;
        opt!("expires_at", &item.expires_at);
        m.serialize_entry("status", &item.status)?;
        m.serialize_entry("privilege", &PrivilegeRef(mode, &item.privilege))?;
        m.serialize_entry("human", &item.human)?;
        text!("human_reason", item.human_reason.as_str());
        m.serialize_entry("ai", &item.ai)?;
        text!("ai_reason", item.ai_reason.as_str());
        match &item.creator {
            Some(c) => m.serialize_entry("creator", &Nested(mode, c))?,
            None => opt!("creator", &item.creator),
        }
        opt!("native_id", &item.native_id);
        for (key, value) in provider_fields(item, is_identity) {
            if full {
                m.serialize_entry(&key, &value)?;
            } else {
                let mut value = value;
                prune(&mut value);
                if !is_empty_value(&value) {
                    m.serialize_entry(&key, &value)?;
                }
            }
        }
        match self.what {
            What::Identity(i) => {
                if full || !i.tags.is_empty() {
                    m.serialize_entry("tags", &i.tags)?;
                }
                if full || !i.credentials.is_empty() {
                    m.serialize_entry("credentials", &Credentials(mode, &i.credentials))?;
                }
            }
            What::Credential(c) => text!("parent_id", c.parent_id.as_str()),
        }
        m.end()
    }
}

/// An identity's credentials.
struct Credentials<'a>(Mode, &'a [Credential]);

impl Serialize for Credentials<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for c in self.1 {
            seq.serialize_element(&ItemRef {
                mode: self.0,
                line_type: None,
                what: What::Credential(c),
            })?;
        }
        seq.end()
    }
}

/// A finding as its v1 fields. In compact mode (ndjson) the rule's texts
/// (remediation, docs URL) are left out: the rule lines carry them.
pub struct FindingRef<'a> {
    pub mode: Mode,
    pub line_type: Option<&'static str>,
    pub finding: &'a Finding,
    pub baseline: Option<State>,
}

/// A rule's documentation URL, written without building it first.
struct HelpUri(&'static str);

impl std::fmt::Display for HelpUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(DOCS_URL)?;
        f.write_str(self.0)?;
        f.write_str(".md")
    }
}

struct Collect<T: std::fmt::Display>(T);

impl<T: std::fmt::Display> Serialize for Collect<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for FindingRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.finding;
        let full = self.mode == Mode::Full;
        let mut m = s.serialize_map(None)?;
        if let Some(t) = self.line_type {
            m.serialize_entry("type", t)?;
        }
        m.serialize_entry("rule_id", f.rule.id)?;
        m.serialize_entry("severity", &f.severity)?;
        m.serialize_entry("provider", f.provider)?;
        if full || !f.scope.is_empty() {
            m.serialize_entry("scope", f.scope.as_str())?;
        }
        m.serialize_entry("identity_id", f.identity_id.as_str())?;
        if full || f.credential_id.is_some() {
            m.serialize_entry("credential_id", &f.credential_id)?;
        }
        m.serialize_entry("message", f.message.as_str())?;
        if full {
            m.serialize_entry("remediation", f.remediation)?;
            m.serialize_entry("help_uri", &Collect(HelpUri(f.rule.id)))?;
        }
        m.serialize_entry("fingerprint", f.fingerprint.as_str())?;
        if full || self.baseline.is_some() {
            m.serialize_entry("baseline", &self.baseline)?;
        }
        m.end()
    }
}
