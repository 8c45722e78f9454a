//! `--format html`: one self-contained page that works offline.
//!
//! The page is a fixed shell (`page.html`, `style.css`, `app.js`) with the
//! report embedded as JSON in a `<script type="application/json">` block
//! ([`data`]); the CSP does not run it, the script parses it once. The
//! explorer's rows are in it by column and compressed ([`table`]). The
//! script builds everything with `textContent`, never with markup, so a
//! name from the inventory cannot inject anything. The JSON itself is
//! written with `<`, `>` and `&` as `\u003c`-style escapes, so `</script>`
//! or `<!--` in a name cannot end the block early.
//!
//! Charts are drawn by Chart.js 4.5.1 (MIT, `vendor/`), embedded whole; the
//! numbers are counted here ([`charts`]). The Content-Security-Policy, in a
//! meta tag, allows nothing but the page's own inline style and two scripts,
//! named by their SHA-256 hashes: no network request of any kind.

pub mod charts;
pub mod data;
pub mod table;

use std::io::{self, Write};

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::View;

const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("style.css");
const APP: &str = include_str!("app.js");
/// Chart.js 4.5.1, `dist/chart.umd.min.js` from npm, less its source-map comment.
const CHART_JS: &str = include_str!("vendor/chart-4.5.1.umd.min.js");

/// Writes a scan's page.
pub fn write(view: &View, w: &mut dyn Write) -> io::Result<()> {
    let page = data::scan_page(view);
    write_page(&page.title.clone(), &page, w)
}

/// Writes a page around `data`, which the script reads.
pub fn write_page<T: Serialize>(title: &str, data: &T, w: &mut dyn Write) -> io::Result<()> {
    let (head, rest) = PAGE
        .split_once("{{DATA}}")
        .expect("page.html has a {{DATA}} slot");
    let fill = |part: &str| {
        part.replace("{{CSP}}", &csp())
            .replace("{{TITLE}}", &escape_text(title))
            .replace("{{STYLE}}", STYLE)
            .replace("{{CHART_JS}}", CHART_JS)
            .replace("{{APP}}", APP)
    };
    w.write_all(fill(head).as_bytes())?;
    serde_json::to_writer(ScriptSafe(&mut *w), data)?;
    w.write_all(fill(rest).as_bytes())
}

/// The page's Content-Security-Policy: its own style and scripts only.
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src '{}' '{}'; style-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        hash(CHART_JS),
        hash(APP),
        hash(STYLE)
    )
}

/// `sha256-<base64>` of an inline script or style, as CSP names it.
fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Escapes text for an HTML text node or attribute value.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A writer for JSON inside `<script>`: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`. JSON has them only inside strings, where the
/// escapes mean the same characters, so the JSON is unchanged and no
/// `</script>` or `<!--` can appear in the block.
struct ScriptSafe<W: Write>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Renders a scan's page to a string (see [`write`]).
pub fn render(view: &View) -> String {
    let mut out = Vec::new();
    write(view, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the page is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    /// The JSON between the data block's tags.
    fn embedded(page: &str) -> &str {
        let start = page
            .find(r#"<script type="application/json" id="data">"#)
            .expect("the data block")
            + r#"<script type="application/json" id="data">"#.len();
        let len = page[start..].find("</script>").expect("the block's end");
        &page[start..start + len]
    }

    #[test]
    fn hostile_names_cannot_leave_the_data_block() {
        let mut scan = test_support::scan();
        let names = [
            "</script><script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "<!-- <script>",
        ];
        for (identity, name) in scan.inventory.identities_mut().zip(names) {
            identity.item.name = name.into();
        }
        let page = render(&test_support::view(&scan));
        let json = embedded(&page);
        assert!(!json.contains('<') && !json.contains('>'), "{json}");
        let data: serde_json::Value = serde_json::from_str(json).expect("the block is JSON");
        let table = table::tests::unpack(data["explorer"]["table"].as_str().unwrap());
        let strings = table["strings"].as_array().unwrap();
        let shown: Vec<&str> = table["cells"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| strings[n.as_u64().unwrap() as usize].as_str().unwrap())
            .collect();
        let renamed = scan.inventory.identities().count().min(names.len());
        assert!(renamed >= 3);
        for name in &names[..renamed] {
            assert!(shown.contains(name), "{name} reads back as itself");
        }
        // The names in the findings list are in the plain JSON, escaped.
        assert!(json.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
        // The page has exactly its three scripts, each allowed by hash.
        assert_eq!(page.matches("<script").count(), 3);
        assert!(page.contains(&hash(APP)) && page.contains(&hash(CHART_JS)));
    }

    #[test]
    fn the_policy_allows_no_source_but_the_page_itself() {
        let policy = csp();
        assert!(policy.starts_with("default-src 'none';"));
        assert!(!policy.contains("http") && !policy.contains("'unsafe-"));
        assert!(!policy.contains('*'));
        let page = render(&test_support::view(&test_support::scan()));
        assert!(page.contains(&format!(
            r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#
        )));
        // The inline style and scripts are the hashed texts, byte for byte.
        assert!(page.contains(&format!("<style>{STYLE}</style>")));
        assert!(page.contains(&format!("<script>{APP}</script>")));
        // The shell names no URL: nothing to fetch, even outside the policy.
        for part in [PAGE, STYLE, APP] {
            assert!(!part.contains("http:") && !part.contains("https:"));
            assert!(!part.contains("src=") && !part.contains("url("));
        }
    }

    #[test]
    fn escape_text_escapes_markup_and_quotes() {
        assert_eq!(
            escape_text(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
