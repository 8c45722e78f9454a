//! The structure goals, checked on the source itself:
//! - no import cycle among the top-level modules of `src/`;
//! - provider code stays in its folder: at most 3 files outside
//!   `src/providers/<p>/` name provider `p` in code (the registry among them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines that are not comments.
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to (`rules` for `src/rules/x.rs`).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!matches!(name.as_str(), "main" | "lib" | "cli")).then_some(name)
}

/// `crate::a::...` and `crate::{a, b::c}` references in `text`.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(head(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(ch);
                }
            }
            out.insert(head(&item));
        } else {
            out.insert(head(rest));
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

fn head(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let Some(from) = module_of(rel) else { continue };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let deps = edges.entry(from.clone()).or_default();
        for to in crate_refs(&code(text)) {
            if to != from {
                deps.insert(to);
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(cycle) = visit(m, &edges, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    assert!(edges.len() > 5, "the scan found the modules: {edges:?}");
}

#[test]
fn provider_code_stays_in_its_folder() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let providers: Vec<String> = std::fs::read_dir(root.join("providers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "http")
        .collect();
    assert!(!providers.is_empty(), "the scan found the provider folders");
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (
                rel,
                code(&std::fs::read_to_string(f).unwrap()).to_lowercase(),
            )
        })
        .collect();
    for p in &providers {
        let names = |text: &str| {
            text.match_indices(p.as_str()).any(|(i, _)| {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(text[..i].chars().next_back()) && !word(text[i + p.len()..].chars().next())
            })
        };
        // `--format github` (GitHub Actions workflow commands) is named after
        // the CI platform, not the provider, in the format list.
        let format_list = |rel: &str| p == "github" && rel == "report/mod.rs";
        let outside: Vec<&str> = texts
            .iter()
            .filter(|(rel, _)| !rel.starts_with(&format!("providers/{p}/")))
            .filter(|(rel, _)| !format_list(rel))
            .filter(|(_, text)| names(text))
            .map(|(rel, _)| rel.as_str())
            .collect();
        assert!(
            outside.len() <= 3,
            "{p} is named outside src/providers/{p}/ in {outside:?}"
        );
    }
}
