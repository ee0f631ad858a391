#!/usr/bin/env bash
# Builds what the Maven build takes from the toolchain: the C library, every userland package
# (toolchain/userland/PKG/build.sh, with nojit-cc), and the C library's own tests.
#
#   toolchain/build-userland.sh OUTDIR
#
#   OUTDIR/PKG/FILE               each file of a package's bin/ (WALI modules, keeping their names;
#                                 busybox also lists its applets in OUTDIR/busybox/applets)
#   OUTDIR/PKG/lib/FILE           each file directly under a package's lib/ (python: python311.zip,
#                                 the standard library an image ships)
#   OUTDIR/libc-tests/NAME.wasm   toolchain/tests/NAME.c built with nojit-cc
#   OUTDIR/libc-tests/NAME.out    what the same source built with gcc prints on this machine, run
#   OUTDIR/libc-tests/NAME.status with GREETING=hi as its only environment, and its exit status
#                                 (tests/NAME.expected instead for a WALI-only test, status 0)
#
# Every package output and the sysroot are cached by content hash (toolchain/userland/lib.sh), so
# a second build compiles nothing; a test is rebuilt only when its source, nojit-cc, this script
# or the sysroot is newer.
set -euo pipefail
export LC_ALL=C

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

# Copies SRC to DEST only when the bytes differ, so an unchanged file keeps its time stamp.
install_if_changed() {
    cmp -s "$1" "$2" 2>/dev/null && return 0
    cp "$1" "$2.tmp"
    chmod 0644 "$2.tmp"
    mv -f "$2.tmp" "$2"
}

SYSROOT=$("$HERE/build-sysroot.sh" | tail -1)
shopt -s nullglob

# The packages of the image (BusyBox, bash, Lua, CPython) and hello, the autotools proof (a configure
# script run with CC=nojit-cc). sed builds too (toolchain/userland/sed) but is left out here:
# it adds minutes to every fresh build and nothing uses it.
PACKAGES=(busybox bash lua python hello)
for pkg in "${PACKAGES[@]}"; do
    build="$HERE/userland/$pkg/build.sh"
    dir=$(bash "$build" | tail -1)
    [[ -f $dir/.complete ]] || { echo "build-userland.sh: $pkg built nothing" >&2; exit 1; }
    mkdir -p "$OUT/$pkg"
    for f in "$dir"/bin/*; do
        install_if_changed "$f" "$OUT/$pkg/$(basename "$f")"
    done
    for f in "$dir"/lib/*; do
        [[ -f $f ]] || continue
        mkdir -p "$OUT/$pkg/lib"
        install_if_changed "$f" "$OUT/$pkg/lib/$(basename "$f")"
    done
    echo "  userland $pkg: $(cd "$dir/bin" && ls | tr '\n' ' ')"
done

TESTS="$OUT/libc-tests"
mkdir -p "$TESTS"
command -v gcc >/dev/null 2>&1 || { echo "build-userland.sh: gcc is missing (the C library's tests compare with it)" >&2; exit 1; }
for src in "$HERE"/tests/*.c; do
    name=$(basename "$src" .c)
    if [[ $TESTS/$name.status -nt $src && $TESTS/$name.status -nt $HERE/nojit-cc \
          && $TESTS/$name.status -nt $SYSROOT/.complete \
          && $TESTS/$name.status -nt ${BASH_SOURCE[0]} ]]; then
        continue
    fi
    "$HERE/nojit-cc" -O2 -w -o "$TESTS/$name.wasm.tmp" "$src"
    mv -f "$TESTS/$name.wasm.tmp" "$TESTS/$name.wasm"
    if [[ -f $HERE/tests/$name.expected ]]; then
        cp "$HERE/tests/$name.expected" "$TESTS/$name.out"
        status=0
    else
        gcc -O2 -w -o "$TESTS/$name.native" "$src"
        set +e
        (cd / && env -i GREETING=hi "$TESTS/$name.native") >"$TESTS/$name.out" 2>/dev/null
        status=$?
        set -e
        rm -f "$TESTS/$name.native"
    fi
    echo "$status" >"$TESTS/$name.status"
    echo "  libc test $name (native exit $status)"
done
for f in "$TESTS"/*.status; do
    name=$(basename "$f" .status)
    [[ -f $HERE/tests/$name.c ]] || rm -f "$TESTS/$name".*
done
