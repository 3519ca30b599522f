//! A Llama-architecture causal language model (SmolLM2) read from GGUF, on candle. Unlike
//! candle-transformers' `quantized_llama`, which keeps a mutable cache and returns only the
//! last position's scores, this forward pass is stateless (`&self`, so threads share one
//! model), gives every position's hidden state (`Llama::scores` turns the rows wanted into
//! scores over the vocabulary), takes the keys and values of a shared prefix, and runs
//! tokens that each have their own position and their own view of the prefix (`Pass`), so
//! that the candidate rewrites of a sentence's slots are scored together, from each slot on.

use super::int8::{self, Int8Weights, Q8_0_BLOCK, Q8_0_BYTES};
use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{CpuStorage, DType, Device, Storage, Tensor};
use half::f16;
use std::cell::RefCell;
use std::io::{Read, Seek};

/// Positions the rotary tables cover: a sentence with its context is far shorter.
pub const MAX_POSITIONS: usize = 4096;

/// A linear layer's weights, `(outputs, inputs)` row-major.
enum Weights {
    /// Expanded to f32 at load time.
    F32(Tensor),
    /// As the file has them, in GGML's Q4_1 (blocks of 32 weights, each `d · q + m` with a
    /// 4-bit `q`), and expanded to f32 for each product, into a buffer of the thread's: the
    /// model takes a fifth of the memory, and the products see the very values that
    /// expanding at load time gave.
    Q4_1 {
        /// Each block's 16 bytes: weight `j` in the low half of byte `j`, weight `16 + j` in
        /// the high half.
        nibbles: Vec<u8>,
        /// Each block's `d` and `m`.
        scales: Vec<[f32; 2]>,
    },
    /// The same values laid out for integer products (`int8.rs`), where the CPU has them.
    Int8(Int8Weights),
}

/// Weights in a block of GGML's Q4_1, and the bytes a block takes (two f16, then the nibbles).
const Q4_1_BLOCK: usize = 32;
const Q4_1_BYTES: usize = 20;

struct Linear {
    weights: Weights,
    outputs: usize,
    inputs: usize,
}

/// The values of a contiguous f32 tensor on the CPU, without a copy.
fn with_values<T>(tensor: &Tensor, f: impl FnOnce(&[f32]) -> T) -> candle_core::Result<T> {
    let tensor = tensor.contiguous()?;
    let (storage, layout) = tensor.storage_and_layout();
    match &*storage {
        Storage::Cpu(CpuStorage::F32(values)) => Ok(f(
            &values[layout.start_offset()..][..layout.shape().elem_count()]
        )),
        _ => candle_core::bail!("expected f32 values on the CPU"),
    }
}

thread_local! {
    /// The f32 weights of the product at hand (`Weights::Q4_1`).
    static EXPANDED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Q4_1 blocks expanded to f32, as candle's own dequantization computes them.
fn expand_q4_1_portable(nibbles: &[u8], scales: &[[f32; 2]], out: &mut [f32]) {
    let blocks = out
        .chunks_exact_mut(Q4_1_BLOCK)
        .zip(nibbles.chunks_exact(Q4_1_BLOCK / 2))
        .zip(scales);
    for ((out, block), &[d, m]) in blocks {
        let (low, high) = out.split_at_mut(Q4_1_BLOCK / 2);
        for ((low, high), &byte) in low.iter_mut().zip(high).zip(block) {
            *low = f32::from(byte & 0x0F) * d + m;
            *high = f32::from(byte >> 4) * d + m;
        }
    }
}

/// The same with AVX2, eight weights at a time (a multiplication and an addition, not fused,
/// as in the portable loop, so that the values are the same).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn expand_q4_1_avx2(nibbles: &[u8], scales: &[[f32; 2]], out: &mut [f32]) {
    use std::arch::x86_64::*;
    let low_bits = _mm_set1_epi8(0x0F);
    let blocks = out
        .chunks_exact_mut(Q4_1_BLOCK)
        .zip(nibbles.chunks_exact(Q4_1_BLOCK / 2))
        .zip(scales);
    for ((out, block), &[d, m]) in blocks {
        let bytes = _mm_loadu_si128(block.as_ptr().cast());
        let low = _mm_and_si128(bytes, low_bits);
        let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_bits);
        let (d, m) = (_mm256_set1_ps(d), _mm256_set1_ps(m));
        for (half, quarter) in [low, high].into_iter().zip(out.chunks_exact_mut(16)) {
            let first = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(half));
            let second = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(half, 8)));
            let at = quarter.as_mut_ptr();
            _mm256_storeu_ps(at, _mm256_add_ps(_mm256_mul_ps(first, d), m));
            _mm256_storeu_ps(at.add(8), _mm256_add_ps(_mm256_mul_ps(second, d), m));
        }
    }
}

