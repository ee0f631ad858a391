package dev.nojit.cli;

import dev.nojit.bundle.AotClassBlob;
import dev.nojit.bundle.AotTranslator;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleLimits;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code nojit build --engine aot}'s translator: the build-time module nojit-aot, run in a JVM of its own for
 * each module, so that the translator and the JDK's class-file API it uses are never loaded by a nojit JVM
 * (they are not in nojit.jar at all). The child is
 * {@code java -cp <nojit's class path>:nojit-aot.jar dev.nojit.aot.AotMain --wasm FILE --out DIR [--returns-twice
 * wali:setjmp --returns-twice wali:sigsetjmp] [--deopt]} (--deopt for a module that forks): it reads exactly the verified bytes (written to a private temporary
 * directory), writes {@code DIR/index} (binary names, entry class first) and {@code DIR/<name>.class}, prints one
 * summary line and exits 0; or prints one line on stderr and exits 1 for a module it refuses.
 *
 * <p>The jar is {@value #JAR} beside nojit's own code: beside {@code nojit.jar} (the build tree's
 * {@code nojit-cli/target/}, where the build copies it, and any directory nojit.jar and nojit-host.jar are copied
 * to), or, when nojit runs from a class directory ({@code target/classes}), in that directory's parent.
 */
final class AotTranslatorJvm implements AotTranslator {
    static final String JAR = "nojit-aot.jar";
    static final String MAIN = "dev.nojit.aot.AotMain";
    /** WALI's returns-twice imports, given to the translator for WALI modules (it hard-codes none). */
    static final List<String> WALI_RETURNS_TWICE = List.of("wali:setjmp", "wali:sigsetjmp");
    /** The most of the child's stdout or stderr read back (its summary and its one-line refusal are far shorter). */
    private static final int MAX_OUTPUT = 64 << 10;
    private static final int MAX_INDEX_BYTES = 16 << 20;

    private final Path jar;

    private AotTranslatorJvm(Path jar) {
        this.jar = jar;
    }

    /** The translator beside nojit's code, or a one-line reason why there is none. */
    static AotTranslatorJvm find() {
        return find(VkernelProcess.codeLocation());
    }

    /** The translator beside {@code codeLocation} (nojit.jar, or a class directory). */
    static AotTranslatorJvm find(Path codeLocation) {
        Optional<Path> jar = locate(codeLocation);
        if (jar.isEmpty()) {
            throw new AotUnavailable("--engine aot needs the AOT translator, " + JAR + ", beside nojit's jar in "
                    + expectedDirectory(codeLocation) + " (building nojit with Maven makes it; copy it with nojit.jar)");
        }
        return new AotTranslatorJvm(jar.get());
    }

    /** The AOT translator is not installed: {@code nojit build --engine aot} cannot run (exit {@link ExitCodes#CHECK_FAILED}). */
    static final class AotUnavailable extends RuntimeException {
        AotUnavailable(String message) {
            super(message);
        }
    }

    static Optional<Path> locate(Path codeLocation) {
        Path dir = expectedDirectory(codeLocation);
        if (dir == null) return Optional.empty();
        Path jar = dir.resolve(JAR);
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** Where {@value #JAR} belongs: the directory of nojit.jar, or the parent of a class directory. */
    static Path expectedDirectory(Path codeLocation) {
        if (codeLocation == null) return null;
        Path abs = codeLocation.toAbsolutePath().normalize();
        return abs.getParent();
    }

    /** The child JVM's command line. */
    List<String> command(Path wasm, Path out, boolean wali) {
        return command(wasm, out, wali, false);
    }

    /** The child JVM's command line; {@code deopt}: the module forks (the translator's --deopt). */
    List<String> command(Path wasm, Path out, boolean wali, boolean deopt) {
        List<String> cmd = new ArrayList<>();
        cmd.add(VkernelCommand.currentJava().toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        String nojit = HostModule.classPathWithout(System.getProperty("java.class.path"), HostModule.find());
        cmd.add(nojit + File.pathSeparator + jar);
        cmd.add(MAIN);
        cmd.add("--wasm");
        cmd.add(wasm.toString());
        cmd.add("--out");
        cmd.add(out.toString());
        if (wali) {
            for (String r : WALI_RETURNS_TWICE) {
                cmd.add("--returns-twice");
                cmd.add(r);
            }
        }
        if (deopt) cmd.add("--deopt");
        return cmd;
    }

    @Override
    public Translation translate(String path, byte[] wasm, List<String> personalities, boolean deopt)
            throws BundleException, IOException {
        String sha = Sha256.hex(wasm);
        Path work = Files.createTempDirectory("nojit-aot-");
        try {
            Path module = work.resolve("module.wasm");
            Files.write(module, wasm);
            Path out = Files.createDirectory(work.resolve("out"));
            ProcessBuilder pb = new ProcessBuilder(command(module, out, personalities.contains("wali"), deopt))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(work.resolve("stdout").toFile())
                    .redirectError(work.resolve("stderr").toFile());
            Process child = pb.start();
            // A build stopped by a signal (^C) takes its translator with it.
            Thread stop = new Thread(child::destroyForcibly, "nojit-aot-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int code;
            try {
                code = child.waitFor();
            } catch (InterruptedException e) {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new BundleException(path + ": interrupted while the AOT translator ran");
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: the child is being stopped
                }
            }
            if (code != 0) {
                String why = firstLine(read(work.resolve("stderr"))).replace(module.toString(), path); // name the executable, not the temporary file
                throw new BundleException(path + ": the AOT translator refused it: "
                        + (why.isEmpty() ? "it exited with status " + code + " and said nothing" : why));
            }
            return new Translation(readClasses(path, sha, out), firstLine(read(work.resolve("stdout"))));
        } finally {
            deleteTree(work);
        }
    }

    /** DIR/index and the class files it names, each name checked before it becomes a file name. */
    private static List<GeneratedClass> readClasses(String path, String sha, Path out) throws BundleException, IOException {
        Path index = out.resolve("index");
        if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS) || Files.size(index) > MAX_INDEX_BYTES) {
            throw new BundleException(path + ": the AOT translator wrote no usable index");
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.US_ASCII)) {
            if (line.isEmpty()) continue;
            if (!AotClassBlob.isClassNameFor(line, sha)) {
                throw new BundleException(path + ": the AOT translator's index names '" + line.replaceAll("[^ -~]", "?")
                        + "', not a generated class of this module");
            }
            names.add(line);
            if (names.size() > Manifest.MAX_AOT_CLASSES) throw new BundleException(path + ": the AOT translator wrote over " + Manifest.MAX_AOT_CLASSES + " classes");
        }
        List<GeneratedClass> classes = new ArrayList<>(names.size());
        for (String name : names) {
            Path file = out.resolve(name + ".class");
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new BundleException(path + ": the AOT translator listed " + name + " but wrote no " + file.getFileName());
            if (Files.size(file) > BundleLimits.MAX_BLOB_BYTES) throw new BundleException(path + ": AOT class " + name + " is over the blob limit");
            classes.add(new GeneratedClass(name, Files.readAllBytes(file)));
        }
        return classes;
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }

    private static String firstLine(String text) {
        for (String line : text.split("\\R")) {
            if (!line.isBlank() && !line.startsWith("WARNING: ")) return Nojit.oneLine(line); // not the JVM's own warnings
        }
        return "";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless; the build's result does not depend on it
        }
    }
}
