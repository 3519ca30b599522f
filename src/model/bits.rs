//! Bit-level building blocks read straight from the model bytes: packed fixed-width
//! arrays, a rank bit vector and an Elias-Fano sequence.
//!
//! Everything is stored as little-endian 64-bit words but read through `from_le_bytes`
//! on byte slices, because `include_bytes!` gives no alignment guarantee. Every read is
//! bounds-checked and yields 0 past the end, so a corrupt model gives wrong numbers,
//! never a panic.

use std::ops::Range;
use std::sync::OnceLock;

/// Reads 64-bit word `i` of `bytes`; 0 past the end.
#[inline]
pub(crate) fn word(bytes: &[u8], i: usize) -> u64 {
    let start = i.wrapping_mul(8);
    match bytes.get(start..start.wrapping_add(8)) {
        Some(s) => u64::from_le_bytes(s.try_into().unwrap_or([0; 8])),
        None => 0,
    }
}

/// Reads `width` (0..=64) bits starting at bit `pos`.
#[inline]
pub(crate) fn read_bits(bytes: &[u8], pos: u64, width: u32) -> u64 {
    if width == 0 {
        return 0;
    }
    // A field of up to 57 bits lies in the 8 bytes from its first one: one unaligned load,
    // where the 64-bit words may take two. Only bytes of whole words are loaded so, which
    // reads what the words do (a partial last word reads as 0).
    let byte = (pos / 8) as usize;
    let whole_words = bytes.len() & !7;
    if width <= 57 && byte + 8 <= whole_words {
        let mut field = [0; 8];
        field.copy_from_slice(&bytes[byte..byte + 8]);
        return (u64::from_le_bytes(field) >> (pos % 8)) & mask(width);
    }
    let i = (pos / 64) as usize;
    let shift = (pos % 64) as u32;
    let lo = word(bytes, i) >> shift;
    let value = if shift + width > 64 {
        lo | (word(bytes, i + 1) << (64 - shift))
    } else {
        lo
    };
    value & mask(width)
}

#[inline]
fn mask(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

/// Bits needed to store every value in `0..=max` (0 for max = 0).
pub(crate) fn bits_for(max: u64) -> u32 {
    64 - max.leading_zeros()
}

/// Growable bit buffer used by the builder.
#[derive(Default)]
pub(crate) struct BitWriter {
    words: Vec<u64>,
    len: u64,
}

impl BitWriter {
    pub(crate) fn push(&mut self, value: u64, width: u32) {
        if width == 0 {
            return;
        }
        let value = value & mask(width);
        let shift = (self.len % 64) as u32;
        if shift == 0 {
            self.words.push(0);
        }
        let last = self.words.len() - 1;
        self.words[last] |= value << shift;
        if shift + width > 64 {
            self.words.push(value >> (64 - shift));
        }
        self.len += u64::from(width);
    }

    pub(crate) fn set(&mut self, pos: u64) {
        let i = (pos / 64) as usize;
        if i >= self.words.len() {
            self.words.resize(i + 1, 0);
        }
        self.words[i] |= 1 << (pos % 64);
        self.len = self.len.max(pos + 1);
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }
}

/// A packed array of `width`-bit integers.
#[derive(Clone, Debug)]
pub(crate) struct Packed {
    pub(crate) bytes: Range<usize>,
    pub(crate) width: u32,
}

impl Packed {
    #[inline]
    pub(crate) fn get(&self, data: &[u8], i: u64) -> u64 {
        read_bits(
            self.slice(data),
            i.saturating_mul(u64::from(self.width)),
            self.width,
        )
    }

    /// The array's bytes (empty if the range lies outside `data`).
    #[inline]
    fn slice<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        data.get(self.bytes.clone()).unwrap_or(&[])
    }
}

/// Rank support: one cumulative count per 512-bit block.
pub(crate) const RANK_BLOCK_WORDS: usize = 8;

/// A bit vector with constant-time rank (number of set bits before a position).
#[derive(Clone, Debug)]
pub(crate) struct RankBits {
    pub(crate) bits: Range<usize>,
    pub(crate) blocks: Range<usize>,
}

