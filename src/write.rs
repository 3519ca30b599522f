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
