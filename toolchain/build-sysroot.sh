#!/usr/bin/env bash
# Builds nojit's C library for the WALI personality: Debian's musl plus the project's wasm32
# architecture layer (toolchain/musl-wasm32), installed as a static-only sysroot.
#
#   toolchain/build-sysroot.sh            prints the sysroot directory on its last line
#
# The sysroot is cached under toolchain/target/ by a content hash of: the pinned source
# package and its tarball's SHA-256, every file of the arch layer, this script, the fetch
# script and clang's version. A hit prints the directory without network or compiler. Set
# NOJIT_TOOLCHAIN_CACHE to a directory to share built sysroots between clones (optional).
#
# musl: the version Debian bookworm ships, 1.2.3-1 (its Debian packaging carries no patches).
# fetch-source.sh checks every file against the signed source index; the .orig tarball must
# also have the SHA-256 pinned here, so a changed archive cannot slip in under the cache key.
set -euo pipefail
export LC_ALL=C

MUSL_PACKAGE=musl
MUSL_VERSION=1.2.3-1
MUSL_ORIG=musl_1.2.3.orig.tar.gz
MUSL_ORIG_SHA256=7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGET="$HERE/target"
LAYER="$HERE/musl-wasm32"

command -v clang >/dev/null 2>&1 || { echo "build-sysroot.sh: clang is missing (guests/build.sh installs the wasm32 toolchain)" >&2; exit 1; }
CLANG_VERSION=$(clang --version | head -1)
# Linux's user-space API headers (<linux/*.h>, <asm/*.h>), which musl does not ship: those of the
# host's linux-libc-dev, x86-64's asm/ (WALI's structures are x86-64's; under clang's __ILP32__
# for wasm32 they select x32's types, whose __kernel_long_t is 64 bits like x86-64's).
UAPI=/usr/include
UAPI_ASM=$UAPI/x86_64-linux-gnu/asm
UAPI_VERSION=$(dpkg-query -W -f='${Version}' linux-libc-dev:amd64 2>/dev/null || true)
[[ -d $UAPI/linux && -d $UAPI/asm-generic && -d $UAPI_ASM ]] || UAPI_VERSION=none

KEY=$( {
    echo "$MUSL_PACKAGE $MUSL_VERSION $MUSL_ORIG_SHA256"
    echo "$CLANG_VERSION"
    echo "linux-libc-dev $UAPI_VERSION"
    sha256sum "$HERE/build-sysroot.sh" "$HERE/fetch-source.sh" | cut -d' ' -f1
    (cd "$LAYER" && find . -type f | sort | xargs sha256sum)
} | sha256sum | cut -c1-16)
SYSROOT="$TARGET/sysroot-$KEY"

if [[ -f $SYSROOT/.complete ]]; then
    echo "$SYSROOT"
    exit 0
fi
if [[ -n ${NOJIT_TOOLCHAIN_CACHE:-} && -f $NOJIT_TOOLCHAIN_CACHE/sysroot-$KEY/.complete ]]; then
    mkdir -p "$TARGET"
    rm -rf "$SYSROOT.tmp"
    cp -a "$NOJIT_TOOLCHAIN_CACHE/sysroot-$KEY" "$SYSROOT.tmp"
    mv "$SYSROOT.tmp" "$SYSROOT"
    echo "$SYSROOT"
    exit 0
fi

echo "build-sysroot.sh: building the C library (musl $MUSL_VERSION + wasm32 layer, key $KEY)" >&2
START=$SECONDS
mkdir -p "$TARGET"
SRC=$("$HERE/fetch-source.sh" "$TARGET/fetch" "$MUSL_PACKAGE=$MUSL_VERSION" | tail -1)
actual=$(sha256sum "$TARGET/fetch/download/$MUSL_ORIG" | cut -d' ' -f1)
if [[ $actual != "$MUSL_ORIG_SHA256" ]]; then
    echo "build-sysroot.sh: $MUSL_ORIG has SHA-256 $actual, expected $MUSL_ORIG_SHA256" >&2
    exit 1
fi

