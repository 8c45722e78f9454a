//! Anthropic: the organization admin API, read live (`--anthropic`, key from
//! `ANTHROPIC_ADMIN_KEY`), or a saved tenant snapshot read with `--input`.
//!
//! [`model`] holds the vendor's object shapes, [`client`] reads them into one
//! [`model::Tenant`], and [`convert`] turns a tenant into inventory without
//! any I/O.

pub mod client;
pub mod convert;
pub mod model;

use std::path::Path;

use crate::error::{json_error, Error};
use crate::inventory::{Inventory, Provider};
use crate::progress::Progress;
use crate::providers::admin_api::{self, Client, Endpoint, Retry};

/// The environment variable holding the admin key.
pub const KEY_ENV: &str = "ANTHROPIC_ADMIN_KEY";
/// The API's base URL.
pub const DEFAULT_URL: &str = "https://api.anthropic.com/v1";
/// The API version nhiscan's models follow.
pub const API_VERSION: &str = "2023-06-01";

/// Reads the organization behind `endpoint`. A failure (a rejected key,
/// throttling that does not let up) becomes a failed source, never an error.
pub fn collect(endpoint: Endpoint, retry: Retry, progress: &Progress, inventory: &mut Inventory) {
    let location = endpoint.base_url.clone();
    let auth = ("x-api-key", endpoint.key.expose().to_string());
    let extra = [("anthropic-version", API_VERSION)];
    let api = Client::new(
        endpoint,
        auth,
        &extra,
        "after_id",
        100,
        retry,
        progress.clone(),
    );
    let (calls, tenant) = admin_api::run(api, client::fetch);
    let scope = tenant.as_ref().map_or_else(
        |_| "anthropic".to_string(),
        |t| t.tenant.organization.id.clone(),
    );
    let result = tenant.map(|t| admin_api::Outcome {
        identities: convert::identities(&t.tenant),
        problems: t.problems,
    });
    admin_api::record(
        inventory,
        Provider::Anthropic,
        scope,
        "anthropic-admin-api".into(),
        location,
        result,
        &calls,
    );
}

/// Reads a tenant snapshot file (`"nhiscan_snapshot": "anthropic"`).
pub fn import(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    let tenant: model::Tenant = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    admin_api::record(
        inventory,
        Provider::Anthropic,
        tenant.organization.id.clone(),
        "anthropic-snapshot".into(),
        path.display().to_string(),
        Ok(convert::identities(&tenant)),
        &Default::default(),
    );
    Ok(())
}
