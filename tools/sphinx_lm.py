#!/usr/bin/env python3
"""Read a sphinxbase binary trigram model ("Trie Language Model") and write ARPA text.

pocketsphinx's own exporters crash on the en-us model, so this is a clean-room reader
of the layout written by sphinxbase 5prealpha (ngram_model_trie.c, lm_trie.c,
lm_trie_quant.c):

    "Trie Language Model"            19 bytes, no terminator
    order                            u8
    counts[order]                    u32 each (these include inserted dummy n-grams)
    quantizer: dummy u32 (=1), then float32 tables of 2^16 entries:
        for each middle order: prob table, backoff table; then the longest order's
        prob table
    unigrams[counts[0] + 1]          {f32 prob, f32 backoff, u32 next}
    middle arrays (orders 2..n-1), then the longest array: bit-packed entries of
        word (bits for counts[0]) | backoff code (16) | prob code (16) | next (bits for
        counts[k+1])  -- the longest order has just word | prob code (16)
    i32 total length, then the NUL-terminated word strings in id order.

The trie is reversed (KenLM style): the children of unigram w are the bigrams "v w", and
the entry reached by w, v, u is the trigram "u v w". All scores are log base 1.0001
(sphinx's logmath), converted here to log10.

Where a trigram "u v w" exists but the bigram "v w" does not, sphinxbase inserted a dummy
bigram with prob = P(w) + bo(v) and backoff 0 (lm_trie.c, recursive_insert). Those are
dropped here (and counted on stderr) so that the ARPA lists what the source model lists.

Usage: sphinx_lm.py en-us.lm.bin > en-us.arpa    (--stats prints sanity figures instead)
"""

import math
import struct
import sys

HEADER = b"Trie Language Model"
QUANT_BITS = 16
# sphinx stores every score as log base 1.0001 in float32; log10(1.0001) converts back.
LOG10_OF_BASE = math.log10(1.0001)


def required_bits(max_value):
    """bitarr_required_bits: bits needed to store 0..=max_value (0 for 0)."""
    return max_value.bit_length()


class BitArray:
    """Little-endian bit-packed array, as sphinxbase's bitarr reads it."""

    def __init__(self, data, offset, size):
        self.data = data
        self.offset = offset
        self.end = offset + size

    def read(self, bit, length):
        start = self.offset + (bit >> 3)
        chunk = self.data[start : start + 8]
        if start + 8 > self.end or len(chunk) < 8:
            raise ValueError("bit-packed read past the end of its section")
        return (int.from_bytes(chunk, "little") >> (bit & 7)) & ((1 << length) - 1)


class Level:
    """One bit-packed n-gram array: word, quantized scores and (for middles) next."""

    def __init__(self, data, offset, entries, vocab, quant_bits, max_next):
        self.word_bits = required_bits(vocab)
        self.quant_bits = quant_bits
        self.next_bits = required_bits(max_next) if max_next is not None else 0
        self.total_bits = self.word_bits + quant_bits + self.next_bits
        # base_size(): one extra entry for the final next pointer, rounded up to bytes,
        # plus 8 bytes of slack for 64-bit reads.
        self.size = ((1 + entries) * self.total_bits + 7) // 8 + 8
        self.bits = BitArray(data, offset, self.size)

    def word(self, i):
        return self.bits.read(i * self.total_bits, self.word_bits)

    def code(self, i, shift):
        return self.bits.read(i * self.total_bits + self.word_bits + shift, QUANT_BITS)

    def next(self, i):
        return self.bits.read(i * self.total_bits + self.word_bits + self.quant_bits, self.next_bits)


class SphinxLm:
    def __init__(self, data):
        self.data = data
        if not data.startswith(HEADER):
            raise ValueError("not a sphinx trie model (missing 'Trie Language Model' header)")
        pos = len(HEADER)
        self.order = data[pos]
        pos += 1
        if self.order != 3:
            raise ValueError(f"only trigram models are supported, this one has order {self.order}")
        self.counts = list(struct.unpack_from(f"<{self.order}I", data, pos))
        pos += 4 * self.order
        pos = self._read_quantizer(pos)
        pos = self._read_unigrams(pos)
        v = self.counts[0]
        self.middle = Level(data, pos, self.counts[1], v, 2 * QUANT_BITS, self.counts[2])
        pos += self.middle.size
        self.longest = Level(data, pos, self.counts[2], v, QUANT_BITS, None)
        pos += self.longest.size
        self._read_words(pos)

    def _read_quantizer(self, pos):
        (dummy,) = struct.unpack_from("<i", self.data, pos)
        if dummy != 1:
            raise ValueError(f"unexpected quantizer tag {dummy}")
        pos += 4
        n = 1 << QUANT_BITS
        tables = []
        for _ in range(2 * (self.order - 2) + 1):
            tables.append(struct.unpack_from(f"<{n}f", self.data, pos))
            pos += 4 * n
        self.bigram_prob_bins, self.bigram_bo_bins, self.trigram_prob_bins = tables
        return pos

    def _read_unigrams(self, pos):
        n = self.counts[0] + 1
        flat = struct.unpack_from(f"<{3 * n}I", self.data, pos)
        raw = struct.unpack_from(f"<{3 * n}f", self.data, pos)
        self.uni_prob = raw[0::3]
        self.uni_bo = raw[1::3]
        self.uni_next = flat[2::3]
        return pos + 12 * n

    def _read_words(self, pos):
        (length,) = struct.unpack_from("<i", self.data, pos)
        blob = self.data[pos + 4 : pos + 4 + length]
        if len(blob) != length or pos + 4 + length != len(self.data):
            raise ValueError("word table does not end the file")
        self.words = blob.decode("utf-8").split("\0")[:-1]
        if len(self.words) != self.counts[0]:
            raise ValueError(f"{len(self.words)} words for {self.counts[0]} unigrams")

    def bigrams(self):
        """Yield (v, w, prob, bo, first_child, end_child) for each stored bigram "v w"."""
        mid = self.middle
        for w in range(self.counts[0]):
            for i in range(self.uni_next[w], self.uni_next[w + 1]):
                yield (
                    mid.word(i),
                    w,
                    self.bigram_prob_bins[mid.code(i, QUANT_BITS)],
                    self.bigram_bo_bins[mid.code(i, 0)],
                    mid.next(i),
                    mid.next(i + 1),
                )

    def trigram(self, j):
        return self.longest.word(j), self.trigram_prob_bins[self.longest.code(j, 0)]


