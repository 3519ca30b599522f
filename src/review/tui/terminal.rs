//! The terminal, taken over for the review and always given back: a guard leaves the
//! alternate screen and raw mode when dropped (on any return, error or unwinding panic), and
//! a panic hook does the same before the panic message is printed, so it is readable.

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

pub struct TerminalGuard {
    pub terminal: Term,
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
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
