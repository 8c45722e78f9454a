//! `--input PATH`: expands directories, detects each file's format from its
//! content (never its name) and hands it to the provider importer that claims it.
//!
//! A file named on the command line must be a known format. A file found by
//! walking a directory that no importer claims (a README, a licence, an
//! image, an unrelated CSV or JSON document) is listed as a `skipped` source
//! instead, so an export folder with other files in it still scans and
//! nothing is dropped silently. A file an importer claims but cannot read is
//! an error either way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;

use crate::error::{json_error, Error};
use crate::model::{Inventory, Source, SourceStatus, UNRECOGNIZED};
use crate::providers::{registry, saved, Importer};

/// What format detection looks at.
pub struct Sniff<'a> {
    /// The whole text (a BOM removed).
    pub text: &'a str,
    /// The top-level keys of a JSON object; `None` when the text is not one
    /// or does not parse (then only [`Sniff::mentions`] can tell).
    pub keys: Option<BTreeSet<String>>,
    /// The first non-blank line.
    pub first_line: &'a str,
}

impl Sniff<'_> {
    fn new(text: &str) -> Sniff<'_> {
        let trimmed = text.trim_start();
        let keys = trimmed
            .starts_with('{')
            .then(|| serde_json::from_str::<std::collections::BTreeMap<String, IgnoredAny>>(text))
            .and_then(Result::ok)
            .map(|m| m.into_keys().collect());
        Sniff {
            text,
            keys,
            first_line: trimmed.lines().next().unwrap_or_default(),
        }
    }

    /// Whether the JSON object has `key` at its top level, or, when it does
    /// not parse, whether the text names it as a key near the start.
    pub fn has_key(&self, key: &str) -> bool {
        match &self.keys {
            Some(keys) => keys.contains(key),
            None => self.is_json() && self.mentions(key),
        }
    }

    /// Whether the text is JSON lines: a first line that is a whole JSON
    /// object, then more lines (`gcloud asset export` writes these).
    pub fn is_json_lines(&self) -> bool {
        let first = self.first_line.trim();
        first.starts_with('{')
            && self.text.trim().len() > first.len()
            && serde_json::from_str::<IgnoredAny>(first).is_ok()
    }

    /// Whether the text looks like a JSON object.
    pub fn is_json(&self) -> bool {
        self.text.trim_start().starts_with('{')
    }

    /// Whether `"key"` appears in the first 64 KiB of the text.
    pub fn mentions(&self, key: &str) -> bool {
        let end = self.text.len().min(64 * 1024);
        let head = self.text.get(..end).unwrap_or(self.text);
        head.contains(&format!("\"{key}\""))
    }
}

/// The values of `keys` at the top level of the JSON object `text` (`None`
/// for a key it lacks). Every other value is checked for syntax but not
/// built, so this is cheap beside the importer's own parse.
pub fn top_level_values(
    text: &str,
    keys: &[&str],
) -> Result<Vec<Option<serde_json::Value>>, serde_json::Error> {
    struct Wanted<'k>(&'k [&'k str]);

    impl<'de> serde::de::Visitor<'de> for Wanted<'_> {
        type Value = Vec<Option<serde_json::Value>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut found = vec![None; self.0.len()];
            while let Some(key) = map.next_key::<String>()? {
                match self.0.iter().position(|k| *k == key) {
                    Some(i) => found[i] = Some(map.next_value()?),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(found)
        }
    }

    use serde::Deserializer as _;
    let mut de = serde_json::Deserializer::from_str(text);
    let found = de.deserialize_map(Wanted(keys))?;
    de.end()?;
    Ok(found)
}

/// The importer that claims a file: nhiscan's own JSON first, then each
/// provider's in registry order.
fn importer(sniff: &Sniff) -> Option<&'static dyn Importer> {
    if saved::SAVED.detect(sniff) {
        return Some(&saved::SAVED);
    }
    registry()
        .iter()
        .flat_map(|p| p.importers())
        .copied()
        .find(|i| i.detect(sniff))
}

/// Reads every input into the inventory, one source per file.
pub fn load(paths: &[PathBuf], inventory: &mut Inventory) -> Result<(), Error> {
    let cap = max_input_bytes();
    let mut duplicates = Duplicates::default();
    // Importers read into the one inventory (some join across files); what
    // each file added is recorded to find ids two files of one kind share.
    inventory.track_adds(true);
    for (file, found) in expand(paths)? {
        let in_directory = match found {
            Found::File { in_directory } => in_directory,
            Found::Skip(why) => {
                skip(inventory, &file, why);
                continue;
            }
        };
        let bytes = read_capped(&file, cap)?;
        match String::from_utf8(bytes) {
            Ok(text) => {
                let sources = inventory.sources.len();
                match load_one(&file, &text, inventory) {
                    Err(Unclaimed(why)) if in_directory => skip(inventory, &file, why),
                    Err(Unclaimed(why)) => return Err(Error::input(&file, why)),
                    Ok(result) => {
                        result?;
                        let kind = inventory.sources.get(sources).map(|s| s.kind.clone());
                        duplicates.note(&file, kind.unwrap_or_default(), inventory.take_adds());
                    }
                }
            }
            Err(_) if in_directory => skip(inventory, &file, "binary file, not text"),
            Err(_) => return Err(Error::input(&file, "not a text file: not an export")),
        }
    }
    inventory.track_adds(false);
    duplicates.warn(inventory);
    Ok(())
}

