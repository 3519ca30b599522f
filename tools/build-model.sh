#!/usr/bin/env bash
# Regenerates corpora/model/en-us.mtlm, the embedded English model, from Debian's
# pocketsphinx-en-us package (CMU Sphinx generic US English trigram model, BSD-2):
#
#   .deb --dpkg-deb--> en-us.lm.bin --tools/sphinx_lm.py--> ARPA text
#        --model::build::from_arpa (examples/model_tool.rs import-arpa)--> en-us.mtlm
#
# The result is byte for byte reproducible; the script compares it with MODEL_SHA256.
#
# Usage: tools/build-model.sh [--check]
#   --check   build into a temporary file and only compare checksums
# Environment: DEB=path/to/pocketsphinx-en-us_*.deb uses that file instead of downloading.
# Needs: apt-get (for the download), dpkg-deb, python3 (3.8+), cargo.
set -euo pipefail

DEB_VERSION="0.8+5prealpha+1-15"
DEB_SHA256="6bf9ef84f7dd96f497ff29a725e2a15500e9b8f73869f6854293aab7310ee28c"
LM_SHA256="db21d0642286677699e6dbc859d2e5395570222361999387ce60f6e1d01995d6"
MODEL_SHA256="8b1a1ca9aeda8b83f23d95edd0b6494b13b3281b612286fd6cd8a9aad2e4cca0"

out=corpora/model/en-us.mtlm
# shellcheck source=tools/artefact.sh
source "$(dirname "$0")/artefact.sh"

deb="${DEB:-}"
if [ -z "$deb" ]; then
    (cd "$work" && apt-get download "pocketsphinx-en-us=$DEB_VERSION" >&2)
    deb=$(ls "$work"/pocketsphinx-en-us_*.deb)
fi
if [ "$(sum "$deb")" != "$DEB_SHA256" ]; then
    echo "warning: $deb is not the recorded pocketsphinx-en-us $DEB_VERSION" >&2
fi

dpkg-deb -x "$deb" "$work/pkg"
lm="$work/pkg/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
if [ "$(sum "$lm")" != "$LM_SHA256" ]; then
    echo "warning: en-us.lm.bin differs from the recorded one" >&2
fi
python3 "$root/tools/sphinx_lm.py" "$lm" > "$work/en-us.arpa"

placeholder
(cd "$root" && cargo run --quiet --release --example model_tool -- \
    import-arpa "$work/en-us.arpa" "$work/en-us.mtlm")

finish "$work/en-us.mtlm" "$MODEL_SHA256"
