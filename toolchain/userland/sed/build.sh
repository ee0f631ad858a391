#!/usr/bin/env bash
# A second autotools proof, larger than hello: GNU sed from Debian's source package, built by
# its own gnulib-heavy configure and make with nojit-cc:
#
#   toolchain/userland/sed/build.sh [--native]     prints the output directory (bin/sed)
#
# --disable-nls (no message catalogues in an image) and --without-selinux (no libselinux for
# wasm32); the archiver is LLVM's (wasm-ld needs its archive index), given on the configure
# command line. CONFIG_SITE is toolchain/nojit-config.site when the tree has it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin sed sed 4.9-1+deb12u1 sed_4.9.orig.tar.xz \
    6e226b732e1cd739464ad6862bd1a1aba42d7982922da7a53519631d24975181 "$@"
SRC=$(userland_source)
cd "$SRC"
if [[ $MODE == wasm ]]; then
    [[ ! -f $TOOLCHAIN_DIR/nojit-config.site ]] || export CONFIG_SITE=$TOOLCHAIN_DIR/nojit-config.site
    CC=$(userland_cc) ./configure --host=wasm32-unknown-linux-musl --disable-nls --without-selinux \
        AR=llvm-ar-14 RANLIB=llvm-ranlib-14 >&2
else
    CC=$(userland_cc) ./configure --disable-nls --without-selinux >&2
fi
make -j2 >&2
cp sed/sed "$OUT.tmp/bin/"
userland_finish
