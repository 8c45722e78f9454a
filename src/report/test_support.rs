//! A small hand-built [`Scan`] for the renderers' tests, of a made-up
//! provider `example` whose kinds are declared here.
//!
//! Account `acct-1` holds a user `deployer` with two access keys, a role
//! `app-admin` and the root identity with one inactive key. The verdicts
//! (owner, privilege, human) are set directly, as enrichment would; the
//! findings come from the core rules: seven of all four severities, four on
//! credentials. One finding counts as suppressed, one source failed and there
//! is one warning. The clock is fixed at [`NOW`].

use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Loaded;
use crate::model::{
    Class, Credential, Evidence, Identity, Inventory, Item, Kind, KindInfo, LastUsed, Owner,
    OwnerSource, Privilege, PrivilegeLevel, Source, SourceStatus, Status,
};
use crate::rules::{self, Finding, Rule};
use crate::scan::Scan;

use super::View;

pub const PROVIDER: &str = "example";
pub const NOW: &str = "2026-03-01T12:00:00Z";
pub const ACCOUNT: &str = "acct-1";
pub const DEPLOYER: &str = "example:acct-1/user/ci/deployer";
pub const KEY1: &str = "example:acct-1/user/ci/deployer/access-key/1";
pub const KEY2: &str = "example:acct-1/user/ci/deployer/access-key/2";
pub const ROLE: &str = "example:acct-1/role/app-admin";
pub const ROOT: &str = "example:acct-1/root";
pub const ROOT_KEY: &str = "example:acct-1/root/access-key/1";

pub const USER: Kind = Kind(&KindInfo::new("user", Class::User));
pub const ROLE_KIND: Kind = Kind(&KindInfo::new("role", Class::Role));
pub const ROOT_KIND: Kind = Kind(&KindInfo::new("root", Class::Root));
pub const ACCESS_KEY: Kind = Kind(&KindInfo::new("access-key", Class::AccessKey));
pub const PASSWORD: Kind = Kind(&KindInfo::new("password", Class::Password));

/// The rules the test scan is evaluated with and rendered against.
pub fn rules() -> &'static [&'static dyn Rule] {
    rules::core()
}

pub fn ts(text: &str) -> Timestamp {
    text.parse().expect("test timestamp")
}

/// A new item of the test provider in the test account.
pub fn item(id: &str, kind: Kind, name: &str) -> Item {
    Item::new(id.into(), PROVIDER, ACCOUNT.into(), kind, name.into())
}

/// A credential of `holder`.
pub fn credential(holder: &str, id: &str, kind: Kind, name: &str) -> Credential {
    Credential {
        item: item(id, kind, name),
        parent_id: holder.into(),
    }
}

/// An identity with the given id, or a panic.
pub fn identity<'a>(scan: &'a Scan, id: &str) -> &'a Identity {
    scan.inventory
        .get(id)
        .unwrap_or_else(|| panic!("{id} is in the test scan"))
}

/// A finding of core rule `rule` on `identity` (and `credential`), with `message`.
pub fn finding(
    scan: &Scan,
    rule: &str,
    identity_id: &str,
    credential_id: Option<&str>,
    message: &str,
) -> Finding {
    let meta = rules()
        .iter()
        .find(|r| r.meta().id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"))
        .meta();
    let holder = identity(scan, identity_id);
    let mut b = Finding::builder(meta, holder).message(message.into());
    if let Some(cid) = credential_id {
        let c = holder
            .credentials
            .iter()
            .find(|c| c.item.id == cid)
            .expect("credential in test scan");
        b = b.credential(c);
    }
    b.build()
}

/// Sorts findings the way `rules::evaluate` does.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id().cmp(b.rule_id()))
            .then_with(|| a.identity_id.cmp(&b.identity_id))
            .then_with(|| a.credential_id.cmp(&b.credential_id))
    });
}

fn admin() -> Arc<Privilege> {
    Arc::new(Privilege {
        level: PrivilegeLevel::Admin,
        evidence: vec![Evidence {
            policy: "example:policy/AdministratorAccess".into(),
            via: "managed".into(),
            statement: Some("0".into()),
            actions: vec!["*".into()],
            conditions: Vec::new(),
        }],
        ..Privilege::default()
    })
}

