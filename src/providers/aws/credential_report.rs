//! The IAM credential report (22 columns), as CSV or as the CLI's JSON wrapper.
//!
//! Columns are found by name, so reordered or extra columns are fine; all 22
//! of [`COLUMNS`] must be present. Each row becomes one [`Identity`] (the
//! `<root_account>` row a [`ROOT`]) with its console password, access
//! keys and signing certificates as [`Credential`]s.

use std::path::Path;

use base64::Engine as _;
use jiff::Timestamp;
use serde::Deserialize;

use super::details::{CredentialDetails, IdentityDetails};
use super::{ACCESS_KEY, CERTIFICATE, ID, PASSWORD, ROOT, USER};
use crate::error::{json_error, Error};
use crate::model::time::parse_timestamp;
use crate::model::{Credential, Identity, Item, Kind, LastUsed, Status};

/// The columns of a credential report, in AWS's order.
pub const COLUMNS: [&str; 22] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

// Indexes into COLUMNS (and into the header map built from it).
const USER_NAME: usize = 0;
const ARN: usize = 1;
const USER_CREATION_TIME: usize = 2;
const PASSWORD_ENABLED: usize = 3;
const PASSWORD_LAST_USED: usize = 4;
const PASSWORD_LAST_CHANGED: usize = 5;
const PASSWORD_NEXT_ROTATION: usize = 6;
const MFA_ACTIVE: usize = 7;
/// `(active, last_rotated, last_used_date, last_used_region, last_used_service)` per key slot.
const KEY_SLOTS: [(usize, usize, usize, usize, usize); 2] =
    [(8, 9, 10, 11, 12), (13, 14, 15, 16, 17)];
/// `(active, last_rotated)` per certificate slot.
const CERT_SLOTS: [(usize, usize); 2] = [(18, 19), (20, 21)];

/// The `user` value of the account's root row.
const ROOT_USER: &str = "<root_account>";

/// A date column's value: a date or one of AWS's placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateCell {
    At(Timestamp),
    /// `N/A`: not applicable (no such credential, or never used).
    NotApplicable,
    /// `no_information`: used before AWS tracked it, or not tracked.
    NoInformation,
    /// `not_supported`: the root row's password columns.
    NotSupported,
}

impl DateCell {
    fn at(self) -> Option<Timestamp> {
        match self {
            DateCell::At(t) => Some(t),
            _ => None,
        }
    }

    /// As a last-used value: `N/A` means never used, `no_information` unknown.
    fn last_used(self) -> LastUsed {
        match self {
            DateCell::At(t) => LastUsed::At(t),
            DateCell::NotApplicable => LastUsed::Never,
            DateCell::NoInformation | DateCell::NotSupported => LastUsed::Unknown,
        }
    }
}

/// One data row, with the header's column positions.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    record: &'a csv::StringRecord,
    index: &'a [usize; 22],
}

impl Row<'_> {
    fn get(&self, column: usize) -> &str {
        self.record
            .get(self.index[column])
            .unwrap_or_default()
            .trim()
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::input_at(self.path, self.line, message)
    }

    fn date(&self, column: usize) -> Result<DateCell, Error> {
        let value = self.get(column);
        Ok(match value {
            "N/A" => DateCell::NotApplicable,
            "no_information" => DateCell::NoInformation,
            "not_supported" => DateCell::NotSupported,
            _ => DateCell::At(
                parse_timestamp(value)
                    .map_err(|e| self.error(format!("column {}: {e}", COLUMNS[column])))?,
            ),
        })
    }

    /// `true`/`false`; `None` for `not_supported` and `N/A`.
    fn flag(&self, column: usize) -> Result<Option<bool>, Error> {
        let value = self.get(column);
        if value.eq_ignore_ascii_case("true") {
            Ok(Some(true))
        } else if value.eq_ignore_ascii_case("false") {
            Ok(Some(false))
        } else if value == "not_supported" || value == "N/A" {
            Ok(None)
        } else {
            Err(self.error(format!(
                "column {}: expected true or false, got {value:?}",
                COLUMNS[column]
            )))
        }
    }

    /// A free-text column, `None` when `N/A` or empty.
    fn text(&self, column: usize) -> Option<String> {
        match self.get(column) {
            "" | "N/A" | "no_information" | "not_supported" => None,
            v => Some(v.to_string()),
        }
    }
}

