package dev.nojit.cli.simulate;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.manifest.Compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The attack programs of the interpreter-hook techniques (issues 16 and 17): listed scripts for the real
 * interpreters of the userland built from Debian's sources (BusyBox's ash, bash, Lua, CPython), each run as
 * {@code /bin/attack-<program> <technique>} and speaking the attack protocol (attack.h: ATTEMPT,
 * RESULT, SURVIVED). The unlisted files they write print SURVIVED if they ever run; the listed ones
 * they load are in the image as scripts for the same interpreter.
 */
final class InterpreterHookScripts {
    private InterpreterHookScripts() {}

    /** Image path of each interpreter. */
    static final String SH = "/bin/sh", BASH = "/bin/bash", LUA = "/bin/lua", PYTHON = "/usr/bin/python3";
    /** Where guests/build.sh puts each interpreter's module, relative to the extracted guests. */
    private static final Map<String, String> MODULES = Map.of(
            SH, "userland/busybox/sh", BASH, "userland/bash/bash", LUA, "userland/lua/lua", PYTHON, "userland/python/python3.11");

    private static final String SH_HOOKS = """
            #!/bin/sh
            # nojit simulate, issue 16: what `.` reads, through BusyBox's ash. $1: the technique.
            case "$1" in
            sh-dot-unlisted)
                echo 'echo "SURVIVED sh-dot-unlisted: ash read an unlisted file"' > /tmp/unlisted.sh
                echo "ATTEMPT $1"
                . /tmp/unlisted.sh
                echo "RESULT $1 ret=$?" ;;
            sh-dot-listed)
                echo "ATTEMPT $1"
                . /opt/tools/lib.sh
                echo "RESULT $1 ret=$?" ;;
            esac
            """;
    private static final String BASH_HOOKS = """
            #!/bin/bash
            # nojit simulate, issue 16: what `source` reads, through bash. $1: the technique.
            case "$1" in
            bash-source-unlisted)
                echo 'echo "SURVIVED bash-source-unlisted: bash read an unlisted file"' > /tmp/unlisted.bash
                echo "ATTEMPT $1"
                source /tmp/unlisted.bash
                echo "RESULT $1 ret=$?" ;;
            bash-source-listed)
                echo "ATTEMPT $1"
                source /opt/tools/lib.bash
                echo "RESULT $1 ret=$?" ;;
            esac
            """;
    private static final String LUA_HOOKS = """
            #!/bin/lua
            -- nojit simulate, issue 16: what dofile and require read, through Lua. arg[1]: the technique.
            local name = arg[1]
            local function write(path, text)
                local f = assert(io.open(path, "w"))
                f:write(text)
                f:close()
            end
            local function attempt()
                io.write("ATTEMPT ", name, "\\n")
                io.stdout:flush() -- a killed process flushes nothing
            end
            if name == "lua-dofile-unlisted" then
                write("/tmp/unlisted.lua", "print('SURVIVED lua-dofile-unlisted: dofile ran an unlisted file')")
                attempt()
                dofile("/tmp/unlisted.lua")
            elseif name == "lua-require-unlisted" then
                write("/tmp/unlistedmod.lua", "print('SURVIVED lua-require-unlisted: require ran an unlisted file') return {}")
                package.path = "/tmp/?.lua"
                attempt()
                require("unlistedmod")
            elseif name == "lua-listed" then
                attempt()
                dofile("/opt/tools/lib.lua")
                package.path = "/opt/tools/?.lua"
                require("listedmod")
            end
            io.write("RESULT ", name, " ret=0\\n")
            """;

