#!/usr/bin/env bash
# BusyBox 1.35 from Debian's source package, as one WALI module (see docs/toolchain.md, "BusyBox").
#
#   toolchain/userland/busybox/build.sh            nojit-cc build: bin/busybox is the wasm module
#   toolchain/userland/busybox/build.sh --native   the same source and configuration with gcc
#
# Output (last line of stdout): a directory with bin/busybox, bin/applets (the applets built, one
# name a line: busybox dispatches on argv[0], so each is the same module under another name) and
# .config (the full configuration, which the test suite reads) and testsuite/ (BusyBox's own, for
# conformance.sh).
# Configuration: `make allnoconfig`, then exactly the options of busybox.config, then
# `make oldconfig`; an option of busybox.config that does not survive is an error.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin busybox busybox "1:1.35.0-4+deb12u1" busybox_1.35.0.orig.tar.bz2 \
    faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694 "$@"
SRC=$(userland_source)
FRAGMENT="$USERLAND_LIB_DIR/busybox/busybox.config"
cd "$SRC"

make -s allnoconfig >/dev/null
grep '^CONFIG_' "$FRAGMENT" >.config.fragment
# Drop every line allnoconfig wrote for an option the fragment sets, then append the fragment.
awk 'NR == FNR { sub(/=.*/, ""); want[$0] = 1; next }
    { k = ""; if ($0 ~ /^# CONFIG_.* is not set$/) k = $2; else if ($0 ~ /^CONFIG_/) { k = $0; sub(/=.*/, "", k) } }
    !(k in want)' .config.fragment .config >.config.new
cat .config.fragment >>.config.new
mv .config.new .config
{ yes "" || true; } | make -s oldconfig >/dev/null
lost=$(grep -vxF -f .config .config.fragment || true)
if [[ -n $lost ]]; then
    echo "busybox: configuration options that did not survive make oldconfig:" >&2
    echo "$lost" >&2
    exit 1
fi

JOBS=${NOJIT_BUILD_JOBS:-2}
if [[ $MODE == wasm ]]; then
    # LD: busybox links each directory with `$(LD) -r`; clang for wasm32 hands that to wasm-ld.
    # --undefined: BusyBox's main lives in libbb/lib.a, and crt1.o's reference to it is weak
    # (so that both main signatures link), which does not pull an archive member by itself.
    make -s -j"$JOBS" CC="$(userland_cc)" HOSTCC=gcc LD="clang --target=wasm32-unknown-unknown" \
        AR=llvm-ar NM=llvm-nm STRIP=llvm-strip SKIP_STRIP=y \
        LDFLAGS="-Wl,--undefined=__main_argc_argv" busybox >&2
    cp busybox_unstripped "$OUT.tmp/bin/busybox"
else
    make -s -j"$JOBS" CC=gcc HOSTCC=gcc busybox >&2
    cp busybox "$OUT.tmp/bin/busybox"
fi
make -s busybox.links >/dev/null
sed 's|.*/||' busybox.links | sort -u >"$OUT.tmp/bin/applets"
cp .config "$OUT.tmp/.config"
cp -R testsuite "$OUT.tmp/testsuite" # the same source's test suite, for conformance.sh
userland_finish
