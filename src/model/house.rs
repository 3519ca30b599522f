//! House models: a model of a user's own clean text (`mtaudit model build`).
//!
//! corpus files ──[`super::corpus`]──▶ pieces ──[`super::count`] (rayon)──▶ counts
//!   ──[`super::kneser_ney`]──▶ n-gram table ──[`super::build::from_table`]──▶ model bytes

use std::path::PathBuf;

use indicatif::ProgressBar;

use super::build;
use super::corpus::{self, CorpusError, Pieces};
use super::count::{Counter, Counts};
use super::kneser_ney;
use crate::input::Format;

/// How a house model is built.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Distinct trigrams (and pairs) held while counting before rare ones are pruned
    /// (see [`super::count`]).
    pub max_trigrams: usize,
    /// Text tokenized in parallel between two merges of the counts.
    pub chunk_bytes: usize,
}

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions {
            max_trigrams: DEFAULT_MAX_TRIGRAMS,
            chunk_bytes: 16 << 20,
        }
    }
}

/// The default limit of [`BuildOptions::max_trigrams`]: enough for roughly 20 million
/// words of edited prose without pruning. Peak memory is about 130 bytes per distinct
/// trigram (measured: 8.6 M trigrams and 4.6 M bigrams of 10 M words, 1.1 GB), so about
/// 1.3 GB at this limit.
pub const DEFAULT_MAX_TRIGRAMS: usize = 10_000_000;

/// A built house model and what went into it.
#[derive(Debug, Clone)]
pub struct HouseModel {
    /// The model in the binary format ([`super::Model::from_bytes`] reads it).
    pub bytes: Vec<u8>,
    /// Files read.
    pub files: usize,
    /// Binary files found in folders and skipped, with the reason.
    pub skipped: Vec<String>,
    /// Symbolic links in folders that could not be followed (loops, nothing at the end).
    pub links: Vec<String>,
    /// Word tokens counted.
    pub words: u64,
    /// 0 if the counts are exact, else the count at or below which trigrams were pruned.
    pub pruned_at: u32,
    /// Kneser-Ney discounts D1, D2, D3+ of orders 1 to 3.
    pub discounts: [[f64; 3]; 3],
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error("no words to count in the corpus")]
    NoWords,
    /// The estimate did not make a valid model: a defect, reported rather than panicking.
    #[error("internal error: the estimated model is inconsistent: {0}")]
    Table(#[from] build::ArpaError),
}

/// Builds a house model from files and folders of `.txt` / `.md` (`-` reads standard
/// input). `progress` advances by the bytes tokenized (its length is set here); pass
/// `ProgressBar::hidden()` for none.
pub fn build_from_paths(
    paths: &[PathBuf],
    options: &BuildOptions,
    progress: &ProgressBar,
) -> Result<HouseModel, BuildError> {
    let (sources, links) = corpus::sources(paths)?;
    progress.set_length(sources.iter().map(corpus::Source::size).sum());
    let mut counter = Counter::new(options.max_trigrams);
    let mut chunk: Vec<(String, Format)> = Vec::new();
    let mut chunk_bytes = 0;
    let mut skipped = Vec::new();
    let mut flush = |chunk: &mut Vec<(String, Format)>, bytes: &mut usize| {
        counter.add_with_progress(chunk, |n| progress.inc(n as u64));
        chunk.clear();
        *bytes = 0;
    };
    for source in &sources {
        let mut pieces = Pieces::open(source)?;
        for first in std::iter::once(true).chain(std::iter::repeat(false)) {
            let piece = match pieces.next_piece() {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                // A binary file found in a folder is skipped, unless part of it was
                // already counted (a NUL byte past the first piece): then it is an error.
                Err(e @ CorpusError::Binary { .. }) if !source.explicit && first => {
                    skipped.push(e.to_string());
                    break;
                }
                Err(e) => return Err(e.into()),
            };
            chunk_bytes += piece.len();
            chunk.push((piece, pieces.format()));
            if chunk_bytes >= options.chunk_bytes {
                flush(&mut chunk, &mut chunk_bytes);
            }
        }
    }
    flush(&mut chunk, &mut chunk_bytes);
    progress.set_message("estimating");
    let counts: Counts = counter.finish();
    let estimate = kneser_ney::estimate(&counts).ok_or(BuildError::NoWords)?;
    let (words, pruned_at) = (counts.tokens, counts.pruned_at);
    drop(counts); // before the layout's peak
    let bytes = build::from_table(estimate.table)?;
    Ok(HouseModel {
        bytes,
        files: sources.len() - skipped.len(),
        skipped,
        links,
        words,
        pruned_at,
        discounts: estimate.discounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    /// The round trip: text files → build → file → open → query.
    #[test]
    fn build_open_query_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "The forced landing of the flight was reported.\n\nThe forced landing was safe.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.md"),
            "# Notes\n\nA buffer between the two states.\n\n```\nforced downsizing code\n```\n",
        )
        .unwrap();
        let built = build_from_paths(
            &[dir.path().to_path_buf()],
            &BuildOptions::default(),
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!((built.files, built.words, built.pruned_at), (2, 20, 0));
        let path = dir.path().join("house.mtlm");
        crate::write::write_atomic(&path, &built.bytes, None).unwrap();
        let m = Model::open(&path).unwrap();
        assert_eq!(m.order(), 3);
        assert!(m.ngram_log10(&["forced", "landing"]).is_some());
        assert!(m.ngram_log10(&["<s>", "the", "forced"]).is_some());
        assert!(m.ngram_log10(&["forced", "downsizing"]).is_none());
        assert!(!m.contains("code") && m.contains("buffer") && !m.contains("Notes"));
        let landing = m.log10_prob(&["the", "forced"], "landing");
        let downsizing = m.log10_prob(&["the", "forced"], "downsizing");
        assert!(landing > downsizing + 1.0, "{landing} vs {downsizing}");
        assert!(m.log10_prob(&["the", "forced", "landing"], "was") > -0.5);
    }

    #[test]
    fn bad_corpora_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, b"fine\n\xff\n").unwrap();
        let e = build_from_paths(&[bad], &BuildOptions::default(), &ProgressBar::hidden())
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("bad.txt:2:1: invalid UTF-8; corpus files must be UTF-8 text"),
            "{e}"
        );
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let e = build_from_paths(&[empty], &BuildOptions::default(), &ProgressBar::hidden())
            .unwrap_err();
        assert!(matches!(e, BuildError::NoWords));
        // A binary file in a folder is skipped, named explicitly it is an error.
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("ok.txt"), "Some words.").unwrap();
        std::fs::write(sub.join("blob.txt"), b"\x00\x01").unwrap();
        let built = build_from_paths(
            std::slice::from_ref(&sub),
            &BuildOptions::default(),
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!(built.files, 1);
        assert_eq!(built.skipped.len(), 1);
        assert!(built.skipped[0].contains("blob.txt:1: binary file"));
        let e = build_from_paths(
            &[sub.join("blob.txt")],
            &BuildOptions::default(),
            &ProgressBar::hidden(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("binary file"));
    }
}
