package dev.nojit.engine.spec;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a script's commands one at a time on a worker thread and waits a bounded time for each. Invocations
 * are interrupted through their machine after the time limit (see SpecRunner); this guard is the backstop for
 * what that cannot stop (a start function, a loop inside the engine itself): after the limit plus a grace
 * period it gives the command up as hung and abandons the worker thread. Any exception a command lets
 * through is a failure, never an abort of the script.
 */
final class CommandGuard implements AutoCloseable {
    private static final Duration MAX_GRACE = Duration.ofSeconds(10);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        // AOT mode runs guest calls as JVM calls: a large stack so the scripts' deep recursion (up to the
        // runner's 20,000-frame depth limit) reaches the engine's limit before the JVM's
        Thread t = new Thread(null, r, "spec-command", 1L << 30);
        t.setDaemon(true); // an abandoned, hung worker must not keep the JVM alive
        return t;
    });
    private final Duration patience;
    private boolean hung;

    /** Gives up on a command after {@code limit} plus a grace period as long as the limit, at most 10 s. */
    CommandGuard(Duration limit) {
        this.patience = limit.plus(limit.compareTo(MAX_GRACE) < 0 ? limit : MAX_GRACE);
    }

    Outcome run(Callable<Outcome> command) {
        if (hung) throw new IllegalStateException("the worker hung; the script's state is unknown");
        Future<Outcome> result = worker.submit(command);
        try {
            return result.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return Outcome.unexpected(e.getCause());
        } catch (TimeoutException e) {
            hung = true;
            result.cancel(true);
            return Outcome.failed("hung: no answer within " + patience.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hung = true;
            return Outcome.failed("interrupted while waiting for the command");
        }
    }

    boolean hung() {
        return hung;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
