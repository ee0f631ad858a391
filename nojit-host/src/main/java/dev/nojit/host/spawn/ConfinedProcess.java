package dev.nojit.host.spawn;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Process} a confined start returned, with destroy and the handle redirected to a
 * {@link ProcessHandle} taken on an unconfined thread.
 *
 * <p>Why: right after the start, the JDK reads /proc/stat and /proc/PID/stat on the (confined) spawner
 * thread to record the child's start time, is refused, and records 0. The JDK's own handle then no longer
 * matches the live process: measured on JDK 25, {@code destroyForcibly()} sent no signal at all (the child
 * ran to its end), {@code toHandle().info()} was empty. {@code ProcessHandle.of(pid)} read on the caller's
 * thread has the right start time.
 */
final class ConfinedProcess extends Process {
    private final Process started;
    private final ProcessHandle handle;

    ConfinedProcess(Process started, ProcessHandle handle) {
        this.started = started;
        this.handle = handle;
    }

    @Override public OutputStream getOutputStream() { return started.getOutputStream(); }
    @Override public InputStream getInputStream() { return started.getInputStream(); }
    @Override public InputStream getErrorStream() { return started.getErrorStream(); }
    @Override public int waitFor() throws InterruptedException { return started.waitFor(); }
    @Override public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException { return started.waitFor(timeout, unit); }
    @Override public int exitValue() { return started.exitValue(); }
    @Override public boolean isAlive() { return started.isAlive(); }
    @Override public long pid() { return started.pid(); }
    @Override public ProcessHandle toHandle() { return handle; }
    @Override public ProcessHandle.Info info() { return handle.info(); }
    @Override public boolean supportsNormalTermination() { return started.supportsNormalTermination(); }

    @Override
    public void destroy() {
        if (started.isAlive()) handle.destroy();
    }

    @Override
    public Process destroyForcibly() {
        if (started.isAlive()) handle.destroyForcibly();
        return this;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return started.onExit().thenApply(p -> this);
    }
}
