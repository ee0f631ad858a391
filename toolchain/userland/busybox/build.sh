#!/usr/bin/env bash
# BusyBox 1.35 from Debian's source package, as two WALI modules (see docs/toolchain.md, "BusyBox").
#
#   toolchain/userland/busybox/build.sh            nojit-cc build (wasm modules)
#   toolchain/userland/busybox/build.sh --native   the same source and configurations with gcc
#
# Output (last line of stdout): a directory with bin/sh (ash, the only applet of its build),
# bin/busybox (every other applet, no shell), bin/applets (the applets of bin/busybox, one name a
# line: busybox dispatches on argv[0], so each is the same module under another name), .config
# (bin/busybox's full configuration, which the test suite reads) and testsuite/ (BusyBox's own,
# for conformance.sh).
# Configuration of each: `make allnoconfig`, then exactly the options of the sections of
# busybox.config it takes, then `make oldconfig`; an option that does not survive is an error.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
userland_begin busybox busybox "1:1.35.0-4+deb12u1" busybox_1.35.0.orig.tar.bz2 \
    faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694 "$@"
SRC=$(userland_source)
FRAGMENT="$USERLAND_LIB_DIR/busybox/busybox.config"
cd "$SRC"

# The fragment's section headers, in order; every CONFIG_ line belongs to one.
SECTIONS=("General" "The shell: ash as sh" "Applets" "Applet features")
# section NAME...: the CONFIG_ lines of the fragment's sections with these headers.
section() {
    awk -v want="$(printf '%s\n' "$@")" -v all="$(printf '%s\n' "${SECTIONS[@]}")" '
        BEGIN { n = split(want, w, "\n"); for (i = 1; i <= n; i++) keep["# " w[i]] = 1
                n = split(all, h, "\n"); for (i = 1; i <= n; i++) header["# " h[i]] = 1 }
        ($0 in header) { on = ($0 in keep); next }
        /^CONFIG_/ && on { print }
    ' "$FRAGMENT"
}
for h in "${SECTIONS[@]}"; do
    grep -qxF "# $h" "$FRAGMENT" || { echo "busybox: busybox.config lost its section \"# $h\"" >&2; exit 1; }
done

# configure FRAGMENT-LINES: `make allnoconfig`, exactly these options (CONFIG_X=… lines, or
# "# CONFIG_X is not set" to turn off what allnoconfig turned on), `make oldconfig`.
configure() {
    make -s distclean >/dev/null 2>&1 || true
    make -s allnoconfig >/dev/null
    printf '%s\n' "$1" >.config.fragment
    # Drop every line allnoconfig wrote for an option the fragment sets, then append the fragment.
    awk 'NR == FNR { if ($0 ~ /^# CONFIG_.* is not set$/) want[$2] = 1; else { sub(/=.*/, ""); want[$0] = 1 }; next }
        { k = ""; if ($0 ~ /^# CONFIG_.* is not set$/) k = $2; else if ($0 ~ /^CONFIG_/) { k = $0; sub(/=.*/, "", k) } }
        !(k in want)' .config.fragment .config >.config.new
    cat .config.fragment >>.config.new
    mv .config.new .config
    { yes "" || true; } | make -s oldconfig >/dev/null
    local lost
    lost=$(grep '^CONFIG_' .config.fragment | grep -vxF -f .config || true)
    if [[ -n $lost ]]; then
        echo "busybox: configuration options that did not survive make oldconfig:" >&2
        echo "$lost" >&2
        exit 1
    fi
}

# compile NAME: builds the configured BusyBox into $OUT.tmp/bin/NAME.
compile() {
    local jobs=${NOJIT_BUILD_JOBS:-2}
    if [[ $MODE == wasm ]]; then
        # LD: busybox links each directory with `$(LD) -r`; clang for wasm32 hands that to wasm-ld.
        # --undefined: BusyBox's main lives in libbb/lib.a, and crt1.o's reference to it is weak
        # (so that both main signatures link), which does not pull an archive member by itself.
        make -s -j"$jobs" CC="$(userland_cc)" HOSTCC=gcc LD="clang --target=wasm32-unknown-unknown" \
            AR=llvm-ar NM=llvm-nm STRIP=llvm-strip SKIP_STRIP=y \
            LDFLAGS="-Wl,--undefined=__main_argc_argv" busybox >&2
        cp busybox_unstripped "$OUT.tmp/bin/$1"
    else
        make -s -j"$jobs" CC=gcc HOSTCC=gcc busybox >&2
        cp busybox "$OUT.tmp/bin/$1"
    fi
}

# applets: the applet names of the configured build, one a line.
applets() {
    make -s busybox.links >/dev/null
    sed 's|.*/||' busybox.links | sort -u
}

# Two modules, so that the policy can tell the shell from the tools by content: an interpreter
# spec applies to a module wherever it lies, and BusyBox picks its applet from argv[0], so one
# module holding both would let `cat` be started as a shell (or subject every tool to the
# shell's spec). bin/sh is ash alone; bin/busybox every other applet and no shell at all.
configure "$(section "General" "The shell: ash as sh")"
compile sh
shell_applets=$(applets | grep -vx busybox | tr '\n' ' ')
[[ $shell_applets == "ash sh " ]] || { echo "busybox: the shell build has applets \"$shell_applets\", expected ash sh" >&2; exit 1; }

# SH_IS_NONE: allnoconfig picks the choice's first entry, SH_IS_ASH, which selects ash again.
configure "$(section "General" "Applets" "Applet features"; echo "# CONFIG_SH_IS_ASH is not set"; echo CONFIG_SH_IS_NONE=y)"
compile busybox
applets >"$OUT.tmp/bin/applets"
if grep -qxE 'sh|ash|hush|bash' "$OUT.tmp/bin/applets"; then
    echo "busybox: the toolbox build has a shell applet" >&2
    exit 1
fi
cp .config "$OUT.tmp/.config"
cp -R testsuite "$OUT.tmp/testsuite" # the same source's test suite, for conformance.sh
userland_finish
