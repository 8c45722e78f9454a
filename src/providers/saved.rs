//! nhiscan's own JSON output, read back so a saved scan can be evaluated again.
//! Its sources (including failed ones) carry over, so a partial scan stays partial.

use std::path::Path;

use serde::Deserialize;

use crate::error::{json_error, Error};
use crate::report::json::{ReportV1, SCHEMA_VERSION};

/// Parses a v1 report.
pub fn parse(path: &Path, text: &str) -> Result<ReportV1, Error> {
    /// Just the version: the rest of the document is skipped, not built.
    #[derive(Deserialize)]
    struct Version {
        #[serde(default)]
        schema_version: serde_json::Value,
    }
    let version = serde_json::from_str::<Version>(text)
        .map_err(|e| json_error(path, &e))?
        .schema_version
        .as_u64();
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(Error::input(
            path,
            format!("nhiscan JSON schema_version {version:?} is not supported; this build reads version {SCHEMA_VERSION}"),
        ));
    }
    serde_json::from_str(text).map_err(|e| json_error(path, &e))
}
