#!/usr/bin/env bash
# Lua's tests, run with the native build (build.sh --native) and under nojit (build.sh), with
# passed/failed/skipped per build:
#
#   toolchain/userland/lua/conformance.sh [--tests DIR] [WORKDIR]
#
# What Debian's source package lua5.4 5.4.4-3+deb12u1 carries: no test files. Its .orig
# tarball is Lua's release tarball (Makefile, README, doc/, src/), which holds no test suite;
# its debian/ has no tests/ (no autopkgtest) and debian/rules runs no tests. The one test it
# has is the `test` target of Lua's makefile, which runs `lua -v`: suite "package" below.
# Lua's own test suite is a separate upstream tarball (lua-5.4.4-tests), not in Debian's
# source package; given as --tests DIR (its unpacked directory, the one holding all.lua), each
# file all.lua runs is run on its own, in all.lua's user mode (_soft, _port, _nomsg; no
# internal T library), and passes when lua exits 0: suite "lua-tests". big.lua is skipped, as
# all.lua skips it in that mode. Under nojit DIR is the image directory /t (the working
# directory), with the default policy and PATH=/bin (files.lua asserts that PATH is set);
# natively a copy of DIR is the working directory.
# Exit 0 when every test passing natively passes under nojit too.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTS=
if [[ ${1:-} == --tests ]]; then
    [[ -f ${2:-}/all.lua ]] || { echo "conformance.sh: --tests needs the directory holding all.lua" >&2; exit 2; }
    TESTS=$(cd "$2" && pwd)
    shift 2
fi
source "$HERE/../check-lib.sh"
check_begin lua "${1:-$ROOT/toolchain/target/conformance-lua}"
LUA=$WASM_OUT/bin/lua
NATIVE=$NATIVE_OUT/bin/lua
NOJIT="$ROOT/nojit"
"$NOJIT" keygen --out "$WORK/k" >/dev/null
dir_args=()
[[ -z $TESTS ]] || dir_args=(--dir "/t=$TESTS")
"$NOJIT" build --key "$WORK/k" --out "$WORK/lua.nojit" --exec /bin/lua="$LUA" "${dir_args[@]}" >/dev/null
if [[ -n $TESTS ]]; then
    cp -a "$TESTS" "$WORK/native-tests"
fi

# lua_run BUILD TIMEOUT ARG...: runs lua (in the test directory when there is one); sets RC
lua_run() {
    local build=$1 limit=$2 out=$3
    shift 3
    set +e
    if [[ $build == native ]]; then
        (cd "${TESTS:+$WORK/native-tests}" 2>/dev/null || cd "$WORK"; timeout "$limit" "$NATIVE" "$@") >"$out" 2>&1
    else
        local workdir=()
        [[ -z $TESTS ]] || workdir=(--workdir /t)
        "$NOJIT" run --pubkey "$WORK/k.pub" --audit-log "$out.audit.jsonl" --timeout "$limit" --env PATH=/bin \
            "${workdir[@]}" "$WORK/lua.nojit" -- /bin/lua "$@" >"$out" 2>&1
    fi
    RC=$?
    set -e
}

# failure_line OUT: lua's error message (the line before the traceback), else the last line
failure_line() {
    local line
    line=$(grep -B1 -m1 '^stack traceback:' "$1" | head -1)
    [[ -n $line ]] || line=$(grep -v '^nojit run: audit log' "$1" | tail -1)
    echo "${line:0:160}"
}

declare -A result
record() { # BUILD NAME RESULT
    result[$1/$2]=$3
    echo "$1 $2: $3"
}

# the files all.lua runs, in its order
FILES=(main gc db calls strings literals tpack attrib gengc locals constructs code big cstack nextvar
       pm utf8 api events vararg closure coroutine goto errors math sort bitwise verybig files)
for build in native nojit; do
    mkdir -p "$WORK/$build"
    lua_run "$build" 60s "$WORK/$build/package-test.out" -v
    if [[ $RC -eq 0 ]] && grep -q '^Lua 5\.4\.4 ' "$WORK/$build/package-test.out"; then
        record "$build" package:make-test PASS
    else
        record "$build" package:make-test "FAIL (exit $RC: $(head -1 "$WORK/$build/package-test.out"))"
    fi
    [[ -n $TESTS ]] || continue
    for f in "${FILES[@]}"; do
        if [[ $f == big ]]; then
            record "$build" "lua-tests:$f.lua" "SKIP (all.lua skips it in user mode)"
            continue
        fi
        lua_run "$build" 600s "$WORK/$build/$f.out" -e '_soft=true _port=true _nomsg=true' "$f.lua"
        if [[ $RC -eq 0 ]]; then
            record "$build" "lua-tests:$f.lua" PASS
        else
            record "$build" "lua-tests:$f.lua" "FAIL (exit $RC: $(failure_line "$WORK/$build/$f.out"))"
        fi
    done
done

echo
regress=0
for build in native nojit; do
    for suite in package lua-tests; do
        pass=0 fail=0 skip=0
        for key in "${!result[@]}"; do
            [[ $key == "$build/$suite:"* ]] || continue
            case ${result[$key]} in
                PASS) pass=$((pass + 1)) ;;
                SKIP*) skip=$((skip + 1)) ;;
                *) fail=$((fail + 1)) ;;
            esac
        done
        [[ $suite == package || -n $TESTS ]] || continue
        echo "$build $suite: $pass passed, $fail failed, $skip skipped"
    done
done
for key in "${!result[@]}"; do
    [[ $key == native/* && ${result[$key]} == PASS ]] || continue
    [[ ${result[nojit/${key#native/}]} == PASS ]] || regress=1
done
exit $regress
