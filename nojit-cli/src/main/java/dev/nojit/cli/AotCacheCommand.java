package dev.nojit.cli;

import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.host.landlock.Landlock;
import dev.nojit.host.spawn.AotCache;
import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code nojit aot-cache} (hidden; the {@code ./nojit} launcher runs it once per build): makes the JDK
 * AOT caches of nojit's two JVMs ({@link AotCache}) from one training run of {@code nojit run} on the
 * embedded example bundle, under strict host lockdown when the host has Landlock. The shim is started
 * exactly as the launcher starts it, recording its AOT configuration; its vkernel records its own in
 * its private directory ({@link VkernelProcess#AOT_RECORD_PROPERTY}); then one JVM per cache, with the
 * same flags and class path as at run time, turns each configuration into a cache. The caches are
 * written beside nojit.jar ({@value AotCache#SHIM}, {@value AotCache#VKERNEL}), each replaced
 * atomically. A failed training leaves the old caches (or none) and exits 1: nojit runs without them.
 */
@Command(name = "aot-cache", hidden = true,
        description = "Creates the start-up caches (JDK AOT caches) of the shim and vkernel JVMs beside nojit.jar from a training run.")
final class AotCacheCommand implements Callable<Integer> {
    /** The training run's process 1: the example's listed helper script (BusyBox sh, an applet exec'd, files read). */
    static final List<String> TRAINING_RUN = List.of("/usr/share/agent/summarize.sh", "/srv/data/report.txt");
    private static final long TIMEOUT_SECONDS = 300;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the caches go (default: beside nojit.jar).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path jar = VkernelProcess.codeLocation();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new UsageException("nojit runs from class directories, not a jar; an AOT cache needs a jar on the class path");
        }
        Path out = dir != null ? dir : jar.getParent();
        Path work = Files.createTempDirectory("nojit-aot-");
        try {
            Path inputs = work.resolve("inputs");
            EmbeddedGuests.extractTo(inputs);
            KeyPair publisher = Ed25519Keys.generate(), attester = Ed25519Keys.generate();
            Path key = work.resolve("train.key"), attestKey = work.resolve("attest.key"), bundle = work.resolve("train.nojit");
            Ed25519Keys.write(publisher, key);
            Ed25519Keys.write(attester, attestKey);
            ExampleBundle.build(inputs, publisher, bundle);
            boolean strict = Landlock.probe().require(Landlock.STRICT_MIN_ABI).isEmpty();
            Path shimConf = work.resolve("shim.aotconf"), vkernelConf = work.resolve("vkernel.aotconf");
            List<String> run = new ArrayList<>(List.of("run", bundle.toString(), "--pubkey", Ed25519Keys.publicKeyPath(key).toString(),
                    "--audit-log", work.resolve("audit.jsonl").toString(), "--attest-key", attestKey.toString(),
                    "--attestation", work.resolve("attestation.jsonl").toString(), "--host-lockdown", strict ? "strict" : "off", "--"));
            run.addAll(TRAINING_RUN);
            List<String> train = new ArrayList<>(NojitJvm.command(AotCache.recordFlags(shimConf), run));
            train.add(1, "-D" + VkernelProcess.AOT_RECORD_PROPERTY + "=" + vkernelConf);
            step("training run", train, work.resolve("train.log"));
            if (!Files.isRegularFile(shimConf) || !Files.isRegularFile(vkernelConf)) {
                throw new IOException("the training run recorded no AOT configuration (see " + work.resolve("train.log") + ")");
            }
            Path shimTmp = work.resolve(AotCache.SHIM), vkernelTmp = work.resolve(AotCache.VKERNEL);
            step("shim cache", NojitJvm.createAotCache(shimConf, shimTmp), work.resolve("shim.log"));
            VkernelCommand vkernel = new VkernelCommand(VkernelCommand.currentJava(), System.getProperty("java.class.path"), HostModule.find(),
                    true, Runtime.getRuntime().availableProcessors(), VkernelProcess.vkernelHeap(), List.of(), VkernelMain.class.getName(), List.of());
            step("vkernel cache", vkernel.createAotCache(vkernelConf, vkernelTmp), work.resolve("vkernel.log"));
            Files.createDirectories(out);
            Path shim = install(shimTmp, out.resolve(AotCache.SHIM)), vk = install(vkernelTmp, out.resolve(AotCache.VKERNEL));
            spec.commandLine().getOut().println("nojit aot-cache: " + shim + " (" + mib(shim) + "), " + vk + " (" + mib(vk) + "); trained "
                    + (strict ? "under strict host lockdown" : "with --host-lockdown off (no Landlock here)"));
            return 0;
        } finally {
            try (var files = Files.walk(work)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    /** Runs one JVM of the training to the end; its output goes to {@code log}, quoted when it fails. */
    private static void step(String what, List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The training is not the user's run: nothing of it goes to their files or terminal.
        pb.environment().keySet().removeAll(List.of(VkernelProcess.SYSCALL_STATS, "NOJIT_STARTUP_TRACE", "NOJIT_DEBUG", "NOJIT_AOT_CACHE"));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new IOException(what + ": did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            String last = lines.isEmpty() ? "" : lines.getLast();
            throw new IOException(what + ": exit " + p.exitValue() + (last.isEmpty() ? "" : ": " + last));
        }
    }

    private static Path install(Path made, Path to) throws IOException {
        Path tmp = Files.createTempFile(to.getParent(), ".nojit-aot-", ".tmp");
        Files.copy(made, tmp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String mib(Path f) throws IOException {
        return String.format("%.1f MiB", Files.size(f) / 1048576.0);
    }
}
