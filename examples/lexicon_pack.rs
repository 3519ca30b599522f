//! Packs the lexicon source written by tools/lexicon/extract.py into corpora/lexicon/lexicon.bin.
//! Run by tools/build-lexicon.sh: `cargo run --release --example lexicon_pack -- SOURCE OUT`.

use std::process::ExitCode;

use mtaudit::lexicon::{pack, Lexicon};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, out] = args.as_slice() else {
        eprintln!("usage: lexicon_pack SOURCE.txt OUT.bin");
        return ExitCode::from(2);
    };
    match run(source, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lexicon_pack: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(source: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = pack(&std::fs::read_to_string(source)?)?;
    // Check what we wrote the way mtaudit will read it.
    let leaked: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let lexicon = Lexicon::from_bytes(leaked)?;
    lexicon.validate()?;
    std::fs::write(out, &bytes)?;
    eprintln!("{out}: {} entries, {} bytes", lexicon.len(), bytes.len());
    Ok(())
}
