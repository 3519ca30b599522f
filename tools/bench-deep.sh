#!/usr/bin/env bash
# Benchmark of the deep tier: one article audited with `--deep`, on all cores and on one.
# Prints figures; asserts nothing.
#
# For each run: wall time, CPU time (user + system), peak memory, words per second, and the
# deep tier's own account (MTAUDIT_DEEP_TRACE): tokens read and candidate tokens rescored,
# with the seconds each took (summed over threads: rescoring overlaps reading) and tokens
# per second. The load average is printed with each run: the machine may be shared.
#
# Usage: tools/bench-deep.sh [ARTICLE] [--target-dir DIR]
#   ARTICLE         default corpora/examples/vila-serena-travel/garbled.txt (608 words)
#   --target-dir    where cargo builds the release binary with `--features deep`
# Needs: the reference model in the cache (tools/fetch-lm), /usr/bin/time (Debian package
# time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
article="$root/corpora/examples/vila-serena-travel/garbled.txt"
target_dir="$root/target"
while [ $# -gt 0 ]; do
    case "$1" in
        --target-dir) target_dir="${2:?--target-dir needs DIR}"; shift 2 ;;
        *) article="$1"; shift ;;
    esac
done

cargo build --release --features deep --target-dir "$target_dir" --manifest-path "$root/Cargo.toml" >&2
binary="$target_dir/release/mtaudit"
words=$(wc -w < "$article")
echo "article: $article ($words words)"

run() {
    local label="$1"
    shift
    local log
    log=$(mktemp)
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    env "$@" MTAUDIT_DEEP_TRACE=1 /usr/bin/time -v "$binary" check --deep "$article" \
        > /dev/null 2> "$log" || true
    python3 - "$label" "$words" "$log" <<'EOF'
import re, sys
label, words, log = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", log).group(1)
clock = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(x * 60 ** i for i, x in enumerate(reversed(clock)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
peak = int(field("Maximum resident set size (kbytes)")) / 1024
work = re.search(r"read (\d+) tokens in ([\d.]+) s; rescored (\d+) candidate tokens in ([\d.]+) s", log)
read, read_s, rescored, rescore_s = int(work[1]), float(work[2]), int(work[3]), float(work[4])
print(f"{label}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MB, {words / wall:.0f} words/s")
print(f"  read {read} tokens in {read_s:.2f} s ({read / read_s:.0f} tokens/s); "
      f"rescored {rescored} candidate tokens in {rescore_s:.2f} s ({rescored / rescore_s:.0f} tokens/s)")
EOF
    rm -f "$log"
}

run "all cores"
run "one thread" RAYON_NUM_THREADS=1
