//! Output formats, one module each. Every format is a free function from a
//! finished [`Scan`] to text; the large ones (json, sarif) stream to a writer.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod paint;
pub mod sarif;
pub mod table;
#[cfg(test)]
pub(crate) mod test_support;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::scan::Scan;
pub use paint::Paint;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Sarif,
    /// A compact summary for `$GITHUB_STEP_SUMMARY` or a merge-request comment.
    Markdown,
}

/// Writes a scan in one format, without colour.
pub fn write(format: Format, scan: &Scan, w: &mut dyn Write) -> std::io::Result<()> {
    write_painted(format, scan, Paint::PLAIN, w)
}

/// Writes a scan in one format; the table is coloured when `paint` says so.
pub fn write_painted(
    format: Format,
    scan: &Scan,
    paint: Paint,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => w.write_all(table::render_painted(scan, paint).as_bytes()),
        Format::Json => json::write(scan, w),
        Format::Csv => w.write_all(csv::render(scan).as_bytes()),
        Format::Sarif => sarif::write(scan, w),
        Format::Markdown => w.write_all(markdown::render(scan).as_bytes()),
    }
}

/// Writes a scan to `path` atomically: a temporary file in the same directory,
/// then a rename, so a reader never sees half a report.
pub fn write_atomic(path: &Path, format: Format, scan: &Scan) -> Result<(), Error> {
    write_file_atomic(path, |w| write(format, scan, w))
}

/// Writes `path` atomically with `write` (see [`write_atomic`]).
pub fn write_file_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
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
        write(&mut out).and_then(|()| out.flush()).map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
