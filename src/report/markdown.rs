//! `--format markdown`: a compact summary for `$GITHUB_STEP_SUMMARY` or a
//! merge-request comment.
//!
//! A heading with the finding count, the counts by provider and severity, the
//! baseline's counts when there is one, the top [`TOP`] findings (new ones
//! first), then warnings and incomplete sources. Text from the inventory
//! (names, messages) is escaped, so a tag value cannot inject markup, links or
//! mentions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::baseline::State;
use crate::model::{Severity, SourceStatus};
use crate::rules::Finding;

use super::table::{item_name, plural};
use super::View;

/// How many findings the summary lists.
pub const TOP: usize = 10;

/// Renders the summary.
pub fn render(view: &View) -> String {
    let s = view.summary();
    let findings: Vec<&Finding> = view.findings().collect();
    let baseline = view.baseline_counts();
    let mut out = String::new();

    let _ = write!(
        out,
        "## nhiscan: {}",
        plural(s.findings, "finding", "findings")
    );
    if let Some(b) = baseline {
        let _ = write!(out, " ({} new)", b.new);
    }
    out.push_str("\n\n");
    let _ = writeln!(
        out,
        "{} ({} non-human), {}, {}{}.",
        plural(s.identities, "identity", "identities"),
        s.non_human,
        plural(s.credentials, "credential", "credentials"),
        plural(s.sources, "source", "sources"),
        if s.sources_incomplete > 0 {
            format!(" (**{} incomplete**)", s.sources_incomplete)
        } else {
            String::new()
        }
    );
    if let Some(b) = baseline {
        let _ = writeln!(
            out,
            "Against the baseline: **{} new**, {} baselined, {} resolved.",
            b.new, b.baselined, b.resolved
        );
    }
    let mut quiet = Vec::new();
    if s.suppressed > 0 {
        quiet.push(format!("{} suppressed", s.suppressed));
    }
    if s.hidden > 0 {
        quiet.push(format!("{} hidden by `--min-severity`", s.hidden));
    }
    if !quiet.is_empty() {
        let _ = writeln!(out, "Not shown: {}.", quiet.join(", "));
    }
    out.push('\n');

    if view.nothing_scanned() {
        out.push_str("**Scan failed:** nothing was read; every source failed or was skipped (see below).\n\n");
    } else if findings.is_empty() {
        out.push_str("No findings.\n\n");
    } else {
        counts(&mut out, &findings);
        top(&mut out, view, &findings);
    }
    notes(&mut out, view);
    let _ = writeln!(
        out,
        "<sub>{} {} · clock {}</sub>",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        crate::wire::v1::rfc3339::text(view.now())
    );
    out
}

/// The findings by provider (rows) and severity (columns).
fn counts(out: &mut String, findings: &[&Finding]) {
    let mut by: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for f in findings {
        let row = by.entry(f.provider.to_string()).or_default();
        row[column(f.severity)] += 1;
    }
    out.push_str("| provider | critical | high | medium | low | total |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    let mut total = [0usize; 4];
    for (provider, row) in &by {
        line(out, &escape(provider), row);
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
    }
    if by.len() > 1 {
        line(out, "**all**", &total);
    }
    out.push('\n');

    fn column(s: Severity) -> usize {
        Severity::DESCENDING
            .iter()
            .position(|&d| d == s)
            .unwrap_or(0)
    }
    fn line(out: &mut String, label: &str, row: &[usize; 4]) {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} |",
            row[0],
            row[1],
            row[2],
            row[3],
            row.iter().sum::<usize>()
        );
    }
}

