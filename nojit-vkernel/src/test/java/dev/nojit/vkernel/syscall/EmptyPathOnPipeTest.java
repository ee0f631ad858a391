package dev.nojit.vkernel.syscall;

import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.engine.Memory;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.DirectProcess;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.WaitStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by the syscall fuzzer (regression input: SyscallFuzzTestInputs/syscallSequences/
 * linkat-empty-path-on-stdout): the *at calls given AT_EMPTY_PATH and a descriptor without a
 * file (a pipe, a host stream) threw a NullPointerException out
 * of the handler. linkat now answers ENOENT (nothing to link, as Linux answers for a file never
 * linked), fchownat and utimensat EINVAL (as fchown and futimens answer for a pipe here).
 */
class EmptyPathOnPipeTest {
    static final long EMPTY = 0x1000, FDS = 0x1100, NEW_PATH = 0x1200;

    @Test
    void atCallsOnAPipeDescriptorAnswerAnErrno() {
        MemoryAuditSink audit = new MemoryAuditSink();
        try (Container c = Container.create(FuzzImage.bundle(), Container.Options.defaults().withConfig(KernelConfig.defaults()
                .withMemoryLimit(16L << 20)).withAudit(audit))) {
            var k = c.kernel();
            Program hello = k.gate().load("/", fs -> fs.resolve("/", "/bin/wali-hello", true),
                    List.of("/bin/wali-hello".getBytes(StandardCharsets.UTF_8)), List.of());
            GuestMemory m = new GuestMemory(new Memory(1, 1, false));
            m.writeByte(EMPTY, 0);
            m.write(NEW_PATH, "/tmp/l\0".getBytes(StandardCharsets.UTF_8));
            Process p = DirectProcess.bind(k, new FdTable(64), new Rlimits(4, 64, 16L << 20), hello, m);
            try {
                assertThat(call(p, "pipe2", FDS, 0)).isZero();
                long readEnd = m.readInt(FDS);
                long at = OpenFlags.AT_EMPTY_PATH;
                assertThat(call(p, "linkat", readEnd, EMPTY, OpenFlags.AT_FDCWD, NEW_PATH, at)).isEqualTo(-Errno.ENOENT);
                assertThat(call(p, "fchownat", readEnd, EMPTY, 0, 0, at)).isEqualTo(-Errno.EINVAL);
                assertThat(call(p, "utimensat", readEnd, EMPTY, 0, at)).isEqualTo(-Errno.EINVAL);
                // what Linux does for the same calls on a file is unchanged
                assertThat(call(p, "linkat", OpenFlags.AT_FDCWD, EMPTY, OpenFlags.AT_FDCWD, NEW_PATH, 0)).isEqualTo(-Errno.ENOENT);
            } finally {
                DirectProcess.end(p, WaitStatus.exited(0));
            }
        }
    }

    private static long call(Process p, String name, long... args) {
        try {
            return Syscalls.table().get(name).call(p, java.util.Arrays.copyOf(args, 6));
        } catch (SyscallError e) {
            return -e.errno();
        }
    }
}
