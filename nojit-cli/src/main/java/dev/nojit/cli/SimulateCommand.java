package dev.nojit.cli;

import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.keys.Ed25519Keys;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.cli.simulate.LockedDownSimulation;
import dev.nojit.cli.simulate.Row;
import dev.nojit.cli.simulate.Simulation;
import dev.nojit.cli.simulate.SimulationBundles;
import dev.nojit.cli.simulate.Technique;
import dev.nojit.cli.simulate.Techniques;
import dev.nojit.cli.simulate.TestResultReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code nojit simulate}: builds the built-in attack bundles (a fresh throwaway key, in a
 * temporary directory), runs every technique in its own container — by default in a separate JVM
 * under the vkernel's host lockdown ({@link LockedDownSimulation}) — and prints one row per
 * technique, a summary and the lockdown the containers ran under. Exit 0 when every row passed, 1 when anything got through, an
 * expected audit event is missing or an unexpected violation appeared, 2 on a usage error.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs the built-in corpus of attack techniques against the no-JIT policy, each in its own container, "
                + "and prints what each attempt came to.",
                "Exit status: 0 every technique ended as expected; 1 something got through, an expected audit event is "
                        + "missing or an unexpected violation appeared; 2 usage error."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also writes the result as an in-toto Statement (test-result predicate v0.1); a DSSE envelope with --attest-key.")
    Path report;

    @Option(names = "--attest-key", paramLabel = "KEY", description = "Signs the --report statement with this Ed25519 private key (PKCS#8 PEM).")
    Path attestKey;

    @Option(names = "--only", paramLabel = "TECHNIQUE", description = "Runs only this technique (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", description = "Containers run at once (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int jobs;

    @Option(names = "--host-lockdown", paramLabel = "strict|off", defaultValue = "strict",
            description = "strict: the containers run in a separate JVM under the vkernel's host lockdown (Landlock, seccomp), "
                    + "as with nojit run (default); off: in this JVM, without it.")
    RunCommand.Lockdown hostLockdown;

    @Option(names = "--engine", paramLabel = "interpreter|aot", defaultValue = "interpreter",
            description = "The engine mode the bundles' executables are built in, as nojit build --engine MODE: interpreter "
                    + "(default) or aot (translated to JVM classes signed into the bundles; modules that fork stay interpreted).")
    String engineName;

    @Override
    public Integer call() throws Exception {
        if (attestKey != null && report == null) throw new UsageException("--attest-key needs --report");
        if (jobs < 1 || jobs > 64) throw new UsageException("--jobs must be 1..64");
        EngineMode engine = EngineMode.byName(engineName).orElseThrow(() -> new UsageException(
                "--engine " + engineName + ": unknown mode (known: interpreter, aot)"));
        List<Technique> techniques = select();
        KeyPair signer = attestKey == null ? null : Ed25519Keys.readPrivate(attestKey);
        if (report != null) {
            // Before the run, not after it: a report that cannot be written is known at once.
            Path parent = report.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UsageException("--report " + report + ": the directory " + parent + " does not exist");
            }
            if (Files.isDirectory(report)) throw new UsageException("--report " + report + " is a directory");
        }
        boolean strict = hostLockdown == RunCommand.Lockdown.strict;
        if (strict) VkernelProcess.requireStrictLandlock();
        AotTranslatorJvm translator = engine == EngineMode.AOT ? AotTranslatorJvm.find() : null;
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("nojit-simulate-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (SimulationBundles bundles = SimulationBundles.build(work, engine, translator, line -> {
            err.println("nojit simulate: " + line); // the build's notices: each AOT summary, each module kept interpreted
            err.flush();
        })) {
            List<String> aot = bundles.aotExecutables();
            List<Row> rows;
            String lockdown;
            String filter = null;
            if (strict) {
                LockedDownSimulation.Result r = LockedDownSimulation.run(work, techniques, jobs);
                rows = r.rows();
                filter = r.seccompSha256();
                lockdown = r.seccompSha256() == null ? "host lockdown: strict, but the simulation JVM never reported its filter"
                        : "host lockdown: strict — containers ran in a JVM confined by Landlock (ABI " + r.landlock().abi()
                        + ", read-only: the JDK, nojit, the bundles; writable: the mount-swap scratch directory) under the vkernel's seccomp filter (" + r.seccompInstructions()
                        + " instructions, sha256 " + r.seccompSha256().substring(0, 16) + "...)";
            } else {
                rows = new Simulation(bundles, jobs, Simulation.scratch(work)).run(techniques);
                lockdown = "host lockdown: off — containers ran in this JVM";
            }
            print(w, rows);
            w.println(lockdown);
            w.println(engineLine(engine, aot));
            if (report != null) {
                Map<String, VerifiedBundle> named = new LinkedHashMap<>();
                bundles.all().values().forEach(b -> named.put(b.path().getFileName().toString(), b));
                byte[] statement = TestResultReport.statement(rows, named, "nojit " + Version.get(), RunRecords.jarSha256(), filter,
                        engine.jsonName(), aot);
                Files.write(report, signer == null ? statement : TestResultReport.sign(statement, signer));
                w.println("report: " + report + (signer == null ? "" : " (signed, keyid "
                        + Ed25519Keys.keyId(signer.getPublic()).substring(0, 16) + "...)"));
            }
            w.flush();
            return rows.stream().allMatch(Row::passed) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * The bundles' engine mode: every executable interpreted, or which run AOT classes (the others stay
     * interpreted, each for the reason its build notice gives: functions left to the interpreter under a fork).
     */
    static String engineLine(EngineMode engine, List<String> aot) {
        if (engine == EngineMode.INTERPRETER) return "engine: interpreter — every executable runs on the interpreter";
        return "engine: aot — " + aot.size() + " executables run AOT classes (" + String.join(" ", aot)
                + "); the build's notices say why the others stay interpreted";
    }

    private List<Technique> select() {
        List<Technique> all = Techniques.all();
        if (only.isEmpty()) return all;
        List<Technique> chosen = new ArrayList<>();
        for (String name : only) {
            Technique t = all.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new UsageException("--only " + name + ": no such technique (see docs/simulate.md)"));
            if (!chosen.contains(t)) chosen.add(t);
        }
        return chosen;
    }

    static void print(PrintWriter w, List<Row> rows) {
        String[] head = {"TECHNIQUE", "ENTRY POINT", "EXPECTED", "OBSERVED", "SEQ", ""};
        List<String[]> table = new ArrayList<>();
        table.add(head);
        for (Row r : rows) {
            Technique t = r.technique();
            table.add(new String[]{t.name(), t.entry(), t.expected().describe(), r.observed(), r.seq(), r.passed() ? "pass" : "FAIL"});
        }
        int[] width = new int[head.length];
        for (String[] line : table) for (int i = 0; i < line.length; i++) width[i] = Math.max(width[i], line[i].length());
        for (String[] line : table) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(line[i]);
                if (i < line.length - 1) b.append(" ".repeat(width[i] - line[i].length() + 2));
            }
            w.println(b.toString().stripTrailing());
        }
        long passed = rows.stream().filter(Row::passed).count();
        w.println();
        w.println("simulate: " + rows.size() + " techniques, " + passed + " passed, " + (rows.size() - passed) + " failed");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
