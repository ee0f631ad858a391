package dev.nojit.host.spawn;

import dev.nojit.host.landlock.Landlock;
import dev.nojit.host.landlock.LandlockApplied;
import dev.nojit.host.landlock.LandlockRules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a child process confined by Landlock and no_new_privs from its first instruction.
 *
 * <p>Landlock applied inside a running JVM binds only the calling thread (this kernel has no TSYNC), and
 * a child inherits the domain of the thread that forks it. So a fresh platform thread confines itself,
 * calls {@link ProcessBuilder#start()}, and ends; the caller's thread and the JVM's other threads stay
 * unconfined. A thread the spawner thread starts inherits its domain: {@link ReaperWarmup} keeps the
 * JDK from creating its "process reaper" thread there. Redirect files named in the builder are opened
 * on the confined thread, so they must be covered by the rules (pipes, the default, need nothing).
 * The JDK's own handle of the child is broken by the confinement (see {@link ConfinedProcess}), so the
 * returned Process is a {@link ConfinedProcess}.
 */
public final class ConfinedSpawner {
    private ConfinedSpawner() {}

    /** The started child and the Landlock policy it runs under. */
    public record Confined(Process process, LandlockApplied landlock) {}

    /**
     * Readies what {@link #start} needs first (an idle process reaper, {@link ReaperWarmup}: a trivial
     * process started and reaped) from the calling thread, which must be unconfined; a start path calls
     * this early on a thread of its own. False if no reaper became idle ({@link #start} tries again).
     */
    public static boolean prepare() {
        try {
            return ReaperWarmup.ensureIdleReaper();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts {@code builder}'s command under {@code rules}. Throws what the confinement or the start threw
     * ({@link dev.nojit.host.HostCallException} when Landlock is absent or a rule cannot be added, an
     * IOException when the exec is refused, e.g. the program lacks the EXECUTE right).
     */
    public static Confined start(ProcessBuilder builder, LandlockRules rules) throws IOException {
        ReaperWarmup.ensureIdleReaper();
        AtomicReference<Confined> started = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread spawner = Thread.ofPlatform().name("nojit-confined-spawner").unstarted(() -> {
            try {
                Class<?> loadedBeforehand = Confined.class; // no class loading from disk after the restriction
                LandlockApplied applied = Landlock.restrictCurrentThread(rules);
                started.set(new Confined(builder.start(), applied));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        spawner.start();
        try {
            spawner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a confined process", e);
        }
        Throwable t = failed.get();
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new UncheckedIOException(new IOException(t));
        Process p = started.get().process();
        // Taken here, unconfined, so the handle knows the child's real start time (see ConfinedProcess).
        ProcessHandle handle = ProcessHandle.of(p.pid()).orElse(p.toHandle());
        return new Confined(new ConfinedProcess(p, handle), started.get().landlock());
    }
}
