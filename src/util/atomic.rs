//! The one writer for every file nhiscan writes (`-o`, baselines, GitHub
//! snapshots): a reader never sees half a file, and nothing else at the path
//! is destroyed.
//!
//! [`write_file`] is for a path the user named (`-o`, `--write-baseline`):
//! - `-` is stdout;
//! - a path that exists and is not a regular file (a character device, a
//!   FIFO, `/dev/stdout`, `/dev/fd/N`) is written through, as a shell's `>`
//!   would;
//! - a symlink to a regular file has its **target** replaced, never the link;
//! - only a regular file (or a new one) gets the temporary-file-and-rename
//!   treatment: the new content is written beside it and renamed over it.
//!
//! [`replace_file`] is for a file whose name nhiscan makes up inside a
//! directory (`--github-snapshot-dir DIR/<org>.github.json`): it never
//! follows whatever is at the path, so a planted symlink is replaced by the
//! new file and its target is left alone.
//!
//! A new file gets the mode the umask allows (0644 under the usual 022); a
//! replaced file keeps its mode. Errors name the path the user gave, never
//! the temporary file.

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// How many symlinks [`resolve`] follows before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// The path that means stdout.
pub const STDOUT: &str = "-";

/// Whether `path` is `-`, stdout.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == STDOUT
}

/// Where a write to a user-named path lands.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Standard output (`-`).
    Stdout,
    /// Something that is not a regular file, opened and written in place.
    Through(PathBuf),
    /// A regular file to create or replace with a temporary file and a rename.
    Replace(PathBuf),
}

/// Writes `path` as the module docs say, with `write`.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source: plain(source),
    };
    match target(path).map_err(err)? {
        Target::Stdout => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(err(e)),
                _ => Ok(()),
            }
        }
        Target::Through(p) => {
            // A regular file behind `/dev/fd/N` is the shell's: append, as
            // it was opened for us; a device or FIFO is just written.
            let regular = fs::metadata(&p).is_ok_and(|m| m.is_file());
            let file = OpenOptions::new()
                .write(true)
                .append(regular)
                .open(&p)
                .map_err(err)?;
            let mut out = io::BufWriter::new(file);
            write(&mut out).and_then(|()| out.flush()).map_err(err)
        }
        Target::Replace(p) => replace(&p, write).map_err(err),
    }
}

/// Writes `path` with a temporary file and a rename, whatever is at the
/// path: a symlink or anything else there is replaced, never followed.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    replace(path, write).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source: plain(source),
    })
}

/// Checks, before a long scan, that [`write_file`] can write `path`: its
/// directory exists and takes a new file, or the path is something that
/// can be written through. Creates nothing that stays.
pub fn check(path: &Path) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source: plain(source),
    };
    match target(path).map_err(err)? {
        Target::Stdout | Target::Through(_) => Ok(()),
        Target::Replace(p) => {
            let probe = tempfile::Builder::new()
                .prefix(".nhiscan-check")
                .tempfile_in(parent(&p))
                .map_err(err)?;
            drop(probe);
            Ok(())
        }
    }
}

/// Where a write to `path` lands (see [`Target`]).
fn target(path: &Path) -> io::Result<Target> {
    if is_stdout(path) {
        return Ok(Target::Stdout);
    }
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&p) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace(p)),
            other => other?,
        };
        if meta.file_type().is_symlink() {
            let link = fs::read_link(&p)?;
            // `/dev/stdout`, `/dev/fd/N`: a kernel "magic" link to an open
            // file, which may be a pipe with no path; open it as it is.
            if magic(&p) || magic(&link) {
                return match fs::metadata(path) {
                    Ok(m) if m.is_dir() => Err(is_a_directory()),
                    _ => Ok(Target::Through(path.to_path_buf())),
                };
            }
            p = parent(&p).join(link);
            continue;
        }
        return if meta.is_file() {
            Ok(Target::Replace(p))
        } else if meta.is_dir() {
            Err(is_a_directory())
        } else {
            Ok(Target::Through(p))
        };
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether `p` is one of the kernel's links to an open file descriptor.
fn magic(p: &Path) -> bool {
    p.starts_with("/proc") || p.starts_with("/dev/fd")
}