def is_dummy(lm, v, w, prob, bo, bo_zero, first, end):
    """A bigram sphinx inserted to reach a trigram: backoff 0, prob = P(w) + bo(v)."""
    if bo != bo_zero or first == end:
        return False
    return prob == lm.bigram_prob_bins[encode(lm.bigram_prob_bins, lm.uni_prob[w] + lm.uni_bo[v])]


def encode(bins, value):
    """bins_encode(): index of the nearest bin centre (bins are ascending)."""
    lo, hi = 0, len(bins)
    while lo < hi:
        mid = (lo + hi) // 2
        if bins[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return 0
    if lo == len(bins):
        return len(bins) - 1
    return lo - (value - bins[lo - 1] < bins[lo] - value)


def collect(lm):
    """Forward-order n-grams as sorted lists of (word ids, log10 prob[, log10 bo])."""
    bo_zero = lm.bigram_bo_bins[encode(lm.bigram_bo_bins, 0.0)]
    bigrams, trigrams, dummies = [], [], 0
    for v, w, prob, bo, first, end in lm.bigrams():
        if is_dummy(lm, v, w, prob, bo, bo_zero, first, end):
            dummies += 1
        else:
            bigrams.append(((v, w), prob * LOG10_OF_BASE, bo * LOG10_OF_BASE))
        for j in range(first, end):
            u, p = lm.trigram(j)
            trigrams.append(((u, v, w), p * LOG10_OF_BASE))
    bigrams.sort()
    trigrams.sort()
    return bigrams, trigrams, dummies


def fmt(x):
    # Six decimals keep the 2^16 quantizer bins apart; "-0.000000" would be ugly.
    s = f"{x:.6f}"
    return "0.000000" if s == "-0.000000" else s


def write_arpa(lm, bigrams, trigrams, out):
    words = lm.words
    out.write("\\data\\\n")
    out.write(f"ngram 1={lm.counts[0]}\nngram 2={len(bigrams)}\nngram 3={len(trigrams)}\n")
    out.write("\n\\1-grams:\n")
    for w in range(lm.counts[0]):
        # Unigrams are stored unquantized, so four decimals restore the source exactly.
        p = lm.uni_prob[w] * LOG10_OF_BASE
        b = lm.uni_bo[w] * LOG10_OF_BASE
        out.write(f"{p:.4f}\t{words[w]}\t{b:.4f}\n".replace("-0.0000", "0.0000"))
    out.write("\n\\2-grams:\n")
    for (v, w), p, b in bigrams:
        out.write(f"{fmt(p)}\t{words[v]} {words[w]}\t{fmt(b)}\n")
    out.write("\n\\3-grams:\n")
    for (u, v, w), p in trigrams:
        out.write(f"{fmt(p)}\t{words[u]} {words[v]} {words[w]}\n")
    out.write("\n\\end\\\n")


def print_stats(lm, bigrams, trigrams, dummies):
    ids = {w: i for i, w in enumerate(lm.words)}
    uni = sum(10 ** (p * LOG10_OF_BASE) for p in lm.uni_prob[: lm.counts[0]])
    print(f"counts in header: {lm.counts}")
    print(f"listed: {lm.counts[0]} unigrams, {len(bigrams)} bigrams, {len(trigrams)} trigrams")
    print(f"dummy bigrams dropped: {dummies}")
    print(f"sum of 10^p over unigrams: {uni:.4f}")
    table = {k: p for k, p, _ in bigrams}
    for a, b in [("forced", "landing"), ("forced", "downsizing"), ("buffer", "between"),
                 ("protector", "between")]:
        p = table.get((ids[a], ids[b]))
        shown = f"{p:.4f}" if p is not None else "not listed"
        print(f"bigram {a} {b}: {shown}")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    with open(args[0], "rb") as f:
        lm = SphinxLm(f.read())
    bigrams, trigrams, dummies = collect(lm)
    if "--stats" in argv:
        print_stats(lm, bigrams, trigrams, dummies)
        return 0
    sys.stderr.write(f"sphinx_lm: dropped {dummies} dummy bigrams\n")
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", buffering=1 << 20, closefd=False)
    write_arpa(lm, bigrams, trigrams, out)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
