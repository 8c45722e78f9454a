//! `--format table`: the default, read by a person in a terminal.
//!
//! Findings come grouped by severity, highest first: a `CRITICAL (2)` line,
//! then a RULE / ITEM / DETAIL table. Then warnings, incomplete sources, the
//! counts by severity and, last, the summary line. Nothing that changes
//! between two runs over the same scan, and no line wider than [`WIDTH`]
//! columns: long cells wrap inside their column, at spaces when they can.
//!
//! With a baseline, a STATE column marks each finding `new` or `baselined`,
//! and the baselined findings that no longer occur follow the findings.
//! Plain text unless [`render_painted`] is given colour, which then only
//! touches whole headings and labels.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use tabled::builder::Builder;
use tabled::grid::util::string::{get_char_width, get_string_width};
use tabled::settings::object::Columns;
use tabled::settings::peaker::PriorityMax;
use tabled::settings::{Padding, Style, Width};

use super::{Paint, View};
use crate::baseline::State;
use crate::model::{Inventory, PrivilegeLevel, Severity, SourceStatus};
use crate::rules::{Finding, Rule};

/// The widest line this module writes unless told otherwise ([`set_width`]):
/// the width when stdout is not a terminal and `COLUMNS` is unset.
pub const WIDTH: usize = 100;

/// The narrowest and widest tables: below 40 columns nothing reads well,
/// and past 400 lines stop being readable.
const MIN_WIDTH: usize = 40;
const MAX_WIDTH: usize = 400;

/// The width in use (see [`set_width`]).
static CURRENT: AtomicUsize = AtomicUsize::new(WIDTH);

/// Sets the widest line of every table written after it, clamped to
/// 40..=400 columns. The CLI sets it once, from [`terminal_width`].
pub fn set_width(columns: usize) {
    CURRENT.store(columns.clamp(MIN_WIDTH, MAX_WIDTH), Ordering::Relaxed);
}

/// The widest line tables are fitted into now.
pub fn width_limit() -> usize {
    CURRENT.load(Ordering::Relaxed)
}

/// The width to lay tables out in: `COLUMNS` when set to a number, else the
/// terminal's width when stdout is one, else [`WIDTH`].
pub fn terminal_width(columns_env: Option<&str>, terminal: Option<usize>) -> usize {
    columns_env
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or(terminal)
        .unwrap_or(WIDTH)
}

/// Spaces between two table columns.
const GAP: usize = 2;

/// Renders the view without colour.
pub fn render(view: &View) -> String {
    render_painted(view, Paint::PLAIN)
}

/// Renders the view, colouring headings and warnings when `paint` says so.
pub fn render_painted(view: &View, paint: Paint) -> String {
    let findings: Vec<&Finding> = view.findings().collect();
    let inventory = view.inventory();
    let with_state = view.baseline.is_some();
    let scopes: BTreeSet<&str> = inventory
        .identities()
        .map(|i| i.item.scope.as_str())
        .chain(findings.iter().map(|f| f.scope.as_str()))
        .collect();
    let show_scope = scopes.len() > 1;

    let mut out = String::new();
    for severity in Severity::DESCENDING {
        let group: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{} ({})", severity.as_str().to_uppercase(), group.len());
        let _ = writeln!(out, "{}", paint.severity(severity, &heading));
        let rows = group.iter().map(|f| {
            let mut row = vec![
                clean(f.rule_id()),
                item_label(inventory, f, show_scope),
                clean(&f.message),
            ];
            if with_state {
                row.insert(0, view.state(f).map_or("", State::as_str).to_string());
            }
            row
        });
        // RULE (and STATE) keep their width; ITEM and DETAIL share the rest, DETAIL more.
        out.push_str(&if with_state {
            table(&["STATE", "RULE", "ITEM", "DETAIL"], rows, &[0, 0, 2, 3])
        } else {
            table(&["RULE", "ITEM", "DETAIL"], rows, &[0, 2, 3])
        });
        out.push('\n');
    }
    if view.nothing_scanned() {
        out.push_str(&nothing_scanned(view));
    } else if findings.is_empty() {
        out.push_str("No findings.\n\n");
    }
    let resolved = view.resolved();
    if !resolved.is_empty() {
        let heading = format!("RESOLVED SINCE BASELINE ({})", resolved.len());
        let _ = writeln!(out, "{}", paint.heading(&heading));
        let rows = resolved.iter().map(|e| {
            vec![
                clean(&e.rule_id),
                clean(&item_name(
                    inventory,
                    &e.identity_id,
                    e.credential_id.as_deref(),
                )),
                e.first_seen.to_string(),
            ]
        });
        out.push_str(&table(&["RULE", "ITEM", "FIRST SEEN"], rows, &[0, 1, 0]));
        out.push('\n');
    }

    out.push_str(&notes(view, paint));
    out.push_str(&footer(view));
    out
}

