package dev.nojit.bench.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload compiled natively with its timing main (bench/workloads/common.h): run with
 * the number of calls as its argument, it prints "CHECKSUM SECONDS" per call. The reference
 * interpreters' hosts (bench/refs: {@code wamr-run MODULE.wasm N}, {@code wasm3-run ...}) print
 * the same lines and are run the same way.
 */
final class NativeProgram {
    private static final long TIMEOUT_MINUTES = 10;

    private NativeProgram() {}

    static Outcome measure(Path executable, int warmup, int reps) {
        return measure(List.of(executable.toString()), warmup, reps);
    }

    /** Runs {@code command} with the number of calls appended as its last argument. */
    static Outcome measure(List<String> command, int warmup, int reps) {
        String executable = command.getFirst();
        try {
            List<String> argv = new ArrayList<>(command);
            argv.add(Integer.toString(warmup + reps));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Outcome.Failed(executable + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) return new Outcome.Failed(executable + " exited with " + p.exitValue() + ": " + out.strip());
            return parse(out, warmup, reps);
        } catch (IOException e) {
            return Outcome.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(e);
        }
    }

    /** Drops the first {@code warmup} lines; every line must carry the same checksum. */
    static Outcome parse(String output, int warmup, int reps) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != warmup + reps) {
            return new Outcome.Failed("expected " + (warmup + reps) + " lines, got: " + output.strip());
        }
        Long checksum = null;
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).strip().split("\\s+");
            if (f.length != 2) return new Outcome.Failed("unexpected line: " + lines.get(i));
            long c;
            double s;
            try {
                c = Long.parseLong(f[0]);
                s = Double.parseDouble(f[1]);
            } catch (NumberFormatException e) {
                return new Outcome.Failed("unexpected line: " + lines.get(i));
            }
            if (checksum != null && checksum != c) {
                return new Outcome.Failed("run " + (i + 1) + " returned " + c + ", run 1 returned " + checksum);
            }
            checksum = c;
            if (i >= warmup) seconds.add(s);
        }
        return new Outcome.Measured(checksum, new Timings(seconds));
    }
}
