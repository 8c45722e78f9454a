//! The entry points the fuzz targets drive, shared with the stable-toolchain
//! replay test (`tests/integration/fuzz_replay.rs`), so a crash found once
//! stays fixed. Each takes arbitrary bytes and must never panic; errors are
//! fine.

use std::path::Path;

use nhiscan::config::Loaded;
use nhiscan::model::Inventory;
use nhiscan::providers;
use nhiscan::report::{self, Format, View};

/// The input detector and every importer, then the pipeline (enrich, rules)
/// and every renderer over what was read.
pub fn input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut inventory = Inventory::default();
    if providers::input::load_text(Path::new("fuzz-input"), text, &mut inventory).is_err() {
        return;
    }
    let now = "2026-06-01T00:00:00Z".parse().expect("a timestamp");
    let scan = nhiscan::scan::evaluate(inventory, &Loaded::defaults(), now);
    let view = View::new(&scan, providers::rules());
    for format in [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Sarif,
        Format::Markdown,
    ] {
        let mut out = Vec::new();
        let _ = report::write(format, &view, &mut out);
    }
}

/// The config parser.
pub fn config(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Loaded::parse(text, Path::new("nhiscan.toml"), &providers::schema());
    }
}

/// The IAM policy document parser.
pub fn policy(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = providers::aws::policy::PolicyDocument::parse(&value);
    }
}

/// The baseline reader, and the saved-scan reader with a diff of the file against itself.
pub fn baseline_and_diff(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = nhiscan::baseline::Baseline::parse(Path::new("baseline.json"), text);
    if let Ok(report) = providers::saved::parse(Path::new("scan.json"), text) {
        let _ = nhiscan::diff::Diff::between(("old.json", &report), ("new.json", &report));
    }
}

/// Every provider's API response models.
pub fn models(data: &[u8]) {
    use providers::{anthropic, github, openai};
    fn parse<T: serde::de::DeserializeOwned>(data: &[u8]) {
        let _ = serde_json::from_slice::<T>(data);
    }
    parse::<Vec<github::model::User>>(data);
    parse::<Vec<github::model::PatGrant>>(data);
    parse::<Vec<github::model::PatRequest>>(data);
    parse::<Vec<github::model::CredentialAuthorization>>(data);
    parse::<github::model::InstallationPage>(data);
    parse::<Vec<github::model::DeployKey>>(data);
    parse::<github::model::SecretPage>(data);
    parse::<Vec<github::model::Hook>>(data);
    parse::<github::OrgSnapshot>(data);
    parse::<openai::model::AdminApiKey>(data);
    parse::<openai::model::Project>(data);
    parse::<openai::model::ProjectApiKey>(data);
    parse::<openai::model::ProjectServiceAccount>(data);
    parse::<openai::model::OrganizationUser>(data);
    parse::<openai::model::Tenant>(data);
    parse::<anthropic::model::User>(data);
    parse::<anthropic::model::Workspace>(data);
    parse::<anthropic::model::ApiKey>(data);
    parse::<anthropic::model::Tenant>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = providers::http::short_message(text);
        let _ = providers::http::transport::next_on_origin(text);
        let _ = nhiscan::util::redact::Scrubber::new(["canary"]).scrub(text);
        let _ = nhiscan::util::term::escape(text);
    }
}

/// One entry point.
pub type Entry = fn(&[u8]);

/// Every entry point, by target name.
pub const TARGETS: [(&str, Entry); 5] = [
    ("input", input),
    ("config", config),
    ("policy", policy),
    ("baseline_diff", baseline_and_diff),
    ("models", models),
];
