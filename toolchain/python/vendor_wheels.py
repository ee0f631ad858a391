"""Unpack pure-Python wheels into a site-packages tree, checking each against its RECORD.

Called by vendor-wheels.sh (read its header for the contract): [--compile-for DIR] OUTDIR WHEEL...
One line on stderr and exit 1 for a refused wheel, exit 2 for a usage error.
"""
import base64
import csv
import hashlib
import importlib.util
import io
import os
import py_compile
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib

NAME = "vendor-wheels.sh"
NATIVE = re.compile(r"\.(so|pyd|dylib|dll)(\.[0-9]+)*$", re.IGNORECASE)
HASHES = ("sha256", "sha384", "sha512")
CHUNK = 1 << 16
# The image's CPython: bytecode compiled here must carry its magic number.
IMAGE_PYTHON = (3, 11)


class Refused(Exception):
    pass


def safe_name(name):
    """The member name as a relative path, or a refusal if it could land outside the tree."""
    if not name or "\\" in name or "\0" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise Refused(f"member '{name}' is not a relative path inside the wheel")
    parts = name.rstrip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise Refused(f"member '{name}' has an empty, '.' or '..' component")
    return "/".join(parts)


def parse_tags(path):
    base = os.path.basename(path)
    if not base.endswith(".whl"):
        raise Refused("not a wheel (the name does not end in .whl)")
    parts = base[:-4].split("-")
    if len(parts) not in (5, 6):
        raise Refused("not a wheel name NAME-VERSION[-BUILD]-PYTHON-ABI-PLATFORM.whl")
    abi, platform = parts[-2], parts[-1]
    if abi != "none" or platform != "any":
        raise Refused(f"not pure: tagged for ABI '{abi}' and platform '{platform}' (a pure wheel is none-any)")


def parse_wheel_metadata(text):
    fields = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith((" ", "\t")):
            key, value = line.split(":", 1)
            fields.setdefault(key.strip().lower(), value.strip())
    version = fields.get("wheel-version", "")
    if not re.fullmatch(r"1(\.[0-9]+)?", version):
        raise Refused(f"WHEEL has Wheel-Version '{version}', not 1.x")
    purelib = fields.get("root-is-purelib", "")
    if purelib.lower() != "true":
        raise Refused(f"not pure: WHEEL says Root-Is-Purelib: {purelib or '(missing)'}")


def parse_record(text, dist_info):
    """RECORD as {path: (algorithm, digest bytes, size)}; the RECORD file itself and signatures carry no hash."""
    record = {}
    unhashed = {f"{dist_info}/RECORD", f"{dist_info}/RECORD.jws", f"{dist_info}/RECORD.p7s"}
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) != 3:
            raise Refused(f"RECORD row {row!r} does not have 3 fields")
        path, digest, size = row
        path = safe_name(path)
        if path in record:
            raise Refused(f"RECORD lists '{path}' twice")
        if path in unhashed:
            record[path] = None
            continue
        algorithm, _, encoded = digest.partition("=")
        if algorithm not in HASHES or not encoded:
            raise Refused(f"RECORD gives '{path}' the hash '{digest}', not sha256, sha384 or sha512")
        try:
            expected = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError:
            raise Refused(f"RECORD hash of '{path}' is not base64")
        if not size.isdigit():
            raise Refused(f"RECORD gives '{path}' the size '{size}'")
        record[path] = (algorithm, expected, int(size))
    return record


def target_of(name, data_dir):
    """Where a member goes in site-packages: .data/purelib/ at the root, other .data/ keys refused."""
    if data_dir and name.startswith(data_dir + "/"):
        rest = name[len(data_dir) + 1:]
        key, _, inner = rest.partition("/")
        if key != "purelib":
            raise Refused(f"installs {data_dir}/{key}/ ({'not pure' if key == 'platlib' else 'outside site-packages'}), "
                          f"which this script does not install")
        if not inner:
            return None
        return inner
    return name


