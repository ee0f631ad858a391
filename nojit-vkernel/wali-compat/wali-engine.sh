#!/usr/bin/env bash
# The "engine" WALI's run_tests.py calls: wali-engine.sh --env-file=FILE TEST.wasm [ARG...].
# Bundles TEST.wasm (cached by its hash) as /bin/<name> and runs it under nojit with the host's
# /tmp and the current directory mounted at the same paths (WALI's test hooks prepare files
# there natively), the env file's lines as --env, and the test's arguments; its audit log goes to
# $NOJIT_WALI_OUT/audit/. NOJIT_WALI_TIMEOUT (default 15s) is nojit's limit per run.
set -euo pipefail
envfile=""
if [[ ${1:-} == --env-file=* ]]; then envfile=${1#--env-file=}; shift; fi
wasm=$1; shift
name=$(basename "$wasm" .wasm)
sha=$(sha256sum "$wasm" | cut -c1-64)
# The launcher's JVM flags (see ./nojit): nojit-host.jar is the native-access module beside the jar, and a
# fixed code cache spares `nojit run` a restart of itself.
nojit=("$NOJIT_WALI_JAVA" -Xshare:auto -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:InitialCodeCacheSize=64m
    --module-path "$NOJIT_WALI_OUT/nojit-host.jar" --add-modules dev.nojit.host --enable-native-access=dev.nojit.host
    --illegal-native-access=deny -jar "$NOJIT_WALI_OUT/nojit.jar")
bundle="$NOJIT_WALI_OUT/bundles/$name-$sha.nojit"
if [[ ! -f $bundle ]]; then
    "${nojit[@]}" build --key "$NOJIT_WALI_KEY" --out "$bundle" --exec "/bin/$name=$wasm" >/dev/null
fi
envargs=()
if [[ -n $envfile && -f $envfile ]]; then
    while IFS= read -r line; do [[ -n $line ]] && envargs+=(--env "$line"); done <"$envfile"
fi
export NOJIT_SYSCALL_STATS="$NOJIT_WALI_OUT/syscall-stats.txt"
mkdir -p "$NOJIT_WALI_OUT/audit"
exec "${nojit[@]}" run "$bundle" --pubkey "$NOJIT_WALI_KEY.pub" --mount /tmp=/tmp --mount "$PWD=$PWD" \
    --audit-log "$(mktemp -u "$NOJIT_WALI_OUT/audit/$name-XXXXXXXX.jsonl")" \
    --workdir "$PWD" --timeout "${NOJIT_WALI_TIMEOUT:-15s}" "${envargs[@]}" -- "/bin/$name" "$@"
