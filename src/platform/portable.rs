//! Every other target (Windows): only what std, signal-hook and crossterm offer everywhere.

use super::TerminalReadiness;
use signal_hook::consts::{SIGINT, SIGTERM};
use std::fs::{FileType, Permissions};
use std::io;
use std::path::Path;
use std::time::Duration;

/// Signals that end a run: the two the C runtime delivers everywhere.
pub const TERMINATION_SIGNALS: &[i32] = &[SIGINT, SIGTERM];

/// Signals the review screen catches so that it can give the terminal back first.
pub const REVIEW_SIGNALS: &[i32] = &[SIGTERM, SIGINT];

/// No mode bits to give: a temporary file gets the system's default permissions.
pub fn new_file_permissions() -> Option<Permissions> {
    None
}

/// There are no mode bits here.
pub fn permissions_with_mode(_mode: u32) -> Option<Permissions> {
    None
}

/// There are no mode bits here.
pub fn mode(_permissions: &Permissions) -> Option<u32> {
    None
}

/// Devices are not files in the file system here.
pub fn is_device(_kind: &FileType) -> bool {
    false
}

pub fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> io::Result<()> {
    let (target, link) = (target.as_ref(), link.as_ref());
    #[cfg(windows)]
    {
        if target.is_dir() {
            std::os::windows::fs::symlink_dir(target, link)
        } else {
            std::os::windows::fs::symlink_file(target, link)
        }
    }
    #[cfg(not(windows))]
    {
        let _ = (target, link);
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "symbolic links are not supported on this system",
        ))
    }
}

/// Signals cannot be waited for on a thread here: the default action (ending the run) stays,
/// and a temporary file in flight may be left behind under its hidden `.mtaudit-*.tmp` name.
pub fn on_signals(_signals: &[i32], _action: impl FnMut(i32) + Send + 'static) -> io::Result<()> {
    Ok(())
}

/// Ends the process with status 128 + the signal, as on Unix.
pub fn exit_by_signal(signal: i32) -> ! {
    std::process::exit(128 + signal)
}

/// Waits up to `timeout` for a key, through crossterm.
pub fn wait_for_terminal(timeout: Duration) -> io::Result<TerminalReadiness> {
    Ok(if ratatui::crossterm::event::poll(timeout)? {
        TerminalReadiness::Ready
    } else {
        TerminalReadiness::Idle
    })
}

/// File ownership by user id is a unix notion: unknown here.
pub fn owner(_metadata: &std::fs::Metadata) -> Option<u32> {
    None
}

/// File ownership by user id is a unix notion: unknown here.
pub fn current_user() -> Option<u32> {
    None
}
