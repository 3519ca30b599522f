#!/usr/bin/env bash
# Linear time and bounded memory on hostile shapes (issue 15), for the release build. Prints
# figures; asserts nothing (a benchmark, not a test).
#
#   * one-line text (no line break at all) and minified XLIFF (every unit on one line) of
#     1, 2, 4 and 8 MB, each audited by `mtaudit check --format json` to /dev/null: wall
#     time, and the ratio to the size before (linear time gives about 2 per doubling);
#   * peak memory (maximum resident set size, /usr/bin/time -v) of `mtaudit fix` on a 20 MB
#     text and of `mtaudit model build` on a 50 MB text that is one line.
#
# The text is our own: the garbled articles and clean texts of corpora/examples, repeated.
#
# Usage: tools/bench-linear.sh [--bin PATH] [--sizes "1 2 4 8"]
# Needs: cargo (unless --bin), python3, /usr/bin/time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=""
sizes="1 2 4 8"
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="${2:?--bin needs PATH}"; shift 2 ;;
        --sizes) sizes="${2:?--sizes needs a list}"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --release --quiet)
    bin="${CARGO_TARGET_DIR:-$root/target}/release/mtaudit"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$root/corpora/examples" "$work" "$sizes" <<'PY'
import os, re, subprocess, sys, time
from xml.sax.saxutils import escape

bin, examples, work, sizes = sys.argv[1:5]
sizes = [int(s) for s in sizes.split()]

sentences = []
for d, _, names in sorted(os.walk(examples)):
    for name in sorted(names):
        if name.endswith(".txt"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                sentences += [s for s in re.split(r"(?<=[.!?])\s+", f.read()) if s.strip()]
sentences = [" ".join(s.split()) for s in sentences]

def one_line(size):
    out, n, i = [], 0, 0
    while n < size:
        s = sentences[i % len(sentences)] + " "
        out.append(s)
        n += len(s.encode())
        i += 1
    return "".join(out)

def minified_xliff(size):
    head = ('<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2"><file '
            'source-language="fr" target-language="en" datatype="plaintext" original="x"><body>')
    tail = "</body></file></xliff>"
    out, n, i = [head], len(head) + len(tail), 0
    while n < size:
        unit = ('<trans-unit id="%d"><source>texte</source><target>%s</target></trans-unit>'
                % (i, escape(sentences[i % len(sentences)])))
        out.append(unit)
        n += len(unit.encode())
        i += 1
    out.append(tail)
    return "".join(out)

def timed(args):
    start = time.monotonic()
    with open(os.devnull, "wb") as null:
        done = subprocess.run([bin] + args, stdout=null, stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):
        sys.exit("%s failed: %s" % (args, done.stderr.decode(errors="replace")))
    return time.monotonic() - start

def peak_mb(args):
    with open(os.devnull, "wb") as null:
        done = subprocess.run(["/usr/bin/time", "-v", bin] + args, stdout=null,
                              stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):
        sys.exit("%s failed: %s" % (args, done.stderr.decode(errors="replace")))
    kb = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return int(kb.group(1)) / 1024

print("shape            MB   seconds   ratio to the size before")
for shape, make, ext in [("one-line text", one_line, "txt"),
                         ("minified XLIFF", minified_xliff, "xlf")]:
    before = None
    for mb in sizes:
        path = os.path.join(work, "in.%s" % ext)
        with open(path, "w", encoding="utf-8") as f:
            f.write(make(mb << 20))
        seconds = timed(["check", "--format", "json", path])
        ratio = "%.2f" % (seconds / before) if before else "-"
        print("%-15s %3d %9.2f   %s" % (shape, mb, seconds, ratio))
        before = seconds

text = os.path.join(work, "fix.txt")
with open(text, "w", encoding="utf-8") as f:
    f.write("\n\n".join(one_line(1 << 16) for _ in range(20 * 16)))
print("peak memory: fix on %.1f MB: %.0f MB" % (os.path.getsize(text) / 2**20,
                                                 peak_mb(["fix", text])))
corpus = os.path.join(work, "corpus.txt")
with open(corpus, "w", encoding="utf-8") as f:
    f.write(one_line(50 << 20))
model = os.path.join(work, "house.mtlm")
print("peak memory: model build on a %.1f MB line: %.0f MB" % (
    os.path.getsize(corpus) / 2**20, peak_mb(["model", "build", corpus, "-o", model])))
PY
