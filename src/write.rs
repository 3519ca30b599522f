//! Safe writes of a user's file: never lost, never half-written, never over someone else's
//! edit. The replacing itself is the platform's (`src/platform/unix_write.rs` resolves the path
//! once and works relative to a folder handle; `portable_write.rs` is the std-only path for
//! other systems); what they share is here: the errors, the policy, the register of temporary
//! files in flight and the clean-up when a termination signal ends the run.

use crate::platform;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

#[cfg(not(unix))]
pub use crate::platform::portable_write::{write_atomic, write_atomic_with};
#[cfg(unix)]
pub use crate::platform::unix_write::{write_atomic, write_atomic_with};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: changed on disk since it was read; not overwritten")]
    Changed { path: PathBuf },
    #[error("{path}: {reason}; not overwritten (--force overrides)")]
    Refused { path: PathBuf, reason: &'static str },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Temporary files being written, to be removed if a signal ends the run.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub(crate) fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a write may do beyond replacing an ordinary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WritePolicy {
    /// Overwrite a read-only file, and break a hard link (the other names keep the old text).
    pub force: bool,
    /// Follow a symlink at the path to its target; when false, a symlink is refused.
    pub follow_symlink: bool,
}

impl Default for WritePolicy {
    fn default() -> WritePolicy {
        WritePolicy {
            force: false,
            follow_symlink: true,
        }
    }
}

/// The refusal of a symlink at `path` when the policy does not follow one.
pub(crate) fn refuse_a_symlink_unless_followed(
    path: &Path,
    policy: WritePolicy,
) -> Result<(), WriteError> {
    if !policy.follow_symlink && fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        return Err(WriteError::Refused {
            path: path.to_owned(),
            reason: "a symlink",
        });
    }
    Ok(())
}

/// While above zero, termination signals are left to someone else (the review screen, which
/// ends itself once a save in progress is done and gives the terminal back).
static DEFERRED: AtomicUsize = AtomicUsize::new(0);

/// Set as a termination signal arrives while signals are deferred: that signal is the
/// deferrer's to act on, so the deferral outlives its guard. The clean-up thread looks at
/// `DEFERRED` only once it is scheduled, which can be after the guard is gone, and must not
/// end the run before the deferrer does.
static TAKEN_BY_DEFERRER: AtomicBool = AtomicBool::new(false);

/// Makes SIGINT, SIGTERM and SIGHUP end the run as their default action would (exit status
/// 128 + the signal), after removing the temporary files of writes in flight, so that an
/// interrupted run leaves every file old or new and nothing beside it.
pub fn clean_up_on_signals() -> io::Result<()> {
    for &signal in platform::TERMINATION_SIGNALS {
        // SAFETY: the action only reads and writes atomics, which is async-signal-safe.
        unsafe {
            signal_hook::low_level::register(signal, || {
                if DEFERRED.load(Ordering::SeqCst) > 0 {
                    TAKEN_BY_DEFERRER.store(true, Ordering::SeqCst);
                }
            })?;
        }
    }
    platform::on_signals(platform::TERMINATION_SIGNALS, |signal| {
        if DEFERRED.load(Ordering::SeqCst) > 0 {
            return;
        }
        // Held until the end: no temporary file is created after this.
        let in_flight = in_flight();
        for temp in in_flight.iter() {
            let _ = fs::remove_file(temp);
        }
        eprintln!("mtaudit: stopped by signal {signal}");
        platform::exit_by_signal(signal);
    })
}

/// Leaves termination signals to the caller for as long as the result is kept.
pub fn defer_signals() -> SignalsDeferred {
    DEFERRED.fetch_add(1, Ordering::SeqCst);
    SignalsDeferred(())
}

pub struct SignalsDeferred(());

impl Drop for SignalsDeferred {
    fn drop(&mut self) {
        if !TAKEN_BY_DEFERRER.load(Ordering::SeqCst) {
            DEFERRED.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The contract every platform's `write_atomic` keeps, run against the one compiled here;
/// what only one platform does (ownership, extended attributes, hard links, races) is
/// tested beside its code.
#[cfg(test)]
mod tests {
    use super::*;

    /// The file's mode bits, where the platform has them.
    fn mode(path: &Path) -> Option<u32> {
        platform::mode(&fs::metadata(path).unwrap().permissions()).map(|m| m & 0o777)
    }

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        for kept in [0o640, 0o666, 0o604, 0o600] {
            if let Some(permissions) = platform::permissions_with_mode(kept) {
                fs::set_permissions(&path, permissions).unwrap();
            }
            let before = mode(&path);
            let old = fs::read(&path).unwrap();
            write_atomic(&path, b"new", Some(&old)).unwrap();
            assert_eq!(fs::read_to_string(&path).unwrap(), "new");
            assert_eq!(mode(&path), before);
            fs::write(&path, "old").unwrap();
        }
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_read_only_file_is_replaced_only_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let force = WritePolicy {
            force: true,
            follow_symlink: true,
        };
        write_atomic_with(&path, b"new", Some(b"old"), force).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(fs::metadata(&path).unwrap().permissions().readonly());
    }

    #[test]
    fn a_new_file_gets_the_permissions_of_any_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary.txt");
        fs::write(&ordinary, "").unwrap();
        let path = dir.path().join("new.txt");
        write_atomic(&path, b"new", Some(b"")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), mode(&ordinary));
    }

    #[test]
    fn a_symlink_stays_a_link_to_the_new_content() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        let link = dir.path().join("link.txt");
        fs::write(&target, "old").unwrap();
        platform::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new", Some(b"old")).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_symlink_is_refused_when_it_must_not_be_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        let link = dir.path().join("link.txt");
        fs::write(&target, "secret").unwrap();
        platform::symlink(&target, &link).unwrap();
        let policy = WritePolicy {
            force: true,
            follow_symlink: false,
        };
        assert!(write_atomic_with(&link, b"new", None, policy).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "secret");
    }

    #[test]
    fn refuses_when_the_file_changed_or_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "edited by someone").unwrap();
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }));
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone");
        fs::remove_file(&path).unwrap();
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }));
        assert!(!path.exists());
    }
}
