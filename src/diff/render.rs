//! The formats of `nhiscan diff`: a table for people, JSON for programs and
//! Markdown for CI summaries.
//!
//! Table and Markdown show the same [`Section`]s, each left out when empty;
//! JSON carries every list, a `summary` of counts and the `nhiscan_diff`
//! format version.

use std::fmt::Write as _;
use std::io::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::{Counts, CredentialEntry, Diff, ItemRef};
use crate::report::markdown::escape;
use crate::report::table::{clean, painted_label, plural, table, wrap_line};
use crate::report::Paint;
use crate::wire::v1::{Finding, Tool};

/// The version of the diff's JSON format.
pub const VERSION: u32 = 1;

/// `nhiscan diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
    /// The same self-contained page as `scan --format html`.
    Html,
}

/// Writes the diff in one format; the table is coloured when `paint` says so.
pub fn write(
    diff: &Diff,
    format: DiffFormat,
    paint: Paint,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        DiffFormat::Table => w.write_all(render_table(diff, paint).as_bytes()),
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, &DiffV1::new(diff))?;
            w.write_all(b"\n")
        }
        DiffFormat::Markdown => w.write_all(render_markdown(diff).as_bytes()),
        DiffFormat::Html => super::html::write(diff, w),
    }
}

/// The JSON document.
#[derive(Serialize)]
struct DiffV1<'a> {
    nhiscan_diff: u32,
    tool: Tool,
    summary: Counts,
    #[serde(flatten)]
    diff: &'a Diff,
}

impl<'a> DiffV1<'a> {
    fn new(diff: &'a Diff) -> Self {
        DiffV1 {
            nhiscan_diff: VERSION,
            tool: Tool::this(),
            summary: diff.counts(),
            diff,
        }
    }
}

/// One kind of change, as rows under a header.
struct Section {
    title: &'static str,
    header: &'static [&'static str],
    /// Column weights for the table (see `report::table::table`).
    weights: &'static [usize],
    rows: Vec<Vec<String>>,
}