/// Parses the decoded CSV.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Identity>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    let index = column_index(path, &headers)?;

    let mut identities = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = Row {
            path,
            line,
            record: &record,
            index: &index,
        };
        identities.push(identity(&row)?);
    }
    Ok(identities)
}

/// The position of each of [`COLUMNS`] in the header, or a wrong-column-set error.
fn column_index(path: &Path, headers: &csv::StringRecord) -> Result<[usize; 22], Error> {
    let mut index = [usize::MAX; 22];
    for (position, name) in headers.iter().enumerate() {
        let name = name.trim();
        if let Some(column) = COLUMNS.iter().position(|c| *c == name) {
            if index[column] == usize::MAX {
                index[column] = position;
            }
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(index)
        .filter(|(_, i)| *i == usize::MAX)
        .map(|(c, _)| *c)
        .collect();
    if missing.is_empty() {
        Ok(index)
    } else {
        Err(Error::input_at(
            path,
            1,
            format!(
                "wrong column set: missing columns {}; expected {}",
                missing.join(", "),
                COLUMNS.join(",")
            ),
        ))
    }
}

fn csv_error(path: &Path, err: &csv::Error) -> Error {
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "row has {len} fields, expected {expected_len} (one per header column); \
             is the file truncated or badly quoted?"
        ),
        _ => format!("malformed CSV: {err}"),
    };
    match err.position() {
        Some(p) => Error::input_at(path, p.line() as usize, message),
        None => Error::input(path, message),
    }
}

/// One row as an identity with its credentials.
fn identity(row: &Row<'_>) -> Result<Identity, Error> {
    let arn = row.get(ARN);
    let account = super::account_of(arn)
        .ok_or_else(|| row.error(format!("column arn: no account id in {arn:?}")))?
        .to_string();
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    let user = row.get(USER_NAME);
    let is_root = user == ROOT_USER || resource == "root";
    let (kind, name) = if is_root {
        (ROOT, "root".to_string())
    } else {
        (USER, user.to_string())
    };

    let mut item = Item::new(arn.to_string(), ID, account.clone(), kind, name);
    item.created_at = row.date(USER_CREATION_TIME)?.at();
    item.details = Some(Box::new(IdentityDetails {
        mfa_active: row.flag(MFA_ACTIVE)?,
        path: if is_root { None } else { iam_path(resource) },
        ..IdentityDetails::default()
    }));
    let mut identity = Identity::new(item);

    let credential = |kind: Kind, slot: String| Credential {
        item: Item::new(format!("{arn}/{slot}"), ID, account.clone(), kind, slot),
        parent_id: arn.to_string(),
    };

    // Validate every date column even when its credential is absent, so a
    // garbled row never passes silently.
    let password_last_used = row.date(PASSWORD_LAST_USED)?;
    let password_last_changed = row.date(PASSWORD_LAST_CHANGED)?;
    let password_next_rotation = row.date(PASSWORD_NEXT_ROTATION)?;
    if row.flag(PASSWORD_ENABLED)? == Some(true) {
        let mut c = credential(PASSWORD, "password".into());
        c.item.created_at = password_last_changed.at();
        c.item.last_used = password_last_used.last_used();
        c.item.expires_at = password_next_rotation.at();
        identity.credentials.push(c);
    }

    for (slot, (active, rotated, used, region, service)) in KEY_SLOTS.into_iter().enumerate() {
        let active = row.flag(active)?;
        let rotated = row.date(rotated)?;
        let used = row.date(used)?;
        let Some(created) = rotated.at() else {
            continue;
        };
        let mut c = credential(ACCESS_KEY, format!("access-key/{}", slot + 1));
        c.item.created_at = Some(created);
        c.item.status = status(active);
        c.item.last_used = used.last_used();
        let details = CredentialDetails {
            last_used_region: row.text(region),
            last_used_service: row.text(service),
        };
        if details != CredentialDetails::default() {
            c.item.details = Some(Box::new(details));
        }
        identity.credentials.push(c);
    }

    for (slot, (active, rotated)) in CERT_SLOTS.into_iter().enumerate() {
        let active = row.flag(active)?;
        // An active slot without an upload date (moto writes N/A) is still a certificate.
        let created = row.date(rotated)?.at();
        if created.is_none() && active != Some(true) {
            continue;
        }
        let mut c = credential(CERTIFICATE, format!("certificate/{}", slot + 1));
        c.item.created_at = created;
        c.item.status = status(active);
        c.item.last_used = LastUsed::Unknown;
        identity.credentials.push(c);
    }

    Ok(identity)
}