/// The inventory alone, verdicts set, no findings.
pub fn inventory() -> Inventory {
    let mut inv = Inventory::default();

    let mut deployer = Identity::new(item(DEPLOYER, USER, "deployer"));
    deployer.tags.insert("owner".into(), "release-team".into());
    deployer.item.owner = Some(Owner {
        name: "release-team".into(),
        source: OwnerSource::Tag,
        evidence: "tag owner".into(),
        departed: false,
    });
    deployer.item.created_at = Some(ts("2024-01-15T08:30:00Z"));
    deployer.item.last_used = LastUsed::At(ts("2026-02-27T23:59:59.250Z"));
    deployer.item.privilege = admin();
    deployer.item.human_reason = "no console password".into();
    deployer.item.ai_reason = "no AI tag or AI name pattern".into();
    let mut key1 = credential(DEPLOYER, KEY1, ACCESS_KEY, "access-key/1");
    key1.item.native_id = Some("EXAMPLEKEY1".into());
    key1.item.created_at = Some(ts("2025-03-01T12:00:00Z"));
    key1.item.last_used = LastUsed::At(ts("2025-11-01T00:00:00Z"));
    let mut key2 = credential(DEPLOYER, KEY2, ACCESS_KEY, "access-key/2");
    key2.item.created_at = Some(ts("2026-02-20T00:00:00Z"));
    key2.item.last_used = LastUsed::Never;
    for key in [&mut key1, &mut key2] {
        key.item.privilege = Arc::clone(&deployer.item.privilege);
        key.item.owner = deployer.item.owner.clone();
        key.item.human_reason = "machine credential held by user deployer".into();
    }
    deployer.credentials = vec![key1, key2];

    let mut role = Identity::new(item(ROLE, ROLE_KIND, "app-admin"));
    role.item.created_at = Some(ts("2025-06-01T00:00:00Z"));
    role.item.privilege = Arc::new(Privilege {
        level: PrivilegeLevel::Admin,
        evidence: vec![Evidence {
            policy: "app-admin-inline".into(),
            via: "inline".into(),
            statement: Some("0 (AllowAll)".into()),
            actions: vec!["*".into()],
            conditions: Vec::new(),
        }],
        ..Privilege::default()
    });
    role.item.human_reason = "role with no human marker".into();

    let mut root = Identity::new(item(ROOT, ROOT_KIND, "root"));
    root.item.human = true;
    root.item.human_reason = "root account".into();
    root.item.created_at = Some(ts("2019-09-19T09:00:00Z"));
    let mut root_key = credential(ROOT, ROOT_KEY, ACCESS_KEY, "access-key/1");
    root_key.item.created_at = Some(ts("2024-05-15T09:00:00Z"));
    root_key.item.status = Status::Inactive;
    root_key.item.human_reason = "machine credential held by root root".into();
    root.credentials = vec![root_key];

    let mut report = Source::new(PROVIDER, "credential-list", "exports/credentials.csv");
    report.scope = ACCOUNT.into();
    inv.add_source(report, vec![deployer, role, root]);
    let mut policies = Source::new(PROVIDER, "policy-list", "exports/policies.json");
    policies.scope = ACCOUNT.into();
    policies.status = SourceStatus::Failed;
    policies.error =
        Some("AccessDenied: not authorized to perform example:ListPolicies on acct-1".into());
    policies.api_calls = [("ListPolicies".to_string(), 1)].into();
    inv.add_source(policies, Vec::new());
    inv
}

/// The whole test scan: the inventory, evaluated with the core rules and the
/// default config, plus one suppressed finding and one warning.
pub fn scan() -> Scan {
    let inventory = inventory();
    let now = ts(NOW);
    let mut evaluation = rules::evaluate(&inventory, rules(), &Loaded::defaults(), now);
    evaluation.suppressed = 1;
    evaluation
        .warnings
        .push("nhiscan.toml:4: suppression of never-used on \"*\" matched no finding".into());
    Scan {
        now,
        inventory,
        evaluation,
    }
}

/// A view of `scan` with the test rules, no baseline and nothing hidden.
pub fn view(scan: &Scan) -> View<'_> {
    View::new(scan, rules())
}
