//! `nhiscan diff OLD.json NEW.json`: what changed between two saved scans.
//!
//! The joiner-mover-leaver view of machine identities: identities added and
//! removed, owners changed (a departed owner is one removed), privilege
//! changed, credentials rotated, added and removed, and findings new and
//! resolved. Both inputs are nhiscan JSON v1, read with the same version
//! check as `--input` and compared as the wire types
//! ([`crate::wire::v1`]), never as the internal model, so the diff depends on
//! the published format only. Identities match by id and findings by
//! fingerprint.
//!
//! A credential counts as rotated when its holder lost one credential of a
//! kind and gained another (ids naming the key), or when the same id now has
//! another creation date or key id (ids naming a slot, as in the credential
//! report). [`render`] writes the result as a table, JSON or Markdown.

pub mod html;
pub mod render;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use crate::error::Error;
use crate::model::{PrivilegeLevel, Severity, Status};
use crate::providers::saved;
use crate::scan::exit;
use crate::wire::v1::{Credential, Finding, Identity, Report};

/// Everything that changed from one scan to the next.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub identities_added: Vec<IdentityEntry>,
    pub identities_removed: Vec<IdentityEntry>,
    pub owners_changed: Vec<OwnerChange>,
    pub privilege_changed: Vec<PrivilegeChange>,
    pub credentials_rotated: Vec<Rotation>,
    pub credentials_added: Vec<CredentialEntry>,
    pub credentials_removed: Vec<CredentialEntry>,
    pub findings_new: Vec<Finding>,
    pub findings_resolved: Vec<Finding>,
    /// Incomplete scans and swapped arguments.
    pub warnings: Vec<String>,
    /// Readable names of the items the findings are about, by item id.
    #[serde(skip)]
    pub labels: BTreeMap<String, String>,
    /// Whether the scans cover more than one account or organization.
    #[serde(skip)]
    pub several_scopes: bool,
}

/// One of the two scans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Side {
    pub path: String,
    pub now: Timestamp,
    /// Whether a source of the scan failed or was read partially.
    pub incomplete: bool,
}

/// What names an identity or a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub id: String,
    pub provider: String,
    pub scope: String,
    pub kind: String,
    pub name: String,
}

/// An identity that joined or left.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityEntry {
    #[serde(flatten)]
    pub item: ItemRef,
    pub owner: Option<String>,
    pub privilege: PrivilegeLevel,
    pub human: bool,
}

/// How an owner changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerChangeKind {
    /// An identity without an owner got one.
    Assigned,
    /// Another owner.
    Changed,
    /// The owner is gone: a departed owner, or a deleted tag or mapping.
    Removed,
}

impl OwnerChangeKind {
    /// `assigned`, `changed` or `removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerChangeKind::Assigned => "assigned",
            OwnerChangeKind::Changed => "changed",
            OwnerChangeKind::Removed => "removed",
        }
    }
}

/// An identity whose owner changed.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerChange {
    #[serde(flatten)]
    pub item: ItemRef,
    pub change: OwnerChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An identity whose privilege level changed.
#[derive(Debug, Clone, Serialize)]
pub struct PrivilegeChange {
    #[serde(flatten)]
    pub item: ItemRef,
    pub before: PrivilegeLevel,
    pub after: PrivilegeLevel,
}

/// A credential, with its holder.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialEntry {
    #[serde(flatten)]
    pub item: ItemRef,
    pub holder_id: String,
    pub holder_name: String,
    pub native_id: Option<String>,
    pub created_at: Option<Timestamp>,
    pub status: Status,
}

/// A credential replaced by another of the same kind on the same holder.
#[derive(Debug, Clone, Serialize)]
pub struct Rotation {
    pub before: CredentialEntry,
    pub after: CredentialEntry,
}

/// How many changes of each kind, for the summary line and JSON `summary`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub identities_added: usize,
    pub identities_removed: usize,
    pub owners_changed: usize,
    pub privilege_changed: usize,
    pub credentials_rotated: usize,
    pub credentials_added: usize,
    pub credentials_removed: usize,
    pub findings_new: usize,
    pub findings_resolved: usize,
}

