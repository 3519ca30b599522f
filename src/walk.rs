//! Directory walks for `check`, `fix` and `model build`: every file under a folder, once,
//! sorted, honouring .gitignore and skipping hidden files (so the `.mtaudit-*.tmp` file an
//! interrupted write may leave is never picked up). Symbolic links are followed, so a linked
//! file or folder is read like any other; a link that leads back into a folder being
//! searched, or to nothing, is reported and skipped, never followed round and round.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Something met on the way, for the caller to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkProblem {
    /// A symbolic link that cannot be followed: a loop, or nothing at its end.
    Link(String),
    /// Anything else, such as a folder that cannot be read.
    Other(String),
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub problems: Vec<WalkProblem>,
}

pub fn walk(root: &Path) -> Walk {
    let mut walk = Walk::default();
    let mut linked = false;
    for entry in ignore::WalkBuilder::new(root).follow_links(true).build() {
        match entry {
            Ok(e) => {
                linked |= e.path_is_symlink();
                if e.file_type().is_some_and(|t| t.is_file()) {
                    walk.files.push(e.into_path());
                }
            }
            Err(err) => walk.problems.push(problem(err)),
        }
    }
    walk.files.sort();
    if linked {
        // A file reached both directly and through a link is read (and fixed) once.
        let mut seen = HashSet::new();
        walk.files
            .retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    }
    walk
}

fn problem(err: ignore::Error) -> WalkProblem {
    match err {
        ignore::Error::WithDepth { err, .. } => problem(*err),
        ignore::Error::Loop { ancestor, child } => WalkProblem::Link(format!(
            "{}: symbolic link back to {}, a folder already being searched; not followed",
            child.display(),
            ancestor.display()
        )),
        ignore::Error::WithPath { path, err } if path.is_symlink() => WalkProblem::Link(format!(
            "{}: symbolic link that cannot be followed ({err}); skipped",
            path.display()
        )),
        other => WalkProblem::Other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::symlink;

    fn names(walk: &Walk, root: &Path) -> Vec<String> {
        walk.files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn links_are_followed_once_and_loops_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/sub")).unwrap();
        std::fs::write(root.join("docs/a.txt"), "a").unwrap();
        std::fs::write(root.join("docs/sub/b.txt"), "b").unwrap();
        std::fs::write(root.join(".mtaudit-Xy12Ab.tmp"), "left by a kill -9").unwrap();
        // The folder inside itself, a file twice, two links pointing at each other, a link
        // to nothing.
        symlink(root.join("docs"), root.join("docs/sub/again")).unwrap();
        symlink(root.join("docs/a.txt"), root.join("docs/z-link.txt")).unwrap();
        symlink(root.join("docs/ping.txt"), root.join("docs/pong.txt")).unwrap();
        symlink(root.join("docs/pong.txt"), root.join("docs/ping.txt")).unwrap();
        symlink(root.join("nowhere.txt"), root.join("docs/dangling.txt")).unwrap();

        let walk = walk(root);
        assert_eq!(names(&walk, root), ["docs/a.txt", "docs/sub/b.txt"]);
        assert_eq!(walk.problems.len(), 4, "{:?}", walk.problems);
        let text: Vec<String> = walk
            .problems
            .iter()
            .map(|p| match p {
                WalkProblem::Link(m) => m.clone(),
                WalkProblem::Other(m) => panic!("not a link problem: {m}"),
            })
            .collect();
        let text = text.join("\n");
        assert!(text.contains("sub/again: symbolic link back to"), "{text}");
        assert!(text.contains("a folder already being searched"), "{text}");
        assert!(
            text.contains("ping.txt: symbolic link that cannot be followed"),
            "{text}"
        );
        assert!(
            text.contains("pong.txt: symbolic link that cannot be followed"),
            "{text}"
        );
        assert!(
            text.contains("dangling.txt: symbolic link that cannot be followed"),
            "{text}"
        );
    }
}
