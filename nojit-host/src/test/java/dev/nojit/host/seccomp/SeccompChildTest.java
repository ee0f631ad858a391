package dev.nojit.host.seccomp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.nojit.host.seccomp.ChildJvm.FIXED_CODE_CACHE;
import static dev.nojit.host.seccomp.ChildJvm.SIGSYS_EXIT;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * The vkernel filter on the real kernel, each case in its own child JVM started with the
 * vkernel's code-cache flags. Every attack is also run without the filter, to show that the
 * attempt itself works and it is the filter that stops it.
 */
class SeccompChildTest {
    static final String EPERM = "RESULT -1";

    @ParameterizedTest
    @ValueSource(strings = {"mmap-exec", "mprotect-exec", "pkey-mprotect-exec", "personality-read-implies-exec", "shmat-exec"})
    void execMemoryAttemptsKillTheProcess(String attempt) {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, attempt);
        assertThat(filtered.exit()).as("%s", filtered).isEqualTo(SIGSYS_EXIT);
        BpfProgram expected = BpfCompiler.compile(SeccompPolicy.vkernel());
        assertThat(filtered.starting("INSTALLED")).as("%s", filtered)
                .containsExactly("INSTALLED true " + expected.size() + " " + expected.sha256Hex());
        assertThat(filtered.starting("RESULT")).as("%s", filtered).isEmpty();
        if (attempt.equals("shmat-exec")) assertThat(filtered.has("PLAIN true")).as("shmat without SHM_EXEC is allowed").isTrue();

        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", attempt);
        assertThat(open.exit()).as("%s", open).isZero();
        assertThat(Long.parseLong(open.starting("RESULT ").getFirst().substring(7))).as("%s works without the filter", attempt)
                .isGreaterThanOrEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memfd", "ptrace", "mremap"})
    void refusedCallsReturnEperm(String attempt) {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, attempt);
        assertThat(filtered.exit()).as("%s", filtered).isZero();
        assertThat(filtered.has(EPERM)).as("%s", filtered).isTrue();

        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", attempt);
        assertThat(open.exit()).as("%s", open).isZero();
        assertThat(open.has(EPERM)).as("%s is not EPERM without the filter: %s", attempt, open).isFalse();
    }

    @Test
    void mremapOfAnRwxPageIsRefusedAndGlibcReallocStillWorks() {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, "mremap");
        assertThat(filtered.has(EPERM)).as("%s", filtered).isTrue();
        assertThat(filtered.has("REALLOC true")).as("realloc falls back to malloc + copy: %s", filtered).isTrue();
    }

    @Test
    void execveOfBinTrueIsRefused() {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, "execve");
        assertThat(filtered.exit()).as("%s", filtered).isZero();
        assertThat(filtered.has(EPERM)).as("%s", filtered).isTrue();
        // Without the filter the child becomes /bin/true: exit 0 and no RESULT line.
        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", "execve");
        assertThat(open.exit()).isZero();
        assertThat(open.starting("RESULT")).as("%s", open).isEmpty();
    }

    @Test
    void processBuilderCannotStartAProgram() {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, "process-builder");
        assertThat(filtered.exit()).as("%s", filtered).isZero();
        assertThat(filtered.starting("RESULT IOException")).as("%s", filtered).singleElement(as(STRING))
                .contains("/bin/true").contains("Operation not permitted");
        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", "process-builder");
        assertThat(open.has("RESULT started, exit 0")).as("%s", open).isTrue();
    }

    @Test
    void everyOtherRefusedCallReturnsEperm() {
        List<String> names = List.copyOf(SeccompChild.refusedCalls().keySet());
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, "refused-calls");
        assertThat(filtered.exit()).as("%s", filtered).isZero();
        assertThat(filtered.starting("CALL ")).containsExactlyElementsOf(names.stream().map(n -> "CALL " + n + " -1").toList());

        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", "refused-calls");
        assertThat(open.exit()).as("%s", open).isZero();
        assertThat(open.starting("CALL ")).hasSize(names.size()).noneMatch(l -> l.endsWith(" -1"));
    }

    @Test
    void clone3LooksAbsentSoThatGlibcUsesCloneWhoseFlagsTheFilterSees() {
        ChildJvm.Outcome filtered = ChildJvm.run(FIXED_CODE_CACHE, "clone3");
        assertThat(filtered.exit()).as("%s", filtered).isZero();
        assertThat(filtered.has("RESULT -38")).as("ENOSYS: %s", filtered).isTrue();
        ChildJvm.Outcome open = ChildJvm.run(FIXED_CODE_CACHE, "--no-filter", "clone3");
        assertThat(open.has("RESULT -22")).as("EINVAL without the filter: %s", open).isTrue();
    }

    @Test
    void aJvmWithAFixedCodeCacheKeepsWorkingAndCompilingUnderTheFilter() {
        assertControlRunLives(FIXED_CODE_CACHE, true);
    }

    @Test
    void anInterpreterOnlyJvmKeepsWorkingUnderTheFilter() {
        assertControlRunLives(ChildJvm.INTERPRETER_ONLY, false);
    }

    /**
     * Why the vkernel needs its code-cache flags: HotSpot grows its code cache by mapping more of it
     * PROT_EXEC, which the filter kills. With a fully committed cache the same work runs through.
     */
    @Test
    void aJvmWithDefaultFlagsDiesWhenItsCodeCacheGrowsButOneWithAFixedCacheDoesNot() {
        ChildJvm.Outcome defaults = ChildJvm.run(ChildJvm.DEFAULT_FLAGS, "compile-many");
        assertThat(defaults.exit()).as("%s", defaults).isEqualTo(SIGSYS_EXIT);
        assertThat(defaults.starting("INSTALLED")).hasSize(1);

        ChildJvm.Outcome fixed = ChildJvm.run(FIXED_CODE_CACHE, "compile-many");
        assertThat(fixed.exit()).as("%s", fixed).isZero();
        assertThat(fixed.has("RESULT 3000")).as("%s", fixed).isTrue();
    }

    @Test
    void tsyncNamesTheThreadThatHasAnotherFilterAndInstallsNothing() {
        ChildJvm.Outcome o = ChildJvm.run(FIXED_CODE_CACHE, "tsync-conflict");
        assertThat(o.exit()).as("%s", o).isZero();
        assertThat(o.has("OWN_FILTER 0")).as("%s", o).isTrue();
        assertThat(o.has("RESULT refused true 0")).as("the other thread's id, and this thread still unfiltered: %s", o).isTrue();
    }

    private static List<ProcStatus> everyThread(long pid) {
        String[] tids = new java.io.File("/proc/" + pid + "/task").list();
        return java.util.Arrays.stream(tids).map(t -> ProcStatus.read("/proc/" + pid + "/task/" + t + "/status")).toList();
    }

    private static void assertControlRunLives(List<String> flags, boolean jit) {
        AtomicReference<ProcStatus> seen = new AtomicReference<>();
        AtomicReference<List<ProcStatus>> threads = new AtomicReference<>();
        ChildJvm.Outcome o = ChildJvm.run(flags, line -> {
            if (!line.text().startsWith("READY ")) return;
            long pid = Long.parseLong(line.text().substring(6));
            seen.set(ProcStatus.of(pid));
            threads.set(everyThread(pid));
            try {
                line.process().getOutputStream().write('\n');
                line.process().getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "control");
        assertThat(o.exit()).as("%s", o).isZero();
        assertThat(seen.get()).as("/proc/<child>/status while it runs").isNotNull()
                .satisfies(s -> assertThat(s.seccomp()).isEqualTo(2))
                .satisfies(s -> assertThat(s.noNewPrivs()).isEqualTo(1));
        assertThat(threads.get()).as("TSYNC: every thread, started before the filter or not").hasSizeGreaterThan(5)
                .allSatisfy(s -> assertThat(s.filtered()).isTrue());
        assertThat(o.has("RESULT 1")).as("%s", o).isTrue();
        assertThat(o.has("MMAP_RW true")).as("%s", o).isTrue();
        assertThat(o.starting("PERSONALITY ").getFirst()).doesNotStartWith("PERSONALITY -");
        assertThat(o.starting("STATUS ").getFirst()).contains("seccomp=2", "noNewPrivs=1");
        String[] times = o.starting("JIT ").getFirst().split(" ");
        if (jit) {
            assertThat(Long.parseLong(times[2])).as("HotSpot compiled code after the filter: %s", o).isGreaterThan(Long.parseLong(times[1]));
        }
    }
}
