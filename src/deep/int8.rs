//! The linear layers' products in integers, where the CPU has AVX-512 VNNI (one `vpdpbusd`
//! multiplies 32 unsigned bytes by 32 signed bytes and adds them in fours, where an f32 FMA
//! does 8 products) or else AVX2 (`vpmaddubsw` and `vpmaddwd` do the same in two steps).
//! The weights keep the file's values (the layers' Q4_1: a 4-bit `q` and each block's `d`
//! and `m`; the output layer's Q8_0: a signed byte and each block's `d`); the activations
//! are rounded to 8 bits per block of 32, to 1/127 of the block's largest magnitude, as
//! llama.cpp and candle do for their quantized products on the CPU.
//! Outputs are laid out eight to a vector, so that one instruction serves eight of them and
//! a block's scales are a vector too: no horizontal sums.

/// Outputs per tile: one 32-bit lane each.
const LANES: usize = 8;

/// Inputs per block (GGML's Q4_1 and the activations' rounding share it).
const BLOCK: usize = 32;

/// Inputs per lane and instruction.
const QUAD: usize = 4;

/// Tokens multiplied together by each tile's weights (while they are in the first-level
/// cache), each with its own accumulators.
const TOKENS_AT_ONCE: usize = 4;

/// The instructions the products run on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// AVX-512 VNNI (with AVX-512 VL, on 256-bit vectors).
    Vnni,
    /// AVX2 and FMA.
    Avx2,
}

