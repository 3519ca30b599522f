# Shared by the scripts that rebuild one embedded data file byte for byte and compare it with
# a recorded sha256 (tools/build-model.sh, tools/build-pairs.sh). Source it with the script's
# arguments after setting `out` (the committed file, relative to the repository):
#   --check   build into a temporary file and only compare checksums
# It sets `root`, `out` (absolute), `check` and `work` (a directory removed on exit), and
# gives `sum FILE` (its sha256), `placeholder` and `finish BUILT RECORDED_SHA256`.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/$out"
check=false
[ "${1:-}" = "--check" ] && check=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sum() { sha256sum "$1" | cut -d' ' -f1; }

# The crate embeds the file, so the very first build needs a file in its place.
placeholder() {
    mkdir -p "$(dirname "$out")"
    [ -e "$out" ] || : > "$out"
}

# Reports the built file, copies it over `out` unless --check, and fails when its checksum
# is not the recorded one.
finish() {
    local built=$1 recorded=$2 got
    got=$(sum "$built")
    echo "built $(basename "$out"): $(stat -c %s "$built") bytes, sha256 $got"
    if ! $check; then
        cp "$built" "$out"
        echo "wrote $out"
    fi
    if [ "$got" != "$recorded" ]; then
        echo "sha256 differs from the recorded $recorded" >&2
        exit 1
    fi
    echo "sha256 matches the recorded value"
}