impl Diff {
    /// Reads two nhiscan JSON files and compares them.
    pub fn load(old: &Path, new: &Path) -> Result<Diff, Error> {
        let read = |path: &Path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
            saved::parse(path, text.strip_prefix('\u{feff}').unwrap_or(&text))
        };
        Ok(Diff::between(
            (&old.display().to_string(), &read(old)?),
            (&new.display().to_string(), &read(new)?),
        ))
    }

    /// Compares two reports, each given with the path that names it.
    pub fn between(old: (&str, &Report), new: (&str, &Report)) -> Diff {
        let side = |(path, r): (&str, &Report)| Side {
            path: path.to_string(),
            now: r.now,
            incomplete: r.sources.iter().any(|s| s.status.is_incomplete()),
        };
        let mut diff = Diff {
            old: side(old),
            new: side(new),
            ..Diff::default()
        };
        let before = index(old.1);
        let after = index(new.1);
        let scopes: HashSet<&str> = before
            .values()
            .chain(after.values())
            .map(|i| i.item.scope.as_str())
            .collect();
        diff.several_scopes = scopes.len() > 1;

        for (id, o) in &before {
            if !after.contains_key(id) {
                diff.identities_removed.push(identity_entry(o));
            }
        }
        for (id, n) in &after {
            let Some(o) = before.get(id) else {
                diff.identities_added.push(identity_entry(n));
                continue;
            };
            diff.compare(o, n);
        }

        // Findings in one scan and not the other, by fingerprint, in that scan's order.
        let only_in = |a: &Report, b: &Report| -> Vec<Finding> {
            let known: HashSet<&str> = b.findings.iter().map(|f| f.fingerprint.as_str()).collect();
            a.findings
                .iter()
                .filter(|f| !known.contains(f.fingerprint.as_str()))
                .cloned()
                .collect()
        };
        diff.findings_new = only_in(new.1, old.1);
        diff.findings_resolved = only_in(old.1, new.1);
        for (findings, index) in [
            (&diff.findings_new, &after),
            (&diff.findings_resolved, &before),
        ] {
            for f in findings {
                diff.labels.insert(
                    f.item_id().to_string(),
                    label(index, &f.identity_id, f.credential_id.as_deref()),
                );
            }
        }
        diff.warn();
        diff
    }

    /// Owner, privilege and credential changes of one identity present in both scans.
    fn compare(&mut self, o: &Identity, n: &Identity) {
        let owner = |i: &Identity| i.item.owner.as_ref().map(|w| w.name.clone());
        let (was, is) = (owner(o), owner(n));
        if was != is {
            let change = match (&was, &is) {
                (None, _) => OwnerChangeKind::Assigned,
                (_, None) => OwnerChangeKind::Removed,
                _ => OwnerChangeKind::Changed,
            };
            self.owners_changed.push(OwnerChange {
                item: item_ref(n),
                change,
                before: was,
                after: is,
            });
        }
        if o.item.privilege.level != n.item.privilege.level {
            self.privilege_changed.push(PrivilegeChange {
                item: item_ref(n),
                before: o.item.privilege.level,
                after: n.item.privilege.level,
            });
        }

        let (was, is) = (credentials(o), credentials(n));
        let mut gone: Vec<&Credential> = was
            .iter()
            .filter(|(id, _)| !is.contains_key(*id))
            .map(|(_, c)| *c)
            .collect();
        for (id, &c) in &is {
            let rotated_from = match was.get(id) {
                // The same id, refilled: a slot that now holds another key.
                Some(&b) => replaced(b, c).then_some(b),
                // A new id: it replaces one gone of the same kind, if any.
                None => match gone.iter().position(|b| b.item.kind == c.item.kind) {
                    Some(i) => Some(gone.remove(i)),
                    None => {
                        self.credentials_added.push(credential_entry(n, c));
                        None
                    }
                },
            };
            if let Some(b) = rotated_from {
                self.credentials_rotated.push(Rotation {
                    before: credential_entry(o, b),
                    after: credential_entry(n, c),
                });
            }
        }
        self.credentials_removed
            .extend(gone.into_iter().map(|c| credential_entry(o, c)));
    }

    /// Notes scans that are incomplete or given in the wrong order.
    fn warn(&mut self) {
        for (which, side) in [("OLD", &self.old), ("NEW", &self.new)] {
            if side.incomplete {
                self.warnings.push(format!(
                    "the {which} scan {} is incomplete (a source failed or was read partially): \
                     identities and findings it lacks show as changes",
                    side.path
                ));
            }
        }
        if self.new.now < self.old.now {
            self.warnings.push(format!(
                "the NEW scan {} ({}) is older than the OLD scan {} ({}): are the arguments swapped?",
                self.new.path, self.new.now, self.old.path, self.old.now
            ));
        }
    }

    /// The number of changes of each kind.
    pub fn counts(&self) -> Counts {
        Counts {
            identities_added: self.identities_added.len(),
            identities_removed: self.identities_removed.len(),
            owners_changed: self.owners_changed.len(),
            privilege_changed: self.privilege_changed.len(),
            credentials_rotated: self.credentials_rotated.len(),
            credentials_added: self.credentials_added.len(),
            credentials_removed: self.credentials_removed.len(),
            findings_new: self.findings_new.len(),
            findings_resolved: self.findings_resolved.len(),
        }
    }

    /// The readable name of a finding's item.
    pub fn label<'a>(&'a self, f: &'a Finding) -> &'a str {
        self.labels
            .get(f.item_id())
            .map_or(f.item_id(), String::as_str)
    }

    /// 3 when either scan is incomplete; else 1 when a new finding is at or
    /// above `fail_on_new`; else 0.
    pub fn exit_code(&self, fail_on_new: Option<Severity>) -> u8 {
        if self.old.incomplete || self.new.incomplete {
            exit::PARTIAL
        } else if fail_on_new.is_some_and(|t| self.findings_new.iter().any(|f| f.severity >= t)) {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}

/// An identity's credentials by id.
fn credentials(i: &Identity) -> BTreeMap<&str, &Credential> {
    i.credentials
        .iter()
        .map(|c| (c.item.id.as_str(), c))
        .collect()
}

/// A report's identities by id.
fn index(report: &Report) -> BTreeMap<&str, &Identity> {
    report
        .identities
        .iter()
        .map(|i| (i.item.id.as_str(), i))
        .collect()
}

fn item_ref(i: &Identity) -> ItemRef {
    ItemRef {
        id: i.item.id.clone(),
        provider: i.item.provider.clone(),
        scope: i.item.scope.clone(),
        kind: i.item.kind.clone(),
        name: i.item.name.clone(),
    }
}

fn identity_entry(i: &Identity) -> IdentityEntry {
    IdentityEntry {
        item: item_ref(i),
        owner: i.item.owner.as_ref().map(|o| o.name.clone()),
        privilege: i.item.privilege.level,
        human: i.item.human,
    }
}

fn credential_entry(holder: &Identity, c: &Credential) -> CredentialEntry {
    CredentialEntry {
        item: ItemRef {
            id: c.item.id.clone(),
            provider: c.item.provider.clone(),
            scope: c.item.scope.clone(),
            kind: c.item.kind.clone(),
            name: c.item.name.clone(),
        },
        holder_id: holder.item.id.clone(),
        holder_name: holder.item.name.clone(),
        native_id: c.item.native_id.clone(),
        created_at: c.item.created_at,
        status: c.item.status,
    }
}

/// Whether the credential under one id is another one now: its key id or
/// creation date changed (both known on both sides).
fn replaced(before: &Credential, after: &Credential) -> bool {
    fn differs<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
        a.is_some() && b.is_some() && a != b
    }
    differs(&before.item.native_id, &after.item.native_id)
        || differs(&before.item.created_at, &after.item.created_at)
}

