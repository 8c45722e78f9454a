//! Output formats, one module each. Every format is a free function from a
//! finished [`Scan`] to text.

pub mod csv;
pub mod json;
pub mod sarif;
pub mod table;
#[cfg(test)]
mod test_support;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::scan::Scan;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Sarif,
}

/// Renders a scan in one format.
pub fn render(format: Format, scan: &Scan) -> String {
    match format {
        Format::Table => table::render(scan),
        Format::Json => json::render(scan),
        Format::Csv => csv::render(scan),
        Format::Sarif => sarif::render(scan),
    }
}

/// Writes `text` to `path` atomically: a temporary file in the same directory,
/// then a rename, so a reader never sees half a report.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(text.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
