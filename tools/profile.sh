#!/usr/bin/env bash
# Profiles `mtaudit check --thorough` (or the default run, `--default`) under callgrind and
# prints the top functions by instructions, inclusive and self, plus instructions per word.
# Callgrind counts instructions, so the figures do not depend on what else the machine is
# doing (unlike wall-clock time).
#
# Usage: tools/profile.sh [--default] [--top N] [--out FILE] PATH...
#   PATH       files or folders to audit (about 100-200 KB keeps the run under a minute or two)
#   --default  profile `mtaudit check` without --thorough (the run the speed target is for)
#   --top      how many functions to list (default 12)
#   --out      keep the callgrind output in FILE (default: a temporary file)
# Builds with `--profile profiling` (release plus debug symbols, see Cargo.toml).
# Needs: valgrind, python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
top=12
out=""
depth=--thorough
while [ $# -gt 0 ]; do
    case "$1" in
        --default) depth=""; shift ;;
        --top) top="${2:?--top needs N}"; shift 2 ;;
        --out) out="${2:?--out needs FILE}"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--default] [--top N] [--out FILE] PATH..." >&2; exit 2; }

(cd "$root" && cargo build --profile profiling --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/profiling/mtaudit"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="${out:-$work/callgrind.out}"
# One thread: the figures are per core, and one thread keeps callgrind's output simple.
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$bin" check $depth --format json "$@" >"$work/report.json" 2>"$work/valgrind.log" || true
grep -q 'Collected' "$work/valgrind.log" || { cat "$work/valgrind.log" >&2; exit 2; }

words=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["words"])' \
    "$work/report.json")
# callgrind_annotate splits a function by the file of each inlined line and counts rayon's
# recursion many times over; this sums each function once, from the raw output.
python3 - "$out" "$words" "$top" <<'PY'
import collections, re, sys

path, words, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = {}


def name(token):
    """Callgrind compresses repeated names to "(id)"; the first use carries the name."""
    m = re.match(r"\((\d+)\)(?: (.*))?", token)
    if not m:
        return token
    if m.group(2) is not None:
        names[m.group(1)] = m.group(2)
    return names[m.group(1)]


own, inclusive = collections.Counter(), collections.Counter()
fn = callee = call = None
total = 0
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("fn="):
        fn = name(line[3:])
    elif line.startswith("cfn="):
        callee = name(line[4:])
    elif line.startswith("calls="):
        call = callee
    elif line.startswith(("summary:", "totals:")):
        total = int(line.split()[1])
    elif line[:1].isdigit() or line[:1] in ("+", "-", "*"):
        parts = line.split()
        if len(parts) < 2:
            continue
        cost = int(parts[1])
        if call is not None:
            # The line after calls= is the callee's inclusive cost; a function calling
            # itself is not counted twice.
            if call != fn:
                inclusive[fn] += cost
            call = None
        else:
            own[fn] += cost
            inclusive[fn] += cost

print(f"{words:,} words, {total:,} instructions, {total / words:,.0f} per word")


def show(counter, keep):
    shown = 0
    for f, n in counter.most_common():
        if not keep(f):
            continue
        print(f"{n:>15,} {100 * n / total:5.1f}%  {f[:120]}")
        shown += 1
        if shown == top:
            break


print("\n== inclusive (mtaudit's own functions)")
show(inclusive, lambda f: "mtaudit::" in f and not f.startswith(("mtaudit::main", "mtaudit::cli::")))
print("\n== self")
show(own, lambda f: True)
PY
