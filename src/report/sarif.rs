//! `--format sarif`: SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! One run. `tool.driver.rules` lists every rule of the view's rule list
//! ([`View::rules`]), in its order, so a result's `ruleIndex` is the rule's
//! place in it; each rule's `properties.tags` name its OWASP NHI risk
//! (`owasp-nhi:NHI7`). Each shown finding is one result.
//!
//! Findings are about cloud principals, not source lines, so each result says
//! where it is twice: `logicalLocations` name the identity (and credential) by
//! id, and a `physicalLocation` gives GitHub, which needs one to show a result,
//! a stable pseudo-path for the item (see [`artifact_uri`]). The path is not a
//! file in any repository, so GitHub's upload action cannot hash a source line
//! for it; the finding's own fingerprint goes in `partialFingerprints`, both
//! under `nhiscan/v1` and as the `primaryLocationLineHash` GitHub matches
//! alerts by. With `--baseline`, each result's `baselineState` is `new` or
//! `unchanged`.
//!
//! GitHub rejects a run with more than 25,000 results, so a run keeps at
//! most [`View::sarif_max_results`] ([`MAX_RESULTS`] unless
//! `--sarif-max-results` says otherwise): the most severe ones, as findings
//! come sorted by severity. How many were left out is said in a
//! `toolExecutionNotifications` entry (and on stderr by the CLI). Each
//! rule's `defaultConfiguration.level` and `security-severity` follow the
//! severity the config gives it (`[rules.<id>] severity`).

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use super::View;
use crate::baseline::State;
use crate::model::{Severity, SourceStatus};
use crate::rules::{Finding, Rule};

/// The schema URI GitHub's documentation uses.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The most results a run keeps by default: GitHub code scanning's limit per run.
pub const MAX_RESULTS: usize = 25_000;

/// Where the tool is documented.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score for a severity: GitHub reads over 9.0
/// as critical, 7.0 to 8.9 as high, 4.0 to 6.9 as medium, below 4.0 as low.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

/// Writes the view as pretty JSON with a trailing newline, without building it in memory first.
pub fn write(view: &View, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &log(view))?;
    w.write_all(b"\n")
}

/// Renders the view to a string (see [`write`]).
pub fn render(view: &View) -> String {
    let mut out = Vec::new();
    write(view, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("SARIF is UTF-8")
}

/// The SARIF log of a view, borrowing from its scan.
fn log<'a>(view: &View<'a>) -> Log<'a> {
    let mut notifications: Vec<Notification> = view
        .warnings()
        .iter()
        .map(|w| Notification {
            level: "warning",
            message: Text::new(w.clone()),
        })
        .collect();
    for s in view.sources() {
        let level = match s.status {
            SourceStatus::Ok => continue,
            SourceStatus::Failed => "error",
            SourceStatus::Partial => "warning",
            SourceStatus::Skipped => "note",
        };
        notifications.push(Notification {
            level,
            message: Text::new(format!("source {}", s.describe())),
        });
    }
    let left_out = left_out(view);
    if left_out > 0 {
        notifications.push(Notification {
            level: "warning",
            message: Text::new(format!(
                "{left_out} of {} results left out: a run keeps the {} most severe (--sarif-max-results)",
                view.findings().count(),
                view.sarif_max_results
            )),
        });
    }
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    full_name: concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: view
                        .rules
                        .iter()
                        .map(|r| rule(*r, view.rule_severity(*r)))
                        .collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: !view.inventory().is_partial(),
                tool_execution_notifications: notifications,
            }],
            results: view
                .findings()
                .take(view.sarif_max_results)
                .map(|f| result(view, f))
                .collect(),
        }],
    }
}

/// How many shown findings a run leaves out (see [`MAX_RESULTS`]).
pub fn left_out(view: &View) -> usize {
    view.findings()
        .count()
        .saturating_sub(view.sarif_max_results)
}

