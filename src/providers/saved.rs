//! nhiscan's own JSON output (v1), read back so a saved scan can be evaluated
//! again. Its sources (including failed ones) carry over, so a partial scan
//! stays partial.
//!
//! Only facts come back: owners, privilege and human verdicts that nhiscan
//! computed are dropped and computed again with today's config and clock.
//! What the platform itself reported (an owner of source `provider`, the
//! privilege of a provider that does not have nhiscan compute it, the
//! human verdict of a kind the core does not classify) is kept as reported.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{json_error, Error};
use crate::model::{self, Inventory, LastUsed, OwnerSource, Source};
use crate::providers::input::Sniff;
use crate::providers::{get, Importer, Provider};
use crate::wire::v1::{self, SCHEMA_VERSION};

/// The importer of nhiscan JSON.
pub struct Saved;

pub static SAVED: Saved = Saved;

impl Importer for Saved {
    fn detect(&self, sniff: &Sniff) -> bool {
        sniff.has_key("schema_version") && sniff.has_key("identities")
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        match stream(path, text, inventory) {
            Streamed::Done(result) => return result,
            Streamed::NotFirst => {}
        }
        let report = parse(path, text)?;
        for s in report.sources {
            inventory.sources.push(source(path, s)?);
        }
        for identity in report.identities {
            inventory.add(to_identity(path, identity)?);
        }
        Ok(())
    }
}

/// How [`stream`] went.
enum Streamed {
    /// Read (or failed), nothing left to do.
    Done(Result<(), Error>),
    /// `identities` came before `schema_version`: nothing was added; read it whole.
    NotFirst,
}

/// Reads a saved report in one pass, as nhiscan writes it (`schema_version`
/// first): each identity is converted and added as it is read, and the
/// findings, which are computed again, are skipped without being built.
fn stream(path: &Path, text: &str, inventory: &mut Inventory) -> Streamed {
    use serde::de::{
        DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };
    use std::fmt;

    const REQUIRED: [&str; 8] = [
        "schema_version",
        "tool",
        "now",
        "sources",
        "identities",
        "findings",
        "warnings",
        "summary",
    ];

    struct Report<'a> {
        path: &'a Path,
        inventory: &'a mut Inventory,
        /// An error of ours met inside the parse, returned instead of serde's.
        failed: Option<Error>,
        not_first: bool,
    }

    impl<'de> Visitor<'de> for &mut Report<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an nhiscan JSON report")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            use serde::de::Error as _;
            let mut version_ok = false;
            let mut seen: Vec<&str> = Vec::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if let Some(k) = REQUIRED.iter().find(|k| **k == key) {
                    seen.push(*k);
                }
                match key.as_ref() {
                    "schema_version" => {
                        let version = map.next_value::<serde_json::Value>()?.as_u64();
                        if version != Some(u64::from(SCHEMA_VERSION)) {
                            self.failed = Some(Error::input(
                                self.path,
                                format!("nhiscan JSON schema_version {version:?} is not supported; this build reads version {SCHEMA_VERSION}"),
                            ));
                            return Err(A::Error::custom("unsupported version"));
                        }
                        version_ok = true;
                    }
                    "identities" | "sources" if !version_ok => {
                        self.not_first = true;
                        return Err(A::Error::custom("schema_version is not first"));
                    }
                    "sources" => {
                        for s in map.next_value::<Vec<v1::Source>>()? {
                            match source(self.path, s) {
                                Ok(s) => self.inventory.sources.push(s),
                                Err(e) => {
                                    self.failed = Some(e);
                                    return Err(A::Error::custom("bad source"));
                                }
                            }
                        }
                    }
                    "identities" => map.next_value_seed(Identities(&mut *self))?,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            if !version_ok {
                self.not_first = true;
                return Err(A::Error::custom("no schema_version"));
            }
            // The fields JSON v1 requires, as the full reader would.
            let missing = REQUIRED.iter().find(|k| !seen.contains(*k));
            match missing {
                Some(k) => Err(A::Error::custom(format!("missing field `{k}`"))),
                None => Ok(()),
            }
        }
    }

    /// The `identities` array, each added to the inventory as it is read.
    struct Identities<'r, 'a>(&'r mut Report<'a>);

    impl<'de> DeserializeSeed<'de> for Identities<'_, '_> {
        type Value = ();

        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Identities<'_, '_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of identities")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            use serde::de::Error as _;
            while let Some(identity) = seq.next_element::<v1::Identity>()? {
                match to_identity(self.0.path, identity) {
                    Ok(identity) => self.0.inventory.add(identity),
                    Err(e) => {
                        self.0.failed = Some(e);
                        return Err(A::Error::custom("bad identity"));
                    }
                }
            }
            Ok(())
        }
    }

    // Nothing is added before `schema_version` is checked, so a fallback
    // starts from the inventory as it was; an error stops the whole scan.
    let mut report = Report {
        path,
        inventory,
        failed: None,
        not_first: false,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = de.deserialize_map(&mut report).and_then(|()| de.end());
    let (failed, not_first) = (report.failed.take(), report.not_first);
    match (result, failed) {
        (Ok(()), _) => Streamed::Done(Ok(())),
        (Err(_), Some(e)) => Streamed::Done(Err(e)),
        (Err(_), None) if not_first => Streamed::NotFirst,
        (Err(e), None) => Streamed::Done(Err(json_error(path, &e))),
    }
}

