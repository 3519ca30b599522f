//! Build, inspect and time mtaudit language models.
//!
//! ```text
//! cargo run --release --example model_tool -- import-arpa IN.arpa OUT.mtlm [BITS]
//! cargo run --release --example model_tool -- stats [MODEL]      (default: embedded)
//! cargo run --release --example model_tool -- bench [MODEL]
//! cargo run --release --example model_tool -- query [MODEL] w1 w2 w3
//! ```
//! tools/build-model.sh uses `import-arpa`, so the embedded model is made by the same
//! `model::build::from_arpa` that `mtaudit model import-arpa` will call.

use std::io::BufReader;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use mtaudit::model::{build, Model, WordId};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // import-arpa must not touch the embedded model: it may be an older format or an
    // empty placeholder while tools/build-model.sh bootstraps.
    match args.first().map(String::as_str) {
        Some("import-arpa") => import(&args[1..]),
        Some("stats") => stats(load(args.get(1))?),
        Some("bench") => bench(args.get(1)),
        Some("query") => query(&args[1..]),
        _ => bail!("usage: model_tool import-arpa IN OUT [BITS] | stats [MODEL] | bench [MODEL] | query [MODEL] WORDS…"),
    }
}

fn load(path: Option<&String>) -> Result<&'static Model> {
    Ok(match path {
        Some(p) => Box::leak(Box::new(Model::open(Path::new(p))?)),
        None => Model::embedded(),
    })
}

fn import(args: &[String]) -> Result<()> {
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        bail!("import-arpa needs IN.arpa and OUT.mtlm");
    };
    let bits = match args.get(2) {
        Some(b) => b.parse().context("BITS must be a number")?,
        None => build::DEFAULT_BITS,
    };
    let file = std::fs::File::open(input).with_context(|| format!("cannot open {input}"))?;
    let bytes = build::from_arpa_with_bits(BufReader::with_capacity(1 << 20, file), bits)
        .with_context(|| input.clone())?;
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {output}"))?;
    let model = Model::from_bytes(bytes)?;
    eprintln!(
        "{output}: {} bytes, n-gram counts {:?}",
        model.byte_len(),
        model.ngram_counts()
    );
    Ok(())
}

fn stats(model: &Model) -> Result<()> {
    println!(
        "order {}, counts {:?}, {} bytes",
        model.order(),
        model.ngram_counts(),
        model.byte_len()
    );
    let total: f64 = (0..model.vocabulary_size())
        .filter_map(|i| model.word(WordId::from_index(i)))
        .filter_map(|w| model.log10_unigram(w))
        .map(|p| 10f64.powf(f64::from(p)))
        .sum();
    println!("sum of 10^p over unigrams: {total:.4}");
    println!("log10 prob of unknown words: {:.4}", model.unknown_log10());
    for ctx in [
        &["the", "forced"][..],
        &["forced"],
        &["served", "as"],
        &["a"],
    ] {
        let ids: Vec<WordId> = ctx.iter().filter_map(|w| model.word_id(w)).collect();
        let sum: f64 = (0..model.vocabulary_size())
            .map(|i| model.log10_prob_ids(&ids, Some(WordId::from_index(i))))
            .map(|p| 10f64.powf(f64::from(p)))
            .sum();
        println!(
            "sum over the vocabulary of P(w | {}): {sum:.4}",
            ctx.join(" ")
        );
    }
    for (ctx, a, b) in [
        (&["forced"][..], "landing", "downsizing"),
        (&["the", "forced"][..], "landing", "downsizing"),
        (&["a"][..], "buffer", "protector"),
    ] {
        let pa = model.log10_prob(ctx, a);
        let pb = model.log10_prob(ctx, b);
        println!(
            "P({a} | {}) = {pa:.4}   P({b} | …) = {pb:.4}",
            ctx.join(" ")
        );
    }
    for (a, b) in [("buffer", "between"), ("protector", "between")] {
        println!(
            "P({b} | {a}) = {:.4}  listed: {:?}",
            model.log10_prob(&[a], b),
            model.ngram_log10(&[a, b])
        );
    }
    Ok(())
}

