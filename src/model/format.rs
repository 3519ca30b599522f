//! The binary model format: a fixed header followed by length-prefixed sections.
//!
//! ```text
//! magic "MTLM\r\n\x1a\n"   (PNG-style: a text-mode copy or a truncated download is caught)
//! u32 version, u32 order, u64 vocabulary size, f32 log10 prob of unknown words,
//! u32 CRC-32 (IEEE) of every byte after the header (a flipped bit anywhere is caught)
//! sections, each: u64 byte length, the bytes, zero padding to a multiple of 8
//!   vocabulary: words blob, u32 offsets (V + 1), hash table (see vocab.rs); ids are the
//!     words' ranks in byte order
//!   unigram log10 probs, unigram backoffs: f32 each, by id
//!   for each order k = 2..=order:
//!     params: u64 n-gram count, Elias-Fano low bits, high bits length, prob code width,
//!             context count, backoff code width
//!     keys: Elias-Fano low, high, select samples      (key = context index * V + word id)
//!     prob table (f32), prob codes (packed)
//!     if k < order: context bit vector, its rank blocks, backoff table, backoff codes
//!   pairs seen only inside longer n-grams: params (u64 count, low bits, high bits
//!     length), Elias-Fano low, high, select samples            (key = word id * V + word id)
//! ```
//!
//! The n-grams of order k are sorted by (context, word). The context of a bigram is its
//! first word id; the context of a longer n-gram is the rank of its prefix among the
//! prefix order's "contexts" (n-grams with continuations or a non-zero backoff, marked in
//! that order's bit vector). So each order is one increasing key sequence, stored with
//! Elias-Fano in about 2 + log2(universe / n) bits per key, and finding an n-gram is one
//! constant-time lookup per word instead of a binary search per word.

use std::ops::Range;

use super::bits::{EliasFano, Packed, RankBits, SELECT_SAMPLE};
use super::vocab::Vocab;

pub(crate) const MAGIC: &[u8; 8] = b"MTLM\r\n\x1a\n";
/// Version 2 added the checksum (version 1 held zero in its place).
pub(crate) const VERSION: u32 = 2;
/// Orders above this are refused: the query code keeps contexts on the stack.
pub(crate) const MAX_ORDER: usize = 6;
const HEADER_LEN: usize = 32;
/// Where the header holds the checksum.
const CHECKSUM_AT: usize = 28;
const PARAMS: usize = 6;

/// Everything the builder hands to the writer for one order k >= 2.
pub(crate) struct LevelParts {
    pub(crate) count: u64,
    pub(crate) ef: super::bits::EliasFanoParts,
    pub(crate) prob_table: Vec<f32>,
    pub(crate) prob_codes: Vec<u8>,
    pub(crate) contexts: Option<ContextParts>,
}

pub(crate) struct ContextParts {
    pub(crate) count: u64,
    pub(crate) bits: Vec<u8>,
    pub(crate) blocks: Vec<u8>,
    pub(crate) bo_table: Vec<f32>,
    pub(crate) bo_codes: Vec<u8>,
}

pub(crate) struct Parts<'a> {
    /// Words blob, offsets, hash table.
    pub(crate) vocab: (Vec<u8>, Vec<u8>, Vec<u8>),
    pub(crate) vocab_size: u64,
    pub(crate) unk_log10: f32,
    pub(crate) uni_prob: &'a [f32],
    pub(crate) uni_bo: &'a [f32],
    pub(crate) levels: Vec<LevelParts>,
    /// Keys of word pairs that are no listed bigram but end a listed longer n-gram.
    pub(crate) inner_pairs: super::bits::EliasFanoParts,
    pub(crate) inner_pair_count: u64,
}

/// Serializes a model.
pub(crate) fn write(parts: &Parts) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(parts.levels.len() as u32 + 1).to_le_bytes());
    out.extend_from_slice(&parts.vocab_size.to_le_bytes());
    out.extend_from_slice(&parts.unk_log10.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    section(&mut out, &parts.vocab.0);
    section(&mut out, &parts.vocab.1);
    section(&mut out, &parts.vocab.2);
    section(&mut out, &floats(parts.uni_prob));
    section(&mut out, &floats(parts.uni_bo));
    for level in &parts.levels {
        write_level(&mut out, level);
    }
    let ef = &parts.inner_pairs;
    let params = [parts.inner_pair_count, u64::from(ef.low_bits), ef.high_bits];
    section(
        &mut out,
        &params
            .iter()
            .flat_map(|p| p.to_le_bytes())
            .collect::<Vec<u8>>(),
    );
    write_elias_fano(&mut out, ef);
    seal(&mut out);
    out
}

