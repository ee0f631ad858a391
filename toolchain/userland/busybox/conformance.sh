#!/usr/bin/env bash
# BusyBox's own test suite (testsuite/runtest: the *.tests files and the old-style applet
# directories), run against the native gcc build and against the nojit build inside a container:
#
#   toolchain/userland/busybox/conformance.sh [--native-only|--nojit-only] [WORKDIR]
#
# Both runs use their own build as sh and as every applet, and nothing else: the native run has
# PATH set to a directory of links to the native toolbox and shell and the suite's `#!/bin/sh`
# lines point there; the nojit run has an image whose /bin/busybox and /bin/APPLET are the nojit
# toolbox and /bin/sh the nojit shell (scripts: via-interpreter; the *.tests scripts, which runtest executes directly, are
# listed as scripts for /bin/sh), the suite mounted read-only and copied into the container's
# /tmp. The same few tests are skipped in both runs because they are pure computation that takes
# over half a second natively (SLOW below; minutes to hours in the interpreter).
# Bounds: BB_NATIVE_MINUTES (default 15) and BB_NOJIT_MINUTES (default 75) for the whole run.
# Prints PASS/FAIL/SKIPPED(+UNTESTED) per build, every test that passes natively but not under
# nojit, and the share; exit 0 when at least 90 % of the native passes pass under nojit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
NOJIT="$ROOT/nojit"
DO_NATIVE=1 DO_NOJIT=1
case ${1:-} in
    --native-only) DO_NOJIT=0; shift ;;
    --nojit-only) DO_NATIVE=0; shift ;;
esac
WORK=${1:-$ROOT/toolchain/target/busybox-conformance}
mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)

SLOW=(
    "bc parsing of numbers"
    "bc printing of numbers"
    "bc -lq bc_power.bc"
    "dc dc_power.dc"
    "factor 2^61-1"
    "factor 2^62-1"
)
SKIP_LIST=$(IFS='|'; echo "${SLOW[*]}")

WASM=$("$HERE/build.sh" | tail -1)
NATIVE=$("$HERE/build.sh" --native | tail -1)

# copy_suite DEST: the suite, with testing.sh skipping the SLOW tests (listed in
# $CONFORMANCE_SKIP, separated by |) the way it skips a test whose feature is off.
copy_suite() {
    rm -rf "$1"
    cp -R "$2/testsuite" "$1"
    local t="$1/testing.sh"
    grep -q '^  \[ -n "\$1" \] || NAME="\$2"$' "$t" || { echo "conformance: testing.sh changed shape" >&2; exit 2; }
    sed -i '/^  \[ -n "\$1" \] || NAME="\$2"$/a\
  case "|$CONFORMANCE_SKIP|" in *"|$NAME|"*) echo "SKIPPED: $NAME"; return 0 ;; esac' "$t"
}

count() { grep -c "^$2" "$1" || true; }
summary() { # NAME LOG
    local p f s u
    p=$(count "$2" 'PASS: ') f=$(count "$2" 'FAIL: ') s=$(count "$2" 'SKIPPED: ') u=$(count "$2" 'UNTESTED: ')
    printf '%-7s passed %4d  failed %3d  skipped %3d  (untested %d)\n' "$1" "$p" "$f" "$s" "$u"
}

if [[ $DO_NATIVE -eq 1 ]]; then
    N="$WORK/native"
    rm -rf "$N"
    mkdir -p "$N/bin" "$N/home"
    cp "$NATIVE/bin/busybox" "$NATIVE/bin/sh" "$NATIVE/.config" "$N/"
    while read -r a; do ln -s "$N/busybox" "$N/bin/$a"; done <"$NATIVE/bin/applets"
    ln -s "$N/sh" "$N/bin/sh"
    copy_suite "$N/testsuite" "$NATIVE"
    grep -rl '^#!/bin/sh' "$N/testsuite" | xargs sed -i "1s|^#!/bin/sh|#!$N/bin/sh|"
    echo "conformance: native run (at most ${BB_NATIVE_MINUTES:-15} min)" >&2
    (cd "$N/testsuite" && timeout "${BB_NATIVE_MINUTES:-15}m" env -i PATH="$N/bin" HOME="$N/home" \
        CONFORMANCE_SKIP="$SKIP_LIST" "$N/bin/sh" ./runtest) >"$WORK/native.log" 2>&1 || true