/// Which file of which kind first brought each identity id, to warn when
/// two files of the same kind (two authorization-details exports, say)
/// describe the same id: the first file's entry wins the merge. Files of
/// different kinds (a credential report and the details of the same
/// account) are meant to meet, and are not reported.
#[derive(Default)]
struct Duplicates {
    /// Per file: its name and its source kind.
    files: Vec<(String, String)>,
    /// A hash of each id, and the file that first brought it.
    first: std::collections::HashMap<u64, usize>,
    /// Per (first file, later file): how many ids, and the first few.
    found: std::collections::BTreeMap<(usize, usize), (usize, Vec<String>)>,
}

impl Duplicates {
    /// Notes the ids one file added (`adds`, from [`Inventory::take_adds`]).
    fn note(&mut self, file: &Path, kind: String, adds: Vec<(u64, Option<String>)>) {
        let index = self.files.len();
        self.files.push((file.display().to_string(), kind));
        for (hash, merged) in adds {
            let earlier = *self.first.entry(hash).or_insert(index);
            if let Some(id) = merged {
                if earlier != index && self.files[earlier].1 == self.files[index].1 {
                    let (n, ids) = self.found.entry((earlier, index)).or_default();
                    *n += 1;
                    if ids.len() < 3 {
                        ids.push(id);
                    }
                }
            }
        }
    }

    /// One warning per pair of files that share ids.
    fn warn(self, inventory: &mut Inventory) {
        for ((a, b), (n, ids)) in self.found {
            inventory.warnings.push(format!(
                "{n} identit{} in both {} and {} ({}); the entry from {} was kept: {}{}",
                if n == 1 { "y appears" } else { "ies appear" },
                self.files[a].0,
                self.files[b].0,
                self.files[a].1,
                self.files[a].0,
                ids.join(", "),
                if n > ids.len() { ", ..." } else { "" }
            ));
        }
    }
}

/// Reads one input's text, which must be a known format; `path` names it in sources and errors.
pub fn load_text(path: &Path, text: &str, inventory: &mut Inventory) -> Result<(), Error> {
    match load_one(path, text, inventory) {
        Ok(result) => result,
        Err(Unclaimed(why)) => Err(Error::input(path, why)),
    }
}

/// No importer claims the file, and why.
struct Unclaimed(&'static str);

fn load_one(
    path: &Path,
    text: &str,
    inventory: &mut Inventory,
) -> Result<Result<(), Error>, Unclaimed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Unclaimed("file is empty"));
    }
    let sniff = Sniff::new(text);
    let Some(importer) = importer(&sniff) else {
        return Err(Unclaimed(if sniff.is_json() {
            "unrecognized JSON: not an export any provider reads (docs/providers/ lists the formats)"
        } else {
            "unrecognized input: not an export any provider reads (docs/providers/ lists the formats)"
        }));
    };
    if sniff.is_json() && sniff.keys.is_none() && !sniff.is_json_lines() {
        // Claimed by a key it names, but not valid JSON: say where it breaks.
        return Ok(serde_json::from_str::<IgnoredAny>(text)
            .map(|_| ())
            .map_err(|e| json_error(path, &e)));
    }
    Ok(importer.import(path, text, inventory))
}

fn skip(inventory: &mut Inventory, file: &Path, why: &str) {
    let mut source = Source::new(UNRECOGNIZED, "unrecognized", file.display().to_string());
    source.status = SourceStatus::Skipped;
    source.error = Some(why.to_string());
    inventory.sources.push(source);
}

/// The default cap on one input file: 2 GiB.
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

/// The cap on one input file: `NHISCAN_MAX_INPUT_BYTES`, else [`MAX_INPUT_BYTES`].
fn max_input_bytes() -> u64 {
    std::env::var("NHISCAN_MAX_INPUT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(MAX_INPUT_BYTES)
}

/// The bytes of a regular file of at most `cap` bytes, else an error that
/// says why. Opened without blocking (a FIFO swapped in after the walk
/// neither blocks nor is read) and read at most `cap + 1` bytes, so a file
/// that grows cannot pass the cap.
fn read_capped(file: &Path, cap: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let cannot = |e: std::io::Error| Error::input(file, format!("cannot read: {e}"));
    let handle = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc_nonblock())
        .open(file)
        .map_err(cannot)?;
    let meta = handle.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::input(
            file,
            "not a regular file (a FIFO, device or socket): not read",
        ));
    }
    let too_big = |size: u64| {
        Error::input(
            file,
            format!(
                "file is {size} bytes, over the input size cap of {cap} bytes (set NHISCAN_MAX_INPUT_BYTES to raise it)"
            ),
        )
    };
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    handle
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// `O_NONBLOCK` on Linux and the BSDs, so opening a FIFO never waits for a writer.
fn libc_nonblock() -> i32 {
    if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        0x0004
    } else {
        0o4000
    }
}

