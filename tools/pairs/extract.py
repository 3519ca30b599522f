#!/usr/bin/env python3
"""Counts the words and adjacent word pairs of the prose in HTML manuals.

Usage: extract.py ROOT PACKAGE... > counts.tsv

Reads every .html file under ROOT/usr/share/doc/PACKAGE (sorted, each distinct page once)
and keeps the text of paragraphs, list items, table cells and headings, leaving out code
(pre, code, tt, kbd, samp), scripts, styles and math. A sentence is cut at . ! ? ; : brackets
and quotes, and at code inside a paragraph, so no pair spans them. Words are runs of ASCII
letters (with inner hyphens), lowercased.

Writes `key<TAB>count` lines sorted by key: "" is the number of words, "w" a word's count,
"a b" a pair's count. Only pairs seen at least MIN_PAIR times are kept, and only the words
of kept pairs. The output is the same byte for byte for the same input.
"""
import collections
import hashlib
import os
import re
import sys
from html.parser import HTMLParser

MIN_PAIR = 2
SKIP = {"pre", "code", "script", "style", "tt", "kbd", "samp", "math"}
BLOCK = {"p", "li", "dd", "td", "h1", "h2", "h3", "blockquote"}
CUT = "\x00"
SENTENCE = re.compile(r'[.!?;:()\[\]"\x00]|\s-\s')
WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*|[a-z]+")


class Prose(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.blocks = 0
        self.buffer = []
        self.paragraphs = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skipping += 1
        if tag in BLOCK:
            self.blocks += 1

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCK:
            self.blocks = max(0, self.blocks - 1)
            self.paragraphs.append("".join(self.buffer))
            self.buffer = []

    def handle_data(self, data):
        if self.blocks:
            self.buffer.append(data if not self.skipping else f" {CUT} ")


def pages(root, packages):
    for package in packages:
        top = os.path.join(root, "usr/share/doc", package)
        found = []
        for directory, _, files in os.walk(top):
            found.extend(os.path.join(directory, f) for f in files if f.endswith(".html"))
        yield from sorted(found)


def main():
    root, packages = sys.argv[1], sys.argv[2:]
    words = collections.Counter()
    pairs = collections.Counter()
    seen = set()
    for path in pages(root, packages):
        with open(path, "rb") as f:
            data = f.read()
        digest = hashlib.sha256(data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        parser = Prose()
        parser.feed(data.decode("utf-8", errors="replace"))
        for paragraph in parser.paragraphs:
            for sentence in SENTENCE.split(paragraph):
                tokens = [t.lower() for t in WORD.findall(sentence)]
                words.update(tokens)
                pairs.update(zip(tokens, tokens[1:]))
    kept = {f"{a} {b}": c for (a, b), c in pairs.items() if c >= MIN_PAIR}
    needed = {w for key in kept for w in key.split(" ")}
    rows = {"": sum(words.values())}
    rows.update((w, words[w]) for w in needed)
    rows.update(kept)
    out = sys.stdout
    for key in sorted(rows, key=lambda k: k.encode()):
        out.write(f"{key}\t{rows[key]}\n")


if __name__ == "__main__":
    main()
