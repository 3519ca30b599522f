//! The terminal, taken over for the review and always given back: a guard leaves the
//! alternate screen and raw mode when dropped (on any return, error or unwinding panic), and
//! a panic hook does the same before the panic message is printed, so it is readable.
//! Termination signals are caught while the terminal is taken over, so that the review ends
//! itself, through the guard, rather than being killed with the terminal still raw (a save
//! in progress finishes first).

use crate::write::{defer_signals, SignalsDeferred};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::{flag, low_level, SigId};
use std::io::{self, Stdout};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Once;
use std::time::Duration;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// What waiting for a key found.
pub enum Input {
    /// A key (or more) to read.
    Ready,
    /// Nothing yet.
    None,
    /// The terminal is gone: hung up, or closed.
    Closed,
}

pub struct TerminalGuard {
    pub terminal: Term,
    /// The number of a termination signal caught while the terminal is taken over (0: none).
    caught: Arc<AtomicUsize>,
    handlers: Vec<SigId>,
    /// Keeps the run's own handler (`crate::write::clean_up_on_signals`) from ending the
    /// process with the terminal still raw.
    _deferred: SignalsDeferred,
}

/// TERM, HUP, INT (from another process: the Ctrl-C key is read as a key) and QUIT would end
/// the process with the terminal still raw; they are caught, and the review ends itself.
const SIGNALS: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// Whether the terminal is taken over (raw mode, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back in the state the shell expects. Only the first call after `enter`
/// acts: leaving the alternate screen twice would move the cursor back over what was printed
/// in between (a panic message).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        ACTIVE.store(true, Ordering::SeqCst);
        terminal::enable_raw_mode().inspect_err(|_| ACTIVE.store(false, Ordering::SeqCst))?;
        let guard = |e| {
            restore();
            e
        };
        execute!(io::stdout(), terminal::EnterAlternateScreen).map_err(guard)?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout())).map_err(guard)?;
        let deferred = defer_signals();
        let caught = Arc::new(AtomicUsize::new(0));
        let handlers = SIGNALS
            .iter()
            .filter_map(|&sig| flag::register_usize(sig, caught.clone(), sig as usize).ok())
            .collect();
        Ok(TerminalGuard {
            terminal,
            caught,
            handlers,
            _deferred: deferred,
        })
    }

    /// Waits up to `timeout` for a key on the terminal (standard input, as crossterm reads
    /// it). crossterm's own poll spins forever on a terminal that was hung up (its read loop
    /// takes end-of-file for more to come), so the terminal is asked here first, and only
    /// input that is there is left to crossterm.
    pub fn wait_for_input(&self, timeout: Duration) -> io::Result<Input> {
        let mut terminal = libc::pollfd {
            fd: io::stdin().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd, and its count.
        match unsafe { libc::poll(&mut terminal, 1, millis) } {
            0 => Ok(Input::None),
            n if n < 0 => {
                let error = io::Error::last_os_error();
                match error.kind() {
                    io::ErrorKind::Interrupted => Ok(Input::None),
                    _ => Err(error),
                }
            }
            _ if terminal.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 => {
                Ok(Input::Closed)
            }
            _ => Ok(Input::Ready),
        }
    }

    /// The termination signal caught, if any.
    pub fn signal(&self) -> Option<usize> {
        Some(self.caught.load(Ordering::SeqCst)).filter(|&s| s != 0)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        for id in self.handlers.drain(..) {
            low_level::unregister(id);
        }
    }
}
