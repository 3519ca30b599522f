//! The terminal, taken over for the review and always given back: a guard leaves the
//! alternate screen and raw mode when dropped (on any return, error or unwinding panic), and
//! a panic hook does the same before the panic message is printed, so it is readable.
//! Termination signals are caught while the terminal is taken over, so that the review ends
//! itself, through the guard, rather than being killed with the terminal still raw (a save
//! in progress finishes first).

use crate::platform::{self, CaughtSignals, TerminalReadiness};
use crate::write::{defer_signals, SignalsDeferred};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::Duration;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

pub struct TerminalGuard {
    pub terminal: Term,
    /// Termination signals caught while the terminal is taken over: TERM, HUP, INT (from
    /// another process: the Ctrl-C key is read as a key) and QUIT would end the process with
    /// the terminal still raw; they are caught, and the review ends itself.
    signals: CaughtSignals,
    /// Keeps the run's own handler (`crate::write::clean_up_on_signals`) from ending the
    /// process with the terminal still raw.
    _deferred: SignalsDeferred,
}

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
        Ok(TerminalGuard {
            terminal,
            signals: CaughtSignals::catch(platform::REVIEW_SIGNALS),
            _deferred: deferred,
        })
    }

    /// Waits up to `timeout` for a key on the terminal.
    pub fn wait_for_input(&self, timeout: Duration) -> io::Result<TerminalReadiness> {
        platform::wait_for_terminal(timeout)
    }

    /// The termination signal caught, if any.
    pub fn signal(&self) -> Option<usize> {
        self.signals.caught()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
