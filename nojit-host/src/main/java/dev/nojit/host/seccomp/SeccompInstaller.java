package dev.nojit.host.seccomp;

import dev.nojit.host.HostCallException;
import dev.nojit.host.kernel.LinuxCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Installs a seccomp filter on every thread of this process, for good: no_new_privs, then
 * {@code seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog)}, then reads
 * {@code /proc/self/status} back.
 *
 * <p>Call it after the last native library is loaded: from then on anything mapping executable
 * memory kills the process. The JDK loads its own libraries lazily, on the first use of a
 * feature (libnio.so for java.nio.file and channels, libnet.so for sockets, libmanagement.so for
 * java.lang.management, libzip.so, libextnet.so, ...), so the caller must use every such feature
 * once before installing; {@link JdkLibraries#preload()}, called here, covers libjimage.so (which
 * {@code System.exit} needs) and libnio.so. Code the JIT or FFM generates later is fine only when the code cache
 * is fully committed at start ({@code -XX:InitialCodeCacheSize} equal to
 * {@code -XX:ReservedCodeCacheSize}) or with {@code -Xint}.
 */
public final class SeccompInstaller {
    static final int SECCOMP_SET_MODE_FILTER = 1, SECCOMP_FILTER_FLAG_TSYNC = 1;
    static final long SYS_PERSONALITY = 135;
    /** personality(2): READ_IMPLIES_EXEC makes every PROT_READ mapping executable. */
    static final int READ_IMPLIES_EXEC = 0x0400000;

    /** TSYNC refused: thread {@code tid} has a filter of its own that is not an ancestor of ours; no thread got the filter. */
    public static final class TsyncException extends IllegalStateException {
        private final long tid;

        TsyncException(long tid) {
            super("seccomp TSYNC failed: thread " + tid + " could not be synchronised");
            this.tid = tid;
        }

        public long tid() {
            return tid;
        }
    }

    /** struct sock_fprog { unsigned short len; (6 bytes padding) struct sock_filter *filter; }. */
    static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6), ValueLayout.ADDRESS.withName("filter"));

    private SeccompInstaller() {}

    /** What was installed, for the attestation: the program's SHA-256 and length, and the status read back. */
    public record Installed(String sha256, int instructions, ProcStatus status) {}

    /** Compiles {@link SeccompPolicy#vkernel()} and installs it on every thread of this process. */
    public static Installed installVkernelFilter() {
        BpfProgram program = BpfCompiler.compile(SeccompPolicy.vkernel());
        String sha256 = program.sha256Hex(); // before the filter: a first MessageDigest loads libraries
        return new Installed(sha256, program.size(), install(program));
    }

    /**
     * Installs {@code program} on all threads. Returns the status read back, which shows
     * Seccomp 2 and NoNewPrivs 1, or throws: {@link HostCallException} when a call fails (EINVAL
     * for a program the kernel refuses, EACCES without no_new_privs), IllegalStateException when
     * a thread could not be synchronised or the read-back disagrees.
     */
    public static ProcStatus install(BpfProgram program) {
        JdkLibraries.preload();
        ProcStatus.selfOrPrctl(); // loads the classes of the read-back while that is still allowed
        // A persona with READ_IMPLIES_EXEC set before the filter would make mmap(PROT_READ)
        // executable, and the filter sees only the PROT_EXEC bit: refuse to go on.
        long persona = LinuxCalls.syscall("personality(query)", SYS_PERSONALITY, 0xffff_ffffL, 0, 0, 0, 0);
        if ((persona & READ_IMPLIES_EXEC) != 0) {
            throw new IllegalStateException(String.format("personality 0x%x has READ_IMPLIES_EXEC", persona));
        }
        LinuxCalls.prctl("prctl(PR_SET_NO_NEW_PRIVS)", LinuxCalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = program.bytes();
            MemorySegment filter = arena.allocate(bytes.length, 8);
            MemorySegment.copy(bytes, 0, filter, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment prog = arena.allocate(SOCK_FPROG);
            prog.set(ValueLayout.JAVA_SHORT, 0, (short) program.size());
            prog.set(ValueLayout.ADDRESS, SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("filter")), filter);
            long r = LinuxCalls.syscall("seccomp(SET_MODE_FILTER, TSYNC)", LinuxCalls.SYS_SECCOMP,
                    SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, prog.address(), 0, 0);
            // With TSYNC a positive result is the id of a thread that could not take the filter
            // (it has another filter of its own); then no thread got it.
            if (r != 0) throw new TsyncException(r);
        }
        ProcStatus status = ProcStatus.selfOrPrctl();
        if (!status.filtered()) throw new IllegalStateException("after seccomp install the process shows " + status);
        return status;
    }
}