fn status(active: Option<bool>) -> Status {
    if active == Some(true) {
        Status::Active
    } else {
        Status::Inactive
    }
}

/// The IAM path of a `user/<path>/<name>` resource: `user/ci/deployer` → `/ci/`.
fn iam_path(resource: &str) -> Option<String> {
    let rest = resource.strip_prefix("user")?;
    if !rest.starts_with('/') {
        return None;
    }
    let end = rest.rfind('/')?;
    Some(rest[..=end].to_string())
}

/// The JSON printed by `aws iam get-credential-report`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Wrapper {
    content: String,
    #[serde(default)]
    report_format: Option<String>,
}

/// Parses the JSON wrapper printed by `aws iam get-credential-report`.
pub fn parse_wrapper(path: &Path, text: &str) -> Result<Vec<Identity>, Error> {
    let wrapper: Wrapper = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    let content_line = text
        .find("\"Content\"")
        .map_or(1, |i| text[..i].matches('\n').count() + 1);
    let at_content = |message: String| Error::input_at(path, content_line, message);
    if let Some(format) = wrapper.report_format.as_deref() {
        if format != "text/csv" {
            return Err(at_content(format!(
                "ReportFormat is {format:?}; only text/csv credential reports are supported"
            )));
        }
    }
    let encoded: String = wrapper
        .content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.as_bytes())
        .map_err(|e| at_content(format!("field Content is not valid base64: {e}")))?;
    let csv = String::from_utf8(bytes)
        .map_err(|e| at_content(format!("field Content does not decode to UTF-8 text: {e}")))?;
    parse(path, &csv).map_err(|e| match e {
        Error::Input {
            line: Some(line),
            message,
            ..
        } => at_content(format!(
            "field Content, line {line} of the decoded report: {message}"
        )),
        Error::Input { message, .. } => at_content(format!("field Content: {message}")),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Class;
    use crate::providers::aws::details;

    fn det(i: &Identity) -> &IdentityDetails {
        details::of(i)
    }

    fn cdet(c: &Credential) -> CredentialDetails {
        c.item
            .details::<CredentialDetails>()
            .cloned()
            .unwrap_or_default()
    }

    const REPORT_CSV: &str = include_str!("../../../fixtures/aws/credential-report/report.csv");
    const REPORT_JSON: &str = include_str!("../../../fixtures/aws/credential-report/report.json");
    const TRUNCATED: &str = include_str!("../../../fixtures/aws/credential-report/truncated.csv");
    const WRONG_COLUMNS: &str =
        include_str!("../../../fixtures/aws/credential-report/wrong-columns.csv");
    const BAD_DATE: &str = include_str!("../../../fixtures/aws/credential-report/bad-date.csv");

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn report() -> Vec<Identity> {
        parse(Path::new("report.csv"), REPORT_CSV).unwrap()
    }

    fn find<'a>(ids: &'a [Identity], id: &str) -> &'a Identity {
        ids.iter()
            .find(|i| i.item.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    fn cred<'a>(identity: &'a Identity, suffix: &str) -> &'a Credential {
        let id = format!("{}/{suffix}", identity.item.id);
        identity
            .credentials
            .iter()
            .find(|c| c.item.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    fn kinds(identity: &Identity) -> Vec<String> {
        identity
            .credentials
            .iter()
            .map(|c| c.item.name.clone())
            .collect()
    }

    fn err(name: &str, text: &str) -> String {
        parse(Path::new(name), text).unwrap_err().to_string()
    }

    #[test]
    fn one_identity_per_row_in_file_order() {
        let ids: Vec<String> = report().into_iter().map(|i| i.item.id).collect();
        assert_eq!(
            ids,
            [
                "arn:aws:iam::123456789012:root",
                "arn:aws:iam::123456789012:user/alice",
                "arn:aws:iam::123456789012:user/ci/deployer",
                "arn:aws:iam::123456789012:user/legacy-batch",
                "arn:aws:iam::123456789012:user/carol",
                "arn:aws:iam::123456789012:user/bob",
            ]
        );
    }

    #[test]
    fn root_row_is_root_with_its_access_key_and_no_password() {
        let ids = report();
        let root = find(&ids, "arn:aws:iam::123456789012:root");
        assert_eq!(root.item.kind, ROOT);
        assert_eq!(root.item.name, "root");
        assert_eq!(root.item.scope, "123456789012");
        assert_eq!(root.item.provider, "aws");
        assert_eq!(root.item.created_at, Some(ts("2019-03-01T08:00:00Z")));
        assert_eq!(det(root).path, None);
        assert_eq!(det(root).mfa_active, Some(true));
        assert!(!det(root).policies_known);
        assert_eq!(kinds(root), ["access-key/1"]);
        let key = cred(root, "access-key/1");
        assert_eq!(key.item.id, "arn:aws:iam::123456789012:root/access-key/1");
        assert_eq!(key.item.kind, ACCESS_KEY);
        assert_eq!(key.item.status, Status::Active);
        assert_eq!(key.item.scope, "123456789012");
        assert_eq!(key.parent_id, "arn:aws:iam::123456789012:root");
        assert_eq!(key.item.native_id, None);
        assert_eq!(key.item.created_at, Some(ts("2019-03-02T09:00:00Z")));
        assert_eq!(key.item.last_used, LastUsed::At(ts("2025-10-30T12:00:00Z")));
        assert_eq!(cdet(key).last_used_region.as_deref(), Some("us-east-1"));
        assert_eq!(cdet(key).last_used_service.as_deref(), Some("iam"));
    }

    #[test]
    fn password_dates_and_expiry() {
        let ids = report();
        let alice = find(&ids, "arn:aws:iam::123456789012:user/alice");
        assert_eq!(alice.item.kind, USER);
        assert_eq!(alice.item.name, "alice");
        assert_eq!(det(alice).path.as_deref(), Some("/"));
        assert_eq!(kinds(alice), ["password", "access-key/1"]);
        let pw = cred(alice, "password");
        assert_eq!(pw.item.id, "arn:aws:iam::123456789012:user/alice/password");
        assert_eq!(pw.item.kind, PASSWORD);
        assert_eq!(pw.item.status, Status::Active);
        assert_eq!(pw.item.created_at, Some(ts("2024-06-01T09:00:00Z")));
        assert_eq!(pw.item.last_used, LastUsed::At(ts("2025-12-01T08:45:00Z")));
        assert_eq!(pw.item.expires_at, Some(ts("2026-06-01T09:00:00Z")));
        assert_eq!(pw.parent_id, alice.item.id);
    }

    #[test]
    fn password_last_used_placeholders() {
        let ids = report();
        // no_information: used before tracking began, or not tracked.
        let legacy = cred(
            find(&ids, "arn:aws:iam::123456789012:user/legacy-batch"),
            "password",
        );
        assert_eq!(legacy.item.last_used, LastUsed::Unknown);
        assert_eq!(legacy.item.expires_at, None);
        // N/A: never used.
        let carol = find(&ids, "arn:aws:iam::123456789012:user/carol");
        assert_eq!(kinds(carol), ["password"]);
        assert_eq!(cred(carol, "password").item.last_used, LastUsed::Never);
        assert_eq!(
            cred(carol, "password").item.created_at,
            Some(ts("2025-09-01T07:00:00Z"))
        );
    }

    #[test]
    fn both_key_slots_and_path_from_arn() {
        let ids = report();
        let d = find(&ids, "arn:aws:iam::123456789012:user/ci/deployer");
        assert_eq!(d.item.name, "deployer");
        assert_eq!(det(d).path.as_deref(), Some("/ci/"));
        assert_eq!(det(d).mfa_active, Some(false));
        assert!(!d.credentials.iter().any(|c| c.item.kind == PASSWORD));
        assert_eq!(kinds(d), ["access-key/1", "access-key/2"]);
        let k1 = cred(d, "access-key/1");
        assert_eq!(
            k1.item.id,
            "arn:aws:iam::123456789012:user/ci/deployer/access-key/1"
        );
        assert_eq!(k1.item.last_used, LastUsed::At(ts("2025-12-03T06:00:00Z")));
        assert_eq!(cdet(k1).last_used_service.as_deref(), Some("sts"));
        let k2 = cred(d, "access-key/2");
        assert_eq!(k2.item.status, Status::Active);
        assert_eq!(k2.item.created_at, Some(ts("2023-07-01T00:00:00Z")));
        assert_eq!(k2.item.last_used, LastUsed::Never);
        assert_eq!(cdet(k2).last_used_region, None);
        assert_eq!(cdet(k2).last_used_service, None);
        assert_eq!(d.active(Class::AccessKey).count(), 2);
    }

    #[test]
    fn inactive_key_and_both_certificates() {
        let ids = report();
        let l = find(&ids, "arn:aws:iam::123456789012:user/legacy-batch");
        assert_eq!(
            kinds(l),
            ["password", "access-key/1", "certificate/1", "certificate/2"]
        );
        let key = cred(l, "access-key/1");
        assert_eq!(key.item.status, Status::Inactive);
        assert_eq!(key.item.last_used, LastUsed::At(ts("2019-08-14T16:00:00Z")));
        assert_eq!(
            cdet(key).last_used_region.as_deref(),
            Some("ap-southeast-2")
        );
        let c1 = cred(l, "certificate/1");
        assert_eq!(
            c1.item.id,
            "arn:aws:iam::123456789012:user/legacy-batch/certificate/1"
        );
        assert_eq!(c1.item.kind, CERTIFICATE);
        assert_eq!(c1.item.name, "certificate/1");
        assert_eq!(c1.item.status, Status::Active);
        assert_eq!(c1.item.created_at, Some(ts("2017-03-01T00:00:00Z")));
        assert_eq!(c1.item.last_used, LastUsed::Unknown);
        let c2 = cred(l, "certificate/2");
        assert_eq!(c2.item.status, Status::Inactive);
        assert_eq!(c2.item.created_at, Some(ts("2018-04-01T00:00:00Z")));
    }

    #[test]
    fn active_certificate_slot_without_a_date_is_kept() {
        // moto writes cert_1_active=true with cert_1_last_rotated=N/A.
        let text = REPORT_CSV.replacen(
            "user/bob,2024-09-09T09:09:09+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            "user/bob,2024-09-09T09:09:09+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,N/A,false,N/A",
            1,
        );
        assert_ne!(text, REPORT_CSV);
        let ids = parse(Path::new("r.csv"), &text).unwrap();
        let bob = find(&ids, "arn:aws:iam::123456789012:user/bob");
        assert_eq!(kinds(bob), ["certificate/1"]);
        assert_eq!(cred(bob, "certificate/1").item.created_at, None);
        assert_eq!(cred(bob, "certificate/1").item.status, Status::Active);
    }

    #[test]
    fn user_without_credentials() {
        let ids = report();
        let bob = find(&ids, "arn:aws:iam::123456789012:user/bob");
        assert!(bob.credentials.is_empty());
        assert_eq!(bob.item.created_at, Some(ts("2024-09-09T09:09:09Z")));
        assert_eq!(bob.item.last_used, LastUsed::Unknown);
        assert_eq!(det(bob).mfa_active, Some(false));
    }

    #[test]
    fn json_wrapper_gives_the_same_identities() {
        let wrapped = parse_wrapper(Path::new("report.json"), REPORT_JSON).unwrap();
        assert_eq!(wrapped.len(), 6);
        assert_eq!(wrapped, report());
    }

    #[test]
    fn wrapper_with_bad_base64_names_content() {
        let text = "{\n  \"ReportFormat\": \"text/csv\",\n  \"Content\": \"not*base64!\"\n}";
        let e = parse_wrapper(Path::new("w.json"), text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("w.json:3: field Content is not valid base64"),
            "{e}"
        );
    }

    #[test]
    fn wrapper_with_non_utf8_content_names_content() {
        let content = base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe, b'a']);
        let text = format!("{{\"Content\": \"{content}\"}}");
        let e = parse_wrapper(Path::new("w.json"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("w.json:1: field Content does not decode to UTF-8"),
            "{e}"
        );
    }

    #[test]
    fn wrapper_errors_point_into_the_decoded_report() {
        let content = base64::engine::general_purpose::STANDARD.encode(BAD_DATE);
        let text = format!(
            "{{\n\"GeneratedTime\": \"2025-12-05T10:00:00+00:00\",\n\"Content\": \"{content}\"\n}}"
        );
        let e = parse_wrapper(Path::new("w.json"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("w.json:3: field Content, line 3 of the decoded report: column access_key_1_last_rotated"),
            "{e}"
        );
    }

    #[test]
    fn wrapper_rejects_other_formats_and_missing_content() {
        let e = parse_wrapper(
            Path::new("w.json"),
            r#"{"Content": "", "ReportFormat": "text/xml"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("ReportFormat is \"text/xml\""), "{e}");
        let e = parse_wrapper(Path::new("w.json"), "{\n\"ReportFormat\": \"text/csv\"\n}")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("w.json:3: missing field `Content`"), "{e}");
    }

    #[test]
    fn truncated_row_fails_with_its_line() {
        let e = err("truncated.csv", TRUNCATED);
        assert!(
            e.starts_with("truncated.csv:4: row has 10 fields, expected 22"),
            "{e}"
        );
    }

    #[test]
    fn missing_columns_are_listed() {
        let e = err("wrong-columns.csv", WRONG_COLUMNS);
        assert!(
            e.starts_with("wrong-columns.csv:1: wrong column set: missing columns mfa_active, cert_2_active; expected user,arn,"),
            "{e}"
        );
    }

    #[test]
    fn bad_date_names_file_line_and_column() {
        let e = err("bad-date.csv", BAD_DATE);
        assert!(
            e.starts_with(
                "bad-date.csv:3: column access_key_1_last_rotated: cannot parse date \"2020-01-15T25:05:00+00:00\""
            ),
            "{e}"
        );
    }

    #[test]
    fn unknown_placeholder_in_a_date_column_is_an_error() {
        let text = REPORT_CSV.replacen(
            ",N/A,N/A,N/A,false,N/A,false,N/A\n",
            ",N/A,N/A,N/A,false,never,false,N/A\n",
            1,
        );
        assert_ne!(text, REPORT_CSV);
        let e = err("r.csv", &text);
        assert!(
            e.starts_with("r.csv:2: column cert_1_last_rotated: cannot parse date \"never\""),
            "{e}"
        );
    }

    #[test]
    fn bad_flag_names_the_column() {
        let text = REPORT_CSV.replacen(
            "2026-06-01T09:00:00+00:00,true,",
            "2026-06-01T09:00:00+00:00,yes,",
            1,
        );
        let e = err("r.csv", &text);
        assert!(
            e.starts_with("r.csv:3: column mfa_active: expected true or false, got \"yes\""),
            "{e}"
        );
    }

    #[test]
    fn arn_without_account_is_an_error() {
        let text = REPORT_CSV.replacen(
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:iam:::user/bob",
            1,
        );
        let e = err("r.csv", &text);
        assert!(
            e.starts_with("r.csv:7: column arn: no account id in \"arn:aws:iam:::user/bob\""),
            "{e}"
        );
    }

    #[test]
    fn columns_are_found_by_name_and_extra_columns_are_tolerated() {
        // Reverse the columns and add one AWS might add later.
        let mut out = String::new();
        for line in REPORT_CSV.lines() {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.reverse();
            let extra = if line.starts_with("user,") {
                "future_column"
            } else {
                "x"
            };
            out.push_str(&fields.join(","));
            out.push(',');
            out.push_str(extra);
            out.push('\n');
        }
        let ids = parse(Path::new("r.csv"), &out).unwrap();
        assert_eq!(ids, report());
    }

    #[test]
    fn header_only_report_has_no_identities() {
        let header = REPORT_CSV.lines().next().unwrap();
        assert!(parse(Path::new("r.csv"), header).unwrap().is_empty());
    }

    #[test]
    fn path_of_nested_user() {
        assert_eq!(iam_path("user/a/b/name").as_deref(), Some("/a/b/"));
        assert_eq!(iam_path("user/name").as_deref(), Some("/"));
        assert_eq!(iam_path("root"), None);
    }

    #[test]
    fn ten_thousand_users_parse() {
        let mut text = String::from(REPORT_CSV.lines().next().unwrap());
        text.push('\n');
        let row = REPORT_CSV.lines().nth(4).unwrap(); // legacy-batch: password, key, two certs
        for i in 0..10_000 {
            text.push_str(&row.replace("legacy-batch", &format!("svc-{i}")));
            text.push('\n');
        }
        let ids = parse(Path::new("big.csv"), &text).unwrap();
        assert_eq!(ids.len(), 10_000);
        assert_eq!(
            ids[9_999].item.id,
            "arn:aws:iam::123456789012:user/svc-9999"
        );
        assert_eq!(
            ids.iter().map(|i| i.credentials.len()).sum::<usize>(),
            40_000
        );
    }
}