/// What a scan that read nothing says instead of "No findings.": that it
/// failed, and, below it in the notes, why each source did.
pub(crate) fn nothing_scanned(view: &View) -> String {
    let sources = view.sources();
    let failed = sources
        .iter()
        .filter(|s| s.status == SourceStatus::Failed)
        .count();
    let skipped = sources.len() - failed;
    let mut parts = Vec::new();
    if failed > 0 {
        parts.push(format!("{failed} failed"));
    }
    if skipped > 0 {
        parts.push(format!("{skipped} skipped"));
    }
    wrap_line(
        "",
        &format!(
            "Scan failed: nothing was read ({}). See why below.",
            parts.join(", ")
        ),
    ) + "\n"
}

/// Warnings and sources not read in full, one wrapped line each, then a
/// blank line; empty when there are none.
pub(crate) fn notes(view: &View, paint: Paint) -> String {
    let mut notes = String::new();
    for w in view.warnings() {
        notes.push_str(&painted_label(paint, "warning:", w));
    }
    for s in view
        .sources()
        .iter()
        .filter(|s| s.status != SourceStatus::Ok)
    {
        let label = if s.status.is_incomplete() {
            "incomplete source:"
        } else {
            "skipped source:"
        };
        notes.push_str(&painted_label(paint, label, &s.describe()));
    }
    if !notes.is_empty() {
        notes.push('\n');
    }
    notes
}

/// `nhiscan rules` as a table: each of `rules` with its id, default severity and summary.
pub fn rules(rules: &[&dyn Rule]) -> String {
    let rows = rules.iter().map(|r| {
        let m = r.meta();
        vec![
            m.id.to_string(),
            m.severity.to_string(),
            m.owasp.id().to_string(),
            m.summary.to_string(),
        ]
    });
    table(&["ID", "SEVERITY", "OWASP", "SUMMARY"], rows, &[0, 0, 0, 1])
}

/// `label` and `text` as one wrapped line (see [`wrap_line`]), the label coloured.
pub(crate) fn painted_label(paint: Paint, label: &str, text: &str) -> String {
    let line = wrap_line(&format!("{label} "), text);
    if paint.is_on() {
        line.replacen(label, &paint.warning(label), 1)
    } else {
        line
    }
}

/// How a finding's item reads: `deployer (user)` for an identity,
/// `deployer · access-key/1` for a credential; when the scan covers several
/// accounts, `@ <account>` on a line of its own below.
fn item_label(inventory: &Inventory, f: &Finding, show_scope: bool) -> String {
    let mut label = clean(&item_name(
        inventory,
        &f.identity_id,
        f.credential_id.as_deref(),
    ));
    if show_scope {
        let _ = write!(label, "\n@ {}", clean(&f.scope));
    }
    label
}