fi

if [[ $DO_NOJIT -eq 1 ]]; then
    J="$WORK/nojit"
    mkdir -p "$J/h"
    copy_suite "$J/testsuite" "$WASM"
    cp "$WASM/.config" "$J/h/.config"
    cat >"$J/h/run.sh" <<'EOF'
mkdir -p /tmp/w
cp -R /ts /tmp/w/testsuite
cp /h/.config /tmp/w/.config
ln -s /bin/busybox /tmp/w/busybox
cd /tmp/w/testsuite
exec sh ./runtest
EOF
    # What a Linux system the suite assumes has besides BusyBox: /usr/bin (cpio -p copies it)
    # and /etc/hosts naming the host (hostname -f; the container's hostname is "nojit").
    mkdir -p "$J/usr-bin"
    printf '127.0.0.1 localhost\n127.0.0.1 nojit\n' >"$J/hosts"
    # The bundle: rebuilt only when the module or the suite changed.
    key=$( { sha256sum "$WASM/bin/busybox" "$WASM/bin/sh" "$WASM/bin/applets" "$J/hosts"; (cd "$J/testsuite" && find . -name '*.tests' | sort | xargs sha256sum); } | sha256sum | cut -c1-16)
    if [[ ! -f $J/bundle-$key.nojit ]]; then
        rm -f "$J"/bundle-*.nojit "$J"/key*
        [[ -f $J/key ]] || "$NOJIT" keygen --out "$J/key" >/dev/null
        args=(--exec /bin/busybox="$WASM/bin/busybox" --file /etc/hosts="$J/hosts" --dir /usr/bin="$J/usr-bin")
        while read -r a; do args+=(--exec "/bin/$a=$WASM/bin/busybox"); done <"$WASM/bin/applets"
        args+=(--exec /bin/sh="$WASM/bin/sh")
        for t in "$J/testsuite"/*.tests; do
            args+=(--script "/usr/share/busybox-testsuite/${t##*/}=$t" --interpreter /bin/sh)
        done
        echo "conformance: building the test bundle" >&2
        "$NOJIT" build --key "$J/key" --out "$J/bundle-$key.nojit" "${args[@]}" >/dev/null
    fi
    echo "conformance: nojit run (at most ${BB_NOJIT_MINUTES:-75} min)" >&2
    audit="$WORK/logs/nojit-audit-$(date +%s).jsonl"
    "$NOJIT" run "$J/bundle-$key.nojit" --pubkey "$J/key.pub" --audit-log "$audit" \
        --audit-budget 64m,1000000 --timeout "${BB_NOJIT_MINUTES:-75}m" \
        --mount /ts="$J/testsuite":ro --mount /h="$J/h":ro \
        --env PATH=/bin --env HOME=/tmp --env CONFORMANCE_SKIP="$SKIP_LIST" \
        -- /bin/sh /h/run.sh >"$WORK/nojit.log" 2>&1 || true
fi

echo "BusyBox 1.35 testsuite (logs in $WORK):"
[[ -f $WORK/native.log ]] && summary native "$WORK/native.log"
[[ -f $WORK/nojit.log ]] && summary nojit "$WORK/nojit.log"
[[ -f $WORK/native.log && -f $WORK/nojit.log ]] || exit 0
sed -n 's/^PASS: //p' "$WORK/native.log" | sort >"$WORK/native.pass"
sed -n 's/^PASS: //p' "$WORK/nojit.log" | sort >"$WORK/nojit.pass"
comm -23 "$WORK/native.pass" "$WORK/nojit.pass" >"$WORK/lost"
native=$(wc -l <"$WORK/native.pass")
kept=$(comm -12 "$WORK/native.pass" "$WORK/nojit.pass" | wc -l)
echo "passing natively and not under nojit ($(wc -l <"$WORK/lost")):"
while IFS= read -r t; do
    if grep -qxF "FAIL: $t" "$WORK/nojit.log"; then echo "  FAIL    $t"; else echo "  MISSING $t"; fi
done <"$WORK/lost"
pct=$(( native > 0 ? kept * 1000 / native : 0 ))
printf 'nojit passes %d of the %d tests that pass natively (%d.%d %%)\n' "$kept" "$native" $((pct / 10)) $((pct % 10))
[[ $pct -ge 900 ]]
