#!/usr/bin/env bash
# Builds the SQLite test program: SQLite itself (a real C program no one here wrote) with
# nojit's own driver (sqlite-driver.c), to wasm32-wasi for the vkernel and natively with gcc for
# comparison. SQLite's amalgamation comes through a package registry at build time: the npm
# package better-sqlite3 ships it (deps/sqlite3/sqlite3.c). The tarball is pinned by version and
# by the registry's SHA-512 integrity, checked before anything is extracted; nothing fetched is
# committed.
#
#   guests/sqlite/build.sh OUTDIR      → OUTDIR/sqlite-driver.wasm, OUTDIR/sqlite-driver (native)
#
# Each output is rebuilt only when missing or older than this script or the driver (the wasm
# compile takes about 35 s on 2 cores). A failed download fails the build with one line.
set -euo pipefail
export LC_ALL=C
VERSION=12.5.0
INTEGRITY=sha512-WwCZ/5Diz7rsF29o27o0Gcc1Du+l7Zsv7SYtVPG0X3G/uUI1LqdxrQI7c9Hs2FWpqXXERjW9hp6g3/tH7DlVKg==
URL="https://registry.npmjs.org/better-sqlite3/-/better-sqlite3-$VERSION.tgz"

if [[ $# -ne 1 ]]; then echo "usage: $0 OUTDIR" >&2; exit 2; fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/build.sh"
DRIVER="$HERE/sqlite-driver.c"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
WASM="$OUT/sqlite-driver.wasm"
NATIVE="$OUT/sqlite-driver"

fresh() { [[ -f $1 && $1 -nt $SELF && $1 -nt $DRIVER ]]; }
if fresh "$WASM" && fresh "$NATIVE"; then exit 0; fi

SRC="$OUT/src-$VERSION"
if [[ ! -f $SRC/sqlite3.c ]]; then
    tgz="$OUT/better-sqlite3-$VERSION.tgz"
    if [[ ! -f $tgz ]]; then
        echo "sqlite: fetching $URL" >&2
        if ! curl -fsSL --retry 3 --max-time 300 -o "$tgz.part" "$URL"; then
            rm -f "$tgz.part"
            echo "sqlite: cannot download $URL (the npm registry must be reachable to build the SQLite test program)" >&2
            exit 1
        fi
        mv "$tgz.part" "$tgz"
    fi
    actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    if [[ $actual != "$INTEGRITY" ]]; then
        rm -f "$tgz"
        echo "sqlite: $URL does not match its pinned integrity ($actual)" >&2
        exit 1
    fi
    rm -rf "$SRC.tmp" && mkdir -p "$SRC.tmp"
    tar -xzf "$tgz" -C "$SRC.tmp" --strip-components=3 package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
    rm -rf "$SRC" && mv "$SRC.tmp" "$SRC"
fi

# Options: no threads, no extension loading (it would need dlopen), no WAL (it needs shared memory);
# wasi-libc's emulated mmap and getpid stand in for what SQLite asks of the OS.
DEFS=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_DEFAULT_MEMSTATUS=0)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if ! fresh "$WASM"; then
    echo "sqlite: compiling sqlite-driver.wasm (wasm32-wasi, about 35 s)" >&2
    clang --target=wasm32-wasi -O2 "${DEFS[@]}" -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS \
        -I"$SRC" -c "$SRC/sqlite3.c" -o "$TMP/sqlite3.o"
    clang --target=wasm32-wasi -O2 -Wall -Wextra -I"$SRC" -c "$DRIVER" -o "$TMP/driver.o"
    # Linked without -O so that clang does not run binaryen's wasm-opt (see guests/build.sh).
    clang --target=wasm32-wasi -Wl,--strip-debug -Wl,-z,stack-size=1048576 "$TMP/driver.o" "$TMP/sqlite3.o" \
        -lwasi-emulated-mman -lwasi-emulated-getpid -lwasi-emulated-process-clocks -o "$TMP/sqlite-driver.wasm"
    mv -f "$TMP/sqlite-driver.wasm" "$WASM"
fi
if ! fresh "$NATIVE"; then
    echo "sqlite: compiling the native twin (gcc)" >&2
    gcc -O1 "${DEFS[@]}" -I"$SRC" "$DRIVER" "$SRC/sqlite3.c" -o "$TMP/sqlite-driver" -lm
    mv -f "$TMP/sqlite-driver" "$NATIVE"
fi
echo "sqlite: $WASM ($(wc -c <"$WASM") bytes), $NATIVE" >&2
