//! GitHub: every token, key, app and secret that can act on an organization.
//!
//! Three layers: [`model`] holds GitHub's response shapes; [`live`] (over
//! [`client`], built on octocrab) reads an org into an [`OrgSnapshot`]; and
//! [`convert`] turns a snapshot into inventory, whether it was just read, saved
//! with `--github-snapshot-dir`, or embedded in the demo. [`Github`] plugs it
//! all into nhiscan: kinds, rules, flags, the snapshot importer, enrichment
//! hooks and the `[providers.github]` config section.

pub mod auth;
pub mod cli;
pub mod client;
pub mod convert;
pub mod details;
pub mod live;
pub mod model;
pub mod rate;
pub mod rules;
pub mod snapshot;
mod transport;

use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use clap::{Args, FromArgMatches};
use serde::{Deserialize, Serialize};

pub use auth::{Auth, Secret};
pub use client::{Clock, SystemClock};
pub use details::{GithubDetails, RepositorySelection, WebhookSettings};
pub use snapshot::OrgSnapshot;

use crate::config::{self, Loaded, Section};
use crate::error::Error;
use crate::model::{Class, Details, Identity, Inventory, Kind, KindInfo, ProviderId};
use crate::progress::Progress;
use crate::providers::input::Sniff;
use crate::providers::{Collector, Importer, Live, Provider};
use crate::rules::Rule;

/// The provider id, in ids (`github:ORG/...`), output and config.
pub const ID: ProviderId = "github";

/// An organization, holding org-wide Actions secrets and webhooks.
pub const ORGANIZATION: Kind = Kind(&KindInfo::new("organization", Class::Container).container());
/// A repository, holding deploy keys, Actions secrets and webhooks.
pub const REPOSITORY: Kind = Kind(&KindInfo::new("repository", Class::Container).container());
/// A person's (or a machine user's) account, holding personal tokens and keys.
pub const ACCOUNT: Kind = Kind(&KindInfo::new("account", Class::User));
/// A GitHub App installed on the organization.
pub const APP_INSTALLATION: Kind = Kind(&KindInfo::new("app-installation", Class::AppInstallation));
/// A fine-grained personal access token granted access to the organization.
pub const FINE_GRAINED_PAT: Kind =
    Kind(&KindInfo::new("fine-grained-pat", Class::Token).expiring());
/// A fine-grained personal access token waiting for the organization's approval.
pub const PAT_REQUEST: Kind = Kind(&KindInfo::new("pat-request", Class::Token));
/// A personal access token (classic), from SAML SSO credential authorizations.
pub const CLASSIC_PAT: Kind = Kind(&KindInfo::new("classic-pat", Class::Token).expiring());
/// An SSH key, from SAML SSO credential authorizations.
pub const SSH_KEY: Kind = Kind(&KindInfo::new("ssh-key", Class::SshKey));
/// An OAuth app token, from SAML SSO credential authorizations.
pub const OAUTH_TOKEN: Kind = Kind(&KindInfo::new("oauth-token", Class::Token));
/// A GitHub App user-to-server token, from SAML SSO credential authorizations.
pub const APP_TOKEN: Kind = Kind(&KindInfo::new("app-token", Class::Token).expiring());
/// A repository deploy key (an SSH key with access to one repository).
pub const DEPLOY_KEY: Kind = Kind(&KindInfo::new("deploy-key", Class::DeployKey));
/// An Actions secret (metadata only; never its value).
pub const ACTIONS_SECRET: Kind = Kind(&KindInfo::new("actions-secret", Class::Secret));
/// A webhook, which may hold a shared secret.
pub const WEBHOOK: Kind = Kind(&KindInfo::new("webhook", Class::Webhook));

/// The default `[providers.github] ai_apps`: slugs of GitHub Apps that are AI
/// coding agents or AI reviewers.
pub const AI_APPS: &[&str] = &[
    "copilot-swe-agent",
    "copilot-pull-request-reviewer",
    "claude",
    "chatgpt-codex-connector",
    "cursor",
    "devin-ai-integration",
    "google-labs-jules",
    "gemini-code-assist",
    "amazon-q-developer",
    "coderabbitai",
    "sweep-ai",
    "sourcery-ai",
    "ellipsis-dev",
    "greptile-apps",
    "qodo-merge-pro",
];