fn is_a_directory() -> io::Error {
    io::Error::other("is a directory")
}

/// The directory `p` is in (`.` for a bare file name).
fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `path` through a temporary file in its directory, renamed over it.
/// The temporary file is created with mode 0666 less the umask, or given
/// the mode of the regular file it replaces.
fn replace(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let keep = fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let mut tmp = tempfile::Builder::new()
        .prefix(".nhiscan")
        .permissions(new_file_permissions())
        .tempfile_in(parent(path))?;
    if let Some(mode) = keep {
        tmp.as_file().set_permissions(mode)?;
    }
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        write(&mut out).and_then(|()| out.flush())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable where the platform allows it.
    if let Ok(dir) = File::open(parent(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// What a new file's mode starts from before the umask: 0666, as `>` uses.
#[cfg(unix)]
fn new_file_permissions() -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    Permissions::from_mode(0o666)
}

#[cfg(not(unix))]
fn new_file_permissions() -> Permissions {
    tempfile::NamedTempFile::new()
        .and_then(|f| f.as_file().metadata())
        .map(|m| m.permissions())
        .expect("a temporary file")
}

/// The error without any path tempfile added to it (which would be the
/// temporary file's, not the user's): the OS error, or its kind.
fn plain(e: io::Error) -> io::Error {
    if e.raw_os_error().is_some() {
        return e;
    }
    // tempfile wraps the OS error as "<error> at path <temporary path>" and
    // keeps no code to rebuild it from: keep the text before " at path ".
    match e.get_ref().map(ToString::to_string) {
        Some(text) => match text.rfind(" at path ") {
            Some(at) => io::Error::new(e.kind(), text[..at].to_string()),
            None => e,
        },
        None => e,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{symlink, PermissionsExt};

    use super::*;

    fn write_text(path: &Path, text: &str) -> Result<(), Error> {
        write_file(path, |w| w.write_all(text.as_bytes()))
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn dash_is_stdout() {
        assert_eq!(target(Path::new("-")).unwrap(), Target::Stdout);
        assert!(is_stdout(Path::new("-")));
        assert!(!is_stdout(Path::new("./-")));
    }

    #[test]
    fn a_symlink_to_a_regular_file_has_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        symlink("real.json", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(mode(&real), 0o640, "a replaced file keeps its mode");
        // Only the two names: no temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_new_file_follows_the_umask_and_a_replaced_one_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sarif");
        write_text(&path, "one").unwrap();
        // The test process's umask: what `touch` would give.
        let touched = dir.path().join("touched");
        File::create(&touched).unwrap();
        assert_eq!(mode(&path), mode(&touched));
        fs::set_permissions(&path, Permissions::from_mode(0o604)).unwrap();
        write_text(&path, "two").unwrap();
        assert_eq!(mode(&path), 0o604);
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
    }

    #[test]
    fn a_fifo_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        write_text(&fifo, "through").unwrap();
        assert_eq!(reader.join().unwrap(), "through");
        assert!(!fs::symlink_metadata(&fifo).unwrap().is_file());
    }

    #[test]
    fn a_device_is_written_through() {
        write_text(Path::new("/dev/null"), "x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn replace_file_never_follows_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.path().join("acme.snapshot.json");
        symlink(&victim, &planted).unwrap();
        replace_file(&planted, |w| w.write_all(b"snapshot")).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&planted).unwrap().is_file());
        assert_eq!(fs::read_to_string(&planted).unwrap(), "snapshot");
    }

    #[test]
    fn a_missing_directory_is_found_before_writing_and_named_without_the_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir/out.json");
        let e = check(&path).unwrap_err().to_string();
        // The user's path and the OS's reason, nothing about a temporary file.
        let want = format!(
            "cannot write {}: No such file or directory (os error 2)",
            path.display()
        );
        assert_eq!(e, want);
        let e = write_text(&path, "x").unwrap_err().to_string();
        assert_eq!(e, want);
        assert!(check(&dir.path().join("fine.json")).is_ok());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(check(dir.path()).is_err(), "a directory is not a file");
    }
}
