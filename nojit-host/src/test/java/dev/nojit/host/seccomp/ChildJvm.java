package dev.nojit.host.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Starts {@link SeccompChild} in a child JVM with the test class path; lockdown never touches the test JVM. */
final class ChildJvm {
    /** Equal initial and reserved code cache: HotSpot commits it all at start and never maps code memory again. */
    static final List<String> FIXED_CODE_CACHE = List.of("-XX:ReservedCodeCacheSize=64m", "-XX:InitialCodeCacheSize=64m");
    static final List<String> INTERPRETER_ONLY = List.of("-Xint");
    static final List<String> DEFAULT_FLAGS = List.of();
    /** 128 + SIGSYS (31): how Process reports a child killed by SECCOMP_RET_KILL_PROCESS. */
    static final int SIGSYS_EXIT = 159;

    record Outcome(int exit, List<String> out, String err) {
        boolean has(String line) {
            return out.contains(line);
        }

        List<String> starting(String prefix) {
            return out.stream().filter(l -> l.startsWith(prefix)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout " + out + ", stderr " + err.lines().limit(15).toList();
        }
    }

    /**
     * Runs the child with {@code jvmFlags} and {@code args}; {@code onLine} sees each stdout line
     * as it arrives, with the process, so a test can look at /proc while the child waits on stdin.
     */
    static Outcome run(List<String> jvmFlags, Consumer<Line> onLine, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SeccompChild.class.getName());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                    onLine.accept(new Line(line, p));
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("child did not end: " + out);
            }
            return new Outcome(p.exitValue(), out, err.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Outcome run(List<String> jvmFlags, String... args) {
        return run(jvmFlags, l -> { }, args);
    }

    record Line(String text, Process process) {}
}
