package dev.nojit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code nojit} as its own JVM (the test class path), for what only a real process shows: stdio pass-through and exit codes. */
record CliProcess(int exitCode, String out, String err) {
    /** Runs in a fresh temporary directory (where a run's default audit log goes), removed afterwards. */
    static CliProcess run(String stdin, Object... args) throws IOException, InterruptedException {
        Path cwd = java.nio.file.Files.createTempDirectory("nojit-cli-");
        try {
            return runIn(cwd, stdin, args);
        } finally {
            try (var files = java.nio.file.Files.walk(cwd)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(f);
            }
        }
    }

    static CliProcess runIn(Path cwd, String stdin, Object... args) throws IOException, InterruptedException {
        return finish(start(cwd, args), stdin, args);
    }

    private static CliProcess finish(Process p, String stdin, Object... args) throws IOException, InterruptedException {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nojit did not finish: " + List.of(args));
        }
        return new CliProcess(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Starts {@code nojit ARGS} in {@code cwd} and returns the running process (the caller reads and ends it). */
    static Process start(Path cwd, Object... args) throws IOException {
        return start(cwd, List.of(), java.util.Map.of(), args);
    }

    /** Starts {@code nojit ARGS} with extra JVM options and environment variables. */
    static Process start(Path cwd, List<String> jvmOptions, java.util.Map<String, String> env, Object... args) throws IOException {
        return start(cwd, List.of(), jvmOptions, env, args);
    }

    /** Runs {@code nojit ARGS} to the end under a wrapper command (e.g. {@code unshare -m ...}), which ends by exec'ing the rest. */
    static CliProcess runWrapped(Path cwd, List<String> wrapper, Object... args) throws IOException, InterruptedException {
        return finish(start(cwd, wrapper, List.of(), java.util.Map.of(), args), "", args);
    }

    private static Process start(Path cwd, List<String> wrapper, List<String> jvmOptions, java.util.Map<String, String> env, Object... args)
            throws IOException {
        // As the launcher does: a fixed code cache, so the shim can lock itself down without restarting.
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:ReservedCodeCacheSize=64m", "-XX:InitialCodeCacheSize=64m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Nojit.class.getName()));
        for (Object a : args) cmd.add(a.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code nojit ARGS} to the end with extra JVM options and environment. */
    static CliProcess runWith(Path cwd, List<String> jvmOptions, java.util.Map<String, String> env, Object... args)
            throws IOException, InterruptedException {
        return finish(start(cwd, jvmOptions, env, args), "", args);
    }
}
