//! Output formats, one module each. Every format is a free function from a
//! finished [`Scan`] to text; the large ones (json, sarif) stream to a writer.

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

/// Writes a scan in one format.
pub fn write(format: Format, scan: &Scan, w: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Table => w.write_all(table::render(scan).as_bytes()),
        Format::Json => json::write(scan, w),
        Format::Csv => w.write_all(csv::render(scan).as_bytes()),
        Format::Sarif => sarif::write(scan, w),
    }
}

/// Writes a scan to `path` atomically: a temporary file in the same directory,
/// then a rename, so a reader never sees half a report.
pub fn write_atomic(path: &Path, format: Format, scan: &Scan) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        write(format, scan, &mut out)
            .and_then(|()| out.flush())
            .map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
