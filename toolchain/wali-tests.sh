#!/usr/bin/env bash
# WALI's own unit-test suite (arjunr2/WALI, tests/) rebuilt from its C sources with nojit-cc
# instead of WALI's toolchain, and run under nojit by nojit-vkernel/wali-compat/run-unit-tests.sh
# (the harness that runs WALI's PREBUILT modules: WALI's run_tests.py compares each run's exit
# code with the natively built twin's), pointed at a private copy of the tests with our builds.
# Local only: the WALI repository is fetched by whoever runs this; none of its files is committed.
#
#   toolchain/wali-tests.sh WALI_REPO_DIR [TEST...]      (TEST: e.g. fork pipe; default all)
#
# Prints the runner's per-test output, then one line per test (PASS / FAIL / BUILD-FAIL) and the
# totals; when a summary of the prebuilt run exists ($PREBUILT_SUMMARY, default
# nojit-vkernel/target/wali-compat/summary.txt) each line also shows the prebuilt module's result.
# Work files: $OUT (default toolchain/target/wali-tests); the table is $OUT/table.txt.
# On a loaded machine, WALI_TEST_TIMEOUT=60 NOJIT_WALI_TIMEOUT=50s raise the runner's and nojit's
# limits per run (WALI's runner: 20 s; the engine script: 15 s). Needs gcc, python3, clang (nojit-cc).
#
# How a test is built: WALI's tests bring their own `_start` (exported by name) and are linked by
# WALI's toolchain with -nostartfiles against WALI's libc. Here the test's `_start` is renamed
# (-D_start=__wali_test_start, export_name dropped) and called from a one-line main, so nojit's
# start-up (crt1.o: argv, environment, musl's initialisation, function-table slot 1) runs first;
# the test body, its WALI imports and its harness headers are compiled unchanged.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WALI=$(cd "${1:?usage: $0 WALI_REPO_DIR [TEST...]}" && pwd)
shift
[[ -f $WALI/tests/run_tests.py && -d $WALI/tests/unit ]] || { echo "wali-tests.sh: $WALI has no tests/run_tests.py and tests/unit/" >&2; exit 2; }
OUT=${OUT:-$HERE/target/wali-tests}
PREBUILT_SUMMARY=${PREBUILT_SUMMARY:-$ROOT/nojit-vkernel/target/wali-compat/summary.txt}

