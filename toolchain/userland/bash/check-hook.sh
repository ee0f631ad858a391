#!/usr/bin/env bash
# Proves the nojit build of bash asks the vkernel before `.`/`source` runs a file
# (patches/0001-source-exec-check.patch): with AT_EXECVE_CHECK on the descriptor it reads, when
# the process's securebits carry SECBIT_EXEC_RESTRICT_FILE (set under `scripts: manifest-only`).
#
#   toolchain/userland/bash/check-hook.sh [BASH.wasm]     (default: the output of build.sh)
#
# One bundle, two policies. /task.sh (listed for /bin/bash) writes /tmp/unlisted.sh, sources the
# listed /lib/listed.sh with `source` and `.`, sources a 0644 copy of it, then starts
# /lib/dot-unlisted.sh (listed) in a child bash that does `. /tmp/unlisted.sh`.
#   manifest-only: both listed sources run; the 0644 copy is refused with bash's one-line error
#     (EACCES: listed content without an execute bit; no event); the child is killed (137) at the
#     `.` of the unlisted file, which never runs, and the audit log holds exec_denied in execveat
#     for /tmp/unlisted.sh.
#   via-interpreter (the default): everything runs, no violation is recorded.
# Prints one line per check (ok/FAIL) and exits 1 when any check failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BASH_WASM=${1:-$("$HERE/build.sh" | tail -1)/bin/bash}
[[ -f $BASH_WASM ]] || { echo "check-hook: no bash module at $BASH_WASM" >&2; exit 2; }
W=$ROOT/toolchain/target/check-hook
rm -rf "$W" && mkdir -p "$W/lib"

cat >"$W/task.sh" <<'SH'
echo 'echo UNLISTED-RAN' > /tmp/unlisted.sh
source /lib/listed.sh
. /lib/listed.sh
while IFS= read -r l; do echo "$l"; done </lib/listed.sh >/tmp/copy.sh
. /tmp/copy.sh
echo "copy status $?"
/bin/bash /lib/dot-unlisted.sh
echo "child status $?"
SH
printf 'echo LISTED-RAN\n' >"$W/lib/listed.sh"
printf '. /tmp/unlisted.sh\necho "dot status $?"\n' >"$W/lib/dot-unlisted.sh"
printf '{"scripts": "manifest-only", "interpreters": {"/bin/bash": "bash"}}\n' >"$W/strict.json"
printf '{"scripts": "via-interpreter", "interpreters": {"/bin/bash": "bash"}}\n' >"$W/lenient.json"

"$ROOT/nojit" keygen --out "$W/key" >/dev/null || exit 2
for p in strict lenient; do
    "$ROOT/nojit" build --key "$W/key" --out "$W/$p.nojit" --policy "$W/$p.json" \
        --exec /bin/bash="$BASH_WASM" --compat /bin/bash=lenient-call-indirect --script /task.sh="$W/task.sh" --interpreter /bin/bash \
        --script /lib/listed.sh="$W/lib/listed.sh" --interpreter /bin/bash \
        --script /lib/dot-unlisted.sh="$W/lib/dot-unlisted.sh" --interpreter /bin/bash >/dev/null || exit 2
    "$ROOT/nojit" run "$W/$p.nojit" --pubkey "$W/key.pub" --audit-log "$W/$p.jsonl" --timeout 60s \
        -- /bin/bash /task.sh >"$W/$p.out" 2>"$W/$p.err"
    echo $? >"$W/$p.code"
done

fails=0
check() { # NAME COMMAND...
    local name=$1; shift
    if "$@"; then echo "ok    $name"; else echo "FAIL  $name"; fails=$((fails + 1)); fi
}
has() { grep -qF -- "$2" "$W/$1"; }
lacks() { ! grep -qF -- "$2" "$W/$1"; }
count() { [[ $(grep -cxF -- "$2" "$W/$1") == "$3" ]]; } # whole lines
denied_unlisted() { grep '"type":"exec_denied"' "$W/$1" | grep '"name":"execveat"' | grep -q '"path":"/tmp/unlisted.sh"'; }
violations() { [[ $(grep -cE '"type":"(exec_denied|code_load_denied)"' "$W/$1") == "$2" ]]; }

check "manifest-only: source and . of a listed script run"      count strict.out LISTED-RAN 2
check "manifest-only: a 0644 copy of it is refused (one line)"   has strict.err "/tmp/copy.sh: refused by the exec check: Permission denied"
check "manifest-only: ... and . returns 1"                       has strict.out "copy status 1"
check "manifest-only: . /tmp/unlisted.sh does not run it"        lacks strict.out UNLISTED-RAN
check "manifest-only: the sourcing bash is killed"                has strict.out "child status 137"
check "manifest-only: exec_denied execveat /tmp/unlisted.sh"     denied_unlisted strict.jsonl
check "manifest-only: exactly one violation"                      violations strict.jsonl 1
check "manifest-only: task exits 0"                              grep -qx 0 "$W/strict.code"
check "via-interpreter: listed and copy run"                     count lenient.out LISTED-RAN 3
check "via-interpreter: . /tmp/unlisted.sh runs"                 has lenient.out UNLISTED-RAN
check "via-interpreter: ... and the child goes on"               has lenient.out "dot status 0"
check "via-interpreter: no violation recorded"                   violations lenient.jsonl 0
if ((fails)); then
    echo "check-hook: $fails check(s) failed; outputs in $W" >&2
    exit 1
fi
echo "check-hook: all checks passed"
