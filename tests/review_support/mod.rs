//! What the review tests share: a fixture article, the binary, and a terminal in tmux.

#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Five findings, in review order: forced downsizing (glossary), aboard the board
/// (repeated-stem), Jensens (possessive), profound learning and counterfeit consciousness
/// (glossary).
pub const ARTICLE: &str = "The council met on Monday to discuss the harbour plan.

Officials said the forced downsizing of the commercial flight had surprised everyone aboard the board. Jensens comments came after Jensen visited the airport.

The mayor praised the profound learning project and the counterfeit consciousness lab, which opened last year.
";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mtaudit")
}

/// A temporary folder holding `article.txt` with `text`, and an empty `mtaudit.toml` so that
/// no config file further up changes the findings.
pub fn article(text: &str) -> (tempfile::TempDir, PathBuf) {
    document("article.txt", text)
}

/// Like `article`, with another file name.
pub fn document(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mtaudit.toml"), "").unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

pub fn sidecar(doc: &Path) -> PathBuf {
    doc.with_file_name(format!(
        ".{}.mtaudit-review.json",
        doc.file_name().unwrap().to_string_lossy()
    ))
}

pub fn mtaudit(dir: &Path) -> Command {
    let mut command = Command::new(bin());
    command
        .current_dir(dir)
        .env_remove("MTAUDIT_CONFIG")
        .env("NO_COLOR", "1");
    command
}

/// `mtaudit review --script - DOC` with `script` on standard input.
pub fn review_script(doc: &Path, script: &str) -> Output {
    use std::io::Write;
    let mut child = mtaudit(doc.parent().unwrap())
        .args(["review", "--script", "-"])
        .arg(doc)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The review running in a detached tmux session of a given size, read with capture-pane.
pub struct Tmux {
    socket: String,
}

/// Whether tmux is installed; prints why a test is skipped when it is not.
pub fn tmux_available(test: &str) -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping {test}: tmux is not installed (apt-get install -y tmux)");
    }
    ok
}

impl Tmux {
    /// Starts `mtaudit ARGS` in `dir` on a `width`×`height` terminal. When it exits, the
    /// pane prints `[exited N]`, whether the terminal is back in canonical (cooked) mode
    /// (`icanon`, or `-icanon` when raw mode was left on), then `[end]`.
    pub fn start(name: &str, dir: &Path, args: &str, width: u16, height: u16) -> Tmux {
        Tmux::start_with_env(name, dir, "", args, width, height)
    }

    /// `start`, with `VAR=value` settings for the binary's environment.
    pub fn start_with_env(
        name: &str,
        dir: &Path,
        env: &str,
        args: &str,
        width: u16,
        height: u16,
    ) -> Tmux {
        let socket = format!("mtaudit-test-{}-{name}", std::process::id());
        let script = format!(
            "cd '{}' && env -u MTAUDIT_CONFIG NO_COLOR=1 {env} '{}' {args}; echo \"[exited $?]\"; \
             stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo '[end]'; sleep 600",
            dir.display(),
            bin()
        );
        let tmux = Tmux { socket };
        let status = tmux
            .command()
            .args(["new-session", "-d", "-s", "t"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh", "-c", &script])
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    /// Sends tmux key names or literal text (each argument as tmux reads it).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .command()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        let status = self
            .command()
            .args(["send-keys", "-t", "t", "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The screen as plain text (with `escapes`, the attributes as escape sequences).
    pub fn screen_with(&self, escapes: bool) -> String {
        let mut c = self.command();
        c.args(["capture-pane", "-p", "-t", "t"]);
        if escapes {
            c.arg("-e");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.screen_with(false)
    }

    /// Waits until the screen shows `text` and has stopped changing (a redraw may be caught
    /// half done), and returns it; panics with the screen after 15 s.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            let screen = self.screen();
            if screen.contains(text) && screen == last {
                return screen;
            }
            last = screen.clone();
            if start.elapsed() > Duration::from_secs(15) {
                panic!("screen never showed {text:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id of the program running in the pane.
    pub fn program_pid(&self) -> String {
        let out = self
            .command()
            .args(["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .output()
            .unwrap();
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let children = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8_lossy(&children.stdout).trim().to_owned();
        assert!(
            !pid.is_empty(),
            "no program running under the pane's shell {shell}"
        );
        pid
    }

    /// Sends `signal` (as `kill` names it) to the program running in the pane.
    pub fn signal(&self, signal: &str) {
        let pid = self.program_pid();
        let status = Command::new("kill")
            .args(["-s", signal, &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Closes the terminal under the program: the tmux server goes, its terminals hang up.
    pub fn close(&self) {
        let _ = self.command().arg("kill-server").status();
    }

    /// Sends one key, then waits until the screen shows `then`.
    pub fn key_then(&self, key: &str, then: &str) -> String {
        self.keys(&[key]);
        self.wait_for(then)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.close();
    }
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
pub fn ended_process(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
    })
}
