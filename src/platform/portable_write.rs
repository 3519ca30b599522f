//! Safe writes of a user's file: never lost, never half-written, never over someone else's edit.
//!
//! Every write goes to a temporary file beside the target, named `.mtaudit-XXXXXX.tmp`
//! (hidden, and not an extension that directory walks pick up), and is then renamed over
//! the target. Temporary files in flight are registered so that [`clean_up_on_signals`] can
//! remove them when the run is interrupted; after a `kill -9`, which cannot be caught, one
//! may stay behind under that name, while the target is untouched.

use crate::platform;
use crate::write::{
    in_flight, io_error, refuse_a_symlink_unless_followed, WriteError, WritePolicy,
};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A temporary file's place in `IN_FLIGHT`, given up when it is dropped.
struct Registration(PathBuf);

impl Drop for Registration {
    fn drop(&mut self) {
        in_flight().retain(|p| *p != self.0);
    }
}

/// Replaces `path` with `contents` atomically: a temporary file in the same folder, with the
/// original's permissions (a new file gets what any new file gets: 0666 less the umask),
/// synced, then renamed over it. When `expected` is given, the file must still hold exactly
/// those bytes (what was read and audited; a missing file holds none), else nothing is written.
/// [`write_atomic`], refusing a symlink or a read-only file unless `policy` allows it.
pub fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
    policy: WritePolicy,
) -> Result<(), WriteError> {
    refuse_a_symlink_unless_followed(path, policy)?;
    if !policy.force && fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(WriteError::Refused {
            path: path.to_owned(),
            reason: "a read-only file",
        });
    }
    write_atomic(path, contents, expected)
}

pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
) -> Result<(), WriteError> {
    if let Some(expected) = expected {
        let current = match fs::read(path) {
            Ok(current) => current,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_error(path)(e)),
        };
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
    let existing = fs::metadata(path).ok().map(|m| m.permissions());
    // Bindings drop in reverse order: the temporary file is removed (on an error) before it
    // leaves the register.
    let (_registration, mut temp) = {
        // Registered under the lock, so that a signal never finds it created but unlisted.
        let mut in_flight = in_flight();
        let mut builder = tempfile::Builder::new();
        builder.prefix(".mtaudit-").suffix(".tmp");
        if let Some(permissions) = platform::new_file_permissions() {
            builder.permissions(permissions);
        }
        let temp = builder.tempfile_in(dir).map_err(io_error(path))?;
        in_flight.push(temp.path().to_owned());
        (Registration(temp.path().to_owned()), temp)
    };
    temp.write_all(contents).map_err(io_error(path))?;
    if let Some(permissions) = existing {
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
