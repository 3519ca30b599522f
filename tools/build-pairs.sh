#!/usr/bin/env bash
# Regenerates corpora/pairs/technical.fst, the embedded word and word-pair counts of technical
# English, from the HTML manuals of eight scientific Python packages in Debian (BSD-style
# licences, see NOTICE):
#
#   .debs --dpkg-deb--> HTML --tools/pairs/extract.py--> counts.tsv
#         --pairs::pack (examples/pairs_pack.rs)--> technical.fst
#
# The result is byte for byte reproducible; the script compares it with PAIRS_SHA256.
#
# Usage: tools/build-pairs.sh [--check]
#   --check   build into a temporary file and only compare checksums
# Environment: DEBS=DIR uses the .deb files in DIR instead of downloading.
# Needs: apt-get (for the download), dpkg-deb, python3 (3.8+), cargo.
set -euo pipefail
export LC_ALL=C

# package=version sha256, as recorded in corpora/pairs/README.md.
PACKAGES=(
    "python-sklearn-doc=1.2.1+dfsg-1 4e244556326064e87e7563e3e544c2288d44b5719db2d7b3a85c9a84ae93488d"
    "python-statsmodels-doc=0.13.5+dfsg-7 4167a3e13347343b9f0a6677fc804ecad80dd735d17bc051829610f6f1bc2afb"
    "python-scipy-doc=1.10.1-2 a237fdcef1675622f1a5d8a291c64feba140615130ee625554f94772d4ea3ad7"
    "python-skimage-doc=0.19.3-8 2c87d8f7d4504b29fe80283a24a153fb4175b0e4964bd90a2a0152b36bb6b468"
    "python-biopython-doc=1.80+dfsg-4 350b871fa68e73e7dee78d6affec8a27bcbb31cd690843a82aefe187dab1712f"
    "python-astropy-doc=5.2.1-2+deb12u1 d7cfa77ec5239a4ebcdf27c7cdc3d9e604228e99257f91d4260abbb970469b91"
    "python-sympy-doc=1.11.1-1 2a1d50bd49738f0280308fc8d86d5fa5739dbc6391e1c754f4549bc3635e6a31"
    "python-pandas-doc=1.5.3+dfsg-2 4998405ff6b12432f46594963e95554ade1104705795428396345fca58d853f8"
)
COUNTS_SHA256="3e1cac75194f266ecf35846b7d78f8b2deb30256e39e2ecc61953d607c390355"
PAIRS_SHA256="1ca4a15028188c42808a9683d23d8bb0ea7fdd0fa5d171cf3d02731707f547fa"

out=corpora/pairs/technical.fst
# shellcheck source=tools/artefact.sh
source "$(dirname "$0")/artefact.sh"

debs="${DEBS:-$work/debs}"
mkdir -p "$debs"
names=()
for entry in "${PACKAGES[@]}"; do
    spec=${entry% *}
    want=${entry#* }
    name=${spec%%=*}
    names+=("$name")
    deb=$(ls "$debs/${name}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        (cd "$debs" && apt-get download "$spec" >&2)
        deb=$(ls "$debs/${name}"_*.deb | head -1)
    fi
    if [ "$(sum "$deb")" != "$want" ]; then
        echo "warning: $deb is not the recorded $spec" >&2
    fi
    dpkg-deb -x "$deb" "$work/root"
done

python3 "$root/tools/pairs/extract.py" "$work/root" "${names[@]}" > "$work/counts.tsv"
if [ "$(sum "$work/counts.tsv")" != "$COUNTS_SHA256" ]; then
    echo "warning: the counts differ from the recorded ones" >&2
fi

placeholder
(cd "$root" && cargo run --quiet --release --example pairs_pack -- \
    "$work/counts.tsv" "$work/technical.fst")

finish "$work/technical.fst" "$PAIRS_SHA256"
