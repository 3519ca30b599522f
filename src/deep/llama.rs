//! A Llama-architecture causal language model (SmolLM2) read from GGUF, on candle. Unlike
//! candle-transformers' `quantized_llama`, which keeps a mutable cache and returns only the
//! last position's scores, this forward pass is stateless (`&self`, so threads share one
//! model), returns every position's scores, and takes the keys and values of a shared prefix,
//! so that candidate rewrites of a sentence are scored from the slot on only.

use candle_core::quantized::{gguf_file, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor, D};
use std::io::{Read, Seek};

/// Positions the rotary tables cover: a sentence with its context is far shorter.
pub const MAX_POSITIONS: usize = 4096;

struct Layer {
    attention_norm: Tensor,
    wq: QMatMul,
    wk: QMatMul,
    wv: QMatMul,
    wo: QMatMul,
    ffn_norm: Tensor,
    gate: QMatMul,
    up: QMatMul,
    down: QMatMul,
}

pub struct Llama {
    embeddings: Tensor,
    layers: Vec<Layer>,
    norm: Tensor,
    output: QMatMul,
    heads: usize,
    kv_heads: usize,
    head_dim: usize,
    eps: f64,
    cos: Tensor,
    sin: Tensor,
    device: Device,
}

/// The keys and values of a token sequence, per layer: `(batch 1, kv heads, tokens, head dim)`,
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
        // The layers' weights are expanded to f32 at load time: candle's f32 matrix products
        // (gemm, with the CPU's vector units chosen at run time) read a sentence about 1.8
        // times faster than its f16 ones, which were 2.2 times faster than its quantized
        // ones. The embeddings stay f16 and SmolLM2's output layer shares them (one copy of
        // 57 MB; in f32 it would save a tenth of the time for 105 MB more).
        let matmul = |t: QTensor| -> candle_core::Result<QMatMul> {
            Ok(QMatMul::Tensor(t.dequantize(device)?))
        };
        let embedding_weights = tensor("token_embd.weight")?;
        let embeddings = embedding_weights.dequantize_f16(device)?;
        let norm = tensor("output_norm.weight")?.dequantize(device)?;
        // Small models share the embedding matrix with the output layer.
        let output = match tensor("output.weight") {
            Ok(t) => QMatMul::TensorF16(t.dequantize_f16(device)?),
            Err(_) => QMatMul::TensorF16(embeddings.clone()),
        };
        let mut layers = Vec::with_capacity(blocks);
        for i in 0..blocks {
            let mut get = |name: &str| tensor(&format!("blk.{i}.{name}.weight"));
            layers.push(Layer {
                attention_norm: get("attn_norm")?.dequantize(device)?,
                wq: matmul(get("attn_q")?)?,
                wk: matmul(get("attn_k")?)?,
                wv: matmul(get("attn_v")?)?,
                wo: matmul(get("attn_output")?)?,
                ffn_norm: get("ffn_norm")?.dequantize(device)?,
                gate: matmul(get("ffn_gate")?)?,
                up: matmul(get("ffn_up")?)?,
                down: matmul(get("ffn_down")?)?,
            });
        }
        let (cos, sin) = rotary_tables(head_dim, freq_base, device)?;
        Ok(Llama {
            embeddings,
            layers,
            norm,
            output,
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

    /// Runs `rows` (token sequences of equal length, padded on the right by the caller: a
    /// causal model's earlier positions never see the padding) after `prefix`, and returns
    /// every position's scores over the vocabulary, `(rows, tokens, vocabulary)`, and the
    /// keys and values of the prefix followed by the first row.
    /// Positions go on from the prefix's last; they must stay below `MAX_POSITIONS`.
    pub fn forward(
        &self,
        rows: &[Vec<u32>],
        prefix: Option<&Prefix>,
    ) -> candle_core::Result<(Tensor, Prefix)> {
        let batch = rows.len();
        let len = rows[0].len();
        let cached = prefix.map_or(0, Prefix::len);
        let start = prefix.map_or(0, Prefix::next_position);
        let ids: Vec<u32> = rows.iter().flatten().copied().collect();
        let ids = Tensor::from_vec(ids, (batch, len), &self.device)?;
        let mut x = self
            .embeddings
            .index_select(&ids.flatten_all()?, 0)?
            .to_dtype(DType::F32)?
            .reshape((batch, len, ()))?;
        let mask = causal_mask(len, cached, &self.device)?;
        let cos = self.cos.narrow(0, start, len)?;
        let sin = self.sin.narrow(0, start, len)?;
        let mut cache = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            let h = candle_nn::ops::rms_norm(&x, &layer.attention_norm, self.eps as f32)?;
            let heads = |m: &QMatMul, n: usize| -> candle_core::Result<Tensor> {
                m.forward(&h)?
                    .reshape((batch, len, n, self.head_dim))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let q = candle_nn::rotary_emb::rope_i(&heads(&layer.wq, self.heads)?, &cos, &sin)?;
            let k = candle_nn::rotary_emb::rope_i(&heads(&layer.wk, self.kv_heads)?, &cos, &sin)?;
            let v = heads(&layer.wv, self.kv_heads)?;
            let (k, v) = match prefix {
                Some(p) => {
                    let (pk, pv) = &p.layers[i];
                    let widen = |t: &Tensor| t.repeat((batch, 1, 1, 1));
                    (
                        Tensor::cat(&[&widen(pk)?, &k], 2)?,
                        Tensor::cat(&[&widen(pv)?, &v], 2)?,
                    )
                }
                None => (k, v),
            };
            cache.push((k.narrow(0, 0, 1)?, v.narrow(0, 0, 1)?));
            let group = self.heads / self.kv_heads;
            let k = repeat_heads(&k, group)?;
            let v = repeat_heads(&v, group)?;
            let scores = (q.matmul(&k.t()?)? / (self.head_dim as f64).sqrt())?;
            let scores = scores.broadcast_add(&mask)?;
            let weights = candle_nn::ops::softmax_last_dim(&scores)?;
            let attended = weights
                .matmul(&v)?
                .transpose(1, 2)?
                .reshape((batch, len, ()))?;
            x = (x + layer.wo.forward(&attended)?)?;
            let h = candle_nn::ops::rms_norm(&x, &layer.ffn_norm, self.eps as f32)?;
            let gated =
                (candle_nn::ops::silu(&layer.gate.forward(&h)?)? * layer.up.forward(&h)?)?;
            x = (x + layer.down.forward(&gated)?)?;
        }
        let x = candle_nn::ops::rms_norm(&x, &self.norm, self.eps as f32)?;
        let logits = self.output.forward(&x)?.to_dtype(DType::F32)?;
        Ok((
            logits,
            Prefix {
                layers: cache,
                positions: prefix
                    .map_or(&[][..], |p| &p.positions[..])
                    .iter()
                    .copied()
                    .chain(start..start + len)
                    .collect(),
            },
        ))
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

/// Additive mask, `(len, cached + len)`: token `i` sees the cached ones, itself and those
/// before it.
fn causal_mask(len: usize, cached: usize, device: &Device) -> candle_core::Result<Tensor> {
    let width = cached + len;
    let mask: Vec<f32> = (0..len)
        .flat_map(|i| {
            (0..width).map(move |j| {
                if j > cached + i {
                    f32::NEG_INFINITY
                } else {
                    0.0
                }
            })
        })
        .collect();
    Tensor::from_vec(mask, (len, width), device)
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

/// Last dimension of a `(rows, tokens, vocabulary)` tensor as one flat vector per row.
pub fn rows_of(logits: &Tensor) -> candle_core::Result<Vec<Vec<f32>>> {
    let (batch, ..) = logits.dims3()?;
    (0..batch)
        .map(|b| logits.get(b)?.flatten_to(D::Minus1)?.to_vec1())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_probability_normalizes_over_the_vocabulary() {
        let scores = [1.0f32, 2.0, 3.0];
        let total: f32 = (0..3).map(|t| log_probability(&scores, t).exp()).sum();
        assert!((total - 1.0).abs() < 1e-5);
        assert!(log_probability(&scores, 2) > log_probability(&scores, 0));
    }

    #[test]
    fn the_mask_hides_only_later_positions() {
        let mask = causal_mask(2, 3, &Device::Cpu).unwrap();
        let rows: Vec<Vec<f32>> = mask.to_vec2().unwrap();
        assert_eq!(rows[0][..4], [0.0; 4]);
        assert_eq!(rows[0][4], f32::NEG_INFINITY);
        assert_eq!(rows[1], [0.0; 5]);
    }
}
