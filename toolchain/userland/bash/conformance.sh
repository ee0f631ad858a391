#!/usr/bin/env bash
# bash's own test suite (tests/run-*, each compared with its .right file by the run-* script
# itself, as tests/run-all does) run with the native build and with the nojit build inside a
# container. See docs/toolchain.md, section "bash".
#
#   toolchain/userland/bash/conformance.sh [--native-only|--nojit-only] [CASE...]
#
#   CASE          run-NAME or NAME (default: every run-* that run-all runs)
#   BUSYBOX=FILE  the BusyBox toolbox module giving the container its utilities (cat, rm, diff, sed,
#                 ...); default: the output of toolchain/userland/busybox/build.sh when it exists
#   GNU_SED=FILE  the sed module in the container (default: toolchain/userland/sed's GNU sed,
#                 built with nojit-cc, as the native run uses the host's GNU sed; none: BusyBox's)
#   TIMEOUT=SEC   bound per case and build (default 300)
#   BASH_CONFORMANCE_DIR=DIR  where runs and outputs go (default toolchain/target/bash-conformance)
#
# Native: `bash ./run-NAME` in a fresh copy of tests/ with the host's utilities on PATH.
# nojit: one bundle (the nojit bash, the helper programs recho/zecho/printenv/xcase built with
# nojit-cc, BusyBox's applets under /bin, /bin/sh being BusyBox's, /etc/passwd, /usr/bin), default policy
# (scripts: via-interpreter, so bash may read the test scripts), a fresh copy of tests/ mounted
# at /tests, TMPDIR=/tmp (the container's own), one container per case, `nojit run --timeout`.
# A case passes when its run-* script exits 0 (the diff against .right found nothing).
# run-minimal and run-gprof are skipped, as run-all skips them (they need other builds).
# Prints one line per case and build, then passed/failed/skipped per build; per-case output in
# toolchain/target/bash-conformance/{native,nojit}/NAME.out.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
W=${BASH_CONFORMANCE_DIR:-$ROOT/toolchain/target/bash-conformance}
TIMEOUT=${TIMEOUT:-300}
modes=(native nojit)
case ${1:-} in
    --native-only) modes=(native); shift ;;
    --nojit-only) modes=(nojit); shift ;;
esac

NATIVE_OUT=$("$HERE/build.sh" --native | tail -1) || exit 2
cases=()
if (($#)); then
    for c in "$@"; do cases+=("run-${c#run-}"); done
else
    for f in "$NATIVE_OUT"/tests/run-*; do
        f=$(basename "$f")
        case $f in run-all|*.orig|*~) ;; *) cases+=("$f") ;; esac
    done
fi
skipped() { [[ $1 == run-minimal || $1 == run-gprof ]]; }

fresh_tests() { # MODE OUTDIR: a clean copy of tests/ for one case
    rm -rf "$W/$1/tests" && cp -a "$2/tests" "$W/$1/tests"
}

run_native() { # CASE (runs in a subshell: it closes descriptors)
    fresh_tests native "$NATIVE_OUT"
    # Only 0-2 open, as in a fresh login (the tests number descriptors from 10, e.g. {fd}>).
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    (cd "$W/native/tests" && timeout -k 5 "$TIMEOUT" env -i \
        PATH="$NATIVE_OUT/test-bin:.:/usr/local/bin:/usr/bin:/bin" HOME="$W/native/home" \
        TMPDIR="$W/native/tmp" THIS_SH="$NATIVE_OUT/bin/bash" BUILD_DIR="$NATIVE_OUT/tests-build" \
        BASH_TSTOUT="$W/native/tmp/bashtst-out" \
        "$NATIVE_OUT/bin/bash" "./$1" </dev/null)
}

