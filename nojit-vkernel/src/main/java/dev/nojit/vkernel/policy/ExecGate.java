package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.vkernel.ImageSource;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.ExecContent;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.SecureBits;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The hash gate: the one way code enters a container. execve, execveat (by path, or by
 * descriptor with AT_EMPTY_PATH), /proc/self/fd/N, links and process 1 all come here with the
 * file they resolved. The gate takes the file's content hash and first bytes from one version
 * of the file (cached per version for memory files, read once and hashed otherwise) and starts
 * the engine image the signed manifest lists for that hash — never bytes from the file itself,
 * so a rename or rewrite after the check cannot change what runs. Content addressing: a copy of
 * a listed module is that module, wherever it lies.
 *
 * <p>Outcomes: an ordinary errno (no such file, not a regular file, no execute permission,
 * argument list too long), or a {@link Violation} (content the manifest does not list as an
 * executable; a {@code #!} script it does not list, or whose {@code #!} names another
 * interpreter than the manifest's; under {@code scripts: manifest-only}, a refused interpreter
 * command line), or the {@link Program} to start.
 */
public final class ExecGate {
    private static final int MAX_SHEBANG = 256;
    private static final int MAX_INTERPRETER_DEPTH = 4;
    private final Kernel kernel;
    private final ImageSource image;
    private final ScriptPolicy scripts;

    public ExecGate(Kernel kernel, ImageSource image) {
        this.kernel = kernel;
        this.image = image;
        this.scripts = new ScriptPolicy(kernel, image);
    }

    /**
     * Checks and loads the file {@code resolve} finds (called under the VFS lock, it resolves the
     * syscall's path or descriptor) for a process whose working directory is {@code cwd}.
     */
    public Program load(String cwd, Function<Vfs, Vfs.Resolved> resolve, List<byte[]> argv, List<byte[]> env) {
        checkArgumentBytes(argv, env);
        return load(cwd, resolve, argv, env, 0, List.of());
    }

    private void checkArgumentBytes(List<byte[]> argv, List<byte[]> env) {
        long total = 0;
        for (byte[] a : argv) total += a.length + 1 + 4;
        for (byte[] e : env) total += e.length + 1 + 4;
        if (total > kernel.config().maxArgBytes()) throw new SyscallError(Errno.E2BIG);
    }

    /**
     * execveat with AT_EXECVE_CHECK: whether the file {@code resolve} finds would be let in as code,
     * asked by {@code caller} (typically an interpreter about to read it), without starting
     * anything. Linux's check runs "the exact kernel semantic as for a real execution" (the
     * commit adding the flag), so the ordinary errnos are execve's: ENOENT, EACCES for a file that
     * is not regular ("EACCES The file or a script interpreter is not a regular file", execve(2))
     * or has no execute bit. Past those, the file passes when its content is a listed executable,
     * a script the manifest lists for the caller's own program (the interpreter asking), or a
     * {@code #!} script execve would start (listed, for the interpreter content its line names)
     * — and has an execute bit (EACCES otherwise, as Linux). Anything else is refused: under
     * {@code scripts: manifest-only} as a violation, as an unlisted exec is, whatever its mode (an
     * interpreter there runs only listed code, and asking is the step before running); under
     * {@code via-interpreter} with EACCES and no record, since an approved interpreter may read
     * any file as data there and the answer is only advice to it.
     */
    public void checkExecutable(Process caller, Function<Vfs, Vfs.Resolved> resolve, List<byte[]> argv, List<byte[]> env) {
        checkArgumentBytes(argv, env);
        Checked file = read(resolve, false);
        if (!kernel.checks().on(PolicyCheck.EXEC_CHECK)) { // a kernel without the gate: the mode bits only
            if (!file.executeBit()) throw new SyscallError(Errno.EACCES);
            return;
        }
        if (listedAsCode(caller, file, argv, env)) {
            if (!file.executeBit()) throw new SyscallError(Errno.EACCES); // listed, but not executable: Linux's answer
            return;
        }
        // Unlisted: under manifest-only a violation whatever its mode, since `. /tmp/x.sh` of a file
        // written 0644 is as much an attempt to run unlisted code as an exec of it.
        if (scripts.manifestOnly()) {
            throw Violation.exec("AT_EXECVE_CHECK: neither a listed executable nor a listed script, and scripts: manifest-only"
                    + " runs no other code", new TargetRef(file.path(), file.content().sha256()));
        }
        throw new SyscallError(Errno.EACCES);
    }

    /** A listed executable, a script listed for the caller's own program, or a {@code #!} script execve would start. */
    private boolean listedAsCode(Process caller, Checked file, List<byte[]> argv, List<byte[]> env) {
        String sha = file.content().sha256();
        if (image.executable(sha).isPresent()) return true;
        Program running = caller.program();
        if (running != null && image.listsScriptFor(sha, running.sha256())) return true;
        return file.content().isScript() && execveWouldStart(caller.cwd(), file, argv, env);
    }

    /** A {@code #!} script, started as execve would: a Violation there is a refusal here; an errno stays one. */
    private boolean execveWouldStart(String cwd, Checked script, List<byte[]> argv, List<byte[]> env) {
        try {
            loadScript(cwd, script, argv, env, 0);
            return true;
        } catch (Violation refused) {
            return false;
        }
    }

    /** The scripts setting's securebits for a new container's process 1 ({@link SecureBits}). */
    public int initialSecureBits() {
        return scripts.manifestOnly() && kernel.checks().on(PolicyCheck.EXEC_SECUREBITS) ? SecureBits.MANIFEST_ONLY : 0;
    }

    /** The file, as the gate saw it. */
    private record Checked(String path, ExecContent content, boolean executeBit) {}

    private Checked check(Function<Vfs, Vfs.Resolved> resolve) {
        return read(resolve, true);
    }

    /** The regular file {@code resolve} finds (EACCES for any other kind), hashed; EACCES without an execute bit when {@code needExecuteBit}. */
    private Checked read(Function<Vfs, Vfs.Resolved> resolve, boolean needExecuteBit) {
        Vfs vfs = kernel.vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved r = resolve.apply(vfs);
            Node node = r.existing();
            if (node.type() != FileType.REGULAR) throw new SyscallError(Errno.EACCES);
            boolean executeBit = (node.stat().mode() & 0111) != 0;
            if (needExecuteBit && !executeBit) throw new SyscallError(Errno.EACCES);
            return new Checked(r.path(), Vfs.execContent(node, MAX_SHEBANG, kernel.config().maxModuleBytes()), executeBit);
        }
    }

    private Program load(String cwd, Function<Vfs, Vfs.Resolved> resolve, List<byte[]> argv, List<byte[]> env,
                         int depth, List<Program.Pin> pins) {
        if (depth > MAX_INTERPRETER_DEPTH) throw new SyscallError(Errno.ELOOP);
        Checked file = check(resolve);
        String sha = file.content().sha256();
        if (file.content().isScript()) return loadScript(cwd, file, argv, env, depth);
        ImageEntry.Executable exe = image.executable(sha).orElse(null);
        if (exe == null && !kernel.checks().on(PolicyCheck.EXEC_HASH_GATE)) return ungated(cwd, resolve, file, argv, env);
        if (exe == null) throw refuse(file, sha);
        List<byte[]> args = argv.isEmpty() ? List.of(file.path().getBytes(StandardCharsets.UTF_8)) : argv;
        List<Program.Pin> allPins = new ArrayList<>(pins);
        allPins.addAll(scripts.check(cwd, exe, args, env, pins));
        return new Program(image.image(exe), image.compiled(exe), file.path(), sha, args, env,
                exe.compat().contains(Compat.LENIENT_CALL_INDIRECT), allPins);
    }

    /**
     * Only in a mutation test with {@link PolicyCheck#EXEC_HASH_GATE} off: what a kernel without
     * the gate would do — run the file's own bytes if they are a WebAssembly module, else ENOEXEC
     * (the vkernel runs no machine code, gate or not).
     */
    private Program ungated(String cwd, Function<Vfs, Vfs.Resolved> resolve, Checked file, List<byte[]> argv, List<byte[]> env) {
        byte[] bytes;
        Vfs vfs = kernel.vfs();
        synchronized (vfs.lock()) {
            bytes = Vfs.readAll(resolve.apply(vfs).existing(), kernel.config().maxModuleBytes());
        }
        try {
            List<byte[]> args = argv.isEmpty() ? List.of(file.path().getBytes(StandardCharsets.UTF_8)) : argv;
            return new Program(dev.nojit.engine.ModuleImage.compile(bytes), null, file.path(), file.content().sha256(), args, env, false, List.of());
        } catch (dev.nojit.engine.InvalidModuleException e) {
            throw new SyscallError(Errno.ENOEXEC);
        }
    }

    /**
     * A file that is neither a listed module nor a {@code #!} script. Machine code (ELF) and
     * WebAssembly modules are code: a violation. Anything else is in no format Linux executes
     * (ENOEXEC there, after which a shell reads the file as a script — data to an approved
     * interpreter, as {@code scripts: via-interpreter} allows); under {@code manifest-only} that
     * fallback would run an unlisted script, so the attempt is a violation too.
     */
    private RuntimeException refuse(Checked file, String sha) {
        byte[] h = file.content().head();
        TargetRef target = new TargetRef(file.path(), sha);
        if (h.length >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F') {
            return Violation.exec("an ELF binary: not an executable the manifest lists", target);
        }
        if (h.length >= 4 && h[0] == 0 && h[1] == 'a' && h[2] == 's' && h[3] == 'm') {
            return Violation.exec("a WebAssembly module the manifest does not list", target);
        }
        if (scripts.manifestOnly()) {
            return Violation.exec("not a listed executable, and scripts: manifest-only refuses running it as a script", target);
        }
        return new SyscallError(Errno.ENOEXEC);
    }

    /**
     * {@code #!interpreter [arg]}: the script must be listed as a script, and the interpreter
     * the line names must have the content of the interpreter the manifest gives for it. Then
     * interpreter [arg] script argv[1..] goes through the gate, with the script pinned.
     */
    private Program loadScript(String cwd, Checked script, List<byte[]> argv, List<byte[]> env, int depth) {
        String sha = script.content().sha256();
        TargetRef target = new TargetRef(script.path(), sha);
        List<ImageEntry.Script> listed = image.scripts(sha);
        boolean checked = kernel.checks().on(PolicyCheck.SCRIPT_LISTED);
        if (listed.isEmpty() && checked) throw Violation.exec("#! script is not listed in the manifest", target);
        Shebang line = Shebang.parse(script.content().head());
        if (line == null) throw new SyscallError(Errno.ENOEXEC);
        List<byte[]> args = new ArrayList<>();
        args.add(line.interpreter().getBytes(StandardCharsets.UTF_8));
        if (line.argument() != null) args.add(line.argument().getBytes(StandardCharsets.UTF_8));
        args.add(script.path().getBytes(StandardCharsets.UTF_8));
        if (argv.size() > 1) args.addAll(argv.subList(1, argv.size()));
        Program interpreter = load(cwd, vfs -> vfs.resolve(cwd, line.interpreter(), true), args, env, depth + 1,
                List.of(new Program.Pin(script.path(), sha)));
        if (checked && !image.listsScriptFor(sha, interpreter.sha256())) {
            throw Violation.exec("#! names " + line.interpreter() + ", not the interpreter the manifest gives this script ("
                    + listed.getFirst().interpreter() + ")", target);
        }
        return interpreter;
    }

    /** The first line of a script: {@code #!interpreter [one argument]}, as Linux splits it. */
    record Shebang(String interpreter, String argument) {
        static Shebang parse(byte[] head) {
            int end = 2;
            while (end < head.length && head[end] != '\n') end++;
            String line = new String(head, 2, end - 2, StandardCharsets.UTF_8).strip();
            if (line.isEmpty()) return null;
            int space = -1;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
                    space = i;
                    break;
                }
            }
            if (space < 0) return new Shebang(line, null);
            String arg = line.substring(space + 1).strip();
            return new Shebang(line.substring(0, space), arg.isEmpty() ? null : arg);
        }
    }
}