/// An item's name as [`item_label`] shows it, from the inventory, with the
/// privilege level when it is known: `deployer (user, admin)`,
/// `deployer · access-key/1 (admin)`; the ids themselves when the identity is
/// not in it.
pub(crate) fn item_name(
    inventory: &Inventory,
    identity_id: &str,
    credential_id: Option<&str>,
) -> String {
    let identity = inventory.get(identity_id);
    // A credential can do what its holder can.
    let level = identity
        .map(|i| i.item.privilege.level)
        .filter(|l| *l != PrivilegeLevel::Unknown)
        .map(|l| l.to_string());
    match (identity, credential_id) {
        (Some(i), None) => {
            let kind = i.item.kind.as_str();
            let named = i.item.name != kind;
            let detail: Vec<&str> = [named.then_some(kind), level.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let head = if named { i.item.name.as_str() } else { kind };
            if detail.is_empty() {
                head.to_string()
            } else {
                format!("{head} ({})", detail.join(", "))
            }
        }
        (Some(i), Some(cid)) => {
            let credential = i
                .credentials
                .iter()
                .find(|c| c.item.id == cid)
                .map_or_else(|| tail(cid, &i.item.id), |c| c.item.name.as_str());
            match &level {
                Some(l) => format!("{} · {credential} ({l})", i.item.name),
                None => format!("{} · {credential}", i.item.name),
            }
        }
        // Not in the inventory (a resolved finding's identity is gone): the ids say it all.
        (None, None) => identity_id.to_string(),
        (None, Some(cid)) => cid.to_string(),
    }
}

/// What follows the holder id in a credential id (`access-key/1`).
fn tail<'a>(id: &'a str, holder: &str) -> &'a str {
    id.strip_prefix(holder)
        .map_or(id, |rest| rest.trim_start_matches('/'))
}

