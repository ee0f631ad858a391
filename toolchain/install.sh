#!/usr/bin/env bash
# Installs nojit-cc with its C library, so that it works away from this repository:
#
#   toolchain/install.sh PREFIX
#
#   PREFIX/bin/nojit-cc               the compiler driver
#   PREFIX/lib/nojit/sysroot/         musl + the wasm32 WALI layer (toolchain/build-sysroot.sh)
#   PREFIX/lib/nojit/config.site      answers for `configure --host=wasm32-unknown-linux-musl`
#                                     (toolchain/nojit-config.site, when the tree has it)
#
# nojit-cc finds the sysroot beside itself ($HERE/../lib/nojit/sysroot). It still needs the
# host's clang, lld and compiler-rt for wasm32 (Debian's clang-14, lld-14,
# libclang-rt-14-dev-wasm32), and LLVM's ar/ranlib for archives (llvm-14). An existing
# installation is replaced piece by piece, each through a temporary name and a rename.
# Exit codes: 0 done, 1 a step failed, 2 usage.
set -euo pipefail

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: $0 PREFIX" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1/bin" "$1/lib/nojit"
PREFIX=$(cd "$1" && pwd)

SYSROOT=$("$HERE/build-sysroot.sh" | tail -1)
[[ -f $SYSROOT/.complete ]] || { echo "install.sh: no complete sysroot at $SYSROOT" >&2; exit 1; }

install -m 0755 "$HERE/nojit-cc" "$PREFIX/bin/.nojit-cc.tmp"
mv -f "$PREFIX/bin/.nojit-cc.tmp" "$PREFIX/bin/nojit-cc"

rm -rf "$PREFIX/lib/nojit/.sysroot.tmp" "$PREFIX/lib/nojit/.sysroot.old"
cp -a "$SYSROOT" "$PREFIX/lib/nojit/.sysroot.tmp"
[[ ! -e $PREFIX/lib/nojit/sysroot ]] || mv "$PREFIX/lib/nojit/sysroot" "$PREFIX/lib/nojit/.sysroot.old"
mv "$PREFIX/lib/nojit/.sysroot.tmp" "$PREFIX/lib/nojit/sysroot"
rm -rf "$PREFIX/lib/nojit/.sysroot.old"

if [[ -f $HERE/nojit-config.site ]]; then
    install -m 0644 "$HERE/nojit-config.site" "$PREFIX/lib/nojit/.config.site.tmp"
    mv -f "$PREFIX/lib/nojit/.config.site.tmp" "$PREFIX/lib/nojit/config.site"
else
    echo "install.sh: toolchain/nojit-config.site is not in this tree; no config.site installed" >&2
fi
echo "installed nojit-cc in $PREFIX (sysroot $(basename "$SYSROOT"))"
