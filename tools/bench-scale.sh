#!/usr/bin/env bash
# Memory at scale, for the release build. Prints figures; asserts nothing.
#
#   * one large plain-text file (default 1024 MB), audited by `mtaudit check --format json`
#     (the JSON report streamed to /dev/null): wall time, words per second, peak memory;
#   * a directory of many small files (default 100,000, about 2 KB each), the same;
#   * the same directory in 4 shards (`--shard K/4`), then `mtaudit report merge`, whose
#     report must equal the single run's (the script says whether it does).
#
# The text is our own: the articles and clean texts of corpora/examples, their paragraphs
# shuffled with a fixed seed and repeated until the size is reached. Peak memory is the
# maximum resident set size (wait4).
#
# Usage: tools/bench-scale.sh [--size-mb N] [--files N] [--keep DIR]
#   --size-mb N  size of the large file (default 1024)
#   --files N    number of small files (default 100000)
#   --keep DIR   generate the inputs in DIR and keep them (default: a temporary folder)
# Needs: cargo, python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=1024
files=100000
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size-mb) size_mb="${2:?--size-mb needs N}"; shift 2 ;;
        --files) files="${2:?--files needs N}"; shift 2 ;;
        --keep) keep="${2:?--keep needs DIR}"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/mtaudit"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="${keep:-$work/data}"
mkdir -p "$data"

python3 - "$bin" "$root/corpora/examples" "$data" "$work" "$size_mb" "$files" <<'PY'
import filecmp, json, os, random, subprocess, sys, time

bin, examples, data, work, size_mb, files = sys.argv[1:7]
size, files = int(size_mb) << 20, int(files)

paragraphs = []
for d, _, names in sorted(os.walk(examples)):
    for name in sorted(names):
        if name.endswith(".txt"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                paragraphs += [p.strip() for p in f.read().split("\n\n") if p.strip()]
rng = random.Random(1)

def generate_large(path):
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        while written < size:
            rng.shuffle(paragraphs)
            chunk = "\n\n".join(paragraphs) + "\n\n"
            out.write(chunk)
            written += len(chunk.encode())

def generate_small(folder):
    if os.path.isdir(folder) and sum(len(n) for _, _, n in os.walk(folder)) >= files:
        return
    for i in range(files):
        sub = os.path.join(folder, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{i:06d}.txt"), "w", encoding="utf-8") as out:
            out.write("\n\n".join(rng.sample(paragraphs, 3)) + "\n")

def run(args, stdout):
    """Wall seconds, peak RSS (MB) and exit code of one run."""
    start = time.perf_counter()
    p = subprocess.Popen([bin] + args, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"mtaudit {' '.join(args)} exited with {code}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024, code

def summary_of(report):
    """The summary, read from the report's tail: loading a large report here would grow this
    process, and a child's peak memory counts its parent's pages until it starts mtaudit."""
    with open(report, "rb") as f:
        f.seek(max(0, os.path.getsize(report) - 4096))
        tail = f.read().decode("utf-8", "replace")
    start = tail.rindex('"summary":') + len('"summary":')
    return json.JSONDecoder().raw_decode(tail[start:].lstrip())[0]

large = os.path.join(data, "large.txt")
small = os.path.join(data, "small")
generate_large(large)
generate_small(small)
print(f"machine: {os.cpu_count()} cores\n")
print(f"{'input':44}{'wall s':>9}{'words/s':>12}{'peak MB':>9}")

# Its JSON report would be larger than the file: count words with str.split instead.
wall, rss, _ = run(["check", "--format", "json", large], subprocess.DEVNULL)
with open(large, encoding="utf-8") as f:
    words = sum(len(line.split()) for line in f)
print(f"{f'one file, {os.path.getsize(large) / 2**20:,.0f} MB, ~{words:,} words':44}"
      f"{wall:>9.1f}{words / wall:>12,.0f}{rss:>9.0f}")

whole = os.path.join(work, "whole.json")
with open(whole, "w") as out:
    wall, rss, code = run(["check", "--format", "json", small], out)
words = summary_of(whole)["words"]
print(f"{f'{files:,} files, {words:,} words':44}{wall:>9.1f}{words / wall:>12,.0f}{rss:>9.0f}")

shards = []
for k in range(1, 5):
    report = os.path.join(work, f"shard-{k}.json")
    with open(report, "w") as out:
        wall, rss, _ = run(["check", "--format", "json", "--shard", f"{k}/4", small], out)
    shards.append(report)
    print(f"{f'  shard {k}/4':44}{wall:>9.1f}{'':>12}{rss:>9.0f}")
merged = os.path.join(work, "merged.json")
with open(merged, "w") as out:
    wall, rss, merged_code = run(["report", "merge"] + shards[::-1], out)
print(f"{'  report merge of the 4 shards':44}{wall:>9.1f}{'':>12}{rss:>9.0f}")
same = filecmp.cmp(whole, merged, shallow=False) and merged_code == code
print(f"\nmerged report {'equals' if same else 'DIFFERS FROM'} the single run's "
      f"({os.path.getsize(whole) / 2**20:,.0f} MB of JSON), exit code {merged_code}")
PY
