package dev.nojit.vkernel;

import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditSink;
import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.HostMount;
import dev.nojit.vkernel.fs.HostStreams;
import dev.nojit.vkernel.fs.OpenFile;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.policy.SyscallArgs;
import dev.nojit.vkernel.policy.Violation;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.KillDeadline;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.WaitStatus;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One container's life: create (file system from the verified image, mounts, stdio), start
 * process 1, wait for it (with a timeout), kill what is left, clean up. Kept as an object, not
 * inside a command, so another front end (an OCI runtime) can drive the same steps.
 */
public final class Container implements AutoCloseable {
    /** A host directory to mount ({@code --mount PATH=HOSTDIR[:ro]}). */
    public record Mount(String containerPath, Path hostDir, boolean readOnly) {}

    /**
     * How to run: limits, mounts, environment ("NAME=VALUE" strings, in order), working
     * directory, and the host streams the container's stdin, stdout and stderr pass through to.
     */
    public record Options(KernelConfig config, List<Mount> mounts, List<String> env, String workdir,
                          InputStream stdin, OutputStream stdout, OutputStream stderr, AuditSink audit) {
        public Options {
            mounts = List.copyOf(mounts);
            env = List.copyOf(env);
            java.util.Objects.requireNonNull(audit, "audit");
        }

        /** Defaults; events are kept in memory ({@link MemoryAuditSink}) until an audit log is given. */
        public static Options defaults() {
            return new Options(KernelConfig.defaults(), List.of(), List.of(), "/", System.in, System.out, System.err,
                    new MemoryAuditSink());
        }

        public Options withMounts(List<Mount> m) { return new Options(config, m, env, workdir, stdin, stdout, stderr, audit); }
        public Options withEnv(List<String> e) { return new Options(config, mounts, e, workdir, stdin, stdout, stderr, audit); }
        public Options withWorkdir(String w) { return new Options(config, mounts, env, w, stdin, stdout, stderr, audit); }
        public Options withConfig(KernelConfig c) { return new Options(c, mounts, env, workdir, stdin, stdout, stderr, audit); }
        public Options withStdio(InputStream in, OutputStream out, OutputStream err) {
            return new Options(config, mounts, env, workdir, in, out, err, audit);
        }
        public Options withAudit(AuditSink a) { return new Options(config, mounts, env, workdir, stdin, stdout, stderr, a); }
    }

    /**
     * How process 1 ended. {@code exitCode} follows {@code docker run}: its exit status, 128+N
     * for signal N (137 when the policy killed it or the whole container), 126 when PATH may not
     * be executed, 127 when it is not in the image. {@code policyStop} says why the policy stopped
     * the whole container ({@code onViolation: kill-container}), else null.
     */
    public record Result(int exitCode, Integer waitStatus, boolean timedOut, String error, String policyStop) {
        Result(int exitCode, Integer waitStatus, boolean timedOut, String error) {
            this(exitCode, waitStatus, timedOut, error, null);
        }
    }

    private final Kernel kernel;
    private final Options options;

    private Container(Kernel kernel, Options options) {
        this.kernel = kernel;
        this.options = options;
    }

