//! Which config file governs a path: `--config`, else `MTAUDIT_CONFIG`, else the nearest
//! `mtaudit.toml` / `.mtaudit.toml` in the file's folder or one above it.

use super::{Origin, Sourced};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Looked for in each folder, in this order.
pub const CONFIG_NAMES: [&str; 2] = ["mtaudit.toml", ".mtaudit.toml"];
pub const ENV_VAR: &str = "MTAUDIT_CONFIG";

/// The nearest config file at or above `start` (a file or a folder).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let first = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    first?.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// `path` relative to the current folder when it lies below it, for shorter messages.
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_owned))
        .unwrap_or(path)
}

/// Finds config files for many paths, remembering each folder's answer.
#[derive(Debug, Default)]
pub struct Discovery {
    fixed: Option<Sourced<PathBuf>>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
}

impl Discovery {
    /// `flag` is `--config`; `env` the value of `MTAUDIT_CONFIG` (empty means unset).
    pub fn new(flag: Option<PathBuf>, env: Option<std::ffi::OsString>) -> Discovery {
        let fixed = match (flag, env.filter(|v| !v.is_empty())) {
            (Some(path), _) => Some(Sourced {
                value: path,
                origin: Origin::Flag("--config"),
            }),
            (None, Some(path)) => Some(Sourced {
                value: PathBuf::from(path),
                origin: Origin::Env(ENV_VAR),
            }),
            (None, None) => None,
        };
        Discovery {
            fixed,
            by_dir: HashMap::new(),
        }
    }

    /// From the process: `--config` and the environment.
    pub fn from_env(flag: Option<PathBuf>) -> Discovery {
        Discovery::new(flag, std::env::var_os(ENV_VAR))
    }

    /// The config file for `path` (stdin: the current folder), with how it was chosen.
    pub fn config_for(&mut self, path: &Path) -> Option<Sourced<PathBuf>> {
        if let Some(fixed) = &self.fixed {
            return Some(fixed.clone());
        }
        let dir = if path.as_os_str() == "-" || path.is_dir() {
            path.to_owned()
        } else {
            path.parent().map(Path::to_owned).unwrap_or_default()
        };
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let found = self
            .by_dir
            .entry(dir.clone())
            .or_insert_with(|| {
                find_config(if path.as_os_str() == "-" {
                    Path::new(".")
                } else {
                    &dir
                })
            })
            .clone();
        found.map(|value| Sourced {
            value: relative_to_cwd(value),
            origin: Origin::Default,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_wins_and_flag_beats_env() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.path().join("mtaudit.toml"), "").unwrap();
        std::fs::write(root.path().join("a/.mtaudit.toml"), "").unwrap();
        std::fs::write(deep.join("x.txt"), "").unwrap();
        let found = find_config(&deep.join("x.txt")).unwrap();
        assert!(found.ends_with("a/.mtaudit.toml"), "{found:?}");

        let mut d = Discovery::new(Some("f.toml".into()), Some("e.toml".into()));
        assert_eq!(
            d.config_for(&deep).unwrap().origin,
            Origin::Flag("--config")
        );
        let mut d = Discovery::new(None, Some("e.toml".into()));
        assert_eq!(d.config_for(&deep).unwrap().origin, Origin::Env(ENV_VAR));
        let mut d = Discovery::new(None, Some("".into()));
        assert!(d
            .config_for(&deep)
            .unwrap()
            .value
            .ends_with("a/.mtaudit.toml"));
    }
}
