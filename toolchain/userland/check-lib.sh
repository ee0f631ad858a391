# Shared by the test scripts beside the package builds (toolchain/userland/PKG/check*.sh,
# conformance.sh); sourced, not run. Not part of any package's cache key.
#
# Sourcing sets ROOT (the repository) and LC_ALL=C.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export LC_ALL=C

# check_begin PKG WORKDIR: makes WORKDIR fresh and sets WORK to its absolute path, builds PKG
# with nojit-cc and natively (cache hits are instant; build output goes to WORK/build.log) and
# sets WASM_OUT and NATIVE_OUT to the two output directories. Exits 1 when a build fails.
check_begin() {
    local build
    build="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$1/build.sh"
    rm -rf "$2"
    mkdir -p "$2"
    WORK=$(cd "$2" && pwd)
    WASM_OUT=$("$build" 2>>"$WORK/build.log" | tail -1) \
        && NATIVE_OUT=$("$build" --native 2>>"$WORK/build.log" | tail -1) \
        || { echo "$1: the build failed (see $WORK/build.log)" >&2; exit 1; }
}

# compare_runs LABEL NATIVE_RC NOJIT_RC NATIVE_OUT NOJIT_OUT: prints "ok" when both runs ended
# with the same status and printed the same stdout, else "FAIL" and the first lines of the
# difference; returns 1 on a mismatch.
compare_runs() {
    if [[ $2 -eq $3 ]] && cmp -s "$4" "$5"; then
        echo "ok   $1 (exit $3, $(wc -l <"$5") lines)"
        return 0
    fi
    echo "FAIL $1: exit $3 under nojit, $2 native"
    diff "$4" "$5" | head -5 | sed 's/^/     /' || true
    return 1
}