/// The GitHub provider.
pub struct Github;

impl Provider for Github {
    fn id(&self) -> ProviderId {
        ID
    }

    fn name(&self) -> &'static str {
        "GitHub"
    }

    fn kinds(&self) -> &'static [Kind] {
        &[
            ORGANIZATION,
            REPOSITORY,
            ACCOUNT,
            APP_INSTALLATION,
            FINE_GRAINED_PAT,
            PAT_REQUEST,
            CLASSIC_PAT,
            SSH_KEY,
            OAUTH_TOKEN,
            APP_TOKEN,
            DEPLOY_KEY,
            ACTIONS_SECRET,
            WEBHOOK,
        ]
    }

    fn rules(&self) -> &'static [&'static dyn Rule] {
        rules::all()
    }

    fn remediation(&self, rule: &str) -> Option<&'static str> {
        Some(match rule {
            "admin-privilege" => {
                "Reduce the token's or installation's permissions below administration: write \
                 (for a classic token, drop the admin:org scope) to what the workload uses; \
                 leave organization administration to people."
            }
            "no-expiry" => {
                "Issue a replacement with an expiry date (or move the workload to a GitHub App, \
                 whose installation tokens expire within the hour), switch the workload to it, \
                 then revoke this one; require expiry in the organization's personal access \
                 token policy."
            }
            "missing-owner" => {
                "GitHub items carry no owner tags: map the app installation or account to an \
                 owner with an [[owners]] entry in nhiscan.toml; uninstall the app or remove \
                 the account if nobody claims it."
            }
            _ => return None,
        })
    }

    fn importers(&self) -> &'static [&'static dyn Importer] {
        &[&SnapshotImporter]
    }

    fn demo(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "github-acme.json",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/demo/github-acme.json"
            )),
        )]
    }

    fn config(&self) -> Option<&'static dyn Section> {
        Some(&GithubSection)
    }

    fn args(&self, cmd: clap::Command) -> clap::Command {
        cli::GithubArgs::augment_args(cmd)
    }

    fn live_flag(&self) -> Option<&'static str> {
        Some("--github-org ORG")
    }

    fn live(&self, matches: &clap::ArgMatches, ctx: &Live) -> Result<Option<Collector>, Error> {
        let args =
            cli::GithubArgs::from_arg_matches(matches).map_err(|e| Error::Usage(e.to_string()))?;
        Ok(args.options(ctx)?.map(|options| {
            Box::new(move |inventory: &mut Inventory| collect(&options, inventory)) as Collector
        }))
    }

    fn classify(&self, identity: &Identity, config: &Loaded) -> Option<(bool, String)> {
        (identity.item.kind == ACCOUNT).then(|| classify_account(&identity.item.name, config))
    }

    fn ai(&self, identity: &Identity, config: &Loaded) -> (bool, String) {
        let item = &identity.item;
        let apps = &settings(config).ai_apps;
        match apps.iter().find(|s| s.eq_ignore_ascii_case(&item.name)) {
            Some(slug) if !item.human => (
                true,
                format!("GitHub App {slug} is in [providers.github] ai_apps"),
            ),
            _ => (false, "not in [providers.github] ai_apps".into()),
        }
    }

    fn details_from_wire(
        &self,
        _kind: Kind,
        _credential: bool,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<Box<dyn Details>>, String> {
        GithubDetails::from_wire(fields)
    }
}

/// A platform account: an app's `[bot]` account or a name matching
/// `service_name_patterns` is a machine user; anyone else is a person.
fn classify_account(name: &str, config: &Loaded) -> (bool, String) {
    if name.ends_with("[bot]") {
        return (false, "an app's bot account".into());
    }
    match config.service_name(name) {
        Some(pattern) => (false, format!("name matches {pattern}")),
        None => (true, "personal account".into()),
    }
}

