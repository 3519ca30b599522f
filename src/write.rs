//! Safe writes of a user's file: never lost, never half-written, never over someone else's edit.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: changed on disk since it was read; not overwritten")]
    Changed { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Replaces `path` with `contents` atomically: a temporary file in the same folder, with the
/// original's permissions, synced, then renamed over it. When `expected` is given, the file
/// must still hold exactly those bytes (what was read and audited), else nothing is written.
pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
) -> Result<(), WriteError> {
    if let Some(expected) = expected {
        let current = fs::read(path).map_err(io_error(path))?;
        if current != expected {
            return Err(WriteError::Changed {
                path: path.to_owned(),
            });
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = fs::metadata(path).ok().map(|m| m.permissions());
    let mut temp = tempfile::Builder::new()
        .prefix(".mtaudit-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_error(path))?;
    temp.write_all(contents).map_err(io_error(path))?;
    if let Some(permissions) = permissions {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(io_error(path))?;
    }
    temp.as_file().sync_all().map_err(io_error(path))?;
    // A symlink is followed so that the link stays a link and its target is updated.
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    temp.persist(&target).map_err(|e| io_error(path)(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new", Some(b"old")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn refuses_when_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "edited by someone").unwrap();
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone");
    }
}