    private static final String PYTHON_HOOKS = """
            #!/usr/bin/python3
            # nojit simulate, issue 17: code CPython is started with or loads. sys.argv[1]: the technique.
            import os, sys
            name = sys.argv[1]
            PY = "/usr/bin/python3"

            def write(path, text):
                with open(path, "w") as f:
                    f.write(text)

            def attempt():
                print("ATTEMPT", name, flush=True)  # a killed process flushes nothing

            def survived(how):
                return f"print('SURVIVED {name}: {how}')\\n"

            if name == "python-inline-code":
                attempt()
                os.execv(PY, [PY, "-c", survived("-c ran")])
            elif name == "python-stdin":
                attempt()
                os.execv(PY, [PY, "-"])
            elif name == "python-startup-env":
                write("/tmp/startup.py", survived("PYTHONSTARTUP ran"))
                attempt()
                os.execve(PY, [PY, "/opt/tools/listed.py"], dict(os.environ, PYTHONSTARTUP="/tmp/startup.py"))
            elif name == "python-unlisted-script":
                write("/tmp/unlisted.py", survived("an unlisted script ran"))
                attempt()
                os.execv(PY, [PY, "/tmp/unlisted.py"])
            elif name == "python-import-unlisted":
                write("/tmp/unlistedmod.py", survived("import ran an unlisted module"))
                sys.path.insert(0, "/tmp")
                attempt()
                import unlistedmod
            elif name == "python-pyc-unlisted":
                from importlib._bootstrap_external import _code_to_timestamp_pyc
                os.makedirs("/tmp/pyc", exist_ok=True)
                with open("/tmp/pyc/unlistedpyc.pyc", "wb") as f:
                    f.write(_code_to_timestamp_pyc(compile(survived("a bare .pyc ran"), "unlistedpyc", "exec")))
                sys.path.insert(0, "/tmp/pyc")
                attempt()
                import unlistedpyc
            elif name == "python-listed":
                attempt()
                sys.path.insert(0, "/opt/tools")
                import json, listedmod
                assert listedmod.NAME == "listedmod" and json.loads("[1]") == [1]
            print("RESULT", name, "ret=0", flush=True)
            """;

    /** The listed files the "listed" techniques load, each a script for one interpreter. */
    private static final Map<String, String[]> LISTED = Map.of(
            "/opt/tools/lib.sh", new String[] {SH, "HOOK_LIB=listed\n"},
            "/opt/tools/lib.bash", new String[] {BASH, "HOOK_LIB=listed\n"},
            "/opt/tools/lib.lua", new String[] {LUA, "return 'listed'\n"},
            "/opt/tools/listedmod.lua", new String[] {LUA, "return { name = 'listedmod' }\n"},
            "/opt/tools/listed.py", new String[] {PYTHON, "print('listed.py ran')\n"},
            "/opt/tools/listedmod.py", new String[] {PYTHON, "NAME = 'listedmod'\n"});

    /** Adds the interpreters, the attack scripts and the listed files to an image, writing the scripts to {@code in}. */
    static void addTo(BundleBuilder b, Path in) throws BundleException, IOException {
        for (var m : MODULES.entrySet()) b.executable(m.getKey(), in.resolve(m.getValue()));
        b.compat(BASH, Compat.LENIENT_CALL_INDIRECT); // bash calls through mistyped function pointers (docs/toolchain.md)
        script(b, in, "/bin/attack-sh-hooks", SH_HOOKS, SH);
        script(b, in, "/bin/attack-bash-hooks", BASH_HOOKS, BASH);
        script(b, in, "/bin/attack-lua-hooks", LUA_HOOKS, LUA);
        // CPython's standard library, listed for it (its imports pass the check), and the empty
        // platform library directory its path search expects (docs/python.md)
        b.script("/usr/lib/python311.zip", in.resolve("userland/python/lib/python311.zip"), PYTHON);
        b.directory("/usr/lib/python3.11/lib-dynload", Files.createDirectories(in.resolve("empty-lib-dynload")));
        script(b, in, "/bin/attack-python-hooks", PYTHON_HOOKS, PYTHON);
        for (var l : LISTED.entrySet()) script(b, in, l.getKey(), l.getValue()[1], l.getValue()[0]);
    }

    private static void script(BundleBuilder b, Path in, String path, String text, String interpreter)
            throws BundleException, IOException {
        Path file = in.resolve("hook-script" + path.replace('/', '-'));
        Files.writeString(file, text);
        b.script(path, file, interpreter);
    }
}
