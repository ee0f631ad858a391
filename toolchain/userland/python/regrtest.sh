#!/usr/bin/env bash
# CPython's own regression suite (Lib/test of the Debian source, 3.11.2) for the WALI build under
# nojit and for Debian's native /usr/bin/python3.11 (the same source and version), module by
# module over the same test tree; see docs/python.md, "Regression suite".
#
#   toolchain/userland/python/regrtest.sh [--jobs N] [--timeout DURATION] [--only native|nojit] [MODULE...]
#
# MODULEs default to the list in check/regrtest.list. Each module is one regrtest run (`python3 -m test -v MODULE`,
# through the driver below) (a fresh interpreter; under nojit a fresh container): natively first, then under nojit, N at a
# time (default 2), each under `--timeout` (default 10m; natively `timeout` with the same bound).
# The container: the interpreter at /usr/bin/python3.11, the stdlib zip /usr/lib/python311.zip,
# BusyBox's sh at /bin/sh, an /etc/passwd with root, the test tree as a read-only host mount at /opt/pytest on PYTHONPATH,
# policy defaults (scripts: via-interpreter; -m is refused under manifest-only by design), /tmp the
# container's own. The native run gets the same environment (env -i, PYTHONPATH on the tree).
#
# One deliberate difference in the harness, the same both ways: regrtest's main() arms
# faulthandler.dump_traceback_later (a watchdog thread) before it exits, and the WALI build cannot
# start threads (pthread_create: EAGAIN), so every run would end in "RuntimeError: unable to start
# watchdog thread" after its tests; the driver below replaces that one function with a no-op
# (the timeout is nojit's --timeout). Nothing else of regrtest or the tests is changed.
#
# Prints a table (per module: passed/failed/skipped test cases and the verdict, both ways) and the
# totals; raw output under toolchain/target/regrtest/{native,nojit}/MODULE.log (never committed).
# Exit code 0 when every module ran (whatever the verdicts), 2 on bad usage or a missing build.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
NATIVE=/usr/bin/python3.11
JOBS=2 TIMEOUT=10m ONLY=
usage() { echo "usage: $0 [--jobs N] [--timeout DURATION] [--only native|nojit] [MODULE...]" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --jobs) [[ $# -ge 2 && $2 =~ ^[1-9]$ ]] || usage; JOBS=$2; shift 2 ;;
        --timeout) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*(s|m)$ ]] || usage; TIMEOUT=$2; shift 2 ;;
        --only) [[ $# -ge 2 && $2 =~ ^(native|nojit)$ ]] || usage; ONLY=$2; shift 2 ;;
        -*) usage ;;
        *) break ;;
    esac