/// The `reportingDescriptor` of one rule, at its effective `severity`.
fn rule(r: &dyn Rule, severity: Severity) -> ReportingDescriptor {
    let m = r.meta();
    ReportingDescriptor {
        id: m.id,
        // The implementing type's name: `MissingOwner` for `missing-owner`.
        name: r.type_name().rsplit("::").next().unwrap_or(m.id),
        short_description: Text::new(m.summary.to_string()),
        full_description: Text::new(format!("{}. {}", m.summary, m.remediation)),
        help: Help {
            text: format!("{}\n\nDocumentation: {}", m.remediation, m.help_uri()),
            markdown: format!("{}\n\n[Documentation]({})", m.remediation, m.help_uri()),
        },
        help_uri: m.help_uri(),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(severity),
            tags: vec!["security".into(), "nhi".into(), m.owasp.tag()],
        },
    }
}

/// The `result` of one finding.
fn result<'a>(view: &View<'a>, f: &'a Finding) -> SarifResult<'a> {
    let identity = view.inventory().get(&f.identity_id);
    let mut logical = vec![LogicalLocation {
        name: identity.map_or(&f.identity_id, |i| &i.item.name),
        fully_qualified_name: &f.identity_id,
        kind: "resource",
    }];
    if let Some(cid) = &f.credential_id {
        let credential = identity.and_then(|i| i.credentials.iter().find(|c| &c.item.id == cid));
        logical.push(LogicalLocation {
            name: credential.map_or(cid, |c| &c.item.name),
            fully_qualified_name: cid,
            kind: "resource",
        });
    }
    SarifResult {
        rule_id: f.rule_id(),
        rule_index: view.rule_index(f),
        level: level(f.severity),
        message: Text::new(f.message.clone()),
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: artifact_uri(f),
                },
                region: Region {
                    start_line: 1,
                    start_column: 1,
                    end_line: 1,
                    end_column: 1,
                },
            },
            logical_locations: logical,
        }],
        partial_fingerprints: PartialFingerprints {
            nhiscan_v1: &f.fingerprint,
            primary_location_line_hash: format!("{}:1", f.fingerprint),
        },
        baseline_state: view.state(f).map(|s| match s {
            State::New => "new",
            State::Baselined => "unchanged",
        }),
        properties: ResultProperties {
            severity: f.severity,
            scope: &f.scope,
        },
    }
}

