package dev.nojit.cli;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.manifest.Policy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Statically verifies every module, content-addresses every file, signs the manifest and writes the bundle.",
                "SOURCE_DATE_EPOCH, when set, is the creation time, so that equal inputs give byte-identical bundles."})
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Ed25519 private key (from nojit keygen).")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "APP.nojit", description = "Bundle to write (replaced atomically).")
    Path out;

    @Option(names = "--exec", paramLabel = "PATH=FILE.wasm", description = "A WebAssembly module that may run, at container PATH.")
    List<String> execs = new ArrayList<>();

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<ScriptOption> scripts = new ArrayList<>();

    /** {@code --script PATH=FILE} or {@code --script-dir PATH=DIR}, each followed by its {@code --interpreter}. */
    static final class ScriptOption {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ScriptSource source;

        @Option(names = "--interpreter", required = true, paramLabel = "PATH",
                description = "The executable (in this bundle) that runs the preceding --script or the files of the preceding --script-dir.")
        String interpreter;
    }

    static final class ScriptSource {
        @Option(names = "--script", paramLabel = "PATH=FILE", description = "A script, run only by its interpreter.")
        String script;

        @Option(names = "--script-dir", paramLabel = "PATH=DIR",
                description = "A host directory tree whose every regular file is a script for the --interpreter that follows "
                        + "(an interpreter's library, e.g. Python's standard library or site-packages, which it loads as code).")
        String scriptDir;
    }

    @Option(names = "--file", paramLabel = "PATH=FILE", description = "A data file.")
    List<String> files = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "PATH=DIR", description = "A host directory tree, as data files under PATH.")
    List<String> dirs = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE.json", description = "Container policy (SPEC §4); keys left out take their defaults. \"interpreters\" maps executables to a profile (bash, lua, python) or a full spec.")
    Path policyFile;

    @Option(names = "--compat", paramLabel = "PATH=OPTION", description = "Engine compatibility option for an executable: lenient-call-indirect.")
    List<String> compat = new ArrayList<>();

    @Option(names = "--engine", paramLabel = "MODE|PATH=MODE",
            description = "How executables run: interpreter (default) or aot (JVM classes translated now, signed in the bundle). "
                    + "MODE alone sets every executable's mode, PATH=MODE one executable's (repeatable). Under aot a module "
                    + "that imports fork, vfork, clone or clone3 gets deoptimization at its call sites (fork continues compiled frames on the interpreter).")
    List<String> engines = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Instant created = sourceDateEpoch();
        BundleBuilder b = new BundleBuilder().builderVersion(Version.get()).created(created);
        List<String> execPaths = new ArrayList<>();
        for (String e : execs) {
            Mapping m = Mapping.parse("--exec", e);
            b.executable(m.containerPath(), m.hostPath());
            execPaths.add(m.containerPath());
        }
        boolean anyAot = engineOptions(b, execPaths);
        for (ScriptOption s : scripts) {
            if (s.source.script != null) {
                Mapping m = Mapping.parse("--script", s.source.script);
                b.script(m.containerPath(), m.hostPath(), s.interpreter);
            } else {
                Mapping m = Mapping.parse("--script-dir", s.source.scriptDir);
                b.scriptDirectory(m.containerPath(), m.hostPath(), s.interpreter);
            }
        }
        for (String f : files) {
            Mapping m = Mapping.parse("--file", f);
            b.file(m.containerPath(), m.hostPath());
        }
        for (String d : dirs) {
            Mapping m = Mapping.parse("--dir", d);
            b.directory(m.containerPath(), m.hostPath());
        }
        for (String c : compat) {
            Mapping m = Mapping.parse("--compat", c);
            Compat option = Compat.byName(m.value()).orElseThrow(() -> new UsageException(
                    "--compat " + c + ": unknown option '" + m.value() + "' (known: lenient-call-indirect)"));
            b.compat(m.containerPath(), option);
        }
        if (policyFile != null) {
            Policy policy = readPolicy(policyFile);
            if (anyAot && policyNamesEngine(policyFile, EngineMode.INTERPRETER)) {
                throw new UsageException("--policy " + policyFile + " says engine interpreter, but --engine asks for aot");
            }
            b.policy(policy);
        }
        var err = spec.commandLine().getErr();
        if (anyAot) b.aotTranslator(AotTranslatorJvm.find());
        b.onNotice(line -> {
            err.println("nojit build: " + line);
            err.flush();
        });
        var pair = Ed25519Keys.readPrivate(key);
        try (Progress progress = Progress.forBuild(spec.commandLine().getErr(), b.inputBytes())) {
            b.onProgress(progress::update);
            BundleBuilder.Result r = b.build(pair, out);
            progress.done();
            var w = spec.commandLine().getOut();
            w.println("built:      " + out + " (" + r.bytes() + " bytes, " + r.manifest().entries().size() + " entries)");
            w.println("megabinary: sha256:" + r.megabinarySha256());
            w.println("manifest:   sha256:" + r.manifestSha256());
            w.println("signed by:  keyid " + Ed25519Keys.keyId(pair.getPublic()));
        }
        return ExitCodes.OK;
    }

    /**
     * Applies the {@code --engine} values: at most one bare MODE (every executable), then PATH=MODE for single
     * executables of this build (given once each). True when any asks for aot.
     */
    private boolean engineOptions(BundleBuilder b, List<String> execPaths) throws BundleException {
        EngineMode all = null;
        boolean anyAot = false;
        for (String value : engines) {
            if (value.indexOf('=') < 0) {
                EngineMode mode = engineMode(value, value);
                if (all != null && all != mode) throw new UsageException("--engine " + value + ": the mode of every executable is given twice");
                all = mode;
                b.engine(mode);
                anyAot |= mode == EngineMode.AOT;
            } else {
                Mapping m = Mapping.parse("--engine", value);
                if (!execPaths.contains(m.containerPath())) {
                    throw new UsageException("--engine " + value + ": " + m.containerPath() + " is not an --exec of this build");
                }
                EngineMode mode = engineMode(value, m.value());
                b.engine(m.containerPath(), mode);
                anyAot |= mode == EngineMode.AOT;
            }
        }
        return anyAot;
    }

    private static EngineMode engineMode(String option, String name) {
        return EngineMode.byName(name).orElseThrow(() -> new UsageException(
                "--engine " + option + ": unknown mode '" + name + "' (known: interpreter, aot)"));
    }

    /** Whether the policy file gives {@code engine} as {@code mode} itself (not by default). */
    private static boolean policyNamesEngine(Path file, EngineMode mode) throws IOException {
        var node = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
        return node.has("engine") && mode.jsonName().equals(node.get("engine").asString());
    }

    private static Instant sourceDateEpoch() {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        if (s == null || s.isEmpty()) return Instant.now();
        try {
            long seconds = Long.parseLong(s);
            if (seconds < 0 || seconds > 077777777777L) throw new NumberFormatException();
            return Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            throw new UsageException("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got '" + s + "'");
        }
    }

    static Policy readPolicy(Path file) throws BundleException, IOException {
        try {
            if (Files.size(file) > 1 << 20) throw new BundleException("--policy " + file + ": too large");
            var node = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
            return ManifestCodec.decodePolicy(StrictObject.of(node, "", "policy file " + file), false);
        } catch (NoSuchFileException e) {
            throw new BundleException("--policy: file not found: " + file);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BundleException("--policy " + file + ": not valid JSON");
        }
    }
}
