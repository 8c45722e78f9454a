//! A small hand-built [`Scan`] for the renderers' tests.
//!
//! Account 123456789012 holds an IAM user `deployer` with two access keys, a
//! role `app-admin` and the root identity with one key. Six findings of all
//! four severities (three on credentials), one suppressed, a failed source and
//! one warning. The clock is fixed at [`NOW`].

use jiff::Timestamp;

use crate::inventory::{
    Credential, Evidence, Identity, Inventory, Item, Kind, LastUsed, Owner, OwnerSource,
    PrivilegeLevel, Provider, Source, SourceStatus, Status,
};
use crate::rules::{self, Evaluation, Finding};
use crate::scan::Scan;

pub const NOW: &str = "2026-03-01T12:00:00Z";
pub const ACCOUNT: &str = "123456789012";
pub const DEPLOYER: &str = "arn:aws:iam::123456789012:user/ci/deployer";
pub const KEY1: &str = "arn:aws:iam::123456789012:user/ci/deployer/access-key/1";
pub const KEY2: &str = "arn:aws:iam::123456789012:user/ci/deployer/access-key/2";
pub const ROLE: &str = "arn:aws:iam::123456789012:role/app-admin";
pub const ROOT: &str = "arn:aws:iam::123456789012:root";
pub const ROOT_KEY: &str = "arn:aws:iam::123456789012:root/access-key/1";

pub fn ts(text: &str) -> Timestamp {
    text.parse().expect("test timestamp")
}

fn item(id: &str, kind: Kind, name: &str) -> Item {
    Item::new(id.into(), Provider::Aws, ACCOUNT.into(), kind, name.into())
}

fn credential(holder: &str, id: &str, kind: Kind, name: &str) -> Credential {
    Credential {
        item: item(id, kind, name),
        parent_id: holder.into(),
        native_id: None,
        last_used_service: None,
        last_used_region: None,
        hint: None,
    }
}

/// An identity with the given id, or a panic.
pub fn identity<'a>(scan: &'a Scan, id: &str) -> &'a Identity {
    scan.inventory
        .get(id)
        .unwrap_or_else(|| panic!("{id} is in the test scan"))
}

/// A finding of rule `rule` on `identity` (and `credential`), with `message`.
pub fn finding(
    scan: &Scan,
    rule: &str,
    identity_id: &str,
    credential_id: Option<&str>,
    message: &str,
) -> Finding {
    let meta = rules::by_id(rule)
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
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.identity_id.cmp(&b.identity_id))
            .then_with(|| a.credential_id.cmp(&b.credential_id))
    });
}

/// The inventory alone, no findings.
pub fn inventory() -> Inventory {
    let mut inv = Inventory::default();

    let mut deployer = Identity::new(item(DEPLOYER, Kind::User, "deployer"));
    deployer.item.owner = Some(Owner {
        name: "release-team".into(),
        source: OwnerSource::Tag,
        evidence: "owner".into(),
        departed: false,
    });
    deployer.item.created_at = Some(ts("2024-01-15T08:30:00Z"));
    deployer.item.last_used = LastUsed::At(ts("2026-02-27T23:59:59.250Z"));
    deployer.item.privilege.level = PrivilegeLevel::Admin;
    deployer.item.privilege.evidence = vec![Evidence {
        policy: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        via: "managed".into(),
        statement: Some("0".into()),
        actions: vec!["*".into()],
        conditions: Vec::new(),
    }];
    deployer.item.human_reason = "no console password".into();
    let mut key1 = credential(DEPLOYER, KEY1, Kind::AccessKey, "access-key/1");
    key1.item.created_at = Some(ts("2025-03-01T12:00:00Z"));
    key1.item.last_used = LastUsed::At(ts("2025-12-01T00:00:00Z"));
    let mut key2 = credential(DEPLOYER, KEY2, Kind::AccessKey, "access-key/2");
    key2.item.created_at = Some(ts("2026-02-20T00:00:00Z"));
    key2.item.last_used = LastUsed::Never;
    deployer.credentials = vec![key1, key2];
    inv.add(deployer);

    let mut role = Identity::new(item(ROLE, Kind::Role, "app-admin"));
    role.item.created_at = Some(ts("2025-06-01T00:00:00Z"));
    role.item.privilege.level = PrivilegeLevel::Admin;
    inv.add(role);

    let mut root = Identity::new(item(ROOT, Kind::Root, "root"));
    root.item.human = true;
    root.item.human_reason = "root account".into();
    root.item.created_at = Some(ts("2019-09-19T09:00:00Z"));
    let mut root_key = credential(ROOT, ROOT_KEY, Kind::AccessKey, "access-key/1");
    root_key.item.created_at = Some(ts("2024-05-15T09:00:00Z"));
    root_key.item.status = Status::Active;
    root.credentials = vec![root_key];
    inv.add(root);

    inv.sources = vec![
        Source {
            provider: Provider::Aws,
            scope: ACCOUNT.into(),
            kind: "credential-report".into(),
            location: "exports/credential-report.csv".into(),
            status: SourceStatus::Ok,
            items: 6,
            error: None,
            api_calls: Default::default(),
        },
        Source {
            provider: Provider::Aws,
            scope: ACCOUNT.into(),
            kind: "authorization-details".into(),
            location: "exports/authorization-details.json".into(),
            status: SourceStatus::Failed,
            items: 0,
            error: Some("AccessDenied: iam:GetAccountAuthorizationDetails".into()),
            api_calls: [("GetAccountAuthorizationDetails".to_string(), 1)].into(),
        },
    ];
    inv
}

/// The whole test scan.
pub fn scan() -> Scan {
    let mut scan = Scan {
        now: ts(NOW),
        inventory: inventory(),
        evaluation: Evaluation::default(),
    };
    let mut findings = vec![
        finding(
            &scan,
            "admin-privilege",
            ROLE,
            None,
            "non-human role has full admin via AdministratorAccess",
        ),
        finding(
            &scan,
            "root-access-key",
            ROOT,
            Some(ROOT_KEY),
            "root account has an active access key",
        ),
        finding(
            &scan,
            "missing-owner",
            ROLE,
            None,
            "non-human role has no owner",
        ),
        finding(
            &scan,
            "unused-credential",
            DEPLOYER,
            Some(KEY1),
            "not used for 90 days; threshold 90",
        ),
        finding(
            &scan,
            "unrotated-credential",
            DEPLOYER,
            Some(KEY1),
            "created 365 days ago and never rotated",
        ),
        finding(
            &scan,
            "multiple-active-keys",
            DEPLOYER,
            None,
            "2 active access keys",
        ),
    ];
    sort(&mut findings);
    scan.evaluation = Evaluation {
        findings,
        suppressed: 1,
        warnings: vec![
            "nhiscan.toml:4: suppression of never-used on \"*\" matched no finding".into(),
        ],
        ..Evaluation::default()
    };
    scan
}
