#!/usr/bin/env bash
# Runs WALI's precompiled bash, lua and sqlite3 (arjunr2/WALI, examples/precompiled; fetched,
# never committed) under `nojit run` through a list of scenarios, comparing each one's output and
# exit code with what is expected. Local only.
#
#   nojit-vkernel/wali-compat/run-programs.sh WALI_REPO_DIR
#
# Every run writes its audit log to target/wali-programs/audit/N.jsonl; under the default policy a
# scenario passes only with zero violations recorded (no false positives).
# Prints one line per scenario (ok/FAIL) and a summary; exit 1 when any scenario failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WALI=$(cd "${1:?usage: $0 WALI_REPO_DIR}" && pwd)
P="$WALI/examples/precompiled"
OUT=${OUT:-$ROOT/nojit-vkernel/target/wali-programs}
rm -rf "$OUT/data" "$OUT/audit" && mkdir -p "$OUT/data" "$OUT/audit"
"$ROOT/nojit" --version >/dev/null || exit 1
[[ -f $OUT/key ]] || "$ROOT/nojit" keygen --out "$OUT/key" >/dev/null
"$ROOT/nojit" build --key "$OUT/key" --out "$OUT/programs.nojit" \
    --exec /bin/bash="$P/bash/bash.wasm" --exec /bin/lua="$P/lua/lua.wasm" --exec /bin/sqlite3="$P/sqlite/sqlite3.wasm" \
    --compat /bin/bash=lenient-call-indirect >/dev/null || exit 1

pass=0 fail=0 runs=0
# Policy violations recorded in an audit log.
violations() { grep -cE '"type":"(exec_denied|memory_exec_denied|code_load_denied)"' "$1"; }
# scenario NAME EXPECTED_EXIT EXPECTED_STDOUT -- ARGS...   (the default policy: no violation may be recorded)
scenario() {
    local name=$1 want_code=$2 want_out=$3; shift 4
    local out code log="$OUT/audit/$((runs += 1)).jsonl"
    out=$("$ROOT/nojit" run "$OUT/programs.nojit" --pubkey "$OUT/key.pub" --mount /data="$OUT/data" \
        --env HOME=/tmp --timeout 60s --audit-log "$log" -- "$@" 2>"$OUT/stderr")
    code=$?
    if [[ $code == "$want_code" && $out == "$want_out" && $(violations "$log") == 0 ]]; then
        pass=$((pass + 1)); echo "ok    $name"
    else
        fail=$((fail + 1)); echo "FAIL  $name: exit $code (want $want_code), $(violations "$log") violations in $log"
        echo "      got:  $(printf '%q' "$out")"; echo "      want: $(printf '%q' "$want_out")"
        sed 's/^/      stderr: /' "$OUT/stderr" | head -5
    fi
}
nl=$'\n'
scenario "bash: echo and arithmetic" 0 "hello 42" -- /bin/bash -c 'echo hello $((6*7))'
scenario "bash: pipes" 0 "3" -- /bin/bash -c 'printf "a\nb\nc\n" | /bin/bash -c "n=0; while read l; do n=\$((n+1)); done; echo \$n"'
scenario "bash: three-stage pipeline" 0 "B" -- /bin/bash -c 'echo b | /bin/bash -c "read x; echo \${x^^}" | /bin/bash -c "read y; echo \$y"'
scenario "bash: command substitution" 0 "got sub" -- /bin/bash -c 'x=$(echo sub); echo "got $x"'
scenario "bash: nested substitution" 0 "a-b" -- /bin/bash -c 'echo $(echo a)-$(echo $(echo b))'
scenario "bash: subshell exit code" 0 "3" -- /bin/bash -c '(exit 3); echo $?'
scenario "bash: redirections" 0 "one${nl}two" -- /bin/bash -c 'echo one > /tmp/f; echo two >> /tmp/f; while read l; do echo $l; done < /tmp/f'
scenario "bash: stderr redirection" 0 "err" -- /bin/bash -c 'echo err 1>&2 2>/dev/null; { echo err 1>&2; } 2>&1'
scenario "bash: for and while loops" 0 "1 2 3 x x" -- /bin/bash -c 'for i in 1 2 3; do printf "%s " $i; done; n=0; while [ $n -lt 2 ]; do printf "x"; n=$((n+1)); [ $n -lt 2 ] && printf " "; done; echo'
scenario "bash: functions and case" 0 "even" -- /bin/bash -c 'f() { case $(($1 % 2)) in 0) echo even;; *) echo odd;; esac; }; f 4'
scenario "bash: exit code" 7 "" -- /bin/bash -c 'exit 7'
scenario "bash: false and ||" 0 "1 alt" -- /bin/bash -c 'false; echo -n "$? "; false || echo alt'
scenario "bash: signal trap" 0 "trapped" -- /bin/bash -c 'trap "echo trapped" USR1; kill -USR1 $$'
scenario "bash: background job and wait" 0 "bg${nl}done" -- /bin/bash -c '(echo bg) & wait $!; echo done'
scenario "bash: killed child status" 0 "137" -- /bin/bash -c '/bin/bash -c "kill -9 \$\$"; echo $?'
scenario "bash: script file" 0 "from script" -- /bin/bash -c 'echo "echo from script" > /tmp/s.sh; /bin/bash /tmp/s.sh'
scenario "bash runs lua" 0 "3" -- /bin/bash -c '/bin/lua -e "print(1+2)"'
scenario "lua: pcall and error" 0 "false	boom${nl}caught" -- /bin/lua -e 'print(pcall(function() error("boom", 0) end)); local ok = pcall(error); if not ok then print("caught") end'
scenario "lua: nested pcall, string ops" 0 "ababab	10" -- /bin/lua -e 'local ok, v = pcall(function() return pcall(function() return string.rep("ab", 3) end) end); print(select(2, pcall(function() return string.rep("ab", 3) end)), #("x"):rep(10))'
scenario "lua: script file" 0 "55" -- /bin/bash -c 'echo "local s=0 for i=1,10 do s=s+i end print(s)" > /tmp/t.lua; /bin/lua /tmp/t.lua'
scenario "lua: error exit code" 1 "" -- /bin/lua -e 'error("fatal")'
scenario "bash runs sqlite3 in a mounted dir" 0 "3|6" -- /bin/bash -c "/bin/sqlite3 /data/t.db \"create table t(a integer, b text); insert into t values(1,'x'),(2,'y'),(3,'z'); select count(*), sum(a) from t;\""
scenario "sqlite3: reopen and query" 0 "z${nl}y${nl}x" -- /bin/bash -c 'echo "select b from t order by a desc;" | /bin/sqlite3 /data/t.db'
scenario "sqlite3: aggregate with index" 0 "2|y" -- /bin/sqlite3 /data/t.db "create index ib on t(b); select a, b from t where b = 'y';"

