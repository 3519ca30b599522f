#![cfg(unix)]
//! Races against `write_atomic` run by another user who owns the folder: swapping the file for
//! a symlink to a file they cannot write while it is being replaced, and reading the temporary
//! file while it is written. Both succeeded against the write of 56f9405 (which resolved the
//! path again just before the rename, and created the temporary file 0666 less the umask).

use mtaudit::write::write_atomic;
use std::fs::{self, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

const ATTEMPTS: usize = 3000;

#[test]
fn a_symlink_swapped_in_during_the_write_never_redirects_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.txt");
    let victim = dir.path().join("root-only");
    fs::write(&victim, "secret").unwrap();
    fs::set_permissions(&victim, Permissions::from_mode(0o600)).unwrap();
    fs::write(&path, "old").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (dir, path, victim, stop) = (
            dir.path().to_owned(),
            path.clone(),
            victim.clone(),
            stop.clone(),
        );
        thread::spawn(move || {
            let (link, plain) = (dir.join("link"), dir.join("plain"));
            while !stop.load(Ordering::Relaxed) {
                let _ = std::os::unix::fs::symlink(&victim, &link);
                let _ = fs::rename(&link, &path);
                let _ = fs::write(&plain, "old");
                let _ = fs::rename(&plain, &path);
            }
        })
    };
    let mut redirected = None;
    for attempt in 0..ATTEMPTS {
        let _ = write_atomic(&path, b"new", Some(b"old"));
        if fs::read(&victim).unwrap() != b"secret" {
            redirected = Some(attempt);
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    attacker.join().unwrap();
    assert_eq!(redirected, None, "the symlink's target was overwritten");
    let mode = fs::metadata(&victim).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn no_one_else_can_read_the_temporary_file_of_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.txt");
    let contents = vec![b'x'; 1 << 20];
    fs::write(&path, &contents).unwrap();
    fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (dir, stop) = (dir.path().to_owned(), stop.clone());
        thread::spawn(move || {
            let mut exposed = 0;
            while !stop.load(Ordering::Relaxed) {
                for entry in fs::read_dir(&dir).unwrap().flatten() {
                    let is_temp = entry.file_name().to_string_lossy().starts_with(".mtaudit-");
                    let mode = entry.metadata().map(|m| m.permissions().mode() & 0o077);
                    if is_temp && mode.is_ok_and(|m| m != 0) {
                        exposed += 1;
                    }
                }
            }
            exposed
        })
    };
    for _ in 0..200 {
        write_atomic(&path, &contents, Some(&contents)).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    assert_eq!(
        watcher.join().unwrap(),
        0,
        "a temporary file was readable by others"
    );
}
