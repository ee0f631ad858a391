#!/usr/bin/env bash
# Builds nojit's guest programs: every C file under src/ to wasm32, flat into OUTDIR.
#
#   guests/build.sh OUTDIR
#
#   src/wasi/*.c      WASI personality: wasi-libc, imports only wasi_snapshot_preview1
#   src/wali/*.c      WALI personality: no libc, imports declared by hand from "wali"
#   src/fixtures/*.c  small modules for tests (no libc): ones `nojit build` must refuse,
#                     and compute.c, which tests run from a bundle
#   attacks/*.c       the attack programs of `nojit simulate` (WALI, with attacks/attack.h):
#                     attacks/NAME.c becomes OUTDIR/attack-NAME.wasm
#   ../toolchain      OUTDIR/userland/: programs built from Debian sources with nojit-cc, and
#                     the C library's tests (toolchain/build-userland.sh)
#
# Each OUTDIR/<basename>.wasm is rebuilt only when it is older than its source
# or than this script. example/ is copied to OUTDIR/example/ (modes kept), and
# OUTDIR/INDEX lists every file under OUTDIR (relative paths, LC_ALL=C order)
# so that a Java program can extract them from a jar without scanning.
#
# Toolchain: Debian's clang, wasm-ld (lld), wasi-libc and compiler-rt for
# wasm32, plus wabt (wat2wasm, wast2json) and binaryen (wasm-opt), which the
# engine's tests use, and what the userland build needs (LLVM's binutils, make,
# patch, gcc, dpkg-source, bzip2, xz); as root, missing packages are installed
# with apt-get.
#
# Each module is compiled (-O2 -c) and linked in two steps: given -O at link
# time, clang runs binaryen's wasm-opt whenever one is installed, so the
# bytes would depend on an unrelated package. Linking without -O never runs it.
set -euo pipefail
export LC_ALL=C

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

APT_PACKAGES=(clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen
              llvm make patch gcc dpkg-dev bzip2 xz-utils)

