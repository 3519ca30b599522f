#!/usr/bin/env python3
"""Extract mtaudit's lexicon from WordNet 3.0, SCOWL/hunspell-en-us and Moby Thesaurus II.

Writes one sorted, deterministic text file (the "lexicon source") that
`cargo run --example lexicon_pack` packs into corpora/lexicon/lexicon.bin.
Every choice about linguistics lives here; the packer only lays out bytes.

Output lines (tab-separated, UTF-8, sorted):
  w  WORD  POS  LEVEL  FAMILY     a word; POS is a bit set (see src/lexicon/pos.rs),
                                  LEVEL the SCOWL size it first appears in (255 unknown),
                                  FAMILY the word representing its stem family ("" = itself)
  a  FORM  LEMMA  POS  KIND       FORM is an inflection of LEMMA (KIND: see INFL_* below)
  s  WORD  SYN:BITS|SYN:BITS...   synonyms (both directions already added), see synonym_entries

Usage: extract.py --wordnet DIR --hunspell DIR --scowl DIR --moby FILE --closed FILE --out FILE
"""

import argparse
import collections
import glob
import os
import re
import sys

# Part-of-speech bits; must match src/lexicon/pos.rs.
NOUN, VERB, ADJ, ADV, DET, PREP, PRON, CONJ, AUX, PART, NUM, PROPER, INTJ = (1 << i for i in range(13))
POS_NAMES = {
    "NOUN": NOUN, "VERB": VERB, "ADJ": ADJ, "ADV": ADV, "DET": DET, "PREP": PREP, "PRON": PRON,
    "CONJ": CONJ, "AUX": AUX, "PART": PART, "NUM": NUM, "PROPER": PROPER, "INTJ": INTJ,
}
WN_POS = {"n": NOUN, "v": VERB, "a": ADJ, "s": ADJ, "r": ADV}

# Inflection kinds; must match src/lexicon/mod.rs (Inflection).
INFL_PLURAL, INFL_THIRD, INFL_PAST, INFL_ING, INFL_COMPARATIVE, INFL_SUPERLATIVE = 1, 2, 3, 4, 5, 6

# Words above this SCOWL size are rare or dubious: they only rank words found elsewhere.
VOCAB_MAX_LEVEL = 70
UNKNOWN_LEVEL = 255
# SCOWL categories that are standard spellings somewhere (variant_2/3 are rarer variants).
SCOWL_CATEGORIES = {
    "english", "american", "british", "british_z", "canadian", "australian",
    "variant_1", "british_variant_1", "canadian_variant_1", "australian_variant_1",
}
SCOWL_TYPES = {"words", "upper", "proper-names", "abbreviations", "contractions"}
INFLECTION_FLAGS = set("SDGRT")
MAX_WORD_BYTES = 64


def norm(word):
    """The lexicon's key: lower case, straight apostrophes, single spaces."""
    word = word.replace("\u2019", "'").replace("_", " ")
    return " ".join(word.lower().split())


def valid_key(word):
    return (
        word
        and len(word.encode()) <= MAX_WORD_BYTES
        and not any(c in word for c in "\t|:\n\r")
        and any(c.isalpha() for c in word)
    )


class Words:
    """Accumulates facts per normalized word."""

    def __init__(self):
        self.pos = collections.defaultdict(int)
        self.level = {}
        self.lower_seen = set()  # seen in lower case in some source
        self.upper_seen = set()  # seen capitalized in some source
        self.vocab = set()

    def add(self, raw, pos=0):
        key = norm(raw)
        if not valid_key(key):
            return None
        self.vocab.add(key)
        if pos:
            self.pos[key] |= pos
        self.see_case(raw, key)
        return key

    def see_case(self, raw, key):
        if raw[:1].isupper():
            self.upper_seen.add(key)
        else:
            self.lower_seen.add(key)


# ---------------------------------------------------------------- SCOWL

