//! Safe writes of a user's file: never lost, never half-written, never over someone else's edit.
//!
//! Every write goes to a temporary file beside the real target (the file a symlink points to),
//! named `.mtaudit-XXXXXX.tmp` (hidden, and not an extension that directory walks pick up), and
//! is then renamed over the target. The path is resolved once: the folder is opened once and
//! every later step (reading what is there, creating the temporary file, the rename) is relative
//! to that handle, so a symlink planted while the file is written is replaced, never followed.
//! Temporary files in flight are registered so that [`clean_up_on_signals`] can remove them
//! when the run is interrupted; after a `kill -9`, which cannot be caught, one may stay behind
//! under that name (readable by its owner only), while the target is untouched.

use std::ffi::{CStr, CString, OsStr};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::write::{
    in_flight, io_error, refuse_a_symlink_unless_followed, WriteError, WritePolicy,
};

/// A temporary file in the target's folder: registered while it exists, removed when dropped
/// unless it was renamed into place.
struct Temp<'d> {
    dir: &'d File,
    name: CString,
    path: PathBuf,
    file: File,
    persisted: bool,
}

impl Drop for Temp<'_> {
    fn drop(&mut self) {
        if !self.persisted {
            // SAFETY: a valid directory descriptor and a NUL-terminated name.
            unsafe { libc::unlinkat(self.dir.as_raw_fd(), self.name.as_ptr(), 0) };
        }
        in_flight().retain(|p| *p != self.path);
    }
}