/// Characters escaped in a path segment of the pseudo-path: everything but
/// unreserved ASCII and a few harmless sub-delimiters. `:` in particular, so
/// that no segment reads as a URI scheme.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A relative pseudo-path naming the finding's item, stable across runs:
/// `nhiscan/<provider>/<scope>/<resource>`. The resource is what follows the
/// scope in the item's id, when the id names the scope as one of its
/// segments (after a `:` or at the start, followed by `:` or `/`), as both
/// `<provider>:<scope>/<kind>/...` ids and ARN-style
/// `<partition>:<service>::<scope>:<kind>/...` ids do; otherwise the whole id.
/// Each segment is escaped, so the path is relative and has no scheme, as
/// code scanning wants; it never names a real file, so alerts cannot collide
/// with a file's lines.
pub fn artifact_uri(f: &Finding) -> String {
    let id = f.item_id();
    let resource = after_scope(id, &f.scope).unwrap_or(id);
    let mut segments = vec!["nhiscan", f.provider, f.scope.as_str()];
    if !resource.is_empty() {
        segments.extend(resource.split('/'));
    }
    segments
        .iter()
        .map(|s| match *s {
            "" => "_".to_string(),
            "." => "%2E".to_string(),
            ".." => "%2E%2E".to_string(),
            s => utf8_percent_encode(s, SEGMENT).to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What follows the first whole-segment occurrence of `scope` in `id`:
/// `scope` preceded by the start or a `:`, and followed by the end, a `:` or
/// a `/` (which is dropped). `None` when `id` does not name the scope.
fn after_scope<'a>(id: &'a str, scope: &str) -> Option<&'a str> {
    if scope.is_empty() {
        return None;
    }
    id.match_indices(scope).find_map(|(at, _)| {
        let before = &id[..at];
        let rest = &id[at + scope.len()..];
        let starts = before.is_empty() || before.ends_with(':');
        let ends = rest.is_empty() || rest.starts_with([':', '/']);
        (starts && ends).then(|| rest.get(1..).unwrap_or(""))
    })
}

// The subset of the SARIF 2.1.0 object model this module writes.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: String) -> Self {
        Text { text }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    /// `security`, `nhi` and the rule's OWASP NHI risk (`owasp-nhi:NHI7`).
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    partial_fingerprints: PartialFingerprints<'a>,
    /// SARIF's `new` or `unchanged`, with `--baseline` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct PartialFingerprints<'a> {
    #[serde(rename = "nhiscan/v1")]
    nhiscan_v1: &'a str,
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    severity: Severity,
    scope: &'a str,
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::baseline::Baseline;
    use crate::report::test_support::{self, ROLE, ROOT, ROOT_KEY};
    use crate::scan::Scan;

    fn sarif(scan: &Scan) -> Value {
        serde_json::from_str(&render(&test_support::view(scan))).expect("valid JSON")
    }

    #[test]
    fn log_has_the_schema_version_and_one_run() {
        let scan = test_support::scan();
        let out = render(&test_support::view(&scan));
        assert!(out.ends_with("}\n"));
        let log: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "nhiscan");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
        assert_eq!(
            out,
            render(&test_support::view(&test_support::scan())),
            "deterministic"
        );
    }

    #[test]
    fn every_rule_is_described_in_list_order_with_its_owasp_tag() {
        let log = sarif(&test_support::scan());
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let list = test_support::rules();
        assert_eq!(rules.len(), list.len());
        for (rule, r) in rules.iter().zip(list) {
            let m = r.meta();
            assert_eq!(rule["id"], m.id);
            assert_eq!(rule["shortDescription"]["text"], m.summary);
            assert!(rule["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .starts_with(m.summary));
            assert!(rule["help"]["text"]
                .as_str()
                .unwrap()
                .starts_with(m.remediation));
            assert_eq!(rule["helpUri"], m.help_uri());
            assert_eq!(rule["defaultConfiguration"]["level"], level(m.severity));
            assert_eq!(
                rule["properties"]["security-severity"],
                security_severity(m.severity)
            );
            assert_eq!(
                rule["properties"]["tags"],
                serde_json::json!(["security", "nhi", m.owasp.tag()])
            );
        }
        let unrotated = rules
            .iter()
            .find(|r| r["id"] == "unrotated-credential")
            .unwrap();
        assert_eq!(
            unrotated["properties"]["tags"],
            serde_json::json!(["security", "nhi", "owasp-nhi:NHI7"])
        );
        let names: Vec<&str> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert!(
            names.contains(&"MissingOwner") && names.contains(&"MultipleActiveKeys"),
            "{names:?}"
        );
    }

    #[test]
    fn severities_map_to_levels_and_code_scanning_scores() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        // Over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, under 4.0 low.
        for (s, lo, hi) in [
            (Severity::Critical, 9.0, 10.0),
            (Severity::High, 7.0, 8.9),
            (Severity::Medium, 4.0, 6.9),
            (Severity::Low, 0.1, 3.9),
        ] {
            let score: f64 = security_severity(s).parse().unwrap();
            assert!(score > lo - 1e-9 && score <= hi, "{s}: {score}");
        }
    }

    #[test]
    fn results_follow_the_findings_with_rule_index_level_and_fingerprint() {
        let scan = test_support::scan();
        let log = sarif(&scan);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), scan.evaluation.findings.len());
        for (r, f) in results.iter().zip(&scan.evaluation.findings) {
            assert_eq!(r["ruleId"], f.rule_id());
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], f.rule_id(), "ruleIndex points at the rule");
            assert_eq!(r["level"], level(f.severity));
            assert_eq!(r["message"]["text"], f.message.as_str());
            assert_eq!(
                r["partialFingerprints"]["nhiscan/v1"],
                f.fingerprint.as_str()
            );
            assert_eq!(f.fingerprint.len(), 32);
            assert_eq!(
                r["partialFingerprints"]["primaryLocationLineHash"],
                format!("{}:1", f.fingerprint)
            );
            let location = &r["locations"][0];
            assert_eq!(location["physicalLocation"]["region"]["startLine"], 1);
            assert_eq!(
                location["physicalLocation"]["artifactLocation"]["uri"],
                artifact_uri(f)
            );
        }
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(
            levels,
            ["error", "error", "error", "warning", "warning", "note", "note"]
        );
    }

    #[test]
    fn a_rule_missing_from_the_list_has_no_index() {
        let scan = test_support::scan();
        let view = View::new(&scan, &test_support::rules()[..1]);
        let log: Value = serde_json::from_str(&render(&view)).unwrap();
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
        for r in run["results"].as_array().unwrap() {
            assert_eq!(r.get("ruleIndex").is_some(), r["ruleId"] == "missing-owner");
        }
    }

    #[test]
    fn min_severity_leaves_results_out() {
        let scan = test_support::scan();
        let view = test_support::view(&scan).with_min_severity(Some(Severity::High));
        let log: Value = serde_json::from_str(&render(&view)).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|r| r["level"] == "error"));
    }

    #[test]
    fn an_overridden_severity_sets_the_result_level_and_the_rule_metadata() {
        let mut scan = test_support::scan();
        let f = scan
            .evaluation
            .findings
            .iter_mut()
            .find(|f| f.rule_id() == "admin-privilege")
            .unwrap();
        f.severity = Severity::Low;
        let log = sarif(&scan);
        let result = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "admin-privilege" && r["level"] == "note")
            .unwrap();
        let i = result["ruleIndex"].as_u64().unwrap() as usize;
        // GitHub ranks alerts by the rule's security-severity: it follows the override.
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][i];
        assert_eq!(rule["defaultConfiguration"]["level"], "note");
        assert_eq!(rule["properties"]["security-severity"], "2.0");
    }

    #[test]
    fn logical_locations_name_the_identity_and_the_credential() {
        let log = sarif(&test_support::scan());
        let results = log["runs"][0]["results"].as_array().unwrap();
        let on = |rule: &str| results.iter().find(|r| r["ruleId"] == rule).unwrap();

        let identity = &on("missing-owner")["locations"][0]["logicalLocations"];
        assert_eq!(
            *identity,
            serde_json::json!([{ "name": "app-admin", "fullyQualifiedName": ROLE, "kind": "resource" }])
        );
        let credential = &on("inactive-credential")["locations"][0]["logicalLocations"];
        assert_eq!(credential.as_array().unwrap().len(), 2);
        assert_eq!(credential[0]["fullyQualifiedName"], ROOT);
        assert_eq!(credential[1]["fullyQualifiedName"], ROOT_KEY);
        assert_eq!(credential[1]["name"], "access-key/1");
        assert_eq!(
            on("unused-credential")["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "nhiscan/example/acct-1/user/ci/deployer/access-key/1"
        );
        assert_eq!(
            on("multiple-active-keys")["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"],
            "nhiscan/example/acct-1/user/ci/deployer"
        );
    }

    #[test]
    fn a_failed_source_makes_the_run_unsuccessful_with_notifications() {
        let mut scan = test_support::scan();
        let log = sarif(&scan);
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0]["level"], "warning");
        assert!(notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("matched no finding"));
        assert_eq!(notes[1]["level"], "error");
        let text = notes[1]["message"]["text"].as_str().unwrap();
        assert!(
            text.contains("exports/policies.json") && text.contains("AccessDenied"),
            "{text}"
        );

        scan.inventory.sources[1].status = SourceStatus::Partial;
        let log = sarif(&scan);
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"][1]["level"],
            "warning"
        );

        scan.inventory.sources[1].status = SourceStatus::Ok;
        scan.evaluation.warnings.clear();
        let log = sarif(&scan);
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], true);
        assert_eq!(
            invocation["toolExecutionNotifications"],
            serde_json::json!([])
        );
    }

    #[test]
    fn artifact_uris_are_relative_scheme_free_paths() {
        let scan = test_support::scan();
        let mut f = scan.evaluation.findings[0].clone();
        f.credential_id = None;
        // A global id naming the scope between colons: what follows it.
        f.scope = "123456789012".into();
        f.identity_id = "urn:example:directory::123456789012:role/service-role/My Role#1".into();
        assert_eq!(
            artifact_uri(&f),
            "nhiscan/example/123456789012/role/service-role/My%20Role%231"
        );
        f.identity_id = "urn:example:directory::123456789012:root".into();
        assert_eq!(artifact_uri(&f), "nhiscan/example/123456789012/root");
        // Not naming the scope: the whole id, with nothing that reads as a scheme or `..`.
        f.scope = "org:acme".into();
        f.identity_id = "x:../../etc//passwd".into();
        let uri = artifact_uri(&f);
        assert_eq!(uri, "nhiscan/example/org%3Aacme/x%3A../%2E%2E/etc/_/passwd");
        assert!(!uri.contains(':'));
        // `provider:scope/...` ids: provider and scope once.
        f.provider = "other";
        f.scope = "org-1".into();
        f.identity_id = "other:org-1/project/p/service-account/s".into();
        assert_eq!(
            artifact_uri(&f),
            "nhiscan/other/org-1/project/p/service-account/s"
        );
        f.scope = "acme".into();
        f.identity_id = "other:acme".into();
        assert_eq!(artifact_uri(&f), "nhiscan/other/acme");
        // The scope only as part of a segment, or inside the path, does not count.
        f.identity_id = "other:acme-2/acme/key".into();
        assert_eq!(
            artifact_uri(&f),
            "nhiscan/other/acme/other%3Aacme-2/acme/key"
        );
        f.identity_id = "acme/web/deploy-key/7".into();
        assert_eq!(artifact_uri(&f), "nhiscan/other/acme/web/deploy-key/7");
        assert_eq!(after_scope("a:b", ""), None);
    }

    #[test]
    fn baseline_states_only_with_a_baseline() {
        let scan = test_support::scan();
        let log = sarif(&scan);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().all(|r| r.get("baselineState").is_none()));

        let findings = &scan.evaluation.findings;
        let mut baseline = Baseline::from_findings(findings, scan.now, None);
        baseline.findings.retain(|e| e.rule_id != "missing-owner");
        let marks = baseline.marks(findings);
        let view = test_support::view(&scan).with_baseline(Some(&marks));
        let log: Value = serde_json::from_str(&render(&view)).unwrap();
        for r in log["runs"][0]["results"].as_array().unwrap() {
            let want = if r["ruleId"] == "missing-owner" {
                "new"
            } else {
                "unchanged"
            };
            assert_eq!(r["baselineState"], want, "{}", r["ruleId"]);
        }
    }

    #[test]
    fn rule_names_are_the_camel_case_type_names() {
        let scan = test_support::scan();
        let log = log(&test_support::view(&scan));
        let rules = &log.runs[0].tool.driver.rules;
        assert_eq!(rules[0].id, "missing-owner");
        assert_eq!(rules[0].name, "MissingOwner");
        let keys = rules
            .iter()
            .find(|r| r.id == "multiple-active-keys")
            .unwrap();
        assert_eq!(keys.name, "MultipleActiveKeys");
    }
}