/// `deployer (user)` or `deployer · access-key/1`; the id when it is not in the report.
fn label(
    index: &BTreeMap<&str, &Identity>,
    identity_id: &str,
    credential_id: Option<&str>,
) -> String {
    let Some(i) = index.get(identity_id) else {
        return credential_id.unwrap_or(identity_id).to_string();
    };
    match credential_id {
        None if i.item.name == i.item.kind => i.item.name.clone(),
        None => format!("{} ({})", i.item.name, i.item.kind),
        Some(cid) => {
            let name = i
                .credentials
                .iter()
                .find(|c| c.item.id == cid)
                .map_or(cid, |c| c.item.name.as_str());
            format!("{} · {name}", i.item.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Owner, OwnerSource, SourceStatus};
    use crate::report::json;
    use crate::report::test_support::{self, ts, DEPLOYER, KEY1, KEY2, PASSWORD, ROLE};

    fn report() -> Report {
        json::report(&test_support::view(&test_support::scan()))
    }

    fn identity<'a>(r: &'a mut Report, id: &str) -> &'a mut Identity {
        r.identities.iter_mut().find(|i| i.item.id == id).unwrap()
    }

    fn diff(old: &Report, new: &Report) -> Diff {
        Diff::between(("old.json", old), ("new.json", new))
    }

    #[test]
    fn a_saved_report_reads_back_for_the_diff() {
        let text = json::render(&test_support::view(&test_support::scan()));
        let read = saved::parse(Path::new("old.json"), &text).unwrap();
        let d = diff(&read, &report());
        assert_eq!(d.counts(), Counts::default());
    }

    #[test]
    fn the_same_scan_twice_changes_nothing() {
        let r = report();
        let d = diff(&r, &r);
        assert_eq!(d.counts(), Counts::default());
        // The test scan has a failed source: both sides say so.
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert_eq!(d.exit_code(None), exit::PARTIAL);
    }

    #[test]
    fn joiners_leavers_and_movers() {
        let old = report();
        let mut new = report();
        new.sources[1].status = SourceStatus::Ok;
        new.identities.retain(|i| i.item.id != ROLE);
        let mut joiner = identity(&mut new, DEPLOYER).clone();
        joiner.item.id = "example:acct-1/user/ci/builder".into();
        joiner.item.name = "builder".into();
        joiner.credentials.clear();
        new.identities.push(joiner);
        let deployer = identity(&mut new, DEPLOYER);
        deployer.item.owner = None;
        deployer.item.privilege.level = PrivilegeLevel::Read;
        let root = identity(&mut new, test_support::ROOT);
        root.item.owner = Some(Owner {
            name: "security".into(),
            source: OwnerSource::Config,
            evidence: "*".into(),
            departed: false,
        });
        let d = diff(&old, &new);
        assert_eq!(d.identities_added[0].item.name, "builder");
        assert_eq!(d.identities_added[0].item.provider, test_support::PROVIDER);
        assert_eq!(d.identities_added[0].item.kind, "user");
        assert_eq!(d.identities_removed[0].item.id, ROLE);
        let owners: Vec<_> = d
            .owners_changed
            .iter()
            .map(|c| {
                (
                    c.item.name.as_str(),
                    c.change,
                    c.before.as_deref(),
                    c.after.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            owners,
            [
                // In id order: `.../root` sorts before `.../user/...`.
                ("root", OwnerChangeKind::Assigned, None, Some("security")),
                (
                    "deployer",
                    OwnerChangeKind::Removed,
                    Some("release-team"),
                    None
                ),
            ]
        );
        assert_eq!(d.privilege_changed.len(), 1);
        assert_eq!(
            (d.privilege_changed[0].before, d.privilege_changed[0].after),
            (PrivilegeLevel::Admin, PrivilegeLevel::Read)
        );
        assert_eq!(
            d.warnings.len(),
            1,
            "only OLD is incomplete: {:?}",
            d.warnings
        );
        assert!(d.warnings[0].starts_with("the OLD scan old.json is incomplete"));
    }

    #[test]
    fn a_refilled_slot_and_a_swapped_key_are_rotations_a_lone_key_is_not() {
        let old = report();
        let mut new = report();
        let deployer = identity(&mut new, DEPLOYER);
        // Slot 1 holds a newer key.
        deployer.credentials[0].item.created_at = Some(ts("2026-02-28T00:00:00Z"));
        // Key 2 is replaced by a key with another id.
        deployer.credentials[1].item.id = format!("{DEPLOYER}/access-key/EXAMPLENEW");
        deployer.credentials[1].item.name = "access-key/EXAMPLENEW".into();
        // A lone new password: added, not a rotation.
        let mut password = deployer.credentials[0].clone();
        password.item.id = format!("{DEPLOYER}/password");
        password.item.kind = PASSWORD.as_str().into();
        deployer.credentials.push(password);
        let d = diff(&old, &new);
        let rotated: Vec<(&str, &str)> = d
            .credentials_rotated
            .iter()
            .map(|r| (r.before.item.id.as_str(), r.after.item.id.as_str()))
            .collect();
        let new_key = format!("{DEPLOYER}/access-key/EXAMPLENEW");
        assert_eq!(rotated, [(KEY1, KEY1), (KEY2, new_key.as_str())]);
        assert_eq!(d.credentials_rotated[0].before.holder_name, "deployer");
        assert_eq!(
            d.credentials_rotated[0].before.native_id.as_deref(),
            Some("EXAMPLEKEY1")
        );
        assert_eq!(d.credentials_added.len(), 1);
        assert_eq!(d.credentials_added[0].item.kind, "password");
        assert!(d.credentials_removed.is_empty());
    }

    #[test]
    fn a_changed_key_id_in_a_slot_is_a_rotation_an_unknown_one_is_not() {
        let old = report();
        let mut new = report();
        let deployer = identity(&mut new, DEPLOYER);
        deployer.credentials[0].item.native_id = Some("EXAMPLEKEY9".into());
        let d = diff(&old, &new);
        assert_eq!(d.credentials_rotated.len(), 1);
        let deployer = identity(&mut new, DEPLOYER);
        deployer.credentials[0].item.native_id = None;
        let d = diff(&old, &new);
        assert!(d.credentials_rotated.is_empty());
    }

    #[test]
    fn findings_new_and_resolved_by_fingerprint_and_the_gate() {
        let mut old = report();
        let mut new = report();
        for r in [&mut old, &mut new] {
            r.sources[1].status = SourceStatus::Ok;
        }
        old.findings.retain(|f| f.rule_id != "multiple-active-keys");
        new.findings
            .retain(|f| !(f.rule_id == "admin-privilege" && f.identity_id == ROLE));
        let d = diff(&old, &new);
        let rules = |fs: &[Finding]| fs.iter().map(|f| f.rule_id.clone()).collect::<Vec<_>>();
        assert_eq!(rules(&d.findings_new), ["multiple-active-keys"]);
        assert_eq!(rules(&d.findings_resolved), ["admin-privilege"]);
        assert_eq!(d.label(&d.findings_new[0]), "deployer (user)");
        assert_eq!(d.label(&d.findings_resolved[0]), "app-admin (role)");
        assert_eq!(d.exit_code(Some(Severity::Low)), exit::FINDINGS);
        assert_eq!(d.exit_code(Some(Severity::Medium)), exit::OK);
        assert_eq!(d.exit_code(None), exit::OK);
    }

    #[test]
    fn findings_on_items_gone_are_labelled_by_id() {
        let mut old = report();
        let new = report();
        old.findings.clear();
        let mut new_gone = new.clone();
        new_gone.identities.retain(|i| i.item.id != DEPLOYER);
        let d = diff(&old, &new_gone);
        let on_key = d
            .findings_new
            .iter()
            .find(|f| f.credential_id.as_deref() == Some(KEY1))
            .unwrap();
        assert_eq!(d.label(on_key), KEY1);
        let on_role = d
            .findings_new
            .iter()
            .find(|f| f.identity_id == ROLE && f.credential_id.is_none())
            .unwrap();
        assert_eq!(d.label(on_role), "app-admin (role)");
    }
}