/// The footer: the finding counts by severity, when there are findings,
/// the identities by privilege level, then the summary line: `23 identities
/// (15 non-human), 31 credentials, 2 sources · 4 AI identities (1 unowned) ·
/// 19 findings · 1 suppressed` (the AI part only when there are AI
/// identities). (With the severity counts on the same line it would rarely
/// fit in [`WIDTH`].) A summary line that is still too wide breaks at ` · `.
pub(crate) fn footer(view: &View) -> String {
    let s = view.summary();
    let mut out = String::new();
    let mut levels: BTreeMap<PrivilegeLevel, usize> = BTreeMap::new();
    for i in view.identities().filter(|i| !view.holder_only(i)) {
        *levels.entry(i.item.privilege.level).or_default() += 1;
    }
    let levels: Vec<String> = levels
        .iter()
        .rev()
        .map(|(level, n)| format!("{n} {level}"))
        .collect();
    let counts: Vec<String> = [
        (s.critical, "critical"),
        (s.high, "high"),
        (s.medium, "medium"),
        (s.low, "low"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, name)| format!("{n} {name}"))
    .collect();
    if !counts.is_empty() {
        out.push_str(&wrap_line("", &format!("Findings: {}", counts.join(", "))));
    }
    if !levels.is_empty() {
        out.push_str(&wrap_line("", &format!("Privilege: {}", levels.join(", "))));
    }

    let mut inventory = format!(
        "{} ({} non-human), {}, {}",
        plural(s.identities, "identity", "identities"),
        s.non_human,
        plural(s.credentials, "credential", "credentials"),
        plural(s.sources, "source", "sources"),
    );
    if s.sources_incomplete > 0 {
        let _ = write!(inventory, " ({} incomplete)", s.sources_incomplete);
    }
    let mut parts = vec![inventory];
    if s.ai > 0 {
        parts.push(format!(
            "{} ({} unowned)",
            plural(s.ai, "AI identity", "AI identities"),
            s.ai_unowned
        ));
    }
    parts.push(plural(s.findings, "finding", "findings"));
    if let Some(b) = view.baseline_counts() {
        parts.push(format!(
            "{} new, {} baselined, {} resolved",
            b.new, b.baselined, b.resolved
        ));
    }
    if s.suppressed > 0 {
        parts.push(format!("{} suppressed", s.suppressed));
    }
    if s.hidden > 0 {
        parts.push(format!("{} hidden by --min-severity", s.hidden));
    }
    if view.filter.is_some() {
        parts.push(format!(
            "filtered out: {}, {}",
            plural(s.filtered_items, "item", "items"),
            plural(s.filtered_findings, "finding", "findings")
        ));
    }
    let mut line = String::new();
    for part in parts {
        if line.is_empty() {
            line = part;
        } else if width(&line) + 3 + width(&part) <= width_limit() {
            line.push_str(" · ");
            line.push_str(&part);
        } else {
            out.push_str(&wrap_line("", &line));
            line = part;
        }
    }
    out.push_str(&wrap_line("", &line));
    out
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A table with a header row, no borders and [`GAP`] spaces between columns,
/// fitted into [`WIDTH`]. `weights[i] == 0` keeps column `i` at its natural
/// width; the other columns share what is left in proportion to their
/// weights, and their cells wrap to their share.
pub(crate) fn table(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    weights: &[usize],
) -> String {
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    cells.extend(rows);
    let natural: Vec<usize> = (0..header.len())
        .map(|col| {
            cells
                .iter()
                .map(|row| text_width(&row[col]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let gaps = GAP * header.len().saturating_sub(1);
    let widths = allot(&natural, weights, width_limit().saturating_sub(gaps));
    for row in &mut cells {
        for (cell, &w) in row.iter_mut().zip(&widths) {
            if text_width(cell) > w {
                *cell = cell
                    .lines()
                    .flat_map(|l| wrap(l, w))
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
    }

    let mut t = Builder::from(cells).build();
    t.with(Style::empty())
        .with(Padding::new(0, GAP, 0, 0))
        .modify(Columns::last(), Padding::zero());
    // A backstop: only acts when the fixed columns alone overflow.
    t.with(Width::wrap(width_limit()).priority(PriorityMax::right()));

    let mut out = String::new();
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Column widths that fit `budget`: fixed columns (weight 0) keep their
/// natural width; the others get a weighted share, and a column that needs
/// less than its share gives the difference to the rest.
fn allot(natural: &[usize], weights: &[usize], budget: usize) -> Vec<usize> {
    const MIN: usize = 10;
    let mut widths = natural.to_vec();
    if natural.iter().sum::<usize>() <= budget {
        return widths;
    }
    let fixed: usize = natural
        .iter()
        .zip(weights)
        .filter(|(_, &w)| w == 0)
        .map(|(n, _)| n)
        .sum();
    let mut left = budget.saturating_sub(fixed);
    // Settle the columns that fit in their share, smallest need per weight
    // first; what is left is split among the rest.
    let mut open: Vec<usize> = (0..natural.len()).filter(|&i| weights[i] > 0).collect();
    open.sort_by(|&a, &b| (natural[a] * weights[b]).cmp(&(natural[b] * weights[a])));
    while let Some(&i) = open.first() {
        let total: usize = open.iter().map(|&j| weights[j]).sum();
        if natural[i] > left * weights[i] / total {
            break;
        }
        left -= natural[i];
        open.remove(0);
    }
    let total: usize = open.iter().map(|&j| weights[j]).sum();
    let mut rest = left;
    for (k, &i) in open.iter().enumerate() {
        let share = if k + 1 == open.len() {
            rest
        } else {
            left * weights[i] / total
        };
        widths[i] = share.max(MIN);
        rest = rest.saturating_sub(share);
    }
    widths
}

/// `prefix` then `text`, wrapped to [`WIDTH`], continuation lines indented
/// by the prefix's width. Ends with a newline.
pub(crate) fn wrap_line(prefix: &str, text: &str) -> String {
    let indent = " ".repeat(width(prefix));
    let mut out = String::new();
    for (n, line) in wrap(
        &clean(text),
        width_limit().saturating_sub(width(prefix)).max(20),
    )
    .iter()
    .enumerate()
    {
        out.push_str(if n == 0 { prefix } else { &indent });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One line of text as lines at most `room` wide: broken at spaces, and a
/// word wider than `room` cut where it must be. Always at least one line.
fn wrap(text: &str, room: usize) -> Vec<String> {
    let room = room.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0; // width(&line), kept as the line grows
    for mut word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut w = width(word);
        if !line.is_empty() && used + 1 + w > room {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        // Still too wide on a line of its own: cut it, in one pass over
        // the word (linear however long it is).
        if w > room {
            let (mut start, mut used) = (0, 0);
            for (i, c) in word.char_indices() {
                let cw = get_char_width(c);
                if used + cw > room && i > start {
                    lines.push(word[start..i].to_string());
                    start = i;
                    used = 0;
                }
                used += cw;
            }
            word = &word[start..];
            w = used;
        }
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text for the terminal: control characters (a newline or an escape
/// sequence in a tag value, say) are shown escaped rather than acted on.
pub(crate) fn clean(text: &str) -> String {
    crate::util::term::escape(text).into_owned()
}

/// Display width of one line, as the table measures it.
fn width(text: &str) -> usize {
    get_string_width(text)
}

/// Display width of the widest line.
fn text_width(text: &str) -> usize {
    text.lines().map(width).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::Baseline;
    use crate::model::{Credential, Identity, Item};
    use crate::report::test_support::{
        self, ACCESS_KEY, DEPLOYER, KEY1, PROVIDER, ROLE, ROOT, ROOT_KEY, USER,
    };
    use crate::scan::Scan;

    fn show(scan: &Scan) -> String {
        render(&test_support::view(scan))
    }

    fn assert_fits(text: &str) {
        for line in text.lines() {
            let n = line.chars().count();
            assert!(n <= WIDTH, "line of {n} characters:\n{line}\nin:\n{text}");
        }
    }

    #[test]
    fn groups_come_highest_first_with_their_counts() {
        let out = show(&test_support::scan());
        let pos = |s: &str| {
            out.find(s)
                .unwrap_or_else(|| panic!("{s:?} missing:\n{out}"))
        };
        assert!(pos("CRITICAL (2)\n") < pos("HIGH (1)\n"));
        assert!(pos("HIGH (1)\n") < pos("MEDIUM (2)\n"));
        assert!(pos("MEDIUM (2)\n") < pos("LOW (2)\n"));
        assert_eq!(
            out.matches("RULE").count(),
            4,
            "one table per group:\n{out}"
        );
        // The medium group holds exactly the two findings on key 1.
        let medium = &out[pos("MEDIUM (2)")..pos("LOW (2)")];
        assert!(
            medium.contains("unrotated-credential  deployer · access-key/1"),
            "{medium}"
        );
        assert!(
            medium.contains("unused-credential     deployer · access-key/1"),
            "{medium}"
        );
        assert_fits(&out);
    }

    #[test]
    fn items_read_as_name_and_kind_or_holder_and_credential() {
        let scan = test_support::scan();
        let inv = &scan.inventory;
        for (identity, credential, want) in [
            (ROLE, None, "app-admin (role, admin)"),
            (ROOT, Some(ROOT_KEY), "root · access-key/1"),
            (DEPLOYER, Some(KEY1), "deployer · access-key/1 (admin)"),
            (DEPLOYER, None, "deployer (user, admin)"),
            (ROOT, None, "root"),
            // Not in the inventory: the ids.
            ("example:acct-1/gone", None, "example:acct-1/gone"),
            (
                "example:acct-1/gone",
                Some("example:acct-1/gone/key"),
                "example:acct-1/gone/key",
            ),
            // A credential the holder no longer has: what follows the holder's id.
            (
                ROOT,
                Some("example:acct-1/root/access-key/9"),
                "root · access-key/9",
            ),
        ] {
            assert_eq!(item_name(inv, identity, credential), want);
        }
        let out = show(&scan);
        for label in [
            "app-admin (role, admin)",
            "root · access-key/1",
            "deployer · access-key/1",
            "deployer (user, admin)",
        ] {
            assert!(out.contains(label), "{label:?} missing:\n{out}");
        }
        assert!(
            !out.contains(" @ "),
            "a single account is not repeated on every row:\n{out}"
        );
    }

    #[test]
    fn the_full_report_reads_as_expected() {
        insta::assert_snapshot!(show(&test_support::scan()));
    }

    #[test]
    fn warnings_incomplete_sources_and_summary_close_the_report() {
        let out = show(&test_support::scan());
        let lines: Vec<&str> = out.lines().collect();
        let tail = lines[lines.len() - 7..].join("\n");
        let want = [
            r#"warning: nhiscan.toml:4: suppression of never-used on "*" matched no finding"#,
            "incomplete source: exports/policies.json (policy-list) failed: AccessDenied: not authorized to",
            "                   perform example:ListPolicies on acct-1",
            "",
            "Findings: 2 critical, 1 high, 2 medium, 2 low",
            "Privilege: 2 admin, 1 unknown",
            "3 identities (2 non-human), 3 credentials, 2 sources (1 incomplete) · 7 findings · 1 suppressed",
        ];
        assert_eq!(tail, want.join("\n"));
    }

    #[test]
    fn hidden_findings_are_left_out_and_counted() {
        let scan = test_support::scan();
        let view = test_support::view(&scan).with_min_severity(Some(Severity::High));
        let out = render(&view);
        assert!(!out.contains("MEDIUM") && !out.contains("LOW ("), "{out}");
        assert!(out.contains("Findings: 2 critical, 1 high\n"), "{out}");
        // Too wide for one line: the summary breaks at a ` · `.
        assert!(
            out.ends_with("· 3 findings · 1 suppressed\n4 hidden by --min-severity\n"),
            "{out}"
        );
    }

    #[test]
    fn no_findings_says_so() {
        let mut scan = test_support::scan();
        scan.evaluation.findings.clear();
        scan.evaluation.suppressed = 0;
        let out = show(&scan);
        assert!(out.starts_with("No findings.\n"), "{out}");
        assert!(!out.contains("RULE") && !out.contains("Findings:"), "{out}");
        assert_eq!(
            out.lines().last().unwrap(),
            "3 identities (2 non-human), 3 credentials, 2 sources (1 incomplete) · 0 findings"
        );
    }

    /// Long names, messages, warnings and errors, over two accounts.
    fn long_scan() -> Scan {
        let mut scan = test_support::scan();
        let long_name = format!("svc-{}", "x".repeat(140));
        let other = format!("{PROVIDER}:acct-2/user/{long_name}");
        let mut holder = Identity::new(Item::new(
            other.clone(),
            PROVIDER,
            "acct-2".into(),
            USER,
            long_name.clone(),
        ));
        let cid = format!("{other}/access-key/1");
        holder.credentials.push(Credential {
            item: Item::new(
                cid.clone(),
                PROVIDER,
                "acct-2".into(),
                ACCESS_KEY,
                "access-key/1".into(),
            ),
            parent_id: other.clone(),
        });
        scan.inventory.add(holder);
        let words = "the quick brown fox jumps over the lazy dog ".repeat(8);
        let token = format!("{PROVIDER}:policy/{}", "Y".repeat(130));
        scan.evaluation.findings.push(test_support::finding(
            &scan,
            "admin-privilege",
            &other,
            None,
            &format!("{words}{token} end"),
        ));
        scan.evaluation.findings.push(test_support::finding(
            &scan,
            "unused-credential",
            &other,
            Some(&cid),
            &format!("short {token}"),
        ));
        scan.evaluation.findings.push(test_support::finding(
            &scan,
            "multiple-active-keys",
            DEPLOYER,
            None,
            &words,
        ));
        test_support::sort(&mut scan.evaluation.findings);
        scan.evaluation.warnings.push(format!("{words}{token}"));
        scan.inventory.sources[1].location =
            format!("/very/long/path/{}/policies.json", "z".repeat(120));
        scan.inventory.sources[1].error = Some(words.clone());
        scan
    }

    #[test]
    fn with_a_baseline_states_and_resolved_findings_fit_too() {
        let scan = long_scan();
        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        let mut gone = baseline.findings.remove(0);
        gone.fingerprint = "0".repeat(32);
        gone.identity_id = format!("{PROVIDER}:acct-1/user/{}", "z".repeat(120));
        baseline.findings.push(gone);
        let marks = baseline.marks(findings);
        let out = render(&test_support::view(&scan).with_baseline(Some(&marks)));
        assert_fits(&out);
        let groups = Severity::DESCENDING
            .iter()
            .filter(|s| out.contains(&format!("{} (", s.as_str().to_uppercase())))
            .count();
        let headers = out.lines().filter(|l| l.starts_with("STATE ")).count();
        assert_eq!((headers, groups), (4, 4), "{out}");
        assert!(out.contains("\nnew        "), "{out}");
        assert!(out.contains("RESOLVED SINCE BASELINE (1)\n"), "{out}");
        assert!(out.contains("1 new, 9 baselined, 1 resolved"), "{out}");
    }

    #[test]
    fn every_line_fits_in_100_columns_however_long_the_cells() {
        let scan = long_scan();
        let out = show(&scan);
        assert_fits(&out);
        // Wrapping loses nothing: with the layout taken out, every message is
        // still there, long token included.
        let flat: String = out.split_whitespace().collect();
        for f in &scan.evaluation.findings {
            for word in f.message.split(' ') {
                if word.len() < 40 {
                    assert!(out.contains(word), "{word:?} lost:\n{out}");
                }
            }
        }
        let token = format!("{PROVIDER}:policy/{}", "Y".repeat(130));
        let head = format!("{PROVIDER}:policy/YYY");
        assert!(
            out.split_whitespace().any(|w| w.starts_with(&head)),
            "{out}"
        );
        assert!(
            flat.matches('Y').count() >= 3 * 130,
            "the long token is cut, not dropped: {token}"
        );
        // Two accounts: each item says which.
        assert!(out.contains("@ acct-1"), "{out}");
        assert!(out.contains("@ acct-2"), "{out}");
        let summary = out.lines().last().unwrap();
        assert!(
            summary.contains("identities") && summary.contains("findings"),
            "{summary}"
        );
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        let mut scan = test_support::scan();
        scan.evaluation.findings[0].message = "owner \u{1b}[31mred\u{1b}[0m\nsecond line".into();
        let out = show(&scan);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("\\u{1b}[31mred"), "{out}");
        assert!(out.contains("red\\u{1b}[0m\\nsecond"), "{out}");
    }

    #[test]
    fn rules_table_lists_every_rule_within_100_columns() {
        let list = test_support::rules();
        let out = rules(list);
        assert_fits(&out);
        let mut lines = out.lines();
        let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        assert_eq!(header, ["ID", "SEVERITY", "OWASP", "SUMMARY"]);
        let starts: Vec<&str> = lines
            .filter(|l| !l.starts_with(' '))
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        let ids: Vec<&str> = list.iter().map(|r| r.meta().id).collect();
        assert_eq!(starts, ids, "one row per rule, in list order:\n{out}");
        assert!(
            out.contains(
                "multiple-active-keys  low       NHI7   More than one active access key on one identity\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn allot_keeps_fixed_columns_and_shares_the_rest_by_weight() {
        // Everything fits: nothing changes.
        assert_eq!(allot(&[10, 20, 30], &[0, 2, 3], 80), [10, 20, 30]);
        // ITEM needs less than its share; DETAIL gets the rest.
        assert_eq!(allot(&[20, 25, 200], &[0, 2, 3], 96), [20, 25, 51]);
        // Both need more than their share: 2:3.
        assert_eq!(allot(&[20, 100, 200], &[0, 2, 3], 96), [20, 30, 46]);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_overlong_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("aaa  bbb", 20), ["aaa bbb"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(
            wrap("ab abcdefghijkl cd", 5),
            ["ab", "abcde", "fghij", "kl cd"]
        );
        assert_eq!(wrap("exactly10!", 10), ["exactly10!"]);
    }
}
