//! The offline formats, each detected by content:
//!
//! - [`AssetImporter`]: what `gcloud asset list --format=json` prints (a
//!   JSON array of `Asset`), for `--content-type=resource` or
//!   `--content-type=iam-policy`, and the newline-delimited `Asset` objects
//!   `gcloud asset export` writes;
//! - [`SearchImporter`]: `gcloud asset search-all-iam-policies --format=json`
//!   (a JSON array of `IamPolicySearchResult`), or one API page (`results`);
//! - [`ActivityImporter`]: `gcloud policy-intelligence query-activity
//!   --format=json` (a JSON array of `Activity`), or one API page (`activities`).

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::convert::Builder;
use super::model::{Activity, Asset, IamPolicySearchResult};
use super::{link, ID};
use crate::error::{json_error, Error};
use crate::model::{Inventory, Source};
use crate::providers::input::Sniff;
use crate::providers::Importer;

/// Whether the text starts like a JSON array or JSON lines.
fn json_start(sniff: &Sniff) -> bool {
    let t = sniff.text.trim_start();
    t.starts_with('[') || t.starts_with('{')
}

fn is_activity(sniff: &Sniff) -> bool {
    json_start(sniff) && sniff.mentions("activityType") && sniff.mentions("fullResourceName")
}

fn is_search(sniff: &Sniff) -> bool {
    json_start(sniff)
        && sniff.mentions("assetType")
        && sniff.mentions("policy")
        && sniff.mentions("resource")
        && !sniff.mentions("iamPolicy")
}

/// Cloud Asset Inventory assets: a JSON array, or one asset per line.
pub struct AssetImporter;

impl Importer for AssetImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        json_start(sniff)
            && sniff.mentions("assetType")
            && sniff.mentions("name")
            && !is_search(sniff)
            && !is_activity(sniff)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let lines = !text.trim_start().starts_with('[');
        let assets: Vec<Asset> = if lines {
            json_lines(path, text)?
        } else {
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?
        };
        let mut b = Builder::default();
        let mut scopes = std::collections::BTreeSet::new();
        for asset in assets {
            scopes.extend(asset.ancestors.last().cloned());
            b.asset(asset).map_err(|m| Error::input(path, m))?;
        }
        let kind = if lines {
            "gcloud-asset-export"
        } else {
            "gcloud-asset-list"
        };
        finish(path, kind, scopes, b, inventory);
        Ok(())
    }
}

/// `searchAllIamPolicies` results.
pub struct SearchImporter;

impl Importer for SearchImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        is_search(sniff) && !is_activity(sniff)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            results: Vec<IamPolicySearchResult>,
        }
        let results: Vec<IamPolicySearchResult> = if text.trim_start().starts_with('{') {
            serde_json::from_str::<Page>(text)
                .map_err(|e| json_error(path, &e))?
                .results
        } else {
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?
        };
        let mut b = Builder::default();
        let mut scopes = std::collections::BTreeSet::new();
        for r in results {
            scopes.extend(r.organization.clone().or_else(|| r.project.clone()));
            b.search_result(r);
        }
        finish(path, "gcloud-iam-policy-search", scopes, b, inventory);
        Ok(())
    }
}

/// Policy Intelligence last-authentication activities.
pub struct ActivityImporter;

impl Importer for ActivityImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        is_activity(sniff)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            activities: Vec<Activity>,
        }
        let activities: Vec<Activity> = if text.trim_start().starts_with('{') {
            serde_json::from_str::<Page>(text)
                .map_err(|e| json_error(path, &e))?
                .activities
        } else {
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?
        };
        let mut b = Builder::default();
        let mut scopes = std::collections::BTreeSet::new();
        for a in activities {
            let project = super::convert::short_name(&a.full_resource_name)
                .split('/')
                .take(2)
                .collect::<Vec<_>>()
                .join("/");
            scopes.insert(project.clone());
            b.activity(a, &project).map_err(|m| Error::input(path, m))?;
        }
        finish(path, "gcloud-query-activity", scopes, b, inventory);
        Ok(())
    }
}

/// One JSON object per non-blank line; an error names its line.
fn json_lines<T: DeserializeOwned>(path: &Path, text: &str) -> Result<Vec<T>, Error> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(line).map_err(|e| {
            let message = json_error(path, &e).to_string();
            let message = message
                .split_once(": ")
                .map(|(_, m)| m.to_string())
                .unwrap_or(message);
            Error::input_at(path, n + 1, message)
        })?;
        out.push(value);
    }
    Ok(out)
}

fn finish(
    path: &Path,
    kind: &str,
    scopes: std::collections::BTreeSet<String>,
    b: Builder,
    inventory: &mut Inventory,
) {
    let mut source = Source::new(ID, kind, path.display().to_string());
    source.scope = scopes.into_iter().collect::<Vec<_>>().join(",");
    inventory.add_source(source, b.finish());
    link::link(inventory);
}
