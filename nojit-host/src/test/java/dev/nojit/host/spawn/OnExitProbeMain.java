package dev.nojit.host.spawn;

import dev.nojit.host.landlock.JvmRules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Child-process entry point (an unconfined, fresh JVM, so no reaper thread exists yet): confined-spawns
 * {@link ConfinementProbeMain}, then reads args[0] from a non-async {@code onExit()} dependent and from a
 * common-pool task. Prints {@code onExit OK|DENIED ...} and {@code commonPool OK|DENIED ...}.
 */
public final class OnExitProbeMain {
    public static void main(String[] args) throws Exception {
        Path secret = Path.of(args[0]);
        Path classes = Path.of(args[1]);
        Path home = Path.of(System.getProperty("java.home"));
        var rules = JvmRules.forChildJvm(home, List.of(classes), List.of(), List.of());
        Process p = ConfinedSpawner.start(new ProcessBuilder(home.resolve("bin/java").toString(), "-cp", classes.toString(),
                ConfinementProbeMain.class.getName()), rules).process();
        System.out.println("onExit " + p.onExit().thenApply(x -> read(secret)).get());
        System.out.println("commonPool " + CompletableFuture.supplyAsync(() -> read(secret)).get());
    }

    private static String read(Path p) {
        try {
            return "OK " + Files.readString(p) + " on " + Thread.currentThread().getName();
        } catch (Exception e) {
            return "DENIED " + e + " on " + Thread.currentThread().getName();
        }
    }
}
