#!/usr/bin/env bash
# A smoke comparison of the nojit-cc build of GNU sed with the native build of the same source
# (not sed's test suite: that runs hundreds of sed invocations, each a `nojit run`, and
# helper programs make check would compile with nojit-cc for the host to run). Each case runs
# both builds on the same input and compares stdout and exit status.
#
#   toolchain/userland/sed/check.sh [WORKDIR]      exit 0 when every case agrees
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../check-lib.sh"
check_begin sed "${1:-$ROOT/toolchain/target/check-sed}"
"$ROOT/nojit" keygen --out "$WORK/k" >/dev/null
"$ROOT/nojit" build --key "$WORK/k" --out "$WORK/sed.nojit" --exec /bin/sed="$WASM_OUT/bin/sed" >/dev/null
mkdir -p "$WORK/data" "$WORK/out" # the audit logs (in out/) must lie outside the mounted data
printf 'alpha 1\nbeta 22\ngamma 333\ndelta 4444\n# comment\nepsilon 55555\n' >"$WORK/data/in.txt"

cases=(
    "-E s/([a-z]+)[[:space:]]([0-9]+)/\\2=\\1/ /d/in.txt"
    "-n /beta/,/delta/p /d/in.txt"
    "y/abcdefghij/ABCDEFGHIJ/ /d/in.txt"
    "-e /^#/d -e \$!N -e s/\\n/+/ /d/in.txt"
    "= /d/in.txt"
    "-s -n \$p /d/in.txt /d/in.txt"
    "-E s/unbalanced(/x/ /d/in.txt"
)
failed=0
for i in "${!cases[@]}"; do
    read -r -a args <<<"${cases[$i]}"
    native_args=()
    for a in "${args[@]}"; do
        [[ $a == /d/* ]] && a=${a#/d/} # the native build runs in the data directory
        native_args+=("$a")
    done
    set +e
    (cd "$WORK/data" && "$NATIVE_OUT/bin/sed" "${native_args[@]}") >"$WORK/out/$i.native" 2>/dev/null
    native_rc=$?
    "$ROOT/nojit" run --pubkey "$WORK/k.pub" --audit-log "$WORK/out/$i.audit.jsonl" --timeout 60s \
        --mount "/d=$WORK/data:ro" "$WORK/sed.nojit" -- /bin/sed "${args[@]}" >"$WORK/out/$i.nojit" 2>"$WORK/out/$i.nojit.err"
    nojit_rc=$?
    set -e
    compare_runs "sed ${cases[$i]}" "$native_rc" "$nojit_rc" "$WORK/out/$i.native" "$WORK/out/$i.nojit" || failed=1
done
exit $failed
