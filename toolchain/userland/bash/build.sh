#!/usr/bin/env bash
# GNU bash 5.2 from Debian's source package (bash 5.2.15-2), built with nojit-cc into a WALI
# module, or with the host's gcc (--native) from the same source and options, for comparing
# bash's own test suite (conformance.sh). See docs/toolchain.md, section "bash".
#
#   toolchain/userland/bash/build.sh [--native]     prints the output directory: bin/bash, and
#                                                   tests/, tests-build/, test-bin/ for conformance.sh
#
# Configure: --host=wasm32-unknown-linux-musl with CONFIG_SITE set to toolchain/nojit-config.site
# (the general answers a cross-configure cannot probe for nojit-cc) followed by cross.site here
# (bash's own bash_cv_* tests, answered for musl on the vkernel). bash's helper programs
# (mkbuiltins, mksyntax, bashversion, ...) are built with CC_FOR_BUILD, the host's gcc.
# The native build passes the same options (and cross.site's answers are not used: it probes).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin bash bash 5.2.15-2 bash_5.2.15.orig.tar.gz \
    7a315bc0e9d90713159e4390ec1096a41e4f33cd8cc3d1a749a8e5ad56600f51 "$@"
SRC=$(userland_source)
HERE=$(cd "$(dirname "$0")" && pwd)

# Options shared by both builds: no bash malloc (musl's), no NLS, bash's own readline and
# termcap (no curses library in the sysroot; the native build is told the same), no loadable
# builtins (-rdynamic is left out: LOCAL_LDFLAGS below); nojit-cc links statically anyway.
opts=(--without-bash-malloc --disable-nls --without-installed-readline
      --prefix=/usr --disable-rpath)
# bash 5.2's shipped configure inverts its strtoimax test (m4/strtoimax.m4 is right): it adds
# lib/sh/strtoimax.o exactly when the C library has strtoimax, a duplicate symbol in a static
# link. The cached answer "no" skips the test and with it that replacement.
cache=(bash_cv_termcap_lib=gnutermcap bash_cv_func_strtoimax=no)
cflags=-O2
if [[ $MODE == wasm ]]; then
    # A wasm function has one signature: crt1 calls main(argc, argv), and bash's
    # main(argc, argv, env) would link to a trap stub. bash's own switch for systems without
    # main's third argument reads `environ` instead.
    cflags+=" -DNO_MAIN_ENV_ARG"
    export CONFIG_SITE="$TOOLCHAIN_DIR/nojit-config.site $HERE/cross.site"
    opts+=(--host=wasm32-unknown-linux-musl --build="$(gcc -dumpmachine)")
    export CC_FOR_BUILD=gcc
fi
(
    cd "$SRC"
    CC=$(userland_cc) CFLAGS="$cflags" ./configure "${opts[@]}" "${cache[@]}" >configure.out 2>&1 \
        || { tail -30 configure.out >&2; exit 1; }
    grep -i 'warning' configure.out >&2 || true
    make -j2 LOCAL_LDFLAGS= bash >make.out 2>&1 || { tail -40 make.out >&2; exit 1; }
    # wasm-ld only warns when a call's signature does not match its callee (and links a trap).
    if grep 'signature mismatch' make.out >&2; then exit 1; fi
) >&2
cp "$SRC/bash" "$OUT.tmp/bin/bash"
# For conformance.sh: bash's test directory and its helper programs (recho, zecho, printenv,
# xcase), built here for the target rather than with CC_FOR_BUILD as `make tests` would.
cp -a "$SRC/tests" "$OUT.tmp/tests"
mkdir -p "$OUT.tmp/tests-build" # what heredoc5.sub reads from BUILD_DIR
cp "$SRC/config.h" "$SRC/version.h" "$SRC/y.tab.c" "$OUT.tmp/tests-build/"
mkdir -p "$OUT.tmp/test-bin"
for t in recho zecho printenv xcase; do
    "$(userland_cc)" -O2 -DHAVE_CONFIG_H -I"$SRC" -I"$SRC/include" -I"$SRC/lib" \
        -o "$OUT.tmp/test-bin/$t" "$SRC/support/$t.c" >&2
done
userland_finish
