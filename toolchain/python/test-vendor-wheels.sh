#!/usr/bin/env bash
# Tests vendor-wheels.sh on tiny wheels made here (no downloads): two pure wheels unpack into one
# site-packages tree that the native python3.11 imports from; --compile-for writes unchecked-hash
# bytecode naming the container path; every kind of refusal is one line on
# stderr, exit 1, and leaves no OUTDIR and no temporary directory behind; usage errors exit 2.
#
#   toolchain/python/test-vendor-wheels.sh [WORKDIR]     exit 0 when every case holds, 1 otherwise
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${1:-$HERE/../target/test-vendor-wheels}
PYTHON=${PYTHON:-/usr/bin/python3.11}
[[ -x $PYTHON ]] || PYTHON=$(command -v python3)
rm -rf "$WORK"
mkdir -p "$WORK/wheels"
VENDOR="$HERE/vendor-wheels.sh"

# make_wheel FILE.whl SPEC: writes a wheel from SPEC, one member a line, "name<TAB>content"; then
# WHEEL and RECORD (right hashes) unless SPEC gives its own. Options after the name in FILE's
# spec lines: content "@elf" is an ELF header, "@link:TARGET" makes a symbolic link member.
# Tampering: TAMPER=name changes a byte of that member after RECORD is written, GROW=name appends
# to it, UNRECORDED=name leaves
# it out of RECORD, GHOST=name adds a RECORD row for a missing file, HASH=md5 uses md5, PURE=false.
make_wheel() {
    "$PYTHON" -I - "$@" <<'EOF'
import base64, hashlib, os, stat, sys, zipfile
path, spec = sys.argv[1], sys.argv[2]
env = os.environ
base = os.path.basename(path)[:-4].split("-")
dist_info = f"{base[0]}-{base[1]}.dist-info"
members = []
for line in spec.splitlines():
    name, _, content = line.partition("\t")
    members.append((name, content))
pure = env.get("PURE", "true")
members.append((f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: {base[0]}\nVersion: {base[1]}\n"))
members.append((f"{dist_info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: test-vendor-wheels\nRoot-Is-Purelib: {pure}\nTag: py3-none-any\n"))
def data(content):
    return b"\x7fELF\x02\x01\x01" + bytes(57) if content == "@elf" else content.encode()
rows = []
for name, content in members:
    if name == env.get("UNRECORDED") or content.startswith("@link:"):
        continue
    algorithm = env.get("HASH", "sha256")
    digest = base64.urlsafe_b64encode(hashlib.new(algorithm, data(content)).digest()).rstrip(b"=").decode()
    rows.append(f"{name},{algorithm}={digest},{len(data(content))}")
if env.get("GHOST"):
    rows.append(f"{env['GHOST']},sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0")
rows.append(f"{dist_info}/RECORD,,")
members.append((f"{dist_info}/RECORD", "\n".join(rows) + "\n"))
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for name, content in members:
        if content.startswith("@link:"):
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, content[6:])
            continue
        if name == env.get("TAMPER"):
            content = ("y" if content[0] != "y" else "z") + content[1:]  # same size, other bytes
        if name == env.get("GROW"):
            content += "# grown after RECORD\n"
        z.writestr(name, data(content))
EOF
}

failed=0
refusals=0
fail() { echo "FAIL: $*" >&2; failed=1; }

W=$WORK/wheels
T=$'\t'
make_wheel "$W/tinypkg-1.0-py3-none-any.whl" "tinypkg/__init__.py${T}from tinypkg.util import double
tinypkg/util.py${T}def double(x): return 2 * x
tinypkg/data.txt${T}some package data
tinypkg-1.0.data/purelib/tinyextra.py${T}NAME = 'extra'"
make_wheel "$W/other_pkg-2.0-py2.py3-none-any.whl" "other_pkg.py${T}VALUE = 42"

# The good case: both wheels, one tree; the native interpreter imports from it.
out=$WORK/site-packages
if ! "$VENDOR" "$out" "$W/tinypkg-1.0-py3-none-any.whl" "$W/other_pkg-2.0-py2.py3-none-any.whl" > "$WORK/good.out" 2> "$WORK/good.err"; then
    fail "good wheels refused: $(cat "$WORK/good.err")"
else
    got=$(cd "$out" && find . -type f | sort | tr '\n' ' ')
    want="./other_pkg-2.0.dist-info/METADATA ./other_pkg-2.0.dist-info/RECORD ./other_pkg-2.0.dist-info/WHEEL ./other_pkg.py ./tinyextra.py ./tinypkg-1.0.dist-info/METADATA ./tinypkg-1.0.dist-info/RECORD ./tinypkg-1.0.dist-info/WHEEL ./tinypkg/__init__.py ./tinypkg/data.txt ./tinypkg/util.py "
    [[ $got == "$want" ]] || fail "tree holds: $got"
    grep -qx "vendor-wheels.sh: 11 files from 2 wheel(s) in $out" "$WORK/good.out" || fail "summary: $(cat "$WORK/good.out")"
    [[ -z $(find "$out" -type f ! -perm 0644) ]] || fail "a file is not mode 0644"
    imported=$(cd / && PYTHONPATH=$out "$PYTHON" -c 'import tinypkg, other_pkg, tinyextra, importlib.metadata as m; print(tinypkg.double(21), other_pkg.VALUE, tinyextra.NAME, m.version("tinypkg"))')
    [[ $imported == "42 42 extra 1.0" ]] || fail "import from the tree printed '$imported'"
fi

# --compile-for: unchecked-hash bytecode beside each .py, naming the container path; a file that
# does not compile stays source only.
make_wheel "$W/compiled-1.0-py3-none-any.whl" "compiled/__init__.py${T}VALUE = 7
compiled/py2only.py${T}print 'not python 3'"
compiled=$WORK/compiled
if ! "$VENDOR" --compile-for /usr/lib/python3.11/site-packages "$compiled" "$W/compiled-1.0-py3-none-any.whl" \
        > "$WORK/compiled.out" 2> "$WORK/compiled.err"; then
    fail "--compile-for refused: $(cat "$WORK/compiled.err")"
else
    grep -qx "vendor-wheels.sh: 5 files from 1 wheel(s) in $compiled; 1 compiled for /usr/lib/python3.11/site-packages, 1 left as source (they do not compile)" \
        "$WORK/compiled.out" || fail "--compile-for summary: $(cat "$WORK/compiled.out")"
    pyc=$compiled/compiled/__pycache__/__init__.cpython-311.pyc
    [[ ! -e $compiled/compiled/__pycache__/py2only.cpython-311.pyc ]] || fail "py2only.py was compiled"
    header=$("$PYTHON" -I -c 'import marshal, sys, importlib.util as u
data = open(sys.argv[1], "rb").read()
print(data[:4] == u.MAGIC_NUMBER, int.from_bytes(data[4:8], "little"), marshal.loads(data[16:]).co_filename)' "$pyc")
    [[ $header == "True 1 /usr/lib/python3.11/site-packages/compiled/__init__.py" ]] || fail "the .pyc header says '$header'"
    [[ $(stat -c %a "$pyc") == 644 && $(stat -c %a "$(dirname "$pyc")") == 755 ]] || fail "modes of the bytecode"
fi

# refused NAME 'message fragment' WHEEL...: exit 1, one line naming the fragment, nothing left.
refused() {
    local name=$1 fragment=$2
    shift 2
    local dest=$WORK/refused-$name
    refusals=$((refusals + 1))
    set +e
    "$VENDOR" "$dest" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"
    local rc=$?
    set -e
    [[ $rc == 1 ]] || fail "$name: exit $rc, not 1"
    [[ $(wc -l < "$WORK/$name.err") == 1 ]] || fail "$name: stderr is not one line: $(cat "$WORK/$name.err")"
    grep -qF -- "$fragment" "$WORK/$name.err" || fail "$name: stderr '$(cat "$WORK/$name.err")' lacks '$fragment'"
    [[ ! -e $dest ]] || fail "$name: $dest was created"
    [[ -z $(find "$WORK" -maxdepth 1 -name ".refused-$name.*") ]] || fail "$name: a temporary directory was left"
    [[ -s $WORK/$name.out ]] && fail "$name: wrote to stdout"
    return 0
}

PURE=false make_wheel "$W/platlib-1.0-py3-none-any.whl" "platlib.py${T}x = 1"
refused root-not-purelib "not pure: WHEEL says Root-Is-Purelib: false" "$W/platlib-1.0-py3-none-any.whl"
make_wheel "$W/native-1.0-py3-none-any.whl" "native/__init__.py${T}
native/_speed.cpython-311-x86_64-linux-gnu.so${T}not really"
refused native-so "not pure: holds the native library 'native/_speed.cpython-311-x86_64-linux-gnu.so'" "$W/native-1.0-py3-none-any.whl"
make_wheel "$W/natpyd-1.0-py3-none-any.whl" "natpyd/_speed.pyd${T}x"
refused native-pyd "native library 'natpyd/_speed.pyd'" "$W/natpyd-1.0-py3-none-any.whl"
make_wheel "$W/natdylib-1.0-py3-none-any.whl" "natdylib/libx.dylib${T}x"
refused native-dylib "native library 'natdylib/libx.dylib'" "$W/natdylib-1.0-py3-none-any.whl"
make_wheel "$W/elf-1.0-py3-none-any.whl" "elf/tool.py${T}@elf"
refused elf "not pure: 'elf/tool.py' is an ELF binary" "$W/elf-1.0-py3-none-any.whl"
make_wheel "$W/tagged-1.0-cp311-cp311-linux_x86_64.whl" "tagged.py${T}x = 1"
refused platform-tag "tagged for ABI 'cp311' and platform 'linux_x86_64'" "$W/tagged-1.0-cp311-cp311-linux_x86_64.whl"
TAMPER=tampered.py make_wheel "$W/tampered-1.0-py3-none-any.whl" "tampered.py${T}x = 1"
refused tampered "'tampered.py' does not match its sha256 and size in RECORD" "$W/tampered-1.0-py3-none-any.whl"
GROW=grown.py make_wheel "$W/grown-1.0-py3-none-any.whl" "grown.py${T}x = 1"
refused grown "'grown.py' is larger than the 5 bytes RECORD gives" "$W/grown-1.0-py3-none-any.whl"
UNRECORDED=extra.py make_wheel "$W/unrecorded-1.0-py3-none-any.whl" "ok.py${T}x = 1
extra.py${T}import os"
refused unrecorded "'extra.py' is not in RECORD" "$W/unrecorded-1.0-py3-none-any.whl"
GHOST=ghost.py make_wheel "$W/ghost-1.0-py3-none-any.whl" "ok.py${T}x = 1"
refused ghost "RECORD lists 'ghost.py', which the wheel does not hold" "$W/ghost-1.0-py3-none-any.whl"
HASH=md5 make_wheel "$W/md5-1.0-py3-none-any.whl" "ok.py${T}x = 1"
refused md5 "not sha256, sha384 or sha512" "$W/md5-1.0-py3-none-any.whl"
make_wheel "$W/escape-1.0-py3-none-any.whl" "../escape.py${T}x = 1"
refused dotdot "member '../escape.py' has an empty, '.' or '..' component" "$W/escape-1.0-py3-none-any.whl"
make_wheel "$W/absolute-1.0-py3-none-any.whl" "/etc/evil.py${T}x = 1"
refused absolute "member '/etc/evil.py' is not a relative path" "$W/absolute-1.0-py3-none-any.whl"
make_wheel "$W/linked-1.0-py3-none-any.whl" "linked/os.py${T}@link:/usr/lib/python3.11/os.py"
refused symlink "member 'linked/os.py' is a symbolic link" "$W/linked-1.0-py3-none-any.whl"
make_wheel "$W/scripts-1.0-py3-none-any.whl" "scripts-1.0.data/scripts/tool${T}#!python"
refused data-scripts "installs scripts-1.0.data/scripts/ (outside site-packages)" "$W/scripts-1.0-py3-none-any.whl"
make_wheel "$W/plat-1.0-py3-none-any.whl" "plat-1.0.data/platlib/plat.py${T}x = 1"
refused data-platlib "installs plat-1.0.data/platlib/ (not pure)" "$W/plat-1.0-py3-none-any.whl"
make_wheel "$W/clash-1.0-py3-none-any.whl" "other_pkg.py${T}VALUE = 'clash'"
refused clash "'other_pkg.py' is also installed by other_pkg-2.0-py2.py3-none-any.whl" \
    "$W/other_pkg-2.0-py2.py3-none-any.whl" "$W/clash-1.0-py3-none-any.whl"
echo "not a zip" > "$W/text-1.0-py3-none-any.whl"
refused not-zip "text-1.0-py3-none-any.whl: not a zip archive" "$W/text-1.0-py3-none-any.whl"
refused missing "nowhere-1.0-py3-none-any.whl: no such file" "$W/nowhere-1.0-py3-none-any.whl"
cp "$W/tinypkg-1.0-py3-none-any.whl" "$W/tinypkg.zip"
refused not-whl "not a wheel (the name does not end in .whl)" "$W/tinypkg.zip"
# One bad wheel among good ones: nothing of the good ones is written either.
refused mixed "native library" "$W/tinypkg-1.0-py3-none-any.whl" "$W/native-1.0-py3-none-any.whl"

# Usage errors: exit 2.
set +e
"$VENDOR" > /dev/null 2>&1; [[ $? == 2 ]] || fail "no arguments: not exit 2"
"$VENDOR" "$WORK/only-outdir" > /dev/null 2>&1; [[ $? == 2 ]] || fail "no wheel: not exit 2"
"$VENDOR" "$out" "$W/tinypkg-1.0-py3-none-any.whl" > /dev/null 2> "$WORK/nonempty.err"; [[ $? == 2 ]] || fail "a non-empty OUTDIR: not exit 2"
"$VENDOR" --compile-for relative "$WORK/c2" "$W/tinypkg-1.0-py3-none-any.whl" > /dev/null 2>&1; [[ $? == 2 ]] || fail "--compile-for relative: not exit 2"
set -e
grep -q "exists and is not an empty directory" "$WORK/nonempty.err" || fail "non-empty OUTDIR message: $(cat "$WORK/nonempty.err")"

if [[ $failed == 0 ]]; then
    echo "test-vendor-wheels.sh: all cases hold (2 wheels vendored and imported, one compiled, $refusals refusals, 4 usage errors)"
fi
exit $failed