BUILD="$TARGET/musl-build"
rm -rf "$BUILD"
cp -a "$SRC" "$BUILD"
# the arch layer: arch/wasm32, crt/wasm32 and src/*/wasm32 replace musl's generic files
(cd "$LAYER" && find arch crt src -type f) | while read -r f; do
    mkdir -p "$BUILD/$(dirname "$f")"
    cp "$LAYER/$f" "$BUILD/$f"
done
# WALI numbers syscalls as x86-64 does: musl's own x86-64 list, and the import table from it
cp "$BUILD/arch/x86_64/bits/syscall.h.in" "$BUILD/arch/wasm32/bits/syscall.h.in"
awk -f "$LAYER/gen-syscalls.awk" "$LAYER/syscalls.txt" "$BUILD/arch/wasm32/bits/syscall.h.in" \
    > "$BUILD/arch/wasm32/wali_syscalls.h"

CFLAGS=(--target=wasm32-unknown-unknown -mbulk-memory -O2 -ffunction-sections -fdata-sections
        -Wno-everything)
cat > "$BUILD/config.mak" <<MAK
srcdir = .
prefix = /
exec_prefix = /
bindir = /bin
libdir = /lib
includedir = /include
syslibdir = /lib
CC = clang
AR = llvm-ar-14
RANLIB = llvm-ranlib-14
ARCH = wasm32
SUBARCH =
ASMSUBARCH =
CFLAGS_AUTO = ${CFLAGS[*]}
CFLAGS_C99FSE = -std=c99 -nostdinc -ffreestanding
CFLAGS_MEMOPS =
CFLAGS_NOSSP = -fno-stack-protector
CPPFLAGS =
LDFLAGS =
LDFLAGS_AUTO =
LIBCC =
SHARED_LIBS =
ALL_TOOLS =
TOOL_LIBS =
MAK
for tool in llvm-ar-14 llvm-ranlib-14; do
    command -v $tool >/dev/null 2>&1 || sed -i "s/$tool/${tool%-14}/" "$BUILD/config.mak"
done
JOBS=$(nproc 2>/dev/null || echo 2)
make -C "$BUILD" -s -j"$JOBS" lib/libc.a lib/crt1.o >&2

rm -rf "$SYSROOT.tmp"
mkdir -p "$SYSROOT.tmp/lib"
make -C "$BUILD" -s DESTDIR="$SYSROOT.tmp" install-headers >&2
cp "$BUILD/lib/libc.a" "$BUILD/lib/crt1.o" "$SYSROOT.tmp/lib/"
if [[ $UAPI_VERSION != none ]]; then
    cp -r "$UAPI/linux" "$UAPI/asm-generic" "$SYSROOT.tmp/include/"
    cp -r "$UAPI_ASM" "$SYSROOT.tmp/include/asm"
else
    echo "build-sysroot.sh: no Linux API headers (linux-libc-dev): <linux/*.h> will be missing" >&2
fi
# No dynamic loading: without musl's run-time stubs, a program that calls dlopen or dlsym fails
# to link ("undefined symbol: dlopen") instead of failing when it runs.
AR=$(awk '/^AR =/ {print $3}' "$BUILD/config.mak")
"$AR" d "$SYSROOT.tmp/lib/libc.a" dlopen.o dlsym.o
# the other names programs and build systems link against are all in libc.a
for lib in m pthread rt dl util xnet crypt resolv; do
    "$AR" rc "$SYSROOT.tmp/lib/lib$lib.a"
done
touch "$SYSROOT.tmp/.complete"
rm -rf "$SYSROOT"
mv "$SYSROOT.tmp" "$SYSROOT"
if [[ -n ${NOJIT_TOOLCHAIN_CACHE:-} ]]; then
    mkdir -p "$NOJIT_TOOLCHAIN_CACHE"
    cp -a "$SYSROOT" "$NOJIT_TOOLCHAIN_CACHE/" 2>/dev/null || true
fi
echo "build-sysroot.sh: built in $((SECONDS - START)) s" >&2
echo "$SYSROOT"
