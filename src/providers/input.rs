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
    for (file, in_directory) in expand(paths)? {
        let bytes =
            std::fs::read(&file).map_err(|e| Error::input(&file, format!("cannot read: {e}")))?;
        match String::from_utf8(bytes) {
            Ok(text) => match load_one(&file, &text, inventory) {
                Err(Unclaimed(why)) if in_directory => skip(inventory, &file, why),
                Err(Unclaimed(why)) => return Err(Error::input(&file, why)),
                Ok(result) => result?,
            },
            Err(_) if in_directory => skip(inventory, &file, "binary file, not text"),
            Err(_) => return Err(Error::input(&file, "not a text file: not an export")),
        }
    }
    Ok(())
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

/// Files named by `paths`, directories expanded recursively, in a stable order,
/// each with whether it was found in a directory. Hidden files (`.name`)
/// inside directories are left out.
fn expand(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, Error> {
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
            files.extend(found.into_iter().map(|f| (f, true)));
        } else {
            files.push((path.clone(), false));
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
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
        if p.is_dir() {
            walk(&p, files)?;
        } else {
            files.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