    /** Builds the container's file system from {@code bundle} and the mounts; starts nothing. */
    public static Container create(VerifiedBundle bundle, Options options) {
        PrintStream log = new PrintStream(options.stderr(), true);
        ImageSource image = new ImageSource(bundle);
        Kernel kernel = new Kernel(options.config(), image, log, options.audit());
        Vfs vfs = kernel.vfs();
        for (ImageEntry e : image.entries()) {
            switch (e) {
                case ImageEntry.Directory d -> vfs.addDirectory(d.path(), d.mode());
                case ImageEntry.WithContent f -> vfs.addImageFile(f.path(), f.mode(), f.sha256(), f.size(), () -> image.blob(f.sha256()));
            }
        }
        long dev = 16;
        try {
            for (Mount m : options.mounts()) {
                vfs.mount(HostMount.open(m.containerPath(), m.hostDir().toAbsolutePath().normalize(), m.readOnly(), dev++));
            }
        } catch (RuntimeException e) {
            vfs.closeMounts(); // the descriptors of the mounts opened before the one that failed
            throw e;
        }
        return new Container(kernel, options);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Runs {@code path} as process 1 and waits for it; {@code timeout} null waits forever. */
    public Result run(String path, List<String> args, Duration timeout) {
        Result init = runInit(path, args, timeout);
        Result r = new Result(init.exitCode(), init.waitStatus(), init.timedOut(), init.error(), kernel.enforcer().containerKill());
        Map<String, Object> stop = new LinkedHashMap<>();
        stop.put("exit_code", (long) r.exitCode());
        if (r.timedOut()) stop.put("timed_out", true);
        if (r.policyStop() != null) stop.put("stopped_by_policy", r.policyStop());
        if (r.error() != null) stop.put("error", r.error());
        try {
            kernel.enforcer().containerStop(stop);
        } catch (GuestControl c) {
            // the audit log failed at the very end; the enforcer has said so on stderr
        }
        return r;
    }

    private Result runInit(String path, List<String> args, Duration timeout) {
        try {
            start(path, args);
        } catch (SyscallError e) {
            return switch (e.errno()) {
                case Errno.ENOENT, Errno.ENOTDIR -> new Result(127, null, false, path + ": no such file in the image");
                default -> new Result(126, null, false, path + ": cannot be executed (" + errnoName(e.errno()) + ")");
            };
        } catch (Violation v) {
            return new Result(126, null, false, path + ": refused by policy (" + v.type().json() + "): " + v.reason());
        } catch (GuestControl c) {
            return new Result(125, null, false, "the audit log could not be written");
        } catch (dev.nojit.vkernel.process.AotClassLoader.Refused r) {
            // The bundle's AOT code cannot be defined: nojit's failure (the bundle's), not the guest's; nothing ran.
            return new Result(125, null, false, r.getMessage());
        }
        try {
            Integer status = timeout == null ? kernel.initExit().get()
                    : kernel.initExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            stopAll();
            return new Result(WaitStatus.shellCode(status), status, false, null);
        } catch (TimeoutException e) {
            stopAll();
            return new Result(137, WaitStatus.signaled(9), true, "timed out after " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll();
            return new Result(137, WaitStatus.signaled(9), false, "interrupted");
        } catch (ExecutionException e) {
            stopAll();
            return new Result(125, null, false, String.valueOf(e.getCause()));
        }
    }

    private static String errnoName(int errno) {
        return switch (errno) {
            case Errno.EACCES -> "permission denied: not a regular file, or no execute permission";
            case Errno.ENOEXEC -> "in no executable format";
            case Errno.E2BIG -> "argument list too long";
            case Errno.EISDIR -> "is a directory";
            case Errno.ELOOP -> "too many levels of symbolic links or interpreters";
            default -> "errno " + errno;
        };
    }

    /** Creates and starts process 1; SyscallError when PATH cannot be loaded. */
    public Process start(String path, List<String> args) {
        String workdir = options.workdir() == null || options.workdir().isEmpty() ? "/" : options.workdir();
        Vfs vfs = kernel.vfs();
        synchronized (vfs.lock()) {
            Vfs.Resolved wd = vfs.resolve("/", workdir, true);
            if (wd.node() == null) vfs.addDirectory(wd.path(), 0755);
            else if (wd.node().type() != FileType.DIRECTORY) throw new IllegalArgumentException("--workdir " + workdir + " is not a directory");
            workdir = vfs.resolve("/", workdir, true).path();
        }
        List<String> argv = new ArrayList<>();
        argv.add(path);
        argv.addAll(args);
        List<byte[]> argvBytes = bytes(argv);
        String cwd = workdir;
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("policy", kernel.enforcer().policyDetails());
        start.put("path", path);
        kernel.enforcer().containerStart(start);
        SyscallRef syscall = SyscallArgs.ref("execve", Map.of("pathname", path));
        Program program;
        try {
            program = kernel.gate().load(cwd, fs -> fs.resolve(cwd, path, true), argvBytes, bytes(options.env()));
        } catch (Violation v) {
            kernel.enforcer().refuseStart(path, argvBytes, syscall, v);
            throw v;
        }
        KernelConfig c = kernel.config();
        FdTable fds = new FdTable(c.maxOpenFiles());
        fds.add(new OpenFile(null, HostStreams.input(options.stdin()), "pipe:[stdin]", OpenFlags.O_RDONLY), false, 0);
        fds.add(new OpenFile(null, HostStreams.output(options.stdout()), "pipe:[stdout]", OpenFlags.O_WRONLY), false, 1);
        fds.add(new OpenFile(null, HostStreams.output(options.stderr()), "pipe:[stderr]", OpenFlags.O_WRONLY), false, 2);
        Process init = kernel.processes().createInit(fds, new Rlimits(c.maxProcesses(), c.maxOpenFiles(), c.memoryLimit()), workdir);
        kernel.enforcer().exec(init, program, syscall);
        init.start(program);
        return init;
    }

    /**
     * How long stopping the container waits for its processes: every one has ended by {@link KillDeadline#BOUND}
     * after the kill (with or without its thread); the rest is room for exits that wait on the host.
     */
    public static final Duration STOP_GRACE = KillDeadline.BOUND.multipliedBy(4);

    private void stopAll() {
        kernel.processes().killAll();
        try {
            kernel.processes().awaitAllEnded(System.nanoTime() + STOP_GRACE.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopAll();
        kernel.shutdown();
    }

    private static List<byte[]> bytes(List<String> list) {
        return list.stream().map(x -> x.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    /** Parses {@code PATH=HOSTDIR[:ro]}. */
    public static Mount parseMount(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) throw new IllegalArgumentException("--mount " + spec + ": expected PATH=HOSTDIR[:ro]");
        String path = spec.substring(0, eq);
        String host = spec.substring(eq + 1);
        boolean ro = false;
        if (host.endsWith(":ro")) {
            ro = true;
            host = host.substring(0, host.length() - 3);
        } else if (host.endsWith(":rw")) {
            host = host.substring(0, host.length() - 3);
        }
        if (!path.startsWith("/") || path.equals("/")) throw new IllegalArgumentException("--mount " + spec + ": the container path must be absolute and not /");
        Path dir = Path.of(host);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--mount " + spec + ": " + host + " is not a directory");
        return new Mount(path, dir, ro);
    }
}
