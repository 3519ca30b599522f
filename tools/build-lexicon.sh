#!/usr/bin/env bash
# Regenerates corpora/lexicon/lexicon.bin byte for byte from registry packages:
#   Debian  wordnet-base    WordNet 3.0 (lemmas, parts of speech, synsets, relations, exceptions)
#   Debian  hunspell-en-us  SCOWL-based en_US dictionary (affix flags: regular inflections)
#   Debian  scowl           SCOWL word lists by size (vocabulary and commonness levels)
#   crate   thesaurus-moby  Moby Thesaurus II as src/moby.txt (public domain)
# plus corpora/lexicon/closed-class.tsv (hand-written). Versions and input hashes are pinned
# below and in corpora/lexicon/README.md; a changed input stops the build.
#
# Usage: tools/build-lexicon.sh [WORKDIR]     (needs apt-get, dpkg-deb, cargo, python3 >= 3.11)
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-${TMPDIR:-/tmp}/mtaudit-lexicon-build}"
OUT="$ROOT/corpora/lexicon/lexicon.bin"

WORDNET_DEB="wordnet-base=1:3.0-37"
HUNSPELL_DEB="hunspell-en-us=1:2020.12.07-2"
SCOWL_DEB="scowl=2020.12.07-2"
MOBY_CRATE="thesaurus-moby@=0.2.0"

mkdir -p "$WORK/debs" "$WORK/root"
cd "$WORK/debs"
if ! ls wordnet-base_*.deb hunspell-en-us_*.deb scowl_*.deb >/dev/null 2>&1; then
    apt-get download "$WORDNET_DEB" "$HUNSPELL_DEB" "$SCOWL_DEB" \
        || { apt-get update -qq && apt-get download "$WORDNET_DEB" "$HUNSPELL_DEB" "$SCOWL_DEB"; }
fi
for deb in wordnet-base_*.deb hunspell-en-us_*.deb scowl_*.deb; do
    dpkg-deb -x "$deb" "$WORK/root"
done

# Moby: let cargo fetch the crate into its registry cache in a throw-away project; mtaudit
# itself never depends on it.
if [ ! -f "$WORK/moby/moby.txt" ]; then
    rm -rf "$WORK/moby" && mkdir -p "$WORK/moby"
    (cd "$WORK/moby" && cargo new -q --vcs none fetcher && cd fetcher \
        && cargo add -q "$MOBY_CRATE" && cargo fetch -q)
    src="$(cd "$WORK/moby/fetcher" && cargo metadata --format-version 1 \
        | python3 -c 'import json,sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "thesaurus-moby": print(p["manifest_path"].rsplit("/", 1)[0])')"
    cp "$src/src/moby.txt" "$WORK/moby/moby.txt"
fi

SHARE="$WORK/root/usr/share"
# The exact bytes the extractor reads (not the .deb archives, which a mirror may recompress),
# checked against corpora/lexicon/inputs.sha256 so a changed package cannot slip in unnoticed.
(cd "$WORK" && sha256sum root/usr/share/wordnet/{index,data}.{noun,verb,adj,adv} \
    root/usr/share/wordnet/{noun,verb,adj,adv}.exc root/usr/share/hunspell/en_US.{aff,dic} \
    moby/moby.txt
 cd "$SHARE/dict/scowl" && LC_ALL=C sha256sum * | sha256sum | sed 's|-$|root/usr/share/dict/scowl/* (sha256sum list)|'
) > "$WORK/inputs.sha256"
PINNED="$ROOT/corpora/lexicon/inputs.sha256"
if [ -f "$PINNED" ] && ! diff -q "$PINNED" "$WORK/inputs.sha256" >/dev/null; then
    diff -u "$PINNED" "$WORK/inputs.sha256" | head -20 >&2
    echo "build-lexicon: inputs differ from $PINNED" >&2
    exit 1
fi
[ -f "$PINNED" ] || cp "$WORK/inputs.sha256" "$PINNED"

python3 "$ROOT/tools/lexicon/extract.py" \
    --wordnet "$SHARE/wordnet" --hunspell "$SHARE/hunspell" --scowl "$SHARE/dict/scowl" \
    --moby "$WORK/moby/moby.txt" --closed "$ROOT/corpora/lexicon/closed-class.tsv" \
    --out "$WORK/lexicon-source.txt"
(cd "$ROOT" && cargo run -q --release --example lexicon_pack -- "$WORK/lexicon-source.txt" "$OUT")
sha256sum "$WORK/lexicon-source.txt" "$OUT"
