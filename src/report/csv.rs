//! `--format csv`: one row per inventory item, for spreadsheets.
//!
//! Each identity (with an empty `parent_id`) is followed by its credentials,
//! in inventory order. The columns in [`COLUMNS`] are a stable contract: new
//! ones are only ever appended. RFC 4180 quoting comes from the `csv` crate;
//! text cells that a spreadsheet would run as a formula get a leading `'`.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::cells::Cell;
use super::View;
use crate::model::time::days_between;
use crate::model::{Item, Severity};

/// The header, in order.
pub const COLUMNS: [&str; 21] = [
    "provider",
    "scope",
    "kind",
    "id",
    "parent_id",
    "name",
    "owner",
    "owner_source",
    "human",
    "status",
    "created_at",
    "last_used_at",
    "usage",
    "expires_at",
    "age_days",
    "days_since_use",
    "privilege",
    "findings",
    "max_severity",
    "ai",
    "privilege_evidence",
];

/// The findings on one item: rule ids and the highest severity.
#[derive(Default)]
struct Hits<'a> {
    rules: BTreeSet<&'a str>,
    max: Option<Severity>,
}

/// Renders the view: every item, with the findings shown on it.
pub fn render(view: &View) -> String {
    super::cells::write_csv(&COLUMNS, |emit| for_each_row(view, emit))
}

/// Calls `emit` with each row, in [`COLUMNS`] order: every identity, then
/// its credentials, in inventory order (the `xlsx` Inventory sheet too).
pub(crate) fn for_each_row(view: &View, emit: &mut dyn FnMut(&[Cell])) {
    let now = view.now();
    let mut hits: BTreeMap<&str, Hits> = BTreeMap::new();
    for f in view.findings() {
        let h = hits.entry(f.item_id()).or_default();
        h.rules.insert(f.rule_id());
        h.max = h.max.max(Some(f.severity));
    }
    for identity in view.identities() {
        emit(&row(
            &identity.item,
            "",
            now,
            hits.get(identity.item.id.as_str()),
        ));
        for credential in view.credentials(identity) {
            let item = &credential.item;
            emit(&row(
                item,
                &credential.parent_id,
                now,
                hits.get(item.id.as_str()),
            ));
        }
    }
}

