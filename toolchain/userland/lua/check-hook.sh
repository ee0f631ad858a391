#!/usr/bin/env bash
# Proves Lua's AT_EXECVE_CHECK hook (patches/01-execve-check.patch) with the nojit-built lua
# (build.sh) and the native build of the same source (build.sh --native):
#
#   toolchain/userland/lua/check-hook.sh [WORKDIR]     exit 0 when every expectation holds
#
# One bundle per policy: /bin/lua with the `lua` interpreter profile, the listed scripts
# check/main.lua (the driver, one case per run), check/lib.lua, check/mod.lua and lib.luac (lib.lua
# precompiled by the native luac) at /s/.
#   scripts: manifest-only   dofile/loadfile/require of a listed file (and dofile of the listed
#                            precompiled chunk) run; of a file the script
#                            wrote to /tmp the check is a violation: exec_denied in execveat
#                            naming the file is in the audit log, pid 1 is killed (exit 137),
#                            nothing of the file runs. A 0644 copy of listed content and
#                            /dev/null give EACCES: a Lua error naming the file, no event.
#   scripts: via-interpreter no securebits, so nothing is checked: every file runs.
#   native                   the same driver on the host: behaviour unchanged, every file runs.
# WORKDIR (default toolchain/target/check-lua) keeps the bundles, outputs and audit logs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../check-lib.sh"
NOJIT="$ROOT/nojit"
check_begin lua "${1:-$ROOT/toolchain/target/check-lua}"
LUA=$WASM_OUT/bin/lua
NATIVE_LUA=$NATIVE_OUT/bin/lua
# a listed precompiled chunk (Lua 5.4's format is the same for both builds: 4-byte
# instructions, 8-byte integers and floats)
"${NATIVE_LUA%/lua}/luac" -o "$WORK/lib.luac" "$HERE/check/lib.lua"
mkdir -p "$WORK/native-listed"
cp "$HERE/check/lib.lua" "$HERE/check/mod.lua" "$WORK/lib.luac" "$WORK/native-listed/"
"$NOJIT" keygen --out "$WORK/k" >/dev/null
for policy in manifest-only via-interpreter; do
    echo "{\"scripts\":\"$policy\",\"interpreters\":{\"/bin/lua\":\"lua\"}}" >"$WORK/$policy.json"
    "$NOJIT" build --key "$WORK/k" --out "$WORK/$policy.nojit" --policy "$WORK/$policy.json" \
        --exec /bin/lua="$LUA" \
        --script /s/main.lua="$HERE/check/main.lua" --interpreter /bin/lua \
        --script /s/lib.lua="$HERE/check/lib.lua" --interpreter /bin/lua \
        --script /s/mod.lua="$HERE/check/mod.lua" --interpreter /bin/lua \
        --script /s/lib.luac="$WORK/lib.luac" --interpreter /bin/lua >/dev/null
done

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# run WHERE CASE: runs the driver; sets RC, OUT (stdout file), LOG (audit log, under nojit)
run() {
    local where=$1 case=$2
    OUT="$WORK/$where-$case.out" LOG="$WORK/$where-$case.audit.jsonl"
    set +e
    if [[ $where == native ]]; then
        mkdir -p "$WORK/native-tmp"
        (cd "$WORK" && "$NATIVE_LUA" "$HERE/check/main.lua" "$case" "$WORK/native-tmp" "$WORK/native-listed") \
            >"$OUT" 2>"$OUT.err"
    else
        "$NOJIT" run --pubkey "$WORK/k.pub" --audit-log "$LOG" --timeout 60s "$WORK/$where.nojit" \
            -- /bin/lua /s/main.lua "$case" /tmp /s >"$OUT" 2>"$OUT.err"
    fi
    RC=$?
    set -e
}

# expect_runs WHERE CASE: the unlisted file ran and so did the rest of the driver
expect_runs() {
    run "$1" "$2"
    if [[ $RC -eq 0 ]] && grep -qx 'UNLISTED RAN' "$OUT" && grep -qx "AFTER $2" "$OUT"; then
        echo "ok   $1 $2: the file runs"
    else
        fail "$1 $2: expected the file to run (exit $RC): $(tr '\n' ' ' <"$OUT" "$OUT.err" | head -c 300)"
    fi
}

# expect_violation CASE FILE: refused as a violation, recorded, nothing of FILE ran
expect_violation() {
    run manifest-only "$1"
    local event
    event=$(grep -F '"type":"exec_denied"' "$LOG" | grep -F "\"path\":\"$2\"" | grep -F '"name":"execveat"' \
        | grep -F '"AT_EXECVE_CHECK"' || true)
    if [[ $RC -eq 137 && -n $event ]] && ! grep -q 'UNLISTED RAN\|^AFTER' "$OUT"; then
        echo "ok   manifest-only $1: refused, exec_denied execveat $2 recorded, pid 1 killed"
    else
        fail "manifest-only $1: expected a recorded violation for $2 (exit $RC, event: ${event:+yes}${event:-none}): $(tr '\n' ' ' <"$OUT" | head -c 300)"
    fi
}

# expect_eacces CASE FILE: a Lua error naming FILE, no violation, the driver carries on
expect_eacces() {
    run manifest-only "$1"
    local want="dofile:	false	cannot load $2: Permission denied (refused by AT_EXECVE_CHECK)"
    if [[ $RC -eq 0 ]] && grep -qxF "$want" "$OUT" && grep -qx "AFTER $1" "$OUT" \
        && ! grep -qF '"type":"exec_denied"' "$LOG"; then
        echo "ok   manifest-only $1: Lua error \"cannot load $2: Permission denied ...\", no event"
    else
        fail "manifest-only $1: expected EACCES as a Lua error (exit $RC): $(tr '\n' ' ' <"$OUT" | head -c 300)"
    fi
}

# listed scripts run under every policy and natively: dofile, loadfile, require
for where in manifest-only via-interpreter native; do
    run "$where" listed
    if [[ $RC -eq 0 ]] && [[ $(cat "$OUT") == $'LISTED lib.lua ran\nLISTED lib.lua ran\nLISTED mod.lua ran\nrequire:\t42\nAFTER listed' ]]; then
        echo "ok   $where listed: dofile, loadfile and require of listed files run"
    else
        fail "$where listed (exit $RC): $(tr '\n' ' ' <"$OUT" "$OUT.err" | head -c 300)"
    fi
done

for where in manifest-only via-interpreter native; do
    run "$where" listed-binary
    if [[ $RC -eq 0 ]] && [[ $(cat "$OUT") == $'LISTED lib.lua ran\nAFTER listed-binary' ]]; then
        echo "ok   $where listed-binary: dofile of a listed precompiled chunk runs"
    else
        fail "$where listed-binary (exit $RC): $(tr '\n' ' ' <"$OUT" "$OUT.err" | head -c 300)"
    fi
done

expect_violation dofile-unlisted /tmp/unlisted.lua
expect_violation loadfile-unlisted /tmp/unlisted.lua
expect_violation require-unlisted /tmp/evilmod.lua
expect_eacces copy-of-listed /tmp/copy.lua
expect_eacces not-regular /dev/null

for where in via-interpreter native; do
    for case in dofile-unlisted loadfile-unlisted require-unlisted; do
        expect_runs "$where" "$case"
    done
done

if [[ $failures -eq 0 ]]; then
    echo "check-hook: all expectations hold"
else
    echo "check-hook: $failures failed (outputs in $WORK)"
    exit 1
fi
