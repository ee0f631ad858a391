#!/usr/bin/env bash
# CPython 3.11 from Debian's source package python3.11, built with nojit-cc into one static WALI
# module with zlib (Debian's zlib, same compiler) and SQLite (the amalgamation
# guests/sqlite/build.sh fetches) linked in. See docs/python.md.
#
#   toolchain/userland/python/build.sh     prints the output directory:
#       bin/python3.11               the interpreter (WALI module)
#       lib/python311.zip            the shipped standard library, .pyc only (unchecked-hash)
#       lib/python3.11/              the same library as a directory of .py files
#       lib-test/python3.11/test/    CPython's regression tests (not shipped; for the suite run)
#
# There is no --native build: the native twin is Debian's own /usr/bin/python3.11 (the same
# source and version), which is also the build python a cross build needs.
#
# Configure: --host=wasm32-unknown-linux-musl, CONFIG_SITE=toolchain/nojit-config.site, plus the
# CPython-specific answers below. Static: no libpython.so, no dlopen (dynload_stub), every
# extension module that builds is linked into the interpreter (MODULE_BUILDTYPE=static, as
# CPython does for its own wasm targets). Threads: the pthread API links (musl), but
# pthread_create fails with EAGAIN at run time, so threading.Thread.start raises RuntimeError.
# Left out (no library in the sysroot, so configure marks them missing): _ctypes (libffi,
# dlopen), _ssl/_hashlib (OpenSSL), _bz2, _lzma, _dbm/_gdbm, readline, _curses, _tkinter, _uuid.
set -euo pipefail
if [[ ${1:-} == --native ]]; then
    echo "python: no --native build: the native twin is Debian's /usr/bin/python3.11" >&2
    exit 2
fi
BUILD_PYTHON=/usr/bin/python3.11
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$TOOLCHAIN_DIR/.." && pwd)
# The SQLite amalgamation's pin lives in guests/sqlite/build.sh (its fetcher). The cache key
# covers only this directory, so the pin is repeated here and must match.
SQLITE_VERSION=12.5.0
grep -qx "VERSION=$SQLITE_VERSION" "$REPO/guests/sqlite/build.sh" \
    || { echo "python: guests/sqlite/build.sh no longer pins $SQLITE_VERSION; update SQLITE_VERSION here" >&2; exit 1; }
# zlib: Debian's source package, pinned like the main one.
ZLIB_VERSION=1:1.2.13.dfsg-1
ZLIB_ORIG=zlib_1.2.13.dfsg.orig.tar.bz2
ZLIB_ORIG_SHA256=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
[[ -x $BUILD_PYTHON ]] && "$BUILD_PYTHON" -c 'import sys; sys.exit(sys.version_info[:3] != (3, 11, 2))' \
    || { echo "python: $BUILD_PYTHON (CPython 3.11.2, Debian's python3.11) is needed as the build python" >&2; exit 1; }

userland_begin python python3.11 3.11.2-6+deb12u8 python3.11_3.11.2.orig.tar.gz \
    2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
SRC=$(userland_source)

# Debian's patches: all kept but one. sysconfigdata-name.diff renames _sysconfigdata to
# Debian's scheme in Lib/sysconfig.py and in configure.ac; the shipped configure is not
# regenerated here (debian/rules runs autoreconf), so the build would write the upstream name
# and the interpreter look for Debian's: sysconfig.get_config_vars() would fail.
patch -s -R -p1 -d "$SRC" <"$SRC/debian/patches/sysconfigdata-name.diff" >&2
DEPS="$SRC/nojit-deps"
mkdir -p "$DEPS/include" "$DEPS/lib"

# zlib with nojit-cc: its own configure (not autoconf), the static library only.
build_zlib() {
    local fetch="$TOOLCHAIN_TARGET/fetch-zlib-$ZLIB_VERSION"
    if [[ ! -f $fetch/.complete ]]; then
        "$TOOLCHAIN_DIR/fetch-source.sh" "$fetch" "zlib=$ZLIB_VERSION" >/dev/null
        [[ $(sha256sum "$fetch/download/$ZLIB_ORIG" | cut -d' ' -f1) == "$ZLIB_ORIG_SHA256" ]] \
            || { echo "python: $ZLIB_ORIG does not have SHA-256 $ZLIB_ORIG_SHA256" >&2; return 1; }
        touch "$fetch/.complete"
    fi
    cp -a "$fetch/download/src" "$DEPS/zlib-src"
    (cd "$DEPS/zlib-src" && CC=$NOJIT_CC AR=llvm-ar RANLIB=llvm-ranlib CFLAGS=-O2 ./configure --static \
        && make -j1 libz.a) >"$DEPS/zlib.log" 2>&1 || { tail -20 "$DEPS/zlib.log" >&2; return 1; }
    cp "$DEPS/zlib-src/zlib.h" "$DEPS/zlib-src/zconf.h" "$DEPS/include/"
    cp "$DEPS/zlib-src/libz.a" "$DEPS/lib/"
}
# SQLite: single-threaded (no mutexes), no extension loading (dlopen).
build_sqlite() {
    local sq
    sq=$(bash "$REPO/guests/sqlite/build.sh" --source "$TOOLCHAIN_TARGET/sqlite" | tail -1)
    "$NOJIT_CC" -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -c "$sq/sqlite3.c" \
        -o "$DEPS/sqlite3.o" >&2
    llvm-ar rcs "$DEPS/lib/libsqlite3.a" "$DEPS/sqlite3.o"
    cp "$sq/sqlite3.h" "$DEPS/include/"
}
build_zlib & zpid=$!
build_sqlite & spid=$!
wait $zpid || exit 1
wait $spid || exit 1

