//! Lookups and Katz backoff over word ids, on a parsed [`Layout`] and its bytes.

use super::format::{f32_at, Layout, MAX_ORDER};

/// A listed n-gram reached by walking its words: the order it has and its context rank
/// (None when nothing continues it and its backoff is 0). The backoff weight itself is
/// read only when a lookup misses, which saves two memory reads on every hit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    order: usize,
    context: Option<u64>,
}

impl Node {
    /// The empty context: its children are the unigrams.
    const ROOT: Node = Node {
        order: 0,
        context: Some(0),
    };
}

/// The listed suffixes of a context, longest first: what the probability of a word after
/// that context walks through, looked up once for any number of words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Suffixes {
    nodes: [Option<Node>; MAX_ORDER],
    len: usize,
}

impl Layout {
    pub(crate) fn unigram_prob(&self, data: &[u8], w: u32) -> f32 {
        let at = self.uni_prob.start + 4 * w as usize;
        f32_at(data, at, self.uni_prob.end).unwrap_or(self.unk_log10)
    }

    fn unigram_bo(&self, data: &[u8], w: u32) -> f32 {
        let at = self.uni_bo.start + 4 * w as usize;
        f32_at(data, at, self.uni_bo.end).unwrap_or(0.0)
    }

    /// The node of the listed n-gram `words` (None if it is not listed, or is listed but
    /// only as the last order, which can be no one's context).
    pub(crate) fn context(&self, data: &[u8], words: &[u32]) -> Option<Node> {
        let (&first, rest) = words.split_first()?;
        if u64::from(first) >= self.vocab_size {
            return None;
        }
        let mut node = Node {
            order: 1,
            context: Some(u64::from(first)),
        };
        for &w in rest {
            let (level, index) = self.find_child(data, node, w)?;
            let contexts = self.levels[level].contexts.as_ref();
            node = Node {
                order: node.order + 1,
                context: contexts.and_then(|c| c.bits.rank_if_set(data, index)),
            };
        }
        Some(node)
    }

    /// The backoff weight of a node.
    fn backoff(&self, data: &[u8], node: Node) -> f32 {
        match (node.order, node.context) {
            (1, Some(w)) => self.unigram_bo(data, w as u32),
            (order, Some(rank)) if order >= 2 => {
                let contexts = self.levels[order - 2].contexts.as_ref();
                contexts.map_or(0.0, |c| c.bo.get(data, rank))
            }
            _ => 0.0,
        }
    }

    /// The level (index into `levels`) and position of `node`'s child `w`, if listed.
    #[inline]
    fn find_child(&self, data: &[u8], node: Node, w: u32) -> Option<(usize, u64)> {
        // A word id past the vocabulary would alias another context's key.
        if u64::from(w) >= self.vocab_size {
            return None;
        }
        let level = node.order.checked_sub(1)?;
        let keys = &self.levels.get(level)?.keys;
        let key = node
            .context?
            .checked_mul(self.vocab_size)?
            .checked_add(u64::from(w))?;
        Some((level, keys.find(data, key)?))
    }

    /// log10 P(w | node) if that n-gram is listed.
    pub(crate) fn child_prob(&self, data: &[u8], node: Node, w: u32) -> Option<f32> {
        if node.order == 0 {
            return (u64::from(w) < self.vocab_size).then(|| self.unigram_prob(data, w));
        }
        let (level, index) = self.find_child(data, node, w)?;
        Some(self.levels[level].prob.get(data, index))
    }

    /// The suffixes of `context` (its last `order - 1` words) that the model lists.
    pub(crate) fn suffixes(&self, data: &[u8], context: &[u32]) -> Suffixes {
        let context = &context[context.len().saturating_sub(self.order - 1)..];
        let mut nodes = [None; MAX_ORDER];
        for (start, node) in nodes.iter_mut().enumerate().take(context.len()) {
            *node = self.context(data, &context[start..]);
        }
        Suffixes {
            nodes,
            len: context.len(),
        }
    }

    /// Katz backoff after a context whose suffixes are looked up: the probability of the
    /// longest listed n-gram ending the context with `w`, plus the backoff weights of the
    /// longer contexts that were listed but did not continue with `w`. An unknown `w` gets
    /// the unknown-word probability. Also returns the length of the n-gram that matched
    /// (0 for an unknown word).
    pub(crate) fn log10_prob_after(
        &self,
        data: &[u8],
        suffixes: &Suffixes,
        w: Option<u32>,
    ) -> (f32, usize) {
        let mut backoff = 0.0;
        for (start, node) in suffixes.nodes[..suffixes.len].iter().enumerate() {
            let Some(node) = *node else {
                continue;
            };
            if let Some(p) = w.and_then(|w| self.child_prob(data, node, w)) {
                return (backoff + p, suffixes.len - start + 1);
            }
            backoff += self.backoff(data, node);
        }
        match w.and_then(|w| self.child_prob(data, Node::ROOT, w)) {
            Some(p) => (backoff + p, 1),
            None => (backoff + self.unk_log10, 0),
        }
    }

    /// log10 prob of the listed n-gram `words` itself.
    pub(crate) fn ngram_log10(&self, data: &[u8], words: &[u32]) -> Option<f32> {
        let (&last, prefix) = words.split_last()?;
        if words.len() > self.order {
            return None;
        }
        let node = if prefix.is_empty() {
            Node::ROOT
        } else {
            self.context(data, prefix)?
        };
        self.child_prob(data, node, last)
    }

    /// Whether the pair is a listed bigram or ends a listed longer n-gram.
    pub(crate) fn pair_attested(&self, data: &[u8], a: u32, b: u32) -> bool {
        // Only whether the bigram is listed: its probability would cost one more read.
        let bigram = self
            .context(data, &[a])
            .and_then(|node| self.find_child(data, node, b));
        if bigram.is_some() {
            return true;
        }
        let key = u64::from(a)
            .checked_mul(self.vocab_size)
            .and_then(|k| k.checked_add(u64::from(b)));
        let known = u64::from(a.max(b)) < self.vocab_size;
        known && key.is_some_and(|k| self.inner_pairs.find(data, k).is_some())
    }

    /// Every listed continuation of `context` with its log10 prob, by word id.
    pub(crate) fn followers(&self, data: &[u8], context: &[u32]) -> Vec<(u32, f32)> {
        let Some(node) = self.context(data, context) else {
            return Vec::new();
        };
        let Some(level) = self.levels.get(node.order - 1) else {
            return Vec::new();
        };
        let Some(base) = node.context.and_then(|c| c.checked_mul(self.vocab_size)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let words = base..base.saturating_add(self.vocab_size);
        level.keys.for_each_in(data, words, |i, key| {
            out.push(((key - base) as u32, level.prob.get(data, i)));
        });
        out
    }
}
