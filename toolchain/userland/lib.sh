# Shared by toolchain/userland/*/build.sh (sourced, not run). Each package's build.sh:
#
#   toolchain/userland/PKG/build.sh            builds PKG with nojit-cc; prints the output directory
#   toolchain/userland/PKG/build.sh --native   the same source built with the host's gcc (for
#                                              comparing test suites; never part of an image)
#
# A package built for WASI preview 1 instead (toolchain/userland/python-wasi) passes --wasi to
# userland_begin itself: clang --target=wasm32-wasi with Debian's wasi-libc through a private
# --sysroot (userland_cc), output in toolchain/target/wasi/PKG-KEY/, the key covering clang's,
# wasi-libc's and compiler-rt's versions in place of the sysroot's; UL_KEY_EXTRA (set before
# userland_begin) adds the pins of sources fetched other ways.
#
# Output: toolchain/target/userland/PKG-KEY/ (or toolchain/target/native/PKG-KEY/) holding the
# package's programs under bin/ and a .complete marker written last. KEY is a content hash of
# the pinned source package (version and .orig SHA-256), every file under
# toolchain/userland/PKG/ (build script, config, patches; not other *.sh there nor check*
# files or a check/ directory, which are test drivers the build does not read), this file, and the sysroot's own key
# (which covers musl, the wasm32 layer and clang) with nojit-cc and toolchain/nojit-config.site,
# or, for --native, `gcc --version`. A hit needs
# neither network nor compiler. NOJIT_TOOLCHAIN_CACHE=DIR additionally keeps outputs in DIR.
#
# Sources come from Debian through toolchain/fetch-source.sh (private apt setup, every file
# checked against the signed index and the .dsc); the .orig tarball must also have the SHA-256
# the package pins, so a changed archive cannot slip in under the cache key.

USERLAND_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLCHAIN_DIR=$(cd "$USERLAND_LIB_DIR/.." && pwd)
TOOLCHAIN_TARGET="$TOOLCHAIN_DIR/target"
NOJIT_CC="$TOOLCHAIN_DIR/nojit-cc"

# userland_begin NAME PACKAGE VERSION ORIG ORIG_SHA256 [--native]
# Sets OUT (the output directory), MODE (wasm or native) and, for wasm, exports NOJIT_SYSROOT.
# When OUT is already complete it prints OUT and exits the calling script with 0.
userland_begin() {
    UL_NAME=$1 UL_PACKAGE=$2 UL_VERSION=$3 UL_ORIG=$4 UL_ORIG_SHA256=$5
    MODE=wasm
    [[ ${6:-} == --native ]] && MODE=native
    [[ ${6:-} == --wasi ]] && MODE=wasi
    local toolkey
    if [[ $MODE == wasi ]]; then
        userland_wasi_sysroot
        toolkey="$(clang --version | head -1); $(dpkg-query -W -f '${Package} ${Version}; ' wasi-libc libclang-rt-14-dev-wasm32)"
    elif [[ $MODE == wasm ]]; then
        NOJIT_SYSROOT=$("$TOOLCHAIN_DIR/build-sysroot.sh" | tail -1)
        export NOJIT_SYSROOT
        toolkey=$(basename "$NOJIT_SYSROOT")
    else
        command -v gcc >/dev/null 2>&1 || { echo "$UL_NAME: gcc is missing (needed for --native)" >&2; exit 2; }
        toolkey=$(gcc --version | head -1)
    fi
    local key
    key=$( {
        echo "$UL_PACKAGE $UL_VERSION $UL_ORIG_SHA256 $MODE $toolkey"
        sha256sum "$USERLAND_LIB_DIR/lib.sh" "$TOOLCHAIN_DIR/fetch-source.sh" | cut -d' ' -f1
        [[ $MODE != wasm ]] || sha256sum "$NOJIT_CC" "$TOOLCHAIN_DIR/nojit-config.site" 2>/dev/null | cut -d' ' -f1
        [[ -z ${UL_KEY_EXTRA:-} ]] || echo "$UL_KEY_EXTRA"
        (cd "$USERLAND_LIB_DIR/$UL_NAME" && find . -type f ! \( -name '*.sh' ! -name build.sh \) ! -name 'check*' ! -path './check/*' | sort | xargs sha256sum)
    } | sha256sum | cut -c1-16)
    local kind=userland
    [[ $MODE == native ]] && kind=native
    [[ $MODE == wasi ]] && kind=wasi
    OUT="$TOOLCHAIN_TARGET/$kind/$UL_NAME-$key"
    if [[ -f $OUT/.complete ]]; then
        echo "$OUT"
        exit 0
    fi
    if [[ -n ${NOJIT_TOOLCHAIN_CACHE:-} && -f $NOJIT_TOOLCHAIN_CACHE/$kind/$UL_NAME-$key/.complete ]]; then
        mkdir -p "$(dirname "$OUT")"
        rm -rf "$OUT.tmp"
        cp -a "$NOJIT_TOOLCHAIN_CACHE/$kind/$UL_NAME-$key" "$OUT.tmp"
        mv "$OUT.tmp" "$OUT"
        echo "$OUT"
        exit 0
    fi
    UL_START=$SECONDS
    echo "$UL_NAME: building $UL_PACKAGE $UL_VERSION ($MODE, key $key)" >&2
    rm -rf "$OUT.tmp"
    mkdir -p "$OUT.tmp/bin"
    return 0
}

