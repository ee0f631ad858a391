#!/usr/bin/env bash
# Builds CPython 3.11 from Debian's source package python3.11 for WASI preview 1 (nojit's
# fallback personality for Python; the image's python is the WALI build, docs/python-wasi.md):
#
#   toolchain/userland/python-wasi/build.sh     prints the output directory:
#       bin/python.wasm        the interpreter (static, debug sections stripped)
#       lib/python3.11/        the standard library (Lib/ and this build's sysconfig data, as
#                              `make install` lays it out under --prefix=/usr/local), with .pyc
#                              files (unchecked-hash)
#
# CPython's own Tools/wasm/config.site-wasm32-wasi with --host=wasm32-unknown-wasi, clang
# --target=wasm32-wasi and Debian's wasi-libc through a private --sysroot (lib.sh, --wasi),
# --with-build-python=/usr/bin/python3.11 (the build python must be the very same version).
# zlib (Debian's source package zlib) and SQLite (the amalgamation guests/sqlite/build.sh
# fetches) are compiled with the same clang into static libraries and linked in, so zlib, gzip,
# zipfile's compression and sqlite3 work. Left out, for want of threads, dlopen or the library
# in wasi-libc: _ctypes, _ssl, _hashlib, _bz2, _lzma, readline, curses, _dbm, _gdbm, _uuid,
# _tkinter. Cold: 700 s here (fetching included; 2 cores shared with other builds, load about 9;
# CONFORMANCE.md measured about 6 minutes on a quiet machine); cached by content hash.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
BUILD_PYTHON=/usr/bin/python3.11
ZLIB=(zlib 1:1.2.13.dfsg-1 zlib_1.2.13.dfsg.orig.tar.bz2 71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1)
UL_KEY_EXTRA="${ZLIB[*]}; $(bash "$REPO/guests/sqlite/build.sh" --pin)"
source "$HERE/../lib.sh"
userland_begin python-wasi python3.11 3.11.2-6+deb12u8 python3.11_3.11.2.orig.tar.gz \
    2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849 --wasi

version=$("$BUILD_PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)
if [[ $version != 3.11.2 ]]; then
    echo "python-wasi: $BUILD_PYTHON must be Python 3.11.2, the version built here (found '${version:-nothing}'; Debian's package python3.11)" >&2
    exit 2
fi
SRC=$(userland_source)
CC=$(userland_cc)
DEPS="$TOOLCHAIN_TARGET/build/python-wasi-deps"
rm -rf "$DEPS"
mkdir -p "$DEPS/zlib" "$DEPS/sqlite" "$DEPS/no-pkgconfig"

# SQLite: the options of guests/sqlite/build.sh (no threads, no extension loading, no WAL);
# compiled in the background while zlib compiles.
SQLITE_SRC=$(bash "$REPO/guests/sqlite/build.sh" --source "$TOOLCHAIN_TARGET/fetch-sqlite" | tail -1)
(
    $CC -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_DEFAULT_MEMSTATUS=0 \
        -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS \
        -c "$SQLITE_SRC/sqlite3.c" -o "$DEPS/sqlite/sqlite3.o"
    llvm-ar-14 rcs "$DEPS/sqlite/libsqlite3.a" "$DEPS/sqlite/sqlite3.o"
) >&2 &
sqlite_job=$!

# zlib: its library sources compiled directly (its configure script only picks these flags).
ZSRC="$(userland_fetch "${ZLIB[@]}")/download/src"
for c in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil; do
    $CC -O2 -DHAVE_UNISTD_H -DHAVE_STDARG_H -I"$ZSRC" -c "$ZSRC/$c.c" -o "$DEPS/zlib/$c.o"
done
llvm-ar-14 rcs "$DEPS/zlib/libz.a" "$DEPS/zlib"/*.o
cp "$ZSRC/zlib.h" "$ZSRC/zconf.h" "$DEPS/zlib/"
wait "$sqlite_job" || { echo "python-wasi: compiling SQLite failed" >&2; exit 1; }

# PKG_CONFIG_LIBDIR points at an empty directory so that no host library is found through
# pkg-config; the two libraries above are named explicitly.
(
    cd "$SRC"
    CONFIG_SITE="$SRC/Tools/wasm/config.site-wasm32-wasi" PKG_CONFIG_LIBDIR="$DEPS/no-pkgconfig" PKG_CONFIG_PATH= \
        ./configure -q --host=wasm32-unknown-wasi --build=x86_64-pc-linux-gnu \
        --with-build-python="$BUILD_PYTHON" --prefix=/usr/local --without-ensurepip \
        CC="$CC" AR=llvm-ar-14 RANLIB=llvm-ranlib-14 \
        ZLIB_CFLAGS="-I$DEPS/zlib" ZLIB_LIBS="-L$DEPS/zlib -lz" \
        LIBSQLITE3_CFLAGS="-I$SQLITE_SRC" LIBSQLITE3_LIBS="-L$DEPS/sqlite -lsqlite3 -lwasi-emulated-mman"
    make -j2
) >&2

# The image's layout of `make install` under --prefix=/usr/local, without its three rounds of
# timestamp-checked .pyc: Lib/ and the sysconfig data of this build.
llvm-strip-14 --strip-debug -o "$OUT.tmp/bin/python.wasm" "$SRC/python.wasm"
STDLIB="$OUT.tmp/lib/python3.11"
mkdir -p "$OUT.tmp/lib"
cp -a "$SRC/Lib" "$STDLIB"
find "$STDLIB" -name __pycache__ -prune -exec rm -rf {} +
cp "$SRC/$(cat "$SRC/pybuilddir.txt")"/_sysconfigdata_*.py "$STDLIB/"
# Empty (every module is linked in), but it is the landmark by which the interpreter finds its
# exec_prefix; without it every start warns "Could not find platform dependent libraries".
mkdir -p "$STDLIB/lib-dynload"
# .pyc checked by a hash they never verify (the image is read-only and signed), which halves
# import time under the interpreter; the excluded files are CPython's own list (deliberately
# broken test inputs).
"$BUILD_PYTHON" -Wi -m compileall -q -j2 --invalidation-mode unchecked-hash -d /usr/local/lib/python3.11 \
    -x 'bad_coding|badsyntax|site-packages|lib2to3/tests/data' "$STDLIB" >&2
userland_finish
