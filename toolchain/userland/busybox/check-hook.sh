#!/usr/bin/env bash
# Proves the ash hook (patches/02-ash-execve-check.patch) under nojit:
#
#   toolchain/userland/busybox/check-hook.sh [WORKDIR]
#
# Builds BusyBox (build.sh, cached) and small bundles whose /bin/sh is BusyBox's shell and
# /bin/cat its toolbox, with listed scripts for /bin/sh, then runs:
#   manifest-only, `. /tmp/unlisted.sh`          refused: exec_denied in execveat, sh killed (137)
#   manifest-only + onViolation kill-container    the same stops the container (stopped_by_policy)
#   manifest-only, `.` and `source` of a listed   runs
#   manifest-only, `.` of a listed copy at 0644   refused by the check (EACCES), one-line error
#   via-interpreter, the same three scripts       all run, no exec_denied
# and the --native build's `.` (no securebits: unchanged). Prints one line per check; exit 0
# when all hold, 1 otherwise. Needs the nojit launcher of this checkout (./nojit).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
NOJIT="$ROOT/nojit"
WORK=${1:-$ROOT/toolchain/target/busybox-check-hook}
rm -rf "$WORK"
mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)

BB=$("$HERE/build.sh" | tail -1)/bin
NATIVE=$("$HERE/build.sh" --native | tail -1)/bin/sh

cd "$WORK"
"$NOJIT" keygen --out k >/dev/null
cat >lib.sh <<'EOF'
LIBVAR=from-listed-lib
echo listed-lib ran
EOF
cat >t-unlisted.sh <<'EOF'
echo start
echo 'echo unlisted ran' >/tmp/unlisted.sh
. /tmp/unlisted.sh
echo "after unlisted: $?"
EOF
cat >t-listed.sh <<'EOF'
. /etc/lib.sh
echo "dot: $LIBVAR"
LIBVAR=
source /etc/lib.sh
echo "source: $LIBVAR"
EOF
cat >t-noexec.sh <<'EOF'
cat /etc/lib.sh >/tmp/copy.sh
. /tmp/copy.sh
echo "after copy: $?"
EOF

fails=0
check() { # NAME CONDITION-RESULT(0/1) DETAIL
    if [[ $2 -eq 0 ]]; then echo "ok    $1"; else echo "FAIL  $1: $3"; fails=$((fails + 1)); fi
}
bundle() { # NAME POLICY-JSON
    echo "$2" >"$1.json"
    local s args=(--exec /bin/sh="$BB/sh" --exec /bin/cat="$BB/busybox" --policy "$1.json")
    for s in lib t-unlisted t-listed t-noexec; do
        args+=(--script "/etc/$s.sh=$s.sh" --interpreter /bin/sh)
    done
    SOURCE_DATE_EPOCH=0 "$NOJIT" build --key k --out "$1.nojit" "${args[@]}" >/dev/null
}
run() { # BUNDLE SCRIPT -> sets OUT, RC, LOG
    LOG="logs/$1-$2.jsonl"
    RC=0
    OUT=$("$NOJIT" run "$1.nojit" --pubkey k.pub --audit-log "$LOG" -- /bin/sh "/etc/$2.sh" 2>&1) || RC=$?
}
denied() { grep '"type":"exec_denied"' "$LOG" | grep -c '"name":"execveat"' || true; }

bundle mo '{"scripts":"manifest-only","interpreters":{"/bin/sh":"bash"}}'
bundle mok '{"scripts":"manifest-only","onViolation":"kill-container","interpreters":{"/bin/sh":"bash"}}'
bundle vi '{"scripts":"via-interpreter"}'

run mo t-unlisted
[[ $RC -eq 137 && $OUT == *start* && $OUT != *"unlisted ran"* && $OUT != *"after unlisted"* \
   && $(denied) -eq 1 ]] && r=0 || r=1
grep -q '"target":{"path":"/tmp/unlisted.sh"' "$LOG" || r=1
grep -q '"action":"kill-process"' "$LOG" || r=1
check "manifest-only: . /tmp/unlisted.sh refused, exec_denied (execveat), sh killed" $r "rc=$RC out=$OUT"

run mok t-unlisted
[[ $RC -eq 137 && $OUT != *"unlisted ran"* && $(denied) -eq 1 ]] && r=0 || r=1
grep -q 'stopped_by_policy' "$LOG" || r=1
check "manifest-only, kill-container: the refusal stops the container" $r "rc=$RC out=$OUT"

run mo t-listed
[[ $RC -eq 0 && $OUT == *"dot: from-listed-lib"* && $OUT == *"source: from-listed-lib"* && $(denied) -eq 0 ]] && r=0 || r=1
check "manifest-only: . and source of a listed script run" $r "rc=$RC out=$OUT"

run mo t-noexec
[[ $RC -ne 0 && $OUT == *"/tmp/copy.sh: refused by AT_EXECVE_CHECK: Permission denied"* \
   && $OUT != *"listed-lib ran"* && $OUT != *"after copy"* && $(denied) -eq 0 ]] && r=0 || r=1
check "manifest-only: . of a listed script copied 0644 refused (EACCES) with one line" $r "rc=$RC out=$OUT"

for s in t-unlisted t-listed t-noexec; do
    run vi $s
    [[ $RC -eq 0 && $OUT != *refused* && $(denied) -eq 0 ]] && r=0 || r=1
    case $s in
        t-unlisted) [[ $OUT == *"unlisted ran"* && $OUT == *"after unlisted: 0"* ]] || r=1 ;;
        t-listed) [[ $OUT == *"source: from-listed-lib"* ]] || r=1 ;;
        t-noexec) [[ $OUT == *"listed-lib ran"* && $OUT == *"after copy: 0"* ]] || r=1 ;;
    esac
    check "via-interpreter: $s runs" $r "rc=$RC out=$OUT"
done

# The native build: no securebits, `.` is upstream's.
mkdir -p native
cp t-unlisted.sh native/
OUT=$(cd native && env -i PATH=/usr/bin:/bin "$NATIVE" sh -c 'echo "echo unlisted ran" >u.sh; . ./u.sh; source ./u.sh' 2>&1) && r=0 || r=1
[[ $OUT == $'unlisted ran\nunlisted ran' ]] || r=1
check "native build: . and source unchanged" $r "out=$OUT"

[[ $fails -eq 0 ]] && echo "check-hook: all passed" || echo "check-hook: $fails failed"
[[ $fails -eq 0 ]]
