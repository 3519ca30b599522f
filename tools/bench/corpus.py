#!/usr/bin/env python3
"""Assembles the benchmark corpus: article-sized plain-text files, at least --mb MB in all.

  corpus/brown/      the Brown Corpus, one file per document (500)
  corpus/austen/     Jane Austen's six novels, one file per chapter (269)
  corpus/examples/   our own texts: corpora/examples garbled and reference sides, clean/
  corpus/reshuffled/ the paragraphs of all of the above reshuffled into new articles of
                     2-12 kB, round after round (a new shuffle each round), until the
                     corpus reaches --mb MB: distinct files, repeated paragraphs
  sample/            hard links to every k-th original (non-reshuffled) file, about
                     --sample-mb MB, for the tools too slow to run over the whole corpus

manifest.json records the recipe and the counts; a corpus whose manifest matches the
recipe is reused as it is. The build goes to a temporary folder renamed into place at the
end, so an interrupted build is never mistaken for a corpus.

Usage: corpus.py --brown DIR --austen-rdb FILE --examples DIR --mb N --sample-mb N OUT
"""

import argparse
import json
import os
import random
import re
import shutil
import struct
import sys
import zlib

RECIPE = 1  # bump when the way the corpus is made changes


def rdb_string_vectors(path):
    """The character vectors of an R lazy-load database (an .rdb file of R's data folder).

    Each object is a 4-byte length and a zlib stream holding R's XDR serialization; the
    janeaustenr objects are plain character vectors (STRSXP of CHARSXP), one line each.
    """
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):
        inflater = zlib.decompressobj()
        blob = inflater.decompress(data[pos + 4:])
        pos = len(data) - len(inflater.unused_data)
        if blob[:2] != b"X\n":
            sys.exit(f"{path}: object at byte {pos} is not an XDR serialization")
        at = 2 + 3 * 4  # format, writer and reader versions
        (encoding_length,) = struct.unpack_from(">i", blob, at)
        at += 4 + encoding_length
        flags, count = struct.unpack_from(">Ii", blob, at)
        at += 8
        if flags & 0xFF != 16:
            sys.exit(f"{path}: object is not a character vector (type {flags & 0xFF})")
        lines = []
        for _ in range(count):
            _, length = struct.unpack_from(">Ii", blob, at)
            at += 8
            if length < 0:  # NA
                lines.append("")
                continue
            lines.append(blob[at:at + length].decode("utf-8"))
            at += length
        yield lines


CHAPTER = re.compile(r"^\s*chapter\s+([ivxlc]+|\d+)\b", re.IGNORECASE)


def austen_chapters(rdb):
    """(novel-slug, chapter number, text) for each chapter: wrapped lines joined into
    paragraphs, _italics_ markers dropped, front matter before chapter 1 left out."""
    for lines in rdb_string_vectors(rdb):
        novel = re.sub(r"[^a-z]+", "-", lines[0].strip().lower()).strip("-")
        chapters, paragraphs, current = [], None, []
        for line in lines + [""]:
            if CHAPTER.match(line):
                if paragraphs is not None:
                    chapters.append(paragraphs)
                paragraphs, current = [], []
                continue
            if paragraphs is None:
                continue
            if line.strip():
                current.append(line.strip())
            elif current:
                paragraphs.append(re.sub(r"_([^_]+)_", r"\1", " ".join(current)))
                current = []
        if paragraphs:
            chapters.append(paragraphs)
        for number, paragraphs in enumerate(chapters, 1):
            yield novel, number, "\n\n".join(paragraphs) + "\n"


def originals(brown, rdb, examples):
    """(relative path, text) of every original document."""
    for name in sorted(os.listdir(brown)):
        yield f"brown/{name}", read(os.path.join(brown, name))
    for novel, number, text in austen_chapters(rdb):
        yield f"austen/{novel}-{number:02}.txt", text
    for folder, _, names in sorted(os.walk(examples)):
        for name in sorted(names):
            if name in ("garbled.txt", "reference.txt") or os.path.basename(folder) == "clean":
                path = os.path.join(folder, name)
                slug = os.path.relpath(path, examples).replace(os.sep, "-")
                yield f"examples/{slug}", read(path)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build(args, out):
    """Writes corpus/ and sample/ into out; returns the manifest."""
    corpus = os.path.join(out, "corpus")
    files = words = size = 0
    documents = []
    for relative, text in originals(args.brown, args.austen_rdb, args.examples):
        write(os.path.join(corpus, relative), text)
        documents.append((relative, len(text.encode("utf-8"))))
        files, words, size = files + 1, words + len(text.split()), size + documents[-1][1]
    original_files, original_size = files, size

    paragraphs = [p for relative, _ in documents
                  for p in read(os.path.join(corpus, relative)).split("\n\n") if p.strip()]
    shuffler = random.Random(args.seed)
    target = args.mb * 1e6
    round_number = 0
    while size < target:
        round_number += 1
        shuffler.shuffle(paragraphs)
        article, article_size, number = [], 0, 0
        goal = shuffler.randint(2000, 12000)
        for paragraph in paragraphs:
            article.append(paragraph.strip())
            article_size += len(paragraph.encode("utf-8")) + 2
            if article_size >= goal or size + article_size >= target:
                number += 1
                text = "\n\n".join(article) + "\n"
                write(os.path.join(corpus, "reshuffled", f"r{round_number:02}",
                                   f"{number // 1000:02}", f"{number:05}.txt"), text)
                files, words = files + 1, words + len(text.split())
                size += len(text.encode("utf-8"))
                article, article_size = [], 0
                goal = shuffler.randint(2000, 12000)
                if size >= target:
                    break

    # Every k-th original, k chosen so that the sample is about --sample-mb MB.
    step = max(1, round(original_size / (args.sample_mb * 1e6)))
    sample_files = sample_words = sample_size = 0
    for relative, length in documents[::step]:
        link = os.path.join(out, "sample", relative)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.link(os.path.join(corpus, relative), link)
        sample_files, sample_size = sample_files + 1, sample_size + length
        sample_words += len(read(link).split())

    return {
        "recipe": recipe(args),
        "corpus": {"files": files, "bytes": size, "words": words,
                   "original_files": original_files, "original_bytes": original_size,
                   "reshuffle_rounds": round_number},
        "sample": {"files": sample_files, "bytes": sample_size, "words": sample_words,
                   "every": step},
    }


def recipe(args):
    return {"version": RECIPE, "mb": args.mb, "sample_mb": args.sample_mb, "seed": args.seed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brown", required=True, help="Brown Corpus as text, one file each")
    parser.add_argument("--austen-rdb", required=True, help="janeaustenr's data/Rdata.rdb")
    parser.add_argument("--examples", required=True, help="corpora/examples")
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--sample-mb", type=float, default=1)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("out")
    args = parser.parse_args()

    manifest_path = os.path.join(args.out, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
        if manifest.get("recipe") == recipe(args):
            print(json.dumps(manifest))
            return
    building = args.out + ".building"
    shutil.rmtree(building, ignore_errors=True)
    manifest = build(args, building)
    with open(os.path.join(building, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(building, args.out)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
