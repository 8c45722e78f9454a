//! `--input PATH`: expands directories, detects each file's format from its
//! content (never its name) and hands it to the right importer.
//!
//! A file named on the command line must be a known format. A file found by
//! walking a directory that is plainly something else (a README, an unrelated
//! JSON document) is listed as a `skipped` source instead, so an export folder
//! with notes in it still scans and nothing is dropped silently. Anything that
//! looks like an export but is broken is an error either way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::error::{json_error, Error};
use crate::inventory::{Inventory, Provider, Source, SourceStatus};
use crate::providers::{anthropic, aws, github, openai, saved};

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
    /// A tenant snapshot of an AI platform's admin API (`"nhiscan_snapshot": "openai"`).
    OpenaiSnapshot,
    /// The same for Anthropic (`"nhiscan_snapshot": "anthropic"`).
    AnthropicSnapshot,
    /// A GitHub org snapshot (`--github-snapshot-dir`).
    GithubSnapshot,
}

/// Reads every input into the inventory, one source per file.
pub fn load(paths: &[PathBuf], inventory: &mut Inventory) -> Result<(), Error> {
    for (file, in_directory) in expand(paths)? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Error::input(&file, format!("cannot read: {e}")))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match detect(&file, text)? {
            Some(format) => import(&file, text, format, inventory)?,
            None if in_directory => inventory.sources.push(Source {
                provider: Provider::Aws,
                scope: String::new(),
                kind: "unrecognized".into(),
                location: file.display().to_string(),
                status: SourceStatus::Skipped,
                items: 0,
                error: Some(
                    "not a credential report, authorization-details export, AI tenant snapshot or nhiscan JSON".into(),
                ),
                api_calls: Default::default(),
            }),
            None => return Err(unrecognized(&file, text)),
        }
    }
    Ok(())
}

/// Reads one input's text, which must be a known format; `path` names it in sources and errors.
pub fn load_text(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match detect(path, text)? {
        Some(format) => import(path, text, format, inventory),
        None => Err(unrecognized(path, text)),
    }
}

/// Imports text of a known format.
fn import(
    path: &Path,
    text: &str,
    format: InputFormat,
    inventory: &mut Inventory,
) -> Result<(), Error> {
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
        InputFormat::OpenaiSnapshot => return openai::import(path, text, inventory),
        InputFormat::AnthropicSnapshot => return anthropic::import(path, text, inventory),
        InputFormat::GithubSnapshot => {
            let snapshot = github::snapshot::parse(path, text)?;
            let location = path.display().to_string();
            github::add(inventory, &snapshot, &location, "github-snapshot", false);
            return Ok(());
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
        api_calls: Default::default(),
    });
    for identity in identities {
        inventory.add(identity);
    }
    Ok(())
}

/// Files named by `paths`, directories expanded recursively, in a stable order,
/// each with whether it was found in a directory. Hidden files (`.name`)
/// inside directories are left out.
fn expand(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(Error::input(path, "directory holds no input files"));
            }
            files.extend(found.into_iter().map(|f| (f, true)));
        } else {
            files.push((path.clone(), false));
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

/// Tells the format from the content: `None` when the file is plainly not an
/// export. A file that looks like one but is broken is an error.
pub fn detect(path: &Path, text: &str) -> Result<Option<InputFormat>, Error> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Error::input(path, "file is empty"));
    }
    if trimmed.starts_with('{') {
        // Only the top-level keys decide the format: their values are checked
        // for syntax but not built, so the importer's parse is the only full one.
        let keys: BTreeMap<String, IgnoredAny> =
            serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
        let has = |k: &str| keys.contains_key(k);
        if has("nhiscan_snapshot") {
            #[derive(Deserialize)]
            struct Marker {
                nhiscan_snapshot: serde_json::Value,
            }
            let Marker {
                nhiscan_snapshot: snapshot,
            } = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
            return match snapshot.as_str() {
                Some("openai") => Ok(Some(InputFormat::OpenaiSnapshot)),
                Some("anthropic") => Ok(Some(InputFormat::AnthropicSnapshot)),
                _ => Err(Error::input(
                    path,
                    format!("nhiscan_snapshot {snapshot} is not \"openai\" or \"anthropic\""),
                )),
            };
        }
        let details = [
            "UserDetailList",
            "RoleDetailList",
            "GroupDetailList",
            "Policies",
        ];
        return Ok(if has(github::snapshot::MARKER) {
            Some(InputFormat::GithubSnapshot)
        } else if has("schema_version") && has("identities") {
            Some(InputFormat::NhiscanJson)
        } else if details.iter().any(|k| has(k)) {
            Some(InputFormat::AuthorizationDetails)
        } else if has("Content") {
            Some(InputFormat::CredentialReportJson)
        } else {
            None
        });
    }
    let first = trimmed.lines().next().unwrap_or_default();
    if first.starts_with("user,") || first.starts_with("\"user\",") {
        return Ok(Some(InputFormat::CredentialReportCsv));
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
    Ok(None)
}

/// The error for a file that [`detect`] did not recognize.
fn unrecognized(path: &Path, text: &str) -> Error {
    let message = if text.trim_start().starts_with('{') {
        "unrecognized JSON: expected get-account-authorization-details output \
         (UserDetailList, RoleDetailList, ...), a get-credential-report wrapper (Content), \
         an AI tenant snapshot (nhiscan_snapshot), a GitHub org snapshot (nhiscan_github_snapshot)
         or nhiscan JSON output (schema_version)"
    } else {
        "unrecognized input: expected an IAM credential report (CSV or JSON), \
         get-account-authorization-details JSON, or nhiscan JSON output"
    };
    Error::input(path, message)
}
