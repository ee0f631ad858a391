package dev.nojit.vkernel.guests;

import dev.nojit.engine.Memory;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.fs.HeapCost;
import dev.nojit.vkernel.fs.Pipe;
import dev.nojit.vkernel.fs.Quota;
import dev.nojit.vkernel.memory.MemoryBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.nojit.vkernel.memory.MemoryBudget.Use.ENGINE_STACKS;
import static dev.nojit.vkernel.memory.MemoryBudget.Use.FILES;
import static dev.nojit.vkernel.memory.MemoryBudget.Use.KERNEL_BUFFERS;
import static dev.nojit.vkernel.memory.MemoryBudget.Use.LINEAR_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container's one memory budget (issue 15), attacked by guests/src/wali/wali-budget.c: the
 * guest stops at checkpoints and the test reads the kernel's counters there.
 */
class MemoryBudgetTest extends WaliImageTest {
    private static final long LIMIT = 48L << 20;

    private static KernelConfig config() {
        return KernelConfig.defaults().withMemoryLimit(LIMIT).withWritableLimit(2L << 20);
    }

    @Test
    void memoryGrowToTheBudgetThenForkIsEnomemAndCopiesNothing() throws Exception {
        try (CheckpointedRun run = new CheckpointedRun(image.bundle(), config(), "/bin/wali-budget", "grow-fork", "5")) {
            MemoryBudget budget = run.kernel().memoryBudget();
            run.at("full");
            long linear = budget.used(LINEAR_MEMORY), stacks = budget.used(ENGINE_STACKS);
            assertThat(stacks).as("the engine's stack of the one process is charged too").isPositive();
            assertThat(budget.used()).as("memory.grow is charged as it happens: the budget is full, not passed")
                    .isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - Memory.PAGE_SIZE);
            run.resume();
            run.at("forks-refused");
            assertThat(budget.used(LINEAR_MEMORY)).as("five refused forks charged and copied nothing").isEqualTo(linear);
            assertThat(budget.used(ENGINE_STACKS)).isEqualTo(stacks);
            assertThat(run.kernel().processes().count()).isEqualTo(1);
            run.resume();
            String out = run.finish();
            assertThat(out).doesNotContain("FAIL").contains("ok every fork of a process holding the budget: ENOMEM",
                    "ok still no page to grow after the refused forks");
            assertThat(run.figure("forks-refused")).isEqualTo(5);
            assertThat(budget.used(LINEAR_MEMORY)).as("exit returns the memory").isZero();
            assertThat(budget.used(ENGINE_STACKS)).as("and the stack").isZero();
            assertThat(budget.used(KERNEL_BUFFERS)).isZero();
        }
    }

    @Test
    void aForkThatFitsChargesItsCopyAndExitAndExecGiveItBack() throws Exception {
        try (CheckpointedRun run = new CheckpointedRun(image.bundle(), config(), "/bin/wali-budget", "fork-third")) {
            MemoryBudget budget = run.kernel().memoryBudget();
            run.at("parent-third");
            long parent = budget.used(LINEAR_MEMORY);
            run.resume();
            run.at("child-full");
            assertThat(budget.used()).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - Memory.PAGE_SIZE);
            assertThat(budget.used(LINEAR_MEMORY)).as("the child's copy and growth are charged").isGreaterThan(2 * parent);
            run.resume();
            run.at("child-gone");
            assertThat(budget.used(LINEAR_MEMORY)).as("the child's exit returned its copy and growth").isEqualTo(parent);
            run.resume();
            run.at("exec-gone");
            assertThat(budget.used(LINEAR_MEMORY)).as("a child that execs and exits leaves nothing behind").isEqualTo(parent);
            run.resume();
            assertThat(run.finish()).doesNotContain("FAIL").contains("ok a fork that fits the budget succeeds",
                    "ok the child grows only into what the parent and its copy left", "ok a forked child of a third of the budget execs");
            assertThat(budget.used(LINEAR_MEMORY)).isZero();
            assertThat(budget.used(ENGINE_STACKS)).isZero();
            assertThat(budget.used(KERNEL_BUFFERS)).as("the pipe is closed at exit: its ring is returned").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/scratch", "/tmp/scratch"})
    void filesLinksAndOpenUnlinkedFilesAreChargedAndEveryChargeReturns(String dir) throws Exception {
        try (CheckpointedRun run = new CheckpointedRun(image.bundle(), config(), "/bin/wali-budget", "files", dir)) {
            MemoryBudget budget = run.kernel().memoryBudget();
            Quota quota = run.kernel().vfs().quota();
            run.at("files-start");
            long base = quota.used();
            run.resume();
            run.at("files-full");
            long made = run.figure("empty-files");
            long expected = 0;
            for (long i = 0; i < made; i++) expected += HeapCost.NODE + HeapCost.entry("f" + i);
            assertThat(quota.used() - base).as("each empty file is charged its node, entry and name").isEqualTo(expected);
            assertThat(quota.limit() - quota.used()).as("ENOSPC came when no further file fitted")
                    .isLessThan(HeapCost.NODE + HeapCost.entry("f" + made));
            assertThat(budget.used(FILES)).isEqualTo(quota.used());
            run.resume();
            run.at("files-removed");
            assertThat(quota.used()).isEqualTo(base);
            run.resume();
            run.at("file-1mib");
            long withFile = quota.used();
            assertThat(withFile - base).isBetween(1L << 20, (1L << 20) + (1L << 17) + 1024);
            run.resume();
            run.at("file-unlinked-open");
            assertThat(quota.used()).as("unlinked but open: node and content stay charged")
                    .isEqualTo(withFile - HeapCost.entry("open-unlinked"));
            run.resume();
            run.at("file-closed");
            assertThat(quota.used()).as("the last close returns them").isEqualTo(base);
            run.resume();
            run.at("files-gone");
            String name = dir.substring(dir.lastIndexOf('/') + 1);
            assertThat(quota.used()).isEqualTo(base - HeapCost.NODE - HeapCost.entry(name));
            assertThat(budget.used(FILES)).isEqualTo(quota.used());
            run.resume();
            assertThat(run.finish()).doesNotContain("FAIL").contains("ok empty files until ENOSPC", "ok hard links until ENOSPC");
            assertThat(run.figure("hard-links")).isGreaterThan(1000);
        }
    }

    @Test
    void pipeBuffersAreChargedAndAFullBudgetFailsTheWriteWithEnomem() throws Exception {
        KernelConfig small = KernelConfig.defaults().withMemoryLimit(16L << 20);
        try (CheckpointedRun run = new CheckpointedRun(image.bundle(), small, "/bin/wali-budget", "pipes")) {
            MemoryBudget budget = run.kernel().memoryBudget();
            run.at("pipes-full");
            long pipes = run.figure("pipes"), bytes = run.figure("pipe-bytes");
            assertThat(bytes % Pipe.CAPACITY).isZero();
            assertThat(budget.used(KERNEL_BUFFERS)).as("each pipe's overhead and each filled ring")
                    .isEqualTo(pipes * Pipe.OVERHEAD + bytes / Pipe.CAPACITY * (Pipe.CAPACITY + 16));
            assertThat(budget.used()).isLessThanOrEqualTo(16L << 20);
            run.resume();
            run.at("pipes-closed");
            assertThat(budget.used(KERNEL_BUFFERS)).as("closing both ends returns everything").isZero();
            run.resume();
            assertThat(run.finish()).doesNotContain("FAIL");
            assertThat(pipes * Pipe.CAPACITY).as("the budget, not the descriptor limit, stopped the guest").isGreaterThan(bytes);
        }
    }
}
