#!/usr/bin/env bash
# The "engine" WALI's run_tests.py calls: wali-engine.sh --env-file=FILE TEST.wasm [ARG...].
# Bundles TEST.wasm (cached by its hash) as /bin/<name> and runs it under nojit with the host's
# /tmp and the current directory mounted at the same paths (WALI's test hooks prepare files
# there natively), the env file's lines as --env, and the test's arguments; its audit log goes to
# $NOJIT_WALI_OUT/audit/.
set -euo pipefail
envfile=""
if [[ ${1:-} == --env-file=* ]]; then envfile=${1#--env-file=}; shift; fi
wasm=$1; shift
name=$(basename "$wasm" .wasm)
sha=$(sha256sum "$wasm" | cut -c1-64)
bundle="$NOJIT_WALI_OUT/bundles/$name-$sha.nojit"
if [[ ! -f $bundle ]]; then
    "$NOJIT_WALI_JAVA" -jar "$NOJIT_WALI_OUT/nojit.jar" build --key "$NOJIT_WALI_KEY" --out "$bundle" --exec "/bin/$name=$wasm" >/dev/null
fi
envargs=()
if [[ -n $envfile && -f $envfile ]]; then
    while IFS= read -r line; do [[ -n $line ]] && envargs+=(--env "$line"); done <"$envfile"
fi
export NOJIT_SYSCALL_STATS="$NOJIT_WALI_OUT/syscall-stats.txt"
mkdir -p "$NOJIT_WALI_OUT/audit"
exec "$NOJIT_WALI_JAVA" -Xshare:auto -XX:+UseSerialGC -jar "$NOJIT_WALI_OUT/nojit.jar" run "$bundle" --pubkey "$NOJIT_WALI_KEY.pub" --mount /tmp=/tmp --mount "$PWD=$PWD" \
    --audit-log "$(mktemp -u "$NOJIT_WALI_OUT/audit/$name-XXXXXXXX.jsonl")" \
    --workdir "$PWD" --timeout 15s "${envargs[@]}" -- "/bin/$name" "$@"
