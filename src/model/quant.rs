//! Quantization of log10 probabilities and backoff weights into small integer codes.
//!
//! A table holds ascending f32 centres; a value is stored as the index of its nearest
//! centre. Because the table is ascending the mapping is monotone: quantization can tie
//! two values but never reverse their order, which is what "without hurting ranking"
//! needs. When a column has at most 2^bits distinct values (true of the sphinx model,
//! whose own quantizer already has 2^16 bins) the table is exactly those values and
//! nothing is lost; otherwise the centres are equal-count bins (the means of each 1/2^bits
//! of the sorted values), as KenLM and sphinxbase do.

use super::bits::{bits_for, BitWriter};

/// Builds an ascending table of at most `2^max_bits` centres for `values`.
pub(crate) fn table(values: &[f32], max_bits: u32) -> Vec<f32> {
    let mut sorted: Vec<f32> = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    let bins = 1usize << max_bits;
    if distinct.len() <= bins {
        return distinct;
    }
    let n = sorted.len();
    let mut centres: Vec<f32> = (0..bins)
        .map(|b| {
            let chunk = &sorted[n * b / bins..n * (b + 1) / bins];
            let sum: f64 = chunk.iter().map(|&v| f64::from(v)).sum();
            (sum / chunk.len().max(1) as f64) as f32
        })
        .collect();
    centres.dedup();
    centres
}

/// The index of the centre nearest to `value` (ties go to the lower centre).
pub(crate) fn encode(table: &[f32], value: f32) -> u64 {
    let above = table.partition_point(|&c| c < value);
    if above == 0 {
        return 0;
    }
    if above == table.len() {
        return (table.len() - 1) as u64;
    }
    let (lo, hi) = (table[above - 1], table[above]);
    if value - lo <= hi - value {
        (above - 1) as u64
    } else {
        above as u64
    }
}

/// Bit width of the codes of a table.
pub(crate) fn code_width(table: &[f32]) -> u32 {
    bits_for(table.len().saturating_sub(1) as u64)
}

/// Encodes `values` against `table` into a packed code array.
pub(crate) fn pack(table: &[f32], values: impl Iterator<Item = f32>) -> Vec<u8> {
    let width = code_width(table);
    let mut w = BitWriter::default();
    for v in values {
        w.push(encode(table, v), width);
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_are_kept_exactly() {
        let t = table(&[-1.5, -0.25, -1.5, -3.0], 4);
        assert_eq!(t, vec![-3.0, -1.5, -0.25]);
        assert_eq!(encode(&t, -1.5), 1);
        assert_eq!(code_width(&t), 2);
    }

    #[test]
    fn many_values_are_binned_monotonically() {
        let values: Vec<f32> = (0..10_000).map(|i| -(i as f32) / 1000.0).collect();
        let t = table(&values, 6);
        assert_eq!(t.len(), 64);
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        let codes: Vec<u64> = values.iter().map(|&v| encode(&t, v)).collect();
        // Values descend, so codes never increase: order is kept, only ties appear.
        assert!(codes.windows(2).all(|c| c[0] >= c[1]));
        let worst = values
            .iter()
            .map(|&v| (t[encode(&t, v) as usize] - v).abs())
            .fold(0.0, f32::max);
        assert!(worst < 0.1, "worst error {worst}");
    }

    #[test]
    fn out_of_range_values_clamp_to_the_ends() {
        let t = vec![-2.0, -1.0];
        assert_eq!(encode(&t, -9.0), 0);
        assert_eq!(encode(&t, 0.5), 1);
    }
}