fn cvt(result: libc::c_int) -> io::Result<libc::c_int> {
    if result < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

fn c_name(name: &OsStr) -> io::Result<CString> {
    CString::new(name.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

/// `name` in `dir`, not following a symlink; `None` when there is nothing by that name.
fn stat_at(dir: &File, name: &CStr) -> io::Result<Option<libc::stat>> {
    // SAFETY: an all-zero `stat` is a valid value to be overwritten.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid descriptor, NUL-terminated name, and a `stat` to fill.
    let result = unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            &mut stat,
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    match cvt(result) {
        Ok(_) => Ok(Some(stat)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn open_at(dir: &File, name: &CStr, flags: libc::c_int, mode: libc::mode_t) -> io::Result<File> {
    let flags = flags | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    // SAFETY: valid descriptor and NUL-terminated name; the returned descriptor is ours.
    let fd =
        cvt(unsafe { libc::openat(dir.as_raw_fd(), name.as_ptr(), flags, mode as libc::c_uint) })?;
    // SAFETY: `fd` was just opened and is owned by nothing else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

fn same_file(a: &libc::stat, b: &libc::stat) -> bool {
    (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
}

/// The folder that holds the file `path` names (following a symlink at `path` when `follow`),
/// and the file's name in it. Resolved once: everything after is relative to the folder handle.
fn resolve(path: &Path, follow: bool) -> io::Result<(PathBuf, std::ffi::OsString)> {
    let real = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() && follow => fs::canonicalize(path)?,
        _ => path.to_owned(),
    };
    let name = real
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_owned();
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

fn open_dir(dir: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(dir)
}

/// Replaces `path` with `contents` atomically, following a symlink and refusing a read-only
/// file or a hard link: see [`write_atomic_with`].
pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
) -> Result<(), WriteError> {
    write_atomic_with(path, contents, expected, WritePolicy::default())
}

/// Replaces `path` with `contents` atomically: a temporary file beside the real target, created
/// readable by its owner only, given the original's owner, group, extended attributes and
/// permissions where this user may (a new file gets what any new file gets: 0666 less the
/// umask), synced, then renamed over it. When `expected` is given, the file must still hold
/// exactly those bytes (what was read and audited; a missing file holds none), else nothing is
/// written. The file renamed over must be the one that was read (same device and inode).
pub fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
    policy: WritePolicy,
) -> Result<(), WriteError> {
    let err = io_error(path);
    refuse_a_symlink_unless_followed(path, policy)?;
    let (dir_path, name) = resolve(path, policy.follow_symlink).map_err(io_error(path))?;
    let dir = open_dir(&dir_path).map_err(io_error(path))?;
    let c_name = c_name(&name).map_err(io_error(path))?;
    let original = open_at(&dir, &c_name, libc::O_RDONLY | libc::O_NONBLOCK, 0);
    let original = match original {
        Ok(file) => Some(file),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        // A symlink planted since the path was resolved.
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(WriteError::Changed {
                path: path.to_owned(),
            })
        }
        Err(e) => return Err(err(e)),
    };
    let identity = match &original {
        Some(file) => Some(fstat(file).map_err(io_error(path))?),
        None => None,
    };
    if let Some(stat) = &identity {
        check_replaceable(path, stat, policy)?;
    }
    if let Some(expected) = expected {
        let mut current = Vec::new();
        if let Some(mut file) = original.as_ref() {
            file.read_to_end(&mut current).map_err(io_error(path))?;
        }
        if current != expected {
            return Err(WriteError::Changed {
                path: path.to_owned(),
            });
        }
    }
    // A new file gets what any new file gets (0666 less the umask); a replacement is readable
    // by its owner only until it has the original's permissions.
    let mode = if identity.is_some() { 0o600 } else { 0o666 };
    let mut temp = Temp::create(&dir, &dir_path, mode).map_err(io_error(path))?;
    temp.file.write_all(contents).map_err(io_error(path))?;
    #[cfg(test)]
    tests::after_writing(&temp.path);
    if let (Some(file), Some(stat)) = (&original, &identity) {
        keep_attributes(file, stat, &temp.file).map_err(io_error(path))?;
    }
    temp.file.sync_all().map_err(io_error(path))?;
    // What is there now must be what was there (or still nothing): a file swapped for
    // another, or a symlink, since it was read is not replaced.
    let now = stat_at(&dir, &c_name).map_err(io_error(path))?;
    let unchanged = match (&identity, &now) {
        (Some(then), Some(now)) => same_file(then, now),
        (None, None) => true,
        _ => false,
    };
    if !unchanged {
        return Err(WriteError::Changed {
            path: path.to_owned(),
        });
    }
    temp.rename_to(&c_name).map_err(io_error(path))?;
    // The rename is durable once the folder is synced.
    let _ = dir.sync_all();
    Ok(())
}

fn fstat(file: &File) -> io::Result<libc::stat> {
    // SAFETY: an all-zero `stat` is a valid value to be overwritten.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid descriptor and a `stat` to fill.
    cvt(unsafe { libc::fstat(file.as_raw_fd(), &mut stat) })?;
    Ok(stat)
}

/// Refuses what an editor would not overwrite silently: a read-only file, a file with other
/// names (replacing one name would leave the others with the old text), anything not a file.
fn check_replaceable(
    path: &Path,
    stat: &libc::stat,
    policy: WritePolicy,
) -> Result<(), WriteError> {
    let refuse = |reason| {
        Err(WriteError::Refused {
            path: path.to_owned(),
            reason,
        })
    };
    if stat.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(WriteError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"),
        });
    }
    if policy.force {
        return Ok(());
    }
    if stat.st_mode & 0o222 == 0 {
        return refuse("read-only");
    }
    if stat.st_nlink > 1 {
        return refuse("has other hard links, which would keep the old text");
    }
    Ok(())
}

impl<'d> Temp<'d> {
    /// A new file `.mtaudit-XXXXXX.tmp` in `dir`, created with `mode` (less the umask),
    /// registered so that a signal removes it.
    fn create(dir: &'d File, dir_path: &Path, mode: libc::mode_t) -> io::Result<Temp<'d>> {
        use std::hash::{BuildHasher, RandomState};
        let random = RandomState::new();
        for attempt in 0u32.. {
            let suffix = random.hash_one((std::process::id(), attempt)) % 36u64.pow(6);
            let name = format!(".mtaudit-{}.tmp", base36(suffix));
            let c_name = c_name(OsStr::new(&name))?;
            let path = dir_path.join(&name);
            // Registered under the lock, so that a signal never finds it created but unlisted.
            let mut registered = in_flight();
            let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL;
            match open_at(dir, &c_name, flags, mode) {
                Ok(file) => {
                    registered.push(path.clone());
                    return Ok(Temp {
                        dir,
                        name: c_name,
                        path,
                        file,
                        persisted: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => continue,
                Err(e) => return Err(e),
            }
        }
        unreachable!("the loop returns")
    }

    fn rename_to(&mut self, name: &CStr) -> io::Result<()> {
        let dir = self.dir.as_raw_fd();
        // SAFETY: valid descriptor and NUL-terminated names.
        cvt(unsafe { libc::renameat(dir, self.name.as_ptr(), dir, name.as_ptr()) })?;
        self.persisted = true;
        Ok(())
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Gives `temp` the original's extended attributes, owner, group and permissions, each as far
/// as this user may (an owner or group this user cannot give is left as it is; a file system
/// without extended attributes has none to copy). The owner goes first: changing it clears
/// the set-user-ID bits that the permissions then restore.
fn keep_attributes(original: &File, stat: &libc::stat, temp: &File) -> io::Result<()> {
    copy_xattrs(original.as_raw_fd(), temp.as_raw_fd());
    let fd = temp.as_raw_fd();
    // SAFETY: valid descriptor.
    if unsafe { libc::fchown(fd, stat.st_uid, stat.st_gid) } < 0 {
        // SAFETY: valid descriptor; keep at least the group when it is one of ours.
        unsafe { libc::fchown(fd, u32::MAX, stat.st_gid) };
    }
    // SAFETY: valid descriptor.
    cvt(unsafe { libc::fchmod(fd, stat.st_mode & 0o7777) })?;
    Ok(())
}

fn copy_xattrs(from: RawFd, to: RawFd) {
    let mut names = vec![0u8; 4096];
    loop {
        // SAFETY: the buffer is valid for its length.
        let len = unsafe { libc::flistxattr(from, names.as_mut_ptr().cast(), names.len()) };
        if len >= 0 {
            names.truncate(len as usize);
            break;
        }
        if io::Error::last_os_error().raw_os_error() != Some(libc::ERANGE) || names.len() > 1 << 20
        {
            return;
        }
        names.resize(names.len() * 4, 0);
    }
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let Ok(name) = CString::new(name) else {
            continue;
        };
        let mut value = vec![0u8; 65536];
        // SAFETY: NUL-terminated name and a buffer valid for its length.
        let len =
            unsafe { libc::fgetxattr(from, name.as_ptr(), value.as_mut_ptr().cast(), value.len()) };
        if len < 0 {
            continue;
        }
        // SAFETY: as above; a value this user may not set is left out.
        unsafe { libc::fsetxattr(to, name.as_ptr(), value.as_ptr().cast(), len as usize, 0) };
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::fs::Permissions;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    type Hook = Box<dyn FnOnce(&Path)>;

    thread_local! {
        /// Run once the temporary file holds the new content, before anything else is done.
        static AFTER_WRITING: RefCell<Option<Hook>> = RefCell::new(None);
    }

    pub(super) fn after_writing(temp: &Path) {
        if let Some(hook) = AFTER_WRITING.with(|h| h.borrow_mut().take()) {
            hook(temp);
        }
    }

    fn when_written(hook: impl FnOnce(&Path) + 'static) {
        AFTER_WRITING.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    const FORCE: WritePolicy = WritePolicy {
        force: true,
        follow_symlink: true,
    };

    #[test]
    fn a_hard_link_is_broken_only_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let other = dir.path().join("b.txt");
        fs::write(&path, "old").unwrap();
        fs::hard_link(&path, &other).unwrap();
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(err.to_string().contains("hard links"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        write_atomic_with(&path, b"new", Some(b"old"), FORCE).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_to_string(&other).unwrap(), "old");
    }

    #[test]
    fn the_temporary_file_is_owner_only_while_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o644)).unwrap();
        let seen = std::rc::Rc::new(RefCell::new(None));
        let record = seen.clone();
        when_written(move |temp| *record.borrow_mut() = Some(mode(temp)));
        write_atomic(&path, b"new", Some(b"old")).unwrap();
        assert_eq!(*seen.borrow(), Some(0o600));
        assert_eq!(mode(&path), 0o644);
    }

    #[test]
    fn a_symlink_stays_a_link_and_the_temporary_file_is_beside_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("target.txt");
        let link = dir.path().join("link.txt");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let seen = std::rc::Rc::new(RefCell::new(PathBuf::new()));
        let record = seen.clone();
        when_written(move |temp| *record.borrow_mut() = temp.to_owned());
        write_atomic(&link, b"new", Some(b"old")).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let temp_dir = seen.borrow().parent().unwrap().canonicalize().unwrap();
        assert_eq!(temp_dir, elsewhere.path().canonicalize().unwrap());
    }

    #[test]
    fn a_symlink_to_another_file_system_is_replaced_there() {
        let here = tempfile::tempdir().unwrap();
        // Where there is no second file system at hand, the case cannot be made.
        let Ok(there) = tempfile::tempdir_in("/dev/shm") else {
            return;
        };
        let device = |p: &Path| fs::metadata(p).unwrap().dev();
        if device(here.path()) == device(there.path()) {
            return;
        }
        let target = there.path().join("target.txt");
        let link = here.path().join("link.txt");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new", Some(b"old")).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    #[test]
    fn a_file_swapped_for_a_symlink_while_written_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let victim = dir.path().join("victim");
        fs::write(&path, "old").unwrap();
        fs::write(&victim, "secret").unwrap();
        fs::set_permissions(&victim, Permissions::from_mode(0o600)).unwrap();
        let (swapped, target) = (path.clone(), victim.clone());
        when_written(move |_| {
            fs::remove_file(&swapped).unwrap();
            std::os::unix::fs::symlink(&target, &swapped).unwrap();
        });
        let err = write_atomic(&path, b"new", Some(b"old")).unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }), "{err}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "secret");
        assert_eq!(mode(&victim), 0o600);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[test]
    fn keeps_owner_group_and_extended_attributes_where_permitted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        let owned = std::os::unix::fs::chown(&path, Some(1234), Some(5678)).is_ok();
        let name = c"user.mtaudit-test";
        let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: NUL-terminated path and name, a value valid for its length.
        let tagged = unsafe {
            libc::setxattr(
                c_path.as_ptr(),
                name.as_ptr(),
                b"kept".as_ptr().cast(),
                4,
                0,
            )
        } == 0;
        let before = fs::metadata(&path).unwrap();
        write_atomic(&path, b"new", Some(b"old")).unwrap();
        let after = fs::metadata(&path).unwrap();
        assert_ne!(before.ino(), after.ino(), "replaced by a rename");
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        if owned {
            assert_eq!((after.uid(), after.gid()), (1234, 5678));
        }
        if tagged {
            let mut value = [0u8; 16];
            // SAFETY: as above, with a buffer valid for its length.
            let len = unsafe {
                libc::getxattr(
                    c_path.as_ptr(),
                    name.as_ptr(),
                    value.as_mut_ptr().cast(),
                    16,
                )
            };
            assert_eq!(&value[..len.max(0) as usize], b"kept");
        }
    }
}
