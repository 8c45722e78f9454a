//! `--format sarif`.

use crate::scan::Scan;

/// Renders the scan.
pub fn render(_scan: &Scan) -> String {
    String::new()
}
