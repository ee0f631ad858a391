package dev.nojit.vkernel;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a path into a {@link Program} for execve and for the container's first process. The
 * file is read once; the bytes read are the bytes hashed, and only a module whose hash the
 * signed manifest lists as an executable can start (content addressing: a copy of a listed
 * module is that module, wherever it lies). A {@code #!} script starts its interpreter, which
 * goes through the same check.
 */
public final class ProgramLoader {
    private static final int MAX_SHEBANG = 256;
    private static final int MAX_INTERPRETER_DEPTH = 4;
    private final Kernel kernel;
    private final ImageSource image;

    ProgramLoader(Kernel kernel, ImageSource image) {
        this.kernel = kernel;
        this.image = image;
    }

    public Program load(String cwd, String path, List<byte[]> argv, List<byte[]> env) {
        long total = 0;
        for (byte[] a : argv) total += a.length + 1 + 4;
        for (byte[] e : env) total += e.length + 1 + 4;
        if (total > kernel.config().maxArgBytes()) throw new SyscallError(Errno.E2BIG);
        return load(cwd, path, argv, env, 0);
    }

    private Program load(String cwd, String path, List<byte[]> argv, List<byte[]> env, int depth) {
        if (depth > MAX_INTERPRETER_DEPTH) throw new SyscallError(Errno.ELOOP);
        Vfs vfs = kernel.vfs();
        Node node;
        String canonical;
        byte[] bytes;
        String imageSha;
        synchronized (vfs.lock()) {
            Vfs.Resolved r = vfs.resolve(cwd, path, true);
            node = r.existing();
            canonical = r.path();
            if (node.type() == FileType.DIRECTORY) throw new SyscallError(Errno.EACCES);
            if (node.type() != FileType.REGULAR) throw new SyscallError(Errno.EACCES);
            if ((node.stat().mode() & 0111) == 0) throw new SyscallError(Errno.EACCES);
            imageSha = Vfs.imageSha256(node);
            bytes = Vfs.readAll(node, kernel.config().maxModuleBytes());
        }
        if (bytes.length > 2 && bytes[0] == '#' && bytes[1] == '!') {
            return loadScript(cwd, canonical, bytes, argv, env, depth);
        }
        String sha = imageSha != null ? imageSha : Sha256.toHex(Sha256.newDigest().digest(bytes));
        ImageEntry.Executable exe = image.executable(sha).orElseThrow(() -> new SyscallError(
                bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm'
                        ? Errno.EACCES : Errno.ENOEXEC));
        List<byte[]> args = argv.isEmpty() ? List.of(canonical.getBytes(StandardCharsets.UTF_8)) : argv;
        return new Program(image.image(exe), canonical, sha, args, env,
                exe.compat().contains(Compat.LENIENT_CALL_INDIRECT));
    }

    /** {@code #!interpreter [arg]}: runs interpreter [arg] script argv[1..]. */
    private Program loadScript(String cwd, String scriptPath, byte[] bytes, List<byte[]> argv, List<byte[]> env, int depth) {
        int end = 2;
        while (end < bytes.length && bytes[end] != '\n' && end < MAX_SHEBANG) end++;
        String line = new String(bytes, 2, end - 2, StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) throw new SyscallError(Errno.ENOEXEC);
        String interpreter;
        String arg = null;
        int space = indexOfSpace(line);
        if (space < 0) {
            interpreter = line;
        } else {
            interpreter = line.substring(0, space);
            arg = line.substring(space + 1).strip();
            if (arg.isEmpty()) arg = null;
        }
        List<byte[]> args = new ArrayList<>();
        args.add(interpreter.getBytes(StandardCharsets.UTF_8));
        if (arg != null) args.add(arg.getBytes(StandardCharsets.UTF_8));
        args.add(scriptPath.getBytes(StandardCharsets.UTF_8));
        if (argv.size() > 1) args.addAll(argv.subList(1, argv.size()));
        return load(cwd, interpreter, args, env, depth + 1);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        return -1;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> bytes(List<String> list) {
        return list.stream().map(ProgramLoader::bytes).toList();
    }

}
