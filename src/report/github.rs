//! `--format github`: GitHub Actions workflow commands, one per shown
//! finding, so findings appear as annotations on the workflow run.
//!
//! Critical and high findings are `::error`, medium `::warning`, low
//! `::notice`. The title names the rule and severity; the message names the
//! item and says what is wrong. Warnings and sources not read in full are
//! `::warning` lines too. Every value is escaped as GitHub's toolkit
//! escapes it (`%`, CR and LF in the message; also `:` and `,` in
//! properties), so inventory text cannot end the command or start another.

use std::io::Write;

use super::table::item_name;
use super::View;
use crate::model::{Severity, SourceStatus};

/// The workflow command of a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Writes one command per line.
pub fn write(view: &View, w: &mut dyn Write) -> std::io::Result<()> {
    for f in view.findings() {
        let item = item_name(view.inventory(), &f.identity_id, f.credential_id.as_deref());
        writeln!(
            w,
            "::{} title={}::{}",
            command(f.severity),
            property(&format!("nhiscan {} ({})", f.rule_id(), f.severity)),
            data(&format!("{item}: {} ({})", f.message, f.rule.help_uri()))
        )?;
    }
    for warning in view.warnings() {
        writeln!(w, "::warning title=nhiscan::{}", data(warning))?;
    }
    for s in view
        .sources()
        .iter()
        .filter(|s| s.status != SourceStatus::Ok)
    {
        writeln!(
            w,
            "::warning title={}::{}",
            property(&format!("nhiscan source {}", s.status)),
            data(&s.describe())
        )?;
    }
    Ok(())
}

/// A command's message, escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value, escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    fn render(view: &View) -> String {
        let mut out = Vec::new();
        write(view, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_command_per_finding_then_warnings_and_sources() {
        let scan = test_support::scan();
        let out = render(&test_support::view(&scan));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), scan.evaluation.findings.len() + 2, "{out}");
        assert!(
            lines[0].starts_with(
                "::error title=nhiscan admin-privilege (critical)::app-admin (role, admin): "
            ),
            "{}",
            lines[0]
        );
        assert!(lines
            .iter()
            .any(|l| l.starts_with("::warning title=nhiscan unused-credential (medium)::")));
        assert!(lines.iter().any(|l| l.starts_with("::notice title=")));
        assert!(lines.iter().all(|l| l.starts_with("::")), "{out}");
    }

    #[test]
    fn inventory_text_cannot_start_another_command() {
        let mut scan = test_support::scan();
        scan.evaluation.findings[0].message = "x\n::set-output name=a::b 100%".into();
        let out = render(&test_support::view(&scan));
        assert!(!out.contains("\n::set-output"), "{out}");
        assert!(out.contains("x%0A::set-output name=a::b 100%25"), "{out}");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
