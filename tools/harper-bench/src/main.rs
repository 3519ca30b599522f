//! Lints every file under the given paths with Harper's curated lint group for American
//! English (the rules Harper runs by default), Markdown files with its Markdown parser and
//! everything else as plain English, and prints one line: files, words, lints, seconds.
//!
//! Usage: harper-bench [--threads N] PATH...   (N defaults to 1; each thread has its own
//! lint group and takes every Nth file)

use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, process, thread};

use harper_core::linting::{LintGroup, Linter};
use harper_core::parsers::{Markdown, PlainEnglish};
use harper_core::spell::FstDictionary;
use harper_core::{Dialect, Document, TokenStringExt};

struct Totals {
    files: usize,
    words: usize,
    lints: usize,
}

fn main() {
    let (threads, roots) = match parse_args(env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("harper-bench: {message}");
            eprintln!("usage: harper-bench [--threads N] PATH...");
            process::exit(2);
        }
    };
    let mut files = Vec::new();
    for root in &roots {
        if let Err(error) = collect_files(root, &mut files) {
            eprintln!("harper-bench: {}: {error}", root.display());
            process::exit(2);
        }
    }
    files.sort();

    let start = Instant::now();
    let results: Vec<Result<Totals, String>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let share = files.iter().skip(worker).step_by(threads);
                scope.spawn(move || lint_files(share))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a lint thread panicked"))
            .collect()
    });
    let seconds = start.elapsed().as_secs_f64();

    let mut total = Totals {
        files: 0,
        words: 0,
        lints: 0,
    };
    for result in results {
        match result {
            Ok(part) => {
                total.files += part.files;
                total.words += part.words;
                total.lints += part.lints;
            }
            Err(message) => {
                eprintln!("harper-bench: {message}");
                process::exit(2);
            }
        }
    }
    println!(
        "files {} words {} lints {} seconds {seconds:.3} threads {threads}",
        total.files, total.words, total.lints
    );
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<(usize, Vec<PathBuf>), String> {
    let mut threads = 1;
    let mut roots = Vec::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            let value = args.next().ok_or("--threads needs a number")?;
            threads = value
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or(format!("--threads needs a positive number, not '{value}'"))?;
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    if roots.is_empty() {
        return Err("no PATH given".into());
    }
    Ok((threads, roots))
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in fs::read_dir(path)? {
            collect_files(&entry?.path(), files)?;
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

fn lint_files<'a>(files: impl Iterator<Item = &'a PathBuf>) -> Result<Totals, String> {
    let mut linter = LintGroup::new_curated(FstDictionary::curated(), Dialect::American);
    let mut totals = Totals {
        files: 0,
        words: 0,
        lints: 0,
    };
    for path in files {
        let text =
            fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let document = if path.extension().is_some_and(|e| e == "md") {
            Document::new_curated(&text, &Markdown::default())
        } else {
            Document::new_curated(&text, &PlainEnglish)
        };
        totals.files += 1;
        totals.words += document.iter_words().count();
        totals.lints += linter.lint(&document).len();
    }
    Ok(totals)
}
