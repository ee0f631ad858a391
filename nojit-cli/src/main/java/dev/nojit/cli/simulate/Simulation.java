package dev.nojit.cli.simulate;

import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.audit.budget.AuditBudget;
import dev.nojit.cli.BudgetedAudit;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs techniques, each in a container of its own (in this JVM, events kept in a
 * {@link MemoryAuditSink}), and judges each run. Containers are independent, so a few run at once.
 */
public final class Simulation {
    /** Small limits, so that exhausting them is quick: 32 processes, 128 MiB of guest memory (less on a small heap). */
    static final KernelConfig CONFIG = KernelConfig.defaults().withMaxProcesses(32)
            .withMemoryLimit(Math.min(128L << 20, KernelConfig.defaults().memoryLimit()));
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT = 1 << 20;

    private final SimulationBundles bundles;
    private final int parallelism;
    private final Path scratch;

    /** {@code scratch}: where rows that mount a host directory make it (the locked-down JVM may write there). */
    public Simulation(SimulationBundles bundles, int parallelism, Path scratch) {
        this.bundles = bundles;
        this.parallelism = Math.max(1, parallelism);
        this.scratch = scratch;
    }

    /** The scratch directory of a simulation working in {@code work}. */
    public static Path scratch(Path work) {
        return work.resolve("mounts");
    }

    /** The rows, in the order of {@code techniques}. */
    public List<Row> run(List<Technique> techniques) throws InterruptedException {
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread th = new Thread(r, "nojit-simulate");
            th.setDaemon(true);
            return th;
        })) {
            List<Future<Row>> futures = new ArrayList<>();
            for (Technique t : techniques) futures.add(pool.submit(() -> runOne(t)));
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    rows.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    rows.add(new Row(techniques.get(i), "the simulation failed: " + e.getCause(), "-", false));
                }
            }
            return rows;
        }
    }

    Row runOne(Technique t) {
        if (t.expected() instanceof Expectation.EvidenceRefused) return LogInMount.row(t, bundles.work());
        if (t.expected() instanceof Expectation.Contained) return MountSwapRow.run(t, scratch, mounts -> container(t, mounts));
        return Judge.judge(t, container(t, List.of()));
    }

    private Judge.Run container(Technique t, List<Container.Mount> mounts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryAuditSink events = new MemoryAuditSink();
        // The audit budget as nojit run keeps it; the flood row brings a small one of its own, to be quick.
        AuditBudget budget = t.expected() instanceof Expectation.Flood f ? f.budget() : AuditBudget.DEFAULT;
        Container.Options o = Container.Options.defaults().withConfig(CONFIG).withMounts(mounts)
                .withStdio(new ByteArrayInputStream(new byte[0]), bounded(out), OutputStream.nullOutputStream())
                .withAudit(BudgetedAudit.wrap(events, budget));
        try (Container c = Container.create(bundles.get(t.profile()), o)) {
            Container.Result r = c.run(t.path(), List.of(t.name()), TIMEOUT);
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return new Judge.Run(text, r, events.events());
        }
    }

    /** Keeps the first MiB a guest writes (a runaway guest must not fill the heap); thread-safe. */
    private static OutputStream bounded(ByteArrayOutputStream out) {
        return bounded(out, MAX_OUTPUT);
    }

    /** Keeps the first {@code max} bytes written to {@code out} and drops the rest; synchronized on {@code out}. */
    static OutputStream bounded(ByteArrayOutputStream out, int max) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (out) {
                    int room = max - out.size();
                    if (room > 0) out.write(b, off, Math.min(room, len));
                }
            }
        };
    }
}