done
if [[ $# -gt 0 ]]; then
    MODULES=("$@")
else
    mapfile -t MODULES < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$HERE/check/regrtest.list" | grep -v '^$')
fi
for m in "${MODULES[@]}"; do [[ $m =~ ^test_[a-z0-9_]+$ ]] || { echo "regrtest: not a test module: $m" >&2; exit 2; }; done
[[ -x $NATIVE ]] || { echo "regrtest: $NATIVE (Debian's python3.11) is missing" >&2; exit 2; }

PY=$(bash "$HERE/build.sh" | tail -1)
[[ -f $PY/bin/python3.11 && -d $PY/lib-test/python3.11/test ]] || { echo "regrtest: no build in $PY" >&2; exit 2; }
BUSYBOX=$(bash "$ROOT/toolchain/userland/busybox/build.sh" | tail -1)
OUT="$ROOT/toolchain/target/regrtest"
mkdir -p "$OUT/empty" "$OUT/audit"
# The user the container runs as (uid 0), as any image's /etc/passwd has it: posixpath.expanduser
# and pwd look it up.
echo 'root:x:0:0:root:/root:/bin/sh' >"$OUT/passwd"
# A private copy of the tree: the native runs write __pycache__ into it, which the nojit runs
# (read-only mount) then read instead of compiling every test module under the interpreter.
if [[ ! -d $OUT/lib-test || $ONLY != nojit ]]; then
    rm -rf "$OUT/lib-test"
    cp -a "$PY/lib-test" "$OUT/lib-test"
fi
TREE="$OUT/lib-test/python3.11"
DRIVER='import faulthandler
faulthandler.dump_traceback_later = lambda *args, **kwargs: None
from test.libregrtest import main
main()'

run_native() { # MODULE
    local d
    d=$(mktemp -d)
    (cd "$d" && env -i PATH=/usr/bin:/bin HOME=/tmp PYTHONPATH="$TREE" timeout -s KILL "$TIMEOUT" \
        "$NATIVE" -c "$DRIVER" -v "$1" >"$OUT/native/$1.log" 2>&1; echo "exit $?" >>"$OUT/native/$1.log")
    rm -rf "$d"
}
run_nojit() { # MODULE
    "$ROOT/nojit" run "$OUT/python.nojit" --pubkey "$OUT/key.pub" --audit-log "$OUT/audit/$1-$$-$RANDOM.jsonl" \
        --timeout "$TIMEOUT" --mount "/opt/pytest=$TREE:ro" --env PATH=/usr/bin:/bin --env HOME=/tmp \
        --env PYTHONPATH=/opt/pytest --workdir /tmp -- /usr/bin/python3.11 -c "$DRIVER" -v "$1" \
        </dev/null >"$OUT/nojit/$1.log" 2>&1 && echo "exit 0" >>"$OUT/nojit/$1.log" \
        || echo "exit $?" >>"$OUT/nojit/$1.log"
}

if [[ $ONLY != nojit ]]; then
    mkdir -p "$OUT/native"
    for m in "${MODULES[@]}"; do rm -f "$OUT/native/$m.log"; run_native "$m"; done
fi
if [[ $ONLY != native ]]; then
    mkdir -p "$OUT/nojit"
    for m in "${MODULES[@]}"; do rm -f "$OUT/nojit/$m.log"; done
    "$ROOT/nojit" --version >/dev/null   # builds the jar when needed, once
    "$ROOT/nojit" keygen --out "$OUT/key" >/dev/null 2>&1 || true
    [[ -f $OUT/key.pub ]] || { echo "regrtest: nojit keygen failed" >&2; exit 2; }
    "$ROOT/nojit" build --key "$OUT/key" --out "$OUT/python.nojit" \
        --exec "/usr/bin/python3.11=$PY/bin/python3.11" --file "/usr/lib/python311.zip=$PY/lib/python311.zip" \
        --dir "/usr/lib/python3.11/lib-dynload=$OUT/empty" --file "/etc/passwd=$OUT/passwd" --exec "/bin/sh=$BUSYBOX/bin/sh" >/dev/null
    export -f run_nojit
    export OUT TREE TIMEOUT DRIVER ROOT
    printf '%s\n' "${MODULES[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_nojit {}'
fi

# One log: "passed failed skipped verdict". Test cases from unittest's summary lines ("Ran N
# tests", then "OK (skipped=S)" or "FAILED (failures=F, errors=E, skipped=S)"); the verdict is
# regrtest's "Tests result:", or the exit status when there is none (137: killed at the timeout).
summarize() { # LOG
    [[ -f $1 ]] || { echo "- - - not-run"; return; }
    awk '
        /^Ran [0-9]+ tests? in/ { ran += $2 }
        /^(OK|FAILED)( \(|$)/ {
            s = $0; sub(/^[A-Z]+ ?\(?/, "", s); sub(/\)$/, "", s)
            n = split(s, kv, ", ")
            for (i = 1; i <= n; i++) { split(kv[i], p, "="); c[p[1]] += p[2] }
        }
        /^Tests result: / { verdict = $3 }
        /^test_[a-z0-9_]+ skipped( -- |$)/ { modskip = 1 }
        /^exit [0-9]+$/ { code = $2 }
        END {
            fail = c["failures"] + c["errors"] + c["unexpected successes"]
            skip = c["skipped"]
            if (modskip && verdict == "SUCCESS") verdict = "SKIPPED"
            if (verdict == "") verdict = (code == 137 ? "KILLED" : "NO-RESULT(exit " code ")")
            printf "%d %d %d %s\n", ran - fail - skip, fail, skip, verdict
        }' "$1"
}
printf '%-20s %8s %6s %7s %-9s | %8s %6s %7s %-9s\n' module passed failed skipped native passed failed skipped nojit
np=0 wp=0 both=0 total=0
for m in "${MODULES[@]}"; do
    read -r a1 a2 a3 av < <(summarize "$OUT/native/$m.log")
    read -r b1 b2 b3 bv < <(summarize "$OUT/nojit/$m.log")
    printf '%-20s %8s %6s %7s %-9s | %8s %6s %7s %-9s\n' "$m" "$a1" "$a2" "$a3" "$av" "$b1" "$b2" "$b3" "$bv"
    total=$((total + 1))
    [[ $av == SUCCESS ]] && np=$((np + 1))
    [[ $bv == SUCCESS ]] && wp=$((wp + 1))
    [[ $av == SUCCESS && $bv == SUCCESS ]] && both=$((both + 1))
done
echo "modules: $total; passing natively: $np; passing under nojit: $wp; passing both ways: $both" \
    "($(awk -v a="$both" -v b="$np" 'BEGIN { printf "%.1f", b ? 100 * a / b : 0 }') % of the native passes)"
