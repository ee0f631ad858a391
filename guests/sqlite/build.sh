#!/usr/bin/env bash
# Builds the SQLite test program: SQLite itself (a real C program no one here wrote) with
# nojit's own driver (sqlite-driver.c), to wasm32-wasi for the vkernel and natively with gcc for
# comparison. SQLite's amalgamation comes through a package registry at build time: the npm
# package better-sqlite3 ships it (deps/sqlite3/sqlite3.c), fetched by name with npm's own client
# (`npm pack NAME@VERSION`). The tarball is pinned by version and by its SHA-512 integrity, checked
# here before anything is extracted; nothing fetched is committed.
#
#   guests/sqlite/build.sh OUTDIR      → OUTDIR/sqlite-driver.wasm, OUTDIR/sqlite-driver (native)
#   guests/sqlite/build.sh --source DIR  fetches only; prints the directory holding sqlite3.c and
#                                      sqlite3.h (other builds link SQLite: toolchain/userland/python, python-wasi)
#   guests/sqlite/build.sh --pin       prints the pinned package and integrity (for cache keys)
#
# Each output is rebuilt only when missing or older than this script or the driver (the wasm
# compile takes about 50 s on 2 cores). A failed download fails the build with one line.
set -euo pipefail
export LC_ALL=C
VERSION=12.5.0
INTEGRITY=sha512-WwCZ/5Diz7rsF29o27o0Gcc1Du+l7Zsv7SYtVPG0X3G/uUI1LqdxrQI7c9Hs2FWpqXXERjW9hp6g3/tH7DlVKg==
PACKAGE="better-sqlite3@$VERSION"

if [[ ${1:-} == --pin && $# -eq 1 ]]; then echo "$PACKAGE $INTEGRITY"; exit 0; fi
SOURCE_ONLY=
if [[ ${1:-} == --source && $# -eq 2 ]]; then SOURCE_ONLY=1; shift; fi
if [[ $# -ne 1 ]]; then echo "usage: $0 OUTDIR | --source DIR | --pin" >&2; exit 2; fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/build.sh"
DRIVER="$HERE/sqlite-driver.c"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
WASM="$OUT/sqlite-driver.wasm"
NATIVE="$OUT/sqlite-driver"

fresh() { [[ -f $1 && $1 -nt $SELF && $1 -nt $DRIVER ]]; }
if [[ -z $SOURCE_ONLY ]] && fresh "$WASM" && fresh "$NATIVE"; then exit 0; fi

# Fetches the package tarball into directory $1 with npm (the registry as npm is set up here);
# one line on stderr and status 1 when it cannot.
download() {
    local why
    if ! command -v npm >/dev/null 2>&1; then
        why="npm is not installed"
    else
        why=$(cd "$1" && npm pack "$PACKAGE" --pack-destination "$1" --silent 2>&1 >/dev/null) && return 0
    fi
    echo "sqlite: cannot fetch $PACKAGE ($(echo "$why" | head -1)); the npm registry must be reachable to build the SQLite test program" >&2
    return 1
}

# npm's integrity is base64 of the SHA-512 digest; coreutils decode it to sha512sum's hex.
expected_sha512() { base64 -d <<<"${INTEGRITY#sha512-}" | od -An -v -tx1 | tr -d ' \n'; }

SRC="$OUT/src-$VERSION"
if [[ ! -f $SRC/sqlite3.c ]]; then
    tgz="$OUT/better-sqlite3-$VERSION.tgz"
    if [[ ! -f $tgz ]]; then
        echo "sqlite: fetching $PACKAGE with npm pack" >&2
        part=$(mktemp -d "$OUT/pack.XXXXXX")
        download "$part" || { rm -rf "$part"; exit 1; }
        mv "$part/better-sqlite3-$VERSION.tgz" "$tgz" && rm -rf "$part"
    fi
    actual=$(sha512sum "$tgz" | cut -d' ' -f1)
    if [[ $actual != "$(expected_sha512)" ]]; then
        rm -f "$tgz"
        echo "sqlite: $PACKAGE does not match its pinned integrity $INTEGRITY (got SHA-512 $actual)" >&2
        exit 1
    fi
    rm -rf "$SRC.tmp" && mkdir -p "$SRC.tmp"
    tar -xzf "$tgz" -C "$SRC.tmp" --strip-components=3 package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
    rm -rf "$SRC" && mv "$SRC.tmp" "$SRC"
fi
if [[ -n $SOURCE_ONLY ]]; then echo "$SRC"; exit 0; fi

# Options: no threads, no extension loading (it would need dlopen), no WAL (it needs shared memory);
# wasi-libc's emulated mmap and getpid stand in for what SQLite asks of the OS.
DEFS=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_DEFAULT_MEMSTATUS=0)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The two compiles run side by side: the wasm one takes about 50 s on this kind of machine, the
# native one (at -O0: its speed does not matter, only its output) about 5 s.
build_wasm() {
    clang --target=wasm32-wasi -O2 "${DEFS[@]}" -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS \
        -I"$SRC" -c "$SRC/sqlite3.c" -o "$TMP/sqlite3.o"
    clang --target=wasm32-wasi -O2 -Wall -Wextra -I"$SRC" -c "$DRIVER" -o "$TMP/driver.o"
    # Linked without -O so that clang does not run binaryen's wasm-opt (see guests/build.sh).
    clang --target=wasm32-wasi -Wl,--strip-debug -Wl,-z,stack-size=1048576 "$TMP/driver.o" "$TMP/sqlite3.o" \
        -lwasi-emulated-mman -lwasi-emulated-getpid -lwasi-emulated-process-clocks -o "$TMP/sqlite-driver.wasm"
    mv -f "$TMP/sqlite-driver.wasm" "$WASM"
}
build_native() {
    gcc -O0 -Wall -Wextra "${DEFS[@]}" -I"$SRC" -c "$DRIVER" -o "$TMP/driver-native.o"
    gcc -O0 "${DEFS[@]}" -I"$SRC" -c "$SRC/sqlite3.c" -o "$TMP/sqlite3-native.o"
    gcc "$TMP/driver-native.o" "$TMP/sqlite3-native.o" -o "$TMP/sqlite-driver" -lm
    mv -f "$TMP/sqlite-driver" "$NATIVE"
}
start=$SECONDS
jobs=()
if ! fresh "$WASM"; then
    echo "sqlite: compiling sqlite-driver.wasm (wasm32-wasi, about 50 s)" >&2
    build_wasm & jobs+=($!)
fi
if ! fresh "$NATIVE"; then
    echo "sqlite: compiling its native twin (gcc)" >&2
    build_native & jobs+=($!)
fi
for job in "${jobs[@]}"; do
    wait "$job" || { kill "${jobs[@]}" 2>/dev/null; echo "sqlite: compiling failed (see above)" >&2; exit 1; }
done
echo "sqlite: $WASM ($(wc -c <"$WASM") bytes), $NATIVE, in $((SECONDS - start)) s" >&2