impl RankBits {
    /// Returns the rank of position `i` if its bit is set.
    #[inline]
    pub(crate) fn rank_if_set(&self, data: &[u8], i: u64) -> Option<u64> {
        let bits = data.get(self.bits.clone()).unwrap_or(&[]);
        let w = (i / 64) as usize;
        let bit = i % 64;
        let current = word(bits, w);
        if current >> bit & 1 == 0 {
            return None;
        }
        let blocks = data.get(self.blocks.clone()).unwrap_or(&[]);
        let block = w / RANK_BLOCK_WORDS;
        let mut rank = word(blocks, block);
        // Wrapping: the block count comes from the file and may be garbage.
        for j in block * RANK_BLOCK_WORDS..w {
            rank = rank.wrapping_add(u64::from(word(bits, j).count_ones()));
        }
        Some(rank.wrapping_add(u64::from((current & mask(bit as u32)).count_ones())))
    }

    /// Serializes a bit vector and its block counts (builder side).
    pub(crate) fn build(set: &[bool]) -> (Vec<u8>, Vec<u8>) {
        let mut w = BitWriter::default();
        for &b in set {
            w.push(u64::from(b), 1);
        }
        let bits = w.into_bytes();
        let mut blocks = Vec::new();
        let mut total = 0u64;
        for (i, chunk) in bits.chunks(8).enumerate() {
            if i % RANK_BLOCK_WORDS == 0 {
                blocks.extend_from_slice(&total.to_le_bytes());
            }
            total += u64::from(word(chunk, 0).count_ones());
        }
        (bits, blocks)
    }
}

/// One zero position is sampled every `SELECT_SAMPLE` zeros of the high bits. The samples
/// are part of the file format; queries use the in-memory bucket table instead (see
/// [`EliasFano`]).
pub(crate) const SELECT_SAMPLE: u64 = 256;

/// An Elias-Fano encoded increasing sequence (duplicates allowed by the coding, the
/// builder never produces them). Element `i` with value `x` is split into `x >> low_bits`
/// (unary, as a 1 at bit `(x >> low_bits) + i` of `high`) and its low bits (packed).
///
/// Membership is a lookup of where the bucket `x >> low_bits` starts and ends, then a
/// binary search of the bucket's low bits (buckets are far from uniform: the bigrams of
/// "the" crowd a few hundred into each of theirs). Where the buckets start is read from a
/// table of one `u32` per bucket, built in memory from the high bits on first use (about
/// 4 bytes per element, some milliseconds once): a query then touches two places of memory,
/// where a select over the high bits touched four or five, and misses of the cache are
/// what a query costs.
#[derive(Clone, Debug)]
pub(crate) struct EliasFano {
    pub(crate) len: u64,
    pub(crate) low: Packed,
    pub(crate) high: Range<usize>,
    pub(crate) high_bits: u64,
    /// `bucket_starts[b]`: the index of the first element of bucket `b`; one entry per
    /// bucket and a last one holding the number of elements.
    bucket_starts: OnceLock<Vec<u32>>,
}

impl EliasFano {
    /// A sequence of `len` elements (at most `u32::MAX`: the format's parser refuses more).
    pub(crate) fn new(len: u64, low: Packed, high: Range<usize>, high_bits: u64) -> EliasFano {
        EliasFano {
            len,
            low,
            high,
            high_bits,
            bucket_starts: OnceLock::new(),
        }
    }

