//! `--format table`.

use crate::scan::Scan;

/// Renders the scan.
pub fn render(_scan: &Scan) -> String {
    String::new()
}

/// `nhiscan rules` as a table.
pub fn rules() -> String {
    String::new()
}