/// Rows `ids` of a Q8_0 matrix `width` wide, in f32 (`d · q`, as candle expands them).
fn q8_0_rows(data: &[u8], width: usize, ids: &[u32]) -> candle_core::Result<Vec<f32>> {
    let row_bytes = width / Q8_0_BLOCK * Q8_0_BYTES;
    let mut x = Vec::with_capacity(ids.len() * width);
    for &id in ids {
        let at = id as usize * row_bytes;
        let Some(row) = data.get(at..at + row_bytes) else {
            candle_core::bail!("token {id} is outside the vocabulary");
        };
        for block in row.chunks_exact(Q8_0_BYTES) {
            let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
            x.extend(block[2..].iter().map(|&q| d * f32::from(q as i8)));
        }
    }
    Ok(x)
}

/// A Q4_1 tensor's bytes as `Weights::Q4_1` keeps them: the nibbles, and each block's scales.
pub(super) fn q4_1_blocks(data: &[u8]) -> (Vec<u8>, Vec<[f32; 2]>) {
    let blocks = data.len() / Q4_1_BYTES;
    let mut nibbles = Vec::with_capacity(blocks * Q4_1_BLOCK / 2);
    let mut scales = Vec::with_capacity(blocks);
    for block in data.chunks_exact(Q4_1_BYTES) {
        let half = |at: usize| f16::from_le_bytes([block[at], block[at + 1]]).to_f32();
        scales.push([half(0), half(2)]);
        nibbles.extend_from_slice(&block[4..]);
    }
    (nibbles, scales)
}

fn expand_q4_1(nibbles: &[u8], scales: &[[f32; 2]], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") {
        // Safety: the CPU has AVX2.
        return unsafe { expand_q4_1_avx2(nibbles, scales, out) };
    }
    expand_q4_1_portable(nibbles, scales, out);
}

impl Linear {
    fn load(t: QTensor, device: &Device) -> candle_core::Result<Linear> {
        let (outputs, inputs) = t.shape().dims2()?;
        if t.dtype() != GgmlDType::Q4_1 || inputs % Q4_1_BLOCK != 0 {
            return Ok(Linear {
                weights: Weights::F32(t.dequantize(device)?),
                outputs,
                inputs,
            });
        }
        let data = t.data()?;
        let blocks = outputs * inputs / Q4_1_BLOCK;
        if data.len() != blocks * Q4_1_BYTES {
            candle_core::bail!("a Q4_1 tensor of {} bytes for {blocks} blocks", data.len());
        }
        let (nibbles, scales) = q4_1_blocks(&data);
        if let Some(kernel) = int8::kernel() {
            let weights = Int8Weights::from_q4_1(kernel, &nibbles, &scales, outputs, inputs);
            if let Some(weights) = weights {
                return Ok(Linear {
                    weights: Weights::Int8(weights),
                    outputs,
                    inputs,
                });
            }
        }
        Ok(Linear {
            weights: Weights::Q4_1 { nibbles, scales },
            outputs,
            inputs,
        })
    }

