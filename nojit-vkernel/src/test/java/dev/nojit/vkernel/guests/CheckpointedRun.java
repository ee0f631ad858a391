package dev.nojit.vkernel.guests;

import dev.nojit.audit.MemoryAuditSink;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.KernelConfig;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A guest run that stops at its "checkpoint NAME" lines (NOJIT_CHECKPOINTS=1: the guest then
 * reads a byte from stdin) so that a test can look at the kernel's counters in between, then
 * lets it go on. One process writes the lines; the test waits for each in turn.
 */
final class CheckpointedRun implements AutoCloseable {
    private final Container container;
    private final BlockingQueue<Integer> stdin = new LinkedBlockingQueue<>();
    private final Collector out = new Collector();
    private final CompletableFuture<Container.Result> result = new CompletableFuture<>();
    private int seen; // checkpoints passed so far (a name may come more than once)

    CheckpointedRun(VerifiedBundle bundle, KernelConfig config, String path, String... args) {
        Container.Options options = Container.Options.defaults().withConfig(config).withEnv(List.of("NOJIT_CHECKPOINTS=1"))
                .withStdio(new QueueInput(), out, OutputStream.nullOutputStream()).withAudit(new MemoryAuditSink());
        container = Container.create(bundle, options);
        Thread t = new Thread(() -> {
            try {
                result.complete(container.run(path, List.of(args), Duration.ofSeconds(120)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "checkpointed-run");
        t.setDaemon(true);
        t.start();
    }

    Kernel kernel() {
        return container.kernel();
    }

    /** Waits until the guest stands at checkpoint {@code name} (the next one it reaches must be that one). */
    void at(String name) throws InterruptedException {
        String line = "checkpoint " + name + "\n";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (out) {
            while (true) {
                int found = nth(seen + 1);
                if (found >= 0) {
                    if (!out.text().startsWith(line, found)) throw new AssertionError("expected " + line.strip() + ", the guest is at: " + out.text().substring(found));
                    seen++;
                    return;
                }
                if (result.isDone()) throw new AssertionError("the guest ended before " + line.strip() + "; it printed:\n" + out.text());
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no " + line.strip() + " within 60 s; the guest printed:\n" + out.text());
                out.wait(Math.clamp(TimeUnit.NANOSECONDS.toMillis(left), 1, 100)); // polls too: write(int) does not notify
            }
        }
    }

    /** Where the {@code n}th checkpoint line starts, or -1. */
    private int nth(int n) {
        String text = out.text();
        int from = 0;
        for (int i = 0; i < n; i++) {
            int at = text.indexOf("checkpoint ", from);
            if (at < 0 || text.indexOf("\n", at) < 0) return -1;
            if (i == n - 1) return at;
            from = at + 1;
        }
        return -1;
    }

    /** Lets the guest go on from its checkpoint. */
    void resume() {
        stdin.add(1);
    }

    /** Waits for the end: the result and everything the guest printed. */
    String finish() throws Exception {
        Container.Result r = result.get(120, TimeUnit.SECONDS);
        synchronized (out) {
            if (r.exitCode() != 0) throw new AssertionError("exit " + r.exitCode() + ": " + out.text());
            return out.text();
        }
    }

    /** The value of the guest's "figure NAME VALUE" line. */
    long figure(String name) {
        synchronized (out) {
            return out.text().lines().filter(l -> l.startsWith("figure " + name + " ")).findFirst()
                    .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                    .orElseThrow(() -> new AssertionError("no figure " + name + " in:\n" + out.text()));
        }
    }

    @Override
    public void close() {
        stdin.add(-1);
        container.close();
    }

    private final class QueueInput extends InputStream {
        @Override
        public int read() {
            try {
                int b = stdin.take();
                return b < 0 ? -1 : b;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            int c = read();
            if (c < 0) return -1;
            b[off] = (byte) c;
            return 1;
        }
    }

    /** What the guest printed; each write wakes {@link #at}, which waits on this stream. */
    private static final class Collector extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
