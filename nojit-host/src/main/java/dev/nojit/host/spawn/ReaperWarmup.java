package dev.nojit.host.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes sure the JDK's "process reaper" pool holds an idle, unconfined thread before a confined spawn.
 *
 * <p>Why: {@link ProcessBuilder#start()} hands the wait for the child to a cached pool of reaper threads and
 * creates a new one, on the calling thread, when none is idle. Created on the confined spawner thread, that
 * reaper inherits the Landlock domain, and so do the common-pool workers it starts when it completes
 * {@code onExit()} (measured: a non-async {@code onExit()} dependent then failed to read a file outside the
 * rules). Starting and reaping a trivial process from an unconfined thread first leaves an idle reaper
 * that the confined spawn reuses.
 */
final class ReaperWarmup {
    private ReaperWarmup() {}

    private static final String REAPER_NAME = "process reaper";

    /** Runs a trivial JDK program to its end and waits (at most 2 s) until a reaper thread is idle. */
    static boolean ensureIdleReaper() throws IOException {
        if (idleReaperExists()) return true;
        Path home = Path.of(System.getProperty("java.home"));
        Path helper = home.resolve("lib/jspawnhelper");
        // jspawnhelper without arguments prints a usage line and exits at once; java -version is the fallback.
        List<String> cmd = Files.isExecutable(helper) ? List.of(helper.toString())
                : List.of(home.resolve("bin/java").toString(), "-version");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.waitFor();
            for (int i = 0; i < 200 && !idleReaperExists(); i++) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return idleReaperExists();
    }

    /** An idle reaper waits in the pool's queue (TIMED_WAITING); a busy one waits for a child in native code. */
    static boolean idleReaperExists() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(REAPER_NAME) && t.getState() == Thread.State.TIMED_WAITING);
    }
}