/// A saved source, its provider checked.
fn source(path: &Path, s: v1::Source) -> Result<Source, Error> {
    let provider = provider(path, &s.provider)?;
    Ok(Source {
        provider: provider.map_or(model::UNRECOGNIZED, |p| p.id()),
        scope: s.scope,
        kind: s.kind,
        location: s.location,
        status: s.status,
        items: s.items,
        error: s.error,
        api_calls: s.api_calls,
    })
}

/// Reads and version-checks a saved report.
pub fn parse(path: &Path, text: &str) -> Result<v1::Report, Error> {
    #[derive(Deserialize)]
    struct Version {
        #[serde(default)]
        schema_version: serde_json::Value,
        #[serde(default, rename = "$schema")]
        schema: serde_json::Value,
        #[serde(default)]
        runs: serde_json::Value,
        #[serde(default)]
        nhiscan_baseline: serde_json::Value,
    }
    let head = serde_json::from_str::<Version>(text).map_err(|e| json_error(path, &e))?;
    let expected = "expected an nhiscan JSON report (`nhiscan scan -f json` output)";
    if head.schema_version.is_null() {
        let what =
            if !head.runs.is_null() || head.schema.as_str().is_some_and(|s| s.contains("sarif")) {
                "this is a SARIF log, not an nhiscan JSON report"
            } else if !head.nhiscan_baseline.is_null() {
                "this is an nhiscan baseline, not a scan report"
            } else {
                "this is not an nhiscan JSON report (it has no schema_version)"
            };
        return Err(Error::input(path, format!("{what}; {expected}")));
    }
    let version = head.schema_version.as_u64();
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(Error::input(
            path,
            format!(
                "nhiscan JSON schema_version {} is not supported; this build reads version {SCHEMA_VERSION}",
                head.schema_version
            ),
        ));
    }
    serde_json::from_str(text).map_err(|e| json_error(path, &e))
}

/// The provider named `id`; `none` (a skipped file) is no provider.
fn provider(path: &Path, id: &str) -> Result<Option<&'static dyn Provider>, Error> {
    if id == model::UNRECOGNIZED {
        return Ok(None);
    }
    get(id)
        .map(Some)
        .ok_or_else(|| Error::input(path, format!("unknown provider {id:?}")))
}

fn to_identity(path: &Path, wire: v1::Identity) -> Result<model::Identity, Error> {
    let holder = to_item(path, wire.item, false)?;
    let mut identity = model::Identity::new(holder);
    identity.tags = wire.tags;
    for c in wire.credentials {
        identity.credentials.push(model::Credential {
            item: to_item(path, c.item, true)?,
            parent_id: c.parent_id,
        });
    }
    Ok(identity)
}

fn to_item(path: &Path, wire: v1::Item, credential: bool) -> Result<model::Item, Error> {
    let bad = |what: String| Error::input(path, format!("{}: {what}", wire.id));
    let provider =
        get(&wire.provider).ok_or_else(|| bad(format!("unknown provider {:?}", wire.provider)))?;
    let kind = provider
        .kinds()
        .iter()
        .copied()
        .find(|k| k.as_str() == wire.kind)
        .ok_or_else(|| bad(format!("unknown {} kind {:?}", provider.id(), wire.kind)))?;
    let details = provider
        .details_from_wire(kind, credential, &wire.details)
        .map_err(bad)?;
    let mut item = model::Item::new(wire.id, provider.id(), wire.scope, kind, wire.name);
    item.native_id = wire.native_id;
    item.created_at = wire.created_at;
    item.last_used = LastUsed::from_parts(wire.usage, wire.last_used_at);
    item.expires_at = wire.expires_at;
    item.status = wire.status;
    item.creator = wire.creator;
    item.details = details;
    item.reported.owner = wire.owner.filter(|o| o.source == OwnerSource::Provider);
    if !provider.computes_privilege() {
        item.reported.privilege = Some(Arc::new(wire.privilege.into()));
        item.reported.human = Some((wire.human, wire.human_reason));
    }
    Ok(item)
}