/// The best kernel this CPU runs, if any.
pub fn kernel() -> Option<Kernel> {
    #[cfg(target_arch = "x86_64")]
    {
        let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
        let vnni = is_x86_feature_detected!("avx512vnni") && is_x86_feature_detected!("avx512vl");
        match (avx2, vnni) {
            (true, true) => Some(Kernel::Vnni),
            (true, false) => Some(Kernel::Avx2),
            _ => None,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    None
}

/// Quantized weights laid out for the integer products.
pub struct Int8Weights {
    /// Per tile of eight outputs, per four inputs: 32 bytes, lane `j` holding output `j`'s
    /// four values (Q4_1: 0 to 15; Q8_0: signed bytes).
    quads: Vec<u8>,
    /// Per tile, per block: the eight outputs' `d`, then their offset (Q4_1: `m`, which the
    /// sum of the block's activations multiplies; Q8_0 with VNNI: what the activations' shift
    /// to unsigned bytes adds, in steps; with AVX2, none).
    scales: Vec<f32>,
    /// Q8_0: the weights are signed. VNNI multiplies them by the activations shifted by 128;
    /// AVX2 by the activations' magnitudes, with the activations' signs moved onto them.
    signed: bool,
    kernel: Kernel,
    outputs: usize,
    inputs: usize,
}

/// Activations rounded to 8 bits per block, token by token.
struct Int8Activations {
    values: Vec<i8>,
    /// Per token and block: the value of one step.
    steps: Vec<f32>,
    /// Per token and block: the exact sum of the activations (what `m` multiplies).
    sums: Vec<f32>,
}

/// Values in a block of GGML's Q8_0, and the bytes a block takes: an f16 `d`, then the
/// signed bytes.
pub const Q8_0_BLOCK: usize = BLOCK;
pub const Q8_0_BYTES: usize = 2 + Q8_0_BLOCK;

impl Int8Weights {
    /// From Q4_1 blocks, `(outputs, inputs)` row-major (see `llama::Weights::Q4_1`), for
    /// `kernel`; `None` when the outputs do not fill whole tiles.
    pub fn from_q4_1(
        kernel: Kernel,
        nibbles: &[u8],
        scales: &[[f32; 2]],
        outputs: usize,
        inputs: usize,
    ) -> Option<Int8Weights> {
        let blocks = inputs / BLOCK;
        let row = |row: usize, out: &mut [u8]| {
            let row = &nibbles[row * inputs / 2..][..inputs / 2];
            for (block, out) in row.chunks_exact(BLOCK / 2).zip(out.chunks_exact_mut(BLOCK)) {
                let (low, high) = out.split_at_mut(BLOCK / 2);
                for ((low, high), byte) in low.iter_mut().zip(high).zip(block) {
                    *low = byte & 0x0F;
                    *high = byte >> 4;
                }
            }
        };
        let scale = |row: usize, block: usize| scales[row * blocks + block];
        Int8Weights::lay_out((kernel, false), outputs, inputs, row, scale)
    }

    /// From a Q8_0 tensor's bytes, `(outputs, inputs)` row-major, for `kernel`; `None` when
    /// its size or its outputs do not fit.
    pub fn from_q8_0(
        kernel: Kernel,
        data: &[u8],
        outputs: usize,
        inputs: usize,
    ) -> Option<Int8Weights> {
        let blocks = inputs / BLOCK;
        if data.len() != outputs * blocks * Q8_0_BYTES {
            return None;
        }
        let block = |row: usize, block: usize| &data[(row * blocks + block) * Q8_0_BYTES..];
        let row = |row: usize, out: &mut [u8]| {
            for (b, out) in out.chunks_exact_mut(BLOCK).enumerate() {
                out.copy_from_slice(&block(row, b)[2..Q8_0_BYTES]);
            }
        };
        let scale = |row: usize, b: usize| {
            let bytes = block(row, b);
            let d = half::f16::from_le_bytes([bytes[0], bytes[1]]).to_f32();
            let sum: i32 = bytes[2..Q8_0_BYTES]
                .iter()
                .map(|&q| i32::from(q as i8))
                .sum();
            let shift = match kernel {
                Kernel::Vnni => -128.0 * d * sum as f32,
                Kernel::Avx2 => 0.0,
            };
            [d, shift]
        };
        Int8Weights::lay_out((kernel, true), outputs, inputs, row, scale)
    }

    /// `row(r, out)` writes output `r`'s `inputs` values; `scale(r, block)` gives its
    /// block's `d` and offset.
    fn lay_out(
        (kernel, signed): (Kernel, bool),
        outputs: usize,
        inputs: usize,
        row: impl Fn(usize, &mut [u8]),
        scale: impl Fn(usize, usize) -> [f32; 2],
    ) -> Option<Int8Weights> {
        if !outputs.is_multiple_of(LANES) || !inputs.is_multiple_of(BLOCK) {
            return None;
        }
        let blocks = inputs / BLOCK;
        let mut quads = vec![0u8; outputs * inputs];
        let mut scales = Vec::with_capacity(outputs * blocks * 2);
        let mut values = vec![0u8; inputs];
        for (tile, quads) in quads.chunks_exact_mut(LANES * inputs).enumerate() {
            for lane in 0..LANES {
                row(tile * LANES + lane, &mut values);
                for (quad, values) in values.chunks_exact(QUAD).enumerate() {
                    let at = (quad * LANES + lane) * QUAD;
                    quads[at..at + QUAD].copy_from_slice(values);
                }
            }
            for block in 0..blocks {
                let block_scales: [[f32; 2]; LANES] =
                    std::array::from_fn(|lane| scale(tile * LANES + lane, block));
                for kind in 0..2 {
                    scales.extend(block_scales.iter().map(|s| s[kind]));
                }
            }
        }
        Some(Int8Weights {
            quads,
            scales,
            signed,
            kernel,
            outputs,
            inputs,
        })
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x · Wᵀ`: `x` is `(tokens, inputs)` and the result `(tokens, outputs)`, row-major.
    pub fn product(&self, x: &[f32], tokens: usize) -> Vec<f32> {
        assert!(
            kernel().is_some_and(|best| best == self.kernel || self.kernel == Kernel::Avx2),
            "the integer products need {:?}",
            self.kernel
        );
        assert_eq!(x.len(), tokens * self.inputs);
        let mut y = vec![0f32; tokens * self.outputs];
        // Safety: the CPU has the features (asserted above), and the buffers have the sizes
        // the kernel reads and writes (`x`, asserted; `y`, made here; the weights, built so).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            let activations = Int8Activations::round(x);
            match self.kernel {
                Kernel::Vnni => self.product_vnni(&activations, tokens, &mut y),
                Kernel::Avx2 => self.product_avx2(&activations, tokens, &mut y),
            }
        };
        y
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512vnni,avx512vl,avx2,fma")]
    unsafe fn product_vnni(&self, x: &Int8Activations, tokens: usize, y: &mut [f32]) {
        match self.signed {
            true => self.all_tiles::<true, true>(x, tokens, y),
            false => self.all_tiles::<true, false>(x, tokens, y),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn product_avx2(&self, x: &Int8Activations, tokens: usize, y: &mut [f32]) {
        match self.signed {
            true => self.all_tiles::<false, true>(x, tokens, y),
            false => self.all_tiles::<false, false>(x, tokens, y),
        }
    }

    /// Inlined into each kernel's function, which gives it the instructions to use.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn all_tiles<const VNNI: bool, const SIGNED: bool>(
        &self,
        x: &Int8Activations,
        tokens: usize,
        y: &mut [f32],
    ) {
        // Tiles outside, tokens inside: each tile's weights are read from memory once and
        // stay in the first-level cache while every token passes (the output layer's are
        // 28 MB).
        let tiles = self.outputs / LANES;
        let mut tile = 0;
        while tile < tiles {
            let pair = tile + 1 < tiles;
            let mut token = 0;
            while token < tokens {
                let count = (tokens - token).min(TOKENS_AT_ONCE);
                match (count, pair) {
                    (4, true) => self.tiles::<4, 2, VNNI, SIGNED>(x, token, tile, y),
                    (3, true) => self.tiles::<3, 2, VNNI, SIGNED>(x, token, tile, y),
                    (2, true) => self.tiles::<2, 2, VNNI, SIGNED>(x, token, tile, y),
                    (_, true) => self.tiles::<1, 2, VNNI, SIGNED>(x, token, tile, y),
                    (4, false) => self.tiles::<4, 1, VNNI, SIGNED>(x, token, tile, y),
                    (3, false) => self.tiles::<3, 1, VNNI, SIGNED>(x, token, tile, y),
                    (2, false) => self.tiles::<2, 1, VNNI, SIGNED>(x, token, tile, y),
                    (_, false) => self.tiles::<1, 1, VNNI, SIGNED>(x, token, tile, y),
                }
                token += count;
            }
            tile += if pair { 2 } else { 1 };
        }
    }

    /// Outputs of tiles `first_tile .. first_tile + M` for tokens `first .. first + N`: each
    /// activation broadcast serves M tiles, and the N · M sums are independent chains.
    /// `VNNI`: `vpdpbusd`, else AVX2's two steps; `SIGNED`: the weights are signed bytes
    /// (Q8_0, see `Int8Weights::signed`).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn tiles<const N: usize, const M: usize, const VNNI: bool, const SIGNED: bool>(
        &self,
        x: &Int8Activations,
        first: usize,
        first_tile: usize,
        y: &mut [f32],
    ) {
        use std::arch::x86_64::*;
        let blocks = self.inputs / BLOCK;
        let tile_quads = |m: usize| {
            self.quads
                .as_ptr()
                .add((first_tile + m) * LANES * self.inputs)
        };
        let tile_scales = |m: usize| {
            self.scales
                .as_ptr()
                .add((first_tile + m) * blocks * 2 * LANES)
        };
        let mut sums = [[_mm256_setzero_ps(); M]; N];
        for block in 0..blocks {
            let mut products = [[_mm256_setzero_si256(); M]; N];
            for quad in 0..BLOCK / QUAD {
                let at = block * BLOCK + quad * QUAD;
                let mut weights = [_mm256_setzero_si256(); M];
                for (m, weights) in weights.iter_mut().enumerate() {
                    *weights = _mm256_loadu_si256(tile_quads(m).add(at * LANES).cast());
                }
                for (n, products) in products.iter_mut().enumerate() {
                    let values = x.values.as_ptr().add((first + n) * self.inputs + at);
                    let values = _mm256_set1_epi32(values.cast::<i32>().read_unaligned());
                    // Q8_0 needs the activations unsigned: shifted by 128 (VNNI), or their
                    // magnitudes with their signs moved onto the weights (AVX2).
                    let unsigned = match (SIGNED, VNNI) {
                        (true, true) => _mm256_xor_si256(values, _mm256_set1_epi8(-128)),
                        (true, false) => _mm256_abs_epi8(values),
                        (false, _) => values,
                    };
                    for (product, weights) in products.iter_mut().zip(weights) {
                        *product = match (SIGNED, VNNI) {
                            (true, true) => dot::<VNNI>(*product, unsigned, weights),
                            (true, false) => {
                                dot::<VNNI>(*product, unsigned, _mm256_sign_epi8(weights, values))
                            }
                            (false, _) => dot::<VNNI>(*product, weights, unsigned),
                        };
                    }
                }
            }
            for (n, (sums, products)) in sums.iter_mut().zip(products).enumerate() {
                let at = (first + n) * blocks + block;
                let step = _mm256_set1_ps(*x.steps.get_unchecked(at));
                let offset = if SIGNED { &x.steps } else { &x.sums };
                let offset = _mm256_set1_ps(*offset.get_unchecked(at));
                for (m, (sum, product)) in sums.iter_mut().zip(products).enumerate() {
                    let scales = tile_scales(m).add(block * 2 * LANES);
                    let d = _mm256_mul_ps(_mm256_loadu_ps(scales), step);
                    *sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(product), d, *sum);
                    *sum = _mm256_fmadd_ps(_mm256_loadu_ps(scales.add(LANES)), offset, *sum);
                }
            }
        }
        for (n, sums) in sums.iter().enumerate() {
            for (m, sum) in sums.iter().enumerate() {
                let at = (first + n) * self.outputs + (first_tile + m) * LANES;
                _mm256_storeu_ps(y.as_mut_ptr().add(at), *sum);
            }
        }
    }
}

/// `sum` plus the products of the unsigned bytes of `a` and the signed bytes of `b`, four to
/// a 32-bit lane: one `vpdpbusd`, or `vpmaddubsw` (pairs to 16 bits, which the operands here
/// never saturate: at most 2 · 127 · 128) and `vpmaddwd`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn dot<const VNNI: bool>(
    sum: std::arch::x86_64::__m256i,
    a: std::arch::x86_64::__m256i,
    b: std::arch::x86_64::__m256i,
) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::*;
    if VNNI {
        _mm256_dpbusd_epi32(sum, a, b)
    } else {
        let pairs = _mm256_maddubs_epi16(a, b);
        _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
    }
}

impl Int8Activations {
    /// Each block of 32 activations in four vectors: its largest magnitude, its sum, and its
    /// values rounded to the nearest step (ties to even, the CPU's rounding).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn round(x: &[f32]) -> Int8Activations {
        use std::arch::x86_64::*;
        let blocks = x.len() / BLOCK;
        let mut rounded = Int8Activations {
            values: vec![0; blocks * BLOCK],
            steps: Vec::with_capacity(blocks),
            sums: Vec::with_capacity(blocks),
        };
        let sign = _mm256_set1_ps(-0.0);
        // `packs` interleaves the halves of its operands: this puts the bytes back in order.
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        let horizontal = |v: __m256| {
            let v = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
            let v = _mm_add_ps(v, _mm_movehl_ps(v, v));
            _mm_cvtss_f32(_mm_add_ss(v, _mm_shuffle_ps(v, v, 1)))
        };
        for (block, out) in x
            .chunks_exact(BLOCK)
            .zip(rounded.values.chunks_exact_mut(BLOCK))
        {
            let v = [0, 8, 16, 24].map(|at| _mm256_loadu_ps(block.as_ptr().add(at)));
            let largest = v
                .iter()
                .map(|&v| _mm256_andnot_ps(sign, v))
                .reduce(|a, b| _mm256_max_ps(a, b))
                .unwrap_or(sign);
            let largest = _mm256_max_ps(largest, _mm256_permute2f128_ps(largest, largest, 1));
            let largest = _mm256_max_ps(largest, _mm256_permute_ps(largest, 0b01_00_11_10));
            let largest = _mm_cvtss_f32(_mm256_castps256_ps128(_mm256_max_ps(
                largest,
                _mm256_permute_ps(largest, 0b10_11_00_01),
            )));
            let scale = _mm256_set1_ps(if largest > 0.0 { 127.0 / largest } else { 0.0 });
            let q = v.map(|v| _mm256_cvtps_epi32(_mm256_mul_ps(v, scale)));
            let words = [
                _mm256_packs_epi32(q[0], q[1]),
                _mm256_packs_epi32(q[2], q[3]),
            ];
            let bytes = _mm256_packs_epi16(words[0], words[1]);
            let bytes = _mm256_permutevar8x32_epi32(bytes, order);
            _mm256_storeu_si256(out.as_mut_ptr().cast(), bytes);
            rounded.steps.push(largest / 127.0);
            rounded.sums.push(horizontal(_mm256_add_ps(
                _mm256_add_ps(v[0], v[1]),
                _mm256_add_ps(v[2], v[3]),
            )));
        }
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::super::llama::q4_1_blocks;
    use super::super::llama::tests::quantized;
    use super::*;
    use candle_core::quantized::GgmlDType;

    /// A Q4_1 matrix as candle quantizes it: its nibbles, scales and f32 values.
    fn q4_1(outputs: usize, inputs: usize) -> (Vec<u8>, Vec<[f32; 2]>, Vec<f32>) {
        let (quantized, expanded) = quantized(GgmlDType::Q4_1, outputs, inputs);
        let (nibbles, scales) = q4_1_blocks(&quantized.data().unwrap());
        (nibbles, scales, expanded)
    }

    /// Asserts that `int8` computes `x · Wᵀ` for `weights` (f32, `(outputs, inputs)`) with the
    /// activations rounded to 1/127 of their block's largest magnitude, as exactly as f32
    /// sums allow; `m(output, block)` is the offset that multiplies the block's exact sum.
    fn assert_product(int8: &Int8Weights, weights: &[f32], m: impl Fn(usize, usize) -> f32) {
        let (outputs, inputs) = (int8.outputs, int8.inputs);
        // Seven tokens: a group of four, then three; magnitudes that differ by block.
        let tokens = 7;
        let x: Vec<f32> = (0..tokens * inputs)
            .map(|i| (((i * 53) % 97) as f32 / 48.0 - 0.7) * (1 + (i / BLOCK) % 5) as f32)
            .collect();
        let rounded: Vec<f32> = x
            .chunks_exact(BLOCK)
            .flat_map(|block| {
                let step = block.iter().fold(0f32, |a, v| a.max(v.abs())) / 127.0;
                block
                    .iter()
                    .map(move |v| (v / step).round_ties_even() * step)
            })
            .collect();
        let y = int8.product(&x, tokens);
        for t in 0..tokens {
            for o in 0..outputs {
                let (mut expected, mut magnitude) = (0f32, 0f32);
                for k in 0..inputs {
                    let (w, v) = (weights[o * inputs + k], rounded[t * inputs + k]);
                    // `m · v` is computed from the exact activation.
                    let exact = m(o, k / BLOCK) * (x[t * inputs + k] - v);
                    expected += w * v + exact;
                    magnitude += (w * v).abs();
                }
                let got = y[t * outputs + o];
                assert!(
                    (got - expected).abs() <= 1e-5 * magnitude,
                    "token {t}, output {o}: {got} for {expected}"
                );
            }
        }
    }

    /// The kernels this CPU runs (a CPU with VNNI runs the AVX2 one too).
    fn kernels() -> Vec<Kernel> {
        match kernel() {
            Some(Kernel::Vnni) => vec![Kernel::Vnni, Kernel::Avx2],
            Some(Kernel::Avx2) => vec![Kernel::Avx2],
            None => {
                eprintln!("skipped: this CPU has no AVX2 (the f32 products are used)");
                Vec::new()
            }
        }
    }

    #[test]
    fn q4_1_products_stay_within_the_rounding_of_the_activations() {
        // Three tiles of outputs: a pair, then one alone.
        let (outputs, inputs) = (24, 96);
        let (nibbles, scales, weights) = q4_1(outputs, inputs);
        for kernel in kernels() {
            let int8 = Int8Weights::from_q4_1(kernel, &nibbles, &scales, outputs, inputs).unwrap();
            assert_product(&int8, &weights, |o, block| {
                scales[o * inputs / BLOCK + block][1]
            });
        }
    }

    #[test]
    fn q8_0_products_stay_within_the_rounding_of_the_activations() {
        let (outputs, inputs) = (24, 96);
        let (quantized, weights) = quantized(GgmlDType::Q8_0, outputs, inputs);
        let data = quantized.data().unwrap();
        for kernel in kernels() {
            let int8 = Int8Weights::from_q8_0(kernel, &data, outputs, inputs).unwrap();
            assert!(int8.signed);
            assert_product(&int8, &weights, |_, _| 0.0);
        }
    }

    #[test]
    fn only_whole_tiles_of_outputs_are_laid_out() {
        let (nibbles, scales, _) = q4_1(12, 32);
        assert!(Int8Weights::from_q4_1(Kernel::Avx2, &nibbles, &scales, 12, 32).is_none());
        let (nibbles, scales, _) = q4_1(8, 32);
        let int8 = Int8Weights::from_q4_1(Kernel::Avx2, &nibbles, &scales, 8, 32).unwrap();
        assert_eq!(int8.quads.len(), 8 * 32);
        // Lane 1 of the first quad: output 1's first four weights.
        let first = |row: usize, i: usize| nibbles[row * 16 + i] & 0x0F;
        assert_eq!(
            int8.quads[4..8],
            [first(1, 0), first(1, 1), first(1, 2), first(1, 3)]
        );
    }
}