/// The first [`TOP`] findings: new ones first, then by severity.
fn top(out: &mut String, view: &View, findings: &[&Finding]) {
    let with_state = view.baseline.is_some();
    let scopes: BTreeSet<&str> = findings.iter().map(|f| f.scope.as_str()).collect();
    let mut order: Vec<&Finding> = findings.to_vec();
    // Stable: within each part, the scan's own order (severity first).
    order.sort_by_key(|f| view.state(f) == Some(State::Baselined));
    let shown = order.len().min(TOP);
    let _ = writeln!(
        out,
        "### {}\n",
        if shown == findings.len() {
            "Findings"
        } else {
            "Top findings"
        }
    );
    out.push_str(if with_state {
        "| state | severity | rule | item | detail |\n|---|---|---|---|---|\n"
    } else {
        "| severity | rule | item | detail |\n|---|---|---|---|\n"
    });
    for f in order.into_iter().take(TOP) {
        let mut item = item_name(view.inventory(), &f.identity_id, f.credential_id.as_deref());
        if scopes.len() > 1 {
            let _ = write!(item, " @ {}", f.scope);
        }
        if with_state {
            let state = match view.state(f) {
                Some(State::New) => "**new**",
                Some(State::Baselined) => "baselined",
                None => "",
            };
            let _ = write!(out, "| {state} ");
        }
        let _ = writeln!(
            out,
            "| {} | [{}]({}) | {} | {} |",
            f.severity,
            escape(f.rule_id()),
            f.rule.help_uri(),
            cell(&item),
            cell(&f.message)
        );
    }
    if findings.len() > shown {
        let _ = writeln!(
            out,
            "\n…and {} more: see the full report (`--format table`, `json` or `sarif`).",
            findings.len() - shown
        );
    }
    out.push('\n');
}

/// Warnings and sources not read in full, as quotes: the first
/// [`MAX_NOTES`], then how many more there are.
fn notes(out: &mut String, view: &View) {
    let warnings = view.warnings().iter().map(|w| ("Warning", w.clone()));
    let sources = view.sources().iter().filter_map(|s| {
        let label = match s.status {
            SourceStatus::Ok => return None,
            SourceStatus::Skipped => "Skipped source",
            SourceStatus::Partial | SourceStatus::Failed => "Incomplete source",
        };
        Some((label, s.describe()))
    });
    let all: Vec<(&str, String)> = warnings.chain(sources).collect();
    for (label, text) in all.iter().take(MAX_NOTES) {
        let _ = writeln!(out, "> **{label}:** {}  ", cell(text));
    }
    if all.len() > MAX_NOTES {
        let _ = writeln!(
            out,
            "> …and {} more warnings and sources not read in full: see the full report.",
            all.len() - MAX_NOTES
        );
    }
    if !all.is_empty() {
        out.push('\n');
    }
}

/// How many warnings and source notes the summary lists.
pub const MAX_NOTES: usize = 20;

/// The most characters of inventory text one cell or note keeps.
pub const MAX_CELL: usize = 500;

/// `text` escaped (see [`escape`]), cut to [`MAX_CELL`] characters first.
/// With [`TOP`] rows and [`MAX_NOTES`] notes this keeps the summary far
/// below GitHub's 1 MiB step-summary limit, whatever the inventory holds.
fn cell(text: &str) -> String {
    match text.char_indices().nth(MAX_CELL) {
        Some((at, _)) => format!("{}…", escape(&text[..at])),
        None => escape(text),
    }
}