# Prints the apt packages (of APT_PACKAGES) whose part of the toolchain is missing.
missing_packages() {
    local missing=()
    # the userland from Debian's sources (toolchain/build-userland.sh)
    command -v llvm-ar >/dev/null 2>&1 || missing+=(llvm)
    local tool
    for tool in make patch gcc dpkg-source:dpkg-dev bzip2 xz:xz-utils; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
    done
    command -v wat2wasm >/dev/null 2>&1 || missing+=(wabt)
    command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
    if command -v clang >/dev/null 2>&1; then
        command -v wasm-ld >/dev/null 2>&1 || missing+=(lld)
        # clang prints the bare name back when it finds no such file.
        local libc rt
        libc=$(clang --target=wasm32-wasi -print-file-name=libc.a 2>/dev/null || true)
        [[ $libc == /* && -f $libc ]] || missing+=(wasi-libc)
        rt=$(clang --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null || true)
        [[ $rt == /* && -f $rt ]] || missing+=(libclang-rt-14-dev-wasm32)
    else
        # Without clang, look where Debian's packages put these files.
        missing+=(clang)
        command -v wasm-ld >/dev/null 2>&1 || missing+=(lld)
        [[ -f /usr/lib/wasm32-wasi/libc.a ]] || missing+=(wasi-libc)
        compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null \
            || missing+=(libclang-rt-14-dev-wasm32)
    fi
    echo "${missing[*]}"
}

MISSING=$(missing_packages)
if [[ -n $MISSING ]]; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "build.sh: the wasm32 toolchain is incomplete; as root run: apt-get install -y --no-install-recommends $MISSING" >&2
        exit 1
    fi
    echo "build.sh: installing the wasm32 toolchain (missing: $MISSING)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "${APT_PACKAGES[@]}"; then
        apt-get update
        apt-get install -y --no-install-recommends "${APT_PACKAGES[@]}"
    fi
    MISSING=$(missing_packages)
    if [[ -n $MISSING ]]; then
        echo "build.sh: still missing after apt-get install: $MISSING" >&2
        exit 1
    fi
fi

WASI_CFLAGS=(--target=wasm32-wasi -O2 -Wall -Wextra)
WASI_LDFLAGS=(--target=wasm32-wasi -Wl,--strip-debug)
BARE_CFLAGS=(--target=wasm32 -O2 -Wall -Wextra)
BARE_LDFLAGS=(--target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=_start -Wl,--allow-undefined -Wl,--strip-debug)
# WALI test guests: nojit's tiny runtime header (src/wali/include/wali.h; technique.h and the
# other headers there are shared by the attack guests); bulk memory so that
# copies and fills are instructions, not calls to a libc that is not there.
WALI_CFLAGS=(--target=wasm32 -O2 -Wall -Wextra -mbulk-memory -Isrc/wali/include)
# A 1 MiB stack (wasm-ld's default is 64 KiB): the setjmp guest holds 1,000 live jmp_bufs.
WALI_LDFLAGS=("${BARE_LDFLAGS[@]}" -Wl,-z,stack-size=1048576)

# Guests that use memory.atomic.wait/notify (which need a shared memory): atomics, and a shared
# memory of at most 256 MiB (the engine's own page limit is larger).
SHARED_MEMORY_CFLAGS=(-matomics)
SHARED_MEMORY_LDFLAGS=(-Wl,--shared-memory -Wl,--max-memory=268435456)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Sources relative to $HERE, so that no absolute path can reach the output.
cd "$HERE"
shopt -s nullglob
SOURCES=(src/wasi/*.c src/wali/*.c src/fixtures/*.c attacks/*.c)
shopt -u nullglob

# The headers a WALI source may include: every one in src/wali/include, and attacks/attack.h for
# the attack programs.
WALI_HEADERS=(src/wali/include/*.h)

# Whether TARGET is newer than every header SRC may include (true for a non-WALI source).
newer_than_headers() {
    local target=$1 src=$2 h headers=()
    case $src in
        src/wali/*) headers=("${WALI_HEADERS[@]}") ;;
        attacks/*)  headers=("${WALI_HEADERS[@]}" attacks/attack.h) ;;
    esac
    for h in "${headers[@]}"; do
        [[ $target -nt $h ]] || return 1
    done
}

declare -A SEEN=()
built=0
fresh=0
for src in "${SOURCES[@]}"; do
    name=$(basename "$src" .c)
    [[ $src == attacks/* ]] && name=attack-$name
    if [[ -n ${SEEN[$name]:-} ]]; then
        echo "build.sh: $src and ${SEEN[$name]} would both be $name.wasm" >&2
        exit 1
    fi
    SEEN[$name]=$src
    target="$OUT/$name.wasm"
    if [[ $target -nt $src && $target -nt $SELF ]] && newer_than_headers "$target" "$src"; then
        fresh=$((fresh + 1))
        continue
    fi
    case $src in
        src/wasi/*) cflags=("${WASI_CFLAGS[@]}"); ldflags=("${WASI_LDFLAGS[@]}") ;;
        src/wali/*|attacks/*) cflags=("${WALI_CFLAGS[@]}"); ldflags=("${WALI_LDFLAGS[@]}") ;;
        *)          cflags=("${BARE_CFLAGS[@]}"); ldflags=("${BARE_LDFLAGS[@]}") ;;
    esac
    # A source whose header comment says "build: shared-memory" uses memory.atomic.wait/notify.
    if grep -q 'build: shared-memory' "$src"; then
        cflags+=("${SHARED_MEMORY_CFLAGS[@]}")
        ldflags+=("${SHARED_MEMORY_LDFLAGS[@]}")
    fi
    clang "${cflags[@]}" -c -o "$TMP/$name.o" "$src"
    # Link to a temporary name first: an interrupted build leaves no fresh-looking target.
    clang "${ldflags[@]}" -o "$TMP/$name.wasm" "$TMP/$name.o"
    chmod 0644 "$TMP/$name.wasm"
    mv -f "$TMP/$name.wasm" "$target"
    echo "  wasm32  $src -> $name.wasm ($(wc -c <"$target") bytes)"
    built=$((built + 1))
done

# Modules whose source is gone.
for target in "$OUT"/*.wasm; do
    [[ -e $target ]] || continue
    name=$(basename "$target" .wasm)
    if [[ -z ${SEEN[$name]:-} ]]; then
        rm -f "$target"
        echo "  removed $name.wasm (no source)"
    fi
done

# The userland built with nojit's own C library and nojit-cc (BusyBox, bash, Lua from Debian's
# sources) and the C library's tests: OUTDIR/userland/ (toolchain/build-userland.sh; cached by
# content hash, so only a changed input rebuilds anything).
bash "$HERE/../toolchain/build-userland.sh" "$OUT/userland"

# The example image's inputs: copied afresh each time (cheap), modes kept.
rm -rf "$OUT/example"
cp -R --preserve=mode "$HERE/example" "$OUT/example"

(cd "$OUT" && find . -type f ! -path ./INDEX | sed 's|^\./||' | sort) >"$TMP/INDEX"
mv -f "$TMP/INDEX" "$OUT/INDEX"
chmod 0644 "$OUT/INDEX"

echo "guests: $built compiled, $fresh up to date -> $OUT"
