//! Packs the counts written by tools/pairs/extract.py into corpora/pairs/technical.fst.
//! Run by tools/build-pairs.sh: `cargo run --release --example pairs_pack -- COUNTS.tsv OUT`.

use std::process::ExitCode;

use mtaudit::pairs::{pack, PairCounts};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, out] = args.as_slice() else {
        eprintln!("usage: pairs_pack COUNTS.tsv OUT.fst");
        return ExitCode::from(2);
    };
    match run(source, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pairs_pack: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(source: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = pack(&std::fs::read_to_string(source)?)?;
    // Check what we wrote the way mtaudit will read it.
    let leaked: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let counts = PairCounts::from_bytes(leaked)?;
    std::fs::write(out, &bytes)?;
    eprintln!("{out}: {} keys, {} bytes", counts.len(), bytes.len());
    Ok(())
}
