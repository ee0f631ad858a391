#!/usr/bin/env bash
# Fetches a Debian source package (default: musl) into DEST without touching the
# system's apt configuration:
#
#   toolchain/fetch-source.sh DEST [PACKAGE]
#
# A private deb-src list is derived from the system's own apt sources (deb822
# files under /etc/apt/sources.list.d and the one-line /etc/apt/sources.list):
# every "deb" entry becomes a "deb-src" entry with the same URIs, suites,
# components and signing key. `apt-get update` then runs with a private state
# and cache directory, so apt itself verifies the signed Release file and, by
# it, the Sources index. `apt-get source --download-only` checks each file it
# downloads against the SHA-256 of that index; this script checks them again
# against the .dsc (whose own hash is in the verified index) before
# `dpkg-source -x` unpacks them and applies Debian's patches.
#
# Prints the unpacked source directory on its last line of stdout.
set -euo pipefail
export LC_ALL=C

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 DEST [PACKAGE]" >&2
    exit 2
fi
mkdir -p "$1"
DEST=$(cd "$1" && pwd)
PKG=${2:-musl}
APT="$DEST/apt"
mkdir -p "$APT/etc/sources.list.d" "$APT/state/lists/partial" "$APT/cache/archives/partial"
: > "$APT/state/status"

# deb822 stanzas: copy each stanza whose Types has "deb", with Types: deb-src.
derive_deb822() {
    awk '
        function flush() {
            if (n > 0 && has_deb) { for (i = 1; i <= n; i++) print lines[i]; print "" }
            n = 0; has_deb = 0
        }
        /^[[:space:]]*$/ { flush(); next }
        /^#/ { next }
        /^Types:/ {
            for (i = 2; i <= NF; i++) if ($i == "deb") has_deb = 1
            lines[++n] = "Types: deb-src"; next
        }
        { lines[++n] = $0 }
        END { flush() }
    ' "$1"
}

LIST="$APT/etc/sources.list.d/derived.sources"
: > "$LIST"
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
    derive_deb822 "$f" >> "$LIST"
done
ONELINE="$APT/etc/sources.list"
: > "$ONELINE"
if [[ -f /etc/apt/sources.list ]]; then
    sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' /etc/apt/sources.list >> "$ONELINE"
fi
if [[ ! -s $LIST && ! -s $ONELINE ]]; then
    echo "fetch-source.sh: no deb entries in the system's apt sources to derive deb-src from" >&2
    exit 1
fi

APT_OPTS=(
    -o "Dir::Etc::SourceList=$ONELINE"
    -o "Dir::Etc::SourceParts=$APT/etc/sources.list.d"
    -o "Dir::State=$APT/state"
    -o "Dir::State::status=$APT/state/status"
    -o "Dir::Cache=$APT/cache"
    -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1"
)

apt-get "${APT_OPTS[@]}" -q update >&2

WORK="$DEST/download"
rm -rf "$WORK"; mkdir -p "$WORK"
(cd "$WORK" && apt-get "${APT_OPTS[@]}" -q source --download-only "$PKG" >&2)

DSC=$(ls "$WORK"/*.dsc)
# Check every file the .dsc names against its Checksums-Sha256 block.
awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF == 3 { print $1 "  " $3 }' "$DSC" \
    > "$WORK/SHA256SUMS"
[[ -s $WORK/SHA256SUMS ]] || { echo "fetch-source.sh: $DSC has no SHA-256 list" >&2; exit 1; }
(cd "$WORK" && sha256sum --quiet -c SHA256SUMS >&2)

command -v dpkg-source >/dev/null 2>&1 || {
    if [[ $(id -u) -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dpkg-dev >&2
    else
        echo "fetch-source.sh: dpkg-source is missing; as root run: apt-get install -y --no-install-recommends dpkg-dev" >&2
        exit 1
    fi
}
SRC="$WORK/src"
(cd "$WORK" && dpkg-source --no-check -x "$DSC" "$SRC" >&2)
echo "$SRC"