/// Text made inert in Markdown (and in a GFM table cell): line breaks become
/// spaces, and characters that start markup, HTML, links, entities or
/// mentions are backslash-escaped. GFM's extended autolinks (`http://x`,
/// `https://x`, `www.x`, `user@host`) are broken too: the `:` after a
/// scheme and the `.` after `www` are escaped, which a renderer shows as
/// the plain characters but does not link, and an `@` is followed by an
/// empty HTML comment (a backslash does not stop GitHub's cmark-gfm from
/// linking `user\@host`), which also stops @-mentions.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let tail_is = |s: &str| {
            let n = s.chars().count();
            i >= n
                && chars[i - n..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case(s)
        };
        let autolink = match c {
            ':' => {
                tail_is("http")
                    || tail_is("https")
                    || tail_is("ftp")
                    || tail_is("mailto")
                    || tail_is("xmpp")
            }
            '.' => tail_is("www"),
            _ => false,
        };
        if autolink {
            out.push('\\');
            out.push(c);
            continue;
        }
        match c {
            // GFM's email autolinks (cmark-gfm links `a\\@b.c` all the
            // same) and GitHub's @-mentions are cut by an empty HTML
            // comment after the `@`, which renders as nothing.
            '@' => out.push_str("@<!-- -->"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::Baseline;
    use crate::report::test_support;
    use crate::rules::DOCS_URL;

    #[test]
    fn summary_counts_by_provider_and_severity_and_lists_the_findings() {
        let out = render(&test_support::view(&test_support::scan()));
        assert!(out.starts_with("## nhiscan: 7 findings\n\n"), "{out}");
        assert!(
            out.contains(
                "3 identities (2 non-human), 3 credentials, 2 sources (**1 incomplete**)."
            ),
            "{out}"
        );
        assert!(out.contains("| example | 2 | 1 | 2 | 2 | 7 |\n"), "{out}");
        assert!(!out.contains("**all**"), "one provider, no total row");
        assert!(out.contains("### Findings\n"), "all seven fit");
        let admin = format!(
            "| critical | [admin-privilege]({DOCS_URL}admin-privilege.md) | app-admin (role, admin) |"
        );
        assert!(out.contains(&admin), "{out}");
        assert!(out.contains("| medium | [unused-credential]("), "{out}");
        assert!(out.contains("deployer · access-key/1"), "{out}");
        assert!(out.contains("> **Warning:** nhiscan.toml:4: suppression of never-used on \"\\*\" matched no finding"), "{out}");
        assert!(
            out.contains("> **Incomplete source:** exports/policies.json"),
            "{out}"
        );
        assert!(out.contains("Not shown: 1 suppressed.\n"), "{out}");
        assert!(
            out.ends_with("· clock 2026-03-01T12:00:00Z</sub>\n"),
            "{out}"
        );
    }

    #[test]
    fn several_providers_get_a_total_row() {
        let mut scan = test_support::scan();
        scan.evaluation.findings[0].provider = "other";
        let out = render(&test_support::view(&scan));
        assert!(out.contains("| example | 1 | 1 | 2 | 2 | 6 |\n"), "{out}");
        assert!(out.contains("| other | 1 | 0 | 0 | 0 | 1 |\n"), "{out}");
        assert!(out.contains("| **all** | 2 | 1 | 2 | 2 | 7 |\n"), "{out}");
    }

    #[test]
    fn with_a_baseline_new_findings_come_first_and_are_counted() {
        let scan = test_support::scan();
        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        baseline
            .findings
            .retain(|e| e.rule_id != "multiple-active-keys");
        let marks = baseline.marks(findings);
        let out = render(&test_support::view(&scan).with_baseline(Some(&marks)));
        assert!(out.starts_with("## nhiscan: 7 findings (1 new)\n"), "{out}");
        assert!(out.contains("**1 new**, 6 baselined, 0 resolved"), "{out}");
        let rows: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("| **new**") || l.starts_with("| baselined"))
            .collect();
        assert_eq!(rows.len(), 7);
        assert!(
            rows[0].starts_with("| **new** | low | [multiple-active-keys]"),
            "{}",
            rows[0]
        );
    }

    #[test]
    fn hidden_findings_are_not_shown_and_say_so() {
        let scan = test_support::scan();
        let view = test_support::view(&scan).with_min_severity(Some(Severity::Critical));
        let out = render(&view);
        assert!(out.starts_with("## nhiscan: 2 findings\n"), "{out}");
        assert!(
            out.contains("Not shown: 1 suppressed, 5 hidden by `--min-severity`.\n"),
            "{out}"
        );
        assert!(!out.contains("missing-owner"), "{out}");
    }

    #[test]
    fn only_the_top_findings_are_listed() {
        let mut scan = test_support::scan();
        let f = scan.evaluation.findings[0].clone();
        scan.evaluation.findings = vec![f; TOP + 3];
        let out = render(&test_support::view(&scan));
        assert!(out.contains("### Top findings\n"), "{out}");
        assert_eq!(out.matches("| critical | [admin-privilege]").count(), TOP);
        assert!(out.contains("…and 3 more"), "{out}");
    }

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("a|b <img src=x> [l](u) @team *x*\nnext"),
            "a\\|b \\<img src=x\\> \\[l\\](u) @<!-- -->team \\*x\\* next"
        );
        assert_eq!(
            escape("see http://evil.example and WWW.evil.example"),
            "see http\\://evil.example and WWW\\.evil.example"
        );
        assert_eq!(
            escape("urn:example:dir::1:user/x-y.z"),
            "urn:example:dir::1:user/x-y.z"
        );
    }
}
