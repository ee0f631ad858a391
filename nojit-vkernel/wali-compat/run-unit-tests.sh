#!/usr/bin/env bash
# Runs WALI's own unit-test suite (arjunr2/WALI, tests/) against nojit: each prebuilt test
# module is bundled, signed and started with `nojit run`; WALI's run_tests.py compares its exit
# code with the natively built twin's. Local only (the WALI repository is fetched, never committed).
#
#   nojit-vkernel/wali-compat/run-unit-tests.sh WALI_REPO_DIR [TEST...]   (TEST: e.g. fork pipe)
#
# Needs gcc and make (WALI builds its native twins with `make -k native`), python3, and the nojit
# jar (./nojit builds it). Because the runner compares exit codes only, every wasm run also appends
# a line (exit code, calls per syscall) to $OUT/syscall-stats.txt: a run with no syscalls did not
# really execute. Summary in $OUT/summary.txt.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WALI=$(cd "${1:?usage: $0 WALI_REPO_DIR [TEST...]}" && pwd)
shift
OUT=${OUT:-$ROOT/nojit-vkernel/target/wali-compat}
mkdir -p "$OUT/bundles"
"$ROOT/nojit" --version >/dev/null   # builds the jar when needed
# A copy of the jar, so that rebuilding nojit during a run does not change what is tested.
cp "$ROOT/nojit-cli/target/nojit.jar" "$ROOT/nojit-cli/target/nojit-host.jar" "$OUT/"
JAVA=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    if [[ -n $d && -x $d/bin/java ]]; then JAVA="$d/bin/java"; break; fi
done
[[ -n $JAVA ]] || { echo "run-unit-tests.sh: set JAVA_HOME to JDK 25" >&2; exit 1; }

cd "$WALI/tests"
if [[ ! -d bin/unit/elf ]]; then
    echo "building WALI's native twins (make -k native)" >&2
    make -k native >"$OUT/make-native.log" 2>&1 || true
fi
KEY="$OUT/key"
[[ -f $KEY ]] || "$JAVA" -jar "$OUT/nojit.jar" keygen --out "$KEY" >/dev/null
cat >"$OUT/engines.toml" <<TOML
[[engines]]
name = "nojit"
command = "$HERE/wali-engine.sh"
args = ["--env-file={env_file}", "{wasm_file}", "{args}"]
TOML
: >"$OUT/syscall-stats.txt"
rm -rf "$OUT/audit"
export NOJIT_WALI_OUT="$OUT" NOJIT_WALI_KEY="$KEY" NOJIT_WALI_JAVA="$JAVA"
args=(--config "$OUT/engines.toml")
if [[ $# -gt 0 ]]; then args+=(-f "$@"); fi
status=0
python3 run_tests.py "${args[@]}" 2>&1 | tee "$OUT/summary.txt" || status=$?
# No false positives: WALI's own tests never try to load code, so no run may record a violation.
v=$(cat "$OUT"/audit/*.jsonl 2>/dev/null | grep -cE '"type":"(exec_denied|memory_exec_denied|code_load_denied)"' || true)
echo "audit logs: $(ls "$OUT/audit" 2>/dev/null | wc -l) runs, $v policy violations" | tee -a "$OUT/summary.txt"
exit "$status"