def read_scowl(scowl_dir, words):
    """Levels for every SCOWL word; words up to VOCAB_MAX_LEVEL join the vocabulary."""
    for path in sorted(glob.glob(os.path.join(scowl_dir, "*"))):
        name = os.path.basename(path)
        m = re.fullmatch(r"([a-z_0-9]+)-([a-z-]+)\.(\d+)", name)
        if not m or m.group(1) not in SCOWL_CATEGORIES or m.group(2) not in SCOWL_TYPES:
            continue
        level = int(m.group(3))
        with open(path, encoding="utf-8") as f:
            for line in f:
                raw = line.strip()
                if not raw or raw.endswith("'s"):
                    continue  # possessives are handled by the reader
                key = norm(raw)
                if not valid_key(key):
                    continue
                if level < words.level.get(key, UNKNOWN_LEVEL):
                    words.level[key] = level
                if level <= VOCAB_MAX_LEVEL:
                    words.add(raw)


# ---------------------------------------------------------------- hunspell

def read_aff(path):
    """{flag: (is_prefix, cross_product, [(strip, add, condition_regex)])}"""
    rules = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
                continue
            kind, flag = parts[0], parts[1]
            if flag not in rules:  # header line: PFX A Y 1
                rules[flag] = (kind == "PFX", parts[2] == "Y", [])
                continue
            strip = "" if parts[2] == "0" else parts[2]
            add = "" if parts[3] == "0" else parts[3]
            cond = parts[4] if len(parts) > 4 else "."
            pattern = ("^" + cond) if kind == "PFX" else (cond + "$")
            rules[flag][2].append((strip, add, re.compile(pattern)))
    return rules


def apply_rule(word, is_prefix, rule):
    strip, add, cond = rule
    if not cond.search(word):
        return None
    if is_prefix:
        if strip and not word.startswith(strip):
            return None
        return add + word[len(strip):]
    if strip and not word.endswith(strip):
        return None
    return word[: len(word) - len(strip)] + add


def expand(stem, flags, rules):
    """[(form, flag, base)]: base is the (possibly prefixed) word the flag was applied to."""
    out = []
    prefixed = []
    for fl in flags:
        if fl in rules and rules[fl][0]:
            for rule in rules[fl][2]:
                form = apply_rule(stem, True, rule)
                if form:
                    out.append((form, fl, stem))
                    if rules[fl][1]:
                        prefixed.append(form)
    for base in [stem] + prefixed:
        for fl in flags:
            if fl in rules and not rules[fl][0] and fl != "M":
                if base != stem and not rules[fl][1]:
                    continue
                for rule in rules[fl][2]:
                    form = apply_rule(base, False, rule)
                    if form:
                        out.append((form, fl, base))
    return out


def read_hunspell(hun_dir, words):
    """Returns (stem_flags, links): stem_flags[stem] = flags of that stem,
    links = [(form, flag, base)] for every suffix expansion."""
    rules = read_aff(os.path.join(hun_dir, "en_US.aff"))
    stem_flags = collections.defaultdict(set)
    links = []
    with open(os.path.join(hun_dir, "en_US.dic"), encoding="utf-8") as f:
        next(f)  # entry count
        for line in f:
            line = line.strip()
            if not line or any(c.isdigit() for c in line.split("/")[0]):
                continue
            stem, _, flags = line.partition("/")
            if words.add(stem) is None:
                continue
            stem_flags[norm(stem)] |= set(flags)
            for form, fl, base in expand(stem, flags, rules):
                if words.add(form) is None:
                    continue
                links.append((norm(form), fl, norm(base)))
                if fl in rules and rules[fl][0] and rules[fl][1]:
                    # a prefixed stem carries the cross-product suffix flags of its stem
                    stem_flags[norm(form)] |= {g for g in flags if g in rules and rules[g][1] and not rules[g][0]}
    return stem_flags, links


# ---------------------------------------------------------------- WordNet

