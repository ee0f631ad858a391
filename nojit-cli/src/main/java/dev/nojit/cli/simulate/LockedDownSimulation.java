package dev.nojit.cli.simulate;

import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.host.landlock.JvmRules;
import dev.nojit.host.landlock.LandlockApplied;
import dev.nojit.host.spawn.ConfinedSpawner;
import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the simulation the way {@code nojit run} runs a container: in a JVM of its own
 * ({@link SimulationMain}) started confined by Landlock (read the JDK, nojit's code, the three
 * bundles and their public key; to write only the scratch directory where the mount-swap rows make their host
 * mounts and canaries) with the vkernel's JVM flags, which
 * then installs the vkernel's seccomp filter on itself before the first container starts. So the
 * rows are what the policy does with the host lockdown of a real run in force, and a technique
 * that made the vkernel itself map executable memory or exec would kill that JVM (SIGSYS).
 *
 * <p>The child's stdout carries JSON lines: first {@code {"seccomp":{"sha256":..,"instructions":..}}},
 * then one {@code {"technique":..,"observed":..,"seq":..,"passed":..}} per technique. Anything else,
 * or a technique without its line, fails closed: the technique's row fails and says why.
 */
public final class LockedDownSimulation {
    /** Bounds what the parent reads from the child (one row is far below a KiB). */
    private static final int MAX_OUTPUT = 4 << 20;
    private static final int SIGSYS = 31;

    /** The rows and what the simulation JVM ran under. */
    public record Result(List<Row> rows, LandlockApplied landlock, String seccompSha256, long seccompInstructions) {}

    private LockedDownSimulation() {}

    public static Result run(Path work, List<Technique> techniques, int jobs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(work.toString(), Integer.toString(jobs)));
        techniques.forEach(t -> args.add(t.name()));
        VkernelCommand cmd = new VkernelCommand(VkernelCommand.currentJava(), System.getProperty("java.class.path"), HostModule.find(),
                true, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), List.of(),
                SimulationMain.class.getName(), args);
        ProcessBuilder builder = new ProcessBuilder(cmd.toList()).redirectError(ProcessBuilder.Redirect.INHERIT);
        // The one writable place: the scratch directory where mount-swap rows make their host mounts.
        Path scratch = Files.createDirectories(Simulation.scratch(work));
        var rules = JvmRules.forChildJvm(Path.of(System.getProperty("java.home")), cmd.codeLocations(),
                SimulationBundles.files(work), List.of(scratch));
        ConfinedSpawner.Confined confined = ConfinedSpawner.start(builder, rules);
        Process p = confined.process();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(Simulation.bounded(out, MAX_OUTPUT));
            } catch (IOException e) {
                // the child is gone; what it sent is judged as it is
            }
        });
        // Each technique has its own timeout inside (Simulation.TIMEOUT); this only catches a stuck JVM.
        long backstop = (techniques.size() / Math.max(1, jobs) + 2) * Simulation.TIMEOUT.toSeconds() + 60;
        boolean ended = p.waitFor(backstop, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
            p.waitFor();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        int code = p.exitValue();
        String why = !ended ? "the simulation JVM did not end within " + backstop + " s; killed"
                : code == 128 + SIGSYS ? "the simulation JVM was killed by the host's seccomp filter (SIGSYS)"
                : "the simulation JVM ended with exit " + code + " before reporting it";
        return parse(text, techniques, why, confined.landlock());
    }

    /** The rows from the child's lines, in the order of {@code techniques}; any technique without a line fails with {@code why}. */
    static Result parse(String text, List<Technique> techniques, String why, LandlockApplied landlock) {
        Map<String, Technique> byName = new HashMap<>();
        techniques.forEach(t -> byName.put(t.name(), t));
        Map<String, Row> rows = new HashMap<>();
        String sha = null;
        long instructions = 0;
        String problem = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n;
            try {
                n = CanonicalJson.mapper().readTree(line);
            } catch (RuntimeException e) {
                problem = "the simulation JVM sent a malformed line";
                break;
            }
            if (n.has("seccomp") && sha == null && rows.isEmpty()) {
                sha = n.get("seccomp").path("sha256").asString(null);
                instructions = n.get("seccomp").path("instructions").asLong(0);
                continue;
            }
            Technique t = byName.get(n.path("technique").asString(""));
            if (sha == null || t == null || rows.containsKey(t.name()) || !n.path("passed").isBoolean()) {
                problem = "the simulation JVM sent an unexpected line";
                break;
            }
            rows.put(t.name(), new Row(t, n.path("observed").asString(""), n.path("seq").asString("-"), n.get("passed").asBoolean()));
        }
        List<Row> ordered = new ArrayList<>();
        for (Technique t : techniques) {
            Row r = rows.get(t.name());
            ordered.add(r != null && problem == null ? r : new Row(t, "no result: " + (problem != null ? problem : why), "-", false));
        }
        return new Result(ordered, landlock, sha, instructions);
    }
}
