//! Unix (Linux, macOS, the BSDs).

use super::TerminalReadiness;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use std::fs::{FileType, Permissions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::Duration;

/// Signals that end a run (interrupt, terminate, hang-up).
pub const TERMINATION_SIGNALS: &[i32] = &[SIGINT, SIGTERM, SIGHUP];

/// Signals the review screen catches so that it can give the terminal back first; the
/// Ctrl-C key is read as a key, so SIGINT only comes from another process.
pub const REVIEW_SIGNALS: &[i32] = &[SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// The permissions of a new file before the umask (0666), for a temporary file that stands
/// in for a file not yet there.
pub fn new_file_permissions() -> Option<Permissions> {
    permissions_with_mode(0o666)
}

/// Permissions with these mode bits.
pub fn permissions_with_mode(mode: u32) -> Option<Permissions> {
    Some(Permissions::from_mode(mode))
}

/// The permission bits (`0o640`) of `permissions`.
pub fn mode(permissions: &Permissions) -> Option<u32> {
    Some(permissions.mode() & 0o7777)
}

/// A character or block device (`/dev/zero`), which would be read forever.
pub fn is_device(kind: &FileType) -> bool {
    kind.is_char_device() || kind.is_block_device()
}

pub fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    let (target, link) = (target.as_ref(), link.as_ref());
    std::os::unix::fs::symlink(target, link)
}

/// Runs `action` on its own thread for each of `signals` that arrives.
pub fn on_signals(signals: &[i32], mut action: impl FnMut(i32) + Send + 'static) -> io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(signals)?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            action(signal);
        }
    });
    Ok(())
}

/// Ends the process as the signal's default action would, with status 128 + the signal.
pub fn exit_by_signal(signal: i32) -> ! {
    signal_hook::low_level::exit(128 + signal)
}

/// Waits up to `timeout` for input on standard input (the terminal, as crossterm reads it).
/// crossterm's own poll spins forever on a terminal that was hung up (its read loop takes
/// end-of-file for more to come), so the terminal is asked here first, and only input that
/// is there is left to crossterm.
pub fn wait_for_terminal(timeout: Duration) -> io::Result<TerminalReadiness> {
    let mut terminal = libc::pollfd {
        fd: io::stdin().as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd, and its count.
    match unsafe { libc::poll(&mut terminal, 1, millis) } {
        0 => Ok(TerminalReadiness::Idle),
        n if n < 0 => {
            let error = io::Error::last_os_error();
            match error.kind() {
                io::ErrorKind::Interrupted => Ok(TerminalReadiness::Idle),
                _ => Err(error),
            }
        }
        _ if terminal.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 => {
            Ok(TerminalReadiness::Closed)
        }
        _ => Ok(TerminalReadiness::Ready),
    }
}

/// The user id that owns a file.
pub fn owner(metadata: &std::fs::Metadata) -> Option<u32> {
    Some(metadata.uid())
}

/// The user id this process acts as.
pub fn current_user() -> Option<u32> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    Some(unsafe { libc::geteuid() })
}