# The same programs under scripts: manifest-only (docs/enforcement.md): listed scripts run, by #!
# and as operands; inside them, inline code, unlisted scripts and lua -e are violations (the child
# that asks dies of SIGKILL: status 137) while the listed script goes on; `source` of an unlisted
# file is code bash reads as data, which manifest-only cannot see (documented).
mkdir -p "$OUT/scripts"
cat >"$OUT/scripts/agent.sh" <<'AGENT'
#!/bin/bash
echo "listed script runs"
/bin/bash -c 'echo inline ran'; echo "bash -c: $?"
echo 'echo unlisted ran' > /tmp/evil.sh; /bin/bash /tmp/evil.sh; echo "unlisted script: $?"
/bin/lua -e 'print("lua -e ran")'; echo "lua -e: $?"
/bin/lua /opt/sum.lua
source /tmp/evil.sh
AGENT
chmod 755 "$OUT/scripts/agent.sh"
echo 'local s=0 for i=1,10 do s=s+i end print(s)' >"$OUT/scripts/sum.lua"
echo '{"scripts": "manifest-only", "interpreters": {"/bin/bash": "bash", "/bin/lua": "lua"}}' >"$OUT/scripts/policy.json"
"$ROOT/nojit" build --key "$OUT/key" --out "$OUT/strict.nojit" --policy "$OUT/scripts/policy.json" \
    --exec /bin/bash="$P/bash/bash.wasm" --exec /bin/lua="$P/lua/lua.wasm" --compat /bin/bash=lenient-call-indirect \
    --script /opt/agent.sh="$OUT/scripts/agent.sh" --interpreter /bin/bash \
    --script /opt/sum.lua="$OUT/scripts/sum.lua" --interpreter /bin/lua >/dev/null || exit 1
# strict NAME EXPECTED_EXIT EXPECTED_STDOUT EXPECTED_VIOLATIONS -- ARGS...
strict() {
    local name=$1 want_code=$2 want_out=$3 want_v=$4; shift 5
    local out code log="$OUT/audit/$((runs += 1)).jsonl"
    out=$("$ROOT/nojit" run "$OUT/strict.nojit" --pubkey "$OUT/key.pub" --env HOME=/tmp --timeout 60s --audit-log "$log" \
        -- "$@" 2>"$OUT/stderr")
    code=$?
    if [[ $code == "$want_code" && $out == "$want_out" && $(violations "$log") == "$want_v" ]]; then
        pass=$((pass + 1)); echo "ok    $name"
    else
        fail=$((fail + 1)); echo "FAIL  $name: exit $code (want $want_code), $(violations "$log") violations in $log"
        echo "      got:  $(printf '%q' "$out")"; echo "      want: $(printf '%q' "$want_out")"
        sed 's/^/      stderr: /' "$OUT/stderr" | head -5
    fi
}
agent_out="listed script runs${nl}bash -c: 137${nl}unlisted script: 137${nl}lua -e: 137${nl}55${nl}unlisted ran"
strict "manifest-only: listed script by #!" 0 "$agent_out" 3 -- /opt/agent.sh
strict "manifest-only: listed script as operand" 0 "$agent_out" 3 -- /bin/bash /opt/agent.sh
strict "manifest-only: lua script as operand" 0 "55" 0 -- /bin/lua /opt/sum.lua
strict "manifest-only: bash -c as process 1" 126 "" 1 -- /bin/bash -c 'echo no'
strict "manifest-only: lua -e as process 1" 126 "" 1 -- /bin/lua -e 'print(1)'
strict "manifest-only: bash reading stdin" 126 "" 1 -- /bin/bash
echo "summary: $pass passed, $fail failed"
[[ -f $OUT/data/t.db ]] && echo "database on the host: $OUT/data/t.db ($(head -c 15 "$OUT/data/t.db"))"
[[ $fail == 0 ]]

