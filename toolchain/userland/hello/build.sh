#!/usr/bin/env bash
# The autotools proof: GNU hello from Debian's source package, built the way a user builds
# their own program, with its own configure and make:
#
#   CONFIG_SITE=... CC=nojit-cc ./configure --host=wasm32-unknown-linux-musl && make
#
#   toolchain/userland/hello/build.sh [--native]     prints the output directory (bin/hello)
#
# CONFIG_SITE is toolchain/nojit-config.site (when present) followed by config.site-extra
# here (the archiver). --native is plain `./configure && make` with gcc, for comparison.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin hello hello 2.10-3 hello_2.10.orig.tar.gz \
    31e066137a962676e89f69d1b65382de95a7ef7d914b8cb956f41ea72e0f516b "$@"
SRC=$(userland_source)
cd "$SRC"
if [[ $MODE == wasm ]]; then
    site="$SRC/nojit.config.site"
    : >"$site"
    [[ ! -f $TOOLCHAIN_DIR/nojit-config.site ]] || cat "$TOOLCHAIN_DIR/nojit-config.site" >>"$site"
    cat "$USERLAND_LIB_DIR/hello/config.site-extra" >>"$site"
    CONFIG_SITE=$site CC=$(userland_cc) ./configure --host=wasm32-unknown-linux-musl >&2
else
    CC=$(userland_cc) ./configure >&2
fi
make -j2 >&2
cp hello "$OUT.tmp/bin/"
userland_finish