# A private copy of the runner and the sources: bin/ is ours, WALI's checkout stays untouched.
T="$OUT/repo/tests"
rm -rf "$OUT/repo" "$OUT/build-logs"
mkdir -p "$T/bin/unit/wasm" "$T/bin/unit/elf" "$OUT/build-logs" "$OUT/bundles"
cp -r "$WALI/tests/unit" "$WALI/tests/common" "$WALI/tests/run_tests.py" "$T/"
# WALI's toolchain gives wasm32 a 64-bit `long` (its modules import SYS_getpid as () -> i64 from a
# `long` declaration); nojit's C library is ILP32, where the WALI ABI's 64-bit `long` is `long long`.
# So in the tests' own WALI import declarations (and only there) `long` becomes `long long`: the
# same import signatures as WALI's build, nothing else changed (nfds_t, an unsigned long, too).
widen='s/\<long long\>/\x01/g; s/\<long\>/long long/g; s/\x01/long long/g; s/\<nfds_t\>/unsigned long long/g'
sed -E -i -e "/__import_module__\(\"wali\"\)/{$widen; n; $widen}" -e "/^WALI_IMPORT\(/{$widen}" \
    "$T"/unit/*.c "$T"/common/*.h
# The same difference reaches one kernel structure a test takes from a libc header and hands to
# its raw import: struct sysinfo is all `long`s, so WALI's build of <sys/sysinfo.h> has x86-64's
# layout (what the runtime writes) and nojit's ILP32 one does not (its sysinfo() converts). In the
# private copy of sysinfo.c the wasm build declares the structure with `long long`s, as WALI's
# toolchain sees it; the native twin still takes glibc's header.
sed -i 's|^#include <sys/sysinfo.h>$|#ifdef __wasm__\
struct sysinfo { long long uptime; unsigned long long loads[3], totalram, freeram, sharedram, bufferram,\
    totalswap, freeswap; unsigned short procs, pad; unsigned long long totalhigh, freehigh; unsigned mem_unit; };\
#else\
#include <sys/sysinfo.h>\
#endif|' "$T/unit/sysinfo.c"
# WALI_TEST_TIMEOUT=SECONDS: the runner's limit per run (WALI's is 20), for a loaded machine.
sed -i "s/^TEST_TIMEOUT = 20\$/TEST_TIMEOUT = ${WALI_TEST_TIMEOUT:-20}/" "$T/run_tests.py"

# One sysroot for every build (nojit-cc would otherwise look it up, and maybe rebuild it, per call).
export NOJIT_SYSROOT=${NOJIT_SYSROOT:-$("$HERE/build-sysroot.sh" | tail -1)}
cat >"$OUT/wali-test-main.c" <<'C'
void __wali_test_start(void);
int main(void)
{
	__wali_test_start();
	return 0;
}
C
"$HERE/nojit-cc" -O2 -c -o "$OUT/wali-test-main.o" "$OUT/wali-test-main.c"

if [[ $# -gt 0 ]]; then names=("$@"); else names=(); for f in "$T"/unit/*.c; do names+=("$(basename "$f" .c)"); done; fi
build_one() {
    local name=$1 src="unit/$1.c"
    cd "$T"
    if ! "$HERE/nojit-cc" -O2 -w -I. -Icommon -D_start=__wali_test_start '-Dexport_name(x)=used' \
            -o "bin/unit/wasm/$name.wasm" "$src" "$OUT/wali-test-main.o" >"$OUT/build-logs/$name.wasm.log" 2>&1; then
        rm -f "bin/unit/wasm/$name.wasm"
    fi
    gcc -I. -Icommon -O2 -Wno-unused-result -o "bin/unit/elf/$name" "$src" -lm -lpthread >"$OUT/build-logs/$name.elf.log" 2>&1 || true
    gcc -I. -Icommon -O2 -Wno-unused-result -DWALI_TEST_WRAPPER -o "bin/unit/elf/${name}_hooks" common/hooks_main.c "$src" \
        >>"$OUT/build-logs/$name.elf.log" 2>&1 || true
}
echo "building ${#names[@]} tests with nojit-cc and gcc" >&2
running=0
for n in "${names[@]}"; do
    build_one "$n" &
    running=$((running + 1))
    if [[ $running -ge 2 ]]; then wait -n || true; running=$((running - 1)); fi
done
wait

OUT="$OUT" "$ROOT/nojit-vkernel/wali-compat/run-unit-tests.sh" "$OUT/repo" "${names[@]}" 2>&1 | tee "$OUT/run.txt" || true
sed -e 's/\x1b\[[0-9;]*m//g' "$OUT/run.txt" >"$OUT/run.plain.txt"

# One line per test: this build's result, why a build failed, and the prebuilt module's result.
declare -A prebuilt=()
if [[ -f $PREBUILT_SUMMARY ]]; then
    while read -r n r; do prebuilt[$n]=$r; done < <(sed -e 's/\x1b\[[0-9;]*m//g' "$PREBUILT_SUMMARY" |
        sed -nE 's/^([A-Za-z0-9_]+)\.{2,}(PASS|FAIL).*/\1 \2/p')
fi
pass=0 fail=0 pre_pass=0
{
    printf '%-22s %-10s %s\n' TEST REBUILT PREBUILT
    for n in "${names[@]}"; do
        r=$(sed -nE "s/^$n\\.{2,}(PASS|FAIL).*/\\1/p" "$OUT/run.plain.txt" | head -1)
        [[ -f $T/bin/unit/wasm/$n.wasm ]] || r=BUILD-FAIL
        [[ -n $r ]] || r=FAIL
        if [[ $r == PASS ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
        pre=${prebuilt[$n]:--}
        [[ $pre == PASS ]] && pre_pass=$((pre_pass + 1))
        printf '%-22s %-10s %s\n' "$n" "$r" "$pre"
        if [[ $r == BUILD-FAIL ]]; then grep -m1 -E 'error|undefined' "$OUT/build-logs/$n.wasm.log" | sed 's/^/    /' || true; fi
    done
    echo "rebuilt with nojit-cc: $pass/${#names[@]} pass ($fail fail)"
    if [[ ${#prebuilt[@]} -gt 0 ]]; then echo "prebuilt (WALI's toolchain, $PREBUILT_SUMMARY): $pre_pass/${#names[@]} pass"; fi
    grep -a '^audit logs:' "$OUT/run.plain.txt" || true
} | tee "$OUT/table.txt"
[[ $fail -eq 0 ]]
