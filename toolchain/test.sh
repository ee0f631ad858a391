#!/usr/bin/env bash
# Builds the C programs under toolchain/tests/ twice, with nojit-cc (WALI) and natively with gcc,
# runs the WALI builds under `nojit run` (all in one signed image, each at /bin/NAME) and the
# native builds on the host, and compares stdout and the exit status of each pair.
#
#   toolchain/test.sh [WORKDIR]      exit 0 when every pair agrees, 1 otherwise
#
# WORKDIR (default toolchain/target/test) receives the builds, outputs and audit logs.
# threads.c is WALI-only (native threads work): its expected output is tests/threads.expected.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
source "$HERE/userland/check-lib.sh" # compare_runs
WORK=${1:-$HERE/target/test}
rm -rf "$WORK"
mkdir -p "$WORK/wali" "$WORK/native" "$WORK/out"
NOJIT="$ROOT/nojit"

"$HERE/build-sysroot.sh" >/dev/null
build_args=()
for src in "$HERE"/tests/*.c; do
    name=$(basename "$src" .c)
    "$HERE/nojit-cc" -O2 -Wall -o "$WORK/wali/$name.wasm" "$src"
    build_args+=(--exec "/bin/$name=$WORK/wali/$name.wasm")
    [[ $name == threads ]] || gcc -O2 -w -o "$WORK/native/$name" "$src"
done
"$NOJIT" keygen --out "$WORK/test.key" >/dev/null
"$NOJIT" build --key "$WORK/test.key" --out "$WORK/tests.nojit" "${build_args[@]}" >/dev/null

failed=0
for src in "$HERE"/tests/*.c; do
    name=$(basename "$src" .c)
    set +e
    "$NOJIT" run "$WORK/tests.nojit" --pubkey "$WORK/test.key.pub" --env GREETING=hi \
        --audit-log "$WORK/out/$name.audit.jsonl" -- "/bin/$name" \
        > "$WORK/out/$name.wali" 2> "$WORK/out/$name.wali.err"
    wali_rc=$?
    if [[ $name == threads ]]; then
        cp "$HERE/tests/threads.expected" "$WORK/out/$name.native"
        native_rc=0
    else
        (cd / && env -i GREETING=hi "$WORK/native/$name") > "$WORK/out/$name.native" 2> "$WORK/out/$name.native.err"
        native_rc=$?
    fi
    set -e
    if ! compare_runs "$name" "$native_rc" "$wali_rc" "$WORK/out/$name.native" "$WORK/out/$name.wali"; then
        failed=1
        sed 's/^/     stderr: /' "$WORK/out/$name.wali.err" | head -5
    fi
done
exit $failed
