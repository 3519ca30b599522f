//! Opening a user's file to read. A device is refused: reading `/dev/zero` or
//! `/dev/urandom` would never end. Pipes (`<(command)`) are read like files.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub fn open(path: &Path) -> io::Result<File> {
    let file = File::open(path)?;
    let kind = file.metadata()?.file_type();
    if crate::platform::is_device(&kind) {
        return Err(io::Error::other("a device, not a file; not read"));
    }
    Ok(file)
}

pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub fn read_to_string(path: &Path) -> io::Result<String> {
    let mut text = String::new();
    open(path)?.read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn devices_are_refused_and_files_read() {
        let err = super::read(std::path::Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.to_string(), "a device, not a file; not read");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text").unwrap();
        assert_eq!(super::read_to_string(&path).unwrap(), "text");
    }
}
