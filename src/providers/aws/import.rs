//! The offline formats: the IAM credential report (CSV, or the CLI's JSON
//! wrapper) and `get-account-authorization-details` output. A saved `--aws`
//! scan is nhiscan JSON, read by the generic saved-scan importer.

use std::path::Path;

use super::{authorization_details, credential_report, scopes, ID};
use crate::error::Error;
use crate::model::{Identity, Inventory, Source, SourceStatus};
use crate::providers::input::Sniff;
use crate::providers::Importer;

/// The decoded CSV of `aws iam get-credential-report`.
pub struct CredentialReportCsv;

/// The JSON printed by `aws iam get-credential-report` (`Content` is the base64 CSV).
pub struct CredentialReportJson;

/// `aws iam get-account-authorization-details`.
pub struct AuthorizationDetails;

/// The top-level keys of an authorization-details export.
const DETAILS_KEYS: [&str; 4] = [
    "UserDetailList",
    "RoleDetailList",
    "GroupDetailList",
    "Policies",
];

/// Whether a first line is a credential report's header, or plainly meant
/// to be one: it starts with the `user` column, or names `arn` and another
/// report column. Notes or a licence with commas in them are not.
fn report_header(line: &str) -> bool {
    let fields: Vec<&str> = line
        .split(',')
        .map(|f| f.trim().trim_matches('"').trim())
        .collect();
    if fields.first() == Some(&"user") {
        return true;
    }
    let known = fields
        .iter()
        .filter(|f| credential_report::COLUMNS.contains(f))
        .count();
    fields.contains(&"arn") && known >= 2
}

impl Importer for CredentialReportCsv {
    fn detect(&self, sniff: &Sniff) -> bool {
        !sniff.is_json() && report_header(sniff.first_line)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let identities = credential_report::parse(path, text)?;
        add(inventory, path, "credential-report", identities, None);
        Ok(())
    }
}

impl Importer for CredentialReportJson {
    fn detect(&self, sniff: &Sniff) -> bool {
        sniff.has_key("Content")
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let identities = credential_report::parse_wrapper(path, text)?;
        add(inventory, path, "credential-report", identities, None);
        Ok(())
    }
}

impl Importer for AuthorizationDetails {
    fn detect(&self, sniff: &Sniff) -> bool {
        DETAILS_KEYS.iter().any(|k| sniff.has_key(k))
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let details = authorization_details::parse(path, text)?;
        add(
            inventory,
            path,
            "authorization-details",
            details.identities,
            details.truncated,
        );
        Ok(())
    }
}

/// One source for the file, partial when the export says it is incomplete.
fn add(
    inventory: &mut Inventory,
    path: &Path,
    kind: &str,
    identities: Vec<Identity>,
    partial: Option<String>,
) {
    let mut source = Source::new(ID, kind, path.display().to_string());
    source.scope = scopes(&identities);
    if partial.is_some() {
        source.status = SourceStatus::Partial;
    }
    source.error = partial;
    inventory.add_source(source, identities);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::input;

    const REPORT: &str = include_str!("../../../fixtures/demo/credential-report.csv");
    const DETAILS: &str = include_str!("../../../fixtures/demo/authorization-details.json");

    fn load(name: &str, text: &str) -> Result<Inventory, String> {
        let mut inv = Inventory::default();
        input::load_text(Path::new(name), text, &mut inv).map_err(|e| e.to_string())?;
        Ok(inv)
    }

    #[test]
    fn report_headers_are_claimed_and_notes_are_not() {
        assert!(report_header(REPORT.lines().next().unwrap()));
        assert!(report_header("\"user\",\"arn\""));
        assert!(report_header(
            "name,arn,user_creation_time,password_enabled"
        ));
        assert!(!report_header(
            "Permission is hereby granted, free of charge, to any person"
        ));
        assert!(!report_header("name,arn,created"));
        assert!(!report_header("username,email"));
    }

    #[test]
    fn each_format_is_one_source_with_its_scope() {
        let inv = load("r.csv", REPORT).unwrap();
        assert_eq!(inv.sources.len(), 1);
        let s = &inv.sources[0];
        assert_eq!(
            (s.provider, s.kind.as_str(), s.scope.as_str(), s.status),
            (ID, "credential-report", "123456789012", SourceStatus::Ok)
        );
        assert_eq!(s.items, inv.item_count());

        let inv = load("d.json", DETAILS).unwrap();
        let s = &inv.sources[0];
        assert_eq!(
            (s.kind.as_str(), s.status),
            ("authorization-details", SourceStatus::Ok)
        );
        assert!(inv.item_count() > 0);
    }

    #[test]
    fn a_truncated_export_is_a_partial_source() {
        let inv = load(
            "page1.json",
            "{\"UserDetailList\": [], \"IsTruncated\": true}",
        )
        .unwrap();
        let s = &inv.sources[0];
        assert_eq!(s.status, SourceStatus::Partial);
        assert!(s.error.as_deref().unwrap().contains("truncated"));
    }

    #[test]
    fn a_header_with_other_columns_is_claimed_and_fails_at_line_1() {
        let e = load("x.csv", "name,arn,user_creation_time\na,b,c\n").unwrap_err();
        assert!(e.starts_with("x.csv:1: wrong column set"), "{e}");
    }
}
