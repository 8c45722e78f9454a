//! GitHub: every token, key, app and secret that can act on an organization.
//!
//! Three layers: [`model`] holds GitHub's response shapes; [`live`] (over
//! [`client`], built on octocrab) reads an org into an [`OrgSnapshot`]; and
//! [`convert`] turns a snapshot into inventory, whether it was just read, saved
//! with `--github-snapshot-dir`, or embedded in the demo.

pub mod auth;
pub mod client;
pub mod convert;
pub mod live;
pub mod model;
pub mod rate;
pub mod snapshot;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use auth::{Auth, Secret};
pub use client::{Clock, SystemClock};
pub use snapshot::OrgSnapshot;

use crate::error::Error;
use crate::inventory::Inventory;
use crate::progress::Progress;

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
            options.api_url.trim_end_matches('/'),
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
    let items = identities.iter().map(|i| 1 + i.credentials.len()).sum();
    let calls = if live {
        snapshot.api_calls.clone()
    } else {
        Default::default()
    };
    inventory
        .sources
        .extend(convert::sources(snapshot, location, kind, items, calls));
    for identity in identities {
        inventory.add(identity);
    }
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
    std::fs::write(&path, text).map_err(err)
}
