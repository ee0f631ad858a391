package dev.nojit.vkernel;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.fs.Pipe;
import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;
import dev.nojit.vkernel.testing.TestContainers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Container-wide limits on what guests can make the host hold. */
class KernelLimitsTest {
    @TempDir
    Path dir;

    @Test
    void pipesAreCountedAndClosingThemGivesTheirSlotsBack() throws Exception {
        var bundle = TestContainers.bundle(new BundleBuilder().executable("/bin/wali-hello", Guests.copy("wali-hello.wasm", dir)), dir);
        try (Container c = Container.create(bundle, Container.Options.defaults())) {
            List<Pipe> pipes = new ArrayList<>();
            for (int i = 0; i < Kernel.MAX_PIPES; i++) pipes.add(c.kernel().newPipe());
            assertThatThrownBy(() -> c.kernel().newPipe())
                    .isInstanceOfSatisfying(SyscallError.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENFILE));
            Pipe first = pipes.getFirst();
            first.readEnd().close();
            first.writeEnd().close();
            assertThat(c.kernel().newPipe()).isNotNull();
        }
    }

    @Test
    void aPipeHoldsAtMost64KiBAndOnlyWhatItCarries() {
        Pipe p = new Pipe();
        var w = (Pipe.PipeEnd) p.writeEnd();
        byte[] chunk = new byte[100_000];
        assertThat(w.writeNonBlocking(chunk, 0, 1000)).isEqualTo(1000);
        assertThat(w.available()).isEqualTo(1000); // bytes queued in the pipe
        int more = w.writeNonBlocking(chunk, 0, chunk.length);
        assertThat(1000 + more).isEqualTo(Pipe.CAPACITY);
        assertThatThrownBy(() -> w.writeNonBlocking(chunk, 0, 1))
                .isInstanceOfSatisfying(SyscallError.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    }

    @Test
    void aPipesRingIsChargedAsItGrowsRefusedWithEnomemAndReturnedAtTheLastClose() {
        var budget = new dev.nojit.vkernel.memory.MemoryBudget(24_000); // room for a 16 KiB ring and the 4 KiB one it replaces
        var use = dev.nojit.vkernel.memory.MemoryBudget.Use.KERNEL_BUFFERS;
        Pipe p = new Pipe(budget, () -> {});
        var w = (Pipe.PipeEnd) p.writeEnd();
        byte[] chunk = new byte[65536];
        assertThat(w.writeNonBlocking(chunk, 0, 100)).isEqualTo(100);
        assertThat(budget.used(use)).as("the first ring: 4 KiB and its header").isEqualTo(4096 + 16);
        assertThat(w.writeNonBlocking(chunk, 0, 10_000)).isEqualTo(10_000);
        assertThat(budget.used(use)).as("grown to 16 KiB: the old ring given back").isEqualTo(16384 + 16);
        assertThatThrownBy(() -> w.writeNonBlocking(chunk, 0, 30_000)).as("a 32 KiB ring would pass the budget")
                .isInstanceOfSatisfying(SyscallError.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
        assertThat(budget.used(use)).isEqualTo(16384 + 16);
        p.readEnd().close();
        assertThat(budget.used(use)).as("one end still open").isEqualTo(16384 + 16);
        ((dev.nojit.vkernel.fs.FileHandle) w).close();
        assertThat(budget.used(use)).isZero();
    }
}
