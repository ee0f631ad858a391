#!/usr/bin/env bash
# Builds Lua 5.4 from Debian's source package lua5.4 with nojit-cc (a static WALI module), or
# with gcc for --native (for comparing the test suites; never part of an image):
#
#   toolchain/userland/lua/build.sh [--native]     prints the output directory (bin/lua, bin/luac)
#
# Lua's own makefile, target `posix`: LUA_USE_POSIX (mkstemp, popen, fseeko) without
# LUA_USE_DLOPEN (so `require` finds only Lua files; the C searchers say dynamic libraries are
# not enabled) and without readline; linked statically. Debian's source package replaces that
# makefile with a libtool one for its shared library (debian/patches/0001-build-system.patch);
# this script takes that one patch back out and keeps Debian's others (module paths, two CVE
# fixes). patches/ adds the AT_EXECVE_CHECK hook to luaL_loadfilex (dofile, loadfile, require
# and the script operand all load files through it).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin lua lua5.4 5.4.4-3+deb12u1 lua5.4_5.4.4.orig.tar.gz \
    164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61 "$@"
SRC=$(userland_source)
patch -s -R -p1 -d "$SRC" <"$SRC/debian/patches/0001-build-system.patch" >&2
if [[ $MODE == wasm ]]; then
    CC="$(userland_cc) -std=gnu99" AR="llvm-ar-14 rcu" RANLIB=llvm-ranlib-14 LDSTATIC=
    MULTIARCH=wasm32-linux-musl
else
    CC="gcc -std=gnu99" AR="ar rcu" RANLIB=ranlib LDSTATIC=-static
    MULTIARCH=$(gcc -dumpmachine)
fi
# Debian's luaconf.h (0002-lua-modules-paths.patch) names the multiarch directory in the C
# module path; debian/rules writes this header.
printf '#ifndef _LUA_DEB_MULTIARCH_\n#define _LUA_DEB_MULTIARCH_\n#define DEB_HOST_MULTIARCH "%s"\n#endif\n' \
    "$MULTIARCH" >"$SRC/src/lua5.4-deb-multiarch.h"
make -C "$SRC/src" -j2 posix CC="$CC" AR="$AR" RANLIB="$RANLIB" MYLDFLAGS="$LDSTATIC" >&2
cp "$SRC/src/lua" "$SRC/src/luac" "$OUT.tmp/bin/"
userland_finish