class WordNet:
    def __init__(self, wn_dir, words):
        self.lemma_pos = collections.defaultdict(int)  # key -> POS bits
        self.senses = {}  # (key, pos letter) -> [synset offsets] in sense order
        self.synsets = {}  # (pos letter, offset) -> [keys]
        self.pointers = {}  # (pos letter, offset) -> [(symbol, pos letter, offset, src, dst)]
        self.exc = collections.defaultdict(list)  # pos letter -> [(form, base)]
        for p, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
            with open(os.path.join(wn_dir, "index." + name), encoding="utf-8") as f:
                for line in f:
                    if line.startswith(" "):
                        continue
                    parts = line.split()
                    key = norm(parts[0])
                    synset_cnt = int(parts[2])
                    self.senses[(key, p)] = parts[-synset_cnt:]
                    self.lemma_pos[key] |= WN_POS[p]
            with open(os.path.join(wn_dir, "data." + name), encoding="utf-8") as f:
                for line in f:
                    if line.startswith(" "):
                        continue
                    head = line.split(" | ")[0].split()
                    offset = head[0]
                    w_cnt = int(head[3], 16)
                    members = []
                    for i in range(w_cnt):
                        raw = re.sub(r"\([a-z]+\)$", "", head[4 + 2 * i])
                        key = words.add(raw, WN_POS[p])
                        if key is not None:
                            members.append(key)
                    self.synsets[(p, offset)] = members
                    at = 4 + 2 * w_cnt
                    p_cnt = int(head[at])
                    ptrs = []
                    for i in range(p_cnt):
                        sym, off, pp, st = head[at + 1 + 4 * i: at + 5 + 4 * i]
                        ptrs.append((sym, "a" if pp == "s" else pp, off, int(st[:2], 16), int(st[2:], 16)))
                    self.pointers[(p, offset)] = ptrs
            with open(os.path.join(wn_dir, name + ".exc"), encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    for base in parts[1:]:
                        self.exc[p].append((norm(parts[0]), norm(base)))
                        words.add(parts[0])

    def pairs(self, symbols):
        """Word pairs linked by synset-level pointers with the given symbols (all members)."""
        for (p, off), ptrs in self.pointers.items():
            for sym, pp, poff, src, dst in ptrs:
                if sym in symbols and src == 0:
                    for a in self.synsets[(p, off)]:
                        for b in self.synsets.get((pp, poff), []):
                            yield a, b

    def lexical_pairs(self, symbols):
        """Word pairs linked by word-level (lexical) pointers, e.g. derivations."""
        for (p, off), ptrs in self.pointers.items():
            members = self.synsets[(p, off)]
            for sym, pp, poff, src, dst in ptrs:
                if sym in symbols and src:
                    target = self.synsets.get((pp, poff), [])
                    if src <= len(members) and dst <= len(target):
                        yield members[src - 1], target[dst - 1]


# ---------------------------------------------------------------- inflections

NOUN_RULES = [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
              ("men", "man"), ("ies", "y")]
VERB_RULES = [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
              ("ing", ""), ("ying", "ie")]
ADJ_RULES = [("er", ""), ("est", ""), ("er", "e"), ("est", "e"), ("ier", "y"), ("iest", "y")]
DOUBLING = re.compile(r"^(.*[^aeiou][aeiou]([bcdfgklmnprstvz]))\2(ed|ing|er|est)$")


def rule_kind(p, suffix):
    if p == "n":
        return INFL_PLURAL
    if p == "v":
        return {"s": INFL_THIRD, "es": INFL_THIRD, "ies": INFL_THIRD, "ed": INFL_PAST}.get(suffix, INFL_ING)
    return INFL_SUPERLATIVE if suffix.endswith("st") else INFL_COMPARATIVE


def exc_kind(p, form):
    if p == "n":
        return INFL_PLURAL
    if p == "v":
        if form.endswith("ing"):
            return INFL_ING
        if form.endswith("s") and not form.endswith("ss"):
            return INFL_THIRD
        return INFL_PAST
    return INFL_SUPERLATIVE if form.endswith("st") else INFL_COMPARATIVE


def rule_bases(p, form):
    """[(base, kind)] that a detachment rule or consonant doubling derives from FORM."""
    rules = {"n": NOUN_RULES, "v": VERB_RULES, "a": ADJ_RULES, "r": ADJ_RULES}[p]
    out = []
    for suffix, repl in rules:
        if form.endswith(suffix) and len(form) > len(suffix) + 1:
            if suffix == "s" and form.endswith("ss"):
                continue
            out.append((form[: -len(suffix)] + repl, rule_kind(p, suffix)))
    m = DOUBLING.match(form)
    if m and ((p == "v" and m.group(3) in ("ed", "ing")) or (p in "ar" and m.group(3) in ("er", "est"))):
        out.append((m.group(1), rule_kind(p, m.group(3))))
    return out


# The hunspell flags that would have produced a form of each kind.
KIND_FLAGS = {INFL_PLURAL: {"S"}, INFL_THIRD: {"S"}, INFL_PAST: {"D"}, INFL_ING: {"G"},
              INFL_COMPARATIVE: {"R"}, INFL_SUPERLATIVE: {"T"}}
FLAG_KIND = {"D": INFL_PAST, "G": INFL_ING, "R": INFL_COMPARATIVE, "T": INFL_SUPERLATIVE}


def inflection_links(words, wn, stem_flags, hun_links, proper_only, closed):
    """{(form, lemma, pos bit, kind)}: regular forms confirmed by hunspell's affix flags or
    WordNet's rules, irregular ones from WordNet's exception lists."""
    links = set()
    hun_forms = collections.defaultdict(set)  # (base, flag) -> forms
    for form, fl, base in hun_links:
        if fl in INFLECTION_FLAGS:
            hun_forms[(base, fl)].add(form)
    letter_bit = {"n": NOUN, "v": VERB, "a": ADJ, "r": ADV}

    def is_lemma(key, p):
        return bool(wn.lemma_pos.get(key, 0) & letter_bit[p]) and key not in proper_only

    # 1. irregular forms
    irregular_past = set()
    for p in "nvar":
        for form, base in wn.exc[p]:
            if form != base and is_lemma(base, p) and form in words.vocab:
                kind = exc_kind(p, form)
                links.add((form, base, letter_bit[p], kind))
                if p == "v" and kind == INFL_PAST:
                    irregular_past.add(base)

    # "gooses" is goose's verb form only: a noun with an irregular plural that is also a verb
    irregular_plural = {base for form, base in wn.exc["n"] if form != base}

    # 2. hunspell's flags, with the part of speech WordNet gives the stem
    for (base, fl), forms in hun_forms.items():
        if base in proper_only or base in closed or len(base) < 2:
            continue  # closed-class forms come from the exception lists only ("be" + D is no "bed")
        wnp = wn.lemma_pos.get(base, 0)
        flags = stem_flags.get(base, set())
        for form in forms:
            if form == base:
                continue
            if fl == "S":
                if (wnp & NOUN and not (base in irregular_plural and wnp & VERB)) or not wnp:
                    links.add((form, base, NOUN, INFL_PLURAL))
                if wnp & VERB or (not wnp and flags & {"D", "G"}):
                    links.add((form, base, VERB, INFL_THIRD))
            elif fl in "DG":
                if wnp & VERB or not wnp:
                    links.add((form, base, VERB, FLAG_KIND[fl]))
            else:  # R, T
                if wnp & ADJ or (not wnp and {"R", "T"} <= flags):
                    links.add((form, base, ADJ, FLAG_KIND[fl]))
                if wnp & ADV:
                    links.add((form, base, ADV, FLAG_KIND[fl]))

    # 3. WordNet's detachment rules for stems hunspell has no opinion on, and doubled consonants
    for form in sorted(words.vocab):
        if " " in form or not form.isalpha() or form in closed:
            continue
        for p in "nvar":
            for base, kind in rule_bases(p, form):
                if base == form or not is_lemma(base, p):
                    continue
                if len(base) < 2 or base in closed:
                    continue  # "is" is no plural of "i", nor "bed" a past of "be"
                m = DOUBLING.match(form)
                doubled = m is not None and base == m.group(1)
                if base in stem_flags and not doubled and stem_flags[base] & KIND_FLAGS[kind]:
                    continue  # hunspell has the flag for this form: trust it (step 2)
                links.add((form, base, letter_bit[p], kind))

    # 4. drop regular pasts of irregular verbs that belong to another verb ("singed" is singe's)
    explained = collections.defaultdict(set)
    for form, base, pos, kind in links:
        if pos == VERB and kind == INFL_PAST:
            explained[form].add(base)
    out = set()
    for form, base, pos, kind in links:
        if pos == VERB and kind == INFL_PAST and base in irregular_past and len(explained[form]) > 1:
            if (form, base) not in {(f, b) for f, b in wn.exc["v"]}:
                continue
        out.add((form, base, pos, kind))
    return out


# ---------------------------------------------------------------- parts of speech

# Part of speech of a hunspell derivation whose word WordNet does not know.
DERIVED_POS = {"Y": ADV, "P": NOUN, "N": NOUN, "X": NOUN, "L": NOUN, "B": ADJ, "V": ADJ, "Z": NOUN,
               "J": NOUN, "H": ADJ}


def read_closed(path, words):
    closed = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            word, tags = line.split("\t")[:2]
            bits = 0
            for tag in tags.split(","):
                bits |= POS_NAMES[tag.strip()]
            key = words.add(word, bits)
            closed[key] = closed.get(key, 0) | bits
    return closed


# ---------------------------------------------------------------- Moby

def read_moby(path, words):
    """{head: [synonyms]} with every word added to the vocabulary."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = [norm(p) for p in line.rstrip("\n").split(",")]
            parts = [p for p in parts if valid_key(p)]
            if len(parts) < 2:
                continue
            for p in parts:
                words.vocab.add(p)
            head = parts[0]
            out.setdefault(head, []).extend(parts[1:])
    return out


# ---------------------------------------------------------------- families

class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the shorter (then smaller) word represents the family: deterministic
            if (len(rb), rb) < (len(ra), ra):
                ra, rb = rb, ra
            self.parent[rb] = ra


# ---------------------------------------------------------------- synonym ranking

def rank_band(level):
    """Commonness bands for ranking: SCOWL sizes up to 60 apart, all rarer words together."""
    return level if level <= 60 else 100


def synonym_entries(w, strong, weak, levels):
    """[(synonym, rank bits)] sorted by word. The reader orders synonyms by
    (strong first, commonness band, shared-neighbour bit, word): spinners swap a common word for
    a rarer one, so the intended word is usually a common neighbour. Bit 1 = strong link, bit 0 =
    the neighbour shares more of W's neighbours than the median of its band (a tighter sense)."""
    s = strong.get(w, set())
    k = weak.get(w, set())
    mine = s | k
    bits = {}
    groups = collections.defaultdict(list)
    for x in mine:
        if x not in levels:
            continue
        tier = 1 if x in s else 0
        theirs = strong.get(x, set()) | weak.get(x, set())
        score = len(mine & theirs) / (len(theirs) + 10)
        groups[(tier, rank_band(levels[x]))].append((score, x))
        bits[x] = tier << 1
    for group in groups.values():
        if len(group) >= 4:
            median = sorted(sc for sc, _ in group)[len(group) // 2]
            for sc, x in group:
                if sc > median:
                    bits[x] |= 1
    return sorted(bits.items())


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    for name in ("wordnet", "hunspell", "scowl", "moby", "closed", "out"):
        ap.add_argument("--" + name, required=True)
    args = ap.parse_args()

    words = Words()
    read_scowl(args.scowl, words)
    stem_flags, hun_links = read_hunspell(args.hunspell, words)
    wn = WordNet(args.wordnet, words)
    closed = read_closed(args.closed, words)
    moby = read_moby(args.moby, words)

    # A name is a word no source writes in lower case (WordNet's "Paris", SCOWL's "Aachen").
    proper_only = {w for w in words.upper_seen if w not in words.lower_seen and w not in closed}
    for w in proper_only:
        words.pos[w] |= PROPER

    links = inflection_links(words, wn, stem_flags, hun_links, proper_only, closed)
    for form, base, pos, kind in links:
        words.pos[form] |= pos
    for form, fl, base in hun_links:
        if fl in DERIVED_POS and not words.pos.get(form, 0) & ~PROPER:
            words.pos[form] |= DERIVED_POS[fl]

    # stem families: inflections, suffix derivations, WordNet derivational links
    uf = UnionFind()
    for form, base, _, _ in links:
        if form[0] == base[0] and " " not in form + base:  # was/be, better/good share no stem
            uf.union(form, base)
    for form, fl, base in hun_links:
        if fl in INFLECTION_FLAGS or fl in DERIVED_POS:
            if len(base) >= 3 and base not in closed and " " not in form:
                uf.union(form, base)
    for a, b in wn.lexical_pairs({"+"}):
        if " " not in a and " " not in b and a[:3] == b[:3]:
            uf.union(a, b)  # shared start: keeps "death"/"die"-like links from chaining families

    # synonyms: strong = same synset, similar-to, listed both ways in Moby; weak = the rest
    strong = collections.defaultdict(set)
    weak = collections.defaultdict(set)
    for members in wn.synsets.values():
        for a in members:
            for b in members:
                if a != b:
                    strong[a].add(b)
    for a, b in wn.pairs({"&"}):
        if a != b:
            strong[a].add(b)
            strong[b].add(a)
    for a, b in wn.pairs({"^", "$"}):
        if a != b:
            weak[a].add(b)
            weak[b].add(a)
    listed = {(h, s) for h, syns in moby.items() for s in syns}
    for h, s in listed:
        if h == s:
            continue
        if (s, h) in listed:
            strong[h].add(s)
            strong[s].add(h)
        else:
            weak[h].add(s)
            weak[s].add(h)

    # Weak links to or from multi-word entries are a third of the graph and rarely a spinner's
    # swap; drop them, then the multi-word Moby entries left with no link at all.
    for w in list(weak):
        weak[w] = {x for x in weak[w] if x not in strong.get(w, ()) and " " not in x and " " not in w}
    vocab = {w for w in words.vocab if " " not in w or w in wn.lemma_pos or strong.get(w)}

    def level_of(w):
        level = words.level.get(w, UNKNOWN_LEVEL)
        if level == UNKNOWN_LEVEL and (" " in w or "-" in w):
            lv = [words.level.get(p) for p in re.split(r"[ -]", w) if p]
            if lv and all(x is not None for x in lv):
                level = max(lv)  # a phrase is as common as its rarest word
        return level

    levels = {w: level_of(w) for w in vocab}
    out_lines = []
    for w in vocab:
        fam = uf.find(w)
        out_lines.append("w\t%s\t%d\t%d\t%s" % (w, words.pos.get(w, 0), levels[w], "" if fam == w else fam))
    for form, base, pos, kind in links:
        if form not in vocab or base not in vocab:
            continue
        out_lines.append("a\t%s\t%s\t%d\t%d" % (form, base, pos, kind))
    n_syn = 0
    for w in sorted(set(strong) | set(weak)):
        if w not in vocab:
            continue
        entries = synonym_entries(w, strong, weak, levels)
        if entries:
            n_syn += len(entries)
            out_lines.append("s\t%s\t%s" % (w, "|".join("%s:%d" % e for e in entries)))
    out_lines.sort()
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for line in out_lines:
            f.write(line + "\n")
    print("words %d  inflection links %d  synonym links %d (directed)" % (len(vocab), len(links), n_syn),
          file=sys.stderr)


if __name__ == "__main__":
    main()
