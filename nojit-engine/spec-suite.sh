#!/usr/bin/env bash
# Converts the WebAssembly 2.0-era spec test suite for OfficialSpecSuiteTest (nojit-engine/README.md).
#
#   nojit-engine/spec-suite.sh TESTSUITE_GIT_DIR OUT_DIR
#
# TESTSUITE_GIT_DIR is a clone (or bare mirror) of WebAssembly/testsuite; commit 3a04b2c is
# extracted with git archive, and every top-level *.wast and proposals/threads/*.wast is converted
# with wabt's wast2json --enable-threads into OUT_DIR/<name>/<name>.json (threads ones as
# threads-<name>). Prints the scripts that fail to convert.
set -euo pipefail
if [[ $# -ne 2 ]]; then
    echo "usage: $0 TESTSUITE_GIT_DIR OUT_DIR" >&2
    exit 2
fi
command -v wast2json >/dev/null 2>&1 || { echo "spec-suite.sh: wast2json missing: apt-get install wabt" >&2; exit 1; }
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git -C "$1" archive 3a04b2c | tar -x -C "$src"
mkdir -p "$2"
convert() { # WAST NAME
    mkdir -p "$2/$1"
    wast2json --enable-threads "$3" -o "$2/$1/$1.json" >/dev/null 2>&1 || echo "not converted: $3" >&2
}
for f in "$src"/*.wast; do convert "$(basename "$f" .wast)" "$2" "$f"; done
for f in "$src"/proposals/threads/*.wast; do convert "threads-$(basename "$f" .wast)" "$2" "$f"; done
echo "converted $(find "$2" -name '*.json' | wc -l) scripts into $2"