def vendor(wheel, stage, written):
    parse_tags(wheel)
    try:
        archive = zipfile.ZipFile(wheel)
    except (zipfile.BadZipFile, OSError) as e:
        raise Refused(f"not a zip archive ({e})")
    with archive:
        infos = archive.infolist()
        names = {}
        for info in infos:
            kind = (info.external_attr >> 16) & 0o170000
            if kind == stat.S_IFLNK:
                raise Refused(f"member '{info.filename}' is a symbolic link")
            if info.is_dir():
                continue
            if kind not in (0, stat.S_IFREG):
                raise Refused(f"member '{info.filename}' is not a regular file")
            name = safe_name(info.filename)
            if name in names:
                raise Refused(f"member '{name}' is in the archive twice")
            names[name] = info
            if NATIVE.search(name):
                raise Refused(f"not pure: holds the native library '{name}'")
        tops = {n.split("/", 1)[0] for n in names}
        dist_infos = sorted(t for t in tops if t.endswith(".dist-info"))
        if len(dist_infos) != 1:
            raise Refused(f"has {len(dist_infos)} .dist-info directories, not 1")
        dist_info = dist_infos[0]
        data_dirs = sorted(t for t in tops if t.endswith(".data"))
        if len(data_dirs) > 1:
            raise Refused(f"has {len(data_dirs)} .data directories")
        data_dir = data_dirs[0] if data_dirs else None
        for required in ("WHEEL", "RECORD"):
            if f"{dist_info}/{required}" not in names:
                raise Refused(f"has no {dist_info}/{required}")
        parse_wheel_metadata(archive.read(names[f"{dist_info}/WHEEL"]).decode("utf-8", "replace"))
        record = parse_record(archive.read(names[f"{dist_info}/RECORD"]).decode("utf-8"), dist_info)
        for path in record:
            if path not in names:
                raise Refused(f"RECORD lists '{path}', which the wheel does not hold")
        count = 0
        for name, info in sorted(names.items()):
            if name not in record:
                raise Refused(f"'{name}' is not in RECORD")
            target = target_of(name, data_dir)
            if target is None:
                continue
            if target in written:
                raise Refused(f"'{target}' is also installed by {written[target]}")
            written[target] = os.path.basename(wheel)
            out = os.path.join(stage, *target.split("/"))
            os.makedirs(os.path.dirname(out), mode=0o755, exist_ok=True)
            expected = record[name]
            digest = hashlib.new(expected[0]) if expected else None
            size = 0
            with archive.open(info) as src, open(out, "wb") as dst:
                while True:
                    chunk = src.read(CHUNK)
                    if not chunk:
                        break
                    if size == 0 and chunk.startswith(b"\x7fELF"):
                        raise Refused(f"not pure: '{name}' is an ELF binary")
                    size += len(chunk)
                    if expected and size > expected[2]:
                        raise Refused(f"'{name}' is larger than the {expected[2]} bytes RECORD gives")
                    if digest:
                        digest.update(chunk)
                    dst.write(chunk)
            os.chmod(out, 0o644)
            if expected and (size != expected[2] or digest.digest() != expected[1]):
                raise Refused(f"'{name}' does not match its {expected[0]} and size in RECORD")
            count += 1
        return count


def compile_tree(stage, container_dir):
    """Bytecode beside every .py, unchecked-hash (as the image's stdlib), tracebacks naming container_dir.

    Returns (compiled, skipped): a file CPython cannot compile is left as source, as pip does.
    """
    compiled = skipped = 0
    for root, dirs, files in os.walk(stage):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            source = os.path.join(root, name)
            shown = container_dir.rstrip("/") + "/" + os.path.relpath(source, stage)
            target = importlib.util.cache_from_source(source)
            try:
                py_compile.compile(source, cfile=target, dfile=shown, doraise=True,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            except py_compile.PyCompileError:
                skipped += 1
                continue
            os.chmod(target, 0o644)
            os.chmod(os.path.dirname(target), 0o755)
            compiled += 1
    return compiled, skipped


def main(argv):
    container_dir = None
    if argv[:1] == ["--compile-for"]:
        if len(argv) < 2 or not argv[1].startswith("/"):
            print(f"{NAME}: --compile-for needs the absolute container path the tree will have", file=sys.stderr)
            return 2
        if sys.version_info[:2] != IMAGE_PYTHON:
            print(f"{NAME}: --compile-for needs a build python {IMAGE_PYTHON[0]}.{IMAGE_PYTHON[1]} (the image's), "
                  f"this is {sys.version_info[0]}.{sys.version_info[1]} (set PYTHON)", file=sys.stderr)
            return 2
        container_dir, argv = argv[1], argv[2:]
    if len(argv) < 2:
        print(f"usage: {NAME} [--compile-for DIR] OUTDIR WHEEL...", file=sys.stderr)
        return 2
    outdir, wheels = os.path.abspath(argv[0]), argv[1:]
    if os.path.lexists(outdir) and (not os.path.isdir(outdir) or os.path.islink(outdir) or os.listdir(outdir)):
        print(f"{NAME}: {argv[0]} exists and is not an empty directory", file=sys.stderr)
        return 2
    parent = os.path.dirname(outdir)
    if not os.path.isdir(parent):
        print(f"{NAME}: {parent} is not a directory", file=sys.stderr)
        return 2
    stage = tempfile.mkdtemp(prefix="." + os.path.basename(outdir) + ".", dir=parent)
    os.chmod(stage, 0o755)
    written = {}
    files = 0
    try:
        for wheel in wheels:
            try:
                if not os.path.isfile(wheel):
                    raise Refused("no such file")
                files += vendor(wheel, stage, written)
            except Refused as e:
                raise Refused(f"{wheel}: {e}") from None
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, UnicodeDecodeError, csv.Error, OSError) as e:
                raise Refused(f"{wheel}: unreadable ({type(e).__name__}: {e})") from None
        compiled = compile_tree(stage, container_dir) if container_dir else None
        if os.path.isdir(outdir):
            os.rmdir(outdir)
        os.rename(stage, outdir)
    except Refused as e:
        shutil.rmtree(stage, ignore_errors=True)
        print(f"{NAME}: {e}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    done = f"{NAME}: {files} files from {len(wheels)} wheel(s) in {argv[0]}"
    if compiled:
        done += f"; {compiled[0]} compiled for {container_dir}" + (f", {compiled[1]} left as source (they do not compile)" if compiled[1] else "")
    print(done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