    /// The index of `x` in the sequence, if present.
    #[inline]
    pub(crate) fn find(&self, data: &[u8], x: u64) -> Option<u64> {
        let low = self.low.slice(data);
        let width = self.low.width;
        let (first, end) = self.bucket(data, x)?;
        let want = x & mask(width);
        let low_at = |i: u64| read_bits(low, i.saturating_mul(u64::from(width)), width);
        // Low bits ascend within a bucket: the first element not below `want`.
        let (mut lo, mut hi) = (first, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if low_at(mid) < want {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < end && low_at(lo) == want).then_some(lo)
    }

    /// Calls `f(index, value)` for every value in `range`, in order.
    pub(crate) fn for_each_in(&self, data: &[u8], range: Range<u64>, mut f: impl FnMut(u64, u64)) {
        let low = self.low.slice(data);
        let width = self.low.width;
        let starts = self.bucket_starts(data);
        let mut bucket = range.start.checked_shr(width).unwrap_or(0);
        while let Some(&first) = usize::try_from(bucket).ok().and_then(|b| starts.get(b)) {
            let end = starts
                .get(bucket as usize + 1)
                .map_or(self.len, |&e| u64::from(e));
            for index in u64::from(first)..end.min(self.len) {
                let x = bucket.checked_shl(width).unwrap_or(0)
                    | read_bits(low, index.saturating_mul(u64::from(width)), width);
                if x >= range.end {
                    return;
                }
                if x >= range.start {
                    f(index, x);
                }
            }
            bucket += 1;
            if bucket.checked_shl(width).is_none_or(|b| b >= range.end) {
                return;
            }
        }
    }

    /// The indices of the first element of the bucket of `x` and of the first after it;
    /// None past the last bucket.
    #[inline]
    fn bucket(&self, data: &[u8], x: u64) -> Option<(u64, u64)> {
        let bucket = usize::try_from(x.checked_shr(self.low.width).unwrap_or(0)).ok()?;
        let starts = self.bucket_starts(data);
        let end = *starts.get(bucket.checked_add(1)?)?;
        Some((u64::from(starts[bucket]), u64::from(end)))
    }

    /// The bucket table, built on first use: each zero of the high bits closes a bucket,
    /// and the ones before it are the elements of that bucket and all before.
    fn bucket_starts(&self, data: &[u8]) -> &[u32] {
        self.bucket_starts.get_or_init(|| {
            let high = data.get(self.high.clone()).unwrap_or(&[]);
            let zeros = self.high_bits.saturating_sub(self.len);
            let mut starts = Vec::with_capacity(usize::try_from(zeros + 1).unwrap_or(0));
            starts.push(0);
            let mut closed = 0u64;
            for w in 0..self.high_bits.div_ceil(64) as usize {
                let mut word_zeros = !word(high, w);
                let end = self.high_bits - w as u64 * 64;
                if end < 64 {
                    word_zeros &= mask(end as u32);
                }
                while word_zeros != 0 {
                    let pos = w as u64 * 64 + u64::from(word_zeros.trailing_zeros());
                    // The ones before the zero, capped for a corrupt model with more ones
                    // than elements.
                    let ones = (pos - closed).min(self.len);
                    starts.push(u32::try_from(ones).unwrap_or(u32::MAX));
                    closed += 1;
                    word_zeros &= word_zeros - 1;
                }
            }
            starts
        })
    }
}

/// Serialized parts of an Elias-Fano sequence (builder side).
pub(crate) struct EliasFanoParts {
    pub(crate) low_bits: u32,
    pub(crate) low: Vec<u8>,
    pub(crate) high: Vec<u8>,
    pub(crate) high_bits: u64,
    pub(crate) samples: Vec<u8>,
}

/// Encodes a non-decreasing sequence.
pub(crate) fn elias_fano(values: &[u64]) -> EliasFanoParts {
    let n = values.len() as u64;
    let universe = values.last().map_or(0, |&x| x + 1);
    // The textbook split: low bits = floor(log2(universe / n)).
    let low_bits = if n == 0 || universe <= n {
        0
    } else {
        63 - (universe / n).leading_zeros()
    };
    let mut low = BitWriter::default();
    let mut high = BitWriter::default();
    let mut samples = Vec::new();
    let mut zeros_written = 0u64;
    for (i, &x) in values.iter().enumerate() {
        let bucket = x >> low_bits;
        // Zeros before this element's 1 mark the buckets passed so far.
        while zeros_written < bucket {
            record_zero(&mut samples, zeros_written, zeros_written + i as u64);
            zeros_written += 1;
        }
        high.set(bucket + i as u64);
        low.push(x, low_bits);
    }
    // A closing zero so that the last bucket ends inside the bit vector.
    let last_bucket = values.last().map_or(0, |&x| x >> low_bits);
    while zeros_written <= last_bucket {
        record_zero(&mut samples, zeros_written, zeros_written + n);
        zeros_written += 1;
    }
    let high_bits = zeros_written + n;
    EliasFanoParts {
        low_bits,
        low: low.into_bytes(),
        high: high.into_bytes_padded(high_bits),
        high_bits,
        samples,
    }
}

fn record_zero(samples: &mut Vec<u8>, k: u64, pos: u64) {
    if k.is_multiple_of(SELECT_SAMPLE) {
        samples.extend_from_slice(&pos.to_le_bytes());
    }
}

impl BitWriter {
    /// Bytes covering at least `bits` bits (trailing zero bits included).
    fn into_bytes_padded(mut self, bits: u64) -> Vec<u8> {
        self.words.resize(bits.div_ceil(64) as usize, 0);
        self.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ef_view(parts: &EliasFanoParts, n: u64) -> (Vec<u8>, EliasFano) {
        let mut data = parts.low.clone();
        let low = 0..data.len();
        let high = data.len()..data.len() + parts.high.len();
        data.extend_from_slice(&parts.high);
        let low = Packed {
            bytes: low,
            width: parts.low_bits,
        };
        let ef = EliasFano::new(n, low, high, parts.high_bits);
        (data, ef)
    }

    #[test]
    fn packed_bits_round_trip_across_word_edges() {
        let mut w = BitWriter::default();
        let values: Vec<u64> = (0..200)
            .map(|i| (i * 2_654_435_761u64) & mask(37))
            .collect();
        for &v in &values {
            w.push(v, 37);
        }
        let bytes = w.into_bytes();
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(read_bits(&bytes, i as u64 * 37, 37), v);
        }
        assert_eq!(read_bits(&bytes, 1 << 40, 12), 0, "past the end reads 0");
    }

