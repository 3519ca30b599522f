#![no_main]
//! `mtaudit report merge`: any bytes as one shard report, or cut in two as two. Merging either
//! refuses them with an error naming a file or joins them; a joined report is JSON whose
//! summary counts its own files, and merging it again gives the same summary.

use libfuzzer_sys::fuzz_target;
use mtaudit::report::merge::merge;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile_dir();
    let cut = data.first().map_or(0, |&b| usize::from(b)).min(data.len());
    let (first, second) = data.split_at(cut);
    let one = write(&dir, "one.json", data);
    let pair = [write(&dir, "a.json", first), write(&dir, "b.json", second)];
    for reports in [std::slice::from_ref(&one), &pair[..]] {
        let mut out = Vec::new();
        let Ok(summary) = merge(reports, &mut out) else {
            continue;
        };
        let value: serde_json::Value =
            serde_json::from_slice(&out).expect("a merged report is JSON");
        let files = value["files"].as_array().expect("a merged report lists files");
        assert!(summary.files <= files.len());
        let again = write(&dir, "merged.json", &out);
        let resummed = merge(&[again], std::io::sink()).expect("a merged report merges");
        assert_eq!(resummed.files, summary.files);
        assert_eq!(resummed.words, summary.words);
        assert_eq!(resummed.findings, summary.findings);
        assert_eq!(resummed.passed, summary.passed);
    }
    let _ = std::fs::remove_dir_all(&dir);
});

/// A folder of this process's own (the fuzzer runs inputs one after another).
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mtaudit-fuzz-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a temporary file");
    path
}
