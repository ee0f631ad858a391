package dev.nojit.vkernel.syscall;

import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.engine.Memory;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.DirectProcess;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.WaitStatus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * For tests that call WALI syscall handlers directly: a container of {@link FuzzImage} whose
 * process 1 (running /bin/wali-hello's program) is bound to the calling thread over a fresh
 * 64 KiB guest memory. {@link #call} answers as the personality would: the result, or -errno.
 */
final class DirectCalls implements AutoCloseable {
    final Container container;
    final GuestMemory memory;
    final Process process;

    private DirectCalls(Container container, GuestMemory memory, Process process) {
        this.container = container;
        this.memory = memory;
        this.process = process;
    }

    static DirectCalls open() {
        Container c = Container.create(FuzzImage.bundle(), Container.Options.defaults().withConfig(KernelConfig.defaults()
                .withMemoryLimit(16L << 20)).withAudit(new MemoryAuditSink()));
        try {
            var k = c.kernel();
            Program hello = k.gate().load("/", fs -> fs.resolve("/", "/bin/wali-hello", true),
                    List.of("/bin/wali-hello".getBytes(StandardCharsets.UTF_8)), List.of());
            GuestMemory m = new GuestMemory(new Memory(1, 1, false));
            return new DirectCalls(c, m, DirectProcess.bind(k, new FdTable(64), new Rlimits(4, 64, 16L << 20), hello, m));
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    long call(String name, long... args) {
        try {
            return Syscalls.table().get(name).call(process, Arrays.copyOf(args, 6));
        } catch (SyscallError e) {
            return -e.errno();
        }
    }

    @Override
    public void close() {
        try {
            DirectProcess.end(process, WaitStatus.exited(0));
        } finally {
            container.close();
        }
    }
}