/// The non-empty sections, in a fixed order.
fn sections(diff: &Diff) -> Vec<Section> {
    let owner = |o: &Option<String>| o.clone().unwrap_or_else(|| "(none)".into());
    let findings = |fs: &[Finding]| -> Vec<Vec<String>> {
        fs.iter()
            .map(|f| {
                vec![
                    f.severity.to_string(),
                    f.rule_id.clone(),
                    diff.label(f).to_string(),
                    f.message.clone(),
                ]
            })
            .collect()
    };
    let credentials = |cs: &[CredentialEntry]| -> Vec<Vec<String>> {
        cs.iter()
            .map(|c| {
                vec![
                    format!("{} · {}", c.holder_name, c.item.name),
                    day(c.created_at),
                    c.status.to_string(),
                ]
            })
            .collect()
    };
    let identities = |is: &[super::IdentityEntry]| -> Vec<Vec<String>> {
        is.iter()
            .map(|i| {
                vec![
                    identity_label(&i.item, diff.several_scopes),
                    owner(&i.owner),
                    i.privilege.to_string(),
                    if i.human { "human" } else { "non-human" }.to_string(),
                ]
            })
            .collect()
    };
    const IDENTITY: &[&str] = &["IDENTITY", "OWNER", "PRIVILEGE", "TYPE"];
    const CREDENTIAL: &[&str] = &["CREDENTIAL", "CREATED", "STATUS"];
    const FINDING: &[&str] = &["SEVERITY", "RULE", "ITEM", "DETAIL"];
    let all = vec![
        Section {
            title: "IDENTITIES ADDED",
            header: IDENTITY,
            weights: &[2, 1, 0, 0],
            rows: identities(&diff.identities_added),
        },
        Section {
            title: "IDENTITIES REMOVED",
            header: IDENTITY,
            weights: &[2, 1, 0, 0],
            rows: identities(&diff.identities_removed),
        },
        Section {
            title: "OWNERS CHANGED",
            header: &["IDENTITY", "CHANGE", "BEFORE", "AFTER"],
            weights: &[2, 0, 1, 1],
            rows: diff
                .owners_changed
                .iter()
                .map(|c| {
                    vec![
                        identity_label(&c.item, diff.several_scopes),
                        c.change.as_str().to_string(),
                        owner(&c.before),
                        owner(&c.after),
                    ]
                })
                .collect(),
        },
        Section {
            title: "PRIVILEGE CHANGED",
            header: &["IDENTITY", "BEFORE", "AFTER"],
            weights: &[1, 0, 0],
            rows: diff
                .privilege_changed
                .iter()
                .map(|c| {
                    vec![
                        identity_label(&c.item, diff.several_scopes),
                        c.before.to_string(),
                        c.after.to_string(),
                    ]
                })
                .collect(),
        },
        Section {
            title: "CREDENTIALS ROTATED",
            header: &["HOLDER", "BEFORE", "AFTER"],
            weights: &[1, 1, 1],
            rows: diff
                .credentials_rotated
                .iter()
                .map(|r| {
                    vec![
                        r.after.holder_name.clone(),
                        credential_state(&r.before),
                        credential_state(&r.after),
                    ]
                })
                .collect(),
        },
        Section {
            title: "CREDENTIALS ADDED",
            header: CREDENTIAL,
            weights: &[1, 0, 0],
            rows: credentials(&diff.credentials_added),
        },
        Section {
            title: "CREDENTIALS REMOVED",
            header: CREDENTIAL,
            weights: &[1, 0, 0],
            rows: credentials(&diff.credentials_removed),
        },
        Section {
            title: "NEW FINDINGS",
            header: FINDING,
            weights: &[0, 0, 2, 3],
            rows: findings(&diff.findings_new),
        },
        Section {
            title: "RESOLVED FINDINGS",
            header: FINDING,
            weights: &[0, 0, 2, 3],
            rows: findings(&diff.findings_resolved),
        },
    ];
    all.into_iter().filter(|s| !s.rows.is_empty()).collect()
}

/// `deployer (user)`, with ` @ account` when the scans span several accounts.
fn identity_label(item: &ItemRef, with_scope: bool) -> String {
    let mut label = if item.name == item.kind {
        item.name.clone()
    } else {
        format!("{} ({})", item.name, item.kind)
    };
    if with_scope {
        let _ = write!(label, " @ {}", item.scope);
    }
    label
}

/// `access-key/1, created 2026-02-28` (with the key id when known).
fn credential_state(c: &CredentialEntry) -> String {
    let mut s = c.item.name.clone();
    if let Some(native) = c.native_id.as_deref().filter(|n| !c.item.name.contains(n)) {
        let _ = write!(s, " ({native})");
    }
    let _ = write!(s, ", created {}", day(c.created_at));
    s
}

/// The UTC day of a timestamp, or `unknown`.
fn day(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "unknown".into(), |t| t.strftime("%Y-%m-%d").to_string())
}

/// `1 identity added, 2 owners changed · 1 new finding, 3 resolved`, or `No changes.`
fn summary_line(c: &Counts) -> String {
    let inventory: Vec<String> = [
        (c.identities_added, "identity added", "identities added"),
        (
            c.identities_removed,
            "identity removed",
            "identities removed",
        ),
        (c.owners_changed, "owner changed", "owners changed"),
        (
            c.privilege_changed,
            "privilege changed",
            "privileges changed",
        ),
        (
            c.credentials_rotated,
            "credential rotated",
            "credentials rotated",
        ),
        (c.credentials_added, "credential added", "credentials added"),
        (
            c.credentials_removed,
            "credential removed",
            "credentials removed",
        ),
    ]
    .iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| plural(*n, one, many))
    .collect();
    let findings = format!(
        "{}, {} resolved",
        plural(c.findings_new, "new finding", "new findings"),
        c.findings_resolved
    );
    if inventory.is_empty() {
        format!("No inventory changes · {findings}")
    } else {
        format!("{} · {findings}", inventory.join(", "))
    }
}