/// An org snapshot file (`--github-snapshot-dir`), marked by `nhiscan_github_snapshot`.
pub struct SnapshotImporter;

impl Importer for SnapshotImporter {
    fn detect(&self, sniff: &Sniff) -> bool {
        sniff.has_key(snapshot::MARKER)
    }

    fn import(&self, path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
        let snapshot = snapshot::parse(path, text)?;
        let location = path.display().to_string();
        add(inventory, &snapshot, &location, "github-snapshot", false);
        Ok(())
    }
}

/// `[providers.github]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Slugs of GitHub Apps that are AI agents (case-insensitive).
    pub ai_apps: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ai_apps: AI_APPS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The settings in effect: the config's section, or the defaults.
pub fn settings(config: &Loaded) -> &Settings {
    static DEFAULT: LazyLock<Settings> = LazyLock::new(Settings::default);
    config.section::<Settings>(ID).unwrap_or(&DEFAULT)
}

/// The `[providers.github]` config section.
pub struct GithubSection;

impl Section for GithubSection {
    fn id(&self) -> &'static str {
        ID
    }

    fn defaults(&self) -> Option<toml::Table> {
        Some(config::section_defaults::<Settings>())
    }

    fn parse(
        &self,
        table: Option<&toml::Table>,
        problems: &mut Vec<String>,
    ) -> Arc<dyn Any + Send + Sync> {
        Arc::new(config::parse_section::<Settings>(ID, table, problems))
    }
}

/// The default API root.
pub const API_URL: &str = "https://api.github.com";
/// Requests in flight at once. GitHub asks clients not to hammer it; a few
/// parallel requests keep a 1,000-repository org to minutes without tripping
/// secondary limits.
pub const CONCURRENCY: usize = 8;

/// What to read live.
#[derive(Clone)]
pub struct Options {
    pub orgs: Vec<String>,
    pub api_url: String,
    pub auth: Auth,
    /// Where to save each org's snapshot (`ORG.github.json`), if anywhere.
    pub snapshot_dir: Option<PathBuf>,
    pub progress: Progress,
    pub clock: Arc<dyn Clock>,
    pub concurrency: usize,
}

