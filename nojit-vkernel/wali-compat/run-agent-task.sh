#!/usr/bin/env bash
# The example agent task (guests/example/usr/share/agent/task.sh) under WALI's real bash as
# /bin/sh, beside the same task under nsh, the project's own shell that CI uses (AgentTaskTest).
# WALI's precompiled bash (arjunr2/WALI, examples/precompiled; fetched, never committed). Local only.
#
#   nojit-vkernel/wali-compat/run-agent-task.sh WALI_REPO_DIR
#
# Builds two bundles with the example's files, tools and policy (scripts: manifest-only,
# kill-process) that differ only in /bin/sh (nsh, or WALI's bash with the built-in bash profile),
# runs the task in each and checks, for each shell: exit 0; stdout equal to nsh's, line for line
# (the useful work, then both attacks refused and the task going on); exactly two violations,
# exec_denied for /tmp/payload and /tmp/evil.sh, each with the file's SHA-256; a verified log.
# NOJIT (default: ROOT/nojit) is the command that runs nojit. Prints ok/FAIL lines and a summary;
# exit 1 when anything differs. Outputs and audit logs stay in target/wali-agent-task/.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WALI=$(cd "${1:?usage: $0 WALI_REPO_DIR}" && pwd)
BASH_WASM="$WALI/examples/precompiled/bash/bash.wasm"
NOJIT=${NOJIT:-$ROOT/nojit}
OUT=${OUT:-$ROOT/nojit-vkernel/target/wali-agent-task}
[[ -f $BASH_WASM ]] || { echo "no $BASH_WASM" >&2; exit 1; }
mkdir -p "$OUT" && rm -f "$OUT"/*.jsonl "$OUT"/*.out "$OUT"/*.err
G="$OUT/guests"
"$ROOT/guests/build.sh" "$G" >/dev/null || exit 1
EX="$G/example"
$NOJIT --version >/dev/null || exit 1
[[ -f $OUT/key ]] || $NOJIT keygen --out "$OUT/key" >/dev/null

# The example's build flags (guests/example/README) with /bin/sh given by the caller.
build() { # NAME POLICY SH_WASM [EXTRA...]
    local name=$1 policy=$2 sh=$3; shift 3
    $NOJIT build --key "$OUT/key" --out "$OUT/$name.nojit" --policy "$policy" \
        --exec /bin/sh="$sh" --exec /bin/cat="$G/cat.wasm" --exec /bin/wc="$G/wc.wasm" \
        --exec /bin/grep="$G/grep.wasm" --exec /bin/chmod="$G/chmod.wasm" \
        --script /usr/share/agent/task.sh="$EX/usr/share/agent/task.sh" --interpreter /bin/sh \
        --script /usr/share/agent/summarize.sh="$EX/usr/share/agent/summarize.sh" --interpreter /bin/sh \
        --file /etc/motd="$EX/etc/motd" --dir /srv/data="$EX/srv/data" "$@" >/dev/null
}
build nsh "$EX/policy.json" "$G/nsh.wasm" || exit 1
# The same policy with the built-in bash profile for /bin/sh (bash's flags, not nsh's).
cat >"$OUT/bash-policy.json" <<'JSON'
{"exec": "manifest-only", "scripts": "manifest-only", "memory": "deny-exec", "onViolation": "kill-process",
 "interpreters": {"/bin/sh": "bash"}}
JSON
build bash "$OUT/bash-policy.json" "$BASH_WASM" --compat /bin/sh=lenient-call-indirect || exit 1

for shell in nsh bash; do
    $NOJIT run "$OUT/$shell.nojit" --pubkey "$OUT/key.pub" --env HOME=/tmp --timeout 120s \
        --audit-log "$OUT/$shell.jsonl" -- /usr/share/agent/task.sh >"$OUT/$shell.out" 2>"$OUT/$shell.err"
    echo $? >"$OUT/$shell.code"
done

pass=0 fail=0
check() { # NAME COND...
    local name=$1; shift
    if "$@"; then pass=$((pass + 1)); echo "ok    $name"; else fail=$((fail + 1)); echo "FAIL  $name"; fi
}
quiet() { "$@" >/dev/null 2>&1; }
sha() { sha256sum "$1" | cut -c1-64; }
payload_sha=$(sha "$EX/srv/data/payload.bin")
evil_sha=$(printf '#!/bin/sh\necho "evil.sh ran: an unlisted script got through"\n' | sha256sum | cut -c1-64)
# The violations of a log, one line each: TYPE PATH SHA256.
violations() {
    grep -E '"type":"(exec_denied|memory_exec_denied|code_load_denied)"' "$1" \
        | sed -E 's/.*"target":\{"path":"([^"]*)","sha256":"([0-9a-f]*)".*"type":"([a-z_]*)".*/\3 \1 \2/'
}
want_v="exec_denied /tmp/payload $payload_sha
exec_denied /tmp/evil.sh $evil_sha"
for shell in nsh bash; do
    check "$shell: exit 0" test "$(cat "$OUT/$shell.code")" = 0
    check "$shell: the ELF's exec failed (status 137) and the task went on" \
        grep -qF -- "-- /tmp/payload ended with status 137" "$OUT/$shell.out"
    check "$shell: the script's exec failed (status 137) and the task went on" \
        grep -qF -- "-- /tmp/evil.sh ended with status 137" "$OUT/$shell.out"
    check "$shell: the task reached its end" grep -qF "== done" "$OUT/$shell.out"
    check "$shell: evil.sh never ran" bash -c "! grep -q 'evil.sh ran' '$OUT/$shell.out'"
    check "$shell: exactly the two exec_denied events, with hashes" test "$(violations "$OUT/$shell.jsonl")" = "$want_v"
    check "$shell: audit log verifies" quiet $NOJIT audit verify "$OUT/$shell.jsonl"
done
check "bash prints what nsh prints (stdout, line for line)" diff "$OUT/nsh.out" "$OUT/bash.out"
echo "--- bash's stderr:"; sed 's/^/    /' "$OUT/bash.err"
echo "--- nsh's stderr:"; sed 's/^/    /' "$OUT/nsh.err"
echo "summary: $pass passed, $fail failed (outputs and logs in $OUT)"
[[ $fail == 0 ]]