    /// `x` is `(tokens, inputs)`. Integer weights go to `int8.rs`; for the others gemm is
    /// called directly, on the calling thread: the deep tier runs sentences on both cores
    /// itself, and candle's own product would split each small one across the threads (and
    /// read the CPU count from /proc each time). It
    /// computes `W · xᵀ` into a row-major `(outputs, tokens)` and transposes that: with the
    /// weights as the left operand and that layout, gemm packs them without the strided
    /// copy that took more time than the products themselves at a sentence's few dozen
    /// tokens.
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let (tokens, inputs) = x.dims2()?;
        let outputs = self.outputs;
        if inputs != self.inputs {
            candle_core::bail!("a linear layer of {} inputs given {inputs}", self.inputs);
        }
        // `yᵀ`, `(outputs, tokens)`, from gemm on f32 weights.
        let transposed = |weights: &[f32]| {
            let mut y = vec![0f32; outputs * tokens];
            with_values(x, |x| {
                // Safety: `y` holds `outputs × tokens`, `weights` `outputs × inputs` and `x`
                // `tokens × inputs` values, laid out as the strides say; gemm writes only `y`.
                unsafe {
                    gemm::gemm(
                        outputs,
                        tokens,
                        inputs,
                        y.as_mut_ptr(),
                        1,
                        tokens as isize,
                        false,
                        weights.as_ptr(),
                        1,
                        inputs as isize,
                        x.as_ptr(),
                        inputs as isize,
                        1,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        gemm::Parallelism::None,
                    );
                }
            })?;
            Tensor::from_vec(y, (outputs, tokens), &Device::Cpu)?
                .t()?
                .contiguous()
        };
        match &self.weights {
            Weights::Int8(weights) => {
                let y = with_values(x, |x| weights.product(x, tokens))?;
                Tensor::from_vec(y, (tokens, outputs), &Device::Cpu)
            }
            Weights::F32(weights) => with_values(weights, transposed)?,
            Weights::Q4_1 { nibbles, scales } => EXPANDED.with(|expanded| {
                let mut expanded = expanded.borrow_mut();
                expanded.resize(outputs * inputs, 0.0);
                expand_q4_1(nibbles, scales, &mut expanded);
                transposed(&expanded)
            }),
        }
    }
}

/// The output layer.
enum Output {
    /// Transposed, `(width, vocabulary)`, in f16: SmolLM2's shares the embeddings (one copy
    /// of 57 MB; in f32 it would take 57 MB more), and a product with the contiguous
    /// transposed matrix is twice as fast as with a transposed view.
    F16Transposed(Tensor),
    /// Q8_0 weights in integer products, where the CPU has them (`int8.rs`).
    Int8(Int8Weights),
}

struct Layer {
    attention_norm: Tensor,
    wq: Linear,
    wk: Linear,
    wv: Linear,
    wo: Linear,
    ffn_norm: Tensor,
    gate: Linear,
    up: Linear,
    down: Linear,
}

/// The token embeddings.
enum Embeddings {
    /// Transposed, `(width, vocabulary)`, in f16 (the output layer's layout, when it shares
    /// them).
    F16Transposed(Tensor),
    /// As the file has them, where the output layer is in integers: GGML's Q8_0 blocks, a
    /// token's row expanded when it is read.
    Q8_0 { data: Vec<u8>, width: usize },
}

pub struct Llama {
    embeddings: Embeddings,
    output: Output,
    layers: Vec<Layer>,
    norm: Tensor,
    heads: usize,
    kv_heads: usize,
    head_dim: usize,
    eps: f64,
    cos: Tensor,
    sin: Tensor,
    device: Device,
}

/// The keys and values of a token sequence, per layer: `(1, kv heads, tokens, head dim)`,
/// and the position each token had. Rotary positions enter attention only as differences, so
/// tokens may be dropped from the middle (an earlier sentence) and reading goes on from the
/// last position.
#[derive(Clone)]
pub struct Prefix {
    layers: Vec<(Tensor, Tensor)>,
    positions: Vec<usize>,
}

