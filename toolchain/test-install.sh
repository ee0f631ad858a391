#!/usr/bin/env bash
# Tests toolchain/install.sh: installs into a fresh PREFIX, compiles toolchain/tests/stdio.c
# with the installed nojit-cc from a directory outside this repository (NOJIT_SYSROOT unset),
# checks that the compiler used the installed sysroot and nothing of the repository, runs the
# module under `nojit run` and compares it with the gcc build; then removes the installed
# sysroot and expects nojit-cc's one-line refusal (exit 2).
#
#   toolchain/test-install.sh [WORKDIR]       exit 0 when all holds (WORKDIR default: a new /tmp dir)
set -euo pipefail
export LC_ALL=C
unset NOJIT_SYSROOT

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${1:-$(mktemp -d /tmp/nojit-install-test.XXXXXX)}
rm -rf "$WORK"
mkdir -p "$WORK/app"
WORK=$(cd "$WORK" && pwd)
PREFIX=$WORK/prefix
fail() { echo "FAIL $*"; exit 1; }

"$HERE/install.sh" "$PREFIX"
cp "$HERE/tests/stdio.c" "$WORK/app/"
cd "$WORK/app"

# the installed driver's commands name the installed sysroot and nothing under the repository
"$PREFIX/bin/nojit-cc" -### -O2 -o stdio.wasm stdio.c 2>"$WORK/commands.txt" \
    || fail "nojit-cc -### failed: $(head -3 "$WORK/commands.txt")"
grep -qF "$PREFIX/bin/../lib/nojit/sysroot/lib/crt1.o" "$WORK/commands.txt" \
    || fail "the installed nojit-cc did not link the installed crt1.o"
! grep -qF "$ROOT/" "$WORK/commands.txt" || fail "the installed nojit-cc refers to $ROOT"
echo "ok   installed nojit-cc uses $PREFIX/lib/nojit/sysroot"

"$PREFIX/bin/nojit-cc" -O2 -Wall -o stdio.wasm stdio.c
gcc -O2 -w -o stdio.native stdio.c
"$ROOT/nojit" keygen --out "$WORK/k" >/dev/null
"$ROOT/nojit" build --key "$WORK/k" --out "$WORK/app.nojit" --exec /bin/stdio=stdio.wasm >/dev/null
set +e
"$ROOT/nojit" run --pubkey "$WORK/k.pub" --audit-log "$WORK/audit.jsonl" --timeout 60s "$WORK/app.nojit" \
    -- /bin/stdio >"$WORK/out.nojit" 2>"$WORK/err.nojit"
rc_nojit=$?
(cd / && "$WORK/app/stdio.native") >"$WORK/out.native" 2>"$WORK/err.native"
rc_native=$?
set -e
[[ $rc_nojit -eq $rc_native ]] && cmp -s "$WORK/out.nojit" "$WORK/out.native" \
    || fail "stdio: exit $rc_nojit under nojit, $rc_native native; $(diff "$WORK/out.native" "$WORK/out.nojit" | head -5)"
echo "ok   compiled with the installed nojit-cc, runs under nojit like the gcc build ($(wc -l <"$WORK/out.nojit") lines, exit $rc_nojit)"

mv "$PREFIX/lib/nojit/sysroot" "$PREFIX/lib/nojit/sysroot.away"
set +e
"$PREFIX/bin/nojit-cc" -O2 -o x.wasm stdio.c 2>"$WORK/missing.err"
rc=$?
set -e
mv "$PREFIX/lib/nojit/sysroot.away" "$PREFIX/lib/nojit/sysroot"
[[ $rc -eq 2 && $(wc -l <"$WORK/missing.err") -eq 1 ]] && grep -q '^nojit-cc: no C library' "$WORK/missing.err" \
    || fail "without its sysroot: exit $rc, $(cat "$WORK/missing.err")"
echo "ok   without its sysroot the installed nojit-cc refuses: $(cat "$WORK/missing.err")"
echo "test-install: all holds ($WORK)"