/// What the walk found at a path.
enum Found {
    /// A file to read.
    File { in_directory: bool },
    /// Something in a directory that is not read, and why (listed as skipped).
    Skip(&'static str),
}

/// Files named by `paths`, directories expanded recursively, in a stable
/// order, each with whether it was found in a directory. Hidden files
/// (`.name`) inside directories are left out. Inside a directory, symbolic
/// links to directories are not followed (so a link cycle cannot loop) and
/// anything that is not a regular file (or a link to one) is skipped
/// visibly; a path named on the command line must be a regular file or a
/// directory.
fn expand(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Found)>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(Error::input(path, "directory holds no input files"));
            }
            files.extend(found);
        } else if meta.is_file() {
            files.push((
                path.clone(),
                Found::File {
                    in_directory: false,
                },
            ));
        } else {
            return Err(Error::input(
                path,
                "not a regular file (a FIFO, device or socket): not read",
            ));
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<(PathBuf, Found)>) -> Result<(), Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::input(dir, format!("cannot list: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::input(dir, format!("cannot list: {e}")))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    for p in paths {
        // The entry itself, not what a link points at.
        let own = std::fs::symlink_metadata(&p)
            .map_err(|e| Error::input(&p, format!("cannot read: {e}")))?;
        if own.is_dir() {
            walk(&p, files)?;
            continue;
        }
        let target = if own.file_type().is_symlink() {
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => {
                    files.push((p, Found::Skip("symbolic link to a directory: not followed")));
                    continue;
                }
                Ok(m) => m,
                Err(_) => {
                    files.push((p, Found::Skip("broken symbolic link")));
                    continue;
                }
            }
        } else {
            own
        };
        if target.is_file() {
            files.push((p, Found::File { in_directory: true }));
        } else {
            files.push((
                p,
                Found::Skip("not a regular file (a FIFO, device or socket): not read"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_walk_skips_links_to_directories_fifos_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
        std::os::unix::fs::symlink(root.join("a.json"), root.join("b.json")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("pipe"))
            .status()
            .unwrap();
        assert!(fifo.success());
        let found: Vec<(String, Option<&str>)> = expand(&[root.to_path_buf()])
            .unwrap()
            .into_iter()
            .map(|(p, f)| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (
                    name,
                    match f {
                        Found::File { .. } => None,
                        Found::Skip(why) => Some(why),
                    },
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a.json".to_string(), None),
                ("b.json".to_string(), None),
                (
                    "loop".to_string(),
                    Some("symbolic link to a directory: not followed")
                ),
                (
                    "pipe".to_string(),
                    Some("not a regular file (a FIFO, device or socket): not read")
                ),
                (
                    "zero".to_string(),
                    Some("not a regular file (a FIFO, device or socket): not read")
                ),
            ]
        );
        // Named directly, a FIFO or a device is an error, not a hang.
        assert!(expand(&[root.join("pipe")]).is_err());
        assert!(expand(&[PathBuf::from("/dev/zero")]).is_err());
        assert!(read_capped(&root.join("pipe"), 10).is_err());
    }

    #[test]
    fn a_file_over_the_cap_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.json");
        std::fs::write(&file, "x".repeat(100)).unwrap();
        assert_eq!(read_capped(&file, 100).unwrap().len(), 100);
        let err = read_capped(&file, 99).unwrap_err().to_string();
        assert!(err.contains("over the input size cap of 99 bytes"), "{err}");
        assert!(err.contains("NHISCAN_MAX_INPUT_BYTES"), "{err}");
    }

    #[test]
    fn top_level_values_reads_only_the_wanted_top_level_keys() {
        let text = r#"{"a": {"b": 2}, "b": [1, "x"], "c": null}"#;
        let found = top_level_values(text, &["b", "a", "z"]).unwrap();
        assert_eq!(found, [Some(json!([1, "x"])), Some(json!({"b": 2})), None]);
        // A nested key of the same name is not a top-level one.
        assert_eq!(
            top_level_values(r#"{"a": {"b": 2}}"#, &["b"]).unwrap(),
            [None]
        );
        let err = top_level_values("{\"a\": 1,\n \"b\": }", &["a"]).unwrap_err();
        assert_eq!(err.line(), 2);
        assert!(top_level_values("{\"a\": 1} trailing", &["a"]).is_err());
        assert!(top_level_values("[1]", &["a"]).is_err());
    }
}