/// Writes the checksum of the bytes after the header into the header.
pub(crate) fn seal(data: &mut [u8]) {
    if data.len() >= HEADER_LEN {
        let sum = super::crc32::crc32(&data[HEADER_LEN..]);
        data[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
    }
}

/// Whether the header's checksum is that of the bytes after it.
pub(crate) fn checksum_holds(data: &[u8]) -> bool {
    data.len() >= HEADER_LEN
        && u32_at(data, CHECKSUM_AT) == super::crc32::crc32(&data[HEADER_LEN..])
}

fn write_elias_fano(out: &mut Vec<u8>, ef: &super::bits::EliasFanoParts) {
    section(out, &ef.low);
    section(out, &ef.high);
    section(out, &ef.samples);
}

fn write_level(out: &mut Vec<u8>, level: &LevelParts) {
    let ctx = level.contexts.as_ref();
    let params = [
        level.count,
        u64::from(level.ef.low_bits),
        level.ef.high_bits,
        u64::from(super::quant::code_width(&level.prob_table)),
        ctx.map_or(0, |c| c.count),
        ctx.map_or(0, |c| u64::from(super::quant::code_width(&c.bo_table))),
    ];
    let params: Vec<u8> = params.iter().flat_map(|p| p.to_le_bytes()).collect();
    section(out, &params);
    write_elias_fano(out, &level.ef);
    section(out, &floats(&level.prob_table));
    section(out, &level.prob_codes);
    if let Some(c) = ctx {
        section(out, &c.bits);
        section(out, &c.blocks);
        section(out, &floats(&c.bo_table));
        section(out, &c.bo_codes);
    }
}

fn floats(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn section(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
    out.resize(out.len().next_multiple_of(8), 0);
}

/// A quantized column: f32 table plus packed codes.
#[derive(Clone, Debug)]
pub(crate) struct Quantized {
    pub(crate) table: Range<usize>,
    pub(crate) codes: Packed,
}

impl Quantized {
    #[inline]
    pub(crate) fn get(&self, data: &[u8], i: u64) -> f32 {
        let code = self.codes.get(data, i) as usize;
        f32_at(data, self.table.start + code * 4, self.table.end).unwrap_or(f32::NEG_INFINITY)
    }
}

/// Reads the f32 at byte `at` if it lies before `end`.
#[inline]
pub(crate) fn f32_at(data: &[u8], at: usize, end: usize) -> Option<f32> {
    if at + 4 > end {
        return None;
    }
    let b = data.get(at..at + 4)?;
    Some(f32::from_le_bytes(b.try_into().ok()?))
}

#[derive(Clone, Debug)]
pub(crate) struct Contexts {
    pub(crate) bits: RankBits,
    pub(crate) bo: Quantized,
}

#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub(crate) count: u64,
    pub(crate) keys: EliasFano,
    pub(crate) prob: Quantized,
    pub(crate) contexts: Option<Contexts>,
}

/// Where everything lives inside the model bytes.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub(crate) order: usize,
    pub(crate) vocab_size: u64,
    pub(crate) unk_log10: f32,
    pub(crate) vocab: Vocab,
    pub(crate) uni_prob: Range<usize>,
    pub(crate) uni_bo: Range<usize>,
    pub(crate) levels: Vec<Level>,
    /// Word pairs attested only as the end of a listed longer n-gram.
    pub(crate) inner_pairs: EliasFano,
}

/// Whether [`parse`] computes the checksum: always for a file, not for the embedded model,
/// whose checksum a test verifies once (as every run would otherwise pay for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checksum {
    Verify,
    Verified,
}

/// Parses and checks the header, checksum and section sizes; the error says what is wrong.
pub(crate) fn parse(data: &[u8], checksum: Checksum) -> Result<Layout, String> {
    if data.len() < HEADER_LEN || &data[..8] != MAGIC {
        return Err("not an mtaudit language model (bad magic bytes)".into());
    }
    let version = u32_at(data, 8);
    if version != VERSION {
        let hint = if version < VERSION {
            "; build it again with this mtaudit (`mtaudit model build` or `import-arpa`)"
        } else {
            ""
        };
        return Err(format!(
            "model format version {version}, this build reads {VERSION}{hint}"
        ));
    }
    if checksum == Checksum::Verify && !checksum_holds(data) {
        return Err("checksum mismatch: the file is damaged (or was edited)".into());
    }
    let order = u32_at(data, 12) as usize;
    if !(1..=MAX_ORDER).contains(&order) {
        return Err(format!("unsupported model order {order}"));
    }
    let vocab_size = u64_at(data, 16);
    let unk_log10 = f32::from_le_bytes(data[24..28].try_into().unwrap_or([0; 4]));
    let mut r = Sections {
        data,
        pos: HEADER_LEN,
    };
    let vocab = Vocab {
        size: vocab_size,
        blob: r.next("vocabulary words")?,
        offsets: r.next("vocabulary offsets")?,
        table: r.next("vocabulary hash table")?,
    };
    vocab.check()?;
    let uni_prob = r.sized("unigram probabilities", vocab_size.saturating_mul(4))?;
    let uni_bo = r.sized("unigram backoffs", vocab_size.saturating_mul(4))?;
    let mut levels = Vec::with_capacity(order - 1);
    for k in 2..=order {
        levels.push(parse_level(&mut r, k, k == order)?);
    }
    let params = r.sized("inner pair parameters", 24)?;
    let p: Vec<u64> = (0..3).map(|i| u64_at(data, params.start + 8 * i)).collect();
    let inner_pairs = parse_elias_fano(&mut r, "inner pairs", p[0], p[1], p[2])?;
    if r.pos != data.len() {
        return Err(format!(
            "{} unexpected bytes after the last section",
            data.len() - r.pos
        ));
    }
    Ok(Layout {
        order,
        vocab_size,
        unk_log10,
        vocab,
        uni_prob,
        uni_bo,
        levels,
        inner_pairs,
    })
}

