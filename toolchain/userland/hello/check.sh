#!/usr/bin/env bash
# Runs GNU hello's own test suite (tests/* of the Debian source package, the `make check`
# cases) twice: with HELLO naming the native build, and with HELLO naming a wrapper that runs
# the nojit-cc build under `nojit run`. The harness (sh, diff, tr) is the host's either way;
# only the program under test differs. Prints passed/failed/skipped per build. (tests/greeting-2
# skips itself, exit 77, except on a full-moon night: upstream's joke, the same for both.)
#
#   toolchain/userland/hello/check.sh [WORKDIR]      exit 0 when both builds pass the same tests
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../check-lib.sh"
check_begin hello "${1:-$ROOT/toolchain/target/check-hello}"
WASM=$WASM_OUT/bin/hello
NATIVE=$NATIVE_OUT/bin/hello
TESTS=$("$ROOT/toolchain/fetch-source.sh" "$WORK/fetch" hello=2.10-3 2>>"$WORK/build.log" | tail -1)/tests

"$ROOT/nojit" keygen --out "$WORK/k" >/dev/null
"$ROOT/nojit" build --key "$WORK/k" --out "$WORK/hello.nojit" --exec /bin/hello="$WASM" >/dev/null
cat >"$WORK/hello-nojit" <<WRAP
#!/bin/sh
log=\$(mktemp -u "$WORK/audit.XXXXXX.jsonl")
exec "$ROOT/nojit" run --pubkey "$WORK/k.pub" --audit-log "\$log" --timeout 60s "$WORK/hello.nojit" -- /bin/hello "\$@" 2>"\$log.err"
WRAP
chmod +x "$WORK/hello-nojit"

declare -A result
for build in native nojit; do
    hello=$NATIVE
    [[ $build == nojit ]] && hello=$WORK/hello-nojit
    pass=0 fail=0 skip=0
    for t in "$TESTS"/*; do
        name=$(basename "$t")
        mkdir -p "$WORK/$build/$name"
        set +e
        (cd "$WORK/$build/$name" && HELLO=$hello sh "$t") >"$WORK/$build/$name.log" 2>&1
        rc=$?
        set -e
        case $rc in
            0) pass=$((pass + 1)); result[$build/$name]=PASS ;;
            77) skip=$((skip + 1)); result[$build/$name]=SKIP ;;
            *) fail=$((fail + 1)); result[$build/$name]="FAIL (exit $rc)" ;;
        esac
        echo "$build $name: ${result[$build/$name]}"
    done
    echo "$build: $pass passed, $fail failed, $skip skipped"
done
same=1
for t in "$TESTS"/*; do
    name=$(basename "$t")
    [[ ${result[native/$name]} == "${result[nojit/$name]}" ]] || same=0
done
[[ $same -eq 1 ]] || { echo "check.sh: the builds disagree (logs in $WORK)"; exit 1; }