impl Prefix {
    /// No tokens, and no tensors: for tests of what is built on a scored sentence.
    #[cfg(test)]
    pub fn empty() -> Prefix {
        Prefix {
            layers: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Tokens held.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// The position of token `index`.
    pub fn position(&self, index: usize) -> usize {
        self.positions[index]
    }

    /// The position of the next token.
    pub fn next_position(&self) -> usize {
        self.positions.last().map_or(0, |p| p + 1)
    }

    /// The keys and values of the first `len` tokens only.
    pub fn truncate(&self, len: usize) -> candle_core::Result<Prefix> {
        let layers = self
            .layers
            .iter()
            .map(|(k, v)| Ok((k.narrow(2, 0, len)?, v.narrow(2, 0, len)?)))
            .collect::<candle_core::Result<_>>()?;
        Ok(Prefix {
            layers,
            positions: self.positions[..len].to_vec(),
        })
    }

    /// The first `keep` tokens and those from `from` on: the start of the document and the
    /// last sentence, dropping the one before.
    pub fn splice(&self, keep: usize, from: usize) -> candle_core::Result<Prefix> {
        let rest = self.len() - from;
        let join = |t: &Tensor| -> candle_core::Result<Tensor> {
            Tensor::cat(&[&t.narrow(2, 0, keep)?, &t.narrow(2, from, rest)?], 2)
        };
        let layers = self
            .layers
            .iter()
            .map(|(k, v)| Ok((join(k)?, join(v)?)))
            .collect::<candle_core::Result<_>>()?;
        let mut positions = self.positions[..keep].to_vec();
        positions.extend_from_slice(&self.positions[from..]);
        Ok(Prefix { layers, positions })
    }
}

/// Tokens run in one forward pass after a prefix: each at its own position, and what each
/// sees. One sentence read after its context is a run of consecutive positions where each
/// token sees all before it; the candidate rewrites of a sentence's slots are many short
/// runs in one pass, each seeing the sentence only up to its slot and its own tokens, so
/// their matrix products are one large product instead of many small ones.
pub struct Pass {
    pub ids: Vec<u32>,
    pub positions: Vec<usize>,
    /// For each token: the prefix tokens it sees (the first so many) and the first token of
    /// the pass it sees (it sees those from there up to itself).
    pub sees: Vec<(usize, usize)>,
}

impl Pass {
    /// `ids` after all of a prefix of `cached` tokens, from `position` on.
    pub fn run(ids: Vec<u32>, cached: usize, position: usize) -> Pass {
        let len = ids.len();
        Pass {
            ids,
            positions: (position..position + len).collect(),
            sees: vec![(cached, 0); len],
        }
    }

    /// Adds a run of `ids` from `position` on, each token seeing the first `cached` tokens of
    /// the prefix and the run's own tokens up to itself.
    pub fn push_run(&mut self, ids: &[u32], cached: usize, position: usize) {
        let first = self.ids.len();
        self.ids.extend_from_slice(ids);
        self.positions.extend(position..position + ids.len());
        self.sees
            .extend(std::iter::repeat_n((cached, first), ids.len()));
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Additive mask, `(tokens, prefix + tokens)`: 0 where a token sees another, -∞ elsewhere.
    fn mask(&self, prefix: usize, device: &Device) -> candle_core::Result<Tensor> {
        let len = self.len();
        let width = prefix + len;
        let mut mask = vec![f32::NEG_INFINITY; len * width];
        for (i, &(cached, first)) in self.sees.iter().enumerate() {
            let row = &mut mask[i * width..(i + 1) * width];
            row[..cached].fill(0.0);
            row[prefix + first..=prefix + i].fill(0.0);
        }
        Tensor::from_vec(mask, (len, width), device)
    }
}

fn metadata_u32(content: &gguf_file::Content, key: &str) -> candle_core::Result<usize> {
    match content.metadata.get(key) {
        Some(value) => Ok(value.to_u32()? as usize),
        None => candle_core::bail!("no {key} in the metadata"),
    }
}

impl Llama {
    pub fn load<R: Read + Seek>(
        content: &gguf_file::Content,
        reader: &mut R,
        device: &Device,
    ) -> candle_core::Result<Llama> {
        let heads = metadata_u32(content, "llama.attention.head_count")?;
        let kv_heads = metadata_u32(content, "llama.attention.head_count_kv")?;
        let blocks = metadata_u32(content, "llama.block_count")?;
        let width = metadata_u32(content, "llama.embedding_length")?;
        let eps = match content
            .metadata
            .get("llama.attention.layer_norm_rms_epsilon")
        {
            Some(v) => f64::from(v.to_f32()?),
            None => 1e-5,
        };
        let freq_base = match content.metadata.get("llama.rope.freq_base") {
            Some(v) => v.to_f32()?,
            None => 10_000.0,
        };
        let head_dim = width / heads;
        let mut tensor = |name: &str| content.tensor(reader, name, device);
        // The layers' products are in integers where the CPU has AVX2 (`int8.rs`), else in
        // f32 (gemm, with the CPU's vector units chosen at run time): those read a sentence
        // about 1.8 times faster than candle's f16 ones, which were 2.2 times faster than its
        // quantized ones.
        let linear = |t: QTensor| Linear::load(t, device);
        let transposed_f16 = |t: &QTensor| -> candle_core::Result<Tensor> {
            t.dequantize_f16(device)?.t()?.contiguous()
        };
        // Q8_0 tables go to the integer products where the CPU has them.
        let integer = |t: &QTensor| int8::kernel().filter(|_| t.dtype() == GgmlDType::Q8_0);
        let token_embd = tensor("token_embd.weight")?;
        let embeddings = if integer(&token_embd).is_some() {
            Embeddings::Q8_0 {
                data: token_embd.data()?.into_owned(),
                width,
            }
        } else {
            Embeddings::F16Transposed(transposed_f16(&token_embd)?)
        };
        let output_layer = |t: &QTensor| -> candle_core::Result<Output> {
            let (vocabulary, inputs) = t.shape().dims2()?;
            let int8 = match integer(t) {
                Some(kernel) => Int8Weights::from_q8_0(kernel, &t.data()?, vocabulary, inputs),
                None => None,
            };
            match int8 {
                Some(weights) => Ok(Output::Int8(weights)),
                None => Ok(Output::F16Transposed(transposed_f16(t)?)),
            }
        };
        // Small models share the embedding matrix with the output layer.
        let output = if content.tensor_infos.contains_key("output.weight") {
            output_layer(&tensor("output.weight")?)?
        } else if let Embeddings::F16Transposed(shared) = &embeddings {
            Output::F16Transposed(shared.clone())
        } else {
            output_layer(&token_embd)?
        };
        let norm = tensor("output_norm.weight")?.dequantize(device)?;
        let mut layers = Vec::with_capacity(blocks);
        for i in 0..blocks {
            let mut get = |name: &str| tensor(&format!("blk.{i}.{name}.weight"));
            layers.push(Layer {
                attention_norm: get("attn_norm")?.dequantize(device)?,
                wq: linear(get("attn_q")?)?,
                wk: linear(get("attn_k")?)?,
                wv: linear(get("attn_v")?)?,
                wo: linear(get("attn_output")?)?,
                ffn_norm: get("ffn_norm")?.dequantize(device)?,
                gate: linear(get("ffn_gate")?)?,
                up: linear(get("ffn_up")?)?,
                down: linear(get("ffn_down")?)?,
            });
        }
        let (cos, sin) = rotary_tables(head_dim, freq_base, device)?;
        Ok(Llama {
            embeddings,
            output,
            layers,
            norm,
            heads,
            kv_heads,
            head_dim,
            eps,
            cos,
            sin,
            device: device.clone(),
        })
    }

    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// Runs the pass's tokens after `prefix` and returns their hidden states after the final
    /// norm, `(tokens, width)` (see `scores`), and the keys and values of the prefix followed
    /// by the pass's tokens. Positions must stay below `MAX_POSITIONS`.
    pub fn forward(
        &self,
        pass: &Pass,
        prefix: Option<&Prefix>,
    ) -> candle_core::Result<(Tensor, Prefix)> {
        let len = pass.len();
        let cached = prefix.map_or(0, Prefix::len);
        let mut x = self.embed(&pass.ids)?;
        let mask = pass.mask(cached, &self.device)?;
        let positions: Vec<u32> = pass.positions.iter().map(|&p| p as u32).collect();
        let positions = Tensor::new(positions.as_slice(), &self.device)?;
        let cos = self.cos.index_select(&positions, 0)?;
        let sin = self.sin.index_select(&positions, 0)?;
        let mut cache = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            let h = candle_nn::ops::rms_norm(&x, &layer.attention_norm, self.eps as f32)?;
            let heads = |m: &Linear, n: usize| -> candle_core::Result<Tensor> {
                m.forward(&h)?
                    .reshape((1, len, n, self.head_dim))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let q = candle_nn::rotary_emb::rope_i(&heads(&layer.wq, self.heads)?, &cos, &sin)?;
            let k = candle_nn::rotary_emb::rope_i(&heads(&layer.wk, self.kv_heads)?, &cos, &sin)?;
            let v = heads(&layer.wv, self.kv_heads)?;
            let (k, v) = match prefix {
                Some(p) => {
                    let (pk, pv) = &p.layers[i];
                    (Tensor::cat(&[pk, &k], 2)?, Tensor::cat(&[pv, &v], 2)?)
                }
                None => (k, v),
            };
            let group = self.heads / self.kv_heads;
            let scores =
                (q.matmul(&repeat_heads(&k, group)?.t()?)? / (self.head_dim as f64).sqrt())?;
            let scores = scores.broadcast_add(&mask)?;
            let weights = candle_nn::ops::softmax_last_dim(&scores)?;
            let attended = weights
                .matmul(&repeat_heads(&v, group)?)?
                .transpose(1, 2)?
                .reshape((len, ()))?;
            cache.push((k, v));
            x = (x + layer.wo.forward(&attended)?)?;
            let h = candle_nn::ops::rms_norm(&x, &layer.ffn_norm, self.eps as f32)?;
            let gated =
                (candle_nn::ops::silu(&layer.gate.forward(&h)?)? * layer.up.forward(&h)?)?;
            x = (x + layer.down.forward(&gated)?)?;
        }
        let x = candle_nn::ops::rms_norm(&x, &self.norm, self.eps as f32)?;
        let mut positions = prefix.map_or_else(Vec::new, |p| p.positions.clone());
        positions.extend_from_slice(&pass.positions);
        Ok((
            x,
            Prefix {
                layers: cache,
                positions,
            },
        ))
    }

    /// The embeddings of `ids`, `(tokens, width)` in f32.
    fn embed(&self, ids: &[u32]) -> candle_core::Result<Tensor> {
        match &self.embeddings {
            Embeddings::F16Transposed(embeddings_t) => embeddings_t
                .index_select(&Tensor::new(ids, &self.device)?, 1)?
                .t()?
                .to_dtype(DType::F32)?
                .contiguous(),
            Embeddings::Q8_0 { data, width } => {
                let x = q8_0_rows(data, *width, ids)?;
                Tensor::from_vec(x, (ids.len(), *width), &self.device)
            }
        }
    }

    /// The output layer: scores over the vocabulary, `(rows, vocabulary)`, for the given
    /// rows of `forward`'s hidden states (all when `None`): a candidate's last token and its
    /// padding need none.
    pub fn scores(&self, hidden: &Tensor, rows: Option<&[u32]>) -> candle_core::Result<Tensor> {
        let hidden = match rows {
            Some(rows) => hidden.index_select(&Tensor::new(rows, &self.device)?, 0)?,
            None => hidden.clone(),
        };
        match &self.output {
            Output::F16Transposed(output_t) => hidden
                .to_dtype(DType::F16)?
                .matmul(output_t)?
                .to_dtype(DType::F32),
            Output::Int8(weights) => {
                let rows = hidden.dim(0)?;
                let scores = with_values(&hidden, |x| weights.product(x, rows))?;
                Tensor::from_vec(scores, (rows, weights.outputs()), &self.device)
            }
        }
    }
}

/// Each key and value head serves `group` query heads.
fn repeat_heads(t: &Tensor, group: usize) -> candle_core::Result<Tensor> {
    if group == 1 {
        return Ok(t.clone());
    }
    let (batch, heads, len, dim) = t.dims4()?;
    Tensor::cat(&vec![t; group], 2)?.reshape((batch, heads * group, len, dim))
}

fn rotary_tables(
    head_dim: usize,
    freq_base: f32,
    device: &Device,
) -> candle_core::Result<(Tensor, Tensor)> {
    let inverse: Vec<f32> = (0..head_dim)
        .step_by(2)
        .map(|i| 1.0 / freq_base.powf(i as f32 / head_dim as f32))
        .collect();
    let inverse = Tensor::from_vec(inverse, (1, head_dim / 2), device)?;
    let positions = Tensor::arange(0u32, MAX_POSITIONS as u32, device)?
        .to_dtype(DType::F32)?
        .reshape((MAX_POSITIONS, 1))?;
    let angles = positions.matmul(&inverse)?;
    Ok((angles.cos()?, angles.sin()?))
}

/// The log-probability of `target` under one position's scores, computed without a copy.
pub fn log_probability(scores: &[f32], target: u32) -> f32 {
    scores[target as usize] - log_sum_exp(scores)
}

pub fn log_sum_exp(scores: &[f32]) -> f32 {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    max + scores.iter().map(|s| (s - max).exp()).sum::<f32>().ln()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn log_probability_normalizes_over_the_vocabulary() {
        let scores = [1.0f32, 2.0, 3.0];
        let total: f32 = (0..3).map(|t| log_probability(&scores, t).exp()).sum();
        assert!((total - 1.0).abs() < 1e-5);
        assert!(log_probability(&scores, 2) > log_probability(&scores, 0));
    }

    /// A `(rows, columns)` matrix as candle quantizes it in `dtype`, and its values as candle
    /// expands them to f32.
    pub(in crate::deep) fn quantized(
        dtype: GgmlDType,
        rows: usize,
        columns: usize,
    ) -> (QTensor, Vec<f32>) {
        let values: Vec<f32> = (0..rows * columns)
            .map(|i| ((i * 37 + i / 7) % 101) as f32 / 50.0 - 0.6)
            .collect();
        let tensor = Tensor::from_vec(values, (rows, columns), &Device::Cpu).unwrap();
        let quantized = QTensor::quantize(&tensor, dtype).unwrap();
        let expanded: Vec<f32> = quantized
            .dequantize(&Device::Cpu)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap();
        (quantized, expanded)
    }

    #[test]
    fn q4_1_weights_expand_to_the_values_candle_dequantizes() {
        let (quantized, expected) = quantized(GgmlDType::Q4_1, 4, 64);
        let (nibbles, scales) = q4_1_blocks(&quantized.data().unwrap());
        let mut portable = vec![0.0; expected.len()];
        expand_q4_1_portable(&nibbles, &scales, &mut portable);
        assert_eq!(portable, expected);
        let mut expanded = vec![0.0; expected.len()];
        expand_q4_1(&nibbles, &scales, &mut expanded);
        assert_eq!(expanded, expected);
    }

    #[test]
    fn q8_0_rows_are_the_values_candle_dequantizes() {
        let (quantized, expected) = quantized(GgmlDType::Q8_0, 5, 64);
        let expected: Vec<&[f32]> = expected.chunks_exact(64).collect();
        let data = quantized.data().unwrap();
        let rows = q8_0_rows(&data, 64, &[3, 0, 3]).unwrap();
        assert_eq!(&rows[..64], expected[3]);
        assert_eq!(&rows[64..128], expected[0]);
        assert_eq!(&rows[128..], expected[3]);
        assert!(q8_0_rows(&data, 64, &[5]).is_err());
    }

    #[test]
    fn a_linear_layer_multiplies_by_the_transposed_weights() {
        // W = [[1, 2, 3], [4, 5, 6]]; x = [[1, 0, 1], [0, 1, 0]].
        let weights = Tensor::new(&[[1f32, 2., 3.], [4., 5., 6.]], &Device::Cpu).unwrap();
        let linear = Linear {
            weights: Weights::F32(weights),
            outputs: 2,
            inputs: 3,
        };
        let x = Tensor::new(&[[1f32, 0., 1.], [0., 1., 0.]], &Device::Cpu).unwrap();
        let y: Vec<Vec<f32>> = linear.forward(&x).unwrap().to_vec2().unwrap();
        assert_eq!(y, [[4., 10.], [2., 5.]]);
    }

    #[test]
    fn the_mask_hides_only_later_positions() {
        let mask = Pass::run(vec![1, 2], 3, 7).mask(3, &Device::Cpu).unwrap();
        let rows: Vec<Vec<f32>> = mask.to_vec2().unwrap();
        assert_eq!(rows[0][..4], [0.0; 4]);
        assert_eq!(rows[0][4], f32::NEG_INFINITY);
        assert_eq!(rows[1], [0.0; 5]);
    }

    #[test]
    fn runs_of_a_pass_see_the_prefix_up_to_their_slot_and_themselves() {
        let mut pass = Pass::run(Vec::new(), 0, 0);
        pass.push_run(&[5, 6], 2, 10);
        pass.push_run(&[8], 3, 11);
        assert_eq!(pass.positions, [10, 11, 11]);
        let rows: Vec<Vec<f32>> = pass.mask(4, &Device::Cpu).unwrap().to_vec2().unwrap();
        let seen =
            |row: &Vec<f32>| -> Vec<usize> { (0..row.len()).filter(|&j| row[j] == 0.0).collect() };
        // Prefix tokens 0 and 1, then itself (column 4).
        assert_eq!(seen(&rows[0]), [0, 1, 4]);
        assert_eq!(seen(&rows[1]), [0, 1, 4, 5]);
        // The second run sees three prefix tokens and itself, not the first run.
        assert_eq!(seen(&rows[2]), [0, 1, 2, 6]);
    }
}
