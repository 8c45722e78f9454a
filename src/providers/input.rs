//! `--input PATH`: expands directories, detects each file's format from its
//! content (never its name) and hands it to the right importer.

use std::path::{Path, PathBuf};

use crate::error::{json_error, Error};
use crate::inventory::{Inventory, Provider, Source, SourceStatus};
use crate::providers::{aws, saved};

/// The formats `--input` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// The decoded CSV of `aws iam get-credential-report`.
    CredentialReportCsv,
    /// The CLI's JSON wrapper around it (`Content` is base64).
    CredentialReportJson,
    /// `aws iam get-account-authorization-details`.
    AuthorizationDetails,
    /// nhiscan's own `--format json` output.
    NhiscanJson,
}

/// Reads every input into the inventory, one source per file.
pub fn load(paths: &[PathBuf], inventory: &mut Inventory) -> Result<(), Error> {
    for file in expand(paths)? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Error::input(&file, format!("cannot read: {e}")))?;
        load_text(&file, &text, inventory)?;
    }
    Ok(())
}

/// Reads one input's text; `path` names it in sources and errors.
pub fn load_text(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = detect(path, text)?;
    let (kind, identities, partial) = match format {
        InputFormat::CredentialReportCsv => (
            "credential-report",
            aws::credential_report::parse(path, text)?,
            None,
        ),
        InputFormat::CredentialReportJson => (
            "credential-report",
            aws::credential_report::parse_wrapper(path, text)?,
            None,
        ),
        InputFormat::AuthorizationDetails => {
            let details = aws::authorization_details::parse(path, text)?;
            (
                "authorization-details",
                details.identities,
                details.truncated,
            )
        }
        InputFormat::NhiscanJson => {
            let report = saved::parse(path, text)?;
            inventory.sources.extend(report.sources);
            for identity in report.identities {
                inventory.add(identity);
            }
            return Ok(());
        }
    };
    inventory.sources.push(Source {
        provider: Provider::Aws,
        scope: aws::scopes(&identities),
        kind: kind.into(),
        location: path.display().to_string(),
        status: if partial.is_some() {
            SourceStatus::Partial
        } else {
            SourceStatus::Ok
        },
        items: identities.iter().map(|i| 1 + i.credentials.len()).sum(),
        error: partial,
    });
    for identity in identities {
        inventory.add(identity);
    }
    Ok(())
}

/// Files named by `paths`, directories expanded recursively, in a stable order.
/// Hidden files (`.name`) inside directories are skipped.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(Error::input(path, "directory holds no input files"));
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::input(dir, format!("cannot list: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::input(dir, format!("cannot list: {e}")))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files)?;
        } else {
            files.push(p);
        }
    }
    Ok(())
}

/// Tells the format from the content.
pub fn detect(path: &Path, text: &str) -> Result<InputFormat, Error> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Error::input(path, "file is empty"));
    }
    if trimmed.starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let has = |k: &str| value.get(k).is_some();
        return if has("schema_version") && has("identities") {
            Ok(InputFormat::NhiscanJson)
        } else if [
            "UserDetailList",
            "RoleDetailList",
            "GroupDetailList",
            "Policies",
        ]
        .iter()
        .any(|k| has(k))
        {
            Ok(InputFormat::AuthorizationDetails)
        } else if has("Content") {
            Ok(InputFormat::CredentialReportJson)
        } else {
            Err(Error::input(
                path,
                "unrecognized JSON: expected get-account-authorization-details output \
                 (UserDetailList, RoleDetailList, ...), a get-credential-report wrapper (Content), \
                 or nhiscan JSON output (schema_version)",
            ))
        };
    }
    let first = trimmed.lines().next().unwrap_or_default();
    if first.starts_with("user,") || first.starts_with("\"user\",") {
        return Ok(InputFormat::CredentialReportCsv);
    }
    if first.contains(',') {
        return Err(Error::input_at(
            path,
            1,
            format!(
                "wrong column set: a credential report starts with the columns {}",
                aws::credential_report::COLUMNS.join(",")
            ),
        ));
    }
    Err(Error::input(
        path,
        "unrecognized input: expected an IAM credential report (CSV or JSON), \
         get-account-authorization-details JSON, or nhiscan JSON output",
    ))
}
