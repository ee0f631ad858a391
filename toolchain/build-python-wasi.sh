#!/usr/bin/env bash
# Builds CPython for WASI preview 1 (toolchain/userland/python-wasi/build.sh; cached by content
# hash, so a second run compiles nothing and needs no network) and copies its output to OUTDIR:
# OUTDIR/bin/python.wasm and OUTDIR/lib/python3.11/ (the standard library). A copy, not a link:
# the locked-down test JVM may read its module's target directory and nothing beside it. The
# copy is redone only when the build's output directory (its content hash) changed.
#
#   toolchain/build-python-wasi.sh OUTDIR
set -euo pipefail
if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(bash "$HERE/userland/python-wasi/build.sh" | tail -1)
[[ -f $dir/.complete && -f $dir/bin/python.wasm ]] || { echo "build-python-wasi.sh: python-wasi built nothing" >&2; exit 1; }
if [[ $(cat "$1/.built-from" 2>/dev/null) != "$dir" ]]; then
    rm -rf "$1"
    mkdir -p "$(dirname "$1")"
    rm -rf "$1.tmp"
    cp -a "$dir" "$1.tmp"
    echo "$dir" >"$1.tmp/.built-from"
    mv "$1.tmp" "$1"
fi
echo "  python-wasi: $dir"