fn parse_level(r: &mut Sections, k: usize, top: bool) -> Result<Level, String> {
    let what = |s: &str| format!("{k}-gram {s}");
    let params = r.sized(&what("parameters"), (PARAMS * 8) as u64)?;
    let p: Vec<u64> = (0..PARAMS)
        .map(|i| u64_at(r.data, params.start + 8 * i))
        .collect();
    let [count, low_bits, high_bits, prob_width, ctx_count, bo_width] = p[..] else {
        return Err(what("parameters are short"));
    };
    if low_bits > 64 || prob_width > 32 || bo_width > 32 || high_bits < count {
        return Err(what("parameters are out of range"));
    }
    let keys = parse_elias_fano(r, &what("keys"), count, low_bits, high_bits)?;
    let prob = r.quantized(&what("probabilities"), count, prob_width)?;
    let contexts = if top {
        None
    } else {
        let bits = r.sized(&what("context bits"), bits_to_bytes(count, 1))?;
        let blocks_len = count
            .div_ceil(64)
            .div_ceil(super::bits::RANK_BLOCK_WORDS as u64)
            * 8;
        let blocks = r.sized(&what("context ranks"), blocks_len)?;
        let bo = r.quantized(&what("backoffs"), ctx_count, bo_width)?;
        Some(Contexts {
            bits: RankBits { bits, blocks },
            bo,
        })
    };
    Ok(Level {
        count,
        keys,
        prob,
        contexts,
    })
}

fn parse_elias_fano(
    r: &mut Sections,
    what: &str,
    count: u64,
    low_bits: u64,
    high_bits: u64,
) -> Result<EliasFano, String> {
    // Queries index elements with u32 (see bits::EliasFano).
    if low_bits > 64 || high_bits < count || count > u64::from(u32::MAX) {
        return Err(format!("{what}: parameters are out of range"));
    }
    let low = r.sized(
        &format!("{what} (low bits)"),
        bits_to_bytes(count, low_bits),
    )?;
    let high = r.sized(&format!("{what} (high bits)"), bits_to_bytes(high_bits, 1))?;
    let samples_len = (high_bits - count).div_ceil(SELECT_SAMPLE) * 8;
    r.sized(&format!("{what} (select samples)"), samples_len)?;
    let low = Packed {
        bytes: low,
        width: low_bits as u32,
    };
    Ok(EliasFano::new(count, low, high, high_bits))
}

/// Bytes of whole 64-bit words holding `n` values of `width` bits.
fn bits_to_bytes(n: u64, width: u64) -> u64 {
    n.saturating_mul(width).div_ceil(64).saturating_mul(8)
}

struct Sections<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Sections<'_> {
    fn next(&mut self, what: &str) -> Result<Range<usize>, String> {
        let truncated = || format!("truncated before the end of the {what} section");
        if self.pos + 8 > self.data.len() {
            return Err(truncated());
        }
        let len = u64_at(self.data, self.pos);
        let start = self.pos + 8;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| start.checked_add(l))
            .filter(|&e| e <= self.data.len())
            .ok_or_else(truncated)?;
        self.pos = end.next_multiple_of(8).min(self.data.len());
        Ok(start..end)
    }

    /// A section that must be exactly `len` bytes long.
    fn sized(&mut self, what: &str, len: u64) -> Result<Range<usize>, String> {
        let range = self.next(what)?;
        if range.len() as u64 != len {
            return Err(format!(
                "{what}: {} bytes where {len} were expected",
                range.len()
            ));
        }
        Ok(range)
    }

    fn quantized(&mut self, what: &str, count: u64, width: u64) -> Result<Quantized, String> {
        let table = self.next(&format!("{what} table"))?;
        let entries = table.len() as u64 / 4;
        if table.len() % 4 != 0 || (count > 0 && entries == 0) || entries > 1 << width {
            return Err(format!(
                "{what}: table of {} bytes does not fit {width}-bit codes",
                table.len()
            ));
        }
        let codes = self.sized(&format!("{what} codes"), bits_to_bytes(count, width))?;
        Ok(Quantized {
            table,
            codes: Packed {
                bytes: codes,
                width: width as u32,
            },
        })
    }
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    data.get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    data.get(at..at + 8)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
}