/// One row, in [`COLUMNS`] order.
fn row(item: &Item, parent_id: &str, now: Timestamp, hits: Option<&Hits>) -> [Cell; 21] {
    let days = |t: Option<Timestamp>| Cell::Int(t.map(|t| days_between(t, now)));
    let owner = item.owner.as_ref();
    [
        Cell::text(item.provider),
        Cell::text(&item.scope),
        Cell::text(item.kind.as_str()),
        Cell::text(&item.id),
        Cell::text(parent_id),
        Cell::text(&item.name),
        Cell::text(owner.map_or("", |o| o.name.as_str())),
        Cell::word(owner.map(|o| o.source.to_string()).unwrap_or_default()),
        Cell::Bool(item.human),
        Cell::word(item.status),
        Cell::Time(item.created_at),
        Cell::Time(item.last_used.at()),
        Cell::word(item.last_used.usage()),
        Cell::Time(item.expires_at),
        days(item.created_at),
        days(item.last_used.at()),
        Cell::word(item.privilege.level),
        Cell::word(
            hits.map(|h| h.rules.iter().copied().collect::<Vec<_>>().join(";"))
                .unwrap_or_default(),
        ),
        Cell::word(
            hits.and_then(|h| h.max)
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        Cell::Bool(item.ai),
        Cell::text(
            item.privilege
                .evidence
                .iter()
                .map(|e| e.describe())
                .collect::<Vec<_>>()
                .join(" | "),
        ),
    ]
}

/// A text cell, defused: a spreadsheet runs a cell starting with `=`, `+`,
/// `-` or `@` (or a tab or CR before one) as a formula, so such a cell gets a
/// leading `'`. Names and owners can come from tags, which anyone allowed to
/// tag an identity controls.
pub(crate) fn text(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{self, ts, DEPLOYER, KEY1, KEY2, ROLE, ROOT, ROOT_KEY};
    use crate::scan::Scan;

    fn show(scan: &Scan) -> String {
        render(&test_support::view(scan))
    }

    fn records(text: &str) -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        reader.records().map(|r| r.expect("valid CSV")).collect()
    }

    fn cell<'a>(row: &'a csv::StringRecord, column: &str) -> &'a str {
        &row[COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("known column")]
    }

    fn by_id<'a>(rows: &'a [csv::StringRecord], id: &str) -> &'a csv::StringRecord {
        rows.iter()
            .find(|r| cell(r, "id") == id)
            .unwrap_or_else(|| panic!("no row {id}"))
    }

    #[test]
    fn header_is_the_stable_column_list() {
        let out = show(&test_support::scan());
        let header = out.split("\r\n").next().unwrap();
        assert_eq!(
            header,
            "provider,scope,kind,id,parent_id,name,owner,owner_source,human,status,created_at,\
             last_used_at,usage,expires_at,age_days,days_since_use,privilege,findings,max_severity,ai,\
             privilege_evidence"
        );
        assert!(out.ends_with("\r\n"), "RFC 4180 line ends");
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn each_identity_is_followed_by_its_credentials_in_inventory_order() {
        let scan = test_support::scan();
        let rows = records(&show(&scan));
        let ids: Vec<&str> = rows.iter().map(|r| cell(r, "id")).collect();
        assert_eq!(ids, [ROLE, ROOT, ROOT_KEY, DEPLOYER, KEY1, KEY2]);
        let parents: Vec<&str> = rows.iter().map(|r| cell(r, "parent_id")).collect();
        assert_eq!(parents, ["", "", ROOT, "", DEPLOYER, DEPLOYER]);
        assert_eq!(rows.len(), scan.inventory.item_count());
    }

    #[test]
    fn full_rows_for_an_identity_and_a_credential() {
        let out = show(&test_support::scan());
        let lines: Vec<&str> = out.split("\r\n").collect();
        // Second precision: the identity's last use was at 23:59:59.250.
        assert_eq!(
            lines[4],
            "example,acct-1,user,example:acct-1/user/ci/deployer,,deployer,release-team,tag,\
             false,active,2024-01-15T08:30:00Z,2026-02-27T23:59:59Z,used,,776,1,admin,\
             admin-privilege;multiple-active-keys,critical,false,\
             example:policy/AdministratorAccess (managed) statement 0: *"
        );
        assert_eq!(
            lines[5],
            "example,acct-1,access-key,example:acct-1/user/ci/deployer/access-key/1,\
             example:acct-1/user/ci/deployer,access-key/1,release-team,tag,false,active,\
             2025-03-01T12:00:00Z,2025-11-01T00:00:00Z,used,,365,120,admin,\
             unrotated-credential;unused-credential,medium,false,\
             example:policy/AdministratorAccess (managed) statement 0: *"
        );
    }

    #[test]
    fn usage_and_day_counts_distinguish_never_from_unknown() {
        let rows = records(&show(&test_support::scan()));
        let never = by_id(&rows, KEY2);
        assert_eq!(
            (
                cell(never, "usage"),
                cell(never, "last_used_at"),
                cell(never, "days_since_use")
            ),
            ("never", "", "")
        );
        assert_eq!(
            cell(never, "age_days"),
            "9",
            "2026-02-20T00:00 to 2026-03-01T12:00"
        );
        let unknown = by_id(&rows, ROLE);
        assert_eq!(
            (cell(unknown, "usage"), cell(unknown, "days_since_use")),
            ("unknown", "")
        );
        let root_key = by_id(&rows, ROOT_KEY);
        assert_eq!(cell(root_key, "age_days"), "655");
        assert_eq!(cell(root_key, "status"), "inactive");
        assert_eq!(cell(by_id(&rows, ROOT), "human"), "true");
    }

    #[test]
    fn findings_are_sorted_deduplicated_and_give_the_highest_severity() {
        let mut scan = test_support::scan();
        // The same rule twice on one item (two sources of one problem) counts once.
        let again = scan
            .evaluation
            .findings
            .iter()
            .find(|f| f.rule_id() == "missing-owner")
            .unwrap()
            .clone();
        scan.evaluation.findings.push(again);
        let rows = records(&show(&scan));
        let role = by_id(&rows, ROLE);
        assert_eq!(cell(role, "findings"), "admin-privilege;missing-owner");
        assert_eq!(cell(role, "max_severity"), "critical");
        // Credential findings land on the credential's row, not the holder's.
        assert_eq!(cell(by_id(&rows, ROOT), "findings"), "");
        assert_eq!(cell(by_id(&rows, ROOT), "max_severity"), "");
        assert_eq!(
            cell(by_id(&rows, ROOT_KEY), "findings"),
            "inactive-credential"
        );
        assert_eq!(cell(by_id(&rows, KEY2), "max_severity"), "");
    }

    #[test]
    fn an_overridden_severity_is_the_one_reported_and_hidden_ones_are_not() {
        let mut scan = test_support::scan();
        for f in scan
            .evaluation
            .findings
            .iter_mut()
            .filter(|f| f.rule_id() == "admin-privilege")
        {
            f.severity = Severity::Low;
        }
        let rows = records(&show(&scan));
        assert_eq!(
            cell(by_id(&rows, ROLE), "max_severity"),
            "high",
            "missing-owner is now the highest"
        );
        let view = test_support::view(&scan).with_min_severity(Some(Severity::Medium));
        let rows = records(&render(&view));
        assert_eq!(cell(by_id(&rows, ROLE), "findings"), "missing-owner");
        assert_eq!(cell(by_id(&rows, DEPLOYER), "findings"), "");
    }

    #[test]
    fn formula_like_text_is_defused_and_numbers_are_not() {
        let mut scan = test_support::scan();
        for identity in scan.inventory.identities_mut() {
            if identity.item.id == DEPLOYER {
                identity.item.owner.as_mut().unwrap().name =
                    "=HYPERLINK(\"https://evil.example\",\"x\")".into();
                // Created after `now`: a negative age, which stays a number.
                identity.credentials[1].item.created_at = Some(ts("2026-03-03T12:00:00Z"));
            }
        }
        let rows = records(&show(&scan));
        assert_eq!(
            cell(by_id(&rows, DEPLOYER), "owner"),
            "'=HYPERLINK(\"https://evil.example\",\"x\")"
        );
        assert_eq!(cell(by_id(&rows, KEY2), "age_days"), "-2");
        for (raw, want) in [
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("=1", "'=1"),
            ("a=1", "a=1"),
            ("", ""),
            ("team-a", "team-a"),
        ] {
            assert_eq!(text(raw), want, "{raw:?}");
        }
    }
}