    #[test]
    fn elias_fano_finds_members_and_only_members() {
        let values: Vec<u64> = (0..5000u64).map(|i| i * i % 7919 + i * 13).collect();
        let mut sorted = values.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let parts = elias_fano(&sorted);
        let (data, ef) = ef_view(&parts, sorted.len() as u64);
        for (i, &x) in sorted.iter().enumerate() {
            assert_eq!(ef.find(&data, x), Some(i as u64), "value {x}");
        }
        let max = *sorted.last().unwrap();
        for x in 0..max + 100 {
            assert_eq!(
                ef.find(&data, x).is_some(),
                sorted.binary_search(&x).is_ok()
            );
        }
        let mut got: Vec<u64> = Vec::new();
        ef.for_each_in(&data, 100..5000, |_, x| got.push(x));
        let want: Vec<u64> = sorted
            .iter()
            .copied()
            .filter(|x| (100..5000).contains(x))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn elias_fano_finds_members_of_crowded_and_empty_buckets() {
        // Thousands of values in a few buckets (like the bigrams of "the") between long
        // stretches of empty buckets, so select runs across many samples and blocks.
        let sparse = (0..3000u64).map(|i| i * 1_000_003);
        let crowded = (0..4000u64).map(|i| 1_500_000_000 + 7 * i);
        let mut values: Vec<u64> = sparse.chain(crowded).collect();
        values.sort_unstable();
        values.dedup();
        let parts = elias_fano(&values);
        let (data, ef) = ef_view(&parts, values.len() as u64);
        assert!(parts.low_bits > 8, "buckets are wide");
        for (i, &x) in values.iter().enumerate() {
            assert_eq!(ef.find(&data, x), Some(i as u64), "value {x}");
            for near in [x.wrapping_sub(1), x + 1, x + 3] {
                let want = values.binary_search(&near).ok().map(|i| i as u64);
                assert_eq!(ef.find(&data, near), want, "value {near}");
            }
        }
        assert_eq!(ef.find(&data, u64::MAX >> 1), None);
    }

    #[test]
    fn elias_fano_handles_empty_and_dense_sequences() {
        let parts = elias_fano(&[]);
        let (data, ef) = ef_view(&parts, 0);
        assert_eq!(ef.find(&data, 0), None);
        let dense: Vec<u64> = (0..1000).collect();
        let parts = elias_fano(&dense);
        let (data, ef) = ef_view(&parts, 1000);
        assert_eq!(parts.low_bits, 0);
        assert_eq!(ef.find(&data, 999), Some(999));
        assert_eq!(ef.find(&data, 1000), None);
    }

    #[test]
    fn rank_counts_set_bits_before() {
        let set: Vec<bool> = (0..3000).map(|i| i % 3 == 0 || i % 7 == 0).collect();
        let (bits, blocks) = RankBits::build(&set);
        let mut data = bits.clone();
        data.extend_from_slice(&blocks);
        let rb = RankBits {
            bits: 0..bits.len(),
            blocks: bits.len()..data.len(),
        };
        let mut rank = 0;
        for (i, &b) in set.iter().enumerate() {
            let got = rb.rank_if_set(&data, i as u64);
            assert_eq!(got, b.then_some(rank));
            rank += u64::from(b);
        }
    }
}