impl Options {
    /// Options with the real clock, the default concurrency and a hidden progress bar.
    pub fn new(orgs: Vec<String>, api_url: impl Into<String>, auth: Auth) -> Self {
        Options {
            orgs,
            api_url: api_url.into(),
            auth,
            snapshot_dir: None,
            progress: Progress::hidden(),
            clock: Arc::new(SystemClock),
            concurrency: CONCURRENCY,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("orgs", &self.orgs)
            .field("api_url", &self.api_url)
            .field("auth", &self.auth)
            .field("snapshot_dir", &self.snapshot_dir)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// Reads every org live and adds it to the inventory, one source per org.
/// An org that cannot be read is a failed source, not an error; only a
/// configuration that cannot work at all (a bad API URL) is.
pub fn collect(options: &Options, inventory: &mut Inventory) -> Result<(), Error> {
    let snapshots = read(options)?;
    for snapshot in &snapshots {
        if let Some(dir) = &options.snapshot_dir {
            save(dir, snapshot)?;
        }
        let location = format!(
            "{}/orgs/{}",
            crate::util::redact::strip_userinfo(options.api_url.trim_end_matches('/')),
            snapshot.org
        );
        add(inventory, snapshot, &location, "github-api", true);
    }
    Ok(())
}

/// Reads every org live into snapshots, in the order given.
pub fn read(options: &Options) -> Result<Vec<OrgSnapshot>, Error> {
    crate::providers::http::block_on(async {
        let octo = live::octocrab(&options.api_url, &options.auth).map_err(Error::Usage)?;
        let client = client::Client::new(
            octo,
            Arc::clone(&options.clock),
            options.progress.clone(),
            options.concurrency,
            vec![match &options.auth {
                Auth::Token { token, .. } => token.clone(),
                Auth::App { key, .. } => key.clone(),
            }],
        );
        let mut snapshots = Vec::new();
        for org in &options.orgs {
            snapshots.push(live::read_org(&client, &options.auth, org, &options.api_url).await);
        }
        Ok(snapshots)
    })
    .map_err(|e| Error::Usage(e.to_string()))?
}

/// Adds one snapshot's identities and sources. `live` keeps its API call
/// counts on the source; a file read made no calls.
pub fn add(
    inventory: &mut Inventory,
    snapshot: &OrgSnapshot,
    location: &str,
    kind: &str,
    live: bool,
) {
    let identities = convert::identities(snapshot);
    let calls = if live {
        snapshot.api_calls.clone()
    } else {
        Default::default()
    };
    let mut sources = convert::sources(snapshot, location, kind, calls).into_iter();
    if let Some(main) = sources.next() {
        inventory.add_source(main, identities);
    }
    inventory.sources.extend(sources);
}

/// Writes `DIR/ORG.github.json`.
fn save(dir: &Path, snapshot: &OrgSnapshot) -> Result<(), Error> {
    let path = dir.join(format!("{}.github.json", snapshot.org));
    let err = |source| Error::Output {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut text = serde_json::to_string_pretty(snapshot).map_err(|e| err(e.into()))?;
    text.push('\n');
    // Atomic, and a planted symlink at the path is replaced, never followed.
    crate::util::atomic::replace_file(&path, |w| std::io::Write::write_all(w, text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Schema;
    use crate::model::{OwnerSource, PrivilegeLevel};
    use crate::providers::input;
    use crate::scan::enrich::enrich;

    fn demo(config: &Loaded) -> Inventory {
        let mut inventory = Inventory::default();
        let (name, text) = Github.demo()[0];
        input::load_text(Path::new(name), text, &mut inventory).unwrap();
        enrich(&mut inventory, config);
        inventory
    }

    fn config(text: &str) -> Result<Loaded, Error> {
        let schema = Schema {
            rules: vec![],
            sections: vec![&GithubSection],
        };
        Loaded::parse(text, Path::new("nhiscan.toml"), &schema)
    }

    fn identity<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
        inventory.get(id).unwrap_or_else(|| panic!("{id} missing"))
    }

    #[test]
    fn kinds_match_the_old_expiry_and_container_sets() {
        let expiring: Vec<&str> = Github
            .kinds()
            .iter()
            .filter(|k| k.can_expire())
            .map(|k| k.as_str())
            .collect();
        assert_eq!(expiring, ["fine-grained-pat", "classic-pat", "app-token"]);
        let containers: Vec<&str> = Github
            .kinds()
            .iter()
            .filter(|k| k.is_container())
            .map(|k| k.as_str())
            .collect();
        assert_eq!(containers, ["organization", "repository"]);
    }

    #[test]
    fn accounts_are_people_unless_bots_and_other_kinds_keep_the_reported_verdict() {
        let inv = demo(&Loaded::defaults());
        let alice = identity(&inv, "github:acme/user/alice");
        assert_eq!(
            (alice.item.human, alice.item.human_reason.as_str()),
            (true, "personal account")
        );
        let pat = alice
            .credentials
            .iter()
            .find(|c| c.item.kind == CLASSIC_PAT);
        assert!(
            !pat.unwrap().item.human,
            "a person's token is a machine credential"
        );
        let bob = identity(&inv, "github:acme/user/bob");
        let key = bob
            .credentials
            .iter()
            .find(|c| c.item.kind == SSH_KEY)
            .unwrap();
        assert_eq!(key.item.human_reason, "SSH key of a human account");
        let bot = identity(&inv, "github:acme/user/ci-bot");
        assert_eq!(
            (bot.item.human, bot.item.human_reason.as_str()),
            (false, "name matches *-bot")
        );
        assert_eq!(
            classify_account("renovate[bot]", &Loaded::defaults()),
            (false, "an app's bot account".into())
        );
        let repo = identity(&inv, "github:acme/web");
        assert_eq!(
            repo.item.human_reason,
            "GitHub repository holding deploy keys, secrets or webhooks"
        );
        let app = identity(&inv, "github:acme/installation/301");
        assert_eq!(app.item.human_reason, "GitHub App installation");
        assert_eq!(app.item.privilege.level, PrivilegeLevel::Write);
        assert_eq!(
            app.item
                .details::<GithubDetails>()
                .unwrap()
                .repository_selection,
            Some(RepositorySelection::All)
        );
    }

    #[test]
    fn credentials_keep_their_own_privilege_and_owners_come_from_creators() {
        let inv = demo(&Loaded::defaults());
        let infra = identity(&inv, "github:acme/infra");
        let key = infra
            .credentials
            .iter()
            .find(|c| c.item.kind == DEPLOY_KEY)
            .unwrap();
        assert_eq!(
            key.item.privilege.level,
            PrivilegeLevel::Write,
            "not the holder's"
        );
        let owner = key.item.owner.as_ref().unwrap();
        assert_eq!(
            (
                owner.name.as_str(),
                owner.source,
                owner.evidence.as_str(),
                owner.departed
            ),
            (
                "mallory",
                OwnerSource::Creator,
                "no longer a member of acme",
                true
            )
        );
        let hook = infra
            .credentials
            .iter()
            .find(|c| c.item.kind == WEBHOOK)
            .unwrap();
        let settings = hook
            .item
            .details::<GithubDetails>()
            .unwrap()
            .webhook
            .as_ref();
        assert!(settings.unwrap().insecure_ssl);
        assert_eq!(
            hook.item.human_reason,
            "machine credential held by repository infra"
        );
        let pat = identity(&inv, "github:acme/user/ci-bot")
            .credentials
            .iter()
            .find(|c| c.item.id == "github:acme/pat/103")
            .unwrap();
        let owner = pat.item.owner.as_ref().unwrap();
        assert_eq!(
            (owner.source, owner.evidence.as_str()),
            (OwnerSource::Creator, "github creator")
        );
    }

    #[test]
    fn ai_apps_by_configured_slug() {
        let app = |name: &str| {
            let mut item = crate::model::Item::new(
                format!("github:acme/installation/{name}"),
                ID,
                "acme".into(),
                APP_INSTALLATION,
                name.into(),
            );
            item.reported.human = Some((false, "GitHub App installation".into()));
            Identity::new(item)
        };
        let d = Loaded::defaults();
        assert_eq!(
            Github.ai(&app("CodeRabbitAI"), &d),
            (
                true,
                "GitHub App coderabbitai is in [providers.github] ai_apps".into()
            )
        );
        assert_eq!(
            Github.ai(&app("dependabot"), &d),
            (false, "not in [providers.github] ai_apps".into())
        );
        let own = config("[providers.github]\nai_apps = [\"our-review-bot\"]\n").unwrap();
        assert!(Github.ai(&app("our-review-bot"), &own).0);
        assert!(!Github.ai(&app("coderabbitai"), &own).0);
        let absent = config("").unwrap();
        assert!(Github.ai(&app("claude"), &absent).0, "the defaults apply");
        let mut person = app("claude");
        person.item.human = true;
        assert!(
            !Github.ai(&person, &d).0,
            "a person named like an app is not one"
        );
    }

    #[test]
    fn the_config_section_rejects_unknown_keys() {
        let err = config("[providers.github]\nai_app = []\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("[providers.github]") && err.contains("ai_app"),
            "{err}"
        );
    }

    #[test]
    fn the_importer_claims_org_snapshots_only() {
        let mut inv = Inventory::default();
        let path = Path::new("old.github.json");
        let err = input::load_text(
            path,
            "{\"nhiscan_github_snapshot\": 9, \"org\": \"x\"}",
            &mut inv,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("nhiscan_github_snapshot Some(9) is not supported"),
            "{err}"
        );
        let (_, text) = Github.demo()[0];
        input::load_text(path, text, &mut inv).unwrap();
        assert_eq!(inv.sources.len(), 1);
        let s = &inv.sources[0];
        assert_eq!(
            (s.provider, s.kind.as_str(), s.items),
            (ID, "github-snapshot", 27)
        );
    }
}
