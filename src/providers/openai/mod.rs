//! OpenAI: the organization admin API, read live (`--openai`, key from
//! `OPENAI_ADMIN_KEY`), or a saved tenant snapshot read with `--input`.
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
pub const KEY_ENV: &str = "OPENAI_ADMIN_KEY";
/// The optional environment variable naming the organization (`org-...`),
/// used as the scope of every item; without it the scope is [`DEFAULT_ORG`].
pub const ORG_ENV: &str = "OPENAI_ORG_ID";
/// The scope when `OPENAI_ORG_ID` is not set.
pub const DEFAULT_ORG: &str = "openai-org";
/// The API's base URL.
pub const DEFAULT_URL: &str = "https://api.openai.com/v1";

/// An OpenAI organization to read live.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: Endpoint,
    /// The scope of every item: `OPENAI_ORG_ID`, or [`DEFAULT_ORG`].
    pub organization: String,
}

/// Reads the organization behind `target`. A failure (a rejected key,
/// throttling that does not let up) becomes a failed source, never an error.
pub fn collect(target: &Target, retry: Retry, progress: &Progress, inventory: &mut Inventory) {
    let Target {
        endpoint,
        organization,
    } = target.clone();
    let location = endpoint.base_url.clone();
    let auth = ("authorization", format!("Bearer {}", endpoint.key.expose()));
    let api = Client::new(endpoint, auth, &[], "after", 100, retry, progress.clone());
    let (calls, tenant) = admin_api::run(api, |c| client::fetch(c, organization.clone()));
    let result = tenant.map(|t| convert::identities(&t));
    admin_api::record(
        inventory,
        Provider::Openai,
        organization,
        "openai-admin-api".into(),
        location,
        result,
        &calls,
    );
}

/// Reads a tenant snapshot file (`"nhiscan_snapshot": "openai"`).
pub fn import(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    let tenant: model::Tenant = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    admin_api::record(
        inventory,
        Provider::Openai,
        tenant.organization.clone(),
        "openai-snapshot".into(),
        path.display().to_string(),
        Ok(convert::identities(&tenant)),
        &Default::default(),
    );
    Ok(())
}