fn query(args: &[String]) -> Result<()> {
    let (model, words) = match args.first() {
        Some(p) if Path::new(p).is_file() => (load(Some(p))?, &args[1..]),
        _ => (Model::embedded(), args),
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    for i in 0..words.len() {
        let ctx = &words[i.saturating_sub(model.order() - 1)..i];
        let listed = model.ngram_log10(&words[i.saturating_sub(model.order() - 1)..=i]);
        println!(
            "{:>12}  log10 P = {:8.4}  listed n-gram: {listed:?}",
            words[i],
            model.log10_prob(ctx, words[i])
        );
    }
    Ok(())
}

/// Times lookups over a fixed pseudo-random stream of vocabulary words, so the figures
/// are comparable from run to run.
fn bench(path: Option<&String>) -> Result<()> {
    // Timed first, before anything else touches the model, as in a cold start.
    let t = Instant::now();
    let embedded = Model::embedded();
    println!(
        "Model::embedded() first call: {:?} ({} bytes)",
        t.elapsed(),
        embedded.byte_len()
    );
    let t = Instant::now();
    let again = Model::from_static(Model::embedded_bytes())?;
    println!(
        "parse of the embedded bytes again (warm): {:?} ({} bytes)",
        t.elapsed(),
        again.byte_len()
    );
    let dir = std::env::temp_dir().join(format!("mtaudit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("en-us.mtlm");
    std::fs::write(&file, Model::embedded_bytes())?;
    let t = Instant::now();
    let mapped = Model::open(&file)?;
    println!("Model::open (mmap): {:?}", t.elapsed());
    drop(mapped);
    std::fs::remove_dir_all(&dir)?;
    let model = load(path)?;
    let words = sample_words(model, 200_000);
    let ids: Vec<WordId> = words.iter().filter_map(|w| model.word_id(w)).collect();
    let n = ids.len() - 2;
    let rounds = 10;
    let t = Instant::now();
    let mut sink = 0f32;
    for _ in 0..rounds {
        for i in 0..n {
            sink += model.log10_prob_ids(&ids[i..i + 2], Some(ids[i + 2]));
        }
    }
    let ns = t.elapsed().as_nanos() as f64 / (rounds * n) as f64;
    println!("log10_prob_ids (trigram context): {ns:.1} ns/call");
    let t = Instant::now();
    for i in 0..n {
        let ctx = [words[i].as_str(), words[i + 1].as_str()];
        sink += model.log10_prob(&ctx, &words[i + 2]);
    }
    let ns = t.elapsed().as_nanos() as f64 / n as f64;
    println!("log10_prob (&str, three vocabulary lookups): {ns:.1} ns/call");
    let t = Instant::now();
    for w in &words {
        sink += model.word_id(w).map_or(0.0, |id| id.index() as f32);
    }
    let ns = t.elapsed().as_nanos() as f64 / words.len() as f64;
    println!("word_id: {ns:.1} ns/call   (checksum {sink:.1})");
    let map: std::collections::HashMap<&str, usize> =
        words.iter().map(|w| (w.as_str(), w.len())).collect();
    let t = Instant::now();
    for w in &words {
        sink += map.get(w.as_str()).copied().unwrap_or(0) as f32;
    }
    let ns = t.elapsed().as_nanos() as f64 / words.len() as f64;
    println!("(std HashMap<&str, _> lookup of the same words for comparison: {ns:.1} ns/call, {sink:.0})");
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: n/a");
    println!(
        "peak resident memory of this process: {}",
        peak.trim_start_matches("VmHWM:").trim()
    );
    Ok(())
}

/// Words drawn by a fixed LCG, biased to frequent words the way text is: a word is the
/// best-scoring follower of the previous two when one exists, else a random word.
fn sample_words(model: &Model, n: usize) -> Vec<String> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let v = model.vocabulary_size();
    let mut out: Vec<WordId> = vec![model.word_id("the").unwrap_or(WordId::from_index(0))];
    while out.len() < n {
        let ctx = &out[out.len().saturating_sub(2)..];
        let followers = model.followers(ctx);
        let id = if followers.is_empty() || next() % 4 == 0 {
            WordId::from_index(next() % v)
        } else {
            followers[next() % followers.len()].0
        };
        out.push(id);
    }
    out.into_iter()
        .filter_map(|id| model.word(id).map(str::to_string))
        .collect()
}
