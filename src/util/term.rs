//! Text bound for a terminal: [`escape`] makes control characters visible
//! and neutralises Unicode bidi overrides and zero-width characters, so text
//! from a file or a server (a GitHub `message`, an AWS `<Message>`, a file
//! name, a repository name) can neither move the cursor, retitle the window,
//! clear the screen nor reorder what the reader sees. [`eprintln`] writes one
//! escaped line to stderr and, when stderr is gone (a closed pipe,
//! `2>/dev/full`), carries on quietly instead of panicking.

use std::borrow::Cow;
use std::io::Write;

/// Whether `c` must not reach a terminal as it is.
fn hostile(c: char) -> bool {
    c.is_control()
        || matches!(c,
            // Bidi embeddings, overrides and isolates.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
            // Zero-width and invisible characters.
            | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}'
            // Line and paragraph separators.
            | '\u{2028}' | '\u{2029}')
}

/// `text` with control characters (tab and newline included) and invisible
/// or reordering characters written as `\u{..}` escapes (`\n`, `\t`, `\r`
/// for the common ones), as Rust's `escape_default` writes them. Text without any is returned as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_keeping(text, &[])
}

/// [`escape`], leaving the characters in `keep` (`'\n'` for multi-line text).
pub fn escape_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| hostile(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !hostile(c) || keep.contains(&c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Writes `line` to stderr, escaped (newlines kept), then a newline. A
/// failed write (a closed pipe, `2>/dev/full`) is ignored: there is nowhere
/// to say anything, and the exit code still tells.
pub fn eprintln(line: &str) {
    let text = escape_keeping(line, &['\n']);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert!(matches!(escape("plain ünïcode"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(escape("x\u{1b}[2Jy\r\n"), "x\\u{1b}[2Jy\\r\\n");
        assert_eq!(escape("admin\u{202e}txt.exe"), "admin\\u{202e}txt.exe");
        assert_eq!(escape("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_keeping("a\nb\u{1b}", &['\n']), "a\nb\\u{1b}");
    }
}