# userland_source: fetches the pinned source package (once per version) and prints a fresh
# copy of the unpacked tree to build in (Debian's patches applied, then the package's own
# patches/*.patch in name order, each with -p1).
userland_source() {
    local fetch
    fetch=$(userland_fetch "$UL_PACKAGE" "$UL_VERSION" "$UL_ORIG" "$UL_ORIG_SHA256")
    local build="$TOOLCHAIN_TARGET/build/$UL_NAME-$MODE"
    rm -rf "$build"
    mkdir -p "$(dirname "$build")"
    cp -a "$fetch/download/src" "$build"
    local p
    shopt -s nullglob
    for p in "$USERLAND_LIB_DIR/$UL_NAME"/patches/*.patch; do
        patch -s -d "$build" -p1 <"$p" >&2 || { echo "$UL_NAME: patch $(basename "$p") does not apply" >&2; return 1; }
    done
    shopt -u nullglob
    echo "$build"
}

# userland_fetch PACKAGE VERSION ORIG ORIG_SHA256: fetches a pinned Debian source package once
# per version (the .orig checked against ORIG_SHA256) and prints its directory; the unpacked
# tree, Debian's patches applied, is DIR/download/src.
userland_fetch() {
    local fetch="$TOOLCHAIN_TARGET/fetch-$1-$2"
    if [[ ! -f $fetch/.complete ]]; then
        "$TOOLCHAIN_DIR/fetch-source.sh" "$fetch" "$1=$2" >/dev/null
        local actual
        actual=$(sha256sum "$fetch/download/$3" | cut -d' ' -f1)
        if [[ $actual != "$4" ]]; then
            echo "$UL_NAME: $3 has SHA-256 $actual, expected $4" >&2
            return 1
        fi
        touch "$fetch/.complete"
    fi
    echo "$fetch"
}

# userland_wasi_sysroot: exports WASI_SYSROOT, a directory whose include/wasm32-wasi and
# lib/wasm32-wasi are Debian's wasi-libc, so that clang --sysroot sees nothing of the host's
# /usr/include (configure scripts would otherwise find the host's headers).
userland_wasi_sysroot() {
    WASI_SYSROOT="$TOOLCHAIN_TARGET/wasi-sysroot"
    local d
    for d in include lib; do
        [[ -d /usr/$d/wasm32-wasi ]] || { echo "$UL_NAME: /usr/$d/wasm32-wasi is missing (Debian's wasi-libc)" >&2; exit 2; }
        mkdir -p "$WASI_SYSROOT/$d"
        ln -sfn "/usr/$d/wasm32-wasi" "$WASI_SYSROOT/$d/wasm32-wasi"
    done
    export WASI_SYSROOT
}

# userland_finish: marks OUT complete (publishing it to NOJIT_TOOLCHAIN_CACHE) and prints it.
userland_finish() {
    touch "$OUT.tmp/.complete"
    rm -rf "$OUT"
    mv "$OUT.tmp" "$OUT"
    if [[ -n ${NOJIT_TOOLCHAIN_CACHE:-} ]]; then
        local kind
        kind=$(basename "$(dirname "$OUT")")
        mkdir -p "$NOJIT_TOOLCHAIN_CACHE/$kind"
        cp -a "$OUT" "$NOJIT_TOOLCHAIN_CACHE/$kind/" 2>/dev/null || true
    fi
    echo "$UL_NAME: built in $((SECONDS - UL_START)) s" >&2
    echo "$OUT"
}

# userland_cc: the C compiler for MODE (nojit-cc, gcc for --native, clang for --wasi).
userland_cc() {
    case $MODE in
        wasm) echo "$NOJIT_CC" ;;
        wasi) echo "clang --target=wasm32-wasi --sysroot=$WASI_SYSROOT" ;;
        *) echo gcc ;;
    esac
}
