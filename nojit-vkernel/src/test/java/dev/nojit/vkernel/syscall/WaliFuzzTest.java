package dev.nojit.vkernel.syscall;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.AuditVerifier;
import dev.nojit.audit.ContainerRef;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.lockdown.LockedDownTestJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest-level syscall fuzzer: wali-fuzz (guests/src/wali/wali-fuzz.c) issues random syscall
 * sequences from a seed through the real engine and vkernel, in a container of {@link
 * FuzzImage}. Checked from outside, per seed: the container ends by itself well inside its time
 * limit and pid 1 reports; every process that exited ran an approved module; no handler failed inside (no "internal error", no death by SIGSYS);
 * every exec event names an approved module; every violation event is
 * well formed (who, which call, why, the process killed); the audit log's chain verifies and
 * holds exactly the events recorded; after close only pid 1 is left (a zombie), the process tree
 * is consistent and no memory is charged; no host descriptor outlives the container.
 * {@code -Dnojit.walifuzz.seeds=N} (default {@link #SEEDS}) and {@code -Dnojit.walifuzz.first=S} run more.
 */
class WaliFuzzTest {
    static final int SEEDS = 16;
    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void randomSyscallSequencesThroughTheEngine() throws Exception {
        int seeds = Integer.getInteger("nojit.walifuzz.seeds", SEEDS);
        long first = Long.getLong("nojit.walifuzz.first", 1);
        int violations = 0, execs = 0, killed = 0;
        java.util.Map<String, Integer> byCall = new java.util.TreeMap<>();
        long start = System.nanoTime();
        for (long seed = first; seed < first + seeds; seed++) {
            SeedResult r = runSeed(seed);
            violations += r.violations;
            execs += r.execs;
            killed += r.killed;
            r.byCall.forEach((k, n) -> byCall.merge(k, n, Integer::sum));
        }
        System.out.printf("wali-fuzz: %d seeds, %d violations, %d approved execs, %d children killed, %.1f s; violations by call: %s%n",
                seeds, violations, execs, killed, (System.nanoTime() - start) / 1e9, byCall);
        // The sequences reach the policy: both refusals and approved execs happen.
        assertThat(violations).isGreaterThan(seeds);
        assertThat(execs).isGreaterThan(seeds);
    }

    record SeedResult(int violations, int execs, int killed, java.util.Map<String, Integer> byCall) {}

    private SeedResult runSeed(long seed) throws IOException {
        var bundle = FuzzImage.bundle(); // open before counting: the bundle file stays open for the whole test JVM
        List<String> fdsBefore = hostFds();
        Path logFile = tmp.resolve("audit-" + seed + ".jsonl");
        TeeAuditSink audit = new TeeAuditSink(AuditLog.create(logFile, new ContainerRef("fuzz-" + seed, "a".repeat(64),
                "b".repeat(64)), "0".repeat(64)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults().withMaxProcesses(16).withMemoryLimit(256L << 20).withWritableLimit(16L << 20);
        Container.Options options = Container.Options.defaults().withConfig(config)
                .withStdio(new ByteArrayInputStream(new byte[0]), out, err).withAudit(audit);
        Container.Result result;
        long t0 = System.nanoTime();
        dev.nojit.vkernel.Kernel kernel;
        try (Container c = Container.create(bundle, options)) {
            kernel = c.kernel();
            result = c.run("/bin/wali-fuzz", List.of(Long.toString(seed)), LIMIT);
        } finally {
            audit.close();
        }
        // Closed: every process but pid 1 (a zombie nobody waits for) is reaped, the tree is consistent, memory is uncharged.
        assertThat(kernel.processes().all().keySet()).as("seed %d: processes left after close", seed).containsExactly(1);
        assertThat(kernel.processes().all().get(1).state()).isEqualTo(dev.nojit.vkernel.process.Process.State.ZOMBIE);
        assertThat(dev.nojit.vkernel.process.DirectProcess.treeProblems(kernel)).as("seed %d", seed).isEmpty();
        var budget = kernel.memoryBudget();
        assertThat(budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.LINEAR_MEMORY)).as("seed %d: memory charged after close", seed).isZero();
        assertThat(budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.KERNEL_BUFFERS)).as("seed %d: pipe buffers charged after close", seed).isZero();
        assertThat(budget.used()).as("seed %d: only the files left in the memory layer stay charged", seed).isEqualTo(kernel.vfs().quota().used());
        String what = "seed " + seed + " (stderr: " + tail(err.toString(StandardCharsets.UTF_8)) + ")";
        assertThat(result.timedOut()).as("%s ended by itself after %d ms", what, (System.nanoTime() - t0) / 1_000_000).isFalse();
        assertThat(result.exitCode()).as(what).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).as(what).contains("wali-fuzz seed " + seed + ": ");

        // A handler that threw anything but an errno, a violation or exit/exec kills its process with SIGSYS and says so.
        assertThat(err.toString(StandardCharsets.UTF_8)).as(what).doesNotContain("internal error");

        List<AuditEvent> events = audit.copy.events();
        int violations = 0, execs = 0, killed = 0;
        java.util.Map<String, Integer> byCall = new java.util.TreeMap<>();
        for (AuditEvent e : events) {
            if (e.type() == AuditEvent.Type.EXEC) {
                assertThat(e.target()).as(what).isNotNull();
                assertThat(FuzzImage.APPROVED).as("%s: exec of %s", what, e.target().path()).contains(e.target().sha256());
                assertThat(e.process().exeSha256()).as(what).isEqualTo(e.target().sha256());
                execs++;
            }
            if (e.type().isViolation()) {
                assertThat(e.process()).as(what).isNotNull();
                assertThat(e.syscall()).as(what).isNotNull();
                assertThat(e.syscall().name()).as(what).isNotBlank();
                assertThat(e.reason()).as(what).isNotBlank();
                assertThat(e.action()).as(what).isEqualTo(AuditEvent.Action.KILL_PROCESS);
                // the offender's own exit event follows, with SIGKILL
                int pid = e.process().pid();
                assertThat(events.subList(events.indexOf(e), events.size())).as("%s: pid %d's exit after its violation", what, pid)
                        .anySatisfy(x -> {
                            assertThat(x.type()).isEqualTo(AuditEvent.Type.PROCESS_EXIT);
                            assertThat(x.process().pid()).isEqualTo(pid);
                            assertThat(x.details()).containsEntry("signal", 9L);
                        });
                violations++;
                byCall.merge(e.syscall().name() + ":" + e.type().json(), 1, Integer::sum);
            }
            if (e.type() == AuditEvent.Type.PROCESS_EXIT && Long.valueOf(9L).equals(e.details().get("signal"))) killed++;
            if (e.type() == AuditEvent.Type.PROCESS_EXIT) {
                // every process that ever ran ran approved code (the unapproved module would also exit 66)
                assertThat(FuzzImage.APPROVED).as("%s: pid %d ran %s", what, e.process().pid(), e.process().exe())
                        .contains(e.process().exeSha256());
                assertThat(e.details().get("exit_code")).as(what).isNotEqualTo(66L);
                assertThat(e.details().get("signal")).as("%s: pid %d died of SIGSYS (an internal error)", what, e.process().pid())
                        .isNotEqualTo(31L);
            }
        }
        AuditVerifier.Verification v = AuditVerifier.verify(logFile);
        assertThat(v.intact()).as("%s: %s", what, v.problem()).isTrue();
        assertThat(v.events()).as(what).isEqualTo(events.size());
        assertThat(events.getLast().type()).as(what).isEqualTo(AuditEvent.Type.CONTAINER_STOP);

        List<String> leaked = awaitNoNewFds(fdsBefore);
        assertThat(leaked).as("%s: host descriptors open after the container closed", what).isEmpty();
        return new SeedResult(violations, execs - 1, killed, byCall); // the first exec is pid 1 itself
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
    }

    /** Host descriptors opened since {@code before} that are still open (waiting up to 2 s for closes in flight). */
    private static List<String> awaitNoNewFds(List<String> before) {
        List<String> extra = List.of();
        for (int i = 0; i < 40; i++) {
            extra = new ArrayList<>(hostFds());
            extra.removeAll(before);
            if (extra.isEmpty()) return extra;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return extra;
    }

    /** Every host descriptor of this JVM as "N -> target" (none under the locked-down run, where /proc is hidden). */
    static List<String> hostFds() {
        if (LockedDownTestJvm.active()) return List.of();
        List<String> out = new ArrayList<>();
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    out.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    // closed between listing and reading
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
