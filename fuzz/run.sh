#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each (default 600), two at a time,
# under `nice`, and prints one line per target: seconds, executions, result.
# Usage: fuzz/run.sh [-t SECONDS] [TARGET...]
# Needs cargo-fuzz; on a stable toolchain RUSTC_BOOTSTRAP=1 lets it pass its -Z flags.
set -euo pipefail
cd "$(dirname "$0")"
seconds=600
if [[ "${1:-}" == "-t" ]]; then seconds=$2; shift 2; fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then mapfile -t targets < <(cargo fuzz list); fi
export RUSTC_BOOTSTRAP=1
# Debug assertions on: overflow checks and the library's debug_assert!s are properties too.
nice -n 10 cargo fuzz build --debug-assertions
mkdir -p logs
# The test fixtures a target starts from besides its own seeds (read, never written).
fixtures() {
    case $1 in
    xliff | po | tmx | tsv | csv | termbase_tsv | termbase_tbx) echo ../tests/cmd/bilingual.in ;;
    config | glossary) echo ../tests/cmd/ci.in ;;
    arpa | model) echo ../tests/cmd/model.in ;;
    esac
}
run() {
    local target=$1
    mkdir -p "corpus/$target"
    # New inputs go to the first folder (corpus/, ignored by git). -timeout: an input that
    # takes over 10 s is a hang, and a finding.
    # shellcheck disable=SC2046 # fixtures gives zero or one word
    nice -n 10 cargo fuzz run --debug-assertions "$target" \
        "corpus/$target" "seeds/$target" $(fixtures "$target") -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        >"logs/$target.log" 2>&1 && result=ok || result="FINDING (see fuzz/logs/$target.log)"
    local runs time
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' || echo '?')
    time=$(grep -o 'Done [0-9]* runs in [0-9]* second' "logs/$target.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo '?')
    printf '%-14s %6s s %12s execs  %s\n' "$target" "$time" "$runs" "$result"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & fi
    wait
done