/// The table: both scans, each non-empty section, warnings, the summary line.
pub fn render_table(diff: &Diff, paint: Paint) -> String {
    let mut out = String::new();
    for (label, side) in [("OLD ", &diff.old), ("NEW ", &diff.new)] {
        out.push_str(&wrap_line(label, &format!("{} ({})", side.path, side.now)));
    }
    out.push('\n');
    for s in sections(diff) {
        let _ = writeln!(
            out,
            "{}",
            paint.heading(&format!("{} ({})", s.title, s.rows.len()))
        );
        let rows = s
            .rows
            .into_iter()
            .map(|r| r.iter().map(|c| clean(c)).collect());
        out.push_str(&table(s.header, rows, s.weights));
        out.push('\n');
    }
    if !diff.warnings.is_empty() {
        for w in &diff.warnings {
            out.push_str(&painted_label(paint, "warning:", w));
        }
        out.push('\n');
    }
    out.push_str(&wrap_line("", &summary_line(&diff.counts())));
    out
}

/// The Markdown summary: both scans, counts, each non-empty section, warnings.
pub fn render_markdown(diff: &Diff) -> String {
    let c = diff.counts();
    let mut out = format!(
        "## nhiscan diff: {}, {} resolved\n\n",
        plural(c.findings_new, "new finding", "new findings"),
        c.findings_resolved
    );
    let _ = writeln!(
        out,
        "From {} ({}) to {} ({}): {}.\n",
        escape(&diff.old.path),
        diff.old.now,
        escape(&diff.new.path),
        diff.new.now,
        escape(&summary_line(&c))
    );
    for w in &diff.warnings {
        let _ = writeln!(out, "> **Warning:** {}  ", escape(w));
    }
    if !diff.warnings.is_empty() {
        out.push('\n');
    }
    for s in sections(diff) {
        let _ = writeln!(out, "### {} ({})\n", sentence_case(s.title), s.rows.len());
        let header: Vec<String> = s.header.iter().map(|h| h.to_lowercase()).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for row in &s.rows {
            let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    out
}

/// `NEW FINDINGS` as `New findings`.
fn sentence_case(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json;
    use crate::report::test_support::{self, ts, DEPLOYER, ROLE};

    /// Old: the test scan. New: the role gone, deployer's owner gone, its key 1
    /// refilled with another key, and the role's admin-privilege finding resolved.
    fn sample() -> Diff {
        let old = json::report(&test_support::view(&test_support::scan()));
        let mut new = old.clone();
        new.identities.retain(|i| i.item.id != ROLE);
        let deployer = new
            .identities
            .iter_mut()
            .find(|i| i.item.id == DEPLOYER)
            .unwrap();
        deployer.item.owner = None;
        deployer.credentials[0].item.created_at = Some(ts("2026-02-28T10:00:00Z"));
        deployer.credentials[0].item.native_id = Some("EXAMPLEKEY3".into());
        new.findings
            .retain(|f| !(f.rule_id == "admin-privilege" && f.identity_id == ROLE));
        new.now = ts("2026-03-02T12:00:00Z");
        Diff::between(("old.json", &old), ("new.json", &new))
    }

    #[test]
    fn table_shows_each_change_once_with_a_summary_line() {
        let out = render_table(&sample(), Paint::PLAIN);
        for want in [
            "OLD old.json (2026-03-01T12:00:00Z)\nNEW new.json (2026-03-02T12:00:00Z)\n",
            "IDENTITIES REMOVED (1)\n",
            "app-admin (role)  (none)  admin",
            "OWNERS CHANGED (1)\n",
            "deployer (user)  removed  release-team  (none)",
            "CREDENTIALS ROTATED (1)\n",
            "CREDENTIALS ROTATED (1)\nHOLDER    BEFORE",
            "deployer  access-key/1 (EXAMPLEKEY1), created  access-key/1 (EXAMPLEKEY3), created\n",
            "RESOLVED FINDINGS (1)\n",
            "critical  admin-privilege  app-admin (role)",
        ] {
            assert!(out.contains(want), "{want:?} missing:\n{out}");
        }
        assert!(
            !out.contains("IDENTITIES ADDED"),
            "empty sections are left out"
        );
        assert!(out.ends_with(
            "1 identity removed, 1 owner changed, 1 credential rotated · 0 new findings, 1 resolved\n"
        ), "{out}");
        assert!(
            out.contains("warning: the OLD scan old.json is incomplete"),
            "{out}"
        );
        for line in out.lines() {
            assert!(
                line.chars().count() <= crate::report::table::WIDTH,
                "{line}"
            );
        }
    }

    #[test]
    fn a_rotated_credential_reads_as_name_key_id_and_day() {
        let d = sample();
        let r = &d.credentials_rotated[0];
        assert_eq!(
            credential_state(&r.before),
            "access-key/1 (EXAMPLEKEY1), created 2025-03-01"
        );
        assert_eq!(
            credential_state(&r.after),
            "access-key/1 (EXAMPLEKEY3), created 2026-02-28"
        );
        let mut named = r.after.clone();
        named.item.name = "access-key/EXAMPLEKEY3".into();
        named.created_at = None;
        assert_eq!(
            credential_state(&named),
            "access-key/EXAMPLEKEY3, created unknown"
        );
    }

    #[test]
    fn several_scopes_name_the_scope() {
        let mut d = sample();
        d.several_scopes = true;
        let out = render_table(&d, Paint::PLAIN);
        assert!(out.contains("app-admin (role) @ acct-1"), "{out}");
    }

    #[test]
    fn markdown_has_a_table_per_change() {
        let out = render_markdown(&sample());
        assert!(
            out.starts_with("## nhiscan diff: 0 new findings, 1 resolved\n"),
            "{out}"
        );
        assert!(out.contains("### Owners changed (1)\n\n| identity | change | before | after |\n|---|---|---|---|\n| deployer (user) | removed | release-team | (none) |\n"), "{out}");
        assert!(out.contains("### Credentials rotated (1)\n"), "{out}");
        assert!(out.contains("> **Warning:** the OLD scan"), "{out}");
    }

    #[test]
    fn json_carries_the_version_counts_and_lists() {
        let mut out = Vec::new();
        write(&sample(), DiffFormat::Json, Paint::PLAIN, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["nhiscan_diff"], VERSION);
        assert_eq!(v["tool"]["name"], env!("CARGO_PKG_NAME"));
        assert_eq!(v["summary"]["owners_changed"], 1);
        assert_eq!(v["owners_changed"][0]["change"], "removed");
        assert_eq!(v["owners_changed"][0]["before"], "release-team");
        assert_eq!(v["owners_changed"][0]["after"], serde_json::Value::Null);
        assert_eq!(
            v["credentials_rotated"][0]["after"]["created_at"],
            "2026-02-28T10:00:00Z"
        );
        assert_eq!(
            v["credentials_rotated"][0]["after"]["native_id"],
            "EXAMPLEKEY3"
        );
        assert_eq!(v["identities_removed"][0]["id"], ROLE);
        assert_eq!(
            v["identities_removed"][0]["provider"],
            test_support::PROVIDER
        );
        assert_eq!(v["identities_removed"][0]["kind"], "role");
        assert_eq!(v["findings_resolved"][0]["rule_id"], "admin-privilege");
        assert_eq!(v["old"]["path"], "old.json");
        assert!(v.get("labels").is_none());
    }
}
