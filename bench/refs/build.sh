#!/usr/bin/env bash
# Builds the native-C reference interpreters of bench/engine from local source trees of their
# public repositories (bytecodealliance/wasm-micro-runtime, wasm3/wasm3), which the user
# provides; nothing is downloaded and nothing built here is committed.
#
#   bench/refs/build.sh --wamr SRCDIR --wasm3 SRCDIR [--out DIR]
#
# Into DIR (default bench/target/refs/):
#   iwasm       WAMR's own command line (product-mini/platforms/linux), fast interpreter only:
#               WAMR_BUILD_INTERP=1 FAST_INTERP=1 AOT=0 JIT=0 FAST_JIT=0 SIMD=0, Release
#   wamr-run    bench/refs/wamr-run.c linked against the same build's static runtime library
#   wasm3       wasm3's own command line, Release, BUILD_WASI=simple
#   wasm3-run   bench/refs/wasm3-run.c linked against the same build's libm3.a
#   sources     one line per runtime: NAME COMMIT SRCDIR (COMMIT from git rev-parse, else unknown)
# Either --wamr or --wasm3 alone builds that one. The *-run hosts load a module, call its `run`
# N times and print "<checksum> <seconds>" per call like the native workloads; bench/engine
# uses them when it finds them in bench/target/refs/ or is given --refs DIR.
#
# SIMD is off in WAMR because its fast interpreter's SIMD support fetches a library at configure
# time (the workloads use no SIMD); wasm3's default WASI (uvwasi) would fetch libuv, so it uses
# its simple WASI. FetchContent is disconnected either way. Builds run under nice, make -j2.
# Exit status: 0 built, 1 a build failed, 2 bad usage.
set -euo pipefail
export LC_ALL=C

refs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_dir=$(dirname "$refs_dir")
out="$bench_dir/target/refs"
wamr=""
wasm3=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --wamr|--wasm3|--out)
            [[ $# -ge 2 && -n $2 ]] || { echo "bench/refs/build.sh: $1 needs a value" >&2; exit 2; }
            case $1 in --wamr) wamr=$2 ;; --wasm3) wasm3=$2 ;; --out) out=$2 ;; esac
            shift 2 ;;
        *) echo "bench/refs/build.sh: unknown option $1 (bench/refs/build.sh -h)" >&2; exit 2 ;;
    esac
done
if [[ -z $wamr && -z $wasm3 ]]; then
    echo "bench/refs/build.sh: give --wamr SRCDIR and/or --wasm3 SRCDIR (bench/refs/build.sh -h)" >&2
    exit 2
fi
if [[ -n $wamr && ! -f $wamr/product-mini/platforms/linux/CMakeLists.txt ]]; then
    echo "bench/refs/build.sh: $wamr is not a WAMR source tree (no product-mini/platforms/linux/CMakeLists.txt)" >&2
    exit 2
fi
if [[ -n $wasm3 && ! -f $wasm3/source/wasm3.h ]]; then
    echo "bench/refs/build.sh: $wasm3 is not a wasm3 source tree (no source/wasm3.h)" >&2
    exit 2
fi
for tool in cmake make gcc; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench/refs/build.sh: $tool is missing; as root: apt-get install -y cmake make gcc" >&2; exit 1; }
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
sources="$out/sources"
touch "$sources"

commit_of() {
    local rev
    if rev=$(git -C "$1" rev-parse --verify -q HEAD 2>/dev/null); then
        [[ -n $(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null) ]] && rev="$rev+modified"
        echo "$rev"
    else
        echo unknown
    fi
}

# Records "NAME COMMIT SRCDIR" in $sources, replacing an earlier line for NAME.
record_source() {
    local name=$1 dir commit
    dir=$(cd "$2" && pwd)
    commit=$(commit_of "$dir")
    { grep -v "^$name " "$sources" || true; echo "$name $commit $dir"; } > "$sources.new"
    mv "$sources.new" "$sources"
    echo "# $name: $commit ($dir)" >&2
}

host_cflags=(-O2 -std=gnu11 -Wall -Wextra -Werror)

if [[ -n $wamr ]]; then
    build="$out/wamr-build"
    echo "# building WAMR (fast interpreter) in $build" >&2
    nice cmake -G "Unix Makefiles" -S "$wamr/product-mini/platforms/linux" -B "$build" \
        -DCMAKE_BUILD_TYPE=Release -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
        -DWAMR_BUILD_INTERP=1 -DWAMR_BUILD_FAST_INTERP=1 -DWAMR_BUILD_AOT=0 -DWAMR_BUILD_JIT=0 \
        -DWAMR_BUILD_FAST_JIT=0 -DWAMR_BUILD_SIMD=0 >"$build.log" 2>&1 \
        || { echo "bench/refs/build.sh: configuring WAMR failed; see $build.log" >&2; exit 1; }
    nice make -C "$build" -j2 iwasm vmlib >>"$build.log" 2>&1 \
        || { echo "bench/refs/build.sh: building WAMR failed; see $build.log" >&2; exit 1; }
    cp -L "$build/iwasm" "$out/iwasm"
    # the vmlib target's archive: libiwasm.a in recent trees (OUTPUT_NAME iwasm), libvmlib.a before
    lib="$build/libiwasm.a"
    [[ -f $lib ]] || lib="$build/libvmlib.a"
    nice gcc "${host_cflags[@]}" -isystem "$wamr/core/iwasm/include" "$refs_dir/wamr-run.c" \
        "$lib" -lm -ldl -lpthread -o "$out/wamr-run"
    record_source wamr "$wamr"
fi

if [[ -n $wasm3 ]]; then
    build="$out/wasm3-build"
    echo "# building wasm3 in $build" >&2
    nice cmake -G "Unix Makefiles" -S "$wasm3" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DFETCHCONTENT_FULLY_DISCONNECTED=ON -DBUILD_WASI=simple >"$build.log" 2>&1 \
        || { echo "bench/refs/build.sh: configuring wasm3 failed; see $build.log" >&2; exit 1; }
    nice make -C "$build" -j2 wasm3 m3 >>"$build.log" 2>&1 \
        || { echo "bench/refs/build.sh: building wasm3 failed; see $build.log" >&2; exit 1; }
    cp "$build/wasm3" "$out/wasm3"
    nice gcc "${host_cflags[@]}" -isystem "$wasm3/source" "$refs_dir/wasm3-run.c" \
        "$build/source/libm3.a" -lm -o "$out/wasm3-run"
    record_source wasm3 "$wasm3"
fi

echo "# reference interpreters in $out:"
for f in iwasm wamr-run wasm3 wasm3-run; do
    [[ -x $out/$f ]] && echo "$out/$f"
done
echo "# sources ($sources):"
cat "$sources"