# configure's run-time tests, answered for musl on the vkernel (general answers are in
# nojit-config.site). No pty device; getaddrinfo is musl's; pthread functions link without
# flags (nojit-cc refuses -pthread); there is no dlopen (also said by nojit-config.site).
cache=(ac_cv_file__dev_ptmx=no ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no
       ac_cv_pthread_is_default=yes ac_cv_pthread=no ac_cv_kthread=no ac_cv_kpthread=no
       ac_cv_cxx_thread=no)
(
    cd "$SRC"
    export CONFIG_SITE="$TOOLCHAIN_DIR/nojit-config.site"
    export MODULE_BUILDTYPE=static PKG_CONFIG=false
    export ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="-L$DEPS/lib -lz"
    export LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="-L$DEPS/lib -lsqlite3"
    CC=$NOJIT_CC READELF=llvm-readelf ./configure --host=wasm32-unknown-linux-musl --build=x86_64-pc-linux-gnu \
        --with-build-python="$BUILD_PYTHON" --prefix=/usr --disable-shared \
        --without-ensurepip --with-pymalloc --without-readline "${cache[@]}" \
        >configure.out 2>&1 || { tail -30 configure.out >&2; exit 1; }
    # Linux builds take the extension modules from setup.py as shared libraries; CPython's
    # own wasm targets read Modules/Setup.stdlib (static) instead, and so does this build.
    cp Modules/Setup.stdlib Modules/Setup.local
    # build_wasm: the interpreter without setup.py's shared modules. -O2 without -g (CPython's
    # default OPT has -g -O3: ten times the size for nothing the vkernel reads).
    make -j2 OPT='-DNDEBUG -fwrapv -O2 -Wall' LDFLAGS_NODIST=-Wl,--strip-debug build_wasm \
        >make.out 2>&1 || { tail -40 make.out >&2; exit 1; }
    if grep 'signature mismatch' make.out >&2; then exit 1; fi
) >&2

cp "$SRC/python" "$OUT.tmp/bin/python3.11"

# The standard library: CPython's Lib/ without the test suite and what cannot run here or is
# not wanted in an image (idlelib, tkinter, turtledemo: Tk; ensurepip: bundled wheels), plus
# the build's _sysconfigdata (sysconfig reads it). Test packages nested in other packages
# (unittest/test, lib2to3/tests, ...) stay with their package.
LIBDIR="$OUT.tmp/lib/python3.11"
mkdir -p "$LIBDIR/lib-dynload" "$OUT.tmp/lib-test/python3.11"
(cd "$SRC/Lib" && tar -cf - --exclude=__pycache__ --exclude=./test --exclude=./idlelib \
    --exclude=./tkinter --exclude=./turtledemo --exclude=./ensurepip .) | tar -xf - -C "$LIBDIR"
cp "$SRC/$(cat "$SRC/pybuilddir.txt")"/_sysconfigdata_*.py "$LIBDIR/"
(cd "$SRC/Lib" && tar -cf - --exclude=__pycache__ test) | tar -xf - -C "$OUT.tmp/lib-test/python3.11"
# Compiled with the build python (the same 3.11.2, so the same magic number). unchecked-hash:
# the importer trusts the .pyc without a stat of its source (half the import time here).
compile() { "$BUILD_PYTHON" -m compileall -q -j2 --invalidation-mode unchecked-hash "$@" >&2; }
start=$SECONDS
compile -d /usr/lib/python3.11 -x 'lib2to3/tests/data' "$LIBDIR"
dir_seconds=$((SECONDS - start))
# The zip: .pyc files in place of their sources (what zipimport reads without a source), and
# every other file of the library; entries sorted and dated 1980 so equal inputs give equal bytes.
start=$SECONDS
ZIPTREE="$SRC/nojit-zip"
cp -a "$LIBDIR" "$ZIPTREE"
find "$ZIPTREE" -name __pycache__ -prune -exec rm -rf {} +
compile -b -d /usr/lib/python3.11 -x 'lib2to3/tests/data' "$ZIPTREE"
"$BUILD_PYTHON" - "$ZIPTREE" "$OUT.tmp/lib/python311.zip" <<'PY' >&2
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
names = []
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if x != 'lib-dynload']
    for f in files:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, root)
        if f.endswith('.py') and os.path.exists(p + 'c'):
            continue
        names.append(rel)
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for rel in sorted(names):
        info = zipfile.ZipInfo(rel, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(root, rel), 'rb') as f:
            z.writestr(info, f.read())
PY
zip_seconds=$((SECONDS - start))
echo "python: stdlib compiled: directory in ${dir_seconds} s, zip in ${zip_seconds} s" >&2
userland_finish
