//! `mtaudit model`: build a house model from clean text, import an ARPA model, describe a
//! model.

use super::{error, warning, EXIT_ERROR, EXIT_PASS};
use crate::model::{build, house, BuildOptions, Model};
use clap::{Args, Subcommand};
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub command: ModelCommand,
}

#[derive(Subcommand, Debug)]
pub enum ModelCommand {
    /// Count the 1–3-grams of your own clean text into a model (modified Kneser-Ney).
    Build(BuildArgs),
    /// Convert an ARPA model (from KenLM, SRILM, …) into mtaudit's format.
    ImportArpa(ImportArgs),
    /// Print a model's order, n-gram counts and size (the embedded model without FILE).
    Info(InfoArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Files or folders of .txt and .md (searched recursively); `-` reads standard input.
    #[arg(value_name = "CORPUS", required = true)]
    pub paths: Vec<PathBuf>,
    /// The model file to write (replaced atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Distinct trigrams (and word pairs) held while counting; past it, rare ones are
    /// dropped and the model is approximate. Peak memory is about 130 bytes per trigram.
    #[arg(long, value_name = "N", default_value_t = house::DEFAULT_MAX_TRIGRAMS)]
    pub max_trigrams: usize,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The ARPA file; `-` reads standard input.
    #[arg(value_name = "FILE.arpa")]
    pub input: PathBuf,
    /// The model file to write (replaced atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Bits per quantized probability and backoff.
    #[arg(long, value_name = "1..24", default_value_t = build::DEFAULT_BITS,
          value_parser = clap::value_parser!(u32).range(1..=24))]
    pub bits: u32,
}

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// A model file; without it, the embedded English model.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

pub fn run(args: ModelArgs) -> u8 {
    let result = match args.command {
        ModelCommand::Build(args) => run_build(args),
        ModelCommand::ImportArpa(args) => run_import(args),
        ModelCommand::Info(args) => run_info(args),
    };
    match result {
        Ok(()) => EXIT_PASS,
        Err(message) => {
            error(message);
            EXIT_ERROR
        }
    }
}

fn run_build(args: BuildArgs) -> Result<(), String> {
    let options = BuildOptions {
        max_trigrams: args.max_trigrams,
        ..BuildOptions::default()
    };
    let bar = progress_bar();
    let built = crate::model::build_from_paths(&args.paths, &options, &bar);
    bar.finish_and_clear();
    let built = built.map_err(|e| e.to_string())?;
    for skipped in &built.skipped {
        warning(format!("{skipped}, skipped"));
    }
    for link in &built.links {
        warning(link);
    }
    if built.pruned_at > 0 {
        warning(format!(
            "more than {} distinct trigrams: those seen at most {} times were dropped while \
             counting, so the model is approximate (raise --max-trigrams if memory allows)",
            args.max_trigrams, built.pruned_at
        ));
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "counted {} in {}",
        plural(built.words, "word"),
        plural(built.files as u64, "file")
    )
    .map_err(super::stdout_error)?;
    write(&mut out, &args.output, built.bytes)
}

fn run_import(args: ImportArgs) -> Result<(), String> {
    let name = args.input.display().to_string();
    let reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        let file = crate::input::file::open(&args.input).map_err(|e| format!("{name}: {e}"))?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let bytes = build::from_arpa_with_bits(reader, args.bits)
        .map_err(|e| format!("{name}:{}: {}", e.line, e.message))?;
    write(&mut io::stdout().lock(), &args.output, bytes)
}

fn run_info(args: InfoArgs) -> Result<(), String> {
    let mut out = io::stdout().lock();
    let described = match &args.file {
        Some(path) => {
            let model = Model::open(path).map_err(|e| e.to_string())?;
            let name = path.display().to_string();
            describe(&mut out, &super::printable(&name), &model)
        }
        None => describe(&mut out, "embedded model", Model::embedded()),
    };
    described.map_err(super::stdout_error)
}

/// Writes the model atomically and describes it.
fn write(out: &mut impl Write, path: &Path, bytes: Vec<u8>) -> Result<(), String> {
    crate::write::write_atomic(path, &bytes, None).map_err(|e| e.to_string())?;
    let model = Model::from_bytes(bytes).map_err(|e| e.to_string())?;
    let name = format!("wrote {}", super::printable(&path.display().to_string()));
    describe(out, &name, &model).map_err(super::stdout_error)
}

fn describe(out: &mut impl Write, name: &str, model: &Model) -> io::Result<()> {
    writeln!(
        out,
        "{name}: order {}, {} bytes",
        model.order(),
        thousands(model.byte_len() as u64)
    )?;
    for (k, n) in model.ngram_counts().iter().enumerate() {
        writeln!(
            out,
            "  {:<16}{:>12}",
            format!("{}-grams", k + 1),
            thousands(*n)
        )?;
    }
    writeln!(
        out,
        "  {:<16}{:>12.3}",
        "log10 P(unknown)",
        model.unknown_log10()
    )?;
    out.flush()
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 word", "2,000 words".
fn plural(n: u64, noun: &str) -> String {
    let s = crate::text::plural_s(usize::try_from(n).unwrap_or(usize::MAX));
    format!("{} {noun}{s}", thousands(n))
}

/// A byte progress bar on a terminal, hidden otherwise.
fn progress_bar() -> indicatif::ProgressBar {
    if !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(17_482_256), "17,482,256");
        assert_eq!(super::plural(1, "word"), "1 word");
        assert_eq!(super::plural(1500, "file"), "1,500 files");
    }
}