setup_nojit() {
    WASM_OUT=$("$HERE/build.sh" | tail -1) || return 1
    local bb=${BUSYBOX:-} sh=${BUSYBOX_SH:-}
    if [[ -z $bb && -x $ROOT/toolchain/userland/busybox/build.sh ]]; then
        local bbdir
        bbdir=$("$ROOT/toolchain/userland/busybox/build.sh" | tail -1)
        bb=$bbdir/bin/busybox
        sh=$bbdir/bin/sh
    fi
    [[ -n $bb && -f $bb ]] || { echo "conformance: no BusyBox module (set BUSYBOX=FILE)" >&2; return 1; }
    [[ -n $sh && -f $sh ]] || sh=$(dirname "$bb")/sh
    "$ROOT/nojit" keygen --out "$W/nojit/key" >/dev/null 2>&1 || [[ -f $W/nojit/key ]] || return 1
    "$ROOT/nojit" build --key "$W/nojit/key" --out "$W/nojit/list.nojit" --exec /bin/busybox="$bb" >/dev/null || return 1
    local applets
    applets=$("$ROOT/nojit" run "$W/nojit/list.nojit" --pubkey "$W/nojit/key.pub" \
        --audit-log "$W/nojit/audit-list.jsonl" -- /bin/busybox --list) || return 1
    rm -f "$W/nojit/audit-list.jsonl"
    local args=(--exec /bin/bash="$WASM_OUT/bin/bash" --compat /bin/bash=lenient-call-indirect) a
    for a in $applets; do
        case $a in bash|recho|zecho|printenv|xcase) ;; *) args+=(--exec "/bin/$a=$bb") ;; esac
    done
    for a in recho zecho printenv xcase; do args+=(--exec "/bin/$a=$WASM_OUT/test-bin/$a"); done
    # BusyBox's shell is a module of its own (docs/toolchain.md, "Why two modules").
    [[ -f $sh ]] && args+=(--exec /bin/sh="$sh")
    # GNU sed, as the native run has (its `l` command, which BusyBox's sed lacks, is in
    # exp-tests), built from Debian's source with nojit-cc too; GNU_SED=none leaves BusyBox's.
    local gnused=${GNU_SED:-}
    if [[ -z $gnused && -x $ROOT/toolchain/userland/sed/build.sh ]]; then
        gnused=$("$ROOT/toolchain/userland/sed/build.sh" | tail -1)/bin/sed
    fi
    if [[ $gnused != none && -f $gnused ]]; then
        local i
        for i in "${!args[@]}"; do [[ ${args[$i]} == /bin/sed=* ]] && args[$i]=/bin/sed="$gnused"; done
    fi
    # What the tests take for granted in a Unix file tree: /etc/passwd (coproc reads it) and
    # directories /usr and /usr/bin (dstack changes into them), a HOME that is not TMPDIR.
    mkdir -p "$W/nojit/root/usr/bin" "$W/nojit/root/home"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$W/nojit/root/passwd"
    args+=(--file /etc/passwd="$W/nojit/root/passwd" --dir /usr="$W/nojit/root/usr" --dir /home="$W/nojit/root/home")
    "$ROOT/nojit" build --key "$W/nojit/key" --out "$W/nojit/bash-tests.nojit" "${args[@]}" >/dev/null
}

run_nojit() { # CASE
    fresh_tests nojit "$WASM_OUT"
    timeout -k 5 $((TIMEOUT + 30)) "$ROOT/nojit" run "$W/nojit/bash-tests.nojit" --pubkey "$W/nojit/key.pub" \
        --audit-log "$W/nojit/audit/$1.jsonl" --mount /tests="$W/nojit/tests" --workdir /tests \
        --mount /build="$WASM_OUT/tests-build:ro" \
        --timeout "${TIMEOUT}s" --env PATH=/bin:. --env HOME=/home --env TMPDIR=/tmp \
        --env THIS_SH=/bin/bash --env BUILD_DIR=/build --env BASH_TSTOUT=/tmp/bashtst-out \
        -- /bin/bash "./$1" </dev/null
}

declare -A pass fail skip
for m in "${modes[@]}"; do
    rm -rf "$W/$m" && mkdir -p "$W/$m/home" "$W/$m/tmp" "$W/$m/audit"
    pass[$m]=0 fail[$m]=0 skip[$m]=0
    ready=1
    [[ $m == nojit ]] && { setup_nojit || ready=0; }
    for c in "${cases[@]}"; do
        if skipped "$c" || ((ready == 0)); then
            skip[$m]=$((skip[$m] + 1)); echo "skip  $m $c"; continue
        fi
        start=$SECONDS
        ("run_$m" "$c") >"$W/$m/${c#run-}.out" 2>&1
        code=$?
        if ((code == 0)); then
            pass[$m]=$((pass[$m] + 1)); echo "pass  $m $c ($((SECONDS - start)) s)"
        else
            fail[$m]=$((fail[$m] + 1)); echo "FAIL  $m $c (exit $code, $((SECONDS - start)) s)"
        fi
    done
done
for m in "${modes[@]}"; do
    echo "$m: passed ${pass[$m]} failed ${fail[$m]} skipped ${skip[$m]}"
done
