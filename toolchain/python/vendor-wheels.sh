#!/usr/bin/env bash
# vendor-wheels.sh [--compile-for DIR] OUTDIR WHEEL...
#
# Unpacks pure-Python wheels (PEP 427) at build time into OUTDIR, a site-packages tree to list
# in a bundle with
#   nojit build ... --script-dir /usr/lib/python3.11/site-packages=OUTDIR --interpreter /usr/bin/python3.11
# so that under scripts: manifest-only the interpreter's AT_EXECVE_CHECK passes for exactly
# these files (docs/python-policy.md). Nothing is downloaded: the wheels are files you have.
# --compile-for DIR also writes unchecked-hash bytecode beside each .py (as the image's standard
# library has), its tracebacks naming DIR, the container path OUTDIR will have; it needs the
# build python to be 3.11, the image's version. A .py that does not compile stays source only.
#
# Refused, in one line on stderr, exit 1, with OUTDIR left as it was: a file that is not a wheel;
# a wheel that is not pure (Root-Is-Purelib not true, a platform or ABI tag other than any/none,
# a native library .so/.pyd/.dylib anywhere in it, files for platlib, scripts, headers or data);
# a file whose SHA-256 or size differs from the wheel's RECORD, or a file RECORD does not list
# (or a RECORD entry with no file); a name that is absolute, holds '..' or a backslash, a
# symbolic link; two wheels that install the same path. Usage errors exit 2. OUTDIR must not
# exist or be empty; it is written only once every wheel has passed, through a temporary
# directory beside it renamed into place.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $# -lt 2 ]]; then
    echo "usage: $0 [--compile-for DIR] OUTDIR WHEEL..." >&2
    exit 2
fi
# The build python: any Python 3 with the standard library does (zipfile, hashlib).
PYTHON=${PYTHON:-/usr/bin/python3.11}
[[ -x $PYTHON ]] || PYTHON=$(command -v python3 || true)
[[ -n $PYTHON ]] || { echo "vendor-wheels.sh: no python3 to unpack with (set PYTHON)" >&2; exit 1; }
exec "$PYTHON" -I "$here/vendor_wheels.py" "$@"
